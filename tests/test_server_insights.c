/*
 * Unit tests of what is learned across connections: idle closes per
 * server endpoint, their median and the well-known defaults it matches,
 * requests after close, and the table's bound.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "classify.h"
#include "server_insights.h"
#include "flowbuild.h"
#include "first_bytes.h"
#include "idle_defaults.h"
#include "service.h"

/* One keep-alive connection at t0: a request, a response, then `idle`
 * seconds of silence and the server's FIN. */
static void idle_connection(struct flow *f, double t0, double idle)
{
	memset(f, 0, sizeof *f);
	feed(f, (struct pkt[]){ at(seg(C, 1, 0, TCP_SYN, 0, 1), t0) });
	feed(f, (struct pkt[]){ at(seg(S, 100, 2, TCP_SYN | TCP_ACK, 0, 2), t0 + 0.001) });
	feed(f, (struct pkt[]){ at(seg(C, 2, 101, TCP_ACK, 0, 3), t0 + 0.002) });
	feed(f, (struct pkt[]){ at(with_payload(seg(C, 2, 101, TCP_ACK, 0, 4),
						"GET / HTTP/1.1\r\n\r\n"), t0 + 0.003) });
	feed(f, (struct pkt[]){ at(with_payload(seg(S, 101, 20, TCP_ACK, 0, 5),
						"HTTP/1.1 200 OK\r\nKeep-Alive: timeout=5\r\n\r\n"),
				   t0 + 0.004) });
	feed(f, (struct pkt[]){ at(seg(C, 20, 143, TCP_ACK, 0, 6), t0 + 0.005) });
	/* idle after its answer: its keep-alive timer's start */
	feed(f, (struct pkt[]){ at(seg(S, 143, 20, TCP_ACK | TCP_FIN, 0, 7), t0 + 0.004 + idle) });
}

static const struct server_insight *only(const struct server_insights *e)
{
	CHECK_EQ(e->n, 1);
	return e->n ? &e->list[0] : NULL;
}

static int matched;
static void count_match(void *ctx, const struct idle_default *d)
{
	(void)ctx;
	if (strstr(d->name, "Node.js") || strstr(d->name, "Apache KeepAliveTimeout (5 s)"))
		matched++;
}

static void test_idle_close(void)
{
	struct server_insights e;
	struct flow f;
	server_insights_init(&e, 1);
	const double idles[] = { 5.002, 5.010, 4.998, 5.001, 30.0 };
	for (int i = 0; i < 5; i++) {
		idle_connection(&f, 100.0 * i, idles[i]);
		server_insights_note_connection(&e, &f);
	}
	const struct server_insight *ep = only(&e);
	if (!ep)
		return;
	CHECK_EQ(ep->port, 80);
	CHECK_EQ(ep->addr[3], 2);
	CHECK_EQ(ep->idle_close.seen, 5);
	CHECK_EQ(ep->keepalive_header_s, 5);
	int64_t median;
	bool consistent;
	CHECK(idle_samples_median(&ep->idle_close, &median, &consistent));
	CHECK_EQ(median, 5002000000LL);
	CHECK(consistent);      /* four of five agree */
	matched = 0;
	CHECK_EQ(idle_defaults_match(IDLE_SERVER, service_for(ep->port, ep->http, ep->app), median,
				     count_match, NULL), 4);
	CHECK_EQ(matched, 2);
	CHECK_EQ(idle_defaults_match(IDLE_MIDDLEBOX, NULL, median, NULL, NULL), 0);
	/* A server's close is compared with its own service's defaults only:
	 * 5 s is no Redis default, 8 h is MySQL's and no web server's. */
	CHECK_EQ(idle_defaults_match(IDLE_SERVER, service_for(6379, false, 0), median, NULL, NULL), 0);
	CHECK_EQ(idle_defaults_match(IDLE_SERVER, service_for(3306, false, 0), 28800000000000LL, NULL,
				     NULL), 1);
	CHECK_EQ(idle_defaults_match(IDLE_SERVER, service_for(8080, false, 0), 28800000000000LL, NULL,
				     NULL), 0);
	CHECK_EQ(idle_defaults_match(IDLE_SERVER, service_for(3306, true, 0), median, NULL, NULL), 4);
	/* A timer checked once a second fires up to a second late: gunicorn's
	 * 2 s closes after 2 to 3 s (the lab's capture: 3.001 s). */
	matched = 0;
	const struct service *web = service_for(80, false, 0);
	CHECK_EQ(idle_defaults_match(IDLE_SERVER, web, 3001000000LL, count_match, NULL), 1);
	CHECK_EQ(idle_defaults_match(IDLE_SERVER, web, 3400000000LL, NULL, NULL), 0);
	/* A port no service is known for, with no HTTP seen (the corpus's
	 * telnet server on 23 closing after 1.9 s was "gunicorn"): nobody's
	 * defaults; the same port with HTTP seen, the web servers'. */
	CHECK_EQ(idle_defaults_match(IDLE_SERVER, service_for(23, false, 0), 2000000000LL, NULL,
				     NULL), 0);
	CHECK_EQ(idle_defaults_match(IDLE_SERVER, service_for(23, true, 0), 2000000000LL, NULL,
				     NULL), 1);

	/* A fifth and sixth outlier: no longer three quarters in agreement. */
	idle_connection(&f, 900, 60);
	server_insights_note_connection(&e, &f);
	idle_connection(&f, 1000, 61);
	server_insights_note_connection(&e, &f);
	CHECK(idle_samples_median(&e.list[0].idle_close, &median, &consistent));
	CHECK(!consistent);
	server_insights_free(&e);
}

