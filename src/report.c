/* report: formatting shared by both renderers (see report.h). */
#include "report.h"

#include <arpa/inet.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "decode.h"
#include "packet.h"

static const char pairs[] = "00010203040506070809101112131415161718192021222324"
			    "25262728293031323334353637383940414243444546474849"
			    "50515253545556575859606162636465666768697071727374"
			    "75767778798081828384858687888990919293949596979899";

/* The decimal digits of v at p, two at a time from a table; returns the
 * end. A JSON record has some forty numbers. */
char *report_put_uint(char *p, uint64_t v)
{
	static const uint64_t pow10[20] = {
		1ULL, 10ULL, 100ULL, 1000ULL, 10000ULL, 100000ULL, 1000000ULL, 10000000ULL,
		100000000ULL, 1000000000ULL, 10000000000ULL, 100000000000ULL,
		1000000000000ULL, 10000000000000ULL, 100000000000000ULL,
		1000000000000000ULL, 10000000000000000ULL, 100000000000000000ULL,
		1000000000000000000ULL, 10000000000000000000ULL,
	};
	if (v < 100) {    /* most of a record's numbers: counts, octets, a TTL */
		if (v < 10) {
			*p = (char)('0' + v);
			return p + 1;
		}
		memcpy(p, pairs + 2 * v, 2);
		return p + 2;
	}
	/* The digit count from the bit length: b bits hold t = floor(b *
	 * log10 2) or t + 1 digits (1233 / 4096 is log10 2 within 2^-15,
	 * exact enough for 64 bits), t + 1 when v >= 10^t. v | 1 has v's
	 * count (10^t is even) and makes 0 one digit. A loop over the powers
	 * cost 4 instructions a digit: 40 for a time stamp's seconds. */
	uint64_t w = v | 1;
	int t = ((64 - __builtin_clzll(w)) * 1233) >> 12;
	int n = t + (w >= pow10[t]);
	char *e = p + n;
	while (v > UINT32_MAX) {
		e -= 2;
		memcpy(e, pairs + 2 * (v % 100), 2);
		v /= 100;
	}
	/* the last ten digits at most (sequence numbers, a time's seconds)
	 * in 32-bit arithmetic, whose division by 100 is a shorter multiply */
	uint32_t u = (uint32_t)v;
	while (u >= 100) {
		e -= 2;
		memcpy(e, pairs + 2 * (u % 100), 2);
		u /= 100;
	}
	if (u >= 10) {
		e -= 2;
		memcpy(e, pairs + 2 * u, 2);
	} else {
		*--e = (char)('0' + u);
	}
	return p + n;
}

/* Exactly `places` digits of v (below 10^places, places at most 9), leading
 * zeros kept, two at a time: a JSON record writes six time stamps, and
 * their fractions digit by digit cost 68 instructions each, two at a time
 * 49 (callgrind, 100k scan records), in 32-bit arithmetic less. */
static char *put_places(char *p, uint32_t v, int places)
{
	char *d = p + places;
	while (d - p >= 2) {
		d -= 2;
		memcpy(d, pairs + 2 * (v % 100), 2);
		v /= 100;
	}
	if (d > p)
		*p = (char)('0' + v);
	return p + places;
}

/* The len bytes at tmp into buf (n bytes), cut as snprintf cuts; returns
 * the length kept. */
static size_t put_cut(char *buf, size_t n, const char *tmp, size_t len)
{
	if (n == 0)
		return 0;
	if (len >= n)
		len = n - 1;
	memcpy(buf, tmp, len);
	buf[len] = '\0';
	return len;
}

/* IPv4 by hand: glibc's inet_ntop formats it with sprintf, and a scan's
 * report writes two addresses a reset. IPv6 keeps inet_ntop (RFC 5952's
 * zero compression and the embedded-IPv4 forms). */
size_t report_addr(char *buf, size_t n, uint8_t ipver, const uint8_t *addr)
{
	if (ipver == 4 && n >= INET_ADDRSTRLEN) {
		char *p = buf;
		for (int i = 0; i < 4; i++) {
			if (i)
				*p++ = '.';
			p = report_put_uint(p, addr[i]);
		}
		*p = '\0';
		return (size_t)(p - buf);
	}
	if (!inet_ntop(ipver == 4 ? AF_INET : AF_INET6, addr, buf, (socklen_t)n))
		snprintf(buf, n, "?");
	return strlen(buf);
}

