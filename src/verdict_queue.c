/* verdict_queue: the settle-time queue of judged RSTs (see verdict_queue.h). */
#include "verdict_queue.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "seq.h"
#include "tcp_track.h"
#include "xalloc.h"

void verdict_queue_init(struct verdict_queue *q, uint32_t max, int64_t settle_ns,
		    void (*emit)(void *ctx, struct verdict *v, const struct report_source *src),
		    void *ctx)
{
	memset(q, 0, sizeof *q);
	q->max = max ? max : 1;
	q->settle_ns = settle_ns;
	q->emit = emit;
	q->ctx = ctx;
	q->head_due_ns = INT64_MAX;
	/* Allocated on the first RST and grown as more wait at once: a ring the
	 * size of the maximum would, cycling, touch all its pages in time. */
}

void verdict_queue_free(struct verdict_queue *q)
{
	free(q->ring);
	q->ring = NULL;
	q->n = q->cap = q->head = 0;
	q->head_due_ns = INT64_MAX;
}

static struct verdict_queue_entry *at(const struct verdict_queue *q, uint32_t i)
{
	return &q->ring[(q->head + i) % q->cap];
}

static void unwatch(struct verdict_queue_entry *e)
{
	if (e->flow && e->flow->pending_rsts > 0)
		e->flow->pending_rsts--;
	e->flow = NULL;
}

/* Revises and reports the oldest entry. */
static void pop(struct verdict_queue *q)
{
	struct verdict_queue_entry *e = at(q, 0);
	if (!e->held) {
		unwatch(e);
		classify_revise(&e->v, &e->after);
		q->emit(q->ctx, &e->v, &e->src);
	}
	q->head = (q->head + 1) % q->cap;
	q->n--;
	q->head_due_ns = q->n ? at(q, 0)->due_ns : INT64_MAX;
}

/* The entry just given its due time: the head's own when it is the only one. */
static void note_due(struct verdict_queue *q, const struct verdict_queue_entry *e)
{
	if (q->n == 1)
		q->head_due_ns = e->due_ns;
}

/* Doubles the ring, oldest entry first in the new one. */
static void grow(struct verdict_queue *q)
{
	uint32_t cap = q->cap ? q->cap * 2 : 8;
	if (cap > q->max)
		cap = q->max;
	struct verdict_queue_entry *ring = xmalloc(cap * sizeof *ring);
	for (uint32_t i = 0; i < q->n; i++)
		ring[i] = *at(q, i);
	free(q->ring);
	q->ring = ring;
	q->cap = cap;
	q->head = 0;
}

/* Room for one more entry: the ring grown, or the oldest reported early. */
static struct verdict_queue_entry *make_room(struct verdict_queue *q)
{
	if (q->n == q->cap) {
		if (q->cap < q->max)
			grow(q);
		else
			pop(q);
	}
	q->pushed++;
	return at(q, q->n++);
}

/*
 * Entries are numbered in the order they were queued (q->pushed counts
 * them, wrapping). A connection's watched entries are chained newest
 * first: f->newest_rst numbers its newest, each entry's prev_of_flow the
 * one before, and f->pending_rsts says how many there are. Entries leave
 * the queue oldest first and only its oldest are unwatched by leaving,
 * so the chain's first pending_rsts links are all in the queue.
 */
static struct verdict_queue_entry *numbered(const struct verdict_queue *q, uint32_t num)
{
	return at(q, num - (q->pushed - q->n));
}

void verdict_queue_hold(struct verdict_queue *q, int64_t ts_ns)
{
	struct verdict_queue_entry *e = make_room(q);
	e->held = true;
	e->flow = NULL;
	e->due_ns = ts_ns + q->settle_ns;
	note_due(q, e);
}

struct verdict *verdict_queue_next(struct verdict_queue *q)
{
	return &make_room(q)->v;
}

