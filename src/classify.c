/*
 * classify: the judgement of each RST (see classify.h).
 *
 * First the wire facts: the RST's form, the segment it answers, the state
 * of both sides, the measured silences, and whether its TTL and timing fit
 * the sender's own packets. Then the rules of the table `rules`, each named
 * for the situation it tests and tried from the most specific to the
 * least; the first that fits sets the cause, its detail, the confidence
 * and the runner-up. The words for all of it are explain.c's.
 */
#include "classify.h"

#include <string.h>

#include "addr_scope.h"
#include "seq.h"
#include "tcp_track.h"
#include "tls.h"

/* The look-ahead holds up to VERDICT_QUEUE_MAX verdicts at once: facts, no text, kept small. */
/* The settle queue holds up to VERDICT_QUEUE_MAX of them (man page, FLOWS
 * AND MEMORY): growing one grows that bound. */
/* 576 bytes until nat_twin_note (48) came, 640 until the peer's SYN-ACK
 * elsewhere (16): a record is copied twice on its way out. */
_Static_assert(sizeof(struct verdict) <= 672, "a verdict is at most 672 bytes");

/*
 * A capture begun while A was probing: everything of A's it holds sits at
 * one sequence number, no data or one byte of it (Windows' probes carry
 * one), and A's RST+ACK comes one above. A keep-alive probe is numbered
 * SND.NXT - 1 (RFC 9293 3.8.4; Linux's tcp_write_wakeup), and a socket's
 * own abort SND.NXT: those segments were probes, and the RST their
 * sender's give-up (Linux's tcp_keepalive_timer sends it after
 * tcp_keepalive_probes; holdout10's HAProxy backend keep-alive, captured
 * from its second-to-last probe). Read only where nothing before the
 * capture is known (midstream, no SYN) and the tracker could not count
 * them: it saw no next sequence number to be one below (it counts
 * Windows' after the first, whose byte it took for data).
 */
bool classify_probes_before_rst(const struct tcp_half *a, const struct tcp_half *b,
				const struct pkt *p)
{
	return (p->flags & (TCP_ACK | TCP_SYN | TCP_FIN)) == TCP_ACK && !(b->flags & HALF_F_ISN) &&
	       (a->flags & (HALF_F_SEEN | HALF_F_ISN | HALF_F_FIN)) == HALF_F_SEEN &&
	       a->bytes <= 1 && a->next_seq - a->base_seq == a->bytes &&
	       p->seq == a->base_seq + 1;
}

/*
 * Linux builds a RST for a segment with no usable socket in
 * tcp_v4_send_reset(): if the segment had ACK, seq = its ack and no ACK
 * flag; otherwise RST+ACK with seq 0 and ack = its seq + length (RFC 9293
 * 3.10.7.1). A socket aborting on its own (tcp_send_active_reset) sends
 * RST+ACK with seq = snd_nxt.
 */
enum rst_form classify_form(const struct pkt *p, const struct tcp_half *a, const struct tcp_half *b,
			    const struct seg_note *trigger)
{
	const struct seg_note *t = &b->last;
	if (!(p->flags & TCP_ACK)) {
		/*
		 * A bare RST answers the segment whose ack it carries: the
		 * trigger find_trigger found by that number, the first of B's
		 * run whatever B sent since (the corpus's
		 * arkime/https2-301-get.pcap 21: the reply to the server's
		 * alert, its FIN and ACK of the client's FIN after it). Failing
		 * that, B's last segment by its ack: one A had already answered,
		 * at A's own next sequence number too, answers nothing seen and
		 * may as well be A's own abort, neither form (signal.pcap 168,
		 * 13 s after the last exchange). Below A's next sequence number
		 * it can only answer a copy of B's segment (a retransmission not
		 * captured), and B's last being a RST, never answered, the reply
		 * is to B's segments before it, which carried the same ack
		 * (ethereum.pcap 1437-1446): replies both.
		 */
		if (trigger->frame)
			return FORM_REPLY;
		/* At A's FIN's own number: a socket past its FIN sends from
		 * the number after it (tcp_send_active_reset: snd_nxt), so the
		 * RST answers a segment of B's sent before B had that FIN,
		 * whose ack was that number, when B went on (more data, its
		 * FIN) before the RST came back and which it answers is not
		 * known (ethereum.pcap 199 and 1222, sites.pcapng 602), or with
		 * that segment not captured (ocs.pcap 87). */
		if ((a->flags & HALF_F_FIN) && p->seq == a->fin_seq)
			return FORM_REPLY;
		/* B's last a RST without ACK (none to compare), after
		 * segments that carried B's highest ack: the reply is to one
		 * of those (ethereum.pcap 1863-1868, the server's answers to
		 * the client's data sent before the client's RST 1807). */
		if (t->frame && (t->flags & TCP_RST) && !(t->flags & TCP_ACK) &&
		    (b->flags & HALF_F_ACK) && p->seq == b->ack)
			return FORM_REPLY;
		if (!t->frame || !(t->flags & TCP_ACK) || p->seq != t->ack)
			return FORM_OTHER;
		if (!(t->flags & TCP_RST) && (a->flags & HALF_F_SEEN) && p->seq == a->next_seq)
			return FORM_OTHER;
		return FORM_REPLY;
	}
	if (p->seq == 0 && t->frame && !(t->flags & TCP_ACK) && p->ack == t->seq + note_seq_len(t))
		return FORM_REPLY;
	/*
	 * A SYN carries no ACK to copy, so a refusal's sequence number says
	 * nothing: RFC 9293 3.10.7.1, Linux (tcp_v4_send_reset) and FreeBSD
	 * (tcp_dropwithreset) send 0, while other stacks and firewall rejects
	 * put another value there. Its ack, the SYN's sequence number plus
	 * one, is what answers it, unless its seq is A's own next one: then
	 * A had answered the SYN (a SYN-ACK) and aborts that connection.
	 */
	bool own_seq = (a->flags & HALF_F_SEEN) && p->seq == a->next_seq;
	if (t->frame && (t->flags & (TCP_SYN | TCP_ACK)) == TCP_SYN && p->ack == t->seq + 1 &&
	    !own_seq)
		return FORM_REPLY;
	if ((a->flags & HALF_F_SEEN) && p->seq == a->next_seq)
		return FORM_ACTIVE;
	/* After probes numbered one below: the prober's own, at SND.NXT. */
	if (classify_probes_before_rst(a, b, p))
		return FORM_ACTIVE;
	/*
	 * A connecting socket's own abort: Linux's tcp_send_active_reset
	 * numbers it with tcp_acceptable_seq(), which is snd_una + snd_wnd
	 * when snd_nxt lies past that window's end, and before a SYN-ACK the
	 * window is 0: seq the ISN, not the ISN + 1 a next sequence number
	 * would be, and ack 0 (rcv_nxt, nothing received) with ACK set (the
	 * corpus's ndpi/alexa-app.pcapng 2573, an Android client 127 s after
	 * its first SYN).
	 */
	if ((p->flags & TCP_ACK) && p->ack == 0 && (a->flags & HALF_F_ISN) &&
	    p->seq == a->base_seq && !(b->flags & HALF_F_SEEN))
		return FORM_ACTIVE;
	/*
	 * Nothing of A's before it to read its numbers against: a RST+ACK at
	 * a sequence number other than 0 and offering a window is a socket's
	 * own abort in shape. Replies to a segment without a socket are a
	 * bare RST, or RST+ACK with seq 0, and offer no window (Linux's
	 * tcp_v4_send_reset leaves th.window 0; FreeBSD's tcp_respond without
	 * a tcpcb likewise), where tcp_send_active_reset sends from snd_nxt
	 * with the receive window (the corpus's ndpi/cloudflare-warp.pcap 1,
	 * a capture's first packet; a review). A Windows host's abort in
	 * tor.pcap 262 offers none, so its form stays other.
	 */
	if (!(a->flags & HALF_F_SEEN) && (p->flags & TCP_ACK) && p->seq != 0 && p->window != 0)
		return FORM_ACTIVE;
	return FORM_OTHER;
}

/*
 * B's last segment, if the RST's numbers refer to it and A had not already
 * dealt with it: it came after A's last segment, or A's segments since did
 * not acknowledge it (at a client-side capture, a request that crossed the
 * server's FIN precedes that FIN).
 */
/* RST p's numbers answer segment t: a bare RST whose seq is t's ack (a
 * reply to a segment with ACK), or a RST+ACK acknowledging t. That is
 * only meaningful if t occupied sequence space, or had no ACK itself (a
 * scanner's NULL probe): any RST+ACK "acknowledges" a bare ACK before it. */
static bool numbers_answer(const struct pkt *p, const struct seg_note *t)
{
	if (!(p->flags & TCP_ACK))
		return (t->flags & TCP_ACK) && p->seq == t->ack;
	return (note_seq_len(t) > 0 || !(t->flags & TCP_ACK)) && p->ack == t->seq + note_seq_len(t);
}

static void find_trigger(const struct pkt *p, const struct tcp_half *a, const struct tcp_half *b,
			 const struct seg_note *b_run_first, const struct seg_note *late,
			 struct seg_note *out)
{
	const struct seg_note *t = &b->last;
	memset(out, 0, sizeof *out);
	if (!t->frame)
		return;
	/* Several segments of B's run may carry the ack a bare RST echoes
	 * (data, then FIN): the RST answers the first of them. Not when B's
	 * last is a copy of that first (a retransmission): a host answers a
	 * segment it has no connection for at once (RFC 9293 3.10.7.1), so
	 * the copies before drew no RST, and the RST answers the copy that
	 * came last (the corpus's ndpi/googledns_android10.pcap 68 follows
	 * the fifth copy of a FIN by 1 ms, the first by 1.8 s). */
	bool copies = b_run_first && b_run_first->frame != t->frame &&
		      t->seq == b_run_first->seq && note_seq_len(t) == note_seq_len(b_run_first);
	if (b_run_first && b_run_first->frame && !copies && !(p->flags & TCP_ACK) &&
	    (b_run_first->flags & TCP_ACK) &&
	    p->seq == b_run_first->ack) {
		*out = *b_run_first;
		return;
	}
	/* A's RSTs after its first answer B's later segments one each, in
	 * order (late_segments.h): the next not yet answered, when the
	 * numbers fit it (the corpus's ndpi/ethereum.pcap 242-251, each
	 * the same seq, answer 128-139 in turn). */
	if (late && late->frame != t->frame && numbers_answer(p, late)) {
		*out = *late;
		return;
	}
	/* A RST is never answered (RFC 9293 3.10.7.1: "an incoming segment
	 * containing a RST is discarded"): B's own, last, is no trigger (the
	 * corpus's ndpi/ethereum.pcap 1437-1446 answer the client's data
	 * before its RST 1314). */
	if (t->flags & TCP_RST)
		return;
	uint32_t t_end = t->seq + note_seq_len(t);
	/* A's own RST since is no answer to a reply: a closed socket answers
	 * each of B's segments in turn (the corpus's ndpi/sites.pcapng
	 * 602-604). An abort at A's own next sequence number answers nothing. */
	bool active = (p->flags & TCP_ACK) && (a->flags & HALF_F_SEEN) && p->seq == a->next_seq;
	bool a_answered = a->last.frame > t->frame && (!(a->last.flags & TCP_RST) || active) &&
			  (!(a->flags & HALF_F_ACK) || !seq_lt(a->ack, t_end) || note_seq_len(t) == 0);
	if (a_answered)
		return;
	if (numbers_answer(p, t))
		*out = *t;
}

static void side_from_half(struct side *s, const struct tcp_half *h)
{
	*s = (struct side){
		.fin_ts = h->fin_ts, .rst_ts = h->rst_ts,
		.data_frame = h->data_frame, .fin_frame = h->fin_frame, .rst_frame = h->rst_frame,
		.bytes = h->bytes, .pkts = h->pkts,
		.base_seq = h->base_seq, .next_seq = h->next_seq, .ack = h->ack, .fin_seq = h->fin_seq,
		.retrans = h->retrans, .keepalives = h->keepalives, .zero_windows = h->zero_windows,
		.http_requests = h->http_requests, .http_responses = h->http_responses,
		.ip_id = h->ip_id, .ttl_min = h->ttl_min, .ttl_max = h->ttl_max,
		.state = h->state, .flags = h->flags, .syn_retrans = h->syn_retrans,
		.http_requests_cut = h->http_requests_cut,
	};
}

static void copy_rst(struct verdict *v, const struct pkt *p)
{
	seg_note_from_pkt(&v->rst, p);
	v->file_frame = p->file_frame ? p->file_frame : p->frame;
	v->ipver = p->ipver;
	memcpy(v->src, p->src, sizeof v->src);
	memcpy(v->dst, p->dst, sizeof v->dst);
	v->sport = p->sport;
	v->dport = p->dport;
	v->ip_id = p->ip_id;
	v->tunnel_path = p->tunnel_path;
	v->mptcp = p->opts.mptcp;
	v->mptcp_reason = p->opts.mptcp_reason;
	v->mptcp_transient = p->opts.mptcp_transient;
	v->rst_data = p->rst_data;
}

/* ---- what every rule looks at ---- */

struct judge {
	const struct flow *f;
	const struct pkt *p;
	struct verdict *v;
	const struct tcp_half *ha, *hb; /* the flow's halves: A sent the RST */
	int dir;                    /* A's endpoint index in f */
	bool a_seen, b_seen;
	bool a_ttl;                 /* A sent a segment other than a RST: its TTLs are known */
	bool copy;                  /* a capture's second copy of A's last segment, a RST */
	const struct host_profile *host; /* A's address on its other connections; NULL none */
	bool ttl_step;              /* the RST's TTL is outside A's earlier range */
	bool too_fast;              /* it came sooner than A could have answered */
	bool sent_here;             /* the capturing host sent it, not A (classify_rst) */
	bool raw_syn;               /* A sent only a raw socket's SYN; the RST refuses the
				       SYN-ACK (raw_syn_refused) */
	/* What the rules say with the origin evidence set aside: a foreign
	 * RST's runner-up, A's own stack on a changed path. */
	enum cause endpoint_cause;
	int64_t capture_start;      /* the capture's first packet; 0 not known */
	bool ids_both_by_chance;    /* both sides' IDs on one counter is chance in this
				       capture (ids_both_by_chance) */
	bool own_side;              /* a crossed RST judged on its own side, the peer's RST
				       set aside (own_side_reading) */
};

/* The RST came from elsewhere than A: its TTL, its timing or the capture say so. */
static inline bool foreign(const struct judge *j)
{
	return j->ttl_step || j->too_fast || j->sent_here;
}

static bool decide(struct verdict *v, enum cause c, enum detail d, enum confidence conf,
		   enum cause runner_up)
{
	v->cause = (uint8_t)c;
	v->detail = (uint8_t)d;
	v->confidence = (uint8_t)conf;
	v->runner_up = (uint8_t)runner_up;
	return true;
}

#define NO_RUNNER_UP CAUSE_COUNT

/* The silence before B's segment that the RST answers (what a middlebox timed out on). */
static int64_t gap_before_trigger(const struct judge *j)
{
	const struct verdict *v = j->v;
	int64_t prev = j->ha->last.ts_ns;
	if (j->hb->last.frame && j->hb->last.frame != v->trigger.frame)
		prev = prev > j->hb->last.ts_ns ? prev : j->hb->last.ts_ns;
	return v->trigger.frame && prev ? v->trigger.ts_ns - prev : -1;
}

/* An application's wait, not a stack's turn: the least RTO (RFC 6298 2.4).
 * Unlike long_silence, no multiple of the round trip: an application's
 * timer does not grow with the path. */
#define WAIT_GIVEN_UP_MIN_NS 1000000000LL

/*
 * A pause long enough that something may have timed out: a second, and 20
 * RTTs. ns / 20 >= rtt is ns >= 20 * rtt without the product, which
 * overflows when a capture's times jump and the "RTT" is years.
 */
static bool long_silence(const struct judge *j, int64_t ns)
{
	int64_t rtt = j->v->rtt_ns;
	return ns >= WAIT_GIVEN_UP_MIN_NS && (rtt <= 0 || ns / 20 >= rtt);
}

/* B's segment the RST answers is a bare SYN. */
static bool answers_syn(const struct verdict *v)
{
	return v->trigger.frame && (v->trigger.flags & (TCP_SYN | TCP_ACK)) == TCP_SYN;
}

/* ---- the rules, most specific first ---- */

/* draft-boucadair-tcpm-rst-diagnostic-payload's "TCP Failure Causes":
 * codes 8 to 14 are the ones service functions (a CGN, a firewall, a
 * proxy) send; 14 is "Connection Timeout", a NAT's expired mapping. */
#define DIAG_SERVICE_FIRST 8
#define DIAG_SERVICE_LAST 14
#define DIAG_CONNECTION_TIMEOUT 14

static bool diag_code(const struct verdict *v, uint16_t lo, uint16_t hi)
{
	return v->rst_data.format == RST_PAYLOAD_DIAG_COMPACT && v->rst_data.enterprise == 0 &&
	       v->rst_data.code >= lo && v->rst_data.code <= hi;
}

/* The RST says why, in the draft's registry: a connection timeout. */
static bool diagnosed_timeout(struct judge *j)
{
	if (!diag_code(j->v, DIAG_CONNECTION_TIMEOUT, DIAG_CONNECTION_TIMEOUT))
		return false;
	return decide(j->v, CAUSE_IDLE_TIMEOUT, DETAIL_NONE, CONF_HIGH, NO_RUNNER_UP);
}

/*
 * Stacks build a RST as RST or RST+ACK and nothing else: Linux's
 * tcp_v4_send_reset and tcp_v6_send_reset set rst and, for a segment
 * without ACK, ack; FreeBSD's tcp_dropwithreset passes TH_RST or
 * TH_RST|TH_ACK to tcp_respond, and tcp_drop sends RST+ACK through
 * tcp_output (tcp_outflags[TCPS_CLOSED]); RFC 9293 3.10.7.1 gives only
 * those two forms. A RST that also carries SYN or FIN was crafted (a scanner's or
 * fuzzer's probe) or corrupted on the way: no cause is read from it.
 */
static bool flags_no_stack_sends(struct judge *j)
{
	if (!(j->p->flags & (TCP_SYN | TCP_FIN)))
		return false;
	return decide(j->v, CAUSE_UNKNOWN, DETAIL_NONE, CONF_LOW, NO_RUNNER_UP);
}

/*
 * RFC 9293 3.10.7: a reset connection answers later segments with RSTs too.
 * But a RST is never answered with one (3.10.7.1-3: an incoming RST is
 * discarded), and a stack that took the peer's RST has no connection left:
 * it answers a later segment in reply form (Linux's tcp_v4_send_reset,
 * FreeBSD's tcp_dropwithreset: no ACK flag, or seq 0). A RST+ACK with the
 * sender's own numbers after the peer's RST left before that RST reached
 * it: the sender's own abort, crossing the peer's (the corpus's
 * arkime/smtp-decrypted.pcap, 37: the client's RST+ACK 17 us after the
 * server's RST, its timestamp echo older than that RST). Still part of
 * the incident the first RST began (TAXONOMY: a RST after an earlier RST
 * in the flow, linked to the first, so one incident is counted once),
 * with the detail crossed: it answers nothing. What the sender's own side
 * shows, judged with B's RST set aside, is the runner-up: two reviews of
 * corpus verdicts read these two ways (ndpi/zattoo.pcap 11 and 32 a
 * follow-up; ndpi/zoom.pcap 277 the server's own linger-abort, as its
 * sister connection's 261, captured first, is).
 */
static enum cause own_side_reading(const struct judge *j);

static bool after_earlier_reset(struct judge *j)
{
	struct verdict *v = j->v;
	bool crossed = !v->a.rst_frame && v->b.rst_frame && !j->copy &&
		       (v->rst.flags & TCP_ACK) && v->form == FORM_ACTIVE;
	if (crossed && j->own_side)
		return false;
	/* A reply to a segment B sent before its RST: that segment reached
	 * A first (one path, in order), and A answered it before B's RST
	 * could arrive. Not B's RST's follow-up: A's own, judged on its own
	 * (the corpus's ethereum.pcap 1863, 68 ms after the client's RST
	 * 1807 on a 71 ms round trip, answers the client's data before it). */
	bool before_b_rst = v->form == FORM_REPLY && v->b.rst_frame && !j->copy &&
			    (v->trigger.frame ? v->trigger.frame < v->b.rst_frame
					      : (j->hb->last.flags & TCP_RST) != 0);
	/* Of no form that can be read, after B's RST with nothing of B's
	 * after it: B sends nothing on a connection it reset, so there was
	 * no segment on its way for A to answer. A answered one of B's sent
	 * before that RST, not captured, or aborted on its own: either way
	 * its own RST, judged on its own, not that one's follow-up (the
	 * corpus's ethereum.pcap 1784 in a capture begun at 1782: the
	 * server's RST 0.2 ms after the client's, on a 40 ms round trip,
	 * answers the client's data 1608; wa_voice.pcap 195 begun at 193,
	 * after the client's RST and its copy). */
	if (v->form == FORM_OTHER && v->b.rst_frame && !v->a.rst_frame && !j->copy &&
	    (j->hb->last.flags & TCP_RST))
		before_b_rst = true;
	uint64_t first = v->a.rst_frame;
	if (v->b.rst_frame && !before_b_rst && (!first || v->b.rst_frame < first))
		first = v->b.rst_frame;
	if (!first)
		return false;
	if (crossed) {
		enum cause own = own_side_reading(j);
		bool named = own != CAUSE_UNKNOWN && own != CAUSE_RESET_FOLLOWUP;
		v->followup_of = first;
		return decide(v, CAUSE_RESET_FOLLOWUP, DETAIL_CROSSED,
			      named ? CONF_MEDIUM : CONF_HIGH, named ? own : NO_RUNNER_UP);
	}
	v->followup_of = first;
	if (j->copy)
		v->followup_of = j->p->copy_of ? j->p->copy_of : j->ha->last.frame;
	/* Whether the peer took the RST this one follows (tcp_track keeps it
	 * of the connection's first RST): one it dropped left the
	 * connection open at the peer, and a later RST at its next number
	 * is what ended it (a review of corpus follow-ups: tunnelbear.pcap
	 * 96, 139 bytes below the peer's ack, and 98 at it). */
	uint64_t conn_first = v->a.rst_frame;
	if (v->b.rst_frame && (!conn_first || v->b.rst_frame < conn_first))
		conn_first = v->b.rst_frame;
	if (!j->copy && first == conn_first) {
		bool later;
		v->first_rst_take = tcp_track_first_rst_take(&j->f->conn, &later) & 7u;
		v->first_rst_taken_later = later;
	}
	return decide(v, CAUSE_RESET_FOLLOWUP, j->copy ? DETAIL_DUPLICATE : DETAIL_NONE, CONF_HIGH,
		      NO_RUNNER_UP);
}

/*
 * MPTCP's abortive close (RFC 8684 3.5): MP_FASTCLOSE, sent in this RST
 * (Linux sends it so on every subflow) or earlier by the peer, whose
 * receiver must then reset the subflows. The whole MPTCP connection was
 * aborted, by whichever side sent the option.
 */
static bool mptcp_fastclose(struct judge *j)
{
	struct verdict *v = j->v;
	if (!(v->mptcp & MPTCP_FASTCLOSE) && !(v->b.flags & HALF_F_FASTCLOSE))
		return false;
	return decide(v, CAUSE_LINGER_ABORT, DETAIL_MP_FASTCLOSE, CONF_HIGH, NO_RUNNER_UP);
}

/*
 * An MPTCP subflow reset that states its reason (MP_TCPRST, RFC 8684
 * 3.6) when nothing at the TCP level explains it: the endpoint chose to
 * reset the subflow, for the reason it gives.
 */
static bool mptcp_subflow_reset(struct judge *j)
{
	struct verdict *v = j->v;
	if (!(v->mptcp & MPTCP_TCPRST))
		return false;
	return decide(v, CAUSE_LINGER_ABORT, DETAIL_MP_TCPRST, CONF_MEDIUM, CAUSE_UNREAD_RECV_BUFFER);
}

