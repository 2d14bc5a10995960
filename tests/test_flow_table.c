/*
 * Unit tests of the flow table: lookup after many inserts and deletes
 * (backward-shift deletion must keep every survivor reachable), slabs
 * (flows and age links apart, slots dense), eviction order when full,
 * grace and idle expiry, and key normalisation.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "flow_table.h"

static int released[4];
static uint32_t last_released_port;

static void on_release(void *ctx, struct flow *f, enum flow_release why)
{
	(void)ctx;
	released[why]++;
	last_released_port = f->key.port[0];
}

static struct flow_key key_of(uint32_t i)
{
	struct flow_key k;
	memset(&k, 0, sizeof k);
	k.ipver = 4;
	k.addr[0][0] = 10;
	k.addr[0][3] = (uint8_t)(i >> 16);
	k.addr[1][0] = 10;
	k.addr[1][1] = 1;
	k.port[0] = (uint16_t)i;
	k.port[1] = 80;
	return k;
}

static struct flow *lookup(struct flow_table *ft, const struct flow_key *k)
{
	return flow_table_lookup_hashed(ft, k, flow_table_hash(ft, k));
}

/* A new flow, its connection started as the pipeline starts it;
 * provisional: a lone SYN's. */
static struct flow *insert_as(struct flow_table *ft, const struct flow_key *k, int64_t now,
			      bool provisional)
{
	struct flow *f = flow_table_insert(ft, k, flow_table_hash(ft, k), now, provisional);
	flow_start_connection(f, now);
	return f;
}

static struct flow *insert(struct flow_table *ft, const struct flow_key *k, int64_t now)
{
	return insert_as(ft, k, now, false);
}

static struct flow *insert_provisional(struct flow_table *ft, const struct flow_key *k, int64_t now)
{
	return insert_as(ft, k, now, true);
}

static struct flow_table *table_paged(uint32_t max, int64_t grace, int64_t idle, bool huge)
{
	memset(released, 0, sizeof released);
	struct flow_table_config cfg = {
		.max_flows = max, .finished_grace_ns = grace, .idle_timeout_ns = idle,
		.huge_pages = huge, .on_release = on_release, .ctx = NULL,
	};
	return flow_table_new(&cfg);
}

static struct flow_table *table(uint32_t max, int64_t grace, int64_t idle)
{
	return table_paged(max, grace, idle, false);
}

/*
 * Several slabs' worth of flows (N), each flow's whole body written: the age
 * links that share its slab must survive that, and the flows the links'
 * moves. Slots are 0 up to the flows held, each once, and a released
 * slot is the one reused. On huge pages or not, the layout is one.
 */
static void test_slabs(bool huge, uint32_t N)
{
	enum { N_MAX = 16 * 4228 + 100 };
	if (N > N_MAX)
		N = N_MAX;
	struct flow_table *ft = table_paged(N, 10, 1000000, huge);
	static uint8_t seen[N_MAX];
	memset(seen, 0, sizeof seen);
	int out_of_range = 0, twice = 0;
	for (uint32_t i = 0; i < N; i++) {
		struct flow_key k = key_of(i);
		struct flow *f = insert(ft, &k, i);
		/* Everything past the table's fields, as tracking writes it. */
		memset(&f->conn, (int)(i & 0xff), sizeof f->conn);
		uint32_t slot = flow_table_slot(f);
		if (slot >= N)
			out_of_range++;
		else if (seen[slot]++)
			twice++;
	}
	CHECK_EQ(out_of_range, 0);
	CHECK_EQ(twice, 0);
	/* Every flow moved to the tail in reverse: each move writes three links. */
	for (uint32_t i = N; i-- > 0;) {
		struct flow_key k = key_of(i);
		flow_table_touch(ft, lookup(ft, &k), true);
	}
	int missing = 0, clobbered = 0;
	for (uint32_t i = 0; i < N; i++) {
		struct flow_key k = key_of(i);
		struct flow *f = lookup(ft, &k);
		if (!f) {
			missing++;
			continue;
		}
		const uint8_t *b = (const uint8_t *)&f->conn;
		for (size_t j = 0; j < sizeof f->conn; j++)
			if (b[j] != (uint8_t)(i & 0xff)) {
				clobbered++;
				break;
			}
	}
	CHECK_EQ(missing, 0);
	CHECK_EQ(clobbered, 0);
	/* Full: the next insert evicts the stalest, now key N - 1 (touched
	 * first), and takes its slot. */
	struct flow_key last = key_of(N - 1);
	uint32_t slot = flow_table_slot(lookup(ft, &last));
	struct flow_key k = key_of(N);
	struct flow *f = insert(ft, &k, N);
	CHECK_EQ(released[FLOW_RELEASE_EVICTED], 1);
	CHECK_EQ(last_released_port, (uint16_t)(N - 1));
	CHECK_EQ(flow_table_slot(f), slot);
	CHECK_EQ(flow_table_peak(ft), N);
	flow_table_release_all(ft);
	CHECK_EQ(flow_table_live(ft), 0);
	flow_table_free(ft);
}

