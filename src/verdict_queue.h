/*
 * verdict_queue: the look-ahead. Judged RSTs wait a settle time before
 * they are reported, to see what their connection does next (TAXONOMY
 * injected: "A keeps sending after its own RST"; RFC 5961 challenge ACKs).
 *
 * A FIFO of verdicts in frame order. An entry is due when VERDICT_QUEUE_SETTLE_NS
 * of capture time has passed since its RST, and it is then reported even
 * if its connection is still going; entries are reported in the order their
 * RSTs arrived, so output stays in frame order. Its connection's later
 * segments are watched until then, or until the connection is released or
 * replaced. Bounded: when the queue is full the oldest entry is reported
 * at once.
 */
#ifndef RSTDIAG_VERDICT_QUEUE_H
#define RSTDIAG_VERDICT_QUEUE_H

#include <stdbool.h>
#include <stdint.h>

#include "classify.h"
#include "packet.h"
#include "source.h"
#include "flow.h"

/* Long enough for a server's answer or an idle close to follow a forged RST. */
#define VERDICT_QUEUE_SETTLE_NS (2 * 1000000000LL)
#define VERDICT_QUEUE_MAX 1024

struct verdict_queue_entry {
	struct verdict v;
	struct report_source src;   /* the input it came from, as it was then */
	struct flow *flow;          /* NULL once no longer watched */
	int dir;                    /* endpoint that sent the RST */
	int64_t due_ns;
	bool held;                  /* another shard's RST: a place in the queue, no verdict */
	uint32_t prev_of_flow;      /* the number of flow's entry before this one, if any */
	struct after_rst after;
};

struct verdict_queue {
	struct verdict_queue_entry *ring;
	uint32_t cap, head, n;      /* ring size grows up to max as entries wait at once */
	uint32_t pushed;            /* entries ever queued: the next one's number */
	uint32_t max;
	int64_t settle_ns;
	/* The oldest entry's due_ns, INT64_MAX when none waits: what
	 * verdict_queue_due compares, twice a packet (the ring's head read
	 * through its index cost some 9 instructions a packet). */
	int64_t head_due_ns;
	/* A verdict leaving the queue, revised by what came after (classify_revise):
	 * the emitter may finish its revision in place, the entry is done. */
	void (*emit)(void *ctx, struct verdict *v, const struct report_source *src);
	void *ctx;
};

void verdict_queue_init(struct verdict_queue *q, uint32_t max, int64_t settle_ns,
		    void (*emit)(void *ctx, struct verdict *v, const struct report_source *src),
		    void *ctx);
void verdict_queue_free(struct verdict_queue *q);
/* Queues verdict v of a RST sent by endpoint dir of f (reporting the oldest if full). */
void verdict_queue_push(struct verdict_queue *q, struct flow *f, int dir, const struct verdict *v,
		    const struct report_source *src);
/*
 * The same in two steps, so that the judge writes the verdict where it
 * waits: verdict_queue_next makes room (reporting the oldest if full)
 * and gives the new entry's verdict; verdict_queue_push_next queues it,
 * of a RST sent by endpoint dir of f. Nothing else may use the queue in
 * between. (A scan's RSTs each copied a 672-byte verdict into the queue:
 * 3 % of its instructions.)
 */
struct verdict *verdict_queue_next(struct verdict_queue *q);
void verdict_queue_push_next(struct verdict_queue *q, struct flow *f, int dir,
			     const struct report_source *src);
/*
 * A RST of a connection another shard analyses (--shard, shard.h), at
 * ts_ns: it takes its place in the queue as it would in one run, so the
 * bound cuts the same look-aheads short, and is reported by nobody here.
 */
void verdict_queue_hold(struct verdict_queue *q, int64_t ts_ns);
/* Segment p, sent by endpoint dir of f, after RSTs of f that wait (f->pending_rsts). */
void verdict_queue_observe(struct verdict_queue *q, struct flow *f, int dir, const struct pkt *p);
/*
 * RST p, sent by endpoint dir of f, is a capture copy of one of that
 * endpoint's RSTs still waiting, with other packets between
 * (tcp_track_copy_of_rst): that RST's verdict, else NULL.
 */
const struct verdict *verdict_queue_copy_of(const struct verdict_queue *q, const struct flow *f,
					    int dir, const struct pkt *p);
/* f is released or replaced by a new connection: stop watching it. */
void verdict_queue_detach(struct verdict_queue *q, struct flow *f);
/* Reports entries whose settle time has passed by capture time now
 * (verdict_queue_due, below, is how the pipeline calls it). */
void verdict_queue_pop_due(struct verdict_queue *q, int64_t now);
/* Called twice a packet: nothing to do unless the oldest waiting RST is due. */
static inline void verdict_queue_due(struct verdict_queue *q, int64_t now)
{
	if (q->head_due_ns <= now)
		verdict_queue_pop_due(q, now);
}
/* Reports everything (end of input). */
void verdict_queue_flush(struct verdict_queue *q);

#endif
