/*
 * Unit tests of sequence arithmetic, per-direction tracking and the wire
 * form of RSTs, on synthetic segments of one connection.
 */
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "flowbuild.h"
#include "service.h"
#include "classify.h"
#include "flow_table.h"
#include "seq.h"
#include "tcp_track.h"

static void test_seq(void)
{
	CHECK(seq_lt(1, 2));
	CHECK(seq_lt(0xfffffff0u, 0x10));      /* across the wrap */
	CHECK(!seq_lt(0x10, 0xfffffff0u));
	CHECK(seq_geq(5, 5));
	CHECK(seq_gt(0x7fffffffu, 0));
	CHECK(seq_lt(0x80000001u, 0));         /* more than half the space apart */
	CHECK_EQ(seq_max(0xffffffffu, 3), 3);
}

static void test_connection(uint32_t cisn, uint32_t sisn)
{
	struct flow f;
	memset(&f, 0, sizeof f);
	uint64_t n = 1;
	int c = feed(&f, (struct pkt[]){ seg(C, cisn, 0, TCP_SYN, 0, n++) });
	feed(&f, (struct pkt[]){ seg(S, sisn, cisn + 1, TCP_SYN | TCP_ACK, 0, n++) });
	feed(&f, (struct pkt[]){ seg(C, cisn + 1, sisn + 1, TCP_ACK, 0, n++) });
	CHECK_EQ(f.conn.client, c);
	CHECK(!f.conn.role_guessed);
	CHECK(f.conn.syn && f.conn.synack && f.conn.established);
	CHECK(!f.conn.midstream);

	/* 100 bytes of request, then a retransmission of it. */
	feed(&f, (struct pkt[]){ seg(C, cisn + 1, sisn + 1, TCP_ACK | TCP_PSH, 100, n++) });
	feed(&f, (struct pkt[]){ seg(C, cisn + 1, sisn + 1, TCP_ACK | TCP_PSH, 100, n++) });
	struct tcp_half *ch = &f.conn.half[c], *sh = &f.conn.half[1 - c];
	CHECK_EQ(ch->bytes, 100);
	CHECK_EQ(ch->retrans, 1);
	CHECK_EQ(ch->next_seq, cisn + 101);
	CHECK_EQ(ch->state, HALF_OPEN);
	CHECK(ch->last_resent);     /* its last segment sent the request again */

	/* Server answers 3000 bytes in two segments and acks the request. */
	feed(&f, (struct pkt[]){ seg(S, sisn + 1, cisn + 101, TCP_ACK, 1500, n++) });
	feed(&f, (struct pkt[]){ seg(S, sisn + 1501, cisn + 101, TCP_ACK | TCP_PSH, 1500, n++) });
	feed(&f, (struct pkt[]){ seg(C, cisn + 101, sisn + 3001, TCP_ACK, 0, n++) });
	CHECK_EQ(sh->bytes, 3000);
	CHECK_EQ(sh->retrans, 0);
	CHECK(!sh->last_resent);
	CHECK(!ch->last_resent);    /* a bare ACK since */
	CHECK_EQ(ch->ack, sisn + 3001);
	/* The server's second segment again, after the client acknowledged
	 * it: a spurious retransmission, resent but not counted (the
	 * corpus's webex.pcap 916, 919, 925; a review). */
	feed(&f, (struct pkt[]){ seg(S, sisn + 1501, cisn + 101, TCP_ACK | TCP_PSH, 1500, n++) });
	CHECK_EQ(sh->retrans, 0);
	CHECK(sh->last_resent);

	/* A keep-alive probe from the client: seq one below snd_nxt, acked peer. */
	feed(&f, (struct pkt[]){ seg(S, sisn + 3001, cisn + 101, TCP_ACK, 0, n++) });
	feed(&f, (struct pkt[]){ seg(C, cisn + 100, sisn + 3001, TCP_ACK, 0, n++) });
	CHECK_EQ(ch->keepalives, 1);
	CHECK_EQ(ch->retrans, 1);
	CHECK_EQ(ch->next_seq, cisn + 101);
	CHECK(!ch->last_resent);    /* a probe is no resend */
	/* Counters saturate rather than wrap (16 and 32 bits to fit the flow). */
	ch->keepalives = UINT16_MAX;
	ch->pkts = UINT32_MAX;
	feed(&f, (struct pkt[]){ seg(C, cisn + 100, sisn + 3001, TCP_ACK, 0, n++) });
	CHECK_EQ(ch->keepalives, UINT16_MAX);
	CHECK_EQ(ch->pkts, UINT32_MAX);
	ch->keepalives = 1;

	/* Server closes; the client acknowledges its FIN. */
	uint64_t fin_frame = n;
	feed(&f, (struct pkt[]){ seg(S, sisn + 3001, cisn + 101, TCP_ACK | TCP_FIN, 0, n++) });
	CHECK_EQ(sh->state, HALF_FIN_SENT);
	CHECK_EQ(sh->fin_frame, fin_frame);
	CHECK_EQ(sh->fin_seq, sisn + 3001);
	CHECK_EQ(f.conn.first_closer, 1 - c);
	CHECK(!sh->last_resent);
	/* The same FIN again: a resend. */
	feed(&f, (struct pkt[]){ seg(S, sisn + 3001, cisn + 101, TCP_ACK | TCP_FIN, 0, n++) });
	CHECK(sh->last_resent);
	CHECK_EQ(sh->fin_frame, fin_frame);
	feed(&f, (struct pkt[]){ seg(C, cisn + 101, sisn + 3002, TCP_ACK, 0, n++) });
	CHECK_EQ(sh->state, HALF_FIN_ACKED);
	CHECK(!f.conn.finished);

	/* The client writes anyway; the server's RST answers it in reply form. */
	struct pkt data = seg(C, cisn + 101, sisn + 3002, TCP_ACK | TCP_PSH, 50, n++);
	feed(&f, &data);
	struct pkt rst = seg(S, sisn + 3002, 0, TCP_RST, 0, n++);
	struct verdict v;
	classify_rst(&f, 1 - c, &rst, NULL, 0, NULL, 0, &v);
	CHECK_EQ(v.form, FORM_REPLY);
	CHECK_EQ(v.trigger.frame, data.frame);
	CHECK_EQ(v.sender, ROLE_SERVER);
	CHECK_EQ(v.cause, CAUSE_DATA_AFTER_FIN);
	CHECK_EQ(v.detail, DETAIL_IGNORED_FIN);   /* its data acked the FIN */
	CHECK_EQ(v.a.state, HALF_FIN_ACKED);
	CHECK_EQ(v.b.state, HALF_OPEN);
	/* The silence before the server's FIN, across the client's two
	 * keep-alive probes: 3 ms since the server's last ACK. */
	CHECK_EQ(v.idle_before_ns, 3000000);
	struct evidence ev[VERDICT_MAX_EVIDENCE];
	int n_ev = verdict_evidence(&v, ev);
	CHECK_EQ(n_ev, 3);   /* the client's data, the server's FIN, the RST */
	CHECK_EQ(ev[0].kind, EV_SENDER_FIN);
	CHECK_EQ(ev[1].kind, EV_TRIGGER);
	CHECK_EQ(ev[n_ev - 1].frame, v.rst.frame);
	CHECK_EQ(v.rst.frame, rst.frame);
	feed(&f, &rst);
	CHECK(f.conn.finished);
	CHECK_EQ(sh->state, HALF_RESET);
	CHECK_EQ(sh->next_seq, sisn + 3002);   /* a RST does not move snd_nxt */

	/* A new SYN on the finished tuple starts incarnation 1, linked to 0. */
	feed(&f, (struct pkt[]){ seg(C, cisn + 5000, 0, TCP_SYN, 0, n++) });
	CHECK_EQ(f.conn.incarnation, 1);
	CHECK(f.conn.prev_ended_by_rst);
	CHECK_EQ(f.conn.prev_first_closer, 1 - c);
	CHECK_EQ(f.conn.prev.next_seq[c], cisn + 151);
	CHECK_EQ(f.conn.pkts, 1);
	CHECK_EQ(f.conn.half[c].state, HALF_SYN_SENT);
	CHECK_EQ(f.conn.half[1 - c].state, HALF_UNSEEN);
}

