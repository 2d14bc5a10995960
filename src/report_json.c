/*
 * report_json: JSON Lines, one object per RST then one summary, in the
 * schema of ../shared/TAXONOMY.md (field names are a contract: add, never
 * rename). Times and counts are written as exact decimal text, not
 * through a double, so a nanosecond capture and a 64-bit count keep their
 * digits (and cJSON's double printing, a sprintf and a parse back per
 * number, was most of the cost of a record).
 */
#include <cjson/cJSON.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "explain.h"
#include "idle_defaults.h"
#include "kernel_reasons.h"
#include "report.h"
#include "service.h"
#include "tunnel_table.h"
#include "xalloc.h"

/*
 * cJSON's allocations come from an arena (cJSON_InitHooks): a record's
 * hundred-odd nodes, keys and strings are bump-allocated and all let go at
 * once when it has been written, instead of a malloc and a free each and a
 * walk of the tree to free it, which were most of a record's cost.
 * rstdiag builds one tree at a time, so one arena serves every reporter.
 */
#define ARENA_CHUNK ((size_t)64 << 10)

struct arena_chunk {
	struct arena_chunk *next;
	size_t used, cap;
	max_align_t data[];
};

static struct arena_chunk *arena_head;  /* the chunk allocations come from */
static struct arena_chunk *arena_first; /* kept across records */

static void *arena_alloc(size_t n)
{
	n = (n + sizeof(max_align_t) - 1) / sizeof(max_align_t) * sizeof(max_align_t);
	struct arena_chunk *c = arena_head;
	if (!c || c->used + n > c->cap) {
		size_t cap = n > ARENA_CHUNK ? n : ARENA_CHUNK;
		if (c && c->next && c->next->cap >= n) {
			c = c->next;
		} else {
			struct arena_chunk *fresh = xmalloc(sizeof *fresh + cap);
			fresh->cap = cap;
			fresh->next = c ? c->next : NULL;
			if (c)
				c->next = fresh;
			c = fresh;
		}
		c->used = 0;
		if (!arena_first)
			arena_first = c;
		arena_head = c;
	}
	void *p = (char *)c->data + c->used;
	c->used += n;
	return p;
}

static void arena_free(void *p)
{
	(void)p;        /* all at once, in arena_reset */
}

/* After a record: every allocation is let go; the chunks stay. */
static void arena_reset(void)
{
	arena_head = arena_first;
	if (arena_head)
		arena_head->used = 0;
}

static void arena_release(void)
{
	for (struct arena_chunk *c = arena_first, *n; c; c = n) {
		n = c->next;
		free(c);
	}
	arena_first = arena_head = NULL;
}

/* The text of one record, reused: cJSON would otherwise grow a fresh
 * buffer by doubling for each one. */
struct json_out {
	char *buf;
	size_t cap;
};

#define JSON_OUT_START 16384
#define JSON_OUT_MAX ((size_t)1 << 24)   /* past this, cJSON's own buffer */

static cJSON *uint_item(uint64_t v)
{
	char buf[24];
	snprintf(buf, sizeof buf, "%" PRIu64, v);
	return cJSON_CreateRaw(buf);
}

static void add_uint(cJSON *o, const char *name, uint64_t v)
{
	cJSON_AddItemToObject(o, name, uint_item(v));
}

static void add_seconds(cJSON *o, const char *name, int64_t ns, bool nano)
{
	char buf[48];
	report_seconds(buf, sizeof buf, ns, nano);
	cJSON_AddRawToObject(o, name, buf);
}

static void add_string_or_null(cJSON *o, const char *name, const char *value)
{
	if (value)
		cJSON_AddStringToObject(o, name, value);
	else
		cJSON_AddNullToObject(o, name);
}

