/*
 * json_write: a streaming writer of one JSON text into a growing buffer,
 * for the per-reset records of --json. A record is written field by field
 * as it is known, with no tree built and freed: on a scan's 100k
 * closed-port records the cJSON tree, even bump-allocated, cost about 36k
 * instructions a record to build and print.
 *
 * The writer owns its buffer; the caller owns the structure. Keys are the
 * schema's names, written as given (no escaping: they are identifiers of
 * ../shared/TAXONOMY.md); string values are escaped exactly as cJSON's
 * printer escapes them, so a record reads the same whichever wrote it.
 */
#ifndef RSTDIAG_JSON_WRITE_H
#define RSTDIAG_JSON_WRITE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "report.h"

struct json_writer {
	char *buf;
	size_t len, cap;
	bool comma;     /* a value was written at this level: the next needs ',' */
};

void json_writer_init(struct json_writer *w);
void json_writer_free(struct json_writer *w);
/* Forget the text written, keep the buffer. */
static inline void json_writer_reset(struct json_writer *w)
{
	w->len = 0;
	w->comma = false;
}

/*
 * A key as it is written, quotes and colon included. JSON_KEY makes it
 * from a literal at compile time; JSON_ELEM is an array's element (no
 * key); json_key_of quotes a name known only at run time into buf
 * (strlen(name) + JSON_KEY_ROOM bytes).
 *
 * A key's text is followed by 16 readable bytes (JSON_KEY_PAD), so it is
 * copied in whole 16-byte moves: a record writes about 50 keys, and a call
 * to memcpy for a length the compiler cannot see cost 13 instructions
 * each (callgrind, 100k closed-port records).
 */
struct json_key {
	const char *text;
	size_t len;
};
#define JSON_KEY_PAD "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0"
#define JSON_KEY_ROOM (4 + 16)
#define JSON_KEY(lit) ((struct json_key){ "\"" lit "\":" JSON_KEY_PAD, sizeof("\"" lit "\":") - 1 })
#define JSON_ELEM ((struct json_key){ JSON_KEY_PAD, 0 })
struct json_key json_key_of(char *buf, const char *name);

/*
 * A value's JSON text made before the record, padded as a key is, and
 * written in whole 16-byte moves: JSON_QUOTED makes it from a literal;
 * json_quote makes it once for a name from a table (a cause, a state),
 * which json_string_k measured and scanned again in every record: the
 * eleven names of a closed-port record cost 920 instructions more that
 * way (callgrind, 100k scan records). JSON_NULL is null.
 */
#define JSON_QUOTED(lit) ((struct json_key){ "\"" lit "\"" JSON_KEY_PAD, sizeof("\"" lit "\"") - 1 })
#define JSON_NULL ((struct json_key){ "null" JSON_KEY_PAD, 4 })
/* name quoted and escaped into buf (6 * strlen(name) + 2 + 16 bytes), or
 * null for NULL. */
struct json_key json_quote(char *buf, const char *name);

/* Room for n more bytes (out of line: rare). */
void json_grow(struct json_writer *w, size_t n);

/* A padded text (a key, a value made before the record) at p, in whole
 * 16-byte moves: the caller has reserved t.len + 16 bytes. */
static inline char *json_put_padded(char *p, struct json_key t)
{
	for (size_t i = 0; i < t.len; i += 16)
		memcpy(p + i, t.text + i, 16);
	return p + t.len;
}

/* The separator and the key, with room for value_max bytes after them. */
static inline char *json_put_key(struct json_writer *w, struct json_key k, size_t value_max)
{
	if (w->cap - w->len < k.len + 16 + value_max + 1)
		json_grow(w, k.len + 16 + value_max + 1);
	char *p = w->buf + w->len;
	*p = ',';
	p += w->comma;
	w->comma = true;
	return json_put_padded(p, k);
}

static inline void json_put_char(struct json_writer *w, struct json_key k, char c, bool opens)
{
	char *p = json_put_key(w, k, 1);
	*p++ = c;
	w->len = (size_t)(p - w->buf);
	w->comma = !opens;
}

static inline void json_object_begin_k(struct json_writer *w, struct json_key k)
{
	json_put_char(w, k, '{', true);
}

static inline void json_array_begin_k(struct json_writer *w, struct json_key k)
{
	json_put_char(w, k, '[', true);
}

static inline void json_object_end(struct json_writer *w)
{
	w->comma = false;
	json_put_char(w, JSON_ELEM, '}', false);
}

static inline void json_array_end(struct json_writer *w)
{
	w->comma = false;
	json_put_char(w, JSON_ELEM, ']', false);
}

/* A value made before the record (JSON_QUOTED, json_quote, JSON_NULL). */
static inline void json_quoted_k(struct json_writer *w, struct json_key k, struct json_key value)
{
	char *p = json_put_padded(json_put_key(w, k, value.len + 16), value);
	w->len = (size_t)(p - w->buf);
}

/* A string, escaped; NULL writes null. */
void json_string_k(struct json_writer *w, struct json_key k, const char *s);
/* The n bytes at s as a string, escaped: for a text whose length is kept. */
void json_string_n_k(struct json_writer *w, struct json_key k, const char *s, size_t n);

static inline void json_uint_k(struct json_writer *w, struct json_key k, uint64_t v)
{
	char *p = json_put_key(w, k, 20);
	w->len = (size_t)(report_put_uint(p, v) - w->buf);
}

static inline void json_literal_k(struct json_writer *w, struct json_key k, const char *lit,
				  size_t n)
{
	char *p = json_put_key(w, k, n);
	memcpy(p, lit, n);
	w->len = (size_t)(p + n - w->buf);
}

static inline void json_bool_k(struct json_writer *w, struct json_key k, bool v)
{
	if (v)
		json_literal_k(w, k, "true", 4);
	else
		json_literal_k(w, k, "false", 5);
}

static inline void json_null_k(struct json_writer *w, struct json_key k)
{
	json_literal_k(w, k, "null", 4);
}

/* A time in seconds as report_seconds writes it, as a JSON number. */
void json_seconds_k(struct json_writer *w, struct json_key k, int64_t ns, bool nano);

/* The same, with a literal key. */
#define json_object_begin(w, lit) json_object_begin_k((w), JSON_KEY(lit))
#define json_array_begin(w, lit) json_array_begin_k((w), JSON_KEY(lit))
#define json_string(w, lit, s) json_string_k((w), JSON_KEY(lit), (s))
#define json_string_n(w, lit, s, n) json_string_n_k((w), JSON_KEY(lit), (s), (n))
#define json_uint(w, lit, v) json_uint_k((w), JSON_KEY(lit), (v))
#define json_bool(w, lit, v) json_bool_k((w), JSON_KEY(lit), (v))
#define json_null(w, lit) json_null_k((w), JSON_KEY(lit))
#define json_seconds(w, lit, ns, nano) json_seconds_k((w), JSON_KEY(lit), (ns), (nano))

/* The escaped form of the n bytes at s as cJSON prints a string, quotes
 * included, into out (which must have 6 * n + 2 bytes); returns its length. */
size_t json_escape(char *out, const char *s, size_t n);

#endif