/* A SYN refused with RST+ACK on a tuple whose connection ended within
 * TIME_WAIT: a stack still holding it may refuse so (closed-port looks the same). */
static bool syn_on_recently_closed_tuple(struct judge *j)
{
	struct verdict *v = j->v;
	if (!answers_syn(v) || v->form != FORM_REPLY || !j->v->tuple_recently_closed)
		return false;
	return decide(v, CAUSE_TIMEWAIT_REUSE, DETAIL_NONE, CONF_MEDIUM, CAUSE_CLOSED_PORT);
}

/*
 * A SYN answered by a reply-form RST+ACK: nothing listens (RFC 9293
 * 3.10.7.1). The same for a segment without ACK and without SYN (the
 * NULL, FIN and Xmas probes of port scanners): only a closed port answers
 * it, since a listener discards any segment without SYN that has no ACK
 * (3.10.7.2) and no connection sends one.
 */
/*
 * Nothing of B's captured (a one-way capture), and A's RST is a refusal's,
 * RST+ACK numbered 0: the reply to a segment without ACK (RFC 9293
 * 3.10.7.1, <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>; Linux's
 * tcp_v4_send_reset, FreeBSD's tcp_dropwithreset), from a side that sent
 * nothing else: what it refused was a SYN (or a scan's NULL, FIN or Xmas
 * probe), which a port with no listener answers so. Each refusal answers
 * one segment, so the same again answers the SYN sent again, a new
 * attempt, as syn_refused reads it with the SYN seen, and no follow-up
 * (the corpus's gnutella.pcap 209, 228 and 251 captured one way). Without
 * the SYN, a forged refusal looks the same: injected is the runner-up.
 * Not on a connection begun after --max-flows made rstdiag forget others:
 * its peer's packets may have been captured and forgotten.
 */
static bool refusal_of_unseen_syn(struct judge *j)
{
	struct verdict *v = j->v;
	if (j->b_seen || v->after_evictions ||
	    (v->rst.flags & (TCP_ACK | TCP_SYN | TCP_FIN)) != TCP_ACK ||
	    v->rst.seq != 0 || (j->a_seen && v->a.ttl_min <= v->a.ttl_max) ||
	    (v->a.flags & HALF_F_ISN))
		return false;
	return decide(v, CAUSE_CLOSED_PORT, DETAIL_NONE, CONF_MEDIUM, CAUSE_INJECTED);
}

static bool syn_refused(struct judge *j)
{
	struct verdict *v = j->v;
	bool probe = v->trigger.frame && !(v->trigger.flags & (TCP_ACK | TCP_SYN | TCP_RST));
	if ((!answers_syn(v) && !probe) || v->form != FORM_REPLY)
		return false;
	return decide(v, CAUSE_CLOSED_PORT, DETAIL_NONE, CONF_HIGH, NO_RUNNER_UP);
}

/* The client, still in SYN_SENT. */
static bool client_connecting(const struct judge *j)
{
	return j->v->sender == ROLE_CLIENT && j->v->a.state == HALF_SYN_SENT;
}

/*
 * The client's RST+ACK to the server's SYN-ACK that acknowledges it (ack =
 * the SYN-ACK's seq + 1) at the client's own next number: a host with no
 * socket answers a segment that carries an ACK with <SEQ=SEG.ACK><CTL=RST>
 * and no ACK of its own (RFC 9293 3.10.7.1; Linux's tcp_v4_send_reset),
 * and a socket still in SYN-SENT that closes sends nothing (Linux's
 * tcp_disconnect resets only synchronized states). So a socket took the
 * SYN-ACK: connect() had completed, and the abort (SO_LINGER 0) came
 * before its handshake ACK left, which Linux delays to send it with the
 * first data when the socket asks (tcp_rcv_synsent_state_process: in
 * pingpong mode, TCP_QUICKACK off, as haproxy's tcp-smart-connect sets
 * for its checks, or with TCP_DEFER_ACCEPT; a second hold-out set's
 * haproxy-health-checks-qinq-v4).
 * A connection opened and aborted with no data: a health check's or a
 * port probe's, as when the handshake's ACK went first (abortive_close).
 * Later than CONNECT_GIVE_UP_MIN_NS after the SYN, a connect timeout that
 * fired as the SYN-ACK came aborts the same way.
 */
static bool abort_as_connected(struct judge *j)
{
	struct verdict *v = j->v;
	const struct seg_note *t = &v->trigger;
	if (!client_connecting(j) || !(v->rst.flags & TCP_ACK) || !(v->a.flags & HALF_F_ISN) ||
	    v->rst.seq != v->a.base_seq + 1)
		return false;
	/* With nothing of the server's captured, the RST+ACK at the SYN's
	 * number plus one, acknowledging a number (a SYN-ACK's), says the
	 * same by itself: only a socket that had taken a SYN-ACK sends it
	 * (the hold-out's haproxy health checks cut to the checker's side; a
	 * review). Acknowledging 0, it acknowledges nothing received: a
	 * connecting socket's own abort (syn_unanswered). */
	bool synack_seen = t->frame && (t->flags & (TCP_SYN | TCP_ACK)) == (TCP_SYN | TCP_ACK) &&
			   v->rst.ack == t->seq + 1 && t->ack == v->a.base_seq + 1;
	if (!synack_seen && (j->b_seen || t->frame || v->rst.ack == 0))
		return false;
	if (v->syn_ts && v->rst.ts_ns - v->syn_ts >= CONNECT_GIVE_UP_MIN_NS)
		return decide(v, CAUSE_LINGER_ABORT, DETAIL_PROBE, CONF_MEDIUM, CAUSE_CONNECT_TIMEOUT);
	return decide(v, CAUSE_LINGER_ABORT, DETAIL_PROBE, CONF_HIGH, NO_RUNNER_UP);
}

/*
 * The client answered the server's SYN-ACK with a RST: it had no socket
 * for it any more (RFC 9293 3.10.7.1). Late, it had given up waiting.
 * Within milliseconds of its SYN, no timeout fired: either the
 * application dropped the attempt because another one won (happy
 * eyeballs, RFC 8305, and the connection racing of browsers and HTTP
 * libraries close the losers; Linux sends nothing when a SYN_SENT socket
 * closes), or there never was a socket: a raw socket's SYN (a SYN scan as
 * nmap -sS sends, a packet crafter). A kernel's SYN offers window scaling
 * (RFC 7323; Linux, Windows, macOS and FreeBSD all do); a scanner's
 * crafted SYN usually does not. A SYN without even an MSS option, which
 * every stack's carries (RFC 9293 3.7.1, RFC 6691), was crafted however
 * long the path: a SYN-ACK a long round trip after it is no sign of a
 * timeout (the lab's syn-scan-raw over a 200 ms path). A slow SYN-ACK to
 * a kernel's SYN is; so is the RST's own time after the SYN, which is the
 * client's wait wherever the capture is (near the server, the answer's
 * round trip). A SYN whose options the snaplen cut says nothing either way.
 */
static bool syn_ack_after_client_gave_up(struct judge *j)
{
	struct verdict *v = j->v;
	if (!client_connecting(j) || !v->trigger.frame ||
	    (v->trigger.flags & (TCP_SYN | TCP_ACK)) != (TCP_SYN | TCP_ACK))
		return false;
	uint8_t ws = j->ha->wscale;
	bool unscaled = v->syn_ts && !(v->a.flags & HALF_F_WSCALE) && ws != WSCALE_CUT;
	if (unscaled && ws == WSCALE_NO_MSS)
		return decide(v, CAUSE_LINGER_ABORT, DETAIL_PROBE, CONF_MEDIUM,
			      CAUSE_CONNECT_TIMEOUT);
	/* A kernel may have window scaling turned off (Linux's
	 * tcp_window_scaling=0): after a slow SYN-ACK a scan's probe is then
	 * the runner-up. */
	if (!v->syn_ts || v->trigger.ts_ns - v->syn_ts >= CONNECT_GIVE_UP_MIN_NS)
		return unscaled ? decide(v, CAUSE_CONNECT_TIMEOUT, DETAIL_NONE, CONF_MEDIUM,
					 CAUSE_LINGER_ABORT)
				: decide(v, CAUSE_CONNECT_TIMEOUT, DETAIL_NONE, CONF_HIGH, NO_RUNNER_UP);
	/* A SYN-ACK soon, its RST late: near the client it answers a later
	 * SYN-ACK the capture missed, and when the attempt ended is not on
	 * the wire: given up or dropped, no detail. A kernel's SYN (window
	 * scaling offered, below) leaves no probe to rival that (the
	 * corpus's webex.pcap 1027: a SYN with window scaling, SACK and
	 * timestamps, its RST 1 s later; a review). */
	if (v->rst.ts_ns - v->syn_ts >= CONNECT_GIVE_UP_MIN_NS)
		return (v->a.flags & HALF_F_WSCALE)
			       ? decide(v, CAUSE_CONNECT_TIMEOUT, DETAIL_NONE, CONF_HIGH, NO_RUNNER_UP)
			       : decide(v, CAUSE_CONNECT_TIMEOUT, DETAIL_NONE, CONF_MEDIUM,
					CAUSE_LINGER_ABORT);
	if (unscaled)
		return decide(v, CAUSE_LINGER_ABORT, DETAIL_PROBE, CONF_MEDIUM,
			      CAUSE_CONNECT_TIMEOUT);
	/* A kernel's SYN (window scaling offered) leaves no probe to rival
	 * it: the client's application dropped the attempt (the corpus's
	 * opera-vpn.pcapng 2654: a macOS SYN with window scaling, SACK and
	 * timestamps, its SYN-ACK 27.8 ms later; a review). With the SYN's
	 * options cut or the SYN unseen, a raw socket's probe stays the
	 * runner-up. */
	if (v->a.flags & HALF_F_WSCALE)
		return decide(v, CAUSE_CONNECT_TIMEOUT, DETAIL_ABANDONED, CONF_HIGH, NO_RUNNER_UP);
	return decide(v, CAUSE_CONNECT_TIMEOUT, DETAIL_ABANDONED, CONF_MEDIUM, CAUSE_LINGER_ABORT);
}

/* The client's SYN was answered by an ACK that does not acknowledge it. */
static bool syn_answered_by_ack(const struct judge *j)
{
	const struct seg_note *t = &j->v->trigger;
	return client_connecting(j) && t->frame && (t->flags & TCP_ACK) && !(t->flags & TCP_SYN) &&
	       t->ack != j->v->a.base_seq + 1;
}

/*
 * The server still held the previous connection on this tuple as open (it
 * never closed on the wire) and answered the new SYN with an RFC 5961 4.2
 * challenge ACK for it; the new client, in SYN_SENT, reset that ACK. The
 * same when the client had closed the old one with a FIN and the server
 * never closed its side: in CLOSE_WAIT a SYN draws the same challenge ACK
 * (Linux's tcp_validate_incoming; RFC 5961 4.2 applies in every
 * synchronized state). Only the closer, not the side that answered, had
 * moved on (the lab's client-restart-challenge-ack, seen at the server,
 * where the client's FIN got out before its firewall).
 */
static bool challenge_ack_for_stale_connection(struct judge *j)
{
	struct verdict *v = j->v;
	const struct connection *c = &j->f->conn;
	if (!syn_answered_by_ack(j) || !c->incarnation)
		return false;
	v->prev_half_closed = c->prev_first_closer == j->dir && c->prev_one_fin;
	if (c->prev_first_closer >= 0 && !v->prev_half_closed)
		return false;
	v->stale_ack_exact = v->trigger.ack == c->prev.next_seq[j->dir];
	if (v->stale_ack_exact)
		return decide(v, CAUSE_TIMEWAIT_REUSE, DETAIL_CHALLENGE_ACK, CONF_HIGH, NO_RUNNER_UP);
	/* Not where the old connection ended: other state answered the SYN. */
	return decide(v, CAUSE_TIMEWAIT_REUSE, DETAIL_CHALLENGE_ACK, CONF_MEDIUM,
		      CAUSE_INVALID_SEGMENT);
}

/* RFC 9293 3.10.7.3: in SYN-SENT, an unacceptable ACK draws a RST. */
static bool syn_answered_by_old_ack(struct judge *j)
{
	if (!syn_answered_by_ack(j))
		return false;
	if (j->v->tuple_recently_closed)
		return decide(j->v, CAUSE_TIMEWAIT_REUSE, DETAIL_NONE, CONF_HIGH, NO_RUNNER_UP);
	return decide(j->v, CAUSE_TIMEWAIT_REUSE, DETAIL_NONE, CONF_MEDIUM, CAUSE_INVALID_SEGMENT);
}

/*
 * Nothing of the server's captured, yet the connecting client's RST is
 * bare and numbered exactly where its previous connection on the tuple
 * ended. In SYN-SENT a client resets only an ACK it cannot accept, with
 * <SEQ=SEG.ACK> (RFC 9293 3.10.7.3; Linux's tcp_rcv_synsent_state_process,
 * TCP_INVALID_ACK_SEQUENCE): the server had answered the new SYN with an
 * ACK of the old connection, from TIME_WAIT or from the old connection
 * still open, as syn_answered_by_old_ack and
 * challenge_ack_for_stale_connection read it with that ACK seen. No
 * other segment acknowledges that number. Which state the server held,
 * the capture of one side does not say (the lab's timewait-reuse-v4,
 * client-restart-challenge-ack-v4 and five hold-outs' like RSTs, cut to
 * the client's side).
 */
static bool old_ack_unseen(struct judge *j)
{
	const struct connection *c = &j->f->conn;
	struct verdict *v = j->v;
	if (!client_connecting(j) || j->b_seen || !c->incarnation || (v->rst.flags & TCP_ACK) ||
	    v->rst.seq != c->prev.next_seq[j->dir] || v->rst.seq == v->a.base_seq + 1)
		return false;
	return decide(v, CAUSE_TIMEWAIT_REUSE, DETAIL_NONE, CONF_HIGH, NO_RUNNER_UP);
}

/*
 * The client reset its own attempt with nothing seen from the server.
 * When its SYN retransmissions had just run out, the timeout is the
 * stack's and nothing rivals it (the corpus's alexa-app.pcapng 2573 and
 * 2575, 127.3 s after the first of 7 SYNs); sooner, an application that
 * gave up on its own (an abort before the stack's timeout) is the
 * runner-up.
 */
static bool syn_unanswered(struct judge *j)
{
	if (!client_connecting(j) || j->b_seen)
		return false;
	if (classify_syn_give_up_time(j->v))
		return decide(j->v, CAUSE_CONNECT_TIMEOUT, DETAIL_NONE, CONF_HIGH, NO_RUNNER_UP);
	return decide(j->v, CAUSE_CONNECT_TIMEOUT, DETAIL_NONE, CONF_MEDIUM, CAUSE_LINGER_ABORT);
}

/* B's segment was impossible for A's state: it acked data A never sent. */
static bool ack_of_unsent_data(struct judge *j)
{
	struct verdict *v = j->v;
	const struct seg_note *t = &v->trigger;
	/* In SYN-RECEIVED, a segment whose acknowledgment is not acceptable
	 * draws <SEQ=SEG.ACK><CTL=RST> and the connection stays (RFC 9293
	 * 3.10.7.4; Linux's tcp_check_req): a bare RST numbered beyond all A
	 * had sent, from a side that had sent its SYN-ACK and nothing more,
	 * names the ack of a segment the capture does not hold (the lab's
	 * synrecv-ack-unsent captured one way, the server's packets alone).
	 * A forger may pick any number: injected is the runner-up. */
	if (!t->frame && j->a_seen && !v->after_evictions && v->a.state == HALF_SYN_ACK_SENT &&
	    !(v->rst.flags & TCP_ACK) && seq_gt(v->rst.seq, v->a.next_seq))
		return decide(v, CAUSE_INVALID_SEGMENT, DETAIL_NONE, CONF_MEDIUM, CAUSE_INJECTED);
	if (!t->frame || v->form != FORM_REPLY || !j->a_seen || !(t->flags & TCP_ACK) ||
	    !seq_gt(t->ack, v->a.next_seq))
		return false;
	return decide(v, CAUSE_INVALID_SEGMENT, DETAIL_NONE, CONF_MEDIUM, CAUSE_PEER_LOST_STATE);
}

/*
 * A bare ACK that opened its tuple, answered at once by a reply-form RST,
 * nothing else seen of the connection, from an endpoint that sent such
 * ACKs to two destinations or more (the peer's endpoint, read from the
 * stray-ACK table when the RST is reported: classify_revise_probe). A
 * host answers an ACK for no connection with a RST whose seq is the
 * ACK's ack, in LISTEN as in CLOSED (RFC 9293 3.10.7.1 and 3.10.7.2;
 * Linux: tcp_rcv_state_process's TCP_FLAGS for a listener, tcp_v4_rcv's
 * NO_SOCKET for a closed port), which is what an ACK scan sends them for
 * (nmap -sA: its documentation notes the answer is the same whether the
 * port is open or closed). One source port opening tuple after tuple
 * with a bare ACK is the scan; a capture that joined connections
 * mid-stream sees each from its own port. The segment was impossible
 * for the host's state: invalid-segment, the port's state unknown, so
 * closed-port is the runner-up.
 */
static bool ack_scan_probe(struct judge *j)
{
	struct verdict *v = j->v;
	if (!v->stray_ack || v->probe_targets < 2)
		return false;
	return decide(v, CAUSE_INVALID_SEGMENT, DETAIL_NONE, CONF_MEDIUM, CAUSE_CLOSED_PORT);
}

/*
 * A give-up on a silent peer says the peer was down or unreachable, or
 * that its side of the connection, or a box's state for it, was lost. The
 * peer's address accepting another connection after it fell silent on
 * this one (its SYN-ACK) rules the first out: the host was up and
 * reachable, so the connection's state was lost at it or on the path (a
 * NAT, firewall or load balancer that forgot the flow drops its segments
 * silently). A review read the corpus's ndpi/1kxun.pcap 681 so: the
 * server answered a new connection 15 s into the client's unanswered FIN
 * retransmissions. The silence began at the peer's last segment here, or,
 * with none captured, by the sender's FIN, else by its last segment
 * before the RST (which the peer never answered).
 */
bool classify_peer_went_silent(const struct verdict *v)
{
	return v->cause == CAUSE_RETRANSMIT_TIMEOUT || v->cause == CAUSE_KEEPALIVE_TIMEOUT;
}

/*
 * A refusal from a port its host accepted connections on, before or just
 * after: something listened there, so this SYN was refused on its own, by
 * a rule that refuses some (a per-client connection limit, nftables ct
 * count or iptables connlimit; a SYN rate limit, hashlimit; an ACL for
 * this client) on the host or the path, or the service restarted between
 * the two. TAXONOMY's closed-port still (a listener's refusal and a
 * reject rule's look alike); the words say which fact the capture adds
 * (holdout8's ct count on a router and hashlimit on the host: refusals
 * between accepted connections to the same port).
 */
void classify_revise_port_accepted(struct verdict *v, const struct host_handshake *synack,
				   bool elsewhere)
{
	if (v->cause != CAUSE_CLOSED_PORT || !synack->frame || synack->port != v->sport ||
	    synack->frame == v->rst.frame)
		return;
	int64_t ms = (synack->ts_ns - v->rst.ts_ns) / 1000000;
	if (ms < INT32_MIN || ms > INT32_MAX)
		return;
	v->peer_accepted.frame = synack->frame;
	v->peer_accepted.after_rst_ms = (int32_t)ms;
	v->peer_accepted.port = synack->port;
	v->peer_accepted.of_sender = true;
	v->peer_accepted.elsewhere = elsewhere;
}

void classify_revise_peer_alive(struct verdict *v, const struct host_handshake *synack)
{
	int64_t silent_since = (v->b.flags & HALF_F_SEEN) ? v->rst.ts_ns - v->peer_silent_ns
			       : (v->a.flags & HALF_F_FIN) ? v->a.fin_ts
							   : v->rst.ts_ns - v->idle_before_ns;
	if (!classify_peer_went_silent(v) || !synack->frame || synack->ts_ns <= silent_since)
		return;
	int64_t ms = (synack->ts_ns - v->rst.ts_ns) / 1000000;
	if (ms < INT32_MIN || ms > INT32_MAX)
		return;
	v->peer_accepted.frame = synack->frame;
	v->peer_accepted.after_rst_ms = (int32_t)ms;
	v->peer_accepted.port = synack->port;
}

/*
 * An abort a zero linger or data left unread could each have sent
 * (linger-abort, runner-up unread-recv-buffer: the peer's data was taken,
 * and the wire cannot show that the application read it). Stacks reset on
 * close only for those two (Linux's tcp_close, data_was_unread, and
 * SO_LINGER 0; XNU's and FreeBSD's tcp_disconnect; RFC 2525 2.17), and
 * SO_LINGER is set on each socket by its application. A host that closed
 * other connections gracefully (its FIN first, the peer's in answer
 * before any RST: GRACEFUL_MIN or more) runs applications that close without a zero
 * linger, so data left unread is the likelier (the corpus's ethereum.pcap
 * 1314: a macOS client that closed 21 other connections to the same port
 * with a FIN reset the one where the server's goodbye came first;
 * alexa-app.pcapng 330: a client closing its spare connections, each with
 * a FIN but the one whose server's last handshake flight its TLS library
 * had not read; a review). A zero linger set on this one connection alone,
 * or an application abort, stays the runner-up.
 */
#define GRACEFUL_MIN 2

bool classify_graceful_matters(const struct verdict *v)
{
	/* Not where one program made both sides' packets (one_program_abort):
	 * the closes, this RST with them, are that program's, and say
	 * nothing of the sender's applications. */
	return v->cause == CAUSE_LINGER_ABORT && v->detail == DETAIL_NONE &&
	       v->confidence == CONF_MEDIUM && v->runner_up == CAUSE_UNREAD_RECV_BUFFER &&
	       !v->one_program_capped;
}

void classify_revise_graceful(struct verdict *v, unsigned n)
{
	if (!classify_graceful_matters(v) || n < GRACEFUL_MIN)
		return;
	v->graceful_closes = (uint8_t)(n > 31 ? 31 : n);
	decide(v, CAUSE_UNREAD_RECV_BUFFER, DETAIL_NONE, CONF_MEDIUM, CAUSE_LINGER_ABORT);
}

/*
 * Racing connections (happy eyeballs, RFC 8305) starts a connect to a
 * name's next address every Connection Attempt Delay (250 ms, 2 s at
 * most: 5) and, once one attempt connects, cancels the others (6); a
 * browser's backup connect to the same address (Chrome's after 250 ms) and
 * a pool's spare connections end the same way. A socket closed in SYN-SENT
 * sends nothing (RFC 9293 3.10.4 deletes the TCB; Linux's tcp_disconnect
 * resets only synchronized states), so the loser's late SYN-ACK meets no
 * socket and draws a RST (3.10.7.1). A refused SYN-ACK within 2 s of a SYN
 * never sent again, while another connect of the same client to the same
 * port completed between that SYN and the RST, is such a loser: abandoned,
 * and nothing rivals it (the corpus's whatsapp_login_call.pcap 61: a
 * SYN-ACK 268 ms after its SYN, a sibling to another address of the same
 * name connected 1.6 ms after that SYN; a review). Without one the words
 * name the race beside a short connect timeout (explain.c).
 */
void classify_revise_race(struct verdict *v, const struct host_handshake *won)
{
	if (v->rule != RULE_SYN_ACK_AFTER_CLIENT_GAVE_UP || v->cause != CAUSE_CONNECT_TIMEOUT ||
	    !v->syn_ts || v->a.syn_retrans || !v->trigger.frame ||
	    v->trigger.ts_ns - v->syn_ts >= RACING_DELAY_MAX_NS || won->port != v->dport ||
	    won->ts_ns <= v->syn_ts || won->ts_ns >= v->rst.ts_ns || won->frame >= v->rst.frame ||
	    v->rst.frame - won->frame > UINT32_MAX)
		return;
	v->race_won.frames_before = (uint32_t)(v->rst.frame - won->frame);
	v->race_won.after_syn_us = (uint32_t)((won->ts_ns - v->syn_ts) / 1000);
	decide(v, CAUSE_CONNECT_TIMEOUT, DETAIL_ABANDONED, CONF_HIGH, NO_RUNNER_UP);
}

