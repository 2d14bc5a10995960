/* test_tls: the TLS facts reader (src/tls.c) on hellos built byte by byte. */
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "tls.h"
#include "tls_reasm.h"
#include "tlsbuild.h"

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
	/* An alert in clear with no version, sent before any was agreed
	 * (the corpus's alexa-app.pcapng 1536): a close_notify. Version 0
	 * is an alert's only: a handshake or data record so is none, nor is
	 * a longer alert. */
	uint8_t unversioned[] = { 21, 0, 0, 0, 2, 1, 0 };
	CHECK(tls_may_start(unversioned, sizeof unversioned));
	tls_facts_parse(unversioned, sizeof unversioned, &t);
	CHECK_EQ(t.content, TLS_ALERT);
	CHECK_EQ(t.alert_level, 1);
	CHECK_EQ(t.alert_desc, 0);
	uint8_t unversioned_data[] = { 23, 0, 0, 0, 2, 1, 0 };
	CHECK(!tls_may_start(unversioned_data, sizeof unversioned_data));
	uint8_t unversioned_long[] = { 21, 0, 0, 0, 3, 1, 0, 0 };
	t.content = 0;
	tls_facts_parse(unversioned_long, sizeof unversioned_long, &t);
	CHECK_EQ(t.content, 0);
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

/* The end of a record begun in an earlier segment, then an alert: what
 * tls_read_payload reads of a write's last segment (the corpus's
 * ndpi/waze.pcap 289, TLS 1.0 with CBC and SHA-1: a 32-byte alert). */
static void test_tail_alert(void)
{
	struct tls_facts t;
	uint8_t seg[200];
	for (size_t i = 0; i < sizeof seg; i++)
		seg[i] = (uint8_t)(i * 37 + 11);        /* a record's encrypted body */
	static const uint8_t sizes[] = { 2, 18, 26, 32, 48, 64, 80 };
	for (size_t k = 0; k < sizeof sizes; k++) {
		uint32_t n = 120 + sizes[k] - 32, at = n - 5 - sizes[k];
		uint8_t hdr[] = { 21, 3, 1, 0, sizes[k] };
		memcpy(seg + at, hdr, sizeof hdr);
		seg[at + 5] = 1;        /* in clear (the 2-byte one): warning, */
		seg[at + 6] = 0;        /* close_notify */
		memset(&t, 0, sizeof t);
		tls_read_payload(seg, n, n, true, &t);
		CHECK_EQ(t.content, TLS_ENDS_WITH_ALERT);
		CHECK_EQ(t.last_content, TLS_ALERT);
		CHECK_EQ(t.record_len, sizes[k]);
		CHECK_EQ(t.records, 0);
		CHECK_EQ(t.alert_level, sizes[k] == 2 ? 1 : 0);
		/* Not the last segment of a write, or not captured whole: not read. */
		memset(&t, 0, sizeof t);
		tls_read_payload(seg, n, n, false, &t);
		CHECK_EQ(t.content, 0);
		tls_read_payload(seg, n, n + 100, true, &t);
		CHECK_EQ(t.content, 0);
		/* A length that does not end the segment is no alert there. */
		seg[at + 4] = (uint8_t)(sizes[k] + 1);
		tls_read_payload(seg, n, n, true, &t);
		CHECK_EQ(t.content, 0);
		for (size_t i = 0; i < sizeof seg; i++)
			seg[i] = (uint8_t)(i * 37 + 11);
	}
	/* TLS 1.3's: an application-data record of 19 bytes. */
	uint8_t v13[] = { 23, 3, 3, 0, 19 };
	memcpy(seg + 100 - 24, v13, sizeof v13);
	memset(&t, 0, sizeof t);
	tls_read_payload(seg, 100, 100, true, &t);
	CHECK_EQ(t.content, TLS_ENDS_WITH_ALERT);
	CHECK_EQ(t.last_content, TLS_APPLICATION_DATA);
	/* A segment that begins with a record is read from its start. */
	uint8_t alert[] = { 21, 3, 3, 0, 2, 2, 40 };
	memset(&t, 0, sizeof t);
	tls_read_payload(alert, sizeof alert, sizeof alert, true, &t);
	CHECK_EQ(t.content, TLS_ALERT);
	/* Every short length is safe (the reader is bounds-checked). */
	for (uint32_t n = 0; n <= 100; n++) {
		memset(&t, 0, sizeof t);
		tls_read_payload(seg + 100 - n, n, n, true, &t);
	}
}

/* A segment of the hello's bytes [from, to), as decode leaves it. */
static struct pkt part(const struct buf *o, uint32_t from, uint32_t to, uint64_t frame)
{
	struct pkt p;
	memset(&p, 0, sizeof p);
	p.frame = frame;
	p.ipver = 4;
	p.src[0] = 10, p.dst[0] = 10, p.dst[3] = 2;
	p.sport = 40000;
	p.dport = 443;
	p.flags = TCP_ACK | TCP_PSH;
	p.seq = 1000 + from;
	p.payload = o->b + from;
	p.payload_len = p.payload_caplen = to - from;
	tls_facts_parse(p.payload, p.payload_caplen, &p.tls);
	return p;
}

/* A ClientHello over two segments (a post-quantum key share's size). */
static void test_reassembly(void)
{
	struct buf o;
	client_hello(&o, "api.example.com", true);
	struct tls_reasm *r = tls_reasm_new();
	struct pkt a = part(&o, 0, 60, 1);      /* the name is in the second part */
	CHECK(a.tls.hello_cut && a.tls.sni[0] == '\0');
	tls_reasm_segment(r, &a);
	struct pkt b = part(&o, 60, (uint32_t)o.n, 2);
	tls_reasm_segment(r, &b);
	CHECK_EQ(b.tls.content, TLS_HANDSHAKE);
	CHECK_EQ(b.tls.handshake, TLS_CLIENT_HELLO);
	CHECK(strcmp(b.tls.sni, "api.example.com") == 0);
	CHECK(!b.tls.hello_cut);
	CHECK_EQ(tls_reasm_joined(r), 1);
	/* A gap ends it: the first part's facts stand, and it is counted. */
	struct pkt c = part(&o, 0, 60, 3);
	tls_reasm_segment(r, &c);
	struct pkt d = part(&o, 70, (uint32_t)o.n, 4);
	tls_reasm_segment(r, &d);
	CHECK(d.tls.sni[0] == '\0' || d.tls.content != TLS_HANDSHAKE);
	CHECK_EQ(tls_reasm_cut(r), 1);
	/* One that never completes gives way after TLS_REASM_WAIT frames. */
	struct pkt e = part(&o, 0, 60, 10);
	tls_reasm_segment(r, &e);
	struct pkt late = part(&o, 60, 61, 10 + TLS_REASM_WAIT + 1);
	late.sport = 40001;     /* another connection's segment drives the clock */
	tls_reasm_segment(r, &late);
	CHECK_EQ(tls_reasm_cut(r), 2);
	tls_reasm_free(r);
}

int main(void)
{
	test_reassembly();
	test_client_hello();
	test_records();
	test_tail_alert();
	return check_report("test_tls");
}
