/* stats: counters and once-only warnings (see stats.h). */
#include "stats.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "msg.h"

static const char *const warning_names[WARN_COUNT] = {
	[WARN_CAPTURE_DAMAGED] = "capture_damaged",
	[WARN_FLOWS_EVICTED] = "flows_evicted",
	[WARN_TIME_BACKWARDS] = "time_backwards",
	[WARN_HEADERS_TRUNCATED] = "headers_truncated",
	[WARN_ENDPOINTS_FULL] = "endpoints_full",
	[WARN_KERNEL_DROPS] = "kernel_drops",
	[WARN_RECORD_LENGTH_INVALID] = "record_length_invalid",
	[WARN_HEADERS_INVALID] = "headers_invalid",
	[WARN_TCP_OPTIONS_MALFORMED] = "tcp_options_malformed",
	[WARN_TCP_FLAGS_INVALID] = "tcp_flags_invalid",
	[WARN_TUNNELS_FULL] = "tunnels_full",
	[WARN_LINK_TYPE_UNSUPPORTED] = "link_type_unsupported",
	[WARN_TCP_RELAY] = "tcp_relay",
	[WARN_TIME_JUMP] = "time_jump",
	[WARN_GENERATED_PACKETS] = "generated_packets",
	[WARN_CAPTURE_GAPS] = "capture_gaps",
};

const char *warning_name(enum warning w)
{
	return (unsigned)w < WARN_COUNT ? warning_names[w] : "?";
}

static bool record(struct stats *s, enum warning w, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));

static bool earlier(struct stats_pos a, struct stats_pos b);

/* The first occurrence is said (on stderr); the earliest is kept, as
 * --merge keeps it (stats_merge): a warning noted out of frame order
 * (capture_gaps, at a connection's end) then reads as one run's in
 * every shard. */
static bool record(struct stats *s, enum warning w, const char *fmt, va_list ap)
{
	bool first = s->warn_count[w]++ == 0;
	if (first || earlier(s->at, s->warn_at[w])) {
		s->warn_at[w] = s->at;
		vsnprintf(s->warn_msg[w], sizeof s->warn_msg[w], fmt, ap);
	}
	return first;
}

void stats_warn(struct stats *s, enum warning w, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	if (record(s, w, fmt, ap))
		msg_warn("%s", s->warn_msg[w]);
	va_end(ap);
}

