/* test_rst_payload: a RST's data read as its reason (src/rst_payload.c). */
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "rst_payload.h"

static struct rst_payload parse(const void *d, size_t n)
{
	struct rst_payload r;
	rst_payload_parse(d, (uint32_t)n, &r);
	return r;
}

int main(void)
{
	/* The compact form: magic, code 14, enterprise 0. */
	static const uint8_t compact[] = { 0x33, 0xaa, 0x00, 0x0e, 0, 0, 0, 0 };
	struct rst_payload r = parse(compact, sizeof compact);
	CHECK_EQ(r.format, RST_PAYLOAD_DIAG_COMPACT);
	CHECK_EQ(r.code, 14);
	CHECK_EQ(r.enterprise, 0);
	CHECK(strcmp(rst_payload_cause_name(r.code), "connection timeout") == 0);
	/* A vendor's code: enterprise 32473 (RFC 5612's, for documentation). */
	static const uint8_t vendor[] = { 0x33, 0xaa, 0x04, 0xd2, 0, 0, 0x7e, 0xd9 };
	r = parse(vendor, sizeof vendor);
	CHECK_EQ(r.code, 1234);
	CHECK_EQ(r.enterprise, 32473);
	/* The CBOR form, the draft's examples: [12345, {1: 14}], [12345, {3: "..."}]
	 * and [12345, {1: 1234, 2: 32473}]. */
	static const uint8_t cbor[] = { 0x82, 0x19, 0x30, 0x39, 0xa1, 0x01, 0x0e };
	r = parse(cbor, sizeof cbor);
	CHECK_EQ(r.format, RST_PAYLOAD_DIAG_COMPACT);
	CHECK_EQ(r.code, 14);
	static const uint8_t cbor_text[] = { 0x82, 0x19, 0x30, 0x39, 0xa1, 0x03, 0x65, 'b', 'r', 'i',
					     'e', 'f' };
	r = parse(cbor_text, sizeof cbor_text);
	CHECK_EQ(r.format, RST_PAYLOAD_DIAG_TEXT);
	CHECK(strcmp(r.text, "brief") == 0);
	static const uint8_t cbor_pen[] = { 0x82, 0x19, 0x30, 0x39, 0xa2, 0x01, 0x19, 0x04, 0xd2,
					    0x02, 0x19, 0x7e, 0xd9 };
	r = parse(cbor_pen, sizeof cbor_pen);
	CHECK_EQ(r.code, 1234);
	CHECK_EQ(r.enterprise, 32473);
	/* The free description, escaped where it is not printable. */
	static const uint8_t text[] = { 0xf3, 0x17, 'N', 'A', 'T', '\n', 0xe2 };
	r = parse(text, sizeof text);
	CHECK_EQ(r.format, RST_PAYLOAD_DIAG_TEXT);
	CHECK(strcmp(r.text, "NAT\\x0a\\xe2") == 0);
	/* A load balancer's text; binary; zero padding, which is no reason. */
	r = parse("Flow expired (sweeper)", 22);
	CHECK_EQ(r.format, RST_PAYLOAD_TEXT);
	CHECK(strcmp(r.text, "Flow expired (sweeper)") == 0);
	static const uint8_t bin[] = { 0x01, 0x02, 0x03, 0xff, 0x80, 0x00, 0x11 };
	CHECK_EQ(parse(bin, sizeof bin).format, RST_PAYLOAD_BINARY);
	static const uint8_t zeros[6] = { 0 };
	CHECK_EQ(parse(zeros, sizeof zeros).format, RST_PAYLOAD_NONE);
	/* A long text is cut, NUL-terminated. */
	char lng[300];
	memset(lng, 'x', sizeof lng);
	r = parse(lng, sizeof lng);
	CHECK_EQ(strlen(r.text), RST_PAYLOAD_TEXT_MAX - 1);
	/* Every cut of every form is safe. */
	for (size_t n = 0; n <= sizeof cbor_pen; n++)
		parse(cbor_pen, n);
	return check_report("test_rst_payload");
}
