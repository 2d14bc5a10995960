/* report_merge: --merge, several runs' JSON Lines as one (see report_merge.h). */
#include "report_merge.h"

#include <arpa/inet.h>
#include <cjson/cJSON.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "report.h"
#include "first_bytes.h"
#include "xalloc.h"

struct input {
	const char *name;
	const char *path;       /* opened here when needed; NULL: f was given, kept open */
	off_t resume;           /* path, not open: where its next line begins */
	bool unreadable;        /* could not be opened (said) */
	FILE *f;
	char *line;
	size_t cap;
	size_t len;
	unsigned long lineno;
	bool done;
	bool disorder_told;
	int summaries;
	unsigned long bad_lines;        /* neither a record nor a summary */
	/* The record in line: its order key. */
	int64_t ts;
	char *file;
	size_t file_cap;
	uint64_t frame;
};

struct merge {
	struct input *in;
	int n;
	int *heap;              /* inputs with a record waiting, earliest first */
	int n_heap;
	struct stats stats;
	struct server_insights servers;
	bool kernel_reasons;
	bool nano;
	int summaries;
	uint32_t shard_count;   /* the shards' N, 0 none; UINT32_MAX: runs disagree */
	uint8_t *shard_seen;    /* [shard_count]: how many summaries of each shard */
	char **inputs;          /* the runs' inputs, each once, in the order first named */
	int n_inputs, inputs_cap;
	enum exit_status status;
};

/* ---- reading numbers as they were written ---- */

/*
 * A time in seconds as rstdiag writes it ("-12.345678" or with 9
 * decimals), from the line's own text: a double cannot hold nanoseconds
 * since 1970. The value of the first `"key":` that is not inside a string.
 */
bool report_merge_seconds(const char *line, const char *key, int64_t *ns, bool *nano)
{
	char pat[32];
	snprintf(pat, sizeof pat, "\"%s\":", key);
	const char *p = line;
	while ((p = strstr(p, pat)) != NULL && p > line && p[-1] == '\\')
		p++;
	if (!p)
		return false;
	p += strlen(pat);
	bool neg = *p == '-';
	if (neg)
		p++;
	if (*p < '0' || *p > '9')
		return false;
	int64_t sec = 0, frac = 0;
	while (*p >= '0' && *p <= '9' && sec < INT64_MAX / 10 / 1000000000)
		sec = sec * 10 + (*p++ - '0');
	int digits = 0;
	if (*p == '.')
		for (p++; *p >= '0' && *p <= '9'; p++)
			if (digits < 9) {
				frac = frac * 10 + (*p - '0');
				digits++;
			}
	if (nano && digits > 6)
		*nano = true;
	for (int d = digits; d < 9; d++)
		frac *= 10;
	*ns = (sec * 1000000000 + frac) * (neg ? -1 : 1);
	return true;
}

uint64_t report_merge_count(const cJSON *v, uint64_t max)
{
	if (!cJSON_IsNumber(v) || !(v->valuedouble > 0))
		return 0;
	return v->valuedouble >= (double)max ? max : (uint64_t)v->valuedouble;
}

static uint64_t num(const cJSON *o, const char *key)
{
	return report_merge_count(cJSON_GetObjectItemCaseSensitive(o, key), UINT64_MAX);
}

