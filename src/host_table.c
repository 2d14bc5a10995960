/*
 * host_table: per-host profile (see host_table.h). Open addressing over a
 * fixed array: a host is looked for in HOST_PROBE consecutive slots from
 * its hash; a new host takes a free one there, or the one noted least
 * often. An IPv4 address is kept IPv4-mapped (::ffff:a.b.c.d, RFC 4291
 * 2.5.5.2), which is how one entry stays 32 bytes without its version.
 *
 * Beside the entries, a byte of each one's hash (0: free) and its count
 * of connections: a lookup reads those for the slots it passes and an
 * entry only where the byte matches, so a flood from new addresses, which
 * probes a full neighbourhood for every one, reads 24 bytes, not 256.
 */
#include "host_table.h"

#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "xalloc.h"

#define HOST_PROBE 8
_Static_assert(HOST_PROBE == 8, "a neighbourhood's tags are one 64-bit word, its counts one SSE2 word");

struct host_entry {
	uint8_t addr[16];           /* IPv6, or IPv4-mapped */
	uint32_t context;
	struct host_profile profile; /* connections 0: a free slot */
};

_Static_assert(sizeof(struct host_entry) == 32, "a host entry is 32 bytes");
/* The ports a host probed on one server (host_table_note_probe). */
struct host_refusals {
	uint32_t server;            /* the server's address folded (server_tag); 0 none */
	uint16_t last_port;         /* the port it probed last */
	uint8_t ports;              /* ports probed there, one after another unlike,
				       saturating */
};

_Static_assert(HOST_TABLE_MAX_BYTES ==
		       HOST_TABLE_SLOTS * (sizeof(struct host_entry) + sizeof(uint8_t) +
					   sizeof(uint16_t) + 2 * sizeof(struct host_handshake) +
					   sizeof(uint8_t) + sizeof(struct host_refusals)),
	       "HOST_TABLE_MAX_BYTES counts every array of the table");
_Static_assert((HOST_TABLE_SLOTS & (HOST_TABLE_SLOTS - 1)) == 0, "a power of two");

/* The last few IDs noted (host_table_note_ids), of any host. */
#define HOST_RECENT_IDS 4

struct host_table {
	uint64_t seed;
	uint64_t evicted;
	struct {
		uint32_t hash;      /* the host's host_hash; 0 free */
		uint16_t id;        /* its second segment's */
	} recent[HOST_RECENT_IDS];
	uint32_t recent_next;
	uint32_t id_notes;          /* notes with a recent one of another host's to compare */
	uint32_t id_shared_notes;   /* ... whose ID ran on with it */
	uint32_t id_shared_hosts;   /* hosts whose ID ran on with another's at least once */
	struct host_entry *slots;   /* NULL until the first note */
	uint8_t *tags;              /* [slot]: host_tag() of its entry, 0 free */
	uint16_t *counts;           /* [slot]: its profile's connections */
	struct host_handshake *accepts; /* [slot]: its latest SYN-ACK; made at the first */
	struct host_handshake *connects; /* [slot]: its latest handshake ACK; made at the first */
	uint8_t *graceful;          /* [slot]: its graceful closes, saturating; made at the first */
	struct host_refusals *refusals; /* [slot]; made at the first */
};

/* Bits of the hash the slot index does not use; never 0. */
static inline uint8_t host_tag(uint32_t h)
{
	return (uint8_t)(h >> 24) | 1;
}

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
	xunmap(t->slots, HOST_TABLE_SLOTS * sizeof *t->slots);
	xunmap(t->tags, HOST_TABLE_SLOTS * sizeof *t->tags);
	xunmap(t->counts, HOST_TABLE_SLOTS * sizeof *t->counts);
	xunmap(t->accepts, HOST_TABLE_SLOTS * sizeof *t->accepts);
	xunmap(t->connects, HOST_TABLE_SLOTS * sizeof *t->connects);
	xunmap(t->graceful, HOST_TABLE_SLOTS * sizeof *t->graceful);
	xunmap(t->refusals, HOST_TABLE_SLOTS * sizeof *t->refusals);
	free(t);
}