void report_endpoint(char *buf, size_t n, uint8_t ipver, const uint8_t *addr, uint16_t port)
{
	/* "[", the address, "]:", five digits and the NUL */
	char tmp[INET6_ADDRSTRLEN + 9], *p = tmp;
	if (ipver != 4)
		*p++ = '[';
	p += report_addr(p, INET6_ADDRSTRLEN, ipver, addr);
	if (ipver != 4)
		*p++ = ']';
	*p++ = ':';
	p = report_put_uint(p, port);
	*p = '\0';
	put_cut(buf, n, tmp, (size_t)(p - tmp));
}

size_t report_seconds(char *buf, size_t n, int64_t ns, bool nano)
{
	/* Sign, 20 digits, the point, 9 decimals and the NUL: straight into
	 * buf when it has room for them all. */
	char tmp[32], *start = n >= sizeof tmp ? buf : tmp, *p = start;
	uint64_t mag = ns < 0 ? (uint64_t)0 - (uint64_t)ns : (uint64_t)ns;
	if (ns < 0)
		*p++ = '-';
	p = report_put_uint(p, mag / 1000000000u);
	*p++ = '.';
	/* truncated to microseconds, as libpcap scales nanoseconds */
	uint32_t frac = (uint32_t)(mag % 1000000000u);
	p = put_places(p, nano ? frac : frac / 1000u, nano ? 9 : 6);
	if (start == buf) {
		*p = '\0';
		return (size_t)(p - buf);
	}
	return put_cut(buf, n, tmp, (size_t)(p - tmp));
}

/*
 * The digits of ns / unit rounded to nearest, with `places` of them after a
 * point, at p; false when ns lies exactly halfway between two results,
 * where printf rounds the double it was given, which may be either side.
 * Anywhere else the double (within 1e-16 relative) and the exact value
 * (a whole number of nanoseconds, so at least 1 ns from any halfway
 * point) round the same way.
 */
static bool put_rounded(char **p, uint64_t ns, uint64_t unit, int places)
{
	if (unit > 1 && ns % unit == unit / 2)
		return false;
	uint64_t q = (ns + unit / 2) / unit, scale = 1;
	for (int i = 0; i < places; i++)
		scale *= 10;
	*p = report_put_uint(*p, q / scale);
	if (places) {
		char *d = *p;
		*d++ = '.';
		*p = put_places(d, (uint32_t)(q % scale), places);
	}
	return true;
}

/*
 * What snprintf writes for the three forms below, without its cost (a
 * scan's report gives every SYN a duration): "%.3f s" of the seconds,
 * "%.0f ms", and "%.3g ms", which below 100 ms is always fixed notation,
 * its decimals fixed by the magnitude and trailing zeros dropped (C11
 * 7.21.6.1). A value exactly halfway is left to snprintf.
 */
static bool duration_by_hand(char *buf, size_t n, uint64_t ns)
{
	char tmp[40], *p = tmp;
	bool ok;
	if (ns >= 999500000) {
		ok = put_rounded(&p, ns, 1000000, 3);
		memcpy(p, " s", 2);
		p += 2;
	} else if (ns >= 99950000) {
		ok = put_rounded(&p, ns, 1000000, 0);
		memcpy(p, " ms", 3);
		p += 3;
	} else if (ns == 0) {
		ok = true;
		*p++ = '0';
		memcpy(p, " ms", 3);
		p += 3;
	} else {
		/* three significant digits of ns / 1e6 */
		uint64_t unit = ns >= 10000000 ? 100000 : ns >= 1000000 ? 10000 :
				ns >= 100000 ? 1000 : ns >= 10000 ? 100 : 10;
		int places = ns >= 10000000 ? 1 : ns >= 1000000 ? 2 : ns >= 100000 ? 3 :
			     ns >= 10000 ? 4 : 5;
		ok = put_rounded(&p, ns, unit, places);
		if (ok && places) {    /* %g drops trailing zeros, and a bare point */
			while (p[-1] == '0')
				p--;
			if (p[-1] == '.')
				p--;
		}
		memcpy(p, " ms", 3);
		p += 3;
	}
	if (ok)
		put_cut(buf, n, tmp, (size_t)(p - tmp));
	return ok;
}

