/*
 * Unit tests of nat_twin (nat_twin.h): a segment that reaches the client
 * from the server's address behind a NAT, with the numbers of the
 * client's connection to the NAT's address, is found to be that
 * connection's; near misses are not. Then the judge's two readings: the
 * RST that answers it (idle-timeout after a silence, unknown without
 * one), and the server's later RST on the connection (reset-followup).
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "classify.h"
#include "flowbuild.h"
#include "nat_twin.h"

static struct flow_table *new_table(void)
{
	struct flow_table_config cfg = {
		.max_flows = 1000, .finished_grace_ns = 1000000000, .idle_timeout_ns = 600000000000,
	};
	return flow_table_new(&cfg);
}

static struct flow *insert(struct flow_table *ft, const struct pkt *p, bool lone_syn)
{
	struct flow_key k;
	int dir;
	flow_key_from_pkt(p, &k, &dir);
	(void)dir;
	return flow_table_insert(ft, &k, flow_table_hash(ft, &k), p->ts_ns, lone_syn);
}

/* From the server's own address, 10.0.0.9:8080, as no NAT translated it. */
static struct pkt untranslated(struct pkt p)
{
	uint8_t real[4] = { 10, 0, 0, 9 };
	if (p.sport == 80) {
		memcpy(p.src, real, 4);
		p.sport = 8080;
	} else {
		memcpy(p.dst, real, 4);
		p.dport = 8080;
	}
	return p;
}

/*
 * The client's connection to 10.0.0.2:80: handshake at 10 s, a request
 * (client bytes 101-120) and a response (server bytes 501-530), the
 * client's ACK of it last, frame 6 at 10.005 s. Returns its client index.
 */
static struct flow *twin_connection(struct flow_table *ft, int *client)
{
	struct pkt syn = at(seg(C, 100, 0, TCP_SYN, 0, 1), 10.000);
	struct flow *t = insert(ft, &syn, true);
	*client = feed(t, &syn);
	flow_table_touch(ft, t, true);        /* answered: in the index of SYN senders */
	feed(t, (struct pkt[]){ at(seg(S, 500, 101, TCP_SYN | TCP_ACK, 0, 2), 10.001) });
	feed(t, (struct pkt[]){ at(seg(C, 101, 501, TCP_ACK, 0, 3), 10.002) });
	feed(t, (struct pkt[]){ at(seg(C, 101, 501, TCP_ACK | TCP_PSH, 20, 4), 10.003) });
	feed(t, (struct pkt[]){ at(seg(S, 501, 121, TCP_ACK | TCP_PSH, 30, 5), 10.004) });
	feed(t, (struct pkt[]){ at(seg(C, 121, 531, TCP_ACK, 0, 6), 10.005) });
	return t;
}

/* The untranslated segment (seq, ack) at `when` into a flow of its own,
 * and the client's reply-form RST to it (*rst, *dir). */
static struct flow *stray(struct flow_table *ft, uint32_t seq, uint32_t ack, double when,
			  struct pkt *rst, int *dir)
{
	struct pkt s = untranslated(at(seg(S, seq, ack, TCP_ACK | TCP_PSH, 12, 7), when));
	struct flow *f = insert(ft, &s, false);
	feed(f, &s);
	*rst = untranslated(at(seg(C, ack, 0, TCP_RST, 0, 8), when + 0.0001));
	struct flow_key k;
	flow_key_from_pkt(rst, &k, dir);
	return f;
}

