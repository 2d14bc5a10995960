/*
 * host_table: what the capture showed of each host across its
 * connections, so a RST that is the first packet of its sender on its own
 * connection (every closed port) can still be compared with that host's
 * other packets.
 *
 * Per address, in its context (the tunnel identity, and the capture
 * interface: a router's two sides see one host at two TTLs):
 * - the distinct TTLs or hop limits of the first segment of each of its
 *   connections (up to HOST_TTLS; RSTs are never noted: they are what is
 *   judged), and how many connections showed one;
 * - its stack family, read passively from the option layout of its SYN or
 *   SYN-ACK (host_stack_from_syn), and the initial TTL that stack starts from;
 * - its IPv4 ID behaviour, from the second and third segments of each
 *   connection;
 * - its latest SYN-ACK (host_table_accepted), and its latest handshake
 *   ACK, the end of a connect of its own (host_table_connected);
 * - how many connections it closed gracefully, its FIN first and the
 *   peer's in answer (host_table_graceful);
 * - how many ports it probed: its SYN refused, or a connection it opened
 *   and reset with nothing sent (host_table_note_probe).
 * Memory is bounded: HOST_TABLE_SLOTS entries of 32 bytes and 3 bytes
 * beside each for lookups (560 KiB), mapped on the first note, and 24
 * bytes each for the SYN-ACK and the handshake ACK (384 KiB each), on the
 * first of each, a byte for the graceful closes (16 KiB) and 8 for the
 * probed ports (128 KiB); only the
 * pages the hosts seen fall in become resident (xmap_zeroed). When a
 * neighbourhood of the table is full the host seen least often there
 * makes room.
 */
#ifndef RSTDIAG_HOST_TABLE_H
#define RSTDIAG_HOST_TABLE_H

#include <stdbool.h>
#include <stdint.h>

#define HOST_TTLS 4
#define HOST_TABLE_SLOTS 16384u

/* The stack a SYN's option layout names (host_stack_from_syn). */
enum host_stack {
	HOST_STACK_UNKNOWN,
	HOST_STACK_LINUX,
	HOST_STACK_WINDOWS,
	HOST_STACK_MACOS,           /* Apple's XNU: macOS and iOS */
	HOST_STACK_FREEBSD,
	HOST_STACK_COUNT
};

/* How a host numbers its IPv4 packets (host_ip_ids). */
enum host_ip_id {
	HOST_IP_ID_UNKNOWN,         /* too few packets, or IPv6 */
	HOST_IP_ID_ZERO,            /* 0 on every packet noted (DF set, as Linux's SYN-ACKs) */
	HOST_IP_ID_GLOBAL,          /* one counter across its connections (Windows) */
	HOST_IP_ID_PER_CONNECTION,  /* a counter per connection, from an unrelated start (Linux) */
	HOST_IP_ID_RANDOM,          /* unrelated from packet to packet (OpenBSD, FreeBSD's option) */
	HOST_IP_ID_COUNT
};

/* One host's profile, as the judge reads it. */
struct host_profile {
	uint8_t ttl[HOST_TTLS];     /* distinct TTLs, in the order first seen */
	uint8_t n_ttl : 3;
	/* How often its IPv4 IDs ran on with another address's noted just
	 * before, or did not (host_table_note_ids; 2-bit counts, halved in
	 * pairs as the others): more often than not, one box numbers its
	 * packets with those addresses' (host_ids_shared), when
	 * host_table_shared_ids says the capture shows that widely. */
	uint8_t ids_near : 2, ids_far : 2;
	uint8_t stack : 4;          /* enum host_stack */
	/* Evidence for its IPv4 ID behaviour, 4-bit counts halved in pairs
	 * when one fills (so they keep their ratio). From the second and
	 * third segment of each connection (the first nonzero ID of a Linux
	 * server, whose SYN-ACK has ID 0, is its second): both 0; the third
	 * one small step after the second; far from it; the second close
	 * after the previous connection's third (one counter for all); or
	 * not close. */
	uint8_t id_zero : 4;
	uint8_t id_steps : 4, id_jumps : 4;
	uint8_t id_follows : 4, id_breaks : 4;
	uint16_t connections;       /* halves that noted a TTL (saturates) */
	uint16_t last_ip_id;        /* IPv4 ID of the latest third segment noted */
};

