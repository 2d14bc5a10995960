/*
 * report_html: --html FILE, one self-contained page to attach to a ticket.
 *
 * A reporter in front of the text or JSON one: it hands every reset and
 * the summary on unchanged, and writes at the summary one HTML file with
 * nothing external (no script, no stylesheet, font or image fetched):
 * the heading, the resets by cause, a timeline of resets over time by
 * cause (inline SVG), each incident shown in full with a Wireshark display
 * filter to copy, its verdict as the text report words it and its
 * diagram, the Servers section and the notes. The words are the text
 * report's own (report_text_piece), escaped; this file adds the layout.
 *
 * Memory: 9 bytes a reset for the timeline; incidents are spooled to a
 * temporary file, as the text report's --all is.
 */
#include "report.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cause.h"
#include "config.h"
#include "msg.h"
#include "xalloc.h"

#define TIMELINE_BINS 60
#define SVG_W 720
#define SVG_H 180
#define PLOT_H 140
/* An incident's diagram: a spool line of its own, as in the text report. */
#define HTML_LADDER_MARK '\001'

struct html_state {
	struct reporter *inner;
	struct html_options o;
	FILE *spool;                /* the incidents, in report order */
	int64_t *ts;                /* each reset's time ... */
	uint8_t *cause;             /* ... and cause, for the timeline */
	size_t n, cap;
	uint64_t shown[CAUSE_COUNT];
	uint64_t by_sender[CAUSE_COUNT][3];
	uint64_t by_conf[CAUSE_COUNT][3];
	bool failed;
};

/* Text into HTML: the five characters that could open markup or end an
 * attribute. */
static void esc(FILE *out, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		switch (s[i]) {
		case '&': fputs("&amp;", out); break;
		case '<': fputs("&lt;", out); break;
		case '>': fputs("&gt;", out); break;
		case '"': fputs("&quot;", out); break;
		case '\'': fputs("&#39;", out); break;
		default: fputc(s[i], out);
		}
	}
}

static void escs(FILE *out, const char *s)
{
	esc(out, s, strlen(s));
}

/* What a text piece writes, escaped into out. */
static void piece(FILE *out, enum text_piece p, const struct text_piece_args *a)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	if (!m)
		abort();    /* out of memory, as xalloc */
	report_text_piece(m, p, a);
	fclose(m);
	/* The text's own first blank line is the page's margin. */
	size_t at = len && buf[0] == '\n' ? 1 : 0;
	esc(out, buf + at, len - at);
	free(buf);
}

/* Wireshark's display filter for the RST's connection, as its
 * "Conversation Filter" writes one. */
static void filter_of(const struct verdict *v, char *buf, size_t n)
{
	char a[48], b[48];
	report_addr(a, sizeof a, v->ipver, v->src);
	report_addr(b, sizeof b, v->ipver, v->dst);
	const char *f = v->ipver == 4 ? "ip.addr" : "ipv6.addr";
	snprintf(buf, n, "%s==%s && %s==%s && tcp.port==%u && tcp.port==%u", f, a, f, b, v->sport,
		 v->dport);
}