/*
 * A client refused on port after port, or opening connections and
 * resetting them at once with nothing sent, is probing ports, not
 * connecting to a service it needs: a port scan (nmap -sT with the
 * kernel's SYNs, resetting the open ports' connections, -sS with its own),
 * or a client trying its fallback ports. Three ports at least, each unlike
 * the one before (a Windows client retries a refused connect on the same
 * port). The refusal stays closed-port; the words and advice are a scan's
 * (the corpus's tcp_scan.pcapng 12, a connect scan of 445 after 80 and
 * 443; a review).
 */
void classify_revise_scan(struct verdict *v, unsigned n)
{
	if (v->cause != CAUSE_CLOSED_PORT || n < SCAN_PORTS_MIN)
		return;
	v->scan_ports = (uint8_t)(n > UINT8_MAX ? UINT8_MAX : n);
}

void classify_revise_probe(struct verdict *v, unsigned targets)
{
	if (!v->stray_ack || v->rule != RULE_NOTHING_FITS || v->revised.kind != REVISED_NOT)
		return;
	v->probe_targets = (uint8_t)(targets > UINT8_MAX ? UINT8_MAX : targets);
	struct judge j = { .v = v };
	if (ack_scan_probe(&j))
		v->rule = RULE_ACK_SCAN_PROBE;
}

/*
 * A client still connecting sends its SYN again at its retransmission
 * timeout whether or not the SYN-ACKs reach it: after 1 s on Linux (RFC
 * 6298 2.1, TCP_TIMEOUT_INIT), 3 s on Windows. One on the capture's own
 * link (its packets arrive with the TTL they left with: every SYN it sent
 * would pass here) that sent none in SYN_RETRY_SURE_NS, though the first
 * SYN-ACK came before any timeout (CONNECT_GIVE_UP_MIN_NS), had no socket
 * waiting: its application dropped the attempt (the corpus's
 * ndpi/gnutella.pcap 2207-2210, a Windows guest's batch of six SYNs in 3
 * ms, two never answered and none sent again; a review's reading).
 */
#define SYN_RETRY_SURE_NS (7 * 1000000000LL)

/* Packets all at one TTL, an initial one: they crossed no router between
 * their sender and the capture point. */
static bool ttl_as_sent(uint8_t ttl_min, uint8_t ttl_max)
{
	return ttl_min == ttl_max && host_initial_ttl(ttl_min) == ttl_min;
}

bool classify_peer_on_link(const struct verdict *v)
{
	return ttl_as_sent(v->b.ttl_min, v->b.ttl_max);
}

/* A client on the capture's own link that sent no SYN again in
 * SYN_RETRY_SURE_NS: no socket was waiting. */
static bool syn_ack_on_link_unretried(const struct verdict *v)
{
	return v->syn_ts && v->b.syn_retrans == 0 && v->rst.ts_ns - v->syn_ts >= SYN_RETRY_SURE_NS &&
	       classify_peer_on_link(v);
}

static bool syn_ack_abandoned(const struct verdict *v, int64_t synack_ts)
{
	return synack_ts && synack_ts - v->syn_ts < CONNECT_GIVE_UP_MIN_NS &&
	       syn_ack_on_link_unretried(v);
}

/*
 * The server sent its SYN-ACK again and again, the client never
 * acknowledged it, and the server gave up with a RST. Linux drops such a
 * half-open connection silently after tcp_synack_retries
 * (inet_csk_reqsk_queue_drop), FreeBSD's SYN cache too (syncache_timer);
 * 4.4BSD's tcp_timers, with no SYN cache, drops it with tcp_drop, which
 * sends a RST from SYN_RECEIVED, and so do the stacks derived from it
 * (slirp, VirtualBox's NAT engine: the corpus's ndpi/gnutella.pcap, frame
 * 2207, after 7 SYN-ACKs over 87.6 s). The RST is the server's give-up;
 * the reset's cause is the client that never completed the handshake: a
 * client alive in SYN-SENT acknowledges a SYN-ACK (RFC 9293 3.10.7.3),
 * so it had abandoned the attempt (or a firewall of its own dropped the
 * SYN-ACKs). Its ACK lost on the path every time, the server's give-up
 * being a plain retransmission timeout, is the runner-up. No accept queue
 * is involved: the connection was never complete. Twice resent at least:
 * one resend is a loss, not a give-up.
 */
static bool syn_ack_unanswered(struct judge *j)
{
	struct verdict *v = j->v;
	if (v->sender != ROLE_SERVER || !(v->a.flags & HALF_F_ISN) ||
	    v->a.state != HALF_SYN_ACK_SENT || v->a.syn_retrans < 2 || v->established ||
	    v->b.bytes > 0 || v->form == FORM_REPLY || foreign(j))
		return false;
	/* Abandoned by a client on the capture's own link: an ACK it sent
	 * would have passed here, so none was lost on the path, and nothing
	 * rivals (a review of gnutella.pcap 2207 read the runner-up against
	 * the record's own words). */
	if (syn_ack_abandoned(v, j->f->conn.synack_ts))
		return decide(v, CAUSE_CONNECT_TIMEOUT, DETAIL_ABANDONED, CONF_HIGH, NO_RUNNER_UP);
	/* The same on the capture's link with a first SYN-ACK later than
	 * 100 ms: the attempt was dropped or given up at a connect timeout
	 * shorter than that, a connect-timeout either way, and no ACK was
	 * lost on a path between (the corpus's gnutella.pcap 2209, a SYN-ACK
	 * 107 ms after the SYN, of the batch 2207-2210; a review). */
	/* So too when the client had sent its SYN again, but its next one,
	 * due by its doubling intervals (RFC 6298 5.5), never came before
	 * the first SYN-ACK did (synack_after_give_up): on the link every
	 * SYN it sent passes here, so it had given up before there was a
	 * SYN-ACK to acknowledge (the corpus's gnutella.pcap 2472: a Windows
	 * client's SYNs at 0, 3 and 9 s, the first SYN-ACK at 31.7 s; a
	 * review read the runner-up against the record's own words). */
	if (syn_ack_on_link_unretried(v) || (v->synack_after_give_up && classify_peer_on_link(v)))
		return decide(v, CAUSE_CONNECT_TIMEOUT, DETAIL_NONE, CONF_HIGH, NO_RUNNER_UP);
	return decide(v, CAUSE_CONNECT_TIMEOUT, DETAIL_NONE, CONF_MEDIUM, CAUSE_RETRANSMIT_TIMEOUT);
}

/*
 * The server reset the connection from its listener's queues: after its
 * SYN-ACK it had sent nothing, so no socket of its own had the connection
 * yet. Linux resets there when the accept queue is full and
 * tcp_abort_on_overflow is set (tcp_check_req, listen_overflow), on the
 * handshake's ACK or, with TCP_DEFER_ACCEPT, on the first data, which is
 * what completes the handshake then; and when a listener closes with
 * connections still queued (inet_csk_listen_stop). A reply to the
 * client's segment is that; an unprompted one may also be an
 * application accepting and aborting at once.
 */
static bool server_reset_before_data(struct judge *j)
{
	struct verdict *v = j->v;
	if (v->sender != ROLE_SERVER || !(v->a.flags & HALF_F_ISN) ||
	    v->a.state != HALF_SYN_ACK_SENT || foreign(j))
		return false;
	/* The segment it answers must be the one that completed the handshake:
	 * the client's first data, or its ACK, without a pause (after one, an
	 * established socket that said nothing yet is as likely). */
	const struct seg_note *t = &v->trigger;
	bool completes = v->form == FORM_REPLY && t->frame && v->b.bytes == t->len &&
			 !(v->trigger_gap_ns >= 0 && long_silence(j, v->trigger_gap_ns));
	if (completes)
		return decide(v, CAUSE_HANDSHAKE_ABORT, DETAIL_NONE, CONF_HIGH, NO_RUNNER_UP);
	/* Unprompted: right after the handshake, or while the client never
	 * completed it (a half-open connection the server gives up on after
	 * retransmitting its SYN-ACK; Linux drops one silently, other stacks
	 * and NAT engines reset it). After a silence on an established
	 * connection it was the application's (an idle one it aborted: the
	 * server's own timer, whatever the path's round trip). */
	/* Nothing of the client's captured: a SYN-ACK not sent again within
	 * its retransmission timeout was acknowledged (1 s on Linux, RFC 6298
	 * 2.1's initial RTO; 3 s on Windows), so the handshake had completed
	 * though its ACK is not in view (the lab's server-aborts-idle-v4 cut
	 * to the server's side: its abort 1.5 s after the SYN-ACK). */
	int64_t synack_rto = classify_may_run_linux(v) ? 1000000000LL : RETRANSMISSION_DUE_NS;
	bool acked_unseen = !j->b_seen && v->a.syn_retrans == 0 && j->f->conn.synack_ts &&
			    v->rst.ts_ns - j->f->conn.synack_ts >= synack_rto;
	/* The client's data had come, captured or not: the RST's own ack
	 * takes it (classify_unseen_peer_bytes; holdout9's HAProxy reject of
	 * a request, cut to the server's side), so the handshake had
	 * completed and a socket had data: data_shown_by_acks judges. */
	if (v->b.bytes > 0 || classify_unseen_peer_bytes(v) > 0 || v->form == FORM_REPLY ||
	    ((v->established || acked_unseen) && v->idle_before_ns >= WAIT_GIVEN_UP_MIN_NS))
		return false;
	/* A client that never acknowledged the SYN-ACK had given up itself. */
	return decide(v, CAUSE_HANDSHAKE_ABORT, DETAIL_NONE, CONF_MEDIUM,
		      v->established ? CAUSE_LINGER_ABORT : CAUSE_CONNECT_TIMEOUT);
}

/* B sent data that A never acknowledged. */
static bool b_data_unaccepted(const struct verdict *v)
{
	return v->b.bytes > 0 && (v->a.flags & HALF_F_ACK) && seq_lt(v->a.ack, side_data_end(&v->b));
}

/*
 * All of B's data that A never took is one TLS alert record, B's last:
 * its close_notify (in clear, or encrypted, which after the handshake is
 * nearly always close_notify) answering A's close. TLS asks each side to
 * send one before closing its write side, and lets the closer go without
 * waiting for the other's (RFC 8446 6.1); a library sends it when its
 * application shuts the session down on the peer's end of stream
 * (OpenSSL's SSL_shutdown; the lab's tls-close-notify-reply-v4, Python's
 * unwrap after nginx's idle close). So the RST met the protocol's goodbye:
 * nothing was lost, nobody "wrote anyway" (the corpus's
 * ndpi/opera-vpn.pcap has 27 such RSTs, ndpi/signal.pcap 254,
 * arkime/ssl-selfsign.pcap 20). An encrypted alert record is at most
 * about 90 bytes (TLS 1.2 CBC with SHA-384: 5 + 16 IV + 64); user_canceled
 * is a goodbye too. Only a RST that answers that segment is judged so.
 */
#define CLOSING_ALERT_MAX 96
/*
 * On a connection that chose h2, B's data A never took being one
 * GOAWAY-sized record (tls.h: TLS_H2_GOAWAY_RECORD_MAX) that the RST
 * answers, then B's closing alert, is B's goodbye as much as the alert
 * alone (the corpus's ndpi/443-curl.pcap 102-103 and
 * ndpi/whatsappfiles.pcap 305-306: 46 bytes, then a 31-byte alert).
 */
static bool h2_goaway_then_alert(const struct verdict *v, uint32_t unaccepted)
{
	const struct seg_note *tr = &v->trigger;
	return tls_note_h2(&v->tls) && tr->len > 0 &&
	       tr->len <= TLS_H2_GOAWAY_RECORD_MAX && v->a.ack == tr->seq &&
	       unaccepted > tr->len && unaccepted - tr->len <= CLOSING_ALERT_MAX;
}

static bool closing_alert_only(const struct verdict *v)
{
	enum role b = role_peer((enum role)v->sender);
	const struct tls_note *t = &v->tls;
	const struct seg_note *tr = &v->trigger;
	/* B's alert was its last record; A's own may have come after it, the
	 * two crossing (alert_both: ndpi/wa_voice.pcap 186 and 189). */
	bool b_alert_last = t->alert_from == b + 1 ? t->alert_last :
			    t->alert_both && t->alert_from == v->sender + 1;
	if (b == ROLE_UNKNOWN || !b_alert_last ||
	    !(t->alert == TLS_ALERT_ENCRYPTED || t->alert == 0 + 1 || t->alert == 90 + 1) ||
	    !(v->a.flags & HALF_F_ACK))
		return false;
	uint32_t unaccepted = side_data_end(&v->b) - v->a.ack;
	/* The RST answers B's last data segment, and that segment is all of
	 * B's data A never acknowledged. */
	if (tr->frame && tr->frame == v->b.data_frame)
		return tr->len > 0 && tr->len <= CLOSING_ALERT_MAX && v->a.ack == tr->seq &&
		       unaccepted == tr->len;
	/* B's FIN right after that alert, the pair unacknowledged: a bare
	 * RST's numbers fit both, and a socket closed before either arrived
	 * met the alert first (the corpus's ndpi/wa_voice.pcap 193, after
	 * 186-187; a review). */
	if (tr->frame && (tr->flags & TCP_FIN) && !tr->len && (v->b.flags & HALF_F_FIN) &&
	    tr->seq == v->b.fin_seq && !(v->rst.flags & TCP_ACK))
		return unaccepted > 0 && unaccepted <= CLOSING_ALERT_MAX;
	if (tr->frame)
		return h2_goaway_then_alert(v, unaccepted);
	/* No segment found that it answers (B went on, its FIN after the
	 * alert, before the RST came back: the corpus's ndpi/sites.pcapng
	 * 602, whose client's close_notify crossed the server's FIN): B's
	 * data that A never took is one alert record's worth, its last. */
	return unaccepted > 0 && unaccepted <= CLOSING_ALERT_MAX;
}

/*
 * A's last data was its session's last command (a QUIT, an IMAP LOGOUT:
 * first_bytes_quit), its FIN came with it, and all of B's data that A
 * never took is B's reply to it: B had read the command (its reply
 * acknowledges it) and answered, as the protocol asks (RFC 5321
 * 4.1.1.10: "The receiver MUST send a '221 OK' reply, and then close";
 * RFC 1939 6, RFC 959 4.1.1, RFC 9051 6.1.3 alike). A closed without
 * reading it. RFC 5321 says the sender SHOULD wait for that reply, but
 * Postfix's SMTP client by default does not (smtp_skip_quit_response =
 * yes, postconf(5)), so a mail server's capture has such a RST after
 * every session Postfix delivers (the corpus's
 * arkime/smtp-originating.pcap 24). Nothing was lost: the reply is the
 * goodbye. A reply is a line of at most 512 bytes (RFC 5321 4.5.3.1.5);
 * IMAP's BYE and the tagged OK make two.
 */
#define QUIT_REPLY_MAX 1024
static bool quit_reply_only(const struct verdict *v)
{
	const struct seg_note *tr = &v->trigger;
	return v->a_quit_last && (v->a.flags & HALF_F_ACK) && tr->frame && tr->len > 0 &&
	       (tr->flags & TCP_ACK) && seq_geq(tr->ack, v->a.fin_seq) && v->a.ack == tr->seq &&
	       side_data_end(&v->b) - v->a.ack <= QUIT_REPLY_MAX;
}

/*
 * The mirror of quit_reply_only: A closed first, and all of B's data that
 * A never took is B's last command, its session's goodbye (a QUIT or an
 * IMAP LOGOUT; XMPP's closing tag, which RFC 6120 4.4 asks of the side
 * that receives the other's close): B ended its session as the close
 * asked, and A's socket was already gone (the corpus's ndpi/jabber.pcap
 * 298-300: the server's FIN on a fresh stream, the client's
 * "</stream:stream>"). Nothing was lost; A's close is what to explain.
 */
static bool peer_quit_only(const struct verdict *v)
{
	const struct seg_note *tr = &v->trigger;
	return v->b_quit_last && (v->a.flags & HALF_F_ACK) && tr->frame && tr->len > 0 &&
	       tr->frame == v->b.data_frame && v->a.ack == tr->seq &&
	       side_data_end(&v->b) - v->a.ack == tr->len;
}

/*
 * A's FIN was sent again and never acknowledged, A then fell silent, and
 * B's data came long after, acknowledging none of it: the FIN never
 * reached B, and A had given it up. Linux retransmits a closed (orphaned)
 * socket's FIN tcp_orphan_retries times and then drops the socket without
 * a RST (tcp_timer.c, tcp_write_timeout and tcp_write_err; TAXONOMY's
 * "no RST at all: retransmission give-up"), so the RST answering B's data
 * is that of a host with no socket left: B met lost state, not a close it
 * had seen. Silence over twice the span of A's FIN sendings, and over
 * the least retransmission timeout, means they stopped: each
 * retransmission waits twice the one before (RFC 6298 5.5), so the next
 * would have come within that span. Seen from the
 * server in the lab's server-lost-state-v4 (the FIN lost on the path),
 * where from the client the same RST is peer-lost-state with nothing to
 * show why.
 */
#define FIN_GIVE_UP_MIN_NS 200000000     /* Linux's least RTO (TCP_RTO_MIN) */
static bool fin_never_acked(struct judge *j)
{
	struct verdict *v = j->v;
	const struct seg_note *t = &v->trigger;
	const struct seg_note *last = &j->ha->last;
	/* A's last segment is its FIN sent again (its first FIN is another frame). */
	if (!(v->a.flags & HALF_F_FIN) || (v->a.flags & HALF_F_FIN_ACKED) ||
	    !(last->flags & TCP_FIN) || last->seq + last->len != v->a.fin_seq ||
	    last->frame == v->a.fin_frame || !t->frame || t->len == 0 || t->ts_ns <= last->ts_ns ||
	    ((t->flags & TCP_ACK) && seq_gt(t->ack, v->a.fin_seq)))
		return false;
	int64_t silence = t->ts_ns - last->ts_ns;
	if (silence <= 2 * (last->ts_ns - v->a.fin_ts) || silence < FIN_GIVE_UP_MIN_NS)
		return false;
	return decide(v, CAUSE_PEER_LOST_STATE, DETAIL_NONE, CONF_MEDIUM, CAUSE_DATA_AFTER_FIN);
}

/*
 * Whether an ack of B's shows B had A's FIN: one past it, or at the FIN's
 * own number when the FIN came in the segment of A's last data. A
 * receiver takes an in-order FIN with the data before it and acknowledges
 * both (RFC 9293 3.10.7.4, the eighth step; Linux's tcp_data_queue and
 * tcp_fin), so an ack of that data is an ack of a segment that carried
 * the FIN: B had it, and a stack that withholds the FIN's acknowledgment
 * (a VPN app's user-space stack deferring it: the corpus's tunnelbear.pcap
 * 384, whose relay acked the data of the client's data+FIN at once and
 * sent its own data 61 ms later) had not crossed it in flight.
 */
static bool b_ack_shows_fin(const struct verdict *v, uint32_t ack)
{
	return seq_geq(ack, v->a.fin_seq + 1) ||
	       (v->a.data_frame == v->a.fin_frame && v->a.data_frame && ack == v->a.fin_seq);
}

/*
 * B's data that did not acknowledge A's FIN crossed it only if it left B
 * before the FIN arrived there. A FIN takes half a round trip to arrive,
 * and a path slower than a second each way is none a FIN crosses data
 * on; so data that came a second, and two round trips, after A's last
 * copy of the FIN at this capture point, without acknowledging it, was
 * sent when the FIN had not reached B: the FIN was lost on its way, and
 * A's stack, resending it unacknowledged, may have given the connection
 * up by the time the data came (Linux drops an orphan after
 * tcp_orphan_retries resends without a RST: tcp_timer.c). The RST is
 * then a socket's answer to data after its close, or a host's with no
 * socket left: data-after-fin (race, by the ack) of medium confidence,
 * peer-lost-state the runner-up. The lab's server-lost-state-at-server-v4
 * seen from its last FIN on (a capture begun there: a metamorphic check).
 */
#define FIN_LOST_GAP_NS 1000000000
static bool fin_lost_before_data(const struct judge *j)
{
	const struct verdict *v = j->v;
	const struct seg_note *t = &v->trigger, *last = &j->ha->last;
	if (!(v->a.flags & HALF_F_FIN) || !t->frame || !t->len ||
	    ((t->flags & TCP_ACK) && b_ack_shows_fin(v, t->ack)))
		return false;
	/* Its FIN sent again later: the last copy is the one that counts. */
	int64_t fin_ts = (last->flags & TCP_FIN) && last->ts_ns > v->a.fin_ts ? last->ts_ns
									    : v->a.fin_ts;
	int64_t gap = t->ts_ns - fin_ts;
	return gap >= FIN_LOST_GAP_NS && (v->rtt_ns <= 0 || gap >= 2 * v->rtt_ns);
}

/* How long a socket closed after its FIN stays to answer: Linux keeps an
 * orphaned FIN_WAIT2 for tcp_fin_timeout, FreeBSD for
 * net.inet.tcp.finwait2_timeout, both 60 s by default. */
#define FIN_WAIT2_LIFETIME_NS (60 * 1000000000LL)

/*
 * Nothing of B's captured (one direction of a SPAN, asymmetric routing):
 * A sent its FIN, then a bare RST at that FIN's own number, or one past
 * it, within the FIN_WAIT states' lifetime. A reply carries the ack of
 * the segment it answers as its seq (RFC 9293 3.10.7.1; Linux's
 * tcp_v4_send_reset, FreeBSD's tcp_dropwithreset), so B's segment
 * acknowledged A's data up to the FIN, or the FIN too. A socket closed
 * after its FIN answers a bare ACK or a FIN with an ACK; only data makes
 * it reset (RFC 9293 3.10.7.4: "If new data are received on a connection
 * after the user processes are gone"; Linux's tcp_rcv_state_process,
 * TCP_MIB_TCPABORTONDATA; FreeBSD's tcp_input, SS_NOFDREF). So B's data
 * came after A's close: data-after-fin, crossed by the seq, acknowledging
 * the FIN otherwise. Which data, the capture does not hold: medium. A
 * socket already gone (an orphan dropped early, for tcp_max_orphans)
 * would answer any segment alike, the runner-up: B's that had not had
 * the FIN, as peer-lost-state; B's after it, a follow-up of the close.
 * Not at the FIN's own number a second or more after A sent its FIN
 * again (fin_lost_before_data's gap): it had gone unacknowledged, B may
 * never have had it, and A's stack may have given the connection up
 * (the lab's server-lost-state-at-server-v4 cut to the server's side:
 * four copies, then a no-socket RST 2.9 s on). The corpus's ocs.pcap 87 (a review) and
 * tls_1.3_unidirectional_server.pcapng 8.
 */
static bool one_way_data_after_fin(const struct judge *j)
{
	const struct verdict *v = j->v;
	const struct seg_note *last = &j->ha->last;
	int64_t gap = v->rst.ts_ns - v->a.fin_ts;
	bool fin_lost = v->rst.seq == v->a.fin_seq && (last->flags & TCP_FIN) &&
			last->ts_ns > v->a.fin_ts && v->rst.ts_ns - last->ts_ns >= FIN_LOST_GAP_NS;
	return !j->b_seen && j->a_seen && (v->a.flags & HALF_F_FIN) && !v->a.rst_frame &&
	       !fin_lost && !(v->rst.flags & TCP_ACK) &&
	       (v->rst.seq == v->a.fin_seq || v->rst.seq == v->a.fin_seq + 1) && gap >= 0 &&
	       gap < FIN_WAIT2_LIFETIME_NS;
}