static void test_forms(void)
{
	struct flow f;
	memset(&f, 0, sizeof f);
	struct verdict v;

	/* SYN to a closed port: RST+ACK, seq 0, ack = SYN + 1. */
	int c = feed(&f, (struct pkt[]){ seg(C, 7000, 0, TCP_SYN, 0, 1) });
	struct pkt rst = seg(S, 0, 7001, TCP_RST | TCP_ACK, 0, 2);
	classify_rst(&f, 1 - c, &rst, NULL, 0, NULL, 0, &v);
	CHECK_EQ(v.form, FORM_REPLY);
	CHECK_EQ(v.trigger.frame, 1);
	CHECK_EQ(v.a.state, HALF_UNSEEN);

	/* A retransmitted SYN with the same ISN is not a new connection. */
	struct pkt again = seg(C, 7000, 0, TCP_SYN, 0, 3);
	struct flow_key k;
	int dir;
	flow_key_from_pkt(&again, &k, &dir);
	CHECK(!tcp_track_is_new_incarnation(&f, dir, &again));
	again.seq = 9000;
	CHECK(tcp_track_is_new_incarnation(&f, dir, &again));

	/* Active form: RST+ACK with the sender's next sequence number. */
	memset(&f, 0, sizeof f);
	c = feed(&f, (struct pkt[]){ seg(C, 100, 0, TCP_SYN, 0, 1) });
	feed(&f, (struct pkt[]){ seg(S, 500, 101, TCP_SYN | TCP_ACK, 0, 2) });
	feed(&f, (struct pkt[]){ seg(C, 101, 501, TCP_ACK, 20, 3) });
	rst = seg(S, 501, 121, TCP_RST | TCP_ACK, 0, 4);
	classify_rst(&f, 1 - c, &rst, NULL, 0, NULL, 0, &v);
	CHECK_EQ(v.form, FORM_ACTIVE);
	CHECK_EQ(v.trigger.frame, 3);   /* its ack covers the client's 20 bytes */

	/* After a bare ACK from the client, an active RST answers nothing: its
	 * ack covers the ACK trivially. */
	feed(&f, (struct pkt[]){ seg(S, 501, 121, TCP_ACK, 0, 4) });
	feed(&f, (struct pkt[]){ seg(C, 121, 501, TCP_ACK, 0, 5) });
	rst = seg(S, 501, 121, TCP_RST | TCP_ACK, 0, 6);
	classify_rst(&f, 1 - c, &rst, NULL, 0, NULL, 0, &v);
	CHECK_EQ(v.form, FORM_ACTIVE);
	CHECK_EQ(v.trigger.frame, 0);

	/* Numbers that fit nothing. */
	rst = seg(S, 12345, 0, TCP_RST, 0, 4);
	classify_rst(&f, 1 - c, &rst, NULL, 0, NULL, 0, &v);
	CHECK_EQ(v.form, FORM_OTHER);
	CHECK_EQ(v.trigger.frame, 0);
}

/* Data then FIN from the client, both answered by bare RSTs echoing the
 * same ack: the first RST answers the data, the second is a follow-up. */
static void test_run_trigger(void)
{
	struct flow f;
	memset(&f, 0, sizeof f);
	struct verdict v;
	int c = feed(&f, (struct pkt[]){ seg(C, 100, 0, TCP_SYN, 0, 1) });
	feed(&f, (struct pkt[]){ seg(S, 500, 101, TCP_SYN | TCP_ACK, 0, 2) });
	feed(&f, (struct pkt[]){ seg(C, 101, 501, TCP_ACK, 0, 3) });
	feed(&f, (struct pkt[]){ seg(S, 501, 101, TCP_ACK | TCP_FIN, 0, 4) });
	feed(&f, (struct pkt[]){ seg(C, 101, 502, TCP_ACK, 0, 5) });          /* acks the FIN */
	feed(&f, (struct pkt[]){ seg(C, 101, 502, TCP_ACK | TCP_PSH, 30, 6) }); /* writes anyway */
	feed(&f, (struct pkt[]){ seg(C, 131, 502, TCP_ACK | TCP_FIN, 0, 7) });
	struct pkt rst1 = seg(S, 502, 0, TCP_RST, 0, 8);
	classify_rst(&f, 1 - c, &rst1, NULL, 0, NULL, 0, &v);
	CHECK_EQ(v.trigger.frame, 6);
	CHECK_EQ(v.cause, CAUSE_DATA_AFTER_FIN);
	feed(&f, &rst1);
	struct pkt rst2 = seg(S, 502, 0, TCP_RST, 0, 9);
	classify_rst(&f, 1 - c, &rst2, NULL, 0, NULL, 0, &v);
	CHECK_EQ(v.cause, CAUSE_RESET_FOLLOWUP);
	CHECK_EQ(v.followup_of, 8);
}

/* Where a RST falls at its peer (tcp_track_rst_take): what the capture
 * decides, and nothing it does not. */
static enum rst_take rst_take(const struct tcp_half *a, const struct tcp_half *b, uint32_t seq,
			     uint8_t flags)
{
	struct pkt p = seg(C, seq, 0, flags, 0, 1);
	return tcp_track_rst_take(a, b, &p);
}

static void test_rst_take(void)
{
	struct tcp_half a, b;
	memset(&a, 0, sizeof a);
	memset(&b, 0, sizeof b);
	a.flags = HALF_F_SEEN;
	a.next_seq = 1000;
	CHECK_EQ(rst_take(&a, &b, 1000, TCP_RST), RST_TAKE_UNKNOWN);     /* no ack of b's */
	b.flags = HALF_F_SEEN | HALF_F_ACK;
	b.ack = 1000;
	CHECK_EQ(rst_take(&a, &b, 1000, TCP_RST), RST_TAKE_EXACT);
	CHECK_EQ(rst_take(&a, &b, 999, TCP_RST), RST_TAKE_BELOW);
	CHECK_EQ(rst_take(&a, &b, 1001, TCP_RST), RST_TAKE_ABOVE);
	/* b took a's FIN at 999: one below its ack is the FIN's own number */
	a.flags |= HALF_F_FIN;
	a.fin_seq = 999;
	CHECK_EQ(rst_take(&a, &b, 999, TCP_RST), RST_TAKE_AFTER_FIN);
	CHECK_EQ(rst_take(&a, &b, 998, TCP_RST), RST_TAKE_BELOW);
	/* a sent 20 more b had not acknowledged: at b's ack, it depends on
	 * whether those arrived first; at their end, exact unless resent */
	a.flags = HALF_F_SEEN;
	a.next_seq = 1020;
	CHECK_EQ(rst_take(&a, &b, 1000, TCP_RST), RST_TAKE_UNKNOWN);
	CHECK_EQ(rst_take(&a, &b, 1010, TCP_RST), RST_TAKE_UNKNOWN);
	CHECK_EQ(rst_take(&a, &b, 1020, TCP_RST), RST_TAKE_EXACT);
	CHECK_EQ(rst_take(&a, &b, 1021, TCP_RST), RST_TAKE_ABOVE);
	CHECK_EQ(rst_take(&a, &b, 990, TCP_RST), RST_TAKE_BELOW);
	a.retrans = 2;
	CHECK_EQ(rst_take(&a, &b, 1020, TCP_RST), RST_TAKE_UNKNOWN);
	/* sequence numbers wrap */
	a.retrans = 0;
	b.ack = 0xfffffff0u;
	a.next_seq = 0x10;
	CHECK_EQ(rst_take(&a, &b, 0xffffffe0u, TCP_RST), RST_TAKE_BELOW);
	CHECK_EQ(rst_take(&a, &b, 0x10, TCP_RST), RST_TAKE_EXACT);
	/* a RST with FIN no stack sends, and an ack beyond all a sent: no claim */
	CHECK_EQ(rst_take(&a, &b, 0xffffffe0u, TCP_RST | TCP_FIN), RST_TAKE_UNKNOWN);
	a.next_seq = 0xffffffe0u;
	CHECK_EQ(rst_take(&a, &b, 0xffffffd0u, TCP_RST), RST_TAKE_UNKNOWN);
}

static void test_role_guess(void)
{
	struct flow f;
	memset(&f, 0, sizeof f);
	/* Mid-stream: no SYN seen; port 80 is taken for the server. */
	int s = feed(&f, (struct pkt[]){ seg(S, 1, 2, TCP_ACK, 10, 1) });
	CHECK(f.conn.midstream);
	CHECK(f.conn.role_guessed);
	CHECK_EQ(flow_role(&f, s), ROLE_SERVER);
	CHECK_EQ(flow_role(&f, 1 - s), ROLE_CLIENT);

	/* A SYN-ACK without its SYN still names the server, without guessing. */
	memset(&f, 0, sizeof f);
	s = feed(&f, (struct pkt[]){ seg(S, 1, 2, TCP_SYN | TCP_ACK, 0, 1) });
	CHECK(!f.conn.role_guessed);
	CHECK_EQ(flow_role(&f, s), ROLE_SERVER);

	/* So does a refusal, RST+ACK numbered 0, against the ports: here the
	 * side on 40000 refused a SYN from port 80 (a one-way capture). */
	memset(&f, 0, sizeof f);
	int r = feed(&f, (struct pkt[]){ seg(C, 0, 7001, TCP_RST | TCP_ACK, 0, 1) });
	CHECK(f.conn.midstream);
	CHECK(!f.conn.role_guessed);
	CHECK_EQ(flow_role(&f, r), ROLE_SERVER);
	CHECK_EQ(flow_role(&f, 1 - r), ROLE_CLIENT);

	/* A RST+ACK numbered otherwise is an abort: the ports still guess. */
	memset(&f, 0, sizeof f);
	r = feed(&f, (struct pkt[]){ seg(C, 9000, 7001, TCP_RST | TCP_ACK, 0, 1) });
	CHECK(f.conn.role_guessed);
	CHECK_EQ(flow_role(&f, r), ROLE_CLIENT);
}

