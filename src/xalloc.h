/*
 * xalloc: allocation that cannot fail. Out of memory is not an input
 * error and there is no useful recovery, so the process aborts (as git's
 * xmalloc dies); every caller can then use the result directly.
 */
#ifndef RSTDIAG_XALLOC_H
#define RSTDIAG_XALLOC_H

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

static inline void *xmalloc(size_t size)
{
	void *p = malloc(size);
	if (!p)
		abort();
	return p;
}

static inline void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n, size);
	if (!p)
		abort();
	return p;
}

static inline void *xrealloc(void *old, size_t size)
{
	void *p = realloc(old, size);
	if (!p)
		abort();
	return p;
}

/*
 * A large table of zeros whose pages become resident only as they are
 * written: its memory follows what it holds, whatever the allocator does
 * (calloc clears a reused chunk, and MALLOC_PERTURB_, which meson test
 * sets, fills every chunk: a 384 KiB table of a few entries was then all
 * resident). Freed with xunmap and the same size.
 */
static inline void *xmap_zeroed(size_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		abort();
	return p;
}

static inline void xunmap(void *p, size_t size)
{
	if (p)
		munmap(p, size);
}

static inline char *xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;
	return memcpy(xmalloc(n), s, n);
}

#endif
