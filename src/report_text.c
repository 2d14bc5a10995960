/*
 * report_text: the human report, readable at a glance on a capture with
 * thousands of resets.
 *
 * A heading (inputs, counts, capture point), a table of causes with who
 * sent them, then one section per cause, most frequent first, with the
 * cause's first few resets in full and the frame numbers of more; benign
 * resets (follow-ups, probe aborts) come last and briefly; then what was
 * learned about each server, and the notes (skipped packets, warnings).
 *
 * Grouping means the report is written at the end. Until then each group
 * holds counts and its rendered examples: in memory for the first few,
 * in a temporary file with --all, so memory never grows with the capture.
 * Colour (ANSI) only when the caller says so (decided in main).
 */
#define _GNU_SOURCE     /* open_memstream */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "explain.h"
#include "idle_defaults.h"
#include "kernel_reasons.h"
#include "service.h"
#include "tunnel_table.h"
#include "report.h"
#include "xalloc.h"

#define C_BOLD "\033[1m"
#define C_DIM "\033[2m"
#define C_RED "\033[31m"
#define C_YELLOW "\033[33m"
#define C_RESET "\033[0m"

/* Frame numbers listed for resets beyond the examples. */
#define MORE_FRAMES 12
/* A spool line that stands for diagram N (ladders_add's index). Blocks
 * are text, so the byte cannot begin a line of theirs. */
#define LADDER_MARK '\001'

/* Groups: one per cause, then one per detail that the cause table reports
 * apart (a summary of its own: linger-abort probes). */
enum { GROUP_DETAIL0 = CAUSE_COUNT, GROUP_COUNT = CAUSE_COUNT + DETAIL_COUNT };

struct frame_ref {
	uint64_t frame, of;         /* of: the reset a follow-up follows */
	const char *file;           /* NULL with a single input */
};

struct group {
	uint64_t n;
	uint64_t by_sender[3];      /* client, server, unknown */
	uint64_t middlebox;         /* origin middlebox */
	uint64_t by_conf[3];        /* enum confidence */
	uint64_t shown;             /* blocks in spool */
	FILE *spool;
	char *mem;                  /* open_memstream's buffer, when spool is one */
	size_t mem_len;
	struct frame_ref more[MORE_FRAMES];
	uint32_t n_more;
};

struct text_state {
	struct text_options o;
	struct group groups[GROUP_COUNT];
};

static const char *c(const struct text_state *t, const char *code)
{
	return t->o.color ? code : "";
}

static const char *plural(uint64_t n)
{
	return n == 1 ? "" : "s";
}

static enum detail group_detail(int g)
{
	return g >= GROUP_DETAIL0 ? (enum detail)(g - GROUP_DETAIL0) : DETAIL_NONE;
}

static enum cause group_cause(int g)
{
	return g >= GROUP_DETAIL0 ? detail_info(group_detail(g))->cause : (enum cause)g;
}

static bool benign(int g)
{
	return cause_benign(group_cause(g), group_detail(g));
}

static int group_of(const struct verdict *v)
{
	if (detail_info(v->detail)->summary)
		return GROUP_DETAIL0 + v->detail;
	return (int)v->cause;
}

/* "linger-abort (probe)" */
static void print_group_name(FILE *out, int g, int width)
{
	char name[64];
	if (g >= GROUP_DETAIL0)
		snprintf(name, sizeof name, "%s (%s)", cause_id(group_cause(g)),
			 detail_id(group_detail(g)));
	else
		snprintf(name, sizeof name, "%s", cause_id(group_cause(g)));
	fprintf(out, "%-*s", width, name);
}

