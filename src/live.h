/*
 * live: rstdiag -i IFACE, resets diagnosed as they happen.
 *
 * libpcap with a 32 MiB TPACKET_V3 ring whose blocks are handed over
 * within 50 ms (live.c), the user's filter joined with "tcp" so the
 * kernel drops everything else, privileges dropped once the device is
 * open (tcpdump's -Z), and a poll loop that wakes at least every 100 ms so
 * the look-ahead's settle time and flow expiry run on the wall clock even
 * when no packet comes.
 */
#ifndef RSTDIAG_LIVE_H
#define RSTDIAG_LIVE_H

#include <stdint.h>

#include "msg.h"
#include "pipeline.h"

/* Snap length by default: headers and the start of the payload (an HTTP
 * request line and its first headers), not the bodies. */
#define LIVE_DEFAULT_SNAPLEN 512
/* The look-ahead's settle time in live mode (wall clock). */
#define LIVE_SETTLE_NS 500000000LL

struct live_options {
	const char *iface;
	const char *filter;         /* user's expression or NULL */
	int snaplen;
	int buffer_kib;             /* 0: LIVE_BUFFER_KIB (live.c) */
	const char *user;           /* drop to this user after opening; NULL: keep */
	uint32_t duration_s;        /* 0: until a signal */
	uint64_t max_resets;        /* 0: no limit (-c) */
	bool kernel_reasons;        /* --kernel-reasons: open the tracepoint before -Z */
	int fanout_group;           /* --fanout: the AF_PACKET fanout group to join; -1 none */
	const char *name;           /* the input's name in records (the interface; NULL: iface) */
};

/* Prints the interfaces libpcap can open, numbered, as tcpdump -D does. */
enum exit_status live_list_interfaces(void);
/* Captures until SIGINT/SIGTERM, -c or --duration; the caller writes the summary. */
enum exit_status live_run(const struct live_options *o, struct pipeline *pl);
/* Whether iface can be captured on, said in one line if not (--fanout
 * asks once, before its workers would each say it). */
enum exit_status live_probe(const char *iface);

#endif
