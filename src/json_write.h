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

/* The escaped form of the n bytes at s as cJSON prints a string, quotes
 * included, into out (which must have 6 * n + 2 bytes); returns its length. */
size_t json_escape(char *out, const char *s, size_t n);

struct json_writer {
	char *buf;
	size_t len, cap;
};

void json_writer_init(struct json_writer *w);
void json_writer_free(struct json_writer *w);
/* Forget the text written, keep the buffer. */
static inline void json_writer_reset(struct json_writer *w)
{
	w->len = 0;
}

/* Room for n more bytes (out of line: rare). */
void json_grow(struct json_writer *w, size_t n);

/*
 * A key as it is written, quotes and colon included. JSON_KEY makes it
 * from a literal at compile time; JSON_ELEM is an array's element (no
 * key); json_key_of quotes a name known only at run time into buf
 * (strlen(name) + JSON_KEY_ROOM bytes).
 *
 * A key's text is followed by 16 readable bytes (JSON_KEY_PAD), so it is
 * copied in whole 16-byte moves: a record writes about 90 keys, and a call
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

/*
 * One JSON text being written into a writer's buffer: the cursor and the
 * end of the buffer. The functions below are inlined into the function
 * writing the text; the writer's own length and a flag saying whether a
 * comma was due, kept in memory, had been loaded and stored around every
 * value, and no call was inlined (about 25 instructions a key, over the
 * 90 keys of a record).
 *
 * Every value is followed by a comma, and an object's or array's end
 * takes back the comma before it: no state says whether a comma is due.
 * json_out_end takes back the last one and sets the writer's length.
 */
struct json_out {
	char *p, *end;
	struct json_writer *w;
};

#define JSON_ALWAYS_INLINE static inline __attribute__((always_inline))

/* The text is appended to what w holds. */
JSON_ALWAYS_INLINE struct json_out json_out_begin(struct json_writer *w)
{
	return (struct json_out){ w->buf + w->len, w->buf + w->cap, w };
}

JSON_ALWAYS_INLINE void json_out_end(struct json_out *o)
{
	o->p -= o->p > o->w->buf && o->p[-1] == ',';
	o->w->len = (size_t)(o->p - o->w->buf);
}

/* The buffer grown for n bytes after the cursor (out of line: rare). */
void json_out_grow(struct json_out *o, size_t n);

JSON_ALWAYS_INLINE void json_room(struct json_out *o, size_t n)
{
	if ((size_t)(o->end - o->p) < n)
		json_out_grow(o, n);
}

/* A padded text (a key, a value made before the record) at p, in whole
 * 16-byte moves: the caller has made room for t.len + 16 bytes. */
JSON_ALWAYS_INLINE char *json_put_padded(char *p, struct json_key t)
{
	for (size_t i = 0; i < t.len; i += 16)
		memcpy(p + i, t.text + i, 16);
	return p + t.len;
}

/* The key, with room for value_max bytes and the comma after it. */
JSON_ALWAYS_INLINE char *json_put_key(struct json_out *o, struct json_key k, size_t value_max)
{
	json_room(o, k.len + 16 + value_max + 1);
	return json_put_padded(o->p, k);
}

/* The value ended at p, and the comma after it. */
JSON_ALWAYS_INLINE void json_put_end(struct json_out *o, char *p)
{
	*p++ = ',';
	o->p = p;
}

JSON_ALWAYS_INLINE void json_object_begin_k(struct json_out *o, struct json_key k)
{
	char *p = json_put_key(o, k, 1);
	*p++ = '{';
	o->p = p;
}

JSON_ALWAYS_INLINE void json_array_begin_k(struct json_out *o, struct json_key k)
{
	char *p = json_put_key(o, k, 1);
	*p++ = '[';
	o->p = p;
}

/* c closes what its last begin opened, taking back the comma before it. */
JSON_ALWAYS_INLINE void json_close(struct json_out *o, char c)
{
	json_room(o, 2);
	char *p = o->p;
	p -= p[-1] == ',';
	*p++ = c;
	json_put_end(o, p);
}

JSON_ALWAYS_INLINE void json_object_end(struct json_out *o)
{
	json_close(o, '}');
}

JSON_ALWAYS_INLINE void json_array_end(struct json_out *o)
{
	json_close(o, ']');
}

/* A value made before the record (JSON_QUOTED, json_quote, JSON_NULL). */
JSON_ALWAYS_INLINE void json_quoted_k(struct json_out *o, struct json_key k, struct json_key value)
{
	json_put_end(o, json_put_padded(json_put_key(o, k, value.len + 16), value));
}

/* The n bytes at s as a string, escaped: for a text whose length is kept. */
JSON_ALWAYS_INLINE void json_string_n_k(struct json_out *o, struct json_key k, const char *s,
					size_t n)
{
	char *p = json_put_key(o, k, 6 * n + 2);
	json_put_end(o, p + json_escape(p, s, n));
}

/* A string, escaped; NULL writes null. */
JSON_ALWAYS_INLINE void json_string_k(struct json_out *o, struct json_key k, const char *s)
{
	if (s)
		json_string_n_k(o, k, s, strlen(s));
	else
		json_quoted_k(o, k, JSON_NULL);
}

JSON_ALWAYS_INLINE void json_uint_k(struct json_out *o, struct json_key k, uint64_t v)
{
	json_put_end(o, report_put_uint(json_put_key(o, k, 20), v));
}

JSON_ALWAYS_INLINE void json_bool_k(struct json_out *o, struct json_key k, bool v)
{
	json_quoted_k(o, k, v ? (struct json_key){ "true" JSON_KEY_PAD, 4 }
			      : (struct json_key){ "false" JSON_KEY_PAD, 5 });
}

JSON_ALWAYS_INLINE void json_null_k(struct json_out *o, struct json_key k)
{
	json_quoted_k(o, k, JSON_NULL);
}

/* A time in seconds as report_seconds writes it, as a JSON number. */
JSON_ALWAYS_INLINE void json_seconds_k(struct json_out *o, struct json_key k, int64_t ns, bool nano)
{
	/* report_seconds writes at most 31 bytes and the NUL */
	char *p = json_put_key(o, k, 32);
	json_put_end(o, p + report_seconds(p, 32, ns, nano));
}

/* The same, with a literal key. */
#define json_object_begin(o, lit) json_object_begin_k((o), JSON_KEY(lit))
#define json_array_begin(o, lit) json_array_begin_k((o), JSON_KEY(lit))
#define json_string(o, lit, s) json_string_k((o), JSON_KEY(lit), (s))
#define json_string_n(o, lit, s, n) json_string_n_k((o), JSON_KEY(lit), (s), (n))
#define json_uint(o, lit, v) json_uint_k((o), JSON_KEY(lit), (v))
#define json_bool(o, lit, v) json_bool_k((o), JSON_KEY(lit), (v))
#define json_null(o, lit) json_null_k((o), JSON_KEY(lit))
#define json_seconds(o, lit, ns, nano) json_seconds_k((o), JSON_KEY(lit), (ns), (nano))

#endif