const char *report_duration(char *buf, size_t n, int64_t ns)
{
	if (ns < 0)
		ns = -ns;
	if (ns >= 1000 || ns == 0) {
		if (duration_by_hand(buf, n, (uint64_t)ns))
			return buf;
	}
	/* Three significant digits in ms, but never "1e+03 ms": what rounds
	 * to 1000 ms is shown in seconds. */
	double ms = (double)ns / 1e6;
	if (ns >= 999500000)
		snprintf(buf, n, "%.3f s", (double)ns / 1e9);
	else if (ms >= 99.95)
		snprintf(buf, n, "%.0f ms", ms);
	else if (ns >= 1000 || ns == 0)
		snprintf(buf, n, "%.3g ms", ms);
	else
		snprintf(buf, n, "%lld ns", (long long)ns);
	return buf;
}

const char *report_tunnel_id_name(enum tunnel_kind k)
{
	switch (k) {
	case TUNNEL_VXLAN: case TUNNEL_GENEVE: return "vni";
	case TUNNEL_GTPU: return "teid";
	case TUNNEL_MPLS: return "label";
	case TUNNEL_ERSPAN: return "session";
	default: return "key";
	}
}

void report_tunnel_path(char *buf, size_t n, const struct tunnel_path *t)
{
	size_t used = 0;
	buf[0] = '\0';
	for (unsigned i = 0; i < t->n && used < n; i++) {
		const struct tunnel_layer *l = &t->layer[i];
		int w = snprintf(buf + used, n - used, "%s%s", i ? " / " : "",
				 tunnel_kind_name((enum tunnel_kind)l->kind));
		if (w > 0 && (size_t)w < n - used && l->has_id) {
			used += (size_t)w;
			w = snprintf(buf + used, n - used, " %s %u",
				     report_tunnel_id_name((enum tunnel_kind)l->kind), l->id);
		}
		if (w > 0 && (size_t)w < n - used && l->ipver) {
			used += (size_t)w;
			char a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN];
			report_addr(a, sizeof a, l->ipver, l->src);
			report_addr(b, sizeof b, l->ipver, l->dst);
			w = snprintf(buf + used, n - used, " %s->%s", a, b);
		}
		if (w < 0 || (size_t)w >= n - used)
			return;
		used += (size_t)w;
	}
}

static const struct { uint8_t bit; char name[4]; } flag_names[] = {
	{ TCP_SYN, "SYN" }, { TCP_FIN, "FIN" }, { TCP_RST, "RST" }, { TCP_PSH, "PSH" },
	{ TCP_URG, "URG" }, { TCP_ECE, "ECE" }, { TCP_CWR, "CWR" }, { TCP_ACK, "ACK" },
};

void report_flags(char *buf, size_t n, uint8_t flags)
{
	/* At most eight names of three letters and seven '+'. */
	char tmp[32], *p = tmp;
	for (size_t i = 0; i < sizeof flag_names / sizeof flag_names[0]; i++) {
		if (!(flags & flag_names[i].bit))
			continue;
		if (p != tmp)
			*p++ = '+';
		memcpy(p, flag_names[i].name, 3);
		p += 3;
	}
	if (p == tmp) {
		memcpy(p, "none", 4);
		p += 4;
	}
	put_cut(buf, n, tmp, (size_t)(p - tmp));
}

uint8_t report_flags_read(const char *text)
{
	uint8_t flags = 0;
	for (const char *p = text; p && strlen(p) >= 3; p += p[3] == '+' ? 4 : 3)
		for (size_t i = 0; i < sizeof flag_names / sizeof flag_names[0]; i++)
			if (strncmp(p, flag_names[i].name, 3) == 0)
				flags |= flag_names[i].bit;
	return flags;
}

const char *report_tls_stage_name(uint8_t s)
{
	static const char *const names[] = {
		[TLS_STAGE_NONE] = NULL, [TLS_STAGE_CLIENT_HELLO] = "client-hello",
		[TLS_STAGE_SERVER_HELLO] = "server-hello", [TLS_STAGE_ESTABLISHED] = "established",
	};
	return s < sizeof names / sizeof names[0] ? names[s] : NULL;
}

void report_free(struct reporter *r)
{
	if (r->free)
		r->free(r);
	r->free = NULL;
	r->priv = NULL;
}

/* An unnamed file in $TMPDIR (glibc's tmpfile() ignores TMPDIR), gone on close. */
FILE *report_temp_file(void)
{
	const char *dir = getenv("TMPDIR");
	char path[4096];
	snprintf(path, sizeof path, "%s/rstdiag-XXXXXX", dir && *dir ? dir : "/tmp");
	int fd = mkstemp(path);
	if (fd < 0)
		return NULL;
	unlink(path);
	FILE *f = fdopen(fd, "w+");
	if (!f)
		close(fd);
	return f;
}
