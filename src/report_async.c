/*
 * report_async: see report_async.h.
 *
 * One producer (the reading thread) and one consumer (the renderer) share
 * a ring of RING slots and two counters: head, the records put in, which
 * only the producer writes, and tail, the records rendered, which only the
 * consumer writes. Either side sleeps on a condition variable only when it
 * cannot go on, and says so in a flag the other reads after each step:
 * a store then a load, both sequentially consistent, on each side, so one
 * of the two always sees the other (the flag set, or the counter moved)
 * and no wake-up is lost. The lock is taken only around sleeping and
 * waking, so a flood's records cross with no system call but one per
 * RING / 2 of them.
 */
#include "report_async.h"

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "json_write.h"
#include "tunnel_table.h"
#include "xalloc.h"

/* 256 slots of 888 bytes: 222 KiB, within either core's L2 cache (2 MiB). */
#define RING 256u
/* Without flush_each, the renderer is woken when this many wait. */
#define WAKE_BATCH 32u
#define NOT_WAITING UINT32_MAX

struct slot {
	bool made;                  /* line holds the record, made by the producer */
	struct verdict v;
	struct report_source src;
	struct tunnel_path path;    /* v.tunnel_path's, when it has one */
	struct json_writer line;    /* buffers handed between this and the producer */
};

struct async {
	struct reporter *inner;
	struct slot *ring;
	/* Each counter on a cache line of its own: the other side reads it
	 * after every record. */
	_Alignas(64) _Atomic uint32_t head;
	_Alignas(64) _Atomic uint32_t tail;
	_Alignas(64) _Atomic bool renderer_asleep;
	/* The producer sleeps until at most this many records wait (RING / 2
	 * for room, 0 to drain); NOT_WAITING when it is not asleep. */
	_Atomic uint32_t producer_waits_for;
	pthread_mutex_t lock;
	pthread_cond_t work;        /* to the renderer: records, or stop */
	pthread_cond_t room;        /* to the producer: room, or drained */
	pthread_t thread;
	bool started, failed;       /* the producer's: the thread's state */
	bool stop;                  /* under lock */
	/* The renderer's own: the paths of the records it rendered, so their
	 * ids name a table no other thread changes. */
	struct tunnel_table *paths;
	/* The producer's: the line it makes when the ring is full, which it
	 * swaps with its slot's buffer. */
	struct json_writer mine;
};

static void render(struct async *a, struct slot *s)
{
	if (s->made) {
		a->inner->write_rendered(a->inner, &s->line);
		return;
	}
	if (s->v.tunnel_path) {
		s->v.tunnel_path = tunnel_table_path(a->paths, &s->path);
		s->src.tunnels = a->paths;
	}
	a->inner->reset(a->inner, &s->v, &s->src);
}

static void *renderer(void *arg)
{
	struct async *a = arg;
	uint32_t tail = atomic_load_explicit(&a->tail, memory_order_relaxed);
	for (;;) {
		if (atomic_load(&a->head) == tail) {
			pthread_mutex_lock(&a->lock);
			atomic_store(&a->renderer_asleep, true);
			while (atomic_load(&a->head) == tail && !a->stop)
				pthread_cond_wait(&a->work, &a->lock);
			atomic_store(&a->renderer_asleep, false);
			bool done = a->stop && atomic_load(&a->head) == tail;
			pthread_mutex_unlock(&a->lock);
			if (done)
				break;
			continue;
		}
		render(a, &a->ring[tail % RING]);
		atomic_store(&a->tail, ++tail);
		uint32_t waits_for = atomic_load(&a->producer_waits_for);
		if (waits_for != NOT_WAITING && atomic_load(&a->head) - tail <= waits_for) {
			pthread_mutex_lock(&a->lock);
			pthread_cond_signal(&a->room);
			pthread_mutex_unlock(&a->lock);
		}
	}
	return NULL;
}

static void start(struct async *a)
{
	a->started = true;
	a->paths = tunnel_table_new(0);
	a->ring = xcalloc(RING, sizeof *a->ring);     /* no line buffers yet */
	atomic_store(&a->producer_waits_for, NOT_WAITING);
	pthread_mutex_init(&a->lock, NULL);
	pthread_cond_init(&a->work, NULL);
	pthread_cond_init(&a->room, NULL);
	/* The thread inherits this mask: every signal blocked, so they all
	 * go to the reading thread, but SIGPIPE. The kernel sends that one to
	 * the thread whose write failed: blocked, it would wait there for
	 * ever, and `rstdiag --json big.pcap | head -1` would read to the
	 * end before the summary's write on the reading thread ended it. */
	sigset_t all, old;
	sigfillset(&all);
	sigdelset(&all, SIGPIPE);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	a->failed = pthread_create(&a->thread, NULL, renderer, a) != 0;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
}

