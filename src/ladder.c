/* ladder: connection diagrams, text and mermaid (see ladder.h). */
#include "ladder.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cause.h"
#include "http.h"
#include "report.h"
#include "tls.h"
#include "xalloc.h"

#define PINNED_AT LADDER_HEAD
#define TAIL_AT (LADDER_HEAD + VERDICT_MAX_EVIDENCE)

void ladder_init(struct ladder *l, const struct verdict *v, uint32_t source, uint32_t keep)
{
	memset(l, 0, sizeof *l);
	l->source = source;
	l->rst_frame = v->rst.frame;
	struct evidence ev[VERDICT_MAX_EVIDENCE];
	l->n_evidence = verdict_evidence(v, ev);
	for (int i = 0; i < l->n_evidence; i++)
		l->evidence[i] = ev[i].frame;
	l->ipver = v->ipver;
	/* The RST's sender is A: the client is A unless A is the server (an
	 * unknown role draws the sender on the left). */
	bool a_is_client = v->sender != ROLE_SERVER;
	memcpy(l->client_addr, a_is_client ? v->src : v->dst, 16);
	l->client_port = a_is_client ? v->sport : v->dport;
	char a[56], b[56];
	report_endpoint(a, sizeof a, v->ipver, v->src, v->sport);
	report_endpoint(b, sizeof b, v->ipver, v->dst, v->dport);
	bool known = v->sender != ROLE_UNKNOWN;
	snprintf(l->client, sizeof l->client, "%s %s", known ? "client" : "sender",
		 a_is_client ? a : b);
	snprintf(l->server, sizeof l->server, "%s %s", known ? "server" : "peer",
		 a_is_client ? b : a);
	l->rtt_ns = v->rtt_ns;
	l->keep = keep ? keep : 1;
	l->pkts = xcalloc(TAIL_AT + l->keep, sizeof *l->pkts);
}

void ladder_free(struct ladder *l)
{
	free(l->pkts);
	l->pkts = NULL;
}

size_t ladders_add(struct ladders *ls, const struct verdict *v, uint32_t source, int64_t t0)
{
	if (ls->n == ls->cap) {
		ls->cap = ls->cap ? ls->cap * 2 : 16;
		ls->v = xrealloc(ls->v, ls->cap * sizeof *ls->v);
	}
	ladder_init(&ls->v[ls->n], v, source, ls->keep);
	ls->v[ls->n].t0 = t0;
	return ls->n++;
}

void ladders_free(struct ladders *ls)
{
	for (size_t i = 0; i < ls->n; i++)
		ladder_free(&ls->v[i]);
	free(ls->v);
	ls->v = NULL;
	ls->n = ls->cap = 0;
}

bool ladder_from_client(const struct ladder *l, const struct pkt *p)
{
	return p->sport == l->client_port && memcmp(p->src, l->client_addr, 16) == 0;
}

/* What a segment carries, as far as the first read's readers name it. */
static void label_of(const struct pkt *p, char out[LADDER_LABEL_MAX])
{
	char buf[160];
	size_t n = sizeof buf;
	buf[0] = '\0';
	if (p->http.start == HTTP_REQUEST && p->http.requests) {
		snprintf(buf, n, "%s %s", http_method_name(p->http.method), p->http.target);
	} else if (p->http.start == HTTP_RESPONSE && p->http.status) {
		snprintf(buf, n, "HTTP %u", p->http.status);
	} else if (p->tls.content == TLS_HANDSHAKE && p->tls.handshake == TLS_CLIENT_HELLO) {
		snprintf(buf, n, "TLS ClientHello%s%s", p->tls.sni[0] ? " " : "", p->tls.sni);
	} else if (p->tls.content == TLS_HANDSHAKE && p->tls.handshake == TLS_SERVER_HELLO) {
		const char *ver = tls_version_name(p->tls.version);
		snprintf(buf, n, "TLS ServerHello%s%s", ver ? " " : "", ver ? ver : "");
	} else if (p->tls.content == TLS_HANDSHAKE) {
		snprintf(buf, n, "TLS handshake");
	} else if (p->tls.content == TLS_ALERT) {
		const char *name = p->tls.alert_level ? tls_alert_name(p->tls.alert_desc) : NULL;
		snprintf(buf, n, "TLS alert%s%s", name ? " " : "", name ? name : "");
	} else if (p->tls.content == TLS_CHANGE_CIPHER_SPEC) {
		snprintf(buf, n, "TLS ChangeCipherSpec");
	} else if (p->tls.content == TLS_APPLICATION_DATA) {
		snprintf(buf, n, "TLS record of %u bytes", p->tls.record_len);
	}
	/* Cut to the record's size: the left end says what it is. */
	snprintf(out, LADDER_LABEL_MAX, "%.*s", LADDER_LABEL_MAX - 1, buf);
}

