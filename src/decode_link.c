/*
 * decode_link: the link-layer table, DLT -> "where does IP start, and which IP".
 *
 * Dispatch is a table (tcpdump print.c printers[]); each entry consumes its
 * header and names the network protocol with an Ethertype, so decode_ip
 * needs no link knowledge. Whatever an Ethertype names goes through one
 * function, ethertype_chain: VLAN tags (802.1Q, 802.1ad and the old 0x9100
 * QinQ) are skipped and a PPPoE session is opened wherever an Ethertype can
 * announce them. Headers that name another link type (PPI, PKTAP) decode
 * what follows through this same table.
 *
 * Formats are cited above each decoder; the sources were read through
 * tcpdump's print-*.c, libpcap's pcap/ *.h and pcap-common.c, Wireshark's
 * dissectors, the RFCs and the radiotap and PPI specifications.
 */
#include <assert.h>
#include <string.h>

#include <pcap/dlt.h>

#include "decode.h"

#define ETHERTYPE_VLAN 0x8100
#define ETHERTYPE_QINQ 0x88a8
#define ETHERTYPE_QINQ_OLD 0x9100
/* RFC 2516 4: 0x8863 is PPPoE discovery (not IP), 0x8864 the session stage. */
#define ETHERTYPE_PPPOE_SESSION 0x8864
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

static enum decode_result pppoe_session(struct rd *r, const struct decode_ctx *c,
					uint16_t *type);

/* What an Ethertype names: VLAN tags, then a PPPoE session (so PPPoE inside
 * QinQ is reached) or an MPLS label stack, else the Ethertype itself for
 * decode_ip. */
static enum decode_result ethertype_chain(struct rd *r, const struct decode_ctx *c,
					  uint16_t *type)
{
	enum decode_result res = skip_vlan_tags(r, c, type);
	if (res != DECODE_OK)
		return res;
	if (*type == ETHERTYPE_PPPOE_SESSION)
		return pppoe_session(r, c, type);
	if (*type == ETHERTYPE_MPLS || *type == ETHERTYPE_MPLS_MULTICAST)
		return decode_mpls(r, c, type);
	return DECODE_OK;
}

static enum decode_result ethernet(struct rd *r, const struct decode_ctx *c, uint16_t *type)
{
	if (!rd_skip(r, 12) || !rd_be16(r, type))
		return decode_short(c);
	enum decode_result res = ethertype_chain(r, c, type);
	if (res != DECODE_OK)
		return res;
	if (*type < ETHERTYPE_MIN)
		return DECODE_NON_IP;   /* 802.3 + LLC: not IP as Linux or BSD send it */
	return DECODE_OK;
}

/* A Linux cooked header's packet type for a packet its host sent
 * (linux/if_packet.h; pcap-linktype(7)). */
#define SLL_OUTGOING 4

/* Linux cooked v1: pkttype, ARPHRD type, address length, 8 address bytes, protocol. */
static enum decode_result linux_sll(struct rd *r, const struct decode_ctx *c, uint16_t *type)
{
	uint16_t pkttype;
	if (!rd_be16(r, &pkttype) || !rd_skip(r, 12) || !rd_be16(r, type))
		return decode_short(c);
	c->p->outgoing = pkttype == SLL_OUTGOING;
	return ethertype_chain(r, c, type);
}