/* Closes that are not idle closes: a FIN right after the response, a client's FIN. */
static void test_not_idle(void)
{
	struct server_insights e;
	struct flow f;
	server_insights_init(&e, 1);
	idle_connection(&f, 0, 0.0001);
	server_insights_note_connection(&e, &f);
	CHECK_EQ(e.n, 0);

	memset(&f, 0, sizeof f);
	feed(&f, (struct pkt[]){ at(seg(C, 1, 0, TCP_SYN, 0, 1), 0) });
	feed(&f, (struct pkt[]){ at(seg(S, 100, 2, TCP_SYN | TCP_ACK, 0, 2), 0.001) });
	feed(&f, (struct pkt[]){ at(seg(C, 2, 101, TCP_ACK | TCP_FIN, 0, 3), 9) });
	server_insights_note_connection(&e, &f);
	CHECK_EQ(e.n, 0);
	server_insights_free(&e);
}

static struct verdict reset_verdict(enum cause c, enum role sender, uint8_t server_last)
{
	struct verdict v;
	memset(&v, 0, sizeof v);
	v.ipver = 4;
	uint8_t cl[4] = { 10, 0, 0, 1 }, sv[4] = { 10, 0, 1, server_last };
	memcpy(sender == ROLE_SERVER ? v.src : v.dst, sv, 4);
	memcpy(sender == ROLE_SERVER ? v.dst : v.src, cl, 4);
	v.sport = sender == ROLE_SERVER ? 443 : 40000;
	v.dport = sender == ROLE_SERVER ? 40000 : 443;
	v.sender = sender;
	v.cause = c;
	v.trigger.frame = 1;           /* the segment a middlebox answered after its silence */
	v.trigger_gap_ns = 350200000000LL;
	v.response_sender = ROLE_UNKNOWN;
	return v;
}

static void test_resets(void)
{
	struct server_insights e;
	server_insights_init(&e, 7);
	struct verdict v = reset_verdict(CAUSE_DATA_AFTER_FIN, ROLE_SERVER, 5);
	server_insights_note_reset(&e, &v, 0);
	server_insights_note_reset(&e, &v, 0);
	/* The client's goodbye after the server's close (its QUIT) is no
	 * request sent on a closed connection. */
	v.detail = DETAIL_PEER_QUIT;
	server_insights_note_reset(&e, &v, 0);
	v = reset_verdict(CAUSE_IDLE_TIMEOUT, ROLE_SERVER, 5);
	server_insights_note_reset(&e, &v, 0);
	/* The client's RST on the same server's connection counts for that server too. */
	v = reset_verdict(CAUSE_CONNECT_TIMEOUT, ROLE_CLIENT, 5);
	server_insights_note_reset(&e, &v, 0);
	v = reset_verdict(CAUSE_CLOSED_PORT, ROLE_SERVER, 9);
	server_insights_note_reset(&e, &v, 0);
	server_insights_sort(&e);
	CHECK_EQ(e.n, 2);
	const struct server_insight *ep = &e.list[0];
	CHECK_EQ(ep->addr[3], 5);            /* most resets first */
	CHECK_EQ(ep->port, 443);
	CHECK_EQ(ep->resets, 5);
	CHECK_EQ(ep->by_cause[CAUSE_DATA_AFTER_FIN], 3);
	CHECK_EQ(ep->by_cause[CAUSE_CONNECT_TIMEOUT], 1);
	CHECK_EQ(ep->requests_after_close, 2);
	int64_t median;
	bool consistent;
	CHECK(idle_samples_median(&ep->middlebox_idle, &median, &consistent));
	CHECK_EQ(median, 350200000000LL);
	CHECK_EQ(idle_defaults_match(IDLE_MIDDLEBOX, service_for(6379, false, 0), median, NULL, NULL),
		 1);  /* AWS 350 s, whatever the service */
	/* Lookups still find entries after sorting moved them. */
	v = reset_verdict(CAUSE_CLOSED_PORT, ROLE_SERVER, 9);
	server_insights_note_reset(&e, &v, 0);
	CHECK_EQ(e.n, 2);
	CHECK_EQ(e.list[1].resets, 2);
	server_insights_free(&e);
}