/*
 * max sets how many bits a hash bucket gives the pool index and how many
 * the distance from home: N leaves the distance 16 bits, which never
 * saturate here; 2^29 leaves 2 (distances from 3 up are read from the
 * flow) and 2^30 one (only 0 is recorded). Each must find every survivor.
 */
static void test_lookup_and_delete(uint32_t max)
{
	enum { N = 20000 };
	struct flow_table *ft = table(max, 10, 1000000);
	for (uint32_t i = 0; i < N; i++) {
		struct flow_key k = key_of(i);
		struct flow *f = insert(ft, &k, i);
		f->conn.last_ts = i;
	}
	CHECK_EQ(flow_table_live(ft), N);
	int missing = 0;
	for (uint32_t i = 0; i < N; i++) {
		struct flow_key k = key_of(i);
		struct flow *f = lookup(ft, &k);
		if (!f || f->key.port[0] != (uint16_t)i)
			missing++;
	}
	CHECK_EQ(missing, 0);

	/* Finish every third flow and let its grace run out: it is released. */
	for (uint32_t i = 0; i < N; i += 3) {
		struct flow_key k = key_of(i);
		flow_table_finish(ft, lookup(ft, &k), 100);
	}
	for (int n = 0; n < N; n++)
		flow_table_expire(ft, 200);
	CHECK_EQ(released[FLOW_RELEASE_FINISHED], (N + 2) / 3);
	missing = 0;
	int wrong = 0;
	for (uint32_t i = 0; i < N; i++) {
		struct flow_key k = key_of(i);
		struct flow *f = lookup(ft, &k);
		if (i % 3 == 0 && f)
			wrong++;
		if (i % 3 != 0 && !f)
			missing++;
	}
	CHECK_EQ(wrong, 0);
	CHECK_EQ(missing, 0);
	CHECK_EQ(flow_table_live(ft), N - (N + 2) / 3);
	CHECK_EQ(flow_table_peak(ft), N);

	/* Released slots are reused: the pool does not grow. */
	for (uint32_t i = N; i < N + 1000; i++) {
		struct flow_key k = key_of(i);
		insert(ft, &k, 300);
	}
	CHECK_EQ(flow_table_peak(ft), N);
	flow_table_release_all(ft);
	CHECK_EQ(flow_table_live(ft), 0);
	flow_table_free(ft);
}

/*
 * Keys given one hash (the table takes the caller's) lie in one run of
 * buckets, 0 to 59 from their home: past 15 the bucket's distance field
 * saturates and the flow is read instead. Keys of the next home interleave
 * with them. Every one is found after every third of the first is
 * released from the middle of the run (backward shifts), and none of the
 * released.
 */