static void emit(struct reporter *r, cJSON *root)
{
	struct json_out *jo = r->priv;
	/* cJSON wants 5 bytes of slack past what it writes (cJSON.h). */
	bool ok;
	while (!(ok = cJSON_PrintPreallocated(root, jo->buf, (int)(jo->cap - 5), 0)) &&
	       jo->cap < JSON_OUT_MAX) {
		jo->cap *= 2;
		jo->buf = xrealloc(jo->buf, jo->cap);
	}
	char *text = ok ? jo->buf : cJSON_PrintUnformatted(root);
	if (text) {
		fputs(text, r->out);
		fputc('\n', r->out);
	}
	/* The tree and cJSON's own buffer are the arena's. */
	(void)root;
	arena_reset();
	if (r->flush_each)
		fflush(r->out);
}

/* "tunnel": {"path": "...", "layers": [{"kind", the id by its name, "src", "dst"}]} or null. */
static void add_tunnel(cJSON *o, const struct tunnel_path *t)
{
	if (!t) {
		cJSON_AddNullToObject(o, "tunnel");
		return;
	}
	char buf[256];
	cJSON *tj = cJSON_AddObjectToObject(o, "tunnel");
	report_tunnel_path(buf, sizeof buf, t);
	cJSON_AddStringToObject(tj, "path", buf);
	cJSON *layers = cJSON_AddArrayToObject(tj, "layers");
	for (unsigned i = 0; i < t->n; i++) {
		const struct tunnel_layer *l = &t->layer[i];
		enum tunnel_kind k = (enum tunnel_kind)l->kind;
		cJSON *lj = cJSON_CreateObject();
		cJSON_AddStringToObject(lj, "kind", tunnel_kind_name(k));
		if (l->has_id)
			add_uint(lj, report_tunnel_id_name(k), l->id);
		if (l->ipver) {
			report_addr(buf, sizeof buf, l->ipver, l->src);
			cJSON_AddStringToObject(lj, "src", buf);
			report_addr(buf, sizeof buf, l->ipver, l->dst);
			cJSON_AddStringToObject(lj, "dst", buf);
		}
		cJSON_AddItemToArray(layers, lj);
	}
}

static const char *handshake_name(const struct verdict *v)
{
	if (v->established)
		return "complete";
	if (v->syn && v->synack)
		return "syn+syn-ack";
	if (v->syn)
		return "syn";
	if (v->synack)
		return "syn-ack";
	return "not-seen";
}

static cJSON *half_json(const struct side *h)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "state", half_state_name((enum half_state)h->state));
	add_uint(o, "packets", h->pkts);
	add_uint(o, "bytes", h->bytes);
	if (h->flags & HALF_F_SEEN) {
		add_uint(o, "next_seq", h->next_seq);
		add_uint(o, "next_seq_rel", (uint32_t)(h->next_seq - h->base_seq));
		if (h->flags & HALF_F_ACK)
			add_uint(o, "ack", h->ack);
		if (h->ttl_min <= h->ttl_max) {
			cJSON *ttl = cJSON_AddArrayToObject(o, "ttl_range");
			cJSON_AddItemToArray(ttl, uint_item(h->ttl_min));
			cJSON_AddItemToArray(ttl, uint_item(h->ttl_max));
		}
	}
	if (h->flags & HALF_F_FIN)
		add_uint(o, "fin_frame", h->fin_frame);
	if (h->rst_frame)
		add_uint(o, "rst_frame", h->rst_frame);
	add_uint(o, "retransmissions", h->retrans);
	add_uint(o, "keepalives", h->keepalives);
	add_uint(o, "zero_windows", h->zero_windows);
	return o;
}

/* TAXONOMY "origin_by": which evidence decided the origin. */
static const char *origin_by(const struct verdict *v)
{
	if (v->revised.kind == REVISED_SENDER_WENT_ON_CONFIRMS ||
	    v->revised.kind == REVISED_SENDER_WENT_ON_FORGED)
		return "went_on";
	switch ((enum origin_basis)v->origin_basis) {
	case ORIGIN_BY_TTL_MATCH:
	case ORIGIN_BY_TTL_STEP:
		return "ttl";
	case ORIGIN_BY_TIMING:
		return "timing";
	case ORIGIN_BY_HOST_MATCH:
	case ORIGIN_BY_HOST_STEP:
	case ORIGIN_BY_HOST_STACK:
		return "host_profile";
	case ORIGIN_BY_PAYLOAD:
		return "payload";
	case ORIGIN_BY_NOTHING:
		break;
	}
	return "none";
}