/* Closed-port resets from the servers numbered 0 to n - 1, one each. */
static void reset_servers(struct server_insights *e, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++) {
		struct verdict v = reset_verdict(CAUSE_CLOSED_PORT, ROLE_SERVER, 0);
		v.src[2] = (uint8_t)(i >> 8);
		v.src[3] = (uint8_t)i;
		v.src[1] = (uint8_t)(i >> 16);
		server_insights_note_reset(e, &v, 0);
	}
}

/* At most SERVER_INSIGHTS_MAX endpoints; the rest are counted, not kept. */
static void test_bound(void)
{
	struct server_insights e;
	server_insights_init(&e, 3);
	reset_servers(&e, SERVER_INSIGHTS_MAX + 10);
	CHECK_EQ(e.n, SERVER_INSIGHTS_MAX);
	CHECK_EQ(e.dropped, 10);
	/* Every kept endpoint is found again after the table grew (the
	 * slots' hash tags and their rehash), and none is added twice. */
	reset_servers(&e, SERVER_INSIGHTS_MAX);
	CHECK_EQ(e.n, SERVER_INSIGHTS_MAX);
	CHECK_EQ(e.dropped, 10);
	uint32_t twice = 0;
	for (uint32_t i = 0; i < e.n; i++)
		twice += e.list[i].resets == 2;
	CHECK_EQ(twice, SERVER_INSIGHTS_MAX);
	server_insights_free(&e);
}

/* The kept sample as a sorted list of (key, ms), for comparing sets. */
static int by_key(const void *x, const void *y)
{
	const uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
	return (a > b) - (a < b);
}
static void kept_set(const struct idle_samples *s, uint64_t out[SERVER_INSIGHT_SAMPLES])
{
	for (uint32_t i = 0; i < s->kept; i++)
		out[i] = (uint64_t)s->key[i] << 32 | s->ms[i];
	qsort(out, s->kept, sizeof out[0], by_key);
}

/*
 * Bottom-k: the kept sample does not depend on the order closes come in,
 * and the smallest keys of two halves' samples are the whole's (what
 * --merge does with the shards' samples).
 */
static void test_samples_mergeable(void)
{
	enum { N = 500 };
	static struct idle_samples fwd, rev, half[2], merged;
	uint32_t key[N], ms[N];
	uint32_t x = 12345;
	for (int i = 0; i < N; i++) {
		x = x * 1103515245u + 12345u;
		key[i] = x;
		ms[i] = 1000 + (uint32_t)i % 97;
	}
	for (int i = 0; i < N; i++) {
		idle_samples_add(&fwd, ms[i], key[i]);
		idle_samples_add(&rev, ms[N - 1 - i], key[N - 1 - i]);
		idle_samples_add(&half[i % 3 == 0], ms[i], key[i]);
	}
	CHECK_EQ(fwd.seen, N);
	CHECK_EQ(fwd.kept, SERVER_INSIGHT_SAMPLES);
	uint64_t a[SERVER_INSIGHT_SAMPLES], b[SERVER_INSIGHT_SAMPLES];
	kept_set(&fwd, a);
	kept_set(&rev, b);
	CHECK(memcmp(a, b, sizeof a) == 0);
	for (int h = 0; h < 2; h++)
		for (uint32_t i = 0; i < half[h].kept; i++)
			idle_samples_add(&merged, half[h].ms[i], half[h].key[i]);
	kept_set(&merged, b);
	CHECK(memcmp(a, b, sizeof a) == 0);
	/* The keys kept are the smallest of all. */
	uint32_t below = 0;
	for (int i = 0; i < N; i++)
		below += key[i] <= (uint32_t)(a[SERVER_INSIGHT_SAMPLES - 1] >> 32);
	CHECK_EQ(below, SERVER_INSIGHT_SAMPLES);
}

/* The port table is searched by halves: its order, its first and last
 * entries, and ports between and beyond them. */
static void test_service_ports(void)
{
	CHECK(service_table_ordered());
	CHECK(strcmp(service_for(21, false, 0)->name, "FTP") == 0);
	CHECK(strcmp(service_for(27017, false, 0)->name, "MongoDB") == 0);
	CHECK(strcmp(service_for(6379, false, 0)->name, "Redis") == 0);
	CHECK(strcmp(service_for(443, false, 0)->name, "HTTPS") == 0);
	CHECK(service_for(0, false, 0)->name == NULL);
	CHECK(service_for(20, false, 0)->name == NULL);
	CHECK(service_for(444, false, 0)->name == NULL);
	CHECK(service_for(65535, false, 0)->name == NULL);
	CHECK(strcmp(service_for(65535, false, FIRST_BYTES_SSH)->name, "SSH") == 0);
	CHECK(strcmp(service_for(554, true, 0)->name, "RTSP") == 0);
	CHECK(strcmp(service_for(9, true, 0)->name, "HTTP") == 0);
}

int main(void)
{
	test_service_ports();
	test_samples_mergeable();
	test_idle_close();
	test_not_idle();
	test_resets();
	test_bound();
	return check_report("test_server_insights");
}
