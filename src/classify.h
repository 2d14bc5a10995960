/*
 * classify: the judge. One struct verdict per RST, built from the flow as
 * it stood just before the RST: typed facts only (what was seen, what was
 * measured, which rule decided and how sure it is), never text. Words are
 * the reporting layer's (explain.h); renderers format a verdict and decide
 * nothing.
 */
#ifndef RSTDIAG_CLASSIFY_H
#define RSTDIAG_CLASSIFY_H

#include <stddef.h>
#include <stdint.h>

#include "cause.h"
#include "packet.h"
#include "flow.h"
#include "host_table.h"
#include "nat_twin.h"
#include "rst_bursts.h"

/*
 * The rules, named for the situation each tests, in the order they are
 * tried (the taxonomy's order of specificity; classify.c has the table).
 * The first that fits decides; the verdict keeps which one it was.
 */
enum rule {
	RULE_FLAGS_NO_STACK_SENDS,      /* unknown: a RST with SYN or FIN */
	RULE_REFUSAL_OF_UNSEEN_SYN,     /* closed-port, the peer not captured */
	RULE_AFTER_EARLIER_RESET,       /* reset-followup */
	RULE_AFTER_UNTRANSLATED_RESET,  /* reset-followup: its twin's RST had reset it (nat_twin.h) */
	RULE_MPTCP_FASTCLOSE,           /* linger-abort (mp-fastclose) */
	RULE_DIAGNOSED_TIMEOUT,         /* idle-timeout: its payload says "connection timeout" */
	RULE_UNTRANSLATED_SEGMENT,      /* idle-timeout, unknown: a NAT's untranslated segment */
	RULE_SYN_ON_RECENTLY_CLOSED_TUPLE, /* timewait-reuse: refused like a closed port */
	RULE_SYN_REFUSED,               /* closed-port */
	RULE_ABORT_AS_CONNECTED,        /* linger-abort (probe): its RST acknowledges the
					   SYN-ACK, its own ACK not sent yet */
	RULE_SYN_ACK_AFTER_CLIENT_GAVE_UP, /* connect-timeout */
	RULE_CHALLENGE_ACK_FOR_STALE_CONNECTION, /* timewait-reuse (challenge-ack) */
	RULE_SYN_ANSWERED_BY_OLD_ACK,   /* timewait-reuse: RFC 9293 3.10.7.3 */
	RULE_OLD_ACK_UNSEEN,            /* timewait-reuse, the server's ACK not captured */
	RULE_SYN_UNANSWERED,            /* connect-timeout */
	RULE_ACK_OF_UNSENT_DATA,        /* invalid-segment */
	RULE_ACK_SCAN_PROBE,            /* invalid-segment: a lone ACK, one of a scan's */
	RULE_SYN_ACK_UNANSWERED,        /* connect-timeout: the server gave up its SYN-ACKs */
	RULE_SERVER_RESET_BEFORE_DATA,  /* handshake-abort */
	RULE_FIN_NEVER_ACKED,           /* peer-lost-state: A gave its FIN up, then B wrote */
	RULE_DATA_AFTER_OWN_FIN,        /* data-after-fin */
	RULE_PROBES_UNANSWERED,         /* keepalive-timeout */
	RULE_RETRANSMISSIONS_UNACKED,   /* retransmit-timeout */
	RULE_LATE_RETRANSMISSION_UNACKED, /* retransmit-timeout: one copy, seen late */
	RULE_FOREIGN_RST_AFTER_SILENCE, /* idle-timeout */
	RULE_FOREIGN_RST,               /* injected */
	RULE_AFTER_BOTH_CLOSED,         /* reset-followup (after-close) */
	RULE_RELAY_TEARDOWN,            /* linger-abort: a relay on the link, at once on the
					   peer's FIN, before the real host could answer */
	RULE_ABORT_AFTER_OWN_FIN,       /* unread-recv-buffer, linger-abort */
	RULE_REPLY_FROM_HOST_THAT_LOST_IT, /* peer-lost-state */
	RULE_CLOSE_WITH_DATA_UNREAD,    /* unread-recv-buffer */
	RULE_ABORT_WHILE_WAITING,       /* response-timeout */
	RULE_WAIT_SHOWN_BY_IP_ID,       /* response-timeout, the peer not captured */
	RULE_DATA_SHOWN_BY_ACKS,        /* unread-recv-buffer, the peer not captured */
	RULE_ABORTIVE_CLOSE,            /* linger-abort */
	RULE_MPTCP_SUBFLOW_RESET,       /* linger-abort (mp-tcprst) */
	RULE_NOTHING_FITS,              /* unknown */
	RULE_COUNT
};
/* "syn-refused": the rule's name, for tests and debugging output. */
const char *rule_name(enum rule r);

