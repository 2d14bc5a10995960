/*
 * flow_table: pool + open-addressing hash + two age lists (see flow_table.h).
 *
 * The hash is seeded per run so crafted tuples cannot force long probe
 * chains (Suricata flow-hash.c); nothing the user sees depends on table
 * order, because reports are emitted in packet order.
 */
#include "flow_table.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "prefetch.h"
#include "slab.h"
#include "xalloc.h"

#define NONE UINT32_MAX
/*
 * A slab is one 2 MiB mapping (slab_map), a huge page's size: as many
 * flows as fit with their age links (4228), then those links. A pool index
 * is the slab's number above SLAB_SHIFT bits and the flow's place in it
 * below, so every lookup, list move and release finds its flow (at()) and
 * its links (link_at()) with a shift and a mask. A dense index over 4228
 * flows a slab needed a division by a constant, 42 instructions a packet
 * in a SYN flood; 4096 flows a slab left 96 KiB of each huge page empty.
 * Indices past a slab's flows are never handed out.
 */
#define SLAB_FLOWS ((uint32_t)(SLAB_MAP / (sizeof(struct flow) + sizeof(struct age_link))))
#define SLAB_LINKS_AT ((size_t)SLAB_FLOWS * sizeof(struct flow))   /* byte offset */
#define SLAB_SHIFT 13u
#define SLAB_MASK ((1u << SLAB_SHIFT) - 1)
#define MIN_BUCKETS 1024u
/* Releases per expire call: bounded work per packet, still faster than arrivals. */
#define EXPIRE_BATCH 8

/* A lone SYN's flow (flow_table_insert's provisional) waits on a list of
 * its own until its connection goes on. */
enum { LIST_NONE, LIST_ACTIVE, LIST_FINISHED, LIST_PROVISIONAL, LIST_COUNT };

struct age_list {
	uint32_t head, tail;
};

/* A flow's neighbours in its age list, kept apart from the flows: moving a
 * flow to the tail on every packet touches its neighbours, and 8 bytes a
 * flow stay in cache where their 488-byte flows would not. */
struct age_link {
	uint32_t prev, next;
};

_Static_assert(SLAB_FLOWS <= SLAB_MASK + 1, "a slab's flows are numbered in SLAB_SHIFT bits");
/* --max-flows is at most 2^30 (options.c): its pool indices take at most
 * 31 bits, leaving a hash bucket at least one for the distance. */
_Static_assert(((1ull << 30) / SLAB_FLOWS + 1) <= (1ull << (31 - SLAB_SHIFT)), "pool indices fit");

struct flow_table {
	struct flow_table_config cfg;
	struct flow **slabs;
	uint32_t n_slabs, slab_cap;
	uint32_t carved;        /* flows handed out from the newest slab so far */
	size_t populated;       /* bytes of the newest slab made present */
	struct slab_maker *maker;   /* huge slabs made ahead, once a first is needed */
	bool maker_tried;
	uint32_t free_head;     /* released flows, linked through their links' next */
	uint32_t live, peak;
	uint64_t evicted;
	uint32_t *buckets;      /* a flow's pool index and its distance from home */
	uint32_t mask;          /* buckets - 1; buckets is a power of two */
	/* A bucket, low bits to high: the pool index, the distance from home,
	 * and the hash's own top bits (the tag), in their place. */
	uint32_t index_bits, index_mask;
	uint32_t far;           /* the distance field's largest value: that far or farther */
	uint32_t tag_mask;      /* the tag's bits, of a bucket or of a hash */
	uint64_t seed;
	/* The index of SYN senders (flow_table_next_by_syn): open
	 * addressing, each entry a flow's pool index in its low half and its
	 * endpoint's hash in the high; SYN_END_NONE empty. NULL until a first
	 * lone SYN is answered. */
	uint64_t *syn_ends;
	uint32_t syn_ends_mask, syn_ends_live;
	bool syn_ends_on;       /* asked for once: kept from then on */
	struct age_list lists[LIST_COUNT];
	/* No list head can expire before this packet time: most packets skip
	 * expiry with one compare. With times in order, each list's head is
	 * its oldest member and later changes only push this later. */
	int64_t next_expiry;
};

static struct flow *at(const struct flow_table *ft, uint32_t i)
{
	return &ft->slabs[i >> SLAB_SHIFT][i & SLAB_MASK];
}

static inline struct age_link *link_at(const struct flow_table *ft, uint32_t i)
{
	char *slab = (char *)ft->slabs[i >> SLAB_SHIFT];
	return (struct age_link *)(slab + SLAB_LINKS_AT) + (i & SLAB_MASK);
}

/* A flow's own links, found from the flow: its slab begins at the 2 MiB
 * boundary below it (slab_alloc), so no slab pointer is loaded. */
static inline struct age_link *own_link(const struct flow *f)
{
	uintptr_t slab = (uintptr_t)f & ~(uintptr_t)(SLAB_MAP - 1);
	return (struct age_link *)(slab + SLAB_LINKS_AT) + (f->self & SLAB_MASK);
}

uint32_t flow_table_slot(const struct flow *f)
{
	return (f->self >> SLAB_SHIFT) * SLAB_FLOWS + (f->self & SLAB_MASK);
}

static uint64_t random_seed(void)
{
	uint64_t s;
	if (getentropy(&s, sizeof s) != 0)
		s = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);
	return s | 1;
}

static uint64_t mix64(uint64_t h)
{
	/* MurmurHash3 fmix64 */
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	return h;
}

