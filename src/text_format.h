/*
 * text_format: vsnprintf's meaning, appended to what a buffer holds, for
 * the conversions the words of a verdict use (%s, %.Ns, %u, %llu, %%),
 * written by hand: a scan's report says a sentence or three per SYN, and
 * glibc's vsnprintf cost about 3k instructions a sentence. Any other
 * conversion is handed to vsnprintf, from the start of the format.
 */
#ifndef RSTDIAG_TEXT_FORMAT_H
#define RSTDIAG_TEXT_FORMAT_H

#include <stdarg.h>
#include <stddef.h>

/* Appends to the NUL-terminated text in dst (size bytes in all), cut as
 * snprintf cuts and always terminated. */
void text_vappend(char *dst, size_t size, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));
/* snprintf's meaning, by the same hand: dst holds the text alone. */
void text_format(char *dst, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