void verdict_queue_push(struct verdict_queue *q, struct flow *f, int dir, const struct verdict *v,
		    const struct report_source *src)
{
	*verdict_queue_next(q) = *v;
	verdict_queue_push_next(q, f, dir, src);
}

void verdict_queue_push_next(struct verdict_queue *q, struct flow *f, int dir,
			     const struct report_source *src)
{
	struct verdict_queue_entry *e = at(q, q->n - 1);
	const struct verdict *v = &e->v;
	e->held = false;
	e->src = *src;
	e->flow = f;
	e->dir = dir;
	e->due_ns = v->rst.ts_ns + q->settle_ns;
	note_due(q, e);
	memset(&e->after, 0, sizeof e->after);
	if (f && f->pending_rsts < UINT8_MAX) {
		e->prev_of_flow = f->newest_rst;
		f->newest_rst = q->pushed - 1;
		f->pending_rsts++;
	} else {
		e->flow = NULL;   /* too many to watch on one connection: the first ones tell */
	}
}

/* Did segment p of the RST's sender go on with the connection? New data
 * or a FIN beyond what it had sent, or an ACK of more than it had acked. */
static bool sender_went_on(const struct verdict *v, const struct pkt *p)
{
	const struct side *a = &v->a;
	if (!(a->flags & HALF_F_SEEN))
		return true;
	uint32_t end = p->seq + pkt_seq_len(p);
	if (pkt_seq_len(p) > 0 && seq_gt(end, a->next_seq))
		return true;
	return (p->flags & TCP_ACK) && (a->flags & HALF_F_ACK) && seq_gt(p->ack, a->ack);
}

static void observe(struct verdict_queue_entry *e, int dir, const struct pkt *p)
{
	struct after_rst *after = &e->after;
	/* The "refuser" of a SYN answering that same SYN with a SYN-ACK: it
	 * never refused it (a forged refusal raced the real answer). */
	bool refused = e->v.cause == CAUSE_CLOSED_PORT && (e->v.rst.flags & TCP_ACK);
	if ((p->flags & (TCP_SYN | TCP_ACK)) == (TCP_SYN | TCP_ACK) && dir == e->dir && refused &&
	    p->ack == e->v.rst.ack && !after->a_frame) {
		/* After the peer sent that SYN again, the answer is to the
		 * retry: the port had opened meanwhile (a service starting). */
		if (after->retry_frame) {
			after->retry_accepted_frame = p->frame;
			after->retry_accepted_ts_ns = p->ts_ns;
			unwatch(e);
			return;
		}
		after->a_frame = p->frame;
		after->a_ts_ns = p->ts_ns;
		after->a_synack = true;
		return;
	}
	/* The refused SYN again, its ISN the same: the same connect() tried
	 * again (Windows retries a refused connect twice, 0.5 s apart), not
	 * a new connection; its answer is still watched. */
	if ((p->flags & (TCP_SYN | TCP_ACK)) == TCP_SYN && dir != e->dir && refused &&
	    p->seq + 1 == e->v.rst.ack) {
		if (!after->retry_frame)
			after->retry_frame = p->frame;
		return;
	}
	if (p->flags & TCP_SYN) {
		after->restarted = true;
		unwatch(e);
		return;
	}
	if (dir == e->dir) {
		if (!after->a_frame && sender_went_on(&e->v, p)) {
			after->a_frame = p->frame;
			after->a_ts_ns = p->ts_ns;
			after->a_new_bytes = p->payload_len;
			after->a_fin = (p->flags & TCP_FIN) != 0;
			after->a_acks = (p->flags & TCP_ACK) != 0;
			after->a_ack = p->ack;
		}
	} else if (!after->b_frame) {
		after->b_frame = p->frame;
		after->b_ts_ns = p->ts_ns;
		/* A challenge ACK answers a RST not exactly at RCV.NXT and
		 * carries RCV.NXT (RFC 5961 3.2); a RST exactly there resets the
		 * connection, so an ACK of that very number is an earlier one,
		 * crossing the RST (the corpus's wow.pcap 43: the ACK of the
		 * client's FIN, whose RST came at FIN + 1). And RCV.NXT then
		 * covers all the RST's sender sent before it, which reached the
		 * peer first: an ACK short of that left the peer before them,
		 * so before the RST too (the lab's tls13-keepalive-race over a
		 * 400 ms round trip at the server: the client's ACK of the
		 * server's close_notify, not of its FIN, 201 ms after the RST).
		 * Nor does it acknowledge the RST's own data, which no stack
		 * delivers: an ACK of it took the segment as data, its RST
		 * flag not on the wire (the corpus's reasm_crash_anon.pcapng
		 * 96-97, a corrupted capture; a review). */
		after->b_challenge_ack = p->payload_len == 0 &&
					 (p->flags & (TCP_ACK | TCP_FIN)) == TCP_ACK &&
					 p->ack != e->v.rst.seq &&
					 !(e->v.rst.len && p->ack == e->v.rst.seq + e->v.rst.len) &&
					 !((e->v.a.flags & HALF_F_SEEN) && seq_lt(p->ack, e->v.a.next_seq));
	}
}

