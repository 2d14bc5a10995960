/*
 * classify: the judgement of each RST (see classify.h).
 *
 * This first version decides what the wire alone shows: the RST's form,
 * the segment it answers and the state of both sides. Causes come later
 * (issue 4); until then every verdict says "unknown" and says what is
 * known instead of guessing.
 */
#include "classify.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

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

/* B's last segment, if it came after A's last one and the RST's numbers refer to it. */
static void find_trigger(const struct pkt *p, const struct tcp_half *a, const struct tcp_half *b,
			 struct seg_note *out)
{
	const struct seg_note *t = &b->last;
	memset(out, 0, sizeof *out);
	if (!t->frame || (a->last.frame && a->last.frame > t->frame))
		return;
	/* Reply to a segment with ACK: a bare RST whose seq is that ack. */
	bool by_seq = !(p->flags & TCP_ACK) && (t->flags & TCP_ACK) && p->seq == t->ack;
	/* RST+ACK acknowledging the segment: only meaningful if it occupied
	 * sequence space; any RST+ACK "acknowledges" a bare ACK before it. */
	bool by_ack = (p->flags & TCP_ACK) && note_seq_len(t) > 0 &&
		      p->ack == t->seq + note_seq_len(t);
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

static void describe(struct verdict *v, enum role a_role)
{
	const char *an = role_name(a_role);
	int n = snprintf(v->explanation, sizeof v->explanation,
			 "%s-form RST from the %s", rst_form_name(v->form), an);
	if (n < 0 || (size_t)n >= sizeof v->explanation)
		return;
	if (v->trigger.frame)
		n += snprintf(v->explanation + n, sizeof v->explanation - (size_t)n,
			      ", answering frame %llu %.3f ms after it",
			      (unsigned long long)v->trigger.frame,
			      (double)(v->rst.ts_ns - v->trigger.ts_ns) / 1e6);
	if (n >= 0 && (size_t)n < sizeof v->explanation)
		snprintf(v->explanation + n, sizeof v->explanation - (size_t)n,
			 ". The cause is not classified by this version of rstdiag.");
}

void classify_rst(const struct flow *f, int dir, const struct pkt *p, struct verdict *v)
{
	static const struct tcp_half none;
	memset(v, 0, sizeof *v);
	copy_rst(v, p);
	v->idle_before_ns = -1;

	enum role a_role = ROLE_UNKNOWN, b_role = ROLE_UNKNOWN;
	if (f) {
		v->a = f->half[dir];
		v->b = f->half[1 - dir];
		a_role = flow_role(f, dir);
		b_role = flow_role(f, 1 - dir);
		v->role_guessed = f->role_guessed;
		v->syn = f->syn;
		v->synack = f->synack;
		v->established = f->established;
		v->midstream = f->midstream;
		v->incarnation = f->incarnation;
		v->max_gap_ns = f->max_gap_ns;
		if (f->pkts > 0 && p->ts_ns - f->last_ts > v->max_gap_ns)
			v->max_gap_ns = p->ts_ns - f->last_ts;
		/* Silence before the closing event: an earlier FIN or RST, else this RST. */
		if (f->close_idle_ns >= 0)
			v->idle_before_ns = f->close_idle_ns;
		else if (f->pkts > 0)
			v->idle_before_ns = p->ts_ns > f->last_ts ? p->ts_ns - f->last_ts : 0;
	} else {
		v->a = none;
		v->b = none;
	}
	v->sender = a_role;

	v->form = classify_form(p, &v->a, &v->b);
	find_trigger(p, &v->a, &v->b, &v->trigger);
	v->cause = CAUSE_UNKNOWN;
	v->confidence = CONF_LOW;
	v->origin = ORIGIN_UNKNOWN;
	if (v->a.flags & HALF_F_SEEN)
		snprintf(v->origin_evidence, sizeof v->origin_evidence,
			 "TTL %u; the %s's earlier packets had TTL %u-%u", p->ttl, role_name(a_role),
			 v->a.ttl_min, v->a.ttl_max);
	else
		snprintf(v->origin_evidence, sizeof v->origin_evidence,
			 "TTL %u; no earlier packet from this address in the flow", p->ttl);
	gather_evidence(v, a_role, b_role);
	describe(v, a_role);
}
