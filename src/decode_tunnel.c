/*
 * decode_tunnel: the tunnels mirrored and overlay traffic arrives in, down
 * to the TCP segment inside (see decode.h).
 *
 * Each tunnel records a layer in the frame's tunnel path, reads its own
 * header through rd.h, and says what it carries (DECODE_INNER); then
 * decode_frame opens that with the Ethernet decoder or decode_ip, so
 * everything they handle (VLAN tags, options, fragments) holds inside a
 * tunnel too. Nesting is bounded by TUNNEL_MAX_LAYERS whatever the order
 * (a deeper frame is "unparsed"). An outer fragment never gets here:
 * decode_ip counts it.
 */
#include <string.h>

#include "decode.h"

#define IPPROTO_IPIP_ 4     /* IPv4 in IP (RFC 2003) */
#define IPPROTO_UDP_ 17
#define IPPROTO_IPV6_ 41    /* IPv6 in IP (RFC 4213 3.5) */
#define IPPROTO_GRE_ 47

/* The IANA ports Wireshark and tcpdump decode these tunnels on. */
#define PORT_VXLAN 4789     /* RFC 7348 5 */
#define PORT_GENEVE 6081    /* RFC 8926 3.3 */
#define PORT_GTPU 2152      /* 3GPP TS 29.281 4.4.2.3 */
#define PORT_TEREDO 3544    /* RFC 4380 2.7 */

#define GRE_PROTO_ERSPAN_II 0x88be    /* type I too, without the sequence number */
#define GRE_PROTO_ERSPAN_III 0x22eb

static const char *const kind_names[TUNNEL_KIND_COUNT] = {
	[TUNNEL_IPIP] = "ip-in-ip",
	[TUNNEL_GRE] = "gre",
	[TUNNEL_GRETAP] = "gretap",
	[TUNNEL_ERSPAN] = "erspan",
	[TUNNEL_VXLAN] = "vxlan",
	[TUNNEL_GENEVE] = "geneve",
	[TUNNEL_GTPU] = "gtp-u",
	[TUNNEL_TEREDO] = "teredo",
	[TUNNEL_MPLS] = "mpls",
};

const char *tunnel_kind_name(enum tunnel_kind k)
{
	return (unsigned)k < TUNNEL_KIND_COUNT ? kind_names[k] : "?";
}

/* A layer, with the outer IP addresses decode_ip left in p (NULL: none, as for MPLS). */
static enum decode_result push_layer(const struct decode_ctx *c, const struct pkt *p,
				     enum tunnel_kind kind, bool has_id, uint32_t id)
{
	struct tunnel_path *t = &c->p->tun;
	if (t->n == TUNNEL_MAX_LAYERS)
		return DECODE_UNPARSED;
	struct tunnel_layer *l = &t->layer[t->n++];
	memset(l, 0, sizeof *l);
	l->kind = (uint8_t)kind;
	l->has_id = has_id;
	l->id = id;
	if (p) {
		l->ipver = p->ipver;
		memcpy(l->src, p->src, 16);
		memcpy(l->dst, p->dst, 16);
	}
	return DECODE_OK;
}

/* What the tunnel carries: decode_frame opens it (decode.h, DECODE_INNER).
 * 0 is IP with no type field in front of it, named by its version nibble. */
static enum decode_result carries(const struct decode_ctx *c, uint16_t what)
{
	c->p->tun.inner = what;
	return DECODE_INNER;
}

/*
 * RFC 3032 2.1: 32-bit entries, label (20 bits), traffic class, bottom of
 * stack (S), TTL, until S is set; every entry takes 4 bytes, so the frame
 * bounds the stack. What follows has no type field: IPv4 or IPv6 by its
 * version nibble (RFC 4385 2: a pseudowire's control word starts with
 * 0000, so Ethernet-over-MPLS is left unparsed). The layer keeps the
 * bottom label, the one that names the service (VPN or pseudowire).
 */
enum decode_result decode_mpls(struct rd *r, const struct decode_ctx *c, uint16_t *ethertype)
{
	uint32_t entry;
	do {
		if (!rd_be32(r, &entry))
			return decode_short(c);
	} while (!(entry & 0x100));
	enum decode_result res = push_layer(c, NULL, TUNNEL_MPLS, true, entry >> 12);
	if (res != DECODE_OK)
		return res;
	if (rd_left(r) < 1)
		return decode_short(c);
	switch (r->p[0] >> 4) {
	case 4: *ethertype = ETHERTYPE_IPV4; return DECODE_OK;
	case 6: *ethertype = ETHERTYPE_IPV6; return DECODE_OK;
	default: return DECODE_UNPARSED;
	}
}