/*
 * A connection's waiting RSTs are found along its chain (above), not by
 * searching the queue. Searched from the oldest, each eviction in a SYN
 * flood answered by RSTs crossed the whole queue (1024 entries of 768
 * bytes) to find the RST it had just queued: 16 % of the run's samples
 * (perf, 1M packets); and a connection that went on after a forged RST
 * searched it again with each of its packets.
 */
/*
 * Not inlined, either: both run only for a connection with RSTs waiting,
 * and inlined into the pipeline's per-packet path they cost that path
 * 3.2M instructions on the 200k bench capture (329.7M against 326.9M).
 */
__attribute__((noinline))
void verdict_queue_observe(struct verdict_queue *q, struct flow *f, int dir, const struct pkt *p)
{
	if (p->flags & TCP_RST)
		return;     /* more RSTs are follow-ups, judged on their own */
	/* observe() may unwatch an entry (a new SYN), and not every one of
	 * them (a SYN-ACK racing a forged refusal): the chain is relinked
	 * through those still watched. */
	uint32_t num = f->newest_rst, *link = &f->newest_rst;
	for (uint32_t left = f->pending_rsts; left; left--) {
		struct verdict_queue_entry *e = numbered(q, num);
		assert(e->flow == f);
		uint32_t this = num;
		num = e->prev_of_flow;
		observe(e, dir, p);
		if (e->flow == f) {
			*link = this;
			link = &e->prev_of_flow;
		}
	}
}

__attribute__((noinline))
const struct verdict *verdict_queue_copy_of(const struct verdict_queue *q, const struct flow *f,
					    int dir, const struct pkt *p)
{
	uint32_t num = f->newest_rst;
	for (uint32_t left = f->pending_rsts; left; left--) {
		const struct verdict_queue_entry *e = numbered(q, num);
		if (e->dir == dir && tcp_track_copy_of_rst(&e->v.rst, e->v.ip_id, p))
			return &e->v;
		num = e->prev_of_flow;
	}
	return NULL;
}

__attribute__((noinline))
void verdict_queue_detach(struct verdict_queue *q, struct flow *f)
{
	uint32_t num = f->newest_rst;
	while (f->pending_rsts) {
		struct verdict_queue_entry *e = numbered(q, num);
		assert(e->flow == f);
		num = e->prev_of_flow;
		unwatch(e);
	}
}

void verdict_queue_pop_due(struct verdict_queue *q, int64_t now)
{
	while (q->n && at(q, 0)->due_ns <= now)
		pop(q);
}

void verdict_queue_flush(struct verdict_queue *q)
{
	while (q->n)
		pop(q);
}