static void html_reset(struct reporter *r, const struct verdict *v, const struct report_source *src)
{
	struct html_state *h = r->priv;
	h->inner->reset(h->inner, v, src);
	if (h->n == h->cap) {
		h->cap = h->cap ? h->cap * 2 : 256;
		h->ts = xrealloc(h->ts, h->cap * sizeof *h->ts);
		h->cause = xrealloc(h->cause, h->cap * sizeof *h->cause);
	}
	h->ts[h->n] = v->rst.ts_ns;
	h->cause[h->n++] = v->cause;
	h->by_sender[v->cause][v->sender == ROLE_CLIENT ? 0 : v->sender == ROLE_SERVER ? 1 : 2]++;
	h->by_conf[v->cause][v->confidence]++;
	bool benign = cause_benign((enum cause)v->cause, (enum detail)v->detail);
	if (!h->o.all && (benign || h->shown[v->cause] >= TEXT_EXAMPLES_PER_CAUSE))
		return;
	h->shown[v->cause]++;
	FILE *s = h->spool;
	const char *detail = detail_id((enum detail)v->detail);
	char filter[256];
	filter_of(v, filter, sizeof filter);
	fprintf(s, "<section class=\"incident\" id=\"rst-%u-%" PRIu64 "\">\n<h3>RST #%" PRIu64,
		src->index, v->rst.frame, v->rst.frame);
	if (src->show_name) {
		fputs(" in ", s);
		escs(s, src->name);
	}
	fprintf(s, ": <span class=\"cause c%d\">%s%s%s%s</span>, %s confidence</h3>\n", v->cause,
		cause_id((enum cause)v->cause), detail ? " (" : "", detail ? detail : "",
		detail ? ")" : "", confidence_name((enum confidence)v->confidence));
	fputs("<p>Wireshark display filter: <code class=\"filter\">", s);
	escs(s, filter);
	fprintf(s, "</code> (the RST: <code>frame.number == %" PRIu64 "</code>)</p>\n<pre>",
		v->rst.frame);
	struct text_piece_args a = { .nano = h->o.nano, .verdict = v, .src = src };
	piece(s, TEXT_PIECE_BLOCK, &a);
	fputs("</pre>\n", s);
	if (h->o.ladders)
		fprintf(s, "%c%zu\n", HTML_LADDER_MARK,
			ladders_add(h->o.ladders, v, src->index, src->first_ts));
	fputs("</section>\n", s);
}

/* One colour per cause, stable across pages. */
static const char *cause_colour(int c)
{
	static const char *const palette[] = {
		"#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1",
		"#ff9da7", "#9c755f", "#bab0ac", "#86bcb6", "#d37295", "#8cd17d", "#b6992d",
		"#499894", "#79706e",
	};
	return palette[c % (int)(sizeof palette / sizeof palette[0])];
}

static void wall(char *buf, size_t n, int64_t ns)
{
	time_t t = (time_t)(ns / 1000000000);
	struct tm tm;
	if (!gmtime_r(&t, &tm) || !strftime(buf, n, "%Y-%m-%d %H:%M:%S UTC", &tm))
		snprintf(buf, n, "?");
}

/* Resets over time, stacked by cause: TIMELINE_BINS equal spans from the
 * first reset to the last. Each bar says its numbers in a tooltip. */