/* What one side had done before the RST: struct tcp_half without its last segment. */
struct side {
	int64_t fin_ts, rst_ts;
	uint64_t data_frame;        /* its last segment with payload */
	uint64_t fin_frame, rst_frame;
	uint64_t bytes;
	uint32_t pkts;
	uint32_t base_seq, next_seq, ack, fin_seq;
	uint32_t retrans;
	uint16_t keepalives, zero_windows;
	uint16_t http_requests, http_responses;
	uint16_t ip_id;
	uint8_t ttl_min, ttl_max;
	uint8_t state;              /* enum half_state */
	uint8_t flags;              /* HALF_F_* */
	uint8_t syn_retrans;
	bool http_requests_cut;     /* http_requests is a lower bound (flow.h) */
};

/* Where a side's data ends: at its FIN once it sent one. */
static inline uint32_t side_data_end(const struct side *s)
{
	return (s->flags & HALF_F_FIN) ? s->fin_seq : s->next_seq;
}

/* What decided the origin (judge_origin in classify.c). */
enum origin_basis {
	ORIGIN_BY_TTL_MATCH,        /* TTL within the sender's own range: endpoint */
	ORIGIN_BY_TTL_STEP,         /* TTL outside it: middlebox */
	ORIGIN_BY_TIMING,           /* faster than the sender could answer: middlebox */
	ORIGIN_BY_NOTHING,          /* nothing earlier from the sender: unknown */
	ORIGIN_BY_HOST_MATCH,       /* none on this connection; a TTL of its address's others */
	ORIGIN_BY_HOST_STEP,        /* none on this connection; unlike its address's only TTL */
	ORIGIN_BY_HOST_STACK,       /* none on this connection; its initial TTL is not its stack's */
	ORIGIN_BY_PAYLOAD,          /* its diagnostic payload gives a service function's code */
	ORIGIN_BY_SHARED_IDS,       /* its address's IPv4 IDs run on one counter with many
				       others': one box sends for them all (host_table.h) */
	ORIGIN_BY_CAPTURE_HOST,     /* a cooked capture saw it leave the capturing host, in the
				       name of a side whose segments arrived there: that
				       host sent it (classify.c, sent_here) */
	ORIGIN_BY_RAW_SYN,          /* its only packet a raw socket's SYN, whose TTL its
				       program chose; the RST its host's refusal of the
				       SYN-ACK (classify.c, raw_syn_refused) */
	ORIGIN_BY_LOCAL_RELAY,      /* a public address's packets, the RST among them, reached a
				       private one at the TTL they were sent with: no NAT
				       router between, so a box on the capture's link or host
				       made them (classify_relay_on_link) */
};

/* The RST's IPv4 ID against the sender's last one (judge_ip_id). */
enum ip_id_relation {
	IP_ID_NOT_COMPARED,         /* IPv6, nothing earlier, or the sender's ID is 0 */
	IP_ID_ZERO,                 /* 0: Linux sends a RST without a socket so */
	IP_ID_CONTINUES,            /* 1..IP_ID_STEP_MAX after the sender's own */
	IP_ID_UNRELATED,
	IP_ID_CONTINUES_GLOBAL,     /* further on the one counter its host numbers all with */
	IP_ID_ZERO_NOT_ITS,         /* 0, from a host whose stack numbers every packet */
	/* Unrelated too, and no sign either way: */
	IP_ID_HOST_RANDOM,          /* its address's IDs are random from packet to packet */
	IP_ID_WINDOWS_ON,           /* further on its own, from a host whose SYN names
				       Windows (one counter for all its connections) not yet
				       seen numbering so on two connections */
	IP_ID_BOTH_SIDES,           /* 1..IP_ID_STEP_MAX after the sender's own and the peer's:
				       one program made both sides' packets */
	IP_ID_STACK_RANDOM,         /* unrelated, from a host whose SYN names macOS, which
				       numbers its packets at random (no sign either way) */
};

/* What the look-ahead changed (classify_revise). */
enum revision {
	REVISED_NOT,
	REVISED_PEER_KEPT_CONNECTION,   /* the peer sent an RFC 5961 challenge ACK */
	REVISED_SENDER_WENT_ON_CONFIRMS, /* a foreign RST's sender went on: confirmed */
	REVISED_SENDER_WENT_ON_FORGED,  /* the sender went on: forged, whatever it looked like */
	REVISED_RETRY_ACCEPTED,         /* closed-port: the peer sent the same SYN again and
					   the sender accepted it (its SYN-ACK: frame) */
};

/* The evidence frames a verdict names, in the order they are gathered. */
enum evidence_kind {
	EV_TRIGGER,                 /* the peer's segment the RST answers */
	EV_SENDER_FIN,
	EV_PEER_FIN,
	EV_SENDER_RST,              /* an earlier RST of the sender */
	EV_PEER_RST,
	EV_THE_RST,
	EV_PEER_CHALLENGE_ACK,      /* after the RST (look-ahead) */
	EV_SENDER_WENT_ON,          /* after the RST (look-ahead) */
	EV_RETRY_ACCEPTED,          /* the sender's SYN-ACK to the refused SYN sent again */
	EV_NAT_TWIN,                /* the twin connection's last packet (nat_twin.h) */
	EV_NAT_SEGMENT,             /* the twin's untranslated segment */
	EV_NAT_RST,                 /* ... and the RST that answered it */
	EV_COUNT
};