/* addr as the table keeps it: IPv6, or IPv4 mapped into it. */
static void host_key(uint8_t ipver, const uint8_t addr[16], uint8_t key[16])
{
	if (ipver == 4) {
		static const uint8_t mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
		memcpy(key, mapped, 12);
		memcpy(key + 12, addr, 4);
	} else {
		memcpy(key, addr, 16);
	}
}

/*
 * One 64x64 -> 128-bit multiply of the address's two words, folded (the
 * "mum" of wyhash): every bit of both words reaches the low bits the slot
 * index takes. The two 64-bit multiplies used before kept a product's low
 * bits from the low bits of its operand alone, and an IPv4-mapped key has
 * its address in the high half of its word: the hosts of one /16 fell in
 * 8 slots' neighbourhoods, 64 entries, so a capture with more hosts than
 * that lost their profiles to each other (and a flood probed a full
 * neighbourhood for every new address).
 */
static uint32_t host_hash(uint64_t seed, const uint8_t key[16], uint32_t context)
{
	uint64_t lo, hi;
	memcpy(&lo, key, 8);
	memcpy(&hi, key + 8, 8);
	unsigned __int128 m = (unsigned __int128)(hi ^ seed) *
			      (lo ^ context ^ 0x9e3779b97f4a7c15ULL);
	uint64_t h = (uint64_t)m ^ (uint64_t)(m >> 64);
	return (uint32_t)(h ^ (h >> 32));
}

/* memcmp(a, b, 16) == 0 in two loads each: a flood probes every slot
 * of a full neighbourhood, and libc's memcmp was a third of a lookup. */
static inline bool same_addr(const uint8_t *a, const uint8_t *b)
{
	uint64_t a0, a1, b0, b1;
	memcpy(&a0, a, 8);
	memcpy(&a1, a + 8, 8);
	memcpy(&b0, b, 8);
	memcpy(&b1, b + 8, 8);
	return ((a0 ^ b0) | (a1 ^ b1)) == 0;
}

/* The first of the HOST_PROBE slots a hash looks in. */
static inline uint32_t neighbourhood(uint32_t h)
{
	uint32_t s = h & (HOST_TABLE_SLOTS - 1);
	return s < HOST_TABLE_SLOTS - HOST_PROBE ? s : HOST_TABLE_SLOTS - HOST_PROBE;
}

/* Which of the 8 counts at c is the first of the smallest. */
static inline uint32_t first_least(const uint16_t *c)
{
#ifdef __SSE2__
	/* The minimum of all 8 lanes at once (signed: the bias makes the
	 * unsigned order signed), then the first lane equal to it. */
	__m128i v = _mm_loadu_si128((const __m128i *)(const void *)c);
	v = _mm_xor_si128(v, _mm_set1_epi16((short)0x8000));
	__m128i m = _mm_min_epi16(v, _mm_shuffle_epi32(v, _MM_SHUFFLE(1, 0, 3, 2)));
	m = _mm_min_epi16(m, _mm_shuffle_epi32(m, _MM_SHUFFLE(2, 3, 0, 1)));
	m = _mm_min_epi16(m, _mm_shufflelo_epi16(m, _MM_SHUFFLE(2, 3, 0, 1)));
	m = _mm_shuffle_epi32(_mm_shufflelo_epi16(m, 0), 0);
	unsigned eq = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi16(v, m));
	return (uint32_t)__builtin_ctz(eq) / 2;
#else
	uint32_t pick = 0;
	for (uint32_t k = 1; k < HOST_PROBE; k++)
		if (c[k] < c[pick])
			pick = k;
	return pick;
#endif
}

/* The entry of key (whose host_hash is h), or NULL with *room (if room)
 * the slot a new one takes: the first free one, else the first noted
 * least often. */
