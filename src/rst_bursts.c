/* rst_bursts: see rst_bursts.h. */
#include "rst_bursts.h"

#include <string.h>

#include "xalloc.h"

/* Bursts kept per address: a settle time (2 s) holds several of a busy
 * client's (webex.pcap's 10.8.0.1: one at 14.40 s, one at 15.49 s, one
 * at 16.1 s, before the first is reported). */
#define BURSTS_KEPT 4u

struct burst_entry {
	uint64_t key;               /* the address's 64-bit hash; 0 free */
	uint32_t n;                 /* bursts begun; b[(n - 1) % BURSTS_KEPT] is the current */
	struct rst_burst b[BURSTS_KEPT];
};

_Static_assert((RST_BURST_SLOTS & (RST_BURST_SLOTS - 1)) == 0, "a power of two");

struct rst_bursts {
	struct burst_entry *slots;  /* NULL until the first note */
};

struct rst_bursts *rst_bursts_new(void)
{
	return xcalloc(1, sizeof(struct rst_bursts));
}

void rst_bursts_free(struct rst_bursts *t)
{
	if (!t)
		return;
	free(t->slots);
	free(t);
}

/* An address (with its context) folded to 64 bits, never 0: splitmix64's
 * finaliser over both words (an IPv4 address's second word is 0, so a
 * product of the two would be too). */
static uint64_t address_hash(const uint8_t addr[16], uint32_t context)
{
	uint64_t lo, hi;
	memcpy(&lo, addr, 8);
	memcpy(&hi, addr + 8, 8);
	uint64_t h = lo ^ (hi * 0x9e3779b97f4a7c15ULL) ^ ((uint64_t)context << 32 | context);
	h = (h ^ (h >> 30)) * 0xbf58476d1ce4e5b9ULL;
	h = (h ^ (h >> 27)) * 0x94d049bb133111ebULL;
	return (h ^ (h >> 31)) | 1;
}

static struct burst_entry *slot_of(const struct rst_bursts *t, uint64_t key)
{
	return &t->slots[(key >> 20) & (RST_BURST_SLOTS - 1)];
}

uint64_t rst_bursts_note(struct rst_bursts *t, const uint8_t addr[16], uint32_t context,
			 uint64_t frame, int64_t ts_ns, uint32_t conn)
{
	if (!t->slots)
		t->slots = xcalloc(RST_BURST_SLOTS, sizeof *t->slots);
	uint64_t key = address_hash(addr, context);
	struct burst_entry *e = slot_of(t, key);
	if (e->key != key)
		*e = (struct burst_entry){ .key = key };
	struct rst_burst *b = &e->b[(e->n - 1) % BURSTS_KEPT];
	if (e->n && ts_ns - b->last_ts <= RST_BURST_GAP_NS && ts_ns >= b->last_ts &&
	    ts_ns - b->first_ts <= RST_BURST_SPAN_NS) {
		b->connections += conn != b->last_conn;
		b->last_conn = conn;
		b->last_frame = frame;
		b->last_ts = ts_ns;
		return b->first_frame;
	}
	b = &e->b[e->n++ % BURSTS_KEPT];
	*b = (struct rst_burst){ .first_frame = frame, .last_frame = frame, .first_ts = ts_ns,
				 .last_ts = ts_ns, .connections = 1, .last_conn = conn };
	return frame;
}

bool rst_bursts_get(const struct rst_bursts *t, const uint8_t addr[16], uint32_t context,
		    uint64_t first_frame, struct rst_burst *out)
{
	if (!t->slots || !first_frame)
		return false;
	uint64_t key = address_hash(addr, context);
	const struct burst_entry *e = slot_of(t, key);
	if (e->key != key)
		return false;
	for (uint32_t i = 0; i < BURSTS_KEPT; i++)
		if (e->b[i].first_frame == first_frame) {
			*out = e->b[i];
			return true;
		}
	return false;
}
