/*
 * Unit tests of the look-ahead: RSTs wait their settle time in frame
 * order, their connection's later segments revise them (a sender that
 * keeps talking did not send its RST; a challenge ACK means the peer kept
 * the connection; a new SYN ends the watch), and the queue stays bounded.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "classify.h"
#include "flowbuild.h"
#include "verdict_queue.h"

#define MAX_OUT 64
static struct verdict out[MAX_OUT];
static int n_out;

static void collect(void *ctx, struct verdict *v, const struct report_source *src)
{
	(void)ctx;
	(void)src;
	if (n_out < MAX_OUT)
		out[n_out++] = *v;
}

static const struct report_source src = { .name = "test", .first_ts = 0 };

/* A connection with a request from the client, acknowledged; the server at TTL 63. */
static int exchange(struct flow *f)
{
	memset(f, 0, sizeof *f);
	int c = feed(f, (struct pkt[]){ at(seg(C, 100, 0, TCP_SYN, 0, 1), 10.000) });
	feed(f, (struct pkt[]){ at(seg(S, 500, 101, TCP_SYN | TCP_ACK, 0, 2), 10.001) });
	feed(f, (struct pkt[]){ at(seg(C, 101, 501, TCP_ACK, 0, 3), 10.002) });
	feed(f, (struct pkt[]){ at(with_payload(seg(C, 101, 501, TCP_ACK | TCP_PSH, 0, 4),
						"GET /x HTTP/1.1\r\n\r\n"), 10.003) });
	feed(f, (struct pkt[]){ at(seg(S, 501, 120, TCP_ACK, 0, 5), 10.004) });
	return c;
}

/* Judges p as a RST of f, queues it, and tracks it, as the pipeline does. */
static void rst(struct verdict_queue *q, struct flow *f, struct pkt p)
{
	struct verdict v;
	struct flow_key k;
	int dir;
	flow_key_from_pkt(&p, &k, &dir);
	classify_rst(f, dir, &p, NULL, 0, NULL, 0, &v);
	verdict_queue_push(q, f, dir, &v, &src);
	tcp_track_segment(f, dir, &p);
}

/* A later segment of f, as the pipeline feeds it. */
static void later(struct verdict_queue *q, struct flow *f, struct pkt p)
{
	struct flow_key k;
	int dir;
	flow_key_from_pkt(&p, &k, &dir);
	if (f->pending_rsts)
		verdict_queue_observe(q, f, dir, &p);
	tcp_track_segment(f, dir, &p);
	verdict_queue_due(q, p.ts_ns);
}

static void test_sender_went_on(void)
{
	struct verdict_queue q;
	struct flow f;
	n_out = 0;
	verdict_queue_init(&q, 8, VERDICT_QUEUE_SETTLE_NS, collect, NULL);
	CHECK_EQ(q.head_due_ns, INT64_MAX);     /* nothing waits */
	exchange(&f);
	/* A RST in the server's name with another TTL, right after the request... */
	rst(&q, &f, at(with_ttl(seg(S, 501, 120, TCP_RST | TCP_ACK, 0, 6), 50), 10.005));
	CHECK_EQ(n_out, 0);                 /* waits for its settle time */
	CHECK_EQ(f.pending_rsts, 1);
	CHECK_EQ(q.head_due_ns, 10005000000LL + VERDICT_QUEUE_SETTLE_NS);
	/* ...then the real server answers the request 200 ms later. */
	later(&q, &f, at(with_payload(seg(S, 501, 120, TCP_ACK | TCP_PSH, 0, 7),
				      "HTTP/1.1 200 OK\r\n\r\n"), 10.205));
	CHECK_EQ(n_out, 0);
	/* The client's closed socket answers it: a follow-up, not "going on". */
	rst(&q, &f, at(seg(C, 120, 0, TCP_RST, 0, 8), 10.206));
	later(&q, &f, at(seg(S, 520, 120, TCP_ACK | TCP_FIN, 0, 9), 12.100));
	CHECK_EQ(n_out, 1);                 /* 2 s after the first RST */
	CHECK_EQ(out[0].rst.frame, 6);
	CHECK_EQ(out[0].cause, CAUSE_INJECTED);
	CHECK_EQ(out[0].confidence, CONF_HIGH);
	CHECK_EQ(out[0].origin, ORIGIN_MIDDLEBOX);
	/* Its TTL already said forged; going on confirms it. */
	CHECK_EQ(out[0].revised.kind, REVISED_SENDER_WENT_ON_CONFIRMS);
	CHECK_EQ(out[0].revised.frame, 7);
	CHECK_EQ(out[0].reached_peer, REACHED_YES);   /* the server acknowledged it */
	struct evidence ev[VERDICT_MAX_EVIDENCE];
	int n_ev = verdict_evidence(&out[0], ev);
	bool has7 = false;
	for (int i = 0; i < n_ev; i++)
		has7 |= ev[i].frame == 7 && ev[i].kind == EV_SENDER_WENT_ON;
	CHECK(has7);
	verdict_queue_flush(&q);
	CHECK_EQ(n_out, 2);
	CHECK_EQ(q.head_due_ns, INT64_MAX);
	CHECK_EQ(out[1].rst.frame, 8);
	CHECK_EQ(out[1].cause, CAUSE_RESET_FOLLOWUP);
	CHECK_EQ(f.pending_rsts, 0);
	verdict_queue_free(&q);
}

