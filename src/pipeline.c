/*
 * pipeline: decode -> flow lookup -> (RST: judge, report) -> track -> expire.
 *
 * A RST is judged before it is tracked, so the verdict sees both sides as
 * they stood just before it. Reports therefore come out in packet order.
 */
#include "pipeline.h"

#include <string.h>

#include "classify.h"
#include "tcp_track.h"

/* A connection is over (released, or replaced by a new one on its tuple). */
static void connection_ended(struct pipeline *pl, struct flow *f)
{
	if (f->pending_rsts)
		lookahead_detach(&pl->lookahead, f);
	if (f->syn_ts && f->synack_ts && f->hs_ack_ts)
		stats_vote_handshake(&pl->stats.handshakes, f->synack_ts - f->syn_ts,
				     f->hs_ack_ts - f->synack_ts);
	endpoints_note_connection(&pl->endpoints, f);
}

static void on_release(void *ctx, struct flow *f, enum flow_release why)
{
	struct pipeline *pl = ctx;
	connection_ended(pl, f);
	if (why == FLOW_RELEASE_EVICTED)
		stats_warn(&pl->stats, WARN_FLOWS_EVICTED,
			   "more than %u connections at once: the stalest were forgotten "
			   "(raise --max-flows to keep them)",
			   flow_table_live(pl->flows));
}

/* A RST's verdict is final (its settle time is over): count it and report it. */
static void report_verdict(void *ctx, const struct verdict *v, const struct report_source *src)
{
	struct pipeline *pl = ctx;
	if (pl->max_reports && pl->reported >= pl->max_reports)
		return;     /* -c reached: the rest are not reported, nor counted */
	pl->reported++;
	pl->stats.resets++;
	pl->stats.by_cause[v->cause]++;
	endpoints_note_reset(&pl->endpoints, v);
	pl->rep->reset(pl->rep, v, src);
}

void pipeline_init(struct pipeline *pl, const struct pipeline_config *cfg, struct reporter *rep)
{
	memset(pl, 0, sizeof *pl);
	struct flow_table_config fc = {
		.max_flows = cfg->max_flows,
		.finished_grace_ns = cfg->finished_grace_ns,
		.idle_timeout_ns = cfg->idle_timeout_ns,
		.on_release = on_release,
		.ctx = pl,
	};
	pl->flows = flow_table_new(&fc);
	endpoints_init(&pl->endpoints, (uint32_t)flow_table_seed(pl->flows));
	lookahead_init(&pl->lookahead, LOOKAHEAD_MAX, cfg->settle_ns, report_verdict, pl);
	pl->max_reports = cfg->max_reports;
	pl->rep = rep;
}

void pipeline_begin_source(struct pipeline *pl, const char *name, bool show_name,
			   const struct link_type *link)
{
	pl->src.name = name;
	pl->src.show_name = show_name;
	pl->src.first_ts = 0;
	pl->src_started = false;
	pl->link = link;
}

static void note_time(struct pipeline *pl, uint64_t frame, int64_t ts)
{
	struct stats *s = &pl->stats;
	if (!pl->src_started) {
		pl->src_started = true;
		pl->src.first_ts = ts;
	}
	if (s->packets == 1) {
		s->first_ts = s->last_ts = ts;
		pl->now = ts;
		return;
	}
	if (ts < s->last_ts)
		stats_warn(s, WARN_TIME_BACKWARDS,
			   "%s: packet times go backwards (first at frame %llu): gaps and idle "
			   "times near it may be wrong",
			   pl->src.name, (unsigned long long)frame);
	s->last_ts = ts;
	if (ts > pl->now)
		pl->now = ts;
}

static struct flow *flow_for(struct pipeline *pl, const struct pkt *p, int *dir)
{
	struct flow_key key;
	flow_key_from_pkt(p, &key, dir);
	struct flow *f = flow_table_lookup(pl->flows, &key);
	if (f && tcp_track_is_new_incarnation(f, *dir, p)) {
		connection_ended(pl, f);
		tcp_track_new_incarnation(f);
		flow_table_reopen(pl->flows, f);
		tcp_track_begin(f, *dir, p);
		pl->stats.flows++;
	} else if (!f) {
		f = flow_table_insert(pl->flows, &key, p->ts_ns);
		tcp_track_begin(f, *dir, p);
		f->after_evictions = f->midstream && flow_table_evicted(pl->flows) > 0;
		pl->stats.flows++;
	} else {
		flow_table_touch(pl->flows, f);
	}
	return f;
}

void pipeline_filtered_frame(struct pipeline *pl, uint64_t frame, int64_t ts_ns)
{
	pl->stats.packets++;
	pl->stats.filtered_out++;
	note_time(pl, frame, ts_ns);
}

/*
 * A record's lengths as its file wrote them: libpcap passes these through
 * (a caplen above the snaplen it cuts, or refuses in pcapng). More bytes
 * than the packet's length are still bytes of the record, and Wireshark
 * shows them all: use them. An empty record holds nothing to decode.
 */