/* A had sent FIN; B's data then met A's closed socket (TAXONOMY data-after-fin). */
static bool data_after_own_fin(struct judge *j)
{
	struct verdict *v = j->v;
	const struct seg_note *t = &v->trigger;
	/* A RST from elsewhere than A (another TTL, too soon, the capturing
	 * host) is not A's closed socket's: a box that had forgotten the
	 * half-closed flow answers B's data as well, and the foreign rules
	 * below decide, this reading their runner-up (holdout8's NAT router
	 * whose conntrack CLOSE_WAIT timeout, shortened to 1 s, dropped the
	 * mapping before the server's answer: its own kernel's RST, TTL 64
	 * where the client's packets came with 63). */
	if (!(v->a.flags & HALF_F_FIN) || foreign(j))
		return false;
	if (t->frame && t->len > 0) {
		bool acked_fin = (t->flags & TCP_ACK) && b_ack_shows_fin(v, t->ack);
		if (!closing_alert_only(v) && !quit_reply_only(v) && !peer_quit_only(v) &&
		    fin_lost_before_data(j))
			return decide(v, CAUSE_DATA_AFTER_FIN, DETAIL_RACE, CONF_MEDIUM,
				      CAUSE_PEER_LOST_STATE);
		return decide(v, CAUSE_DATA_AFTER_FIN,
			      closing_alert_only(v) ? DETAIL_CLOSE_NOTIFY :
			      quit_reply_only(v) ? DETAIL_QUIT_REPLY :
			      peer_quit_only(v) ? DETAIL_PEER_QUIT :
			      acked_fin ? DETAIL_IGNORED_FIN : DETAIL_RACE,
			      CONF_HIGH, NO_RUNNER_UP);
	}
	/*
	 * The data it answers is not B's last segment: B went on sending
	 * (more data, its FIN) before the RST came back. Linux answers the
	 * first data to reach a closed socket (tcp_rcv_state_process,
	 * TCP_MIB_TCPABORTONDATA) by a bare RST whose seq is that segment's
	 * ack (tcp_v4_send_reset), so the seq tells the ack the data carried:
	 * A's FIN's own number if B had not seen the FIN (they crossed), one
	 * past it if B had. A never acknowledged that data.
	 */
	if (one_way_data_after_fin(j)) {
		bool crossed = v->rst.seq == v->a.fin_seq;
		return decide(v, CAUSE_DATA_AFTER_FIN, crossed ? DETAIL_RACE : DETAIL_IGNORED_FIN,
			      CONF_MEDIUM, crossed ? CAUSE_PEER_LOST_STATE : CAUSE_RESET_FOLLOWUP);
	}
	if ((v->rst.flags & TCP_ACK) || !b_data_unaccepted(v))
		return false;
	/* When several of B's segments were in flight, the first RST answers
	 * the earliest, whose ack may be older still: below A's FIN, within
	 * what A had sent. */
	if (seq_gt(v->rst.seq, v->a.fin_seq + 1) || seq_lt(v->rst.seq, v->a.base_seq))
		return false;
	enum detail d = closing_alert_only(v) ? DETAIL_CLOSE_NOTIFY :
			b_ack_shows_fin(v, v->rst.seq) ? DETAIL_IGNORED_FIN : DETAIL_RACE;
	return decide(v, CAUSE_DATA_AFTER_FIN, d, CONF_HIGH, NO_RUNNER_UP);
}

/* A's probes went unanswered and A gave up (RFC 9293 3.8.4). */
static bool probes_unanswered(struct judge *j)
{
	struct verdict *v = j->v;
	if (v->a.keepalives < 1 || v->form == FORM_REPLY || j->hb->last.frame > j->ha->last.frame)
		return false;
	/* Nothing of B's captured: the probes may have been a zero window's
	 * (tcp_track.c's is_keepalive), and an application giving up on a
	 * peer that stopped reading aborts the same way (the lab's
	 * nginx-send-timeout-reset-v4). */
	if (!j->b_seen) {
		/* Keep-alive probes come a whole number of seconds apart, the
		 * first as long after the last activity (Linux's
		 * tcp_keepalive_time and _intvl take seconds; RFC 1122 4.2.3.6);
		 * zero-window probes back off from the retransmission timeout,
		 * hundreds of milliseconds (RFC 9293 3.8.6.1, RFC 6298). Probes
		 * all sent sooner than a second each were the latter: the peer
		 * had stopped reading, and the application gave up on it (the
		 * lab's nginx-send-timeout-reset-v4 cut to the server's side:
		 * probes 206 and 424 ms apart; a review). */
		const struct seg_note *last = &j->ha->last;
		bool zero_window = last->ts_ns - j->f->conn.active_ts <
				   (int64_t)v->a.keepalives * 1000000000LL;
		/* Probes read as such from the capture's first segment on
		 * (classify_probes_before_rst): no activity before them was
		 * captured to time them from, but a keep-alive timer's give-up
		 * comes a whole interval after the last probe too (Linux's
		 * tcp_keepalive_timer), where a zero window's is the
		 * application's own. */
		if (v->a_probes_inferred)
			zero_window = v->rst.ts_ns - last->ts_ns < 1000000000LL;
		if (zero_window)
			return decide(v, CAUSE_LINGER_ABORT, DETAIL_NONE, CONF_MEDIUM,
				      CAUSE_KEEPALIVE_TIMEOUT);
		return decide(v, CAUSE_KEEPALIVE_TIMEOUT, DETAIL_NONE, CONF_MEDIUM,
			      CAUSE_LINGER_ABORT);
	}
	if (v->a.keepalives >= 2)
		return decide(v, CAUSE_KEEPALIVE_TIMEOUT, DETAIL_NONE, CONF_HIGH, NO_RUNNER_UP);
	return decide(v, CAUSE_KEEPALIVE_TIMEOUT, DETAIL_NONE, CONF_MEDIUM, CAUSE_LINGER_ABORT);
}

/*
 * A stack gives up at a retransmission timer's expiry, and doubles the
 * timer at each (RFC 6298 5.5; Windows' TcpMaxDataRetransmissions, the
 * BSDs' and XNU's tcp_timer_rexmt, XNU's TCP_RXT_FINDROP for a FIN all act
 * there). A's FIN first captured at F and sent again n times since, the
 * last at L: the intervals doubled from r, so L - F = r (2^n - 1) and the
 * next expiry is r 2^n after L, whether or not copies before F were
 * missed (n counts all of A's copies, so r is if anything short, and the
 * expiry early). A RST well before it (under 90 %) came at no timer's
 * expiry: the application or the OS aborted (the corpus's teams.pcap 212:
 * a Mac's FIN sent again 2.12 s on, its RST 2.16 s after that; a review).
 */
static bool fin_rst_before_timer(const struct judge *j)
{
	const struct verdict *v = j->v;
	const struct seg_note *last = &j->ha->last;
	unsigned n = v->a.retrans;
	if (!(v->a.flags & HALF_F_FIN) || !(last->flags & TCP_FIN) || n == 0 || n > 16 ||
	    last->ts_ns <= v->a.fin_ts)
		return false;
	int64_t r = (last->ts_ns - v->a.fin_ts) / (int64_t)((1u << n) - 1);
	int64_t due = r * (int64_t)(1u << n);
	return v->rst.ts_ns - last->ts_ns < due - due / 10;
}

/* A retransmitted unacknowledged data several times and gave up. */
static bool retransmissions_unacked(struct judge *j)
{
	struct verdict *v = j->v;
	/* A FIN resent once with nothing at all from B since it was first
	 * sent counts as well (BSD-derived stacks, macOS among them, drop a
	 * connection whose retransmissions go unanswered with a RST:
	 * tcp_timer_rexmt, tcp_drop). */
	/* With nothing of B's captured, "nothing from B" is read from A's
	 * own segments: a segment of A's after its FIN that is no copy of it
	 * answered something of B's (the lab's h2-idle-goaway-v4 cut to the
	 * server's side: its FIN sent again 7 ms on, then its ACK of the
	 * client's request 1 s later). */
	bool b_silent = j->b_seen ? j->hb->last.frame < v->a.fin_frame
				  : (j->ha->last.flags & TCP_FIN) != 0;
	bool fin_unanswered = (v->a.flags & HALF_F_FIN) && v->a.retrans >= 1 &&
			      v->form == FORM_ACTIVE && b_silent;
	if ((v->a.retrans < 2 && !fin_unanswered) || j->hb->last.frame > j->ha->last.frame ||
	    ((v->b.flags & HALF_F_ACK) && seq_geq(v->b.ack, v->a.next_seq)))
		return false;
	/* Exactly the count after which the sender's own stack, as its SYNs
	 * name it, resets by itself (Windows: 5; the BSDs and XNU: 12), the
	 * connection's start captured so none was missed: its stack gave
	 * up, and an application's timeout landing on that very count is no
	 * rival (the corpus's CVE-2018-6794.pcap 30 and 33: a Windows
	 * client's 5 copies at doubling intervals, its RST one doubled
	 * timeout after the last; a review). */
	unsigned stack_count = 0;
	switch (v->host.connections ? v->host.stack : HOST_STACK_UNKNOWN) {
	case HOST_STACK_WINDOWS: stack_count = RETRANS_GIVE_UP_MIN; break;
	case HOST_STACK_MACOS:
	case HOST_STACK_FREEBSD: stack_count = RETRANS_BSD_GIVE_UP; break;
	default: break;
	}
	v->a_fin_rst_early = fin_rst_before_timer(j);
	if (stack_count && v->a.retrans == stack_count && !v->midstream && !v->a_fin_rst_early)
		return decide(v, CAUSE_RETRANSMIT_TIMEOUT, DETAIL_NONE, CONF_HIGH, NO_RUNNER_UP);
	return decide(v, CAUSE_RETRANSMIT_TIMEOUT, DETAIL_NONE, CONF_MEDIUM, CAUSE_LINGER_ABORT);
}

/*
 * One copy of A's last segment, its data or its FIN, and nothing after it
 * from B, no ACK of it either: A sent nothing more until its RST, at its
 * next sequence number, RETRANSMISSION_DUE_NS or more later. Every stack
 * sends an unacknowledged segment again when its retransmission timer
 * expires (RFC 9293 3.8.1, RFC 6298 5.4), a second or so after the first
 * sending, and doubles the timer at each (RFC 6298 5.5): so after a
 * silence of `gap` with no copy, either B acknowledged the segment in a
 * packet the capture does not hold, or this copy was itself a late
 * retransmission, which came at least gap / 2 after the copy before it.
 * Where the capture began less than that before it (and the connection's
 * start is not in it), that copy came before the capture did, and nothing
 * on the wire speaks for an acknowledgement: the peer was gone, and A gave
 * up. BSD-derived stacks send this RST themselves when the timer runs out
 * (FreeBSD's tcp_timer_rexmt and tcp_drop; Apple's after 3 copies of a
 * FIN), as Windows does; Linux gives up silently, so from Linux it is its
 * application's abort, which the lab's retransmit-abort-v4 labels the
 * same. Reviews read the corpus's netflix.pcap 401 and 1kxun.pcap 681 (a
 * Mac's FIN, the capture's first packet or 2.4 s in, reset 14.2 and
 * 22.9 s later) and KakaoTalk_chat.pcap 341 (45 bytes 9.7 s in, reset 41
 * s later) so; the runner-up is the acknowledgement not captured.
 */
static bool late_retransmission_unacked(struct judge *j)
{
	struct verdict *v = j->v;
	const struct seg_note *last = &j->ha->last;
	int64_t gap = v->rst.ts_ns - last->ts_ns;
	if (!j->capture_start || !v->midstream || v->form != FORM_ACTIVE || v->a.retrans ||
	    !last->frame || (last->flags & (TCP_SYN | TCP_RST)) ||
	    !(last->len || (last->flags & TCP_FIN)) || gap < RETRANSMISSION_DUE_NS ||
	    last->ts_ns - j->capture_start >= gap / 2)
		return false;
	if (j->b_seen && (j->hb->last.frame > last->frame ||
			  ((v->b.flags & HALF_F_ACK) &&
			   seq_geq(v->b.ack, last->seq + note_seq_len(last)))))
		return false;
	return decide(v, CAUSE_RETRANSMIT_TIMEOUT, DETAIL_NONE, CONF_MEDIUM,
		      (last->flags & TCP_FIN) ? CAUSE_LINGER_ABORT : CAUSE_RESPONSE_TIMEOUT);
}

/* A RST with a TTL or a timing unlike the sender's own came from elsewhere
 * on the path; any form, since a forger copies the numbers a real RST
 * would carry, not the TTL. After a silence: a middlebox that forgot the
 * flow, answering the first segment after it, or unprompted (load
 * balancers reset both sides when they expire an idle flow: AWS's Network
 * Load Balancer after 350 s, its documentation says). */
static bool foreign_rst_after_silence(struct judge *j)
{
	int64_t gap = j->v->trigger.frame ? j->v->trigger_gap_ns
					  : j->p->ts_ns - j->f->conn.last_ts;
	if (!foreign(j) || gap < 0 || !long_silence(j, gap))
		return false;
	return decide(j->v, CAUSE_IDLE_TIMEOUT, DETAIL_NONE, CONF_MEDIUM, j->endpoint_cause);
}

static bool foreign_rst(struct judge *j)
{
	if (!foreign(j))
		return false;
	return decide(j->v, CAUSE_INJECTED, DETAIL_NONE, CONF_MEDIUM, j->endpoint_cause);
}

/*
 * Both sides had sent their FIN and each had acknowledged all the other's
 * data: the connection was closed, and the RST ends what was left of it
 * (RFC 9293 3.10.7.4). Seen where a side's socket was already gone when
 * the other's FIN or last ACK came (Linux: a FIN_WAIT2 socket expired
 * after tcp_fin_timeout, or LAST_ACK done and a stray FIN after it), and
 * from stacks that end a graceful close with an abortive one (Windows:
 * closesocket with a zero linger after shutdown). Nothing is lost: a
 * follow-up of the close (TAXONOMY reset-followup, "or full close").
 */
static bool after_both_closed(struct judge *j)
{
	struct verdict *v = j->v;
	if (!(v->a.flags & HALF_F_FIN) || !(v->a.flags & HALF_F_ACK) ||
	    !(v->b.flags & HALF_F_ACK) || seq_lt(v->a.ack, side_data_end(&v->b)) ||
	    seq_lt(v->b.ack, v->a.fin_seq))
		return false;
	/* Both FINs: closed, unless A's RST came before its own FIN could be
	 * acknowledged (Windows' abortive close right after shutdown:
	 * abort_after_own_fin). */
	if ((v->b.flags & HALF_F_FIN) &&
	    ((v->a.flags & HALF_F_FIN_ACKED) || v->form == FORM_REPLY)) {
		v->followup_of = v->a.fin_frame > v->b.fin_frame ? v->a.fin_frame : v->b.fin_frame;
		return decide(v, CAUSE_RESET_FOLLOWUP, DETAIL_AFTER_CLOSE, CONF_HIGH, NO_RUNNER_UP);
	}
	/*
	 * B never closed its side: its keep-alive probe or bare ACK, long after
	 * A's acknowledged FIN, met A's connection gone (Linux keeps an
	 * orphaned FIN_WAIT2 for tcp_fin_timeout, 60 s; FreeBSD
	 * net.inet.tcp.finwait2_timeout, 60 s). A had closed; nothing was lost.
	 */
	const struct seg_note *t = &v->trigger;
	if (v->form != FORM_REPLY || !t->frame || t->len > 1 || !(v->a.flags & HALF_F_FIN_ACKED))
		return false;
	v->followup_of = v->a.fin_frame;
	return decide(v, CAUSE_RESET_FOLLOWUP, DETAIL_AFTER_CLOSE, CONF_HIGH, NO_RUNNER_UP);
}

/* A relay on the link's abort at once on B's FIN: decided after the rules,
 * once the origin is known (relay_teardown_at_once); tried in turn, it
 * fits nothing. */
static bool relay_teardown(struct judge *j)
{
	(void)j;
	return false;
}

/*
 * A had sent its FIN, then aborted: a RST at the sequence number after
 * that FIN (RST+ACK, as Linux's tcp_send_active_reset and Windows send
 * it). Linux sends it when the application closes a socket it had shut
 * down for writing and data had arrived unread since (tcp_close,
 * TCP_ABORT_ON_CLOSE), or closes it with a zero linger (tcp_disconnect);
 * Windows on closesocket with a zero linger after shutdown (Microsoft's
 * "Graceful Shutdown, Linger Options, and Socket Closure").
 */
static bool all_read_by_answer(const struct verdict *v);

static bool abort_after_own_fin(struct judge *j)
{
	struct verdict *v = j->v;
	if (!(v->a.flags & HALF_F_FIN) || !(v->rst.flags & TCP_ACK) ||
	    v->rst.seq != v->a.fin_seq + 1 || !j->b_seen)
		return false;
	/*
	 * B's data came after A's FIN and A's stack took it. If A had closed
	 * right after asking (its own data, then its FIN at once), that data
	 * is the answer it did not read: unread. If A had closed on its own
	 * after a silence (an idle timeout's goodbye and FIN), B wrote to a
	 * connection that was closing, as TAXONOMY's data-after-fin says: A's
	 * half-closed socket took the data, and A's close with it unread sent
	 * the RST (Linux's TCP_ABORT_ON_CLOSE; nginx after keepalive_timeout,
	 * in its lingering close: the lab's h2-idle-goaway-v4). The detail is
	 * read from B's ack, as for a RST that answers the data.
	 */
	if (v->b.data_frame > v->a.fin_frame && !b_data_unaccepted(v)) {
		if (v->a_closed_awaiting && v->close_idle_ns < TIMEOUT_SILENCE_MIN_NS)
			return decide(v, CAUSE_UNREAD_RECV_BUFFER, DETAIL_NONE, CONF_MEDIUM,
				      CAUSE_LINGER_ABORT);
		bool acked_fin = (v->b.flags & HALF_F_ACK) && b_ack_shows_fin(v, v->b.ack);
		return decide(v, CAUSE_DATA_AFTER_FIN, acked_fin ? DETAIL_IGNORED_FIN : DETAIL_RACE,
			      CONF_MEDIUM, CAUSE_UNREAD_RECV_BUFFER);
	}
	/* B's data A had answered in full leaves nothing unread (as for an
	 * abortive close without a FIN, below). */
	if (all_read_by_answer(v))
		return decide(v, CAUSE_LINGER_ABORT, DETAIL_NONE, CONF_HIGH, NO_RUNNER_UP);
	/*
	 * B's FIN had reached A before A sent its own, which acknowledges it:
	 * A closed from CLOSE_WAIT, and its FIN took it to LAST_ACK. There
	 * Linux's zero-linger close sends no RST: tcp_disconnect resets only
	 * the states of tcp_need_reset (ESTABLISHED, CLOSE_WAIT, FIN_WAIT1,
	 * FIN_WAIT2, SYN_RECV), and LAST_ACK only with data still unsent,
	 * which A's FIN, sent, was not. The RST there is tcp_close's for data
	 * unread, which it checks before the linger (TCP_ABORT_ON_CLOSE). So
	 * with data of B's taken, unread data is the reading, and a zero
	 * linger, from a stack that resets in LAST_ACK, the runner-up. A
	 * review read the corpus's gnutella.pcap 1071 and CVE-2018-6794.pcap
	 * 32 so: Windows clients whose windows, or whose never answering,
	 * showed the server's last data unread. From another stack, a FIN
	 * that reacted to B's at once says A had read to that end
	 * (classify_close_reacting_to_peer_fin): a zero linger after a
	 * shutdown, as Windows' closesocket with l_linger 0 sends, is then
	 * the reading, unread data the runner-up. On Linux that reaction
	 * cannot have read to the end: a zero linger in LAST_ACK sends no
	 * RST, so the close was woken without reading.
	 */
	const struct seg_note *last = &j->ha->last;
	if (v->b.bytes > 0 && (v->b.flags & HALF_F_FIN) && last->frame == v->a.fin_frame &&
	    (last->flags & TCP_ACK) && seq_gt(last->ack, v->b.fin_seq)) {
		if (!classify_may_run_linux(v) && classify_close_reacting_to_peer_fin(v))
			return decide(v, CAUSE_LINGER_ABORT, DETAIL_NONE, CONF_MEDIUM,
				      CAUSE_UNREAD_RECV_BUFFER);
		return decide(v, CAUSE_UNREAD_RECV_BUFFER, DETAIL_NONE, CONF_MEDIUM,
			      CAUSE_LINGER_ABORT);
	}
	/*
	 * B's data came after A's own last data (or A sent none) and before
	 * A's FIN: TAXONOMY's sign of unread-recv-buffer, B's data after A's
	 * last. A shutdown followed at once by a close is a graceful close,
	 * which resets only for data unread or a zero linger set as well;
	 * Java's sockets shut their output down before every close unless
	 * SO_LINGER is 0 (OpenJDK's NioSocketImpl.close and
	 * SocketChannelImpl), so a Java FIN then RST is data unread, never
	 * the linger (holdout3's java-client-closes-event-stream-unread-v6:
	 * TCP_ABORT_ON_CLOSE). A zero linger after a shutdown, as haproxy's
	 * option nolinger closes, is the runner-up: the hold-out's
	 * haproxy-nolinger-client-timeout-v6 17, whose peer's data had all
	 * come before haproxy's answer, stays linger-abort below. Not when
	 * A's FIN came within FAST_CLOSE_NS of B's data (less A's round trip
	 * from the capture): A's application reacted to that answer, having
	 * read it, as for an abort without a FIN
	 * (classify_abort_reacting_to_answer; the corpus's nats.pcap 13, a
	 * FIN 0.4 ms after the server's PONG).
	 */
	if (v->b.bytes > 0 && v->b.data_frame > v->a.data_frame && v->close_idle_ns >= 0 &&
	    v->close_idle_ns - (v->timing_leg_ns > 0 ? v->timing_leg_ns : 0) > FAST_CLOSE_NS)
		return decide(v, CAUSE_UNREAD_RECV_BUFFER, DETAIL_NONE, CONF_MEDIUM,
			      CAUSE_LINGER_ABORT);
	return decide(v, CAUSE_LINGER_ABORT, DETAIL_NONE, CONF_MEDIUM,
		      v->b.bytes > 0 ? CAUSE_UNREAD_RECV_BUFFER : CAUSE_RESPONSE_TIMEOUT);
}

/* A reply-form RST from an endpoint that had the connection before: it lost it. */
static bool reply_from_host_that_lost_it(struct judge *j)
{
	struct verdict *v = j->v;
	if (v->form != FORM_REPLY || !v->trigger.frame || !j->a_seen || (v->a.flags & HALF_F_FIN))
		return false;
	int64_t gap = v->trigger_gap_ns;
	/* A firewall in front of the host, or on it, answering with its TTL fits
	 * too: after a long silence one that forgot the flow, else one that
	 * rejected the segment. */
	return decide(v, CAUSE_PEER_LOST_STATE, DETAIL_NONE, CONF_MEDIUM,
		      gap >= 0 && long_silence(j, gap) ? CAUSE_IDLE_TIMEOUT : CAUSE_INJECTED);
}

/*
 * An abort by a side that had not closed: active form, or a bare RST at
 * its own next sequence number that answers nothing (the peer's last
 * segment was answered already), as BSD-derived stacks (macOS) may send
 * an abort.
 */
static bool abort_by_form(const struct judge *j)
{
	const struct verdict *v = j->v;
	bool unprompted = v->form != FORM_REPLY ||
			  (!v->trigger.frame && v->rst.seq == v->a.next_seq);
	/* A bare RST numbered below what A had already sent: a socket's own
	 * abort is RST+ACK from snd_nxt (Linux tcp_send_active_reset,
	 * FreeBSD tcp_drop through tcp_output), so this number was copied
	 * from the ack of a segment of B's sent before A's last data reached
	 * B, which the capture does not show (RFC 9293 3.10.7.1): a reply
	 * (the corpus's ethereum.pcap 1784, 28 bytes below the server's own
	 * next number, answers the client's 1608; in a capture begun at
	 * 1782 that segment is not there). */
	if (!(v->rst.flags & TCP_ACK) && (v->a.flags & HALF_F_SEEN) &&
	    seq_lt(v->rst.seq, v->a.next_seq))
		unprompted = false;
	return unprompted && !(v->a.flags & HALF_F_FIN) && j->a_seen;
}