static void timeline(FILE *out, const struct html_state *h)
{
	if (!h->n)
		return;
	int64_t lo = h->ts[0], hi = h->ts[0];
	for (size_t i = 1; i < h->n; i++) {
		lo = h->ts[i] < lo ? h->ts[i] : lo;
		hi = h->ts[i] > hi ? h->ts[i] : hi;
	}
	int64_t span = hi - lo;
	int bins = span > 0 ? TIMELINE_BINS : 1;
	uint64_t (*count)[CAUSE_COUNT] = xcalloc((size_t)bins, sizeof *count);
	uint64_t peak = 0, total[CAUSE_COUNT] = { 0 };
	for (size_t i = 0; i < h->n; i++) {
		/* (128 bits: times may span most of int64's range.) */
		int b = span > 0 ? (int)((unsigned __int128)(h->ts[i] - lo) * (unsigned)(bins - 1) /
					 (unsigned __int128)span) : 0;
		count[b][h->cause[i]]++;
		total[h->cause[i]]++;
	}
	for (int b = 0; b < bins; b++) {
		uint64_t sum = 0;
		for (int c = 0; c < CAUSE_COUNT; c++)
			sum += count[b][c];
		peak = sum > peak ? sum : peak;
	}
	char from[40], to[40], d[32];
	wall(from, sizeof from, lo);
	wall(to, sizeof to, hi);
	fprintf(out, "<svg class=\"timeline\" width=\"%d\" "
		"height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"resets over time by "
		"cause\">\n", SVG_W, SVG_H, SVG_W, SVG_H);
	double bw = (double)SVG_W / bins;
	for (int b = 0; b < bins; b++) {
		double y = PLOT_H;
		for (int c = 0; c < CAUSE_COUNT; c++) {
			if (!count[b][c])
				continue;
			double ht = (double)count[b][c] * (PLOT_H - 10) / (double)peak;
			y -= ht;
			fprintf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\" "
				"data-cause=\"%s\" data-count=\"%" PRIu64 "\"><title>%s: %" PRIu64
				" at %s + %s</title></rect>\n", b * bw, y, bw > 2 ? bw - 1 : bw, ht,
				cause_colour(c), cause_id((enum cause)c), count[b][c],
				cause_id((enum cause)c), count[b][c], from,
				report_duration(d, sizeof d, span / bins * b));
		}
	}
	fprintf(out, "<line x1=\"0\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#555\"/>\n", PLOT_H, SVG_W,
		PLOT_H);
	fprintf(out, "<text x=\"0\" y=\"%d\" font-size=\"11\">%s</text>\n", PLOT_H + 16, from);
	fprintf(out, "<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"end\">%s (%s)</text>\n",
		SVG_W, PLOT_H + 16, to, report_duration(d, sizeof d, span));
	fprintf(out, "<text x=\"0\" y=\"10\" font-size=\"11\">at most %" PRIu64 " a bar</text>\n",
		peak);
	fputs("</svg>\n<p class=\"legend\">", out);
	for (int c = 0; c < CAUSE_COUNT; c++)
		if (total[c])
			fprintf(out, "<span><i style=\"background:%s\"></i>%s %" PRIu64 "</span> ",
				cause_colour(c), cause_id((enum cause)c), total[c]);
	fputs("</p>\n", out);
	free(count);
}

static void cause_table(FILE *out, const struct html_state *h, const struct stats *s)
{
	fputs("<table>\n<tr><th>cause</th><th>resets</th><th>client</th><th>server</th>"
	      "<th>unknown</th><th>high</th><th>medium</th><th>low</th><th>meaning</th></tr>\n", out);
	for (int c = 0; c < CAUSE_COUNT; c++) {
		if (!s->by_cause[c])
			continue;
		fprintf(out, "<tr><td class=\"cause c%d\">%s</td><td>%" PRIu64 "</td>", c,
			cause_id((enum cause)c), s->by_cause[c]);
		for (int i = 0; i < 3; i++)
			fprintf(out, "<td>%" PRIu64 "</td>", h->by_sender[c][i]);
		for (int i = CONF_HIGH; i >= CONF_LOW; i--)
			fprintf(out, "<td>%" PRIu64 "</td>", h->by_conf[c][i]);
		fputs("<td>", out);
		escs(out, cause_info((enum cause)c)->summary);
		fputs("</td></tr>\n", out);
	}
	fputs("</table>\n", out);
}

/* The incidents, each diagram drawn where its mark is. */
static void incidents(FILE *out, struct html_state *h)
{
	fflush(h->spool);
	rewind(h->spool);
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	struct ladder_style st = { .utf8 = true, .nano = h->o.nano };
	while ((n = getline(&line, &cap, h->spool)) > 0) {
		if (line[0] != HTML_LADDER_MARK) {
			fwrite(line, 1, (size_t)n, out);
			continue;
		}
		const struct ladder *l = &h->o.ladders->v[strtoul(line + 1, NULL, 10)];
		char *buf = NULL;
		size_t len = 0;
		FILE *m = open_memstream(&buf, &len);
		if (!m)
			abort();
		ladder_render_text(m, l, &st, "");
		fclose(m);
		fputs("<pre class=\"diagram\">", out);
		esc(out, buf, len);
		fputs("</pre>\n", out);
		free(buf);
	}
	free(line);
}

