/*
 * flow: one tracked 4-tuple, and the connection on it now.
 *
 * struct flow has three owners, one part each:
 *   - the table part (key, hash, pool index, age list, finish time) is
 *     flow_table's, which alone writes it; it ages flows by the
 *     connection's last_ts, which it reads;
 *   - pending_rsts is the verdict queue's (its RSTs still waiting);
 *   - the connection part (struct connection: handshake, both halves, the
 *     HTTP notes) is tcp_track's, which fills it from segments. The judge
 *     and the reports only read it.
 * A new connection on a tuple, whether the tuple is new or reused, starts
 * with flow_start_connection(), the one place that initialises that part,
 * except a new tuple's bare SYN: tcp_track only records it (syn_only, in
 * struct connection) and starts the connection from that record when a
 * second packet comes (tcp_track_unfold_syn).
 *
 * One struct tcp_half per direction (Suricata's TcpStream idea), indexed
 * by the endpoint that sends it (0 = the key's first endpoint).
 */
#ifndef RSTDIAG_FLOW_H
#define RSTDIAG_FLOW_H

#include <stdbool.h>
#include <stdint.h>

#include "first_bytes.h"
#include "http.h"
#include "packet.h"

/* Normalised 4-tuple, in its tunnel context: endpoint 0 is the lower
 * (address, port), so both directions of a connection find the same entry. Padding is explicit and
 * zeroed, because the key is hashed and compared as bytes. */
struct flow_key {
	uint8_t addr[2][16];
	uint16_t port[2];
	uint8_t ipver;
	uint8_t pad;
	uint16_t tunnel;            /* the tunnel context (tunnel_table.h); 0: none */
};

/* What one side has done, as seen from its own segments. */
enum half_state {
	HALF_UNSEEN,        /* nothing sent yet */
	HALF_SYN_SENT,
	HALF_SYN_ACK_SENT,
	HALF_OPEN,          /* sent data or ACKs after (or without) a handshake */
	HALF_FIN_SENT,
	HALF_FIN_ACKED,     /* its FIN was acknowledged by the peer */
	HALF_RESET,         /* it sent a RST */
	HALF_STATE_COUNT
};
const char *half_state_name(enum half_state s);

/* One remembered segment. */
struct seg_note {
	uint64_t frame;     /* 0: none */
	int64_t ts_ns;
	uint32_t seq, ack, len;
	uint16_t window;
	uint8_t flags, ttl;
};

/* The sequence space a noted segment took: its data, SYN and FIN (as pkt_seq_len). */
static inline uint32_t note_seq_len(const struct seg_note *n)
{
	return n->len + ((n->flags & TCP_SYN) ? 1u : 0u) + ((n->flags & TCP_FIN) ? 1u : 0u);
}

enum {
	HALF_F_SEEN = 1 << 0,       /* sent at least one segment */
	HALF_F_ISN = 1 << 1,        /* its SYN was seen: base_seq is the ISN */
	HALF_F_ACK = 1 << 2,        /* ack is valid */
	HALF_F_FIN = 1 << 3,        /* sent a FIN */
	HALF_F_FIN_ACKED = 1 << 4,  /* the peer acknowledged that FIN */
	HALF_F_WSCALE = 1 << 5,     /* its SYN carried a window scale */
	HALF_F_FASTCLOSE = 1 << 6,  /* it sent MPTCP's MP_FASTCLOSE (RFC 8684 3.5) */
	HALF_F_PROBING = 1 << 7,    /* its last segment was a keep-alive probe */
};

/*
 * Where a RST's sequence number fell against what its peer had
 * acknowledged before it: whether the peer took it (RFC 9293 3.10.7.4: a
 * RST is valid only if its sequence number is in the window; RFC 5961
 * 3.2: a RST resets only at exactly RCV.NXT, and one elsewhere in the
 * window draws a challenge ACK). The peer's RCV.NXT when the RST arrived
 * was at least the highest ack it had sent before the RST passed the
 * capture point, wherever that point stood on the path (the ack left the
 * peer before the RST reached it): a RST below it was below for certain
 * (tcp_track_rst_take says what else the capture decides). A record
 * says it of its own RST; tcp_track keeps the connection's first RST's
 * for its follow-ups.
 */
