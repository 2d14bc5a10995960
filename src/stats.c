/* stats: counters and once-only warnings (see stats.h). */
#include "stats.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

#include "msg.h"

static const char *const warning_names[WARN_COUNT] = {
	[WARN_CAPTURE_DAMAGED] = "capture_damaged",
	[WARN_FLOWS_EVICTED] = "flows_evicted",
	[WARN_TIME_BACKWARDS] = "time_backwards",
	[WARN_HEADERS_TRUNCATED] = "headers_truncated",
};

const char *warning_name(enum warning w)
{
	return (unsigned)w < WARN_COUNT ? warning_names[w] : "?";
}

static bool record(struct stats *s, enum warning w, const char *fmt, va_list ap)
{
	if (s->warn_count[w]++ > 0)
		return false;
	vsnprintf(s->warn_msg[w], sizeof s->warn_msg[w], fmt, ap);
	return true;
}

void stats_warn(struct stats *s, enum warning w, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	if (record(s, w, fmt, ap))
		msg_warn("%s", s->warn_msg[w]);
	va_end(ap);
}

void stats_record(struct stats *s, enum warning w, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	record(s, w, fmt, ap);
	va_end(ap);
}
