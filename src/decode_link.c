/*
 * decode_link: the link-layer table, DLT -> "where does IP start, and which IP".
 *
 * Dispatch is a table (tcpdump print.c printers[]); each entry consumes its
 * header and names the network protocol with an Ethertype, so decode_ip
 * needs no link knowledge. VLAN tags (802.1Q, 802.1ad and the old 0x9100
 * QinQ) are skipped wherever an Ethertype can announce them.
 */
#include <pcap/dlt.h>

#include "decode.h"

#define ETHERTYPE_VLAN 0x8100
#define ETHERTYPE_QINQ 0x88a8
#define ETHERTYPE_QINQ_OLD 0x9100
/* Below this an Ethernet type field is an 802.3 length (IEEE 802.3 3.2.6). */
#define ETHERTYPE_MIN 0x0600

static bool is_vlan_type(uint16_t t)
{
	return t == ETHERTYPE_VLAN || t == ETHERTYPE_QINQ || t == ETHERTYPE_QINQ_OLD;
}

/* Each tag is TCI (2 bytes) then the next Ethertype. Every tag takes 4
 * bytes, so the frame bounds a hostile stack: no count limit, which would
 * drop a RST that Wireshark shows behind it. */
static enum decode_result skip_vlan_tags(struct rd *r, const struct decode_ctx *c,
					 uint16_t *type)
{
	while (is_vlan_type(*type)) {
		if (!rd_skip(r, 2) || !rd_be16(r, type))
			return decode_short(c);
	}
	return DECODE_OK;
}

static enum decode_result ethernet(struct rd *r, const struct decode_ctx *c, uint16_t *type)
{
	if (!rd_skip(r, 12) || !rd_be16(r, type))
		return decode_short(c);
	enum decode_result res = skip_vlan_tags(r, c, type);
	if (res != DECODE_OK)
		return res;
	if (*type < ETHERTYPE_MIN)
		return DECODE_NON_IP;   /* 802.3 + LLC: not IP as Linux or BSD send it */
	return DECODE_OK;
}

/* Linux cooked v1: pkttype, ARPHRD type, address length, 8 address bytes, protocol. */
static enum decode_result linux_sll(struct rd *r, const struct decode_ctx *c, uint16_t *type)
{
	if (!rd_skip(r, 14) || !rd_be16(r, type))
		return decode_short(c);
	return skip_vlan_tags(r, c, type);
}

/* Linux cooked v2: protocol first, then reserved, ifindex, ARPHRD, pkttype, addr. */
static enum decode_result linux_sll2(struct rd *r, const struct decode_ctx *c, uint16_t *type)
{
	if (!rd_be16(r, type) || !rd_skip(r, 18))
		return decode_short(c);
	return skip_vlan_tags(r, c, type);
}

/* Raw IP: no header; the version nibble says which IP. */
static enum decode_result raw_ip(struct rd *r, const struct decode_ctx *c, uint16_t *type)
{
	if (rd_left(r) < 1)
		return decode_short(c);
	switch (r->p[0] >> 4) {
	case 4: *type = ETHERTYPE_IPV4; return DECODE_OK;
	case 6: *type = ETHERTYPE_IPV6; return DECODE_OK;
	default: return DECODE_NON_IP;
	}
}

static enum decode_result raw_ipv4(struct rd *r, const struct decode_ctx *c, uint16_t *type)
{
	*type = ETHERTYPE_IPV4;
	return DECODE_OK;
}

static enum decode_result raw_ipv6(struct rd *r, const struct decode_ctx *c, uint16_t *type)
{
	*type = ETHERTYPE_IPV6;
	return DECODE_OK;
}

/*
 * BSD address families for IPv6 differ by OS (tcpdump af.h): NetBSD/OpenBSD
 * 24, FreeBSD 28, Darwin 30, Linux 10, Windows 23.
 */
static enum decode_result bsd_family(uint32_t af, uint16_t *type)
{
	switch (af) {
	case 2:
		*type = ETHERTYPE_IPV4;
		return DECODE_OK;
	case 10: case 23: case 24: case 28: case 30:
		*type = ETHERTYPE_IPV6;
		return DECODE_OK;
	default:
		return DECODE_NON_IP;
	}
}

/*
 * DLT_NULL: the family in the *capturing* host's byte order, which need not
 * be ours (tcpdump print-null.c). Families are small, so a value with its
 * high half set was written in the other order.
 */
static enum decode_result bsd_null(struct rd *r, const struct decode_ctx *c, uint16_t *type)
{
	uint32_t af;
	if (!rd_le32(r, &af))
		return decode_short(c);
	if (af & 0xffff0000u)
		af = __builtin_bswap32(af);
	return bsd_family(af, type);
}

/* DLT_LOOP (OpenBSD): the same family, always in network order. */
static enum decode_result bsd_loop(struct rd *r, const struct decode_ctx *c, uint16_t *type)
{
	uint32_t af;
	if (!rd_be32(r, &af))
		return decode_short(c);
	return bsd_family(af, type);
}

static const struct link_type link_types[] = {
	{ DLT_EN10MB, "EN10MB (Ethernet)", ethernet },
	{ DLT_LINUX_SLL, "LINUX_SLL (Linux cooked v1)", linux_sll },
	{ DLT_LINUX_SLL2, "LINUX_SLL2 (Linux cooked v2)", linux_sll2 },
	{ DLT_RAW, "RAW (raw IP)", raw_ip },
	{ DLT_IPV4, "IPV4 (raw IPv4)", raw_ipv4 },
	{ DLT_IPV6, "IPV6 (raw IPv6)", raw_ipv6 },
	{ DLT_NULL, "NULL (BSD loopback)", bsd_null },
	{ DLT_LOOP, "LOOP (OpenBSD loopback)", bsd_loop },
};

const struct link_type *link_type_find(int dlt)
{
	for (size_t i = 0; i < sizeof link_types / sizeof link_types[0]; i++)
		if (link_types[i].dlt == dlt)
			return &link_types[i];
	return NULL;
}

const struct link_type *link_type_at(unsigned i)
{
	return i < sizeof link_types / sizeof link_types[0] ? &link_types[i] : NULL;
}

const char *link_type_supported_list(void)
{
	return "EN10MB (with 802.1Q/QinQ), LINUX_SLL, LINUX_SLL2, RAW, IPV4, IPV6, NULL, LOOP";
}

static const char *const result_names[DECODE_RESULT_COUNT] = {
	[DECODE_OK] = "tcp",
	[DECODE_NON_IP] = "non_ip",
	[DECODE_NON_TCP] = "non_tcp",
	[DECODE_FRAGMENT] = "fragment",
	[DECODE_TRUNCATED] = "truncated",
	[DECODE_INVALID] = "invalid",
	[DECODE_UNPARSED] = "unparsed",
};

const char *decode_result_name(enum decode_result r)
{
	return (unsigned)r < DECODE_RESULT_COUNT ? result_names[r] : "?";
}

enum decode_result decode_frame(const struct link_type *lt, const uint8_t *bytes,
				struct pkt *p)
{
	struct decode_ctx c = {
		.uncaptured = p->wirelen > p->caplen ? p->wirelen - p->caplen : 0
	};
	struct rd r = rd_init(bytes, p->caplen);
	uint16_t type = 0;
	enum decode_result res = lt->decode(&r, &c, &type);
	if (res != DECODE_OK)
		return res;
	return decode_ip(&r, &c, type, p);
}
