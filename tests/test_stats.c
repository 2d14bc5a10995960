/* Unit tests of the capture-point vote from handshake timing. */
#include <string.h>

#include "check.h"
#include "cause.h"
#include "stats.h"

#define MS 1000000LL


/* --kernel-reasons' table fits every (kernel reason, cause) pair the lab's
 * labels hold, each the kernel's own reason (testdata/lab/labels.json). */
static void test_kernel_reason_table(void)
{
	static const struct {
		const char *reason;
		enum cause cause;
	} lab[] = {
		{ "INVALID_SYN", CAUSE_HANDSHAKE_ABORT },
		{ "NO_SOCKET", CAUSE_CLOSED_PORT },
		{ "NO_SOCKET", CAUSE_CONNECT_TIMEOUT },
		{ "NO_SOCKET", CAUSE_LINGER_ABORT },
		{ "NO_SOCKET", CAUSE_PEER_LOST_STATE },
		{ "NO_SOCKET", CAUSE_RESET_FOLLOWUP },
		{ "TCP_ABORT_ON_CLOSE", CAUSE_LINGER_ABORT },
		{ "TCP_ABORT_ON_CLOSE", CAUSE_UNREAD_RECV_BUFFER },
		{ "TCP_ABORT_ON_DATA", CAUSE_DATA_AFTER_FIN },
		{ "TCP_FLAGS", CAUSE_INVALID_SEGMENT },
		{ "TCP_FLAGS", CAUSE_RESET_FOLLOWUP },
		{ "TCP_INVALID_ACK_SEQUENCE", CAUSE_TIMEWAIT_REUSE },
		{ "TCP_KEEPALIVE_TIMEOUT", CAUSE_KEEPALIVE_TIMEOUT },
		{ "TCP_STATE", CAUSE_HANDSHAKE_ABORT },
		{ "TCP_STATE", CAUSE_LINGER_ABORT },
		{ "TCP_STATE", CAUSE_RESPONSE_TIMEOUT },
		{ "TCP_STATE", CAUSE_RETRANSMIT_TIMEOUT },
		{ "TCP_STATE", CAUSE_UNKNOWN },
		{ "TCP_TIMEWAIT_SOCKET", CAUSE_DATA_AFTER_FIN },
	};
	for (size_t i = 0; i < sizeof lab / sizeof lab[0]; i++)
		CHECK(cause_fits_kernel_reason(lab[i].cause, lab[i].reason));
	/* A reason that names its situation rules others out. */
	CHECK(!cause_fits_kernel_reason(CAUSE_CLOSED_PORT, "TCP_KEEPALIVE_TIMEOUT"));
	CHECK(!cause_fits_kernel_reason(CAUSE_UNREAD_RECV_BUFFER, "NO_SOCKET"));
	CHECK(cause_fits_kernel_reason(CAUSE_INJECTED, "NOT_SPECIFIED"));
	CHECK(cause_fits_kernel_reason(CAUSE_INJECTED, NULL));
}

int main(void)
{
	test_kernel_reason_table();
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