static void test_one_home(void)
{
	enum { N = 60 };
	const uint32_t h = 0x9e3779b9u;
	struct flow_table *ft = table(1000, 10, 1000000);
	for (uint32_t i = 0; i < 2 * N; i++) {
		struct flow_key k = key_of(i);
		flow_start_connection(flow_table_insert(ft, &k, i < N ? h : h + 1, 0, false), 0);
	}
	for (uint32_t i = 0; i < N; i += 3) {
		struct flow_key k = key_of(i);
		flow_table_finish(ft, flow_table_lookup_hashed(ft, &k, h), 1);
	}
	for (int n = 0; n < N; n++)
		flow_table_expire(ft, 100);
	CHECK_EQ(released[FLOW_RELEASE_FINISHED], N / 3);
	int missing = 0, wrong = 0;
	for (uint32_t i = 0; i < 2 * N; i++) {
		struct flow_key k = key_of(i);
		struct flow *f = flow_table_lookup_hashed(ft, &k, i < N ? h : h + 1);
		if (i < N && i % 3 == 0)
			wrong += f != NULL;
		else
			missing += f == NULL || f->key.port[0] != (uint16_t)i;
	}
	CHECK_EQ(missing, 0);
	CHECK_EQ(wrong, 0);
	flow_table_release_all(ft);
	flow_table_free(ft);
}

static void test_eviction_order(void)
{
	struct flow_table *ft = table(3, 10, 1000000);
	struct flow_key k0 = key_of(0), k1 = key_of(1), k2 = key_of(2), k3 = key_of(3), k4 = key_of(4);
	struct flow *f0 = insert(ft, &k0, 0);
	insert(ft, &k1, 1);
	insert(ft, &k2, 2);
	/* Seeing flow 0 again makes flow 1 the stalest. */
	flow_table_touch(ft, f0, true);
	insert(ft, &k3, 3);
	CHECK_EQ(released[FLOW_RELEASE_EVICTED], 1);
	CHECK_EQ(last_released_port, 1);
	CHECK(lookup(ft, &k1) == NULL);
	CHECK(lookup(ft, &k0) != NULL);
	/* A finished flow goes before any active one. */
	flow_table_finish(ft, lookup(ft, &k3), 4);
	insert(ft, &k4, 5);
	CHECK_EQ(last_released_port, 3);
	CHECK_EQ(flow_table_evicted(ft), 2);
	CHECK_EQ(flow_table_live(ft), 3);
	flow_table_free(ft);
}

/*
 * Lone SYNs (provisional flows) go after finished flows and before any
 * active one, oldest first; seen again, a provisional flow is active.
 * Idle, they expire (from the run's clock when they came), and the end
 * releases them.
 */
