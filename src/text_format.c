/*
 * text_format: see text_format.h.
 */
#include "text_format.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "report.h"

/* The k < 16 bytes at s to d, as two overlapping moves of a size the
 * compiler sees (no call to memcpy); nothing past d + k is written. */
static inline void copy_short(char *d, const char *s, size_t k)
{
	if (k >= 8) {
		memcpy(d, s, 8);
		memcpy(d + k - 8, s + k - 8, 8);
	} else if (k >= 4) {
		memcpy(d, s, 4);
		memcpy(d + k - 4, s + k - 4, 4);
	} else {
		for (size_t i = 0; i < k; i++)
			d[i] = s[i];
	}
}

/* The n bytes at s to d: 16 at a time, the last 16 overlapping, and a
 * short one as copy_short does; every load lies within s's n bytes. A call
 * to memcpy for each of a record's eleven conversions cost about 22
 * instructions (callgrind, 100k closed-port records in --json). */
static inline void copy_arg(char *d, const char *s, size_t n)
{
	if (n < 16) {
		copy_short(d, s, n);
		return;
	}
	for (size_t i = 0; i + 16 < n; i += 16)
		memcpy(d + i, s + i, 16);
	memcpy(d + n - 16, s + n - 16, 16);
}

/*
 * The text of the format [fstart, fend) from f up to its next '%' (or
 * fend) to *pp, cut at end; returns where it stopped. Sixteen bytes at a
 * time with SSE2 while the format and the room both have them: every load
 * lies within the literal, and every store within the text the bytes
 * become.
 */
static const char *copy_literal(char **pp, const char *end, const char *f, const char *fstart,
				const char *fend)
{
	char *p = *pp;
#ifdef __SSE2__
	const __m128i pct = _mm_set1_epi8('%');
	/* the bytes both the format and the room have, counted down once */
	size_t both = (size_t)(fend - f) < (size_t)(end - p) ? (size_t)(fend - f) : (size_t)(end - p);
	for (; both >= 16; both -= 16) {
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)f);
		unsigned m = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(x, pct));
		if (m) {
			size_t k = (size_t)__builtin_ctz(m);
			copy_short(p, f, k);
			*pp = p + k;
			return f + k;
		}
		_mm_storeu_si128((__m128i *)(void *)p, x);
		p += 16;
		f += 16;
	}
	/* The last r < 16 bytes of a format of 16 or more: its last 16
	 * bytes, those before f masked off. */
	size_t r = (size_t)(fend - f);
	if (r < 16 && fend - fstart >= 16 && (size_t)(end - p) >= r) {
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)(fend - 16));
		unsigned m = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(x, pct)) >> (16 - r);
		size_t k = m ? (size_t)__builtin_ctz(m) : r;
		copy_short(p, f, k);
		*pp = p + k;
		return f + k;
	}
#endif
	while (f < fend && *f != '%') {
		if (p < end)
			*p++ = *f;
		f++;
	}
	*pp = p;
	return f;
}

void text_vappend(char *dst, size_t size, size_t *len, size_t fmt_len, const char *fmt, va_list ap)
{
	size_t used = *len;
	if (used + 1 >= size)
		return;
	va_list again;
	va_copy(again, ap);
	char *p = dst + used, *end = dst + size - 1;    /* room for the NUL */
	const char *f = fmt, *fend = fmt + fmt_len;
	for (;;) {
		f = copy_literal(&p, end, f, fmt, fend);
		if (f == fend)
			break;
		f++;    /* the '%' */
		char num[24];
		const char *arg;
		size_t n, max = (size_t)-1;
		if (f[0] == '.' && f[1] >= '0' && f[1] <= '9') {
			max = 0;
			for (f++; *f >= '0' && *f <= '9'; f++)
				max = max * 10 + (size_t)(*f - '0');
		}
		if (*f == 's') {
			arg = va_arg(ap, const char *);
			n = strnlen(arg, max);
		} else if (max == (size_t)-1 && (*f == 'u' || *f == '%' ||
						   (f[0] == 'l' && f[1] == 'l' && f[2] == 'u'))) {
			unsigned long long x = *f == 'u' ? va_arg(ap, unsigned)
				: *f == 'l' ? va_arg(ap, unsigned long long) : 0;
			if (*f == '%') {
				num[0] = '%';
				n = 1;
			} else {
				n = (size_t)(report_put_uint(num, x) - num);
			}
			arg = num;
			f += *f == 'l' ? 2 : 0;
		} else {
			vsnprintf(dst + used, size - used, fmt, again);
			va_end(again);
			*len = used + strlen(dst + used);
			return;
		}
		f++;
		size_t room = (size_t)(end - p);
		if (n > room)
			n = room;
		copy_arg(p, arg, n);
		p += n;
	}
	*p = '\0';
	*len = (size_t)(p - dst);
	va_end(again);
}

void text_format_n(char *dst, size_t size, size_t fmt_len, const char *fmt, ...)
{
	va_list ap;
	if (size == 0)
		return;
	size_t len = 0;
	dst[0] = '\0';
	va_start(ap, fmt);
	text_vappend(dst, size, &len, fmt_len, fmt, ap);
	va_end(ap);
}