/* A FIN numbered below data its side had sent, with no FIN before it, is
 * no copy of anything (the corpus's webex.pcap 443, a relay's): not
 * resent, though it counts with the retransmissions as Wireshark's do. */
static void test_fin_below_data(void)
{
	struct flow f;
	memset(&f, 0, sizeof f);
	int c = handshake(&f);
	feed(&f, (struct pkt[]){ seg(S, 501, 101, TCP_ACK | TCP_PSH, 100, 4) });
	feed(&f, (struct pkt[]){ seg(S, 501, 101, TCP_ACK | TCP_FIN, 0, 5) });
	const struct tcp_half *sh = &f.conn.half[1 - c];
	CHECK_EQ(sh->retrans, 1);
	CHECK(!sh->last_resent);
}

/* A capture begun with the peer's ACK, then this side's probes one below
 * it: the ACK says how far this side had sent, so they are keep-alives
 * (the hold-outs' keep-alive captures begun 3 frames before the RST). */
static void test_midstream_probes(void)
{
	struct flow f;
	memset(&f, 0, sizeof f);
	int c = feed(&f, (struct pkt[]){ at(seg(C, 6, 1006, TCP_ACK, 0, 1), 10.0) });
	int s = feed(&f, (struct pkt[]){ at(seg(S, 1005, 6, TCP_ACK, 0, 2), 11.0) });
	feed(&f, (struct pkt[]){ at(seg(S, 1005, 6, TCP_ACK, 0, 3), 12.0) });
	CHECK_EQ(c, 1 - s);
	CHECK_EQ(f.conn.half[s].next_seq, 1006);
	CHECK_EQ(f.conn.half[s].keepalives, 2);
	CHECK_EQ(f.conn.half[s].retrans, 0);
	/* Without the peer's ACK first, the first segment sets where it is. */
	memset(&f, 0, sizeof f);
	s = feed(&f, (struct pkt[]){ at(seg(S, 1005, 6, TCP_ACK, 0, 1), 11.0) });
	CHECK_EQ(f.conn.half[s].next_seq, 1005);
}

/* Response status and the Connection / Keep-Alive headers, any case, cut anywhere. */
/* Another protocol's command that starts like a request is not HTTP; a
 * body's length comes from Content-Length after the headers. */
static void test_http_framing(void)
{
	struct http_facts m;
	const char *redis = "GET key\r\n";
	http_facts_parse((const uint8_t *)redis, (uint32_t)strlen(redis), &m);
	CHECK_EQ(m.start, HTTP_NONE);
	/* RTSP is framed as HTTP is (RFC 2326 6, RFC 7826 8): its requests
	 * and responses are read alike, and told by method or target. */
	const char *rtsp = "OPTIONS rtsp://h/ RTSP/1.0\r\nCSeq: 1\r\n\r\n";
	http_facts_parse((const uint8_t *)rtsp, (uint32_t)strlen(rtsp), &m);
	CHECK_EQ(m.start, HTTP_REQUEST);
	CHECK(strcmp(m.target, "rtsp://h/") == 0);
	CHECK(http_request_is_rtsp(m.method, m.target));
	const char *keepalive = "GET_PARAMETER * RTSP/2.0\r\nCSeq: 9\r\n\r\n";
	http_facts_parse((const uint8_t *)keepalive, (uint32_t)strlen(keepalive), &m);
	CHECK_EQ(m.start, HTTP_REQUEST);
	CHECK(strcmp(http_method_name(m.method), "GET_PARAMETER") == 0);
	CHECK(http_request_is_rtsp(m.method, m.target));
	CHECK(http_method_idempotent(m.method));    /* a retrieval, as GET (RFC 7826 13.8) */
	const char *reply = "RTSP/1.0 454 Session Not Found\r\nCSeq: 9\r\n\r\n";
	http_facts_parse((const uint8_t *)reply, (uint32_t)strlen(reply), &m);
	CHECK_EQ(m.start, HTTP_RESPONSE);
	CHECK_EQ(m.status, 454);
	const char *plain = "GET /x HTTP/1.1\r\n\r\n";
	http_facts_parse((const uint8_t *)plain, (uint32_t)strlen(plain), &m);
	CHECK(!http_request_is_rtsp(m.method, m.target));
	const char *rtsp3 = "RTSP/3.0 200 OK\r\n\r\n";
	http_facts_parse((const uint8_t *)rtsp3, (uint32_t)strlen(rtsp3), &m);
	CHECK_EQ(m.start, HTTP_NONE);
	/* The version where a well-formed line has it, with LF alone, or
	 * followed by junk; too short a line to hold it. */
	const char *lf = "GET / HTTP/1.0\nHost: x\n\n";
	http_facts_parse((const uint8_t *)lf, (uint32_t)strlen(lf), &m);
	CHECK_EQ(m.start, HTTP_REQUEST);
	const char *junk = "GET / HTTP/1.1 x\r\n\r\n";
	http_facts_parse((const uint8_t *)junk, (uint32_t)strlen(junk), &m);
	CHECK_EQ(m.start, HTTP_REQUEST);
	const char *bare = "GET HTTP/1\r\n";
	http_facts_parse((const uint8_t *)bare, (uint32_t)strlen(bare), &m);
	CHECK_EQ(m.start, HTTP_NONE);
	const char *cut = "GET /a-very-long-path";    /* the snaplen cut the line */
	http_facts_parse((const uint8_t *)cut, (uint32_t)strlen(cut), &m);
	CHECK_EQ(m.start, HTTP_REQUEST);
	const char *post = "POST /u HTTP/1.1\r\nContent-Length: 100\r\n\r\nabc";
	http_facts_parse((const uint8_t *)post, (uint32_t)strlen(post), &m);
	CHECK_EQ(m.start, HTTP_REQUEST);
	CHECK(!http_method_idempotent(m.method));
	CHECK_EQ(m.body_end, (uint32_t)strlen(post) - 3 + 100);
	const char *nobody = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
	http_facts_parse((const uint8_t *)nobody, (uint32_t)strlen(nobody), &m);
	CHECK_EQ(m.body_end, 0);
	CHECK(m.at_end);
	/* Bytes that begin no request end the count before the end. */
	const char *trailer = "GET / HTTP/1.1\r\nHost: x\r\n\r\nxyz";
	http_facts_parse((const uint8_t *)trailer, (uint32_t)strlen(trailer), &m);
	CHECK_EQ(m.requests, 1);
	CHECK(!m.at_end);
	const char *bad = "POST /u HTTP/1.1\r\nContent-Length: 1x\r\n\r\n";
	http_facts_parse((const uint8_t *)bad, (uint32_t)strlen(bad), &m);
	CHECK_EQ(m.body_end, 0);
	/* Requests are framed by their Content-Length (RFC 9112 6.3): an
	 * empty line in a body is none, and the request after the body is
	 * the last one. */
	const char *two = "POST /a HTTP/1.1\r\nContent-Length: 8\r\n\r\nx\r\n\r\nyyy"
			  "GET /b HTTP/1.1\r\nHost: x\r\n\r\n";
	http_facts_parse((const uint8_t *)two, (uint32_t)strlen(two), &m);
	CHECK_EQ(m.requests, 2);
	CHECK(m.at_end);                        /* another request could follow */
	CHECK_EQ(m.method, 1);                  /* GET */
	CHECK(strcmp(m.target, "/b") == 0);
	CHECK_EQ(m.body_end, 0);
	/* A body cut by the segment's end: one request, the POST. */
	const char *longer = "POST /a HTTP/1.1\r\nContent-Length: 80\r\n\r\nx\r\n\r\n";
	http_facts_parse((const uint8_t *)longer, (uint32_t)strlen(longer), &m);
	CHECK_EQ(m.requests, 1);
	CHECK(strcmp(m.target, "/a") == 0);
}

/* A first request that is an HTTP CONNECT makes the connection a proxy's
 * tunnel (RFC 9110 9.3.6), what service.c names it by; a CONNECT after
 * another request does not. */
