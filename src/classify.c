/*
 * classify: the judgement of each RST (see classify.h).
 *
 * First the wire facts: the RST's form, the segment it answers, the state
 * of both sides, and whether its TTL fits the sender's own packets. Then
 * one function per cause of ../shared/TAXONOMY.md, tried from the most
 * specific to the least; the first that fits writes the verdict, with the
 * measured numbers in its explanation and advice for the side that can act.
 */
#include "classify.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "idle_defaults.h"
#include "report.h"
#include "seq.h"

static uint32_t note_seq_len(const struct seg_note *n)
{
	return n->len + ((n->flags & TCP_SYN) ? 1u : 0u) + ((n->flags & TCP_FIN) ? 1u : 0u);
}

/*
 * Linux builds a RST for a segment with no usable socket in
 * tcp_v4_send_reset(): if the segment had ACK, seq = its ack and no ACK
 * flag; otherwise RST+ACK with seq 0 and ack = its seq + length (RFC 9293
 * 3.10.7.1). A socket aborting on its own (tcp_send_active_reset) sends
 * RST+ACK with seq = snd_nxt.
 */
enum rst_form classify_form(const struct pkt *p, const struct tcp_half *a, const struct tcp_half *b)
{
	const struct seg_note *t = &b->last;
	if (!(p->flags & TCP_ACK)) {
		if (t->frame && (t->flags & TCP_ACK) && p->seq == t->ack)
			return FORM_REPLY;
		return FORM_OTHER;
	}
	if (p->seq == 0 && t->frame && !(t->flags & TCP_ACK) && p->ack == t->seq + note_seq_len(t))
		return FORM_REPLY;
	if ((a->flags & HALF_F_SEEN) && p->seq == a->next_seq)
		return FORM_ACTIVE;
	return FORM_OTHER;
}

/*
 * B's last segment, if the RST's numbers refer to it and A had not already
 * dealt with it: it came after A's last segment, or A's segments since did
 * not acknowledge it (at a client-side capture, a request that crossed the
 * server's FIN precedes that FIN).
 */
static void find_trigger(const struct pkt *p, const struct tcp_half *a, const struct tcp_half *b,
			 const struct seg_note *b_run_first, struct seg_note *out)
{
	const struct seg_note *t = &b->last;
	memset(out, 0, sizeof *out);
	if (!t->frame)
		return;
	/* Several segments of B's run may carry the ack a bare RST echoes
	 * (data, then FIN): the RST answers the first of them. */
	if (b_run_first && b_run_first->frame && !(p->flags & TCP_ACK) &&
	    (b_run_first->flags & TCP_ACK) &&
	    p->seq == b_run_first->ack) {
		*out = *b_run_first;
		return;
	}
	uint32_t t_end = t->seq + note_seq_len(t);
	bool a_answered = a->last.frame > t->frame &&
			  (!(a->flags & HALF_F_ACK) || !seq_lt(a->ack, t_end) || note_seq_len(t) == 0);
	if (a_answered)
		return;
	/* Reply to a segment with ACK: a bare RST whose seq is that ack. */
	bool by_seq = !(p->flags & TCP_ACK) && (t->flags & TCP_ACK) && p->seq == t->ack;
	/* RST+ACK acknowledging the segment: only meaningful if it occupied
	 * sequence space; any RST+ACK "acknowledges" a bare ACK before it. */
	bool by_ack = (p->flags & TCP_ACK) && note_seq_len(t) > 0 && p->ack == t_end;
	if (by_seq || by_ack)
		*out = *t;
}

