/*
 * Unit tests of the link, IP and TCP decoders on hand-built frames,
 * including every truncation of each frame and the malformed cases the
 * decoders must count rather than trust.
 */
#include <stdlib.h>

#include <pcap/dlt.h>

#include "check.h"
#include "decode.h"
#include "pktbuild.h"

static enum decode_result run(int dlt, const struct buf *b, uint32_t caplen, uint32_t wirelen,
			      struct pkt *p)
{
	memset(p, 0, sizeof *p);
	p->caplen = caplen;
	p->wirelen = wirelen;
	/* A heap copy of exactly caplen bytes: under ASan a read past the
	 * captured bytes hits the redzone instead of the rest of b->b. */
	uint8_t *frame = malloc(caplen ? caplen : 1);
	CHECK(frame != NULL);
	memcpy(frame, b->b, caplen);
	enum decode_result r = decode_frame(link_type_find(dlt), frame, p);
	/* The payload must not point into the freed copy. */
	if (r == DECODE_OK)
		p->payload = b->b + (p->payload - frame);
	free(frame);
	return r;
}

static enum decode_result run_whole(int dlt, const struct buf *b, struct pkt *p)
{
	return run(dlt, b, (uint32_t)b->n, (uint32_t)b->n, p);
}

static const uint8_t syn_opts[20] = {
	2, 4, 0x05, 0xb4,                 /* MSS 1460 */
	4, 2,                             /* SACK permitted */
	8, 10, 0, 0, 0, 7, 0, 0, 0, 0,    /* timestamps 7, 0 */
	1,                                /* NOP */
	3, 3, 7,                          /* window scale 7 */
};

/* Ethernet + IPv4 + TCP with options and 10 bytes of payload. */
static void eth_ipv4_tcp(struct buf *b)
{
	b->n = 0;
	put_eth(b, 0x0800);
	put_ipv4(b, 5, 20 + 40 + 10, 0x4000, 6, 63, 4242);
	put_tcp(b, 51234, 80, 1000, 2000, 10, 0x18, 512, syn_opts, sizeof syn_opts);
	put_bytes(b, "GET / HTTP", 10);
}

static void test_ipv4_fields(void)
{
	struct buf b;
	struct pkt p;
	eth_ipv4_tcp(&b);
	CHECK_EQ(run_whole(DLT_EN10MB, &b, &p), DECODE_OK);
	CHECK_EQ(p.ipver, 4);
	CHECK_EQ(p.ttl, 63);
	CHECK_EQ(p.ip_id, 4242);
	CHECK(p.ip_df);
	CHECK(!p.ip_opts);
	CHECK_EQ(p.src[0], 10);
	CHECK_EQ(p.dst[3], 2);
	CHECK_EQ(p.sport, 51234);
	CHECK_EQ(p.dport, 80);
	CHECK_EQ(p.seq, 1000);
	CHECK_EQ(p.ack, 2000);
	CHECK_EQ(p.flags, 0x18);
	CHECK_EQ(p.window, 512);
	CHECK(p.opts.has_mss && p.opts.mss == 1460);
	CHECK(p.opts.sack_perm);
	CHECK(p.opts.has_ts && p.opts.tsval == 7);
	CHECK(p.opts.has_wscale && p.opts.wscale == 7);
	CHECK(!p.opts.malformed);
	CHECK_EQ(p.payload_len, 10);
	CHECK_EQ(p.payload_caplen, 10);
	CHECK(memcmp(p.payload, "GET / HTTP", 10) == 0);
}

/*
 * Every cut of a good frame: snaplen cuts (caplen < wire) before the TCP
 * window's end are "truncated"; from there on (checksum, urgent pointer,
 * options, payload) the segment is still used; a frame that really is
 * that short is "invalid".
 */
static void test_every_cut(int dlt, const struct buf *b, size_t tcp_off, uint32_t payload)
{
	struct pkt p;
	for (size_t cut = 0; cut < b->n; cut++) {
		enum decode_result r = run(dlt, b, (uint32_t)cut, (uint32_t)b->n, &p);
		if (cut < tcp_off + 16)
			CHECK_EQ(r, DECODE_TRUNCATED);
		else {
			CHECK_EQ(r, DECODE_OK);
			CHECK_EQ(p.payload_len, payload);   /* the true length, from the IP header */
			CHECK(payload == 0 || p.payload_caplen < payload);
		}
		r = run(dlt, b, (uint32_t)cut, (uint32_t)cut, &p);
		CHECK(r == DECODE_INVALID || r == DECODE_NON_IP);
	}
}

static void test_cuts(void)
{
	struct buf b;
	eth_ipv4_tcp(&b);
	test_every_cut(DLT_EN10MB, &b, 14 + 20, 10);
}

static void test_vlan(void)
{
	struct buf b = { .n = 0 };
	struct pkt p;
	static const uint8_t macs[12] = { 0 };
	put_bytes(&b, macs, 12);
	put16(&b, 0x88a8); put16(&b, 100);   /* 802.1ad outer */
	put16(&b, 0x8100); put16(&b, 200);   /* 802.1Q inner */
	put16(&b, 0x0800);
	put_ipv4(&b, 5, 40, 0, 6, 64, 1);
	put_tcp(&b, 1, 2, 3, 4, 5, 0x04, 0, NULL, 0);
	CHECK_EQ(run_whole(DLT_EN10MB, &b, &p), DECODE_OK);
	CHECK_EQ(p.flags, 0x04);
	test_every_cut(DLT_EN10MB, &b, 12 + 4 + 4 + 2 + 20, 0);

	/* A deep stack of tags is walked to its end, as Wireshark does: the
	 * frame bounds the walk; cut inside the stack, the frame is truncated. */
	b.n = 0;
	put_bytes(&b, macs, 12);
	for (int i = 0; i < 20; i++) {
		put16(&b, 0x9100);
		put16(&b, 1);
	}
	put16(&b, 0x0800);
	put_ipv4(&b, 5, 40, 0, 6, 64, 1);
	put_tcp(&b, 1, 2, 3, 4, 5, 0x04, 0, NULL, 0);
	CHECK_EQ(run_whole(DLT_EN10MB, &b, &p), DECODE_OK);
	CHECK_EQ(p.flags, 0x04);
	CHECK_EQ(run(DLT_EN10MB, &b, 12 + 4 * 10, (uint32_t)b.n, &p), DECODE_TRUNCATED);
}

