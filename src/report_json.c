/*
 * report_json: JSON Lines, one object per RST then one summary, in the
 * schema of ../shared/TAXONOMY.md (field names are a contract: add, never
 * rename). Times and counts are written as exact decimal text, not
 * through a double, so a nanosecond capture and a 64-bit count keep their
 * digits (and cJSON's double printing, a sprintf and a parse back per
 * number, was most of the cost of a record).
 *
 * A reset's record is streamed by json_write, with no tree: a scan writes
 * one per SYN. Instructions a record (callgrind, 100k closed-port records
 * of bench/gencap -f scan): a cJSON tree with malloc'd nodes 131k; the
 * same tree bump-allocated from an arena 98k; streamed, 12k; with the
 * names quoted once (below) and the words' formats copied 16 bytes at a
 * time (text_format.c), 9.6k, 2.9k of it the words (explain_verdict). The
 * summary is streamed the same way:
 * as a cJSON tree, its 4096 endpoints cost 44k instructions each, 180M
 * at the end of a scan's 100k records. json_write's strings are escaped
 * as cJSON escapes them (tests/test_formatting.c holds the two together),
 * and cJSON reads these lines back (--merge, --from-json).
 */
#include <arpa/inet.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "explain.h"
#include "first_bytes.h"
#include "idle_defaults.h"
#include "json_write.h"
#include "kernel_reasons.h"
#include "report.h"
#include "service.h"
#include "tunnel_table.h"
#include "xalloc.h"

/*
 * The names a record writes every time, quoted once for the run
 * (json_quote): both threads that make records (report_async.c) read
 * them, and nothing writes them after quote_names.
 */
#define ROLES 3             /* enum role + 1: unknown, client, server */
#define CONFIDENCES (CONF_HIGH + 1)
#define ORIGINS (ORIGIN_MIDDLEBOX + 1)
#define FORMS (FORM_ACTIVE + 1)
static struct {
	struct json_key cause[CAUSE_COUNT], detail[DETAIL_COUNT], confidence[CONFIDENCES],
		origin[ORIGINS], form[FORMS], role[ROLES], state[HALF_STATE_COUNT], flags[256];
	/* Each name's text: 32 bytes at most (the longest, a cause id or
	 * eight flags, is 31), quoted, and the pad. */
	char text[(CAUSE_COUNT + DETAIL_COUNT + CONFIDENCES + ORIGINS + FORMS + ROLES +
		   HALF_STATE_COUNT + 256) * (6 * 32 + 2 + 16)];
	size_t used;
} quoted;
static pthread_once_t quoted_once = PTHREAD_ONCE_INIT;

static struct json_key quote_name(const char *name)
{
	if (name && sizeof quoted.text - quoted.used < 6 * strlen(name) + 2 + 16)
		abort();    /* a name longer than the table was made for */
	struct json_key k = json_quote(quoted.text + quoted.used, name);
	quoted.used += k.len + 16;
	return k;
}

static void quote_names(void)
{
	char flags[32];
	for (int i = 0; i < CAUSE_COUNT; i++)
		quoted.cause[i] = quote_name(cause_id((enum cause)i));
	for (int i = 0; i < DETAIL_COUNT; i++)
		quoted.detail[i] = quote_name(detail_id((enum detail)i));
	for (int i = 0; i < CONFIDENCES; i++)
		quoted.confidence[i] = quote_name(confidence_name((enum confidence)i));
	for (int i = 0; i < ORIGINS; i++)
		quoted.origin[i] = quote_name(origin_name((enum origin)i));
	for (int i = 0; i < FORMS; i++)
		quoted.form[i] = quote_name(rst_form_name((enum rst_form)i));
	for (int i = 0; i < ROLES; i++)
		quoted.role[i] = quote_name(role_name((enum role)(i - 1)));
	for (int i = 0; i < HALF_STATE_COUNT; i++)
		quoted.state[i] = quote_name(half_state_name((enum half_state)i));
	for (int i = 0; i < 256; i++) {
		report_flags(flags, sizeof flags, (uint8_t)i);
		quoted.flags[i] = quote_name(flags);
	}
}

/* t[i] of a table of n, or null past its end (a value no enum holds). */
static struct json_key name_at(const struct json_key *t, size_t n, unsigned i)
{
	return i < n ? t[i] : JSON_NULL;
}
#define NAME(table, i) name_at(quoted.table, sizeof quoted.table / sizeof quoted.table[0], (i))

/* A count under a name known at run time (a cause, a decode result). */
static void put_named_uint(struct json_out *o, const char *name, uint64_t v)
{
	char key[64 + JSON_KEY_ROOM];
	json_uint_k(o, json_key_of(key, name), v);
}

