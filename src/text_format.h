/*
 * text_format: vsnprintf's meaning, appended to what a buffer holds, for
 * the conversions the words of a verdict use (%s, %.Ns, %u, %llu, %%),
 * written by hand: a scan's report says a sentence or three per SYN, and
 * glibc's vsnprintf cost about 3k instructions a sentence. Any other
 * conversion is handed to vsnprintf, from the start of the format.
 *
 * A format is a string literal, and its length is passed with it
 * (TEXT_FMT_LEN, from sizeof): the text between conversions is then
 * found and copied 16 bytes at a time within the literal's own bytes,
 * where a call to strchr and one to memcpy for each stretch cost about
 * 45 instructions (callgrind, 100k closed-port records in --json).
 */
#ifndef RSTDIAG_TEXT_FORMAT_H
#define RSTDIAG_TEXT_FORMAT_H

#include <stdarg.h>
#include <stddef.h>

/* The length of a format given first in __VA_ARGS__; "" f "" does not
 * compile unless f is a string literal, whose sizeof is its length + 1. */
#define TEXT_FMT_LEN_(f, ...) (sizeof("" f "") - 1)
#define TEXT_FMT_LEN(...) TEXT_FMT_LEN_(__VA_ARGS__, ~)

/* Appends to the text of *len bytes in dst (size bytes in all), cut as
 * snprintf cuts and always terminated, and sets *len to the new length.
 * fmt has fmt_len bytes and its NUL. The caller keeps the length: a
 * verdict's words are a dozen appends to one buffer, and measuring it
 * again for each cost about 240 instructions a record (callgrind, 100k
 * reset-storm records). */
void text_vappend(char *dst, size_t size, size_t *len, size_t fmt_len, const char *fmt,
		  va_list ap) __attribute__((format(printf, 5, 0)));
/* snprintf's meaning, by the same hand: dst holds the text alone. */
void text_format_n(char *dst, size_t size, size_t fmt_len, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
#define text_format(dst, size, ...) \
	text_format_n((dst), (size), TEXT_FMT_LEN(__VA_ARGS__), __VA_ARGS__)

#endif