static void test_http_connect_tunnel(void)
{
	struct flow f;
	memset(&f, 0, sizeof f);
	feed(&f, (struct pkt[]){ seg(C, 1, 0, TCP_SYN, 0, 1) });
	feed(&f, (struct pkt[]){ seg(S, 100, 2, TCP_SYN | TCP_ACK, 0, 2) });
	const char *connect = "CONNECT api.lab.test:443 HTTP/1.1\r\nHost: api.lab.test:443\r\n\r\n";
	feed(&f, (struct pkt[]){ with_payload(seg(C, 2, 101, TCP_ACK, 0, 3), connect) });
	CHECK_EQ(f.conn.app, FIRST_BYTES_HTTP_TUNNEL);
	CHECK(strcmp(http_method_name(HTTP_METHOD_CONNECT), "CONNECT") == 0);
	CHECK(strcmp(first_bytes_app_name(f.conn.app), "http-tunnel") == 0);
	CHECK_EQ(service_for(8888, true, f.conn.app)->kind, SERVICE_TUNNEL);
	CHECK_EQ(service_for(8888, true, FIRST_BYTES_NONE)->kind, SERVICE_HTTP);

	memset(&f, 0, sizeof f);
	feed(&f, (struct pkt[]){ seg(C, 1, 0, TCP_SYN, 0, 1) });
	feed(&f, (struct pkt[]){ seg(S, 100, 2, TCP_SYN | TCP_ACK, 0, 2) });
	const char *get = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
	feed(&f, (struct pkt[]){ with_payload(seg(C, 2, 101, TCP_ACK, 0, 3), get) });
	feed(&f, (struct pkt[]){ with_payload(seg(C, 2 + (uint32_t)strlen(get), 101, TCP_ACK, 0, 4),
					    connect) });
	CHECK_EQ(f.conn.app, FIRST_BYTES_NONE);
}

/* A service's last words (first_bytes_goodbye) are kept, whatever data
 * comes after (its server ends the session after them). */
static void test_goodbye_kept(void)
{
	static const uint8_t pg_idle[] = "E\0\0\0\x20" "SFATAL\0" "C57P05\0" "Midle\0";
	struct flow f;
	memset(&f, 0, sizeof f);
	feed(&f, (struct pkt[]){ seg(C, 1, 0, TCP_SYN, 0, 1) });
	int s = feed(&f, (struct pkt[]){ seg(S, 100, 2, TCP_SYN | TCP_ACK, 0, 2) });
	struct pkt bye = seg(S, 101, 2, TCP_ACK | TCP_PSH, 0, 3);
	bye.payload = pg_idle;
	bye.payload_len = bye.payload_caplen = sizeof pg_idle;
	feed(&f, &bye);
	CHECK_EQ(f.conn.goodbye, GOODBYE_PG_IDLE_SESSION);
	CHECK_EQ(f.conn.goodbye_from, s + 1);
	feed(&f, (struct pkt[]){ with_payload(seg(C, 2, 101 + sizeof pg_idle, TCP_ACK, 0, 4),
					      "Q") });
	CHECK_EQ(f.conn.goodbye, GOODBYE_PG_IDLE_SESSION);
	feed(&f, (struct pkt[]){ with_payload(seg(S, 101 + sizeof pg_idle, 3, TCP_ACK, 0, 5),
					      "more") });
	CHECK_EQ(f.conn.goodbye, GOODBYE_PG_IDLE_SESSION);
}

static void test_http_headers(void)
{
	struct flow f;
	memset(&f, 0, sizeof f);
	feed(&f, (struct pkt[]){ seg(C, 1, 0, TCP_SYN, 0, 1) });
	feed(&f, (struct pkt[]){ seg(S, 100, 2, TCP_SYN | TCP_ACK, 0, 2) });
	feed(&f, (struct pkt[]){ with_payload(seg(C, 2, 101, TCP_ACK, 0, 3),
		"GET /a HTTP/1.1\r\nHost: x\r\nconnection: Close\r\n\r\n") });
	CHECK_EQ(f.conn.request.connection, HTTP_CONN_CLOSE);
	CHECK(strcmp(f.conn.request.target, "/a") == 0);

	/* A request's second segment first (its first lost on the way and
	 * sent again), then the first: still the request, counted once. */
	struct flow g;
	memset(&g, 0, sizeof g);
	feed(&g, (struct pkt[]){ seg(C, 1, 0, TCP_SYN, 0, 1) });
	feed(&g, (struct pkt[]){ seg(S, 100, 2, TCP_SYN | TCP_ACK, 0, 2) });
	feed(&g, (struct pkt[]){ with_payload(seg(C, 40, 101, TCP_ACK, 0, 3), "rest of body") });
	CHECK_EQ(g.conn.request.frame, 0);
	const char *head = "POST /up HTTP/1.1\r\nHost: x\r\nContent-Length: 50\r\n\r\n";
	feed(&g, (struct pkt[]){ with_payload(seg(C, 2, 101, TCP_ACK, 0, 4), head) });
	CHECK_EQ(g.conn.request.frame, 4);
	CHECK(strcmp(g.conn.request.target, "/up") == 0);
	CHECK_EQ(g.conn.half[0].http_requests + g.conn.half[1].http_requests, 1);
	feed(&g, (struct pkt[]){ with_payload(seg(C, 2, 101, TCP_ACK, 0, 5), head) });
	CHECK_EQ(g.conn.request.frame, 4);      /* a copy of it is no new request */

	const char *r1 = "HTTP/1.1 204 No Content\r\nConnection: keep-alive\r\n"
			 "Keep-Alive: max=100, TIMEOUT=75\r\n\r\n";
	feed(&f, (struct pkt[]){ with_payload(seg(S, 101, 50, TCP_ACK, 0, 4), r1) });
	CHECK_EQ(f.conn.response.status, 204);
	CHECK_EQ(f.conn.response.connection, HTTP_CONN_KEEP_ALIVE);
	CHECK_EQ(f.conn.response.keepalive_s, 75);
	CHECK_EQ(flow_role(&f, f.conn.response.dir), ROLE_SERVER);

	/* Headers after the empty line are body, not headers. */
	uint32_t seq = 101 + (uint32_t)strlen(r1);
	const char *r2 = "HTTP/1.0 500 Oops\r\n\r\nConnection: close\r\n";
	feed(&f, (struct pkt[]){ with_payload(seg(S, seq, 50, TCP_ACK, 0, 5), r2) });
	CHECK_EQ(f.conn.response.status, 500);
	CHECK_EQ(f.conn.response.connection, HTTP_CONN_UNSEEN);
	CHECK_EQ(f.conn.response.keepalive_s, 0);

	/* Cut by snaplen in the middle of the header value; a status that is not one. */
	seq += (uint32_t)strlen(r2);
	struct pkt cut = with_payload(seg(S, seq, 50, TCP_ACK, 0, 6),
				      "HTTP/1.1 200 OK\r\nKeep-Alive: timeout=12345678");
	cut.payload_caplen = 40;
	feed(&f, &cut);
	CHECK_EQ(f.conn.response.status, 200);
	CHECK_EQ(f.conn.response.keepalive_s, 0);   /* "123" is all that was captured of it */
	seq += cut.payload_len;
	feed(&f, (struct pkt[]){ with_payload(seg(S, seq, 50, TCP_ACK, 0, 7), "HTTP/1.1 2x0\r\n") });
	CHECK_EQ(f.conn.response.status, 0);
	seq += 15;
	feed(&f, (struct pkt[]){ with_payload(seg(S, seq, 50, TCP_ACK, 0, 8),
		"HTTP/1.1 200 OK\r\nKeep-Alive: timeout=99999999\r\n\r\n") });
	CHECK_EQ(f.conn.response.keepalive_s, 65535);
}

/* An RTSP Session header's timeout (RFC 2326 12.37): read from RTSP
 * responses only, kept across later responses that do not repeat it, not
 * taken from a number the snaplen cut. */