/* Seeded multiply-and-rotate over the key's words, then one full mix: a
 * lookup per packet, so a round per word rather than a mix per word. */
static uint32_t key_hash(const struct flow_table *ft, const struct flow_key *k)
{
	uint64_t h = ft->seed;
	const uint8_t *b = (const uint8_t *)k;
	for (size_t i = 0; i < sizeof *k; i += 8) {
		uint64_t w;
		memcpy(&w, b + i, 8);
		h = (h ^ w) * 0x9E3779B97F4A7C15ULL;
		h = h << 31 | h >> 33;
	}
	return (uint32_t)mix64(h);
}

_Static_assert(sizeof(struct flow_key) % 8 == 0, "flow_key hashed in 8-byte words");

/* Word by word, without a call: the compare runs once per packet. */
static bool key_equal(const struct flow_key *a, const struct flow_key *b)
{
	const uint8_t *pa = (const uint8_t *)a, *pb = (const uint8_t *)b;
	uint64_t diff = 0;
	for (size_t i = 0; i < sizeof *a; i += 8) {
		uint64_t wa, wb;
		memcpy(&wa, pa + i, 8);
		memcpy(&wb, pb + i, 8);
		diff |= wa ^ wb;
	}
	return diff == 0;
}
/* The memory budget per tracked connection (man page, FLOWS AND MEMORY):
 * 512 bytes with its age links and its share of the hash, up to 4
 * four-byte buckets a flow. */
_Static_assert(sizeof(struct flow) + sizeof(struct age_link) <= 496,
	       "struct flow outgrew its 496-byte budget");

/* memcmp's order over two 16-byte addresses, as two big-endian words each. */
static int addr_cmp(const uint8_t *a, const uint8_t *b)
{
	for (int i = 0; i < 16; i += 8) {
		uint64_t wa, wb;
		memcpy(&wa, a + i, 8);
		memcpy(&wb, b + i, 8);
		wa = __builtin_bswap64(wa);
		wb = __builtin_bswap64(wb);
		if (wa != wb)
			return wa < wb ? -1 : 1;
	}
	return 0;
}

void flow_key_from_pkt(const struct pkt *p, struct flow_key *key, int *dir)
{
	/* IPv4 addresses are zero past their 4 bytes (packet.h), so comparing
	 * and copying all 16 serves both versions. */
	int c = addr_cmp(p->src, p->dst);
	/* Endpoint 0 is the lower (address, port): both directions agree on it. */
	bool src_first = c < 0 || (c == 0 && p->sport <= p->dport);
	const uint8_t *lo = src_first ? p->src : p->dst, *hi = src_first ? p->dst : p->src;
	memcpy(key->addr[0], lo, 16);
	memcpy(key->addr[1], hi, 16);
	key->pad = 0;
	key->tunnel = p->tunnel;
	key->port[0] = src_first ? p->sport : p->dport;
	key->port[1] = src_first ? p->dport : p->sport;
	key->ipver = p->ipver;
	*dir = src_first ? 0 : 1;
}

struct flow_table *flow_table_new(const struct flow_table_config *cfg)
{
	struct flow_table *ft = xcalloc(1, sizeof *ft);
	ft->cfg = *cfg;
	if (ft->cfg.max_flows < 1)
		ft->cfg.max_flows = 1;
	ft->free_head = NONE;
	/* The index bits: the slab numbers --max-flows can need, and a place.
	 * A place is below SLAB_FLOWS < SLAB_MASK, so no entry is all ones
	 * (NONE). Then up to 4 bits of distance (at a load of at most 1/2,
	 * few entries lie 15 or more buckets from home) and the rest a tag:
	 * 9 bits at the default --max-flows. At the largest, one bit is left,
	 * for the distance: 0, or "look at the flow". */
	uint32_t slabs = (ft->cfg.max_flows + SLAB_FLOWS - 1) / SLAB_FLOWS, slab_bits = 0;
	while (slab_bits < 32 && (slabs - 1) >> slab_bits)
		slab_bits++;
	ft->index_bits = SLAB_SHIFT + slab_bits;
	assert(ft->index_bits < 32);
	ft->index_mask = (1u << ft->index_bits) - 1;
	uint32_t distance_bits = 32 - ft->index_bits < 4 ? 32 - ft->index_bits : 4;
	ft->far = (1u << distance_bits) - 1;
	ft->tag_mask = (uint32_t)(UINT64_MAX << (ft->index_bits + distance_bits));
	ft->mask = MIN_BUCKETS - 1;
	ft->buckets = xmalloc(MIN_BUCKETS * sizeof *ft->buckets);
	memset(ft->buckets, 0xff, MIN_BUCKETS * sizeof *ft->buckets);
	ft->seed = random_seed();
	ft->next_expiry = INT64_MIN;
	for (int i = 0; i < LIST_COUNT; i++)
		ft->lists[i].head = ft->lists[i].tail = NONE;
	return ft;
}

void flow_table_free(struct flow_table *ft)
{
	if (!ft)
		return;
	slab_maker_free(ft->maker);
	for (uint32_t i = 0; i < ft->n_slabs; i++)
		slab_unmap(ft->slabs[i]);
	free(ft->slabs);
	free(ft->buckets);
	free(ft->syn_ends);
	free(ft);
}

/* ---- age lists ---- */

/* inline: since its links are found through their slab, it was no longer
 * inlined without, and the 200k bench capture took 2.8M instructions more. */
