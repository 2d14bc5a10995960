/* rst_payload: a RST's data read as a reason (see rst_payload.h). */
#include "rst_payload.h"

#include <stdbool.h>
#include <string.h>

#include "rd.h"

#define MAGIC_COMPACT 0x33AA
#define MAGIC_TEXT 0xF317
#define CBOR_COOKIE 12345       /* the draft's placeholder for its RFC number */

/* Printable ASCII kept, anything else as "\xNN", cut to fit. */
static void escape(char *dst, size_t cap, const uint8_t *b, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t used = 0;
	for (size_t i = 0; i < n; i++) {
		if (b[i] >= 0x20 && b[i] <= 0x7e && b[i] != '\\') {
			if (used + 2 > cap)
				break;
			dst[used++] = (char)b[i];
		} else {
			if (used + 5 > cap)
				break;
			dst[used++] = '\\';
			dst[used++] = 'x';
			dst[used++] = hex[b[i] >> 4];
			dst[used++] = hex[b[i] & 15];
		}
	}
	dst[used] = '\0';
}

/* Mostly printable: a text reason (a trailing NUL or newline allowed). */
static bool printable(const uint8_t *b, size_t n)
{
	size_t ok = 0;
	for (size_t i = 0; i < n; i++)
		ok += (b[i] >= 0x20 && b[i] <= 0x7e) || b[i] == '\n' || b[i] == '\r' || b[i] == '\t';
	return n > 0 && ok * 10 >= n * 9;
}

/* A CBOR unsigned integer (major type 0), RFC 8949 3.1. */
static bool cbor_uint(struct rd *r, uint32_t *v)
{
	uint8_t ib;
	if (!rd_u8(r, &ib) || (ib >> 5) != 0)
		return false;
	uint8_t info = ib & 31, b8;
	uint16_t b16;
	if (info < 24) {
		*v = info;
		return true;
	}
	if (info == 24 && rd_u8(r, &b8)) {
		*v = b8;
		return true;
	}
	if (info == 25 && rd_be16(r, &b16)) {
		*v = b16;
		return true;
	}
	return info == 26 && rd_be32(r, v);
}

/* [cookie, {1: code, 2: pen, 3: "text"}]: the later drafts' CBOR sequence. */
static bool parse_cbor(struct rd r, struct rst_payload *out)
{
	uint8_t ib;
	uint32_t cookie, pairs;
	if (!rd_u8(&r, &ib) || ib != 0x82 || !cbor_uint(&r, &cookie) || cookie != CBOR_COOKIE ||
	    !rd_u8(&r, &ib) || (ib >> 5) != 5 || (ib & 31) > 3)
		return false;
	pairs = ib & 31;
	bool code = false, text = false;
	for (uint32_t i = 0; i < pairs; i++) {
		uint32_t key, v;
		if (!cbor_uint(&r, &key))
			return false;
		if (key == 1 || key == 2) {
			if (!cbor_uint(&r, &v))
				return false;
			if (key == 1) {
				out->code = (uint16_t)(v > UINT16_MAX ? UINT16_MAX : v);
				code = true;
			} else {
				out->enterprise = v;
			}
		} else if (key == 3) {
			uint8_t tb, n8;
			size_t n;
			if (!rd_u8(&r, &tb) || (tb >> 5) != 3)
				return false;
			if ((tb & 31) < 24)
				n = tb & 31;
			else if ((tb & 31) == 24 && rd_u8(&r, &n8))
				n = n8;
			else
				return false;
			struct rd s;
			if (!rd_sub(&r, &s, n))
				return false;
			escape(out->text, sizeof out->text, s.p, s.len);
			text = true;
		} else {
			return false;
		}
	}
	if (!code && !text)
		return false;
	out->format = code ? RST_PAYLOAD_DIAG_COMPACT : RST_PAYLOAD_DIAG_TEXT;
	return true;
}

void rst_payload_parse(const uint8_t *d, uint32_t n, struct rst_payload *out)
{
	memset(out, 0, sizeof *out);
	if (n == 0)
		return;
	struct rd r = rd_init(d, n);
	uint16_t magic = n >= 2 ? rd_be16_at(&r, 0) : 0;
	if (magic == MAGIC_COMPACT && n >= 8) {
		out->format = RST_PAYLOAD_DIAG_COMPACT;
		out->code = rd_be16_at(&r, 2);
		out->enterprise = rd_be32_at(&r, 4);
		return;
	}
	if (magic == MAGIC_TEXT) {
		out->format = RST_PAYLOAD_DIAG_TEXT;
		escape(out->text, sizeof out->text, d + 2, n - 2);
		return;
	}
	if (parse_cbor(r, out))
		return;
	/* Zero padding (an Ethernet frame's minimum counted as payload) is no reason. */
	bool zeros = true;
	for (uint32_t i = 0; i < n && zeros; i++)
		zeros = d[i] == 0;
	if (zeros)
		return;
	if (printable(d, n)) {
		out->format = RST_PAYLOAD_TEXT;
		escape(out->text, sizeof out->text, d, n);
	} else {
		out->format = RST_PAYLOAD_BINARY;
	}
}

const char *rst_payload_format_name(uint8_t f)
{
	static const char *const names[RST_PAYLOAD_FORMAT_COUNT] = {
		[RST_PAYLOAD_NONE] = NULL, [RST_PAYLOAD_DIAG_COMPACT] = "diag-compact",
		[RST_PAYLOAD_DIAG_TEXT] = "diag-text", [RST_PAYLOAD_TEXT] = "text",
		[RST_PAYLOAD_BINARY] = "binary",
	};
	return f < RST_PAYLOAD_FORMAT_COUNT ? names[f] : NULL;
}

/* The draft's initial "TCP Failure Causes" registry. */
const char *rst_payload_cause_name(uint16_t code)
{
	static const char *const names[] = {
		NULL, "illegal option", "desynchronized state",
		"new data received after CLOSE", "ABORT", "unexpected ACK in a non-synchronized state",
		"unexpected SYN in the window", "unexpected security compartment", "malformed message",
		"not authorized", "resource exceeded", "network failure", "reset received from the peer",
		"destination unreachable", "connection timeout", "too much outstanding data",
		"unacceptable performance", "middlebox interference",
	};
	return code < sizeof names / sizeof names[0] ? names[code] : NULL;
}
