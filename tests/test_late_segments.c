/*
 * Unit tests of late_segments (late_segments.h): a client that writes on
 * after the server's FIN, and the server's RSTs that answer its segments
 * one each, all with the same seq (the corpus's ndpi/ethereum.pcap
 * 241-251). Each RST is paired with the next segment in turn, never with
 * the bare ACK before them; the log forgets what it cannot hold, and one
 * connection's segments are never another's.
 */
#include <string.h>

#include "check.h"
#include "classify.h"
#include "flowbuild.h"
#include "late_segments.h"

/* Judges and tracks p as the pipeline does (pipeline.c, follow_segment). */
static void judge(struct flow *f, struct late_segments *log, const struct pkt *p,
		  struct verdict *v)
{
	struct flow_key k;
	int dir;
	flow_key_from_pkt(p, &k, &dir);
	if (p->flags & TCP_RST) {
		classify_rst(f, dir, p, NULL, 0, log->n ? late_segments_next(log, f, dir) : NULL, 0, v);
		if (log->n)
			late_segments_answered(log, f, dir, v->trigger.frame);
	}
	if (tcp_track_segment(f, dir, p))
		late_segments_note(log, f, dir, p);
}

/* The server's 30 bytes and FIN (frames 4, 5), the client's ACK of them
 * (6), then its 10, 5 and 1 bytes and its FIN (7-10), all acknowledging
 * 532: the closed server's RSTs to come all carry seq 532. */
static void write_after_fin(struct flow *f, struct late_segments *log)
{
	struct verdict v;
	handshake(f);
	f->hash = 7;
	judge(f, log, (struct pkt[]){ at(seg(S, 501, 101, TCP_ACK | TCP_PSH, 30, 4), 10.003) }, &v);
	judge(f, log, (struct pkt[]){ at(seg(S, 531, 101, TCP_ACK | TCP_FIN, 0, 5), 10.004) }, &v);
	judge(f, log, (struct pkt[]){ at(seg(C, 101, 532, TCP_ACK, 0, 6), 10.005) }, &v);
	judge(f, log, (struct pkt[]){ at(seg(C, 101, 532, TCP_ACK | TCP_PSH, 10, 7), 10.006) }, &v);
	judge(f, log, (struct pkt[]){ at(seg(C, 111, 532, TCP_ACK | TCP_PSH, 5, 8), 10.007) }, &v);
	judge(f, log, (struct pkt[]){ at(seg(C, 116, 532, TCP_ACK | TCP_PSH, 1, 9), 10.008) }, &v);
	judge(f, log, (struct pkt[]){ at(seg(C, 117, 532, TCP_ACK | TCP_FIN, 0, 10), 10.009) }, &v);
}

static void test_in_order(void)
{
	struct flow f;
	struct late_segments log;
	memset(&log, 0, sizeof log);
	write_after_fin(&f, &log);
	/* Logged: the client's ACK, data and FIN after the server's FIN. */
	CHECK_EQ(log.n, 5);
	struct verdict v;
	/* The first RST answers the first data (its run's first segment). */
	judge(&f, &log, (struct pkt[]){ at(seg(S, 532, 0, TCP_RST, 0, 11), 10.070) }, &v);
	CHECK_EQ(v.trigger.frame, 7);
	CHECK_EQ(v.cause, CAUSE_DATA_AFTER_FIN);
	/* Each later one the next segment: not the client's last (its FIN),
	 * and never the bare ACK before the data, which drew no RST. */
	uint64_t want[] = { 8, 9, 10 };
	for (int i = 0; i < 3; i++) {
		judge(&f, &log, (struct pkt[]){ at(seg(S, 532, 0, TCP_RST, 0, 12 + (uint64_t)i),
						   10.071 + 0.001 * i) }, &v);
		CHECK_EQ(v.trigger.frame, want[i]);
		CHECK_EQ(v.cause, CAUSE_RESET_FOLLOWUP);
	}
	/* All answered: a fifth RST has no late segment left. */
	struct flow_key k;
	int dir;
	struct pkt fifth = at(seg(S, 532, 0, TCP_RST, 0, 15), 10.080);
	flow_key_from_pkt(&fifth, &k, &dir);
	CHECK(late_segments_next(&log, &f, dir) == NULL);
}

static void test_bounded(void)
{
	struct flow f, other;
	struct late_segments log;
	memset(&log, 0, sizeof log);
	write_after_fin(&f, &log);
	struct verdict v;
	judge(&f, &log, (struct pkt[]){ at(seg(S, 532, 0, TCP_RST, 0, 11), 10.070) }, &v);
	struct flow_key k;
	int server;
	struct pkt rst = at(seg(S, 532, 0, TCP_RST, 0, 12), 10.071);
	flow_key_from_pkt(&rst, &k, &server);
	const struct seg_note *next = late_segments_next(&log, &f, server);
	CHECK(next && next->frame == 8);
	/* The same flow's slot under another hash (released and reused by
	 * another tuple) is not the connection the segments were logged for. */
	uint32_t hash = f.hash;
	f.hash = hash + 1;
	CHECK(late_segments_next(&log, &f, server) == NULL);
	f.hash = hash;
	/* Nor is another flow. */
	other = f;
	CHECK(late_segments_next(&log, &other, server) == NULL);
	/* Another connection's late segments fill the log: the oldest are
	 * forgotten, and the RST is paired by its numbers alone. */
	for (uint32_t i = 0; i < LATE_SEGMENTS; i++) {
		struct pkt p = at(seg(C, 200 + i, 900, TCP_ACK | TCP_PSH, 1, 100 + i), 11.0);
		other.conn.half[1 - server].flags |= HALF_F_FIN;
		late_segments_note(&log, &other, 1 - server, &p);
	}
	CHECK(late_segments_next(&log, &f, server) == NULL);
	/* Marking a frame the log no longer holds changes nothing. */
	late_segments_answered(&log, &f, server, 8);
	CHECK_EQ(log.n, 5 + LATE_SEGMENTS);
}

/* No RST from the side before: its first RST is paired by its numbers,
 * and the log is not asked. A RST itself is never logged. */
static void test_first_and_rst(void)
{
	struct flow f;
	struct late_segments log;
	memset(&log, 0, sizeof log);
	write_after_fin(&f, &log);
	struct flow_key k;
	int server;
	struct pkt rst = at(seg(S, 532, 0, TCP_RST, 0, 11), 10.070);
	flow_key_from_pkt(&rst, &k, &server);
	CHECK(late_segments_next(&log, &f, server) == NULL);
	struct pkt crst = at(seg(C, 118, 0, TCP_RST, 0, 12), 10.071);
	late_segments_note(&log, &f, 1 - server, &crst);
	CHECK_EQ(log.n, 5);
}

int main(void)
{
	test_in_order();
	test_bounded();
	test_first_and_rst();
	return check_report("test_late_segments");
}
