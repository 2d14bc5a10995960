/*
 * pipeline: decode -> flow lookup -> (RST: judge, report) -> track -> expire.
 *
 * A RST is judged before it is tracked, so the verdict sees both sides as
 * they stood just before it. Reports therefore come out in packet order.
 */
#include "pipeline.h"

#include <stdio.h>
#include <string.h>

#include "classify.h"
#include "stray_acks.h"
#include "tcp_track.h"

/*
 * Data of h's that the capture never held though the peer acknowledged
 * it: a hole in the sequence space h's segments covered (its span against
 * the new bytes counted, tcp_track.c) that no copy filled, where h sent
 * nothing again (a hole lost on the path is sent again, and the copy
 * would be counted as a retransmission) and the peer acknowledged h's data
 * to its end (a receiver acknowledges only what arrived, RFC 9293 3.4).
 * Zeek's capture loss counts such holes ("ack above a hole"), and
 * Wireshark marks the ACK "ACKed segment that wasn't captured": a
 * capturing host that dropped packets, a SPAN port over its rate, or one
 * way of a route that differs each way. Read once a connection, at its
 * end: nothing on the per-packet path.
 */
static bool capture_gap(const struct tcp_half *h, const struct tcp_half *peer)
{
	if (!(h->flags & HALF_F_SEEN) || h->retrans || !(peer->flags & HALF_F_ACK))
		return false;
	/* its data ends at its first FIN (a relay's second FIN one further on:
	 * the corpus's waze.pcap 47) */
	uint32_t data_end = (h->flags & HALF_F_FIN) ? h->fin_seq : h->next_seq;
	uint32_t span = data_end - h->base_seq - ((h->flags & HALF_F_ISN) ? 1u : 0u);
	uint32_t missing = span - (uint32_t)h->bytes;   /* modulo 2^32, as the numbers */
	return missing && missing < (1u << 31) && seq_geq(peer->ack, data_end);
}

/* A connection is over (released, or replaced by a new one on its tuple);
 * its waiting RSTs are the caller's to detach or keep. */
static void connection_ended(struct pipeline *pl, struct flow *f)
{
	/* Another shard's counts the connection. A lone SYN, still recorded
	 * (tcp_track_record_syn), ends with no handshake and no close to count. */
	if (!shard_owns(&pl->shard, &f->key) || f->conn.syn_only)
		return;
	if (f->conn.syn_ts && f->conn.synack_ts && f->conn.hs_ack_ts)
		stats_vote_handshake(&pl->stats.handshakes, f->conn.synack_ts - f->conn.syn_ts,
				     f->conn.hs_ack_ts - f->conn.synack_ts);
	server_insights_note_connection(&pl->servers, f);
	if (capture_gap(&f->conn.half[0], &f->conn.half[1]) ||
	    capture_gap(&f->conn.half[1], &f->conn.half[0])) {
		/* At the connection's last frame, which every shard knows
		 * alike; the run's own place is kept for what follows. */
		uint64_t last = f->conn.half[0].last.frame > f->conn.half[1].last.frame
					? f->conn.half[0].last.frame : f->conn.half[1].last.frame;
		uint64_t now = pl->stats.at.frame;
		stats_warn_frame(&pl->stats, last, WARN_CAPTURE_GAPS,
				 "%s: frame %llu: data that its receiver had acknowledged on this "
				 "connection was never captured: the capture lost packets, or holds "
				 "one way of a route that differs each way; a verdict read from a "
				 "packet's absence may be the capture's loss", pl->src.name,
				 (unsigned long long)last);
		pl->stats.at.frame = now;
	}
}

static void on_release(void *ctx, struct flow *f, enum flow_release why)
{
	struct pipeline *pl = ctx;
	if (f->pending_rsts)
		verdict_queue_detach(&pl->queue, f);
	connection_ended(pl, f);
	if (why == FLOW_RELEASE_EVICTED && shard_owns(&pl->shard, &f->key))
		stats_warn(&pl->stats, WARN_FLOWS_EVICTED,
			   "more than %u connections at once: finished ones, lone SYNs and "
			   "then the stalest were forgotten (raise --max-flows to keep them)",
			   flow_table_live(pl->flows));
}

/* A RST's verdict is final (its settle time is over): count it and report it. */
static const struct host_handshake *fallback_of(const struct pipeline *pl, uint64_t frame);

static void report_verdict(void *ctx, struct verdict *v, const struct report_source *src)
{
	struct pipeline *pl = ctx;
	if (pl->max_reports && pl->reported >= pl->max_reports)
		return;     /* -c reached: the rest are not reported, nor counted */
	pl->reported++;
	/* The sender's address may have shown its TTL since, on other
	 * connections; the peer's endpoint its lone ACKs to other ports. */
	bool shared_ids = host_table_shared_ids(pl->hosts);
	/* A silent peer's address that accepted a connection since (by now,
	 * the settle time after the RST included). */
	struct host_handshake synack;
	bool peer_accepted = classify_peer_went_silent(v) &&
			     host_table_accepted(pl->hosts, v->ipver, v->dst, v->host_context, &synack);
	/* The sender's address closed other connections gracefully (by now,
	 * the settle time after the RST included). */
	unsigned graceful = classify_graceful_matters(v)
				    ? host_table_graceful(pl->hosts, v->ipver, v->src, v->host_context)
				    : 0;
	/* A refusal from an address that accepted connections on the same
	 * port (by now, the settle time after the RST included). */
	struct host_handshake accepted;
	bool port_accepted = v->cause == CAUSE_CLOSED_PORT &&
			     host_table_accepted(pl->hosts, v->ipver, v->src, v->host_context,
						 &accepted) &&
			     accepted.port == v->sport;
	/* Or, soon after it, a connect to the same port on another address
	 * completed (a client's fallback to the name's next address). */
	const struct host_handshake *fallback =
		v->cause == CAUSE_CLOSED_PORT && !port_accepted ? fallback_of(pl, v->rst.frame) : NULL;
	bool elsewhere = fallback != NULL;
	/* Revised in place: the verdict is leaving the queue (verdict_queue.h).
	 * A copy of its 672 bytes cost 89 instructions a record of a scan's
	 * refusals, every one with no earlier packet of its sender's. */
	if (port_accepted)
		classify_revise_port_accepted(v, &accepted, false);
	else if (elsewhere)
		classify_revise_port_accepted(v, fallback, true);
	if (peer_accepted)
		classify_revise_peer_alive(v, &synack);
	if (graceful)
		classify_revise_graceful(v, graceful);
	if (v->origin_basis == ORIGIN_BY_NOTHING)
		classify_revise_origin(v, host_table_get(pl->hosts, v->ipver, v->src, v->host_context));
	if (shared_ids && v->ipver == 4) {
		classify_revise_shared_ids(v, host_table_get(pl->hosts, v->ipver, v->src,
								  v->host_context));
		v->peer_relay |= host_ids_shared(
			host_table_get(pl->hosts, v->ipver, v->dst, v->host_context));
		classify_revise_relayed_fin_ack(v);
	}
	if (v->stray_ack)
		classify_revise_probe(v, stray_acks_targets(pl->strays, v->dst, v->dport,
							    v->host_context));
	/* The burst of its sender's RSTs it began or joined, over by now
	 * (the settle time is longer than a burst). */
	struct rst_burst b;
	if (v->burst_first_d != BURST_NONE && classify_burst_matters(v) &&
	    rst_bursts_get(pl->bursts, v->src, v->host_context,
			   (uint64_t)((int64_t)v->rst.frame + v->burst_first_d), &b) &&
	    b.connections >= BURST_MIN)
		classify_revise_burst(v, &b);
	/* This host's own reason for a RST it sent (live, --kernel-reasons). */
	if (pl->kernel) {
		kernel_reasons_read(pl->kernel);
		if (kernel_reasons_take(pl->kernel, v->ipver, v->src, v->sport, v->dst, v->dport,
					&v->kernel_reason, &v->kernel_state)) {
			pl->stats.kernel_joined[v->cause]++;
			if (cause_fits_kernel_reason((enum cause)v->cause,
						     kernel_reason_name(v->kernel_reason)))
				pl->stats.kernel_fits[v->cause]++;
		}
	}
	pl->stats.resets++;
	pl->stats.by_cause[v->cause]++;
	if (pl->incidents)
		incidents_reported(pl->incidents, src->index, v->rst.frame);
	server_insights_note_reset(&pl->servers, v, src->index);
	pl->rep->reset(pl->rep, v, src);
}

