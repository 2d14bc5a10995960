/*
 * host_table: per-host TTL profile (see host_table.h). Open addressing
 * over a fixed array: a host is looked for in HOST_PROBE consecutive
 * slots from its hash; a new host takes a free one there, or the one
 * noted least often.
 */
#include "host_table.h"

#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

#define HOST_PROBE 8

struct host_entry {
	uint8_t addr[16];
	uint32_t context;
	struct host_profile profile;
	uint8_t ipver;              /* 0: a free slot */
};

_Static_assert(sizeof(struct host_entry) == 32, "a host entry is 32 bytes");
_Static_assert((HOST_TABLE_SLOTS & (HOST_TABLE_SLOTS - 1)) == 0, "a power of two");

struct host_table {
	uint64_t seed;
	uint64_t evicted;
	struct host_entry *slots;   /* NULL until the first note */
};

struct host_table *host_table_new(uint64_t seed)
{
	struct host_table *t = xcalloc(1, sizeof *t);
	t->seed = seed;
	return t;
}

void host_table_free(struct host_table *t)
{
	if (!t)
		return;
	free(t->slots);
	free(t);
}

/* Two multiplies over the address's words, seeded: one per new connection's side. */
static uint32_t host_hash(uint64_t seed, uint8_t ipver, const uint8_t addr[16], uint32_t context)
{
	uint64_t lo = 0, hi = 0;
	if (ipver == 4) {
		uint32_t w;
		memcpy(&w, addr, 4);
		lo = w;
	} else {
		memcpy(&lo, addr, 8);
		memcpy(&hi, addr + 8, 8);
	}
	uint64_t h = (lo ^ seed) * 0x9e3779b97f4a7c15ULL;
	h ^= (hi + ((uint64_t)context << 8 | ipver)) * 0xc2b2ae3d27d4eb4fULL;
	h ^= h >> 29;
	return (uint32_t)(h ^ (h >> 32));
}

static bool same_host(const struct host_entry *e, uint8_t ipver, const uint8_t addr[16],
		      uint32_t context)
{
	return e->ipver == ipver && e->context == context &&
	       memcmp(e->addr, addr, ipver == 4 ? 4 : 16) == 0;
}

static struct host_entry *find(const struct host_table *t, uint8_t ipver, const uint8_t addr[16],
			       uint32_t context, struct host_entry **room)
{
	uint32_t i = host_hash(t->seed, ipver, addr, context);
	struct host_entry *least = NULL;
	for (int k = 0; k < HOST_PROBE; k++) {
		struct host_entry *e = &t->slots[(i + (uint32_t)k) & (HOST_TABLE_SLOTS - 1)];
		if (e->ipver == 0) {
			if (room)
				*room = e;
			return NULL;
		}
		if (same_host(e, ipver, addr, context))
			return e;
		if (!least || e->profile.connections < least->profile.connections)
			least = e;
	}
	if (room)
		*room = least;
	return NULL;
}

void host_table_note(struct host_table *t, uint8_t ipver, const uint8_t addr[16], uint32_t context,
		     uint8_t ttl)
{
	if (!t->slots)
		t->slots = xcalloc(HOST_TABLE_SLOTS, sizeof *t->slots);
	struct host_entry *room = NULL;
	struct host_entry *e = find(t, ipver, addr, context, &room);
	if (!e) {
		e = room;
		if (e->ipver)
			t->evicted++;
		memset(e, 0, sizeof *e);
		memcpy(e->addr, addr, ipver == 4 ? 4 : 16);
		e->ipver = ipver;
		e->context = context;
	}
	struct host_profile *h = &e->profile;
	if (h->connections < UINT16_MAX)
		h->connections++;
	for (int k = 0; k < h->n_ttl; k++)
		if (h->ttl[k] == ttl)
			return;
	if (h->n_ttl < HOST_TTLS)
		h->ttl[h->n_ttl++] = ttl;
}

const struct host_profile *host_table_get(const struct host_table *t, uint8_t ipver,
					  const uint8_t addr[16], uint32_t context)
{
	if (!t || !t->slots)
		return NULL;
	const struct host_entry *e = find(t, ipver, addr, context, NULL);
	return e ? &e->profile : NULL;
}

uint64_t host_table_evicted(const struct host_table *t)
{
	return t->evicted;
}