/*
 * GRE (RFC 2784 2.1, key and sequence number RFC 2890): flags and version,
 * protocol type, then 4 bytes each for the checksum (C), key (K) and
 * sequence number (S) present. Version 1 is PPTP's enhanced GRE (RFC 2637)
 * carrying PPP; the routing field (R, RFC 1701) is obsolete: both unparsed.
 * ERSPAN (draft-foschiano-erspan-03): type I is GRE 0x88be without a
 * sequence number and no header of its own; type II has the sequence
 * number and an 8-byte header (version 1; session id, the low 10 bits of
 * its first word); type III is 0x22eb with a 12-byte header (version 2;
 * frame type 0 is Ethernet; bit O adds an 8-byte platform subheader).
 */
static enum decode_result gre(struct rd *r, const struct decode_ctx *c, struct pkt *p)
{
	struct rd h, e;
	if (!rd_sub(r, &h, 4))
		return decode_short(c);
	uint16_t flags = rd_be16_at(&h, 0), proto = rd_be16_at(&h, 2);
	if ((flags & 0x0007) || (flags & 0x4000))
		return DECODE_UNPARSED;
	bool has_key = flags & 0x2000, has_seq = flags & 0x1000;
	uint32_t key = 0;
	if ((flags & 0x8000) && !rd_skip(r, 4))
		return decode_short(c);
	if (has_key && !rd_be32(r, &key))
		return decode_short(c);
	if (has_seq && !rd_skip(r, 4))
		return decode_short(c);

	enum decode_result res;
	uint16_t type;
	switch (proto) {
	case ETHERTYPE_IPV4:
	case ETHERTYPE_IPV6:
		res = push_layer(c, p, TUNNEL_GRE, has_key, key);
		return res != DECODE_OK ? res : carries(c, proto);
	case ETHERTYPE_MPLS:
	case ETHERTYPE_MPLS_MULTICAST:
		res = push_layer(c, p, TUNNEL_GRE, has_key, key);
		if (res == DECODE_OK)
			res = decode_mpls(r, c, &type);
		return res != DECODE_OK ? res : carries(c, type);
	case ETHERTYPE_TEB:
		res = push_layer(c, p, TUNNEL_GRETAP, has_key, key);
		return res != DECODE_OK ? res : carries(c, ETHERTYPE_TEB);
	case GRE_PROTO_ERSPAN_II:
		if (!has_seq) {
			res = push_layer(c, p, TUNNEL_ERSPAN, false, 0);
			return res != DECODE_OK ? res : carries(c, ETHERTYPE_TEB);
		}
		if (!rd_sub(r, &e, 8))
			return decode_short(c);
		if (rd_u8_at(&e, 0) >> 4 != 1)
			return DECODE_UNPARSED;
		res = push_layer(c, p, TUNNEL_ERSPAN, true, rd_be16_at(&e, 2) & 0x3ffu);
		return res != DECODE_OK ? res : carries(c, ETHERTYPE_TEB);
	case GRE_PROTO_ERSPAN_III:
		if (!rd_sub(r, &e, 12))
			return decode_short(c);
		if (rd_u8_at(&e, 0) >> 4 != 2 || (rd_be16_at(&e, 10) >> 10 & 0x1f) != 0)
			return DECODE_UNPARSED;
		if ((rd_be16_at(&e, 10) & 1) && !rd_skip(r, 8))
			return decode_short(c);
		res = push_layer(c, p, TUNNEL_ERSPAN, true, rd_be16_at(&e, 2) & 0x3ffu);
		return res != DECODE_OK ? res : carries(c, ETHERTYPE_TEB);
	default:
		return DECODE_NON_IP;
	}
}

/* VXLAN (RFC 7348 5): flags (I: the VNI is valid), 24 reserved bits, the
 * 24-bit VNI, 8 reserved bits; an Ethernet frame follows. */
static enum decode_result vxlan(struct rd *r, const struct decode_ctx *c, struct pkt *p)
{
	struct rd h;
	if (!rd_sub(r, &h, 8))
		return decode_short(c);
	enum decode_result res = push_layer(c, p, TUNNEL_VXLAN, (rd_u8_at(&h, 0) & 0x08) != 0,
					    rd_be32_at(&h, 4) >> 8);
	return res != DECODE_OK ? res : carries(c, ETHERTYPE_TEB);
}

/* Geneve (RFC 8926 3.4): version (0) and options length in 4-byte units,
 * flags, the protocol as an Ethertype (0x6558: Ethernet), VNI, options. */
static enum decode_result geneve(struct rd *r, const struct decode_ctx *c, struct pkt *p)
{
	struct rd h;
	if (!rd_sub(r, &h, 8))
		return decode_short(c);
	uint8_t b0 = rd_u8_at(&h, 0);
	uint16_t proto = rd_be16_at(&h, 2);
	if (b0 >> 6 != 0)
		return DECODE_UNPARSED;
	if (!rd_skip(r, (size_t)(b0 & 0x3f) * 4))
		return decode_short(c);
	enum decode_result res = push_layer(c, p, TUNNEL_GENEVE, true, rd_be32_at(&h, 4) >> 8);
	if (res != DECODE_OK)
		return res;
	return carries(c, proto);
}

