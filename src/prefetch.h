/*
 * prefetch: hints that memory is about to be read or written, with no
 * effect on results.
 *
 * Always inlined: GCC finds a function of prefetches alone pure and drops
 * a call to it whose result is unused, so a helper that is only called
 * would ask for nothing.
 */
#ifndef RSTDIAG_PREFETCH_H
#define RSTDIAG_PREFETCH_H

#include <stddef.h>

/* Every cache line of the n bytes at p (n > 0). */
static inline __attribute__((always_inline)) void prefetch_bytes(const void *p, size_t n)
{
	const char *c = p;
	for (size_t off = 0; off < n; off += 64)
		__builtin_prefetch(c + off);
	__builtin_prefetch(c + n - 1);
}

#endif