static void test_non_ip(void)
{
	struct buf b = { .n = 0 };
	struct pkt p;
	put_eth(&b, 0x0806);   /* ARP */
	put_zero(&b, 28);
	CHECK_EQ(run_whole(DLT_EN10MB, &b, &p), DECODE_NON_IP);
	b.n = 0;
	put_eth(&b, 100);      /* 802.3 length field */
	put_zero(&b, 100);
	CHECK_EQ(run_whole(DLT_EN10MB, &b, &p), DECODE_NON_IP);
	/* Ethertype says IPv4, version nibble disagrees. */
	b.n = 0;
	put_eth(&b, 0x0800);
	put_ipv4(&b, 5, 40, 0, 6, 64, 1);
	b.b[14] = 0x65;
	put_tcp(&b, 1, 2, 3, 4, 5, 0x04, 0, NULL, 0);
	CHECK_EQ(run_whole(DLT_EN10MB, &b, &p), DECODE_INVALID);
}

static void test_ipv4_malformed(void)
{
	struct buf b;
	struct pkt p;
	size_t ip;

	/* IHL below 5. */
	b.n = 0; put_eth(&b, 0x0800); ip = put_ipv4(&b, 5, 40, 0, 6, 64, 1);
	b.b[ip] = 0x44;
	put_tcp(&b, 1, 2, 3, 4, 5, 0x04, 0, NULL, 0);
	CHECK_EQ(run_whole(DLT_EN10MB, &b, &p), DECODE_INVALID);

	/* Total length shorter than the header. */
	b.n = 0; put_eth(&b, 0x0800); put_ipv4(&b, 5, 12, 0, 6, 64, 1);
	put_tcp(&b, 1, 2, 3, 4, 5, 0x04, 0, NULL, 0);
	CHECK_EQ(run_whole(DLT_EN10MB, &b, &p), DECODE_INVALID);

	/* Total length beyond what the frame carried on the wire. */
	b.n = 0; put_eth(&b, 0x0800); put_ipv4(&b, 5, 400, 0, 6, 64, 1);
	put_tcp(&b, 1, 2, 3, 4, 5, 0x04, 0, NULL, 0);
	CHECK_EQ(run_whole(DLT_EN10MB, &b, &p), DECODE_INVALID);

	/* Ethernet padding after a short datagram is not payload. */
	b.n = 0; put_eth(&b, 0x0800); put_ipv4(&b, 5, 40, 0, 6, 64, 1);
	put_tcp(&b, 1, 2, 3, 4, 5, 0x04, 0, NULL, 0);
	put_zero(&b, 6);
	CHECK_EQ(run_whole(DLT_EN10MB, &b, &p), DECODE_OK);
	CHECK_EQ(p.payload_len, 0);

	/* Total length 0 (TSO, captured on the sender): the frame gives the length. */
	b.n = 0; put_eth(&b, 0x0800); put_ipv4(&b, 5, 0, 0, 6, 64, 1);
	put_tcp(&b, 1, 2, 3, 4, 5, 0x18, 0, NULL, 0);
	put_zero(&b, 3000);
	CHECK_EQ(run_whole(DLT_EN10MB, &b, &p), DECODE_OK);
	CHECK_EQ(p.payload_len, 3000);

	/* Options: IHL 7 is walked past. */
	b.n = 0; put_eth(&b, 0x0800); put_ipv4(&b, 7, 48, 0, 6, 64, 1);
	put_tcp(&b, 1, 2, 3, 4, 5, 0x04, 0, NULL, 0);
	CHECK_EQ(run_whole(DLT_EN10MB, &b, &p), DECODE_OK);
	CHECK(p.ip_opts);
	CHECK_EQ(p.sport, 1);
	test_every_cut(DLT_EN10MB, &b, 14 + 28, 0);

	/* Fragments: more-fragments set, or a non-zero offset. */
	b.n = 0; put_eth(&b, 0x0800); put_ipv4(&b, 5, 40, 0x2000, 6, 64, 1);
	put_tcp(&b, 1, 2, 3, 4, 5, 0x04, 0, NULL, 0);
	CHECK_EQ(run_whole(DLT_EN10MB, &b, &p), DECODE_FRAGMENT);
	b.n = 0; put_eth(&b, 0x0800); put_ipv4(&b, 5, 40, 0x0010, 6, 64, 1);
	put_zero(&b, 20);
	CHECK_EQ(run_whole(DLT_EN10MB, &b, &p), DECODE_FRAGMENT);

	/* UDP. */
	b.n = 0; put_eth(&b, 0x0800); put_ipv4(&b, 5, 28, 0, 17, 64, 1);
	put_zero(&b, 8);
	CHECK_EQ(run_whole(DLT_EN10MB, &b, &p), DECODE_NON_TCP);
}

static void test_tcp_malformed(void)
{
	struct buf b;
	struct pkt p;

	/* Data offset below 5. */
	b.n = 0; put_eth(&b, 0x0800); put_ipv4(&b, 5, 40, 0, 6, 64, 1);
	put_tcp(&b, 1, 2, 3, 4, 4, 0x04, 0, NULL, 0);
	CHECK_EQ(run_whole(DLT_EN10MB, &b, &p), DECODE_INVALID);

	/* Data offset past the segment: the fixed header still counts (Wireshark
	 * shows its flags), the whole segment taken as header and so marked. */
	b.n = 0; put_eth(&b, 0x0800); put_ipv4(&b, 5, 40, 0, 6, 64, 1);
	put_tcp(&b, 1, 2, 3, 4, 15, 0x04, 0, NULL, 0);
	CHECK_EQ(run_whole(DLT_EN10MB, &b, &p), DECODE_OK);
	CHECK(p.offset_past);
	CHECK_EQ(p.flags, 0x04);
	CHECK_EQ(p.payload_len, 0);

	/* Segment shorter than a TCP header. */
	b.n = 0; put_eth(&b, 0x0800); put_ipv4(&b, 5, 30, 0, 6, 64, 1);
	put_zero(&b, 10);
	CHECK_EQ(run_whole(DLT_EN10MB, &b, &p), DECODE_INVALID);

	/* Option with length 0, with length 1, and one running past the header. */
	static const uint8_t len0[4] = { 2, 0, 0, 0 }, len1[4] = { 8, 1, 0, 0 },
			     over[4] = { 8, 10, 0, 0 };
	const uint8_t *bad[3] = { len0, len1, over };
	for (int i = 0; i < 3; i++) {
		b.n = 0; put_eth(&b, 0x0800); put_ipv4(&b, 5, 44, 0, 6, 64, 1);
		put_tcp(&b, 1, 2, 3, 4, 6, 0x04, 0, bad[i], 4);
		CHECK_EQ(run_whole(DLT_EN10MB, &b, &p), DECODE_OK);
		CHECK(p.opts.malformed);
		CHECK(!p.opts.has_ts);
	}

	/* RST carrying payload (RFC 9293 3.5.3 allows diagnostic text). */
	b.n = 0; put_eth(&b, 0x0800); put_ipv4(&b, 5, 45, 0, 6, 64, 1);
	put_tcp(&b, 1, 2, 3, 4, 5, 0x04, 0, NULL, 0);
	put_bytes(&b, "oops!", 5);
	CHECK_EQ(run_whole(DLT_EN10MB, &b, &p), DECODE_OK);
	CHECK_EQ(p.payload_len, 5);
}