void pipeline_init(struct pipeline *pl, const struct pipeline_config *cfg, struct reporter *rep)
{
	memset(pl, 0, sizeof *pl);
	struct flow_table_config fc = {
		.max_flows = cfg->max_flows,
		.finished_grace_ns = cfg->finished_grace_ns,
		.idle_timeout_ns = cfg->idle_timeout_ns,
		.huge_pages = cfg->huge_pages,
		.on_release = on_release,
		.ctx = pl,
	};
	pl->flows = flow_table_new(&fc);
	pl->tunnels = tunnel_table_new(flow_table_seed(pl->flows));
	pl->hosts = host_table_new(HOST_TABLE_SEED);
	pl->strays = stray_acks_new();
	pl->bursts = rst_bursts_new();
	pl->hellos = tls_reasm_new();
	pl->src.tunnels = pl->tunnels;
	server_insights_init(&pl->servers, (uint32_t)flow_table_seed(pl->flows));
	verdict_queue_init(&pl->queue, VERDICT_QUEUE_MAX, cfg->settle_ns, report_verdict, pl);
	pl->max_reports = cfg->max_reports;
	pl->shard = cfg->shard;
	pl->stats.shard = cfg->shard;
	for (int i = 0; i < PIPELINE_RING; i++)
		pl->ahead[i].own = true;    /* unsharded, every frame is this run's */
	pl->rep = rep;
	pl->src.index = UINT32_MAX;     /* no input yet: pipeline_begin_source counts from 0 */
	if (cfg->keep_incidents)
		pl->incidents = incidents_new();
}

/* The frames to come are of capture interface lane (pkt.lane): each slot
 * of the ring keeps it, decoding does not touch it, so no frame has to
 * be told (the frames before are tracked: pipeline_flush). */
static void set_lane(struct pipeline *pl, uint8_t lane)
{
	pl->lane = lane;
	for (size_t i = 0; i < PIPELINE_RING; i++)
		pl->ahead[i].p.lane = lane;
}

void pipeline_begin_source(struct pipeline *pl, const char *name, bool show_name,
			   const struct link_type *link)
{
	pipeline_flush(pl);     /* the previous input's frames, under its name */
	/* Frame numbers restart with the input, and the log is searched by
	 * them (late_segments.c): a connection that goes on across two files
	 * pairs its RSTs by their numbers alone. */
	pl->late.n = 0;
	/* A file read after another is another capture: its interfaces are
	 * its own. Inputs read interleaved are one capture (their lanes
	 * kept, pipeline_input). */
	if (!pl->numbered_across) {
		pl->n_lanes = 0;
		set_lane(pl, 0);
		/* and its frame numbers restart: no refusal of the last one's
		 * is looked up by number (fallback_of) */
		pl->n_refusals = pl->refusals_followed = 0;
	}
	pl->ahead_source = pl->ahead_in;
	pl->src.name = name;
	/* Counted apart from the current input's: with --interleave the input
	 * read before this one need not be the last one begun. */
	pl->src.index = pl->sources_begun++;
	pl->stats.at.source = pl->src.index;
	if (pl->incidents && !pl->replay)
		incidents_begin_source(pl->incidents, pl->src.index);
	pl->src.show_name = show_name;
	pl->src.first_ts = 0;
	pl->src_started = false;
	pl->src.interface[0] = '\0';
	pl->link = link ? link : link_type_unsupported();
}

/*
 * The frames decoded so far are tracked first, under the interface they
 * came from: then a frame needs no note of its own interface, and the
 * per-frame work of a file with one interface (all of them but pcapng
 * with several) stays as it was.
 */
void pipeline_set_interface(struct pipeline *pl, const struct link_type *link,
			    const char *interface)
{
	pipeline_flush(pl);
	pl->link = link ? link : link_type_unsupported();
	snprintf(pl->src.interface, sizeof pl->src.interface, "%s", interface ? interface : "");
	/* FNV-1a of the name, folded: two capture points of one host (a
	 * router's two sides) see it at two TTLs and are profiled apart. */
	uint32_t h = 2166136261u;
	for (const char *c = pl->src.interface; *c; c++)
		h = (h ^ (uint8_t)*c) * 16777619u;
	pl->interface_id = pl->src.interface[0] ? (uint16_t)(h ^ (h >> 16)) : 0;
	/* Its lane, in the order the capture's interfaces first came (a
	 * router's two sides: 0 and 1), for telling a packet's copy on the
	 * other side from a second packet (tcp_track_copy_of_last). */
	uint8_t lane = 0;
	while (lane < pl->n_lanes && pl->lane_ids[lane] != pl->interface_id)
		lane++;
	if (lane == pl->n_lanes && pl->n_lanes < PIPELINE_LANES)
		pl->lane_ids[pl->n_lanes++] = pl->interface_id;
	if (lane == PIPELINE_LANES)
		lane = PIPELINE_LANES - 1;
	/* 0 while the capture has shown one interface (pkt.lane) */
	set_lane(pl, pl->n_lanes > 1 ? (uint8_t)(lane + 1) : 0);
}

void pipeline_save_input(struct pipeline *pl, struct pipeline_input *in)
{
	pipeline_flush(pl);
	in->src = pl->src;
	in->link = pl->link;
	in->interface_id = pl->interface_id;
	in->lane = pl->lane;
	in->src_started = pl->src_started;
}

void pipeline_restore_input(struct pipeline *pl, const struct pipeline_input *in)
{
	pipeline_flush(pl);
	pl->src = in->src;
	pl->link = in->link;
	pl->interface_id = in->interface_id;
	set_lane(pl, in->lane);
	pl->src_started = in->src_started;
	pl->stats.at.source = in->src.index;
}