static struct host_entry *find(const struct host_table *t, const uint8_t key[16], uint32_t context,
			       uint32_t h, struct host_entry **room)
{
	uint8_t tag = host_tag(h);
	/*
	 * The neighbourhood's 8 tags read as one word, the free slots and
	 * the tag's matches found at once as byte masks (the "has a zero
	 * byte" test: exact up to its first zero, which is all that is taken
	 * of the free one; a later match is checked in full anyway). A
	 * flood from new addresses probes full neighbourhoods, and a loop
	 * over the slots took 109 instructions a SYN. A neighbourhood does
	 * not wrap: one that would starts HOST_PROBE slots before the end.
	 */
	uint32_t s0 = neighbourhood(h);
	/* Most lookups outside a flood end at the first slot: the host, or
	 * a free slot (a scan's lookups took 37 instructions more without
	 * this). */
	struct host_entry *e0 = &t->slots[s0];
	if (t->tags[s0] == 0) {
		if (room)
			*room = e0;
		return NULL;
	}
	if (t->tags[s0] == tag && e0->context == context && same_addr(e0->addr, key))
		return e0;
	const uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
	uint64_t x, y;
	memcpy(&x, t->tags + s0, 8);
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	x = __builtin_bswap64(x);       /* slot s0 in the low byte */
#endif
	y = x ^ (ones * tag);
	uint64_t free_bytes = (x - ones) & ~x & highs;
	uint64_t matches = (y - ones) & ~y & highs;
	uint32_t used = free_bytes ? (uint32_t)__builtin_ctzll(free_bytes) / 8 : HOST_PROBE;
	if (used < HOST_PROBE)
		matches &= ((uint64_t)1 << (8 * used)) - 1;
	for (; matches; matches &= matches - 1) {
		uint32_t s = s0 + (uint32_t)__builtin_ctzll(matches) / 8;
		struct host_entry *e = &t->slots[s];
		if (t->tags[s] == tag && e->context == context && same_addr(e->addr, key))
			return e;
	}
	if (room) {
		uint32_t pick = s0 + used;
		if (used == HOST_PROBE)
			pick = s0 + first_least(t->counts + s0);
		*room = &t->slots[pick];
	}
	return NULL;
}

void host_table_prefetch(const struct host_table *t, uint8_t ipver, const uint8_t addr[16],
			 uint32_t context)
{
	if (!t->slots)
		return;
	uint8_t key[16];
	host_key(ipver, addr, key);
	uint32_t s0 = neighbourhood(host_hash(t->seed, key, context));
	/* find's tags and counts, and the neighbourhood's 8 entries (256
	 * bytes), any of which a new host may take */
	__builtin_prefetch(t->tags + s0);
	__builtin_prefetch(t->counts + s0);
	for (uint32_t k = 0; k < HOST_PROBE; k += 2)
		__builtin_prefetch(&t->slots[s0 + k]);
}

