/*
 * Unit tests of the hand-written formatting that replaced libc's and
 * cJSON's on the per-reset path (report.c, text_format.c, json_write.c):
 * each must write exactly what the function it replaced writes, so every
 * case here is compared with the reference (snprintf, inet_ntop, cJSON's
 * printer) rather than with a literal.
 */
#include <arpa/inet.h>
#include <cjson/cJSON.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "json_write.h"
#include "packet.h"
#include "report.h"
#include "text_format.h"

static uint64_t rng = 0x9E3779B97F4A7C15ULL;

static uint64_t next(void)
{
	return check_random(&rng);
}

/* What report_duration wrote before it was written by hand. */
static void duration_ref(char *buf, size_t n, int64_t ns)
{
	if (ns < 0)
		ns = -ns;
	double ms = (double)ns / 1e6;
	if (ns >= 999500000)
		snprintf(buf, n, "%.3f s", (double)ns / 1e9);
	else if (ms >= 99.95)
		snprintf(buf, n, "%.0f ms", ms);
	else if (ns >= 1000 || ns == 0)
		snprintf(buf, n, "%.3g ms", ms);
	else
		snprintf(buf, n, "%lld ns", (long long)ns);
}

static int duration_case(int64_t ns)
{
	char got[32], want[32];
	report_duration(got, sizeof got, ns);
	duration_ref(want, sizeof want, ns);
	if (strcmp(got, want) == 0)
		return 0;
	fprintf(stderr, "duration %" PRId64 ": \"%s\", snprintf \"%s\"\n", ns, got, want);
	return 1;
}

static void test_duration(void)
{
	int bad = 0;
	/* Every boundary of the forms and of the magnitudes, each side of it,
	 * and the halfway points printf rounds from its double. */
	static const int64_t edges[] = { 0, 1, 999, 1000, 1004, 1005, 1006, 9995, 9999, 10000,
		62500, 99995, 100000, 125000, 999500, 999999, 1000000, 1005000, 1235000,
		9995000, 9999999, 10000000, 10050000, 99949999, 99950000, 99950001,
		100500000, 999499999, 999500000, 999500001, 1000500000, 1234500000,
		60000000000LL, 86400123456789LL, -1500000 };
	for (size_t i = 0; i < sizeof edges / sizeof edges[0]; i++)
		for (int64_t d = -2; d <= 2; d++)
			bad += duration_case(edges[i] + d);
	for (int i = 0; i < 200000; i++) {
		uint64_t r = next();
		/* spread over every magnitude, from 1 ns to days */
		int64_t ns = (int64_t)(r % 1000000000000000ULL >> (r >> 58));
		bad += duration_case(ns);
	}
	for (int i = 0; i < 20000; i++) {   /* exactly halfway at each magnitude */
		static const int64_t units[] = { 10, 100, 1000, 10000, 100000, 1000000 };
		int64_t u = units[next() % 6];
		bad += duration_case((int64_t)(next() % 2000000) * u + u / 2);
	}
	CHECK_EQ(bad, 0);
}

static void test_uint(void)
{
	int bad = 0;
	for (int i = 0; i < 200000; i++) {
		uint64_t v = next() >> (next() % 64);
		if (i < 64)     /* every power of ten and its neighbours */
			for (int k = 0; k < i % 20; k++)
				v = k ? v * 10 : 1;
		v -= (uint64_t)(i % 3) * (i < 64);
		if (i == 64)
			v = UINT64_MAX;
		char got[24], want[24];
		char *end = report_put_uint(got, v);
		*end = '\0';
		snprintf(want, sizeof want, "%" PRIu64, v);
		bad += strcmp(got, want) != 0;
	}
	/* 0, and every power of ten with the numbers either side of it */
	for (uint64_t p10 = 1, k = 0; k < 20; k++, p10 *= 10) {
		for (int d = -1; d <= 1; d++) {
			uint64_t v = k == 0 && d == -1 ? 0 : p10 + (uint64_t)(int64_t)d;
			char got[24], want[24];
			*report_put_uint(got, v) = '\0';
			snprintf(want, sizeof want, "%" PRIu64, v);
			bad += strcmp(got, want) != 0;
		}
	}
	/* every power of two with the numbers either side of it: the digit
	 * count is read from the bit length */
	for (int k = 0; k < 64; k++) {
		for (int d = -1; d <= 1; d++) {
			uint64_t v = ((uint64_t)1 << k) + (uint64_t)(int64_t)d;
			char got[24], want[24];
			*report_put_uint(got, v) = '\0';
			snprintf(want, sizeof want, "%" PRIu64, v);
			bad += strcmp(got, want) != 0;
		}
	}
	CHECK_EQ(bad, 0);
}