/* A day: no capture's traffic is silent that long and keeps its connections. */
#define TIME_JUMP_NS (86400 * 1000000000LL)

/* Every frame is the clock, whichever shard counts it (own). */
static void note_time(struct pipeline *pl, uint64_t frame, int64_t ts, bool own)
{
	struct stats *s = &pl->stats;
	if (!pl->src_started) {
		pl->src_started = true;
		/* Interleaved, the inputs are one capture: times from its start. */
		pl->src.first_ts = pl->numbered_across && pl->time_started ? s->first_ts : ts;
	}
	if (!pl->time_started) {
		pl->time_started = true;
		s->timed = true;
		s->first_ts = s->last_ts = ts;
		pl->now = ts;
		return;
	}
	if (ts < s->last_ts && own)
		stats_warn_frame(s, frame, WARN_TIME_BACKWARDS,
			   "%s: packet times go backwards (first at frame %llu): gaps and idle "
			   "times near it may be wrong",
			   pl->src.name, (unsigned long long)frame);
	/* A day or more of silence is a clock set meanwhile (a capture that
	 * began before its device had the time: the corpus's
	 * ndpi/tunnelbear.pcap, 181 s after 1970 and then 2022), or files
	 * joined: rel counts across it (as Wireshark's relative time does). */
	else if (ts - s->last_ts >= TIME_JUMP_NS && own)
		stats_warn_frame(s, frame, WARN_TIME_JUMP,
			   "%s: packet times jump %lld s forward at frame %llu (a clock set during the "
			   "capture, or files joined): times relative to the first packet count across "
			   "the jump", pl->src.name, (long long)((ts - s->last_ts) / 1000000000),
			   (unsigned long long)frame);
	s->last_ts = ts;
	if (ts > pl->now)
		pl->now = ts;
}

/* The connection pf belongs to, begun if it is new; only the shard that
 * owns it counts it. Inlined by force: left to itself the compiler stopped
 * inlining it into follow_segment when the RST path grew (nat_twin), and
 * the 200k bench capture took 3.7M instructions more (follow_segment
 * forced too cost 1.4M: left alone, 326.6M). */
static inline __attribute__((always_inline)) struct flow *flow_for(struct pipeline *pl,
							   const struct pending_frame *pf)
{
	const struct pkt *p = &pf->p;
	int dir = pf->dir;
	struct flow *f = flow_table_lookup_hashed(pl->flows, &pf->key, pf->hash);
	if (f && f->conn.syn_only)
		tcp_track_unfold_syn(f);    /* its second packet */
	if (f && tcp_track_is_new_incarnation(f, dir, p)) {
		/* The RSTs waiting on the old connection see the SYN that
		 * begins the new one: each stops watching, but a refusal of this
		 * same SYN, sent again, which watches for its answer
		 * (verdict_queue.c, observe). */
		if (f->pending_rsts)
			verdict_queue_observe(&pl->queue, f, dir, p);
		connection_ended(pl, f);
		tcp_track_new_incarnation(f, p->ts_ns);
		flow_table_reopen(pl->flows, f);
		tcp_track_begin(f, dir, p);
		if (pf->own) {
			pl->stats.flows++;
			if (pl->incidents)
				incidents_connection_began(pl->incidents, flow_table_slot(f), p->frame);
		}
	} else if (!f) {
		pl->stats.at.frame = p->frame;  /* an eviction's warning is placed here */
		/* A lone SYN is a provisional flow, which a full table forgets
		 * first (flow_table.c), in every shard alike; this shard's own
		 * is only recorded until it is not alone. */
		bool lone_syn = tcp_track_recordable(p);
		f = flow_table_insert(pl->flows, &pf->key, pf->hash, lone_syn ? pl->now : p->ts_ns,
				      lone_syn);
		if (lone_syn && pf->own) {
			tcp_track_record_syn(f, dir, p);
		} else {
			flow_start_connection(f, p->ts_ns);
			tcp_track_begin(f, dir, p);
			f->conn.after_evictions = f->conn.midstream &&
						  flow_table_evicted(pl->flows) > 0;
			if (p->flags == TCP_ACK && p->payload_len == 0)
				stray_acks_note(pl->strays, p->src, p->sport,
						host_context(pf->key.tunnel, pl->interface_id), p->dst,
						p->dport);
		}
		if (pf->own) {
			pl->stats.flows++;
			if (pl->incidents)
				incidents_connection_began(pl->incidents, flow_table_slot(f), p->frame);
		}
	} else {
		flow_table_touch(pl->flows, f, !(p->flags & TCP_RST));
	}
	return f;
}

/* -c was reached by an earlier frame: reading stops there, as tcpdump -c does. */
static bool reading_stopped(const struct pipeline *pl)
{
	return pl->max_reports && pl->reported >= pl->max_reports;
}

void pipeline_filtered_frame(struct pipeline *pl, uint64_t frame, int64_t ts_ns)
{
	pipeline_flush(pl);     /* counted in frame order */
	if (reading_stopped(pl) || pl->replay)
		return;
	bool own = pipeline_counts_unkeyed(pl);
	if (own) {
		pl->stats.packets++;
		pl->stats.filtered_out++;
	}
	note_time(pl, frame, ts_ns, own);
}

/*
 * A record's lengths as its file wrote them: libpcap passes these through
 * (a caplen above the snaplen it cuts, or refuses in pcapng). More bytes
 * than the packet's length are still bytes of the record, and Wireshark
 * shows them all: decode_pending uses them, and this says so. An empty
 * record holds nothing to decode.
 */
static bool record_lengths_usable(struct pipeline *pl, uint64_t frame, uint32_t caplen,
				  uint32_t wirelen)
{
	struct stats *s = &pl->stats;
	unsigned long long n = (unsigned long long)frame;
	if (caplen == 0 && wirelen == 0) {
		stats_warn_frame(s, frame, WARN_RECORD_LENGTH_INVALID, "%s: frame %llu: an empty record "
			   "(length 0, nothing captured)", pl->src.name, n);
		return false;
	}
	if (caplen > wirelen)
		stats_warn_frame(s, frame, WARN_RECORD_LENGTH_INVALID, "%s: frame %llu: the record holds %u "
			   "bytes of a %u-byte packet; all %u are used", pl->src.name, n,
			   caplen, wirelen, caplen);
	return true;
}