enum rst_take {
	RST_TAKE_UNKNOWN,       /* no ack of the peer's seen, or the capture cannot tell */
	RST_TAKE_BELOW,         /* below the peer's ack: outside its window, taken by no stack */
	/* One below the ack that took the sender's FIN: Linux since 2017
	 * takes it in CLOSE-WAIT, LAST-ACK and CLOSING (tcp_reset_check in
	 * net/ipv4/tcp_input.c, for peers that reset at their FIN's own
	 * number); FreeBSD, macOS, Windows and older Linux drop it. */
	RST_TAKE_AFTER_FIN,
	RST_TAKE_EXACT,         /* at the peer's next number: taken */
	RST_TAKE_ABOVE,         /* beyond all the sender had sent: not the peer's next number
				   (a challenge ACK, or dropped beyond the window) */
	RST_TAKE_COUNT
};
/* In connection.first_rst_take, added to BELOW or AFTER_FIN: a later RST
 * of the same sender's was exact where the first was not. */
#define RST_TAKE_TAKEN_LATER 4

/* tcp_half's wscale when its SYN's options say nothing of its windows'
 * scale: cut by the snaplen (WSCALE_CUT), or without an MSS option, which
 * every stack's SYN carries (RFC 9293 3.7.1, RFC 6691): a raw socket's
 * crafted SYN (WSCALE_NO_MSS). */
#define WSCALE_CUT 0xfe
#define WSCALE_NO_MSS 0xff

struct tcp_half {
	struct seg_note last;       /* the last segment it sent */
	int64_t fin_ts, rst_ts;
	uint64_t data_frame;        /* its last segment with payload */
	uint64_t fin_frame, rst_frame;
	uint64_t bytes;             /* new payload, retransmissions excluded */
	/* Counters saturate: 4 bytes a counter keep two halves and the rest of
	 * a flow within its budget (496 bytes with its age links, flow_table.c). */
	uint32_t pkts;
	uint32_t base_seq;          /* ISN if seen, else first seq seen (relative numbering);
				       while the half is unseen, the peer's first ack */
	uint32_t next_seq;          /* highest seq + length sent (its snd_nxt as seen) */
	uint32_t ack;               /* highest ack it sent */
	uint32_t fin_seq;           /* sequence number of its FIN */
	uint32_t retrans;           /* segments resending data or a FIN already sent */
	uint16_t keepalives;        /* keep-alive probes (RFC 9293 3.8.4) */
	uint16_t zero_windows;      /* segments advertising a zero window */
	uint16_t http_requests;     /* HTTP/1.x requests it sent (pipelined ones counted) */
	uint16_t http_responses;    /* HTTP/1.x responses it sent */
	uint16_t ip_id;             /* last IPv4 ID */
	uint8_t ttl_min, ttl_max;   /* of its segments but RSTs; min > max: none yet */
	uint8_t wscale;             /* its SYN's window scale shift (HALF_F_WSCALE), 0 for a
				       SYN without one, or WSCALE_CUT, WSCALE_NO_MSS */
	uint8_t state : 3;          /* enum half_state */
	/* A cooked capture (tcpdump -i any) saw one of its segments leave the
	 * capturing host (pkt.outgoing); 0: all arrived there, or the capture
	 * does not say. A RST leaving the capturing host in the name of a side
	 * whose segments only ever arrived there was that host's own
	 * (classify.c, sent_here). */
	uint8_t out_seen : 1;
	/* A segment of its HTTP requests went on past the snaplen after the
	 * last request counted in it: http_requests is a lower bound. */
	uint8_t http_requests_cut : 1;
	/* Copies the capture held of its last segment, saturating at 3: a
	 * capture that doubles packets (a SPAN of both ports of a link, a
	 * bridge's two ports) shows the peer's last segment twice, and a RST
	 * answering it twice too (tcp_track_copy_of_last). */
	uint8_t last_copies : 2;
	/* Its last segment sent again data it had sent before, or its FIN
	 * (tcp_track.c, track_sequence): its ack is the one it had when it
	 * resent, not when the data was written. */
	uint8_t last_resent : 1;
	uint8_t flags;              /* HALF_F_* */
	uint8_t syn_retrans : 7;    /* its SYN (or SYN-ACK) sent again (saturates at 127) */
	/* Its third segment's IPv4 ID lay within IDS_BOTH_NEAR of the peer's
	 * last (pipeline.c, note_ids_both): two counters that started close
	 * stay so, where one program's numbering of both sides may begin
	 * later in a connection (classify.c, ids_both_by_chance). */
	uint8_t ids_near_peer : 1;
};