static void test_rtsp_session_timeout(void)
{
	struct flow f;
	memset(&f, 0, sizeof f);
	feed(&f, (struct pkt[]){ seg(C, 1, 0, TCP_SYN, 0, 1) });
	feed(&f, (struct pkt[]){ seg(S, 100, 2, TCP_SYN | TCP_ACK, 0, 2) });
	feed(&f, (struct pkt[]){ with_payload(seg(C, 2, 101, TCP_ACK, 0, 3),
		"SETUP rtsp://h/a/track1 RTSP/1.0\r\nCSeq: 3\r\n\r\n") });
	const char *r1 = "RTSP/1.0 200 OK\r\nCSeq: 3\r\nSession: 8c30e102191f49d1; Timeout=60\r\n\r\n";
	uint32_t seq = 101;
	feed(&f, (struct pkt[]){ with_payload(seg(S, seq, 50, TCP_ACK, 0, 4), r1) });
	CHECK_EQ(f.conn.response.status, 200);
	CHECK_EQ(f.conn.response.session_timeout_s, 60);
	CHECK_EQ(f.conn.response.keepalive_s, 0);
	seq += (uint32_t)strlen(r1);
	/* PLAY's response names the session without its timeout: kept */
	const char *r2 = "RTSP/1.0 200 OK\r\nCSeq: 4\r\nSession: 8c30e102191f49d1\r\n\r\n";
	feed(&f, (struct pkt[]){ with_payload(seg(S, seq, 50, TCP_ACK, 0, 5), r2) });
	CHECK_EQ(f.conn.response.session_timeout_s, 60);
	seq += (uint32_t)strlen(r2);
	/* a new one announced replaces it */
	const char *r3 = "RTSP/1.0 200 OK\r\nSession: 8c30e102191f49d1;timeout=30\r\n\r\n";
	feed(&f, (struct pkt[]){ with_payload(seg(S, seq, 50, TCP_ACK, 0, 6), r3) });
	CHECK_EQ(f.conn.response.session_timeout_s, 30);
	seq += (uint32_t)strlen(r3);
	/* cut by the snaplen inside the number: not taken, the one before kept */
	struct pkt cut = with_payload(seg(S, seq, 50, TCP_ACK, 0, 7),
				      "RTSP/1.0 200 OK\r\nSession: 1;timeout=12345");
	cut.payload_caplen = 38;    /* "...timeout=12" */
	feed(&f, &cut);
	CHECK_EQ(f.conn.response.session_timeout_s, 30);

	/* an HTTP response's Session header is no RTSP session */
	struct flow g;
	memset(&g, 0, sizeof g);
	feed(&g, (struct pkt[]){ seg(C, 1, 0, TCP_SYN, 0, 1) });
	feed(&g, (struct pkt[]){ seg(S, 100, 2, TCP_SYN | TCP_ACK, 0, 2) });
	feed(&g, (struct pkt[]){ with_payload(seg(S, 101, 2, TCP_ACK, 0, 3),
		"HTTP/1.1 200 OK\r\nSession: x;timeout=60\r\n\r\n") });
	CHECK_EQ(g.conn.response.status, 200);
	CHECK_EQ(g.conn.response.session_timeout_s, 0);
}

/* Header names in any case, compared eight bytes at a time: a letter in
 * either case matches, any other byte only itself (a CR where the name
 * has '-' differs from it by the case bit alone). */