/* Damage in a decoded segment: counted under its own warning, and analysed. */
static void segment_anomalies(struct pipeline *pl, const struct pkt *p)
{
	struct stats *s = &pl->stats;
	unsigned long long n = (unsigned long long)p->frame;
	if (p->offset_past)
		stats_warn_frame(s, p->frame, WARN_HEADERS_INVALID, "%s: frame %llu: the TCP data offset runs past "
			   "the segment; its header was read as far as it goes", pl->src.name, n);
	if (p->opts.malformed)
		stats_warn_frame(s, p->frame, WARN_TCP_OPTIONS_MALFORMED, "%s: frame %llu: malformed TCP options "
			   "(a length of 0 or 1, or an option running past the header); the options "
			   "after it are ignored", pl->src.name, n);
	/* RFC 9293 3.10.7: a SYN never carries FIN or RST; every segment
	 * carries some flag. Scanners, forgeries and corruption do this. */
	if (((p->flags & TCP_SYN) && (p->flags & (TCP_FIN | TCP_RST))) || p->flags == 0)
		stats_warn_frame(s, p->frame, WARN_TCP_FLAGS_INVALID, "%s: frame %llu: TCP flags 0x%02x (SYN with "
			   "FIN or RST, or no flag at all), which no TCP stack sends; analysed as they "
			   "are", pl->src.name, n, p->flags);
}

_Static_assert((PIPELINE_RING & (PIPELINE_RING - 1)) == 0 && PIPELINE_RING > PIPELINE_AHEAD,
	       "the ring is a power of two holding every frame in flight");

static struct pending_frame *slot(struct pipeline *pl, uint32_t n)
{
	return &pl->ahead[n & (PIPELINE_RING - 1)];
}

/*
 * The latest frame before the one being tracked, of this input and still
 * in the ring, from an address at neither end of p's connection; NULL if
 * none is left. A box that terminates TCP for many addresses numbers what
 * it sends for all of them with one counter (VirtualBox's NAT engine,
 * slirp4netns, a phone's VPN app: host_table_shared_ids), so each of its
 * packets carries an IPv4 ID a little after that of its last packet for
 * any other address, whatever its packets on this connection showed.
 * Read at a RST and at a connection's third segment, so ordinary
 * segments pay nothing: the ring's earlier slots hold those frames until
 * they are overwritten.
 */
static const struct pkt *latest_other(struct pipeline *pl, const struct pkt *p)
{
	uint32_t cur = pl->ahead_out - 1;
	uint32_t back = PIPELINE_RING - (pl->ahead_in - cur);
	if (back > cur - pl->ahead_source)
		back = cur - pl->ahead_source;
	for (uint32_t k = 1; k <= back; k++) {
		const struct pending_frame *o = slot(pl, cur - k);
		if (o->res == DECODE_OK && o->p.ipver == 4 && memcmp(o->p.src, p->src, 4) &&
		    memcmp(o->p.src, p->dst, 4))
			return &o->p;
	}
	return NULL;
}

/* Whether IPv4 ID id runs on from the other address's packet o: a little
 * after it, as far as the box's packets elsewhere meanwhile take it (the
 * host table's HOST_SHARED_ID_NEAR, for the same counter). */
static inline bool id_runs_on(const struct pkt *o, uint16_t id)
{
	uint16_t d = (uint16_t)(id - o->ip_id);
	return o->ip_id && d >= 1 && d <= HOST_SHARED_ID_NEAR;
}

/* A RST's own ID against the box's last packet elsewhere (the corpus's
 * ndpi/gnutella.pcap 1485: ID 1170, one after frame 1484's, from another
 * address; its own connection's began at 946). Where the capture shows
 * no such counter, an ID near another host's is chance, and the report
 * does not read it (classify_revise_shared_ids). */
static void id_follows_other(struct pipeline *pl, const struct pkt *p, struct verdict *v)
{
	const struct pkt *o = latest_other(pl, p);
	if (o && id_runs_on(o, p->ip_id) && p->frame - o->frame <= UINT8_MAX) {
		v->id_follows_back = (uint8_t)(p->frame - o->frame);
		v->id_follows_id = o->ip_id;
	}
}

/*
 * Two hosts number their packets each on its own counter (Linux per
 * destination, Windows one for the host, others at random: RFC 6864
 * 4.1), so a side's ID runs on from its peer's last only by a chance of
 * about one in two thousand. When both sides of connection after
 * connection run on one counter, one program made their packets: a
 * traffic generator or a crafted capture (the corpus's
 * tcp_handshake_synthetic.pcap and zattoo.pcap; reviews of them), or a
 * TLS-decrypting proxy that writes what it decrypted as a capture of its
 * own (arkime/smtp-decrypted.pcap does so only after STARTTLS, past the
 * third packets compared here, and is not caught). One host's loopback
 * traffic (a Windows host's one counter) is that host's own, and is not
 * counted.
 */
#define IDS_BOTH_NEAR 16

static void note_ids_both(struct pipeline *pl, struct flow *f, int dir, const struct pkt *p)
{
	const struct tcp_half *peer = &f->conn.half[1 - dir];
	if (!peer->ip_id || !p->ip_id || peer->pkts < 2 || memcmp(p->src, p->dst, 16) == 0 ||
	    p->src[0] == 127)
		return;
	pl->ids_both_compared++;
	uint16_t on = (uint16_t)(p->ip_id - peer->ip_id), back = (uint16_t)(peer->ip_id - p->ip_id);
	if ((on >= 1 && on <= IDS_BOTH_NEAR) || (back >= 1 && back <= IDS_BOTH_NEAR)) {
		pl->ids_both_shared++;
		f->conn.half[dir].ids_near_peer = 1;
	}
}

/* A half's second and third IPv4 IDs into its host's profile, and
 * whether the third ran on from another address's packet just before. */
static void note_ids(struct pipeline *pl, struct flow *f, int dir,
		     const struct tcp_half *h, const struct pkt *p)
{
	const struct pkt *o = latest_other(pl, p);
	host_table_note_ids(pl->hosts, p->src, host_context(f->key.tunnel, pl->interface_id),
			    h->ip_id, p->ip_id, o ? id_runs_on(o, p->ip_id) : -1);
	note_ids_both(pl, f, dir, p);
}

/* A SYN-ACK's first TTL and option layout into its host's profile, with
 * where it accepted the connection. Out of line: inlined, it tipped LTO
 * into leaving tcp_track_segment out of the per-packet path (200k bench
 * capture: 323.1M to 328.7M instructions). */
static __attribute__((noinline)) void note_first_synack(struct pipeline *pl, const struct flow *f,
							 const struct pkt *p)
{
	struct host_handshake synack = { p->frame, p->ts_ns, p->sport };
	host_table_note(pl->hosts, p->ipver, p->src, host_context(f->key.tunnel, pl->interface_id),
			p->ttl, p->opts.layout, &synack);
}

/* This side's first TTL (and a SYN's option layout) into its host's profile. */
static inline void note_first_host(struct pipeline *pl, const struct flow *f, const struct pkt *p)
{
	if ((p->flags & (TCP_SYN | TCP_ACK)) == (TCP_SYN | TCP_ACK)) {
		note_first_synack(pl, f, p);
		return;
	}
	host_table_note(pl->hosts, p->ipver, p->src, host_context(f->key.tunnel, pl->interface_id),
			p->ttl, (p->flags & TCP_SYN) ? p->opts.layout : 0, NULL);
}

/* The segment after a half's SYN: if it is the ACK of its peer's SYN-ACK,
 * its host's connect completed (for its attempts dropped meanwhile:
 * classify_revise_race). Read from what every shard keeps of a connection
 * (tcp_track_follow): its ISNs and last segments. Out of line: once a
 * connection. */