void stats_warn_frame(struct stats *s, uint64_t frame, enum warning w, const char *fmt, ...)
{
	s->at.frame = frame;
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

const char *capture_point_name(enum capture_point p)
{
	switch (p) {
	case POINT_CLIENT: return "client";
	case POINT_SERVER: return "server";
	case POINT_MIDDLE: return "middle";
	default: return "unknown";
	}
}

/*
 * Near the client, the SYN-ACK comes a full round trip after the SYN and
 * the client's ACK follows at once; near the server it is the other way
 * round; in the middle both legs take part of the trip. Below
 * HANDSHAKE_MIN_NS nothing can be said (stats.h).
 */
#define HANDSHAKE_RATIO 4
/* A leg longer than this is not a handshake (see stats_vote_handshake). */
#define HANDSHAKE_MAX_NS (180 * 1000000000LL)

static int64_t add_saturating(int64_t sum, int64_t v)
{
	return sum > INT64_MAX - v ? INT64_MAX : sum + v;
}

void stats_vote_handshake(struct handshake_votes *h, int64_t syn_synack, int64_t synack_ack)
{
	if (syn_synack < 0 || synack_ack < 0)
		return;   /* times went backwards: no vote */
	/* Longer than Linux's SYN retries take to give up (about 127 s): not
	 * one handshake but broken time stamps. This also keeps the ratios
	 * below and the sums from overflowing. */
	if (syn_synack > HANDSHAKE_MAX_NS || synack_ack > HANDSHAKE_MAX_NS)
		return;
	enum capture_point p;
	if (syn_synack < HANDSHAKE_MIN_NS && synack_ack < HANDSHAKE_MIN_NS)
		p = POINT_UNKNOWN;
	else if (syn_synack > HANDSHAKE_RATIO * synack_ack)
		p = POINT_CLIENT;
	else if (synack_ack > HANDSHAKE_RATIO * syn_synack)
		p = POINT_SERVER;
	else
		p = POINT_MIDDLE;
	h->votes[p]++;
	h->sum_syn_synack_ns = add_saturating(h->sum_syn_synack_ns, syn_synack);
	h->sum_synack_ack_ns = add_saturating(h->sum_synack_ack_ns, synack_ack);
}

enum capture_point stats_capture_point(const struct handshake_votes *h)
{
	enum capture_point best = POINT_UNKNOWN;
	for (int p = POINT_CLIENT; p < POINT_COUNT; p++)
		if (h->votes[p] > h->votes[best] || (best == POINT_UNKNOWN && h->votes[p] > 0))
			best = (enum capture_point)p;
	return best;
}

void stats_capture_point_evidence(const struct handshake_votes *h, char *buf, size_t n)
{
	uint64_t total = 0;
	for (int p = 0; p < POINT_COUNT; p++)
		total += h->votes[p];
	if (total == 0) {
		snprintf(buf, n, "no complete handshake seen");
		return;
	}
	snprintf(buf, n,
		 "%llu handshake%s: SYN to SYN-ACK %.3g ms, SYN-ACK to ACK %.3g ms on average "
		 "(near the client %llu, near the server %llu, in the middle %llu, "
		 "too fast to tell %llu)",
		 (unsigned long long)total, total == 1 ? "" : "s",
		 (double)h->sum_syn_synack_ns / (double)total / 1e6,
		 (double)h->sum_synack_ack_ns / (double)total / 1e6,
		 (unsigned long long)h->votes[POINT_CLIENT], (unsigned long long)h->votes[POINT_SERVER],
		 (unsigned long long)h->votes[POINT_MIDDLE], (unsigned long long)h->votes[POINT_UNKNOWN]);
}

static bool earlier(struct stats_pos a, struct stats_pos b)
{
	return a.source < b.source || (a.source == b.source && a.frame < b.frame);
}

#define ADD_ALL(a, b) \
	do { \
		for (size_t i_ = 0; i_ < sizeof(a) / sizeof((a)[0]); i_++) \
			(a)[i_] += (b)[i_]; \
	} while (0)

void stats_merge(struct stats *s, const struct stats *o)
{
	s->packets += o->packets;
	s->filtered_out += o->filtered_out;
	s->tcp_packets += o->tcp_packets;
	s->flows += o->flows;
	s->resets += o->resets;
	s->payload_truncated += o->payload_truncated;
	s->duplicates += o->duplicates;
	s->tls_hellos_joined += o->tls_hellos_joined;
	s->tls_hellos_cut += o->tls_hellos_cut;
	ADD_ALL(s->skipped, o->skipped);
	ADD_ALL(s->by_cause, o->by_cause);
	ADD_ALL(s->kernel_joined, o->kernel_joined);
	ADD_ALL(s->kernel_fits, o->kernel_fits);
	bool one_table = s->shard.n && s->shard.n == o->shard.n;
	for (int w = 0; w < WARN_COUNT; w++) {
		if (!o->warn_count[w])
			continue;
		if (!s->warn_count[w] || earlier(o->warn_at[w], s->warn_at[w])) {
			memcpy(s->warn_msg[w], o->warn_msg[w], sizeof s->warn_msg[w]);
			s->warn_at[w] = o->warn_at[w];
		}
		/* Said once, at a run's end: the shards of one run said it of that run. */
		if ((w == WARN_ENDPOINTS_FULL || w == WARN_TCP_RELAY ||
		     w == WARN_GENERATED_PACKETS) && one_table)
			s->warn_count[w] = 1;
		else
			s->warn_count[w] += o->warn_count[w];
	}
	if (o->flows_peak > s->flows_peak)
		s->flows_peak = o->flows_peak;
	if (one_table)
		s->flows_evicted = o->flows_evicted > s->flows_evicted ? o->flows_evicted
								       : s->flows_evicted;
	else
		s->flows_evicted += o->flows_evicted;
	ADD_ALL(s->handshakes.votes, o->handshakes.votes);
	s->handshakes.sum_syn_synack_ns = add_saturating(s->handshakes.sum_syn_synack_ns,
							 o->handshakes.sum_syn_synack_ns);
	s->handshakes.sum_synack_ack_ns = add_saturating(s->handshakes.sum_synack_ack_ns,
							 o->handshakes.sum_synack_ack_ns);
	if (o->timed) {
		if (!s->timed || o->first_ts < s->first_ts)
			s->first_ts = o->first_ts;
		if (!s->timed || o->last_ts > s->last_ts)
			s->last_ts = o->last_ts;
		s->timed = true;
	}
	s->live = s->live || o->live;
	s->live_received += o->live_received;
	s->live_dropped += o->live_dropped;
	s->live_if_dropped += o->live_if_dropped;
}