/* The incarnation a new SYN replaced on the same tuple (for timewait-reuse):
 * there was one when the connection's incarnation is above 0. Its two
 * one-byte facts are the connection's prev_ fields, which fill a hole
 * this struct's padding would otherwise take (flow_table.c's budget). */
struct flow_prev {
	int64_t end_ts;             /* its last packet */
	uint32_t next_seq[2];
};

/* The start of an HTTP/1.x request: enough to name it in a verdict. */
struct http_note {
	uint64_t frame;             /* 0: none seen */
	uint32_t seq;               /* its first byte, to see whether the peer acknowledged it */
	uint32_t body_end;          /* where its body ends (Content-Length), if has_body */
	int8_t dir;                 /* endpoint that sent it */
	uint8_t method;             /* index into http_method_name() */
	uint8_t connection;         /* enum http_connection: its Connection header */
	bool has_body;              /* it declared a body of Content-Length bytes */
	char target[HTTP_TARGET_MAX];   /* NUL-terminated, cut to fit */
};

/* The last HTTP/1.x (or RTSP) response header seen: its status and what
 * it said about keeping the connection (the server's announced idle
 * timeout) or, in RTSP, the session. */
struct http_response_note {
	uint16_t status;            /* 0: none seen */
	uint16_t keepalive_s;       /* Keep-Alive: timeout=N, 0 if absent */
	int8_t dir;                 /* endpoint that sent it */
	uint8_t connection;         /* enum http_connection */
	uint16_t session_timeout_s; /* RTSP's Session: ...;timeout=N, 0 if absent */
};
/* How far a TLS handshake went (track_tls). */
enum tls_stage {
	TLS_STAGE_NONE,             /* no ClientHello seen */
	TLS_STAGE_CLIENT_HELLO,     /* the client's hello, nothing of the server's */
	TLS_STAGE_SERVER_HELLO,     /* the server's flight began (ServerHello) */
	TLS_STAGE_ESTABLISHED,      /* application data flowed */
};

/* What the connection's TLS records showed in clear. The server name is
 * in the request note's target (struct http_note), which a TLS request
 * record leaves as it is: one model of request for HTTP and TLS. */
struct tls_note {
	uint8_t version : 3;        /* the ServerHello's chosen, as 0x03XX's XX + 1 (0 none:
				       tls_note_version() gives the wire value) */
	uint8_t offered : 3;        /* the ClientHello's highest offered, likewise */
	uint8_t stage : 2;          /* enum tls_stage */
	uint8_t alpn : 2;           /* enum tls_alpn: chosen, else the client's first offer */
	uint8_t alert_from : 2;     /* enum role + 1 of the last alert record's sender; 0 none */
	uint8_t alpn_chosen : 1;    /* alpn is the server's choice */
	uint8_t ccs_once : 1;       /* one ChangeCipherSpec record seen: the next ends the
				       handshake (TLS 1.2's second, or 1.3's compatibility one
				       from the client) */
	uint8_t alert_last : 1;     /* the alert was its sender's last record: a segment of
				       that one record alone, and no record from it since */
	uint8_t alert_both : 1;     /* the side that did not send the last alert sent one
				       before it, its last record then */
	uint8_t alert;              /* its description + 1 when in clear; TLS_ALERT_ENCRYPTED */
};
enum tls_alpn { TLS_ALPN_NONE, TLS_ALPN_H2, TLS_ALPN_HTTP11, TLS_ALPN_OTHER };
#define TLS_ALERT_ENCRYPTED 255     /* an alert record whose content is encrypted */
/* The wire value (0x0303 for TLS 1.2) of a tls_note version, 0 none. */
static inline uint16_t tls_note_version(uint8_t v)
{
	return v ? (uint16_t)(0x0300 + v - 1) : 0;
}

/* A silence at least this long before a close makes it a timeout's (the
 * keep-alive timeouts of idle_defaults.c are seconds), not the closer's
 * own end of the exchange right after its last message. */
#define TIMEOUT_SILENCE_MIN_NS 100000000