static bool is_evidence(const struct ladder *l, uint64_t frame)
{
	for (int i = 0; i < l->n_evidence; i++)
		if (l->evidence[i] == frame)
			return true;
	return false;
}

void ladder_push(struct ladder *l, const struct pkt *p)
{
	if (l->complete)
		return;
	struct ladder_pkt k = {
		.frame = p->frame, .nth = l->seen++, .ts_ns = p->ts_ns, .seq = p->seq, .ack = p->ack,
		.len = p->payload_len, .flags = p->flags, .from_client = ladder_from_client(l, p),
	};
	label_of(p, k.label);
	/* Bases as Wireshark's packet-tcp.c sets them (tcp_analyze_seq: a
	 * first SYN's seq, else seq - 1; a peer first named by an ack, ack - 1). */
	bool *own = k.from_client ? &l->have_base_client : &l->have_base_server;
	bool *peer = k.from_client ? &l->have_base_server : &l->have_base_client;
	uint32_t *own_base = k.from_client ? &l->base_client : &l->base_server;
	uint32_t *peer_base = k.from_client ? &l->base_server : &l->base_client;
	if (!*own) {
		*own = true;
		*own_base = (p->flags & TCP_SYN) ? p->seq : p->seq - 1;
	}
	if (!*peer && (p->flags & TCP_ACK)) {
		*peer = true;
		*peer_base = p->ack - 1;
	}
	if (p->frame == l->rst_frame) {
		k.mark = LADDER_THE_RST;
		l->complete = true;
	} else if (is_evidence(l, p->frame)) {
		k.mark = LADDER_EVIDENCE;
	}
	if (l->n_head < LADDER_HEAD) {
		l->pkts[l->n_head++] = k;
		return;
	}
	/* The packet the ring drops, if it is evidence, stays pinned. */
	uint64_t in_tail = k.nth - LADDER_HEAD;
	struct ladder_pkt *slot = &l->pkts[TAIL_AT + in_tail % l->keep];
	if (in_tail >= l->keep && slot->mark == LADDER_EVIDENCE && l->n_pinned < VERDICT_MAX_EVIDENCE)
		l->pkts[PINNED_AT + l->n_pinned++] = *slot;
	*slot = k;
	if (l->n_tail < l->keep)
		l->n_tail++;
}

/* The kept packets in order. */
static uint32_t ordered(const struct ladder *l, const struct ladder_pkt **out)
{
	uint32_t n = 0;
	for (uint32_t i = 0; i < l->n_head; i++)
		out[n++] = &l->pkts[i];
	for (uint32_t i = 0; i < l->n_pinned; i++)
		out[n++] = &l->pkts[PINNED_AT + i];
	uint64_t pushed_tail = l->seen > LADDER_HEAD ? l->seen - LADDER_HEAD : 0;
	uint64_t oldest = pushed_tail > l->keep ? pushed_tail % l->keep : 0;
	for (uint32_t i = 0; i < l->n_tail; i++)
		out[n++] = &l->pkts[TAIL_AT + (oldest + i) % l->keep];
	return n;
}

/* "SYN seq 0", "PSH+ACK seq 1 ack 1 len 66", relative as Wireshark shows them. */
static void arrow_text(const struct ladder *l, const struct ladder_pkt *k, char *buf, size_t n)
{
	char flags[40];
	report_flags(flags, sizeof flags, k->flags);
	uint32_t seq = k->seq - (k->from_client ? l->base_client : l->base_server);
	uint32_t ack = k->ack - (k->from_client ? l->base_server : l->base_client);
	int w = snprintf(buf, n, "%s seq %" PRIu32, flags, seq);
	if ((k->flags & TCP_ACK) && w > 0 && (size_t)w < n)
		w += snprintf(buf + w, n - (size_t)w, " ack %" PRIu32, ack);
	if (k->len && w > 0 && (size_t)w < n)
		w += snprintf(buf + w, n - (size_t)w, " len %" PRIu32, k->len);
	if (k->label[0] && w > 0 && (size_t)w < n)
		snprintf(buf + w, n - (size_t)w, " %s", k->label);
}

/* A silence worth a line of its own: a second or more, or a tenth of a
 * second and two round trips (what a timer or a person, not the path,
 * makes). */
static bool gap_matters(const struct ladder *l, int64_t gap)
{
	if (gap >= 1000000000)
		return true;
	return gap >= 100000000 && (l->rtt_ns <= 0 || gap >= 2 * l->rtt_ns);
}

#define ARROW_WIDTH 58

