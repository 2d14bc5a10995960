/*
 * Unit test of the host table's lookup (host_table.c's find): its word-wide
 * reading of a neighbourhood must give the answer of the policy as
 * written, slot by slot: the first free slot ends the
 * search; before it, the first entry with the address and context is
 * the answer; with no free slot, a new host takes the first of the
 * least-noted entries. The source is included for its static functions
 * (the library's host_table.o is then not linked in).
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "host_table.c"

static uint64_t rng = 0x2545F4914F6CDD1DULL;

static uint64_t next(void)
{
	return check_random(&rng);
}

/* The policy, one slot at a time. */
static struct host_entry *find_ref(const struct host_table *t, const uint8_t key[16],
				   uint32_t context, uint32_t h, struct host_entry **room)
{
	uint8_t tag = host_tag(h);
	uint32_t least = UINT32_MAX;
	for (uint32_t s = neighbourhood(h); s < neighbourhood(h) + HOST_PROBE; s++) {
		if (t->tags[s] == 0) {
			*room = &t->slots[s];
			return NULL;
		}
		const struct host_entry *e = &t->slots[s];
		if (t->tags[s] == tag && e->context == context && memcmp(e->addr, key, 16) == 0)
			return &t->slots[s];
		if (least == UINT32_MAX || t->counts[s] < t->counts[least])
			least = s;
	}
	*room = &t->slots[least];
	return NULL;
}

static void test_find_matches_policy(void)
{
	struct host_table *t = host_table_new(7);
	uint8_t a[16] = { 10, 0, 0, 1 };
	host_table_note(t, 4, a, 0, 64, 0, NULL);     /* the arrays exist from here */
	int bad = 0, found = 0, free_room = 0, evict_room = 0, at_end = 0;
	for (int trial = 0; trial < 200000; trial++) {
		uint8_t key[16];
		for (int i = 0; i < 16; i++)
			key[i] = (uint8_t)(next() % 4);     /* few keys: some match */
		uint32_t context = (uint32_t)(next() % 2);
		/* one trial in eight at the end of the table, where a
		 * neighbourhood is moved back not to wrap */
		uint32_t h = (uint32_t)next();
		if (trial % 8 == 0)
			h = (h & ~(HOST_TABLE_SLOTS - 1)) | (HOST_TABLE_SLOTS - 1 - (uint32_t)(next() % 10));
		uint8_t tag = host_tag(h);
		for (uint32_t s = neighbourhood(h); s < neighbourhood(h) + HOST_PROBE; s++) {
			uint64_t r = next();
			/* free now and then, the key's tag often, else another */
			t->tags[s] = r % 11 == 0 ? 0 : r % 3 == 0 ? tag : (uint8_t)((r >> 8) | 1);
			/* counts with ties, and the largest ones */
			t->counts[s] = r % 17 == 0 ? UINT16_MAX : (uint16_t)((r >> 16) % 4);
			struct host_entry *e = &t->slots[s];
			if ((r >> 24) % 2)
				memcpy(e->addr, key, 16);
			else
				memset(e->addr, 0xee, 16);
			e->context = (r >> 25) % 4 ? context : context + 1;
		}
		struct host_entry *room = NULL, *room_ref = NULL;
		struct host_entry *got = find(t, key, context, h, &room);
		struct host_entry *want = find_ref(t, key, context, h, &room_ref);
		bad += got != want || (!want && room != room_ref);
		found += want != NULL;
		free_room += !want && t->tags[room_ref - t->slots] == 0;
		evict_room += !want && t->tags[room_ref - t->slots] != 0;
		at_end += (h & (HOST_TABLE_SLOTS - 1)) > HOST_TABLE_SLOTS - HOST_PROBE;
	}
	CHECK_EQ(bad, 0);
	/* every case came up many times */
	CHECK(found > 10000);
	CHECK(free_room > 10000);
	CHECK(evict_room > 10000);
	CHECK(at_end > 10000);
	host_table_free(t);
}

static void test_first_least(void)
{
	int bad = 0;
	for (int trial = 0; trial < 100000; trial++) {
		uint16_t c[HOST_PROBE];
		for (int k = 0; k < HOST_PROBE; k++) {
			uint64_t r = next();
			c[k] = r % 5 == 0 ? (uint16_t)(UINT16_MAX - r % 3) : (uint16_t)((r >> 8) % 6);
		}
		uint32_t want = 0;
		for (uint32_t k = 1; k < HOST_PROBE; k++)
			if (c[k] < c[want])
				want = k;
		bad += first_least(c) != want;
	}
	CHECK_EQ(bad, 0);
}