static bool record_lengths(struct pipeline *pl, uint64_t frame, uint32_t caplen,
			   uint32_t *wirelen)
{
	struct stats *s = &pl->stats;
	unsigned long long n = (unsigned long long)frame;
	if (caplen == 0 && *wirelen == 0) {
		stats_warn(s, WARN_RECORD_LENGTH_INVALID, "%s: frame %llu: an empty record "
			   "(length 0, nothing captured)", pl->src.name, n);
		return false;
	}
	if (caplen > *wirelen) {
		stats_warn(s, WARN_RECORD_LENGTH_INVALID, "%s: frame %llu: the record holds %u "
			   "bytes of a %u-byte packet; all %u are used", pl->src.name, n,
			   caplen, *wirelen, caplen);
		*wirelen = caplen;
	}
	return true;
}

/* Damage in a decoded segment: counted under its own warning, and analysed. */
static void segment_anomalies(struct pipeline *pl, const struct pkt *p)
{
	struct stats *s = &pl->stats;
	unsigned long long n = (unsigned long long)p->frame;
	if (p->offset_past)
		stats_warn(s, WARN_HEADERS_INVALID, "%s: frame %llu: the TCP data offset runs past "
			   "the segment; its header was read as far as it goes", pl->src.name, n);
	if (p->opts.malformed)
		stats_warn(s, WARN_TCP_OPTIONS_MALFORMED, "%s: frame %llu: malformed TCP options "
			   "(a length of 0 or 1, or an option running past the header); the options "
			   "after it are ignored", pl->src.name, n);
	/* RFC 9293 3.10.7: a SYN never carries FIN or RST; every segment
	 * carries some flag. Scanners, forgeries and corruption do this. */
	if (((p->flags & TCP_SYN) && (p->flags & (TCP_FIN | TCP_RST))) || p->flags == 0)
		stats_warn(s, WARN_TCP_FLAGS_INVALID, "%s: frame %llu: TCP flags 0x%02x (SYN with "
			   "FIN or RST, or no flag at all), which no TCP stack sends; analysed as they "
			   "are", pl->src.name, n, p->flags);
}

enum decode_result pipeline_frame(struct pipeline *pl, uint64_t frame, int64_t ts_ns,
				  uint32_t caplen, uint32_t wirelen, const uint8_t *bytes)
{
	struct stats *s = &pl->stats;
	struct pkt p;

	s->packets++;
	note_time(pl, frame, ts_ns);
	if (!record_lengths(pl, frame, caplen, &wirelen)) {
		s->skipped[DECODE_INVALID]++;
		return DECODE_INVALID;
	}
	p.frame = frame;
	p.ts_ns = ts_ns;
	p.caplen = caplen;
	p.wirelen = wirelen;

	enum decode_result res = decode_frame(pl->link, bytes, &p);
	if (res != DECODE_OK) {
		s->skipped[res]++;
		if (res == DECODE_TRUNCATED)
			stats_warn(s, WARN_HEADERS_TRUNCATED,
				   "%s: frame %llu: headers cut by the capture's snaplen; such segments "
				   "are skipped (capture with a larger -s)",
				   pl->src.name, (unsigned long long)frame);
		else if (res == DECODE_INVALID)
			stats_warn(s, WARN_HEADERS_INVALID,
				   "%s: frame %llu: IP or TCP header fields contradict the frame (a "
				   "length out of range); such frames are skipped",
				   pl->src.name, (unsigned long long)frame);
		return res;
	}
	segment_anomalies(pl, &p);
	s->tcp_packets++;
	if (p.payload_caplen < p.payload_len)
		s->payload_truncated++;

	int dir;
	struct flow *f = flow_for(pl, &p, &dir);
	if (f->pending_rsts)
		lookahead_observe(&pl->lookahead, f, dir, &p);
	if (p.flags & TCP_RST) {
		classify_rst(f, dir, &p, &pl->scratch);
		lookahead_push(&pl->lookahead, f, dir, &pl->scratch, &pl->src);
	}
	if (tcp_track_segment(f, dir, &p))
		flow_table_finish(pl->flows, f, pl->now);
	flow_table_expire(pl->flows, pl->now);
	lookahead_due(&pl->lookahead, pl->now);
	return res;
}

void pipeline_tick(struct pipeline *pl, int64_t now_ns)
{
	if (now_ns > pl->now)
		pl->now = now_ns;
	flow_table_expire(pl->flows, pl->now);
	lookahead_due(&pl->lookahead, pl->now);
}

void pipeline_finish(struct pipeline *pl)
{
	/* The table keeps these; the summary reports them. */
	pl->stats.flows_peak = flow_table_peak(pl->flows);
	pl->stats.flows_evicted = flow_table_evicted(pl->flows);
	flow_table_release_all(pl->flows);
	lookahead_flush(&pl->lookahead);
	if (pl->endpoints.dropped)
		stats_warn(&pl->stats, WARN_ENDPOINTS_FULL,
			   "more than %u server endpoints closed or reset connections: the summary "
			   "describes the first %u", ENDPOINTS_MAX, ENDPOINTS_MAX);
	endpoints_sort(&pl->endpoints);
	pl->rep->summary(pl->rep, &pl->stats, &pl->endpoints);
}

void pipeline_free(struct pipeline *pl)
{
	flow_table_free(pl->flows);
	pl->flows = NULL;
	endpoints_free(&pl->endpoints);
	lookahead_free(&pl->lookahead);
}