static void test_found(void)
{
	struct flow_table *ft = new_table();
	int client, dir, end = -1;
	struct flow *t = twin_connection(ft, &client);
	struct pkt rst;
	struct flow *f = stray(ft, 531, 121, 13.005, &rst, &dir);
	CHECK(nat_twin_candidate(f, dir, &rst));
	struct nat_twin_note note;
	CHECK(nat_twin_find(ft, f, dir, &end, &note) == t);
	CHECK_EQ(end, client);
	CHECK_EQ(note.kind, NAT_TWIN_UNTRANSLATED);
	CHECK_EQ(note.frame, 6);
	CHECK_EQ(note.port, 80);
	CHECK_EQ(note.addr[3], 2);

	/* The judge: the client's RST, 3 s after the connection went silent. */
	struct verdict v;
	classify_rst(f, dir, &rst, NULL, 0, NULL, 0, &v);
	classify_revise_untranslated(&v, &note);
	CHECK_EQ(v.rule, RULE_UNTRANSLATED_SEGMENT);
	CHECK_EQ(v.cause, CAUSE_IDLE_TIMEOUT);
	CHECK_EQ(v.confidence, CONF_HIGH);
	CHECK_EQ(v.sender, ROLE_CLIENT);
	CHECK(!v.role_guessed);

	/* Logged: the server's later reply-form RST to the client's next
	 * segment on the twin is its follow-up. */
	struct nat_twin_log log;
	memset(&log, 0, sizeof log);
	nat_twin_log_add(&log, f, dir, &rst, t, end, &note);
	CHECK(nat_twin_log_newest(&log)->frame == 6);
	feed(t, (struct pkt[]){ at(seg(C, 121, 531, TCP_ACK | TCP_PSH, 2, 9), 14.0) });
	struct pkt late = at(seg(S, 531, 0, TCP_RST, 0, 10), 14.0001);
	CHECK(nat_twin_log_find(&log, t, client, &late) == NULL);  /* not the client's side */
	const struct nat_twin_reset *r = nat_twin_log_find(&log, t, 1 - client, &late);
	CHECK(r != NULL);
	classify_rst(t, 1 - client, &late, NULL, 0, NULL, 0, &v);
	CHECK(r && (classify_revise_after_untranslated(&v, r), 1));
	CHECK_EQ(v.rule, RULE_AFTER_UNTRANSLATED_RESET);
	CHECK_EQ(v.cause, CAUSE_RESET_FOLLOWUP);
	CHECK_EQ(v.followup_of, 8);
	CHECK_EQ(v.nat.frame, 7);
	CHECK_EQ(v.nat.port, 8080);
	/* A RST before the one logged is not its follow-up. */
	struct pkt early = at(seg(S, 531, 0, TCP_RST, 0, 10), 12.0);
	CHECK(nat_twin_log_find(&log, t, 1 - client, &early) == NULL);
	flow_table_free(ft);
}

/* Without a silence: no idle timer, and the wire does not say why. */
static void test_found_without_silence(void)
{
	struct flow_table *ft = new_table();
	int client, dir, end;
	twin_connection(ft, &client);
	struct pkt rst;
	struct flow *f = stray(ft, 531, 121, 10.2, &rst, &dir);
	struct nat_twin_note note;
	CHECK(nat_twin_find(ft, f, dir, &end, &note) != NULL);
	struct verdict v;
	classify_rst(f, dir, &rst, NULL, 0, NULL, 0, &v);
	classify_revise_untranslated(&v, &note);
	CHECK_EQ(v.rule, RULE_UNTRANSLATED_SEGMENT);
	CHECK_EQ(v.cause, CAUSE_UNKNOWN);
	CHECK_EQ(v.confidence, CONF_LOW);
	flow_table_free(ft);
}

/* Numbers that do not fit where the connection stood, or no connection
 * to fit: nothing found. */
static void test_not_found(void)
{
	static const uint32_t numbers[][2] = {
		{ 531 + 1, 121 },                       /* beyond the server's data */
		{ 531, 121 + 1 },                       /* beyond the client's */
		{ 531 - (1u << 21), 121 },              /* far before the server's */
		{ 531, 121 - (1u << 21) },              /* far before the client's */
	};
	for (size_t i = 0; i < sizeof numbers / sizeof numbers[0]; i++) {
		struct flow_table *ft = new_table();
		int client, dir, end;
		twin_connection(ft, &client);
		struct pkt rst;
		struct flow *f = stray(ft, numbers[i][0], numbers[i][1], 13.0, &rst, &dir);
		struct nat_twin_note note;
		CHECK(nat_twin_find(ft, f, dir, &end, &note) == NULL);
		flow_table_free(ft);
	}
	/* The twin already reset: nothing left to misdeliver to. */
	struct flow_table *ft = new_table();
	int client, dir, end;
	struct flow *t = twin_connection(ft, &client);
	feed(t, (struct pkt[]){ at(seg(S, 531, 121, TCP_ACK | TCP_RST, 0, 7), 11.0) });
	struct pkt rst;
	struct flow *f = stray(ft, 531, 121, 13.0, &rst, &dir);
	struct nat_twin_note note;
	CHECK(nat_twin_find(ft, f, dir, &end, &note) == NULL);
	/* Not a candidate: a RST+ACK with the client's own numbers (not a
	 * reply), or after a second segment of the tuple. */
	struct pkt own = rst;
	own.seq = 5;
	CHECK(!nat_twin_candidate(f, dir, &own));
	feed(f, (struct pkt[]){ untranslated(at(seg(S, 543, 121, TCP_ACK, 0, 9), 13.0)) });
	CHECK(!nat_twin_candidate(f, dir, &rst));
	flow_table_free(ft);
}

