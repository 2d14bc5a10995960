/* Unit tests of the capture-point vote from handshake timing. */
#include <string.h>

#include "check.h"
#include "stats.h"

#define MS 1000000LL

int main(void)
{
	struct handshake_votes h;
	char ev[256];

	memset(&h, 0, sizeof h);
	CHECK_EQ(stats_capture_point(&h), POINT_UNKNOWN);
	stats_capture_point_evidence(&h, ev, sizeof ev);
	CHECK(strcmp(ev, "no complete handshake seen") == 0);

	/* Near the client: the SYN-ACK takes the round trip, the ACK is immediate. */
	stats_vote_handshake(&h, 40 * MS, MS / 20);
	stats_vote_handshake(&h, 38 * MS, MS / 10);
	CHECK_EQ(stats_capture_point(&h), POINT_CLIENT);
	/* One server-side vote does not outweigh two client-side ones. */
	stats_vote_handshake(&h, MS / 10, 30 * MS);
	CHECK_EQ(stats_capture_point(&h), POINT_CLIENT);
	stats_capture_point_evidence(&h, ev, sizeof ev);
	CHECK(strstr(ev, "3 handshakes") != NULL);

	/* A leg of more than 180 s is broken time stamps, not a handshake: no
	 * vote, and none of the sums can overflow (the fuzzer's 90 years). */
	memset(&h, 0, sizeof h);
	stats_vote_handshake(&h, MS, 181000 * MS);
	stats_vote_handshake(&h, 2816364793492440297LL, MS);
	CHECK_EQ(h.votes[POINT_CLIENT] + h.votes[POINT_SERVER] + h.votes[POINT_MIDDLE] +
		 h.votes[POINT_UNKNOWN], 0);
	CHECK_EQ(h.sum_syn_synack_ns, 0);

	/* Near the server, in the middle, and too fast to tell. */
	memset(&h, 0, sizeof h);
	stats_vote_handshake(&h, MS / 10, 30 * MS);
	CHECK_EQ(stats_capture_point(&h), POINT_SERVER);
	memset(&h, 0, sizeof h);
	stats_vote_handshake(&h, 20 * MS, 15 * MS);
	CHECK_EQ(stats_capture_point(&h), POINT_MIDDLE);
	memset(&h, 0, sizeof h);
	stats_vote_handshake(&h, MS / 25, MS / 50);
	CHECK_EQ(stats_capture_point(&h), POINT_UNKNOWN);
	CHECK_EQ(h.votes[POINT_UNKNOWN], 1);
	/* A LAN handshake does not outvote a real one. */
	stats_vote_handshake(&h, MS / 25, MS / 50);
	stats_vote_handshake(&h, 50 * MS, MS / 10);
	CHECK_EQ(stats_capture_point(&h), POINT_CLIENT);
	/* Time going backwards casts no vote. */
	memset(&h, 0, sizeof h);
	stats_vote_handshake(&h, -5, 10 * MS);
	CHECK_EQ(stats_capture_point(&h), POINT_UNKNOWN);
	CHECK_EQ(h.votes[POINT_SERVER] + h.votes[POINT_UNKNOWN], 0);
	return check_report("test_stats");
}
