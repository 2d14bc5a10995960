/*
 * Unit tests of the link, IP and TCP decoders on hand-built frames,
 * including every truncation of each frame and the malformed cases the
 * decoders must count rather than trust.
 */
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
	return decode_frame(link_type_find(dlt), b->b, p);
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

	CHECK(link_type_find(DLT_IEEE802_11) == NULL);
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
	test_timestamp_layouts();
	return check_report("test_decode");
}
