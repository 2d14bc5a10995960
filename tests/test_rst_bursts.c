/*
 * Unit tests of rst_bursts (rst_bursts.h): RSTs of one address each
 * within 10 ms of the one before and within 100 ms of the first make one
 * burst; a connection's follow-ups count once; other addresses and a
 * slower pace begin bursts of their own; the last bursts stay readable.
 */
#include <string.h>

#include "check.h"
#include "rst_bursts.h"

#define MS 1000000LL

static const uint8_t A[16] = { 10, 8, 0, 1 }, B[16] = { 10, 8, 0, 2 };

int main(void)
{
	struct rst_bursts *t = rst_bursts_new();
	struct rst_burst b;
	CHECK(!rst_bursts_get(t, A, 0, 444, &b));
	/* webex.pcap's: 444-448 one each, 450 and 451 on one connection, 454. */
	static const struct { uint64_t frame; double ms; uint32_t conn; } r[] = {
		{ 444, 0.0, 1 }, { 445, 0.9, 2 }, { 446, 1.7, 3 }, { 447, 2.5, 4 },
		{ 448, 3.4, 5 }, { 450, 5.7, 6 }, { 451, 6.1, 6 }, { 454, 9.5, 7 },
	};
	for (size_t i = 0; i < sizeof r / sizeof r[0]; i++) {
		CHECK_EQ(rst_bursts_note(t, A, 0, r[i].frame, 14000 * MS + (int64_t)(r[i].ms * MS),
					 r[i].conn), 444);
		/* Another address between them: its own burst. */
		CHECK_EQ(rst_bursts_note(t, B, 0, r[i].frame + 1000, 14000 * MS, 9), 1444);
	}
	CHECK(rst_bursts_get(t, A, 0, 444, &b));
	CHECK_EQ(b.connections, 7);
	CHECK_EQ(b.last_frame, 454);
	CHECK_EQ(b.last_ts - b.first_ts, (int64_t)(9.5 * MS));
	CHECK(!rst_bursts_get(t, A, 7, 444, &b));      /* another context: another address */
	/* 11 ms after the last: a new burst; so is one past 100 ms of its
	 * first, even with each step under 10 ms. */
	CHECK_EQ(rst_bursts_note(t, A, 0, 500, 14000 * MS + 20 * MS + MS / 2, 8), 500);
	uint64_t first = 600;
	for (int i = 0; i < 13; i++)
		first = rst_bursts_note(t, A, 0, 600 + (uint64_t)i, 15000 * MS + i * 9 * MS, 20 + i);
	CHECK_EQ(first, 612);                   /* 99 ms in, then 108: a new one */
	CHECK(rst_bursts_get(t, A, 0, 600, &b));
	CHECK_EQ(b.connections, 12);
	/* Kept: the last 4 bursts of an address. */
	CHECK(rst_bursts_get(t, A, 0, 444, &b));
	CHECK_EQ(rst_bursts_note(t, A, 0, 700, 16000 * MS, 40), 700);
	CHECK(!rst_bursts_get(t, A, 0, 444, &b));
	CHECK(rst_bursts_get(t, A, 0, 500, &b));
	/* Times that go backwards begin a burst of their own. */
	CHECK_EQ(rst_bursts_note(t, A, 0, 701, 16000 * MS - 1, 41), 701);
	rst_bursts_free(t);

	/* A SYN's refusal is no abort; a bare RST or a RST+ACK with a seq may be. */
	struct pkt p = { .flags = TCP_RST | TCP_ACK, .seq = 0 };
	CHECK(!rst_bursts_may_abort(&p));
	p.seq = 5;
	CHECK(rst_bursts_may_abort(&p));
	p.flags = TCP_RST;
	p.seq = 0;
	CHECK(rst_bursts_may_abort(&p));
	return check_report("test_rst_bursts");
}