/*
 * One IPv4 ID counter across many addresses (VirtualBox's NAT engine
 * making every far-side packet: the corpus's gnutella.pcap) is told from
 * hosts numbering their own, whose IDs meet another's only by chance.
 */
static void test_shared_ids(void)
{
	struct host_table *t = host_table_new(HOST_TABLE_SEED);
	uint8_t a[16] = { 0 };
	uint16_t counter = 0x03ac;
	CHECK(!host_table_shared_ids(t));
	CHECK(!host_table_ids_shared_seen(t));
	/* 12 far addresses, each a connection whose 2nd and 3rd IDs come
	 * from the box's counter, between the guest's own (far apart). */
	for (int i = 0; i < 12; i++) {
		/* Seen from the second address on, before the capture shows it
		 * widely (8 notes on 4 hosts). */
		CHECK(host_table_ids_shared_seen(t) == (i >= 2));
		a[0] = 198; a[3] = (uint8_t)(10 + i);
		host_table_note(t, 4, a, 0, 64, 0, NULL);
		host_table_note_ids(t, a, 0, counter, (uint16_t)(counter + 1), -1);
		counter += 5;
		uint8_t guest[16] = { 0 };
		guest[0] = 10; guest[3] = 1;
		host_table_note(t, 4, guest, 0, 128, 0, NULL);
		host_table_note_ids(t, guest, 0, (uint16_t)(0x5e15 + 977 * i),
				    (uint16_t)(0x5e16 + 977 * i), -1);
	}
	CHECK(host_table_shared_ids(t));
	a[3] = 21;
	CHECK(host_ids_shared(host_table_get(t, 4, a, 0)));
	uint8_t guest[16] = { 0 };
	guest[0] = 10; guest[3] = 1;
	CHECK(!host_ids_shared(host_table_get(t, 4, guest, 0)));
	/* A refusal's own ID, next on the counter, from an address with no
	 * other packet; the guest's next ID is not. */
	a[3] = 200;
	CHECK(host_table_id_near_recent(t, a, 0, counter));
	CHECK(!host_table_id_near_recent(t, guest, 0, (uint16_t)(0x5e15 + 977 * 12)));
	host_table_free(t);

	/* Hosts with their own counters, from unrelated starts: no sharing. */
	t = host_table_new(HOST_TABLE_SEED);
	uint64_t r = 0x9E3779B97F4A7C15ULL;
	for (int i = 0; i < 200; i++) {
		a[0] = 100; a[2] = (uint8_t)(i >> 8);
		a[3] = (uint8_t)i;
		uint16_t start = (uint16_t)check_random(&r);
		host_table_note(t, 4, a, 0, 64, 0, NULL);
		host_table_note_ids(t, a, 0, start, (uint16_t)(start + 1), -1);
	}
	CHECK(!host_table_shared_ids(t));
	host_table_free(t);

	/* A box whose counter its other connections' segments moved on by
	 * more than HOST_SHARED_ID_NEAR between two connection starts (a
	 * relayed download between them): its starts are far apart, but
	 * each third ID ran on from the box's packet just before, for
	 * another address (the pipeline's ring). */
	t = host_table_new(HOST_TABLE_SEED);
	counter = 0x0100;
	for (int i = 0; i < 12; i++) {
		a[0] = 198; a[2] = 0; a[3] = (uint8_t)(10 + i);
		host_table_note(t, 4, a, 0, 64, 0, NULL);
		host_table_note_ids(t, a, 0, counter, (uint16_t)(counter + 1), 1);
		counter = (uint16_t)(counter + 2 * HOST_SHARED_ID_NEAR);
	}
	CHECK(host_table_shared_ids(t));
	CHECK(host_ids_shared(host_table_get(t, 4, a, 0)));
	host_table_free(t);
	/* The same starts with nothing just before them to run on from: no
	 * sharing shown. */
	t = host_table_new(HOST_TABLE_SEED);
	for (int i = 0; i < 12; i++) {
		a[3] = (uint8_t)(10 + i);
		host_table_note(t, 4, a, 0, 64, 0, NULL);
		host_table_note_ids(t, a, 0, counter, (uint16_t)(counter + 1), i % 2 ? 0 : -1);
		counter = (uint16_t)(counter + 2 * HOST_SHARED_ID_NEAR);
	}
	CHECK(!host_table_shared_ids(t));
	CHECK(!host_ids_shared(host_table_get(t, 4, a, 0)));
	host_table_free(t);
}


/* A host's latest SYN-ACK, per address and context; none before one, and
 * none left for a new host in a slot another had. */
