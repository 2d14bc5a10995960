/*
 * report_json: JSON Lines, one object per RST then one summary, in the
 * schema of ../shared/TAXONOMY.md (field names are a contract: add, never
 * rename). Times are written as exact decimal text, not through a double,
 * so a nanosecond capture keeps its digits.
 */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "idle_defaults.h"
#include "report.h"

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
	char *s = cJSON_PrintUnformatted(root);
	if (s) {
		fputs(s, r->out);
		fputc('\n', r->out);
		cJSON_free(s);
	}
	cJSON_Delete(root);
	if (r->flush_each)
		fflush(r->out);
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

static cJSON *half_json(const struct tcp_half *h)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "state", half_state_name((enum half_state)h->state));
	cJSON_AddNumberToObject(o, "packets", (double)h->pkts);
	cJSON_AddNumberToObject(o, "bytes", (double)h->bytes);
	if (h->flags & HALF_F_SEEN) {
		cJSON_AddNumberToObject(o, "next_seq", h->next_seq);
		cJSON_AddNumberToObject(o, "next_seq_rel", (double)(uint32_t)(h->next_seq - h->base_seq));
		if (h->flags & HALF_F_ACK)
			cJSON_AddNumberToObject(o, "ack", h->ack);
		cJSON *ttl = cJSON_AddArrayToObject(o, "ttl_range");
		cJSON_AddItemToArray(ttl, cJSON_CreateNumber(h->ttl_min));
		cJSON_AddItemToArray(ttl, cJSON_CreateNumber(h->ttl_max));
	}
	if (h->flags & HALF_F_FIN)
		cJSON_AddNumberToObject(o, "fin_frame", (double)h->fin_frame);
	if (h->rst_frame)
		cJSON_AddNumberToObject(o, "rst_frame", (double)h->rst_frame);
	cJSON_AddNumberToObject(o, "retransmissions", h->retrans);
	cJSON_AddNumberToObject(o, "keepalives", h->keepalives);
	cJSON_AddNumberToObject(o, "zero_windows", h->zero_windows);
	return o;
}

static void json_reset(struct reporter *r, const struct verdict *v, const struct report_source *src)
{
	char buf[64];
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "type", "reset");
	cJSON_AddStringToObject(o, "file", src->name);
	cJSON_AddNumberToObject(o, "frame", (double)v->rst.frame);
	add_seconds(o, "ts", v->rst.ts_ns, r->nano);
	add_seconds(o, "rel", v->rst.ts_ns - src->first_ts, r->nano);
	report_addr(buf, sizeof buf, v->ipver, v->src);
	cJSON_AddStringToObject(o, "src", buf);
	cJSON_AddNumberToObject(o, "sport", v->sport);
	report_addr(buf, sizeof buf, v->ipver, v->dst);
	cJSON_AddStringToObject(o, "dst", buf);
	cJSON_AddNumberToObject(o, "dport", v->dport);
	cJSON_AddNumberToObject(o, "ip_version", v->ipver);
	report_flags(buf, sizeof buf, v->rst.flags);
	cJSON_AddStringToObject(o, "flags", buf);
	cJSON_AddNumberToObject(o, "seq", v->rst.seq);
	cJSON_AddNumberToObject(o, "ack", v->rst.ack);
	cJSON_AddNumberToObject(o, "ttl", v->rst.ttl);
	if (v->ipver == 4)
		cJSON_AddNumberToObject(o, "ip_id", v->ip_id);
	cJSON_AddNumberToObject(o, "payload_len", v->rst.len);

	cJSON_AddStringToObject(o, "sender", role_name(v->sender));
	cJSON_AddBoolToObject(o, "role_guessed", v->role_guessed);
	cJSON_AddStringToObject(o, "origin", origin_name(v->origin));
	cJSON_AddStringToObject(o, "origin_evidence", v->origin_evidence);
	cJSON_AddStringToObject(o, "form", rst_form_name(v->form));
	cJSON_AddStringToObject(o, "cause", cause_id(v->cause));
	if (v->detail)
		cJSON_AddStringToObject(o, "detail", v->detail);
	else
		cJSON_AddNullToObject(o, "detail");
	cJSON_AddStringToObject(o, "confidence", confidence_name(v->confidence));
	if (v->trigger.frame)
		cJSON_AddNumberToObject(o, "trigger_frame", (double)v->trigger.frame);
	else
		cJSON_AddNullToObject(o, "trigger_frame");
	if (v->followup_of)
		cJSON_AddNumberToObject(o, "followup_of", (double)v->followup_of);
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
		cJSON_AddNumberToObject(rq, "frame", (double)v->request.frame);
		cJSON_AddStringToObject(rq, "method", http_method_name(v->request.method));
		cJSON_AddStringToObject(rq, "target", v->request.target);
		cJSON_AddStringToObject(rq, "reached_peer", v->reached_peer);
		cJSON_AddBoolToObject(rq, "retry_safe", v->retry_safe);
		add_string_or_null(rq, "connection", http_connection_name(v->request.connection));
	} else {
		cJSON_AddNullToObject(o, "request");
	}
	if (v->response.status) {
		cJSON *rs = cJSON_AddObjectToObject(o, "response");
		cJSON_AddNumberToObject(rs, "status", v->response.status);
		cJSON_AddStringToObject(rs, "sender", role_name(v->response_sender));
		add_string_or_null(rs, "connection", http_connection_name(v->response.connection));
		if (v->response.keepalive_s)
			cJSON_AddNumberToObject(rs, "keepalive_timeout_s", v->response.keepalive_s);
		else
			cJSON_AddNullToObject(rs, "keepalive_timeout_s");
	} else {
		cJSON_AddNullToObject(o, "response");
	}
	cJSON_AddStringToObject(o, "handshake", handshake_name(v));
	cJSON_AddNumberToObject(o, "incarnation", v->incarnation);
	cJSON *before = cJSON_AddObjectToObject(o, "before");
	const char *a_key = role_word(v->sender, "sender");
	const char *b_key = role_word(role_peer(v->sender), "peer");
	cJSON_AddItemToObject(before, a_key, half_json(&v->a));
	cJSON_AddItemToObject(before, b_key, half_json(&v->b));

	cJSON *ev = cJSON_AddArrayToObject(o, "evidence");
	for (int i = 0; i < v->n_evidence; i++) {
		cJSON *e = cJSON_CreateObject();
		cJSON_AddNumberToObject(e, "frame", (double)v->evidence[i].frame);
		add_seconds(e, "rel", v->evidence[i].ts_ns - src->first_ts, r->nano);
		cJSON_AddStringToObject(e, "what", v->evidence[i].what);
		cJSON_AddItemToArray(ev, e);
	}
	cJSON_AddStringToObject(o, "explanation", v->explanation);
	cJSON_AddStringToObject(o, "advice", v->advice);
	emit(r, o);
}

