/* shard: the fixed connection hash of --shard K/N (see shard.h). */
#include "shard.h"

#include <errno.h>
#include <stdlib.h>

#define FNV64_OFFSET 14695981039346656037ULL
#define FNV64_PRIME 1099511628211ULL

static uint64_t fnv_bytes(uint64_t h, const uint8_t *b, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		h = (h ^ b[i]) * FNV64_PRIME;
	return h;
}

static uint64_t fnv_be16(uint64_t h, uint16_t v)
{
	const uint8_t b[2] = { (uint8_t)(v >> 8), (uint8_t)v };
	return fnv_bytes(h, b, 2);
}

uint64_t shard_hash(const struct flow_key *k)
{
	/* The flow key keeps an IPv4 address in its first 4 bytes, zero after. */
	unsigned alen = k->ipver == 6 ? 16 : 4;
	uint64_t h = fnv_bytes(FNV64_OFFSET, &k->ipver, 1);
	for (int e = 0; e < 2; e++) {
		h = fnv_bytes(h, k->addr[e], alen);
		h = fnv_be16(h, k->port[e]);
	}
	return fnv_be16(h, k->tunnel);
}

static bool parse_uint(const char *s, char **end, uint32_t max, uint32_t *out)
{
	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	unsigned long v = strtoul(s, end, 10);
	if (errno || v > max)
		return false;
	*out = (uint32_t)v;
	return true;
}

bool shard_parse(const char *text, struct shard *s)
{
	char *end;
	uint32_t k, n;
	if (!parse_uint(text, &end, SHARD_MAX, &k) || *end != '/' ||
	    !parse_uint(end + 1, &end, SHARD_MAX, &n) || *end || n == 0 || k >= n)
		return false;
	s->k = k;
	s->n = n;
	return true;
}