static void test_accepted(void)
{
	struct host_table *t = host_table_new(HOST_TABLE_SEED);
	uint8_t a[16] = { 10, 0, 0, 1 }, b[16] = { 10, 0, 0, 2 };
	struct host_handshake got;
	CHECK(!host_table_accepted(t, 4, a, 0, &got));
	host_table_note(t, 4, a, 0, 64, 0, NULL);
	CHECK(!host_table_accepted(t, 4, a, 0, &got));   /* a SYN's, not a SYN-ACK's */
	host_table_note(t, 4, a, 0, 64, 0x2483, &(struct host_handshake){ 7, 1000, 443 });
	host_table_note(t, 4, a, 0, 64, 0x2483, &(struct host_handshake){ 90, 5000, 80 });
	host_table_note(t, 4, a, 0, 64, 0, NULL);        /* its later SYN: no change */
	CHECK(host_table_accepted(t, 4, a, 0, &got));
	CHECK(got.frame == 90 && got.ts_ns == 5000 && got.port == 80);
	CHECK(!host_table_accepted(t, 4, a, 1, &got));   /* another context */
	CHECK(!host_table_accepted(t, 4, b, 0, &got));
	host_table_free(t);
	/* Hosts enough to evict: a slot's new host starts with no SYN-ACK. */
	t = host_table_new(HOST_TABLE_SEED);
	for (uint32_t i = 0; i < 4 * HOST_TABLE_SLOTS; i++) {
		uint8_t k[16] = { 11, (uint8_t)(i >> 16), (uint8_t)(i >> 8), (uint8_t)i };
		host_table_note(t, 4, k, 0, 64, 0,
				i % 2 ? NULL : &(struct host_handshake){ i + 1, (int64_t)i, 80 });
	}
	int wrong = 0;
	for (uint32_t i = 0; i < 4 * HOST_TABLE_SLOTS; i++) {
		uint8_t k[16] = { 11, (uint8_t)(i >> 16), (uint8_t)(i >> 8), (uint8_t)i };
		if (host_table_accepted(t, 4, k, 0, &got))
			wrong += i % 2 == 1 || got.frame != i + 1;
	}
	CHECK_EQ(wrong, 0);
	CHECK(host_table_evicted(t) > 0);
	host_table_free(t);
}

static void note_connected(struct host_table *t, const uint8_t *k, uint32_t i)
{
	host_table_note_connected(t, 4, k, 0, &(struct host_handshake){ i + 1, (int64_t)i, 80 });
}

static long read_connected(const struct host_table *t, const uint8_t *k, uint32_t i)
{
	(void)i;
	struct host_handshake got;
	return host_table_connected(t, 4, k, 0, &got) ? (long)got.frame : -1;
}

static void note_graceful(struct host_table *t, const uint8_t *k, uint32_t i)
{
	(void)i;
	host_table_note_graceful(t, 4, k, 0);
}

static long read_graceful(const struct host_table *t, const uint8_t *k, uint32_t i)
{
	(void)i;
	unsigned n = host_table_graceful(t, 4, k, 0);
	return n ? (long)n : -1;
}

/* Hosts enough to evict, every other one (the even ones) noted by note
 * with i; returns how many read back wrong by read (-1: none; else the
 * value noted, i + 1 for a handshake's frame, 1 for a count): an odd one
 * with a note, an even one with another host's. *kept: how many read back. */
static int crowd(void (*note)(struct host_table *, const uint8_t *, uint32_t),
		 long (*read)(const struct host_table *, const uint8_t *, uint32_t), int *kept)
{
	struct host_table *t = host_table_new(HOST_TABLE_SEED);
	for (uint32_t i = 0; i < 4 * HOST_TABLE_SLOTS; i++) {
		uint8_t k[16] = { 11, (uint8_t)(i >> 16), (uint8_t)(i >> 8), (uint8_t)i };
		host_table_note(t, 4, k, 0, 64, 0, NULL);
		if (i % 2 == 0)
			note(t, k, i);
	}
	int wrong = 0;
	for (uint32_t i = 0; i < 4 * HOST_TABLE_SLOTS; i++) {
		uint8_t k[16] = { 11, (uint8_t)(i >> 16), (uint8_t)(i >> 8), (uint8_t)i };
		long got = read(t, k, i);
		if (got >= 0) {
			(*kept)++;
			wrong += i % 2 == 1 || got != (note == note_graceful ? 1 : (long)i + 1);
		}
	}
	host_table_free(t);
	return wrong;
}

/* A host's latest handshake ACK (a connect of its completed): only for a
 * host with a profile, apart from its SYN-ACKs, and none left for a new
 * host in a slot another had. */
