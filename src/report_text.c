/*
 * report_text: the human report. One block per RST, in packet order, then
 * the summary. Colour (ANSI) only when the caller says so: a TTY and no
 * NO_COLOR (decided in main, not here).
 */
#include <inttypes.h>
#include <string.h>
#include <time.h>

#include "report.h"

#define C_BOLD "\033[1m"
#define C_DIM "\033[2m"
#define C_RED "\033[31m"
#define C_YELLOW "\033[33m"
#define C_RESET "\033[0m"

static const char *c(const struct reporter *r, const char *code)
{
	return r->color ? code : "";
}

/* "2023-11-14 22:13:26.040691 UTC" */
static void wall_clock(char *buf, size_t n, int64_t ns, bool nano)
{
	time_t sec = (time_t)(ns / 1000000000);
	int64_t frac = ns % 1000000000;
	if (frac < 0) {
		frac += 1000000000;
		sec -= 1;
	}
	struct tm tm;
	char day[32];
	if (!gmtime_r(&sec, &tm) || !strftime(day, sizeof day, "%Y-%m-%d %H:%M:%S", &tm)) {
		snprintf(buf, n, "?");
		return;
	}
	if (nano)
		snprintf(buf, n, "%s.%09" PRId64 " UTC", day, frac);
	else
		snprintf(buf, n, "%s.%06" PRId64 " UTC", day, frac / 1000);
}

static const char *plural(uint64_t n)
{
	return n == 1 ? "" : "s";
}

static void print_half(struct reporter *r, const char *who, const struct tcp_half *h)
{
	fprintf(r->out, "  %s%-9s%s %s", c(r, C_DIM), who, c(r, C_RESET),
		half_state_name((enum half_state)h->state));
	if (h->flags & HALF_F_SEEN) {
		fprintf(r->out, ", %" PRIu64 " segment%s, %" PRIu64 " byte%s", h->pkts,
			plural(h->pkts), h->bytes, plural(h->bytes));
		if (h->flags & HALF_F_FIN)
			fprintf(r->out, ", FIN #%" PRIu64, h->fin_frame);
		if (h->rst_frame)
			fprintf(r->out, ", RST #%" PRIu64, h->rst_frame);
		if (h->retrans)
			fprintf(r->out, ", %u retransmission%s", h->retrans, plural(h->retrans));
		if (h->keepalives)
			fprintf(r->out, ", %u keep-alive probe%s", h->keepalives, plural(h->keepalives));
		if (h->zero_windows)
			fprintf(r->out, ", %u zero window%s", h->zero_windows, plural(h->zero_windows));
		fprintf(r->out, ", TTL %u", h->ttl_min);
		if (h->ttl_max != h->ttl_min)
			fprintf(r->out, "-%u", h->ttl_max);
	}
	fputc('\n', r->out);
}

