/* pcapng_write: section, interfaces and commented packets (see pcapng_write.h). */
#include "pcapng_write.h"

#include <string.h>

#define BT_SHB 0x0A0D0D0Au
#define BT_IDB 0x00000001u
#define BT_EPB 0x00000006u
#define BYTE_ORDER_MAGIC 0x1A2B3C4Du
#define OPT_END 0
#define OPT_COMMENT 1
#define IF_NAME 2
#define IF_TSRESOL 9
#define COMMENT_MAX 65535u

/* Little-endian fields, whatever the host's order. */
static void le16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void le32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static uint32_t pad4(uint32_t n)
{
	return (4 - (n & 3)) & 3;
}

static bool put(FILE *out, const void *p, size_t n)
{
	return n == 0 || fwrite(p, 1, n, out) == n;
}

static bool put_le32(FILE *out, uint32_t v)
{
	uint8_t b[4];
	le32(b, v);
	return put(out, b, 4);
}

static bool put_pad(FILE *out, uint32_t n)
{
	static const uint8_t zero[4] = { 0 };
	return put(out, zero, pad4(n));
}

bool pcapng_write_section(FILE *out)
{
	uint8_t b[28];
	le32(b, BT_SHB);
	le32(b + 4, sizeof b);
	le32(b + 8, BYTE_ORDER_MAGIC);
	le16(b + 12, 1);                    /* major version */
	le16(b + 14, 0);                    /* minor version */
	le32(b + 16, 0xFFFFFFFFu);          /* section length: not given */
	le32(b + 20, 0xFFFFFFFFu);
	le32(b + 24, sizeof b);
	return put(out, b, sizeof b);
}

bool pcapng_write_interface(FILE *out, uint16_t linktype, uint32_t snaplen, const char *name)
{
	/* 16 bytes of body, if_name if any, if_tsresol (4 + 1 + 3 padding),
	 * opt_endofopt (4). */
	uint32_t nlen = name ? (uint32_t)strnlen(name, 255) : 0;
	uint32_t nopt = nlen ? 4 + nlen + pad4(nlen) : 0;
	uint32_t total = 16 + nopt + 8 + 4 + 4;
	uint8_t b[16];
	le32(b, BT_IDB);
	le32(b + 4, total);
	le16(b + 8, linktype);
	le16(b + 10, 0);
	le32(b + 12, snaplen);
	bool ok = put(out, b, sizeof b);
	if (ok && nlen) {
		uint8_t o[4];
		le16(o, IF_NAME);
		le16(o + 2, (uint16_t)nlen);
		ok = put(out, o, 4) && put(out, name, nlen) && put_pad(out, nlen);
	}
	uint8_t t[12] = { 0 };
	le16(t, IF_TSRESOL);
	le16(t + 2, 1);
	t[4] = 9;                           /* 10^-9 s */
	le16(t + 8, OPT_END);
	return ok && put(out, t, sizeof t) && put_le32(out, total);
}

bool pcapng_write_packet(FILE *out, uint32_t if_id, int64_t ts_ns, const uint8_t *bytes,
			 uint32_t caplen, uint32_t origlen, const char *comment)
{
	uint32_t clen = comment ? (uint32_t)strnlen(comment, COMMENT_MAX) : 0;
	uint32_t opts = clen ? 4 + clen + pad4(clen) + 4 : 0;
	uint32_t total = 28 + caplen + pad4(caplen) + opts + 4;
	uint64_t ts = ts_ns < 0 ? 0 : (uint64_t)ts_ns;
	uint8_t h[28];
	le32(h, BT_EPB);
	le32(h + 4, total);
	le32(h + 8, if_id);
	le32(h + 12, (uint32_t)(ts >> 32));
	le32(h + 16, (uint32_t)ts);
	le32(h + 20, caplen);
	le32(h + 24, origlen < caplen ? caplen : origlen);
	bool ok = put(out, h, sizeof h) && put(out, bytes, caplen) && put_pad(out, caplen);
	if (ok && clen) {
		uint8_t o[4];
		le16(o, OPT_COMMENT);
		le16(o + 2, (uint16_t)clen);
		ok = put(out, o, 4) && put(out, comment, clen) && put_pad(out, clen);
		le16(o, OPT_END);
		le16(o + 2, 0);
		ok = ok && put(out, o, 4);
	}
	return ok && put_le32(out, total);
}
