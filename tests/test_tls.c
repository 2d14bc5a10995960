/* test_tls: the TLS facts reader (src/tls.c) on hellos built byte by byte. */
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "tls.h"
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