/*
 * GTP-U (3GPP TS 29.281 5.1): version 1 and PT 1 (GTP, not GTP'), message
 * type 255 (G-PDU: user data; echo, error indication and end marker carry
 * none), length, TEID. Any of E, S, PN adds sequence number, N-PDU number
 * and next extension type (4 bytes); extension headers (5.2) give their
 * length in 4-byte units, their last byte the next type, 0 ending the chain.
 */
static enum decode_result gtpu(struct rd *r, const struct decode_ctx *c, struct pkt *p)
{
	struct rd h, o;
	if (!rd_sub(r, &h, 8))
		return decode_short(c);
	uint8_t flags = rd_u8_at(&h, 0);
	if (flags >> 5 != 1 || !(flags & 0x10))
		return DECODE_UNPARSED;
	if (rd_u8_at(&h, 1) != 255)
		return DECODE_NON_IP;
	if (flags & 0x07) {
		if (!rd_sub(r, &o, 4))
			return decode_short(c);
		uint8_t next = rd_u8_at(&o, 3);
		while ((flags & 0x04) && next != 0) {
			uint8_t len4;
			if (!rd_u8(r, &len4))
				return decode_short(c);
			if (len4 == 0)
				return DECODE_INVALID;
			if (!rd_skip(r, (size_t)len4 * 4 - 2) || !rd_u8(r, &next))
				return decode_short(c);
		}
	}
	enum decode_result res = push_layer(c, p, TUNNEL_GTPU, true, rd_be32_at(&h, 4));
	return res != DECODE_OK ? res : carries(c, 0);
}

/*
 * Teredo (RFC 4380 5.1.1): IPv6 in UDP, optionally behind an authentication
 * indicator (0x0001, client id and auth value lengths, both, an 8-byte
 * nonce, a confirmation byte) and then an origin indicator (0x0000, port,
 * address: 8 bytes).
 */
static enum decode_result teredo(struct rd *r, const struct decode_ctx *c, struct pkt *p)
{
	struct rd peek = *r, h;
	uint16_t indicator;
	if (!rd_be16(&peek, &indicator))
		return decode_short(c);
	if (indicator == 0x0001) {
		if (!rd_sub(r, &h, 4))
			return decode_short(c);
		if (!rd_skip(r, (size_t)rd_u8_at(&h, 2) + rd_u8_at(&h, 3) + 8 + 1))
			return decode_short(c);
		peek = *r;
		if (!rd_be16(&peek, &indicator))
			return decode_short(c);
	}
	if (indicator == 0x0000 && !rd_skip(r, 8))
		return decode_short(c);
	if (rd_left(r) < 1)
		return decode_short(c);
	if (r->p[0] >> 4 != 6)
		return DECODE_NON_IP;
	enum decode_result res = push_layer(c, p, TUNNEL_TEREDO, false, 0);
	return res != DECODE_OK ? res : carries(c, ETHERTYPE_IPV6);
}

/* UDP (RFC 768): the tunnels on their standard ports, the server's first. */
static enum decode_result udp(struct rd *r, const struct decode_ctx *c, struct pkt *p)
{
	struct rd h;
	if (!rd_sub(r, &h, 8))
		return decode_short(c);
	uint16_t ports[2] = { rd_be16_at(&h, 2), rd_be16_at(&h, 0) };
	uint16_t len = rd_be16_at(&h, 4);
	if (len >= 8)
		rd_clamp(r, (size_t)len - 8);
	for (int i = 0; i < 2; i++) {
		switch (ports[i]) {
		case PORT_VXLAN: return vxlan(r, c, p);
		case PORT_GENEVE: return geneve(r, c, p);
		case PORT_GTPU: return gtpu(r, c, p);
		case PORT_TEREDO: return teredo(r, c, p);
		}
	}
	return DECODE_NON_TCP;
}

enum decode_result decode_tunnel(struct rd *r, const struct decode_ctx *c, uint8_t proto,
				 struct pkt *p)
{
	enum decode_result res;
	switch (proto) {
	case IPPROTO_IPIP_:
	case IPPROTO_IPV6_:
		res = push_layer(c, p, TUNNEL_IPIP, false, 0);
		if (res != DECODE_OK)
			return res;
		return carries(c, proto == IPPROTO_IPIP_ ? ETHERTYPE_IPV4 : ETHERTYPE_IPV6);
	case IPPROTO_GRE_:
		return gre(r, c, p);
	case IPPROTO_UDP_:
		return udp(r, c, p);
	default:
		return DECODE_NON_TCP;
	}
}
