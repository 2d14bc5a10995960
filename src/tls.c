/*
 * tls: record headers and hellos (see tls.h). RFC 8446 (TLS 1.3) 4.1.2,
 * 4.1.3, 4.2 and 5.1; RFC 5246 (TLS 1.2) 6.2.1 and 7.4.1; RFC 6066 3
 * (server_name); RFC 7301 3.1 (ALPN). Every byte through rd.h.
 */
#include "tls.h"

#include <string.h>

#include "rd.h"

#define EXT_SERVER_NAME 0
#define EXT_ALPN 16
#define EXT_SUPPORTED_VERSIONS 43
/* RFC 8446 5.1: a TLSCiphertext's length is at most 2^14 + 256; TLS 1.2
 * allowed 2^14 + 2048 (RFC 5246 6.2.3). Longer is not a record header. */
#define RECORD_MAX (16384 + 2048)

/* RFC 8701: GREASE values, {0x0a,0x0a}, {0x1a,0x1a} ... */
static bool grease(uint16_t v)
{
	return (v & 0x0f0f) == 0x0a0a && (v >> 8) == (v & 0xff);
}

/*
 * A record version: SSL 3.0 to TLS 1.3's, or, for an alert in clear (two
 * bytes), 0: a stack that alerts before any version was agreed may write
 * no version at all (tls_prober's fingerprints record mbedTLS answering
 * a hello of version 0 so; the corpus's alexa-app.pcapng 1536, S3's
 * close_notify to a connection that never began its handshake, a review).
 */
static bool record_version(uint16_t version, uint8_t type, uint16_t len)
{
	return ((version >> 8) == 3 && (version & 0xff) <= 4) ||
	       (version == 0 && type == TLS_ALERT && len == 2);
}

/* A record header at the start of r (record_version). */
static bool record_header(const struct rd *r, uint8_t *type, uint16_t *len)
{
	if (rd_left(r) < 5)
		return false;
	uint8_t t = rd_u8_at(r, 0);
	uint16_t version = rd_be16_at(r, 1), n = rd_be16_at(r, 3);
	if (t < TLS_CHANGE_CIPHER_SPEC || t > TLS_APPLICATION_DATA || !record_version(version, t, n) ||
	    n == 0 || n > RECORD_MAX)
		return false;
	*type = t;
	*len = n;
	return true;
}

/* Appends the n bytes of b to dst (size cap) as printable ASCII, cut to fit. */
static void append_text(char *dst, size_t cap, const uint8_t *b, size_t n)
{
	size_t used = strlen(dst);
	for (size_t i = 0; i < n && used + 1 < cap; i++)
		dst[used++] = (b[i] >= 0x21 && b[i] <= 0x7e) ? (char)b[i] : '?';
	dst[used] = '\0';
}

static void read_sni(struct rd e, struct tls_facts *out)
{
	uint16_t list;
	if (!rd_be16(&e, &list))
		return;
	rd_clamp(&e, list);
	while (rd_left(&e) >= 3) {
		uint8_t type;
		uint16_t n;
		struct rd name;
		rd_u8(&e, &type);
		if (!rd_be16(&e, &n) || !rd_sub(&e, &name, n))
			return;
		if (type == 0) {        /* host_name */
			out->sni[0] = '\0';
			append_text(out->sni, sizeof out->sni, name.p, name.len);
			return;
		}
	}
}

static void read_alpn(struct rd e, struct tls_facts *out)
{
	uint16_t list;
	if (!rd_be16(&e, &list))
		return;
	rd_clamp(&e, list);
	out->alpn[0] = '\0';
	while (rd_left(&e) >= 1) {
		uint8_t n;
		struct rd id;
		rd_u8(&e, &n);
		if (!rd_sub(&e, &id, n))
			return;
		if (out->alpn[0])
			append_text(out->alpn, sizeof out->alpn, (const uint8_t *)",", 1);
		append_text(out->alpn, sizeof out->alpn, id.p, id.len);
	}
}