static inline void list_unlink(struct flow_table *ft, struct flow *f)
{
	struct age_list *l = &ft->lists[f->list];
	struct age_link *k = own_link(f);
	if (k->prev != NONE)
		link_at(ft, k->prev)->next = k->next;
	else
		l->head = k->next;
	if (k->next != NONE)
		link_at(ft, k->next)->prev = k->prev;
	else
		l->tail = k->prev;
	k->prev = k->next = NONE;
	f->list = LIST_NONE;
}

static void list_append(struct flow_table *ft, struct flow *f, uint8_t which)
{
	struct age_list *l = &ft->lists[which];
	struct age_link *k = own_link(f);
	f->list = which;
	k->next = NONE;
	k->prev = l->tail;
	if (l->tail != NONE)
		link_at(ft, l->tail)->next = f->self;
	else
		l->head = f->self;
	l->tail = f->self;
}

/* A flow joined a list with limit t (the first time it may expire): expiry
 * must look again by then. Touches never need this: with times in order a
 * touched flow's limit is no earlier than its list head's. */
static void expiry_due_by(struct flow_table *ft, int64_t t)
{
	if (t < ft->next_expiry)
		ft->next_expiry = t;
}

/* ---- hash ---- */

/*
 * Linear probing, each bucket holding a flow's pool index in its low
 * index_bits and, above them, how far the bucket lies from the flow's home
 * (hash & mask), saturating at `far`, and a tag of its hash's top bits.
 * Without them, a lookup read every flow on the probe chain (and
 * look-ahead prefetched all 8 lines of each) to compare hashes, and a
 * deletion read the flow after the hole to find its home: in a SYN flood
 * that last read, a random flow, was over half of release()'s samples
 * (perf, 1M SYNs). Entries whose distance or tag differs from the probe's
 * have another hash, so they are passed over unread. The index takes only
 * the bits --max-flows needs (flow_table_new), so buckets stay 4 bytes and
 * a flow's budget 512. On the 1M-packet flood
 * files (7 alternating runs, median task-clock) the distance took a SYN
 * flood from 689 to 522 ms, SYNs refused one in ten from 833 to 645, a
 * scan from 586 to 523, the half-open flood and the reset storm within the
 * noise; the tag then (11 runs) SYNs from 450 to 425 ms, refused SYNs 703
 * to 648, a scan 501 to 446, for 1.6M instructions more on the 200k bench
 * capture (324.3M). A new connection's home bucket, when taken, no longer
 * costs a read of the flow there.
 */
static inline uint32_t bucket_index(const struct flow_table *ft, uint32_t b)
{
	return b & ft->index_mask;
}

/* The distance field of an entry d buckets from its home. */
static inline uint32_t distance_field(const struct flow_table *ft, uint32_t d)
{
	return (d < ft->far ? d : ft->far) << ft->index_bits;
}

/* Whether the entry b, d buckets from the probe's home, may be the
 * probe's hash, whose tag (h & tag_mask) is tag: then b ^ tag ^ the
 * distance field is b's index alone. */
static inline bool may_match(const struct flow_table *ft, uint32_t b, uint32_t tag, uint32_t d)
{
	return (b ^ tag ^ distance_field(ft, d)) <= ft->index_mask;
}

static inline uint32_t bucket_make(const struct flow_table *ft, uint32_t index, uint32_t h,
				   uint32_t d)
{
	return index | distance_field(ft, d) | (h & ft->tag_mask);
}

/* The home of the entry in bucket j: from its distance, or from its flow
 * when the distance saturated. */
static uint32_t home_of(const struct flow_table *ft, uint32_t j)
{
	uint32_t b = ft->buckets[j], d = (b >> ft->index_bits) & ft->far;
	if (d < ft->far)
		return (j - d) & ft->mask;
	return at(ft, bucket_index(ft, b))->hash & ft->mask;
}

static uint32_t bucket_of(const struct flow_table *ft, const struct flow *f)
{
	uint32_t i = f->hash & ft->mask;
	while (bucket_index(ft, ft->buckets[i]) != f->self) {
		assert(ft->buckets[i] != NONE);
		i = (i + 1) & ft->mask;
	}
	return i;
}

static void bucket_put(struct flow_table *ft, struct flow *f)
{
	uint32_t home = f->hash & ft->mask, i = home;
	while (ft->buckets[i] != NONE)
		i = (i + 1) & ft->mask;
	ft->buckets[i] = bucket_make(ft, f->self, f->hash, (i - home) & ft->mask);
}

/* Backward-shift deletion (Knuth 6.4 algorithm R): no tombstones to age. */
static void bucket_remove(struct flow_table *ft, struct flow *f)
{
	uint32_t i = bucket_of(ft, f), j = i;
	ft->buckets[i] = NONE;
	for (;;) {
		j = (j + 1) & ft->mask;
		if (ft->buckets[j] == NONE)
			return;
		uint32_t home = home_of(ft, j);
		/* Move j back to the hole unless its home lies cyclically in (i, j]. */
		bool stays = (i <= j) ? (i < home && home <= j) : (i < home || home <= j);
		if (!stays) {
			uint32_t b = ft->buckets[j];
			/* the tag stays; the distance is the new one */
			ft->buckets[i] = (b & ~distance_field(ft, ft->far)) |
					 distance_field(ft, (i - home) & ft->mask);
			ft->buckets[j] = NONE;
			i = j;
		}
	}
}

