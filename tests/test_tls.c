/* test_tls: the TLS facts reader (src/tls.c) on hellos built byte by byte. */
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "tls.h"

struct buf {
	uint8_t b[4096];
	size_t n;
};

static void put8(struct buf *o, unsigned v) { o->b[o->n++] = (uint8_t)v; }
static void put16(struct buf *o, unsigned v) { put8(o, v >> 8); put8(o, v & 0xff); }
static void put24(struct buf *o, unsigned v) { put8(o, v >> 16); put16(o, v & 0xffff); }
static void puts_(struct buf *o, const char *s) { while (*s) put8(o, (uint8_t)*s++); }
/* Writes a 16-bit length at off for what follows it up to the end. */
static void len16_at(struct buf *o, size_t off) {
	size_t n = o->n - off - 2;
	o->b[off] = (uint8_t)(n >> 8);
	o->b[off + 1] = (uint8_t)n;
}

/* A TLS 1.3 ClientHello as browsers send it: GREASE, SNI, ALPN, versions. */
static void client_hello(struct buf *o, const char *sni, bool with_versions)
{
	o->n = 0;
	put8(o, 22); put16(o, 0x0301);          /* record: handshake, legacy 1.0 */
	size_t rec = o->n; put16(o, 0);
	put8(o, 1);                             /* ClientHello */
	size_t hs = o->n; put24(o, 0);
	put16(o, 0x0303);                       /* legacy_version 1.2 */
	for (int i = 0; i < 32; i++) put8(o, i); /* random */
	put8(o, 32); for (int i = 0; i < 32; i++) put8(o, 0xaa); /* session id */
	put16(o, 4); put16(o, 0x1301); put16(o, 0x1302);     /* cipher suites */
	put8(o, 1); put8(o, 0);                 /* compression: null */
	size_t exts = o->n; put16(o, 0);
	put16(o, 0x3a3a); put16(o, 0);          /* GREASE extension */
	put16(o, 0);                            /* server_name */
	size_t e = o->n; put16(o, 0);
	size_t l = o->n; put16(o, 0);
	put8(o, 0); put16(o, (unsigned)strlen(sni)); puts_(o, sni);
	len16_at(o, l); len16_at(o, e);
	put16(o, 16);                           /* ALPN */
	e = o->n; put16(o, 0);
	l = o->n; put16(o, 0);
	put8(o, 2); puts_(o, "h2"); put8(o, 8); puts_(o, "http/1.1");
	len16_at(o, l); len16_at(o, e);
	if (with_versions) {
		put16(o, 43);                   /* supported_versions */
		put16(o, 7); put8(o, 6); put16(o, 0x7a7a); put16(o, 0x0304); put16(o, 0x0303);
	}
	len16_at(o, exts);
	size_t hslen = o->n - hs - 3;
	o->b[hs] = (uint8_t)(hslen >> 16); o->b[hs + 1] = (uint8_t)(hslen >> 8);
	o->b[hs + 2] = (uint8_t)hslen;
	len16_at(o, rec);
}

static void test_client_hello(void)
{
	struct buf o;
	struct tls_facts t;
	client_hello(&o, "api.example.com", true);
	tls_facts_parse(o.b, (uint32_t)o.n, &t);
	CHECK_EQ(t.content, TLS_HANDSHAKE);
	CHECK_EQ(t.handshake, TLS_CLIENT_HELLO);
	CHECK_EQ(t.records, 1);
	CHECK_EQ(t.version, 0x0304);            /* supported_versions, GREASE skipped */
	CHECK(strcmp(t.sni, "api.example.com") == 0);
	CHECK(strcmp(t.alpn, "h2,http/1.1") == 0);
	CHECK(!t.hello_cut);
	CHECK_EQ(t.next_record, o.n);
	/* Without supported_versions: the legacy version (TLS 1.2). */
	client_hello(&o, "x", false);
	tls_facts_parse(o.b, (uint32_t)o.n, &t);
	CHECK_EQ(t.version, 0x0303);
	/* Cut by the segment's end (a post-quantum key share makes a hello of
	 * two segments): what was captured is read, and the cut said. */
	client_hello(&o, "api.example.com", true);
	tls_facts_parse(o.b, (uint32_t)o.n - 20, &t);
	CHECK(t.hello_cut);
	CHECK(strcmp(t.sni, "api.example.com") == 0);
	/* Every cut length is safe (the reader is bounds-checked). */
	for (uint32_t n = 0; n <= o.n; n++)
		tls_facts_parse(o.b, n, &t);
	/* A name with bytes that are not printable is kept printable. */
	client_hello(&o, "a\nb", true);
	tls_facts_parse(o.b, (uint32_t)o.n, &t);
	CHECK(strcmp(t.sni, "a?b") == 0);
	/* A long name is cut to fit. */
	char longname[200];
	memset(longname, 'n', sizeof longname - 1);
	longname[sizeof longname - 1] = '\0';
	client_hello(&o, longname, true);
	tls_facts_parse(o.b, (uint32_t)o.n, &t);
	CHECK_EQ(strlen(t.sni), TLS_SNI_MAX - 1);
}

static void test_records(void)
{
	struct tls_facts t;
	/* Two application-data records in one segment, the second cut. */
	uint8_t two[] = { 23, 3, 3, 0, 3, 1, 2, 3, 23, 3, 3, 0x02, 0x00, 9 };
	tls_facts_parse(two, sizeof two, &t);
	CHECK_EQ(t.content, TLS_APPLICATION_DATA);
	CHECK_EQ(t.records, 2);
	CHECK_EQ(t.record_len, 3);
	CHECK_EQ(t.next_record, 8 + 5 + 512);
	/* An alert in clear: fatal handshake_failure. */
	uint8_t alert[] = { 21, 3, 3, 0, 2, 2, 40 };
	tls_facts_parse(alert, sizeof alert, &t);
	CHECK_EQ(t.content, TLS_ALERT);
	CHECK_EQ(t.alert_level, 2);
	CHECK_EQ(t.alert_desc, 40);
	CHECK(strcmp(tls_alert_name(t.alert_desc), "handshake_failure") == 0);
	/* Not a record: HTTP, a bad version, a record too long. */
	const char *http = "GET / HTTP/1.1\r\n";
	tls_facts_parse((const uint8_t *)http, (uint32_t)strlen(http), &t);
	CHECK_EQ(t.content, 0);
	uint8_t bad[] = { 23, 2, 0, 0, 3, 1, 2, 3 };
	tls_facts_parse(bad, sizeof bad, &t);
	CHECK_EQ(t.content, 0);
	uint8_t huge[] = { 23, 3, 3, 0xff, 0xff, 1 };
	tls_facts_parse(huge, sizeof huge, &t);
	CHECK_EQ(t.content, 0);
	CHECK(strcmp(tls_version_name(0x0304), "1.3") == 0);
	CHECK(tls_version_name(0x7a7a) == NULL);
}

int main(void)
{
	test_client_hello();
	test_records();
	return check_report("test_tls");
}