/*
 * The reporter's own: its lines not yet written. Records are rendered one
 * after another into `lines` and written when it holds HOLD_BYTES, at the
 * summary, or at each record where a reader waits for it (live mode, a
 * terminal): an fwrite a record, stdio's copy and lock, cost about 330
 * instructions a record (callgrind, 100k scan records).
 */
struct json_reporter {
	struct json_writer lines;
	bool hold;          /* records may wait in lines */
};
#define HOLD_BYTES (64 * 1024)

static void write_held(struct reporter *r, struct json_reporter *j)
{
	if (j->lines.len)
		fwrite(j->lines.buf, 1, j->lines.len, r->out);
	json_writer_reset(&j->lines);
	if (r->flush_each)
		fflush(r->out);
}

/* The text at the end of j's lines made a line, written now or held. */
static void end_line(struct reporter *r, struct json_reporter *j)
{
	if (j->lines.cap - j->lines.len < 1)
		json_grow(&j->lines, 1);
	j->lines.buf[j->lines.len++] = '\n';
	if (!j->hold || r->flush_each || j->lines.len >= HOLD_BYTES)
		write_held(r, j);
}

/* A record's line made by another thread (struct reporter's render), in
 * its place among the held ones. */
static void write_rendered(struct reporter *r, struct json_writer *line)
{
	struct json_reporter *j = r->priv;
	if (j->lines.cap - j->lines.len < line->len)
		json_grow(&j->lines, line->len);
	memcpy(j->lines.buf + j->lines.len, line->buf, line->len);
	j->lines.len += line->len;
	end_line(r, j);
}

/* An address, written in place: digits, dots, colons and hex letters need
 * no escaping, so it skips json_string's copy and scan. */
static void put_addr(struct json_out *o, struct json_key k, uint8_t ipver, const uint8_t *addr)
{
	char *p = json_put_key(o, k, INET6_ADDRSTRLEN + 2);
	*p++ = '"';
	p += report_addr(p, INET6_ADDRSTRLEN, ipver, addr);
	*p++ = '"';
	json_put_end(o, p);
}

/* "tunnel": {"path": "...", "layers": [{"kind", the id by its name, "src", "dst"}]} or null. */
static void put_tunnel(struct json_out *o, const struct tunnel_path *t)
{
	if (!t) {
		json_null(o, "tunnel");
		return;
	}
	char buf[256];
	json_object_begin(o, "tunnel");
	report_tunnel_path(buf, sizeof buf, t);
	json_string(o, "path", buf);
	json_array_begin(o, "layers");
	for (unsigned i = 0; i < t->n; i++) {
		const struct tunnel_layer *l = &t->layer[i];
		enum tunnel_kind k = (enum tunnel_kind)l->kind;
		json_object_begin_k(o, JSON_ELEM);
		json_string(o, "kind", tunnel_kind_name(k));
		if (l->has_id)
			json_uint_k(o, json_key_of(buf, report_tunnel_id_name(k)), l->id);
		if (l->ipver) {
			put_addr(o, JSON_KEY("src"), l->ipver, l->src);
			put_addr(o, JSON_KEY("dst"), l->ipver, l->dst);
		}
		json_object_end(o);
	}
	json_array_end(o);
	json_object_end(o);
}

static struct json_key handshake_name(const struct verdict *v)
{
	if (v->established)
		return JSON_QUOTED("complete");
	if (v->syn && v->synack)
		return JSON_QUOTED("syn+syn-ack");
	if (v->syn)
		return JSON_QUOTED("syn");
	if (v->synack)
		return JSON_QUOTED("syn-ack");
	return JSON_QUOTED("not-seen");
}

/* "before"'s key for a role: its name, or the word for an unknown one. */
static struct json_key role_key(enum role r, bool peer)
{
	if (r == ROLE_CLIENT)
		return JSON_KEY("client");
	if (r == ROLE_SERVER)
		return JSON_KEY("server");
	return peer ? JSON_KEY("peer") : JSON_KEY("sender");
}

static void put_half(struct json_out *o, struct json_key name, const struct side *h)
{
	json_object_begin_k(o, name);
	json_quoted_k(o, JSON_KEY("state"), NAME(state, h->state));
	json_uint(o, "packets", h->pkts);
	json_uint(o, "bytes", h->bytes);
	if (h->flags & HALF_F_SEEN) {
		json_uint(o, "next_seq", h->next_seq);
		json_uint(o, "next_seq_rel", (uint32_t)(h->next_seq - h->base_seq));
		if (h->flags & HALF_F_ACK)
			json_uint(o, "ack", h->ack);
		if (h->ttl_min <= h->ttl_max) {
			json_array_begin(o, "ttl_range");
			json_uint_k(o, JSON_ELEM, h->ttl_min);
			json_uint_k(o, JSON_ELEM, h->ttl_max);
			json_array_end(o);
		}
	}
	if (h->flags & HALF_F_FIN)
		json_uint(o, "fin_frame", h->fin_frame);
	if (h->rst_frame)
		json_uint(o, "rst_frame", h->rst_frame);
	json_uint(o, "retransmissions", h->retrans);
	if (h->flags & HALF_F_ISN)
		json_uint(o, "syn_retransmissions", h->syn_retrans);
	json_uint(o, "keepalives", h->keepalives);
	json_uint(o, "zero_windows", h->zero_windows);
	json_object_end(o);
}