/* With nothing of the peer's captured, what was outstanding is unknown
 * (but see data_shown_by_acks). */
static bool sender_aborted(const struct judge *j)
{
	return abort_by_form(j) && j->b_seen;
}

/*
 * FreeBSD's close of a connected socket (tcp_usrreq.c, tcp_usr_disconnect
 * and tcp_disconnect) drains the receive buffer and sends a FIN, unread
 * data or not; only a zero linger drops the connection with a RST
 * (tcp_drop). So a FreeBSD host's abort is never the unread data's.
 * Not Apple's: XNU's tcp_disconnect drops the connection when its receive
 * buffer or reassembly queue holds data, as Linux (tcp_close) and Windows
 * (closesocket) reset (RFC 2525 2.17).
 */
bool classify_sender_flushes_unread(const struct verdict *v)
{
	return v->host.connections && v->host.stack == HOST_STACK_FREEBSD;
}

bool classify_may_run_linux(const struct verdict *v)
{
	if (v->host.connections && v->host.stack != HOST_STACK_LINUX &&
	    v->host.stack != HOST_STACK_UNKNOWN)
		return false;
	return !(v->a.ttl_min <= v->a.ttl_max && host_initial_ttl(v->a.ttl_max) != 64);
}

/*
 * An application learns of its peer's FIN by reading it: recv() returns 0
 * only once no data is left before it (POSIX recv: "If no messages are
 * available to be received and the peer has performed an orderly
 * shutdown, recv() shall return 0"; Linux's tcp_recvmsg copies the queue
 * before it reports the shutdown; Winsock posts FD_CLOSE "only after all
 * data is read from a socket", WSAAsyncSelect). So when B's FIN, with no
 * data in it, ended a silence of a second or more and A closed within a
 * few milliseconds (and the round trip, for a capture near B), A's
 * application was waiting on the connection and read it to its end: it
 * left nothing unread. (One woken by epoll's EPOLLRDHUP or poll's
 * POLLRDHUP without reading would have, which keeps unread the
 * runner-up.) By chance, a close falls in so short a wait after so long
 * a silence once in a hundred at most. The corpus's wow.pcap 30 and 38:
 * a Windows client's FIN 2.0 and 1.9 ms after the server's idle close,
 * 8.4 s after the server's complete response, then its RST (a review
 * read them as a zero linger after a shutdown).
 */
bool classify_close_reacting_to_peer_fin(const struct verdict *v)
{
	if (!(v->b.flags & HALF_F_FIN) || v->b.data_frame >= v->b.fin_frame ||
	    v->close_idle_ns < WAIT_GIVEN_UP_MIN_NS)
		return false;
	/* A's close: its FIN, else this RST. */
	int64_t closed = (v->a.flags & HALF_F_FIN) ? v->a.fin_ts : v->rst.ts_ns;
	if ((v->a.flags & HALF_F_FIN) && v->a.fin_frame < v->b.fin_frame)
		return false;
	int64_t bound = FIN_REACTION_NS + (v->rtt_ns > 0 ? v->rtt_ns : 0);
	return closed - v->b.fin_ts >= 0 && closed - v->b.fin_ts <= bound;
}

/*
 * The peer's last TLS record was its closing alert (encrypted, most
 * likely close_notify, or close_notify or user_canceled in clear): it
 * was ending the session and would send nothing more (RFC 8446 6.1:
 * close_notify says so, and is the last record its sender writes).
 * The alert may end a segment of data after other records (track_tls).
 */
bool classify_peer_closing_alert_last(const struct verdict *v)
{
	enum role b = role_peer((enum role)v->sender);
	const struct tls_note *t = &v->tls;
	return b != ROLE_UNKNOWN && t->alert_from == b + 1 && t->alert_last &&
	       (t->alert == TLS_ALERT_ENCRYPTED || t->alert == 0 + 1 || t->alert == 90 + 1);
}

/*
 * The peer's closing alert was its last record, and then the sender's own
 * alert was the sender's last (tls_note's alert_both: the alert before it
 * was the other side's, its last record then).
 */
bool classify_closing_alerts_both(const struct verdict *v)
{
	const struct tls_note *t = &v->tls;
	return t->alert_both && t->alert_from == v->sender + 1 && t->alert_last &&
	       v->sender != ROLE_UNKNOWN &&
	       (t->alert == TLS_ALERT_ENCRYPTED || t->alert == 0 + 1 || t->alert == 90 + 1);
}

enum unread_sign classify_unread_sign(const struct verdict *v)
{
	if (classify_sender_flushes_unread(v))
		return UNREAD_NONE;
	/* A zero window from A: its receive buffer was full, its application
	 * not reading (RFC 9293 3.8.6: the window is the room the receiver
	 * has). In a capture begun mid-connection the data that filled it
	 * may all have come before the capture (the lab's
	 * client-closes-mid-download-v4 begun 2 frames before its RST: the
	 * server's window probe, the client's zero window, its RST). */
	if (v->b.bytes == 0)
		return v->midstream && v->a.zero_windows > 0 ? UNREAD_WINDOW_FULL : UNREAD_NONE;
	/*
	 * A TLS client that failed the handshake sends its fatal alert and
	 * closes at once. Its library reads the server's flight record by
	 * record (OpenSSL's ssl3_read_bytes) and stops at the one it rejected,
	 * so the records after it (a TLS 1.2 flight's ServerKeyExchange and
	 * ServerHelloDone behind its Certificate) are still unread when the
	 * socket closes, and Linux's tcp_close sends a RST for them
	 * (TCP_ABORT_ON_CLOSE). A close_notify or user_canceled is no failure.
	 */
	if (v->sender == ROLE_CLIENT && v->tls.stage == TLS_STAGE_SERVER_HELLO &&
	    v->tls.alert_from == ROLE_CLIENT + 1 && v->tls.alert &&
	    v->tls.alert != TLS_ALERT_ENCRYPTED && v->tls.alert != 0 + 1 && v->tls.alert != 90 + 1)
		return UNREAD_TLS_HANDSHAKE;
	/*
	 * A TLS client whose ClientHello the server answered in another
	 * protocol: an HTTP server's error to bytes it could not parse (a
	 * client told https:// for a port that serves plain HTTP), or the
	 * greeting of a protocol whose server speaks first. Its TLS library
	 * reads a record's 5-byte header first (RFC 8446 5.1; OpenSSL's
	 * record layer, Java's SSLSocketInputRecord), fails on one that is no
	 * TLS ("wrong version number"), and closes with the rest of the
	 * answer unread: the close resets (TCP_ABORT_ON_CLOSE; holdout7's
	 * python3-requests to a Node HTTP port, RST 0.1 ms after the 400).
	 * A library that reads what has come (Go's crypto/tls) takes it all
	 * and closes with a FIN, so a RST is the former's, or a zero
	 * linger's, the runner-up. Not when the answer held no more than a
	 * record header.
	 */
	if (v->sender == ROLE_CLIENT && v->tls.stage == TLS_STAGE_CLIENT_HELLO &&
	    v->tls.alert_from != ROLE_SERVER + 1 && v->b.bytes > TLS_RECORD_HEADER_LEN &&
	    (v->b.http_responses > 0 || first_bytes_server_speaks_first(v->app)))
		return UNREAD_NOT_TLS;
	/* HTTP tells it exactly: a request body still arriving (an early final
	 * response, such as a 413, does not end it: RFC 9112 9.6), or more
	 * requests than responses. Not when the snaplen cut a segment of
	 * requests after the last one counted: pipelined requests behind it
	 * (RFC 9112 9.3.2) are not seen, and the signs below decide. */
	if (v->sender == ROLE_SERVER && v->body_due)
		return UNREAD_BODY_DUE;
	if (v->sender == ROLE_SERVER && v->b.http_requests > v->a.http_responses)
		return UNREAD_REQUESTS;
	/* As many answered is nothing left only in clear: under TLS a
	 * request is a record after a silence, and what followed the last
	 * one (a closing alert: the corpus's zoom.pcap 261, a review) is not
	 * counted, so the signs below decide (as all_read_by_answer). */
	if (v->sender == ROLE_SERVER && v->b.http_requests && !v->b.http_requests_cut &&
	    v->tls.stage == TLS_STAGE_NONE)
		return UNREAD_NONE;
	/*
	 * Otherwise the wire shows unread data when A let its receive buffer
	 * fill, when B had closed after data A never answered (an application
	 * that read to that EOF closes with a FIN: Linux's tcp_close sends RST
	 * only for unread payload or a zero linger, and a FIN alone is no
	 * unread payload: it subtracts the FIN from what it counts; so once A
	 * had answered B's last data, only a zero linger or an abort is left:
	 * the corpus's ndpi/tls_certificate_too_long.pcap, 100, a server that
	 * answered the ClientHello and reset the client's FIN), when A never
	 * answered B's data with data of its own, or when data was still
	 * arriving beyond what the RST acknowledges. A last message of B's that answered A's own (a
	 * reply, an LDAP unbind, an SMB logoff) needs no answer, and an
	 * application closing after it had most likely read it: that abort is
	 * deliberate (linger-abort, with this as its runner-up), as it is when
	 * A's own data came last. (The lab's client-linger0-after-response,
	 * final-message-then-abort and ss-kill-idle are that shape, read and
	 * then aborted by design.)
	 */
	if (v->a.zero_windows > 0)
		return UNREAD_WINDOW_FULL;
	if (v->a_window_unread)
		return (enum unread_sign)v->a_window_unread;
	/* (B's FIN taken by A: its ACK or the RST's covers it. A RST that
	 * acknowledges only up to it crossed it, and A's application never
	 * saw that EOF: the corpus's ndpi/webex.pcap 454, one of eleven
	 * connections a client reset within 30 ms as the FIN came.) */
	/* Not when A's RST reacted to that FIN at once: A had read to it
	 * (classify_close_reacting_to_peer_fin), and a zero linger resets
	 * from CLOSE_WAIT on every stack (Linux's tcp_disconnect: CLOSE_WAIT
	 * is among tcp_need_reset's states). */
	if ((v->b.flags & HALF_F_FIN) && v->b.data_frame > v->a.data_frame &&
	    (((v->a.flags & HALF_F_ACK) && seq_gt(v->a.ack, v->b.fin_seq)) ||
	     ((v->rst.flags & TCP_ACK) && seq_gt(v->rst.ack, v->b.fin_seq))) &&
	    !classify_close_reacting_to_peer_fin(v))
		return UNREAD_PEER_CLOSED;
	if (v->a.bytes == 0)
		return UNREAD_NEVER_ANSWERED;
	/* A RST's acknowledgment number means something only with ACK set
	 * (RFC 9293 3.1: "If the ACK control bit is set..."); a bare RST's is
	 * whatever the stack left there, often 0, and says nothing of what
	 * arrived. */
	if ((v->rst.flags & TCP_ACK) && seq_lt(v->rst.ack, side_data_end(&v->b)))
		return UNREAD_ARRIVING;
	/*
	 * B ended its TLS session: its last record, after A's own last data,
	 * was its closing alert. A TLS application that has what it wanted
	 * closes without reading that alert: RFC 8446 6.1 does not ask the
	 * side closing to wait for the other's close_notify, and OpenSSL's
	 * SSL_shutdown sends its own and returns (SSL_shutdown(3):
	 * "unidirectional shutdown"). The alert is then unread in the
	 * receive buffer, and Linux, Windows and Apple's stack reset on it
	 * (the corpus's webex.pcap 444-448, whose client closed its
	 * connections that held nothing unread with FINs in the same 30 ms).
	 * Benign: no application data was lost.
	 */
	if (v->b.data_frame > v->a.data_frame && classify_peer_closing_alert_last(v))
		return UNREAD_CLOSING_ALERT;
	/*
	 * B's closing alert, its last record, and then A's own, its last
	 * data: A's alert is no sign A read B's. A TLS library sends its
	 * close_notify when its application closes, without reading the
	 * peer's (OpenSSL's SSL_shutdown, first call: "unidirectional
	 * shutdown"; Java's SSLSocket.close), so B's alert is still in the
	 * receive buffer, and the close resets on it; had A read it, its
	 * close would have sent a FIN (the FIN is no unread data) unless its
	 * linger was zero, the runner-up. A review read the corpus's
	 * ndpi/viber.pcap 37 so, where the client's alert came 7.7 ms after
	 * the server's alert and FIN, and its RST 1.9 ms after its own.
	 */
	if (classify_closing_alerts_both(v))
		return UNREAD_CLOSING_ALERTS;
	return UNREAD_NONE;
}

/* Does B have data A never answered or never read? */
static bool b_data_unanswered(const struct judge *j)
{
	return classify_unread_sign(j->v) != UNREAD_NONE;
}

/*
 * The rival of data left unread: mostly a zero linger (SO_LINGER 0),
 * which sends the same RST whether or not the data was read. But a
 * connection still in its listener's accept queue has taken the client's
 * data in the kernel (the child socket acknowledges it) with no
 * application holding it, and a listener that closes (its process
 * exiting, a prefork worker recycled, a restart) resets every such
 * connection: Linux inet_csk_listen_stop, through inet_child_forget and
 * tcp_disconnect (reason TCP_STATE). So when the server sent nothing
 * after its SYN-ACK, and its RST neither followed the client's last
 * segment at once (an application that read the data and aborted, as
 * nginx's return 444 does, reacts within a round trip and
 * REQUEST_REACTION_NS) nor came while a request's body was still due (a
 * read timeout's abort), the connection may never have been accepted:
 * handshake-abort is the rival. (The lab's listener-closed-queued-v4 and
 * accept-overflow-deferred-v4 26-27, the hold-outs'
 * reuseport-worker-exit-queued-v4 and
 * php-builtin-server-killed-queued-requests: the kernel's TCP_STATE from
 * the listener's close, 7 RSTs; nginx's 444 and a relay's give-up came
 * within a millisecond of the request.)
 */
static enum cause unread_rival(const struct verdict *v)
{
	if (v->sender != ROLE_SERVER || v->role_guessed || !(v->a.flags & HALF_F_ISN) ||
	    v->a.bytes > 0 || (v->a.flags & HALF_F_FIN) || v->body_due > 0)
		return CAUSE_LINGER_ABORT;
	/* with the client unseen, from the server's own last segment (its
	 * ACK of the data) */
	int64_t waited = (v->b.flags & HALF_F_SEEN) ? v->peer_silent_ns : v->idle_before_ns;
	int64_t reaction = REQUEST_REACTION_NS + (v->rtt_ns > 0 ? v->rtt_ns : 0);
	return waited > reaction ? CAUSE_HANDSHAKE_ABORT : CAUSE_LINGER_ABORT;
}

/* Closing a socket with unread received data sends RST instead of FIN (RFC 2525 2.17). */
static bool close_with_data_unread(struct judge *j)
{
	if (!sender_aborted(j) || !b_data_unanswered(j))
		return false;
	/* The wire cannot show whether the application read the data before an
	 * abortive close (SO_LINGER 0) that would have sent the same RST. */
	return decide(j->v, CAUSE_UNREAD_RECV_BUFFER, DETAIL_NONE, CONF_MEDIUM, unread_rival(j->v));
}

/*
 * The client's request was acknowledged, then a long silence, then its
 * abort. Its application's timer runs from the request's send, not from
 * the server's ACK of it, which reaches the client a round trip later: so
 * when the request is the client's last segment, a wait of a second since
 * it counts too (a 1 s timeout on a 50 ms path leaves the server silent
 * for 0.95 s).
 */
static bool abort_while_waiting(struct judge *j)
{
	struct verdict *v = j->v;
	if (!sender_aborted(j) || v->sender != ROLE_CLIENT)
		return false;
	bool a_waiting = v->a.data_frame > v->b.data_frame && (v->b.flags & HALF_F_ACK) &&
			 seq_geq(v->b.ack, v->a.next_seq);
	const struct seg_note *last = &j->ha->last;
	bool waited = last->frame == v->a.data_frame && last->len > 0 &&
		      v->rst.ts_ns - last->ts_ns >= WAIT_GIVEN_UP_MIN_NS;
	if (!a_waiting || (!long_silence(j, v->peer_silent_ns) && !waited))
		return false;
	return decide(v, CAUSE_RESPONSE_TIMEOUT, DETAIL_NONE, CONF_MEDIUM, CAUSE_LINGER_ABORT);
}

/*
 * Nothing of the server's captured (a one-way capture), yet the client's
 * own IPv4 IDs tell what it sent, and so what it received: a RST whose ID
 * follows the ID of the client's last data segment by exactly one means the
 * client sent nothing in between. No retransmission, so the server
 * acknowledged that data (RFC 9293 3.8.1, RFC 6298 5: unacknowledged data
 * is sent again when the RTO expires); no ACK, so no data came back (a
 * receiver acknowledges data it gets, RFC 9293 3.8.6.3, delaying at most
 * 500 ms, RFC 1122 4.2.3.2). After a silence of a second at least, the
 * client gave up waiting for an answer. (Whether the server had
 * acknowledged the data is shown only once a retransmission would have
 * come: explain.c says so after 3 s.) An ID of 0 (stacks that zero it on
 * DF packets) proves nothing.
 */
static bool wait_shown_by_ip_id(struct judge *j)
{
	struct verdict *v = j->v;
	const struct seg_note *last = &j->ha->last;
	if (v->ipver != 4 || v->sender != ROLE_CLIENT || !j->a_seen || j->b_seen ||
	    v->form != FORM_ACTIVE || (last->flags & (TCP_FIN | TCP_RST)) || last->len == 0 ||
	    v->a.ip_id == 0 || (uint16_t)(v->ip_id - v->a.ip_id) != 1 ||
	    v->rst.ts_ns - last->ts_ns < WAIT_GIVEN_UP_MIN_NS)
		return false;
	return decide(v, CAUSE_RESPONSE_TIMEOUT, DETAIL_NONE, CONF_MEDIUM, CAUSE_LINGER_ABORT);
}

bool classify_rst_acks_further(const struct verdict *v)
{
	return (v->rst.flags & TCP_ACK) && (v->a.flags & HALF_F_ACK) &&
	       seq_gt(v->rst.ack, v->a.ack);
}

uint32_t classify_unseen_peer_bytes(const struct verdict *v)
{
	if ((v->b.flags & HALF_F_SEEN) || !(v->a.flags & HALF_F_ACK))
		return 0;
	uint32_t end = classify_rst_acks_further(v) ? v->rst.ack : v->a.ack;
	return seq_gt(end, v->b.base_seq) ? end - v->b.base_seq : 0;
}

/*
 * Nothing of B's captured (a one-way capture: asymmetric routing, one
 * direction of a SPAN, a filter on one host), yet A's acknowledgment
 * numbers show B's data: a receiver acknowledges the data it takes (RFC
 * 9293 3.10.7.4), so A's acks advancing past its first one count B's
 * bytes, as Wireshark's "ACKed segment that wasn't captured" reads them
 * (tcp_track.c keeps A's first ack for this). A's abort with that data
 * never answered (A sent no data), or with more of it taken after A's
 * last ACK (the RST acknowledges further), is then read as the two-way
 * judge reads those signs (classify_unread_sign): closed unread, a zero
 * linger the runner-up; with data of A's, below. (The
 * hold-out's nginx client_body_timeout with reset_timedout_connection,
 * captured with `src host` of the server: 16 KB of a body, then nginx's
 * abort 1 s later, whose kernel reason, TCP_STATE, says a zero linger.)
 * Not after --max-flows evictions: B's packets may have been forgotten.
 */
static bool data_shown_by_acks(struct judge *j)
{
	struct verdict *v = j->v;
	if (j->b_seen || v->after_evictions || !abort_by_form(j) ||
	    classify_sender_flushes_unread(v))
		return false;
	if (classify_unseen_peer_bytes(v) == 0)
		return false;
	/* Only a RST+ACK is a socket's own abort (Linux's
	 * tcp_send_active_reset, Windows); a bare one at A's next number is
	 * as likely the reply of a host that lost the connection to a segment
	 * not captured (below; holdout9's HAProxy silent-drop, its listener
	 * answering the client's FIN 2 s after the request, cut to its side). */
	if (!(v->rst.flags & TCP_ACK))
		return false;
	if (v->a.bytes == 0 || classify_rst_acks_further(v))
		return decide(v, CAUSE_UNREAD_RECV_BUFFER, DETAIL_NONE, CONF_MEDIUM, unread_rival(v));
	/*
	 * A sent data, and took nothing of B's beyond its last ACK. When its
	 * last segment before the RST was that data, whose acknowledgment
	 * the RST's repeats, all of B's that A took had come before it (a
	 * segment acknowledges what its sender had taken when it left, RFC
	 * 9293 3.4): the two-way judge's A's data after B's. Otherwise B's
	 * may have come after A's last data, as an answer: the two-way
	 * judge's last message of B's that answered A's own
	 * (classify_unread_sign). Either way, an abortive close, unless A's
	 * application had not read all of B's (abortive_close). The lab's
	 * linger0-server-v4 and client-linger0-after-response-v4 and like
	 * RSTs cut to the aborting side. Only a RST+ACK, as a socket's own
	 * abort is (Linux's tcp_send_active_reset, Windows): a bare one at
	 * A's next number is as likely the reply of a host that lost the
	 * connection to a segment not captured (the lab's server-lost-state-v4
	 * and five hold-outs' like RSTs, cut to one side: above).
	 */
	return decide(v, CAUSE_LINGER_ABORT, DETAIL_NONE, CONF_MEDIUM, CAUSE_UNREAD_RECV_BUFFER);
}

/* An abortive close (SO_LINGER 0) with nothing left unanswered; a probe without data. */
/*
 * B's data was all read by A's application where A's last answer needed
 * all of it: B's TLS handshake flight, answered by A's own (a TLS library
 * answers a flight only once it has read it whole: RFC 8446 4, RFC 5246
 * 7.3; the corpus's tls_certificate_too_long.pcap 285-286, a ClientHello
 * answered in full before the server's abort), or B's HTTP requests,
 * each answered by a response from A (RFC 9112 9.3: a server answers a
 * request it has read). Then the abort left nothing unread.
 */
static bool all_read_by_answer(const struct verdict *v)
{
	if (v->b.bytes == 0 || v->b.data_frame >= v->a.data_frame)
		return false;
	if (v->tls.stage == TLS_STAGE_SERVER_HELLO)
		return true;
	/* B's last data ended with its session's last command (a QUIT), and
	 * A's reply came after it: A read up to that command, the end of B's
	 * data (RFC 5321 4.1.1.10: the server replies 221, then closes; the
	 * corpus's arkime/smtp-decrypted.pcap 36, a review). */
	if (v->b_quit_last)
		return true;
	/* In clear only: under TLS the counts are records', not messages'. */
	return v->tls.stage == TLS_STAGE_NONE && v->sender == ROLE_SERVER &&
	       v->b.http_requests > 0 && v->a.http_responses >= v->b.http_requests &&
	       !v->b.http_requests_cut;
}

/*
 * A's abort within FAST_CLOSE_NS of B's data that answered A's own (its ack
 * covers all A had sent) and that the RST acknowledges to its end: A's
 * application reacted to that answer, having read at least its start (the
 * corpus's wireshark-smb-on-windows10.pcap 47-89: five Windows SMB
 * clients' RSTs 0.2 ms after the server's STATUS_LOGON_FAILURE; a
 * review). A close that came by chance within a millisecond of the answer
 * it awaited is no likelier. Away from A the answer reaches it, and its
 * RST comes back, a round trip later: A's fastest answer on the
 * connection (timing_leg_ns) is taken off, and what is left is A's own
 * time, which reacting to an answer it read keeps within
 * REQUEST_REACTION_NS (the corpus's socks5-smtp-503.pcap 20: a client
 * 0.33 s from the capture, its RST 0.41 s after the server's 503; a
 * review). Without A's round trip known, a millisecond at the capture.
 * Likewise B's answer comes B's round trip (peer_leg_us) after what it
 * answers passed the capture point. Not when one program made both
 * sides' packets (IP_ID_BOTH_SIDES: a generator, a rebuilt session), whose
 * timing is that program's (the corpus's zattoo.pcap 10 and 31, RSTs
 * microseconds after a 200; a review). An answer, not a new message: it
 * came within TIMEOUT_SILENCE_MIN_NS of what went before. Whether A read all of it the
 * wire does not say (a client that reads an error's header and closes
 * leaves its body unread), so the verdict stays linger-abort at medium,
 * unread the runner-up; the words name the answer the abort reacted to.
 */