struct evidence {
	uint64_t frame;
	int64_t ts_ns;
	enum evidence_kind kind;
};

struct verdict {
	/* The RST packet itself: its segment, and what a seg_note leaves out. */
	struct seg_note rst;
	uint64_t file_frame;        /* its frame in its own file (--interleave; else rst.frame) */
	uint8_t src[16], dst[16];
	uint16_t sport, dport;
	uint16_t ip_id;
	uint8_t ipver;
	uint8_t copied_ttl;         /* a capture's copy of the sender's last RST one router
				       further on: that RST's TTL, which its origin is judged
				       by; 0 otherwise */
	uint32_t tunnel_path;       /* its tunnel path (tunnel_table_get); 0: not tunnelled */
	uint32_t host_context;      /* its sender's in the host table (host_context()) */

	/* Its connection just before it; a is the sender, b the other side. */
	int8_t sender;              /* enum role */
	bool role_guessed;
	bool syn, synack, established, midstream;
	bool after_evictions;       /* midstream once --max-flows had forgotten connections */
	bool a_quit_last : 1;       /* the sender's last data was a text protocol's QUIT or
				       LOGOUT (first_bytes_quit) */
	bool b_quit_last : 1;       /* the other side's last data was (its goodbye) */
	uint8_t a_window_unread : 4; /* enum unread_sign: UNREAD_WINDOW_SHORT or _FREED, what
				       the sender's windows showed of data unread
				       (record_connection); 0 nothing */
	bool prev_half_closed : 1;  /* challenge-ack: the old connection's client had closed
				       it, the side that answered never did (CLOSE_WAIT) */
	bool synack_after_give_up : 1; /* the first SYN-ACK came after the client's next SYN
				       was due and none came (classify_syn_retry_due) */
	struct side a, b;
	struct seg_note trigger;    /* the b->a segment it answers; frame 0 if none */

	/* Measured numbers (ns; -1 where not measured). */
	int64_t idle_before_ns;     /* silence before the closing event (first FIN or RST) */
	int64_t close_idle_ns;      /* silence before the connection's first FIN or RST */
	int64_t max_gap_ns;         /* longest silence on the connection before the RST */
	int64_t trigger_gap_ns;     /* silence before the segment it answers */
	int64_t peer_silent_ns;     /* from b's last segment to the RST */
	int64_t rtt_ns;             /* handshake round trip at the capture point */
	int64_t timing_leg_ns;      /* the sender's fastest answer, the round trip from the
				       capture point to it (classify.c); -1 unknown.
				       ORIGIN_BY_TIMING judged by it */
	int64_t since_prev_ns;      /* from the tuple's previous connection's end */
	int64_t syn_ts;             /* the client's first SYN; 0 unseen */

	/* Judgement. */
	uint8_t rule;               /* enum rule: which rule decided */
	uint8_t cause;              /* enum cause */
	uint8_t detail;             /* enum detail */
	uint8_t confidence;         /* enum confidence */
	uint8_t runner_up;          /* enum cause the evidence did not rule out; CAUSE_COUNT none */
	uint8_t form;               /* enum rst_form */
	uint8_t origin;             /* enum origin */
	uint8_t origin_basis;       /* enum origin_basis */
	uint8_t ip_id_relation;     /* enum ip_id_relation */
	bool id_near_shared;        /* (in a hole) its IPv4 ID ran on with other hosts' just
				       noted (host_table_id_near_recent): read with
				       classify_revise_shared_ids */
	struct host_profile host;   /* the sender's address on its connections; connections 0: none */
	bool stale_ack_exact;       /* challenge-ack: acks exactly where the old connection ended */
	bool tuple_recently_closed; /* the tuple's previous connection ended within TIME_WAIT */
	bool ttl_unlike_recent;     /* ORIGIN_BY_TTL_STEP: within A's range, unlike its recent TTL */
	uint8_t mptcp;              /* the RST's own MPTCP ending options (enum mptcp_end bits) */
	uint8_t mptcp_reason;       /* ... MP_TCPRST's reason and T flag */
	bool mptcp_transient;
	struct tls_note tls;        /* what its connection showed of TLS (flow.h); the server
				       name is request.target, also when request.frame is 0 */
	uint8_t app;                /* enum first_bytes_app: its connection's opening bytes */
	struct rst_payload rst_data; /* the reason its data gives, if any (rst_payload.h) */
	uint8_t kernel_reason;      /* --kernel-reasons: kernel_reason_name() code, 0 none */
	uint8_t kernel_state;       /* ... and the socket's state, kernel_state_name() */
	uint8_t probe_targets;      /* (in a hole) destinations the peer's endpoint opened
				       tuples to with a lone bare ACK (stray_acks.h), when
				       read at the report; 0 not read */
	uint8_t twin_ttl;           /* (in a hole) the sender's last segment was a RST with
				       this one's flags, seq and ack but another TTL, no
				       copy: that RST's TTL; 0 otherwise */
	/* The round trip from the capture point to the RST's peer and back,
	 * from the handshake, in µs; 0 unknown: what an answer to the RST
	 * from the peer takes at least (classify_revise). */
	uint32_t peer_leg_us;
	uint64_t followup_of;       /* reset-followup: the RST it follows; 0 otherwise */

