/*
 * Unit tests of the slab maker (src/slab.h): slabs asked for become ready
 * on its thread, each 2 MiB on a 2 MiB boundary, zeroed and writable;
 * a slab taken is one fewer asked for, so no more are made than asked;
 * the ones never taken are the maker's to unmap.
 */
#include <stdint.h>
#include <string.h>
#include <unistd.h>     /* usleep */

#include "check.h"
#include "slab.h"

static int zeroed(const void *slab)
{
	const uint64_t *w = slab;
	for (size_t i = 0; i < SLAB_MAP / sizeof *w; i++)
		if (w[i])
			return 0;
	return 1;
}

static void test_maker(void)
{
	struct slab_maker *m = slab_maker_new();
	CHECK(m != NULL);
	if (!m)
		return;
	CHECK(slab_maker_take(m) == NULL);     /* nothing asked yet */
	slab_maker_ask(m, 2);
	slab_maker_wait(m);
	void *a = slab_maker_take(m), *b = slab_maker_take(m);
	CHECK(a != NULL && b != NULL && a != b);
	if (!a || !b)
		return;
	CHECK_EQ((uintptr_t)a % SLAB_MAP, 0);
	CHECK_EQ((uintptr_t)b % SLAB_MAP, 0);
	CHECK(zeroed(a));
	CHECK(zeroed(b));
	memset(a, 0xa5, SLAB_MAP);
	memset(b, 0x5a, SLAB_MAP);
	/* Each slab taken was one of the two asked for: none is made in their
	 * place until asked again. */
	usleep(50000);
	CHECK(slab_maker_take(m) == NULL);
	/* Asked again, then stopped with slabs ready: they are unmapped. */
	slab_maker_ask(m, 3);
	slab_maker_wait(m);
	void *c = slab_maker_take(m);
	CHECK(c != NULL && zeroed(c));
	slab_maker_free(m);
	if (c)
		slab_unmap(c);
	slab_unmap(a);
	slab_unmap(b);
}

/* A maker never asked, stopped at once. */
static void test_free_idle(void)
{
	struct slab_maker *m = slab_maker_new();
	CHECK(m != NULL);
	slab_maker_free(m);
	slab_maker_free(NULL);
}

int main(void)
{
	test_maker();
	test_free_idle();
	return check_report("test_slab");
}
