/*
 * json_write: see json_write.h. Every append makes its room first
 * (json_room), which grows the buffer before a byte is written past it.
 */
#include "json_write.h"

#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "report.h"
#include "xalloc.h"

#define JSON_WRITER_START 4096

void json_writer_init(struct json_writer *w)
{
	w->cap = JSON_WRITER_START;
	w->buf = xmalloc(w->cap);
	json_writer_reset(w);
}

void json_writer_free(struct json_writer *w)
{
	free(w->buf);
	w->buf = NULL;
	w->cap = w->len = 0;
}

void json_grow(struct json_writer *w, size_t n)
{
	while (w->cap - w->len < n)
		w->cap *= 2;
	w->buf = xrealloc(w->buf, w->cap);
}

void json_out_grow(struct json_out *o, size_t n)
{
	struct json_writer *w = o->w;
	w->len = (size_t)(o->p - w->buf);
	json_grow(w, n);
	o->p = w->buf + w->len;
	o->end = w->buf + w->cap;
}

struct json_key json_key_of(char *buf, const char *name)
{
	size_t n = strlen(name);
	buf[0] = '"';
	memcpy(buf + 1, name, n);
	buf[n + 1] = '"';
	buf[n + 2] = ':';
	memset(buf + n + 3, 0, 16);     /* JSON_KEY_PAD */
	return (struct json_key){ buf, n + 3 };
}

struct json_key json_quote(char *buf, const char *name)
{
	if (!name)
		return JSON_NULL;
	size_t n = json_escape(buf, name, strlen(name));
	memset(buf + n, 0, 16);     /* JSON_KEY_PAD */
	return (struct json_key){ buf, n };
}

/* One byte as cJSON's print_string_ptr writes it: '"' and '\\' escaped,
 * the five control characters with a short form as \b \f \n \r \t, any
 * other byte below 32 as \u00XX in lower-case hex, everything else (UTF-8
 * included) as it is. */
static char *escape_byte(char *p, unsigned char c)
{
	static const char hex[] = "0123456789abcdef";
	if (c > 31 && c != '"' && c != '\\') {
		*p++ = (char)c;
		return p;
	}
	*p++ = '\\';
	switch (c) {
	case '"': *p++ = '"'; break;
	case '\\': *p++ = '\\'; break;
	case '\b': *p++ = 'b'; break;
	case '\f': *p++ = 'f'; break;
	case '\n': *p++ = 'n'; break;
	case '\r': *p++ = 'r'; break;
	case '\t': *p++ = 't'; break;
	default:
		*p++ = 'u';
		*p++ = '0';
		*p++ = '0';
		*p++ = hex[c >> 4];
		*p++ = hex[c & 15];
	}
	return p;
}

/*
 * Sixteen bytes at a time with SSE2 (every x86-64 has it) while none of
 * them needs escaping, then byte by byte: the explanation and the advice
 * are most of a record's bytes and have no byte to escape.
 */
size_t json_escape(char *out, const char *s, size_t n)
{
	char *p = out;
	const unsigned char *c = (const unsigned char *)s, *end = c + n;
	*p++ = '"';
#ifdef __SSE2__
	const __m128i quote = _mm_set1_epi8('"'), bslash = _mm_set1_epi8('\\');
	const __m128i ctl = _mm_set1_epi8(31);
	while (end - c >= 16) {
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)c);
		__m128i bad = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, quote),
							_mm_cmpeq_epi8(x, bslash)),
					   _mm_cmpeq_epi8(_mm_min_epu8(x, ctl), x));  /* x <= 31 */
		unsigned m = (unsigned)_mm_movemask_epi8(bad);
		/* out has room: 6 bytes for each of the 16 or more left */
		_mm_storeu_si128((__m128i *)(void *)p, x);
		if (!m) {
			p += 16;
			c += 16;
			continue;
		}
		unsigned k = (unsigned)__builtin_ctz(m);
		p += k;
		c += k;
		p = escape_byte(p, *c++);
	}
	/*
	 * The last r < 16 bytes (most of a record's strings are names like
	 * "syn-sent", shorter than 16) are read as two overlapping 8- or
	 * 4-byte words, which hold only the string's own bytes; clean, they
	 * are written back the same way. No memcpy of a length known only at
	 * run time: that call cost about 18 instructions a string (callgrind,
	 * 100k scan records). Under 4 bytes, byte by byte below.
	 */
	size_t r = (size_t)(end - c);
	if (r >= 4) {
		uint64_t lo, hi;
		__m128i x;
		if (r >= 8) {
			memcpy(&lo, c, 8);
			memcpy(&hi, end - 8, 8);
			x = _mm_set_epi64x((long long)hi, (long long)lo);
		} else {
			uint32_t a, b;
			memcpy(&a, c, 4);
			memcpy(&b, end - 4, 4);
			x = _mm_set_epi32((int)a, (int)a, (int)b, (int)b);
			lo = a;
			hi = b;
		}
		__m128i bad = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, quote),
							_mm_cmpeq_epi8(x, bslash)),
					   _mm_cmpeq_epi8(_mm_min_epu8(x, ctl), x));
		if (!_mm_movemask_epi8(bad)) {
			if (r >= 8) {
				memcpy(p, &lo, 8);
				memcpy(p + r - 8, &hi, 8);
			} else {
				uint32_t a = (uint32_t)lo, b = (uint32_t)hi;
				memcpy(p, &a, 4);
				memcpy(p + r - 4, &b, 4);
			}
			p += r;
			c = end;
		}
	}
#endif
	while (c < end)
		p = escape_byte(p, *c++);
	*p++ = '"';
	return (size_t)(p - out);
}