static const char *str(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* ---- summaries back into the structs a run counts in ---- */

static int cause_named(const char *name)
{
	for (int c = 0; c < CAUSE_COUNT; c++)
		if (strcmp(cause_id((enum cause)c), name) == 0)
			return c;
	return -1;
}

static void read_by_cause(const cJSON *o, uint64_t by_cause[CAUSE_COUNT])
{
	const cJSON *e;
	cJSON_ArrayForEach(e, o) {
		int c = e->string ? cause_named(e->string) : -1;
		if (c >= 0)
			by_cause[c] += report_merge_count(e, UINT64_MAX);
	}
}

/* "10.0.0.1:80" or "[2001:db8::1]:443", as report_endpoint writes it. */
static bool read_endpoint(const char *text, struct server_insight *ep)
{
	char buf[64];
	const char *colon = text ? strrchr(text, ':') : NULL;
	if (!colon || (size_t)(colon - text) >= sizeof buf)
		return false;
	memcpy(buf, text, (size_t)(colon - text));
	buf[colon - text] = '\0';
	char *addr = buf;
	ep->ipver = 4;
	if (buf[0] == '[') {
		size_t n = strlen(buf);
		if (n < 2 || buf[n - 1] != ']')
			return false;
		buf[n - 1] = '\0';
		addr = buf + 1;
		ep->ipver = 6;
	}
	if (inet_pton(ep->ipver == 4 ? AF_INET : AF_INET6, addr, ep->addr) != 1)
		return false;
	char *end;
	unsigned long port = strtoul(colon + 1, &end, 10);
	if (*end || port > 65535)
		return false;
	ep->port = (uint16_t)port;
	return true;
}

static bool read_sample(const cJSON *o, const char *prefix, struct idle_samples *is)
{
	char name[48];
	snprintf(name, sizeof name, "%s_seen", prefix);
	is->seen = num(o, name);
	snprintf(name, sizeof name, "%s_sample", prefix);
	const cJSON *a = cJSON_GetObjectItemCaseSensitive(o, name), *pair;
	if (!cJSON_IsArray(a))
		return false;
	cJSON_ArrayForEach(pair, a) {
		if (is->kept == SERVER_INSIGHT_SAMPLES || cJSON_GetArraySize(pair) != 2)
			return false;
		idle_samples_keep(is,
				  (uint32_t)report_merge_count(cJSON_GetArrayItem(pair, 1), UINT32_MAX),
				  (uint32_t)report_merge_count(cJSON_GetArrayItem(pair, 0), UINT32_MAX));
	}
	return true;
}

static bool read_endpoints(const cJSON *list, struct server_insights *into)
{
	struct server_insights one;
	server_insights_init(&one, 0);
	one.list = xcalloc(1, sizeof *one.list);
	one.n = 1;
	bool ok = true;
	const cJSON *o;
	cJSON_ArrayForEach(o, list) {
		struct server_insight *ep = &one.list[0];
		memset(ep, 0, sizeof *ep);
		if (!read_endpoint(str(o, "endpoint"), ep) ||
		    !read_sample(o, "idle_close", &ep->idle_close) ||
		    !read_sample(o, "middlebox_idle", &ep->middlebox_idle)) {
			ok = false;
			continue;
		}
		ep->resets = num(o, "resets");
		read_by_cause(cJSON_GetObjectItemCaseSensitive(o, "by_cause"), ep->by_cause);
		ep->keepalive_header_s = (uint16_t)report_merge_count(
			cJSON_GetObjectItemCaseSensitive(o, "keepalive_header_s"), UINT16_MAX);
		ep->requests_after_close = num(o, "requests_after_close");
		ep->http = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, "http_seen"));
		ep->app = first_bytes_app_named(str(o, "app"));
		const char *sni = str(o, "sni");
		if (sni) {
			snprintf(ep->name, sizeof ep->name, "%s", sni);
			ep->names = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, "sni_several")) ? 2 : 1;
		}
		server_insights_merge(into, &one);
	}
	free(one.list);
	one.list = NULL;
	one.n = 0;
	server_insights_free(&one);
	return ok;
}

static void read_warnings(const cJSON *list, struct stats *s)
{
	const cJSON *o;
	cJSON_ArrayForEach(o, list) {
		const char *name = str(o, "name"), *message = str(o, "message");
		for (int w = 0; name && w < WARN_COUNT; w++) {
			if (strcmp(warning_name((enum warning)w), name) != 0)
				continue;
			s->warn_count[w] = num(o, "count");
			snprintf(s->warn_msg[w], sizeof s->warn_msg[w], "%s", message ? message : "");
			const cJSON *at = cJSON_GetObjectItemCaseSensitive(o, "at");
			s->warn_at[w].source = cJSON_IsObject(at) ? (uint32_t)report_merge_count(
				cJSON_GetObjectItemCaseSensitive(at, "input"), UINT32_MAX - 1) : STATS_AT_END;
			s->warn_at[w].frame = num(at, "frame");
		}
	}
}