void ladder_render_text(FILE *out, const struct ladder *l, const struct ladder_style *st,
			const char *indent)
{
	const struct ladder_pkt *k[TAIL_AT + LADDER_KEEP_MAX];
	uint32_t n = ordered(l, k);
	const char *dash = st->utf8 ? "\u2500" : "-";
	const char *right = st->utf8 ? "\u25b6" : ">";
	const char *left = st->utf8 ? "\u25c0" : "<";
	const char *ellipsis = st->utf8 ? "\u2026" : "...";
	const char *red = st->color ? "\033[31m" : "", *yellow = st->color ? "\033[33m" : "";
	const char *dim = st->color ? "\033[2m" : "", *reset = st->color ? "\033[0m" : "";
	/* Column heads: the client over the left end, the server over the right. */
	fprintf(out, "%s%-*s%*s\n", indent, 20 + ARROW_WIDTH / 2, l->client, ARROW_WIDTH / 2 + 2,
		l->server);
	for (uint32_t i = 0; i < n; i++) {
		if (i > 0) {
			uint64_t skipped = k[i]->nth - k[i - 1]->nth - 1;
			if (skipped)
				fprintf(out, "%s%s%20s%s %" PRIu64 " packet%s not shown %s%s\n", indent, dim, "",
					ellipsis, skipped, skipped == 1 ? "" : "s", ellipsis, reset);
			int64_t gap = k[i]->ts_ns - k[i - 1]->ts_ns;
			if (!skipped && gap_matters(l, gap)) {
				char d[32];
				fprintf(out, "%s%s%20s%s %s idle %s%s\n", indent, dim, "", ellipsis,
					report_duration(d, sizeof d, gap), ellipsis, reset);
			}
		}
		char text[160], rel[32];
		arrow_text(l, k[i], text, sizeof text);
		report_seconds(rel, sizeof rel, k[i]->ts_ns - l->t0, st->nano);
		/* The label inside the shaft, the shaft at least ARROW_WIDTH long. */
		int shaft = ARROW_WIDTH - (int)strlen(text) - 4;
		if (shaft < 2)
			shaft = 2;
		const char *colour = k[i]->mark == LADDER_THE_RST ? red :
				     k[i]->mark == LADDER_EVIDENCE ? yellow : "";
		fprintf(out, "%s%s#%-7" PRIu64 " %10s  ", indent, colour, k[i]->frame, rel);
		if (k[i]->from_client) {
			fprintf(out, "%s%s %s ", dash, dash, text);
			for (int j = 0; j < shaft; j++)
				fputs(dash, out);
			fputs(right, out);
		} else {
			fputs(left, out);
			for (int j = 0; j < shaft; j++)
				fputs(dash, out);
			fprintf(out, " %s %s%s", text, dash, dash);
		}
		if (k[i]->mark == LADDER_THE_RST)
			fputs("  the RST", out);
		else if (k[i]->mark == LADDER_EVIDENCE)
			fputs("  evidence", out);
		fprintf(out, "%s\n", colour[0] ? reset : "");
	}
	if (!l->complete)
		fprintf(out, "%s%20s(the RST's connection was not found again in the input)\n", indent, "");
}

/* Mermaid's message text ends at a newline and reads ';' and '#' as
 * syntax: both are written as its entity codes. */
static void mermaid_text(FILE *out, const char *s)
{
	for (; *s; s++) {
		if (*s == ';')
			fputs("#59;", out);
		else if (*s == '#')
			fputs("#35;", out);
		else if ((unsigned char)*s >= 0x20)
			fputc(*s, out);
	}
}

void ladder_render_mermaid(FILE *out, const struct ladder *l)
{
	const struct ladder_pkt *k[TAIL_AT + LADDER_KEEP_MAX];
	uint32_t n = ordered(l, k);
	fputs("```mermaid\nsequenceDiagram\n    participant C as ", out);
	mermaid_text(out, l->client);
	fputs("\n    participant S as ", out);
	mermaid_text(out, l->server);
	fputc('\n', out);
	for (uint32_t i = 0; i < n; i++) {
		if (i > 0) {
			uint64_t skipped = k[i]->nth - k[i - 1]->nth - 1;
			int64_t gap = k[i]->ts_ns - k[i - 1]->ts_ns;
			char d[32];
			if (skipped)
				fprintf(out, "    Note over C,S: %" PRIu64 " packet%s not shown\n", skipped,
					skipped == 1 ? "" : "s");
			else if (gap_matters(l, gap))
				fprintf(out, "    Note over C,S: %s idle\n", report_duration(d, sizeof d, gap));
		}
		char text[160];
		arrow_text(l, k[i], text, sizeof text);
		/* The RST ends in a cross, as the connection does. */
		const char *arrow = (k[i]->flags & TCP_RST) ? (k[i]->from_client ? "-x" : "--x")
							    : (k[i]->from_client ? "->>" : "-->>");
		fprintf(out, "    %s%s%s: ", k[i]->from_client ? "C" : "S", arrow,
			k[i]->from_client ? "S" : "C");
		mermaid_text(out, text);
		fprintf(out, " (frame %" PRIu64 ")%s\n", k[i]->frame,
			k[i]->mark == LADDER_THE_RST ? " the RST" :
			k[i]->mark == LADDER_EVIDENCE ? " evidence" : "");
	}
	fputs("```\n", out);
}
