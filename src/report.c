/* report: formatting shared by both renderers (see report.h). */
#include "report.h"

#include <arpa/inet.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "decode.h"
#include "packet.h"

void report_addr(char *buf, size_t n, uint8_t ipver, const uint8_t *addr)
{
	if (!inet_ntop(ipver == 4 ? AF_INET : AF_INET6, addr, buf, (socklen_t)n))
		snprintf(buf, n, "?");
}

void report_endpoint(char *buf, size_t n, uint8_t ipver, const uint8_t *addr, uint16_t port)
{
	char a[INET6_ADDRSTRLEN];
	report_addr(a, sizeof a, ipver, addr);
	snprintf(buf, n, ipver == 4 ? "%s:%u" : "[%s]:%u", a, port);
}

void report_seconds(char *buf, size_t n, int64_t ns, bool nano)
{
	const char *sign = ns < 0 ? "-" : "";
	uint64_t mag = ns < 0 ? (uint64_t)0 - (uint64_t)ns : (uint64_t)ns;
	if (nano)
		snprintf(buf, n, "%s%" PRIu64 ".%09" PRIu64, sign, mag / 1000000000u, mag % 1000000000u);
	else  /* truncate, as libpcap does when it scales nanoseconds to microseconds */
		snprintf(buf, n, "%s%" PRIu64 ".%06" PRIu64, sign, mag / 1000000000u,
			 mag % 1000000000u / 1000u);
}

const char *report_duration(char *buf, size_t n, int64_t ns)
{
	if (ns < 0)
		ns = -ns;
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

void report_flags(char *buf, size_t n, uint8_t flags)
{
	static const struct { uint8_t bit; const char *name; } names[] = {
		{ TCP_SYN, "SYN" }, { TCP_FIN, "FIN" }, { TCP_RST, "RST" }, { TCP_PSH, "PSH" },
		{ TCP_URG, "URG" }, { TCP_ECE, "ECE" }, { TCP_CWR, "CWR" }, { TCP_ACK, "ACK" },
	};
	size_t used = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		if (!(flags & names[i].bit))
			continue;
		int w = snprintf(buf + used, n - used, "%s%s", used ? "+" : "", names[i].name);
		if (w < 0 || (size_t)w >= n - used)
			return;
		used += (size_t)w;
	}
	if (!used)
		snprintf(buf, n, "none");
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