/* What the host table knew of the sender's address: null when nothing. */
static void add_sender_host(cJSON *o, const struct host_profile *h)
{
	if (h->n_ttl == 0) {
		cJSON_AddNullToObject(o, "sender_host");
		return;
	}
	cJSON *s = cJSON_AddObjectToObject(o, "sender_host");
	add_uint(s, "connections", h->connections);
	cJSON *ttls = cJSON_AddArrayToObject(s, "ttls");
	bool one_init = true;
	for (int k = 0; k < h->n_ttl; k++) {
		cJSON_AddItemToArray(ttls, cJSON_CreateNumber(h->ttl[k]));
		one_init = one_init && host_initial_ttl(h->ttl[k]) == host_initial_ttl(h->ttl[0]);
	}
	if (one_init)
		add_uint(s, "initial_ttl", host_initial_ttl(h->ttl[0]));
	else
		cJSON_AddNullToObject(s, "initial_ttl");
	add_string_or_null(s, "stack", host_stack_name((enum host_stack)h->stack));
	add_string_or_null(s, "ip_id", host_ip_id_name(host_ip_ids(h)));
}

/* TAXONOMY "rst_payload": the reason the RST's own data gives; null none. */
static void add_rst_payload(cJSON *o, const struct rst_payload *d)
{
	if (d->format == RST_PAYLOAD_NONE) {
		cJSON_AddNullToObject(o, "rst_payload");
		return;
	}
	cJSON *x = cJSON_AddObjectToObject(o, "rst_payload");
	cJSON_AddStringToObject(x, "format", rst_payload_format_name(d->format));
	if (d->format == RST_PAYLOAD_DIAG_COMPACT) {
		add_uint(x, "code", d->code);
		add_uint(x, "enterprise", d->enterprise);
		add_string_or_null(x, "cause", d->enterprise ? NULL : rst_payload_cause_name(d->code));
	} else {
		cJSON_AddNullToObject(x, "code");
		cJSON_AddNullToObject(x, "enterprise");
		cJSON_AddNullToObject(x, "cause");
	}
	add_string_or_null(x, "text", d->text[0] ? d->text : NULL);
}

static const char *tls_stage_name(uint8_t s)
{
	static const char *const names[] = {
		[TLS_STAGE_NONE] = NULL, [TLS_STAGE_CLIENT_HELLO] = "client-hello",
		[TLS_STAGE_SERVER_HELLO] = "server-hello", [TLS_STAGE_ESTABLISHED] = "established",
	};
	return s < sizeof names / sizeof names[0] ? names[s] : NULL;
}

static const char *tls_alpn_name(uint8_t a)
{
	static const char *const names[] = {
		[TLS_ALPN_NONE] = NULL, [TLS_ALPN_H2] = "h2", [TLS_ALPN_HTTP11] = "http/1.1",
		[TLS_ALPN_OTHER] = "other",
	};
	return a < sizeof names / sizeof names[0] ? names[a] : NULL;
}