/* TAXONOMY "origin_by": which evidence decided the origin. */
static struct json_key origin_by(const struct verdict *v)
{
	if (v->revised.kind == REVISED_SENDER_WENT_ON_CONFIRMS ||
	    v->revised.kind == REVISED_SENDER_WENT_ON_FORGED)
		return JSON_QUOTED("went_on");
	switch ((enum origin_basis)v->origin_basis) {
	case ORIGIN_BY_TTL_MATCH:
	case ORIGIN_BY_TTL_STEP:
	case ORIGIN_BY_LOCAL_RELAY:
		return JSON_QUOTED("ttl");
	case ORIGIN_BY_TIMING:
		return JSON_QUOTED("timing");
	case ORIGIN_BY_HOST_MATCH:
	case ORIGIN_BY_HOST_STEP:
	case ORIGIN_BY_HOST_STACK:
	case ORIGIN_BY_SHARED_IDS:
		return JSON_QUOTED("host_profile");
	case ORIGIN_BY_PAYLOAD:
		return JSON_QUOTED("payload");
	case ORIGIN_BY_CAPTURE_HOST:
		return JSON_QUOTED("capture_host");
	case ORIGIN_BY_RAW_SYN:
		return JSON_QUOTED("raw_syn");
	case ORIGIN_BY_NOTHING:
		break;
	}
	return JSON_QUOTED("none");
}

/* What the host table knew of the sender's address: null when nothing. */
static void put_sender_host(struct json_out *o, const struct host_profile *h)
{
	if (h->n_ttl == 0) {
		json_null(o, "sender_host");
		return;
	}
	json_object_begin(o, "sender_host");
	json_uint(o, "connections", h->connections);
	json_array_begin(o, "ttls");
	bool one_init = true;
	for (int k = 0; k < h->n_ttl; k++) {
		json_uint_k(o, JSON_ELEM, h->ttl[k]);
		one_init = one_init && host_initial_ttl(h->ttl[k]) == host_initial_ttl(h->ttl[0]);
	}
	json_array_end(o);
	if (one_init)
		json_uint(o, "initial_ttl", host_initial_ttl(h->ttl[0]));
	else
		json_null(o, "initial_ttl");
	json_string(o, "stack", host_stack_name((enum host_stack)h->stack));
	json_string(o, "ip_id", host_ip_id_name(host_ip_ids(h)));
	json_object_end(o);
}

/* TAXONOMY "rst_payload": the reason the RST's own data gives; null none. */
static void put_rst_payload(struct json_out *o, const struct rst_payload *d)
{
	if (d->format == RST_PAYLOAD_NONE) {
		json_null(o, "rst_payload");
		return;
	}
	json_object_begin(o, "rst_payload");
	json_string(o, "format", rst_payload_format_name(d->format));
	if (d->format == RST_PAYLOAD_DIAG_COMPACT) {
		json_uint(o, "code", d->code);
		json_uint(o, "enterprise", d->enterprise);
		json_string(o, "cause", d->enterprise ? NULL : rst_payload_cause_name(d->code));
	} else {
		json_null(o, "code");
		json_null(o, "enterprise");
		json_null(o, "cause");
	}
	json_string(o, "text", d->text[0] ? d->text : NULL);
	json_object_end(o);
}

static void put_uint_or_null(struct json_out *o, struct json_key k, uint64_t v)
{
	if (v)
		json_uint_k(o, k, v);
	else
		json_null_k(o, k);
}

/* "nat": the connection this one is, through a NAT (nat_twin.h); null none. */
static void put_nat(struct json_out *o, const struct verdict *v)
{
	static const char *const kinds[] = {
		[NAT_TWIN_UNTRANSLATED] = "untranslated", [NAT_TWIN_REMAPPED] = "remapped",
		[NAT_TWIN_AFTER_RESET] = "after-reset", [NAT_TWIN_MOVED] = "moved",
	};
	if (v->nat.kind == NAT_TWIN_NONE || v->nat.kind >= sizeof kinds / sizeof kinds[0]) {
		json_null(o, "nat");
		return;
	}
	json_object_begin(o, "nat");
	json_string(o, "kind", kinds[v->nat.kind]);
	put_uint_or_null(o, JSON_KEY("frame"), v->nat.frame);
	json_bool(o, "replaced", v->nat.replaced);
	put_addr(o, JSON_KEY("address"), v->ipver, v->nat.addr);
	json_uint(o, "port", v->nat.port);
	json_object_end(o);
}