/* The producer: sleeps until at most n records wait to be rendered. */
static void wait_until(struct async *a, uint32_t n)
{
	uint32_t head = atomic_load_explicit(&a->head, memory_order_relaxed);
	if (head - atomic_load(&a->tail) <= n)
		return;
	pthread_mutex_lock(&a->lock);
	atomic_store(&a->producer_waits_for, n);
	/* A drain wakes the renderer whatever the batch: it may be asleep
	 * with fewer than WAKE_BATCH records waiting. */
	if (atomic_load(&a->renderer_asleep))
		pthread_cond_signal(&a->work);
	while (head - atomic_load(&a->tail) > n)
		pthread_cond_wait(&a->room, &a->lock);
	atomic_store(&a->producer_waits_for, NOT_WAITING);
	pthread_mutex_unlock(&a->lock);
}

/* Records up to head are in the ring: the renderer is woken if it sleeps
 * and should not (live, or a batch waiting). */
static void publish(struct async *a, uint32_t head)
{
	atomic_store(&a->head, head);
	if (atomic_load(&a->renderer_asleep) &&
	    (a->inner->flush_each || head - atomic_load(&a->tail) >= WAKE_BATCH)) {
		pthread_mutex_lock(&a->lock);
		pthread_cond_signal(&a->work);
		pthread_mutex_unlock(&a->lock);
	}
}

/*
 * The renderer is behind (the ring is full): rather than sleep, the
 * producer makes this record's line itself, while the renderer frees a
 * slot, and hands it over made, for the renderer only to write. How many
 * lines each makes then follows their speeds: on a scan, where a record
 * takes longer to word and write than its two packets take to track, the
 * producer makes some and neither thread waits for the other.
 */
static void make_line(struct async *a, const struct verdict *v, const struct report_source *src,
		      uint32_t head)
{
	if (!a->mine.buf)
		json_writer_init(&a->mine);
	json_writer_reset(&a->mine);    /* render appends */
	a->inner->render(a->inner, v, src, &a->mine);
	if (head - atomic_load(&a->tail) >= RING)
		wait_until(a, RING - 1);    /* the renderer freed none meanwhile */
	struct slot *s = &a->ring[head % RING];
	struct json_writer spare = s->line;     /* a buffer the renderer is done with, or none */
	s->line = a->mine;
	s->made = true;
	if (spare.buf)
		a->mine = spare;
	else
		memset(&a->mine, 0, sizeof a->mine);
	publish(a, head + 1);
}

static void async_reset(struct reporter *r, const struct verdict *v, const struct report_source *src)
{
	struct async *a = r->priv;
	if (!a->started)
		start(a);
	if (a->failed) {    /* no thread: rendered here, as without async */
		a->inner->reset(a->inner, v, src);
		return;
	}
	uint32_t head = atomic_load_explicit(&a->head, memory_order_relaxed);
	if (head - atomic_load(&a->tail) >= RING) {
		if (a->inner->render) {
			make_line(a, v, src, head);
			return;
		}
		/* Sleep until half the ring is rendered, not until one slot
		 * is, or a flood would cost a wake-up per record. */
		wait_until(a, RING / 2);
	}
	struct slot *s = &a->ring[head % RING];
	s->made = false;
	memcpy(&s->v, v, sizeof *v);
	memcpy(&s->src, src, sizeof *src);
	if (v->tunnel_path) {
		const struct tunnel_path *p = tunnel_table_get(src->tunnels, v->tunnel_path);
		if (p)
			memcpy(&s->path, p, sizeof *p);
		else
			s->v.tunnel_path = 0;
	}
	s->src.tunnels = NULL;
	publish(a, head + 1);
}

void report_async_drain(struct reporter *r)
{
	struct async *a = r->priv;
	if (a->started && !a->failed)
		wait_until(a, 0);
}

static void async_summary(struct reporter *r, const struct stats *s, const struct server_insights *e)
{
	struct async *a = r->priv;
	report_async_drain(r);
	a->inner->summary(a->inner, s, e);
}

static void async_free(struct reporter *r)
{
	struct async *a = r->priv;
	if (a->started) {
		if (!a->failed) {
			report_async_drain(r);
			pthread_mutex_lock(&a->lock);
			a->stop = true;
			pthread_cond_signal(&a->work);
			pthread_mutex_unlock(&a->lock);
			pthread_join(a->thread, NULL);
		}
		pthread_cond_destroy(&a->room);
		pthread_cond_destroy(&a->work);
		pthread_mutex_destroy(&a->lock);
		tunnel_table_free(a->paths);
		for (uint32_t i = 0; i < RING; i++)
			json_writer_free(&a->ring[i].line);
		free(a->ring);
		json_writer_free(&a->mine);
	}
	free(a);
}

void report_async_init(struct reporter *r, struct reporter *inner)
{
	/* Aligned as its counters ask. */
	struct async *a = aligned_alloc(64, (sizeof *a + 63) & ~(size_t)63);
	if (!a)
		abort();    /* out of memory: as xmalloc (xalloc.h) */
	memset(a, 0, sizeof *a);
	a->inner = inner;
	*r = *inner;
	r->reset = async_reset;
	r->summary = async_summary;
	r->free = async_free;
	r->render = NULL;       /* every record goes through async_reset */
	r->write_rendered = NULL;
	r->priv = a;
}
