/* msg: one-line diagnostics on stderr; see msg.h for the contract. */
#include "msg.h"

#include <stdarg.h>
#include <stdio.h>

const char *msg_progname = "rstdiag";
bool msg_quiet;

static void vline(const char *kind, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

static void vline(const char *kind, const char *fmt, va_list ap)
{
	if (msg_quiet)
		return;
	fprintf(stderr, "%s: %s", msg_progname, kind);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void msg_warn(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vline("warning: ", fmt, ap);
	va_end(ap);
}

void msg_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vline("", fmt, ap);
	va_end(ap);
}

void msg_usage_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "%s: ", msg_progname);
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, " (try '%s --help')\n", msg_progname);
	va_end(ap);
}

void msg_note_status(enum exit_status *acc, enum exit_status s)
{
	if (s > *acc)
		*acc = s;
}
