/* stray_acks: see stray_acks.h. */
#include "stray_acks.h"

#include <string.h>

#include "xalloc.h"

struct stray_entry {
	uint64_t key;               /* the endpoint's 64-bit hash; 0 free */
	uint32_t last_target;       /* the hash of the destination noted last */
	uint8_t targets;            /* destinations, each unlike the one before (saturates) */
};

_Static_assert(sizeof(struct stray_entry) == 16, "a stray-ACK entry is 16 bytes");
_Static_assert((STRAY_ACK_SLOTS & (STRAY_ACK_SLOTS - 1)) == 0, "a power of two");

struct stray_acks {
	struct stray_entry *slots;  /* NULL until the first note */
};

struct stray_acks *stray_acks_new(void)
{
	return xcalloc(1, sizeof(struct stray_acks));
}

void stray_acks_free(struct stray_acks *t)
{
	if (!t)
		return;
	free(t->slots);
	free(t);
}

/* An address and port (with its context) folded to 64 bits, never 0:
 * the multiply-fold of host_table.c's hash, on both address words. */
static uint64_t endpoint_hash(const uint8_t addr[16], uint16_t port, uint32_t context)
{
	uint64_t lo, hi;
	memcpy(&lo, addr, 8);
	memcpy(&hi, addr + 8, 8);
	unsigned __int128 m = (unsigned __int128)(hi ^ ((uint64_t)port << 32 | context)) *
			      (lo ^ 0x9e3779b97f4a7c15ULL);
	uint64_t h = (uint64_t)m ^ (uint64_t)(m >> 64);
	return h | 1;
}

static struct stray_entry *slot_of(const struct stray_acks *t, uint64_t key)
{
	return &t->slots[(key >> 20) & (STRAY_ACK_SLOTS - 1)];
}

void stray_acks_note(struct stray_acks *t, const uint8_t src[16], uint16_t sport, uint32_t context,
		     const uint8_t dst[16], uint16_t dport)
{
	if (!t->slots)
		t->slots = xcalloc(STRAY_ACK_SLOTS, sizeof *t->slots);
	uint64_t key = endpoint_hash(src, sport, context);
	uint32_t target = (uint32_t)endpoint_hash(dst, dport, context);
	struct stray_entry *e = slot_of(t, key);
	if (e->key != key) {
		*e = (struct stray_entry){ .key = key, .last_target = target, .targets = 1 };
		return;
	}
	if (e->last_target != target && e->targets < UINT8_MAX)
		e->targets++;
	e->last_target = target;
}

unsigned stray_acks_targets(const struct stray_acks *t, const uint8_t src[16], uint16_t sport,
			    uint32_t context)
{
	if (!t->slots)
		return 0;
	uint64_t key = endpoint_hash(src, sport, context);
	const struct stray_entry *e = slot_of(t, key);
	return e->key == key ? e->targets : 0;
}