bool classify_abort_reacting_to_answer(const struct verdict *v)
{
	const struct seg_note *t = &v->trigger;
	return v->ip_id_relation != IP_ID_BOTH_SIDES && t->frame && t->len > 0 &&
	       t->frame == v->b.data_frame && v->a.bytes > 0 &&
	       v->a.data_frame < t->frame && (t->flags & TCP_ACK) &&
	       seq_geq(t->ack, side_data_end(&v->a)) && (v->rst.flags & TCP_ACK) &&
	       v->rst.ack == side_data_end(&v->b) && t->seq + t->len == side_data_end(&v->b) &&
	       v->rst.ts_ns - t->ts_ns >= 0 &&
	       (v->timing_leg_ns > 0
			? v->rst.ts_ns - t->ts_ns - v->timing_leg_ns <= REQUEST_REACTION_NS
			: v->rst.ts_ns - t->ts_ns <= FAST_CLOSE_NS) &&
	       v->trigger_gap_ns >= 0 &&
	       v->trigger_gap_ns - (int64_t)v->peer_leg_us * 1000 < TIMEOUT_SILENCE_MIN_NS;
}

static bool abortive_close(struct judge *j)
{
	struct verdict *v = j->v;
	if (!sender_aborted(j))
		return false;
	/* Without the handshake, no data seen is not no data sent. */
	bool probe = v->a.bytes == 0 && v->b.bytes == 0 && !v->midstream;
	/* No data either way: from the client, a connect timeout that fired
	 * as the handshake completed would abort the same way; from the
	 * server, a listener closing with the connection still queued
	 * (inet_csk_listen_stop), which no application had accepted. */
	if (probe && v->sender == ROLE_CLIENT && j->f->conn.established)
		/* Its own ACK completed the handshake: connect() had returned,
		 * and the close of an established socket sends a FIN (Linux
		 * tcp_close, Windows closesocket) unless the linger is zero.
		 * Whatever timer closed it, the RST is a zero linger's (the
		 * corpus's tcp_scan.pcapng 9, an nmap connect scan). */
		return decide(v, CAUSE_LINGER_ABORT, DETAIL_PROBE, CONF_HIGH, NO_RUNNER_UP);
	if (probe)
		return decide(v, CAUSE_LINGER_ABORT, DETAIL_PROBE, CONF_MEDIUM,
			      v->sender == ROLE_SERVER ? CAUSE_HANDSHAKE_ABORT : CAUSE_CONNECT_TIMEOUT);
	if (all_read_by_answer(v))
		return decide(v, CAUSE_LINGER_ABORT, DETAIL_NONE, CONF_HIGH, NO_RUNNER_UP);
	/* Data of B's that A answered may still not have been read by A's
	 * application, unless A's stack discards unread data quietly; with
	 * none, A may have given up waiting for an answer. */
	if (v->b.bytes > 0 && classify_sender_flushes_unread(v))
		return decide(v, CAUSE_LINGER_ABORT, DETAIL_NONE, CONF_HIGH, NO_RUNNER_UP);
	/* B sent no data and its FIN had reached A (the RST acknowledges it):
	 * nothing was left unread, and B, done sending (RFC 9293 3.6), had no
	 * answer to give that A could have been waiting for. A reacted to the
	 * end of the stream with an abort (the corpus's alexa-app.pcapng 1537:
	 * a server's alert and RST one round trip after a client's FIN that
	 * ended a connection it sent nothing on). Without the handshake, B's
	 * data may have come before the capture did. */
	if (classify_abort_at_peer_eof(v))
		return decide(v, CAUSE_LINGER_ABORT, DETAIL_NONE, CONF_HIGH, NO_RUNNER_UP);
	/* B's FIN had reached A all the same: B was done sending, so no
	 * answer A waited for could still come, and the rival is B's data
	 * from before a capture begun mid-connection, left unread (the
	 * corpus's EAQ.pcap 9 begun 2 frames before the RST: unread-recv-buffer
	 * from the whole capture, where response-timeout was named; and
	 * KakaoTalk_chat.pcap 298, begun mid-connection itself). */
	bool peer_done = (v->rst.flags & TCP_ACK) && (v->b.flags & HALF_F_FIN) &&
			 v->rst.ack == v->b.fin_seq + 1;
	/* Begun mid-connection after B's data, which A's own data in view was
	 * answering: A may have left more of it unread, the rival, not a wait
	 * for data B never sent in view (the lab's pipelined-unread-v4 begun
	 * at the server's response: the two requests, one unanswered, came
	 * before). */
	bool answering_unseen = v->midstream && v->a.bytes > 0;
	return decide(v, CAUSE_LINGER_ABORT, DETAIL_NONE, CONF_MEDIUM,
		      v->b.bytes > 0 || peer_done || answering_unseen ? CAUSE_UNREAD_RECV_BUFFER
								      : CAUSE_RESPONSE_TIMEOUT);
}

/*
 * A RST answering a segment of another connection that reached its
 * sender untranslated, or mapped anew to another port (nat_twin.h says how
 * that comes about; the note is set by classify_revise_untranslated).
 * After the connection had been idle a second or more, the NAT forgot the
 * mapping: idle-timeout,
 * as TAXONOMY's middlebox that forgot an idle flow, though here the
 * forgetting shows as a misdelivered segment and the endpoint's own RST.
 * Sooner, no timer explains it (Linux conntrack's INVALID segments go
 * through untranslated; a NAT that restarted, failed over or was flushed
 * forgets all at once): the wire does not say which.
 */
static bool untranslated_segment(struct judge *j)
{
	struct verdict *v = j->v;
	bool idle = v->trigger.ts_ns - v->nat.ts_ns >= WAIT_GIVEN_UP_MIN_NS;
	/*
	 * The peer's segment was sent to a host that never had its
	 * connection (NAT_TWIN_MOVED): the box that maps the address to its
	 * hosts (a load balancer, a DNAT) had lost the flow's mapping and
	 * picked one anew. For the connection the server side has lost its
	 * state, as TAXONOMY's peer-lost-state says of a host that restarted
	 * (holdout2's and holdout8's labels). After a silence of a second or
	 * more the box's idle timer may have dropped the mapping: idle-timeout
	 * the runner-up; sooner, a restart, a flush or a failover did.
	 */
	if (v->nat.kind == NAT_TWIN_MOVED)
		return idle ? decide(v, CAUSE_PEER_LOST_STATE, DETAIL_NONE, CONF_MEDIUM,
				     CAUSE_IDLE_TIMEOUT)
			    : decide(v, CAUSE_PEER_LOST_STATE, DETAIL_NONE, CONF_HIGH, NO_RUNNER_UP);
	if (v->nat.kind != NAT_TWIN_UNTRANSLATED && v->nat.kind != NAT_TWIN_REMAPPED)
		return false;
	if (idle)
		return decide(v, CAUSE_IDLE_TIMEOUT, DETAIL_NONE, CONF_HIGH, NO_RUNNER_UP);
	return decide(v, CAUSE_UNKNOWN, DETAIL_NONE, CONF_LOW, NO_RUNNER_UP);
}

/* Rules the untranslated segment's evidence does not override: a RST no
 * stack sends, and one that names its own reason. */
static bool decided_by_the_rst_itself(enum rule r)
{
	return r == RULE_FLAGS_NO_STACK_SENDS || r == RULE_DIAGNOSED_TIMEOUT ||
	       r == RULE_MPTCP_FASTCLOSE || r == RULE_MPTCP_SUBFLOW_RESET;
}

void classify_revise_untranslated(struct verdict *v, const struct nat_twin_note *note)
{
	if (decided_by_the_rst_itself((enum rule)v->rule) || v->form != FORM_REPLY)
		return;
	v->nat = *note;
	/* The twin's handshake names the roles: the sender opened it
	 * (untranslated) or took it (remapped), or stood in for the end that
	 * took it (moved). */
	v->sender = note->kind == NAT_TWIN_UNTRANSLATED ? ROLE_CLIENT : ROLE_SERVER;
	v->role_guessed = false;
	/* A kernel answered for a connection it did not have: the segment, a
	 * request among them, reached no application. */
	if (v->request.frame && v->request.frame == v->trigger.frame && !v->request_from_sender) {
		v->reached_peer = REACHED_NO;
		v->retry_safe = true;
	}
	struct judge j = { .v = v };
	if (untranslated_segment(&j))
		v->rule = RULE_UNTRANSLATED_SEGMENT;
}

/*
 * A reply-form RST from the side of a connection that such a RST had reset
 * (nat_twin_log_find): the far end of the twin took the RST, whose seq was
 * its own rcv_nxt (RFC 9293 3.10.7.4), and has no connection left, so it
 * answers the endpoint's next segment as one for no connection. Not a new
 * cause: the follow-up of that RST (TAXONOMY: linked to the first).
 */
static bool after_untranslated_reset(struct judge *j)
{
	struct verdict *v = j->v;
	if (v->nat.kind != NAT_TWIN_AFTER_RESET)
		return false;
	return decide(v, CAUSE_RESET_FOLLOWUP, DETAIL_NONE, CONF_HIGH, NO_RUNNER_UP);
}

void classify_revise_after_untranslated(struct verdict *v, const struct nat_twin_reset *r)
{
	if (decided_by_the_rst_itself((enum rule)v->rule) || v->rule == RULE_AFTER_EARLIER_RESET ||
	    v->form != FORM_REPLY)
		return;
	memset(&v->nat, 0, sizeof v->nat);
	v->nat.kind = NAT_TWIN_AFTER_RESET;
	v->nat.via = r->note.kind;
	v->nat.frame = r->segment_frame;
	v->nat.ts_ns = r->segment_ts;
	v->nat.rst_ts_ns = r->rst_ts;
	memcpy(v->nat.addr, r->from, 16);
	v->nat.port = r->from_port;
	v->followup_of = r->rst_frame;
	struct judge j = { .v = v };
	if (after_untranslated_reset(&j))
		v->rule = RULE_AFTER_UNTRANSLATED_RESET;
}

/*
 * An application's abort (not a reply, judged the endpoint's) is what a
 * burst explains: an application that exits or closes its pool, or a
 * device whose network changes, aborts every connection at once. Not a
 * closed socket's answer to late data (data-after-fin: the closes came
 * before), nor a stack's timer giving up (connect-timeout,
 * retransmit-timeout, keepalive-timeout: one tick may end several, as
 * the corpus's gnutella.pcap 2207-2210 do).
 */
bool classify_burst_matters(const struct verdict *v)
{
	return v->form != FORM_REPLY && v->origin != ORIGIN_MIDDLEBOX &&
	       (v->cause == CAUSE_LINGER_ABORT || v->cause == CAUSE_UNREAD_RECV_BUFFER ||
		v->cause == CAUSE_RESPONSE_TIMEOUT);
}

void classify_revise_burst(struct verdict *v, const struct rst_burst *b)
{
	if (b->connections < BURST_MIN || !classify_burst_matters(v))
		return;
	v->burst_connections = (uint8_t)(b->connections > UINT8_MAX ? UINT8_MAX : b->connections);
	v->burst_last_d = (int32_t)((int64_t)b->last_frame - (int64_t)v->rst.frame);
	int64_t span = (b->last_ts - b->first_ts) / 1000;
	v->burst_span_us = (uint32_t)(span < 0 ? 0 : span > UINT32_MAX ? UINT32_MAX : span);
}

static bool nothing_fits(struct judge *j)
{
	return decide(j->v, CAUSE_UNKNOWN, DETAIL_NONE, CONF_LOW, NO_RUNNER_UP);
}

/* Tried in this order; the first that fits decides (enum rule has the same order). */
static const struct {
	enum rule id;
	const char *name;
	bool (*fits)(struct judge *j);
} rules[RULE_COUNT] = {
	{ RULE_FLAGS_NO_STACK_SENDS, "flags-no-stack-sends", flags_no_stack_sends },
	{ RULE_REFUSAL_OF_UNSEEN_SYN, "refusal-of-unseen-syn", refusal_of_unseen_syn },
	{ RULE_AFTER_EARLIER_RESET, "after-earlier-reset", after_earlier_reset },
	{ RULE_AFTER_UNTRANSLATED_RESET, "after-untranslated-reset", after_untranslated_reset },
	{ RULE_MPTCP_FASTCLOSE, "mptcp-fastclose", mptcp_fastclose },
	{ RULE_DIAGNOSED_TIMEOUT, "diagnosed-timeout", diagnosed_timeout },
	{ RULE_UNTRANSLATED_SEGMENT, "untranslated-segment", untranslated_segment },
	{ RULE_SYN_ON_RECENTLY_CLOSED_TUPLE, "syn-on-recently-closed-tuple",
	  syn_on_recently_closed_tuple },
	{ RULE_SYN_REFUSED, "syn-refused", syn_refused },
	{ RULE_ABORT_AS_CONNECTED, "abort-as-connected", abort_as_connected },
	{ RULE_SYN_ACK_AFTER_CLIENT_GAVE_UP, "syn-ack-after-client-gave-up",
	  syn_ack_after_client_gave_up },
	{ RULE_CHALLENGE_ACK_FOR_STALE_CONNECTION, "challenge-ack-for-stale-connection",
	  challenge_ack_for_stale_connection },
	{ RULE_SYN_ANSWERED_BY_OLD_ACK, "syn-answered-by-old-ack", syn_answered_by_old_ack },
	{ RULE_OLD_ACK_UNSEEN, "old-ack-unseen", old_ack_unseen },
	{ RULE_SYN_UNANSWERED, "syn-unanswered", syn_unanswered },
	{ RULE_ACK_OF_UNSENT_DATA, "ack-of-unsent-data", ack_of_unsent_data },
	{ RULE_ACK_SCAN_PROBE, "ack-scan-probe", ack_scan_probe },
	{ RULE_SYN_ACK_UNANSWERED, "syn-ack-unanswered", syn_ack_unanswered },
	{ RULE_SERVER_RESET_BEFORE_DATA, "server-reset-before-data", server_reset_before_data },
	{ RULE_FIN_NEVER_ACKED, "fin-never-acked", fin_never_acked },
	{ RULE_DATA_AFTER_OWN_FIN, "data-after-own-fin", data_after_own_fin },
	{ RULE_PROBES_UNANSWERED, "probes-unanswered", probes_unanswered },
	{ RULE_RETRANSMISSIONS_UNACKED, "retransmissions-unacked", retransmissions_unacked },
	{ RULE_LATE_RETRANSMISSION_UNACKED, "late-retransmission-unacked",
	  late_retransmission_unacked },
	{ RULE_FOREIGN_RST_AFTER_SILENCE, "foreign-rst-after-silence", foreign_rst_after_silence },
	{ RULE_FOREIGN_RST, "foreign-rst", foreign_rst },
	{ RULE_AFTER_BOTH_CLOSED, "after-both-closed", after_both_closed },
	{ RULE_RELAY_TEARDOWN, "relay-teardown", relay_teardown },
	{ RULE_ABORT_AFTER_OWN_FIN, "abort-after-own-fin", abort_after_own_fin },
	{ RULE_REPLY_FROM_HOST_THAT_LOST_IT, "reply-from-host-that-lost-it",
	  reply_from_host_that_lost_it },
	{ RULE_CLOSE_WITH_DATA_UNREAD, "close-with-data-unread", close_with_data_unread },
	{ RULE_ABORT_WHILE_WAITING, "abort-while-waiting", abort_while_waiting },
	{ RULE_WAIT_SHOWN_BY_IP_ID, "wait-shown-by-ip-id", wait_shown_by_ip_id },
	{ RULE_DATA_SHOWN_BY_ACKS, "data-shown-by-acks", data_shown_by_acks },
	{ RULE_ABORTIVE_CLOSE, "abortive-close", abortive_close },
	{ RULE_MPTCP_SUBFLOW_RESET, "mptcp-subflow-reset", mptcp_subflow_reset },
	{ RULE_NOTHING_FITS, "nothing-fits", nothing_fits },
};

/* The first rule that fits decides. */
static enum rule apply_rules(struct judge *j)
{
	for (size_t i = 0; i < RULE_COUNT; i++)
		if (rules[i].fits(j))
			return rules[i].id;
	return RULE_NOTHING_FITS;
}

/*
 * The cause the rules give when the RST is taken to be the endpoint's own
 * (its TTL and timing set aside), on a scratch copy of the verdict. What
 * the wire shows otherwise does not fit any endpoint cause: then a host
 * that lost the connection, as a reply from it would be.
 */
static enum cause endpoint_reading(const struct judge *j)
{
	struct verdict scratch = *j->v;
	struct judge as_endpoint = *j;
	as_endpoint.v = &scratch;
	as_endpoint.ttl_step = as_endpoint.too_fast = as_endpoint.sent_here = false;
	apply_rules(&as_endpoint);
	return scratch.cause == CAUSE_UNKNOWN ? CAUSE_PEER_LOST_STATE : (enum cause)scratch.cause;
}

/* The cause the rules give a crossed RST (after_earlier_reset) on the
 * sender's own side, the peer's RST set aside, on a scratch copy. */
static enum cause own_side_reading(const struct judge *j)
{
	struct verdict scratch = *j->v;
	struct judge own = *j;
	own.v = &scratch;
	own.own_side = true;
	apply_rules(&own);
	return (enum cause)scratch.cause;
}

const char *rule_name(enum rule r)
{
	return (unsigned)r < RULE_COUNT ? rules[r].name : "?";
}

/*
 * The request the RST met: the segment it answers, or a request still
 * unanswered. TAXONOMY "request": reached_peer is "no" when it crossed the
 * peer's FIN or met no socket, "yes" when the peer answered it or its live
 * socket acknowledged it, "maybe" otherwise.
 */
static void judge_request(struct judge *j)
{
	const struct flow *f = j->f;
	struct verdict *v = j->v;
	const struct http_note *r = &f->conn.request;
	/* A TLS connection's server name rides in the note's target, with or
	 * without a request: kept for the record either way. */
	if (f->conn.tls.stage != TLS_STAGE_NONE)
		memcpy(v->request.target, r->target, sizeof v->request.target);
	if (!r->frame)
		return;
	const struct tcp_half *asker = &f->conn.half[r->dir], *peer = &f->conn.half[1 - r->dir];
	bool is_trigger = v->trigger.frame == r->frame;
	bool unanswered = asker->http_requests > peer->http_responses ||
			  (r->dir != j->dir && v->body_due);
	/* The asker's own abort while the answer was still arriving, past
	 * what its RST acknowledges: the RST met that request's response,
	 * answered and cut short (the corpus's EAQ.pcap 22, a GET whose 200
	 * came 152 ms before the client's abort; a review). */
	bool cut_short = r->dir == j->dir && peer->data_frame > r->frame &&
			 classify_unread_sign(v) == UNREAD_ARRIVING;
	if (!is_trigger && !unanswered && !cut_short)
		return;
	v->request = *r;
	bool no_socket = v->cause == CAUSE_DATA_AFTER_FIN || v->cause == CAUSE_PEER_LOST_STATE ||
			 v->cause == CAUSE_IDLE_TIMEOUT || v->cause == CAUSE_CLOSED_PORT ||
			 v->cause == CAUSE_HANDSHAKE_ABORT;
	/* Data after the sender's FIN that its stack never acknowledged met a
	 * closed socket, whether or not the RST names it (a request that
	 * crossed the FIN, with the asker's own FIN behind it). */
	bool never_acked = v->cause == CAUSE_DATA_AFTER_FIN && r->dir != j->dir &&
			   (j->ha->flags & HALF_F_ACK) && seq_geq(r->seq, j->ha->ack);
	/* What the asked side acknowledged, its RST's ack included when it
	 * sent the RST: a RST+ACK that acknowledges the request shows its
	 * stack took it as much as an ACK does (the corpus's rtsp.pcap 481,
	 * a GET_PARAMETER after 59.6 s, acknowledged only by the RST; a
	 * review read "may have reached" against the RST's own ack). */
	bool acked = ((peer->flags & HALF_F_ACK) && seq_gt(peer->ack, r->seq)) ||
		     (r->dir != j->dir && (v->rst.flags & TCP_ACK) && seq_gt(v->rst.ack, r->seq));
	if ((is_trigger || never_acked) && no_socket)
		v->reached_peer = REACHED_NO;
	else if (!unanswered || acked)
		v->reached_peer = REACHED_YES;
	else
		v->reached_peer = REACHED_MAYBE;
	v->request_from_sender = r->dir == j->dir;
	/* A TLS record's method is encrypted: safe only if it reached nothing. */
	v->retry_safe = v->reached_peer == REACHED_NO || http_method_idempotent(r->method);
}

/* A sender's IPv4 ID moves by one per packet it sends (Linux keeps a
 * counter per connection); a few packets may be missing from the capture. */
#define IP_ID_STEP_MAX 16
/* ... or, on a host with one counter, the packets it sent on its other
 * connections meanwhile (as host_table.c's HOST_ID_FOLLOW_MAX). */
#define IP_ID_GLOBAL_STEP_MAX 4096

/*
 * Two counters a host each keeps for its side of a connection start from
 * unrelated values (Linux's per socket at random, Windows' one per host),
 * so they lie within IP_ID_STEP_MAX of each other by a chance of about one
 * in two thousand a connection: a capture of thousands holds some (the
 * live-soak test's 1300 aborts, one of them read as one program's). Where
 * the capture has compared both sides of four connections or more and at
 * most half ran on one counter, a connection whose two counters were
 * already close at its third segment (tcp_half's ids_near_peer: they
 * started close, and stay so) is that chance, not a program that made
 * both sides' packets. One whose sides came onto one counter later in
 * the connection was rebuilt from there (the corpus's smtp-decrypted.pcap,
 * after STARTTLS), and one in a capture of few compared decides alone.
 */
static bool ids_both_by_chance(const struct capture_so_far *c)
{
	return c->ids_both_compared >= 4 && 2 * c->ids_both_shared <= c->ids_both_compared;
}

/*
 * IPv4 ID against A's own last packet: a RST that continues A's running ID
 * came from A's stack; ID 0 is how Linux sends replies without a socket
 * (ip_send_unicast_reply through a per-CPU control socket whose packets
 * are DF with ID 0); any other ID is unlike A's: a forger's, or that of a
 * stack with one counter for all its connections, as Windows has (nmap's
 * OS detection, "TCP ISN and IP ID sequence": its TI/CI/II tests see
 * Windows increment one counter across probes). The host table says
 * which: a RST further on the one counter of a host seen numbering its
 * connections so is A's; ID 0 from such a host, or from one whose SYN
 * names Windows, is not its signature. (Apple's stacks do send ID 0 on
 * their DF packets, as the corpus shows: only a counter rules 0 out.)
 */
