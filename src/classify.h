/*
 * classify: one struct verdict per RST, built from the flow as it stood
 * just before the RST. Renderers only format a verdict; every judgement
 * (form, trigger, cause, origin) is made here.
 */
#ifndef RSTDIAG_CLASSIFY_H
#define RSTDIAG_CLASSIFY_H

#include <stdint.h>

#include "cause.h"
#include "packet.h"
#include "tcp_track.h"

#define VERDICT_MAX_EVIDENCE 8

struct evidence {
	uint64_t frame;
	int64_t ts_ns;
	char what[96];
};

struct verdict {
	/* The RST packet itself: its segment, and what a seg_note leaves out. */
	struct seg_note rst;
	uint8_t ipver;
	uint8_t src[16], dst[16];
	uint16_t sport, dport;
	uint16_t ip_id;

	/* Its connection just before it; A sent the RST, B is the other side. */
	enum role sender;
	bool role_guessed;
	struct tcp_half a, b;
	bool syn, synack, established, midstream;
	uint32_t incarnation;
	int64_t idle_before_ns;     /* silence before the closing event (first FIN or RST); -1 none */
	int64_t max_gap_ns;         /* longest silence on the connection before the RST */
	int64_t trigger_gap_ns;     /* silence before the segment it answers; -1 no trigger */

	/* Judgement. */
	enum rst_form form;
	struct seg_note trigger;    /* the B->A segment it answers; frame 0 if none */
	uint64_t followup_of;       /* reset-followup: the RST it follows; 0 otherwise */
	int64_t rtt_ns;             /* handshake round trip at the capture point; -1 unknown */
	enum cause cause;
	const char *detail;         /* sub-kind or NULL */
	enum confidence confidence;
	enum origin origin;
	char origin_evidence[160];
	struct evidence evidence[VERDICT_MAX_EVIDENCE];
	int n_evidence;
	/* The HTTP request the RST met (frame 0: none visible). */
	struct http_note request;
	const char *reached_peer;   /* "no", "maybe" or "yes": can it have reached the peer's application? */
	bool retry_safe;            /* it did not reach the peer, or its method is idempotent */
	/* The last HTTP response header on the connection (status 0: none). */
	struct http_response_note response;
	enum role response_sender;
	char explanation[768];
	char advice[320];
};

/*
 * Judges RST p, sent by endpoint dir of flow f. f must not yet have seen p
 * (call before tcp_track_segment). f is NULL when the RST opened the flow.
 */
void classify_rst(const struct flow *f, int dir, const struct pkt *p, struct verdict *v);

/* The wire form of a RST given both halves (exposed for unit tests). */
enum rst_form classify_form(const struct pkt *p, const struct tcp_half *a, const struct tcp_half *b);

#endif