/* Keeps the load factor at or below 1/2. */
static void grow_buckets(struct flow_table *ft)
{
	uint32_t old_n = ft->mask + 1;
	if ((uint64_t)(ft->live + 1) * 2 <= old_n)
		return;
	uint32_t *old = ft->buckets;
	uint32_t n = old_n * 2;
	ft->buckets = xmalloc((size_t)n * sizeof *ft->buckets);
	memset(ft->buckets, 0xff, (size_t)n * sizeof *ft->buckets);
	ft->mask = n - 1;
	for (uint32_t i = 0; i < old_n; i++)
		if (old[i] != NONE)
			bucket_put(ft, at(ft, bucket_index(ft, old[i])));
	free(old);
}

uint64_t flow_table_seed(const struct flow_table *ft)
{
	return ft->seed;
}

uint32_t flow_table_hash(const struct flow_table *ft, const struct flow_key *key)
{
	return key_hash(ft, key);
}

struct flow *flow_table_lookup_hashed(struct flow_table *ft, const struct flow_key *key,
				      uint32_t h)
{
	/* The home bucket, where most lookups end. At distance 0 the bits
	 * above the index are the tag alone, which NONE's (all ones) are not:
	 * with them taken off, what is left is the index. The walk is written
	 * out here and in flow_table_prefetch_flows: one shared iterator over
	 * candidates cost the 200k bench capture 11.6M instructions more
	 * (338.4M against 326.8M). */
	uint32_t i = h & ft->mask, b = ft->buckets[i], tag = h & ft->tag_mask;
	if ((b ^ tag) <= ft->index_mask) {
		struct flow *f = at(ft, b ^ tag);
		if (f->hash == h && key_equal(&f->key, key))
			return f;
	}
	for (uint32_t d = 1; b != NONE; d++) {
		i = (i + 1) & ft->mask;
		b = ft->buckets[i];
		if (b != NONE && may_match(ft, b, tag, d)) {
			struct flow *f = at(ft, bucket_index(ft, b));
			if (f->hash == h && key_equal(&f->key, key))
				return f;
		}
	}
	return NULL;
}

void flow_table_prefetch_bucket(const struct flow_table *ft, uint32_t h)
{
	__builtin_prefetch(&ft->buckets[h & ft->mask]);
}

void flow_table_prefetch_flows(const struct flow_table *ft, uint32_t h)
{
	/* The first flow on the probe chain with this home, nearly always the
	 * one sought if it is there: the key compare reads its first line and
	 * tracking the rest. Walking on to the end of the chain, as when every
	 * flow on it had to be prefetched, cost the 200k bench capture 4M
	 * instructions more (328M). */
	uint32_t i = h & ft->mask, b = ft->buckets[i], tag = h & ft->tag_mask;
	if ((b ^ tag) <= ft->index_mask) {      /* distance 0, as in the lookup */
		prefetch_bytes(at(ft, b ^ tag), sizeof(struct flow));
		return;
	}
	for (uint32_t d = 1; b != NONE; d++) {
		i = (i + 1) & ft->mask;
		b = ft->buckets[i];
		if (b != NONE && may_match(ft, b, tag, d)) {
			prefetch_bytes(at(ft, bucket_index(ft, b)), sizeof(struct flow));
			return;
		}
	}
}

/* ---- the index of SYN senders ---- */

/*
 * A flow that began with a lone SYN and went on past it is indexed twice
 * (enum syn_index): by the SYN's sender, its address, port, IP version and
 * tunnel (SYN_FROM); and by the SYN's receiver with the sender's address
 * (SYN_TO). nat_twin.c asks for an endpoint's connections when a segment
 * from an endpoint it never talked to draws its RST: one it opened to
 * another address (a NAT's untranslated segment), or one its peer's
 * address opened from another port (a NAT's new mapping). Flows are indexed
 * when the SYN is answered (flow_table_touch), once per connection and
 * never per packet; a flood of lone SYNs never reaches it. Linear probing
 * with backward-shift deletion, as the main hash, each key's hash kept
 * beside the flow's index so that neither deletion nor growth reads a
 * flow. A SYN answered by a RST (a closed port, a scan's probe) is not
 * indexed: its connection ended there, and a scan's every probe would
 * otherwise cost an insertion.
 *
 * Most captures never ask (no RST answers a tuple's only segment), so the
 * index is made when first asked, from the flows held then (syn_ends_start),
 * and kept from then on: a capture that never asks pays nothing for it
 * (the 200k bench capture took 0.5M instructions more when every
 * connection was indexed from the start).
 */
#define SYN_END_NONE UINT64_MAX
#define SYN_ENDS_MIN 1024u

/* The hash of endpoint e of k (its address and port), and for SYN_TO the
 * other endpoint's address too. */
static uint32_t index_hash(const struct flow_table *ft, const struct flow_key *k, int e,
			   enum syn_index kind)
{
	uint64_t h = ft->seed ^ ((uint64_t)k->ipver << 48 | (uint64_t)k->tunnel << 16 | k->port[e]);
	h ^= (uint64_t)kind << 40;
	for (int side = 0; side < (kind == SYN_TO ? 2 : 1); side++) {
		const uint8_t *a = k->addr[side ? 1 - e : e];
		for (int i = 0; i < 16; i += 8) {
			uint64_t w;
			memcpy(&w, a + i, 8);
			h = (h ^ w) * 0x9E3779B97F4A7C15ULL;
			h = h << 31 | h >> 33;
		}
	}
	return (uint32_t)mix64(h);
}

static bool same_endpoint(const struct flow_key *a, int ea, const struct flow_key *b, int eb)
{
	return a->ipver == b->ipver && a->tunnel == b->tunnel && a->port[ea] == b->port[eb] &&
	       memcmp(a->addr[ea], b->addr[eb], 16) == 0;
}

