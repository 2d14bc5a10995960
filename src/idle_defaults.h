/*
 * idle_defaults: well-known idle and keep-alive timeouts of servers and
 * middleboxes (../shared/idle-timeouts.md), to name what a measured idle
 * close probably is ("5.0 s: Node.js keepAliveTimeout, Apache ...").
 */
#ifndef RSTDIAG_IDLE_DEFAULTS_H
#define RSTDIAG_IDLE_DEFAULTS_H

#include <stddef.h>
#include <stdint.h>

#include "service.h"

/* Who closes after the timeout: an end server (FIN on an idle keep-alive
 * connection) or a middlebox (forgets the flow, resets the next packet). */
enum idle_closer { IDLE_SERVER, IDLE_MIDDLEBOX };

struct idle_default {
	enum idle_closer closer;
	uint32_t seconds;
	const char *name;       /* "Node.js http.Server keepAliveTimeout (5 s)" */
	const char *service;    /* the server it is for (struct service's name); NULL:
				   web servers and load balancers, or any middlebox */
	uint32_t late_ms;       /* how late its timer may fire (a loop that checks once
				   a second closes up to a second after the timeout) */
};

/*
 * Calls back with every default of that kind the measured idle time
 * matches: within 10% or 0.3 s, whichever is larger (timers fire late by a
 * tick, and the capture point adds up to a round trip), and up to its
 * late_ms more. A server's close is
 * compared with the defaults of its service (service.h): a named non-HTTP
 * service's own, HTTP's those of web servers and load balancers, an
 * unnamed one's none. Returns the count.
 */
size_t idle_defaults_match(enum idle_closer closer, const struct service *service,
			   int64_t measured_ns,
			   void (*cb)(void *ctx, const struct idle_default *d), void *ctx);

#endif