static void ipv6_tcp(struct buf *b, size_t *tcp_off)
{
	b->n = 0;
	put_eth(b, 0x86dd);
	/* hop-by-hop (8) -> destination options (16) -> atomic fragment (8) -> TCP (20) + 10 */
	put_ipv6(b, 8 + 16 + 8 + 20 + 10, 0, 57);
	put8(b, 60); put8(b, 0); put_zero(b, 6);
	put8(b, 44); put8(b, 1); put_zero(b, 14);
	put8(b, 6); put8(b, 0); put16(b, 0); put32(b, 0x12345678);
	*tcp_off = b->n;
	put_tcp(b, 443, 40000, 9, 10, 5, 0x14, 0, NULL, 0);
	put_bytes(b, "0123456789", 10);
}

static void test_ipv6(void)
{
	struct buf b;
	struct pkt p;
	size_t tcp_off;
	ipv6_tcp(&b, &tcp_off);
	CHECK_EQ(run_whole(DLT_EN10MB, &b, &p), DECODE_OK);
	CHECK_EQ(p.ipver, 6);
	CHECK_EQ(p.ttl, 57);
	CHECK(p.ip_opts);
	CHECK_EQ(p.sport, 443);
	CHECK_EQ(p.flags, 0x14);
	CHECK_EQ(p.payload_len, 10);
	CHECK_EQ(p.src[0], 0xfd);
	test_every_cut(DLT_EN10MB, &b, tcp_off, 10);

	/* A real fragment (offset 0, more fragments). */
	b.n = 0; put_eth(&b, 0x86dd); put_ipv6(&b, 8 + 20, 44, 64);
	put8(&b, 6); put8(&b, 0); put16(&b, 1); put32(&b, 1);
	put_tcp(&b, 1, 2, 3, 4, 5, 0x04, 0, NULL, 0);
	CHECK_EQ(run_whole(DLT_EN10MB, &b, &p), DECODE_FRAGMENT);

	/* ESP cannot be looked into. */
	b.n = 0; put_eth(&b, 0x86dd); put_ipv6(&b, 20, 50, 64); put_zero(&b, 20);
	CHECK_EQ(run_whole(DLT_EN10MB, &b, &p), DECODE_UNPARSED);

	/* No next header. */
	b.n = 0; put_eth(&b, 0x86dd); put_ipv6(&b, 0, 59, 64);
	CHECK_EQ(run_whole(DLT_EN10MB, &b, &p), DECODE_NON_TCP);

	/* An extension header claiming more than the payload. */
	b.n = 0; put_eth(&b, 0x86dd); put_ipv6(&b, 8 + 20, 60, 64);
	put8(&b, 6); put8(&b, 10); put_zero(&b, 6);
	put_tcp(&b, 1, 2, 3, 4, 5, 0x04, 0, NULL, 0);
	CHECK_EQ(run_whole(DLT_EN10MB, &b, &p), DECODE_INVALID);

	/* AH: length in 4-octet units minus 2. */
	b.n = 0; put_eth(&b, 0x86dd); put_ipv6(&b, 16 + 20, 51, 64);
	put8(&b, 6); put8(&b, 2); put_zero(&b, 14);
	put_tcp(&b, 7, 8, 3, 4, 5, 0x04, 0, NULL, 0);
	CHECK_EQ(run_whole(DLT_EN10MB, &b, &p), DECODE_OK);
	CHECK_EQ(p.sport, 7);

	/* A chain longer than any real one is still walked: each header takes
	 * 8 bytes at least, so the datagram's length bounds it. */
	b.n = 0; put_eth(&b, 0x86dd); put_ipv6(&b, 20 * 8 + 20, 60, 64);
	for (int i = 0; i < 20; i++) {
		put8(&b, i == 19 ? 6 : 60); put8(&b, 0); put_zero(&b, 6);
	}
	put_tcp(&b, 1, 2, 3, 4, 5, 0x04, 0, NULL, 0);
	CHECK_EQ(run_whole(DLT_EN10MB, &b, &p), DECODE_OK);
	CHECK_EQ(p.flags, 0x04);
}