static void test_seconds(void)
{
	int bad = 0;
	for (int i = 0; i < 100000; i++) {
		int64_t ns = (int64_t)next();
		if (i < 8)
			ns = (int64_t[]){ 0, 1, -1, 999999999, 1000000000, INT64_MAX, INT64_MIN + 1,
					  -999 }[i];
		for (int nano = 0; nano < 2; nano++) {
			char got[48], want[48];
			size_t len = report_seconds(got, sizeof got, ns, nano);
			const char *sign = ns < 0 ? "-" : "";
			uint64_t mag = ns < 0 ? (uint64_t)0 - (uint64_t)ns : (uint64_t)ns;
			if (nano)
				snprintf(want, sizeof want, "%s%" PRIu64 ".%09" PRIu64, sign,
					 mag / 1000000000u, mag % 1000000000u);
			else
				snprintf(want, sizeof want, "%s%" PRIu64 ".%06" PRIu64, sign,
					 mag / 1000000000u, mag % 1000000000u / 1000u);
			bad += strcmp(got, want) != 0 || len != strlen(want);
		}
	}
	CHECK_EQ(bad, 0);
	char small[6];
	CHECK_EQ(report_seconds(small, sizeof small, 1234000000, false), 5);
	CHECK(strcmp(small, "1.234") == 0);
}

static void test_flags_and_addresses(void)
{
	static const struct { uint8_t bit; const char *name; } names[] = {
		{ TCP_SYN, "SYN" }, { TCP_FIN, "FIN" }, { TCP_RST, "RST" }, { TCP_PSH, "PSH" },
		{ TCP_URG, "URG" }, { TCP_ECE, "ECE" }, { TCP_CWR, "CWR" }, { TCP_ACK, "ACK" },
	};
	int bad = 0;
	for (int f = 0; f < 256; f++) {
		char got[48], want[48] = "";
		size_t used = 0;
		for (size_t i = 0; i < 8; i++)
			if (f & names[i].bit)
				used += (size_t)snprintf(want + used, sizeof want - used, "%s%s",
							 used ? "+" : "", names[i].name);
		if (!used)
			strcpy(want, "none");
		report_flags(got, sizeof got, (uint8_t)f);
		bad += strcmp(got, want) != 0;
	}
	for (int i = 0; i < 100000; i++) {
		uint8_t a[16];
		uint64_t r = next(), r2 = next();
		memcpy(a, &r, 8);
		memcpy(a + 8, &r2, 8);
		if (i % 3 == 0)     /* runs of zeros, as IPv6 addresses have */
			memset(a + next() % 8, 0, next() % 9);
		uint8_t ipver = i % 2 ? 4 : 6;
		uint16_t port = (uint16_t)next();
		char got[64], want[64], ref[INET6_ADDRSTRLEN];
		inet_ntop(ipver == 4 ? AF_INET : AF_INET6, a, ref, sizeof ref);
		report_addr(got, sizeof got, ipver, a);
		bad += strcmp(got, ref) != 0;
		snprintf(want, sizeof want, ipver == 4 ? "%s:%u" : "[%s]:%u", ref, port);
		report_endpoint(got, sizeof got, ipver, a, port);
		bad += strcmp(got, want) != 0;
		char cut[9], cut_ref[9];
		report_endpoint(cut, sizeof cut, ipver, a, port);
		size_t keep = strlen(want) < sizeof cut_ref - 1 ? strlen(want) : sizeof cut_ref - 1;
		memcpy(cut_ref, want, keep);       /* as snprintf cuts */
		cut_ref[keep] = '\0';
		bad += strcmp(cut, cut_ref) != 0;
	}
	CHECK_EQ(bad, 0);
}

