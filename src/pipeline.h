/*
 * pipeline: one frame in, facts tracked, every RST judged and reported.
 *
 * Owns the flow table, the counters and the reporter. Capture code feeds
 * it frames; it never touches libpcap itself, so tests and fuzzers can
 * drive it with bytes from anywhere.
 */
#ifndef RSTDIAG_PIPELINE_H
#define RSTDIAG_PIPELINE_H

#include <stdint.h>

#include "decode.h"
#include "server_insights.h"
#include "flow_table.h"
#include "tunnel_table.h"
#include "host_table.h"
#include "late_segments.h"
#include "nat_twin.h"
#include "rst_bursts.h"
#include "stray_acks.h"
#include "tls_reasm.h"
#include "kernel_reasons.h"
#include "incidents.h"
#include "verdict_queue.h"
#include "report.h"
#include "stats.h"
#include "shard.h"

struct pipeline_config {
	uint32_t max_flows;
	int64_t finished_grace_ns;
	int64_t idle_timeout_ns;
	int64_t settle_ns;          /* look-ahead per RST (VERDICT_QUEUE_SETTLE_NS for files) */
	uint64_t max_reports;       /* -c: report at most this many resets; 0 no limit */
	bool keep_incidents;        /* remember which frames each RST's connection had (-w) */
	bool huge_pages;            /* reading files: flows on huge pages (flow_table.c) */
	struct shard shard;         /* --shard K/N; n == 0: every connection */
};

/* Defaults: see the man page (--max-flows, FLOWS AND MEMORY). */
#define PIPELINE_DEFAULT_MAX_FLOWS 262144u
/* --close-timeout: longer than TIME_WAIT (60 s), so a tuple reused while its old
 * connection could still be held is seen as a new incarnation of it. */
#define PIPELINE_DEFAULT_CLOSE_TIMEOUT_S 120
/* Longer than Linux's default keep-alive give-up (7200 + 9 x 75 s). */
#define PIPELINE_IDLE_TIMEOUT_NS (10800 * 1000000000LL)

/*
 * Frames decoded ahead of tracking. A frame is decoded and its flow's hash
 * bucket prefetched on arrival, the flow itself prefetched one frame
 * later, and tracked two frames later, when both are in cache: on a busy
 * capture those two misses cost more than tracking itself. Payload bytes
 * are not kept: what tracking needs of them is read at decode time.
 */
#define PIPELINE_AHEAD 3
/* Slots: a power of two, more than PIPELINE_AHEAD. The frames tracked
 * before stay in the rest until overwritten: a RST's IPv4 ID is compared
 * with theirs (pipeline.c, id_follows_other). */
#define PIPELINE_RING 16
/* Refusals kept for a fallback connect (pipeline.refusals): a scan's
 * overwrite each other, a client's few stay. */
#define PIPELINE_REFUSALS 8
/* Capture interfaces told apart by lane (pkt.lane); later ones share the last. */
#define PIPELINE_LANES 8

struct pending_frame {
	struct pkt p;
	enum decode_result res;
	uint32_t caplen, wirelen;   /* the record's lengths, as its file gave them */
	struct flow_key key;        /* for a TCP segment (res == DECODE_OK) */
	uint32_t hash;
	int dir;
	bool own;                   /* this shard counts the frame (shard.h) */
};

/* A frame as the second read (pipeline_replay) hands it on: its bytes,
 * valid during the call only, and its connection's key if it is TCP. */
struct replay_frame {
	uint32_t source;            /* the input, counted from 0 in reading order */
	const struct report_source *src;    /* its name and the interface's name */
	const struct link_type *link;
	uint64_t frame;
	int64_t ts_ns;
	uint32_t caplen, wirelen;
	const uint8_t *bytes;
	const struct flow_key *key; /* NULL: not a TCP segment rstdiag decodes */
	struct pkt *p;              /* its segment, with key; payload facts (HTTP, TLS) once
				       replay_payload_facts has read them */
	int dir;                    /* with key: 0 if its source is the key's addr[0] */
};
typedef void (*replay_fn)(void *ctx, const struct replay_frame *rf);

/* A SYN's refusal (closed-port), with the first connect to its port on
 * another address that completed within FALLBACK_CONNECT_MAX_NS after it
 * (its handshake ACK; frame 0 none): a client's fallback to the name's
 * next address (pipeline.c, report_verdict). */
struct refused_syn {
	uint64_t frame;
	int64_t ts_ns;
	uint16_t port;
	uint8_t ipver;
	uint8_t addr[16];
	struct host_handshake connect;
};