/* Indexed flow f is one endpoint e of k asks for. */
static bool index_match(const struct flow *f, const struct flow_key *k, int e, enum syn_index kind)
{
	if (kind == SYN_FROM)
		return same_endpoint(&f->key, f->syn_end, k, e);
	return same_endpoint(&f->key, 1 - f->syn_end, k, e) &&
	       memcmp(f->key.addr[f->syn_end], k->addr[1 - e], 16) == 0;
}

static void syn_end_put(struct flow_table *ft, uint64_t entry)
{
	uint32_t i = (uint32_t)(entry >> 32) & ft->syn_ends_mask;
	while (ft->syn_ends[i] != SYN_END_NONE)
		i = (i + 1) & ft->syn_ends_mask;
	ft->syn_ends[i] = entry;
}

/* Keeps the load at or below 1/2, as the main hash. */
static void syn_ends_grow(struct flow_table *ft)
{
	uint32_t old_n = ft->syn_ends ? ft->syn_ends_mask + 1 : 0;
	if ((uint64_t)(ft->syn_ends_live + 1) * 2 <= old_n)
		return;
	uint64_t *old = ft->syn_ends;
	uint32_t n = old_n ? old_n * 2 : SYN_ENDS_MIN;
	ft->syn_ends = xmalloc((size_t)n * sizeof *ft->syn_ends);
	memset(ft->syn_ends, 0xff, (size_t)n * sizeof *ft->syn_ends);
	ft->syn_ends_mask = n - 1;
	for (uint32_t i = 0; i < old_n; i++)
		if (old[i] != SYN_END_NONE)
			syn_end_put(ft, old[i]);
	free(old);
}

/*
 * An endpoint that opens connection after connection from one port (a
 * scanner's raw socket, nmap's fixed source port), or a server that one
 * address (a carrier's NAT) opens many connections to, would lie on one
 * probe chain, each insertion walking all of it: past
 * SYN_END_PER_ENDPOINT flows of one key's hash, later ones are not
 * indexed under that key. A client's ephemeral port carries one connection
 * at a time; such an endpoint's twins go unrecognised (nat_twin.h), their
 * RSTs judged as before.
 */
#define SYN_END_PER_ENDPOINT 8

static void index_add(struct flow_table *ft, struct flow *f, enum syn_index kind)
{
	syn_ends_grow(ft);
	uint32_t h = index_hash(ft, &f->key, kind == SYN_FROM ? f->syn_end : 1 - f->syn_end, kind);
	uint32_t m = ft->syn_ends_mask, i = h & m;
	for (int same = 0; ft->syn_ends[i] != SYN_END_NONE; i = (i + 1) & m)
		if ((uint32_t)(ft->syn_ends[i] >> 32) == h && ++same == SYN_END_PER_ENDPOINT)
			return;
	ft->syn_ends[i] = (uint64_t)h << 32 | f->self;
	ft->syn_ends_live++;
	f->by_syn_end |= (uint8_t)(1u << kind);
}

/* Out of line and cold: flow_table_touch runs on every packet and must
 * stay small enough to inline into the pipeline's lookup (the 200k bench
 * capture took 3.7M instructions more when its caller was not inlined). */
static __attribute__((noinline, cold)) void syn_end_add(struct flow_table *ft, struct flow *f)
{
	/* The SYN's sender, as tcp_track noted it (tcp_track_record_syn,
	 * tcp_track_begin); kept here, since its connection may change. */
	if (f->by_syn_end || f->conn.client < 0)
		return;
	f->syn_end = f->conn.client;
	index_add(ft, f, SYN_FROM);
	index_add(ft, f, SYN_TO);
}

static void index_remove(struct flow_table *ft, struct flow *f, enum syn_index kind)
{
	uint32_t m = ft->syn_ends_mask;
	uint32_t h = index_hash(ft, &f->key, kind == SYN_FROM ? f->syn_end : 1 - f->syn_end, kind);
	uint64_t entry = (uint64_t)h << 32 | f->self;
	uint32_t i = h & m;
	while (ft->syn_ends[i] != entry) {
		assert(ft->syn_ends[i] != SYN_END_NONE);
		i = (i + 1) & m;
	}
	ft->syn_ends[i] = SYN_END_NONE;
	for (uint32_t j = i;;) {
		j = (j + 1) & m;
		if (ft->syn_ends[j] == SYN_END_NONE)
			break;
		uint32_t home = (uint32_t)(ft->syn_ends[j] >> 32) & m;
		bool stays = (i <= j) ? (i < home && home <= j) : (i < home || home <= j);
		if (!stays) {
			ft->syn_ends[i] = ft->syn_ends[j];
			ft->syn_ends[j] = SYN_END_NONE;
			i = j;
		}
	}
	ft->syn_ends_live--;
}

static __attribute__((noinline, cold)) void syn_end_remove(struct flow_table *ft, struct flow *f)
{
	for (int kind = SYN_FROM; kind <= SYN_TO; kind++)
		if (f->by_syn_end & (1u << kind))
			index_remove(ft, f, (enum syn_index)kind);
	f->by_syn_end = 0;
}

/*
 * The index, made from the flows held when it is first asked for: those
 * past a SYN from their client and not finished (a finished connection is
 * no twin, nat_twin.h), or whose tuple held a connection before the
 * current one (that one may be: nat_twin.h, replaced). Those a lone SYN's
 * answer would have put in it, but for the finished ones; every shard
 * makes it at the same RST.
 */