static void add_evidence(struct verdict *v, uint64_t frame, int64_t ts, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void add_evidence(struct verdict *v, uint64_t frame, int64_t ts, const char *fmt, ...)
{
	if (v->n_evidence == VERDICT_MAX_EVIDENCE || frame == 0)
		return;
	for (int i = 0; i < v->n_evidence; i++)
		if (v->evidence[i].frame == frame)
			return;
	struct evidence *e = &v->evidence[v->n_evidence++];
	e->frame = frame;
	e->ts_ns = ts;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(e->what, sizeof e->what, fmt, ap);
	va_end(ap);
}

/* Keeps evidence in frame order, as a reader follows it in Wireshark. */
static void sort_evidence(struct verdict *v)
{
	for (int i = 1; i < v->n_evidence; i++)
		for (int j = i; j > 0 && v->evidence[j - 1].frame > v->evidence[j].frame; j--) {
			struct evidence t = v->evidence[j];
			v->evidence[j] = v->evidence[j - 1];
			v->evidence[j - 1] = t;
		}
}

static const char *seg_kind(const struct seg_note *n)
{
	if (n->flags & TCP_SYN)
		return (n->flags & TCP_ACK) ? "SYN-ACK" : "SYN";
	if (n->flags & TCP_FIN)
		return n->len ? "data+FIN" : "FIN";
	if (n->flags & TCP_RST)
		return "RST";
	return n->len ? "data" : "ACK";
}

static void gather_evidence(struct verdict *v, enum role a_role, enum role b_role)
{
	const char *an = role_name(a_role), *bn = role_name(b_role);
	if (v->trigger.frame)
		add_evidence(v, v->trigger.frame, v->trigger.ts_ns, "%s %s (%u bytes) answered by the RST",
			     bn, seg_kind(&v->trigger), v->trigger.len);
	if (v->a.flags & HALF_F_FIN)
		add_evidence(v, v->a.fin_frame, v->a.fin_ts, "%s FIN", an);
	if (v->b.flags & HALF_F_FIN)
		add_evidence(v, v->b.fin_frame, v->b.fin_ts, "%s FIN", bn);
	if (v->a.rst_frame)
		add_evidence(v, v->a.rst_frame, v->a.rst_ts, "earlier RST from the %s", an);
	if (v->b.rst_frame)
		add_evidence(v, v->b.rst_frame, v->b.rst_ts, "earlier RST from the %s", bn);
	add_evidence(v, v->rst.frame, v->rst.ts_ns, "the RST");
	sort_evidence(v);
}

static void copy_rst(struct verdict *v, const struct pkt *p)
{
	seg_note_from_pkt(&v->rst, p);
	v->ipver = p->ipver;
	memcpy(v->src, p->src, sizeof v->src);
	memcpy(v->dst, p->dst, sizeof v->dst);
	v->sport = p->sport;
	v->dport = p->dport;
	v->ip_id = p->ip_id;
}

/* ---- wording ---- */

/* "1.503 s", "12.4 ms", "0.031 ms" */
static void append(char *dst, size_t size, const char *fmt, va_list ap)
{
	size_t used = strlen(dst);
	if (used + 1 < size)
		vsnprintf(dst + used, size - used, fmt, ap);
}

static void say(struct verdict *v, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say(struct verdict *v, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	append(v->explanation, sizeof v->explanation, fmt, ap);
	va_end(ap);
}

static void advise(struct verdict *v, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void advise(struct verdict *v, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	append(v->advice, sizeof v->advice, fmt, ap);
	va_end(ap);
}

/* ---- what every rule looks at ---- */

struct judge {
	const struct flow *f;
	const struct pkt *p;
	struct verdict *v;
	int dir;                    /* A's endpoint index in f */
	const char *an, *bn;        /* role names of A (sender) and B */
	bool a_seen, b_seen;
	bool ttl_step;              /* the RST's TTL is outside A's earlier range */
	bool too_fast;              /* it came sooner than A could have answered */
	char elsewhere[192];        /* why it came from elsewhere on the path, in words */
};

static void decide(struct verdict *v, enum cause c, const char *detail, enum confidence conf)
{
	v->cause = c;
	v->detail = detail;
	v->confidence = conf;
}

/* The silence before B's segment that the RST answers (what a middlebox timed out on). */
static int64_t gap_before_trigger(const struct judge *j)
{
	const struct verdict *v = j->v;
	int64_t prev = v->a.last.ts_ns;
	if (v->b.last.frame && v->b.last.frame != v->trigger.frame)
		prev = prev > v->b.last.ts_ns ? prev : v->b.last.ts_ns;
	return v->trigger.frame && prev ? v->trigger.ts_ns - prev : -1;
}

/*
 * A pause long enough that something may have timed out: a second, and 20
 * RTTs. ns / 20 >= rtt is ns >= 20 * rtt without the product, which
 * overflows when a capture's times jump and the "RTT" is years.
 */
static bool long_silence(const struct judge *j, int64_t ns)
{
	int64_t rtt = j->v->rtt_ns;
	return ns >= 1000000000 && (rtt <= 0 || ns / 20 >= rtt);
}

/* ---- one function per cause, most specific first ---- */

/* RFC 9293 3.10.7: a reset connection answers later segments with RSTs too. */
static bool cause_reset_followup(struct judge *j)
{
	struct verdict *v = j->v;
	uint64_t first = v->a.rst_frame;
	if (v->b.rst_frame && (!first || v->b.rst_frame < first))
		first = v->b.rst_frame;
	if (!first)
		return false;
	decide(v, CAUSE_RESET_FOLLOWUP, NULL, CONF_HIGH);
	v->followup_of = first;
	say(v, "The connection was already reset at frame %llu (by the %s); this RST answers a "
	       "segment that was still on its way. It is part of the same incident.",
	    (unsigned long long)first, first == v->a.rst_frame ? j->an : j->bn);
	advise(v, "Look at frame %llu: that reset is the one to explain.", (unsigned long long)first);
	return true;
}

static bool recent_previous_close(const struct judge *j)
{
	const struct flow_prev *pv = &j->f->prev;
	/* Within TIME_WAIT (60 s on Linux) plus margin for other stacks' 2MSL. */
	return pv->present && j->p->ts_ns - pv->end_ts < 120 * 1000000000LL;
}

/* A SYN answered by RST+ACK: nothing listens, or the tuple is still held. */
static bool cause_closed_port(struct judge *j)
{
	struct verdict *v = j->v;
	char d[32];
	if (!v->trigger.frame || (v->trigger.flags & (TCP_SYN | TCP_ACK)) != TCP_SYN ||
	    v->form != FORM_REPLY)
		return false;
	if (recent_previous_close(j)) {
		decide(v, CAUSE_TIMEWAIT_REUSE, NULL, CONF_MEDIUM);
		say(v, "The %s's SYN (frame %llu) reuses a 4-tuple whose previous connection ended "
		       "%s earlier; the %s refused it with RST+ACK, as a stack still holding that "
		       "connection (TIME_WAIT) may. Runner-up: closed-port.",
		    j->bn, (unsigned long long)v->trigger.frame,
		    report_duration(d, sizeof d, j->p->ts_ns - j->f->prev.end_ts), j->an);
		advise(v, "Client: let the kernel pick source ports (do not bind fixed ones), or keep "
			  "TCP timestamps on so TIME_WAIT can accept a new SYN.");
		return true;
	}
	decide(v, CAUSE_CLOSED_PORT, NULL, CONF_HIGH);
	char addr[64];
	report_endpoint(addr, sizeof addr, v->ipver, v->src, v->sport);
	say(v, "The %s's SYN (frame %llu) was answered %s later by a reply-form RST+ACK "
	       "(seq 0, ack = SYN + 1): nothing accepted connections on %s, or a host firewall "
	       "rejected them (the wire looks the same).",
	    j->bn, (unsigned long long)v->trigger.frame,
	    report_duration(d, sizeof d, v->rst.ts_ns - v->trigger.ts_ns), addr);
	advise(v, "Server side: check the service is running and listening on %s (ss -ltn) and "
		  "that no firewall rule rejects it. Client: the request never left, so retrying "
		  "once the service is up is safe.", addr);
	return true;
}

/*
 * The server still held the previous connection on this tuple as open (it
 * never closed on the wire) and answered the new SYN with an RFC 5961
 * challenge ACK for it; the new client, in SYN_SENT, reset that ACK.
 */
static bool stale_connection(struct judge *j)
{
	struct verdict *v = j->v;
	const struct flow_prev *prev = &j->f->prev;
	const struct seg_note *t = &v->trigger;
	char d[32];
	if (!prev->present || prev->first_closer >= 0)
		return false;
	bool exact = t->ack == prev->next_seq[j->dir];
	decide(v, CAUSE_TIMEWAIT_REUSE, "challenge-ack", exact ? CONF_HIGH : CONF_MEDIUM);
	say(v, "The client's new SYN reuses a 4-tuple whose previous connection the server still "
	       "held open: it was last heard %s earlier and never closed on the wire, so the "
	       "client side had lost it (a restart, a silent abort, or a NAT reusing the port). "
	       "The server answered the SYN with a challenge ACK for the old connection (frame "
	       "%llu, RFC 5961 4.2; ack %u%s), and the client, in SYN_SENT, reset it. That RST "
	       "clears the server's stale connection; the client's next SYN normally connects.",
	    report_duration(d, sizeof d, j->p->ts_ns - prev->end_ts), (unsigned long long)t->frame,
	    t->ack, exact ? ", exactly where the old connection's data ended" : "");
	advise(v, "Usually harmless (the connection attempt is delayed by one SYN retransmission). "
		  "If it recurs, find why clients forget connections the server keeps (crashes, "
		  "NAT port reuse) and let the server drop dead ones (TCP keepalive, an idle "
		  "timeout).");
	return true;
}

/* The client, still in SYN_SENT or already gone, resets the handshake. */
static bool cause_connect_timeout(struct judge *j)
{
	struct verdict *v = j->v;
	char d[32], d2[32];
	if (v->sender != ROLE_CLIENT || v->a.state != HALF_SYN_SENT)
		return false;
	const struct seg_note *t = &v->trigger;
	if (t->frame && (t->flags & (TCP_SYN | TCP_ACK)) == (TCP_SYN | TCP_ACK)) {
		decide(v, CAUSE_CONNECT_TIMEOUT, NULL, CONF_HIGH);
		say(v, "The client sent its SYN at +%s (%u retransmission%s); the server's SYN-ACK "
		       "(frame %llu) came %s after the first SYN, and the client answered it with "
		       "a RST: it had already given up connecting.",
		    report_duration(d, sizeof d, j->f->syn_ts - j->f->first_ts), v->a.retrans,
		    v->a.retrans == 1 ? "" : "s", (unsigned long long)t->frame,
		    report_duration(d2, sizeof d2, t->ts_ns - j->f->syn_ts));
		advise(v, "Client: the connect timeout is shorter than this path's handshake time; "
			  "raise it, or find why SYNs or SYN-ACKs are delayed or lost (server accept "
			  "queue, SYN backlog, packet loss).");
		return true;
	}
	if (t->frame && (t->flags & TCP_ACK) && !(t->flags & TCP_SYN) &&
	    t->ack != v->a.base_seq + 1 && stale_connection(j))
		return true;
	if (t->frame && (t->flags & TCP_ACK) && !(t->flags & TCP_SYN) &&
	    t->ack != v->a.base_seq + 1) {
		/* RFC 9293 3.10.7.3: in SYN-SENT, an unacceptable ACK draws a RST. */
		decide(v, CAUSE_TIMEWAIT_REUSE, NULL,
		       recent_previous_close(j) ? CONF_HIGH : CONF_MEDIUM);
		say(v, "The client's SYN was answered not by a SYN-ACK but by an ACK for other "
		       "sequence numbers (frame %llu, ack %u, expected %u): the server still held "
		       "an earlier connection on this 4-tuple (TIME_WAIT) and the new client reset "
		       "that stale ACK.",
		    (unsigned long long)t->frame, t->ack, v->a.base_seq + 1);
		if (recent_previous_close(j))
			say(v, " The previous connection on this tuple ended %s before.",
			    report_duration(d, sizeof d, j->p->ts_ns - j->f->prev.end_ts));
		advise(v, "Client: do not bind fixed source ports for short connections; let the "
			  "kernel choose. Keep TCP timestamps enabled on both sides (RFC 7323), which "
			  "lets TIME_WAIT accept a new SYN.");
		return true;
	}
	if (!j->b_seen) {
		decide(v, CAUSE_CONNECT_TIMEOUT, NULL, CONF_MEDIUM);
		say(v, "The client sent a SYN (%u retransmission%s) and no answer was seen; it reset "
		       "the attempt itself %s after the first SYN.",
		    v->a.retrans, v->a.retrans == 1 ? "" : "s",
		    report_duration(d, sizeof d, v->rst.ts_ns - j->f->syn_ts));
		advise(v, "Check the path to the server for loss or filtering of SYNs.");
		return true;
	}
	return false;
}

/* The server resets before it ever sent data: accept queue overflow or a closed listener. */
static bool cause_handshake_abort(struct judge *j)
{
	struct verdict *v = j->v;
	if (v->sender != ROLE_SERVER || !(v->a.flags & HALF_F_ISN) || v->a.bytes > 0 ||
	    (v->a.flags & HALF_F_FIN) || v->b.bytes > 0)
		return false;
	decide(v, CAUSE_HANDSHAKE_ABORT, NULL, CONF_MEDIUM);
	say(v, "The server reset the connection after its SYN-ACK, before it sent any data and "
	       "before the client sent any: the connection never reached the application, as "
	       "when the accept queue overflows with tcp_abort_on_overflow set or the listener "
	       "closes with the connection still queued. Runner-up: linger-abort (an application "
	       "accepting and aborting at once).");
	advise(v, "Server: raise the listen backlog (and net.core.somaxconn), accept faster, or "
		  "leave tcp_abort_on_overflow off so clients retry instead of failing.");
	return true;
}

struct default_list {
	struct verdict *v;
	int n;
};

static void say_default(void *ctx, const struct idle_default *d)
{
	struct default_list *l = ctx;
	say(l->v, "%s%s", l->n++ ? "; " : " ", d->name);
}

/* Names the well-known defaults an idle time matches, as one sentence. */
static void say_idle_defaults(struct verdict *v, enum idle_closer closer, int64_t ns)
{
	char d[32];
	struct default_list l = { v, 0 };
	if (!idle_defaults_match(closer, ns, NULL, NULL))
		return;
	say(v, " %s idle matches the default of:", report_duration(d, sizeof d, ns));
	idle_defaults_match(closer, ns, say_default, &l);
	say(v, ".");
}

/* What the closer's last HTTP response said about keeping the connection. */
static void say_keepalive_headers(const struct judge *j)
{
	struct verdict *v = j->v;
	if (!v->response.status || v->response_sender != v->sender)
		return;
	if (v->response.connection == HTTP_CONN_CLOSE)
		say(v, " The %s's last response (HTTP %u) said Connection: close, so the %s should "
		       "not have reused the connection.", j->an, v->response.status, j->bn);
	else if (v->response.keepalive_s)
		say(v, " The %s's last response (HTTP %u) announced Keep-Alive: timeout=%u.", j->an,
		    v->response.status, v->response.keepalive_s);
}

/* A had sent FIN; B's data then met A's closed socket (TAXONOMY data-after-fin). */
static bool cause_data_after_fin(struct judge *j)
{
	struct verdict *v = j->v;
	char d[32], d2[32];
	const struct seg_note *t = &v->trigger;
	if (!(v->a.flags & HALF_F_FIN) || !t->frame || t->len == 0)
		return false;
	bool acked_fin = (t->flags & TCP_ACK) && seq_geq(t->ack, v->a.fin_seq + 1);
	decide(v, CAUSE_DATA_AFTER_FIN, acked_fin ? "ignored-fin" : "race", CONF_HIGH);
	int64_t gap = t->ts_ns - v->a.fin_ts;
	say(v, "The %s closed the connection (FIN, frame %llu) after %s idle; ", j->an,
	    (unsigned long long)v->a.fin_frame,
	    report_duration(d, sizeof d, j->f->close_idle_ns > 0 ? j->f->close_idle_ns : 0));
	if (acked_fin)
		say(v, "the %s acknowledged that FIN and still sent %u bytes %s later (frame %llu), "
		       "and the %s's closed socket answered with a RST. The %s's stack knew the "
		       "connection was closing; its application wrote anyway.",
		    j->bn, t->len, report_duration(d2, sizeof d2, gap), (unsigned long long)t->frame, j->an,
		    j->bn);
	else
		say(v, "the %s's %u bytes (frame %llu, %s %s the FIN at this capture point) did not "
		       "acknowledge it: the data and the FIN crossed in flight, and the %s's closed "
		       "socket answered with a RST. The data cannot have reached the %s's "
		       "application.",
		    j->bn, t->len, (unsigned long long)t->frame, report_duration(d2, sizeof d2, gap),
		    gap >= 0 ? "after" : "before", j->an, j->an);
	say_keepalive_headers(j);
	if (j->f->close_idle_ns > 0)
		say_idle_defaults(v, IDLE_SERVER, j->f->close_idle_ns);
	if (v->sender == ROLE_SERVER)
		advise(v, "Client: close pooled keep-alive connections before the server's idle "
			  "timeout (about %s here), and retry idempotent requests that fail with a "
			  "reset on a reused connection; %s",
		       report_duration(d, sizeof d, j->f->close_idle_ns > 0 ? j->f->close_idle_ns : 0),
		       acked_fin ? "check that the client notices the server's FIN before reusing."
				 : "this request is safe to retry.");
	else
		advise(v, "Server: the client had closed; stop writing once the client's FIN "
			  "arrives, or answer within the client's timeout.");
	return true;
}

/* A's probes went unanswered and A gave up (RFC 9293 3.8.4). */
static bool cause_keepalive_timeout(struct judge *j)
{
	struct verdict *v = j->v;
	char d[32];
	if (v->a.keepalives < 1 || v->form == FORM_REPLY || v->b.last.frame > v->a.last.frame)
		return false;
	decide(v, CAUSE_KEEPALIVE_TIMEOUT, NULL, v->a.keepalives >= 2 ? CONF_HIGH : CONF_MEDIUM);
	say(v, "The %s sent %u keep-alive probe%s that the %s never answered (silent for %s), "
	       "then aborted the connection.",
	    j->an, v->a.keepalives, v->a.keepalives == 1 ? "" : "s", j->bn,
	    report_duration(d, sizeof d, v->rst.ts_ns - v->b.last.ts_ns));
	advise(v, "The %s is gone or unreachable (crash, network change, a middlebox dropping "
		  "the flow); if a middlebox forgets idle flows, send keep-alives more often than "
		  "its idle timeout.", j->bn);
	return true;
}

/* A retransmitted unacknowledged data several times and gave up. */
static bool cause_retransmit_timeout(struct judge *j)
{
	struct verdict *v = j->v;
	char d[32];
	if (v->a.retrans < 2 || v->b.last.frame > v->a.last.frame ||
	    ((v->b.flags & HALF_F_ACK) && seq_geq(v->b.ack, v->a.next_seq)))
		return false;
	decide(v, CAUSE_RETRANSMIT_TIMEOUT, NULL, CONF_MEDIUM);
	say(v, "The %s retransmitted data %u times without an acknowledgement (the %s silent for "
	       "%s) and then reset the connection. Linux gives up silently; this RST comes from "
	       "another stack or an application timeout.",
	    j->an, v->a.retrans, j->bn, report_duration(d, sizeof d, v->rst.ts_ns - v->b.last.ts_ns));
	advise(v, "Find why the %s stopped acknowledging: it is down, unreachable, or a device "
		  "on the path drops its packets.", j->bn);
	return true;
}

/* A RST with a TTL unlike the sender's own packets came from elsewhere on the path. */
static bool cause_middlebox(struct judge *j)
{
	struct verdict *v = j->v;
	char d[32];
	/* Any form: a forger copies the numbers a real RST would carry, not the TTL. */
	if (!j->ttl_step && !j->too_fast)
		return false;
	int64_t gap = j->v->trigger_gap_ns;
	if (gap >= 0 && long_silence(j, gap)) {
		decide(v, CAUSE_IDLE_TIMEOUT, NULL, CONF_MEDIUM);
		say(v, "The RST answers the %s's first segment (frame %llu) after %s of silence, and "
		       "%s: a device on the path (NAT, firewall, load balancer) had forgotten the "
		       "idle flow and reset it in the %s's name.",
		    j->bn, (unsigned long long)v->trigger.frame, report_duration(d, sizeof d, gap),
		    j->elsewhere, j->an);
		say_idle_defaults(v, IDLE_MIDDLEBOX, gap);
		advise(v, "Send keep-alives (TCP keepalive or application pings) more often than the "
			  "middlebox's idle timeout (at most %s here), or close idle pooled "
			  "connections before it.", report_duration(d, sizeof d, gap));
		return true;
	}
	decide(v, CAUSE_INJECTED, NULL, CONF_MEDIUM);
	say(v, "The RST came with no idle period before it, and %s: a third party on the path "
	       "forged it in the %s's name.", j->elsewhere, j->an);
	if (v->trigger.frame && v->trigger.len)
		say(v, " It answers the %s's data at frame %llu: a filter that acts on content "
		       "would do this.", j->bn, (unsigned long long)v->trigger.frame);
	advise(v, "Find the device: capture at both ends and see where the RST appears; check "
		  "firewalls, IPS and proxies between the hosts.");
	return true;
}

/* B's segment was impossible for A's state: acked data A never sent. */
static bool cause_invalid_segment(struct judge *j)
{
	struct verdict *v = j->v;
	const struct seg_note *t = &v->trigger;
	if (!t->frame || v->form != FORM_REPLY || !j->a_seen || !(t->flags & TCP_ACK) ||
	    !seq_gt(t->ack, v->a.next_seq))
		return false;
	decide(v, CAUSE_INVALID_SEGMENT, NULL, CONF_MEDIUM);
	say(v, "The %s's segment (frame %llu) acknowledged %u bytes the %s had never sent "
	       "(ack %u, its next sequence number %u); the %s's stack rejected it with a RST.",
	    j->bn, (unsigned long long)t->frame, t->ack - v->a.next_seq, j->an, t->ack,
	    v->a.next_seq, j->an);
	advise(v, "Something rewrote sequence numbers or replayed segments (a broken middlebox, "
		  "a TCP proxy or a stack bug); capture on both sides of it.");
	return true;
}

/* A reply-form RST from an endpoint that had the connection before: it lost it. */
static bool cause_peer_lost_state(struct judge *j)
{
	struct verdict *v = j->v;
	char d[32];
	if (v->form != FORM_REPLY || !v->trigger.frame || !j->a_seen || (v->a.flags & HALF_F_FIN))
		return false;
	int64_t gap = j->v->trigger_gap_ns;
	decide(v, CAUSE_PEER_LOST_STATE, NULL, CONF_MEDIUM);
	say(v, "The %s answered the %s's segment (frame %llu) with a reply-form RST, the answer "
	       "of a host with no socket for the connection, though it had taken part in it (same "
	       "TTL %u as its earlier packets) and never closed it: it had lost the connection "
	       "(process or host restarted, state dropped).",
	    j->an, j->bn, (unsigned long long)v->trigger.frame, v->rst.ttl);
	if (gap >= 0 && long_silence(j, gap))
		say(v, " The segment came after %s of silence; runner-up: idle-timeout (a middlebox "
		       "answering with the same TTL).", report_duration(d, sizeof d, gap));
	advise(v, "On the %s: look for a restart or crash at that time, and for connections "
		  "closed without the peer noticing; the %s should reconnect and retry.",
	       j->an, j->bn);
	return true;
}

/* Does B have data A never answered or never read? */
static bool b_data_unanswered(const struct judge *j)
{
	const struct verdict *v = j->v;
	if (v->b.bytes == 0)
		return false;
	/* HTTP tells it exactly: more requests than responses. */
	if (v->sender == ROLE_SERVER && v->b.http_requests)
		return v->b.http_requests > v->a.http_responses;
	/* Otherwise: B's data came after A's last, or was still arriving at the RST. */
	return v->b.data_frame > v->a.data_frame || seq_lt(v->rst.ack, v->b.next_seq);
}

/* Active-form aborts: A closed with data unread, gave up waiting, or lingered 0. */
static bool cause_abort(struct judge *j)
{
	struct verdict *v = j->v;
	char d[32];
	if (v->form == FORM_REPLY || (v->a.flags & HALF_F_FIN) || !j->a_seen)
		return false;
	if (b_data_unanswered(j)) {
		decide(v, CAUSE_UNREAD_RECV_BUFFER, NULL, CONF_MEDIUM);
		say(v, "The %s reset the connection while data from the %s was unread: ", j->an, j->bn);
		if (v->sender == ROLE_SERVER && v->b.http_requests)
			say(v, "the client sent %u HTTP request%s and the server answered %u. ",
			    v->b.http_requests, v->b.http_requests == 1 ? "" : "s", v->a.http_responses);
		else
			say(v, "the %s's last data (frame %llu) came after the %s's own. ", j->bn,
			    (unsigned long long)v->b.data_frame, j->an);
		say(v, "Closing a socket with unread received data makes the kernel send RST "
		       "instead of FIN (RFC 2525 2.17), and discards what the %s had not yet "
		       "delivered.", j->an);
		advise(v, "%s: read (drain) the socket until EOF before close(), or shutdown(SHUT_WR) "
			  "and wait for the peer's FIN; do not close with requests pending.",
		       v->sender == ROLE_SERVER ? "Server" : "Client");
		return true;
	}
	bool a_waiting = v->a.data_frame > v->b.data_frame && (v->b.flags & HALF_F_ACK) &&
			 seq_geq(v->b.ack, v->a.next_seq);
	int64_t wait = v->rst.ts_ns - v->b.last.ts_ns;
	if (v->sender == ROLE_CLIENT && a_waiting && long_silence(j, wait)) {
		decide(v, CAUSE_RESPONSE_TIMEOUT, NULL, CONF_MEDIUM);
		say(v, "The client's request (frame %llu) was acknowledged by the server, which then "
		       "sent nothing for %s; the client's application gave up and aborted the "
		       "connection.", (unsigned long long)v->a.data_frame, report_duration(d, sizeof d, wait));
		advise(v, "Server: find why the request took longer than %s (slow handler, lock, "
			  "backend). Client: raise the timeout if the wait is legitimate; the request "
			  "may have been processed, so retry only idempotent ones.",
		       report_duration(d, sizeof d, wait));
		return true;
	}
	bool probe = v->a.bytes == 0 && v->b.bytes == 0;
	decide(v, CAUSE_LINGER_ABORT, probe ? "probe" : NULL, CONF_MEDIUM);
	if (probe)
		say(v, "The %s opened the connection and aborted it without any data exchanged: a "
		       "health check or port probe closing with SO_LINGER 0. Usually benign.", j->an);
	else
		say(v, "The %s aborted the connection (RST instead of FIN) with nothing from the %s "
		       "left unanswered: an abortive close, as SO_LINGER with timeout 0 or an "
		       "application abort does.", j->an, j->bn);
	if ((v->b.flags & HALF_F_ACK) && seq_lt(v->b.ack, v->a.next_seq))
		say(v, " %u bytes the %s had sent were not yet acknowledged and may be lost.",
		    v->a.next_seq - v->b.ack, j->an);
	advise(v, probe ? "Nothing to fix if this is a health check; otherwise find what opens "
			  "and aborts connections."
			: "%s: close with FIN (no SO_LINGER 0) unless the abort is intended.",
	       v->sender == ROLE_SERVER ? "Server" : "Client");
	return true;
}

static bool cause_unknown(struct judge *j)
{
	struct verdict *v = j->v;
	decide(v, CAUSE_UNKNOWN, NULL, CONF_LOW);
	say(v, "The RST (%s form) came from the %s", rst_form_name(v->form), j->an);
	if (v->after_evictions)
		say(v, "; its start is missing: the capture began mid-connection, or rstdiag "
		       "had forgotten it when more connections were open than --max-flows allows");
	else if (v->midstream)
		say(v, "; the capture began mid-connection, so its start is missing");
	if (!j->b_seen)
		say(v, "; nothing from the %s was seen", j->bn);
	say(v, ". No cause fits what was captured.");
	if (v->after_evictions)
		advise(v, "Run again with a larger --max-flows, so no connection is forgotten.");
	else
		advise(v, "Capture closer to the sender, from before the connection started.");
	return true;
}

/* The explanation's sentence on the request: did it reach the peer, may it be retried? */
static void say_request(struct verdict *v)
{
	const struct http_note *r = &v->request;
	bool idem = http_method_idempotent(r->method);
	v->retry_safe = strcmp(v->reached_peer, "no") == 0 || idem;
	/* The role of whoever was asked: the other side from the asker. */
	enum role asked = v->request_from_sender ? role_peer(v->sender) : v->sender;
	const char *m = http_method_name(r->method), *pn = role_word(asked, "peer");
	if (strcmp(v->reached_peer, "no") == 0 && v->cause == CAUSE_DATA_AFTER_FIN)
		say(v, " That data was the request %s %s: retrying it is safe.", m, r->target);
	else if (strcmp(v->reached_peer, "no") == 0)
		say(v, " The request it met, %s %s (frame %llu), cannot have reached the %s's "
		       "application: retrying it is safe.", m, r->target, (unsigned long long)r->frame, pn);
	else
		say(v, " The request %s %s (frame %llu) %s the %s%s and may have been processed; "
		       "%s", m, r->target, (unsigned long long)r->frame,
		    strcmp(v->reached_peer, "yes") == 0 ? "reached" : "may have reached", pn,
		    strcmp(v->reached_peer, "yes") == 0 ? " (its socket acknowledged it)" : "",
		    idem ? "its method is idempotent, so retrying it is safe."
			 : "its method is not idempotent: do not retry it blindly.");
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
	const struct http_note *r = &f->request;
	if (!r->frame)
		return;
	const struct tcp_half *asker = &f->half[r->dir], *peer = &f->half[1 - r->dir];
	bool is_trigger = v->trigger.frame == r->frame;
	bool unanswered = asker->http_requests > peer->http_responses;
	if (!is_trigger && !unanswered)
		return;
	v->request = *r;
	bool no_socket = v->cause == CAUSE_DATA_AFTER_FIN || v->cause == CAUSE_PEER_LOST_STATE ||
			 v->cause == CAUSE_IDLE_TIMEOUT || v->cause == CAUSE_CLOSED_PORT;
	if (is_trigger && no_socket)
		v->reached_peer = "no";
	else if (!unanswered || ((peer->flags & HALF_F_ACK) && seq_gt(peer->ack, r->seq)))
		v->reached_peer = "yes";
	else
		v->reached_peer = "maybe";
	v->request_from_sender = r->dir == j->dir;
	v->request_note_at = strlen(v->explanation);
	say_request(v);
}

typedef bool (*cause_fn)(struct judge *j);

/* Tried in order; the first that fits decides. */
static const cause_fn rules[] = {
	cause_reset_followup,
	cause_closed_port,
	cause_connect_timeout,
	cause_invalid_segment,
	cause_handshake_abort,
	cause_data_after_fin,
	cause_keepalive_timeout,
	cause_retransmit_timeout,
	cause_middlebox,
	cause_peer_lost_state,
	cause_abort,
	cause_unknown,
};

/* A sender's IPv4 ID moves by one per packet it sends (Linux keeps a
 * counter per connection); a few packets may be missing from the capture. */
#define IP_ID_STEP_MAX 16

/*
 * IPv4 ID against A's own last packet, added to the origin evidence: a RST
 * that continues A's running ID came from A's stack; ID 0 is how Linux
 * sends replies without a socket; any other ID is unlike A's (a forger's,
 * or a stack with one counter for all connections, as Windows has, so it
 * is said but not used to decide).
 */
static void judge_ip_id(struct judge *j)
{
	struct verdict *v = j->v;
	size_t used = strlen(v->origin_evidence);
	char *out = v->origin_evidence + used;
	size_t room = sizeof v->origin_evidence - used;
	if (v->ipver != 4 || !j->a_seen || v->a.ip_id == 0)
		return;
	uint16_t step = (uint16_t)(v->ip_id - v->a.ip_id);
	if (v->ip_id == 0)
		snprintf(out, room, "; IP ID 0, as Linux sends a RST without a socket");
	else if (step >= 1 && step <= IP_ID_STEP_MAX)
		snprintf(out, room, "; IP ID %u continues the %s's own (%u)", v->ip_id, j->an, v->a.ip_id);
	else
		snprintf(out, room, "; IP ID %u does not follow the %s's own (%u)", v->ip_id, j->an,
			 v->a.ip_id);
}

/* Round trips shorter than this are jitter-bound (LAN, veth): timing cannot tell. */
#define ORIGIN_TIMING_MIN_NS 2000000

/*
 * A RST that answers B's segment in less than half the round trip from the
 * capture point to A (measured by the handshake) cannot have come from A.
 */
static void judge_timing(struct judge *j)
{
	const struct flow *f = j->f;
	struct verdict *v = j->v;
	if (!v->trigger.frame || !f->syn_ts || !f->synack_ts || !f->hs_ack_ts || v->sender == ROLE_UNKNOWN)
		return;
	int64_t leg = v->sender == ROLE_SERVER ? f->synack_ts - f->syn_ts : f->hs_ack_ts - f->synack_ts;
	int64_t answer = v->rst.ts_ns - v->trigger.ts_ns;
	if (leg < ORIGIN_TIMING_MIN_NS || answer < 0 || 2 * answer >= leg)
		return;
	char d[32], d2[32];
	j->too_fast = true;
	snprintf(j->elsewhere, sizeof j->elsewhere,
		 "it came %s after the %s's segment, under half the %s round trip between this "
		 "capture point and the %s (from the handshake): it was sent from nearer",
		 report_duration(d, sizeof d, answer), j->bn, report_duration(d2, sizeof d2, leg), j->an);
}

/* TTL comparison with A's own earlier packets: the main middlebox evidence. */
static void judge_origin(struct judge *j)
{
	struct verdict *v = j->v;
	const char *an = j->an;
	if (j->ttl_step)
		snprintf(j->elsewhere, sizeof j->elsewhere,
			 "its TTL (%u) differs from the %s's own packets (%u-%u)", v->rst.ttl, an,
			 v->a.ttl_min, v->a.ttl_max);
	else
		judge_timing(j);
	if (j->too_fast) {
		v->origin = ORIGIN_MIDDLEBOX;
		snprintf(v->origin_evidence, sizeof v->origin_evidence, "TTL %u as the %s's own, but %.200s",
			 v->rst.ttl, an, j->elsewhere);
	} else if (!j->a_seen) {
		v->origin = ORIGIN_UNKNOWN;
		snprintf(v->origin_evidence, sizeof v->origin_evidence,
			 "TTL %u; no earlier packet from the %s to compare with", v->rst.ttl, an);
	} else if (j->ttl_step) {
		v->origin = ORIGIN_MIDDLEBOX;
		snprintf(v->origin_evidence, sizeof v->origin_evidence,
			 "TTL %u, but the %s's own packets arrived with TTL %u-%u: sent from another "
			 "hop", v->rst.ttl, an, v->a.ttl_min, v->a.ttl_max);
	} else {
		v->origin = ORIGIN_ENDPOINT;
		snprintf(v->origin_evidence, sizeof v->origin_evidence,
			 "TTL %u, as the %s's own packets (%u-%u)", v->rst.ttl, an, v->a.ttl_min,
			 v->a.ttl_max);
	}
	judge_ip_id(j);
}

void classify_rst(const struct flow *f, int dir, const struct pkt *p, struct verdict *v)
{
	static const struct flow none_flow = { .client = -1, .first_closer = -1 };
	memset(v, 0, sizeof *v);
	copy_rst(v, p);
	v->idle_before_ns = -1;
	v->rtt_ns = -1;
	if (!f) {
		f = &none_flow;
		dir = 0;
	}

	v->a = f->half[dir];
	v->b = f->half[1 - dir];
	enum role a_role = flow_role(f, dir), b_role = flow_role(f, 1 - dir);
	v->sender = a_role;
	v->role_guessed = f->role_guessed;
	v->syn = f->syn;
	v->synack = f->synack;
	v->established = f->established;
	v->midstream = f->midstream;
	v->after_evictions = f->after_evictions;
	v->incarnation = f->incarnation;
	v->max_gap_ns = f->max_gap_ns;
	if (f->pkts > 0 && p->ts_ns - f->last_ts > v->max_gap_ns)
		v->max_gap_ns = p->ts_ns - f->last_ts;
	/* Silence before the closing event: an earlier FIN or RST, else this RST. */
	if (f->close_idle_ns >= 0 && f->pkts > 0)
		v->idle_before_ns = f->close_idle_ns;
	else if (f->pkts > 0)
		v->idle_before_ns = p->ts_ns > f->last_ts ? p->ts_ns - f->last_ts : 0;
	if (f->syn_ts && f->synack_ts && f->hs_ack_ts)
		v->rtt_ns = f->hs_ack_ts - f->syn_ts;

	v->form = classify_form(p, &v->a, &v->b);
	find_trigger(p, &v->a, &v->b, f->pkts && f->run_dir != dir ? &f->run_first : NULL,
		     &v->trigger);
	v->response = f->response;
	v->response_sender = v->response.status ? flow_role(f, v->response.dir) : ROLE_UNKNOWN;

	struct judge j = {
		.f = f, .p = p, .v = v, .dir = dir,
		.an = role_word(a_role, "sender"), .bn = role_word(b_role, "peer"),
		.a_seen = (v->a.flags & HALF_F_SEEN) != 0,
		.b_seen = (v->b.flags & HALF_F_SEEN) != 0,
	};
	j.ttl_step = j.a_seen && (p->ttl < v->a.ttl_min || p->ttl > v->a.ttl_max);
	v->trigger_gap_ns = gap_before_trigger(&j);
	judge_origin(&j);
	for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++)
		if (rules[i](&j))
			break;
	judge_request(&j);
	gather_evidence(v, a_role, b_role);
}

/* ---- what came after: the look-ahead's revision ---- */

/* "new data (120 bytes)", "a FIN", "an ACK of newer data" */
static const char *went_on_how(const struct after_rst *after, char *buf, size_t n)
{
	if (after->a_fin)
		snprintf(buf, n, "a FIN");
	else if (after->a_new_bytes)
		snprintf(buf, n, "%u bytes of new data", after->a_new_bytes);
	else
		snprintf(buf, n, "an ACK of data sent after the RST");
	return buf;
}

static void revise(struct verdict *v, const struct after_rst *after, const char *an,
		   const char *bn);

void classify_revise(struct verdict *v, const struct after_rst *after)
{
	const char *an = role_word(v->sender, "sender");
	const char *bn = role_word(role_peer(v->sender), "peer");
	if (after->restarted || v->cause == CAUSE_RESET_FOLLOWUP)
		return;
	/* The request sentence goes last, after what the look-ahead adds. */
	bool has_request = v->request.frame != 0;
	if (has_request)
		v->explanation[v->request_note_at] = '\0';
	revise(v, after, an, bn);
	if (has_request) {
		/* The sender's later ACK tells whether its stack ever took the request. */
		if (!v->request_from_sender && after->a_frame && after->a_acks &&
		    seq_leq(after->a_ack, v->request.seq))
			v->reached_peer = "no";
		say_request(v);
	}
}

static void revise(struct verdict *v, const struct after_rst *after, const char *an,
		   const char *bn)
{
	char d[32], how[48];
	if (after->b_frame && after->b_challenge_ack) {
		/* The peer kept the connection: the RST was in window but not exact. */
		say(v, " The %s did not accept this RST: %s later it sent a bare ACK (frame %llu), "
		       "the RFC 5961 challenge ACK for a RST that is in the window but not exactly "
		       "at the next sequence number, and the connection went on.",
		    bn, report_duration(d, sizeof d, after->b_ts_ns - v->rst.ts_ns),
		    (unsigned long long)after->b_frame);
		add_evidence(v, after->b_frame, after->b_ts_ns, "%s challenge ACK after the RST", bn);
		sort_evidence(v);
		return;
	}
	if (!after->a_frame || after->b_frame)
		return;
	/* The sender went on and the peer went silent: the peer took the RST,
	 * and the sender never sent it. */
	went_on_how(after, how, sizeof how);
	add_evidence(v, after->a_frame, after->a_ts_ns, "%s went on after the RST", an);
	sort_evidence(v);
	v->origin = ORIGIN_MIDDLEBOX;
	char before[sizeof v->origin_evidence];
	memcpy(before, v->origin_evidence, sizeof before);
	snprintf(v->origin_evidence, sizeof v->origin_evidence,
		 "the %s kept sending after it (frame %llu), so it did not send it; %.160s", an,
		 (unsigned long long)after->a_frame, before);
	if (v->cause == CAUSE_IDLE_TIMEOUT || v->cause == CAUSE_INJECTED) {
		v->confidence = CONF_HIGH;
		say(v, " The %s itself went on %s later (frame %llu, %s), which confirms the RST "
		       "was not its own.", an,
		    report_duration(d, sizeof d, after->a_ts_ns - v->rst.ts_ns),
		    (unsigned long long)after->a_frame, how);
		return;
	}
	enum cause looked_like = v->cause;
	decide(v, CAUSE_INJECTED, NULL, CONF_HIGH);
	v->explanation[0] = '\0';
	v->advice[0] = '\0';
	say(v, "The %s went on with the connection %s after this RST (frame %llu, %s), as if "
	       "it had never sent it: a stack that resets a connection sends nothing more on it, "
	       "while the %s took the RST and went silent. A third party on the path forged the "
	       "RST in the %s's name (TTL %u; the %s's own packets %u-%u). Judged on its own, "
	       "the RST looked like %s.",
	    an, report_duration(d, sizeof d, after->a_ts_ns - v->rst.ts_ns),
	    (unsigned long long)after->a_frame, how, bn, an, v->rst.ttl, an, v->a.ttl_min,
	    v->a.ttl_max, cause_id(looked_like));
	advise(v, "The %s did not reset this connection: look for a firewall, IPS or censor on "
		  "the path that resets connections (it may match on the payload); the %s's "
		  "request may have reached the %s.", an, bn, an);
}