static void test_http_header_names(void)
{
	static const struct {
		const char *headers;
		uint8_t connection;
		uint32_t body;              /* Content-Length taken, 0 not */
	} cases[] = {
		{ "CONNECTION: close\r\nCONTENT-LENGTH: 5", HTTP_CONN_CLOSE, 5 },
		{ "cOnNeCtIoN: close\r\ncOnTeNt-LeNgTh: 5", HTTP_CONN_CLOSE, 5 },
		{ "Connectiom: close\r\nContent-Lengtg: 5", HTTP_CONN_UNSEEN, 0 },
		{ "Xonnection: close\r\nXontent-Length: 5", HTTP_CONN_UNSEEN, 0 },
		{ "Content\rLength: 5\r\nConnection\x80 close", HTTP_CONN_UNSEEN, 0 },
		{ "Content-Lengthy: 5\r\nConnection:close", HTTP_CONN_CLOSE, 0 },
		{ "Content_Length: 5\r\nConnectioN:keep-alive", HTTP_CONN_KEEP_ALIVE, 0 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char text[160];
		int n = snprintf(text, sizeof text, "POST /x HTTP/1.1\r\n%s\r\n\r\nhello",
				 cases[i].headers);
		struct http_facts h;
		http_facts_parse((const uint8_t *)text, (uint32_t)n, &h);
		CHECK_EQ(h.start, HTTP_REQUEST);
		CHECK_EQ(h.connection, cases[i].connection);
		CHECK_EQ(h.body_end ? h.body_end - (uint32_t)(n - 5) : 0, cases[i].body);
	}
}

/* Connection is a list of whole tokens: "closed" is not "close", and
 * close wins wherever it stands. */
static void test_http_connection_tokens(void)
{
	static const struct { const char *value; uint8_t want; } cases[] = {
		{ "closed", HTTP_CONN_UNSEEN },
		{ "Upgrade, Keep-Alive", HTTP_CONN_KEEP_ALIVE },
		{ "keep-alive ,\tCLOSE", HTTP_CONN_CLOSE },
		{ "keep-alive-ish", HTTP_CONN_UNSEEN },
		{ " , keep-alive , ", HTTP_CONN_KEEP_ALIVE },
		/* The two alone on the line are read whole (connection_value's
		 * first compare): in any case, and only up to the line's end. */
		{ "Keep-Alive", HTTP_CONN_KEEP_ALIVE },
		{ "CLOSE", HTTP_CONN_CLOSE },
		{ "keep-alive, close", HTTP_CONN_CLOSE },
		{ "close-ish", HTTP_CONN_UNSEEN },
		{ "keep-alivex", HTTP_CONN_UNSEEN },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char req[128];
		snprintf(req, sizeof req, "GET /%zu HTTP/1.1\r\nConnection: %s\r\n\r\n", i,
			 cases[i].value);
		struct flow f;
		memset(&f, 0, sizeof f);
		feed(&f, (struct pkt[]){ seg(C, 1, 0, TCP_SYN, 0, 1) });
		feed(&f, (struct pkt[]){ seg(S, 100, 2, TCP_SYN | TCP_ACK, 0, 2) });
		feed(&f, (struct pkt[]){ with_payload(seg(C, 2, 101, TCP_ACK, 0, 3), req) });
		CHECK_EQ(f.conn.request.connection, cases[i].want);
	}
}

/* The idle time before a close is the closer's application's: from its
 * own last segment, or the other side's last that brought it something,
 * which travel its leg of the path as its close does. Captured at the
 * server of a 200 ms round trip, the client's ACK of the server's answer
 * comes 200 ms after the answer, and a 1 s keep-alive timeout counted
 * from it read 0.8 s (the lab's runs with --delay 0.1 --capture-at server). */
static void test_app_idle(void)
{
	struct flow f;
	/* At the server: request, answer, the ACK a round trip later, FIN. */
	handshake(&f);
	feed(&f, (struct pkt[]){ at(seg(C, 101, 501, TCP_ACK | TCP_PSH, 15, 4), 10.100) });
	feed(&f, (struct pkt[]){ at(seg(S, 501, 116, TCP_ACK | TCP_PSH, 66, 5), 10.101) });
	feed(&f, (struct pkt[]){ at(seg(C, 116, 567, TCP_ACK, 0, 6), 10.301) });
	feed(&f, (struct pkt[]){ at(seg(S, 567, 116, TCP_ACK | TCP_FIN, 0, 7), 11.101) });
	CHECK_EQ(f.conn.close_idle_ns, 1000000000);
	/* The client closing its pool's idle connection, at the same point:
	 * its timer began when the answer reached it, as its ACK left. */
	handshake(&f);
	feed(&f, (struct pkt[]){ at(seg(C, 101, 501, TCP_ACK | TCP_PSH, 15, 4), 10.100) });
	feed(&f, (struct pkt[]){ at(seg(S, 501, 116, TCP_ACK | TCP_PSH, 66, 5), 10.101) });
	feed(&f, (struct pkt[]){ at(seg(C, 116, 567, TCP_ACK, 0, 6), 10.301) });
	feed(&f, (struct pkt[]){ at(seg(C, 116, 567, TCP_ACK | TCP_FIN, 0, 7), 11.301) });
	CHECK_EQ(f.conn.close_idle_ns, 1000000000);
	/* Nothing asked yet: the server's timer began at the accept, when the
	 * handshake's ACK came, not at its SYN-ACK. */
	handshake(&f);
	feed(&f, (struct pkt[]){ at(seg(S, 501, 101, TCP_ACK | TCP_FIN, 0, 4), 12.002) });
	CHECK_EQ(f.conn.close_idle_ns, 2000000000);
	/* A request the server read and closed on at once (its FIN
	 * acknowledges it): no idle time, whatever came before. */
	handshake(&f);
	feed(&f, (struct pkt[]){ at(seg(C, 101, 501, TCP_ACK | TCP_PSH, 15, 4), 15.000) });
	feed(&f, (struct pkt[]){ at(seg(S, 501, 116, TCP_ACK | TCP_FIN, 0, 5), 15.001) });
	CHECK_EQ(f.conn.close_idle_ns, 1000000);
	/* A TLS client's close_notify, then its FIN: the alert began the
	 * close, and the idle time is the client's before it, 17.5 ms, not
	 * the FIN's 0.1 ms after its own alert (the corpus's zoom.pcap 256;
	 * a review). */
	{
		static const uint8_t alert[31] = { 21, 3, 3, 0, 26 };
		handshake(&f);
		f.conn.tls.version = 0x03 + 1;
		f.conn.tls.stage = TLS_STAGE_ESTABLISHED;
		feed(&f, (struct pkt[]){ at(seg(C, 101, 501, TCP_ACK | TCP_PSH, 133, 4), 10.010) });
		struct pkt a = at(seg(C, 234, 501, TCP_ACK | TCP_PSH, 0, 5), 10.0275);
		a.payload = alert;
		a.payload_len = a.payload_caplen = sizeof alert;
		feed(&f, &a);
		feed(&f, (struct pkt[]){ at(seg(C, 265, 501, TCP_ACK | TCP_FIN, 0, 6), 10.0276) });
		CHECK_EQ(f.conn.close_idle_ns, 17500000);
	}
	/* A RST alone may be a middlebox's, whose timer every packet
	 * restarts: timed from the wire's last packet. */
	handshake(&f);
	feed(&f, (struct pkt[]){ at(seg(C, 101, 501, TCP_ACK | TCP_PSH, 15, 4), 10.100) });
	feed(&f, (struct pkt[]){ at(seg(S, 501, 116, TCP_ACK | TCP_PSH, 66, 5), 10.101) });
	feed(&f, (struct pkt[]){ at(seg(C, 116, 567, TCP_ACK, 0, 6), 10.301) });
	feed(&f, (struct pkt[]){ at(seg(S, 567, 116, TCP_RST | TCP_ACK, 0, 7), 11.301) });
	CHECK_EQ(f.conn.close_idle_ns, 1000000000);
	/* Keep-alive probes and their ACKs restart no application's timer:
	 * the server's ACK of the client's probe is not its activity. */
	handshake(&f);
	feed(&f, (struct pkt[]){ at(seg(C, 101, 501, TCP_ACK | TCP_PSH, 15, 4), 10.100) });
	feed(&f, (struct pkt[]){ at(seg(S, 501, 116, TCP_ACK | TCP_PSH, 66, 5), 10.101) });
	feed(&f, (struct pkt[]){ at(seg(C, 116, 567, TCP_ACK, 0, 6), 10.301) });
	feed(&f, (struct pkt[]){ at(seg(C, 115, 567, TCP_ACK, 0, 7), 20.000) });
	feed(&f, (struct pkt[]){ at(seg(S, 567, 116, TCP_ACK, 0, 8), 20.001) });
	feed(&f, (struct pkt[]){ at(seg(S, 567, 116, TCP_ACK | TCP_FIN, 0, 9), 30.101) });
	CHECK_EQ(f.conn.half[C].keepalives, 1);
	CHECK(f.conn.close_idle_ns >= 19800000000LL);
}

/* The idle time before a close that a server's goodbye message precedes
 * (PostgreSQL's idle_session_timeout: FATAL, then FIN 45 ms later). */
static void test_farewell_idle(void)
{
	struct flow f;
	handshake(&f);
	feed(&f, (struct pkt[]){ at(seg(C, 101, 501, TCP_ACK | TCP_PSH, 15, 4), 10.010) });
	feed(&f, (struct pkt[]){ at(seg(S, 501, 116, TCP_ACK | TCP_PSH, 66, 5), 10.012) });
	feed(&f, (struct pkt[]){ at(seg(C, 116, 567, TCP_ACK, 0, 6), 10.052) });   /* delayed ACK */
	feed(&f, (struct pkt[]){ at(seg(S, 567, 116, TCP_ACK | TCP_PSH, 116, 7), 11.012) });
	feed(&f, (struct pkt[]){ at(seg(C, 116, 683, TCP_ACK, 0, 8), 11.013) });
	feed(&f, (struct pkt[]){ at(seg(S, 683, 116, TCP_ACK | TCP_FIN, 0, 9), 11.057) });
	/* The silence before the goodbye, from the server's answer: its
	 * timer's start, not the client's delayed ACK. */
	CHECK_EQ(f.conn.close_idle_ns, 1000000000);

	/* A slow answer followed by the close is no goodbye: it was asked for. */
	handshake(&f);
	feed(&f, (struct pkt[]){ at(seg(C, 101, 501, TCP_ACK | TCP_PSH, 15, 4), 10.010) });
	feed(&f, (struct pkt[]){ at(seg(S, 501, 116, TCP_ACK | TCP_PSH, 66, 5), 12.010) });
	feed(&f, (struct pkt[]){ at(seg(S, 567, 116, TCP_ACK | TCP_FIN, 0, 6), 12.011) });
	CHECK_EQ(f.conn.close_idle_ns, 1000000);
	/* Nor is a message the FIN follows only after a long time. */
	handshake(&f);
	feed(&f, (struct pkt[]){ at(seg(C, 101, 501, TCP_ACK | TCP_PSH, 15, 4), 10.010) });
	feed(&f, (struct pkt[]){ at(seg(S, 501, 116, TCP_ACK | TCP_PSH, 66, 5), 10.012) });
	feed(&f, (struct pkt[]){ at(seg(S, 567, 116, TCP_ACK | TCP_PSH, 10, 6), 11.012) });
	feed(&f, (struct pkt[]){ at(seg(S, 577, 116, TCP_ACK | TCP_FIN, 0, 7), 11.512) });
	CHECK_EQ(f.conn.close_idle_ns, 500000000);
	/* A goodbye in two records back to back (HTTP/2's GOAWAY, then TLS's
	 * close_notify), then the FIN: the silence before the first. */
	handshake(&f);
	feed(&f, (struct pkt[]){ at(seg(C, 101, 501, TCP_ACK | TCP_PSH, 15, 4), 10.010) });
	feed(&f, (struct pkt[]){ at(seg(S, 501, 116, TCP_ACK | TCP_PSH, 66, 5), 10.012) });
	feed(&f, (struct pkt[]){ at(seg(C, 116, 567, TCP_ACK, 0, 6), 10.013) });
	feed(&f, (struct pkt[]){ at(seg(S, 567, 116, TCP_ACK | TCP_PSH, 38, 7), 14.013) });
	feed(&f, (struct pkt[]){ at(seg(S, 605, 116, TCP_ACK | TCP_PSH, 23, 8), 14.015) });
	feed(&f, (struct pkt[]){ at(seg(S, 628, 116, TCP_ACK | TCP_FIN, 0, 9), 14.0151) });
	CHECK_EQ(f.conn.close_idle_ns, 4001000000LL);   /* from its answer at 10.012 */
	/* But a long message the other side acknowledged on its way was no
	 * goodbye: the close came right after its end. */
	handshake(&f);
	feed(&f, (struct pkt[]){ at(seg(C, 101, 501, TCP_ACK | TCP_PSH, 15, 4), 10.010) });
	feed(&f, (struct pkt[]){ at(seg(S, 501, 116, TCP_ACK | TCP_PSH, 66, 5), 10.012) });
	feed(&f, (struct pkt[]){ at(seg(C, 116, 567, TCP_ACK, 0, 6), 10.013) });
	feed(&f, (struct pkt[]){ at(seg(S, 567, 116, TCP_ACK | TCP_PSH, 38, 7), 14.013) });
	feed(&f, (struct pkt[]){ at(seg(C, 116, 605, TCP_ACK, 0, 8), 14.014) });
	feed(&f, (struct pkt[]){ at(seg(S, 605, 116, TCP_ACK | TCP_PSH, 1400, 9), 14.015) });
	feed(&f, (struct pkt[]){ at(seg(S, 2005, 116, TCP_ACK | TCP_FIN, 0, 10), 14.0151) });
	CHECK_EQ(f.conn.close_idle_ns, 100000);
	/* A goodbye's short record after the other side's bare ACK of the
	 * first is still the goodbye: at the receiver, on a long path, that
	 * ACK leaves before the next record arrives (lab.py --delay 0.1,
	 * h2-idle-goaway). */
	handshake(&f);
	feed(&f, (struct pkt[]){ at(seg(C, 101, 501, TCP_ACK | TCP_PSH, 15, 4), 10.010) });
	feed(&f, (struct pkt[]){ at(seg(S, 501, 116, TCP_ACK | TCP_PSH, 66, 5), 10.012) });
	feed(&f, (struct pkt[]){ at(seg(C, 116, 567, TCP_ACK, 0, 6), 10.013) });
	feed(&f, (struct pkt[]){ at(seg(S, 567, 116, TCP_ACK | TCP_PSH, 38, 7), 14.013) });
	feed(&f, (struct pkt[]){ at(seg(C, 116, 605, TCP_ACK, 0, 8), 14.013005) });
	feed(&f, (struct pkt[]){ at(seg(S, 605, 116, TCP_ACK | TCP_PSH, 23, 9), 14.01301) });
	feed(&f, (struct pkt[]){ at(seg(S, 628, 116, TCP_ACK | TCP_FIN, 0, 10), 14.013015) });
	CHECK_EQ(f.conn.close_idle_ns, 4001000000LL);
	/* On HTTP/2, after the client's last frame (a WINDOW_UPDATE), the
	 * server's GOAWAY-sized record after 2 s, its alert and FIN: the
	 * goodbye of nginx's keepalive_timeout, not an answer (the lab's
	 * h2-idle-goaway-after-linger-v4). Without h2, an answer. */
	for (int h2 = 0; h2 < 2; h2++) {
		handshake(&f);
		f.conn.tls.alpn = h2 ? TLS_ALPN_H2 : TLS_ALPN_NONE;
		f.conn.tls.alpn_chosen = h2;
		feed(&f, (struct pkt[]){ at(seg(C, 101, 501, TCP_ACK | TCP_PSH, 100, 4), 10.0) });
		feed(&f, (struct pkt[]){ at(seg(S, 501, 201, TCP_ACK | TCP_PSH, 98, 5), 10.01) });
		feed(&f, (struct pkt[]){ at(seg(C, 201, 599, TCP_ACK | TCP_PSH, 38, 6), 10.0101) });
		feed(&f, (struct pkt[]){ at(seg(S, 599, 239, TCP_ACK, 0, 7), 10.05) });
		feed(&f, (struct pkt[]){ at(seg(S, 599, 239, TCP_ACK | TCP_PSH, 46, 8), 12.02) });
		feed(&f, (struct pkt[]){ at(seg(S, 645, 239, TCP_ACK | TCP_PSH, 31, 9), 12.0201) });
		feed(&f, (struct pkt[]){ at(seg(S, 676, 239, TCP_ACK | TCP_FIN, 0, 10), 12.0202) });
		CHECK_EQ(f.conn.close_idle_ns, h2 ? 1970000000LL : 100000);
	}
}

/* A capture that begins at a FIN has no silence known before the close:
 * the FIN's copies sent again, and the other side's FIN, are no closing
 * event of their own (the corpus's ndpi/googledns_android10.pcap). */
static void test_close_at_capture_start(void)
{
	struct flow f;
	memset(&f, 0, sizeof f);
	feed(&f, (struct pkt[]){ at(seg(S, 501, 101, TCP_ACK | TCP_FIN, 0, 1), 10.0) });
	feed(&f, (struct pkt[]){ at(seg(S, 501, 101, TCP_ACK | TCP_FIN, 0, 2), 10.2) });
	feed(&f, (struct pkt[]){ at(seg(C, 101, 502, TCP_ACK | TCP_FIN, 0, 3), 10.3) });
	CHECK(f.conn.close_idle_ns < 0);
	/* with the connection's start seen, its first FIN sets it */
	handshake(&f);
	feed(&f, (struct pkt[]){ at(seg(S, 501, 101, TCP_ACK | TCP_FIN, 0, 4), 11.002) });
	CHECK_EQ(f.conn.close_idle_ns, 1000000000);
}

/* A request that crossed the server's FIN (seen first at a client-side
 * capture) does not end the server's idle time: it never saw it. */
static void test_crossed_close_idle(void)
{
	struct flow f;
	handshake(&f);
	feed(&f, (struct pkt[]){ at(seg(C, 101, 501, TCP_ACK | TCP_PSH, 10, 4), 10.010) });
	feed(&f, (struct pkt[]){ at(seg(S, 501, 111, TCP_ACK | TCP_PSH, 10, 5), 10.020) });
	feed(&f, (struct pkt[]){ at(seg(C, 111, 511, TCP_ACK, 0, 6), 10.021) });
	feed(&f, (struct pkt[]){ at(seg(C, 111, 511, TCP_ACK | TCP_PSH, 10, 7), 11.000) });
	feed(&f, (struct pkt[]){ at(seg(S, 511, 111, TCP_ACK | TCP_FIN, 0, 8), 11.020) });
	CHECK_EQ(f.conn.close_idle_ns, 999000000);   /* 10.021 to 11.020, not 20 ms */
	/* A FIN that acknowledges the request came after it was seen: 20 ms. */
	handshake(&f);
	feed(&f, (struct pkt[]){ at(seg(C, 101, 501, TCP_ACK | TCP_PSH, 10, 4), 10.010) });
	feed(&f, (struct pkt[]){ at(seg(S, 501, 111, TCP_ACK | TCP_PSH, 10, 5), 10.020) });
	feed(&f, (struct pkt[]){ at(seg(C, 111, 511, TCP_ACK, 0, 6), 10.021) });
	feed(&f, (struct pkt[]){ at(seg(C, 111, 511, TCP_ACK | TCP_PSH, 10, 7), 11.000) });
	feed(&f, (struct pkt[]){ at(seg(S, 511, 121, TCP_ACK | TCP_FIN, 0, 8), 11.020) });
	CHECK_EQ(f.conn.close_idle_ns, 20000000);
}

/* A keep-alive probe and its ACK are no activity for an idle close. */
static void test_keepalive_not_activity(void)
{
	struct flow f;
	int c = handshake(&f);
	feed(&f, (struct pkt[]){ at(seg(C, 101, 501, TCP_ACK | TCP_PSH, 10, 4), 10.010) });
	feed(&f, (struct pkt[]){ at(seg(S, 501, 111, TCP_ACK | TCP_PSH, 10, 5), 10.020) });
	feed(&f, (struct pkt[]){ at(seg(C, 111, 511, TCP_ACK, 0, 6), 10.021) });
	/* The client probes every 15 s; the server answers each. */
	for (int k = 1; k <= 3; k++) {
		feed(&f, (struct pkt[]){ at(seg(C, 110, 511, TCP_ACK, 0, 6 + 2 * k), 10.021 + 15 * k) });
		feed(&f, (struct pkt[]){ at(seg(S, 511, 111, TCP_ACK, 0, 7 + 2 * k), 10.022 + 15 * k) });
	}
	CHECK_EQ(f.conn.half[c].keepalives, 3);
	feed(&f, (struct pkt[]){ at(seg(S, 511, 111, TCP_ACK | TCP_FIN, 0, 14), 70.021) });
	CHECK_EQ(f.conn.close_idle_ns, 60000000000LL);  /* not 14.999 s since the last probe */
	CHECK(f.conn.max_gap_ns < 16000000000LL);        /* the wire's silences were shorter */
}

/* A new tuple's bare SYN is only recorded (tcp_track_record_syn);
 * unfolded, the record is the connection tracking that SYN would have
 * made, byte for byte, whatever the slot held before. */
static void test_syn_record(void)
{
	struct pkt syns[4];
	syns[0] = seg(C, 100, 0, TCP_SYN, 0, 1);
	syns[0].ip_id = 4321;
	syns[1] = syns[0];
	syns[1].opts.has_wscale = true;
	syns[1].opts.wscale = 7;
	syns[1].opts.layout = 0x2413;
	syns[1].ack = 77;               /* a SYN's unused ack field, kept as sent */
	syns[2] = seg(S, 0xfffffffeu, 0, TCP_SYN, 0, 9);  /* the higher endpoint opens */
	syns[2].window = 0;
	syns[2].ttl = 128;
	syns[3] = syns[1];
	syns[3].ipver = 6;
	syns[3].ip_id = 0;
	syns[3].src[15] = 1;
	for (int i = 0; i < 4; i++) {
		const struct pkt *p = &syns[i];
		struct flow direct;
		memset(&direct, 0, sizeof direct);
		tcp_track_segment(&direct, begin(&direct, p), p);

		CHECK(tcp_track_recordable(p));
		struct flow f;
		memset(&f, 0xA5, sizeof f);     /* a reused slot: its last flow's bytes */
		int dir;
		flow_key_from_pkt(p, &f.key, &dir);
		tcp_track_record_syn(&f, dir, p);
		CHECK(f.conn.syn_only);
		CHECK_EQ(f.conn.last_ts, p->ts_ns);     /* what the table ages it by */
		tcp_track_unfold_syn(&f);
		CHECK(!f.conn.syn_only);
		CHECK(memcmp(&f.conn, &direct.conn, sizeof f.conn) == 0);
		CHECK_EQ(f.conn.half[f.conn.client].last.frame, p->frame);
	}

	/* Not recordable: a SYN-ACK, a SYN with data (TCP Fast Open), a SYN
	 * with ECN's flags, an MP_FASTCLOSE, a midstream segment. */
	struct pkt others[5] = {
		seg(S, 500, 101, TCP_SYN | TCP_ACK, 0, 2),
		seg(C, 100, 0, TCP_SYN, 20, 1),
		seg(C, 100, 0, TCP_SYN | TCP_ECE | TCP_CWR, 0, 1),
		seg(C, 100, 0, TCP_SYN, 0, 1),
		seg(C, 101, 501, TCP_ACK, 10, 4),
	};
	others[3].opts.mptcp = MPTCP_FASTCLOSE;
	for (int i = 0; i < 5; i++)
		CHECK(!tcp_track_recordable(&others[i]));
}

/* A TLS record of type `type` whose body is n bytes of body (or zeros). */
static size_t record(uint8_t *out, uint8_t type, const uint8_t *body, size_t n)
{
	out[0] = type;
	out[1] = 3;
	out[2] = 3;
	out[3] = (uint8_t)(n >> 8);
	out[4] = (uint8_t)n;
	if (body)
		memcpy(out + 5, body, n);
	else
		memset(out + 5, 0, n);
	return n + 5;
}

/* A hello handshake message (type 1 or 2) with one supported_versions
 * extension naming 0x0304, its body at out. */
static size_t hello(uint8_t *out, uint8_t type)
{
	uint8_t *p = out;
	*p++ = type;
	uint8_t *len = p;
	p += 3;
	*p++ = 3;
	*p++ = 3;                           /* legacy_version */
	memset(p, 7, 32);
	p += 32;                            /* random */
	*p++ = 0;                           /* legacy_session_id */
	if (type == 1) {
		*p++ = 0; *p++ = 2; *p++ = 0x13; *p++ = 0x01;   /* cipher_suites */
		*p++ = 1; *p++ = 0;                             /* compression */
		*p++ = 0; *p++ = 7;                             /* extensions */
		*p++ = 0; *p++ = 43; *p++ = 0; *p++ = 3; *p++ = 2; *p++ = 3; *p++ = 4;
	} else {
		*p++ = 0x13; *p++ = 0x01; *p++ = 0;             /* cipher_suite, compression */
		*p++ = 0; *p++ = 6;
		*p++ = 0; *p++ = 43; *p++ = 0; *p++ = 2; *p++ = 3; *p++ = 4;
	}
	size_t n = (size_t)(p - out) - 4;
	len[0] = 0;
	len[1] = (uint8_t)(n >> 8);
	len[2] = (uint8_t)n;
	return (size_t)(p - out);
}

/*
 * TLS 1.3 (RFC 8446): the server's flight is its ServerHello, then a
 * compatibility ChangeCipherSpec and its encrypted handshake as
 * application data records; the client answers with its own CCS and its
 * Finished, also application data. None of that is a request: the
 * handshake ends with the client's Finished, and its first record after
 * is the request (the corpus's ndpi/dingtalk.pcap took the Finished for
 * one, its client closing right after it).
 */
static void test_tls13_handshake_is_no_request(void)
{
	struct flow f;
	uint8_t ch[256], sh[512], body[128], seg2[1024];
	size_t n = hello(body, 1);
	size_t chn = record(ch, 22, body, n);
	int c = handshake(&f);
	struct pkt p = at(seg(C, 101, 501, TCP_ACK | TCP_PSH, 0, 4), 10.01);
	p.payload = ch;
	p.payload_len = p.payload_caplen = (uint32_t)chn;
	feed(&f, &p);
	CHECK_EQ(f.conn.tls.stage, TLS_STAGE_CLIENT_HELLO);
	/* ServerHello, CCS, and 4 records of encrypted handshake. */
	size_t m = record(sh, 22, body, hello(body, 2));
	m += record(sh + m, 20, (const uint8_t[]){ 1 }, 1);
	for (int i = 0; i < 4; i++)
		m += record(sh + m, 23, NULL, 60);
	uint32_t cseq = 101 + (uint32_t)chn;
	p = at(seg(S, 501, cseq, TCP_ACK | TCP_PSH, 0, 5), 10.02);
	p.payload = sh;
	p.payload_len = p.payload_caplen = (uint32_t)m;
	feed(&f, &p);
	CHECK_EQ(f.conn.tls.stage, TLS_STAGE_SERVER_HELLO);
	CHECK_EQ(tls_note_version(f.conn.tls.version), 0x0304);
	/* The client's CCS and Finished. */
	size_t k = record(seg2, 20, (const uint8_t[]){ 1 }, 1);
	k += record(seg2 + k, 23, NULL, 53);
	uint32_t sseq = 501 + (uint32_t)m;
	p = at(seg(C, cseq, sseq, TCP_ACK | TCP_PSH, 0, 6), 10.03);
	p.payload = seg2;
	p.payload_len = p.payload_caplen = (uint32_t)k;
	feed(&f, &p);
	CHECK_EQ(f.conn.tls.stage, TLS_STAGE_ESTABLISHED);
	CHECK_EQ(f.conn.request.frame, 0);
	/* Its next record is the request. */
	size_t r = record(seg2, 23, NULL, 200);
	p = at(seg(C, cseq + (uint32_t)k, sseq, TCP_ACK | TCP_PSH, 0, 7), 10.04);
	p.payload = seg2;
	p.payload_len = p.payload_caplen = (uint32_t)r;
	feed(&f, &p);
	CHECK_EQ(f.conn.request.frame, 7);
	(void)c;
}

/*
 * A response and the server's close_notify written together: application
 * data, then an alert record, in one segment (the corpus's
 * ndpi/webex.pcap 212 and 421). The alert ends the server's records as
 * one alone would; data from it afterwards clears that again.
 */
static void test_tls_alert_after_data(void)
{
	struct flow f;
	uint8_t seg1[512];
	int c = handshake(&f);
	f.conn.tls.stage = TLS_STAGE_ESTABLISHED;
	size_t m = record(seg1, 23, NULL, 300);
	m += record(seg1 + m, 21, NULL, 26);        /* encrypted: level unreadable */
	struct pkt p = at(seg(S, 501, 101, TCP_ACK | TCP_PSH, 0, 4), 10.02);
	p.payload = seg1;
	p.payload_len = p.payload_caplen = (uint32_t)m;
	feed(&f, &p);
	CHECK_EQ(f.conn.tls.alert_from, ROLE_SERVER + 1);
	CHECK_EQ(f.conn.tls.alert, TLS_ALERT_ENCRYPTED);
	CHECK(f.conn.tls.alert_last);
	/* In clear: its description is read from the last record too. */
	m = record(seg1, 23, NULL, 300);
	m += record(seg1 + m, 21, (const uint8_t[]){ 1, 0 }, 2);
	p = at(seg(S, 501 + 336, 101, TCP_ACK | TCP_PSH, 0, 5), 10.03);
	p.payload = seg1;
	p.payload_len = p.payload_caplen = (uint32_t)m;
	feed(&f, &p);
	CHECK_EQ(f.conn.tls.alert, 0 + 1);      /* close_notify */
	/* The server goes on with data: its alert is no longer its last. */
	m = record(seg1, 23, NULL, 100);
	p = at(seg(S, 501 + 336 + 312, 101, TCP_ACK | TCP_PSH, 0, 6), 10.04);
	p.payload = seg1;
	p.payload_len = p.payload_caplen = (uint32_t)m;
	feed(&f, &p);
	CHECK(!f.conn.tls.alert_last);
	(void)c;
}

/* The client's first ACK may acknowledge data and a FIN the server sent
 * right after its SYN-ACK: it completes the handshake all the same, but
 * only an ACK of the SYN-ACK alone times the handshake. */
static void test_handshake_ack_covers_data(void)
{
	struct flow f;
	memset(&f, 0, sizeof f);
	feed(&f, (struct pkt[]){ at(seg(C, 100, 0, TCP_SYN, 0, 1), 10.0) });
	feed(&f, (struct pkt[]){ at(seg(S, 500, 101, TCP_SYN | TCP_ACK, 0, 2), 10.003) });
	feed(&f, (struct pkt[]){ at(seg(S, 501, 101, TCP_ACK | TCP_PSH, 85, 3), 10.003) });
	feed(&f, (struct pkt[]){ at(seg(S, 586, 101, TCP_ACK | TCP_FIN, 0, 4), 10.003) });
	/* An ACK beyond what the server sent completes nothing. */
	feed(&f, (struct pkt[]){ at(seg(C, 101, 900, TCP_ACK, 0, 5), 10.0034) });
	CHECK(!f.conn.established);
	feed(&f, (struct pkt[]){ at(seg(C, 101, 587, TCP_ACK, 0, 6), 10.0035) });
	CHECK(f.conn.established);
	CHECK_EQ(f.conn.hs_ack_ts, 0);
	/* The ACK of the SYN-ACK alone is timed. */
	memset(&f, 0, sizeof f);
	feed(&f, (struct pkt[]){ at(seg(C, 100, 0, TCP_SYN, 0, 1), 10.0) });
	feed(&f, (struct pkt[]){ at(seg(S, 500, 101, TCP_SYN | TCP_ACK, 0, 2), 10.003) });
	feed(&f, (struct pkt[]){ at(seg(C, 101, 501, TCP_ACK, 0, 3), 10.0035) });
	CHECK(f.conn.established);
	CHECK(f.conn.hs_ack_ts != 0);
}

int main(void)
{
	test_rst_take();
	test_handshake_ack_covers_data();
	test_tls13_handshake_is_no_request();
	test_tls_alert_after_data();
	test_syn_record();
	test_farewell_idle();
	test_app_idle();
	test_close_at_capture_start();
	test_keepalive_not_activity();
	test_crossed_close_idle();
	test_seq();
	test_connection(1000, 50000);
	test_connection(0xffffff00u, 0xfffffff0u);   /* both directions wrap mid-connection */
	test_forms();
	test_role_guess();
	test_fin_below_data();
	test_midstream_probes();
	test_run_trigger();
	test_http_framing();
	test_http_headers();
	test_http_connect_tunnel();
	test_goodbye_kept();
	test_rtsp_session_timeout();
	test_http_header_names();
	test_http_connection_tokens();
	return check_report("test_track");
}
