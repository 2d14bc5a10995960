/*
 * server_insights: what is learned across connections about each server
 * endpoint (address and port) -- the summary's "endpoints".
 *
 * For each server that closed or reset connections: the idle time after
 * which it closes keep-alive connections (median of what was measured),
 * the Keep-Alive: timeout=N it announced, how many requests met a
 * connection it had already closed, its resets by cause, and the idle gap
 * after which a middlebox in front of it forgot flows. Memory is bounded:
 * at most SERVER_INSIGHTS_MAX endpoints, SERVER_INSIGHT_SAMPLES samples each.
 */
#ifndef RSTDIAG_SERVER_INSIGHTS_H
#define RSTDIAG_SERVER_INSIGHTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cause.h"
#include "classify.h"
#include "flow.h"

#define SERVER_INSIGHTS_MAX 4096
#define SERVER_INSIGHT_SAMPLES 64

/*
 * Idle times measured for one kind of close, and what they add up to.
 * Beyond SERVER_INSIGHT_SAMPLES, the closes kept are those whose fixed key
 * (a hash of the connection or of its RST, the same in every run and
 * every shard) is smallest: a bottom-k sample, uniform over all the
 * closes seen, that does not depend on their order. So rstdiag --merge,
 * keeping the smallest keys of all the shards' samples, keeps the very
 * closes one run keeps, and gets its median.
 */
struct idle_samples {
	uint64_t seen;                     /* every close measured, kept or not */
	uint32_t ms[SERVER_INSIGHT_SAMPLES];
	uint32_t key[SERVER_INSIGHT_SAMPLES];
	uint32_t kept;
	uint32_t top;                      /* full: the kept sample a smaller one replaces */
};

/* Counts a close of ms milliseconds with sample key `key` (see above). */
void idle_samples_add(struct idle_samples *s, uint32_t ms, uint32_t key);
/* Keeps it in the sample, or not, without counting it (a sample read back). */
void idle_samples_keep(struct idle_samples *s, uint32_t ms, uint32_t key);
/* Adds another run's closes: its count, and its sample to the smallest keys. */
void idle_samples_merge(struct idle_samples *s, const struct idle_samples *other);

struct server_insight {
	uint8_t ipver;
	uint8_t addr[16];
	uint16_t port;
	uint16_t keepalive_header_s;       /* last Keep-Alive: timeout=N it sent, 0 none */
	bool http;                         /* HTTP/1.x seen on its connections (service_for) */
	uint8_t names;                     /* distinct TLS server names asked of it (2: several) */
	uint8_t app;                       /* enum first_bytes_app its connections opened with */
	char name[HTTP_TARGET_MAX];        /* the first of them (the SNI, as the flow keeps it) */
	uint64_t requests_after_close;     /* data-after-fin resets it sent */
	uint64_t resets;                   /* resets on its connections, by anyone */
	uint64_t by_cause[CAUSE_COUNT];
	struct idle_samples idle_close;    /* it closed (FIN) an idle connection */
	struct idle_samples middlebox_idle; /* idle-timeout resets: gap before the forgotten segment */
};

struct server_insights {
	struct server_insight *list;
	uint32_t n, cap;
	uint32_t *slots;                   /* open addressing: index + 1 and a hash tag, 0 empty */
	uint32_t n_slots;
	uint64_t dropped;                  /* endpoints not kept: SERVER_INSIGHTS_MAX reached */
	uint32_t seed;
};

void server_insights_init(struct server_insights *e, uint32_t seed);
void server_insights_free(struct server_insights *e);

/* A connection ended: if its server closed it after an idle period, that is a sample. */
void server_insights_note_connection(struct server_insights *e, const struct flow *f);
/* A RST was judged; source is its input, counted from 0 (its sample key). */
void server_insights_note_reset(struct server_insights *e, const struct verdict *v,
				uint32_t source);
/*
 * Adds the endpoints of another run (--merge). Counts add up; samples
 * merge (idle_samples_merge); a name, service or Keep-Alive timeout one
 * run did not see is taken from the other, and two different names are
 * "several". Where both saw a different one, this run's first is kept:
 * one run would have kept the first in time, which the summaries do not
 * say.
 */
void server_insights_merge(struct server_insights *e, const struct server_insights *other);
/* Orders the list for the report: most resets first, then most idle closes. */
void server_insights_sort(struct server_insights *e);

/*
 * The median of the samples, and whether they agree (three quarters within
 * 10% or 0.3 s of it). False when there are none.
 */
bool idle_samples_median(const struct idle_samples *s, int64_t *median_ns, bool *consistent);

#endif