static void text_reset(struct reporter *r, const struct verdict *v, const struct report_source *src)
{
	char rel[48], wall[64], from[64], to[64], flags[48];
	report_seconds(rel, sizeof rel, v->rst.ts_ns - src->first_ts, r->nano);
	wall_clock(wall, sizeof wall, v->rst.ts_ns, r->nano);
	report_endpoint(from, sizeof from, v->ipver, v->src, v->sport);
	report_endpoint(to, sizeof to, v->ipver, v->dst, v->dport);
	report_flags(flags, sizeof flags, v->rst.flags);

	const char *b_role = v->sender == ROLE_CLIENT ? "server"
			   : v->sender == ROLE_SERVER ? "client" : "peer";
	const char *a_role = v->sender == ROLE_UNKNOWN ? "sender" : role_name(v->sender);

	fprintf(r->out, "%sRST #%" PRIu64 "%s", c(r, C_BOLD), v->rst.frame, c(r, C_RESET));
	if (src->show_name)
		fprintf(r->out, " in %s", src->name);
	fprintf(r->out, " at %s s (%s)\n", rel, wall);
	fprintf(r->out, "  %s -> %s  %s seq=%" PRIu32 " ack=%" PRIu32 " %s=%u", from, to, flags,
		v->rst.seq, v->rst.ack, v->ipver == 4 ? "ttl" : "hlim", v->rst.ttl);
	if (v->ipver == 4)
		fprintf(r->out, " id=%u", v->ip_id);
	fprintf(r->out, "\n  %s%-9s%s %s%s\n", c(r, C_DIM), "sent by", c(r, C_RESET), a_role,
		v->role_guessed ? " (role guessed from ports: no handshake seen)" : "");
	fprintf(r->out, "  %s%-9s%s %s%s%s", c(r, C_DIM), "cause", c(r, C_RESET),
		c(r, v->cause == CAUSE_UNKNOWN ? C_YELLOW : C_RED), cause_id(v->cause),
		c(r, C_RESET));
	if (v->detail)
		fprintf(r->out, " (%s)", v->detail);
	if (v->followup_of)
		fprintf(r->out, " of #%" PRIu64, v->followup_of);
	fprintf(r->out, ", confidence %s\n", confidence_name(v->confidence));
	fprintf(r->out, "  %s%-9s%s %s: %s\n", c(r, C_DIM), "origin", c(r, C_RESET),
		origin_name(v->origin), v->origin_evidence);
	fprintf(r->out, "  %s%-9s%s %s\n", c(r, C_DIM), "form", c(r, C_RESET), rst_form_name(v->form));
	if (v->trigger.frame)
		fprintf(r->out, "  %s%-9s%s #%" PRIu64 " from the %s (%u bytes)\n", c(r, C_DIM),
			"answers", c(r, C_RESET), v->trigger.frame, b_role, v->trigger.len);
	if (v->request.frame)
		fprintf(r->out, "  %s%-9s%s %s %s (#%" PRIu64 "): reached the peer: %s; %s\n",
			c(r, C_DIM), "request", c(r, C_RESET), http_method_name(v->request.method),
			v->request.target, v->request.frame, v->reached_peer,
			v->retry_safe ? "safe to retry" : "not safe to retry blindly");
	print_half(r, a_role, &v->a);
	print_half(r, b_role, &v->b);
	if (v->n_evidence) {
		fprintf(r->out, "  %s%-9s%s", c(r, C_DIM), "evidence", c(r, C_RESET));
		for (int i = 0; i < v->n_evidence; i++)
			fprintf(r->out, "%s#%" PRIu64 " %s", i ? "; " : " ", v->evidence[i].frame,
				v->evidence[i].what);
		fputc('\n', r->out);
	}
	fprintf(r->out, "  %s%-9s%s %s\n", c(r, C_DIM), "why", c(r, C_RESET), v->explanation);
	if (v->advice[0])
		fprintf(r->out, "  %s%-9s%s %s\n", c(r, C_DIM), "advice", c(r, C_RESET), v->advice);
	fputc('\n', r->out);
	if (r->flush_each)
		fflush(r->out);
}

static void text_summary(struct reporter *r, const struct stats *s, const struct endpoints *eps)
{
	(void)eps;
	fprintf(r->out, "%sSummary%s: %" PRIu64 " packets", c(r, C_BOLD), c(r, C_RESET), s->packets);
	if (s->filtered_out)
		fprintf(r->out, " (%" PRIu64 " not matching the filter)", s->filtered_out);
	fprintf(r->out, ", %" PRIu64 " TCP segments, %" PRIu64 " connections, %" PRIu64 " resets\n",
		s->tcp_packets, s->flows, s->resets);
	if (s->resets) {
		fprintf(r->out, "  by cause:");
		const char *sep = " ";
		for (int i = 0; i < CAUSE_COUNT; i++)
			if (s->by_cause[i]) {
				fprintf(r->out, "%s%s %" PRIu64, sep, cause_id((enum cause)i),
					s->by_cause[i]);
				sep = ", ";
			}
		fputc('\n', r->out);
	}
	const char *sep = "  skipped: ";
	for (int d = DECODE_OK + 1; d < DECODE_RESULT_COUNT; d++)
		if (s->skipped[d]) {
			fprintf(r->out, "%s%s %" PRIu64, sep, decode_result_name((enum decode_result)d),
				s->skipped[d]);
			sep = ", ";
		}
	if (sep[0] == ',')
		fputc('\n', r->out);
	if (s->payload_truncated)
		fprintf(r->out, "  payload cut by snaplen in %" PRIu64 " segments\n", s->payload_truncated);
	char evidence[256];
	stats_capture_point_evidence(&s->handshakes, evidence, sizeof evidence);
	fprintf(r->out, "  captured near: %s (%s)\n",
		capture_point_name(stats_capture_point(&s->handshakes)), evidence);
	fprintf(r->out, "  connections tracked at once: at most %" PRIu64, s->flows_peak);
	if (s->flows_evicted)
		fprintf(r->out, ", %" PRIu64 " evicted", s->flows_evicted);
	fputc('\n', r->out);
	for (int i = 0; i < WARN_COUNT; i++)
		if (s->warn_count[i])
			fprintf(r->out, "  %swarning%s %s (%" PRIu64 "x): %s\n", c(r, C_YELLOW),
				c(r, C_RESET), warning_name((enum warning)i), s->warn_count[i],
				s->warn_msg[i]);
}

void report_text_init(struct reporter *r, FILE *out, bool color, bool nano)
{
	memset(r, 0, sizeof *r);
	r->out = out;
	r->color = color;
	r->nano = nano;
	r->reset = text_reset;
	r->summary = text_summary;
}
