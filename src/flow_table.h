/*
 * flow_table: every tracked connection, found by its 4-tuple.
 *
 * A pool of struct flow grown in slabs up to --max-flows and never freed
 * per packet; an open-addressing hash (linear probing, backward-shift
 * deletion, no tombstones) over pool indices; and age lists, as p0f
 * keeps: ACTIVE in least-recently-seen order, FINISHED in order of
 * finishing, and PROVISIONAL, lone SYNs in order of arrival, which a full
 * table forgets before any ACTIVE flow. Expiry looks only at list heads,
 * so work per packet is bounded. Time is always packet time, passed in
 * by the caller.
 */
#ifndef RSTDIAG_FLOW_TABLE_H
#define RSTDIAG_FLOW_TABLE_H

#include <stdbool.h>
#include <stdint.h>

#include "flow.h"
#include "packet.h"

enum flow_release {
	FLOW_RELEASE_FINISHED,  /* closed or reset, and its grace time passed */
	FLOW_RELEASE_IDLE,      /* silent for longer than the idle timeout */
	FLOW_RELEASE_EVICTED,   /* pushed out because the table was full */
	FLOW_RELEASE_END,       /* end of input */
};

struct flow_table_config {
	uint32_t max_flows;
	int64_t finished_grace_ns;
	int64_t idle_timeout_ns;
	bool huge_pages;            /* later slabs on huge pages, reading files (slab_alloc) */
	/* Called before a flow's memory is reused; the flow is still intact. */
	void (*on_release)(void *ctx, struct flow *f, enum flow_release why);
	void *ctx;
};

struct flow_table;

struct flow_table *flow_table_new(const struct flow_table_config *cfg);
void flow_table_free(struct flow_table *ft);

/* Builds the normalised key of a segment and says which endpoint sent it. */
void flow_key_from_pkt(const struct pkt *p, struct flow_key *key, int *dir);

/* The run's random hash seed, for other tables keyed by wire data. */
uint64_t flow_table_seed(const struct flow_table *ft);
/* The hash of key, as lookup and the prefetch hints take it. */
uint32_t flow_table_hash(const struct flow_table *ft, const struct flow_key *key);
/* The flow of key (whose hash is h), or NULL. */
struct flow *flow_table_lookup_hashed(struct flow_table *ft, const struct flow_key *key,
				      uint32_t h);
/*
 * Hints, with no effect on results: a lookup of hash h is coming. A miss
 * in the bucket array and one in the flow cost more than tracking the
 * segment, so the pipeline asks for the bucket two frames ahead and, one
 * frame ahead, for the first flow on its chain whose bucket says it may
 * be the one (flow_table.c, the hash).
 */
void flow_table_prefetch_bucket(const struct flow_table *ft, uint32_t h);
void flow_table_prefetch_flows(const struct flow_table *ft, uint32_t h);
/* A new flow for key, whose flow_table_hash is h (evicting a finished
 * flow, else the oldest provisional one, else the stalest, if the table
 * is full), on the PROVISIONAL list if provisional (a lone SYN), else on
 * ACTIVE. An active flow's idle time runs from its connection's last_ts,
 * and now is that, its packet's time; a provisional flow's runs from now,
 * the run's clock (its latest packet time), as a finished flow's grace
 * does. The caller starts the connection part at once (its last_ts too:
 * flow_start_connection or tcp_track_record_syn), before the table reads
 * it: it holds whatever the slot last held. */
struct flow *flow_table_insert(struct flow_table *ft, const struct flow_key *key, uint32_t h,
			       int64_t now, bool provisional);
/* The flow was seen again at `now`: keeps the ACTIVE list in age order,
 * and moves a provisional flow to it, into the index of SYN senders under
 * its connection's client (the SYN's sender) if the packet `connects`:
 * answers the SYN with anything but a RST. Pass the test itself, not its
 * value computed ahead: inlined, it is made only for a provisional flow. */
void flow_table_touch(struct flow_table *ft, struct flow *f, bool connects);
/* Moves a closed or reset flow to the FINISHED list (idempotent). */
void flow_table_finish(struct flow_table *ft, struct flow *f, int64_t now);
/* Moves a flow back to ACTIVE (a new incarnation on a finished tuple). */
void flow_table_reopen(struct flow_table *ft, struct flow *f);
/* Releases flows whose grace or idle time ran out, a bounded number per call. */
void flow_table_expire(struct flow_table *ft, int64_t now);
/* Releases everything (end of input), oldest first. */
void flow_table_release_all(struct flow_table *ft);

/* The two keys of the index of SYN senders (flow_table_next_by_syn). */
enum syn_index {
	SYN_FROM,       /* the SYN's sender: its address and port */
	SYN_TO,         /* the SYN's receiver, and the sender's address */
};

/*
 * The flows whose lone SYN came from endpoint e of key (SYN_FROM), or that
 * endpoint e of key received from the address of key's other endpoint
 * (SYN_TO), and that went on past it, one per call: *pos starts at
 * UINT32_MAX; NULL when there are no more. IP version and tunnel match
 * too. Rare (nat_twin.c), so a second, small index rather than a field of
 * every lookup, made on the first call.
 */
struct flow *flow_table_next_by_syn(struct flow_table *ft, const struct flow_key *key, int e,
				    enum syn_index kind, uint32_t *pos);

uint32_t flow_table_live(const struct flow_table *ft);
uint32_t flow_table_peak(const struct flow_table *ft);
uint64_t flow_table_evicted(const struct flow_table *ft);
/* f's slot: 0 up to the most flows held at once, for arrays kept per slot
 * (incidents.h); f->self, the pool index, has gaps. */
uint32_t flow_table_slot(const struct flow *f);

#endif