/* The client's next segment mapped anew by a NAT in front of it: from its
 * address and another port, 10.0.0.1:40001. */
static struct pkt remapped(struct pkt p)
{
	if (p.sport == 40000)
		p.sport = 40001;
	else
		p.dport = 40001;
	return p;
}

/* The client's request (seq, ack) from a new port at `when` (frame n),
 * into a flow of its own (*s), and the server's reply-form RST to it
 * (*rst, *dir), as stray() for an untranslated segment. */
static struct flow *remapped_stray(struct flow_table *ft, uint32_t seq, uint32_t ack,
				   uint64_t n, double when, struct pkt *s, struct pkt *rst, int *dir)
{
	*s = remapped(at(seg(C, seq, ack, TCP_ACK | TCP_PSH, 20, n), when));
	struct flow *f = insert(ft, s, false);
	feed(f, s);
	*rst = remapped(at(seg(S, ack, 0, TCP_RST, 0, n + 1), when + 0.0001));
	struct flow_key k;
	flow_key_from_pkt(rst, &k, dir);
	return f;
}

/* At the server: the client's request from a new port, after 3 s of
 * silence, and the server's reply-form RST (a listener's answer). */
static void test_remapped(void)
{
	struct flow_table *ft = new_table();
	int client;
	struct flow *t = twin_connection(ft, &client);
	struct pkt s, rst;
	int dir, end = -1;
	struct flow *f = remapped_stray(ft, 121, 531, 7, 13.005, &s, &rst, &dir);
	struct flow_key k;
	CHECK(nat_twin_candidate(f, dir, &rst));
	struct nat_twin_note note;
	CHECK(nat_twin_find(ft, f, dir, &end, &note) == t);
	CHECK_EQ(end, 1 - client);
	CHECK_EQ(note.kind, NAT_TWIN_REMAPPED);
	CHECK_EQ(note.port, 40000);
	struct verdict v;
	classify_rst(f, dir, &rst, NULL, 0, NULL, 0, &v);
	classify_revise_untranslated(&v, &note);
	CHECK_EQ(v.rule, RULE_UNTRANSLATED_SEGMENT);
	CHECK_EQ(v.cause, CAUSE_IDLE_TIMEOUT);
	CHECK_EQ(v.sender, ROLE_SERVER);
	CHECK(!v.role_guessed);
	flow_table_free(ft);

	/* Another address (not the client's): no twin of this kind. */
	ft = new_table();
	twin_connection(ft, &client);
	s.src[3] = 7;
	f = insert(ft, &s, false);
	feed(f, &s);
	rst.dst[3] = 7;
	flow_key_from_pkt(&rst, &k, &dir);
	CHECK(nat_twin_find(ft, f, dir, &end, &note) == NULL);
	flow_table_free(ft);
}

/* The same request from a new port, after a new connection from the
 * client's old port took the tuple (the NAT gave that port to another
 * host: the hold-out's nat-port-reuse-kills-idle-connection): the twin is
 * the connection before the tuple's current one, found by its end
 * numbers, and no later RST on the tuple is read as after its reset. */
static void test_replaced(void)
{
	struct flow_table *ft = new_table();
	int client;
	struct flow *t = twin_connection(ft, &client);
	feed(t, (struct pkt[]){ at(seg(C, 9000, 0, TCP_SYN, 0, 7), 12.000) });
	feed(t, (struct pkt[]){ at(seg(S, 7000, 9001, TCP_SYN | TCP_ACK, 0, 8), 12.001) });
	feed(t, (struct pkt[]){ at(seg(C, 9001, 7001, TCP_ACK, 0, 9), 12.002) });
	feed(t, (struct pkt[]){ at(seg(C, 9001, 7001, TCP_ACK | TCP_FIN, 0, 10), 12.003) });
	feed(t, (struct pkt[]){ at(seg(S, 7001, 9002, TCP_ACK | TCP_FIN, 0, 11), 12.004) });
	feed(t, (struct pkt[]){ at(seg(C, 9002, 7002, TCP_ACK, 0, 12), 12.005) });
	CHECK(t->conn.finished);
	CHECK_EQ(t->conn.incarnation, 1);
	struct pkt s, rst;
	int dir, end = -1;
	struct flow *f = remapped_stray(ft, 121, 531, 13, 13.5, &s, &rst, &dir);
	CHECK(nat_twin_candidate(f, dir, &rst));
	struct nat_twin_note note;
	CHECK(nat_twin_find(ft, f, dir, &end, &note) == t);
	CHECK_EQ(end, 1 - client);
	CHECK_EQ(note.kind, NAT_TWIN_REMAPPED);
	CHECK(note.replaced);
	CHECK_EQ(note.frame, 0);
	CHECK_EQ(note.ts_ns, (int64_t)(10.005 * 1e9));
	struct verdict v;
	classify_rst(f, dir, &rst, NULL, 0, NULL, 0, &v);
	classify_revise_untranslated(&v, &note);
	CHECK_EQ(v.cause, CAUSE_IDLE_TIMEOUT);
	struct nat_twin_log log = { 0 };
	nat_twin_log_add(&log, f, dir, &rst, t, end, &note);
	struct pkt later = at(seg(S, 7002, 9002, TCP_RST, 0, 15), 14.0);
	CHECK(nat_twin_log_find(&log, t, 1 - client, &later) == NULL);
	flow_table_free(ft);

	/* Numbers of neither connection on the tuple: none. */
	ft = new_table();
	t = twin_connection(ft, &client);
	feed(t, (struct pkt[]){ at(seg(C, 9000, 0, TCP_SYN, 0, 7), 12.000) });
	feed(t, (struct pkt[]){ at(seg(S, 7000, 9001, TCP_SYN | TCP_ACK, 0, 8), 12.001) });
	f = remapped_stray(ft, 3000000000u, 3100000000u, 13, 13.5, &s, &rst, &dir);
	CHECK(nat_twin_candidate(f, dir, &rst));
	CHECK(nat_twin_find(ft, f, dir, &end, &note) == NULL);
	flow_table_free(ft);
}