/* The inputs a summary names, added to those of the others: shards of one
 * run name the same ones in the same order, which is checked first. */
static void read_inputs(struct merge *m, const cJSON *list)
{
	const cJSON *e;
	int i = 0;
	cJSON_ArrayForEach(e, list) {
		if (!cJSON_IsString(e))
			continue;
		bool known = i < m->n_inputs && strcmp(m->inputs[i], e->valuestring) == 0;
		for (int j = 0; j < m->n_inputs && !known; j++)
			known = strcmp(m->inputs[j], e->valuestring) == 0;
		i++;
		if (known)
			continue;
		if (m->n_inputs == m->inputs_cap) {
			m->inputs_cap = m->inputs_cap ? 2 * m->inputs_cap : 8;
			m->inputs = xrealloc(m->inputs, (size_t)m->inputs_cap * sizeof *m->inputs);
		}
		m->inputs[m->n_inputs++] = xstrdup(e->valuestring);
	}
}

/* One run's summary (o, parsed from line) into s and its endpoints. */
static bool read_summary(struct merge *m, const cJSON *o, const char *line, struct stats *s,
			 struct server_insights *eps)
{
	const cJSON *shard = cJSON_GetObjectItemCaseSensitive(o, "shard");
	if (cJSON_IsObject(shard)) {
		uint64_t k = num(shard, "index"), n = num(shard, "count");
		if (n == 0 || n > SHARD_MAX || k >= n)
			return false;
		s->shard.k = (uint32_t)k;
		s->shard.n = (uint32_t)n;
	}
	s->packets = num(o, "packets");
	s->filtered_out = num(o, "filtered_out");
	s->tcp_packets = num(o, "tcp_packets");
	s->flows = num(o, "flows");
	s->flows_peak = num(o, "flows_peak");
	s->flows_evicted = num(o, "flows_evicted");
	s->resets = num(o, "resets");
	read_by_cause(cJSON_GetObjectItemCaseSensitive(o, "by_cause"), s->by_cause);
	const cJSON *skipped = cJSON_GetObjectItemCaseSensitive(o, "skipped");
	for (int d = DECODE_OK + 1; d < DECODE_RESULT_COUNT; d++)
		s->skipped[d] = num(skipped, decode_result_name((enum decode_result)d));
	s->payload_truncated = num(o, "payload_truncated");
	s->tls_hellos_joined = num(o, "tls_hellos_joined");
	s->tls_hellos_cut = num(o, "tls_hellos_cut");
	s->duplicates = num(o, "duplicates");
	s->timed = report_merge_seconds(line, "first_ts", &s->first_ts, &m->nano) &&
		   report_merge_seconds(line, "last_ts", &s->last_ts, &m->nano);
	const cJSON *votes = cJSON_GetObjectItemCaseSensitive(o, "capture_point_votes");
	for (int p = 0; p < POINT_COUNT; p++)
		s->handshakes.votes[p] = num(votes, capture_point_name((enum capture_point)p));
	const cJSON *sums = cJSON_GetObjectItemCaseSensitive(o, "handshake_sums_ns");
	s->handshakes.sum_syn_synack_ns = (int64_t)report_merge_count(
		cJSON_GetObjectItemCaseSensitive(sums, "syn_to_synack"), INT64_MAX);
	s->handshakes.sum_synack_ack_ns = (int64_t)report_merge_count(
		cJSON_GetObjectItemCaseSensitive(sums, "synack_to_ack"), INT64_MAX);
	const cJSON *kr = cJSON_GetObjectItemCaseSensitive(o, "kernel_reasons");
	if (cJSON_IsObject(kr)) {
		m->kernel_reasons = true;
		const cJSON *e;
		cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(kr, "by_cause")) {
			int c = e->string ? cause_named(e->string) : -1;
			if (c >= 0) {
				s->kernel_joined[c] = num(e, "joined");
				s->kernel_fits[c] = num(e, "fits");
			}
		}
	}
	const cJSON *cap = cJSON_GetObjectItemCaseSensitive(o, "capture");
	if (cJSON_IsObject(cap)) {
		s->live = true;
		s->live_received = num(cap, "received");
		s->live_dropped = num(cap, "dropped");
		s->live_if_dropped = num(cap, "if_dropped");
	}
	read_warnings(cJSON_GetObjectItemCaseSensitive(o, "warnings"), s);
	read_inputs(m, cJSON_GetObjectItemCaseSensitive(o, "inputs"));
	const cJSON *list = cJSON_GetObjectItemCaseSensitive(o, "endpoints");
	return cJSON_IsArray(list) && cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(o, "warnings")) &&
	       read_endpoints(list, eps);
}