static void test_connected(void)
{
	struct host_table *t = host_table_new(HOST_TABLE_SEED);
	uint8_t a[16] = { 10, 0, 0, 1 }, b[16] = { 10, 0, 0, 2 };
	struct host_handshake got;
	host_table_note_connected(t, 4, a, 0, &(struct host_handshake){ 3, 100, 443 });
	CHECK(!host_table_connected(t, 4, a, 0, &got));  /* no table yet */
	host_table_note(t, 4, a, 0, 64, 0x2483, NULL);   /* its SYN */
	host_table_note_connected(t, 4, b, 0, &(struct host_handshake){ 4, 200, 443 });
	CHECK(!host_table_connected(t, 4, b, 0, &got));  /* no profile: not kept */
	CHECK(!host_table_connected(t, 4, a, 0, &got));
	host_table_note_connected(t, 4, a, 0, &(struct host_handshake){ 5, 300, 443 });
	host_table_note_connected(t, 4, a, 0, &(struct host_handshake){ 9, 700, 8443 });
	CHECK(host_table_connected(t, 4, a, 0, &got));
	CHECK(got.frame == 9 && got.ts_ns == 700 && got.port == 8443);
	CHECK(!host_table_accepted(t, 4, a, 0, &got));   /* an ACK is no SYN-ACK */
	host_table_note(t, 4, a, 0, 64, 0x2483, &(struct host_handshake){ 11, 900, 80 });
	CHECK(host_table_connected(t, 4, a, 0, &got) && got.frame == 9);
	CHECK(!host_table_connected(t, 4, a, 1, &got));  /* another context */
	host_table_free(t);
	int kept = 0;
	CHECK_EQ(crowd(note_connected, read_connected, &kept), 0);
	CHECK(kept > 0);
}

/* A host's graceful closes: counted for a host with a profile, saturating,
 * none for another host or context, none left for a new host in a slot. */
static void test_graceful(void)
{
	struct host_table *t = host_table_new(HOST_TABLE_SEED);
	uint8_t a[16] = { 10, 0, 0, 1 }, b[16] = { 10, 0, 0, 2 };
	host_table_note_graceful(t, 4, a, 0);
	CHECK_EQ(host_table_graceful(t, 4, a, 0), 0u);   /* no table yet */
	host_table_note(t, 4, a, 0, 64, 0, NULL);
	host_table_note_graceful(t, 4, b, 0);            /* no profile: not kept */
	CHECK_EQ(host_table_graceful(t, 4, b, 0), 0u);
	for (int i = 0; i < 300; i++)
		host_table_note_graceful(t, 4, a, 0);
	CHECK_EQ(host_table_graceful(t, 4, a, 0), 255u);
	CHECK_EQ(host_table_graceful(t, 4, a, 1), 0u);
	host_table_free(t);
	int kept = 0;
	CHECK_EQ(crowd(note_graceful, read_graceful, &kept), 0);
	CHECK(kept > 0);
}

/* Ports a host probed on one server: one after another unlike counted,
 * another server starting the count again; none kept for a host with no
 * profile. */
static void test_probes(void)
{
	struct host_table *t = host_table_new(HOST_TABLE_SEED);
	uint8_t a[16] = { 10, 0, 0, 1 }, s1[16] = { 10, 0, 0, 9 }, s2[16] = { 10, 0, 0, 8 };
	CHECK_EQ(host_table_note_probe(t, 4, a, s1, 0, 80), 0u);     /* no profile yet */
	host_table_note(t, 4, a, 0, 64, 0, NULL);
	CHECK_EQ(host_table_note_probe(t, 4, a, s1, 0, 80), 1u);
	CHECK_EQ(host_table_note_probe(t, 4, a, s1, 0, 80), 1u);     /* a retry: once */
	CHECK_EQ(host_table_note_probe(t, 4, a, s1, 0, 443), 2u);
	CHECK_EQ(host_table_note_probe(t, 4, a, s1, 0, 445), 3u);
	CHECK_EQ(host_table_note_probe(t, 4, a, s2, 0, 22), 1u);     /* another server */
	CHECK_EQ(host_table_note_probe(t, 4, a, s1, 0, 3389), 1u);   /* and back */
	CHECK_EQ(host_table_note_probe(t, 4, a, s1, 1, 22), 0u);     /* another context */
	host_table_free(t);
}

int main(void)
{
	test_probes();
	test_accepted();
	test_connected();
	test_graceful();
	test_find_matches_policy();
	test_first_least();
	test_shared_ids();
	return check_report("test_host_table");
}