/* ClientHello: a list of versions, the highest wins; ServerHello: one. */
static void read_versions(struct rd e, bool client, struct tls_facts *out)
{
	uint16_t v;
	if (!client) {
		if (rd_be16(&e, &v) && !grease(v))
			out->version = v;
		return;
	}
	uint8_t list;
	if (!rd_u8(&e, &list))
		return;
	rd_clamp(&e, list);
	uint16_t best = 0;
	while (rd_be16(&e, &v))
		if (!grease(v) && v > best && (v >> 8) == 3)
			best = v;
	if (best)
		out->version = best;
}

static void read_extensions(struct rd r, bool client, struct tls_facts *out)
{
	uint16_t total;
	if (!rd_be16(&r, &total))
		return;
	rd_clamp(&r, total);
	while (rd_left(&r) >= 4) {
		uint16_t type, n;
		struct rd e;
		rd_be16(&r, &type);
		rd_be16(&r, &n);
		if (!rd_sub(&r, &e, n))
			return;     /* cut by the segment's end: hello_cut says so */
		if (type == EXT_SERVER_NAME && client)
			read_sni(e, out);
		else if (type == EXT_ALPN)
			read_alpn(e, out);
		else if (type == EXT_SUPPORTED_VERSIONS)
			read_versions(e, client, out);
	}
}

/* A ClientHello or ServerHello: body r starts after the handshake header. */
static void read_hello(struct rd r, bool client, struct tls_facts *out)
{
	uint16_t legacy;
	uint8_t n8;
	uint16_t n16;
	if (!rd_be16(&r, &legacy) || !rd_skip(&r, 32))   /* legacy_version, random */
		return;
	out->version = legacy;
	if (!rd_u8(&r, &n8) || !rd_skip(&r, n8))          /* legacy_session_id */
		return;
	if (client) {
		if (!rd_be16(&r, &n16) || !rd_skip(&r, n16) ||  /* cipher_suites */
		    !rd_u8(&r, &n8) || !rd_skip(&r, n8))        /* compression_methods */
			return;
	} else if (!rd_skip(&r, 3)) {                   /* cipher_suite, compression */
		return;
	}
	read_extensions(r, client, out);
}

static void read_handshake(struct rd r, uint16_t record_len, struct tls_facts *out)
{
	uint8_t type, l0;
	uint16_t l12;
	if (!rd_u8(&r, &type) || !rd_u8(&r, &l0) || !rd_be16(&r, &l12))
		return;
	out->handshake = type;
	if (type != TLS_CLIENT_HELLO && type != TLS_SERVER_HELLO)
		return;
	uint32_t len = (uint32_t)l0 << 16 | l12;
	/* A hello longer than what was captured, or than its record (a hello
	 * split over records), was not read whole. */
	if (len > rd_left(&r) || len + 4 > record_len)
		out->hello_cut = true;
	rd_clamp(&r, len);
	read_hello(r, type == TLS_CLIENT_HELLO, out);
}

void tls_facts_parse(const uint8_t *d, uint32_t n, struct tls_facts *out)
{
	out->content = 0;
	struct rd r = rd_init(d, n);
	uint8_t type;
	uint16_t len;
	if (!record_header(&r, &type, &len))
		return;
	out->content = type;
	out->record_len = len;
	out->handshake = 0;
	out->version = 0;
	out->alert_level = out->alert_desc = 0;
	out->hello_cut = false;
	out->sni[0] = out->alpn[0] = '\0';
	out->records = 0;
	out->contents = 0;
	uint32_t off = 0;
	/* Walk the headers while they lie in the captured bytes. */
	while (record_header(&r, &type, &len)) {
		if (out->records < UINT8_MAX)
			out->records++;
		out->last_content = type;
		out->contents |= (uint8_t)(1u << (type - TLS_CHANGE_CIPHER_SPEC));
		off += 5u + len;
		struct rd body;
		rd_skip(&r, 5);
		bool whole = rd_sub(&r, &body, len);
		if (!whole)
			body = r;       /* the record runs past the captured bytes */
		if (out->records == 1 && type == TLS_HANDSHAKE)
			read_handshake(body, len, out);
		else if (type == TLS_ALERT && len == 2 && whole) {
			out->alert_level = rd_u8_at(&body, 0);
			out->alert_desc = rd_u8_at(&body, 1);
		}
		if (!whole)
			break;
	}
	out->next_record = off;
}