/* Which shards the summaries covered: each of 0..N-1 once. */
static void note_shard(struct merge *m, const struct stats *s, const struct input *in)
{
	uint32_t n = s->shard.n;
	if (m->summaries == 1)
		m->shard_count = n;
	else if (m->shard_count != n)
		m->shard_count = UINT32_MAX;
	if (!n || m->shard_count == UINT32_MAX || s->shard.k >= n)
		return;
	if (!m->shard_seen)
		m->shard_seen = xcalloc(n, 1);
	if (m->shard_seen[s->shard.k]++ == 1) {
		msg_error("%s: shard %u/%u is given more than once: its resets would count twice",
			  in->name, s->shard.k, n);
		msg_note_status(&m->status, EXIT_USAGE);
	}
}

static void take_summary(struct merge *m, struct input *in, const cJSON *o)
{
	struct stats s;
	struct server_insights eps;
	memset(&s, 0, sizeof s);
	server_insights_init(&eps, 0);
	if (!read_summary(m, o, in->line, &s, &eps)) {
		msg_error("%s: line %lu: a summary rstdiag cannot read back (from another version?)",
			  in->name, in->lineno);
		msg_note_status(&m->status, EXIT_DAMAGED);
	}
	m->summaries++;
	in->summaries++;
	note_shard(m, &s, in);
	if (m->summaries == 1)
		m->stats.shard = s.shard;
	stats_merge(&m->stats, &s);
	server_insights_merge(&m->servers, &eps);
	server_insights_free(&eps);
}

/* ---- the records, in time order ---- */

static bool before(const struct input *a, const struct input *b)
{
	if (a->ts != b->ts)
		return a->ts < b->ts;
	int c = strcmp(a->file, b->file);
	if (c)
		return c < 0;
	return a->frame < b->frame;
}

/*
 * A file input is opened to read its first record, then closed until the
 * merge reaches that record, and closed again at its end: so only inputs
 * whose records overlap in time are open at once (the outputs of a day of
 * rotated files, merged, hold a file or two open, not thousands: the
 * limit on open files is 1024 by default). Where more overlap than the
 * limit allows, the others are closed (each remembers where it was) and
 * opened again in turn: slower, never an error.
 */
static void park(struct input *in)
{
	if (!in->path || !in->f)
		return;
	in->resume = ftello(in->f);
	fclose(in->f);
	in->f = NULL;
}

static bool reopen(struct merge *m, struct input *in)
{
	if (in->f)
		return true;
	in->f = fopen(in->path, "r");
	if (!in->f && (errno == EMFILE || errno == ENFILE)) {
		for (int i = 0; i < m->n; i++)
			park(&m->in[i]);
		in->f = fopen(in->path, "r");
	}
	if (!in->f || fseeko(in->f, in->resume, SEEK_SET) != 0) {
		msg_error("%s: %s", in->name, strerror(errno));
		msg_note_status(&m->status, EXIT_INPUT);
		if (in->f)
			fclose(in->f);
		in->f = NULL;
		in->done = true;
		in->unreadable = true;
		return false;
	}
	return true;
}