/* "burst": the sender's RSTs on other connections around this one
 * (rst_bursts.h); null none. */
static void put_burst(struct json_out *o, const struct verdict *v, bool nano)
{
	if (!v->burst_connections) {
		json_null(o, "burst");
		return;
	}
	json_object_begin(o, "burst");
	json_uint(o, "connections", v->burst_connections);
	json_uint(o, "first_frame", (uint64_t)((int64_t)v->rst.frame + v->burst_first_d));
	json_uint(o, "last_frame", (uint64_t)((int64_t)v->rst.frame + v->burst_last_d));
	json_seconds(o, "span_s", (int64_t)v->burst_span_us * 1000, nano);
	json_object_end(o);
}

/* "port_accepted": a refused port's SYN-ACK on another connection, or null. */
static void put_port_accepted(struct json_out *o, const struct verdict *v)
{
	if (!v->peer_accepted.frame || !v->peer_accepted.of_sender) {
		json_null(o, "port_accepted");
		return;
	}
	json_object_begin(o, "port_accepted");
	json_uint(o, "frame", v->peer_accepted.frame);
	json_seconds(o, "after_rst_s", (int64_t)v->peer_accepted.after_rst_ms * 1000000, false);
	json_bool(o, "other_address", v->peer_accepted.elsewhere);
	json_object_end(o);
}

/* "stuck_oversize": a segment too big for some paths that never got
 * through (classify.c, note_oversize_stuck), or null. */
static void put_stuck_oversize(struct json_out *o, const struct verdict *v)
{
	if (v->stuck_side == STUCK_NONE) {
		json_null(o, "stuck_oversize");
		return;
	}
	json_object_begin(o, "stuck_oversize");
	json_bool(o, "by_sender", v->stuck_side == STUCK_SENDER);
	json_uint(o, "len", v->stuck_len);
	json_uint(o, "acked_bytes", v->stuck_acked);
	json_object_end(o);
}

/* "peer_accepted": the silent peer's SYN-ACK on another connection, or null. */
static void put_peer_accepted(struct json_out *o, const struct verdict *v)
{
	if (!v->peer_accepted.frame || v->peer_accepted.of_sender) {
		json_null(o, "peer_accepted");
		return;
	}
	json_object_begin(o, "peer_accepted");
	json_uint(o, "frame", v->peer_accepted.frame);
	json_uint(o, "port", v->peer_accepted.port);
	/* kept in milliseconds (struct verdict) */
	json_seconds(o, "after_rst_s", (int64_t)v->peer_accepted.after_rst_ms * 1000000, false);
	json_object_end(o);
}

/* "race_won": the client's other connect that completed while this
 * attempt waited (classify_revise_race), or null. */
