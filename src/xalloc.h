/*
 * xalloc: allocation that cannot fail. Out of memory is not an input
 * error and there is no useful recovery, so the process aborts (as git's
 * xmalloc dies); every caller can then use the result directly.
 */
#ifndef RSTDIAG_XALLOC_H
#define RSTDIAG_XALLOC_H

#include <stdlib.h>
#include <string.h>

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

static inline char *xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;
	return memcpy(xmalloc(n), s, n);
}

#endif