	/* The HTTP request the RST met (frame 0: none visible). */
	struct http_note request;
	bool request_from_sender;   /* the RST's sender made the request (else its peer did) */
	/* (Here, in a hole: the verdict stays 576 bytes.) */
	bool a_closed_awaiting : 1; /* the sender closed first, by a FIN, and the last data
				       before it was the sender's own (a lone TLS alert
				       aside): none of the peer's had come since */
	bool a_fin_rst_early : 1;   /* its FIN sent again without an answer, and the RST
				       sooner than its next retransmission timer
				       (classify.c, fin_rst_before_timer) */
	bool a_farewell_closed : 1; /* a_closed_awaiting, its FIN within 100 ms of its last
				       data, which came after the connection's longest
				       silence: close_idle_ns is that silence (flow.h) */
	bool b_window_closed : 1;   /* the peer's last segment advertised a zero window */
	bool trigger_resent : 1;    /* the segment it answers sent again what its sender had
				       sent before (flow.h, last_resent): its ack is the
				       sender's when it resent, not when the data was written */
	bool stray_ack : 1;         /* the RST answers the peer's lone bare ACK, the first
				       segment of the tuple, with nothing else seen of it */
	bool trigger_after_rst : 1; /* the segment it answers is the peer's bare ACK after the
				       sender's own earlier RST (its last segment),
				       acknowledging another number than that RST's: the
				       peer had not taken that RST (RFC 5961 3.2) */
	bool one_program_capped : 1; /* a linger-abort held to medium because one program made
				       both sides' packets (classify.c, one_program_abort) */
	/* Where its sequence number fell against the peer's last ack
	 * before it (enum rst_take, flow.h): whether the peer took it. */
	uint8_t rst_take : 3;
	/* reset-followup: the same of the RST it follows, when that is the
	 * connection's first (tcp_track keeps no other); UNKNOWN otherwise. */
	uint8_t first_rst_take : 3;
	/* ... which the peer did not take (BELOW, AFTER_FIN), where a later
	 * RST of the same sender's, before this one, was exact. */
	bool first_rst_taken_later : 1;
	bool a_data_last : 1;       /* the sender's last segment before the RST carried its
				       last data */
	uint8_t refusal : 3;        /* enum first_bytes_refusal: the server's first data
				       refused the connection (a service over its limit) */
	uint8_t graceful_closes : 5; /* (in a hole) the sender's host's graceful closes of
				       other connections, saturating at 31, when they made
				       this abort unread data (classify_revise_graceful);
				       0 otherwise */
	uint32_t body_due;          /* bytes of the peer's last request body (Content-Length)
				       not yet sent at the RST; 0: none due or none declared */
	uint8_t reached_peer : 2;   /* enum reached_peer */
	/* The service's last words before its close (enum
	 * first_bytes_goodbye), and whether the sender said them. */
	uint8_t goodbye : 3;
	bool goodbye_by_sender : 1;
	bool a_probes_inferred : 1; /* a.keepalives counts what classify_probes_before_rst
				       read as probes, the capture's first segment of A's
				       among them */
	bool a_wait_unmeasured : 1; /* a_closed_awaiting, but the peer's data that did not
				       acknowledge the sender's came after it
				       (flow.h, data_unanswered_reply): close_idle_ns is
				       no measure of the sender's wait since its data */
	bool retry_safe;            /* it did not reach the peer, or its method is idempotent */
	int8_t response_sender;     /* enum role */
	bool peer_relay;            /* (in a hole) the peer's packets are a TCP-terminating
				       box's: they reached the sender's private address from a
				       public one with no router between
				       (classify_peer_on_link_relay), or its address numbers
				       its IPv4 IDs on one counter with other addresses'
				       (host_ids_shared, read at the report: pipeline.c,
				       report_verdict) */
	/* The last HTTP response header on the connection (status 0: none). */
	struct http_response_note response;
	uint32_t incarnation;       /* its connection's incarnation on the tuple (placed here, in
				       what would be alignment padding) */
	struct nat_twin_note nat;   /* the connection it is the same as, behind a NAT */
	/* The burst of its sender's RSTs it is part of (rst_bursts.h): where
	 * the burst began, as frames from this RST's (set as it is noted;
	 * BURST_NONE: not noted, a copy). When it is reported
	 * (classify_revise_burst): the connections the burst reset, its own
	 * included (0: not read, or fewer than BURST_MIN), its last RST and
	 * the time from its first to its last. */
	int32_t burst_first_d;
	uint8_t burst_connections;
	/* (In a hole) read with id_near_shared (classify_revise_shared_ids): */
	uint8_t id_follows_back;    /* its IPv4 ID runs on from that of the frame this many
				       before it, the latest from an address at neither end
				       of its connection (pipeline.c, id_follows_other); 0:
				       it does not */
	uint16_t id_follows_id;     /* that frame's ID */
	int32_t burst_last_d;
	uint32_t burst_span_us;