static const char *group_summary(int g)
{
	return g >= GROUP_DETAIL0 ? detail_info(group_detail(g))->summary
				  : cause_info(group_cause(g))->summary;
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

/* ---- one reset, in full ----
 * Every heading and block is preceded by an empty line; none ends with one. */

static void label(FILE *out, const struct text_state *t, const char *name)
{
	fprintf(out, "  %s%-9s%s ", c(t, C_DIM), name, c(t, C_RESET));
}

static void print_half(FILE *out, const struct text_state *t, const char *who,
		       const struct side *h)
{
	label(out, t, who);
	fputs(half_state_name((enum half_state)h->state), out);
	if (h->flags & HALF_F_SEEN) {
		fprintf(out, ", %" PRIu32 " segment%s, %" PRIu64 " byte%s", h->pkts, plural(h->pkts),
			h->bytes, plural(h->bytes));
		if (h->flags & HALF_F_FIN)
			fprintf(out, ", FIN #%" PRIu64, h->fin_frame);
		if (h->rst_frame)
			fprintf(out, ", RST #%" PRIu64, h->rst_frame);
		if (h->retrans)
			fprintf(out, ", %u retransmission%s", h->retrans, plural(h->retrans));
		if (h->keepalives)
			fprintf(out, ", %u keep-alive probe%s", h->keepalives, plural(h->keepalives));
		if (h->zero_windows)
			fprintf(out, ", %u zero window%s", h->zero_windows, plural(h->zero_windows));
		if (h->ttl_min < h->ttl_max)
			fprintf(out, ", TTL %u-%u", h->ttl_min, h->ttl_max);
		else if (h->ttl_min == h->ttl_max)
			fprintf(out, ", TTL %u", h->ttl_min);
	}
	fputc('\n', out);
}

static void print_http(FILE *out, const struct text_state *t, const struct verdict *v)
{
	if (v->tls.stage != TLS_STAGE_NONE) {
		label(out, t, "tls");
		const char *ver = tls_version_name(tls_note_version(v->tls.version));
		fprintf(out, "%s%s%s%s", v->request.target[0] ? "SNI " : "", v->request.target,
			v->request.target[0] ? ", " : "", ver ? "TLS " : "version unseen");
		if (ver)
			fputs(ver, out);
		static const char *const stages[] = { "", "ClientHello only",
						      "server's hello sent, handshake unfinished",
						      "handshake done" };
		fprintf(out, ", %s", stages[v->tls.stage]);
		if (v->tls.alert)
			fprintf(out, ", alert from the %s: %s", role_name((enum role)(v->tls.alert_from - 1)),
				v->tls.alert == TLS_ALERT_ENCRYPTED ? "encrypted (most often "
				"close_notify)" : tls_alert_name((uint8_t)(v->tls.alert - 1)) ?
				tls_alert_name((uint8_t)(v->tls.alert - 1)) : "unassigned");
		fputc('\n', out);
	}
	if (v->request.frame && v->request.method == HTTP_METHOD_TLS_RECORD) {
		label(out, t, "request");
		fprintf(out, "TLS record of %u bytes (#%" PRIu64 "): reached the peer: %s; %s\n",
			v->request.body_end - v->request.seq, v->request.frame,
			reached_peer_name(v->reached_peer),
			v->retry_safe ? "safe to retry" : "retry safety unknown (the method is encrypted)");
	} else if (v->request.frame) {
		label(out, t, "request");
		fprintf(out, "%s %s (#%" PRIu64 "): reached the peer: %s; %s\n",
			http_method_name(v->request.method), v->request.target, v->request.frame,
			reached_peer_name(v->reached_peer), v->retry_safe ? "safe to retry" : "not safe to retry blindly");
	}
	if (v->response.status) {
		label(out, t, "response");
		fprintf(out, "last from the %s: %u", role_name(v->response_sender), v->response.status);
		const char *conn = http_connection_name(v->response.connection);
		if (conn)
			fprintf(out, ", Connection: %s", conn);
		if (v->response.keepalive_s)
			fprintf(out, ", Keep-Alive: timeout=%u", v->response.keepalive_s);
		if (v->response.session_timeout_s)
			fprintf(out, ", Session: timeout=%u", v->response.session_timeout_s);
		fputc('\n', out);
	}
}

/* words: the verdict's words already made (--from-json reads them from a
 * record); NULL: made here. */
static void print_block(FILE *out, const struct text_state *t, const struct verdict *v,
			const struct report_source *src, bool nano, const struct explanation *words)
{
	char rel[48], wall[64], from[64], to[64], flags[48];
	report_seconds(rel, sizeof rel, v->rst.ts_ns - src->first_ts, nano);
	wall_clock(wall, sizeof wall, v->rst.ts_ns, nano);
	report_endpoint(from, sizeof from, v->ipver, v->src, v->sport);
	report_endpoint(to, sizeof to, v->ipver, v->dst, v->dport);
	report_flags(flags, sizeof flags, v->rst.flags);
	const char *b_role = role_word(role_peer(v->sender), "peer");
	const char *a_role = role_word(v->sender, "sender");
	struct explanation made;
	if (!words) {
		explain_verdict(v, &made);
		words = &made;
	}
	const struct explanation *e = words;

	fprintf(out, "\n%sRST #%" PRIu64 "%s", c(t, C_BOLD), v->rst.frame, c(t, C_RESET));
	if (src->show_name)
		fprintf(out, " in %s", src->name);
	if (v->file_frame != v->rst.frame)      /* --interleave: its own number there */
		fprintf(out, " (its frame %" PRIu64 ")", v->file_frame);
	if (src->interface[0])
		fprintf(out, " on %s", src->interface);
	fprintf(out, " at %s s (%s)\n", rel, wall);
	fprintf(out, "  %s -> %s  %s seq=%" PRIu32 " ack=%" PRIu32 " %s=%u", from, to, flags,
		v->rst.seq, v->rst.ack, v->ipver == 4 ? "ttl" : "hlim", v->rst.ttl);
	if (v->ipver == 4)
		fprintf(out, " id=%u", v->ip_id);
	fputc('\n', out);
	const struct tunnel_path *tun = tunnel_table_get(src->tunnels, v->tunnel_path);
	if (tun) {
		char path[256];
		report_tunnel_path(path, sizeof path, tun);
		label(out, t, "tunnel");
		fprintf(out, "%s\n", path);
	}
	label(out, t, "sent by");
	fprintf(out, "%s%s%s%s\n", a_role,
		v->role_guessed ? " (role guessed from ports: no handshake seen)" : "",
		e->service ? ", on a connection carrying " : "", e->service ? e->service : "");
	if (v->kernel_reason) {
		label(out, t, "kernel");
		fprintf(out, "%s, socket %s\n", kernel_reason_name(v->kernel_reason),
			v->kernel_state ? kernel_state_name(v->kernel_state) : "unknown");
	}
	label(out, t, "cause");
	fprintf(out, "%s%s%s", c(t, v->cause == CAUSE_UNKNOWN ? C_YELLOW : C_RED),
		cause_id(v->cause), c(t, C_RESET));
	if (v->detail)
		fprintf(out, " (%s)", detail_id(v->detail));
	if (v->followup_of)
		fprintf(out, " of #%" PRIu64, v->followup_of);
	fprintf(out, ", confidence %s\n", confidence_name(v->confidence));
	if (v->runner_up < CAUSE_COUNT && e->runner_up[0]) {
		label(out, t, "runner-up");
		fprintf(out, "%s: %s\n", cause_id(v->runner_up), e->runner_up);
	}
	label(out, t, "origin");
	fprintf(out, "%s: %s\n", origin_name(v->origin), e->origin);
	if (t->o.verbose) {
		label(out, t, "form");
		fprintf(out, "%s\n", rst_form_name(v->form));
		if (v->rst_data.format) {
			label(out, t, "rst data");
			fprintf(out, "%s", rst_payload_format_name(v->rst_data.format));
			if (v->rst_data.format == RST_PAYLOAD_DIAG_COMPACT)
				fprintf(out, ", code %u%s%s%s, enterprise %u", v->rst_data.code,
					rst_payload_cause_name(v->rst_data.code) ? " (" : "",
					rst_payload_cause_name(v->rst_data.code) ?
					rst_payload_cause_name(v->rst_data.code) : "",
					rst_payload_cause_name(v->rst_data.code) ? ")" : "",
					v->rst_data.enterprise);
			if (v->rst_data.text[0])
				fprintf(out, ": \"%s\"", v->rst_data.text);
			fputc('\n', out);
		}
		if (v->trigger.frame) {
			label(out, t, "answers");
			fprintf(out, "#%" PRIu64 " from the %s (%u bytes%s)\n", v->trigger.frame, b_role,
				v->trigger.len, v->trigger_resent ? ", sent again" : "");
		}
	}
	print_http(out, t, v);
	if (t->o.verbose) {
		print_half(out, t, a_role, &v->a);
		print_half(out, t, b_role, &v->b);
		if (e->n_evidence) {
			label(out, t, "evidence");
			for (int i = 0; i < e->n_evidence; i++)
				fprintf(out, "%s#%" PRIu64 " %s", i ? "; " : "", e->evidence[i].frame,
					e->what[i]);
			fputc('\n', out);
		}
	}
	label(out, t, "why");
	fprintf(out, "%s\n", e->why);
	if (e->advice[0]) {
		label(out, t, "advice");
		fprintf(out, "%s\n", e->advice);
	}
}

/* ---- collecting ---- */

static FILE *spool_of(struct group *g)
{
	if (!g->spool) {
		/* --all spools to disk (created at init); examples fit in memory. */
		g->spool = open_memstream(&g->mem, &g->mem_len);
		if (!g->spool)
			abort();    /* out of memory, as xalloc */
	}
	return g->spool;
}

/* Live mode: one line per reset as soon as it is decided, like tcpdump's. */
static void print_line(FILE *out, const struct text_state *t, const struct verdict *v,
		       const struct report_source *src, bool nano)
{
	char wall[64], from[64], to[64];
	wall_clock(wall, sizeof wall, v->rst.ts_ns, nano);
	report_endpoint(from, sizeof from, v->ipver, v->src, v->sport);
	report_endpoint(to, sizeof to, v->ipver, v->dst, v->dport);
	fprintf(out, "%s RST #%" PRIu64, wall, v->rst.frame);
	if (src->show_name)     /* --fanout: each worker numbers its own packets */
		fprintf(out, " in %s", src->name);
	fprintf(out, " %s -> %s %s %s%s%s", from, to,
		role_word(v->sender, "sender"), c(t, v->cause == CAUSE_UNKNOWN ? C_YELLOW : C_RED),
		cause_id(v->cause), c(t, C_RESET));
	if (v->detail)
		fprintf(out, " (%s)", detail_id(v->detail));
	if (v->followup_of)
		fprintf(out, " of #%" PRIu64, v->followup_of);
	fprintf(out, ", %s, origin %s\n", confidence_name(v->confidence), origin_name(v->origin));
	fflush(out);
}

void report_text_reset_explained(struct reporter *r, const struct verdict *v,
				 const struct report_source *src, const struct explanation *words)
{
	struct text_state *t = r->priv;
	if (t->o.live)
		print_line(r->out, t, v, src, r->nano);
	struct group *g = &t->groups[group_of(v)];
	g->n++;
	g->by_sender[v->sender == ROLE_CLIENT ? 0 : v->sender == ROLE_SERVER ? 1 : 2]++;
	if (v->origin == ORIGIN_MIDDLEBOX)
		g->middlebox++;
	g->by_conf[v->confidence]++;
	if (t->o.all || (!benign(group_of(v)) && g->shown < TEXT_EXAMPLES_PER_CAUSE)) {
		print_block(spool_of(g), t, v, src, r->nano, words);
		/* Its diagram is drawn when the spool is copied out, after the
		 * second read has found its packets: a line of its own marks
		 * the place. */
		if (t->o.ladders)
			fprintf(spool_of(g), "%c%zu\n", LADDER_MARK,
				ladders_add(t->o.ladders, v, src->index, src->first_ts));
		g->shown++;
	} else if (g->n_more < MORE_FRAMES) {
		g->more[g->n_more++] = (struct frame_ref){
			.frame = v->rst.frame,
			.of = v->followup_of,
			.file = src->show_name ? src->name : NULL,
		};
	}
}

static void text_reset(struct reporter *r, const struct verdict *v, const struct report_source *src)
{
	report_text_reset_explained(r, v, src, NULL);
}

/* ---- writing ---- */

static void print_diagram(FILE *out, const struct text_state *t, size_t i)
{
	const struct ladder *l = &t->o.ladders->v[i];
	struct ladder_style st = { .utf8 = !t->o.ascii, .color = t->o.color, .nano = t->o.nano };
	if (t->o.diagram) {
		fprintf(out, "  %sdiagram%s\n", c(t, C_DIM), c(t, C_RESET));
		ladder_render_text(out, l, &st, "    ");
	}
	if (t->o.mermaid)
		ladder_render_mermaid(out, l);
}

static void copy_line(FILE *out, const struct text_state *t, const char *line, size_t n)
{
	if (n && line[0] == LADDER_MARK && t->o.ladders)
		print_diagram(out, t, strtoul(line + 1, NULL, 10));
	else
		fwrite(line, 1, n, out);
}

static void copy_spool(FILE *out, const struct text_state *t, struct group *g)
{
	if (!g->spool)
		return;
	fflush(g->spool);
	if (g->mem && !t->o.ladders) {
		fwrite(g->mem, 1, g->mem_len, out);
		return;
	}
	if (g->mem) {
		for (size_t at = 0; at < g->mem_len;) {
			const char *nl = memchr(g->mem + at, '\n', g->mem_len - at);
			size_t n = nl ? (size_t)(nl - (g->mem + at)) + 1 : g->mem_len - at;
			copy_line(out, t, g->mem + at, n);
			at += n;
		}
		return;
	}
	rewind(g->spool);
	if (!t->o.ladders) {
		char buf[8192];
		size_t n;
		while ((n = fread(buf, 1, sizeof buf, g->spool)) > 0)
			fwrite(buf, 1, n, out);
		return;
	}
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	while ((n = getline(&line, &cap, g->spool)) > 0)
		copy_line(out, t, line, (size_t)n);
	free(line);
}

static void print_frame_refs(FILE *out, const struct group *g)
{
	for (uint32_t i = 0; i < g->n_more; i++) {
		const struct frame_ref *f = &g->more[i];
		fprintf(out, "%s#%" PRIu64, i ? ", " : "", f->frame);
		if (f->file)
			fprintf(out, " in %s", f->file);
		if (f->of)
			fprintf(out, " (of #%" PRIu64 ")", f->of);
	}
}

/* "server 4, client 1" */
static void print_senders(FILE *out, const struct group *g)
{
	static const char *const names[3] = { "client", "server", "unknown" };
	const char *sep = "";
	for (int i = 0; i < 3; i++)
		if (g->by_sender[i]) {
			fprintf(out, "%s%s %" PRIu64, sep, names[i], g->by_sender[i]);
			sep = ", ";
		}
}

static void print_heading(FILE *out, const struct text_state *t, const struct stats *s)
{
	fprintf(out, "%srstdiag%s: ", c(t, C_BOLD), c(t, C_RESET));
	for (int i = 0; i < t->o.n_inputs && i < 3; i++)
		fprintf(out, "%s%s", i ? ", " : "", t->o.inputs[i]);
	if (t->o.n_inputs > 3)
		fprintf(out, " and %d more files", t->o.n_inputs - 3);
	if (s->uncounted) {
		fprintf(out, "\n  %s%" PRIu64 " reset%s%s read from records; the runs' summaries are "
			"missing (runs cut short?): packets and connections not counted\n",
			c(t, C_BOLD), s->resets, plural(s->resets), c(t, C_RESET));
		return;
	}
	fprintf(out, "\n  %" PRIu64 " packets", s->packets);
	if (s->filtered_out)
		fprintf(out, " (%" PRIu64 " not matching the filter)", s->filtered_out);
	fprintf(out, ", %" PRIu64 " TCP segments, %" PRIu64 " connections, %s%" PRIu64 " reset%s%s\n",
		s->tcp_packets, s->flows, c(t, C_BOLD), s->resets, plural(s->resets), c(t, C_RESET));
	char evidence[256];
	stats_capture_point_evidence(&s->handshakes, evidence, sizeof evidence);
	fprintf(out, "  captured near: %s (%s)\n",
		capture_point_name(stats_capture_point(&s->handshakes)), evidence);
}

/* Groups in report order: the rest by count (ties by cause order), benign last. */
static int order_groups(const struct text_state *t, int order[GROUP_COUNT])
{
	int n = 0;
	for (int pass = 0; pass < 2; pass++)
		for (int g = 0; g < GROUP_COUNT; g++)
			if (t->groups[g].n && benign(g) == (pass == 1))
				order[n++] = g;
	for (int i = 1; i < n; i++)   /* insertion sort, stable; at most 17 groups */
		for (int j = i; j > 0 && !benign(order[j]) &&
				t->groups[order[j]].n > t->groups[order[j - 1]].n; j--) {
			int x = order[j];
			order[j] = order[j - 1];
			order[j - 1] = x;
		}
	return n;
}

static void print_table(FILE *out, const struct text_state *t, const int *order, int n)
{
	fprintf(out, "\n%sResets by cause%s\n", c(t, C_BOLD), c(t, C_RESET));
	for (int i = 0; i < n; i++) {
		const struct group *g = &t->groups[order[i]];
		fputs("  ", out);
		print_group_name(out, order[i], 22);
		fprintf(out, " %6" PRIu64 "  sent by ", g->n);
		print_senders(out, g);
		if (g->middlebox)
			fprintf(out, " (%" PRIu64 " by a middlebox)", g->middlebox);
		if (benign(order[i]))
			fputs("; benign", out);
		else
			fprintf(out, "; confidence high %" PRIu64 ", medium %" PRIu64 ", low %" PRIu64,
				g->by_conf[CONF_HIGH], g->by_conf[CONF_MEDIUM], g->by_conf[CONF_LOW]);
		fputc('\n', out);
	}
}

static void print_group(FILE *out, struct text_state *t, int gi)
{
	struct group *g = &t->groups[gi];
	fprintf(out, "\n%s", c(t, C_BOLD));
	print_group_name(out, gi, 0);
	fprintf(out, "%s: %" PRIu64 " reset%s: %s\n", c(t, C_RESET), g->n, plural(g->n),
		group_summary(gi));
	copy_spool(out, t, g);
	uint64_t rest = g->n - g->shown;
	if (rest) {
		fprintf(out, "  ... and %" PRIu64 " more: ", rest);
		print_frame_refs(out, g);
		fprintf(out, "%s (--all shows every one)\n", rest > g->n_more ? ", ..." : "");
	}
}

struct match_list {
	FILE *out;
	int n;
};

static void print_match(void *ctx, const struct idle_default *d)
{
	struct match_list *l = ctx;
	fprintf(l->out, "%s%s", l->n++ ? ", " : "", d->name);
}

/* Benign groups, briefly: one line each, unless --all asked for every block. */
static void print_benign(FILE *out, struct text_state *t, int gi)
{
	struct group *g = &t->groups[gi];
	if (t->o.all) {
		print_group(out, t, gi);
		return;
	}
	fputs("  ", out);
	print_group_name(out, gi, 0);
	fprintf(out, ": %" PRIu64 ": ", g->n);
	print_frame_refs(out, g);
	fprintf(out, "%s\n", g->n > g->n_more ? ", ..." : "");
}

/* Writes "; name" for each well-known default the idle time matches. */
static void print_matches(FILE *out, enum idle_closer closer, const struct service *svc,
			  int64_t ns)
{
	struct match_list l = { out, 0 };
	if (!idle_defaults_match(closer, svc, ns, NULL, NULL))
		return;
	fputs("; matches ", out);
	idle_defaults_match(closer, svc, ns, print_match, &l);
}

/* "after 5.0 s (measured on 37 connections; matches ...)" */
static void print_idle(FILE *out, const struct idle_samples *is, enum idle_closer closer,
		       const struct service *svc, const char *measured_on)
{
	int64_t median;
	bool consistent;
	char d[48];
	if (!idle_samples_median(is, &median, &consistent))
		return;
	report_duration(d, sizeof d, median);
	fprintf(out, "%s %s (%s %" PRIu64 " %s%s", consistent ? "after" : "after a median of", d,
		measured_on, is->seen, closer == IDLE_SERVER ? "connection" : "reset",
		plural(is->seen));
	if (consistent)
		print_matches(out, closer, svc, median);
	else
		fputs("; the times disagree, so no single timeout", out);
	fputc(')', out);
}

/* Clients wrote on connections the endpoint had closed after idle_close:
 * the fix, in the terms of what the endpoint serves (service.h). */
static void print_reuse_advice(FILE *out, const struct service *svc, const char *idle_close)
{
	switch (svc->kind) {
	case SERVICE_HTTP:
		fprintf(out, "    Clients reused connections it had closed: keep their pool's idle "
			     "timeout below %s, or retry idempotent requests on a reset.\n",
			idle_close);
		return;
	case SERVICE_POOLED:
		fprintf(out, "    Clients' pools reused connections it had closed: evict them "
			     "before %s idle%s%s%s, or check them (%s) before use.\n", idle_close,
			svc->idle_setting ? " (its " : "", svc->idle_setting ? svc->idle_setting : "",
			svc->idle_setting ? ")" : "", svc->check ? svc->check : "a cheap request");
		return;
	case SERVICE_SESSION:
		fprintf(out, "    Clients wrote on sessions it had ended after %s idle: detect the "
			     "close and reconnect, or stay active within that timeout.\n", idle_close);
		return;
	case SERVICE_TUNNEL:
		fprintf(out, "    Clients wrote into CONNECT tunnels the proxy had closed after %s "
			     "idle (its %s): open a new tunnel after that long, or raise the "
			     "timeout.\n", idle_close, svc->idle_setting);
		return;
	case SERVICE_UNKNOWN:
		break;
	}
	fprintf(out, "    Clients wrote on connections it had closed: close idle connections "
		     "before %s, and watch for its FIN before reusing one.\n", idle_close);
}

static void print_endpoint(FILE *out, const struct server_insight *ep)
{
	char name[64];
	const struct service *svc = service_for(ep->port, ep->http, ep->app);
	report_endpoint(name, sizeof name, ep->ipver, ep->addr, ep->port);
	fprintf(out, "  %s", name);
	if (svc->name && ep->names)
		fprintf(out, " (%s, %s%s)", svc->name, ep->name, ep->names > 1 ? " and other names" : "");
	else if (svc->name)
		fprintf(out, " (%s)", svc->name);
	else if (ep->names)
		fprintf(out, " (TLS, %s%s)", ep->name, ep->names > 1 ? " and other names" : "");
	fputc(':', out);
	const char *sep = " ";
	if (ep->idle_close.seen) {
		fputs(" closes idle connections ", out);
		print_idle(out, &ep->idle_close, IDLE_SERVER, svc, "measured on");
		sep = "; ";
	}
	if (ep->keepalive_header_s) {
		fprintf(out, "%sannounced Keep-Alive: timeout=%u", sep, ep->keepalive_header_s);
		sep = "; ";
	}
	if (ep->requests_after_close) {
		fprintf(out, "%s%" PRIu64 " request%s sent on connections it had already closed", sep,
			ep->requests_after_close, plural(ep->requests_after_close));
		sep = "; ";
	}
	if (ep->middlebox_idle.seen) {
		fprintf(out, "%sa middlebox in front of it forgot idle flows ", sep);
		print_idle(out, &ep->middlebox_idle, IDLE_MIDDLEBOX, svc, "seen in");
		sep = "; ";
	}
	if (ep->resets) {
		fprintf(out, "%s%" PRIu64 " reset%s:", sep, ep->resets, plural(ep->resets));
		const char *csep = " ";
		for (int i = 0; i < CAUSE_COUNT; i++)
			if (ep->by_cause[i]) {
				fprintf(out, "%s%s %" PRIu64, csep, cause_id((enum cause)i), ep->by_cause[i]);
				csep = ", ";
			}
	}
	fputs(".\n", out);
	if (ep->requests_after_close && ep->idle_close.seen) {
		int64_t median;
		bool consistent;
		char d[48];
		if (idle_samples_median(&ep->idle_close, &median, &consistent) && consistent) {
			report_duration(d, sizeof d, median);
			print_reuse_advice(out, svc, d);
		}
	}
}

/* Endpoints shown in text; --json lists all of them. */
#define TEXT_ENDPOINTS 10

static void print_endpoints(FILE *out, const struct text_state *t, const struct server_insights *e)
{
	if (!e->n)
		return;
	fprintf(out, "\n%sServers%s\n", c(t, C_BOLD), c(t, C_RESET));
	uint32_t n = t->o.all || e->n <= TEXT_ENDPOINTS ? e->n : TEXT_ENDPOINTS;
	for (uint32_t i = 0; i < n; i++)
		print_endpoint(out, &e->list[i]);
	if (n < e->n)
		fprintf(out, "  ... and %u more (--all or --json lists every one)\n", e->n - n);
}

static void print_notes(FILE *out, const struct text_state *t, const struct stats *s)
{
	fprintf(out, "\n%sNotes%s\n", c(t, C_BOLD), c(t, C_RESET));
	const char *sep = "  skipped: ";
	for (int d = DECODE_OK + 1; d < DECODE_RESULT_COUNT; d++)
		if (s->skipped[d]) {
			fprintf(out, "%s%s %" PRIu64, sep, decode_result_name((enum decode_result)d),
				s->skipped[d]);
			sep = ", ";
		}
	if (sep[0] == ',')
		fputc('\n', out);
	if (s->duplicates)
		fprintf(out, "  capture duplicates (a second copy of a segment, analysed once): %" PRIu64
			"\n", s->duplicates);
	if (s->payload_truncated)
		fprintf(out, "  payload cut by snaplen in %" PRIu64 " segments\n", s->payload_truncated);
	uint64_t joined = 0, fits = 0;
	for (int c = 0; c < CAUSE_COUNT; c++) {
		joined += s->kernel_joined[c];
		fits += s->kernel_fits[c];
	}
	if (joined)
		fprintf(out, "  kernel's own reasons (--kernel-reasons): %" PRIu64 " resets joined, %"
			     PRIu64 " whose cause fits the reason\n", joined, fits);
	if (s->tls_hellos_joined || s->tls_hellos_cut)
		fprintf(out, "  TLS ClientHellos over several segments: %" PRIu64 " put together, %" PRIu64
			     " read from their first segment only\n", s->tls_hellos_joined,
			s->tls_hellos_cut);
	if (s->live)
		fprintf(out, "  libpcap: %" PRIu64 " packets received, %" PRIu64 " dropped by the kernel, "
			"%" PRIu64 " by the interface\n", s->live_received, s->live_dropped,
			s->live_if_dropped);
	fprintf(out, "  connections tracked at once: at most %" PRIu64, s->flows_peak);
	if (s->flows_evicted)
		fprintf(out, ", %" PRIu64 " evicted", s->flows_evicted);
	fputc('\n', out);
	for (int i = 0; i < WARN_COUNT; i++)
		if (s->warn_count[i])
			fprintf(out, "  %swarning%s %s (%" PRIu64 "x): %s\n", c(t, C_YELLOW),
				c(t, C_RESET), warning_name((enum warning)i), s->warn_count[i],
				s->warn_msg[i]);
}

static void text_summary(struct reporter *r, const struct stats *s, const struct server_insights *e)
{
	struct text_state *t = r->priv;
	FILE *out = r->out;
	int order[GROUP_COUNT];
	int n = order_groups(t, order);
	print_heading(out, t, s);
	if (n)
		print_table(out, t, order, n);
	bool benign_heading = false;
	for (int i = 0; i < n; i++) {
		if (!benign(order[i])) {
			print_group(out, t, order[i]);
			continue;
		}
		if (!benign_heading && !t->o.all)
			fprintf(out, "\n%sBenign and follow-up resets%s\n", c(t, C_BOLD), c(t, C_RESET));
		benign_heading = true;
		print_benign(out, t, order[i]);
	}
	print_endpoints(out, t, e);
	if (!s->uncounted)
		print_notes(out, t, s);
}

static void text_free(struct reporter *r)
{
	struct text_state *t = r->priv;
	for (int g = 0; g < GROUP_COUNT; g++)
		if (t->groups[g].spool) {
			fclose(t->groups[g].spool);
			free(t->groups[g].mem);
		}
	free(t);
}

/* ---- pieces for the HTML page ---- */

void report_text_piece(FILE *out, enum text_piece piece, const struct text_piece_args *a)
{
	struct text_state t = { .o = { .nano = a->nano, .all = a->all, .inputs = a->inputs,
				       .n_inputs = a->n_inputs } };
	switch (piece) {
	case TEXT_PIECE_HEADING:
		print_heading(out, &t, a->stats);
		break;
	case TEXT_PIECE_BLOCK:
		print_block(out, &t, a->verdict, a->src, a->nano, NULL);
		break;
	case TEXT_PIECE_SERVERS:
		print_endpoints(out, &t, a->servers);
		break;
	case TEXT_PIECE_NOTES:
		print_notes(out, &t, a->stats);
		break;
	}
}


bool report_text_init(struct reporter *r, FILE *out, const struct text_options *o)
{
	memset(r, 0, sizeof *r);
	struct text_state *t = xcalloc(1, sizeof *t);
	t->o = *o;
	r->out = out;
	r->nano = o->nano;
	r->reset = text_reset;
	r->summary = text_summary;
	r->free = text_free;
	r->priv = t;
	if (o->all)
		for (int g = 0; g < GROUP_COUNT; g++)
			if (!(t->groups[g].spool = report_temp_file()))
				return false;
	return true;
}