/* A forged RST whose "sender" later closes without acknowledging the
 * request: the request never reached it. */
static void test_request_not_reached(void)
{
	struct verdict_queue q;
	struct flow f;
	n_out = 0;
	verdict_queue_init(&q, 8, VERDICT_QUEUE_SETTLE_NS, collect, NULL);
	memset(&f, 0, sizeof f);
	feed(&f, (struct pkt[]){ at(seg(C, 100, 0, TCP_SYN, 0, 1), 10.000) });
	feed(&f, (struct pkt[]){ at(seg(S, 500, 101, TCP_SYN | TCP_ACK, 0, 2), 10.001) });
	feed(&f, (struct pkt[]){ at(seg(C, 101, 501, TCP_ACK, 0, 3), 10.002) });
	feed(&f, (struct pkt[]){ at(with_payload(seg(C, 101, 501, TCP_ACK | TCP_PSH, 0, 4),
						 "GET /x HTTP/1.1\r\n\r\n"), 10.003) });
	rst(&q, &f, at(with_ttl(seg(S, 501, 0, TCP_RST, 0, 5), 64), 10.004));
	later(&q, &f, at(seg(S, 501, 101, TCP_ACK | TCP_FIN, 0, 6), 10.700));
	verdict_queue_flush(&q);
	CHECK_EQ(n_out, 1);
	CHECK_EQ(out[0].cause, CAUSE_INJECTED);
	CHECK_EQ(out[0].revised.kind, REVISED_SENDER_WENT_ON_CONFIRMS);
	CHECK_EQ(out[0].revised.fin, true);
	CHECK_EQ(out[0].reached_peer, REACHED_NO);
	CHECK(out[0].retry_safe);
	verdict_queue_free(&q);
}

