/*
 * late_segments: what one side of a connection sent after the other had
 * closed or reset it, each such segment kept until a RST answers it.
 *
 * A socket that is gone answers every segment that reaches it with one
 * RST (RFC 9293 3.10.7.1: "any incoming segment ... causes a RST to be
 * sent in response"; Linux tcp_v4_rcv's no_tcp_socket path,
 * tcp_v4_send_reset, once a segment). A client that keeps writing after
 * the server's FIN sends a run of segments; the first reaches the closed
 * socket (TCP_ABORT_ON_DATA), every later one no socket at all, and the
 * RSTs come back one a segment, in the order the segments left. Seen at
 * the client, a round trip separates the two runs, and every RST of the
 * second carries the same seq, the ack all the segments carried: its
 * numbers cannot tell which segment it answers (the corpus's
 * ndpi/ethereum.pcap 241-251 answer 127-139 in turn). Its place in the
 * run can: the next segment after the one the RST before answered.
 *
 * So each segment, RSTs aside, from a side whose peer has sent a FIN or a
 * RST is logged here (a few a connection in ordinary traffic: the closing
 * handshake), and each RST's trigger marked answered. A later RST of the
 * closed side that cannot be paired by its numbers alone takes the
 * oldest segment not yet answered after the newest one that was.
 * Bounded: the last LATE_SEGMENTS segments of all connections.
 */
#ifndef RSTDIAG_LATE_SEGMENTS_H
#define RSTDIAG_LATE_SEGMENTS_H

#include <stdbool.h>
#include <stdint.h>

#include "flow.h"
#include "packet.h"

#define LATE_SEGMENTS 256u

struct late_segment {
	struct seg_note seg;
	const struct flow *flow;    /* with hash: a released flow's slot may be reused */
	uint32_t hash;
	int8_t dir;                 /* the sender's endpoint */
	bool answered;              /* a RST's trigger */
};

struct late_segments {
	struct late_segment s[LATE_SEGMENTS];
	uint32_t n;                 /* logged in all; the newest LATE_SEGMENTS are kept */
};

/* Segment p from endpoint dir of f, just tracked: logged if it is no RST
 * and the other endpoint has sent a FIN or a RST. Out of line: called
 * only once a connection has begun to close (conn.first_closer). */
void late_segments_note(struct late_segments *log, const struct flow *f, int dir,
			const struct pkt *p);

/*
 * For a RST from endpoint dir of f, which has sent one before (NULL
 * otherwise: its first RST answers by its numbers alone): the other
 * endpoint's oldest logged segment not yet answered, after its newest one
 * that was, or NULL. Only segments since dir began to close (its FIN or
 * its first RST) are looked at.
 */
const struct seg_note *late_segments_next(const struct late_segments *log, const struct flow *f,
					  int dir);

/* A RST from endpoint dir of f answered the segment at frame `trigger`
 * (0: none): marked, if it is logged. */
void late_segments_answered(struct late_segments *log, const struct flow *f, int dir,
			    uint64_t trigger);

#endif