	/* The look-ahead's revision. */
	struct {
		uint8_t kind;       /* enum revision */
		uint8_t looked_like; /* REVISED_SENDER_WENT_ON_FORGED: the cause judged alone */
		bool fin;           /* the sender went on with a FIN */
		bool synack;        /* ... with a SYN-ACK to the SYN the RST refused */
		uint32_t new_bytes; /* ... with this much new data (else an ACK of newer data) */
		uint64_t frame;     /* the segment that revised it */
		int64_t ts_ns;
	} revised;
	/* At the report: the peer's address accepted a connection (its
	 * SYN-ACK on another one) after it fell silent on this one
	 * (classify_revise_peer_alive); frame 0: none seen. */
	/* Or, with of_sender (closed-port, never a silent peer's): the
	 * sender's address accepted a connection on the refused port, its
	 * latest SYN-ACK before the RST or in the settle time after it; or,
	 * with elsewhere too, a connect to that port on another address
	 * completed (its handshake ACK) within FALLBACK_CONNECT_MAX_NS after
	 * it (classify_revise_port_accepted). One struct for all: the queue
	 * holds verdicts by the hundred thousand. */
	struct {
		uint64_t frame;
		int32_t after_rst_ms; /* its time less the RST's */
		uint16_t port;
		bool of_sender;
		bool elsewhere;
	} peer_accepted;
	/* connect-timeout, a SYN-ACK the client refused: another connect of
	 * the client's to the same port completed while this attempt waited
	 * (classify_revise_race). Its handshake ACK, as frames before the RST
	 * (0: none), and that ACK's time after this attempt's SYN. */
	struct {
		uint32_t frames_before;
		uint32_t after_syn_us;
	} race_won;
	/* closed-port: the ports of this server the client's address had
	 * probed by this refusal, its own included (host_table_note_probe),
	 * when they make it a scan's probe (classify_revise_scan); 0
	 * otherwise. */
	uint8_t scan_ports;
	/* A side's segment sent again, too big for some paths and bigger than
	 * all that side ever had acknowledged (classify.c, note_oversize_stuck):
	 * which side (STUCK_*), the segment's payload and the bytes of that
	 * side's the other had acknowledged, from its SYN. In the padding the
	 * struct ended with. */
	uint8_t stuck_side;
	uint16_t stuck_len;
	uint32_t stuck_acked;
};

enum { STUCK_NONE, STUCK_SENDER, STUCK_PEER };

#define VERDICT_MAX_EVIDENCE EV_COUNT

/*
 * What the connection did in the settle time after a RST (verdict_queue.h):
 * the first segment in which each side went on as if nothing happened.
 */
struct after_rst {
	uint64_t a_frame;           /* the sender sent new data, a FIN or a new ACK; 0 if not */
	int64_t a_ts_ns;
	uint32_t a_ack;             /* that segment's acknowledgement number, if a_acks */
	bool a_acks;
	uint32_t a_new_bytes;       /* payload beyond what it had sent before the RST */
	bool a_fin;
	bool a_synack;              /* that segment was a SYN-ACK to the SYN it had refused */
	uint64_t b_frame;           /* the other side went on (a challenge ACK, data); 0 if not */
	int64_t b_ts_ns;
	bool b_challenge_ack;       /* that segment was a bare ACK (RFC 5961 3.2) */
	bool restarted;             /* a SYN began a new connection: nothing after counts */
	/* closed-port: the peer sent the refused SYN again (same ISN: a
	 * Windows client retries a refused connect twice, 0.5 s apart), and
	 * the sender's SYN-ACK to it; 0 none. */
	uint64_t retry_frame, retry_accepted_frame;
	int64_t retry_accepted_ts_ns;
};

/* What the capture as a whole had shown by a RST (the pipeline's). */
struct capture_so_far {
	int64_t start_ns;           /* its first packet's time (of its file, or of the
				       files read as one), which bounds what copies of a
				       segment it can hold; 0 not known */
	/* Connections whose two sides' IPv4 IDs were compared, and those on
	 * one counter (pipeline.c, note_ids_both). */
	uint32_t ids_both_compared, ids_both_shared;
};