/* The same IPv4 segment behind each supported link header. */
static void test_link_types(void)
{
	struct buf ip = { .n = 0 }, b;
	struct pkt p;
	put_ipv4(&ip, 5, 40, 0, 6, 64, 1);
	put_tcp(&ip, 5555, 80, 3, 4, 5, 0x14, 0, NULL, 0);

	struct {
		int dlt;
		uint8_t hdr[24];
		size_t hlen;
	} cases[] = {
		{ DLT_LINUX_SLL, { 0, 0, 0, 1, 0, 6, 1, 2, 3, 4, 5, 6, 0, 0, 0x08, 0x00 }, 16 },
		{ DLT_LINUX_SLL2, { 0x08, 0x00, 0, 0, 0, 0, 0, 2, 0, 1, 0, 6, 1, 2, 3, 4, 5, 6, 0, 0 }, 20 },
		{ DLT_RAW, { 0 }, 0 },
		{ DLT_IPV4, { 0 }, 0 },
		{ DLT_NULL, { 2, 0, 0, 0 }, 4 },      /* little-endian AF_INET */
		{ DLT_NULL, { 0, 0, 0, 2 }, 4 },      /* written by a big-endian host */
		{ DLT_LOOP, { 0, 0, 0, 2 }, 4 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		b.n = 0;
		put_bytes(&b, cases[i].hdr, cases[i].hlen);
		put_bytes(&b, ip.b, ip.n);
		CHECK(link_type_find(cases[i].dlt) != NULL);
		CHECK_EQ(run_whole(cases[i].dlt, &b, &p), DECODE_OK);
		CHECK_EQ(p.sport, 5555);
		test_every_cut(cases[i].dlt, &b, cases[i].hlen + 20, 0);
	}

	/* A cooked header's packet type 4 (PACKET_OUTGOING): the capturing
	 * host sent it; other types (0, to us; 3, to another host) and other
	 * link types say nothing of it. */
	for (int v2 = 0; v2 < 2; v2++) {
		for (uint8_t type = 0; type <= 4; type++) {
			b.n = 0;
			put_bytes(&b, cases[v2].hdr, cases[v2].hlen);
			b.b[v2 ? 10 : 1] = type;
			put_bytes(&b, ip.b, ip.n);
			CHECK_EQ(run_whole(cases[v2].dlt, &b, &p), DECODE_OK);
			CHECK_EQ(p.outgoing, type == 4);
		}
	}
	b.n = 0;
	put_bytes(&b, ip.b, ip.n);
	p.outgoing = true;
	CHECK_EQ(run_whole(DLT_RAW, &b, &p), DECODE_OK);
	CHECK(!p.outgoing);

	/* IPv6 families of the BSDs and Darwin, in both byte orders. */
	struct buf v6 = { .n = 0 };
	put_ipv6(&v6, 20, 6, 64);
	put_tcp(&v6, 6666, 80, 3, 4, 5, 0x14, 0, NULL, 0);
	const uint8_t fams[] = { 24, 28, 30 };
	for (size_t i = 0; i < sizeof fams; i++) {
		b.n = 0; put8(&b, fams[i]); put_zero(&b, 3); put_bytes(&b, v6.b, v6.n);
		CHECK_EQ(run_whole(DLT_NULL, &b, &p), DECODE_OK);
		CHECK_EQ(p.ipver, 6);
		b.n = 0; put_zero(&b, 3); put8(&b, fams[i]); put_bytes(&b, v6.b, v6.n);
		CHECK_EQ(run_whole(DLT_LOOP, &b, &p), DECODE_OK);
	}
	b.n = 0; put_bytes(&b, v6.b, v6.n);
	CHECK_EQ(run_whole(DLT_RAW, &b, &p), DECODE_OK);
	CHECK_EQ(run_whole(DLT_IPV6, &b, &p), DECODE_OK);
	CHECK_EQ(p.sport, 6666);
	/* An unknown family is not IP. */
	b.n = 0; put8(&b, 99); put_zero(&b, 3); put_bytes(&b, ip.b, ip.n);
	CHECK_EQ(run_whole(DLT_NULL, &b, &p), DECODE_NON_IP);
	/* Raw "IP" with version 5. */
	b.n = 0; put8(&b, 0x50); put_zero(&b, 39);
	CHECK_EQ(run_whole(DLT_RAW, &b, &p), DECODE_NON_IP);

	CHECK(link_type_find(DLT_IEEE802) == NULL);   /* Token Ring */
}

/* The IPv4 segment used behind every new link header: 40 bytes, RST+ACK. */
static void rst_segment(struct buf *b)
{
	put_ipv4(b, 5, 40, 0, 6, 64, 1);
	put_tcp(b, 5555, 80, 3, 4, 5, 0x14, 0, NULL, 0);
}

/* hdr then the segment decodes to it, and every cut of it is counted right. */
static void check_link(int dlt, const struct buf *hdr)
{
	struct buf b = { .n = 0 };
	struct pkt p;
	put_bytes(&b, hdr->b, hdr->n);
	rst_segment(&b);
	CHECK(link_type_find(dlt) != NULL);
	CHECK_EQ(run_whole(dlt, &b, &p), DECODE_OK);
	CHECK_EQ(p.sport, 5555);
	CHECK_EQ(p.flags, 0x14);
	test_every_cut(dlt, &b, hdr->n + 20, 0);
}

/* hdr then the segment gives want. */
static void check_link_result(int dlt, const struct buf *hdr, enum decode_result want)
{
	struct buf b = { .n = 0 };
	struct pkt p;
	put_bytes(&b, hdr->b, hdr->n);
	rst_segment(&b);
	CHECK_EQ(run_whole(dlt, &b, &p), want);
}

static const uint8_t snap_ipv4[8] = { 0xaa, 0xaa, 0x03, 0, 0, 0, 0x08, 0x00 };

/* An 802.11 data frame header: frame control, duration, 3 addresses, seq ctl. */
static void put_wlan(struct buf *b, uint8_t fc, uint8_t flags, uint8_t frag)
{
	put8(b, fc);
	put8(b, flags);
	put_zero(b, 2 + 18);
	put8(b, frag);   /* sequence control, little-endian: fragment number low */
	put8(b, 0x10);
}

static void test_ieee80211(void)
{
	struct buf h;

	/* Data (type 2, subtype 0), ToDS. */
	h.n = 0; put_wlan(&h, 0x08, 0x01, 0); put_bytes(&h, snap_ipv4, 8);
	check_link(DLT_IEEE802_11, &h);
	/* 802.1H bridge-tunnel OUI 00-00-F8 carries an Ethertype too. */
	h.n = 0; put_wlan(&h, 0x08, 0x02, 0);
	put_bytes(&h, "\xaa\xaa\x03\x00\x00\xf8\x08\x00", 8);
	check_link(DLT_IEEE802_11, &h);
	/* ToDS and FromDS: a fourth address. */
	h.n = 0; put_wlan(&h, 0x08, 0x03, 0); put_zero(&h, 6); put_bytes(&h, snap_ipv4, 8);
	check_link(DLT_IEEE802_11, &h);
	/* QoS data (subtype 8): 2 bytes of QoS control. */
	h.n = 0; put_wlan(&h, 0x88, 0x01, 0); put_zero(&h, 2); put_bytes(&h, snap_ipv4, 8);
	check_link(DLT_IEEE802_11, &h);
	/* QoS data with the Order bit: 4 bytes of HT control, and 4 addresses. */
	h.n = 0; put_wlan(&h, 0x88, 0x83, 0); put_zero(&h, 6 + 2 + 4); put_bytes(&h, snap_ipv4, 8);
	check_link(DLT_IEEE802_11, &h);
	/* The Order bit on non-QoS data adds nothing (strictly ordered service). */
	h.n = 0; put_wlan(&h, 0x08, 0x81, 0); put_bytes(&h, snap_ipv4, 8);
	check_link(DLT_IEEE802_11, &h);

	/* Protected: counted as encrypted, whatever follows. */
	h.n = 0; put_wlan(&h, 0x88, 0x41, 0); put_zero(&h, 2 + 8);
	check_link_result(DLT_IEEE802_11, &h, DECODE_ENCRYPTED);
	h.n = 0; put_wlan(&h, 0x08, 0x42, 0);
	check_link_result(DLT_IEEE802_11, &h, DECODE_ENCRYPTED);
	/* Management (beacon), control (ACK), null data, QoS null: no IP. */
	const uint8_t no_body[] = { 0x80, 0xd4, 0x48, 0xc8 };
	for (size_t i = 0; i < sizeof no_body; i++) {
		h.n = 0; put_wlan(&h, no_body[i], 0x01, 0);
		check_link_result(DLT_IEEE802_11, &h, DECODE_NON_IP);
	}
	/* LLC that is not SNAP (spanning tree). */
	h.n = 0; put_wlan(&h, 0x08, 0x01, 0); put_bytes(&h, "\x42\x42\x03", 3);
	check_link_result(DLT_IEEE802_11, &h, DECODE_NON_IP);
	/* More fragments, or a fragment number: a piece of an MSDU. */
	h.n = 0; put_wlan(&h, 0x08, 0x05, 0); put_bytes(&h, snap_ipv4, 8);
	check_link_result(DLT_IEEE802_11, &h, DECODE_FRAGMENT);
	h.n = 0; put_wlan(&h, 0x08, 0x01, 2); put_bytes(&h, snap_ipv4, 8);
	check_link_result(DLT_IEEE802_11, &h, DECODE_FRAGMENT);
	/* A-MSDU present in QoS control; protocol version 1. */
	h.n = 0; put_wlan(&h, 0x88, 0x01, 0); put8(&h, 0x80); put8(&h, 0); put_bytes(&h, snap_ipv4, 8);
	check_link_result(DLT_IEEE802_11, &h, DECODE_UNPARSED);
	h.n = 0; put_wlan(&h, 0x09, 0x01, 0); put_bytes(&h, snap_ipv4, 8);
	check_link_result(DLT_IEEE802_11, &h, DECODE_UNPARSED);

	/* Radiotap: the shortest header, and one with fields; then QoS data. */
	h.n = 0; put_bytes(&h, "\0\0\x08\0\0\0\0\0", 8);
	put_wlan(&h, 0x88, 0x02, 0); put_zero(&h, 2); put_bytes(&h, snap_ipv4, 8);
	check_link(DLT_IEEE802_11_RADIO, &h);
	h.n = 0; put_bytes(&h, "\0\0\x12\0\x2e\x48\0\0\x10\x02\x6c\x09\xa0\x00\xc4\x01\0\0", 18);
	put_wlan(&h, 0x08, 0x02, 0); put_bytes(&h, snap_ipv4, 8);
	check_link(DLT_IEEE802_11_RADIO, &h);
	/* it_len below its own 8 bytes; an unknown version. */
	h.n = 0; put_bytes(&h, "\0\0\x04\0\0\0\0\0", 8); put_wlan(&h, 0x08, 0x02, 0);
	put_bytes(&h, snap_ipv4, 8);
	check_link_result(DLT_IEEE802_11_RADIO, &h, DECODE_INVALID);
	h.b[0] = 1; h.b[2] = 8;
	check_link_result(DLT_IEEE802_11_RADIO, &h, DECODE_UNPARSED);

	/* PPI naming 802.11 (105), with one 4-byte field. */
	h.n = 0; put_bytes(&h, "\0\0\x0c\0\x69\0\0\0\x02\0\0\0", 12);
	put_wlan(&h, 0x08, 0x01, 0); put_bytes(&h, snap_ipv4, 8);
	check_link(DLT_PPI, &h);
	/* PPI naming PPI (no nesting), or a DLT rstdiag does not read. */
	h.b[4] = DLT_PPI;
	check_link_result(DLT_PPI, &h, DECODE_UNPARSED);
	h.b[4] = DLT_IEEE802;
	check_link_result(DLT_PPI, &h, DECODE_UNPARSED);
	h.b[4] = 0x69; h.b[2] = 7;
	check_link_result(DLT_PPI, &h, DECODE_INVALID);
}

static void test_ppp(void)
{
	struct buf h;
	/* Address and control, 2-byte protocol; without them (ACFC); 1-byte
	 * protocol (PFC) with and without them. */
	h.n = 0; put_bytes(&h, "\xff\x03\x00\x21", 4); check_link(DLT_PPP, &h);
	h.n = 0; put_bytes(&h, "\x00\x21", 2); check_link(DLT_PPP, &h);
	h.n = 0; put_bytes(&h, "\x21", 1); check_link(DLT_PPP, &h);
	h.n = 0; put_bytes(&h, "\xff\x03\x21", 3); check_link(DLT_PPP, &h);
	/* LCP, IPCP: control protocols; VJ compressed TCP: unparsed. */
	h.n = 0; put_bytes(&h, "\xff\x03\xc0\x21", 4); check_link_result(DLT_PPP, &h, DECODE_NON_IP);
	h.n = 0; put_bytes(&h, "\x80\x21", 2); check_link_result(DLT_PPP, &h, DECODE_NON_IP);
	h.n = 0; put_bytes(&h, "\x2d", 1); check_link_result(DLT_PPP, &h, DECODE_UNPARSED);

	/* IPv6 (0x0057) behind PPP. */
	struct buf b = { .n = 0 };
	struct pkt p;
	put_bytes(&b, "\xff\x03\x00\x57", 4);
	put_ipv6(&b, 20, 6, 64);
	put_tcp(&b, 6666, 80, 3, 4, 5, 0x14, 0, NULL, 0);
	CHECK_EQ(run_whole(DLT_PPP, &b, &p), DECODE_OK);
	CHECK_EQ(p.ipver, 6);
	CHECK_EQ(p.sport, 6666);

	/* PPP in HDLC framing, and Cisco HDLC on the same DLT. */
	h.n = 0; put_bytes(&h, "\xff\x03\x00\x21", 4); check_link(DLT_PPP_SERIAL, &h);
	h.n = 0; put_bytes(&h, "\x0f\x00\x08\x00", 4); check_link(DLT_PPP_SERIAL, &h);
	h.n = 0; put_bytes(&h, "\x8f\x00\x08\x00", 4); check_link(DLT_C_HDLC, &h);
	h.n = 0; put_bytes(&h, "\x8f\x00\x80\x35", 4);   /* SLARP */
	check_link_result(DLT_C_HDLC, &h, DECODE_NON_IP);

	/* PPPoE session: DLT_PPP_ETHER, and Ethertype 0x8864 inside QinQ. */
	h.n = 0; put_bytes(&h, "\x11\x00\x12\x34\x00\x2a\x00\x21", 8);
	check_link(DLT_PPP_ETHER, &h);
	h.n = 0; put_bytes(&h, "\x11\x00\x12\x34\x00\x29\x21", 7);   /* PFC */
	check_link(DLT_PPP_ETHER, &h);
	static const uint8_t macs[12] = { 0 };
	h.n = 0; put_bytes(&h, macs, 12);
	put16(&h, 0x88a8); put16(&h, 100); put16(&h, 0x8100); put16(&h, 200);
	put16(&h, 0x8864); put_bytes(&h, "\x11\x00\x12\x34\x00\x2a\x00\x21", 8);
	check_link(DLT_EN10MB, &h);
	check_link(DLT_LINUX_SLL2, &(struct buf){ .n = 28, .b = {
		0x88, 0x64, 0, 0, 0, 0, 0, 2, 0, 1, 0, 6, 1, 2, 3, 4, 5, 6, 0, 0,
		0x11, 0x00, 0x12, 0x34, 0x00, 0x2a, 0x00, 0x21 } });
	/* Discovery (PADI, code 0x09) and an unknown version. */
	h.n = 0; put_bytes(&h, "\x11\x09\x00\x00\x00\x2a\x00\x21", 8);
	check_link_result(DLT_PPP_ETHER, &h, DECODE_NON_IP);
	h.b[0] = 0x21; h.b[1] = 0;
	check_link_result(DLT_PPP_ETHER, &h, DECODE_UNPARSED);
}

static void test_other_links(void)
{
	struct buf h;
	/* FDDI: asynchronous LLC frame control, two addresses, SNAP. */
	h.n = 0; put8(&h, 0x50); put_zero(&h, 12); put_bytes(&h, snap_ipv4, 8);
	check_link(DLT_FDDI, &h);
	h.b[0] = 0x41;   /* SMT */
	check_link_result(DLT_FDDI, &h, DECODE_NON_IP);

	/* NFLOG, TLVs little-endian (this host's order): a 5-byte prefix TLV
	 * padded to 8, a hardware-address TLV, then the payload. */
	h.n = 0; put_bytes(&h, "\x02\x00\x00\x01", 4);
	put_bytes(&h, "\x05\x00\x0a\x00\x41\0\0\0", 8);
	put_bytes(&h, "\x0c\x00\x01\x00\x08\x00\x01\x00\0\0\0\0", 12);
	put_bytes(&h, "\x2c\x00\x09\x00", 4);
	check_link(DLT_NFLOG, &h);
	/* A TLV length under its own header. */
	h.b[4] = 3;
	check_link_result(DLT_NFLOG, &h, DECODE_INVALID);
	/* No payload TLV; a family other than IPv4 and IPv6 (bridge). */
	struct buf b = { .n = 0 };
	struct pkt p;
	put_bytes(&b, "\x02\x00\x00\x01\x08\x00\x01\x00\x08\x00\x01\x00", 12);
	CHECK_EQ(run_whole(DLT_NFLOG, &b, &p), DECODE_NON_IP);
	CHECK_EQ(run(DLT_NFLOG, &b, 12, 100, &p), DECODE_TRUNCATED);
	h.n = 0; put_bytes(&h, "\x07\x00\x00\x01\x2c\x00\x09\x00", 8);
	check_link_result(DLT_NFLOG, &h, DECODE_NON_IP);

	/* PFLOG: a 61-byte header padded to 64; the old 45-byte one padded to
	 * 48; IPv6 as OpenBSD numbers it; a length under the minimum. */
	h.n = 0; put8(&h, 61); put8(&h, 2); put_zero(&h, 62); check_link(DLT_PFLOG, &h);
	h.n = 0; put8(&h, 45); put8(&h, 2); put_zero(&h, 46); check_link(DLT_PFLOG, &h);
	h.n = 0; put8(&h, 44); put8(&h, 2); put_zero(&h, 42);
	check_link_result(DLT_PFLOG, &h, DECODE_INVALID);
	b.n = 0; put8(&b, 61); put8(&b, 24); put_zero(&b, 62);
	put_ipv6(&b, 20, 6, 64);
	put_tcp(&b, 6666, 80, 3, 4, 5, 0x14, 0, NULL, 0);
	CHECK_EQ(run_whole(DLT_PFLOG, &b, &p), DECODE_OK);
	CHECK_EQ(p.ipver, 6);

	/* IPNET: 24 bytes, family 2 or 26. */
	h.n = 0; put8(&h, 1); put8(&h, 2); put_zero(&h, 22); check_link(DLT_IPNET, &h);
	h.b[1] = 26;
	check_link_result(DLT_IPNET, &h, DECODE_INVALID);   /* says IPv6, holds IPv4 */
	h.b[1] = 25;
	check_link_result(DLT_IPNET, &h, DECODE_NON_IP);

	/* PKTAP (and DLT_USER2, as macOS writes it): a 108-byte header naming
	 * Ethernet, then the Ethernet frame. */
	const int pktap_dlts[] = { DLT_PKTAP, DLT_USER2 };
	for (size_t i = 0; i < 2; i++) {
		h.n = 0;
		put_bytes(&h, "\x6c\0\0\0\x01\0\0\0\x01\0\0\0", 12);
		put_zero(&h, 96);
		put_eth(&h, 0x0800);
		check_link(pktap_dlts[i], &h);
		h.b[4] = 0;   /* PKT_REC_NONE */
		check_link_result(pktap_dlts[i], &h, DECODE_NON_IP);
		h.b[4] = 1; h.b[8] = DLT_PKTAP & 0xff; h.b[9] = DLT_PKTAP >> 8;   /* no nesting */
		check_link_result(pktap_dlts[i], &h, DECODE_UNPARSED);
		h.b[8] = DLT_IEEE802; h.b[9] = 0;   /* a DLT rstdiag does not read */
		check_link_result(pktap_dlts[i], &h, DECODE_UNPARSED);
		h.b[8] = 1; h.b[0] = 100;
		check_link_result(pktap_dlts[i], &h, DECODE_INVALID);
	}
	/* A longer header, naming raw IP (Darwin's DLT_RAW 12). */
	h.n = 0;
	put_bytes(&h, "\x78\0\0\0\x01\0\0\0\x0c\0\0\0", 12);
	put_zero(&h, 108);
	check_link(DLT_PKTAP, &h);
}

/*
 * NOP, NOP, timestamp is read by a shortcut; the same option in another
 * layout, and a cut inside it, go the long way with the same result.
 */
static void test_timestamp_layouts(void)
{
	static const uint8_t aligned[12] = { 1, 1, 8, 10, 0, 0, 1, 2, 0, 0, 3, 4 };
	static const uint8_t trailing[12] = { 8, 10, 0, 0, 1, 2, 0, 0, 3, 4, 1, 1 };
	const uint8_t *layouts[2] = { aligned, trailing };
	for (int i = 0; i < 2; i++) {
		struct buf b = { .n = 0 };
		struct pkt p;
		put_eth(&b, 0x0800);
		put_ipv4(&b, 5, 20 + 32 + 4, 0, 6, 64, 1);
		put_tcp(&b, 1, 2, 3, 4, 8, 0x18, 100, layouts[i], 12);
		put_bytes(&b, "data", 4);
		CHECK_EQ(run_whole(DLT_EN10MB, &b, &p), DECODE_OK);
		CHECK(p.opts.has_ts);
		CHECK_EQ(p.opts.tsval, 0x102);
		CHECK_EQ(p.opts.tsecr, 0x304);
		CHECK(!p.opts.malformed && !p.opts.has_mss && !p.opts.sack_perm);
		CHECK_EQ(p.payload_len, 4);
		/* Snaplen cuts inside the options: no timestamp, nothing malformed. */
		CHECK_EQ(run(DLT_EN10MB, &b, 14 + 20 + 20 + 8, (uint32_t)b.n, &p), DECODE_OK);
		CHECK(!p.opts.has_ts && !p.opts.malformed);
	}
}

/*
 * Linux's SYN layout (MSS; SACK-permitted and timestamp; NOP, window
 * scale) is read by a shortcut, on a SYN only; other layouts of the same
 * length (here MSS, NOP, window scale, NOP, NOP, timestamp: no SACK) and a
 * segment without SYN go the long way; each gives the facts its bytes
 * hold, and its layout.
 */
static void test_syn_layouts(void)
{
	static const uint8_t linux_syn[20] = { 2, 4, 5, 0xb4, 4, 2, 8, 10, 0, 0, 1, 2, 0, 0, 3, 4,
					       1, 3, 3, 7 };
	static const uint8_t other_syn[20] = { 2, 4, 5, 0xb4, 1, 3, 3, 7, 1, 1, 8, 10, 0, 0, 1, 2,
					       0, 0, 3, 4 };
	const uint8_t *layouts[2] = { linux_syn, other_syn };
	const uint16_t want_layout[2] = { 0x2483, 0x238 };
	for (int i = 0; i < 2; i++) {
		for (int syn = 0; syn < 2; syn++) {
			struct buf b = { .n = 0 };
			struct pkt p;
			put_eth(&b, 0x0800);
			put_ipv4(&b, 5, 20 + 40, 0, 6, 64, 1);
			put_tcp(&b, 1, 2, 3, 0, 10, syn ? 0x02 : 0x10, 100, layouts[i], 20);
			CHECK_EQ(run_whole(DLT_EN10MB, &b, &p), DECODE_OK);
			CHECK(p.opts.has_mss && p.opts.mss == 1460);
			CHECK(p.opts.has_ts && p.opts.tsval == 0x102 && p.opts.tsecr == 0x304);
			CHECK(p.opts.has_wscale && p.opts.wscale == 7);
			CHECK_EQ(p.opts.sack_perm, i == 0);
			CHECK_EQ(p.opts.layout, want_layout[i]);
			CHECK(!p.opts.malformed);
		}
	}
}

/* ---- tunnels (decode_tunnel.c) ---- */

/* Outer Ethernet + IPv4 (proto) from 192.0.2.1 to 192.0.2.2, length patched by end_outer(). */
static size_t put_outer_ipv4(struct buf *b, uint8_t proto)
{
	put_eth(b, 0x0800);
	size_t off = put_ipv4(b, 5, 0, 0, proto, 63, 7);
	b->b[off + 12] = 192; b->b[off + 13] = 0; b->b[off + 14] = 2; b->b[off + 15] = 1;
	b->b[off + 16] = 192; b->b[off + 17] = 0; b->b[off + 18] = 2; b->b[off + 19] = 2;
	return off;
}

static void end_outer(struct buf *b, size_t ip_off)
{
	set16(b, ip_off + 2, (uint16_t)(b->n - ip_off));
}

static size_t put_udp(struct buf *b, uint16_t sport, uint16_t dport)
{
	size_t off = b->n;
	put16(b, sport); put16(b, dport); put16(b, 0); put16(b, 0);
	return off;
}

static void end_udp(struct buf *b, size_t udp_off)
{
	set16(b, udp_off + 4, (uint16_t)(b->n - udp_off));
}

/* The inner segment decodes, with one layer of kind k, id, and the outer addresses. */
static void check_tunnel(const struct buf *b, enum tunnel_kind k, bool has_id, uint32_t id)
{
	struct pkt p;
	CHECK_EQ(run_whole(DLT_EN10MB, b, &p), DECODE_OK);
	CHECK_EQ(p.sport, 5555);
	CHECK_EQ(p.flags, 0x14);
	CHECK_EQ(p.src[0], 10);            /* the inner addresses are the segment's */
	CHECK(p.tun.n >= 1);
	const struct tunnel_layer *l = &p.tun.layer[p.tun.n - 1];
	CHECK_EQ(l->kind, k);
	CHECK_EQ(l->has_id, has_id);
	if (has_id)
		CHECK_EQ(l->id, id);
	if (k != TUNNEL_MPLS)
		CHECK(l->ipver == 4 && l->src[0] == 192 && l->src[3] == 1 && l->dst[3] == 2);
	test_every_cut(DLT_EN10MB, b, b->n - 20, 0);
}

static void test_tunnels(void)
{
	struct buf b = { .n = 0 };
	size_t ip, udp;

	/* VXLAN (RFC 7348): I flag, VNI 4096, then Ethernet. */
	ip = put_outer_ipv4(&b, 17);
	udp = put_udp(&b, 50000, 4789);
	put8(&b, 0x08); put_zero(&b, 3); put32(&b, 4096u << 8);
	put_eth(&b, 0x0800);
	rst_segment(&b);
	end_udp(&b, udp);
	end_outer(&b, ip);
	check_tunnel(&b, TUNNEL_VXLAN, true, 4096);

	/* Geneve (RFC 8926): 8 bytes of options, protocol IPv4 directly. */
	b.n = 0;
	ip = put_outer_ipv4(&b, 17);
	udp = put_udp(&b, 6081, 6081);
	put8(&b, 2); put8(&b, 0); put16(&b, 0x0800); put32(&b, 77u << 8);
	put_zero(&b, 8);
	rst_segment(&b);
	end_udp(&b, udp);
	end_outer(&b, ip);
	check_tunnel(&b, TUNNEL_GENEVE, true, 77);

	/* GTP-U (TS 29.281): G-PDU with S and E set and one 4-byte extension header. */
	b.n = 0;
	ip = put_outer_ipv4(&b, 17);
	udp = put_udp(&b, 2152, 2152);
	put8(&b, 0x36); put8(&b, 255); put16(&b, 0); put32(&b, 0xdeadbeef);
	put16(&b, 1); put8(&b, 0); put8(&b, 0x85);          /* seq, N-PDU, next: PDU session */
	put8(&b, 1); put8(&b, 0); put8(&b, 9); put8(&b, 0); /* length 1 (4 bytes), next 0 */
	rst_segment(&b);
	end_udp(&b, udp);
	end_outer(&b, ip);
	check_tunnel(&b, TUNNEL_GTPU, true, 0xdeadbeef);
	/* An echo request carries no user data. */
	b.b[14 + 20 + 9] = 1;
	struct pkt p;
	CHECK_EQ(run_whole(DLT_EN10MB, &b, &p), DECODE_NON_IP);

	/* GRE with checksum, key 42 and sequence number, IPv4 inside. */
	b.n = 0;
	ip = put_outer_ipv4(&b, 47);
	put16(&b, 0xb000); put16(&b, 0x0800); put32(&b, 0); put32(&b, 42); put32(&b, 1);
	rst_segment(&b);
	end_outer(&b, ip);
	check_tunnel(&b, TUNNEL_GRE, true, 42);
	/* Version 1 (PPTP's enhanced GRE) is not read. */
	b.b[14 + 20 + 1] |= 1;
	CHECK_EQ(run_whole(DLT_EN10MB, &b, &p), DECODE_UNPARSED);

	/* ERSPAN type II: GRE with a sequence number, session 0x155, Ethernet inside. */
	b.n = 0;
	ip = put_outer_ipv4(&b, 47);
	put16(&b, 0x1000); put16(&b, 0x88be); put32(&b, 9);
	put32(&b, 0x10000000u | 0x155); put32(&b, 0);
	put_eth(&b, 0x0800);
	rst_segment(&b);
	end_outer(&b, ip);
	check_tunnel(&b, TUNNEL_ERSPAN, true, 0x155);

	/* ERSPAN type III with the platform subheader (bit O). */
	b.n = 0;
	ip = put_outer_ipv4(&b, 47);
	put16(&b, 0x1000); put16(&b, 0x22eb); put32(&b, 9);
	put32(&b, 0x20000000u | 0x2a); put32(&b, 12345); put16(&b, 0); put16(&b, 1);
	put_zero(&b, 8);
	put_eth(&b, 0x0800);
	rst_segment(&b);
	end_outer(&b, ip);
	check_tunnel(&b, TUNNEL_ERSPAN, true, 0x2a);

	/* 6in4 (RFC 4213), then TCP in the IPv6 packet. */
	b.n = 0;
	ip = put_outer_ipv4(&b, 41);
	put_ipv6(&b, 20, 6, 64);
	put_tcp(&b, 5555, 80, 3, 4, 5, 0x14, 0, NULL, 0);
	end_outer(&b, ip);
	CHECK_EQ(run_whole(DLT_EN10MB, &b, &p), DECODE_OK);
	CHECK_EQ(p.ipver, 6);
	CHECK_EQ(p.tun.n, 1);
	CHECK_EQ(p.tun.layer[0].kind, TUNNEL_IPIP);
	CHECK_EQ(p.tun.layer[0].ipver, 4);

	/* Teredo (RFC 4380) with an origin indicator. */
	b.n = 0;
	ip = put_outer_ipv4(&b, 17);
	udp = put_udp(&b, 3544, 40000);
	put16(&b, 0); put16(&b, 0x1234); put32(&b, 0x01020304);
	put_ipv6(&b, 20, 6, 64);
	put_tcp(&b, 5555, 80, 3, 4, 5, 0x14, 0, NULL, 0);
	end_udp(&b, udp);
	end_outer(&b, ip);
	CHECK_EQ(run_whole(DLT_EN10MB, &b, &p), DECODE_OK);
	CHECK_EQ(p.tun.layer[0].kind, TUNNEL_TEREDO);
	CHECK_EQ(p.sport, 5555);

	/* MPLS: two labels, the bottom one (2000) kept, then IPv4. */
	b.n = 0;
	put_eth(&b, 0x8847);
	put32(&b, 100u << 12 | 64); put32(&b, 2000u << 12 | 0x100 | 64);
	rst_segment(&b);
	CHECK_EQ(run_whole(DLT_EN10MB, &b, &p), DECODE_OK);
	CHECK_EQ(p.tun.n, 1);
	CHECK_EQ(p.tun.layer[0].kind, TUNNEL_MPLS);
	CHECK_EQ(p.tun.layer[0].id, 2000);
	CHECK_EQ(p.tun.layer[0].ipver, 0);
	test_every_cut(DLT_EN10MB, &b, b.n - 20, 0);
	/* A pseudowire control word (0000) is not IP. */
	b.b[22] = 0x00;
	CHECK_EQ(run_whole(DLT_EN10MB, &b, &p), DECODE_UNPARSED);

	/* UDP that is no tunnel is just not TCP. */
	b.n = 0;
	ip = put_outer_ipv4(&b, 17);
	udp = put_udp(&b, 53, 5353);
	put_zero(&b, 12);
	end_udp(&b, udp);
	end_outer(&b, ip);
	CHECK_EQ(run_whole(DLT_EN10MB, &b, &p), DECODE_NON_TCP);

	/* Five IPv4-in-IPv4 tunnels: past TUNNEL_MAX_LAYERS, unparsed. */
	for (int depth = 1; depth <= 5; depth++) {
		b.n = 0;
		put_eth(&b, 0x0800);
		size_t offs[6];
		for (int i = 0; i < depth; i++)
			offs[i] = put_ipv4(&b, 5, 0, 0, 4, 64, 1);
		offs[depth] = put_ipv4(&b, 5, 0, 0, 6, 64, 1);
		put_tcp(&b, 5555, 80, 3, 4, 5, 0x14, 0, NULL, 0);
		for (int i = 0; i <= depth; i++)
			end_outer(&b, offs[i]);
		CHECK_EQ(run_whole(DLT_EN10MB, &b, &p),
			 depth <= TUNNEL_MAX_LAYERS ? DECODE_OK : DECODE_UNPARSED);
		if (depth <= TUNNEL_MAX_LAYERS)
			CHECK_EQ(p.tun.n, depth);
	}
}

/* MPTCP's ending options (RFC 8684 3.5, 3.6), both in one RST as Linux sends them. */
static void test_mptcp_options(void)
{
	static const uint8_t opts[16] = {
		30, 12, 0x70, 0, 1, 2, 3, 4, 5, 6, 7, 8,  /* MP_FASTCLOSE, the receiver's key */
		30, 4, 0x81, 2,                          /* MP_TCPRST, T flag, lack of resources */
	};
	struct buf b;
	struct pkt p;
	b.n = 0;
	put_eth(&b, 0x0800);
	put_ipv4(&b, 5, 20 + 20 + 16, 0x4000, 6, 64, 7);
	put_tcp(&b, 80, 40000, 1, 2, 9, TCP_RST | TCP_ACK, 0, opts, sizeof opts);
	CHECK_EQ(run_whole(DLT_EN10MB, &b, &p), DECODE_OK);
	CHECK_EQ(p.opts.mptcp, MPTCP_FASTCLOSE | MPTCP_TCPRST);
	CHECK_EQ(p.opts.mptcp_reason, 2);
	CHECK(p.opts.mptcp_transient);
	CHECK(!p.opts.malformed);
	/* A wrong length is not the option. */
	static const uint8_t bad[4] = { 30, 4, 0x70, 0 };
	b.n = 0;
	put_eth(&b, 0x0800);
	put_ipv4(&b, 5, 20 + 24, 0x4000, 6, 64, 7);
	put_tcp(&b, 80, 40000, 1, 2, 6, TCP_RST, 0, bad, sizeof bad);
	CHECK_EQ(run_whole(DLT_EN10MB, &b, &p), DECODE_OK);
	CHECK_EQ(p.opts.mptcp, MPTCP_NONE);
}

int main(void)
{
	test_ipv4_fields();
	test_cuts();
	test_vlan();
	test_non_ip();
	test_ipv4_malformed();
	test_tcp_malformed();
	test_ipv6();
	test_link_types();
	test_ieee80211();
	test_ppp();
	test_other_links();
	test_timestamp_layouts();
	test_syn_layouts();
	test_tunnels();
	test_mptcp_options();
	return check_report("test_decode");
}