/* The server chose HTTP/2 (RFC 7301): the connection's records are h2
 * frames, so a small one before the close is its GOAWAY. */
static inline bool tls_note_h2(const struct tls_note *t)
{
	return t->alpn == TLS_ALPN_H2 && t->alpn_chosen;
}

/* Who an endpoint is: the side that sent the SYN is the client. */
enum role { ROLE_UNKNOWN = -1, ROLE_CLIENT = 0, ROLE_SERVER = 1 };
const char *role_name(enum role r);
/* The other side's role (unknown stays unknown). */
static inline enum role role_peer(enum role r)
{
	return r == ROLE_CLIENT ? ROLE_SERVER : r == ROLE_SERVER ? ROLE_CLIENT : ROLE_UNKNOWN;
}
/* "client" or "server" in a sentence; `unknown_as` ("sender", "peer") when unknown. */
const char *role_word(enum role r, const char *unknown_as);

/* What the connection now on a tuple has done (tcp_track's). */
struct connection {
	/* The flags read on every segment take a byte each; the others a bit,
	 * so that the table part's padding does not push a flow past its
	 * budget (flow_table.c). */
	bool synack, established;            /* handshake progress, with syn */
	bool finished;                       /* both FINs, or a RST */
	bool syn : 1;
	bool midstream : 1;                  /* the first segment seen was not a SYN */
	bool role_guessed : 1;
	bool after_evictions : 1;            /* began midstream once --max-flows had forgotten
						connections: may be one of them */
	bool farewell : 1;                   /* the last data segment came after the longest
						silence so far (at least TIMEOUT_SILENCE_MIN_NS), from
						the side that had sent the data before it too, or
						crossing the other side's: unprompted, as a
						server's goodbye on an idle timeout */
	bool data_after_longest : 1;         /* the last data segment came after the longest
						silence so far (at least TIMEOUT_SILENCE_MIN_NS) */
	bool syn_only : 1;                   /* a new tuple's bare SYN, recorded and not yet
						tracked: only this bit, client, last_ts and
						the client's half's last, ip_id, wscale and
						flags hold anything (tcp_track_record_syn).
						Nothing but tcp_track and the release reads
						such a connection (connection_ended) */
	bool prev_ended_by_rst : 1;          /* the incarnation before (prev) ended with a RST */
	int8_t client;                       /* endpoint that sent the SYN, -1 unknown */
	int8_t first_closer;                 /* endpoint that sent the first FIN or RST */
	int8_t run_dir;                      /* endpoint whose run run_first belongs to */
	int8_t last_data_dir;                /* endpoint that sent the last data, -1 none
						(a whole byte: read on every data segment) */
	uint16_t incarnation : 11;           /* 0 for the first on this tuple (saturates at
						INCARNATION_MAX) */
	uint16_t goodbye : 3;                /* enum first_bytes_goodbye: goodbye_from's side
						sent its service's last words (its server
						ends the session after them) */
	uint16_t goodbye_from : 2;           /* endpoint + 1 that sent them; 0 none */
	uint8_t pkts : 2;                    /* saturates at 3: only "none", "one", "more" are
						read */
	uint8_t refusal : 3;                 /* enum first_bytes_refusal: a side's first data
						was a refusal of the connection */
	uint8_t refusal_from : 2;            /* endpoint + 1 that sent it; 0 none */
	/* Data of the other side's came after data_before_close's side's last
	 * without acknowledging all of it (tcp_track.c): close_idle_ns, from
	 * the closer's own last segment, may then be far shorter than its wait
	 * since its data. Not cleared by its later data: a wait not stated is
	 * a loss of detail, not a falsehood. */
	bool data_unanswered_reply : 1;
	int8_t prev_first_closer : 2;        /* of the incarnation before (prev): endpoint that
						sent its first FIN or RST, -1 none */
	bool prev_one_fin : 1;               /* ... that closer's FIN alone: the other side
						never closed (it was in CLOSE_WAIT) */
	bool syn_resent_early : 1;           /* the client sent its SYN again before the first
						SYN-ACK: which SYN that answers is unknown */
	bool farewell_closed : 1;            /* the first FIN came within FAREWELL_CLOSE_MAX
						of its sender's farewell (tcp_track.c): close_idle_ns
						is the silence before that farewell */
	uint8_t first_rst_take : 3;          /* enum rst_take of its first RST, either side's,
						plus RST_TAKE_TAKEN_LATER once a later one of
						its sender's took where it had not */
	struct tls_note tls;
	uint8_t app : 4;                     /* enum first_bytes_app its first payloads named */
	uint8_t quit_from : 2;               /* endpoint + 1 whose last data segment was a text
						protocol's QUIT or LOGOUT (first_bytes_quit);
						0 none */
	uint8_t data_before_close : 2;       /* endpoint + 1 that sent the last new data
						before the first FIN or RST, a lone TLS
						alert aside; 0 none */
	int64_t last_ts;                     /* its last packet (expiry reads it) */
	int64_t active_ts;                   /* its last packet but TCP keep-alive probes and
						their ACKs: idle times are read from it (an
						application's idle timer does not see probes) */
	int64_t max_gap_ns;                  /* longest silence between two of its packets */
	int64_t close_idle_ns;               /* silence before the first FIN or RST. Before it,
						negative: -1, or while a farewell is pending
						(farewell), -1 minus the silence that farewell
						ended (its crossing data's included), which
						the close then reads: the connection's room is
						spent (flow_table.c), and the two never coexist */
	int64_t syn_ts, synack_ts, hs_ack_ts; /* handshake times at the capture point; 0 unseen */