/* Linux cooked v2: protocol first, then reserved, ifindex, ARPHRD, pkttype, addr. */
static enum decode_result linux_sll2(struct rd *r, const struct decode_ctx *c, uint16_t *type)
{
	uint8_t pkttype;
	if (!rd_be16(r, type) || !rd_skip(r, 8) || !rd_u8(r, &pkttype) || !rd_skip(r, 9))
		return decode_short(c);
	c->p->outgoing = pkttype == SLL_OUTGOING;
	return ethertype_chain(r, c, type);
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

/*
 * IEEE 802.2 LLC with a SNAP header (IEEE 802-2014 10.3; RFC 1042 for IP):
 * DSAP 0xAA, SSAP 0xAA, control 0x03 (UI), a 3-byte OUI, an Ethertype.
 * OUI 00-00-00 is RFC 1042, 00-00-F8 the 802.1H bridge tunnel; both carry
 * an Ethertype (tcpdump print-llc.c, Wireshark packet-llc.c). Any other
 * LLC (spanning tree, NetBIOS) is not IP.
 */
static enum decode_result llc_snap(struct rd *r, const struct decode_ctx *c, uint16_t *type)
{
	struct rd llc, snap;
	if (!rd_sub(r, &llc, 3))
		return decode_short(c);
	if (rd_u8_at(&llc, 0) != 0xaa || rd_u8_at(&llc, 1) != 0xaa || rd_u8_at(&llc, 2) != 0x03)
		return DECODE_NON_IP;
	if (!rd_sub(r, &snap, 5))
		return decode_short(c);
	uint32_t oui = (uint32_t)rd_u8_at(&snap, 0) << 16 | rd_be16_at(&snap, 1);
	if (oui != 0x000000 && oui != 0x0000f8)
		return DECODE_NON_IP;
	*type = rd_be16_at(&snap, 3);
	return ethertype_chain(r, c, type);
}

/*
 * DLT_IEEE802_11: the MAC header of IEEE 802.11-2020 9.2.3 and 9.3.2.1
 * (tcpdump print-802_11.c, Wireshark packet-ieee80211.c). Frame control,
 * little-endian: bits 0-1 protocol version (0), 2-3 type (2 = data), 4-7
 * subtype; flags ToDS 0x01, FromDS 0x02, More Fragments 0x04, Protected
 * 0x40, +HTC/Order 0x80. Then duration, addresses 1-3 and sequence control
 * (24 bytes), address 4 when ToDS and FromDS are both set, QoS control (2)
 * in QoS subtypes (bit 3 of the subtype), HT control (4) in a QoS frame
 * with the Order bit. The body of a data frame starts with LLC/SNAP.
 */
#define WLAN_FC_TODS 0x01
#define WLAN_FC_FROMDS 0x02
#define WLAN_FC_MOREFRAG 0x04
#define WLAN_FC_PROTECTED 0x40
#define WLAN_FC_ORDER 0x80
#define WLAN_SUBTYPE_QOS 0x8
#define WLAN_SUBTYPE_NODATA 0x4   /* Null, CF-Ack, CF-Poll and their QoS forms */
#define WLAN_QOS_AMSDU 0x80       /* QoS control bit 7: A-MSDU Present */

static enum decode_result ieee80211(struct rd *r, const struct decode_ctx *c, uint16_t *type)
{
	struct rd h;
	if (!rd_sub(r, &h, 24))
		return decode_short(c);
	uint8_t fc = rd_u8_at(&h, 0), flags = rd_u8_at(&h, 1);
	uint8_t subtype = fc >> 4;
	if ((fc & 0x03) != 0)
		return DECODE_UNPARSED;    /* a protocol version this header layout is not */
	if (((fc >> 2) & 0x03) != 2)
		return DECODE_NON_IP;      /* management, control, extension */
	if (subtype & WLAN_SUBTYPE_NODATA)
		return DECODE_NON_IP;      /* no frame body */
	/* WEP, TKIP, CCMP, GCMP: without the keys the body is ciphertext. */
	if (flags & WLAN_FC_PROTECTED)
		return DECODE_ENCRYPTED;
	/* Sequence control, little-endian: fragment number in its low 4 bits. */
	if ((flags & WLAN_FC_MOREFRAG) || (rd_u8_at(&h, 22) & 0x0f))
		return DECODE_FRAGMENT;
	if ((flags & (WLAN_FC_TODS | WLAN_FC_FROMDS)) == (WLAN_FC_TODS | WLAN_FC_FROMDS) &&
	    !rd_skip(r, 6))
		return decode_short(c);
	if (subtype & WLAN_SUBTYPE_QOS) {
		uint16_t qos;
		if (!rd_le16(r, &qos))
			return decode_short(c);
		if ((flags & WLAN_FC_ORDER) && !rd_skip(r, 4))
			return decode_short(c);
		/* Several MSDUs in one frame: one frame would be several segments. */
		if (qos & WLAN_QOS_AMSDU)
			return DECODE_UNPARSED;
	}
	return llc_snap(r, c, type);
}

/*
 * DLT_IEEE802_11_RADIO: a radiotap header before the 802.11 frame
 * (radiotap.org "Radiotap header": it_version 0, it_pad, it_len
 * little-endian and covering the whole header, it_present...). Only its
 * length matters here: the fields describe the radio, not the frame.
 */
static enum decode_result radiotap(struct rd *r, const struct decode_ctx *c, uint16_t *type)
{
	struct rd h;
	if (!rd_sub(r, &h, 8))
		return decode_short(c);
	if (rd_u8_at(&h, 0) != 0)
		return DECODE_UNPARSED;
	uint16_t len = rd_le16_at(&h, 2);
	if (len < 8)
		return DECODE_INVALID;
	if (!rd_skip(r, len - 8u))
		return decode_short(c);
	return ieee80211(r, c, type);
}

/* A link type named inside a frame (PPI, PKTAP), decoded through the
 * table. Those two are not nested again: a header naming itself would
 * otherwise recurse once per 8 bytes of frame. */
static enum decode_result inner_link(uint32_t dlt, struct rd *r, const struct decode_ctx *c,
				     uint16_t *type)
{
	if (dlt == DLT_PPI || dlt == DLT_PKTAP || dlt == DLT_USER2 || dlt > INT32_MAX)
		return DECODE_UNPARSED;
	const struct link_type *lt = link_type_find((int)dlt);
	if (!lt)
		return DECODE_UNPARSED;
	return lt->decode(r, c, type);
}

/*
 * DLT_PPI: CACE Technologies' Per-Packet Information header (PPI
 * specification 1.0.10; tcpdump print-ppi.c): pph_version 0, pph_flags,
 * pph_len (little-endian, the whole header with its fields), pph_dlt
 * (little-endian), then a frame of that DLT, usually 802.11.
 */
static enum decode_result ppi(struct rd *r, const struct decode_ctx *c, uint16_t *type)
{
	struct rd h;
	if (!rd_sub(r, &h, 8))
		return decode_short(c);
	if (rd_u8_at(&h, 0) != 0)
		return DECODE_UNPARSED;
	uint16_t len = rd_le16_at(&h, 2);
	uint32_t dlt = rd_le32_at(&h, 4);
	if (len < 8)
		return DECODE_INVALID;
	if (!rd_skip(r, len - 8u))
		return decode_short(c);
	return inner_link(dlt, r, c, type);
}

/*
 * The PPP protocol field (RFC 1661 2): IPv4 0x0021, IPv6 0x0057 (RFC
 * 5072). With Protocol-Field-Compression (RFC 1661 6.5) a value below
 * 0x100 is sent as one byte; values have an even first byte and an odd
 * last one, so an odd first byte is a whole 1-byte field (tcpdump
 * print-ppp.c, Wireshark packet-ppp.c).
 */
static enum decode_result ppp_protocol(struct rd *r, const struct decode_ctx *c,
				       uint16_t *type)
{
	uint8_t b0, b1;
	if (!rd_u8(r, &b0))
		return decode_short(c);
	uint16_t proto = b0;
	if (!(b0 & 1)) {
		if (!rd_u8(r, &b1))
			return decode_short(c);
		proto = (uint16_t)(b0 << 8 | b1);
	}
	switch (proto) {
	case 0x0021: *type = ETHERTYPE_IPV4; return DECODE_OK;
	case 0x0057: *type = ETHERTYPE_IPV6; return DECODE_OK;
	/* Van Jacobson compressed TCP/IP (RFC 1144): deltas against state
	 * kept by both ends, not a header that can be read alone. */
	case 0x002d: case 0x002f: return DECODE_UNPARSED;
	default: return DECODE_NON_IP;   /* LCP, IPCP, CHAP, ... */
	}
}

/*
 * DLT_PPP: address 0xFF and control 0x03 (RFC 1662 3.1), absent when
 * Address-and-Control-Field-Compression is in use (RFC 1661 6.6), then the
 * protocol field. 0xFF cannot start a protocol field, so the two cases
 * cannot be mistaken (tcpdump print-ppp.c ppp_print).
 */
static enum decode_result ppp(struct rd *r, const struct decode_ctx *c, uint16_t *type)
{
	struct rd h = *r;
	uint16_t addr_ctl;
	/* Under 2 bytes no IP fits, and a lone 0xFF must not pass for a protocol. */
	if (!rd_be16(&h, &addr_ctl))
		return decode_short(c);
	if (addr_ctl == 0xff03)
		*r = h;
	return ppp_protocol(r, c, type);
}

/*
 * DLT_C_HDLC: Cisco HDLC (tcpdump print-chdlc.c, Wireshark
 * packet-chdlc.c): address (0x0F unicast, 0x8F broadcast), control 0x00,
 * then an Ethertype (SLARP 0x8035 and CDP 0x2000 are not IP).
 */
static enum decode_result c_hdlc(struct rd *r, const struct decode_ctx *c, uint16_t *type)
{
	if (!rd_skip(r, 2) || !rd_be16(r, type))
		return decode_short(c);
	return ethertype_chain(r, c, type);
}

/*
 * DLT_PPP_SERIAL: PPP in HDLC-like framing (RFC 1662), or Cisco HDLC on the
 * same kind of link, told apart by the address byte as tcpdump's
 * ppp_hdlc_if_print does: 0x0F and 0x8F are Cisco's, 0xFF is PPP's.
 */
static enum decode_result ppp_serial(struct rd *r, const struct decode_ctx *c, uint16_t *type)
{
	struct rd h = *r;
	uint8_t addr;
	if (!rd_u8(&h, &addr))
		return decode_short(c);
	if (addr == 0x0f || addr == 0x8f)
		return c_hdlc(r, c, type);
	return ppp(r, c, type);
}

/*
 * PPPoE (RFC 2516 4): version and type in one byte (0x11), code (0x00 in
 * the session stage; discovery packets carry tags, not IP), session id,
 * payload length, then the PPP protocol field with no address or control.
 * Both DLT_PPP_ETHER and Ethertype 0x8864 start here.
 */
static enum decode_result pppoe_session(struct rd *r, const struct decode_ctx *c,
					uint16_t *type)
{
	struct rd h;
	if (!rd_sub(r, &h, 6))
		return decode_short(c);
	if (rd_u8_at(&h, 0) != 0x11)
		return DECODE_UNPARSED;
	if (rd_u8_at(&h, 1) != 0x00)
		return DECODE_NON_IP;
	return ppp_protocol(r, c, type);
}

/*
 * DLT_FDDI (ANSI X3.139; tcpdump print-fddi.c): frame control, destination
 * and source addresses (6 each). Only asynchronous LLC frames (frame
 * control 0x5X) carry LLC, and IP then rides in SNAP (RFC 1390); SMT and
 * MAC frames are not IP.
 */
static enum decode_result fddi(struct rd *r, const struct decode_ctx *c, uint16_t *type)
{
	struct rd h;
	if (!rd_sub(r, &h, 13))
		return decode_short(c);
	if ((rd_u8_at(&h, 0) & 0xf0) != 0x50)
		return DECODE_NON_IP;
	return llc_snap(r, c, type);
}

/*
 * DLT_NFLOG: Linux's nfnetlink_log records (libpcap pcap/nflog.h; tcpdump
 * print-nflog.c): family (NFPROTO_IPV4 2, NFPROTO_IPV6 10), version 0 and
 * a big-endian resource id, then TLVs whose length (counting its 4-byte
 * header, the value padded to 4) and type are in host byte order: libpcap
 * converts them to the reading host's order (pcap-common.c
 * swap_nflog_header). NFULA_PAYLOAD (9) holds the packet from its IP header.
 */
#define NFULA_PAYLOAD 9

static bool nflog_u16(struct rd *r, uint16_t *v)
{
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	return rd_be16(r, v);
#else
	return rd_le16(r, v);
#endif
}

static enum decode_result nflog(struct rd *r, const struct decode_ctx *c, uint16_t *type)
{
	struct rd h;
	if (!rd_sub(r, &h, 4))
		return decode_short(c);
	if (rd_u8_at(&h, 1) != 0)
		return DECODE_UNPARSED;
	switch (rd_u8_at(&h, 0)) {
	case 2: *type = ETHERTYPE_IPV4; break;
	case 10: *type = ETHERTYPE_IPV6; break;
	default: return DECODE_NON_IP;   /* bridge, ARP and other families */
	}
	for (;;) {
		uint16_t len, tlv_type;
		if (rd_left(r) == 0 && c->uncaptured == 0)
			return DECODE_NON_IP;   /* a record without the packet */
		if (!nflog_u16(r, &len) || !nflog_u16(r, &tlv_type))
			return decode_short(c);
		if (len < 4)
			return DECODE_INVALID;
		if (tlv_type == NFULA_PAYLOAD)
			return DECODE_OK;
		size_t value = len - 4u, padded = (len + 3u) / 4 * 4 - 4u;
		/* The last TLV's padding may be missing from the record. */
		if (padded > rd_left(r) && value <= rd_left(r))
			padded = rd_left(r);
		if (!rd_skip(r, padded))
			return decode_short(c);
	}
}

/*
 * DLT_PFLOG: OpenBSD pf's log header (OpenBSD net/if_pflog.h; tcpdump
 * print-pflog.c): its length in the first byte, padded to 4 bytes
 * (BPF_WORDALIGN), and the address family in the second. The length has
 * grown between OS versions (45, 61, 100 bytes), so it is read, never
 * assumed; below tcpdump's minimum of 45 it is invalid. pf also runs on
 * FreeBSD and macOS, whose IPv6 families differ: bsd_family knows them.
 */
static enum decode_result pflog(struct rd *r, const struct decode_ctx *c, uint16_t *type)
{
	struct rd h;
	if (!rd_sub(r, &h, 2))
		return decode_short(c);
	uint8_t len = rd_u8_at(&h, 0), af = rd_u8_at(&h, 1);
	if (len < 45)
		return DECODE_INVALID;
	if (!rd_skip(r, (len + 3u) / 4 * 4 - 2u))
		return decode_short(c);
	return bsd_family(af, type);
}

/*
 * DLT_IPNET: Solaris/illumos ipnet (tcpdump print-ipnet.c, Wireshark
 * packet-ipnet.c): a 24-byte header, version, family (IPH_AF_INET 2,
 * IPH_AF_INET6 26), hook type, packet length, interface and zone ids.
 */
static enum decode_result ipnet(struct rd *r, const struct decode_ctx *c, uint16_t *type)
{
	struct rd h;
	if (!rd_sub(r, &h, 24))
		return decode_short(c);
	switch (rd_u8_at(&h, 1)) {
	case 2: *type = ETHERTYPE_IPV4; return DECODE_OK;
	case 26: *type = ETHERTYPE_IPV6; return DECODE_OK;
	default: return DECODE_NON_IP;
	}
}

/*
 * Apple PKTAP, DLT_PKTAP (258) and DLT_USER2 (149), which macOS writes
 * (tcpdump print-pktap.c, Wireshark packet-pktap.c, libpcap pcap/dlt.h):
 * little-endian pkt_len (the header's length, at least 108), pkt_rectype
 * (1: a packet follows), pkt_dlt (that packet's DLT, usually Ethernet),
 * then interface and process fields this skips.
 */
#define PKTAP_MIN_LEN 108
#define PKTAP_REC_PACKET 1

static enum decode_result pktap(struct rd *r, const struct decode_ctx *c, uint16_t *type)
{
	struct rd h;
	if (!rd_sub(r, &h, 12))
		return decode_short(c);
	uint32_t len = rd_le32_at(&h, 0), rectype = rd_le32_at(&h, 4), dlt = rd_le32_at(&h, 8);
	if (len < PKTAP_MIN_LEN)
		return DECODE_INVALID;
	if (rectype != PKTAP_REC_PACKET)
		return DECODE_NON_IP;
	if (!rd_skip(r, len - 12u))
		return decode_short(c);
	return inner_link(dlt, r, c, type);
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
	{ DLT_IEEE802_11, "IEEE802_11 (802.11)", ieee80211 },
	{ DLT_IEEE802_11_RADIO, "IEEE802_11_RADIO (radiotap + 802.11)", radiotap },
	{ DLT_PPI, "PPI (PPI + 802.11 or another link type)", ppi },
	{ DLT_PPP, "PPP", ppp },
	{ DLT_PPP_SERIAL, "PPP_SERIAL (PPP or Cisco HDLC in HDLC framing)", ppp_serial },
	{ DLT_PPP_ETHER, "PPP_ETHER (PPPoE)", pppoe_session },
	{ DLT_C_HDLC, "C_HDLC (Cisco HDLC)", c_hdlc },
	{ DLT_FDDI, "FDDI", fddi },
	{ DLT_NFLOG, "NFLOG (Linux nflog)", nflog },
	{ DLT_PFLOG, "PFLOG (OpenBSD pf)", pflog },
	{ DLT_IPNET, "IPNET (Solaris ipnet)", ipnet },
	{ DLT_PKTAP, "PKTAP (Apple)", pktap },
	{ DLT_USER2, "USER2 (Apple PKTAP)", pktap },
};

#define N_LINK_TYPES (sizeof link_types / sizeof link_types[0])

static enum decode_result unsupported(struct rd *r, const struct decode_ctx *c, uint16_t *type)
{
	return DECODE_UNPARSED;
}

const struct link_type *link_type_unsupported(void)
{
	static const struct link_type none = { -1, "unsupported", unsupported };
	return &none;
}

const struct link_type *link_type_find(int dlt)
{
	for (size_t i = 0; i < N_LINK_TYPES; i++)
		if (link_types[i].dlt == dlt)
			return &link_types[i];
	return NULL;
}

const struct link_type *link_type_at(unsigned i)
{
	return i < N_LINK_TYPES ? &link_types[i] : NULL;
}

/* The table's libpcap names, each up to its first space: the list cannot
 * miss an entry. */
const char *link_type_supported_list(void)
{
	static char list[N_LINK_TYPES * 24];
	if (list[0])
		return list;
	size_t n = 0;
	for (size_t i = 0; i < N_LINK_TYPES; i++) {
		const char *name = link_types[i].name;
		size_t len = strcspn(name, " ");
		assert(n + len + 3 <= sizeof list);
		if (i) {
			memcpy(list + n, ", ", 2);
			n += 2;
		}
		memcpy(list + n, name, len);
		n += len;
	}
	list[n] = '\0';
	return list;
}

static const char *const result_names[DECODE_RESULT_COUNT] = {
	[DECODE_OK] = "tcp",
	[DECODE_NON_IP] = "non_ip",
	[DECODE_NON_TCP] = "non_tcp",
	[DECODE_FRAGMENT] = "fragment",
	[DECODE_TRUNCATED] = "truncated",
	[DECODE_INVALID] = "invalid",
	[DECODE_UNPARSED] = "unparsed",
	[DECODE_ENCRYPTED] = "encrypted",
};

const char *decode_result_name(enum decode_result r)
{
	return (unsigned)r < DECODE_RESULT_COUNT ? result_names[r] : "?";
}

enum decode_result decode_frame(const struct link_type *lt, const uint8_t *bytes,
				struct pkt *p)
{
	struct decode_ctx c = {
		.uncaptured = p->wirelen > p->caplen ? p->wirelen - p->caplen : 0,
		.p = p,
	};
	p->outgoing = false;
	p->tun.n = 0;
	p->tunnel = 0;
	p->tunnel_path = 0;
	struct rd r = rd_init(bytes, p->caplen);
	uint16_t type = 0;
	enum decode_result res = lt->decode(&r, &c, &type);
	if (res != DECODE_OK)
		return res;
	/* One call site for decode_ip, which every packet reaches, so that it
	 * is inlined. The loop ends: every tunnel records a layer before it
	 * says what it carries, and the layers are bounded. */
	for (;;) {
		res = decode_ip(&r, &c, type, p);
		if (res != DECODE_INNER)
			return res;
		if (p->tun.inner == ETHERTYPE_TEB)
			res = ethernet(&r, &c, &type);
		else if (p->tun.inner == 0)
			res = raw_ip(&r, &c, &type);
		else
			type = p->tun.inner;
		if (res != DECODE_INNER && res != DECODE_OK)
			return res;
	}
}