static void test_provisional(void)
{
	memset(released, 0, sizeof released);
	struct flow_table *ft = table(4, 10, 1000);
	struct flow_key k[8];
	for (uint32_t i = 0; i < 8; i++)
		k[i] = key_of(i);
	insert(ft, &k[0], 0);                   /* the stalest, but active */
	insert_provisional(ft, &k[1], 1);
	insert_provisional(ft, &k[2], 2);
	insert(ft, &k[3], 3);
	insert_provisional(ft, &k[4], 4);       /* full: the oldest lone SYN goes */
	CHECK_EQ(last_released_port, 1);
	CHECK(lookup(ft, &k[0]) != NULL);
	flow_table_finish(ft, lookup(ft, &k[3]), 5);
	insert_provisional(ft, &k[5], 6);       /* a finished flow before any SYN */
	CHECK_EQ(last_released_port, 3);
	flow_table_touch(ft, lookup(ft, &k[2]), true);  /* answered: active, and the newest */
	insert(ft, &k[6], 7);                   /* lone SYNs 4 and 5 go before 0 */
	CHECK_EQ(last_released_port, 4);
	insert(ft, &k[7], 8);
	CHECK_EQ(last_released_port, 5);
	insert(ft, &k[1], 9);                   /* none left: the stalest active, 0 */
	CHECK_EQ(last_released_port, 0);
	CHECK(lookup(ft, &k[2]) != NULL);
	CHECK_EQ(released[FLOW_RELEASE_EVICTED], 5);
	flow_table_free(ft);

	/* Idle expiry and the end. */
	memset(released, 0, sizeof released);
	ft = table(100, 10, 1000);
	insert_provisional(ft, &k[0], 0);
	insert(ft, &k[1], 500);
	flow_table_expire(ft, 1000);
	CHECK_EQ(released[FLOW_RELEASE_IDLE], 0);
	flow_table_expire(ft, 1001);
	CHECK_EQ(released[FLOW_RELEASE_IDLE], 1);
	CHECK(lookup(ft, &k[0]) == NULL);
	insert_provisional(ft, &k[2], 1001);
	flow_table_release_all(ft);
	CHECK_EQ(released[FLOW_RELEASE_END], 2);
	flow_table_free(ft);

	/* A lone SYN stamped by a slower clock (another pcapng interface's)
	 * waits its idle time from the run's clock when it came. */
	memset(released, 0, sizeof released);
	ft = table(100, 10, 1000);
	struct flow *f = flow_table_insert(ft, &k[0], flow_table_hash(ft, &k[0]), 50000, true);
	flow_start_connection(f, 7);
	flow_table_expire(ft, 50000);
	flow_table_expire(ft, 51000);
	CHECK_EQ(released[FLOW_RELEASE_IDLE], 0);
	flow_table_expire(ft, 51001);
	CHECK_EQ(released[FLOW_RELEASE_IDLE], 1);
	flow_table_free(ft);
}

static void test_idle_expiry(void)
{
	struct flow_table *ft = table(100, 10, 1000);
	struct flow_key k0 = key_of(0), k1 = key_of(1);
	struct flow *f0 = insert(ft, &k0, 0);
	struct flow *f1 = insert(ft, &k1, 0);
	f1->conn.last_ts = 900;
	flow_table_touch(ft, f1, true);
	(void)f0;
	flow_table_expire(ft, 1000);   /* not yet: exactly the timeout */
	CHECK_EQ(released[FLOW_RELEASE_IDLE], 0);
	flow_table_expire(ft, 1001);
	CHECK_EQ(released[FLOW_RELEASE_IDLE], 1);
	CHECK(lookup(ft, &k0) == NULL);
	CHECK(lookup(ft, &k1) != NULL);
	flow_table_free(ft);
}

/*
 * Expiry skips packets before the earliest limit it computed last time:
 * a flow that later joins a list with an earlier limit must still go on
 * time, and a backlog larger than one batch must drain on later calls.
 */
static void test_expiry_limits_move(void)
{
	/* Grace 10, idle 1000: a close due long before the idle limit it saw. */
	struct flow_table *ft = table(100, 10, 1000);
	struct flow_key k0 = key_of(0), k1 = key_of(1);
	struct flow *f0 = insert(ft, &k0, 0);
	insert(ft, &k1, 0);
	flow_table_expire(ft, 5);           /* next limit: the idle one, 1001 */
	flow_table_finish(ft, f0, 5);
	flow_table_expire(ft, 15);          /* exactly the grace */
	CHECK_EQ(released[FLOW_RELEASE_FINISHED], 0);
	flow_table_expire(ft, 16);
	CHECK_EQ(released[FLOW_RELEASE_FINISHED], 1);
	flow_table_free(ft);

	/* Grace longer than idle: a finished flow reopened runs on the idle limit. */
	ft = table(100, 5000, 1000);
	f0 = insert(ft, &k0, 0);
	flow_table_finish(ft, f0, 0);
	flow_table_expire(ft, 1);           /* next limit: the grace one, 5001 */
	flow_table_reopen(ft, f0);
	f0->conn.last_ts = 100;
	flow_table_expire(ft, 1100);
	CHECK_EQ(released[FLOW_RELEASE_IDLE], 0);
	flow_table_expire(ft, 1101);
	CHECK_EQ(released[FLOW_RELEASE_IDLE], 1);
	flow_table_free(ft);

	/* 50 flows due at once: a batch per call, then the rest on the next calls. */
	ft = table(100, 10, 1000);
	for (uint32_t i = 0; i < 50; i++) {
		struct flow_key k = key_of(i);
		flow_table_finish(ft, insert(ft, &k, 0), 0);
	}
	flow_table_expire(ft, 11);
	CHECK(released[FLOW_RELEASE_FINISHED] > 0 && released[FLOW_RELEASE_FINISHED] < 50);
	for (int n = 0; n < 50; n++)
		flow_table_expire(ft, 11);
	CHECK_EQ(released[FLOW_RELEASE_FINISHED], 50);
	CHECK_EQ(flow_table_live(ft), 0);
	flow_table_free(ft);
}

