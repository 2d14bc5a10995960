/*
 * classify: one struct verdict per RST, built from the flow as it stood
 * just before the RST. Renderers only format a verdict; every judgement
 * (form, trigger, cause, origin) is made here.
 */
#ifndef RSTDIAG_CLASSIFY_H
#define RSTDIAG_CLASSIFY_H

#include <stddef.h>
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
	bool after_evictions;       /* midstream once --max-flows had forgotten connections */
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
	char origin_evidence[256];
	struct evidence evidence[VERDICT_MAX_EVIDENCE];
	int n_evidence;
	/* The HTTP request the RST met (frame 0: none visible). */
	struct http_note request;
	bool request_from_sender;   /* the RST's sender made the request (else its peer did) */
	const char *reached_peer;   /* "no", "maybe" or "yes": can it have reached the peer's application? */
	bool retry_safe;            /* it did not reach the peer, or its method is idempotent */
	/* The last HTTP response header on the connection (status 0: none). */
	struct http_response_note response;
	enum role response_sender;
	char explanation[768];
	size_t request_note_at;     /* where the explanation's sentence on the request starts */
	char advice[320];
};

/*
 * What the connection did in the settle time after a RST (lookahead.h):
 * the first segment in which each side went on as if nothing happened.
 */
struct after_rst {
	uint64_t a_frame;           /* the sender sent new data, a FIN or a new ACK; 0 if not */
	int64_t a_ts_ns;
	uint32_t a_ack;             /* that segment's acknowledgement number, if a_acks */
	bool a_acks;
	uint32_t a_new_bytes;       /* payload beyond what it had sent before the RST */
	bool a_fin;
	uint64_t b_frame;           /* the other side went on (a challenge ACK, data); 0 if not */
	int64_t b_ts_ns;
	bool b_challenge_ack;       /* that segment was a bare ACK (RFC 5961 3.2) */
	bool restarted;             /* a SYN began a new connection: nothing after counts */
};

/*
 * Judges RST p, sent by endpoint dir of flow f. f must not yet have seen p
 * (call before tcp_track_segment). f is NULL when the RST opened the flow.
 */
void classify_rst(const struct flow *f, int dir, const struct pkt *p, struct verdict *v);

/*
 * Revises verdict v with what came after its RST. A sender that keeps
 * talking after its "own" RST did not send it (injected, high); a peer that
 * answers with a challenge ACK did not accept it.
 */
void classify_revise(struct verdict *v, const struct after_rst *after);

/* The wire form of a RST given both halves (exposed for unit tests). */
enum rst_form classify_form(const struct pkt *p, const struct tcp_half *a, const struct tcp_half *b);

#endif