/*
 * Judges RST p, sent by endpoint dir of flow f. f must not yet have seen p
 * (call before tcp_track_segment). f is NULL when the RST opened the flow.
 * host is the sender address's profile from its other connections (NULL:
 * none), in host_context. late: the peer's next segment not yet answered
 * after dir closed (late_segments_next), or NULL. capture: what the
 * capture had shown so far (NULL: nothing known).
 */
void classify_rst(const struct flow *f, int dir, const struct pkt *p,
		  const struct host_profile *host, uint32_t host_context,
		  const struct seg_note *late, const struct capture_so_far *capture,
		  struct verdict *v);

/*
 * Revises verdict v with what came after its RST. A sender that keeps
 * talking after its "own" RST did not send it (injected, high); a peer that
 * answers with a challenge ACK did not accept it.
 */
void classify_revise(struct verdict *v, const struct after_rst *after);

/*
 * When a client that sent its SYN again and again (b, the RST's peer, the
 * client) would have sent it next, at the capture point; 0 when that
 * cannot be read (see classify.c).
 */
int64_t classify_syn_retry_due(const struct verdict *v);
/*
 * The client's own RST to its unanswered SYNs came when its
 * retransmissions ran out: n of them, doubling from 1 s (RFC 6298 2.1,
 * 5.5), give up 2^(n+1) - 1 s after the first SYN, within a tenth (Linux's
 * tcp_syn_retries, 6 by default: 127 s).
 */
static inline bool classify_syn_give_up_time(const struct verdict *v)
{
	unsigned n = v->a.syn_retrans;
	if (!v->syn_ts || n == 0 || n > 10)
		return false;
	int64_t due = ((INT64_C(1) << (n + 1)) - 1) * 1000000000LL;
	int64_t at = v->rst.ts_ns - v->syn_ts;
	return at >= due - due / 10 && at <= due + due / 10;
}

/* The client's last SYN (b's last segment), as classify_syn_retry_due reads it. */
static inline int64_t classify_syn_last_ts(const struct verdict *v)
{
	return v->rst.ts_ns - v->peer_silent_ns;
}

/*
 * The RST's sequence number lies further from where the peer's last ACK
 * put its next expected byte than any TCP window reaches: the peer
 * discarded it (classify.c says why).
 */
bool classify_rst_outside_window(const struct verdict *v);

/*
 * The peer's packets (b's) came from a public IPv4 address to the
 * sender's private one at the TTL they were sent with: a box on the
 * capture's link or host made them (classify.c says why), so they are a
 * relay's, as peer_relay says.
 */
bool classify_peer_on_link_relay(const struct verdict *v);

/*
 * A verdict whose origin nothing decided (no TTL of the sender's on its
 * connection), judged again by its address's profile as it stands when the
 * settle time ends, which includes the connections that began since.
 */
void classify_revise_origin(struct verdict *v, const struct host_profile *host);
/*
 * A stray_ack verdict, judged alone, once the peer's endpoint's count of
 * lone-ACK destinations (stray_acks_targets) is known at its report: two
 * or more make it one probe of a scan (RULE_ACK_SCAN_PROBE).
 */
void classify_revise_probe(struct verdict *v, unsigned targets);
/*
 * Whether a verdict says its peer stopped answering (a give-up on
 * retransmissions or keep-alives), which the peer's address accepting a
 * new connection meanwhile would contradict: the pipeline then reads the
 * peer's latest SYN-ACK (host_table_accepted) at the report.
 */
bool classify_peer_went_silent(const struct verdict *v);
/* A closed-port refusal from a host whose latest SYN-ACK (synack) was on
 * the refused port: it was listening then (verdict.peer_accepted,
 * of_sender); elsewhere: synack is instead a connect's handshake ACK to
 * that port on another address, soon after the refusal. */
void classify_revise_port_accepted(struct verdict *v, const struct host_handshake *synack,
				   bool elsewhere);
/* A client that falls back to a name's next address after a refusal does
 * so at once (RFC 8305 5: the next attempt starts when one fails; Node's
 * autoSelectFamily, Go's dialer, curl): a connect to the same port on
 * another address within this is that fallback, or another client's to
 * the address that listens. */
#define FALLBACK_CONNECT_MAX_NS 1000000000LL
/* That SYN-ACK, kept when it came after the peer's last segment here. */
void classify_revise_peer_alive(struct verdict *v, const struct host_handshake *synack);
/* Whether v is an abort a zero linger or unread data could each have sent,
 * which the sender's host's graceful closes elsewhere would decide. */
bool classify_graceful_matters(const struct verdict *v);
/* ... read with n, the host's graceful closes (host_table_graceful). */
void classify_revise_graceful(struct verdict *v, unsigned n);
/* ignored-fin read from a relaying box's acknowledgment (peer_relay) is
 * left unsaid: the box, not the writer, took the FIN. */