	struct tcp_half half[2];
	/* The first segment with data, SYN or FIN in the current run (what one
	 * side sent since the other last answered: sent sequence space or
	 * acknowledged something new; frame 0 if none yet). A RST answers the
	 * earliest such segment it refers to. */
	struct seg_note run_first;
	struct flow_prev prev;
	/*
	 * Each endpoint's fastest answer, in ns (0: none yet): the least time
	 * from the other side's last segment, when it took sequence space
	 * (data, SYN or FIN), to this side's segment that acknowledges it and
	 * ends the other side's run, both at the capture point
	 * (tcp_track.c, note_answer). The handshake's legs are the first
	 * two; RSTs are never one. Each answer is at least the round trip
	 * between the capture point and the answering side, so their least
	 * bounds how soon that side can answer anything (classify.c, timing).
	 */
	uint32_t answer_ns[2];
	struct http_note request;            /* the last HTTP request line seen */
	struct http_response_note response;  /* the last HTTP response header seen */
};

_Static_assert(FIRST_BYTES_COUNT <= 16, "struct connection keeps an app in 4 bits");
_Static_assert(REFUSAL_COUNT <= 8, "struct connection keeps a refusal in 3 bits");
_Static_assert(GOODBYE_COUNT <= 8, "struct connection keeps a goodbye in 3 bits");
#define INCARNATION_MAX 2047    /* struct connection's incarnation: 11 bits */
_Static_assert(HALF_STATE_COUNT <= 8, "struct tcp_half keeps a state in 3 bits");

struct flow {
	/* The table part: flow_table's. */
	struct flow_key key;
	uint32_t hash;
	uint32_t self;                       /* pool index: slab and place (flow_table.c) */
	uint8_t list;                        /* which age list it is on */
	/* The verdict queue's: its RSTs waiting in the look-ahead (saturates),
	 * and the newest one's place (verdict_queue.c), in the padding. */
	uint8_t pending_rsts;
	/* Under which keys the flow is in the table's index of SYN senders (1
	 * << enum syn_index), and its SYN's sender (in the padding;
	 * flow_table.c). */
	uint8_t by_syn_end;
	int8_t syn_end;
	uint32_t newest_rst;
	int64_t listed_ts;                   /* FINISHED or PROVISIONAL: the run's clock when
						it joined that list (flow_table.c) */
	/* The connection part: tcp_track's. */
	struct connection conn;
};

/* Role of endpoint e: client, server or unknown. */
static inline enum role flow_role(const struct flow *f, int e)
{
	if (f->conn.client < 0)
		return ROLE_UNKNOWN;
	return f->conn.client == e ? ROLE_CLIENT : ROLE_SERVER;
}

/*
 * Starts a new connection on f's tuple at time now: its connection part
 * cleared, no roles, no close yet. The table part and pending_rsts stay.
 */
void flow_start_connection(struct flow *f, int64_t now);

#endif
