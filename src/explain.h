/*
 * explain: a final verdict (after the look-ahead) in words. The judge
 * (classify.h) decides and measures; this turns its facts into the
 * explanation, the advice, the origin sentence and what each evidence
 * frame is, for both renderers. Nothing here changes a verdict.
 */
#ifndef RSTDIAG_EXPLAIN_H
#define RSTDIAG_EXPLAIN_H

#include "classify.h"

struct explanation {
	/* Each about twice the longest seen (corpus and testdata, 2026-12-06;
	 * the tests' corpus-readings and golden fail a text that fills its
	 * buffer, which text_vappend cuts silently): */
	char why[2048];     /* longest 1341: a TLS close, a burst and a relayed peer */
	/* longest 336: a port scan's advice names the endpoint twice, which
	 * with IPv6 addresses takes some 90 more */
	char advice[1024];
	size_t why_len, advice_len;     /* strlen of each, kept as they are written */
	char origin[768];           /* longest 439: a relay on the capture's link (an IPv4 ID
				       clause may follow) */
	char runner_up[512];        /* why the verdict's runner-up was not ruled out; "" none
				       (longest 242) */
	const char *service;        /* what the connection carries (service.h), NULL unknown */
	struct evidence evidence[VERDICT_MAX_EVIDENCE];     /* verdict_evidence() */
	char what[VERDICT_MAX_EVIDENCE][96];                /* each one, in words */
	int n_evidence;
};

void explain_verdict(const struct verdict *v, struct explanation *e);

#endif