void classify_revise_relayed_fin_ack(struct verdict *v);
/* A closed port's refusal, read with n, the ports of that server the
 * client's address had probed by then (host_table_note_probe): a scan's
 * probe from SCAN_PORTS_MIN. */
#define SCAN_PORTS_MIN 3
void classify_revise_scan(struct verdict *v, unsigned n);
/* A client's refusal of a late SYN-ACK (RULE_SYN_ACK_AFTER_CLIENT_GAVE_UP),
 * read with the client's latest completed connect (host_table_connected):
 * the attempt lost a race to it, if it fits. */
void classify_revise_race(struct verdict *v, const struct host_handshake *won);

/*
 * The RST answered an untranslated segment of another connection
 * (nat_twin_find's note), or came on a connection whose side it was sent
 * from such a RST had reset before (r): judged again (nat_twin.h).
 */
void classify_revise_untranslated(struct verdict *v, const struct nat_twin_note *note);

/* A first retransmission of unacknowledged data comes within this: RFC
 * 6298 2.1's initial RTO is 1 s, and after a measured round trip the RTO is
 * seconds at most unless that round trip was. */
#define RETRANSMISSION_DUE_NS (3 * 1000000000LL)

/* Sooner than a round trip over anything but a LAN: a close this soon
 * after a segment waited for no answer, or reacted to that segment. */
#define FAST_CLOSE_NS 1000000

/* The fewest retransmissions of a segment after which a stack resets on
 * its own: Windows' TcpMaxDataRetransmissions default (Microsoft's TCP/IP
 * registry reference); of a FIN, Apple's (RETRANS_FIN_GIVE_UP_MIN). */
#define RETRANS_GIVE_UP_MIN 5
/* The BSDs' and XNU's: TCP_MAXRXTSHIFT, after which tcp_timer_rexmt drops
 * the connection with a RST (tcp_drop). */
#define RETRANS_BSD_GIVE_UP 12
/* Apple's XNU drops a connection whose FIN went unacknowledged through 3
 * retransmissions when the socket has TCP_RXT_FINDROP (bsd/netinet/
 * tcp_timer.c, TCPT_REXMT: t_rxtshift >= 4 with TF_SENTFIN; tcp_drop
 * sends the RST), and Apple's Network framework sets that option on its
 * connections (nw_socket_set_bidirectional_tcp_sockopts), which
 * URLSession's are: an iPhone's or a Mac's client gives up a FIN so. */
#define RETRANS_FIN_GIVE_UP_MIN 3

/* An application's reaction to a close it was waiting on: woken, it reads
 * the end and closes in a few milliseconds; this is ten times what the
 * corpus's wow.pcap shows (a Windows client's FIN 1.9 and 2.0 ms after
 * the server's), and a hundredth of the silence the FIN must end. */
#define FIN_REACTION_NS 10000000

/* An application's reaction to a request it read: parsed and decided in
 * well under a millisecond (the hold-out's nginx return 444 aborted 0.3
 * and 0.5 ms after the request; a relay's give-up on a refused upstream,
 * 0.6 ms), tens of milliseconds on a loaded server. A listener closing
 * with the connection still queued waits for something else (a restart, a
 * worker recycled: 0.44 to 1.14 s after the request in the lab and the
 * hold-outs). classify.c's unread_rival reads a wait beyond this, and a
 * round trip, as no reaction to the data. */
#define REQUEST_REACTION_NS 100000000

/* RFC 8305 5: a Connection Attempt Delay above 2 s is not used: a client
 * racing connections starts its next attempt within 2 s of one. */
#define RACING_DELAY_MAX_NS (2 * 1000000000LL)
/*
 * No stack or client library gives up connecting this soon: the kernel's
 * first SYN retransmission waits a second (RFC 6298 2.1; Linux
 * TCP_TIMEOUT_INIT), and connect timeouts are set in seconds or hundreds
 * of milliseconds.
 */
#define CONNECT_GIVE_UP_MIN_NS 100000000

/* A burst of RSTs on this many connections is one worth saying: all at once. */
#define BURST_MIN 3
#define BURST_NONE INT32_MIN
/* Whether v is an abort a burst would explain (its sender's own, active). */
bool classify_burst_matters(const struct verdict *v);
/* The burst v is part of (rst_bursts_get's), if it is one worth saying. */
void classify_revise_burst(struct verdict *v, const struct rst_burst *b);
void classify_revise_after_untranslated(struct verdict *v, const struct nat_twin_reset *r);
/*
 * At its report, a RST whose sender's address numbers its packets on one
 * IPv4 ID counter with many other addresses (host_table_shared_ids, and
 * the profile's ids_shared) came from the box that sends for them all:
 * origin middlebox, whatever TTL comparison said before.
 */
void classify_revise_shared_ids(struct verdict *v, const struct host_profile *host);