static void put_race_won(struct json_out *o, const struct verdict *v, bool nano)
{
	if (!v->race_won.frames_before) {
		json_null(o, "race_won");
		return;
	}
	json_object_begin(o, "race_won");
	json_uint(o, "frame", v->rst.frame - v->race_won.frames_before);
	json_seconds(o, "after_syn_s", (int64_t)v->race_won.after_syn_us * 1000, nano);
	json_object_end(o);
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
static void put_tls(struct json_out *o, const struct verdict *v)
{
	const struct tls_note *t = &v->tls;
	if (t->stage == TLS_STAGE_NONE) {
		json_null(o, "tls");
		return;
	}
	json_object_begin(o, "tls");
	json_string(o, "sni", v->request.target[0] ? v->request.target : NULL);
	json_array_begin(o, "alpn");
	if (tls_alpn_name(t->alpn))
		json_string_k(o, JSON_ELEM, tls_alpn_name(t->alpn));
	json_array_end(o);
	json_bool(o, "alpn_chosen", t->alpn_chosen);
	json_string(o, "version", tls_version_name(tls_note_version(t->version)));
	json_string(o, "offered", tls_version_name(tls_note_version(t->offered)));
	json_string(o, "stage", report_tls_stage_name(t->stage));
	if (t->alert == TLS_ALERT_ENCRYPTED)
		json_string(o, "alert", "encrypted");
	else
		json_string(o, "alert", t->alert ? tls_alert_name((uint8_t)(t->alert - 1)) : NULL);
	/* The description's number in clear, also where it has no name (the
	 * text report says "unassigned"): what --from-json reads back. */
	if (t->alert && t->alert != TLS_ALERT_ENCRYPTED)
		json_uint(o, "alert_code", t->alert - 1u);
	else
		json_null(o, "alert_code");
	if (t->alert_from)
		json_string(o, "alert_from", role_name((enum role)(t->alert_from - 1)));
	else
		json_null(o, "alert_from");
	if (v->request.frame && v->request.method == HTTP_METHOD_TLS_RECORD)
		json_uint(o, "record_len", v->request.body_end - v->request.seq);
	else
		json_null(o, "record_len");
	json_object_end(o);
}

/* A time in seconds, or null when the verdict has none (negative). */
static void put_seconds_or_null(struct json_out *o, struct json_key k, int64_t ns, bool nano)
{
	if (ns >= 0)
		json_seconds_k(o, k, ns, nano);
	else
		json_null_k(o, k);
}

/* A reset's record appended to w, not yet a line (end_line): any thread
 * may make one (struct reporter's render). */
static void json_render(struct reporter *r, const struct verdict *v, const struct report_source *src,
			struct json_writer *w)
{
	struct explanation e;
	explain_verdict(v, &e);
	struct json_out out = json_out_begin(w), *o = &out;
	json_object_begin_k(o, JSON_ELEM);
	json_quoted_k(o, JSON_KEY("type"), JSON_QUOTED("reset"));
	json_string(o, "file", src->name);
	json_string(o, "interface", src->interface[0] ? src->interface : NULL);
	json_uint(o, "frame", v->rst.frame);
	json_uint(o, "file_frame", v->file_frame);
	json_seconds(o, "ts", v->rst.ts_ns, r->nano);
	json_seconds(o, "rel", v->rst.ts_ns - src->first_ts, r->nano);
	put_addr(o, JSON_KEY("src"), v->ipver, v->src);
	json_uint(o, "sport", v->sport);
	put_addr(o, JSON_KEY("dst"), v->ipver, v->dst);
	json_uint(o, "dport", v->dport);
	json_uint(o, "ip_version", v->ipver);
	put_tunnel(o, tunnel_table_get(src->tunnels, v->tunnel_path));
	json_quoted_k(o, JSON_KEY("flags"), NAME(flags, v->rst.flags));
	json_uint(o, "seq", v->rst.seq);
	json_uint(o, "ack", v->rst.ack);
	json_uint(o, "ttl", v->rst.ttl);
	if (v->ipver == 4)
		json_uint(o, "ip_id", v->ip_id);
	json_uint(o, "payload_len", v->rst.len);

	json_quoted_k(o, JSON_KEY("sender"), NAME(role, (unsigned)(v->sender + 1)));
	json_bool(o, "role_guessed", v->role_guessed);
	json_quoted_k(o, JSON_KEY("origin"), NAME(origin, v->origin));
	json_string(o, "origin_evidence", e.origin);
	json_quoted_k(o, JSON_KEY("origin_by"), origin_by(v));
	json_bool(o, "peer_relay", v->peer_relay);
	json_string(o, "service", e.service);
	put_rst_payload(o, &v->rst_data);
	json_string(o, "refusal", first_bytes_refusal_name(v->refusal));
	if (r->kernel_reasons) {
		json_string(o, "kernel_reason", kernel_reason_name(v->kernel_reason));
		json_string(o, "kernel_state", kernel_state_name(v->kernel_state));
	}
	put_sender_host(o, &v->host);
	if (v->mptcp) {
		json_object_begin(o, "mptcp");
		/* The option that ended the most: MP_FASTCLOSE ends the connection. */
		json_string(o, "option", (v->mptcp & MPTCP_FASTCLOSE) ? "MP_FASTCLOSE" : "MP_TCPRST");
		if (v->mptcp & MPTCP_TCPRST) {
			json_string(o, "reason", mptcp_reason_name(v->mptcp_reason));
			json_uint(o, "reason_code", v->mptcp_reason);
			json_bool(o, "transient", v->mptcp_transient);
		}
		json_object_end(o);
	} else {
		json_null(o, "mptcp");
	}
	put_nat(o, v);
	put_burst(o, v, r->nano);
	put_peer_accepted(o, v);
	put_port_accepted(o, v);
	put_race_won(o, v, r->nano);
	put_stuck_oversize(o, v);
	/* first_bytes.h: the service's last words before its close. */
	if (v->goodbye) {
		json_object_begin(o, "goodbye");
		json_string(o, "kind", first_bytes_goodbye_name(v->goodbye));
		json_bool(o, "by_sender", v->goodbye_by_sender);
		json_object_end(o);
	} else {
		json_null(o, "goodbye");
	}
	/* classify_revise_graceful: the sender's graceful closes elsewhere
	 * (31: 31 or more), when they decided the cause; else null. */
	put_uint_or_null(o, JSON_KEY("graceful_closes"), v->graceful_closes);
	/* classify_revise_scan: the ports the client probed (255: 255 or
	 * more), when they make the refusal a scan's; else null. */
	put_uint_or_null(o, JSON_KEY("probed_ports"), v->scan_ports);
	json_quoted_k(o, JSON_KEY("form"), NAME(form, v->form));
	json_quoted_k(o, JSON_KEY("cause"), NAME(cause, v->cause));
	json_quoted_k(o, JSON_KEY("detail"), NAME(detail, v->detail));
	json_quoted_k(o, JSON_KEY("confidence"), NAME(confidence, v->confidence));
	/* TAXONOMY "alternatives": the runner-up a medium verdict did not rule out. */
	json_array_begin(o, "alternatives");
	if (v->runner_up < CAUSE_COUNT && e.runner_up[0]) {
		json_object_begin_k(o, JSON_ELEM);
		json_string(o, "cause", cause_id(v->runner_up));
		json_string(o, "why", e.runner_up);
		json_object_end(o);
	}
	json_array_end(o);
	put_uint_or_null(o, JSON_KEY("trigger_frame"), v->trigger.frame);
	if (v->trigger.frame) {
		json_uint(o, "trigger_len", v->trigger.len);
		json_bool(o, "trigger_resent", v->trigger_resent);
		json_bool(o, "trigger_after_rst", v->trigger_after_rst);
	} else {
		json_null(o, "trigger_len");
		json_null(o, "trigger_resent");
		json_null(o, "trigger_after_rst");
	}
	put_uint_or_null(o, JSON_KEY("followup_of"), v->followup_of);
	json_string(o, "seq_at_peer", rst_take_name(v->rst_take));
	json_string(o, "followup_seq_at_peer", rst_take_name(v->first_rst_take));
	if (v->first_rst_take == RST_TAKE_BELOW || v->first_rst_take == RST_TAKE_AFTER_FIN)
		json_bool(o, "followup_taken_later", v->first_rst_taken_later);
	else
		json_null(o, "followup_taken_later");
	put_seconds_or_null(o, JSON_KEY("rtt_s"), v->rtt_ns, r->nano);
	put_seconds_or_null(o, JSON_KEY("idle_before_s"), v->idle_before_ns, r->nano);
	json_seconds(o, "max_gap_s", v->max_gap_ns, r->nano);
	put_seconds_or_null(o, JSON_KEY("trigger_gap_s"), v->trigger_gap_ns, r->nano);
	if (v->request.frame) {
		bool tls = v->request.method == HTTP_METHOD_TLS_RECORD;
		json_object_begin(o, "request");
		json_uint(o, "frame", v->request.frame);
		json_string(o, "method", http_method_name(v->request.method));
		json_string(o, "target", tls ? NULL : v->request.target);
		json_string(o, "reached_peer", reached_peer_name(v->reached_peer));
		json_bool(o, "retry_safe", v->retry_safe);
		json_string(o, "connection", http_connection_name(v->request.connection));
		put_uint_or_null(o, JSON_KEY("body_due"), v->request_from_sender ? 0 : v->body_due);
		json_object_end(o);
	} else {
		json_null(o, "request");
	}
	if (v->response.status) {
		json_object_begin(o, "response");
		json_uint(o, "status", v->response.status);
		json_string(o, "sender", role_name(v->response_sender));
		json_string(o, "connection", http_connection_name(v->response.connection));
		put_uint_or_null(o, JSON_KEY("keepalive_timeout_s"), v->response.keepalive_s);
		put_uint_or_null(o, JSON_KEY("session_timeout_s"), v->response.session_timeout_s);
		json_object_end(o);
	} else {
		json_null(o, "response");
	}
	put_tls(o, v);
	json_quoted_k(o, JSON_KEY("handshake"), handshake_name(v));
	json_uint(o, "incarnation", v->incarnation);
	json_object_begin(o, "before");
	put_half(o, role_key(v->sender, false), &v->a);
	put_half(o, role_key(role_peer(v->sender), true), &v->b);
	json_object_end(o);

	json_array_begin(o, "evidence");
	for (int i = 0; i < e.n_evidence; i++) {
		json_object_begin_k(o, JSON_ELEM);
		json_uint(o, "frame", e.evidence[i].frame);
		json_seconds(o, "rel", e.evidence[i].ts_ns - src->first_ts, r->nano);
		json_string(o, "what", e.what[i]);
		json_object_end(o);
	}
	json_array_end(o);
	json_string_n(o, "explanation", e.why, e.why_len);
	json_string_n(o, "advice", e.advice, e.advice_len);
	json_object_end(o);
	json_out_end(o);
}

static void json_reset(struct reporter *r, const struct verdict *v, const struct report_source *src)
{
	struct json_reporter *j = r->priv;
	json_render(r, v, src, &j->lines);
	end_line(r, j);
}

static void put_match(void *ctx, const struct idle_default *d)
{
	json_string_k(ctx, JSON_ELEM, d->name);
}

/* "<prefix>_s", "<prefix>_seen", "<prefix>_consistent", "<matches>". */
static void put_idle(struct json_out *o, struct json_key k_s, struct json_key k_seen,
		     struct json_key k_consistent, struct json_key k_matches,
		     const struct idle_samples *is, enum idle_closer closer,
		     const struct service *svc, bool nano)
{
	int64_t median;
	bool consistent;
	bool have = idle_samples_median(is, &median, &consistent);
	if (have)
		json_seconds_k(o, k_s, median, nano);
	else
		json_null_k(o, k_s);
	json_uint_k(o, k_seen, is->seen);
	json_bool_k(o, k_consistent, have && consistent);
	json_array_begin_k(o, k_matches);
	if (have && consistent)
		idle_defaults_match(closer, svc, median, put_match, o);
	json_array_end(o);
}

static int by_u64(const void *x, const void *y)
{
	uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
	return (a > b) - (a < b);
}

/* "<name>": [[key, ms], ...]: the kept sample (server_insights.h), by key,
 * so that the same sample is written the same whatever order it came in. */
static void put_sample(struct json_out *o, struct json_key k, const struct idle_samples *is)
{
	uint64_t pairs[SERVER_INSIGHT_SAMPLES];
	for (uint32_t i = 0; i < is->kept; i++)
		pairs[i] = (uint64_t)is->key[i] << 32 | is->ms[i];
	qsort(pairs, is->kept, sizeof pairs[0], by_u64);
	json_array_begin_k(o, k);
	for (uint32_t i = 0; i < is->kept; i++) {
		json_array_begin_k(o, JSON_ELEM);
		json_uint_k(o, JSON_ELEM, pairs[i] >> 32);
		json_uint_k(o, JSON_ELEM, (uint32_t)pairs[i]);
		json_array_end(o);
	}
	json_array_end(o);
}

static void put_endpoint(struct json_out *o, const struct server_insight *ep, bool nano)
{
	char buf[64];
	const struct service *svc = service_for(ep->port, ep->http, ep->app);
	json_object_begin_k(o, JSON_ELEM);
	report_endpoint(buf, sizeof buf, ep->ipver, ep->addr, ep->port);
	json_string(o, "endpoint", buf);
	json_string(o, "service", svc->name);
	json_string(o, "sni", ep->names ? ep->name : NULL);
	json_bool(o, "sni_several", ep->names > 1);
	json_uint(o, "resets", ep->resets);
	json_object_begin(o, "by_cause");
	for (int c = 0; c < CAUSE_COUNT; c++)
		if (ep->by_cause[c])
			put_named_uint(o, cause_id((enum cause)c), ep->by_cause[c]);
	json_object_end(o);
	put_idle(o, JSON_KEY("idle_close_s"), JSON_KEY("idle_close_seen"),
		 JSON_KEY("idle_close_consistent"), JSON_KEY("matches"), &ep->idle_close,
		 IDLE_SERVER, svc, nano);
	if (ep->keepalive_header_s)
		json_uint(o, "keepalive_header_s", ep->keepalive_header_s);
	else
		json_null(o, "keepalive_header_s");
	json_uint(o, "requests_after_close", ep->requests_after_close);
	put_idle(o, JSON_KEY("middlebox_idle_s"), JSON_KEY("middlebox_idle_seen"),
		 JSON_KEY("middlebox_idle_consistent"), JSON_KEY("middlebox_matches"),
		 &ep->middlebox_idle, IDLE_MIDDLEBOX, svc, nano);
	/* What --merge needs to combine this endpoint with another run's. */
	json_bool(o, "http_seen", ep->http);
	json_string(o, "app", first_bytes_app_name(ep->app));
	put_sample(o, JSON_KEY("idle_close_sample"), &ep->idle_close);
	put_sample(o, JSON_KEY("middlebox_idle_sample"), &ep->middlebox_idle);
	json_object_end(o);
}

static void json_summary(struct reporter *r, const struct stats *s, const struct server_insights *eps)
{
	struct json_reporter *j = r->priv;  /* after the records held */
	struct json_out out = json_out_begin(&j->lines), *o = &out;
	json_object_begin_k(o, JSON_ELEM);
	json_string(o, "type", "summary");
	if (s->shard.n) {
		json_object_begin(o, "shard");
		json_uint(o, "index", s->shard.k);
		json_uint(o, "count", s->shard.n);
		json_object_end(o);
	} else {
		json_null(o, "shard");
	}
	json_array_begin(o, "inputs");
	for (int i = 0; i < r->n_inputs; i++)
		json_string_k(o, JSON_ELEM, r->inputs[i]);
	json_array_end(o);
	json_uint(o, "packets", s->packets);
	json_uint(o, "filtered_out", s->filtered_out);
	json_uint(o, "tcp_packets", s->tcp_packets);
	json_uint(o, "flows", s->flows);
	json_uint(o, "flows_peak", s->flows_peak);
	json_uint(o, "flows_evicted", s->flows_evicted);
	json_uint(o, "resets", s->resets);
	if (r->kernel_reasons) {
		/* Per cause: joined to the kernel's reason, and fitting it. */
		uint64_t joined = 0, fits = 0;
		for (int c = 0; c < CAUSE_COUNT; c++) {
			joined += s->kernel_joined[c];
			fits += s->kernel_fits[c];
		}
		json_object_begin(o, "kernel_reasons");
		json_uint(o, "joined", joined);
		json_uint(o, "fits", fits);
		json_object_begin(o, "by_cause");
		for (int c = 0; c < CAUSE_COUNT; c++) {
			if (!s->kernel_joined[c])
				continue;
			char key[64 + JSON_KEY_ROOM];
			json_object_begin_k(o, json_key_of(key, cause_id((enum cause)c)));
			json_uint(o, "joined", s->kernel_joined[c]);
			json_uint(o, "fits", s->kernel_fits[c]);
			json_object_end(o);
		}
		json_object_end(o);
		json_object_end(o);
	}
	json_object_begin(o, "by_cause");
	for (int c = 0; c < CAUSE_COUNT; c++)
		if (s->by_cause[c])
			put_named_uint(o, cause_id((enum cause)c), s->by_cause[c]);
	json_object_end(o);
	json_object_begin(o, "skipped");
	for (int d = DECODE_OK + 1; d < DECODE_RESULT_COUNT; d++)
		put_named_uint(o, decode_result_name((enum decode_result)d), s->skipped[d]);
	json_object_end(o);
	json_uint(o, "payload_truncated", s->payload_truncated);
	json_uint(o, "tls_hellos_joined", s->tls_hellos_joined);
	json_uint(o, "tls_hellos_cut", s->tls_hellos_cut);
	json_uint(o, "duplicates", s->duplicates);
	if (s->timed) {
		json_seconds(o, "first_ts", s->first_ts, r->nano);
		json_seconds(o, "last_ts", s->last_ts, r->nano);
	} else {
		json_null(o, "first_ts");
		json_null(o, "last_ts");
	}
	char evidence[256];
	stats_capture_point_evidence(&s->handshakes, evidence, sizeof evidence);
	json_string(o, "capture_point", capture_point_name(stats_capture_point(&s->handshakes)));
	json_string(o, "capture_point_evidence", evidence);
	json_object_begin(o, "capture_point_votes");
	for (int p = 0; p < POINT_COUNT; p++)
		put_named_uint(o, capture_point_name((enum capture_point)p), s->handshakes.votes[p]);
	json_object_end(o);
	json_object_begin(o, "handshake_sums_ns");
	/* never negative: stats_vote_handshake adds no leg that went backwards */
	json_uint(o, "syn_to_synack", (uint64_t)s->handshakes.sum_syn_synack_ns);
	json_uint(o, "synack_to_ack", (uint64_t)s->handshakes.sum_synack_ack_ns);
	json_object_end(o);
	if (s->live) {
		json_object_begin(o, "capture");
		json_uint(o, "received", s->live_received);
		json_uint(o, "dropped", s->live_dropped);
		json_uint(o, "if_dropped", s->live_if_dropped);
		json_object_end(o);
	}
	json_array_begin(o, "endpoints");
	for (uint32_t i = 0; i < eps->n; i++)
		put_endpoint(o, &eps->list[i], r->nano);
	json_array_end(o);
	json_array_begin(o, "warnings");
	for (int i = 0; i < WARN_COUNT; i++) {
		if (!s->warn_count[i])
			continue;
		json_object_begin_k(o, JSON_ELEM);
		json_string(o, "name", warning_name((enum warning)i));
		json_uint(o, "count", s->warn_count[i]);
		json_string(o, "message", s->warn_msg[i]);
		if (s->warn_at[i].source == STATS_AT_END) {
			json_null(o, "at");
		} else {
			json_object_begin(o, "at");
			json_uint(o, "input", s->warn_at[i].source);
			json_uint(o, "frame", s->warn_at[i].frame);
			json_object_end(o);
		}
		json_object_end(o);
	}
	json_array_end(o);
	json_object_end(o);
	json_out_end(o);
	end_line(r, j);
	write_held(r, j);
}

static void json_free(struct reporter *r)
{
	struct json_reporter *j = r->priv;
	write_held(r, j);    /* none but after a summary; any, written */
	json_writer_free(&j->lines);
	free(j);
	r->priv = NULL;
}

void report_json_init(struct reporter *r, FILE *out, bool nano)
{
	memset(r, 0, sizeof *r);
	r->out = out;
	r->nano = nano;
	r->reset = json_reset;
	r->summary = json_summary;
	r->free = json_free;
	r->render = json_render;
	r->write_rendered = write_rendered;
	pthread_once(&quoted_once, quote_names);
	struct json_reporter *j = xmalloc(sizeof *j);
	json_writer_init(&j->lines);
	/* A terminal shows each record as it is decided, as stdio's line
	 * buffering did when each was written alone. */
	j->hold = !isatty(fileno(out));
	r->priv = j;
}
