/*
 * Unit tests of the pcapng block reader (src/pcapng.c) on hand-built
 * bytes: the edge cases of the pcapng spec's block and option framing,
 * each read from memory (fmemopen) as capture.c reads a file.
 */
#define _GNU_SOURCE     /* fmemopen */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "pcapng.h"

static unsigned char buf[4096];
static size_t len;

static void u8(unsigned v) { buf[len++] = (unsigned char)v; }
static void u16(unsigned v, int be)
{
	if (be) { u8(v >> 8); u8(v & 0xff); } else { u8(v & 0xff); u8(v >> 8); }
}
static void u32(uint32_t v, int be)
{
	if (be) { u16(v >> 16, 1); u16(v & 0xffff, 1); } else { u16(v & 0xffff, 0); u16(v >> 16, 0); }
}

/* A block of type t with body b (padded); total and trailer overridable (0: right). */
static void block(uint32_t t, const unsigned char *b, size_t n, uint32_t total,
		  uint32_t trailer, int be)
{
	uint32_t right = (uint32_t)(12 + n + (-n & 3));
	u32(t, be);
	u32(total ? total : right, be);
	memcpy(buf + len, b, n);
	len += n;
	while (len % 4)
		u8(0);
	u32(trailer ? trailer : right, be);
}

static void shb(int be)
{
	unsigned char b[16];
	size_t o = len;
	u32(0x1A2B3C4D, be); u16(1, be); u16(0, be); u32(0xffffffff, be); u32(0xffffffff, be);
	memcpy(b, buf + o, 16);
	len = o;
	block(0x0A0D0D0A, b, 16, 0, 0, be);
}

/* An IDB: link type, snaplen, then raw option bytes. */
static void idb(unsigned lt, uint32_t snap, const unsigned char *opts, size_t n, int be)
{
	unsigned char b[256];
	size_t o = len;
	u16(lt, be); u16(0, be); u32(snap, be);
	memcpy(b, buf + o, 8);
	if (n)
		memcpy(b + 8, opts, n);   /* opts may be NULL: memcpy wants a pointer even for 0 bytes */
	len = o;
	block(1, b, 8 + n, 0, 0, be);
}

static void epb(uint32_t iface, uint64_t ts, uint32_t caplen, uint32_t wirelen, size_t data,
		uint32_t total, uint32_t trailer, int be)
{
	unsigned char b[256];
	size_t o = len;
	u32(iface, be); u32((uint32_t)(ts >> 32), be); u32((uint32_t)ts, be);
	u32(caplen, be); u32(wirelen, be);
	memcpy(b, buf + o, 20);
	memset(b + 20, 0x45, data);
	len = o;
	block(6, b, 20 + data, total, trailer, be);
}

/* Reads buf to its end: the events, and the reader's error. */
static int events(enum pcapng_event *ev, int max, struct pcapng_packet *last, char *err)
{
	FILE *fp = fmemopen(buf, len, "rb");
	struct pcapng_reader r;
	int n = 0;
	err[0] = '\0';
	if (!pcapng_open(&r, fp)) {
		strcpy(err, r.error);
		ev[n++] = PCAPNG_ERROR;
	} else {
		while (n < max) {
			ev[n] = pcapng_next(&r, last);
			if (ev[n] == PCAPNG_ERROR)
				strcpy(err, r.error);
			if (ev[n] == PCAPNG_END || ev[n++] == PCAPNG_ERROR)
				break;
		}
	}
	pcapng_close(&r);
	fclose(fp);
	return n;
}

static void start(void)
{
	len = 0;
	shb(0);
	idb(1, 65535, NULL, 0, 0);
}

