/*
 * decode: captured bytes -> struct pkt, or a reason the frame was skipped.
 *
 * Three stages (link, IP, TCP), each reading only through struct rd. A
 * frame that ends too early is "truncated" when snaplen cut it (caplen <
 * wire length) and "invalid" when the frame really is that short: the two
 * mean different things to a user (capture settings vs. broken sender), so
 * they are counted apart, as tcpdump's ND_TCHECK / ND_ICHECK do.
 * Decoders never print, allocate or keep state.
 */
#ifndef RSTDIAG_DECODE_H
#define RSTDIAG_DECODE_H

#include <stdint.h>

#include "packet.h"
#include "rd.h"

enum decode_result {
	DECODE_OK,          /* a TCP segment; pkt filled */
	DECODE_NON_IP,      /* link payload is neither IPv4 nor IPv6 */
	DECODE_NON_TCP,     /* IP, but not carrying TCP */
	DECODE_FRAGMENT,    /* an IP fragment: not reassembled, skipped */
	DECODE_TRUNCATED,   /* snaplen cut the headers */
	DECODE_INVALID,     /* header fields contradict the frame */
	DECODE_UNPARSED,    /* a header rstdiag cannot walk (IPsec ESP, an unknown
			     * header version, a link type named inside a frame
			     * that rstdiag does not read, 802.11 A-MSDU) */
	DECODE_ENCRYPTED,   /* an 802.11 frame with the Protected bit: the body is ciphertext */
	DECODE_RESULT_COUNT
};

/* Stable name used in the summary ("skipped" counters). */
const char *decode_result_name(enum decode_result r);

/* Per-frame context shared by the stages. */
struct decode_ctx {
	uint32_t uncaptured;  /* wire length - caplen: bytes snaplen cut off the end */
	struct pkt *p;              /* the packet decoded: tunnel decoders record each layer
				       in p->tun, a Linux cooked header its direction in
				       p->outgoing */
};

/*
 * Internal to decode_frame, never returned by it: a tunnel header was
 * read and the reader is at what it carries, ctx->p->tun.inner saying what
 * that is: an Ethertype (IPv4, IPv6, or ETHERTYPE_TEB for Ethernet), or 0 for
 * IP named by its version nibble. decode_frame opens it in a loop, not by
 * recursion, so the one call to decode_ip every packet makes stays inlined.
 */
#define DECODE_INNER ((enum decode_result)100)

static inline enum decode_result decode_short(const struct decode_ctx *c)
{
	return c->uncaptured ? DECODE_TRUNCATED : DECODE_INVALID;
}

typedef enum decode_result (*link_decode_fn)(struct rd *r, const struct decode_ctx *c,
					     uint16_t *ethertype);

struct link_type {
	int dlt;
	const char *name;
	link_decode_fn decode;
};

/* The decoder for a libpcap DLT, or NULL when rstdiag cannot read it. */
/* For frames of a link type rstdiag cannot read (a pcapng interface): each is "unparsed". */
const struct link_type *link_type_unsupported(void);
const struct link_type *link_type_find(int dlt);
/* The i-th supported link type, NULL past the last: lets the frame fuzzer
 * try every decoder without its own copy of the table. */
const struct link_type *link_type_at(unsigned i);
/* Names of all supported link types, for messages: "EN10MB, LINUX_SLL, ..." */
const char *link_type_supported_list(void);

#define ETHERTYPE_IPV4 0x0800
#define ETHERTYPE_IPV6 0x86dd

/* Stage entry points; r is positioned at the start of that stage's header. */
enum decode_result decode_ip(struct rd *r, const struct decode_ctx *c, uint16_t ethertype,
			     struct pkt *p);
enum decode_result decode_tcp(struct rd *r, const struct decode_ctx *c, uint32_t seg_len,
			      struct pkt *p);

/*
 * Tunnels (decode_tunnel.c). decode_tunnel is called by decode_ip for an IP
 * protocol other than TCP: IP-in-IP, GRE and the UDP tunnels on their
 * standard ports give DECODE_INNER; anything else is DECODE_NON_TCP.
 * decode_mpls reads a label stack (Ethertype 0x8847/0x8848, GRE) and names
 * the IP behind it.
 */
enum decode_result decode_tunnel(struct rd *r, const struct decode_ctx *c, uint8_t proto,
				 struct pkt *p);
enum decode_result decode_mpls(struct rd *r, const struct decode_ctx *c, uint16_t *ethertype);
/* "vxlan", "gre", ... */
const char *tunnel_kind_name(enum tunnel_kind k);

#define ETHERTYPE_MPLS 0x8847
#define ETHERTYPE_MPLS_MULTICAST 0x8848
#define ETHERTYPE_TEB 0x6558   /* transparent Ethernet bridging */

/* The whole frame. p->frame, ts_ns, caplen and wirelen are set by the caller. */
enum decode_result decode_frame(const struct link_type *lt, const uint8_t *bytes,
				struct pkt *p);

#endif