/* TAXONOMY "tls": what the connection showed in clear; null without a ClientHello. */
static void add_tls(cJSON *o, const struct verdict *v)
{
	const struct tls_note *t = &v->tls;
	if (t->stage == TLS_STAGE_NONE) {
		cJSON_AddNullToObject(o, "tls");
		return;
	}
	cJSON *x = cJSON_AddObjectToObject(o, "tls");
	add_string_or_null(x, "sni", v->request.target[0] ? v->request.target : NULL);
	cJSON *alpn = cJSON_AddArrayToObject(x, "alpn");
	if (tls_alpn_name(t->alpn))
		cJSON_AddItemToArray(alpn, cJSON_CreateString(tls_alpn_name(t->alpn)));
	cJSON_AddBoolToObject(x, "alpn_chosen", t->alpn_chosen);
	add_string_or_null(x, "version", tls_version_name(tls_note_version(t->version)));
	add_string_or_null(x, "offered", tls_version_name(tls_note_version(t->offered)));
	cJSON_AddStringToObject(x, "stage", tls_stage_name(t->stage));
	if (t->alert == TLS_ALERT_ENCRYPTED)
		cJSON_AddStringToObject(x, "alert", "encrypted");
	else
		add_string_or_null(x, "alert", t->alert ? tls_alert_name((uint8_t)(t->alert - 1)) : NULL);
	if (t->alert_from)
		cJSON_AddStringToObject(x, "alert_from", role_name((enum role)(t->alert_from - 1)));
	else
		cJSON_AddNullToObject(x, "alert_from");
	if (v->request.frame && v->request.method == HTTP_METHOD_TLS_RECORD)
		add_uint(x, "record_len", v->request.body_end - v->request.seq);
	else
		cJSON_AddNullToObject(x, "record_len");
}