/* RFC 5961: the peer answers an inexact RST with a bare ACK and goes on. */
static void test_challenge_ack(void)
{
	struct verdict_queue q;
	struct flow f;
	n_out = 0;
	verdict_queue_init(&q, 8, VERDICT_QUEUE_SETTLE_NS, collect, NULL);
	exchange(&f);
	rst(&q, &f, at(seg(S, 900, 0, TCP_RST, 0, 6), 10.005));
	later(&q, &f, at(seg(C, 120, 501, TCP_ACK, 0, 7), 10.006));
	later(&q, &f, at(seg(S, 501, 120, TCP_ACK | TCP_PSH, 30, 8), 10.007));
	verdict_queue_flush(&q);
	CHECK_EQ(n_out, 1);
	CHECK(out[0].cause != CAUSE_INJECTED);
	CHECK_EQ(out[0].revised.kind, REVISED_PEER_KEPT_CONNECTION);
	CHECK_EQ(out[0].revised.frame, 7);
	verdict_queue_free(&q);

	/* A RST exactly at the peer's RCV.NXT resets it (RFC 5961 3.2); the
	 * peer's bare ACK of that very number crossed it, and is no
	 * challenge ACK (the corpus's wow.pcap 43). */
	n_out = 0;
	verdict_queue_init(&q, 8, VERDICT_QUEUE_SETTLE_NS, collect, NULL);
	exchange(&f);
	rst(&q, &f, at(seg(S, 501, 120, TCP_RST | TCP_ACK, 0, 6), 10.5));
	later(&q, &f, at(seg(C, 120, 501, TCP_ACK, 0, 7), 10.6));
	verdict_queue_flush(&q);
	CHECK_EQ(n_out, 1);
	CHECK_EQ(out[0].revised.kind, REVISED_NOT);
	verdict_queue_free(&q);

	/* The server sent data and its FIN, then the RST; the client's bare
	 * ACK of the data but not of the FIN left it before the FIN reached
	 * it, so before the RST too: an ACK in flight, not a challenge ACK,
	 * however late it comes (the lab's tls13-keepalive-race over a
	 * 400 ms round trip, seen at the server: 201 ms after the RST). The
	 * same ACK covering the FIN is the peer's RCV.NXT after it all. */
	for (uint32_t ack = 525; ack <= 526; ack++) {
		n_out = 0;
		verdict_queue_init(&q, 8, VERDICT_QUEUE_SETTLE_NS, collect, NULL);
		exchange(&f);
		feed(&f, (struct pkt[]){ at(seg(S, 501, 120, TCP_ACK | TCP_PSH, 24, 6), 10.010) });
		feed(&f, (struct pkt[]){ at(seg(S, 525, 120, TCP_ACK | TCP_FIN, 0, 7), 10.011) });
		rst(&q, &f, at(seg(S, 501, 0, TCP_RST, 0, 8), 10.2));
		later(&q, &f, at(seg(C, 120, ack, TCP_ACK, 0, 9), 10.4));
		verdict_queue_flush(&q);
		CHECK_EQ(n_out, 1);
		CHECK_EQ(out[0].revised.kind,
			 ack == 526 ? REVISED_PEER_KEPT_CONNECTION : REVISED_NOT);
		verdict_queue_free(&q);
	}

	/* An ACK of the RST's own data took the segment as data (its RST
	 * flag a corrupted capture's): no challenge ACK, which carries
	 * RCV.NXT unmoved (the corpus's reasm_crash_anon.pcapng 96-97). */
	n_out = 0;
	verdict_queue_init(&q, 8, VERDICT_QUEUE_SETTLE_NS, collect, NULL);
	exchange(&f);
	rst(&q, &f, at(seg(S, 900, 120, TCP_RST | TCP_ACK, 25, 6), 10.005));
	later(&q, &f, at(seg(C, 120, 925, TCP_ACK, 0, 7), 10.006));
	verdict_queue_flush(&q);
	CHECK_EQ(n_out, 1);
	CHECK(out[0].revised.kind != REVISED_PEER_KEPT_CONNECTION);
	verdict_queue_free(&q);
}

/* A new SYN after the RST: a new connection, nothing after it is held against the RST. */
static void test_restart(void)
{
	struct verdict_queue q;
	struct flow f;
	n_out = 0;
	verdict_queue_init(&q, 8, VERDICT_QUEUE_SETTLE_NS, collect, NULL);
	exchange(&f);
	rst(&q, &f, at(seg(C, 120, 501, TCP_RST | TCP_ACK, 0, 6), 10.005));
	later(&q, &f, at(seg(C, 100, 0, TCP_SYN, 0, 7), 10.006));
	CHECK_EQ(f.pending_rsts, 0);
	later(&q, &f, at(seg(C, 101, 501, TCP_ACK | TCP_PSH, 50, 8), 10.007));
	verdict_queue_flush(&q);
	CHECK_EQ(n_out, 1);
	CHECK(out[0].cause != CAUSE_INJECTED);
	verdict_queue_free(&q);
}