/* Reads the input's next reset record, taking summaries on the way. */
static void advance(struct merge *m, struct input *in)
{
	int64_t prev_ts = in->ts;
	if (!reopen(m, in))
		return;
	for (;;) {
		errno = 0;
		ssize_t got = getline(&in->line, &in->cap, in->f);
		if (got < 0) {
			if (ferror(in->f)) {
				msg_error("%s: %s", in->name, strerror(errno ? errno : EIO));
				msg_note_status(&m->status, EXIT_INPUT);
			}
			in->done = true;
			park(in);
			if (in->bad_lines > 1)
				msg_error("%s: %lu more lines that are neither records nor summaries",
					  in->name, in->bad_lines - 1);
			return;
		}
		in->len = (size_t)got;
		in->lineno++;
		cJSON *o = cJSON_ParseWithLength(in->line, in->len);
		const char *type = o ? str(o, "type") : NULL;
		const char *file = o ? str(o, "file") : NULL;
		const cJSON *frame = o ? cJSON_GetObjectItemCaseSensitive(o, "frame") : NULL;
		if (type && strcmp(type, "summary") == 0) {
			take_summary(m, in, o);
			cJSON_Delete(o);
			continue;
		}
		if (!type || strcmp(type, "reset") != 0 || !file || !cJSON_IsNumber(frame) ||
		    !report_merge_seconds(in->line, "ts", &in->ts, &m->nano)) {
			/* The first is said; the rest are counted (one line each
			 * would flood the terminal with a binary file). */
			if (in->bad_lines++ == 0)
				msg_error("%s: line %lu: not a reset record or a summary of rstdiag --json",
					  in->name, in->lineno);
			msg_note_status(&m->status, EXIT_DAMAGED);
			cJSON_Delete(o);
			continue;
		}
		size_t flen = strlen(file) + 1;
		if (flen > in->file_cap) {
			in->file = xrealloc(in->file, flen);
			in->file_cap = flen;
		}
		memcpy(in->file, file, flen);
		in->frame = report_merge_count(frame, UINT64_MAX);
		cJSON_Delete(o);
		if (in->lineno > 1 && in->ts < prev_ts && !in->disorder_told) {
			in->disorder_told = true;
			msg_warn("%s: line %lu: records out of time order (the capture's times go "
				 "backwards, or several runs in one file): merged in the order given",
				 in->name, in->lineno);
		}
		return;
	}
}

static void sift_down(struct merge *m, int i)
{
	for (;;) {
		int l = 2 * i + 1, r = l + 1, min = i;
		if (l < m->n_heap && before(&m->in[m->heap[l]], &m->in[m->heap[min]]))
			min = l;
		if (r < m->n_heap && before(&m->in[m->heap[r]], &m->in[m->heap[min]]))
			min = r;
		if (min == i)
			return;
		int t = m->heap[i];
		m->heap[i] = m->heap[min];
		m->heap[min] = t;
		i = min;
	}
}

static void write_line(const struct input *in, const struct merge_output *out)
{
	size_t len = in->len;
	if (len && in->line[len - 1] == '\n')
		len--;
	if (out->record) {
		out->record(out->ctx, in->line, len);
		return;
	}
	fwrite(in->line, 1, len, out->rep->out);
	fputc('\n', out->rep->out);
}

/* Shards named by the summaries but not given. */
static void check_shards(struct merge *m)
{
	if (m->shard_count == UINT32_MAX) {
		msg_warn("the inputs are shards of different counts, or shards and whole runs: "
			 "their union is not one run's");
		msg_note_status(&m->status, EXIT_DAMAGED);
		return;
	}
	uint32_t missing = 0;
	for (uint32_t k = 0; k < m->shard_count; k++)
		missing += !m->shard_seen || !m->shard_seen[k];
	if (missing) {
		msg_error("%u of the %u shards are missing: the records and summary cover the "
			  "connections of the others only", missing, m->shard_count);
		msg_note_status(&m->status, EXIT_DAMAGED);
	}
	/* Every shard is here: the merged summary is one run's, unsharded. */
	if (!missing)
		m->stats.shard.n = m->stats.shard.k = 0;
}

/* One input of a merge: a file opened when needed (path), or a stream. */
struct merge_source {
	const char *name;
	const char *path;
	FILE *f;
};

static enum exit_status merge_sources(const struct merge_source *src, int n_files,
				      const struct merge_output *out);