/*
 * The client's next request, from its own address and port, reaches
 * another server address (10.0.0.7:80, a backend a load balancer chose
 * anew once it had lost the flow's mapping), with the numbers of the
 * client's connection with 10.0.0.2:80; that host answers for no
 * connection of its own (holdout2's lb-restart-new-backend, holdout8's
 * nft-dnat-lb-backend-drained). After 3 s of silence: peer-lost-state,
 * idle-timeout the runner-up; within 0.1 s, no idle timer: high. Numbers
 * that do not fit are no twin.
 */
static void test_moved(void)
{
	static const double at_s[] = { 13.005, 10.105 };
	for (int k = 0; k < 3; k++) {
		struct flow_table *ft = new_table();
		int client, dir, end = -1;
		struct flow *t = twin_connection(ft, &client);
		struct pkt s = at(seg(C, k == 2 ? 9000 : 121, 531, TCP_ACK | TCP_PSH, 18, 7),
				  at_s[k & 1]);
		s.dst[3] = 7;
		struct flow *f = insert(ft, &s, false);
		feed(f, &s);
		struct pkt rst = at(seg(S, 531, 0, TCP_RST, 0, 8), at_s[k & 1] + 0.0001);
		rst.src[3] = 7;
		struct flow_key key;
		flow_key_from_pkt(&rst, &key, &dir);
		CHECK(nat_twin_candidate(f, dir, &rst));
		struct nat_twin_note note;
		const struct flow *found = nat_twin_find(ft, f, dir, &end, &note);
		if (k == 2) {
			CHECK(found == NULL);
			flow_table_free(ft);
			continue;
		}
		CHECK(found == t);
		CHECK_EQ(end, 1 - client);
		CHECK_EQ(note.kind, NAT_TWIN_MOVED);
		CHECK_EQ(note.addr[3], 2);          /* the address the connection was with */
		CHECK_EQ(note.port, 80);
		CHECK_EQ(note.frame, 6);
		struct verdict v;
		classify_rst(f, dir, &rst, NULL, 0, NULL, 0, &v);
		classify_revise_untranslated(&v, &note);
		CHECK_EQ(v.rule, RULE_UNTRANSLATED_SEGMENT);
		CHECK_EQ(v.cause, CAUSE_PEER_LOST_STATE);
		CHECK_EQ(v.confidence, k == 0 ? CONF_MEDIUM : CONF_HIGH);
		CHECK_EQ(v.runner_up, k == 0 ? CAUSE_IDLE_TIMEOUT : CAUSE_COUNT);
		CHECK_EQ(v.sender, ROLE_SERVER);
		/* Logged: the client's later RST on the twin names the host the
		 * segment went to. */
		struct nat_twin_log log;
		memset(&log, 0, sizeof log);
		nat_twin_log_add(&log, f, dir, &rst, t, end, &note);
		CHECK_EQ(log.r[0].from[3], 7);
		CHECK_EQ(log.r[0].reset_end, client);
		flow_table_free(ft);
	}
}

int main(void)
{
	test_moved();
	test_replaced();
	test_remapped();
	test_found();
	test_found_without_silence();
	test_not_found();
	return check_report("test_nat_twin");
}