void host_table_note(struct host_table *t, uint8_t ipver, const uint8_t addr[16], uint32_t context,
		     uint8_t ttl, uint16_t syn_layout, const struct host_handshake *accept)
{
	if (!t->slots) {
		t->slots = xmap_zeroed(HOST_TABLE_SLOTS * sizeof *t->slots);
		t->tags = xmap_zeroed(HOST_TABLE_SLOTS * sizeof *t->tags);
		t->counts = xmap_zeroed(HOST_TABLE_SLOTS * sizeof *t->counts);
	}
	uint8_t key[16];
	host_key(ipver, addr, key);
	struct host_entry *room = NULL;
	uint32_t hash = host_hash(t->seed, key, context);
	struct host_entry *e = find(t, key, context, hash, &room);
	size_t slot = (size_t)((e ? e : room) - t->slots);
	if (!e) {
		e = room;
		if (e->profile.connections)
			t->evicted++;
		memset(e, 0, sizeof *e);
		if (t->accepts)
			memset(&t->accepts[slot], 0, sizeof t->accepts[slot]);
		if (t->connects)
			memset(&t->connects[slot], 0, sizeof t->connects[slot]);
		if (t->graceful)
			t->graceful[slot] = 0;
		if (t->refusals)
			memset(&t->refusals[slot], 0, sizeof t->refusals[slot]);
		memcpy(e->addr, key, 16);
		e->context = context;
		t->tags[slot] = host_tag(hash);
	}
	struct host_profile *h = &e->profile;
	if (accept) {
		if (!t->accepts)
			t->accepts = xmap_zeroed(HOST_TABLE_SLOTS * sizeof *t->accepts);
		t->accepts[slot] = *accept;
	}
	if (h->connections < UINT16_MAX)
		h->connections++;
	t->counts[slot] = h->connections;
	if (syn_layout) {
		enum host_stack s = host_stack_from_syn(syn_layout, ttl);
		if (s != HOST_STACK_UNKNOWN)
			h->stack = s;
	}
	for (int k = 0; k < h->n_ttl; k++)
		if (h->ttl[k] == ttl)
			return;
	if (h->n_ttl < HOST_TTLS)
		h->ttl[h->n_ttl++] = ttl;
}

/* Adds one to a of a pair of 4-bit counts, halving both when a is full. */
#define COUNT_PAIR(a, b)                  \
	do {                              \
		if ((a) == 15) {          \
			(a) = 7;          \
			(b) = (b) / 2;    \
		}                         \
		(a)++;                    \
	} while (0)

/* The same for a pair of 2-bit counts. */
#define COUNT_PAIR3(a, b)                 \
	do {                              \
		if ((a) == 3) {           \
			(a) = 1;          \
			(b) = (b) / 2;    \
		}                         \
		(a)++;                    \
	} while (0)

/* Steps this small between two of a host's packets are its own counter
 * (a few packets missing from the capture); between its connections, a
 * busy host's one counter moves further. */
#define HOST_ID_STEP_MAX 16
#define HOST_ID_FOLLOW_MAX 4096

/* Whether id is near a recent note of a host other than hash's; *compared
 * whether there was one to compare with. */
static bool near_other(const struct host_table *t, uint32_t hash, uint16_t id, bool *compared)
{
	bool near = false;
	*compared = false;
	for (int k = 0; k < HOST_RECENT_IDS; k++) {
		if (!t->recent[k].hash || t->recent[k].hash == hash)
			continue;
		*compared = true;
		int16_t d = (int16_t)(uint16_t)(id - t->recent[k].id);
		if (d != 0 && d >= -HOST_SHARED_ID_NEAR && d <= HOST_SHARED_ID_NEAR)
			near = true;
	}
	return near;
}

bool host_table_id_near_recent(const struct host_table *t, const uint8_t addr[16],
			       uint32_t context, uint16_t id)
{
	if (!t || !t->slots)
		return false;
	uint8_t key[16];
	host_key(4, addr, key);
	bool compared;
	return near_other(t, host_hash(t->seed, key, context) | 1, id, &compared);
}

/*
 * Whether second_id ran on with a recent note of another host's, or the
 * third ID with the packet of another address just before it (and
 * whether there was one to compare with); second_id is then one of the
 * recent notes. The recent notes alone miss a box whose counter its
 * other connections' segments moved on since their starts (a download
 * relayed between two connections: the lab's slirp-relay-v4). The packet
 * just before counts where it meets, not where it does not: behind such
 * a box the capturing host's own connections, whose notes fill the
 * recent ones and so are rarely compared with them, would be compared
 * with the box's packets every time and outweigh them (gnutella.pcap:
 * 39 notes compared by frame 533, 15 of them shared, against 58 and 17).
 */