static void json_reset(struct reporter *r, const struct verdict *v, const struct report_source *src)
{
	char buf[64];
	struct explanation e;
	explain_verdict(v, &e);
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "type", "reset");
	cJSON_AddStringToObject(o, "file", src->name);
	if (src->interface[0])
		cJSON_AddStringToObject(o, "interface", src->interface);
	else
		cJSON_AddNullToObject(o, "interface");
	add_uint(o, "frame", v->rst.frame);
	add_seconds(o, "ts", v->rst.ts_ns, r->nano);
	add_seconds(o, "rel", v->rst.ts_ns - src->first_ts, r->nano);
	report_addr(buf, sizeof buf, v->ipver, v->src);
	cJSON_AddStringToObject(o, "src", buf);
	add_uint(o, "sport", v->sport);
	report_addr(buf, sizeof buf, v->ipver, v->dst);
	cJSON_AddStringToObject(o, "dst", buf);
	add_uint(o, "dport", v->dport);
	add_uint(o, "ip_version", v->ipver);
	add_tunnel(o, tunnel_table_get(src->tunnels, v->tunnel_path));
	report_flags(buf, sizeof buf, v->rst.flags);
	cJSON_AddStringToObject(o, "flags", buf);
	add_uint(o, "seq", v->rst.seq);
	add_uint(o, "ack", v->rst.ack);
	add_uint(o, "ttl", v->rst.ttl);
	if (v->ipver == 4)
		add_uint(o, "ip_id", v->ip_id);
	add_uint(o, "payload_len", v->rst.len);

	cJSON_AddStringToObject(o, "sender", role_name(v->sender));
	cJSON_AddBoolToObject(o, "role_guessed", v->role_guessed);
	cJSON_AddStringToObject(o, "origin", origin_name(v->origin));
	cJSON_AddStringToObject(o, "origin_evidence", e.origin);
	cJSON_AddStringToObject(o, "origin_by", origin_by(v));
	add_string_or_null(o, "service", e.service);
	add_rst_payload(o, &v->rst_data);
	if (r->kernel_reasons) {
		add_string_or_null(o, "kernel_reason", kernel_reason_name(v->kernel_reason));
		add_string_or_null(o, "kernel_state", kernel_state_name(v->kernel_state));
	}
	add_sender_host(o, &v->host);
	if (v->mptcp) {
		cJSON *m = cJSON_AddObjectToObject(o, "mptcp");
		/* The option that ended the most: MP_FASTCLOSE ends the connection. */
		cJSON_AddStringToObject(m, "option", (v->mptcp & MPTCP_FASTCLOSE) ? "MP_FASTCLOSE"
										  : "MP_TCPRST");
		if (v->mptcp & MPTCP_TCPRST) {
			add_string_or_null(m, "reason", mptcp_reason_name(v->mptcp_reason));
			add_uint(m, "reason_code", v->mptcp_reason);
			cJSON_AddBoolToObject(m, "transient", v->mptcp_transient);
		}
	} else {
		cJSON_AddNullToObject(o, "mptcp");
	}
	cJSON_AddStringToObject(o, "form", rst_form_name(v->form));
	cJSON_AddStringToObject(o, "cause", cause_id(v->cause));
	if (v->detail)
		cJSON_AddStringToObject(o, "detail", detail_id(v->detail));
	else
		cJSON_AddNullToObject(o, "detail");
	cJSON_AddStringToObject(o, "confidence", confidence_name(v->confidence));
	/* TAXONOMY "alternatives": the runner-up a medium verdict did not rule out. */
	cJSON *alts = cJSON_AddArrayToObject(o, "alternatives");
	if (v->runner_up < CAUSE_COUNT && e.runner_up[0]) {
		cJSON *alt = cJSON_CreateObject();
		cJSON_AddStringToObject(alt, "cause", cause_id(v->runner_up));
		cJSON_AddStringToObject(alt, "why", e.runner_up);
		cJSON_AddItemToArray(alts, alt);
	}
	if (v->trigger.frame)
		add_uint(o, "trigger_frame", v->trigger.frame);
	else
		cJSON_AddNullToObject(o, "trigger_frame");
	if (v->followup_of)
		add_uint(o, "followup_of", v->followup_of);
	else
		cJSON_AddNullToObject(o, "followup_of");
	if (v->rtt_ns >= 0)
		add_seconds(o, "rtt_s", v->rtt_ns, r->nano);
	else
		cJSON_AddNullToObject(o, "rtt_s");
	if (v->idle_before_ns >= 0)
		add_seconds(o, "idle_before_s", v->idle_before_ns, r->nano);
	else
		cJSON_AddNullToObject(o, "idle_before_s");

	add_seconds(o, "max_gap_s", v->max_gap_ns, r->nano);
	if (v->trigger_gap_ns >= 0)
		add_seconds(o, "trigger_gap_s", v->trigger_gap_ns, r->nano);
	else
		cJSON_AddNullToObject(o, "trigger_gap_s");
	if (v->request.frame) {
		cJSON *rq = cJSON_AddObjectToObject(o, "request");
		bool tls = v->request.method == HTTP_METHOD_TLS_RECORD;
		add_uint(rq, "frame", v->request.frame);
		add_string_or_null(rq, "method", http_method_name(v->request.method));
		add_string_or_null(rq, "target", tls ? NULL : v->request.target);
		cJSON_AddStringToObject(rq, "reached_peer", reached_peer_name(v->reached_peer));
		cJSON_AddBoolToObject(rq, "retry_safe", v->retry_safe);
		add_string_or_null(rq, "connection", http_connection_name(v->request.connection));
		if (v->body_due && !v->request_from_sender)
			add_uint(rq, "body_due", v->body_due);
		else
			cJSON_AddNullToObject(rq, "body_due");
	} else {
		cJSON_AddNullToObject(o, "request");
	}
	if (v->response.status) {
		cJSON *rs = cJSON_AddObjectToObject(o, "response");
		add_uint(rs, "status", v->response.status);
		cJSON_AddStringToObject(rs, "sender", role_name(v->response_sender));
		add_string_or_null(rs, "connection", http_connection_name(v->response.connection));
		if (v->response.keepalive_s)
			add_uint(rs, "keepalive_timeout_s", v->response.keepalive_s);
		else
			cJSON_AddNullToObject(rs, "keepalive_timeout_s");
	} else {
		cJSON_AddNullToObject(o, "response");
	}
	add_tls(o, v);
	cJSON_AddStringToObject(o, "handshake", handshake_name(v));
	add_uint(o, "incarnation", v->incarnation);
	cJSON *before = cJSON_AddObjectToObject(o, "before");
	const char *a_key = role_word(v->sender, "sender");
	const char *b_key = role_word(role_peer(v->sender), "peer");
	cJSON_AddItemToObject(before, a_key, half_json(&v->a));
	cJSON_AddItemToObject(before, b_key, half_json(&v->b));

	cJSON *ev = cJSON_AddArrayToObject(o, "evidence");
	for (int i = 0; i < e.n_evidence; i++) {
		cJSON *item = cJSON_CreateObject();
		add_uint(item, "frame", e.evidence[i].frame);
		add_seconds(item, "rel", e.evidence[i].ts_ns - src->first_ts, r->nano);
		cJSON_AddStringToObject(item, "what", e.what[i]);
		cJSON_AddItemToArray(ev, item);
	}
	cJSON_AddStringToObject(o, "explanation", e.why);
	cJSON_AddStringToObject(o, "advice", e.advice);
	emit(r, o);
}