/* Full queue: the oldest is reported at once, order kept; a released flow is let go. */
static void test_bounds(void)
{
	struct verdict_queue q;
	struct flow f[3];
	n_out = 0;
	verdict_queue_init(&q, 2, VERDICT_QUEUE_SETTLE_NS, collect, NULL);
	for (int i = 0; i < 3; i++) {
		exchange(&f[i]);
		rst(&q, &f[i], at(seg(S, 501, 0, TCP_RST, 0, 10 + (uint64_t)i), 10.005 + i * 0.001));
	}
	CHECK_EQ(n_out, 1);
	CHECK_EQ(out[0].rst.frame, 10);
	CHECK_EQ(f[0].pending_rsts, 0);
	verdict_queue_detach(&q, &f[1]);
	CHECK_EQ(f[1].pending_rsts, 0);
	CHECK_EQ(f[2].pending_rsts, 1);
	verdict_queue_due(&q, (int64_t)(10.004 * 1e9) + VERDICT_QUEUE_SETTLE_NS);
	CHECK_EQ(n_out, 1);                 /* not yet due */
	verdict_queue_due(&q, (int64_t)(10.007 * 1e9) + VERDICT_QUEUE_SETTLE_NS);
	CHECK_EQ(n_out, 3);
	CHECK_EQ(out[1].rst.frame, 11);
	CHECK_EQ(out[2].rst.frame, 12);
	verdict_queue_free(&q);
}

/* The ring grows only as entries wait at once, keeping frame order across
 * a wrap; a queue that never holds more than a few stays small. */
static void test_growth(void)
{
	struct verdict_queue q;
	static struct flow f[20];
	n_out = 0;
	verdict_queue_init(&q, 32, VERDICT_QUEUE_SETTLE_NS, collect, NULL);
	for (int i = 0; i < 6; i++) {
		exchange(&f[i]);
		rst(&q, &f[i], at(seg(S, 501, 0, TCP_RST, 0, 10 + (uint64_t)i), 10.005 + i * 0.001));
	}
	CHECK_EQ(q.cap, 8);
	verdict_queue_due(&q, (int64_t)(10.0085 * 1e9) + VERDICT_QUEUE_SETTLE_NS);
	CHECK_EQ(n_out, 4);                 /* head moved: the next pushes wrap */
	for (int i = 6; i < 20; i++) {
		exchange(&f[i]);
		rst(&q, &f[i], at(seg(S, 501, 0, TCP_RST, 0, 10 + (uint64_t)i), 10.005 + i * 0.001));
	}
	CHECK_EQ(q.n, 16);
	CHECK_EQ(q.cap, 16);
	verdict_queue_flush(&q);
	CHECK_EQ(n_out, 20);
	int in_order = 1;
	for (int i = 0; i < n_out; i++)
		in_order &= out[i].rst.frame == 10 + (uint64_t)i;
	CHECK(in_order);
	verdict_queue_free(&q);
}

/* A forged refusal of a SYN, then the server's real SYN-ACK to that SYN
 * and a connection that carries data (issue 19 class 13). */
static void test_forged_refusal_raced_by_synack(void)
{
	struct verdict_queue q;
	struct flow f;
	n_out = 0;
	verdict_queue_init(&q, 8, VERDICT_QUEUE_SETTLE_NS, collect, NULL);
	memset(&f, 0, sizeof f);
	feed(&f, (struct pkt[]){ at(seg(C, 100, 0, TCP_SYN, 0, 1), 10.000) });
	rst(&q, &f, at(with_ttl(seg(S, 0, 101, TCP_RST | TCP_ACK, 0, 2), 60), 10.001));
	later(&q, &f, at(seg(S, 500, 101, TCP_SYN | TCP_ACK, 0, 3), 10.020));
	later(&q, &f, at(seg(C, 101, 501, TCP_ACK, 0, 4), 10.021));
	later(&q, &f, at(seg(C, 101, 501, TCP_ACK | TCP_PSH, 20, 5), 10.022));
	verdict_queue_flush(&q);
	CHECK_EQ(n_out, 1);
	CHECK_EQ(out[0].cause, CAUSE_INJECTED);
	CHECK_EQ(out[0].confidence, CONF_HIGH);
	CHECK_EQ(out[0].revised.kind, REVISED_SENDER_WENT_ON_FORGED);
	CHECK_EQ(out[0].revised.looked_like, CAUSE_CLOSED_PORT);
	CHECK(out[0].revised.synack);
	CHECK_EQ(out[0].revised.frame, 3);
	verdict_queue_free(&q);
}