static __attribute__((noinline)) void note_connected(struct pipeline *pl, const struct flow *f,
						     int dir, const struct pkt *p)
{
	const struct tcp_half *peer = &f->conn.half[1 - dir];
	if ((p->flags & (TCP_SYN | TCP_ACK | TCP_RST)) != TCP_ACK || !f->conn.synack ||
	    !(peer->flags & HALF_F_ISN) || p->ack != peer->base_seq + 1)
		return;
	struct host_handshake ack = { p->frame, p->ts_ns, p->dport };
	host_table_note_connected(pl->hosts, p->ipver, p->src,
				  host_context(f->key.tunnel, pl->interface_id), &ack);
	/* the fallback of a refusal just before, to the port on another address */
	uint32_t kept = pl->n_refusals < PIPELINE_REFUSALS ? pl->n_refusals : PIPELINE_REFUSALS;
	for (uint32_t i = 0; i < kept; i++) {
		struct refused_syn *r = &pl->refusals[i];
		if (!r->connect.frame && r->port == p->dport && p->frame > r->frame &&
		    p->ts_ns - r->ts_ns <= FALLBACK_CONNECT_MAX_NS &&
		    (r->ipver != p->ipver || memcmp(r->addr, p->dst, 16) != 0)) {
			r->connect = ack;
			pl->refusals_followed++;
		}
	}
}

/* RST p's refusal of a SYN, for a fallback connect after it
 * (note_connected), in every shard (note_refusal): the ring then holds the
 * same refusals whichever shard reads it. */
static void note_refused_syn(struct pipeline *pl, const struct pkt *p)
{
	struct refused_syn *r = &pl->refusals[pl->n_refusals++ % PIPELINE_REFUSALS];
	r->frame = p->frame;
	r->ts_ns = p->ts_ns;
	r->port = p->sport;
	r->ipver = p->ipver;
	memcpy(r->addr, p->src, 16);
	r->connect.frame = 0;
}

/* The connect that followed refusal frame at once on another address, or NULL. */
static const struct host_handshake *fallback_of(const struct pipeline *pl, uint64_t frame)
{
	if (!pl->refusals_followed)     /* none yet: a scan's refusals, one by one */
		return NULL;
	uint32_t kept = pl->n_refusals < PIPELINE_REFUSALS ? pl->n_refusals : PIPELINE_REFUSALS;
	for (uint32_t i = 0; i < kept; i++)
		if (pl->refusals[i].frame == frame && pl->refusals[i].connect.frame)
			return &pl->refusals[i].connect;
	return NULL;
}

/* A FIN answering the peer's, which closed first, before either sent a
 * RST: the peer's host closed this connection gracefully (for a RST of
 * its that a zero linger or unread data could have sent:
 * classify_revise_graceful). Read from what every shard keeps of a
 * connection (tcp_track_follow). Out of line: once a connection. */
static __attribute__((noinline)) void note_graceful(struct pipeline *pl, const struct flow *f,
						    int dir, const struct pkt *p)
{
	const struct tcp_half *h = &f->conn.half[dir], *peer = &f->conn.half[1 - dir];
	if (f->conn.first_closer != 1 - dir || !(peer->flags & HALF_F_FIN) ||
	    (h->flags & HALF_F_FIN) || h->rst_frame || peer->rst_frame)
		return;
	host_table_note_graceful(pl->hosts, p->ipver, p->dst,
				 host_context(f->key.tunnel, pl->interface_id));
}

/* This side's first TTL (and a SYN's option layout), then its second
 * and third IPv4 IDs: its host's profile; its handshake ACK; and the
 * peer's graceful close its FIN answers. */
static void note_host(struct pipeline *pl, struct flow *f, int dir,
			     const struct pkt *p)
{
	const struct tcp_half *h = &f->conn.half[dir];
	if (p->flags & TCP_RST)
		return;
	if (__builtin_expect(p->flags & TCP_FIN, 0))
		note_graceful(pl, f, dir, p);
	if (!(h->flags & HALF_F_SEEN) || h->ttl_min > h->ttl_max) {
		note_first_host(pl, f, p);
		return;
	}
	if ((h->last.flags & (TCP_SYN | TCP_ACK)) == TCP_SYN)
		note_connected(pl, f, dir, p);
	if (h->pkts == 2 && p->ipver == 4)
		note_ids(pl, f, dir, h, p);
}

/* RST p of endpoint dir is a copy of a RST of its whose verdict waits:
 * p->copy_of names the first of that RST's copies, and p->copy_ttl its
 * TTL, unless that one is more than a router from p's. */
static __attribute__((noinline)) bool copy_of_waiting_rst(struct pipeline *pl,
							  const struct flow *f, int dir,
							  struct pkt *p)
{
	const struct verdict *copied = verdict_queue_copy_of(&pl->queue, f, dir, p);
	if (!copied)
		return false;
	p->copy_of = copied->rst.frame;
	p->copy_ttl = copied->rst.ttl;
	if (copied->detail == DETAIL_DUPLICATE && copied->followup_of) {
		uint8_t first_ttl = copied->copied_ttl ? copied->copied_ttl : copied->rst.ttl;
		if (first_ttl <= p->ttl + 1 && p->ttl <= first_ttl + 1) {
			p->copy_of = copied->followup_of;
			p->copy_ttl = first_ttl;
		}
	}
	return true;
}

/* RST p from endpoint dir of f answers an untranslated segment of another
 * connection: logged (the newest entry), for its verdict and the twin's
 * later RSTs (nat_twin.h). Out of line: rare, and the segment's path is
 * inlined whole. */
static __attribute__((noinline)) bool find_twin(struct pipeline *pl, const struct flow *f,
						int dir, const struct pkt *p)
{
	int end;
	struct nat_twin_note nat;
	const struct flow *twin = nat_twin_find(pl->flows, f, dir, &end, &nat);
	if (twin)
		nat_twin_log_add(&pl->twins, f, dir, p, twin, end, &nat);
	return twin != NULL;
}

/*
 * A port probed: RST p of endpoint dir refuses its peer's SYN (it
 * acknowledges it, the peer having sent nothing else), or aborts a
 * connection dir opened, the handshake done and nothing sent either way
 * (a connect scan's open port, nmap -sT). The client's address is noted
 * with the server's port (for a scan's refusals: classify_revise_scan).
 * Read from what every shard keeps (tcp_track_follow): ISNs, highest
 * numbers, last segments. Out of line: once a RST.
 */
