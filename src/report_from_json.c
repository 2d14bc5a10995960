/* report_from_json: --from-json, the text report of JSON Lines (see report_from_json.h). */
#include "report_from_json.h"

#include <arpa/inet.h>
#include <cjson/cJSON.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "explain.h"
#include "http.h"
#include "kernel_reasons.h"
#include "report.h"
#include "report_merge.h"
#include "rst_payload.h"
#include "tls.h"
#include "tunnel_table.h"
#include "xalloc.h"

/* ---- a record's fields ---- */

static const cJSON *item(const cJSON *o, const char *key)
{
	return cJSON_GetObjectItemCaseSensitive(o, key);
}

static const char *str(const cJSON *o, const char *key)
{
	const cJSON *v = item(o, key);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static uint64_t num_max(const cJSON *o, const char *key, uint64_t max)
{
	return report_merge_count(item(o, key), max);
}

static uint64_t num(const cJSON *o, const char *key)
{
	return num_max(o, key, UINT64_MAX);
}

static bool flag(const cJSON *o, const char *key)
{
	return cJSON_IsTrue(item(o, key));
}

/* Copies a string field into buf, cut to fit ("" when absent). */
static void copy_str(char *buf, size_t n, const char *s)
{
	snprintf(buf, n, "%s", s ? s : "");
}

/*
 * Names back into codes: the inverse of how the record was written, over
 * the renderers' own naming functions (one table each). Each is seen
 * through an int-taking wrapper, so one search serves them all.
 */
typedef const char *namer(int code);
static const char *n_cause(int c) { return cause_id((enum cause)c); }
static const char *n_detail(int c) { return detail_id((enum detail)c); }
static const char *n_confidence(int c) { return confidence_name((enum confidence)c); }
static const char *n_origin(int c) { return origin_name((enum origin)c); }
static const char *n_form(int c) { return rst_form_name((enum rst_form)c); }
static const char *n_take(int c) { return rst_take_name((unsigned)c); }
static const char *n_role(int c) { return role_name((enum role)c); }
static const char *n_half(int c) { return half_state_name((enum half_state)c); }
static const char *n_reached(int c) { return reached_peer_name((enum reached_peer)c); }
static const char *n_method(int c) { return http_method_name((uint8_t)c); }
static const char *n_connection(int c) { return http_connection_name((uint8_t)c); }
static const char *n_kreason(int c) { return kernel_reason_name((uint8_t)c); }
static const char *n_kstate(int c) { return kernel_state_name((uint8_t)c); }
static const char *n_payload(int c) { return rst_payload_format_name((uint8_t)c); }
static const char *n_tunnel(int c) { return tunnel_kind_name((enum tunnel_kind)c); }
/* tls_note's version, 0x03XX kept as XX + 1 */
static const char *n_tls_version(int c) { return tls_version_name(tls_note_version((uint8_t)c)); }
static const char *n_tls_alert(int c) { return tls_alert_name((uint8_t)c); }
static const char *n_tls_stage(int c) { return report_tls_stage_name((uint8_t)c); }

/* The code in [first, last] fn names name; -1 none. */
static int named(namer *fn, int first, int last, const char *name)
{
	for (int c = first; name && c <= last; c++) {
		const char *n = fn(c);
		if (n && strcmp(n, name) == 0)
			return c;
	}
	return -1;
}

/* The code of o's string field key; dflt when it is null or absent, and
 * *ok false when it names nothing this version knows. */
static int field_code(const cJSON *o, const char *key, namer *fn, int first, int last,
		      int dflt, bool *ok)
{
	const char *s = str(o, key);
	if (!s)
		return dflt;
	int c = named(fn, first, last, s);
	if (c < 0) {
		*ok = false;
		return dflt;
	}
	return c;
}

static bool read_addr(const char *text, uint8_t ipver, uint8_t addr[16])
{
	memset(addr, 0, 16);
	return text && inet_pton(ipver == 6 ? AF_INET6 : AF_INET, text, addr) == 1;
}

/* "tunnel": {"layers": [...]} back into a path, interned in tunnels. */
static bool read_tunnel(const cJSON *t, struct tunnel_table *tunnels, uint32_t *id)
{
	*id = 0;
	if (!cJSON_IsObject(t))
		return true;
	struct tunnel_path p;
	memset(&p, 0, sizeof p);
	const cJSON *l;
	cJSON_ArrayForEach(l, item(t, "layers")) {
		if (p.n == TUNNEL_MAX_LAYERS)
			return false;
		struct tunnel_layer *tl = &p.layer[p.n++];
		int kind = named(n_tunnel, 0, TUNNEL_KIND_COUNT - 1, str(l, "kind"));
		if (kind < 0)
			return false;
		tl->kind = (uint8_t)kind;
		const char *idname = report_tunnel_id_name((enum tunnel_kind)kind);
		if (cJSON_IsNumber(item(l, idname))) {
			tl->has_id = true;
			tl->id = (uint32_t)num_max(l, idname, UINT32_MAX);
		}
		const char *src = str(l, "src"), *dst = str(l, "dst");
		if (src && dst) {
			tl->ipver = strchr(src, ':') ? 6 : 4;
			if (!read_addr(src, tl->ipver, tl->src) || !read_addr(dst, tl->ipver, tl->dst))
				return false;
		}
	}
	if (p.n)
		*id = tunnel_table_path(tunnels, &p);
	return true;
}

/* One side's state before the RST ("before": {...}). */
static bool read_half(const cJSON *h, struct side *s)
{
	memset(s, 0, sizeof *s);
	bool ok = cJSON_IsObject(h);
	s->state = (uint8_t)field_code(h, "state", n_half, 0, HALF_STATE_COUNT - 1, 0, &ok);
	s->pkts = (uint32_t)num_max(h, "packets", UINT32_MAX);
	s->bytes = num(h, "bytes");
	if (item(h, "next_seq"))
		s->flags |= HALF_F_SEEN;
	if (cJSON_IsNumber(item(h, "fin_frame"))) {
		s->flags |= HALF_F_FIN;
		s->fin_frame = num(h, "fin_frame");
	}
	s->rst_frame = num(h, "rst_frame");
	s->retrans = (uint32_t)num_max(h, "retransmissions", UINT32_MAX);
	if (cJSON_IsNumber(item(h, "syn_retransmissions"))) {
		s->flags |= HALF_F_ISN;
		s->syn_retrans = (uint8_t)num_max(h, "syn_retransmissions", UINT8_MAX);
	}
	s->keepalives = (uint16_t)num_max(h, "keepalives", UINT16_MAX);
	s->zero_windows = (uint16_t)num_max(h, "zero_windows", UINT16_MAX);
	const cJSON *ttl = item(h, "ttl_range");
	s->ttl_min = 255;       /* none: shown as none */
	s->ttl_max = 0;
	if (cJSON_GetArraySize(ttl) == 2) {
		s->ttl_min = (uint8_t)report_merge_count(cJSON_GetArrayItem(ttl, 0), 255);
		s->ttl_max = (uint8_t)report_merge_count(cJSON_GetArrayItem(ttl, 1), 255);
	}
	return ok;
}

static bool read_request(const cJSON *o, struct verdict *v)
{
	bool ok = true;
	const cJSON *rq = item(o, "request");
	if (cJSON_IsObject(rq)) {
		v->request.frame = num(rq, "frame");
		const char *method = str(rq, "method");
		int m = method ? named(n_method, 0, 254, method) : -1;
		if (method && m < 0)
			ok = false;
		/* A TLS record's method is encrypted: written as null. */
		v->request.method = m < 0 ? HTTP_METHOD_TLS_RECORD : (uint8_t)m;
		copy_str(v->request.target, sizeof v->request.target, str(rq, "target"));
		v->reached_peer = (uint8_t)field_code(rq, "reached_peer", n_reached, 1, REACHED_YES,
						      0, &ok);
		v->retry_safe = flag(rq, "retry_safe");
		v->request.connection = (uint8_t)field_code(rq, "connection", n_connection, 1,
							    HTTP_CONN_CLOSE, 0, &ok);
	}
	const cJSON *rs = item(o, "response");
	if (cJSON_IsObject(rs)) {
		v->response.status = (uint16_t)num_max(rs, "status", UINT16_MAX);
		v->response_sender = (int8_t)field_code(rs, "sender", n_role, ROLE_UNKNOWN,
							ROLE_SERVER, ROLE_UNKNOWN, &ok);
		v->response.connection = (uint8_t)field_code(rs, "connection", n_connection, 1,
							     HTTP_CONN_CLOSE, 0, &ok);
		v->response.keepalive_s = (uint16_t)num_max(rs, "keepalive_timeout_s", UINT16_MAX);
		v->response.session_timeout_s =
			(uint16_t)num_max(rs, "session_timeout_s", UINT16_MAX);
	}
	return ok;
}

static bool read_tls(const cJSON *o, struct verdict *v)
{
	const cJSON *t = item(o, "tls");
	if (!cJSON_IsObject(t))
		return true;
	bool ok = true;
	v->tls.stage = (uint8_t)field_code(t, "stage", n_tls_stage, 1, TLS_STAGE_ESTABLISHED, 0,
					   &ok) & 3;
	v->tls.version = (uint8_t)field_code(t, "version", n_tls_version, 1, 7, 0, &ok) & 7;
	v->tls.offered = (uint8_t)field_code(t, "offered", n_tls_version, 1, 7, 0, &ok) & 7;
	const char *alert = str(t, "alert");
	if (alert && strcmp(alert, "encrypted") == 0)
		v->tls.alert = TLS_ALERT_ENCRYPTED;
	else if (cJSON_IsNumber(item(t, "alert_code")))
		v->tls.alert = (uint8_t)(num_max(t, "alert_code", 253) + 1);
	else if (alert)         /* before alert_code was written: by its name */
		v->tls.alert = (uint8_t)(named(n_tls_alert, 0, 253, alert) + 1);
	int from = field_code(t, "alert_from", n_role, ROLE_CLIENT, ROLE_SERVER, -1, &ok);
	v->tls.alert_from = (uint8_t)(from + 1) & 3;
	const char *sni = str(t, "sni");
	if (sni && !v->request.target[0])
		copy_str(v->request.target, sizeof v->request.target, sni);
	if (v->request.frame && v->request.method == HTTP_METHOD_TLS_RECORD) {
		v->request.seq = 0;
		v->request.body_end = (uint32_t)num_max(t, "record_len", UINT32_MAX);
	}
	return ok;
}

static bool read_payload(const cJSON *o, struct verdict *v)
{
	const cJSON *d = item(o, "rst_payload");
	if (!cJSON_IsObject(d))
		return true;
	bool ok = true;
	v->rst_data.format = (uint8_t)field_code(d, "format", n_payload, 1,
						 RST_PAYLOAD_FORMAT_COUNT - 1, 0, &ok);
	v->rst_data.code = (uint16_t)num_max(d, "code", UINT16_MAX);
	v->rst_data.enterprise = (uint32_t)num_max(d, "enterprise", UINT32_MAX);
	copy_str(v->rst_data.text, sizeof v->rst_data.text, str(d, "text"));
	return ok && v->rst_data.format;
}

/* The words: as the run wrote them. */
static void read_words(const cJSON *o, struct explanation *e)
{
	memset(e, 0, sizeof *e);
	copy_str(e->why, sizeof e->why, str(o, "explanation"));
	copy_str(e->advice, sizeof e->advice, str(o, "advice"));
	e->why_len = strlen(e->why);
	e->advice_len = strlen(e->advice);
	copy_str(e->origin, sizeof e->origin, str(o, "origin_evidence"));
	e->service = str(o, "service");
	const cJSON *alt = cJSON_GetArrayItem(item(o, "alternatives"), 0);
	copy_str(e->runner_up, sizeof e->runner_up, str(alt, "why"));
	const cJSON *ev;
	cJSON_ArrayForEach(ev, item(o, "evidence")) {
		if (e->n_evidence == VERDICT_MAX_EVIDENCE)
			break;
		e->evidence[e->n_evidence].frame = num(ev, "frame");
		copy_str(e->what[e->n_evidence], sizeof e->what[0], str(ev, "what"));
		e->n_evidence++;
	}
}

/* One reset record (o, parsed from line) back into the facts the text
 * report shows and the words the run wrote; src's name is left for the
 * caller. False when it is not a record this version can read. */
static bool report_record_read(const cJSON *o, const char *line, struct verdict *v,
			       struct explanation *e, struct report_source *src,
			       struct tunnel_table *tunnels)
{
	memset(v, 0, sizeof *v);
	memset(src, 0, sizeof *src);
	bool ok = true;
	int64_t rel = 0;
	ok &= report_merge_seconds(line, "ts", &v->rst.ts_ns, NULL);
	ok &= report_merge_seconds(line, "rel", &rel, NULL);
	src->first_ts = v->rst.ts_ns - rel;
	copy_str(src->interface, sizeof src->interface, str(o, "interface"));
	src->tunnels = tunnels;

	v->rst.frame = num(o, "frame");
	v->file_frame = cJSON_IsNumber(item(o, "file_frame")) ? num(o, "file_frame") : v->rst.frame;
	v->ipver = (uint8_t)num_max(o, "ip_version", 6);
	ok &= v->ipver == 4 || v->ipver == 6;
	ok &= read_addr(str(o, "src"), v->ipver, v->src);
	ok &= read_addr(str(o, "dst"), v->ipver, v->dst);
	v->sport = (uint16_t)num_max(o, "sport", UINT16_MAX);
	v->dport = (uint16_t)num_max(o, "dport", UINT16_MAX);
	ok &= read_tunnel(item(o, "tunnel"), tunnels, &v->tunnel_path);
	v->rst.flags = report_flags_read(str(o, "flags"));
	v->rst.seq = (uint32_t)num_max(o, "seq", UINT32_MAX);
	v->rst.ack = (uint32_t)num_max(o, "ack", UINT32_MAX);
	v->rst.ttl = (uint8_t)num_max(o, "ttl", 255);
	v->ip_id = (uint16_t)num_max(o, "ip_id", UINT16_MAX);
	v->rst.len = (uint32_t)num_max(o, "payload_len", UINT32_MAX);

	v->sender = (int8_t)field_code(o, "sender", n_role, ROLE_UNKNOWN, ROLE_SERVER, ROLE_UNKNOWN, &ok);
	v->role_guessed = flag(o, "role_guessed");
	v->origin = (uint8_t)field_code(o, "origin", n_origin, 0, ORIGIN_MIDDLEBOX, 0, &ok);
	v->kernel_reason = (uint8_t)field_code(o, "kernel_reason", n_kreason, 1, 255, 0, &ok);
	v->kernel_state = (uint8_t)field_code(o, "kernel_state", n_kstate, 1, 255, 0, &ok);
	v->form = (uint8_t)field_code(o, "form", n_form, 0, FORM_ACTIVE, 0, &ok);
	/* The cause decides the report's group: it must be one this version knows. */
	ok &= str(o, "cause") != NULL;
	v->cause = (uint8_t)field_code(o, "cause", n_cause, 0, CAUSE_COUNT - 1, CAUSE_UNKNOWN, &ok);
	v->detail = (uint8_t)field_code(o, "detail", n_detail, 1, DETAIL_COUNT - 1, DETAIL_NONE, &ok);
	ok &= v->detail == DETAIL_NONE || detail_info(v->detail)->cause == v->cause;
	ok &= str(o, "confidence") != NULL;
	v->confidence = (uint8_t)field_code(o, "confidence", n_confidence, 0, CONF_HIGH, CONF_LOW, &ok);
	const cJSON *alt = cJSON_GetArrayItem(item(o, "alternatives"), 0);
	v->runner_up = (uint8_t)field_code(alt, "cause", n_cause, 0, CAUSE_COUNT - 1, CAUSE_COUNT, &ok);
	v->trigger.frame = num(o, "trigger_frame");
	v->trigger.len = (uint32_t)num_max(o, "trigger_len", UINT32_MAX);
	v->trigger_resent = flag(o, "trigger_resent");
	v->trigger_after_rst = flag(o, "trigger_after_rst");
	v->followup_of = num(o, "followup_of");
	v->rst_take = (uint8_t)field_code(o, "seq_at_peer", n_take, 1, RST_TAKE_COUNT - 1,
					  RST_TAKE_UNKNOWN, &ok) & 7u;
	v->first_rst_take = (uint8_t)field_code(o, "followup_seq_at_peer", n_take, 1,
						RST_TAKE_COUNT - 1, RST_TAKE_UNKNOWN, &ok) & 7u;
	v->first_rst_taken_later = flag(o, "followup_taken_later");
	ok &= read_payload(o, v);
	ok &= read_request(o, v);
	ok &= read_tls(o, v);

	const cJSON *before = item(o, "before");
	ok &= cJSON_GetArraySize(before) == 2;
	ok &= read_half(cJSON_GetArrayItem(before, 0), &v->a);
	ok &= read_half(cJSON_GetArrayItem(before, 1), &v->b);
	read_words(o, e);
	return ok;
}

/* ---- rendering records ---- */

void from_json_init(struct from_json *fj, struct reporter *rep, bool show_name)
{
	memset(fj, 0, sizeof *fj);
	fj->rep = rep;
	fj->show_name = show_name;
	fj->tunnels = tunnel_table_new(0);
}

/* The record's file name, kept for the report (its frame lists name it at the end). */
static const char *keep_name(struct from_json *fj, const char *name)
{
	for (int i = fj->n_names - 1; i >= 0; i--)
		if (strcmp(fj->names[i], name) == 0)
			return fj->names[i];
	if (fj->n_names == fj->names_cap) {
		fj->names_cap = fj->names_cap ? 2 * fj->names_cap : 8;
		fj->names = xrealloc(fj->names, (size_t)fj->names_cap * sizeof *fj->names);
	}
	return fj->names[fj->n_names++] = xstrdup(name);
}

void from_json_record(void *ctx, const char *line, size_t len)
{
	struct from_json *fj = ctx;
	cJSON *o = cJSON_ParseWithLength(line, len);
	struct verdict v;
	struct explanation e;
	struct report_source src;
	/* report_merge_seconds reads the line as a string: it must end. */
	char *text = xmalloc(len + 1);
	memcpy(text, line, len);
	text[len] = '\0';
	if (o && report_record_read(o, text, &v, &e, &src, fj->tunnels)) {
		src.name = keep_name(fj, str(o, "file") ? str(o, "file") : "");
		src.show_name = fj->show_name;
		report_text_reset_explained(fj->rep, &v, &src, &e);
		fj->records++;
	} else {
		if (fj->unread++ == 0)
			msg_error("a record rstdiag cannot read back (from another version?): %.60s%s",
				  text, len > 60 ? "..." : "");
		msg_note_status(&fj->status, EXIT_DAMAGED);
	}
	free(text);
	cJSON_Delete(o);
}

void from_json_free(struct from_json *fj)
{
	if (fj->unread > 1)
		msg_error("%lu more records rstdiag cannot read back: left out of the report",
			  fj->unread - 1);
	for (int i = 0; i < fj->n_names; i++)
		free(fj->names[i]);
	free(fj->names);
	tunnel_table_free(fj->tunnels);
	fj->names = NULL;
	fj->tunnels = NULL;
}

/* ---- --from-json ---- */

struct source_list {
	char **names;
	int n, cap;
	bool nano;
	int summaries;
	struct source_list *records;    /* the records' files: when no summary names inputs */
};

static void add_source(struct source_list *l, const char *name)
{
	if (l->n && strcmp(l->names[l->n - 1], name) == 0)
		return;     /* the common case: the same file as the last record's */
	for (int i = 0; i < l->n; i++)
		if (strcmp(l->names[i], name) == 0)
			return;
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 8;
		l->names = xrealloc(l->names, (size_t)l->cap * sizeof *l->names);
	}
	l->names[l->n++] = xstrdup(name);
}

