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
	char why[1024];     /* longest seen 687 (corpus, testdata); an unknown with a request can pass 768 */
	/* longest seen 317 (corpus): a port scan's advice names the
	 * endpoint twice, which with IPv6 addresses takes some 90 more */
	char advice[512];
	size_t why_len, advice_len;     /* strlen of each, kept as they are written */
	char origin[256];
	char runner_up[256];        /* why the verdict's runner-up was not ruled out; "" none */
	const char *service;        /* what the connection carries (service.h), NULL unknown */
	struct evidence evidence[VERDICT_MAX_EVIDENCE];     /* verdict_evidence() */
	char what[VERDICT_MAX_EVIDENCE][96];                /* each one, in words */
	int n_evidence;
};

void explain_verdict(const struct verdict *v, struct explanation *e);

#endif