static void add_match(void *ctx, const struct idle_default *d)
{
	cJSON_AddItemToArray(ctx, cJSON_CreateString(d->name));
}

/* "<prefix>_s", "<prefix>_seen", "<prefix>_consistent", "<matches>". */
static void add_idle(cJSON *o, const char *prefix, const char *matches,
		     const struct idle_samples *is, enum idle_closer closer,
		     const struct service *svc, bool nano)
{
	char name[48];
	int64_t median;
	bool consistent;
	bool have = idle_samples_median(is, &median, &consistent);
	snprintf(name, sizeof name, "%s_s", prefix);
	if (have)
		add_seconds(o, name, median, nano);
	else
		cJSON_AddNullToObject(o, name);
	snprintf(name, sizeof name, "%s_seen", prefix);
	add_uint(o, name, is->seen);
	snprintf(name, sizeof name, "%s_consistent", prefix);
	cJSON_AddBoolToObject(o, name, have && consistent);
	cJSON *m = cJSON_AddArrayToObject(o, matches);
	if (have && consistent)
		idle_defaults_match(closer, svc, median, add_match, m);
}

static cJSON *endpoint_json(const struct server_insight *ep, bool nano)
{
	char buf[64];
	const struct service *svc = service_for(ep->port, ep->http, ep->app);
	cJSON *o = cJSON_CreateObject();
	report_endpoint(buf, sizeof buf, ep->ipver, ep->addr, ep->port);
	cJSON_AddStringToObject(o, "endpoint", buf);
	add_string_or_null(o, "service", svc->name);
	add_string_or_null(o, "sni", ep->names ? ep->name : NULL);
	cJSON_AddBoolToObject(o, "sni_several", ep->names > 1);
	add_uint(o, "resets", ep->resets);
	cJSON *bc = cJSON_AddObjectToObject(o, "by_cause");
	for (int c = 0; c < CAUSE_COUNT; c++)
		if (ep->by_cause[c])
			add_uint(bc, cause_id((enum cause)c), ep->by_cause[c]);
	add_idle(o, "idle_close", "matches", &ep->idle_close, IDLE_SERVER, svc, nano);
	if (ep->keepalive_header_s)
		add_uint(o, "keepalive_header_s", ep->keepalive_header_s);
	else
		cJSON_AddNullToObject(o, "keepalive_header_s");
	add_uint(o, "requests_after_close", ep->requests_after_close);
	add_idle(o, "middlebox_idle", "middlebox_matches", &ep->middlebox_idle, IDLE_MIDDLEBOX,
		 svc, nano);
	return o;
}