static void test_key_normalisation(void)
{
	struct pkt a, b;
	memset(&a, 0, sizeof a);
	a.ipver = 4;
	a.src[0] = 192; a.src[3] = 9;
	a.dst[0] = 10; a.dst[3] = 1;
	a.sport = 80;
	a.dport = 40000;
	b = a;
	memcpy(b.src, a.dst, 16);
	memcpy(b.dst, a.src, 16);
	b.sport = a.dport;
	b.dport = a.sport;
	struct flow_key ka, kb;
	int da, db;
	flow_key_from_pkt(&a, &ka, &da);
	flow_key_from_pkt(&b, &kb, &db);
	CHECK(memcmp(&ka, &kb, sizeof ka) == 0);
	CHECK_EQ(da, 1 - db);
	CHECK_EQ(ka.port[0], 40000);   /* 10.0.0.1 sorts before 192.0.0.9 */

	/* Same address both ends (loopback): the port decides. */
	memcpy(a.dst, a.src, 16);
	flow_key_from_pkt(&a, &ka, &da);
	CHECK_EQ(ka.port[0], 80);
	CHECK_EQ(da, 0);
}

/* How many flows the index of SYN senders gives for endpoint e of k, each
 * checked to be that endpoint's (SYN_FROM), or to be what that endpoint
 * received from the address of k's other endpoint (SYN_TO). */
static int by_syn(struct flow_table *ft, const struct flow_key *k, int e, enum syn_index kind)
{
	int n = 0;
	uint32_t pos = UINT32_MAX;
	for (struct flow *f; (f = flow_table_next_by_syn(ft, k, e, kind, &pos)); n++) {
		CHECK(f->by_syn_end & (1u << kind));
		int end = kind == SYN_FROM ? f->syn_end : 1 - f->syn_end;
		CHECK_EQ(f->key.port[end], k->port[e]);
		CHECK(memcmp(f->key.addr[end], k->addr[e], 16) == 0);
		if (kind == SYN_TO)
			CHECK(memcmp(f->key.addr[f->syn_end], k->addr[1 - e], 16) == 0);
	}
	return n;
}

static int from_syn_end(struct flow_table *ft, const struct flow_key *k, int e)
{
	return by_syn(ft, k, e, SYN_FROM);
}

/*
 * The index of SYN senders: a lone SYN's flow joins it when answered
 * (touched) by anything but a RST, not before, under its connection's
 * client, and leaves it
 * when released; many flows of one endpoint are found, up to the 8 an
 * endpoint may have, through growth and backward-shift deletions.
 */