/*
 * An alert record ends the segment when a header 5 + L bytes from its end
 * says type 21 and length L. L is one of an alert's sizes: 2 in clear; 18
 * (ChaCha20-Poly1305, AES-CCM-8), 26 (AES-GCM, with its 8-byte explicit
 * nonce), 32, 48, 64 and 80 (CBC with SHA-1 to SHA-384, the IV explicit
 * from TLS 1.1 on) encrypted (RFC 5246 6.2.3, RFC 5288 3, RFC 7905 2); or
 * TLS 1.3's, an application-data record of 19 bytes (RFC 8446 5.2;
 * track_tls_records tells it). A few fixed places, not a scan: this is
 * read on the last segment of every write.
 */
void tls_facts_tail(const uint8_t *d, uint32_t n, struct tls_facts *out)
{
	static const uint8_t sizes[] = { 26, 18, 32, 48, 2, 64, 80, 19 };
	struct rd r = rd_init(d, n);
	/* Most segments end with no header at any of those places: their
	 * type bytes, read at once, tell (on a longer segment, every place
	 * lies within it). */
	if (n >= 5 + 80) {
		unsigned maybe = 0;
		for (size_t i = 0; i + 1 < sizeof sizes; i++)
			maybe |= rd_u8_at(&r, n - 5 - sizes[i]) == TLS_ALERT;
		maybe |= rd_u8_at(&r, n - 5 - 19) == TLS_APPLICATION_DATA;
		if (!maybe)
			return;
	}
	for (size_t i = 0; i < sizeof sizes; i++) {
		uint32_t len = sizes[i];
		if (n < 5 + len)
			continue;
		size_t at = n - 5 - len;
		uint8_t type = rd_u8_at(&r, at);
		uint16_t version = rd_be16_at(&r, at + 1);
		if (!record_version(version, type, (uint16_t)len) || rd_be16_at(&r, at + 3) != len ||
		    type != (len == 19 ? TLS_APPLICATION_DATA : TLS_ALERT))
			continue;
		out->content = TLS_ENDS_WITH_ALERT;
		out->last_content = type;
		out->record_len = (uint16_t)len;
		out->records = 0;
		out->alert_level = len == 2 ? rd_u8_at(&r, at + 5) : 0;
		out->alert_desc = len == 2 ? rd_u8_at(&r, at + 6) : 0;
		return;
	}
}

const char *tls_version_name(uint16_t version)
{
	switch (version) {
	case 0x0300: return "ssl3";
	case 0x0301: return "1.0";
	case 0x0302: return "1.1";
	case 0x0303: return "1.2";
	case 0x0304: return "1.3";
	default: return NULL;
	}
}

const char *tls_alert_name(uint8_t desc)
{
	switch (desc) {
	case 0: return "close_notify";
	case 10: return "unexpected_message";
	case 20: return "bad_record_mac";
	case 22: return "record_overflow";
	case 40: return "handshake_failure";
	case 42: return "bad_certificate";
	case 43: return "unsupported_certificate";
	case 44: return "certificate_revoked";
	case 45: return "certificate_expired";
	case 46: return "certificate_unknown";
	case 47: return "illegal_parameter";
	case 48: return "unknown_ca";
	case 49: return "access_denied";
	case 50: return "decode_error";
	case 51: return "decrypt_error";
	case 70: return "protocol_version";
	case 71: return "insufficient_security";
	case 80: return "internal_error";
	case 86: return "inappropriate_fallback";
	case 90: return "user_canceled";
	case 109: return "missing_extension";
	case 110: return "unsupported_extension";
	case 112: return "unrecognized_name";
	case 113: return "bad_certificate_status_response";
	case 115: return "unknown_psk_identity";
	case 116: return "certificate_required";
	case 120: return "no_application_protocol";
	default: return NULL;
	}
}
