/*
 * slab: see slab.h. The maker is one thread, a mutex and two condition
 * variables: flow_table takes and asks about once a slab (4228 flows), so
 * the lock is never contended in a way that shows.
 */
#include "slab.h"

#include <pthread.h>
#include <stdlib.h>
#include <sys/mman.h>

#include "xalloc.h"

void *slab_map(bool huge)
{
	char *p = mmap(NULL, 2 * SLAB_MAP, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		       -1, 0);
	if (p == MAP_FAILED)
		abort();        /* out of memory: as xmalloc (xalloc.h) */
	char *slab = (char *)(((uintptr_t)p + SLAB_MAP - 1) & ~(uintptr_t)(SLAB_MAP - 1));
	if (slab > p)
		munmap(p, (size_t)(slab - p));
	munmap(slab + SLAB_MAP, (size_t)(p + SLAB_MAP - slab));
#ifdef MADV_HUGEPAGE
	if (huge)
		(void)madvise(slab, SLAB_MAP, MADV_HUGEPAGE);   /* a hint: refused, 4 KiB pages */
#else
	(void)huge;
#endif
	return slab;
}

void slab_unmap(void *slab)
{
	munmap(slab, SLAB_MAP);
}

/* More ready slabs than flow_table ever asks for (flow_table.c). */
#define SLAB_MAKER_MAX 16

struct slab_maker {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;           /* to the maker: asked for more, or stop */
	pthread_cond_t made;           /* to a taker: the slab being made is ready */
	void *ready[SLAB_MAKER_MAX];   /* present slabs not yet taken, as a stack */
	uint32_t n_ready;
	uint32_t wanted;               /* how many to keep ready */
	bool making;                   /* one is being made, outside the lock */
	bool stop;
};

static void *make_slabs(void *arg)
{
	struct slab_maker *m = arg;
	pthread_mutex_lock(&m->lock);
	for (;;) {
		while (!m->stop && m->n_ready >= m->wanted)
			pthread_cond_wait(&m->wake, &m->lock);
		if (m->stop)
			break;
		m->making = true;
		pthread_mutex_unlock(&m->lock);
		/* The zeroing happens here, on this thread, with no lock held. A
		 * kernel without MADV_POPULATE_WRITE (before 5.14) refuses it:
		 * then the taker's first touches fault the pages in, as without
		 * the maker. */
		char *slab = slab_map(true);
#ifdef MADV_POPULATE_WRITE
		(void)madvise(slab, SLAB_MAP, MADV_POPULATE_WRITE);
#endif
		pthread_mutex_lock(&m->lock);
		/* Room: n_ready was below the count asked (at most
		 * SLAB_MAKER_MAX) when this one was begun, and takers only
		 * lower it. */
		m->ready[m->n_ready++] = slab;
		m->making = false;
		pthread_cond_broadcast(&m->made);
	}
	pthread_mutex_unlock(&m->lock);
	return NULL;
}

struct slab_maker *slab_maker_new(void)
{
	struct slab_maker *m = xcalloc(1, sizeof *m);
	pthread_mutex_init(&m->lock, NULL);
	pthread_cond_init(&m->wake, NULL);
	pthread_cond_init(&m->made, NULL);
	if (pthread_create(&m->thread, NULL, make_slabs, m) != 0) {
		pthread_cond_destroy(&m->made);
		pthread_cond_destroy(&m->wake);
		pthread_mutex_destroy(&m->lock);
		free(m);
		return NULL;
	}
	return m;
}

void slab_maker_ask(struct slab_maker *m, uint32_t n)
{
	if (n > SLAB_MAKER_MAX)
		n = SLAB_MAKER_MAX;
	pthread_mutex_lock(&m->lock);
	m->wanted = n;
	if (m->n_ready < n)
		pthread_cond_signal(&m->wake);
	pthread_mutex_unlock(&m->lock);
}

void *slab_maker_take(struct slab_maker *m)
{
	void *slab = NULL;
	pthread_mutex_lock(&m->lock);
	/* One being made is waited for: mapping another here would zero a
	 * slab twice and hold one more than asked for. */
	while (!m->n_ready && m->making)
		pthread_cond_wait(&m->made, &m->lock);
	if (m->n_ready)
		slab = m->ready[--m->n_ready];
	/* The slab taken was one of those asked for: no other is made in its
	 * place until the taker asks again, which may be for none (the last
	 * slab --max-flows lets fill). */
	if (m->wanted)
		m->wanted--;
	pthread_mutex_unlock(&m->lock);
	return slab;
}

void slab_maker_wait(struct slab_maker *m)
{
	pthread_mutex_lock(&m->lock);
	while (m->n_ready < m->wanted)
		pthread_cond_wait(&m->made, &m->lock);
	pthread_mutex_unlock(&m->lock);
}

void slab_maker_free(struct slab_maker *m)
{
	if (!m)
		return;
	pthread_mutex_lock(&m->lock);
	m->stop = true;
	pthread_cond_signal(&m->wake);
	pthread_mutex_unlock(&m->lock);
	pthread_join(m->thread, NULL);
	for (uint32_t i = 0; i < m->n_ready; i++)
		slab_unmap(m->ready[i]);
	pthread_cond_destroy(&m->made);
	pthread_cond_destroy(&m->wake);
	pthread_mutex_destroy(&m->lock);
	free(m);
}