static void vformat_ref(char *buf, size_t n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void vformat_ref(char *buf, size_t n, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	size_t used = strlen(buf);
	if (used + 1 < n)
		vsnprintf(buf + used, n - used, fmt, ap);
	va_end(ap);
}

static void append(char *buf, size_t n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int bad_len;   /* appends whose length did not match the text's */
static void append(char *buf, size_t n, const char *fmt, ...)
{
	va_list ap;
	size_t len = strlen(buf);
	va_start(ap, fmt);
	text_vappend(buf, n, &len, strlen(fmt), fmt, ap);
	va_end(ap);
	bad_len += len != strlen(buf);
}

/* The conversions the words use, and one they do not (handed to vsnprintf),
 * appended into buffers of every size up to past the text. */
static void test_text_format(void)
{
	int bad = 0;
	for (size_t n = 1; n < 90; n++) {
		for (int k = 0; k < 200; k++) {
			char got[96] = "ab", want[96] = "ab";
			if (n < 3)
				got[n - 1] = want[n - 1] = '\0';
			unsigned u = (unsigned)next() >> (next() % 32);
			unsigned long long ll = next() >> (next() % 64);
			/* arguments under 16 bytes, of 16, and of more (copied 16
			 * bytes at a time, the last 16 overlapping) */
			const char *s = (const char *[]){ "", "x", "client", "a longer word",
							  "sixteen bytes ok",
							  "an argument of forty bytes, in full.." }[k % 6];
			switch (k % 8) {
			case 0:
				append(got, n, "The %s's SYN (frame %llu), %u%% later", s, ll, u);
				vformat_ref(want, n, "The %s's SYN (frame %llu), %u%% later", s, ll, u);
				break;
			case 1:
				append(got, n, "%.3s|%.200s|%s", s, s, s);
				vformat_ref(want, n, "%.3s|%.200s|%s", s, s, s);
				break;
			case 2:
				append(got, n, "no conversion at all");
				vformat_ref(want, n, "no conversion at all");
				break;
			case 3:
				append(got, n, "%u %d %s", u, -(int)(u % 1000), s);
				vformat_ref(want, n, "%u %d %s", u, -(int)(u % 1000), s);
				break;
			case 4:
				append(got, n, "%llu%u", ll, u);
				vformat_ref(want, n, "%llu%u", ll, u);
				break;
			/* text_format.c's three ways through a literal: 16 bytes
			 * at a time, the last 16 of a long format, byte by byte */
			case 5:
				append(got, n, "exactly 16 bytes");
				vformat_ref(want, n, "exactly 16 bytes");
				break;
			case 6:
				append(got, n, "fifteen bytes%s", s);
				vformat_ref(want, n, "fifteen bytes%s", s);
				break;
			default:
				append(got, n, "a stretch of more than thirty-two bytes, %s then %u, %s.", s,
				       u, s);
				vformat_ref(want, n, "a stretch of more than thirty-two bytes, %s then %u, %s.",
					    s, u, s);
			}
			bad += memcmp(got, want, n) != 0;
		}
	}
	char one[40];
	text_format(one, sizeof one, "frame %llu of %s", 12345ULL, "x.pcap");
	CHECK(strcmp(one, "frame 12345 of x.pcap") == 0);
	CHECK_EQ(bad, 0);
	CHECK_EQ(bad_len, 0);
}

/* cJSON's own printing of a string. */
static char *cjson_string(const char *s)
{
	cJSON *item = cJSON_CreateString(s);
	char *text = cJSON_PrintUnformatted(item);
	cJSON_Delete(item);
	return text;
}

static void test_json_escape(void)
{
	int bad = 0;
	char s[300], out[6 * sizeof s + 2];
	/* every byte at every place of every short length: strings under 16
	 * bytes and the tails of longer ones are read as overlapping words */
	for (int c = 1; c < 256; c++) {
		for (int len = 1; len < 36; len++) {
			for (int at = 0; at < len; at++) {
				memset(s, 'a', (size_t)len);
				s[at] = (char)c;
				s[len] = '\0';
				char *want = cjson_string(s);
				size_t got = json_escape(out, s, strlen(s));
				bad += got != strlen(want) || memcmp(out, want, got) != 0;
				free(want);
			}
		}
	}
	for (int i = 0; i < 20000; i++) {
		size_t len = next() % (sizeof s - 1);
		for (size_t k = 0; k < len; k++) {
			uint64_t r = next();
			/* mostly text, some quotes, backslashes, controls and UTF-8 */
			s[k] = (char)(r % 8 ? 32 + r / 8 % 95 : 1 + r / 8 % 255);
		}
		s[len] = '\0';
		char *want = cjson_string(s);
		size_t got = json_escape(out, s, strlen(s));
		bad += got != strlen(want) || memcmp(out, want, got) != 0;
		free(want);
	}
	CHECK_EQ(bad, 0);
}

/* A record's shapes, written by the writer and by a cJSON tree. */
static void test_json_writer(void)
{
	struct json_writer w;
	json_writer_init(&w);
	for (int round = 0; round < 2; round++) {   /* the second reuses the buffer */
		json_writer_reset(&w);
		struct json_out jo = json_out_begin(&w), *out = &jo;
		json_object_begin_k(out, JSON_ELEM);
		json_string(out, "type", "reset");
		json_string(out, "interface", NULL);
		json_uint(out, "frame", 0);
		json_uint(out, "big", UINT64_MAX);
		json_seconds(out, "ts", 1700000006040691123LL, false);
		json_seconds(out, "rel", -5000, true);
		json_bool(out, "yes", true);
		json_bool(out, "no", false);
		json_array_begin(out, "empty");
		json_array_end(out);
		json_array_begin(out, "ttl_range");
		json_uint_k(out, JSON_ELEM, 63);
		json_uint_k(out, JSON_ELEM, 64);
		json_array_end(out);
		json_object_begin(out, "before");
		json_object_begin(out, "server");
		json_string(out, "say", "a \"quoted\"\tword\n");
		json_object_end(out);
		json_object_end(out);
		json_array_begin(out, "evidence");
		for (int i = 0; i < 3; i++) {
			json_object_begin_k(out, JSON_ELEM);
			json_uint(out, "frame", (uint64_t)i);
			json_object_end(out);
		}
		json_array_end(out);
		/* past the first buffer: the writer grows it */
		char long_text[9000];
		memset(long_text, '\x01', sizeof long_text - 1);
		long_text[sizeof long_text - 1] = '\0';
		json_string(out, "long", long_text);
		char keybuf[64];    /* keys made at run time */
		json_uint_k(out, json_key_of(keybuf, "a_name_made_at_run_time_longer_than_32"), 7);
		json_uint_k(out, json_key_of(keybuf, "short"), 8);
		json_object_end(out);
		json_out_end(out);

		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "type", "reset");
		cJSON_AddNullToObject(o, "interface");
		cJSON_AddRawToObject(o, "frame", "0");
		cJSON_AddRawToObject(o, "big", "18446744073709551615");
		cJSON_AddRawToObject(o, "ts", "1700000006.040691");
		cJSON_AddRawToObject(o, "rel", "-0.000005000");
		cJSON_AddBoolToObject(o, "yes", 1);
		cJSON_AddBoolToObject(o, "no", 0);
		cJSON_AddArrayToObject(o, "empty");
		cJSON *ttl = cJSON_AddArrayToObject(o, "ttl_range");
		cJSON_AddItemToArray(ttl, cJSON_CreateNumber(63));
		cJSON_AddItemToArray(ttl, cJSON_CreateNumber(64));
		cJSON *server = cJSON_AddObjectToObject(cJSON_AddObjectToObject(o, "before"), "server");
		cJSON_AddStringToObject(server, "say", "a \"quoted\"\tword\n");
		cJSON *ev = cJSON_AddArrayToObject(o, "evidence");
		for (int i = 0; i < 3; i++) {
			cJSON *e = cJSON_CreateObject();
			cJSON_AddNumberToObject(e, "frame", i);
			cJSON_AddItemToArray(ev, e);
		}
		cJSON_AddStringToObject(o, "long", long_text);
		cJSON_AddNumberToObject(o, "a_name_made_at_run_time_longer_than_32", 7);
		cJSON_AddNumberToObject(o, "short", 8);
		char *want = cJSON_PrintUnformatted(o);
		CHECK_EQ(w.len, strlen(want));
		CHECK(w.len == strlen(want) && memcmp(w.buf, want, w.len) == 0);
		free(want);
		cJSON_Delete(o);
	}
	json_writer_free(&w);
}

int main(void)
{
	test_uint();
	test_duration();
	test_seconds();
	test_flags_and_addresses();
	test_text_format();
	test_json_escape();
	test_json_writer();
	return check_report("test_formatting");
}