static bool ids_near_recent(struct host_table *t, uint32_t hash, uint16_t second_id,
			    int follows_other, bool *compared_out)
{
	bool compared, near = near_other(t, hash, second_id, &compared) || follows_other == 1;
	compared = compared || follows_other == 1;
	*compared_out = compared;
	t->recent[t->recent_next].hash = hash;
	t->recent[t->recent_next].id = second_id;
	t->recent_next = (t->recent_next + 1) % HOST_RECENT_IDS;
	if (compared)
		t->id_notes++;
	if (near)
		t->id_shared_notes++;
	return near;
}

bool host_table_shared_ids(const struct host_table *t)
{
	/*
	 * Against four recent IDs, hosts with their own counters meet one by
	 * chance in about 3 % of notes (4 x 512 / 65536); a shared counter
	 * in most. So: many notes, on several hosts, and ten times that
	 * chance share of all. Counted the same way on the corpus
	 * beforehand: 50 of 123 comparisons on 47 hosts in gnutella.pcap;
	 * 13-38 on 7-21 hosts, 41-42 %, in the VPN captures tunnelbear,
	 * waze and webex, the guest's own notes making the rest; elsewhere
	 * 4 at most, on at most 4 hosts, a share above 25 % only in files
	 * of 2 or 3 comparisons.
	 */
	return t && t->id_shared_notes >= 8 && t->id_shared_hosts >= 4 &&
	       (uint64_t)t->id_shared_notes * 10 >= (uint64_t)t->id_notes * 3;
}

uint32_t host_table_shared_hosts(const struct host_table *t)
{
	return t ? t->id_shared_hosts : 0;
}

bool host_table_ids_shared_seen(const struct host_table *t)
{
	return t && t->id_shared_notes > 0;
}

void host_table_note_ids(struct host_table *t, const uint8_t addr[16], uint32_t context,
			 uint16_t second_id, uint16_t third_id, int follows_other)
{
	if (!t->slots)
		return;
	uint8_t key[16];
	host_key(4, addr, key);
	uint32_t hash = host_hash(t->seed, key, context);
	struct host_entry *e = find(t, key, context, hash, NULL);
	if (!e)
		return;
	struct host_profile *h = &e->profile;
	uint16_t step = (uint16_t)(third_id - second_id);
	if (second_id == 0 && third_id == 0) {
		if (h->id_zero < 15)
			h->id_zero++;
		return;
	}
	bool compared;
	bool near = ids_near_recent(t, hash | 1, second_id, follows_other, &compared);
	if (near && h->ids_near == 0 && h->ids_far == 0)
		t->id_shared_hosts++;
	if (near)
		COUNT_PAIR3(h->ids_near, h->ids_far);
	else if (compared)
		COUNT_PAIR3(h->ids_far, h->ids_near);
	if (step >= 1 && step <= HOST_ID_STEP_MAX)
		COUNT_PAIR(h->id_steps, h->id_jumps);
	else
		COUNT_PAIR(h->id_jumps, h->id_steps);
	if (h->last_ip_id) {
		uint16_t since = (uint16_t)(second_id - h->last_ip_id);
		if (since >= 1 && since <= HOST_ID_FOLLOW_MAX)
			COUNT_PAIR(h->id_follows, h->id_breaks);
		else
			COUNT_PAIR(h->id_breaks, h->id_follows);
	}
	h->last_ip_id = third_id;
}

/* addr's slot in context, or -1 when the table has no entry for it. */
static long slot_of(const struct host_table *t, uint8_t ipver, const uint8_t addr[16],
		    uint32_t context)
{
	if (!t || !t->slots)
		return -1;
	uint8_t key[16];
	host_key(ipver, addr, key);
	const struct host_entry *e = find(t, key, context, host_hash(t->seed, key, context),
					  NULL);
	return e ? (long)(e - t->slots) : -1;
}

const struct host_profile *host_table_get(const struct host_table *t, uint8_t ipver,
					  const uint8_t addr[16], uint32_t context)
{
	long slot = slot_of(t, ipver, addr, context);
	return slot >= 0 ? &t->slots[slot].profile : NULL;
}

