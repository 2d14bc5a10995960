/*
 * stats: the run's counters and warnings, reported in the summary.
 *
 * Warnings have stable names (the summary's "warnings" list and the man
 * page): each is counted every time, stored with its first message, and
 * printed on stderr once, so a flood of bad packets cannot flood stderr.
 */
#ifndef RSTDIAG_STATS_H
#define RSTDIAG_STATS_H

#include <stddef.h>
#include <stdint.h>

#include "cause.h"
#include "decode.h"
#include "shard.h"

/* A handshake leg below this is host scheduling noise: it tells nothing of
 * where the capture was, nor whether the path is in it. */
#define HANDSHAKE_MIN_NS 1000000

enum warning {
	WARN_CAPTURE_DAMAGED,   /* libpcap stopped reading a file early */
	WARN_FLOWS_EVICTED,     /* --max-flows was reached */
	WARN_TIME_BACKWARDS,    /* a packet older than the one before it */
	WARN_HEADERS_TRUNCATED, /* snaplen cut headers: those segments were skipped */
	WARN_ENDPOINTS_FULL,    /* more server endpoints than the summary keeps */
	WARN_KERNEL_DROPS,      /* live: the kernel or the interface dropped packets */
	WARN_RECORD_LENGTH_INVALID, /* a record's lengths contradict (caplen > len, or both 0) */
	WARN_HEADERS_INVALID,   /* link/IP/TCP headers contradict a fully captured frame */
	WARN_TCP_OPTIONS_MALFORMED, /* an option of length 0 or 1, or overrunning the header */
	WARN_TCP_FLAGS_INVALID, /* SYN with FIN or RST, or no flag at all */
	WARN_TUNNELS_FULL,      /* more tunnel contexts than tunnel_table keeps */
	WARN_LINK_TYPE_UNSUPPORTED, /* a pcapng interface rstdiag cannot decode: its frames skipped */
	WARN_TCP_RELAY,         /* many addresses' packets on one IPv4 ID counter: a box
				   terminating TCP made them (host_table_shared_ids) */
	WARN_TIME_JUMP,         /* a packet more than a day after the one before it */
	WARN_GENERATED_PACKETS, /* both sides of connections on one IPv4 ID counter: one
				   program made them (pipeline.c, note_ids) */
	WARN_CAPTURE_GAPS,      /* a segment past data its receiver had acknowledged and the
				   capture never held (tcp_track.c, TRACK_CAPTURE_GAP) */
	WARN_COUNT
};
const char *warning_name(enum warning w);

/* Where the capture was taken, voted by each complete handshake. */
enum capture_point { POINT_UNKNOWN, POINT_CLIENT, POINT_SERVER, POINT_MIDDLE, POINT_COUNT };
const char *capture_point_name(enum capture_point p);

struct handshake_votes {
	uint64_t votes[POINT_COUNT];   /* POINT_UNKNOWN: too fast to tell (LAN, loopback) */
	int64_t sum_syn_synack_ns;     /* over all voting handshakes */
	int64_t sum_synack_ack_ns;
};

/* One handshake seen at the capture point: SYN->SYN-ACK and SYN-ACK->ACK. */
void stats_vote_handshake(struct handshake_votes *h, int64_t syn_synack, int64_t synack_ack);
/* The majority, ignoring "too fast to tell" unless nothing else voted. */
enum capture_point stats_capture_point(const struct handshake_votes *h);
/* "12 handshakes: SYN to SYN-ACK 40.1 ms, SYN-ACK to ACK 0.05 ms on average (...)" */
void stats_capture_point_evidence(const struct handshake_votes *h, char *buf, size_t n);

struct stats {
	uint64_t packets;          /* every frame read, filtered or not */
	uint64_t filtered_out;     /* frames the BPF filter rejected */
	uint64_t tcp_packets;      /* TCP segments analysed */
	uint64_t flows;            /* connections seen (incarnations count apart) */
	uint64_t resets;
	uint64_t payload_truncated; /* analysed segments whose payload snaplen cut */
	uint64_t duplicates;       /* capture duplicates: analysed once (tcp_track_is_duplicate) */
	uint64_t tls_hellos_joined; /* ClientHellos put together from several segments */
	uint64_t tls_hellos_cut;   /* ... left as their first segment showed (tls_reasm.h) */
	uint64_t skipped[DECODE_RESULT_COUNT];
	uint64_t by_cause[CAUSE_COUNT];
	/* --kernel-reasons: resets joined to the kernel's reason, and those whose
	 * cause fits it (cause_fits_kernel_reason), per cause. */
	uint64_t kernel_joined[CAUSE_COUNT], kernel_fits[CAUSE_COUNT];
	uint64_t warn_count[WARN_COUNT];
	char warn_msg[WARN_COUNT][256];
	/* Where the run was when each warning first came (stats_at): the input,
	 * counted from 0, and the frame; --merge keeps the earliest message.
	 * STATS_AT_END: said of the whole run, at its end. */
	struct stats_pos { uint32_t source; uint64_t frame; } at, warn_at[WARN_COUNT];
	uint64_t flows_peak;       /* most connections tracked at once */
	uint64_t flows_evicted;    /* pushed out by --max-flows */
	struct handshake_votes handshakes;
	int64_t first_ts, last_ts; /* of the whole input, every shard's frames */
	bool timed;                /* first_ts and last_ts are set: a frame was read */
	struct shard shard;        /* --shard: which part of the connections this run counts */
	bool live;                 /* read from an interface: libpcap's counts below */
	uint64_t live_received, live_dropped, live_if_dropped;
	/* --from-json of runs cut short (no summary): only the resets, counted
	 * from their records, are known; the rest is zero and not shown. */
	bool uncounted;
};

#define STATS_AT_END UINT32_MAX
/* The frame being counted: where a warning raised now is placed. */
static inline void stats_at(struct stats *s, uint32_t source, uint64_t frame)
{
	s->at.source = source;
	s->at.frame = frame;
}
/*
 * Adds another run's counts to s, as if one run had counted both (--merge):
 * counters add up, the first message of each warning is the earlier one,
 * times span both. Shards of one run (the same --shard count) each hold
 * the whole run's connection table, so its peak and evictions are
 * theirs alike; separate runs' evictions add up.
 */
void stats_merge(struct stats *s, const struct stats *other);
/* Counts warning w; the first time, keeps the message and prints it on stderr. */
void stats_warn(struct stats *s, enum warning w, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* stats_warn for what happened at frame of the current input (stats.at). */
void stats_warn_frame(struct stats *s, uint64_t frame, enum warning w, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* Counts and keeps it without printing: for callers that print their own error line. */
void stats_record(struct stats *s, enum warning w, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