/*
 * A connection's entries among other connections' in a ring that has
 * wrapped: a later segment reaches every one of them and no other, a new
 * SYN unwatches them all, and detaching one connection leaves the others
 * watched. (The walk goes from the newest entry back and stops at the
 * connection's last: this holds it to the oldest of them.)
 */
static void test_watch_among_others(void)
{
	struct verdict_queue q;
	static struct flow a, b[5];
	n_out = 0;
	verdict_queue_init(&q, 8, VERDICT_QUEUE_SETTLE_NS, collect, NULL);
	for (int i = 0; i < 5; i++) {       /* 5 of 8 slots used, then 4 reported: head moves */
		exchange(&b[i]);
		rst(&q, &b[i], at(seg(S, 501, 0, TCP_RST, 0, 10 + (uint64_t)i), 10.005 + i * 0.001));
	}
	verdict_queue_due(&q, (int64_t)(10.0085 * 1e9) + VERDICT_QUEUE_SETTLE_NS);
	CHECK_EQ(n_out, 4);
	exchange(&a);
	/* a's first RST, a RST of b[0]'s tuple reopened, then a's second: the
	 * ring wraps between them. */
	rst(&q, &a, at(with_ttl(seg(S, 501, 120, TCP_RST | TCP_ACK, 0, 20), 50), 10.010));
	exchange(&b[0]);
	rst(&q, &b[0], at(seg(S, 501, 0, TCP_RST, 0, 21), 10.011));
	rst(&q, &a, at(with_ttl(seg(S, 501, 120, TCP_RST | TCP_ACK, 0, 22), 50), 10.012));
	rst(&q, &b[1], at(seg(S, 501, 0, TCP_RST, 0, 23), 10.013));
	CHECK_EQ(q.cap, 8);
	CHECK(q.head + q.n > q.cap);        /* wrapped */
	CHECK_EQ(a.pending_rsts, 2);
	later(&q, &a, at(with_payload(seg(S, 501, 120, TCP_ACK | TCP_PSH, 0, 24),
				      "HTTP/1.1 200 OK\r\n\r\n"), 10.200));
	int a_seen = 0, others_seen = 0;
	for (uint32_t i = 0; i < q.n; i++) {
		const struct verdict_queue_entry *e = &q.ring[(q.head + i) % q.cap];
		if (e->flow == &a)
			a_seen += e->after.a_frame == 24;
		else
			others_seen += e->after.a_frame != 0 || e->after.b_frame != 0;
	}
	CHECK_EQ(a_seen, 2);
	CHECK_EQ(others_seen, 0);
	verdict_queue_detach(&q, &b[0]);
	CHECK_EQ(b[0].pending_rsts, 0);
	CHECK_EQ(b[1].pending_rsts, 1);
	CHECK_EQ(a.pending_rsts, 2);
	later(&q, &a, at(seg(C, 100, 0, TCP_SYN, 0, 25), 10.300));
	CHECK_EQ(a.pending_rsts, 0);
	CHECK_EQ(b[1].pending_rsts, 1);
	verdict_queue_flush(&q);
	CHECK_EQ(n_out, 9);
	CHECK_EQ(out[5].rst.frame, 20);    /* frame order kept across the wrap */
	verdict_queue_free(&q);
}

/*
 * Two RSTs of one connection wait; a SYN-ACK then ends the watch of one
 * (the second RST, which a new SYN-ACK restarts) and not the other (the
 * refusal it races): the connection's chain of entries is relinked through
 * the one still watched, which a later detach finds.
 */