/*
 * The first pass: what the summaries say the runs read (the heading, and
 * whether records name their file) and whether times have 9 decimals.
 * Both are needed before the first record is rendered, and the summaries
 * come last. A stream that cannot be read twice (a pipe) is copied to a
 * temporary file on the way; *f is then that file.
 */
static enum exit_status first_pass(FILE **f, const char *name, struct source_list *l)
{
	struct stat st;
	FILE *copy = NULL;
	if (fstat(fileno(*f), &st) != 0 || !S_ISREG(st.st_mode) || ftello(*f) < 0) {
		if (!(copy = report_temp_file())) {
			msg_error("%s: cannot create a temporary file to read it twice: %s", name,
				  strerror(errno));
			return EXIT_OUTPUT;
		}
	}
	off_t start = copy ? 0 : ftello(*f);
	char *line = NULL;
	size_t cap = 0;
	ssize_t got;
	static const char summary[] = "{\"type\":\"summary\"";
	static const char record[] = "{\"type\":\"reset\",\"file\":\"";
	while ((got = getline(&line, &cap, *f)) > 0) {
		if (copy)
			fwrite(line, 1, (size_t)got, copy);
		if ((size_t)got > sizeof record - 1 && memcmp(line, record, sizeof record - 1) == 0) {
			/* The file name as written; one with escapes is left to
			 * the summary (it names the inputs as well). */
			int64_t ns;     /* 9 decimals also without a summary */
			if (!l->nano)
				report_merge_seconds(line, "ts", &ns, &l->nano);
			char *file = line + sizeof record - 1, *end = strchr(file, '"');
			if (end && !memchr(file, '\\', (size_t)(end - file))) {
				*end = '\0';
				add_source(l->records, file);
			}
			continue;
		}
		if ((size_t)got < sizeof summary - 1 || memcmp(line, summary, sizeof summary - 1))
			continue;
		cJSON *o = cJSON_ParseWithLength(line, (size_t)got);
		l->summaries += o != NULL;
		const cJSON *e;
		cJSON_ArrayForEach(e, item(o, "inputs"))
			if (cJSON_IsString(e))
				add_source(l, e->valuestring);
		int64_t ns;
		report_merge_seconds(line, "first_ts", &ns, &l->nano);
		cJSON_Delete(o);
	}
	free(line);
	bool bad = ferror(*f);
	if (copy) {
		if (fflush(copy) != 0 || ferror(copy)) {
			msg_error("%s: cannot copy it to a temporary file: %s", name, strerror(errno));
			fclose(copy);
			return EXIT_OUTPUT;
		}
		rewind(copy);
		*f = copy;
	} else if (fseeko(*f, start, SEEK_SET) != 0) {
		bad = true;
	}
	if (bad) {
		msg_error("%s: %s", name, strerror(errno ? errno : EIO));
		return EXIT_INPUT;
	}
	return EXIT_OK;
}