/* A host's handshake segment on one connection: its SYN-ACK, where it
 * accepted a connection (host_table_note), or its handshake ACK, where a
 * connect of its own completed (host_table_note_connected). port: the
 * connection's server port. */
struct host_handshake {
	uint64_t frame;
	int64_t ts_ns;
	uint16_t port;
};

/* The whole table's memory at most, when hosts enough have touched every
 * page (a flood from distinct addresses): each slot's entry (32 bytes),
 * tag and count, its SYN-ACK and handshake ACK, and its graceful closes.
 * tests/flood_memory.py counts it in its memory bound. */
#define HOST_TABLE_MAX_BYTES \
	((size_t)HOST_TABLE_SLOTS * (32 + 1 + 2 + 2 * sizeof(struct host_handshake) + 1 + 8))

/*
 * Hosts' own counters start from unrelated values (Linux's per connection
 * from a hash, Windows' one per host), so a host's ID within this of
 * another host's noted just before is a coincidence of about 1 in 128;
 * a box that numbers every address's packets with one counter (slirp,
 * VirtualBox's NAT engine: the corpus's ndpi/gnutella.pcap, 47 addresses
 * with IDs 0x03ac, 0x03ad, ... one per packet) does it every time.
 */
#define HOST_SHARED_ID_NEAR 256

struct host_table;

/*
 * The hash seed the pipeline gives the table: fixed, not the run's random
 * one. Which host a full neighbourhood gives up depends on where the
 * hash puts each address, and with it a verdict's host evidence: a fixed
 * seed makes that the same in every run, and in every shard of --shard
 * (shard.h), which must agree with one run. A probe is bounded at
 * HOST_PROBE slots, so chosen addresses can at most push profiles out,
 * never lengthen a lookup.
 */
#define HOST_TABLE_SEED 0x5253544449414731ULL

struct host_table *host_table_new(uint64_t seed);
void host_table_free(struct host_table *t);
/* A context: a tunnel identity (flow_key.tunnel) on a capture interface. */
static inline uint32_t host_context(uint16_t tunnel, uint16_t interface)
{
	return (uint32_t)tunnel | (uint32_t)interface << 16;
}
/* Asks the cache for the lines host_table_note will read for this host:
 * the pipeline calls it for a SYN two frames before tracking it, since in
 * a flood every SYN notes a new host. */
void host_table_prefetch(const struct host_table *t, uint8_t ipver, const uint8_t addr[16],
			 uint32_t context);
/*
 * The first non-RST segment of a connection's half from addr: its TTL,
 * and for a SYN or SYN-ACK its option layout (tcp_opts.layout; else 0);
 * for a SYN-ACK, where it was (accept; else NULL).
 */
void host_table_note(struct host_table *t, uint8_t ipver, const uint8_t addr[16], uint32_t context,
		     uint8_t ttl, uint16_t syn_layout, const struct host_handshake *accept);
/* The host's latest SYN-ACK noted, on any connection: it was up and
 * accepting then (so a connection of its that went silent was lost, not
 * the host: classify_revise_peer_alive). False if none. */
bool host_table_accepted(const struct host_table *t, uint8_t ipver, const uint8_t addr[16],
			 uint32_t context, struct host_handshake *out);
/* A handshake ACK from addr, which completed a connect of its own: the
 * host's latest, if the host has a profile (its SYN noted it). */
void host_table_note_connected(struct host_table *t, uint8_t ipver, const uint8_t addr[16],
			       uint32_t context, const struct host_handshake *ack);