int main(void)
{
	enum pcapng_event ev[16];
	struct pcapng_packet p;
	char err[200];

	/* A well-formed packet: its bytes and its time (default 10^-6 s). */
	start();
	epb(0, 1700000000123456ull, 60, 60, 60, 0, 0, 0);
	int n = events(ev, 16, &p, err);
	CHECK_EQ(n, 2);
	CHECK_EQ(ev[0], PCAPNG_INTERFACE);
	CHECK_EQ(ev[1], PCAPNG_PACKET);
	CHECK_EQ(p.sec, 1700000000);
	CHECK_EQ(p.nsec, 123456000);
	CHECK_EQ(p.caplen, 60);

	/* Block length below 12. */
	start();
	epb(0, 0, 4, 4, 4, 8, 0, 0);
	n = events(ev, 16, &p, err);
	CHECK_EQ(ev[n - 1], PCAPNG_ERROR);
	CHECK(strstr(err, "below the 12-byte minimum") != NULL);

	/* Not a multiple of 4. */
	start();
	epb(0, 0, 4, 4, 4, 38, 0, 0);
	n = events(ev, 16, &p, err);
	CHECK_EQ(ev[n - 1], PCAPNG_ERROR);
	CHECK(strstr(err, "not a multiple of 4") != NULL);

	/* Above the bound: refused before anything is read or allocated. */
	start();
	epb(0, 0, 4, 4, 4, PCAPNG_BLOCK_MAX + 4, 0, 0);
	n = events(ev, 16, &p, err);
	CHECK_EQ(ev[n - 1], PCAPNG_ERROR);
	CHECK(strstr(err, "above the 128 MiB") != NULL);

	/* Trailer unlike the leading length. */
	start();
	epb(0, 0, 4, 4, 4, 0, 40, 0);
	n = events(ev, 16, &p, err);
	CHECK_EQ(ev[n - 1], PCAPNG_ERROR);
	CHECK(strstr(err, "trailing block length 40") != NULL);

	/* Captured length past the block. */
	start();
	epb(0, 0, 200, 200, 4, 0, 0, 0);
	n = events(ev, 16, &p, err);
	CHECK_EQ(ev[n - 1], PCAPNG_ERROR);
	CHECK(strstr(err, "runs past the block") != NULL);

	/* Interface id out of range. */
	start();
	epb(1, 0, 4, 4, 4, 0, 0, 0);
	n = events(ev, 16, &p, err);
	CHECK_EQ(ev[n - 1], PCAPNG_ERROR);
	CHECK(strstr(err, "names interface 1 of 1") != NULL);

	/* An option whose length runs past the IDB. */
	len = 0;
	shb(0);
	static const unsigned char overrun[] = { 2, 0, 200, 0, 'e', 't', 'h', '0' };
	idb(1, 65535, overrun, sizeof overrun, 0);
	n = events(ev, 16, &p, err);
	CHECK_EQ(ev[n - 1], PCAPNG_ERROR);
	CHECK(strstr(err, "an option runs past the block") != NULL);

	/* Cut inside a block: damage, not the end. */
	start();
	epb(0, 0, 60, 60, 60, 0, 0, 0);
	len -= 10;
	n = events(ev, 16, &p, err);
	CHECK_EQ(ev[n - 1], PCAPNG_ERROR);
	CHECK(strstr(err, "cut short") != NULL);

	/* if_tsresol 10^-9, a name with a byte to hide, then a big-endian
	 * section with a 2^-20 interface and if_tsoffset -3600: interfaces
	 * restart at 0 and times follow each one's units. */
	len = 0;
	shb(0);
	static const unsigned char named[] = { 9, 0, 1, 0, 9, 0, 0, 0,
					       2, 0, 5, 0, 'e', 't', 0x1b, 'x', '0', 0, 0, 0,
					       0, 0, 0, 0 };
	idb(1, 65535, named, sizeof named, 0);
	epb(0, 1700000000123456789ull, 4, 4, 4, 0, 0, 0);
	shb(1);
	static const unsigned char pow2[] = { 0, 9, 0, 1, 0x94, 0, 0, 0,
					      0, 14, 0, 8, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xf1,
					      0xf0, 0, 0, 0, 0 };
	idb(101, 200, pow2, sizeof pow2, 1);
	epb(0, (1700003600ull << 20) | (1u << 19), 4, 4, 4, 0, 0, 1);
	FILE *fp = fmemopen(buf, len, "rb");
	struct pcapng_reader r;
	CHECK(pcapng_open(&r, fp));
	CHECK_EQ(pcapng_next(&r, &p), PCAPNG_INTERFACE);
	CHECK(strcmp(r.interfaces[0].name, "et?x0") == 0);
	CHECK_EQ(r.interfaces[0].units, 1000000000);
	CHECK_EQ(pcapng_next(&r, &p), PCAPNG_PACKET);
	CHECK_EQ(p.sec, 1700000000);
	CHECK_EQ(p.nsec, 123456789);
	CHECK_EQ(pcapng_next(&r, &p), PCAPNG_SECTION);
	CHECK_EQ(r.n_interfaces, 0);
	CHECK(r.big_endian);
	CHECK_EQ(pcapng_next(&r, &p), PCAPNG_INTERFACE);
	CHECK_EQ(r.interfaces[0].link_type, 101);
	CHECK_EQ(r.interfaces[0].offset_s, -3600);
	CHECK_EQ(pcapng_next(&r, &p), PCAPNG_PACKET);
	CHECK_EQ(p.sec, 1700000000);
	CHECK_EQ(p.nsec, 500000000);
	CHECK_EQ(pcapng_next(&r, &p), PCAPNG_END);
	pcapng_close(&r);
	fclose(fp);

	/* Custom Blocks are numbered (a record), unknown blocks skipped. */
	start();
	static const unsigned char pen[] = { 0x59, 0x7e, 0, 0, 'x', 0, 0, 0 };
	block(0xBAD, pen, sizeof pen, 0, 0, 0);
	block(0x123, pen, sizeof pen, 0, 0, 0);
	block(0x40000BAD, pen, sizeof pen, 0, 0, 0);
	n = events(ev, 16, &p, err);
	CHECK_EQ(n, 3);   /* the END is not counted */
	CHECK_EQ(ev[1], PCAPNG_RECORD);
	CHECK_EQ(ev[2], PCAPNG_RECORD);
	CHECK_EQ(ev[3], PCAPNG_END);

	/* Not pcapng, or cut inside the first SHB. */
	len = 0;
	u32(0x0A0D0D0B, 0); u32(28, 0);
	n = events(ev, 16, &p, err);
	CHECK(strstr(err, "unknown file format") != NULL);
	len = 0;
	shb(0);
	len = 14;
	n = events(ev, 16, &p, err);
	CHECK(strstr(err, "cut short") != NULL);
	return check_report("test_pcapng");
}
