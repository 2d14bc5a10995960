/*
 * stray_acks: which endpoints opened new tuples with a bare ACK, and at
 * how many destinations. A connection's first captured segment is often
 * an ACK when the capture joined it mid-stream, each from its own source
 * port; an ACK scan (nmap -sA: a raw socket's bare ACKs, no connection
 * behind them) sends them from one source port to port after port, or
 * host after host. A host answers each with the same reply-form RST
 * whether the port listens or not (RFC 9293 3.10.7.1 and 3.10.7.2), so
 * one such RST cannot tell a probe from a connection the capture joined
 * late; the scan shows across the tuples, which this table keeps.
 *
 * Every tuple's first segment is noted, of every shard (--shard reads
 * all packets), so each shard reads the same counts at the same capture
 * time as one run. Bounded: STRAY_ACK_SLOTS entries of 16 bytes,
 * allocated on the first note, one per endpoint hash (a newer endpoint
 * takes a colliding one's slot).
 */
#ifndef RSTDIAG_STRAY_ACKS_H
#define RSTDIAG_STRAY_ACKS_H

#include <stdint.h>

#define STRAY_ACK_SLOTS 4096u

struct stray_acks;

struct stray_acks *stray_acks_new(void);
void stray_acks_free(struct stray_acks *t);
/*
 * A new tuple's first segment, a bare ACK, from src:sport (in context, as
 * host_context makes it) to dst:dport.
 */
void stray_acks_note(struct stray_acks *t, const uint8_t src[16], uint16_t sport, uint32_t context,
		     const uint8_t dst[16], uint16_t dport);
/*
 * How many destinations src:sport sent such ACKs to, counting each one
 * that differed from the one before it (saturates at 255); 0 none noted.
 */
unsigned stray_acks_targets(const struct stray_acks *t, const uint8_t src[16], uint16_t sport,
			    uint32_t context);

#endif