static const char STYLE[] =
	"body{font-family:system-ui,sans-serif;margin:2em;max-width:80em;color:#222}"
	"pre{background:#f6f6f6;padding:.6em;overflow-x:auto;font-size:12px;line-height:1.3;"
	"white-space:pre-wrap}"
	"pre.diagram{background:#fbfbf4;white-space:pre}pre.heading{white-space:pre}"
	"table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2em .5em;"
	"text-align:right}td:first-child,td:last-child{text-align:left}"
	"code.filter{background:#eef;padding:.1em .3em;user-select:all}"
	".legend span{margin-right:1em;white-space:nowrap}"
	".legend i{display:inline-block;width:.8em;height:.8em;margin-right:.3em}"
	"section.incident{border-top:1px solid #ddd;margin-top:1.5em}";

static void html_summary(struct reporter *r, const struct stats *s, const struct server_insights *e)
{
	struct html_state *h = r->priv;
	h->inner->summary(h->inner, s, e);
	FILE *out = fopen(h->o.path, "w");
	if (!out) {
		msg_error("%s: %s", h->o.path, strerror(errno));
		h->failed = true;
		return;
	}
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	      "<meta name=\"generator\" content=\"rstdiag " RSTDIAG_VERSION "\">\n<title>rstdiag: ", out);
	for (int i = 0; i < h->o.n_inputs && i < 3; i++) {
		fputs(i ? ", " : "", out);
		escs(out, h->o.inputs[i]);
	}
	fprintf(out, "</title>\n<style>%s</style>\n</head>\n<body>\n<h1>Why were these TCP "
		"connections reset?</h1>\n<pre class=\"heading\">", STYLE);
	struct text_piece_args a = { .nano = h->o.nano, .all = h->o.all, .inputs = h->o.inputs,
				     .n_inputs = h->o.n_inputs, .stats = s, .servers = e };
	piece(out, TEXT_PIECE_HEADING, &a);
	fputs("</pre>\n<h2>Resets by cause</h2>\n", out);
	cause_table(out, h, s);
	fputs("<h2>Resets over time</h2>\n", out);
	timeline(out, h);
	fputs("<h2>Incidents</h2>\n", out);
	if (!h->o.all)
		fprintf(out, "<p>The first %d resets of each cause that is not benign, in full.</p>\n",
			TEXT_EXAMPLES_PER_CAUSE);
	incidents(out, h);
	if (e->n) {
		fputs("<h2>Servers</h2>\n<pre>", out);
		piece(out, TEXT_PIECE_SERVERS, &a);
		fputs("</pre>\n", out);
	}
	fputs("<h2>Notes</h2>\n<pre>", out);
	piece(out, TEXT_PIECE_NOTES, &a);
	fputs("</pre>\n<footer><p>rstdiag " RSTDIAG_VERSION "</p></footer>\n</body>\n</html>\n", out);
	if (ferror(out) | (fclose(out) != 0)) {
		msg_error("%s: cannot write the page: %s", h->o.path, strerror(errno ? errno : EIO));
		h->failed = true;
	}
}

static void html_free(struct reporter *r)
{
	struct html_state *h = r->priv;
	if (!h)
		return;
	if (h->spool)
		fclose(h->spool);
	free(h->ts);
	free(h->cause);
	free(h);
	r->priv = NULL;
}

bool report_html_init(struct reporter *html, struct reporter *inner, const struct html_options *o)
{
	struct html_state *h = xcalloc(1, sizeof *h);
	h->inner = inner;
	h->o = *o;
	*html = *inner;
	html->reset = html_reset;
	html->summary = html_summary;
	html->free = html_free;
	html->render = NULL;      /* every record goes through html->reset */
	html->write_rendered = NULL;
	html->priv = h;
	h->spool = report_temp_file();
	return h->spool != NULL;
}

bool report_html_failed(const struct reporter *html)
{
	const struct html_state *h = html->priv;
	return h && h->failed;
}
