/*
 * check: the smallest test harness that says what failed and where.
 * A test binary exits non-zero if any CHECK failed, and prints how many
 * checks ran, so a test that asserts nothing shows up as "0 checks".
 */
#ifndef RSTDIAG_CHECK_H
#define RSTDIAG_CHECK_H

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>

static int check_failed, check_run;

#define CHECK(cond)                                                                      \
	do {                                                                             \
		check_run++;                                                             \
		if (!(cond)) {                                                           \
			fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
			check_failed++;                                                  \
		}                                                                        \
	} while (0)

#define CHECK_EQ(a, b)                                                                   \
	do {                                                                             \
		check_run++;                                                             \
		long long check_a_ = (long long)(a), check_b_ = (long long)(b);          \
		if (check_a_ != check_b_) {                                              \
			fprintf(stderr, "%s:%d: CHECK failed: %s == %s (%lld != %lld)\n",   \
				__FILE__, __LINE__, #a, #b, check_a_, check_b_);         \
			check_failed++;                                                  \
		}                                                                        \
	} while (0)

/* xorshift64 from *state: a fixed sequence, so a failing case fails
 * again on the next run. */
static inline uint64_t check_random(uint64_t *state)
{
	*state ^= *state << 13;
	*state ^= *state >> 7;
	*state ^= *state << 17;
	return *state;
}

static inline int check_report(const char *name)
{
	printf("%s: %d checks, %d failed\n", name, check_run, check_failed);
	return check_failed || check_run == 0 ? 1 : 0;
}

#endif