static void add_match(void *ctx, const struct idle_default *d)
{
	cJSON_AddItemToArray(ctx, cJSON_CreateString(d->name));
}

/* "<prefix>_s", "<prefix>_seen", "<prefix>_consistent", "<matches>". */
static void add_idle(cJSON *o, const char *prefix, const char *matches,
		     const struct idle_samples *is, enum idle_closer closer, bool nano)
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
	cJSON_AddNumberToObject(o, name, (double)is->seen);
	snprintf(name, sizeof name, "%s_consistent", prefix);
	cJSON_AddBoolToObject(o, name, have && consistent);
	cJSON *m = cJSON_AddArrayToObject(o, matches);
	if (have && consistent)
		idle_defaults_match(closer, median, add_match, m);
}

static cJSON *endpoint_json(const struct endpoint *ep, bool nano)
{
	char buf[64];
	cJSON *o = cJSON_CreateObject();
	report_endpoint(buf, sizeof buf, ep->ipver, ep->addr, ep->port);
	cJSON_AddStringToObject(o, "endpoint", buf);
	cJSON_AddNumberToObject(o, "resets", (double)ep->resets);
	cJSON *bc = cJSON_AddObjectToObject(o, "by_cause");
	for (int c = 0; c < CAUSE_COUNT; c++)
		if (ep->by_cause[c])
			cJSON_AddNumberToObject(bc, cause_id((enum cause)c), (double)ep->by_cause[c]);
	add_idle(o, "idle_close", "matches", &ep->idle_close, IDLE_SERVER, nano);
	if (ep->keepalive_header_s)
		cJSON_AddNumberToObject(o, "keepalive_header_s", ep->keepalive_header_s);
	else
		cJSON_AddNullToObject(o, "keepalive_header_s");
	cJSON_AddNumberToObject(o, "requests_after_close", (double)ep->requests_after_close);
	add_idle(o, "middlebox_idle", "middlebox_matches", &ep->middlebox_idle, IDLE_MIDDLEBOX,
		 nano);
	return o;
}

static void json_summary(struct reporter *r, const struct stats *s, const struct endpoints *eps)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "type", "summary");
	cJSON_AddNumberToObject(o, "packets", (double)s->packets);
	cJSON_AddNumberToObject(o, "filtered_out", (double)s->filtered_out);
	cJSON_AddNumberToObject(o, "tcp_packets", (double)s->tcp_packets);
	cJSON_AddNumberToObject(o, "flows", (double)s->flows);
	cJSON_AddNumberToObject(o, "flows_peak", (double)s->flows_peak);
	cJSON_AddNumberToObject(o, "flows_evicted", (double)s->flows_evicted);
	cJSON_AddNumberToObject(o, "resets", (double)s->resets);
	cJSON *bc = cJSON_AddObjectToObject(o, "by_cause");
	for (int c = 0; c < CAUSE_COUNT; c++)
		if (s->by_cause[c])
			cJSON_AddNumberToObject(bc, cause_id((enum cause)c), (double)s->by_cause[c]);
	cJSON *sk = cJSON_AddObjectToObject(o, "skipped");
	for (int d = DECODE_OK + 1; d < DECODE_RESULT_COUNT; d++)
		cJSON_AddNumberToObject(sk, decode_result_name((enum decode_result)d),
					(double)s->skipped[d]);
	cJSON_AddNumberToObject(o, "payload_truncated", (double)s->payload_truncated);
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
		cJSON_AddNumberToObject(cap, "received", (double)s->live_received);
		cJSON_AddNumberToObject(cap, "dropped", (double)s->live_dropped);
		cJSON_AddNumberToObject(cap, "if_dropped", (double)s->live_if_dropped);
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
		cJSON_AddNumberToObject(e, "count", (double)s->warn_count[i]);
		cJSON_AddStringToObject(e, "message", s->warn_msg[i]);
		cJSON_AddItemToArray(w, e);
	}
	emit(r, o);
}

void report_json_init(struct reporter *r, FILE *out, bool nano)
{
	memset(r, 0, sizeof *r);
	r->out = out;
	r->nano = nano;
	r->reset = json_reset;
	r->summary = json_summary;
}