static void test_chain_relinked(void)
{
	struct verdict_queue q;
	struct flow f;
	n_out = 0;
	verdict_queue_init(&q, 8, VERDICT_QUEUE_SETTLE_NS, collect, NULL);
	memset(&f, 0, sizeof f);
	feed(&f, (struct pkt[]){ at(seg(C, 100, 0, TCP_SYN, 0, 1), 10.000) });
	rst(&q, &f, at(with_ttl(seg(S, 0, 101, TCP_RST | TCP_ACK, 0, 2), 60), 10.001));
	rst(&q, &f, at(with_ttl(seg(S, 0, 101, TCP_RST | TCP_ACK, 0, 3), 60), 10.002));
	CHECK_EQ(f.pending_rsts, 2);
	CHECK(q.ring[q.head].v.cause == CAUSE_CLOSED_PORT);
	CHECK(q.ring[(q.head + 1) % q.cap].v.cause != CAUSE_CLOSED_PORT);
	later(&q, &f, at(seg(S, 500, 101, TCP_SYN | TCP_ACK, 0, 4), 10.020));
	CHECK_EQ(f.pending_rsts, 1);
	CHECK(q.ring[q.head].flow == &f);
	CHECK(q.ring[(q.head + 1) % q.cap].flow == NULL);
	verdict_queue_detach(&q, &f);
	CHECK_EQ(f.pending_rsts, 0);
	CHECK(q.ring[q.head].flow == NULL);
	verdict_queue_flush(&q);
	CHECK_EQ(n_out, 2);
	CHECK_EQ(out[0].revised.kind, REVISED_SENDER_WENT_ON_FORGED);
	verdict_queue_free(&q);
}

/*
 * A RST captured four times on both sides of a router, its copies
 * interleaved with those of the ACK before it (the corpus's ndpi/rtsp.pcap
 * 101-108): a copy of a RST still waiting is found with packets between;
 * another RST (its own IPv4 ID), or one too late, is not.
 */
static void test_copy_of_waiting_rst(void)
{
	struct verdict_queue q;
	struct flow f;
	verdict_queue_init(&q, 8, VERDICT_QUEUE_SETTLE_NS, collect, NULL);
	int c = exchange(&f);
	struct pkt first = at(seg(S, 501, 120, TCP_RST | TCP_ACK, 0, 6), 10.0050);
	first.ip_id = 0xcd9d;
	first.ttl = 64;
	rst(&q, &f, first);
	later(&q, &f, at(seg(S, 501, 120, TCP_ACK, 0, 7), 10.0051));   /* the ACK's copy */
	struct pkt copy = first;
	copy.frame = 8;
	copy.ts_ns += 20000;
	copy.ttl = 63;
	const struct verdict *v = verdict_queue_copy_of(&q, &f, 1 - c, &copy);
	CHECK(v != NULL);
	CHECK_EQ(v ? v->rst.frame : 0, 6);
	struct pkt other = copy;
	other.ip_id = 0xcd9e;
	CHECK(verdict_queue_copy_of(&q, &f, 1 - c, &other) == NULL);
	other = copy;
	other.ts_ns += 3000000;     /* past 2 ms */
	CHECK(verdict_queue_copy_of(&q, &f, 1 - c, &other) == NULL);
	other = copy;
	other.ttl = 61;
	CHECK(verdict_queue_copy_of(&q, &f, 1 - c, &other) == NULL);
	/* judged as the copy it is: a follow-up, duplicate, of frame 6 */
	copy.copy_of = 6;
	copy.copy_ttl = 64;
	struct verdict j;
	classify_rst(&f, 1 - c, &copy, NULL, 0, NULL, 0, &j);
	CHECK_EQ(j.cause, CAUSE_RESET_FOLLOWUP);
	CHECK_EQ(j.detail, DETAIL_DUPLICATE);
	CHECK_EQ(j.followup_of, 6);
	CHECK_EQ(j.copied_ttl, 64);
	verdict_queue_flush(&q);
	verdict_queue_free(&q);
}

int main(void)
{
	test_chain_relinked();
	test_copy_of_waiting_rst();
	test_watch_among_others();
	test_forged_refusal_raced_by_synack();
	test_sender_went_on();
	test_request_not_reached();
	test_challenge_ack();
	test_restart();
	test_bounds();
	test_growth();
	return check_report("test_verdict_queue");
}