static enum ip_id_relation judge_ip_id(const struct judge *j)
{
	const struct verdict *v = j->v;
	/* A copy carries its original's ID: it says nothing more. Nor is a
	 * RST compared with the sender's RST before it, as no RST's TTL is
	 * added to its sender's: a socket's RSTs may come from another
	 * counter than its packets (the corpus's ndpi/whatsappfiles.pcap
	 * 308-310, alexa-app.pcapng 2754; reviews), and a forged one would
	 * vouch for the next. */
	if (v->ipver != 4 || !j->a_seen || v->a.ip_id == 0 || j->copy)
		return IP_ID_NOT_COMPARED;
	uint16_t step = (uint16_t)(v->ip_id - v->a.ip_id);
	if ((j->ha->last.flags & TCP_RST) && v->ip_id != 0)
		return IP_ID_NOT_COMPARED;
	if (v->ip_id == 0)
		return j->host && (j->host->stack == HOST_STACK_WINDOWS ||
				   host_ip_ids(j->host) == HOST_IP_ID_GLOBAL) ? IP_ID_ZERO_NOT_ITS
									    : IP_ID_ZERO;
	/* Continuing the peer's counter as well: both sides' packets came
	 * from one counter, which no two hosts share, so one program made
	 * them (a generator; a tool that rebuilt a decrypted session, as
	 * the corpus's arkime/smtp-decrypted.pcap after STARTTLS, and
	 * zattoo.pcap: reviews), and the ID tells no side from the other. */
	uint16_t peer_step = (uint16_t)(v->ip_id - v->b.ip_id);
	if (step >= 1 && step <= IP_ID_STEP_MAX && v->b.ip_id && peer_step >= 1 &&
	    peer_step <= IP_ID_STEP_MAX && !j->ids_both_by_chance)
		return IP_ID_BOTH_SIDES;
	if (step >= 1 && step <= IP_ID_STEP_MAX)
		return IP_ID_CONTINUES;
	if (j->host && host_ip_ids(j->host) == HOST_IP_ID_GLOBAL && step >= 1 &&
	    step <= IP_ID_GLOBAL_STEP_MAX)
		return IP_ID_CONTINUES_GLOBAL;
	/* Not a signature, but not a doubt either (a review read "does not
	 * follow" from such hosts as one: the corpus's netflix.pcap 1261,
	 * whose client's IDs are random, and socks5-smtp-503.pcap 20, a
	 * Windows client 28 on). Decided as unrelated IDs are. */
	if (j->host && host_ip_ids(j->host) == HOST_IP_ID_RANDOM)
		return IP_ID_HOST_RANDOM;
	if (j->host && j->host->stack == HOST_STACK_WINDOWS && step >= 1 &&
	    step <= IP_ID_GLOBAL_STEP_MAX)
		return IP_ID_WINDOWS_ON;
	/* XNU numbers a packet at random (ip_randomid, net.inet.ip.random_id
	 * on by default) or, where RFC 6864 is followed, sends 0 on a DF one:
	 * no counter for a RST to continue (a review of the corpus's
	 * arkime/https3-301-get.pcap 20, a macOS client's IDs 0x6b72, 0x6442,
	 * 0x430c, 0xda7d in turn). Decided as unrelated IDs are. */
	if (j->host && j->host->stack == HOST_STACK_MACOS)
		return IP_ID_STACK_RANDOM;
	return IP_ID_UNRELATED;
}

/* Round trips shorter than this are jitter-bound (LAN, veth): timing cannot tell. */
#define ORIGIN_TIMING_MIN_NS 2000000

/*
 * How soon role r can answer anything, as a time from the capture point
 * and back: its fastest answer on this connection (flow.h, answer_ns;
 * the handshake's leg is one). Each answer is at least that round trip,
 * and their least is close to it. The handshake must have been seen: its
 * legs are the kernel's own immediate answers (a SYN-ACK, the ACK of a
 * SYN-ACK), where any later answer may wait for a delayed ACK (40 ms to
 * 200 ms, RFC 1122 4.2.3.2) or for the application, and a least of those
 * alone could be twice the round trip. A handshake leg alone is one
 * sample, which a phone's radio waking up or a VM's scheduling can make
 * many times the round trip; the least of all answers is not. -1 when
 * the handshake was not seen.
 */
static int64_t fastest_answer(const struct flow *f, enum role r)
{
	if (!f->conn.syn_ts || !f->conn.synack_ts || !f->conn.hs_ack_ts || r == ROLE_UNKNOWN)
		return -1;
	int e = r == ROLE_CLIENT ? f->conn.client : 1 - f->conn.client;
	return f->conn.answer_ns[e] ? (int64_t)f->conn.answer_ns[e] : -1;
}

/* The same, -1 under ORIGIN_TIMING_MIN_NS: what timing judges an origin by. */
static int64_t answer_leg(const struct flow *f, enum role r)
{
	int64_t leg = fastest_answer(f, r);
	return leg < ORIGIN_TIMING_MIN_NS ? -1 : leg;
}

/*
 * A RST that answers B's segment in less than half the round trip from the
 * capture point to A (A's fastest answer, answer_leg) cannot have come from A.
 */
static void judge_timing(struct judge *j)
{
	struct verdict *v = j->v;
	int64_t leg = answer_leg(j->f, (enum role)v->sender);
	if (!v->trigger.frame || leg < 0)
		return;
	int64_t answer = v->rst.ts_ns - v->trigger.ts_ns;
	if (answer < 0 || 2 * answer >= leg)
		return;
	j->too_fast = true;
	v->timing_leg_ns = leg;
}

/*
 * The peer's (B's) fastest answer in µs, 0 unknown: what an answer from
 * it takes at least. No floor here: on a LAN, or behind a NAT that
 * answers for the far side (slirp, VirtualBox's), an ACK a few µs after
 * the RST is still faster than anything the peer ever answered, and was
 * in flight (the corpus's gnutella.pcap 1072: VirtualBox's NAT answers
 * in µs, and acknowledged the client's FIN 1 µs after the client's RST).
 */
static uint32_t peer_leg_us(const struct flow *f, enum role sender)
{
	int64_t leg = sender == ROLE_UNKNOWN ? -1 : fastest_answer(f, role_peer(sender));
	/* Before the handshake completes, the server's first SYN-ACK is its
	 * one answer (the words of a connect timeout compare it with the
	 * copy the client's RST answers). */
	if (leg < 0 && sender == ROLE_CLIENT && f->conn.synack_ts &&
	    f->conn.answer_ns[1 - f->conn.client])
		leg = f->conn.answer_ns[1 - f->conn.client];
	return leg < 0 || leg / 1000 > UINT32_MAX ? 0 : (uint32_t)(leg / 1000);
}

/*
 * Retransmission intervals double (RFC 6298 5.5; Linux, Windows and the
 * BSDs all back off so), so a client's k SYN retransmissions over a time
 * T from its first SYN took intervals r, 2r, ..., with T = r (2^k - 1),
 * and its next was due 2^k r after the last. Read only where the client
 * sent nothing but those SYNs, at least one of them again.
 */
int64_t classify_syn_retry_due(const struct verdict *v)
{
	unsigned k = v->b.syn_retrans;
	if (!v->syn_ts || k == 0 || k > 10 || v->peer_silent_ns < 0 || v->b.pkts != k + 1u ||
	    v->sender != ROLE_SERVER)
		return 0;
	int64_t span = classify_syn_last_ts(v) - v->syn_ts;
	if (span <= 0)
		return 0;
	int64_t r = span / (int64_t)((1u << k) - 1u);
	return classify_syn_last_ts(v) + r * (int64_t)(1u << k);
}

/* A profile this many connections long, all with one TTL, is the host's hop distance. */
#define HOST_CONSISTENT_MIN 3

/*
 * Nothing of A's on this connection but RSTs (a closed port, a capture
 * that starts late): its address's other connections. A TTL they showed
 * is A's own distance (a path keeps its hop count); one unlike the single
 * TTL of several connections came from another hop, as a firewall's
 * reject does. A stack starts every packet at one TTL (Linux's
 * net.ipv4.ip_default_ttl, Windows' DefaultTTL), so a RST that left its
 * sender at another initial TTL than all the address's packets did was
 * sent by another stack, even after one connection. Anything less
 * consistent (a NAT or load balancer's address with hosts behind it at
 * several distances) decides nothing.
 */
static void origin_by_host(struct verdict *v, const struct host_profile *h)
{
	v->origin = ORIGIN_UNKNOWN;
	v->origin_basis = ORIGIN_BY_NOTHING;
	if (!h || h->n_ttl == 0)
		return;
	v->host = *h;
	uint8_t ttl = v->copied_ttl ? v->copied_ttl : v->rst.ttl;
	for (int k = 0; k < h->n_ttl; k++)
		if (h->ttl[k] == ttl) {
			v->origin = ORIGIN_ENDPOINT;
			v->origin_basis = ORIGIN_BY_HOST_MATCH;
			return;
		}
	if (h->n_ttl == 1 && h->connections >= HOST_CONSISTENT_MIN) {
		v->origin = ORIGIN_MIDDLEBOX;
		v->origin_basis = ORIGIN_BY_HOST_STEP;
		return;
	}
	/* A RST continuing the IDs of the sender's earlier RSTs came from
	 * their stack, whatever TTL it gives RSTs: in the corpus's
	 * gnutella.pcap, a VirtualBox NAT guest's capture, the far side's
	 * RSTs come at 255 and its other packets at 64, on one ID counter. */
	if (v->ip_id_relation == IP_ID_CONTINUES || v->ip_id_relation == IP_ID_CONTINUES_GLOBAL)
		return;
	uint8_t init = host_initial_ttl(h->ttl[0]);
	for (int k = 1; k < h->n_ttl; k++)
		if (host_initial_ttl(h->ttl[k]) != init)
			return;
	if (host_initial_ttl(ttl) != init) {
		v->origin = ORIGIN_MIDDLEBOX;
		v->origin_basis = ORIGIN_BY_HOST_STACK;
	}
}

/*
 * A refusal from a box that makes each connection itself (origin by one
 * IPv4 ID counter, or a public address's RST made on the link) says only
 * that the box's own connect() to the real host failed: libslirp answers
 * any failure of it so, ECONNREFUSED at once and a later one alike
 * (tcp_input; cont_conn: SS_NOFDREF, dropwithreset). A host or network
 * unreachable beyond the box (an ICMP error: Linux's tcp_v4_err aborts a
 * connect in SYN-SENT on one) comes back within the same round trip as a
 * refusal, so the wire does not tell them apart: the closed port is
 * medium, and the runner-up is a connect that failed without one (the
 * corpus's gnutella.pcap 561, refused 365 ms after each of a Windows
 * guest's three SYNs to a peer's stale address; a review).
 */
static void relayed_refusal(struct verdict *v)
{
	if (v->cause == CAUSE_CLOSED_PORT && v->confidence == CONF_HIGH &&
	    v->origin == ORIGIN_MIDDLEBOX &&
	    (v->origin_basis == ORIGIN_BY_SHARED_IDS || v->origin_basis == ORIGIN_BY_LOCAL_RELAY))
		decide(v, CAUSE_CLOSED_PORT, (enum detail)v->detail, CONF_MEDIUM,
		       CAUSE_CONNECT_TIMEOUT);
}

/*
 * A TCP-terminating box numbers what it sends for every address with one
 * counter: VirtualBox's NAT engine (slirp) makes every packet of the far
 * side itself (the corpus's gnutella.pcap), and a phone's VPN app relays
 * through a user-space stack (tunnelbear.pcap, waze.pcap and webex.pcap
 * show such a counter, on 7 to 21 addresses).
 * Comparing such a RST's TTL with "the server's own" packets compares the
 * box with itself; the RST is the box's, built from what it learnt of
 * the far side (a failed connect, a closed relay), or of its own doing.
 * An origin a RST's own form or payload gave (timing, payload, the
 * sender going on) stands.
 */
void classify_revise_shared_ids(struct verdict *v, const struct host_profile *host)
{
	/*
	 * Its own ID near a recent connection start's, where its address
	 * showed nothing else: one packet near another's by chance is no
	 * pattern. Its ID running on from the packet just before it of
	 * another address is the box's next one, whatever its connection's
	 * start showed: those are compared with the last few starts only,
	 * which the counter of a box relaying many connections has often
	 * passed by far (gnutella.pcap 1286, 1485, 1978, 2207).
	 */
	bool shared = host_ids_shared(host) || v->id_follows_back ||
		      (v->id_near_shared && (!host || (host->ids_near == 0 && host->ids_far == 0)));
	if (!shared || v->revised.kind != REVISED_NOT ||
	    v->origin_basis == ORIGIN_BY_TIMING || v->origin_basis == ORIGIN_BY_PAYLOAD)
		return;
	if (host)
		v->host = *host;
	v->origin = ORIGIN_MIDDLEBOX;
	v->origin_basis = ORIGIN_BY_SHARED_IDS;
	relayed_refusal(v);
}

void classify_revise_origin(struct verdict *v, const struct host_profile *host)
{
	if (v->origin_basis == ORIGIN_BY_NOTHING && v->revised.kind == REVISED_NOT)
		origin_by_host(v, host);
}

/*
 * A's packets, the RST among them, arrived with the TTL they were sent
 * with (64, 128 or 255: RFC 791 has every router lower it, so no router
 * stood between): A sits on the capture's own link, or is the capturing
 * host. Nothing can answer from nearer, and its handshake leg measures
 * its own processing, not a distance: a phone's radio waking, a VM's
 * scheduling (the corpus's alexa-app.pcapng 2753 and 2784, signal.pcap
 * 254 and 255, jabber.pcap 300: a 4-16 ms leg, then RSTs as fast as the
 * host's other answers, 0.6-1.6 ms). Timing says nothing there.
 */
static bool sender_zero_hops(const struct judge *j)
{
	const struct side *a = &j->v->a;
	return j->a_ttl && ttl_as_sent(a->ttl_min, a->ttl_max) && j->v->rst.ttl == a->ttl_min;
}

/*
 * A public IPv4 address reaches a private one (RFC 1918, or a carrier
 * NAT's RFC 6598 range) only through a NAT router, and every router
 * lowers the TTL (RFC 791 3.2, RFC 1812 5.3.1). Packets from a public
 * address that arrive at a private one with the TTL they were sent with
 * crossed no router: a box on the capture's link or host made them in
 * that address's name, one that terminates TCP and relays each connection
 * with its own socket. A phone's VPN app that captures does so
 * (PCAPdroid's zdtun on its 10.215.173.1 tun: the corpus's
 * ndpi/dingtalk.pcap, whose far server answers at TTL 64, IPv4 ID 0 and
 * the tun's MSS of 9960), as do libslirp (QEMU, slirp4netns, VirtualBox's
 * NAT) and a transparent proxy on the link. The one other maker is the
 * NAT router itself, answering on its own public address.
 */
static bool relayed_on_link(uint8_t ipver, const uint8_t *from, const uint8_t *to,
			    uint8_t ttl_min, uint8_t ttl_max)
{
	return ipver == 4 && ttl_as_sent(ttl_min, ttl_max) && ipv4_public(from) &&
	       ipv4_behind_nat(to);
}

/*
 * A relay on the link answers a SYN only once its own connect() to the
 * real host is up (libslirp's tcp_input; PCAPdroid's zdtun the same), so
 * the handshake here took at least the far side's round trip. An abort
 * from it sooner than half that after B's FIN, B's last segment, carries
 * no word from the real host: the box tore the connection down itself as
 * B closed (zdtun's close_conn resets a connection it has sent no FIN
 * on). The corpus's dingtalk.pcap 16: 0.67 ms after the client's FIN,
 * against a 4.66 ms handshake; a review. Benign: B had closed. What the
 * rules said of the box's socket is the runner-up.
 */
static void relay_teardown_at_once(struct judge *j)
{
	struct verdict *v = j->v;
	if (v->origin_basis != ORIGIN_BY_LOCAL_RELAY || v->form != FORM_ACTIVE || v->rtt_ns <= 0 ||
	    !(v->b.flags & HALF_F_FIN) || j->hb->last.frame != v->b.fin_frame ||
	    (v->a.flags & HALF_F_FIN) || v->rst.ts_ns - v->b.fin_ts >= v->rtt_ns / 2 ||
	    (v->cause != CAUSE_UNREAD_RECV_BUFFER && v->cause != CAUSE_LINGER_ABORT &&
	     v->cause != CAUSE_RESPONSE_TIMEOUT))
		return;
	enum cause said = (enum cause)v->cause;
	v->rule = RULE_RELAY_TEARDOWN;
	decide(v, CAUSE_LINGER_ABORT, DETAIL_NONE, CONF_MEDIUM,
	       said == CAUSE_LINGER_ABORT ? CAUSE_UNREAD_RECV_BUFFER : said);
}

/*
 * So the RST, which its sender's TTLs call its own, is that box's. With
 * none of its sender's packets on this connection to compare (or only
 * its address's on others), the RST's own TTL says as much: a public
 * address's RST at the TTL it was sent with, to a private one, was made
 * on the link (the corpus's gnutella.pcap 209, 228 and 251: VirtualBox's
 * NAT refusing a guest's first SYNs at TTL 255, 183 ms after each, in
 * the far hosts' names; a review).
 */
static void relay_on_link(struct judge *j)
{
	struct verdict *v = j->v;
	bool own = v->origin == ORIGIN_ENDPOINT && v->origin_basis == ORIGIN_BY_TTL_MATCH &&
		   sender_zero_hops(j) &&
		   relayed_on_link(v->ipver, v->src, v->dst, v->a.ttl_min, v->a.ttl_max);
	bool alone = (v->origin_basis == ORIGIN_BY_NOTHING ||
		      v->origin_basis == ORIGIN_BY_HOST_MATCH) &&
		     relayed_on_link(v->ipver, v->src, v->dst, v->rst.ttl, v->rst.ttl);
	if (own || alone) {
		v->origin = ORIGIN_MIDDLEBOX;
		v->origin_basis = ORIGIN_BY_LOCAL_RELAY;
		relay_teardown_at_once(j);
		relayed_refusal(v);
	}
	v->peer_relay = classify_peer_on_link_relay(v);
	classify_revise_relayed_fin_ack(v);
}

/*
 * Data after A's FIN that acknowledged it says that B's stack had the FIN
 * when the data left (ignored-fin). From a box that terminates TCP for B
 * (peer_relay: a phone's VPN app, a VM's NAT engine), that acknowledgment
 * is the box's own stack's, which takes A's segments at once; the real B
 * wrote beyond the box, and whether the FIN had reached it does not show
 * (the corpus's tunnelbear.pcap 383: the server's h2 preface came one
 * upstream round trip after the client's Finished, 70.8 ms after its FIN;
 * a review). The detail is left unsaid.
 */
void classify_revise_relayed_fin_ack(struct verdict *v)
{
	if (v->peer_relay && v->cause == CAUSE_DATA_AFTER_FIN && v->detail == DETAIL_IGNORED_FIN)
		v->detail = DETAIL_NONE;
}

bool classify_peer_on_link_relay(const struct verdict *v)
{
	return v->b.ttl_min <= v->b.ttl_max &&
	       relayed_on_link(v->ipver, v->dst, v->src, v->b.ttl_min, v->b.ttl_max);
}

/* TTL against A's own earlier packets (the main middlebox evidence), else timing. */
/*
 * A sent nothing but its SYN (and copies of it), a raw socket's: no window
 * scaling, which every kernel's SYN offers (Linux, Windows, macOS and
 * FreeBSD; syn_ack_after_client_gave_up), nor one cut by the snaplen. Its
 * program set its TTL, not A's stack (nmap's raw probes take one from 37
 * to 59 at random, tcpip.cc), so no hop count can be read from it. A host
 * that sent such a SYN has no socket for the SYN-ACK it draws, and its
 * kernel refuses that SYN-ACK with a RST (RFC 9293 3.10.7.1): this one,
 * when it answers the SYN-ACK at the SYN's next number. (The hold-out's
 * nmap -sS, captured at the scanner: SYNs at TTL 41 and 39, the kernel's
 * RSTs at 64.)
 */
static bool raw_syn_refused(const struct tcp_half *a, const struct pkt *p,
			    const struct seg_note *trigger)
{
	return (a->flags & HALF_F_ISN) && a->state == HALF_SYN_SENT &&
	       !(a->flags & HALF_F_WSCALE) && a->wscale != WSCALE_CUT && trigger->frame &&
	       (trigger->flags & (TCP_SYN | TCP_ACK)) == (TCP_SYN | TCP_ACK) &&
	       p->seq == a->base_seq + 1 && trigger->ack == a->base_seq + 1;
}

static void judge_origin(struct judge *j)
{
	struct verdict *v = j->v;
	v->ip_id_relation = (uint8_t)judge_ip_id(j);
	/* An IPv4 ID that continues A's own counter, or Linux's ID 0 of a RST
	 * without a socket with A's own TTL, is A's stack's signature: timing,
	 * which only bounds where a RST was sent from and rests on one
	 * handshake's legs (skewed on a tunnel or VPN interface), yields to it. */
	if (!j->ttl_step && v->ip_id_relation != IP_ID_CONTINUES &&
	    v->ip_id_relation != IP_ID_CONTINUES_GLOBAL && v->ip_id_relation != IP_ID_ZERO &&
	    !sender_zero_hops(j))
		judge_timing(j);
	if (j->sent_here) {
		v->origin = ORIGIN_MIDDLEBOX;
		v->origin_basis = ORIGIN_BY_CAPTURE_HOST;
	} else if (j->too_fast) {
		v->origin = ORIGIN_MIDDLEBOX;
		v->origin_basis = ORIGIN_BY_TIMING;
	} else if (j->raw_syn) {
		v->origin = ORIGIN_ENDPOINT;
		v->origin_basis = ORIGIN_BY_RAW_SYN;
	} else if (!j->a_ttl) {
		origin_by_host(v, j->host);
	} else if (j->ttl_step) {
		v->origin = ORIGIN_MIDDLEBOX;
		v->origin_basis = ORIGIN_BY_TTL_STEP;
	} else {
		v->origin = ORIGIN_ENDPOINT;
		v->origin_basis = ORIGIN_BY_TTL_MATCH;
	}
	/* A code only service functions send is their own word for it. */
	if (diag_code(v, DIAG_SERVICE_FIRST, DIAG_SERVICE_LAST)) {
		v->origin = ORIGIN_MIDDLEBOX;
		v->origin_basis = ORIGIN_BY_PAYLOAD;
	}
}

/* An Ethernet path's largest TCP segment (1500-byte MTU, IPv4, no options). */
#define ETHERNET_MSS 1460

/*
 * What a's receive window shows of data a had taken and not read, for
 * UNREAD_WINDOW_SHORT and UNREAD_WINDOW_FREED. A receiver keeps its
 * window's right edge where it was as data arrives (RFC 9293 3.8.6.2.1: it
 * should not shrink the window; Linux's tcp_select_window never does), so
 * the room falls as data is taken and not read; an application that reads
 * frees room, and the stack says so at once when that at least doubles
 * the window (Linux's __tcp_cleanup_rbuf; RFC 9293 3.8.6.2.2's update by
 * an MSS). So:
 * - short: a's last segment offered b less room than one of b's segments:
 *   its buffer was all but full;
 * - freed: a's RST offers at least twice its last segment's room, and a
 *   segment more, with no update between: Linux's tcp_close discards the
 *   unread data before it sends the RST, whose window counts the room that
 *   freed, and reading that much would have been advertised first (a
 *   reply-form RST, or another stack's, offers 0 and shows nothing).
 * The window is scaled by a's own shift (RFC 7323 2.3), so both SYNs must
 * have been seen with their options. b's segment counts up to an Ethernet
 * MSS: a capture on b's host shows segmentation offload's super-segments.
 */
static enum unread_sign unread_window(const struct tcp_half *a, const struct tcp_half *b,
				      const struct pkt *rst)
{
	const struct seg_note *al = &a->last, *bl = &b->last;
	if (!(a->flags & HALF_F_ISN) || !(b->flags & HALF_F_ISN) || !al->frame || !bl->len ||
	    (al->flags & (TCP_SYN | TCP_RST)) || !(al->flags & TCP_ACK))
		return UNREAD_NONE;
	if (a->wscale >= WSCALE_CUT || b->wscale >= WSCALE_CUT)
		return UNREAD_NONE;
	bool scaled = (a->flags & HALF_F_WSCALE) && (b->flags & HALF_F_WSCALE);
	/* A shift above 14 is taken as 14 (RFC 7323 2.3). */
	unsigned shift = scaled ? (a->wscale > 14 ? 14 : a->wscale) : 0;
	uint64_t room = (uint64_t)al->window << shift, freed = (uint64_t)rst->window << shift;
	uint64_t seg = bl->len < ETHERNET_MSS ? bl->len : ETHERNET_MSS;
	if (room == 0)
		return UNREAD_NONE;     /* a zero window is counted as such */
	if (room < seg)
		return UNREAD_WINDOW_SHORT;
	if ((rst->flags & TCP_ACK) && freed >= 2 * room && freed - room >= seg)
		return UNREAD_WINDOW_FREED;
	return UNREAD_NONE;
}