static __attribute__((noinline)) unsigned note_refusal(struct pipeline *pl,
							const struct flow *f, int dir,
							const struct pkt *p)
{
	const struct tcp_half *h = &f->conn.half[dir], *peer = &f->conn.half[1 - dir];
	uint32_t ctx = host_context(f->key.tunnel, pl->interface_id);
	if (!(p->flags & TCP_ACK) || !(peer->flags & HALF_F_ISN))
		return 0;
	if ((peer->last.flags & (TCP_SYN | TCP_ACK)) == TCP_SYN && p->ack == peer->base_seq + 1) {
		note_refused_syn(pl, p);
		return host_table_note_probe(pl->hosts, p->ipver, p->dst, p->src, ctx, p->sport);
	}
	if (f->conn.synack && dir == f->conn.client && (h->flags & HALF_F_ISN) &&
	    h->next_seq == h->base_seq + 1 && peer->next_seq == peer->base_seq + 1)
		host_table_note_probe(pl->hosts, p->ipver, p->src, p->dst, ctx, p->dport);
	return 0;
}

/* The verdict just made for RST p, a connecting client's refusal of a
 * SYN-ACK, read again with the client's latest completed connect. */
static __attribute__((noinline)) void judge_by_race(struct pipeline *pl, const struct pkt *p,
						    uint32_t ctx, struct verdict *v)
{
	struct host_handshake won;
	if (host_table_connected(pl->hosts, p->ipver, p->src, ctx, &won))
		classify_revise_race(v, &won);
}

/* The verdict just made for RST p, read again with the twins logged. */
static __attribute__((noinline)) void judge_by_twins(struct pipeline *pl, const struct flow *f,
						     int dir, const struct pkt *p,
						     bool untranslated, struct verdict *v)
{
	if (untranslated) {
		classify_revise_untranslated(v, nat_twin_log_newest(&pl->twins));
		return;
	}
	const struct nat_twin_reset *r = nat_twin_log_find(&pl->twins, f, dir, p);
	if (r)
		classify_revise_after_untranslated(v, r);
}

/*
 * A TCP segment, into its connection. With --shard, a segment of another
 * shard's connection (!pf->own) comes here too, and is followed as far
 * as what it says of its host, its copies, its close and its RSTs' place
 * in the look-ahead (tcp_track_follow): then every host profile, settle
 * time and eviction is one run's, and the shards' records are one run's
 * records, split. One path for both, so the per-packet calls below have
 * one call site each and stay inlined.
 */
static inline void follow_segment(struct pipeline *pl, struct pending_frame *pf)
{
	struct stats *s = &pl->stats;
	struct pkt *p = &pf->p;
	bool own = pf->own;
	/* RSTs whose settle time ended before this packet are final (reported
	 * here, the one place a segment does it): this packet must neither
	 * revise them nor add to the host profile they are read with. */
	verdict_queue_due(&pl->queue, pl->now - 1);
	int dir = pf->dir;
	struct flow *f = flow_for(pl, pf);
	if (pl->incidents && own)
		incidents_frame(pl->incidents, flow_table_slot(f), p->frame, p->flags & TCP_RST, &f->key);
	if (__builtin_expect(f->conn.syn_only, 0)) {
		/* A new tuple's bare SYN, only recorded (tcp_track_record_syn):
		 * nothing came before it to copy, and it is tracked when a
		 * second packet comes. Its host is noted now, as any first
		 * segment's. */
		note_first_host(pl, f, p);
		flow_table_expire(pl->flows, pl->now);
		return;
	}
	/* A second copy of a packet changes nothing; a RST's copy is still
	 * reported (every RST gets a record), as a follow-up of the first. */
	bool copy = tcp_track_is_duplicate(f, dir, p);
	if (__builtin_expect(p->outgoing, 0))
		copy = tcp_track_leaving(f, dir, p, copy);
	/* A RST's copy, with other packets between or not: the RST it
	 * copies waits, and the copy is linked to the first of them all, as
	 * that one's copies are (a capture of every packet four times, on
	 * both sides of a router: the corpus's ndpi/rtsp.pcap 7, 8, 11 and
	 * 12, each linked to the one before; a review). */
	if (__builtin_expect((p->flags & TCP_RST) && f->pending_rsts, 0))
		copy = copy_of_waiting_rst(pl, f, dir, p) || copy;
	if (copy && own)
		s->duplicates++;
	if (f->pending_rsts && !copy)
		verdict_queue_observe(&pl->queue, f, dir, p);
	if (p->flags & TCP_RST) {
		/* Of every shard, as the next two: a burst or a twin may be
		 * another's connections (rst_bursts.h, nat_twin.h). */
		uint64_t burst = copy || !rst_bursts_may_abort(p)
					 ? 0 : rst_bursts_note(pl->bursts, p->src,
							       host_context(f->key.tunnel,
									    pl->interface_id),
							       p->frame, p->ts_ns, f->hash);
		bool untranslated = __builtin_expect(nat_twin_candidate(f, dir, p), 0) &&
				    find_twin(pl, f, dir, p);
		/* Of every shard, as the two above: a scan's refusals are
		 * other shards' connections too. A refusal's count of the
		 * ports probed so far, its own included. */
		unsigned probed = copy ? 0 : note_refusal(pl, f, dir, p);
		if (__builtin_expect(own, 1)) {
			uint32_t ctx = host_context(f->key.tunnel, pl->interface_id);
			struct capture_so_far so_far = {
				.start_ns = pl->src.first_ts,
				.ids_both_compared = pl->ids_both_compared,
				.ids_both_shared = pl->ids_both_shared,
			};
			/* Judged where it waits for the look-ahead: the queue's
			 * entry, made (and the oldest reported, if full) first. */
			struct verdict *v = verdict_queue_next(&pl->queue);
			classify_rst(f, dir, p, host_table_get(pl->hosts, p->ipver, p->src, ctx), ctx,
				     __builtin_expect(pl->late.n != 0, 0) && !copy
					     ? late_segments_next(&pl->late, f, dir) : NULL,
				     &so_far, v);
			if (__builtin_expect(pl->late.n != 0, 0))
				late_segments_answered(&pl->late, f, dir, v->trigger.frame);
			if (burst)
				v->burst_first_d = (int32_t)((int64_t)burst - (int64_t)p->frame);
			if (__builtin_expect(pl->twins.n != 0, 0))
				judge_by_twins(pl, f, dir, p, untranslated, v);
			if (v->rule == RULE_SYN_ACK_AFTER_CLIENT_GAVE_UP)
				judge_by_race(pl, p, ctx, v);
			if (probed >= SCAN_PORTS_MIN)
				classify_revise_scan(v, probed);
			/* Its own ID against the counter other hosts' packets ran on
			 * (a NAT engine's refusal carries the next of it): their
			 * connections' starts, once the capture has shown one, and
			 * the frames just before it. The report decides with what
			 * the capture shows by then (host_table_shared_ids). */
			if (p->ipver == 4 && p->ip_id && host_table_ids_shared_seen(pl->hosts)) {
				v->id_near_shared = host_table_id_near_recent(
					pl->hosts, p->src, ctx, p->ip_id);
				id_follows_other(pl, p, v);
			}
			verdict_queue_push_next(&pl->queue, f, dir, &pl->src);
		} else {
			verdict_queue_hold(&pl->queue, p->ts_ns);
		}
	}
	/* Noted once the RST's own judge has asked whether it is a copy. */
	if (__builtin_expect(copy, 0))
		tcp_track_note_copy(f, dir);
	if (!copy) {
		note_host(pl, f, dir, p);
		unsigned r = __builtin_expect(own, 1) ? tcp_track_segment(f, dir, p)
						      : tcp_track_follow(f, dir, p);
		if (__builtin_expect(r != 0, 0)) {
			if (r & TRACK_FINISHED)
				flow_table_finish(pl->flows, f, pl->now);
			/* Of every shard: the log is bounded, and each
			 * shard's must hold what one run's does. */
			late_segments_note(&pl->late, f, dir, p);
		}
	}
	flow_table_expire(pl->flows, pl->now);
}