struct pipeline {
	struct flow_table *flows;
	struct tunnel_table *tunnels;       /* tunnel contexts, for flow keys and records */
	struct host_table *hosts;           /* each host's TTLs across its connections */
	struct stray_acks *strays;          /* endpoints that opened tuples with a bare ACK */
	struct nat_twin_log twins;          /* the last RSTs that answered untranslated segments */
	struct late_segments late;          /* segments sent to a side that had closed */
	struct rst_bursts *bursts;          /* each address's last RSTs, across its connections */
	struct tls_reasm *hellos;           /* ClientHellos over several segments */
	struct kernel_reasons *kernel;      /* --kernel-reasons' tracepoint; NULL: not read */
	struct incidents *incidents;        /* keep_incidents: each RST's connection's frames */
	replay_fn replay;                   /* the second read: frames go here, not to tracking */
	void *replay_ctx;
	struct stats stats;
	struct server_insights servers;
	struct verdict_queue queue;         /* judged RSTs in their settle time */
	uint64_t max_reports;
	uint64_t reported;                  /* resets reported so far */
	struct reporter *rep;
	struct report_source src;
	const struct link_type *link;       /* NULL: frames skipped as "unparsed" */
	bool src_started;           /* a packet of the current source was seen */
	bool time_started;          /* a packet of any source was seen */
	uint32_t sources_begun;     /* inputs begun so far: the next one's index */
	/* --interleave: frames are numbered across the inputs, as in the
	 * capture mergecap makes of them, and file_frame is the next one's
	 * number in its own file (capture_on_frame). */
	bool numbered_across;
	uint64_t file_frame;
	struct shard shard;
	uint16_t interface_id;      /* the current interface's name, hashed: host_table context */
	struct refused_syn refusals[PIPELINE_REFUSALS];
	uint32_t n_refusals;
	uint32_t refusals_followed; /* refusals a fallback connect followed, so far */
	/* The current interface's lane (pkt.lane): 1 + its place in the order
	 * the capture's named interfaces first came, 0 while only one has
	 * come. Up to PIPELINE_LANES are told apart (lane_ids). */
	uint8_t lane;
	uint8_t n_lanes;
	uint16_t lane_ids[PIPELINE_LANES];
	int64_t now;                /* latest packet time: the clock for expiry */
	/* Connections whose two sides' IPv4 IDs were compared at a side's
	 * third packet, and those where they ran on one counter (note_ids). */
	uint32_t ids_both_compared, ids_both_shared;
	struct pending_frame ahead[PIPELINE_RING];
	uint32_t ahead_in, ahead_out;   /* frames decoded and tracked (wrapping); slot = count % RING */
	uint32_t ahead_source;          /* ahead_in when the current input began */
};

void pipeline_init(struct pipeline *pl, const struct pipeline_config *cfg, struct reporter *rep);
/* A new input begins; frame numbers and relative times restart with it. */
void pipeline_begin_source(struct pipeline *pl, const char *name, bool show_name,
			   const struct link_type *link);
/*
 * The frames that follow come from an interface of this link type (NULL:
 * one rstdiag cannot decode; its frames are counted as "unparsed"), named
 * interface (NULL or "": unnamed; copied). For pcapng, whose interfaces
 * differ: the frames before are tracked first.
 */
void pipeline_set_interface(struct pipeline *pl, const struct link_type *link,
			    const char *interface);
/*
 * What the pipeline keeps of the input being read. Several inputs read
 * interleaved in time order (capture_read_files) each keep theirs, and
 * the reader swaps them: frames decoded so far are tracked first, under
 * the input they came from.
 */
struct pipeline_input {
	struct report_source src;
	const struct link_type *link;
	uint16_t interface_id;
	uint8_t lane;
	bool src_started;
};
void pipeline_save_input(struct pipeline *pl, struct pipeline_input *in);
void pipeline_restore_input(struct pipeline *pl, const struct pipeline_input *in);
/* One frame. bytes holds caplen bytes, and need not outlive the call. The
 * frame is tracked (and counted) up to PIPELINE_AHEAD - 1 frames later,
 * or at pipeline_flush. */
void pipeline_frame(struct pipeline *pl, uint64_t frame, int64_t ts_ns,
		    uint32_t caplen, uint32_t wirelen, const uint8_t *bytes);
/* Whether this process counts what belongs to no connection: frames
 * that are not TCP segments, and what happens to a whole input (shard 0). */
static inline bool pipeline_counts_unkeyed(const struct pipeline *pl)
{
	return pl->shard.k == 0;
}
/* Tracks every frame still waiting: before an input ends, before a
 * message about it, and before time passes without packets. */
void pipeline_flush(struct pipeline *pl);
/* A frame the BPF filter rejected: counted, and it still sets the time origin. */
void pipeline_filtered_frame(struct pipeline *pl, uint64_t frame, int64_t ts_ns);
/* Time passes without packets (live mode): settle times and expiry run on. */
void pipeline_tick(struct pipeline *pl, int64_t now_ns);
/* End of all input: release every flow, write the summary. */
void pipeline_finish(struct pipeline *pl);
/* pipeline_finish in two steps, for a second read between them: every
 * flow released and every verdict reported, then the summary. */
void pipeline_end(struct pipeline *pl);
void pipeline_summarize(struct pipeline *pl);
/*
 * After pipeline_end: the same inputs are read again, from source 0,
 * and each frame is decoded only as far as its connection's key and handed
 * to fn, which pipeline->incidents can place. The tunnel table made in the
 * first read gives the same keys.
 */
void pipeline_replay(struct pipeline *pl, replay_fn fn, void *ctx);
/* In a replay_fn, for a frame it keeps: the HTTP and TLS facts of its
 * payload, read as the first read read them (a hello over several
 * segments aside). */
void replay_payload_facts(struct pkt *p);
void pipeline_free(struct pipeline *pl);

#endif