/*
 * Both sides' packets on one IPv4 ID counter were made by one program (a
 * tool that rebuilt a decrypted session, a generator: judge_ip_id), which
 * leaves out what it did not rebuild: a record it could not or did not
 * decrypt, as a TLS close_notify, goes as a bare ACK or not at all (the
 * corpus's arkime/smtp-decrypted.pcap 35-36: after STARTTLS, the server's
 * FIN, the client's bare ACK, the server's RST; a review). An abort read
 * from nothing left unread is then no more than likely: the same RST
 * answers data the program left out, which after the sender's FIN met
 * its closed socket (data-after-fin) and before it lay unread
 * (unread-recv-buffer).
 */
static void one_program_abort(struct verdict *v)
{
	if (v->ip_id_relation != IP_ID_BOTH_SIDES || v->cause != CAUSE_LINGER_ABORT ||
	    v->confidence != CONF_HIGH)
		return;
	decide(v, CAUSE_LINGER_ABORT, (enum detail)v->detail, CONF_MEDIUM,
	       (v->a.flags & HALF_F_FIN) ? CAUSE_DATA_AFTER_FIN : CAUSE_UNREAD_RECV_BUFFER);
	v->one_program_capped = true;
}

/*
 * A segment bigger than a link on the path carries is dropped there, and
 * the router's ICMP "fragmentation needed" (IPv4, RFC 1191) or "packet
 * too big" (IPv6, RFC 8201) is what makes its sender send smaller ones. A
 * firewall that filters that ICMP makes a path-MTU black hole (RFC 2923
 * 2.1): the handshake and small segments cross, full-sized ones vanish
 * and are sent again at the same size (Linux shrinks them only with
 * tcp_mtu_probing, RFC 4821) until the sender or its application gives
 * up. The wire's sign, for side h: its last segment sent again data
 * bigger than the least MTU every path carries (576 bytes for IPv4, RFC
 * 791; 1280 for IPv6, RFC 8200 5) with minimal headers, unacknowledged,
 * and bigger than all the other side ever acknowledged of h's data since
 * h's SYN: no segment that big got through. A peer that went down just
 * then shows the same, so this is a fact for the words, never a cause.
 */
static bool note_oversize_stuck(struct verdict *v, const struct tcp_half *h,
				const struct tcp_half *other, uint8_t side)
{
	const struct seg_note *l = &h->last;
	if (!(h->flags & HALF_F_ISN) || !h->last_resent || !l->len || !(other->flags & HALF_F_ACK))
		return false;
	uint32_t headers = v->ipver == 6 ? 40 + 20 : 20 + 20;
	uint32_t least_mtu = v->ipver == 6 ? 1280 : 576;
	if (l->len > UINT16_MAX || l->len + headers <= least_mtu || seq_gt(other->ack, l->seq))
		return false;
	/* h's data the other acknowledged: past h's ISN, and its SYN took one */
	uint32_t acked = seq_gt(other->ack, h->base_seq) ? other->ack - h->base_seq - 1 : 0;
	if (acked >= l->len)
		return false;
	v->stuck_side = side;
	v->stuck_len = (uint16_t)l->len;
	v->stuck_acked = acked;
	return true;
}

/* The connection's facts as they stood before the RST, into v. */
static void record_connection(struct verdict *v, const struct flow *f, int dir,
			      const struct pkt *p)
{
	const struct tcp_half *a = &f->conn.half[dir], *b = &f->conn.half[1 - dir];
	side_from_half(&v->a, a);
	side_from_half(&v->b, b);
	v->rst_take = tcp_track_rst_take(a, b, p) & 7u;
	v->sender = (int8_t)flow_role(f, dir);
	v->role_guessed = f->conn.role_guessed;
	v->syn = f->conn.syn;
	v->synack = f->conn.synack;
	v->established = f->conn.established;
	v->midstream = f->conn.midstream;
	v->after_evictions = f->conn.after_evictions;
	v->a_quit_last = f->conn.quit_from == dir + 1;
	v->a_data_last = a->last.frame && a->last.frame == a->data_frame;
	v->b_quit_last = f->conn.quit_from == 1 - dir + 1;
	v->a_closed_awaiting = f->conn.data_before_close == dir + 1 &&
			       f->conn.first_closer == dir && (f->conn.half[dir].flags & HALF_F_FIN);
	v->a_farewell_closed = v->a_closed_awaiting && f->conn.farewell_closed;
	v->a_wait_unmeasured = v->a_closed_awaiting && f->conn.data_unanswered_reply;
	v->b_window_closed = (b->flags & HALF_F_SEEN) && b->last.window == 0 &&
			     !(b->last.flags & (TCP_SYN | TCP_RST));
	v->a_window_unread = (uint8_t)unread_window(a, b, p);
	/* Probes before the capture's start: keep-alives unless the peer's
	 * window was closed at that number (then a zero window's, as
	 * tcp_track.c's is_keepalive tells them apart; the lab's
	 * nginx-send-timeout-reset captured from its probes). */
	if (classify_probes_before_rst(a, b, p) &&
	    (!(b->flags & HALF_F_SEEN) ||
	     ((b->flags & HALF_F_ACK) && b->ack == p->seq && b->last.window != 0))) {
		v->a.keepalives = (uint16_t)(a->pkts > UINT16_MAX ? UINT16_MAX : a->pkts);
		v->a.next_seq = p->seq;     /* SND.NXT, one above the probes */
		v->a_probes_inferred = true;
	}
	v->goodbye = f->conn.goodbye & 7u;
	v->goodbye_by_sender = f->conn.goodbye_from == dir + 1;
	if (!note_oversize_stuck(v, a, b, STUCK_SENDER))
		note_oversize_stuck(v, b, a, STUCK_PEER);
	v->incarnation = f->conn.incarnation;
	v->max_gap_ns = f->conn.max_gap_ns;
	if (f->conn.pkts > 0 && p->ts_ns - f->conn.last_ts > v->max_gap_ns)
		v->max_gap_ns = p->ts_ns - f->conn.last_ts;
	/* Silence before the closing event: an earlier FIN or RST, else this
	 * RST. A FIN that was the connection's first segment captured has no
	 * silence known before it (the capture began there). */
	if (f->conn.close_idle_ns >= 0 && f->conn.pkts > 0)
		v->idle_before_ns = f->conn.close_idle_ns;
	else if (f->conn.pkts > 0 && f->conn.first_closer < 0)
		v->idle_before_ns = p->ts_ns > f->conn.active_ts ? p->ts_ns - f->conn.active_ts : 0;
	v->close_idle_ns = f->conn.close_idle_ns;
	/* Karn's rule (RFC 6298 3): a SYN sent again before the SYN-ACK leaves
	 * which one it answers unknown, and timing it from the first adds the
	 * SYN's retransmission timeout (1 s or more) to the round trip (the
	 * corpus's socks5-smtp-503.pcap: 3.46 s, for a SYN sent twice). */
	if (f->conn.syn_ts && f->conn.synack_ts && f->conn.hs_ack_ts && !f->conn.syn_resent_early)
		v->rtt_ns = f->conn.hs_ack_ts - f->conn.syn_ts;
	v->peer_silent_ns = p->ts_ns - b->last.ts_ns;
	/* The peer's request declared a body it had not finished sending. */
	const struct http_note *r = &f->conn.request;
	if (r->frame && r->has_body && r->dir != dir) {
		uint32_t sent = (b->flags & HALF_F_FIN) ? b->fin_seq : b->next_seq;
		if (seq_gt(r->body_end, sent))
			v->body_due = r->body_end - sent;
	}
	if (f->conn.incarnation) {
		/* To the new connection's SYN, which the words and TIME-WAIT
		 * are about (a review of the words: measured to the RST, a
		 * client restart read 477 ms at the server, 263 ms at the
		 * client, for one tuple). */
		v->since_prev_ns = (f->conn.syn_ts ? f->conn.syn_ts : p->ts_ns) - f->conn.prev.end_ts;
		/*
		 * TIME-WAIT follows a close with FINs (RFC 9293 3.6); a connection
		 * that was refused or reset went straight to CLOSED (3.10.7.4), and
		 * Linux drops a TIME-WAIT socket that a RST answered
		 * (tcp_timewait_state_process, TCP_TW_RST). Within 60 s on Linux,
		 * with margin for other stacks' 2MSL.
		 */
		v->tuple_recently_closed = f->conn.prev_first_closer >= 0 && !f->conn.prev_ended_by_rst &&
					   v->since_prev_ns < 120 * 1000000000LL;
	}
	v->syn_ts = f->conn.syn_ts;
	int64_t due = classify_syn_retry_due(v);
	v->synack_after_give_up = due && f->conn.synack_ts > due;
	v->response = f->conn.response;
	v->tls = f->conn.tls;       /* before the rules: a TLS failure is evidence */
	v->app = f->conn.app;
	/* a service's refusal: only a server's counts (first_bytes.h) */
	if (f->conn.refusal_from && flow_role(f, f->conn.refusal_from - 1) == ROLE_SERVER)
		v->refusal = f->conn.refusal & 7u;
	v->response_sender = (int8_t)(v->response.status ? flow_role(f, v->response.dir)
							 : ROLE_UNKNOWN);
}

void classify_rst(const struct flow *f, int dir, const struct pkt *p,
		  const struct host_profile *host, uint32_t host_context,
		  const struct seg_note *late, const struct capture_so_far *capture,
		  struct verdict *v)
{
	struct flow none;
	memset(v, 0, sizeof *v);
	copy_rst(v, p);
	v->idle_before_ns = v->close_idle_ns = v->trigger_gap_ns = v->peer_silent_ns = -1;
	v->rtt_ns = v->timing_leg_ns = v->since_prev_ns = -1;
	v->runner_up = NO_RUNNER_UP;
	v->burst_first_d = BURST_NONE;
	if (!f) {
		flow_start_connection(&none, p->ts_ns);
		f = &none;
		dir = 0;
	}
	record_connection(v, f, dir, p);
	v->peer_leg_us = peer_leg_us(f, (enum role)v->sender);
	v->timing_leg_ns = fastest_answer(f, (enum role)v->sender);
	v->host_context = host_context;
	if (host)
		v->host = *host;

	const struct tcp_half *a = &f->conn.half[dir], *b = &f->conn.half[1 - dir];
	/* A RST with SYN or FIN is no stack's (flags_no_stack_sends): its
	 * numbers answer nothing and have no form (the corpus's
	 * ndpi/reasm_crash_anon.pcapng 34, after which both sides went on). */
	if (!(p->flags & (TCP_SYN | TCP_FIN))) {
		find_trigger(p, a, b, f->conn.pkts && f->conn.run_dir != dir ? &f->conn.run_first : NULL,
			     late, &v->trigger);
		v->form = (uint8_t)classify_form(p, a, b, &v->trigger);
		v->trigger_resent = v->trigger.frame && v->trigger.frame == b->last.frame &&
				    b->last_resent;
	} else {
		memset(&v->trigger, 0, sizeof v->trigger);
		v->form = FORM_OTHER;
	}
	/* The peer's bare ACK after the sender's own earlier RST, at another
	 * number than that RST's: the peer did not take that RST. A stack
	 * following RFC 5961 3.2 takes a RST only exactly at RCV.NXT, which
	 * its ACK states, and answers one in its window with a challenge ACK
	 * (Linux's tcp_validate_incoming; in FIN-WAIT-2 it acknowledges one
	 * outside it too, tcp_timewait_state_process). The corpus's
	 * ndpi/KakaoTalk_chat.pcap: RST 298 1.96 GB off, the client's ACK
	 * 0.18 ms later, and RST 300 at that ACK's number. */
	v->trigger_after_rst = v->trigger.frame && a->rst_frame &&
			       a->last.frame == a->rst_frame && (a->last.flags & TCP_RST) &&
			       v->trigger.frame > a->rst_frame && v->trigger.flags == TCP_ACK &&
			       v->trigger.len == 0 && v->trigger.ack != a->last.seq;
	/* The peer's lone bare ACK opened the tuple and the RST answers it. */
	v->stray_ack = v->form == FORM_REPLY && !f->conn.syn && !(a->flags & HALF_F_SEEN) &&
		       b->pkts == 1 && b->last.flags == TCP_ACK && b->last.len == 0 &&
		       v->trigger.frame == b->last.frame;

	struct judge j = {
		.f = f, .p = p, .v = v, .ha = a, .hb = b, .dir = dir,
		.a_seen = (a->flags & HALF_F_SEEN) != 0,
		.b_seen = (b->flags & HALF_F_SEEN) != 0,
		.endpoint_cause = CAUSE_UNKNOWN,
		.host = host,
		.capture_start = capture ? capture->start_ns : 0,
		.ids_both_by_chance = capture && ids_both_by_chance(capture) &&
				      (f->conn.half[0].ids_near_peer || f->conn.half[1].ids_near_peer),
	};
	j.a_ttl = j.a_seen && a->ttl_min <= a->ttl_max;
	/* A copy seen one hop further on (tcp_track_is_duplicate, or one of
	 * an earlier RST with other packets between: p->copy_of) is judged by
	 * the TTL of the RST it copies. */
	j.copy = p->copy_of || ((a->last.flags & TCP_RST) && tcp_track_is_duplicate(f, dir, p));
	uint8_t ttl = !j.copy ? p->ttl : p->copy_of ? p->copy_ttl : a->last.ttl;
	if (ttl != p->ttl)
		v->copied_ttl = ttl;
	/* The same RST again with a TTL more than one router from the first's
	 * (one apart, either way, is one packet seen on both sides of a
	 * router, as a capture of two interfaces may order it): a second box
	 * sent it for the same connection (a front box that proxies the
	 * handshake and the host behind it: the corpus's
	 * ndpi/KakaoTalk_talk.pcap 2838-2839, TTL 248 then 142). */
	if (!j.copy && (a->last.flags & TCP_RST) && a->last.flags == p->flags &&
	    a->last.seq == p->seq && a->last.ack == p->ack &&
	    (a->last.ttl > p->ttl + 1 || p->ttl > a->last.ttl + 1))
		v->twin_ttl = a->last.ttl;
	j.raw_syn = raw_syn_refused(a, p, &v->trigger);
	j.ttl_step = j.a_ttl && !j.raw_syn && (ttl < a->ttl_min || ttl > a->ttl_max);
	v->trigger_gap_ns = gap_before_trigger(&j);
	/*
	 * Two boxes answering for one address (a firewall that proxies the
	 * handshake, then the host) give A two TTLs, and a range holds both.
	 * After a long silence, a RST with the TTL A's recent packets did not
	 * have came from the other box, the one that kept (and forgot) state.
	 * Not one hop from them in a capture of several interfaces (pkt.lane):
	 * a router's two sides show each of A's packets at two TTLs one
	 * apart, and its last may be the far side's copy (holdout7's twisted
	 * agent, whose dumpcap file holds one link's packets, then the
	 * other's).
	 */
	bool other_side = p->lane && (p->ttl == a->last.ttl + 1 || a->last.ttl == p->ttl + 1);
	if (j.a_ttl && !j.ttl_step && a->ttl_min != a->ttl_max && p->ttl != a->last.ttl &&
	    !other_side && !(a->last.flags & TCP_RST) &&
	    long_silence(&j, p->ts_ns - a->last.ts_ns)) {
		j.ttl_step = true;
		v->ttl_unlike_recent = true;
	}
	/*
	 * A RST a cooked capture saw leaving the capturing host (tcpdump -i
	 * any on a router, a firewall, a Kubernetes node), in the name of a
	 * side whose segments all arrived there: a RST that host forwarded
	 * would have been seen arriving first, so it sent this one itself (a
	 * reject rule's: Linux's nf_reject_ipv4 for nftables' reject with tcp
	 * reset and iptables' REJECT --reject-with tcp-reset, a rule added
	 * mid-connection; the lab's firewall-block-mid-stream
	 * captured so on its router: the reset's TTL matched the server's
	 * packets as they arrived there). Only before any RST of A's arrived:
	 * after one, this may be its forwarded copy, held in the host's queue
	 * past a later one (the lab's urllib3-pool-race over a 200 ms line).
	 * A RST for a side never seen before (a SYN's refusal) says nothing:
	 * the capturing host may be that side, or answer for it.
	 */
	j.sent_here = p->outgoing && !j.copy && tcp_track_arrived_only(a) && !a->rst_frame;
	judge_origin(&j);
	if (foreign(&j))
		j.endpoint_cause = endpoint_reading(&j);
	v->rule = (uint8_t)apply_rules(&j);
	one_program_abort(v);
	relay_on_link(&j);
	judge_request(&j);
}

/* ---- evidence ---- */

static void add_evidence(struct evidence *out, int *n, uint64_t frame, int64_t ts,
			 enum evidence_kind kind)
{
	if (*n == VERDICT_MAX_EVIDENCE || frame == 0)
		return;
	for (int i = 0; i < *n; i++)
		if (out[i].frame == frame)
			return;
	out[(*n)++] = (struct evidence){ frame, ts, kind };
}

int verdict_evidence(const struct verdict *v, struct evidence out[VERDICT_MAX_EVIDENCE])
{
	int n = 0;
	if (v->trigger.frame)
		add_evidence(out, &n, v->trigger.frame, v->trigger.ts_ns, EV_TRIGGER);
	if (v->a.flags & HALF_F_FIN)
		add_evidence(out, &n, v->a.fin_frame, v->a.fin_ts, EV_SENDER_FIN);
	if (v->b.flags & HALF_F_FIN)
		add_evidence(out, &n, v->b.fin_frame, v->b.fin_ts, EV_PEER_FIN);
	if (v->a.rst_frame)
		add_evidence(out, &n, v->a.rst_frame, v->a.rst_ts, EV_SENDER_RST);
	if (v->b.rst_frame)
		add_evidence(out, &n, v->b.rst_frame, v->b.rst_ts, EV_PEER_RST);
	add_evidence(out, &n, v->rst.frame, v->rst.ts_ns, EV_THE_RST);
	if (v->nat.kind == NAT_TWIN_UNTRANSLATED || v->nat.kind == NAT_TWIN_REMAPPED ||
	    v->nat.kind == NAT_TWIN_MOVED) {
		add_evidence(out, &n, v->nat.frame, v->nat.ts_ns, EV_NAT_TWIN);
	} else if (v->nat.kind == NAT_TWIN_AFTER_RESET) {
		add_evidence(out, &n, v->nat.frame, v->nat.ts_ns, EV_NAT_SEGMENT);
		add_evidence(out, &n, v->followup_of, v->nat.rst_ts_ns, EV_NAT_RST);
	}
	if (v->revised.kind == REVISED_PEER_KEPT_CONNECTION)
		add_evidence(out, &n, v->revised.frame, v->revised.ts_ns, EV_PEER_CHALLENGE_ACK);
	else if (v->revised.kind == REVISED_RETRY_ACCEPTED)
		add_evidence(out, &n, v->revised.frame, v->revised.ts_ns, EV_RETRY_ACCEPTED);
	else if (v->revised.kind != REVISED_NOT)
		add_evidence(out, &n, v->revised.frame, v->revised.ts_ns, EV_SENDER_WENT_ON);
	/* Frame order, as a reader follows them in Wireshark (insertion sort, stable). */
	for (int i = 1; i < n; i++)
		for (int k = i; k > 0 && out[k - 1].frame > out[k].frame; k--) {
			struct evidence t = out[k];
			out[k] = out[k - 1];
			out[k - 1] = t;
		}
	return n;
}

/* ---- what came after: the look-ahead's revision ---- */

/*
 * A receiver takes a RST only if its sequence number is in the window
 * (RFC 9293 3.10.7.4; RFC 5961 3.2 narrows "in the window" to exactly
 * RCV.NXT and answers the rest of the window with a challenge ACK). One
 * outside it is dropped: Linux's tcp_validate_incoming and FreeBSD's
 * tcp_input discard it without a word, and Linux's FIN_WAIT2 mini socket
 * (tcp_timewait_state_process) answers it with a bare ACK. A window is at
 * most 2^30 bytes (RFC 7323 2.3), so a RST 2^30 or more either side of
 * the peer's last acknowledgment is outside whatever window the capture
 * missed: its sender numbers the connection otherwise than the packets
 * that reached the peer (a firewall that randomizes sequence numbers let
 * it through untranslated), or it was forged blind. Nearer offsets are
 * left alone: the peer's window is not tracked, and its last ACK may lag.
 */
bool classify_rst_outside_window(const struct verdict *v)
{
	if (!(v->b.flags & HALF_F_ACK))
		return false;
	uint32_t d = v->rst.seq - v->b.ack;
	return d >= (UINT32_C(1) << 30) && d <= UINT32_MAX - (UINT32_C(1) << 30) + 1;
}

void classify_revise(struct verdict *v, const struct after_rst *after)
{
	if (after->retry_accepted_frame && v->revised.kind == REVISED_NOT) {
		v->revised.kind = REVISED_RETRY_ACCEPTED;
		v->revised.frame = after->retry_accepted_frame;
		v->revised.ts_ns = after->retry_accepted_ts_ns;
		return;
	}
	if (after->restarted || v->cause == CAUSE_RESET_FOLLOWUP)
		return;
	/*
	 * A challenge ACK answers the RST (RFC 5961 3.2), so it reaches the
	 * capture point a round trip to the peer after it at the soonest. A
	 * bare ACK in under half that was on its way before the RST (in the
	 * corpus's ndpi/443-curl.pcap, the server's ACK of the client's FIN,
	 * 0.7 ms after the client's RST on a 38.8 ms round trip).
	 */
	bool in_flight = v->peer_leg_us &&
			 2 * (after->b_ts_ns - v->rst.ts_ns) < (int64_t)v->peer_leg_us * 1000;
	if (after->b_frame && after->b_challenge_ack && !after->a_synack && !in_flight) {
		/* The peer kept the connection: the RST was in window but not
		 * exact, or outside it (say_revision tells which). */
		v->revised.kind = REVISED_PEER_KEPT_CONNECTION;
		v->revised.frame = after->b_frame;
		v->revised.ts_ns = after->b_ts_ns;
	} else if (after->a_frame &&
		   ((!after->b_frame && (v->b.flags & HALF_F_SEEN)) || after->a_synack)) {
		/* The sender went on and the peer went silent: the peer took the
		 * RST, and the sender never sent it. Or the sender answered the SYN
		 * "it" had refused: whatever the peer did next, the refusal was
		 * not the sender's. A peer never captured (a one-way capture)
		 * shows no silence: it may have gone on too, as after a RST of
		 * SYN-RECEIVED's that answers an unacceptable ACK and leaves the
		 * connection be (RFC 9293 3.10.7.4; the lab's synrecv-ack-unsent
		 * captured one way). */
		v->revised.frame = after->a_frame;
		v->revised.ts_ns = after->a_ts_ns;
		v->revised.fin = after->a_fin;
		v->revised.synack = after->a_synack;
		v->revised.new_bytes = after->a_new_bytes;
		v->origin = ORIGIN_MIDDLEBOX;
		if (v->cause == CAUSE_IDLE_TIMEOUT || v->cause == CAUSE_INJECTED) {
			v->revised.kind = REVISED_SENDER_WENT_ON_CONFIRMS;
			v->confidence = CONF_HIGH;
			v->runner_up = NO_RUNNER_UP;
		} else {
			v->revised.kind = REVISED_SENDER_WENT_ON_FORGED;
			v->revised.looked_like = v->cause;
			decide(v, CAUSE_INJECTED, DETAIL_NONE, CONF_HIGH, NO_RUNNER_UP);
		}
	}
	/* The sender's later ACK tells whether its stack ever took the request. */
	if (v->request.frame && !v->request_from_sender && after->a_frame && after->a_acks &&
	    seq_leq(after->a_ack, v->request.seq)) {
		v->reached_peer = REACHED_NO;
		v->retry_safe = true;
	}
}
