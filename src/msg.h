/*
 * msg: the tool's voice on stderr and its exit statuses.
 *
 * Every user-facing error is one line, "rstdiag: <subject>: <reason>", with
 * no source locations (as tcpdump and p0f do). The exit statuses are a
 * documented interface (man page, EXIT STATUS): change them only with it.
 */
#ifndef RSTDIAG_MSG_H
#define RSTDIAG_MSG_H

#include <stdbool.h>

enum exit_status {
	EXIT_OK = 0,          /* every input read to its end */
	EXIT_INPUT = 1,       /* an input could not be opened or is not a capture */
	EXIT_USAGE = 2,       /* bad option, argument or filter expression */
	EXIT_DAMAGED = 3,     /* an input was damaged; what could be read was reported */
	EXIT_OUTPUT = 4,      /* the report could not be written */
};

/* Prefix for every message; "rstdiag" unless a test changes it. */
extern const char *msg_progname;
/* Set while the inputs are read a second time (-w): what they said the
 * first time is not said again. */
extern bool msg_quiet;

void msg_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void msg_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Usage errors add the pointer to --help that curl and grep give. */
void msg_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Keeps the worst (highest) status seen, so one bad file among several
 * still makes the run fail. */
void msg_note_status(enum exit_status *acc, enum exit_status s);

#endif