/* The host's latest handshake ACK noted: a connect of its that completed
 * (to judge an attempt of its dropped meanwhile: classify_revise_race).
 * False if none. */
bool host_table_connected(const struct host_table *t, uint8_t ipver, const uint8_t addr[16],
			  uint32_t context, struct host_handshake *out);
/* A connection addr closed first with a FIN, which the peer answered with
 * its own before either had sent a RST (RSTs after it, answering data that
 * crossed the close, change nothing of how it closed): a graceful close of
 * addr's, if addr has a profile. */
void host_table_note_graceful(struct host_table *t, uint8_t ipver, const uint8_t addr[16],
			      uint32_t context);
/* How many graceful closes of addr's were noted (saturating at 255): an
 * application that closes so sets no zero linger there (to judge a RST of
 * its that could be either: classify_revise_graceful). */
unsigned host_table_graceful(const struct host_table *t, uint8_t ipver, const uint8_t addr[16],
			     uint32_t context);
/* A port of server's addr probed (its SYN refused, or a connection it
 * opened and reset with nothing sent), if addr has a profile: a port unlike
 * its last probed one on that server counts one more; another server
 * starts the count again. Returns the ports counted on that server so far
 * (saturating at 255; 0: no profile): from SCAN_PORTS_MIN, a port scan's
 * or a client trying port after port (classify_revise_scan). */
unsigned host_table_note_probe(struct host_table *t, uint8_t ipver, const uint8_t addr[16],
			       const uint8_t server[16], uint32_t context, uint16_t port);
/* The third non-RST segment of that half (IPv4): its ID, and the second's;
 * follows_other, whether its ID ran on from the packet just before it of
 * an address at neither end of its connection (the pipeline's ring: by 1
 * to HOST_SHARED_ID_NEAR: 1; not: 0), or there was none (-1). */
void host_table_note_ids(struct host_table *t, const uint8_t addr[16], uint32_t context,
			 uint16_t second_id, uint16_t third_id, int follows_other);
/*
 * Whether the capture's hosts share one IPv4 ID counter widely: a box
 * that terminates TCP for many addresses and numbers its packets for all
 * of them (VirtualBox's NAT engine, a phone's VPN app relaying through a
 * user-space stack), whose packets a profile with ids_shared then are.
 */
bool host_table_shared_ids(const struct host_table *t);
/* How many hosts' IPv4 IDs ran on with another's at least once. */
uint32_t host_table_shared_hosts(const struct host_table *t);
/* Whether any host's IPv4 ID has run on with another's so far. */
bool host_table_ids_shared_seen(const struct host_table *t);
/* Whether IPv4 ID id, of a packet from addr, runs on with another host's
 * noted just before (as host_table_note_ids compares them). */
bool host_table_id_near_recent(const struct host_table *t, const uint8_t addr[16],
			       uint32_t context, uint16_t id);
/* addr's profile, or NULL when nothing was noted of it. */
const struct host_profile *host_table_get(const struct host_table *t, uint8_t ipver,
					  const uint8_t addr[16], uint32_t context);
/* Hosts pushed out to make room (for the notes). */
uint64_t host_table_evicted(const struct host_table *t);

/* The stack family a SYN or SYN-ACK's option layout and TTL name. */
enum host_stack host_stack_from_syn(uint16_t layout, uint8_t ttl);
/* The initial TTL a packet arriving with ttl left its stack with: 64, 128 or 255. */
uint8_t host_initial_ttl(uint8_t ttl);
/* Whether the profile's IDs ran on with other addresses' more often than not. */
static inline bool host_ids_shared(const struct host_profile *h)
{
	return h && h->ids_near > h->ids_far;
}
/* What the profile's counts say of its IPv4 IDs. */
enum host_ip_id host_ip_ids(const struct host_profile *h);
const char *host_stack_name(enum host_stack s);
const char *host_ip_id_name(enum host_ip_id k);

#endif
