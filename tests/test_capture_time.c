/* Unit tests of libpcap packet times turned into nanoseconds. */
#include <pcap/pcap.h>

#include "capture.h"
#include "check.h"

#define S 1000000000LL

int main(void)
{
	/* A handle with nanosecond precision: tv_usec holds nanoseconds. */
	struct timeval tv = { .tv_sec = 1700000000, .tv_usec = 123456789 };
	CHECK_EQ(capture_packet_time(&tv, PCAP_TSTAMP_PRECISION_NANO), 1700000000 * S + 123456789);

	/* A live device that kept microseconds: the fraction is microseconds,
	 * not nanoseconds (it was read as such before, 1000 times too small). */
	tv.tv_usec = 123456;
	CHECK_EQ(capture_packet_time(&tv, PCAP_TSTAMP_PRECISION_MICRO), 1700000000 * S + 123456000);
	CHECK_EQ(capture_packet_time(&tv, PCAP_TSTAMP_PRECISION_NANO), 1700000000 * S + 123456);

	/* Out of range, either way: held to [0, INT64_MAX / 2]. */
	tv.tv_sec = -1;
	tv.tv_usec = 0;
	CHECK_EQ(capture_packet_time(&tv, PCAP_TSTAMP_PRECISION_MICRO), 0);
	tv.tv_sec = INT64_MAX / S;
	CHECK_EQ(capture_packet_time(&tv, PCAP_TSTAMP_PRECISION_MICRO), INT64_MAX / 2);
	CHECK_EQ(capture_packet_time(&tv, PCAP_TSTAMP_PRECISION_NANO), INT64_MAX / 2);
	return check_report("test_capture_time");
}