static __attribute__((noinline, cold)) void syn_ends_start(struct flow_table *ft)
{
	ft->syn_ends_on = true;
	for (int l = LIST_ACTIVE; l <= LIST_FINISHED; l++)
		for (uint32_t i = ft->lists[l].head; i != NONE; i = link_at(ft, i)->next) {
			struct flow *f = at(ft, i);
			if ((!f->conn.finished || f->conn.incarnation > 0) && f->conn.client >= 0 &&
			    (f->conn.half[f->conn.client].flags & HALF_F_ISN))
				syn_end_add(ft, f);
		}
}

struct flow *flow_table_next_by_syn(struct flow_table *ft, const struct flow_key *key, int e,
				    enum syn_index kind, uint32_t *pos)
{
	if (!ft->syn_ends_on)
		syn_ends_start(ft);
	if (!ft->syn_ends)
		return NULL;
	uint32_t h = index_hash(ft, key, e, kind), m = ft->syn_ends_mask;
	uint32_t i = *pos == UINT32_MAX ? h & m : (*pos + 1) & m;
	for (; ft->syn_ends[i] != SYN_END_NONE; i = (i + 1) & m) {
		uint64_t entry = ft->syn_ends[i];
		if ((uint32_t)(entry >> 32) != h)
			continue;
		struct flow *f = at(ft, (uint32_t)entry);
		if (index_match(f, key, e, kind)) {
			*pos = i;
			return f;
		}
	}
	return NULL;
}

/* ---- pool ---- */

/* A flow back to the free list; its bucket emptied unless the caller
 * empties them all (flow_table_release_all). */
static inline void release_flow(struct flow_table *ft, struct flow *f, enum flow_release why,
				bool bucket)
{
	if (bucket)     /* anywhere in the table: asked for before the callback's work */
		__builtin_prefetch(&ft->buckets[f->hash & ft->mask]);
	if (ft->cfg.on_release)
		ft->cfg.on_release(ft->cfg.ctx, f, why);
	if (bucket)
		bucket_remove(ft, f);
	if (__builtin_expect(f->by_syn_end, 0) && bucket)
		syn_end_remove(ft, f);
	list_unlink(ft, f);
	own_link(f)->next = ft->free_head;
	ft->free_head = f->self;
	ft->live--;
}

static void release(struct flow_table *ft, struct flow *f, enum flow_release why)
{
	release_flow(ft, f, why, true);
}

/*
 * A slab of flows, its own 2 MiB mapping, whose pages are made present a
 * quarter MiB at a time as flows are carved from it (populate_ahead):
 * one madvise(MADV_POPULATE_WRITE) instead of 64 page faults, while
 * memory still follows the connections (the links fault in as touched).
 * Measured on a file of 1M SYNs: page faults were 0.19 s of system time
 * in a 0.45 s run.
 *
 * Reading files (huge_pages), later slabs are advised onto transparent
 * huge pages (MADV_HUGEPAGE; Debian's kernels give them only where asked).
 * Past the first slab a flood's every new connection lands on a flow last
 * touched hundreds of thousands of packets before: with 4 KiB pages a TLB
 * miss as well as a cache miss. On the 1M-packet flood files (bench/gencap,
 * 5 alternating runs) the median wall time fell from 0.73 to 0.62 s for
 * SYNs, 0.64 to 0.48 s for a scan, 0.48 to 0.39 s for a reset storm;
 * advising every large allocation too (glibc's hugetlb tunable) gained
 * nothing more. Live capture does not ask: a region so advised is
 * compacted for at its first touch (the default defrag policy,
 * "madvise"), which stalled a live capture long enough for its ring to
 * overflow (tests/live_flood_rate.py). The first slab is not advised
 * either, so a small capture's memory still follows its connections, nor
 * is a slab --max-flows does not let fill, so at the limit memory is what
 * it is on 4 KiB pages. A mapping is 2 MiB on a 2 MiB boundary, the shape
 * a huge page needs, and the slab fills it to its last 64 bytes: on huge
 * pages a flow still takes 496 bytes.
 */
#define POPULATE_BYTES ((size_t)256 << 10)

/*
 * Huge slabs are made ahead by the slab maker (slab.h), started when the
 * 8th slab is needed (past 7 x 4228 = 29 596 connections at once): a
 * capture of fewer never starts it, and memory_bound.py's 512 bytes a
 * connection hold below that. Then it keeps
 * a quarter as many ready as are in use, at most 4 (8 MiB), and never past
 * the slabs --max-flows lets fill: memory stays within that bound. On the
 * 1M-packet floods (wall time medians of runs alternating with the build
 * before): after the machine had idled 3 s, scan 801 to 559 ms (5 runs),
 * SYN flood 597 to 542 ms (7); back to back (7 runs, syn-rst 11), scan 426
 * to 409, SYN flood 381 to 356, syn-rst 457 to 406, reset storm 332 to
 * 298, half-open 271 to 238 ms. Making slabs ahead from the second on, as
 * many as in use, was no faster and broke that bound at 8000 connections;
 * up to 8 ahead was no faster than 4.
 */
#define SLABS_BEFORE_AHEAD 8u
#define SLABS_AHEAD_MAX 4u

static void *made_ahead(struct flow_table *ft)
{
	if (ft->n_slabs + 1 < SLABS_BEFORE_AHEAD)
		return NULL;
	if (!ft->maker_tried) {
		ft->maker_tried = true;
		ft->maker = slab_maker_new();
		return NULL;
	}
	return ft->maker ? slab_maker_take(ft->maker) : NULL;
}

