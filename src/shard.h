/*
 * shard: which of N processes analyses a connection (--shard K/N).
 *
 * TCP connections are independent, so a capture splits by connection:
 * shard K of N analyses the connections whose key hashes to K, and
 * rstdiag --merge puts the shards' JSON Lines back together. The hash is
 * fixed, not the run's random seed, so N processes on N machines agree
 * without talking: FNV-1a (64-bit) over the connection's key written out
 * byte by byte (shard_hash), modulo N. Both directions of a connection
 * give one key, so every packet of it lands in the same shard.
 *
 * A frame that is not a TCP segment (or cannot be decoded as one)
 * belongs to shard 0, so every frame is counted by exactly one shard and
 * the shards' counters add up to one run's.
 */
#ifndef RSTDIAG_SHARD_H
#define RSTDIAG_SHARD_H

#include <stdbool.h>
#include <stdint.h>

#include "flow.h"

#define SHARD_MAX 1024u

struct shard {
	uint32_t k, n;      /* this process analyses shard k of n; n == 0: no sharding */
};

/*
 * FNV-1a 64 over, in this order: the IP version (1 byte); the lower
 * endpoint's address (4 bytes for IPv4, 16 for IPv6, network order) and
 * port (2 bytes, big-endian); the higher endpoint's address and port; the
 * tunnel context (2 bytes, big-endian; 0 outside a tunnel, else the
 * number rstdiag gives each distinct tunnel path in frame order, the
 * same in every process reading the same inputs). Lower means the
 * smaller address bytes, then the smaller port.
 */
uint64_t shard_hash(const struct flow_key *k);

/* Whether this process analyses the connection of key k. */
static inline bool shard_owns(const struct shard *s, const struct flow_key *k)
{
	return s->n == 0 || shard_hash(k) % s->n == s->k;
}

/* "K/N" with 0 <= K < N <= SHARD_MAX. */
bool shard_parse(const char *text, struct shard *s);

#endif
