/*
 * rst_bursts: the RSTs each address sends in bursts, across its connections.
 *
 * An application that exits, drops its connection pool or loses its
 * network closes every connection it holds at once, and those it closes
 * abortively (SO_LINGER 0, or data still unread: RFC 2525 2.17) leave as
 * a burst of RSTs from one address within milliseconds (the corpus's
 * ndpi/webex.pcap 444-454: 7 connections in 9.5 ms; signal.pcap 168-170:
 * 3 in 32 us). One connection's RST cannot show that; the burst shows
 * across connections, which this table keeps: per address, its last
 * bursts, a burst being RSTs each at most
 * RST_BURST_GAP_NS after the one before it and all within
 * RST_BURST_SPAN_NS of the first.
 *
 * Every RST that may be an abort is noted, of every shard (--shard
 * follows all connections),
 * and its burst read when its verdict is reported, its settle time later:
 * then the burst has ended, and each shard reads what one run reads.
 * Bounded: RST_BURST_SLOTS addresses, a newer address taking a colliding
 * one's slot, allocated on the first note.
 */
#ifndef RSTDIAG_RST_BURSTS_H
#define RSTDIAG_RST_BURSTS_H

#include <stdbool.h>
#include <stdint.h>

#include "packet.h"

#define RST_BURST_SLOTS 1024u
#define RST_BURST_GAP_NS 10000000LL     /* 10 ms */
#define RST_BURST_SPAN_NS 100000000LL   /* 100 ms */

struct rst_bursts;

struct rst_bursts *rst_bursts_new(void);
void rst_bursts_free(struct rst_bursts *t);

/* A burst of an address's RSTs. */
struct rst_burst {
	uint64_t first_frame, last_frame;
	int64_t first_ts, last_ts;
	uint32_t connections;       /* counted as they change from one RST to the next */
	uint32_t last_conn;
};

/*
 * Whether RST p may be an abort, which a burst is made of: not a RST+ACK
 * with seq 0, which stacks send only to refuse a SYN (RFC 9293 3.10.7.1).
 * A SYN scan's refusals are not noted. A bare RST may be either: a reply
 * takes the answered segment's ack as its seq, but some stacks abort
 * with one too (the corpus's signal.pcap 168-170).
 */
static inline bool rst_bursts_may_abort(const struct pkt *p)
{
	return p->seq != 0 || !(p->flags & TCP_ACK);
}

/*
 * A RST from addr (in context, as host_context makes it), on the
 * connection whose flow hash is conn; returns the first frame of the burst
 * it joined (its own frame when it begins one).
 */
uint64_t rst_bursts_note(struct rst_bursts *t, const uint8_t addr[16], uint32_t context,
			 uint64_t frame, int64_t ts_ns, uint32_t conn);

/* The burst of addr that began at first_frame, if still kept: into *out. */
bool rst_bursts_get(const struct rst_bursts *t, const uint8_t addr[16], uint32_t context,
		    uint64_t first_frame, struct rst_burst *out);

#endif