/* After slab number ft->n_slabs was added. */
static void ask_ahead(struct flow_table *ft)
{
	if (!ft->maker)
		return;
	uint32_t fill = ft->cfg.max_flows / SLAB_FLOWS;     /* the slabs that may be huge */
	uint32_t n = ft->n_slabs / 4;
	if (n > SLABS_AHEAD_MAX)
		n = SLABS_AHEAD_MAX;
	if (n > fill - ft->n_slabs)
		n = fill - ft->n_slabs;
	slab_maker_ask(ft->maker, n);
}

/* Before flow i is carved: the pages under it present. A kernel without
 * MADV_POPULATE_WRITE (before 5.14) refuses it, and the pages fault in
 * one by one as before. */
static void populate_ahead(struct flow_table *ft, uint32_t i)
{
	size_t end = (size_t)((i & SLAB_MASK) + 1) * sizeof(struct flow);
	if (end <= ft->populated)
		return;
	char *slab = (char *)ft->slabs[i >> SLAB_SHIFT];
	size_t n = SLAB_LINKS_AT - ft->populated < POPULATE_BYTES ? SLAB_LINKS_AT - ft->populated
								 : POPULATE_BYTES;
#ifdef MADV_POPULATE_WRITE
	(void)madvise(slab + ft->populated, n, MADV_POPULATE_WRITE);
#endif
	ft->populated += n;
}

/* A slot for a new flow: a released one, else the next one carved from a slab. */
static uint32_t take_free(struct flow_table *ft)
{
	uint32_t i;
	if (ft->free_head != NONE) {
		i = ft->free_head;
		ft->free_head = link_at(ft, i)->next;
	} else {
		if (ft->n_slabs == 0 || ft->carved == SLAB_FLOWS) {
			if (ft->n_slabs == ft->slab_cap) {
				ft->slab_cap = ft->slab_cap ? ft->slab_cap * 2 : 16;
				ft->slabs = xrealloc(ft->slabs, ft->slab_cap * sizeof *ft->slabs);
			}
			/* Huge pages for a slab --max-flows lets fill, the first aside. */
			bool huge = ft->cfg.huge_pages && ft->n_slabs > 0 &&
				    (uint64_t)(ft->n_slabs + 1) * SLAB_FLOWS <= ft->cfg.max_flows;
			void *slab = huge ? made_ahead(ft) : NULL;
			ft->populated = slab ? SLAB_LINKS_AT : 0;
			ft->slabs[ft->n_slabs] = slab ? slab : slab_map(huge);
			ft->n_slabs++;
			ft->carved = 0;
			if (huge)
				ask_ahead(ft);
		}
		i = (ft->n_slabs - 1) << SLAB_SHIFT | ft->carved++;
		assert(i < ft->index_mask);     /* within the bits flow_table_new gave it */
		populate_ahead(ft, i);
	}
	return i;
}

/* The flow the next insertion into a full table pushes out, as it stands now. */
static uint32_t next_victim(const struct flow_table *ft)
{
	/*
	 * Finished flows go first: they matter least. Then the oldest lone
	 * SYN: a stack keeps a SYN apart from its established connections,
	 * and a flood of SYNs only ever pushes out other SYNs (Linux's
	 * request socks, bounded by the listener's backlog; FreeBSD's
	 * syncache, which drops its own oldest entry when a bucket is full,
	 * tcp_syncache.c). A connection the capture saw open outlives a
	 * flood then, and its reset is judged with its history. Then the
	 * stalest active one.
	 */
	uint32_t victim = ft->lists[LIST_FINISHED].head;
	if (victim == NONE)
		victim = ft->lists[LIST_PROVISIONAL].head;
	return victim != NONE ? victim : ft->lists[LIST_ACTIVE].head;
}

/*
 * Hints for the next evictions, with no effect on results. A full table
 * evicts a flow last seen some --max-flows connections ago: its bucket,
 * its lines and its links are all out of cache, and the release stalled
 * on each in turn (perf on the 1M SYN flood: 12.6 % of all samples on the
 * one load of the victim's bucket, 9 % on zeroing its lines for the new
 * flow that takes its place). So each eviction asks, a packet ahead, for
 * the next victim's bucket (its hash read from its first line, asked for
 * an eviction before) and its lines, and for the first line and the links
 * of the one after it. A touch or a finish between them only makes a
 * hint useless. Inlined by force (prefetch.h says why).
 */
static inline __attribute__((always_inline)) void prefetch_victims(const struct flow_table *ft)
{
	uint32_t v = next_victim(ft);
	if (v == NONE)
		return;
	const struct flow *f = at(ft, v);
	__builtin_prefetch(&ft->buckets[f->hash & ft->mask]);
	prefetch_bytes(f, sizeof *f);
	uint32_t after = link_at(ft, v)->next;
	if (after != NONE) {
		__builtin_prefetch(at(ft, after));
		__builtin_prefetch(link_at(ft, after));
	}
}

struct flow *flow_table_insert(struct flow_table *ft, const struct flow_key *key, uint32_t h,
			       int64_t now, bool provisional)
{
	bool full = ft->live >= ft->cfg.max_flows;
	if (full) {
		uint32_t victim = next_victim(ft);
		assert(victim != NONE);
		ft->evicted++;
		release(ft, at(ft, victim), FLOW_RELEASE_EVICTED);
	}
	grow_buckets(ft);
	uint32_t i = take_free(ft);
	struct flow *f = at(ft, i);
	/* The table part here; the connection part is the caller's to start,
	 * as flow_table.h says: each written once (a flood makes a flow per
	 * packet). */
	f->key = *key;
	f->hash = h;
	f->self = i;
	f->list = LIST_NONE;
	f->pending_rsts = 0;
	f->by_syn_end = 0;
	f->listed_ts = now;
	bucket_put(ft, f);
	list_append(ft, f, provisional ? LIST_PROVISIONAL : LIST_ACTIVE);
	expiry_due_by(ft, now + ft->cfg.idle_timeout_ns + 1);
	ft->live++;
	if (ft->live > ft->peak)
		ft->peak = ft->live;
	if (full)
		prefetch_victims(ft);
	return f;
}