enum exit_status report_from_json(const char *const *files, int n_files,
				  const struct text_options *o, FILE *out)
{
	/* Each file is read once here and closed, and opened again when the
	 * merge needs it (report_merge_paths); what cannot be read twice (a
	 * pipe) is kept, as its copy, in streams. */
	FILE **streams = xcalloc((size_t)n_files, sizeof *streams);
	const char **paths = xcalloc((size_t)n_files, sizeof *paths);
	bool *owned = xcalloc((size_t)n_files, sizeof *owned);
	const char **names = xcalloc((size_t)n_files, sizeof *names);
	struct source_list files_named = { 0 };
	struct source_list sources = { .records = &files_named };
	enum exit_status st = EXIT_OK;
	for (int i = 0; i < n_files; i++) {
		bool in = strcmp(files[i], "-") == 0;
		names[i] = in ? "standard input" : files[i];
		streams[i] = in ? stdin : fopen(files[i], "r");
		if (!streams[i]) {
			msg_error("%s: %s", files[i], strerror(errno));
			msg_note_status(&st, EXIT_INPUT);
			continue;
		}
		FILE *was = streams[i];
		enum exit_status s = first_pass(&streams[i], names[i], &sources);
		owned[i] = streams[i] != stdin;
		if (was != streams[i] && was != stdin)
			fclose(was);
		if (s != EXIT_OK) {
			msg_note_status(&st, s);
			if (owned[i])
				fclose(streams[i]);
			streams[i] = NULL;
		} else if (streams[i] == was && was != stdin) {
			fclose(was);    /* a file: opened again when needed */
			streams[i] = NULL;
			paths[i] = files[i];
		}
	}
	struct text_options to = *o;
	to.nano = o->nano || sources.nano;
	/* No summary names inputs (runs cut short, another version): the
	 * records' files, else the JSON files themselves. */
	struct source_list *named = sources.n ? &sources : &files_named;
	to.inputs = named->n ? (const char *const *)named->names : files;
	to.n_inputs = named->n ? named->n : n_files;
	struct reporter rep;
	if (!report_text_init(&rep, out, &to)) {
		msg_error("--all: cannot create a temporary file to hold the report: %s",
			  strerror(errno));
		msg_note_status(&st, EXIT_OUTPUT);
	} else {
		struct from_json fj;
		from_json_init(&fj, &rep, named->n > 1);
		struct merge_output mo = { .rep = &rep, .record = from_json_record, .ctx = &fj };
		msg_note_status(&st, report_merge_paths(paths, streams, names, n_files, &mo));
		if (!sources.summaries && fj.records) {
			/* Runs cut short: what could be read is still reported,
			 * saying what is not known (the merge has said why). */
			struct stats s = { .resets = fj.records, .uncounted = true };
			struct server_insights none;
			server_insights_init(&none, 0);
			rep.summary(&rep, &s, &none);
			server_insights_free(&none);
		}
		from_json_free(&fj);
		msg_note_status(&st, fj.status);
	}
	report_free(&rep);
	for (int i = 0; i < n_files; i++)
		if (streams[i] && owned[i])
			fclose(streams[i]);
	for (int i = 0; i < sources.n; i++)
		free(sources.names[i]);
	free(sources.names);
	for (int i = 0; i < files_named.n; i++)
		free(files_named.names[i]);
	free(files_named.names);
	free(streams);
	free(paths);
	free(owned);
	free(names);
	return st;
}