/* What a frame this run counts adds to the counters and warnings; false
 * when it is no TCP segment to follow. */
static bool count_frame(struct pipeline *pl, struct pending_frame *pf)
{
	struct stats *s = &pl->stats;
	struct pkt *p = &pf->p;
	s->packets++;
	if (!record_lengths_usable(pl, p->frame, pf->caplen, pf->wirelen)) {
		s->skipped[DECODE_INVALID]++;
		return false;
	}
	if (pf->res != DECODE_OK) {
		s->skipped[pf->res]++;
		if (pf->res == DECODE_TRUNCATED)
			stats_warn_frame(s, p->frame, WARN_HEADERS_TRUNCATED,
				   "%s: frame %llu: headers cut by the capture's snaplen; such segments "
				   "are skipped (capture with a larger -s)",
				   pl->src.name, (unsigned long long)p->frame);
		else if (pf->res == DECODE_INVALID)
			stats_warn_frame(s, p->frame, WARN_HEADERS_INVALID,
				   "%s: frame %llu: link, IP or TCP header fields contradict the frame (a "
				   "length out of range); such frames are skipped",
				   pl->src.name, (unsigned long long)p->frame);
		return false;
	}
	segment_anomalies(pl, p);
	if (p->tunnel == TUNNEL_IDENTITY_OVERFLOW)
		stats_warn_frame(s, p->frame, WARN_TUNNELS_FULL,
			   "%s: frame %llu: more than %u tunnel contexts: connections in the rest "
			   "are told apart by their inner addresses and ports alone", pl->src.name,
			   (unsigned long long)p->frame, TUNNEL_TABLE_MAX);
	s->tcp_packets++;
	if (p->payload_caplen < p->payload_len)
		s->payload_truncated++;
	return true;
}

/* Tracks a frame decoded earlier: everything that counts, warns or
 * changes state happens here, in frame order. */
__attribute__((noinline))   /* one copy for pipeline_frame and pipeline_flush */
static void track_frame(struct pipeline *pl, struct pending_frame *pf)
{
	struct pkt *p = &pf->p;

	if (reading_stopped(pl))
		return;
	note_time(pl, p->frame, p->ts_ns, pf->own);
	if (__builtin_expect(pf->own, 1)) {
		if (!count_frame(pl, pf))
			return;
	} else if (pf->res != DECODE_OK) {
		return;
	}
	follow_segment(pl, pf);
}


/* The decoded segment's connection: its tunnel context, key and hash, and
 * the hash bucket asked for; for a SYN, its host's entry too (a flood's
 * every SYN notes a new host: 1M SYNs, median of 11 alternating runs,
 * 417 to 335 ms). */
static inline void key_pending(struct pipeline *pl, struct pending_frame *pf)
{
	struct pkt *p = &pf->p;
	if (p->tun.n) {
		/* Ids are handed out in frame order, as decoding is; a RST's own
		 * path is kept for its record. */
		p->tunnel = tunnel_table_identity(pl->tunnels, &p->tun);
		if (p->flags & TCP_RST)
			p->tunnel_path = tunnel_table_path(pl->tunnels, &p->tun);
	}
	flow_key_from_pkt(p, &pf->key, &pf->dir);
	pf->hash = flow_table_hash(pl->flows, &pf->key);
	flow_table_prefetch_bucket(pl->flows, pf->hash);
	if ((p->flags & (TCP_SYN | TCP_RST)) == TCP_SYN)
		host_table_prefetch(pl->hosts, p->ipver, p->src,
				    host_context(p->tunnel, pl->interface_id));
}

/* Decodes a frame into its slot: nothing here counts or changes state. */
static void decode_pending(struct pipeline *pl, struct pending_frame *pf, uint64_t frame,
			   int64_t ts_ns, uint32_t caplen, uint32_t wirelen, const uint8_t *bytes)
{
	struct pkt *p = &pf->p;
	pf->caplen = caplen;
	pf->wirelen = wirelen;
	p->frame = frame;
	if (pl->numbered_across)
		p->file_frame = pl->file_frame;     /* else 0: the same as frame */
	p->ts_ns = ts_ns;
	p->caplen = caplen;
	/* A record holding more than the packet's length: all of it is used
	 * (record_lengths_usable warns when the frame is tracked). */
	p->wirelen = caplen > wirelen ? caplen : wirelen;
	/* Slots start owned; with --shard, a frame that is no TCP segment
	 * is shard 0's, and a segment its connection's shard's (below). */
	if (caplen == 0 && wirelen == 0) {
		pf->res = DECODE_INVALID;   /* an empty record: record_lengths_usable says so */
		if (pl->shard.n)
			pf->own = pipeline_counts_unkeyed(pl);
		return;
	}
	pf->res = decode_frame(pl->link, bytes, p);
	if (pf->res != DECODE_OK) {
		if (pl->shard.n)
			pf->own = pipeline_counts_unkeyed(pl);
		return;
	}
	/* A shard needs the connection's key before the payload: a segment of
	 * another shard's connection is followed, not analysed, and its
	 * payload is of no use. */
	if (pl->shard.n) {
		key_pending(pl, pf);
		pf->own = shard_owns(&pl->shard, &pf->key);
		if (!pf->own) {
			p->payload = NULL;
			return;
		}
	}
	http_facts_parse(p->payload, p->payload_caplen, &p->http);
	p->tls.content = 0;
	p->app = FIRST_BYTES_NONE;
	p->refusal = REFUSAL_NONE;
	p->goodbye = GOODBYE_NONE;
	p->rst_data.format = RST_PAYLOAD_NONE;
	if ((p->flags & TCP_RST) && p->payload_caplen)
		rst_payload_parse(p->payload, p->payload_caplen, &p->rst_data);
	p->copy_of = 0;
	if (p->http.start == HTTP_NONE) {
		p->quit = false;
		tls_read_payload(p->payload, p->payload_caplen, p->payload_len,
				 (p->flags & TCP_PSH) != 0, &p->tls);
		tls_reasm_segment(pl->hellos, p);
		/* Openings are one short write each (a banner, a greeting, a
		 * startup message): a full-sized segment is bulk data. And a
		 * bare ACK holds none (four calls for nothing on half the
		 * packets of ordinary traffic). */
		if (!p->tls.content && p->payload_caplen && p->payload_len <= FIRST_BYTES_OPENING_MAX) {
			p->app = first_bytes_app(p->payload, p->payload_caplen);
			p->quit = first_bytes_quit(p->payload, p->payload_caplen);
			if (!p->app)
				p->refusal = first_bytes_refusal(p->payload, p->payload_caplen);
			if (!p->app && !p->refusal &&
			    first_bytes_goodbye_maybe(p->payload, p->payload_caplen))
				p->goodbye = first_bytes_goodbye(p->payload, p->payload_caplen);
		}
	}
	p->payload = NULL;      /* the bytes belong to libpcap, and it reuses them */
	if (!pl->shard.n)
		key_pending(pl, pf);
}

