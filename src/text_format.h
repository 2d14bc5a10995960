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

/* Appends to the text of *len bytes in dst (size bytes in all), cut as
 * snprintf cuts and always terminated, and sets *len to the new length.
 * The caller keeps the length: a verdict's words are a dozen appends to
 * one buffer, and measuring it again for each cost about 240 instructions
 * a record (callgrind, 100k reset-storm records). */
void text_vappend(char *dst, size_t size, size_t *len, const char *fmt, va_list ap)
	__attribute__((format(printf, 4, 0)));
/* snprintf's meaning, by the same hand: dst holds the text alone. */
void text_format(char *dst, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
