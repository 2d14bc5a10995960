/*
 * host_table: what the capture showed of each host across its
 * connections, so a RST that is the first packet of its sender on its own
 * connection (every closed port) can still be compared with that host's
 * other packets.
 *
 * Per address, in its context (the tunnel identity, and the capture
 * interface: a router's two sides see one host at two TTLs), the
 * distinct TTLs or hop limits of
 * the first segment of each of its connections (up to HOST_TTLS; RSTs are
 * never noted: they are what is judged), and how many connections showed
 * one. Memory is bounded: HOST_TABLE_SLOTS entries of 32 bytes (512 KiB), allocated
 * on the first note; when a neighbourhood of the table is full the host
 * seen least often there makes room.
 */
#ifndef RSTDIAG_HOST_TABLE_H
#define RSTDIAG_HOST_TABLE_H

#include <stdbool.h>
#include <stdint.h>

#define HOST_TTLS 4
#define HOST_TABLE_SLOTS 16384u

/* One host's profile, as the judge reads it. */
struct host_profile {
	uint8_t ttl[HOST_TTLS];     /* distinct TTLs, in the order first seen */
	uint8_t n_ttl;
	uint16_t connections;       /* halves that noted a TTL (saturates) */
};

struct host_table;

struct host_table *host_table_new(uint64_t seed);
void host_table_free(struct host_table *t);
/* A context: a tunnel identity (flow_key.tunnel) on a capture interface. */
static inline uint32_t host_context(uint16_t tunnel, uint16_t interface)
{
	return (uint32_t)tunnel | (uint32_t)interface << 16;
}
/* The first non-RST segment of a connection's half from addr, with this TTL. */
void host_table_note(struct host_table *t, uint8_t ipver, const uint8_t addr[16], uint32_t context,
		     uint8_t ttl);
/* addr's profile, or NULL when nothing was noted of it. */
const struct host_profile *host_table_get(const struct host_table *t, uint8_t ipver,
					  const uint8_t addr[16], uint32_t context);
/* Hosts pushed out to make room (for the notes). */
uint64_t host_table_evicted(const struct host_table *t);

#endif