/* The second read: link, IP, TCP and tunnels, for the key; nothing tracked. */
static void replay_frame(struct pipeline *pl, uint64_t frame, int64_t ts_ns,
			 uint32_t caplen, uint32_t wirelen, const uint8_t *bytes)
{
	struct pending_frame *pf = slot(pl, 0);
	struct pkt *p = &pf->p;
	struct replay_frame rf = {
		.source = pl->src.index, .src = &pl->src, .link = pl->link, .frame = frame,
		.ts_ns = ts_ns, .caplen = caplen, .wirelen = wirelen, .bytes = bytes,
	};
	p->frame = frame;
	p->ts_ns = ts_ns;
	p->caplen = caplen;
	p->wirelen = caplen > wirelen ? caplen : wirelen;
	if ((caplen || wirelen) && decode_frame(pl->link, bytes, p) == DECODE_OK) {
		/* Payload facts are read by the callback, for the frames it
		 * keeps (replay_payload_facts): most are of no incident. */
		p->http.start = HTTP_NONE;
		p->tls.content = 0;
		if (p->tun.n)
			p->tunnel = tunnel_table_identity(pl->tunnels, &p->tun);
		flow_key_from_pkt(p, &pf->key, &pf->dir);
		rf.key = &pf->key;
		rf.p = p;
		rf.dir = pf->dir;
	}
	pl->replay(pl->replay_ctx, &rf);
}

void replay_payload_facts(struct pkt *p)
{
	http_facts_parse(p->payload, p->payload_caplen, &p->http);
	if (p->http.start == HTTP_NONE)
		tls_read_payload(p->payload, p->payload_caplen, p->payload_len,
				 (p->flags & TCP_PSH) != 0, &p->tls);
}

void pipeline_replay(struct pipeline *pl, replay_fn fn, void *ctx)
{
	pl->replay = fn;
	pl->replay_ctx = ctx;
	pl->src.index = UINT32_MAX;
	pl->sources_begun = 0;
	pl->reported = 0;       /* -c stops the first read, not this one */
	pl->max_reports = 0;
}

void pipeline_frame(struct pipeline *pl, uint64_t frame, int64_t ts_ns,
		    uint32_t caplen, uint32_t wirelen, const uint8_t *bytes)
{
	if (pl->replay) {
		replay_frame(pl, frame, ts_ns, caplen, wirelen, bytes);
		return;
	}
	decode_pending(pl, slot(pl, pl->ahead_in), frame, ts_ns, caplen, wirelen, bytes);
	pl->ahead_in++;
	/* The frame before this one: its bucket has had a frame's time to arrive. */
	if (pl->ahead_in - pl->ahead_out >= 2) {
		const struct pending_frame *prev = slot(pl, pl->ahead_in - 2);
		if (prev->res == DECODE_OK)
			flow_table_prefetch_flows(pl->flows, prev->hash);
	}
	if (pl->ahead_in - pl->ahead_out == PIPELINE_AHEAD)
		track_frame(pl, slot(pl, pl->ahead_out++));
}

void pipeline_flush(struct pipeline *pl)
{
	while (pl->ahead_out != pl->ahead_in)
		track_frame(pl, slot(pl, pl->ahead_out++));
}

void pipeline_tick(struct pipeline *pl, int64_t now_ns)
{
	pipeline_flush(pl);
	if (now_ns > pl->now)
		pl->now = now_ns;
	flow_table_expire(pl->flows, pl->now);
	verdict_queue_due(&pl->queue, pl->now);
}

void pipeline_finish(struct pipeline *pl)
{
	pipeline_end(pl);
	pipeline_summarize(pl);
}

void pipeline_summarize(struct pipeline *pl)
{
	pl->rep->summary(pl->rep, &pl->stats, &pl->servers);
}

void pipeline_end(struct pipeline *pl)
{
	pipeline_flush(pl);
	/* The table keeps these; the summary reports them. */
	pl->stats.flows_peak = flow_table_peak(pl->flows);
	pl->stats.flows_evicted = flow_table_evicted(pl->flows);
	pl->stats.tls_hellos_joined = tls_reasm_joined(pl->hellos);
	pl->stats.tls_hellos_cut = tls_reasm_cut(pl->hellos);
	flow_table_release_all(pl->flows);
	verdict_queue_flush(&pl->queue);
	stats_at(&pl->stats, STATS_AT_END, 0);
	/* What the capture showed of its far side, once all of it is read:
	 * a reader of a phone's VPN-app capture or a VM's otherwise takes the
	 * box's round trips, idle closes and RSTs for the servers' (a review
	 * of the corpus's waze.pcap and webex.pcap). */
	if (host_table_shared_ids(pl->hosts))
		stats_warn(&pl->stats, WARN_TCP_RELAY,
			   "the packets of %u addresses run on one IPv4 ID counter: one box made "
			   "them, terminating their TCP (a VM's NAT engine, a phone's VPN app, a "
			   "proxy), so their round trips, idle times, closes and resets are that "
			   "box's, not those hosts'", host_table_shared_hosts(pl->hosts));
	/* Two such connections at least, and most of those compared: one by
	 * chance is no pattern. */
	if (pl->ids_both_shared >= 2 && 2 * pl->ids_both_shared > pl->ids_both_compared)
		stats_warn(&pl->stats, WARN_GENERATED_PACKETS,
			   "both sides of %u of the %u connections compared ran on one IPv4 ID "
			   "counter: one program made these packets (a TLS-decrypting proxy's "
			   "export, a traffic generator, a crafted capture), not the hosts, so "
			   "their timing, TTLs and resets are its", pl->ids_both_shared,
			   pl->ids_both_compared);
	if (pl->servers.dropped)
		stats_warn(&pl->stats, WARN_ENDPOINTS_FULL,
			   "more than %u server endpoints closed or reset connections: the summary "
			   "describes the first %u", SERVER_INSIGHTS_MAX, SERVER_INSIGHTS_MAX);
	server_insights_sort(&pl->servers);
}

void pipeline_free(struct pipeline *pl)
{
	flow_table_free(pl->flows);
	pl->flows = NULL;
	tunnel_table_free(pl->tunnels);
	host_table_free(pl->hosts);
	stray_acks_free(pl->strays);
	rst_bursts_free(pl->bursts);
	tls_reasm_free(pl->hellos);
	kernel_reasons_close(pl->kernel);
	pl->kernel = NULL;
	incidents_free(pl->incidents);
	pl->incidents = NULL;
	pl->tunnels = NULL;
	server_insights_free(&pl->servers);
	verdict_queue_free(&pl->queue);
}