void flow_table_touch(struct flow_table *ft, struct flow *f, bool connects)
{
	if (f->list != LIST_ACTIVE) {
		if (f->list == LIST_FINISHED)
			return;  /* FINISHED keeps finishing order: grace runs from the close */
		if (connects && ft->syn_ends_on)  /* PROVISIONAL: a lone SYN's first answer */
			syn_end_add(ft, f);
	}
	list_unlink(ft, f);
	list_append(ft, f, LIST_ACTIVE);
}

void flow_table_finish(struct flow_table *ft, struct flow *f, int64_t now)
{
	if (f->list == LIST_FINISHED)
		return;
	f->listed_ts = now;
	list_unlink(ft, f);
	list_append(ft, f, LIST_FINISHED);
	expiry_due_by(ft, now + ft->cfg.finished_grace_ns + 1);
}

void flow_table_reopen(struct flow_table *ft, struct flow *f)
{
	list_unlink(ft, f);
	list_append(ft, f, LIST_ACTIVE);
	expiry_due_by(ft, f->conn.last_ts + ft->cfg.idle_timeout_ns + 1);
}

/* The first time any list's head passes its limit (lists' heads only:
 * see next_expiry); now, when a batch stopped with work left. */
static int64_t earliest_expiry(const struct flow_table *ft, int64_t now, bool work_left)
{
	if (work_left)
		return now;
	int64_t t = INT64_MAX;
	uint32_t fin = ft->lists[LIST_FINISHED].head, act = ft->lists[LIST_ACTIVE].head;
	uint32_t pro = ft->lists[LIST_PROVISIONAL].head;
	/* Times are held below 2^62 (capture.c) and the limits below 2^47: no overflow. */
	if (fin != NONE)
		t = at(ft, fin)->listed_ts + ft->cfg.finished_grace_ns + 1;
	if (act != NONE && at(ft, act)->conn.last_ts + ft->cfg.idle_timeout_ns + 1 < t)
		t = at(ft, act)->conn.last_ts + ft->cfg.idle_timeout_ns + 1;
	if (pro != NONE && at(ft, pro)->listed_ts + ft->cfg.idle_timeout_ns + 1 < t)
		t = at(ft, pro)->listed_ts + ft->cfg.idle_timeout_ns + 1;
	return t;
}

void flow_table_expire(struct flow_table *ft, int64_t now)
{
	if (now < ft->next_expiry)
		return;
	int n;
	for (n = 0; n < EXPIRE_BATCH; n++) {
		uint32_t i = ft->lists[LIST_FINISHED].head;
		if (i == NONE || now - at(ft, i)->listed_ts <= ft->cfg.finished_grace_ns)
			break;
		release(ft, at(ft, i), FLOW_RELEASE_FINISHED);
	}
	bool work_left = n == EXPIRE_BATCH;
	for (n = 0; n < EXPIRE_BATCH; n++) {
		uint32_t i = ft->lists[LIST_ACTIVE].head;
		if (i == NONE || now - at(ft, i)->conn.last_ts <= ft->cfg.idle_timeout_ns)
			break;
		release(ft, at(ft, i), FLOW_RELEASE_IDLE);
	}
	work_left = work_left || n == EXPIRE_BATCH;
	/* A lone SYN's idle time runs from the run's clock when it came (as a
	 * finished flow's grace does), not from its own time: with two
	 * clocks in one capture (pcapng interfaces), a SYN stamped by the
	 * slower one is not expired before its answer comes. In a capture
	 * whose times go forward the two are the same. */
	for (n = 0; n < EXPIRE_BATCH; n++) {
		uint32_t i = ft->lists[LIST_PROVISIONAL].head;
		if (i == NONE || now - at(ft, i)->listed_ts <= ft->cfg.idle_timeout_ns)
			break;
		release(ft, at(ft, i), FLOW_RELEASE_IDLE);
	}
	ft->next_expiry = earliest_expiry(ft, now, work_left || n == EXPIRE_BATCH);
}

/*
 * Every flow's bucket is emptied at once at the end, not one deletion a
 * flow: a deletion's bucket lies anywhere in the table, and at the end of
 * a 1M-SYN flood the 262144 flows still held cost a cache miss each.
 * Nothing looks a flow up meanwhile: the callbacks end connections.
 */
void flow_table_release_all(struct flow_table *ft)
{
	for (int l = LIST_ACTIVE; l < LIST_COUNT; l++)
		while (ft->lists[l].head != NONE)
			release_flow(ft, at(ft, ft->lists[l].head), FLOW_RELEASE_END, false);
	memset(ft->buckets, 0xff, ((size_t)ft->mask + 1) * sizeof *ft->buckets);
	if (ft->syn_ends)
		memset(ft->syn_ends, 0xff, ((size_t)ft->syn_ends_mask + 1) * sizeof *ft->syn_ends);
	ft->syn_ends_live = 0;
}

uint32_t flow_table_live(const struct flow_table *ft) { return ft->live; }
uint32_t flow_table_peak(const struct flow_table *ft) { return ft->peak; }
uint64_t flow_table_evicted(const struct flow_table *ft) { return ft->evicted; }