static void json_summary(struct reporter *r, const struct stats *s, const struct server_insights *eps)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "type", "summary");
	add_uint(o, "packets", s->packets);
	add_uint(o, "filtered_out", s->filtered_out);
	add_uint(o, "tcp_packets", s->tcp_packets);
	add_uint(o, "flows", s->flows);
	add_uint(o, "flows_peak", s->flows_peak);
	add_uint(o, "flows_evicted", s->flows_evicted);
	add_uint(o, "resets", s->resets);
	if (r->kernel_reasons) {
		/* Per cause: joined to the kernel's reason, and fitting it. */
		cJSON *k = cJSON_AddObjectToObject(o, "kernel_reasons");
		uint64_t joined = 0, fits = 0;
		cJSON *per = cJSON_CreateObject();
		for (int c = 0; c < CAUSE_COUNT; c++) {
			if (!s->kernel_joined[c])
				continue;
			joined += s->kernel_joined[c];
			fits += s->kernel_fits[c];
			cJSON *one = cJSON_AddObjectToObject(per, cause_id((enum cause)c));
			add_uint(one, "joined", s->kernel_joined[c]);
			add_uint(one, "fits", s->kernel_fits[c]);
		}
		add_uint(k, "joined", joined);
		add_uint(k, "fits", fits);
		cJSON_AddItemToObject(k, "by_cause", per);
	}
	cJSON *bc = cJSON_AddObjectToObject(o, "by_cause");
	for (int c = 0; c < CAUSE_COUNT; c++)
		if (s->by_cause[c])
			add_uint(bc, cause_id((enum cause)c), s->by_cause[c]);
	cJSON *sk = cJSON_AddObjectToObject(o, "skipped");
	for (int d = DECODE_OK + 1; d < DECODE_RESULT_COUNT; d++)
		add_uint(sk, decode_result_name((enum decode_result)d), s->skipped[d]);
	add_uint(o, "payload_truncated", s->payload_truncated);
	add_uint(o, "tls_hellos_joined", s->tls_hellos_joined);
	add_uint(o, "tls_hellos_cut", s->tls_hellos_cut);
	add_uint(o, "duplicates", s->duplicates);
	if (s->packets) {
		add_seconds(o, "first_ts", s->first_ts, r->nano);
		add_seconds(o, "last_ts", s->last_ts, r->nano);
	} else {
		cJSON_AddNullToObject(o, "first_ts");
		cJSON_AddNullToObject(o, "last_ts");
	}
	char evidence[256];
	stats_capture_point_evidence(&s->handshakes, evidence, sizeof evidence);
	cJSON_AddStringToObject(o, "capture_point",
				capture_point_name(stats_capture_point(&s->handshakes)));
	cJSON_AddStringToObject(o, "capture_point_evidence", evidence);
	if (s->live) {
		cJSON *cap = cJSON_AddObjectToObject(o, "capture");
		add_uint(cap, "received", s->live_received);
		add_uint(cap, "dropped", s->live_dropped);
		add_uint(cap, "if_dropped", s->live_if_dropped);
	}
	cJSON *epl = cJSON_AddArrayToObject(o, "endpoints");
	for (uint32_t i = 0; i < eps->n; i++)
		cJSON_AddItemToArray(epl, endpoint_json(&eps->list[i], r->nano));
	cJSON *w = cJSON_AddArrayToObject(o, "warnings");
	for (int i = 0; i < WARN_COUNT; i++) {
		if (!s->warn_count[i])
			continue;
		cJSON *e = cJSON_CreateObject();
		cJSON_AddStringToObject(e, "name", warning_name((enum warning)i));
		add_uint(e, "count", s->warn_count[i]);
		cJSON_AddStringToObject(e, "message", s->warn_msg[i]);
		cJSON_AddItemToArray(w, e);
	}
	emit(r, o);
}

static void json_free(struct reporter *r)
{
	struct json_out *jo = r->priv;
	free(jo->buf);
	free(jo);
	r->priv = NULL;
	arena_release();
}

void report_json_init(struct reporter *r, FILE *out, bool nano)
{
	memset(r, 0, sizeof *r);
	r->out = out;
	r->nano = nano;
	r->reset = json_reset;
	r->summary = json_summary;
	r->free = json_free;
	static cJSON_Hooks hooks = { .malloc_fn = arena_alloc, .free_fn = arena_free };
	cJSON_InitHooks(&hooks);
	struct json_out *jo = xmalloc(sizeof *jo);
	jo->cap = JSON_OUT_START;
	jo->buf = xmalloc(jo->cap);
	r->priv = jo;
}