/* The handshake a host's slot in notes (accepts or connects) holds for addr. */
static bool latest_handshake(const struct host_table *t, const struct host_handshake *notes,
			     uint8_t ipver, const uint8_t addr[16], uint32_t context,
			     struct host_handshake *out)
{
	long slot = notes ? slot_of(t, ipver, addr, context) : -1;
	if (slot < 0 || !notes[slot].frame)
		return false;
	*out = notes[slot];
	return true;
}

bool host_table_accepted(const struct host_table *t, uint8_t ipver, const uint8_t addr[16],
			 uint32_t context, struct host_handshake *out)
{
	return t && latest_handshake(t, t->accepts, ipver, addr, context, out);
}

void host_table_note_connected(struct host_table *t, uint8_t ipver, const uint8_t addr[16],
			       uint32_t context, const struct host_handshake *ack)
{
	long slot = slot_of(t, ipver, addr, context);
	if (slot < 0)
		return;
	if (!t->connects)
		t->connects = xmap_zeroed(HOST_TABLE_SLOTS * sizeof *t->connects);
	t->connects[slot] = *ack;
}

bool host_table_connected(const struct host_table *t, uint8_t ipver, const uint8_t addr[16],
			  uint32_t context, struct host_handshake *out)
{
	return t && latest_handshake(t, t->connects, ipver, addr, context, out);
}

void host_table_note_graceful(struct host_table *t, uint8_t ipver, const uint8_t addr[16],
			      uint32_t context)
{
	long slot = slot_of(t, ipver, addr, context);
	if (slot < 0)
		return;
	if (!t->graceful)
		t->graceful = xmap_zeroed(HOST_TABLE_SLOTS * sizeof *t->graceful);
	if (t->graceful[slot] < UINT8_MAX)
		t->graceful[slot]++;
}

unsigned host_table_graceful(const struct host_table *t, uint8_t ipver, const uint8_t addr[16],
			     uint32_t context)
{
	long slot = t && t->graceful ? slot_of(t, ipver, addr, context) : -1;
	return slot >= 0 ? t->graceful[slot] : 0;
}

/* server's address as a probe's note keeps it, folded to 32 bits (a scan
 * reads it for every refusal: no hash): never 0. */
static uint32_t server_tag(uint8_t ipver, const uint8_t server[16], uint32_t context)
{
	uint8_t key[16];
	host_key(ipver, server, key);
	uint32_t w[4];
	memcpy(w, key, sizeof w);
	return (w[0] ^ w[1] ^ w[2] ^ w[3] ^ context) | 1;
}

unsigned host_table_note_probe(struct host_table *t, uint8_t ipver, const uint8_t addr[16],
			       const uint8_t server[16], uint32_t context, uint16_t port)
{
	long slot = slot_of(t, ipver, addr, context);
	if (slot < 0)
		return 0;
	if (!t->refusals)
		t->refusals = xmap_zeroed(HOST_TABLE_SLOTS * sizeof *t->refusals);
	struct host_refusals *r = &t->refusals[slot];
	uint32_t tag = server_tag(ipver, server, context);
	if (r->server != tag) {
		r->server = tag;
		r->ports = 0;
	}
	if ((r->ports == 0 || r->last_port != port) && r->ports < UINT8_MAX)
		r->ports++;
	r->last_port = port;
	return r->ports;
}

uint64_t host_table_evicted(const struct host_table *t)
{
	return t->evicted;
}

uint8_t host_initial_ttl(uint8_t ttl)
{
	return ttl <= 64 ? 64 : ttl <= 128 ? 128 : 255;
}

