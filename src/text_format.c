/*
 * text_format: see text_format.h.
 */
#include "text_format.h"

#include <stdio.h>
#include <string.h>

void text_vappend(char *dst, size_t size, size_t *len, const char *fmt, va_list ap)
{
	size_t used = *len;
	if (used + 1 >= size)
		return;
	va_list again;
	va_copy(again, ap);
	char *p = dst + used, *end = dst + size - 1;    /* room for the NUL */
	const char *f = fmt;
	while (*f) {
		const char *pc = strchr(f, '%');
		size_t lit = pc ? (size_t)(pc - f) : strlen(f);
		size_t room = (size_t)(end - p);
		memcpy(p, f, lit < room ? lit : room);
		p += lit < room ? lit : room;
		if (!pc)
			break;
		f = pc + 1;
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
			n = 0;
			if (*f == '%') {
				num[sizeof num - ++n] = '%';
			} else {
				do {
					num[sizeof num - ++n] = (char)('0' + x % 10);
					x /= 10;
				} while (x);
			}
			arg = num + sizeof num - n;
			f += *f == 'l' ? 2 : 0;
		} else {
			vsnprintf(dst + used, size - used, fmt, again);
			va_end(again);
			*len = used + strlen(dst + used);
			return;
		}
		f++;
		room = (size_t)(end - p);
		memcpy(p, arg, n < room ? n : room);
		p += n < room ? n : room;
	}
	*p = '\0';
	*len = (size_t)(p - dst);
	va_end(again);
}

void text_format(char *dst, size_t size, const char *fmt, ...)
{
	va_list ap;
	if (size == 0)
		return;
	size_t len = 0;
	dst[0] = '\0';
	va_start(ap, fmt);
	text_vappend(dst, size, &len, fmt, ap);
	va_end(ap);
}