/* idle-timeout: the silence the middlebox timed out on, before the segment
 * the RST answers, or before the RST when it came unprompted; -1 if unmeasured. */
static inline int64_t verdict_middlebox_idle_ns(const struct verdict *v)
{
	return v->trigger.frame ? v->trigger_gap_ns : v->idle_before_ns;
}

/* What shows that the RST's peer had data the sender never read. */
enum unread_sign {
	UNREAD_NONE,
	UNREAD_BODY_DUE,            /* a request's body still arriving (Content-Length) */
	UNREAD_REQUESTS,            /* more HTTP requests than responses */
	UNREAD_WINDOW_FULL,         /* the sender advertised a zero window */
	UNREAD_WINDOW_SHORT,        /* its last window had no room for another segment */
	UNREAD_WINDOW_FREED,        /* its RST offered the room its close freed */
	UNREAD_PEER_CLOSED,         /* the peer's FIN came after its data */
	UNREAD_NEVER_ANSWERED,      /* the sender never sent data of its own */
	UNREAD_ARRIVING,            /* data beyond what the RST acknowledges */
	UNREAD_TLS_HANDSHAKE,       /* the rest of a server's TLS flight, after the client's
				       fatal alert */
	UNREAD_NOT_TLS,             /* a TLS client's ClientHello answered in another protocol
				       (an HTTP server's error): the rest of that answer,
				       after the record header it failed on */
	UNREAD_CLOSING_ALERT,       /* the peer's TLS closing alert, its last record, after
				       the sender's own last data */
	UNREAD_CLOSING_ALERTS,      /* ... and then the sender's own closing alert, which
				       a TLS library sends without reading the peer's */
};
/* The RST acknowledges the FIN of a peer that sent no data on a connection
 * seen from its handshake: the sender aborted at the end of the stream,
 * with nothing unread and no answer to wait for (classify.c's
 * abortive_close has the sources). */
static inline bool classify_abort_at_peer_eof(const struct verdict *v)
{
	return v->b.bytes == 0 && !v->midstream && (v->rst.flags & TCP_ACK) &&
	       (v->b.flags & HALF_F_FIN) && v->rst.ack == v->b.fin_seq + 1;
}
/* A's abort within FAST_CLOSE_NS of B's data that answered all A had sent,
 * the RST acknowledging it to its end: a reaction to that answer, read. */
bool classify_abort_reacting_to_answer(const struct verdict *v);
/* The RST's peer's last TLS record was its closing alert (close_notify,
 * user_canceled, or an encrypted alert in that place). */
bool classify_peer_closing_alert_last(const struct verdict *v);
/* ... and the RST's sender then answered it with its own closing alert,
 * its last record. */
bool classify_closing_alerts_both(const struct verdict *v);
/* The sign that decided unread-recv-buffer, from v's facts (UNREAD_NONE: none). */
enum unread_sign classify_unread_sign(const struct verdict *v);
/* The RST's sender runs FreeBSD (its SYN's options say so), whose close
 * discards unread data and sends a FIN. */
bool classify_sender_flushes_unread(const struct verdict *v);
/* The RST's sender may run Linux: its SYNs named no other stack, and its
 * TTLs did not begin above Linux's 64 (Windows starts at 128). */
bool classify_may_run_linux(const struct verdict *v);

/* The RST's peer on the capture's own link: its packets arrive with the
 * TTL they left with (one TTL, an initial one), so every segment it sent
 * passes the capture point. */
bool classify_peer_on_link(const struct verdict *v);
/* A closed within FIN_REACTION_NS (and a round trip) of B's FIN, which
 * came alone after a second's silence: A's application reacted to the
 * close, which a read learns of only once it has read all before it
 * (classify.c has the sources). */
bool classify_close_reacting_to_peer_fin(const struct verdict *v);
/* With nothing of the RST's peer captured: the peer's bytes the sender's
 * acknowledgments (and the RST's) show it took, from its first ack on. */
uint32_t classify_unseen_peer_bytes(const struct verdict *v);
/* The RST acknowledges beyond the sender's last ACK: data still arriving. */
bool classify_rst_acks_further(const struct verdict *v);

/* The wire form of a RST given both halves and the segment it answers
 * (find_trigger's; frame 0 none). */
/* A's segments, all the capture holds of it, were keep-alive probes one
 * below the RST p (a capture begun while A probed: classify.c). */
bool classify_probes_before_rst(const struct tcp_half *a, const struct tcp_half *b,
				const struct pkt *p);
enum rst_form classify_form(const struct pkt *p, const struct tcp_half *a, const struct tcp_half *b,
			    const struct seg_note *trigger);

/*
 * The frames that support verdict v, each once, in frame order, as a
 * reader follows them in Wireshark. Returns how many were written to out.
 */
int verdict_evidence(const struct verdict *v, struct evidence out[VERDICT_MAX_EVIDENCE]);

#endif
