/*
 * decode_ip: IPv4 (with options) and IPv6 (with extension headers) down to
 * TCP, or to a tunnel (decode_tunnel.c), whose inner IP comes back here.
 *
 * The IP span is clamped to the header's own length (p0f's "etherleak"
 * guard: Ethernet padding must not become TCP payload). Fragments are
 * counted and skipped, not reassembled: a RST is never fragmented, and the
 * segments that matter for diagnosis are small.
 */
#include "decode.h"

#define IPPROTO_TCP_ 6

/* Bytes of the IP datagram that exist on the wire past the reader's start. */
static uint64_t wire_left(const struct rd *r, const struct decode_ctx *c)
{
	return (uint64_t)rd_left(r) + c->uncaptured;
}

/*
 * Clamp the reader to a datagram of total_len bytes. A length of 0 is what
 * TSO/GSO super-packets carry when captured on the sending host (Wireshark
 * calls it "bogus, maybe TSO"): then the frame's own length is the span.
 */
static enum decode_result clamp_datagram(struct rd *r, const struct decode_ctx *c,
					 uint64_t total_len, uint64_t *seg_span)
{
	uint64_t avail = wire_left(r, c);
	if (total_len == 0)
		total_len = avail;
	if (total_len > avail)
		return DECODE_INVALID;   /* the header claims more than the frame carries */
	rd_clamp(r, (size_t)total_len);
	*seg_span = total_len;
	return DECODE_OK;
}

static enum decode_result ipv4(struct rd *r, const struct decode_ctx *c, struct pkt *p)
{
	/* A local reader and locals, stored at the end: stores through p's
	 * byte fields may alias *r and would reload it after every field. */
	struct rd h = *r, fixed;
	uint8_t vihl;

	if (!rd_u8(&h, &vihl))
		return decode_short(c);
	if (vihl >> 4 != 4)
		return DECODE_INVALID;
	size_t hlen = (size_t)(vihl & 0x0f) * 4;
	if (hlen < 20)
		return DECODE_INVALID;   /* RFC 791: IHL is at least 5 */
	h = *r;
	if (!rd_sub(&h, &fixed, 20))
		return decode_short(c);
	uint16_t total_len = rd_be16_at(&fixed, 2), id = rd_be16_at(&fixed, 4);
	uint16_t frag = rd_be16_at(&fixed, 6);
	uint8_t ttl = rd_u8_at(&fixed, 8), proto = rd_u8_at(&fixed, 9);
	uint8_t src[4], dst[4];
	rd_copy_at(&fixed, 12, src, 4);
	rd_copy_at(&fixed, 16, dst, 4);
	if (total_len != 0 && total_len < hlen)
		return DECODE_INVALID;

	uint64_t span;
	h = *r;
	enum decode_result res = clamp_datagram(&h, c, total_len, &span);
	if (res != DECODE_OK)
		return res;
	if (!rd_skip(&h, hlen))
		return decode_short(c);

	memcpy(p->src, src, 4);
	memcpy(p->dst, dst, 4);
	memset(p->src + 4, 0, 12);
	memset(p->dst + 4, 0, 12);
	p->ipver = 4;
	p->ttl = ttl;
	p->ip_id = id;
	p->ip_df = (frag & 0x4000) != 0;
	p->ip_opts = hlen > 20;

	/* More-fragments set or a non-zero offset: a piece of a datagram. */
	if ((frag & 0x2000) || (frag & 0x1fff))
		return DECODE_FRAGMENT;
	*r = h;
	if (proto != IPPROTO_TCP_)
		return decode_tunnel(r, c, proto, p);
	return decode_tcp(r, c, (uint32_t)(span - hlen), p);
}

static enum decode_result ipv6(struct rd *r, const struct decode_ctx *c, struct pkt *p)
{
	/* A local reader, as in ipv4(). */
	struct rd h = *r, fixed;
	uint32_t vtcfl;

	if (!rd_be32(&h, &vtcfl))
		return decode_short(c);
	if (vtcfl >> 28 != 6)
		return DECODE_INVALID;
	h = *r;
	if (!rd_sub(&h, &fixed, 40))
		return decode_short(c);
	uint16_t payload_len = rd_be16_at(&fixed, 4);
	uint8_t next = rd_u8_at(&fixed, 6), hlim = rd_u8_at(&fixed, 7);
	uint8_t src[16], dst[16];
	rd_copy_at(&fixed, 8, src, 16);
	rd_copy_at(&fixed, 24, dst, 16);

	uint64_t span;
	enum decode_result res = clamp_datagram(&h, c, payload_len, &span);
	if (res != DECODE_OK)
		return res;
	*r = h;

	memcpy(p->src, src, 16);
	memcpy(p->dst, dst, 16);
	p->ipver = 6;
	p->ttl = hlim;
	p->ip_id = 0;
	p->ip_df = false;
	p->ip_opts = false;

	/*
	 * No cap on the number of headers: each takes at least 8 bytes of the
	 * datagram, so a chain ends within its length, as Linux walks it
	 * (ipv6_skip_exthdr) and Wireshark shows the TCP behind it.
	 */
	for (;;) {
		uint8_t nh, hlen8;
		uint16_t fragoff;
		size_t ext_len;
		switch (next) {
		case IPPROTO_TCP_:
			return decode_tcp(r, c, (uint32_t)span, p);
		case 0:   /* hop-by-hop options */
		case 43:  /* routing */
		case 60:  /* destination options */
		case 135: /* mobility */
		case 139: /* HIP */
		case 140: /* shim6 */
			/* RFC 8200 4.3-4.6: length in 8-octet units, not counting the first 8. */
			if (!rd_u8(r, &nh) || !rd_u8(r, &hlen8))
				return decode_short(c);
			ext_len = ((size_t)hlen8 + 1) * 8;
			break;
		case 51:  /* AH, RFC 4302 2.2: length in 4-octet units, minus 2 */
			if (!rd_u8(r, &nh) || !rd_u8(r, &hlen8))
				return decode_short(c);
			ext_len = ((size_t)hlen8 + 2) * 4;
			break;
		case 44:  /* fragment */
			if (!rd_u8(r, &nh) || !rd_skip(r, 1) || !rd_be16(r, &fragoff))
				return decode_short(c);
			/* An atomic fragment (offset 0, no more) is a whole datagram (RFC 6946). */
			if ((fragoff & 0xfff8) || (fragoff & 1))
				return DECODE_FRAGMENT;
			ext_len = 8;
			break;
		case 50:  /* ESP: what follows is encrypted */
			return DECODE_UNPARSED;
		default:  /* a tunnel, another upper-layer protocol, or no next header (59) */
			return decode_tunnel(r, c, next, p);
		}
		/* The 2 or 4 bytes just read belong to ext_len. */
		size_t consumed = (next == 44) ? 4 : 2;
		if (ext_len > span)
			return DECODE_INVALID;
		if (!rd_skip(r, ext_len - consumed))
			return decode_short(c);
		span -= ext_len;
		next = nh;
		p->ip_opts = true;
	}
}

enum decode_result decode_ip(struct rd *r, const struct decode_ctx *c, uint16_t ethertype,
			     struct pkt *p)
{
	switch (ethertype) {
	case ETHERTYPE_IPV4: return ipv4(r, c, p);
	case ETHERTYPE_IPV6: return ipv6(r, c, p);
	default: return DECODE_NON_IP;
	}
}
