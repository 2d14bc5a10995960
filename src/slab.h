/*
 * slab: the 2 MiB mappings flow_table carves its flows from, and a helper
 * thread that makes the next ones present before they are needed.
 *
 * A flood makes a new flow for nearly every packet, so the pool grows by
 * a slab every few thousand packets, and the kernel zeroes each slab's
 * pages at their first touch. On the 1M-packet floods that was a third
 * of the run (perf: clear_page_erms, 30-44 % of samples after the
 * machine had been idle for 3 s; this VM's balloon hands freed memory
 * back to the host, which backs it again at the next touch). The slab
 * maker does that zeroing on the other core: flow_table asks it to keep a
 * few slabs ready (slab_maker_ask) and takes one when it needs it
 * (slab_maker_take); when none is ready yet, flow_table maps one itself,
 * as without the maker.
 *
 * The maker's slabs are huge-page ones (MADV_HUGEPAGE, then
 * MADV_POPULATE_WRITE on the whole slab), for reading files: live capture
 * uses neither (flow_table.c says why). The maker owns the slabs it has
 * not handed over; a slab taken is the taker's.
 */
#ifndef RSTDIAG_SLAB_H
#define RSTDIAG_SLAB_H

#include <stdbool.h>
#include <stdint.h>

#define SLAB_MAP ((size_t)2 << 20)

/* One 2 MiB mapping on a 2 MiB boundary, advised onto a huge page if huge;
 * aborts when out of memory, as xmalloc does. */
void *slab_map(bool huge);
void slab_unmap(void *slab);

struct slab_maker;
/* Starts the helper thread; NULL if it cannot (flow_table then maps its
 * slabs itself). */
struct slab_maker *slab_maker_new(void);
/* Keep up to n slabs ready (present, on huge pages where the kernel gives
 * them): the count asked last is the one kept. */
void slab_maker_ask(struct slab_maker *m, uint32_t n);
/* A ready slab, now the caller's (waiting for the one being made, if
 * any), or NULL when none is ready or being made. Either way one fewer is
 * kept ready until the next slab_maker_ask: with the counts asked for
 * bounded so, the maker never holds more slabs than were asked. */
void *slab_maker_take(struct slab_maker *m);
/* Waits until as many slabs are ready as were asked for (for tests: the
 * reader never waits for slabs it has not yet needed). */
void slab_maker_wait(struct slab_maker *m);
/* Stops the thread and unmaps the slabs never taken. NULL is allowed. */
void slab_maker_free(struct slab_maker *m);

#endif