/*
 * The order a stack writes its SYN's options in is in its code, and few
 * change it: "something in the Internet is very sensitive to the ordering
 * of TCP options" (Linux's tcp_options_write). layout holds the option
 * kinds in order, a nibble each, NOP and EOL left out (decode_tcp.c).
 * - Linux, net/ipv4/tcp_output.c tcp_options_write: MSS; SACK-permitted
 *   and timestamps together, or either alone; then NOP, window scale.
 *   SACK-permitted second, or timestamps before the window scale, is Linux.
 * - FreeBSD, sys/netinet/tcp_output.c tcp_addoptions: in its TOF_ bit
 *   order, MSS, window scale, SACK-permitted, timestamps.
 * - Apple's XNU, bsd/netinet/tcp_output.c: MSS, window scale, timestamps,
 *   then SACK-permitted, padded with EOL.
 * - Windows: MSS, NOP, window scale, NOP, NOP, SACK-permitted, and
 *   timestamps after it when enabled: FreeBSD's order, told apart by the
 *   initial TTL (Windows' DefaultTTL is 128; FreeBSD's net.inet.ip.ttl 64).
 * The initial TTL is a setting, the layout is code: the layout decides,
 * the TTL only splits Windows from FreeBSD. An MSS alone (scanners,
 * embedded stacks, SYN cookies' replies) names nothing.
 */
enum host_stack host_stack_from_syn(uint16_t layout, uint8_t ttl)
{
	if ((layout & 0xf0) == 0x40 && layout >> 8 == 0x2)
		return HOST_STACK_LINUX;                /* 2,4 then anything */
	if ((layout & 0xf00) == 0x400 && layout >> 12 == 0x2)
		return HOST_STACK_LINUX;                /* 2,4,x[,y] */
	if (layout == 0x24 || layout == 0x283)
		return HOST_STACK_LINUX;
	if (layout == 0x2384)
		return HOST_STACK_MACOS;
	if (layout == 0x2348 || layout == 0x234) {
		uint8_t init = host_initial_ttl(ttl);
		return init == 128 ? HOST_STACK_WINDOWS : init == 64 ? HOST_STACK_FREEBSD :
		       HOST_STACK_UNKNOWN;
	}
	return HOST_STACK_UNKNOWN;
}

/* From the counts of host_table_note_ids: two connections' worth at least. */
enum host_ip_id host_ip_ids(const struct host_profile *h)
{
	unsigned within = (unsigned)h->id_zero + h->id_steps + h->id_jumps;
	if (within < 2)
		return HOST_IP_ID_UNKNOWN;
	if (h->id_zero > h->id_steps + h->id_jumps)
		return HOST_IP_ID_ZERO;
	if (h->id_jumps > h->id_steps)
		return HOST_IP_ID_RANDOM;
	if (h->id_follows + h->id_breaks >= 2 && h->id_follows > h->id_breaks)
		return HOST_IP_ID_GLOBAL;
	if (h->id_breaks >= 1)
		return HOST_IP_ID_PER_CONNECTION;
	return HOST_IP_ID_UNKNOWN;  /* a counter, but one connection: whose? */
}

const char *host_stack_name(enum host_stack s)
{
	static const char *const names[HOST_STACK_COUNT] = {
		[HOST_STACK_UNKNOWN] = NULL, [HOST_STACK_LINUX] = "linux",
		[HOST_STACK_WINDOWS] = "windows", [HOST_STACK_MACOS] = "macos",
		[HOST_STACK_FREEBSD] = "freebsd",
	};
	return (unsigned)s < HOST_STACK_COUNT ? names[s] : NULL;
}

const char *host_ip_id_name(enum host_ip_id k)
{
	static const char *const names[HOST_IP_ID_COUNT] = {
		[HOST_IP_ID_UNKNOWN] = NULL, [HOST_IP_ID_ZERO] = "zero",
		[HOST_IP_ID_GLOBAL] = "global", [HOST_IP_ID_PER_CONNECTION] = "per-connection",
		[HOST_IP_ID_RANDOM] = "random",
	};
	return (unsigned)k < HOST_IP_ID_COUNT ? names[k] : NULL;
}