enum exit_status report_merge(const char *const *files, int n_files, FILE *out, bool nano)
{
	struct merge_source *src = xcalloc((size_t)n_files, sizeof *src);
	for (int i = 0; i < n_files; i++) {
		bool in = strcmp(files[i], "-") == 0;
		src[i] = (struct merge_source){ .name = in ? "standard input" : files[i],
						.path = in ? NULL : files[i], .f = in ? stdin : NULL };
	}
	struct reporter rep;
	report_json_init(&rep, out, nano);
	struct merge_output mo = { .rep = &rep };
	enum exit_status st = merge_sources(src, n_files, &mo);
	report_free(&rep);
	free(src);
	return st;
}

enum exit_status report_merge_streams(FILE *const *streams, const char *const *names, int n_files,
				      const struct merge_output *out)
{
	struct merge_source *src = xcalloc((size_t)n_files, sizeof *src);
	for (int i = 0; i < n_files; i++)
		src[i] = (struct merge_source){ .name = names[i], .f = streams[i] };
	enum exit_status st = merge_sources(src, n_files, out);
	free(src);
	return st;
}

enum exit_status report_merge_paths(const char *const *paths, FILE *const *streams,
				    const char *const *names, int n_files,
				    const struct merge_output *out)
{
	struct merge_source *src = xcalloc((size_t)n_files, sizeof *src);
	for (int i = 0; i < n_files; i++)
		src[i] = (struct merge_source){ .name = names[i], .f = streams[i],
						.path = streams[i] ? NULL : paths[i] };
	enum exit_status st = merge_sources(src, n_files, out);
	free(src);
	return st;
}

static enum exit_status merge_sources(const struct merge_source *src, int n_files,
				      const struct merge_output *out)
{
	struct merge m = { .n = n_files, .nano = out->rep->nano };
	m.in = xcalloc((size_t)n_files, sizeof *m.in);
	m.heap = xcalloc((size_t)n_files, sizeof *m.heap);
	server_insights_init(&m.servers, 0);
	for (int i = 0; i < n_files; i++) {
		struct input *in = &m.in[i];
		in->name = src[i].name;
		in->path = src[i].path;
		in->f = src[i].f;
		if (!in->f && !in->path) {
			in->done = true;    /* could not be opened: said by the caller */
			in->unreadable = true;
			continue;
		}
		advance(&m, in);
		park(in);
		if (!in->done)
			m.heap[m.n_heap++] = i;
	}
	for (int i = m.n_heap / 2 - 1; i >= 0; i--)
		sift_down(&m, i);
	while (m.n_heap > 0) {
		struct input *in = &m.in[m.heap[0]];
		write_line(in, out);
		advance(&m, in);
		if (in->done)
			m.heap[0] = m.heap[--m.n_heap];
		sift_down(&m, 0);
	}
	int unsummed = 0;
	for (int i = 0; i < n_files; i++) {
		free(m.in[i].line);
		free(m.in[i].file);
		if (m.in[i].path && m.in[i].f)
			fclose(m.in[i].f);
		unsummed += !m.in[i].unreadable && !m.in[i].summaries;
	}
	if (unsummed == n_files) {
		msg_error("no input ends with a summary (runs cut short, or not rstdiag --json "
			  "output): none is written");
		msg_note_status(&m.status, EXIT_DAMAGED);
	} else if (unsummed) {
		msg_error("%d of the %d inputs end without a summary (a run cut short?): the summary "
			  "covers the others", unsummed, n_files);
		msg_note_status(&m.status, EXIT_DAMAGED);
	}
	if (m.summaries) {
		check_shards(&m);
		struct reporter *rep = out->rep;
		rep->nano = m.nano;
		rep->kernel_reasons = m.kernel_reasons;
		rep->inputs = (const char *const *)m.inputs;
		rep->n_inputs = m.n_inputs;
		server_insights_sort(&m.servers);
		rep->summary(rep, &m.stats, &m.servers);
		rep->inputs = NULL;
		rep->n_inputs = 0;
	}
	for (int i = 0; i < m.n_inputs; i++)
		free(m.inputs[i]);
	free(m.inputs);
	server_insights_free(&m.servers);
	free(m.shard_seen);
	free(m.heap);
	free(m.in);
	return m.status;
}