static void test_syn_end_index(void)
{
	enum { N = 6000, ENDS = 1000, PER_END_MAX = 8 };
	struct flow_table *ft = table(100000, 10, 1000000);
	static struct flow_key k[N];
	struct flow_key none = key_of(N);
	CHECK_EQ(from_syn_end(ft, &none, 1), 0);    /* asked: kept from now on */
	static bool indexed[N];
	static int per_end[ENDS];
	for (uint32_t i = 0; i < N; i++) {
		k[i] = key_of(i);
		/* Endpoint 1 (the higher address) sent the SYNs, 6 from each of
		 * 1000 endpoints; the first 10 endpoints send 10 more each. */
		uint32_t e = i < 100 ? i % 10 : i % ENDS;
		k[i].addr[1][2] = (uint8_t)(e >> 8);
		k[i].addr[1][3] = (uint8_t)e;
		k[i].port[1] = (uint16_t)(50000 + e);
		struct flow *f = insert_provisional(ft, &k[i], 0);
		f->conn.client = 1;
		if (i % 3 != 0) {
			/* Every fifth answered with a RST: not indexed. */
			flow_table_touch(ft, f, i % 5 != 0);
			indexed[i] = i % 5 != 0 && per_end[e]++ < PER_END_MAX;
		}
	}
	for (uint32_t e = 0; e < ENDS; e++) {
		int want = 0, at = -1;
		for (uint32_t i = 0; i < N; i++)
			if (k[i].port[1] == 50000 + e) {
				want += indexed[i];
				at = (int)i;
			}
		CHECK_EQ(from_syn_end(ft, &k[at], 1), want);
	}
	CHECK_EQ(from_syn_end(ft, &k[1], 0), 0);    /* the other endpoint sent no SYN */
	/* Each receiver endpoint took one SYN from its sender's address. */
	for (uint32_t i = 0; i < N; i += 7)
		CHECK_EQ(by_syn(ft, &k[i], 0, SYN_TO), i % 3 != 0 && i % 5 != 0);
	/* Finish every fourth and let its grace run out: gone from the index. */
	for (uint32_t i = 0; i < N; i += 4)
		flow_table_finish(ft, lookup(ft, &k[i]), 1);
	for (int t = 0; t < 400; t++)
		flow_table_expire(ft, 100 + t);
	for (uint32_t e = 0; e < ENDS; e++) {
		int want = 0, at = -1;
		for (uint32_t i = 0; i < N; i++)
			if (k[i].port[1] == 50000 + e) {
				want += indexed[i] && i % 4 != 0;
				at = (int)i;
			}
		CHECK_EQ(from_syn_end(ft, &k[at], 1), want);
	}
	flow_table_free(ft);

	/* Made when first asked, from the flows held then: past their
	 * client's SYN (its ISN seen), not finished, answered or not. */
	ft = table(100000, 10, 1000000);
	struct flow *f[6];
	for (uint32_t i = 0; i < 6; i++) {
		k[i] = key_of(i);
		k[i].port[1] = 50000;
		f[i] = insert(ft, &k[i], 0);
		f[i]->conn.client = 1;
		f[i]->conn.half[1].flags = i == 0 ? 0 : HALF_F_ISN;    /* 0: began mid-stream */
	}
	f[1]->conn.finished = true;
	k[6] = key_of(6);
	k[6].port[1] = 50000;
	struct flow *lone = insert_provisional(ft, &k[6], 0);      /* a SYN not yet answered */
	lone->conn.client = 1;
	lone->conn.half[1].flags = HALF_F_ISN;
	CHECK_EQ(from_syn_end(ft, &k[0], 1), 4);
	flow_table_touch(ft, lone, true);                          /* answered since */
	CHECK_EQ(from_syn_end(ft, &k[0], 1), 5);
	flow_table_free(ft);
}

int main(void)
{
	enum { N_LOOKUP = 20000 };
	test_lookup_and_delete(N_LOOKUP);
	test_lookup_and_delete(1u << 29);
	test_lookup_and_delete(1u << 30);
	test_one_home();
	test_slabs(false, 3 * 4228 + 100);
	test_slabs(true, 3 * 4228 + 100);
	/* Enough huge slabs that later ones (from the 9th) come from the slab
	 * maker (slab.h), as many as its thread had ready in time: 6 to 8 of
	 * the 9 in three runs. */
	test_slabs(true, 16 * 4228 + 100);
	test_eviction_order();
	test_provisional();
	test_syn_end_index();
	test_expiry_limits_move();
	test_idle_expiry();
	test_key_normalisation();
	return check_report("test_flow_table");
}
