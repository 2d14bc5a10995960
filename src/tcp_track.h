/*
 * tcp_track: what each side of a connection has said on the wire, into
 * the connection part of struct flow (flow.h).
 *
 * The tracker only records facts seen in segments; it never judges a
 * RST, which is classify's job. All sequence arithmetic goes through seq.h.
 */
#ifndef RSTDIAG_TCP_TRACK_H
#define RSTDIAG_TCP_TRACK_H

#include <stdbool.h>
#include <stdint.h>

#include "flow.h"
#include "packet.h"
#include "seq.h"

/* Remembers segment p. */
void seg_note_from_pkt(struct seg_note *n, const struct pkt *p);

/*
 * A SYN that starts a new connection on a tuple already tracked: after it
 * finished, or with an ISN other than the one the handshake used.
 */
bool tcp_track_is_new_incarnation(const struct flow *f, int dir, const struct pkt *p);
/* Starts a new connection on f's tuple, keeping a summary of the old one in prev. */
void tcp_track_new_incarnation(struct flow *f, int64_t now);
/* A new connection's roles from its first segment (guessed without a
 * handshake); f's connection was started at that segment's time. */
void tcp_track_begin(struct flow *f, int dir, const struct pkt *p);
/*
 * Whether p is a capture duplicate of the last segment endpoint dir sent:
 * the same packet captured twice (a SPAN port mirroring both directions,
 * a capture on two interfaces of one path), which is not tracked again.
 */
bool tcp_track_copy_of_last(const struct flow *f, int dir, const struct pkt *p);
/*
 * A second copy comes within microseconds of the first, from the same
 * switch or host; a real retransmission waits at least a retransmission
 * timeout (RFC 6298 2.4: 1 s; Linux TCP_RTO_MIN: 200 ms) or the round
 * trip that brings three duplicate ACKs (RFC 5681 3.2), and carries an
 * IPv4 ID of its own (RFC 6864 4.1: an ID is unique per packet sent).
 */
#define TCP_TRACK_DUPLICATE_WITHIN_NS 2000000
/*
 * Whether RST p is a capture copy of an earlier RST of its sender, noted
 * as n with IPv4 ID id, though other packets came between (a capture of
 * every packet four times, on both sides of a router, interleaves the
 * copies of a RST with those of the ACK before it: the corpus's
 * ndpi/rtsp.pcap 103-108). Only with an IPv4 ID of its own to match
 * (Linux's reply RSTs have 0, and two of those alike may be two answers),
 * at a TTL one router apart at most.
 */
static inline bool tcp_track_copy_of_rst(const struct seg_note *n, uint16_t id,
					 const struct pkt *p)
{
	int64_t apart = p->ts_ns - n->ts_ns;
	return (p->flags & TCP_RST) && p->ipver == 4 && p->ip_id != 0 && p->ip_id == id &&
	       n->flags == p->flags && n->seq == p->seq && n->ack == p->ack &&
	       n->window == p->window && n->len == p->payload_len && apart >= 0 &&
	       apart <= TCP_TRACK_DUPLICATE_WITHIN_NS &&
	       (n->ttl == p->ttl || n->ttl == p->ttl + 1 || p->ttl == n->ttl + 1);
}
/*
 * Every segment of side h tracked so far arrived at the capturing host:
 * none was seen leaving it (a cooked capture's pkt.outgoing, out_seen).
 * One of h's leaving it then is that host's forwarding, or its own.
 */
static inline bool tcp_track_arrived_only(const struct tcp_half *h)
{
	return (h->flags & HALF_F_SEEN) && !h->out_seen;
}
static inline bool tcp_track_is_duplicate(const struct flow *f, int dir, const struct pkt *p)
{
	/* Asked of every segment: most differ from the last in these. */
	const struct seg_note *l = &f->conn.half[dir].last;
	return l->seq == p->seq && l->ack == p->ack && l->len == p->payload_len &&
	       tcp_track_copy_of_last(f, dir, p);
}
/*
 * Where a RST at seq from the side `sender` falls at `peer` (enum
 * rst_take, flow.h), as far as the capture decides it. The peer's next
 * number when the RST arrived was at least its own last ack (sent before
 * the RST passed the capture point), so below that the RST was below.
 * At that ack it was exact unless the sender had sent more that the
 * peer had not acknowledged: whether that arrived first (a crossing) or
 * was lost (retransmissions) the capture alone does not say. At the end
 * of all the sender had sent, beyond the peer's ack, it was exact if
 * that arrived, which no retransmission puts in doubt.
 */
static inline enum rst_take tcp_track_rst_take(const struct tcp_half *sender,
					       const struct tcp_half *peer, const struct pkt *rst)
{
	/* A RST with SYN or FIN no stack sends (classify.c,
	 * flags_no_stack_sends): crafted or corrupted, its numbers too. An
	 * ack beyond all the sender was seen to send is one the capture
	 * cannot check (the sender's segments missed, or a corrupted ack:
	 * the corpus's reasm_crash_anon.pcapng 34; a review). */
	if (!(peer->flags & HALF_F_ACK) || (rst->flags & (TCP_SYN | TCP_FIN)) ||
	    ((sender->flags & HALF_F_SEEN) && seq_gt(peer->ack, sender->next_seq)))
		return RST_TAKE_UNKNOWN;
	uint32_t seq = rst->seq, acked = peer->ack;
	bool more = (sender->flags & HALF_F_SEEN) && seq_gt(sender->next_seq, acked);
	if (seq_lt(seq, acked))
		return seq == acked - 1 && (sender->flags & HALF_F_FIN) && acked == sender->fin_seq + 1
			       ? RST_TAKE_AFTER_FIN : RST_TAKE_BELOW;
	if (seq == acked)
		return more ? RST_TAKE_UNKNOWN : RST_TAKE_EXACT;
	if (more && seq == sender->next_seq)
		return sender->retrans ? RST_TAKE_UNKNOWN : RST_TAKE_EXACT;
	return more && seq_lt(seq, sender->next_seq) ? RST_TAKE_UNKNOWN : RST_TAKE_ABOVE;
}
/* The connection's first RST's take (connection.first_rst_take, which
 * note_rst_take in tcp_track.c writes), and whether a later RST of its
 * sender's took where it had not. */
static inline enum rst_take tcp_track_first_rst_take(const struct connection *c,
						     bool *taken_later)
{
	unsigned t = c->first_rst_take;
	*taken_later = t > RST_TAKE_TAKEN_LATER;
	return (enum rst_take)(*taken_later ? t - RST_TAKE_TAKEN_LATER : t);
}
/* A copy of dir's last segment (tcp_track_is_duplicate), counted. */
static inline void tcp_track_note_copy(struct flow *f, int dir)
{
	struct tcp_half *h = &f->conn.half[dir];
	if (h->last_copies < 3)
		h->last_copies++;
}
/*
 * p, seen leaving the capturing host (pkt.outgoing), and `copy`, what
 * tcp_track_is_duplicate said of it: whether it is a copy. A segment but
 * a RST leaving after all of dir's arrived (tcp_track_arrived_only) is
 * the host forwarding one of them, a copy however a burst interleaves
 * them (in 1, in 2, out 1, out 2); a RST's copy is matched as any other's,
 * as one leaving without arriving is the host's own. A segment of endpoint dir's
 * own that leaves there, not a copy, is noted (out_seen), a RST aside:
 * whether the host sent that one itself is the judge's question
 * (classify.c, sent_here), and it is dir's last anyway.
 */
bool tcp_track_leaving(struct flow *f, int dir, const struct pkt *p, bool copy);
/*
 * Whether a new tuple's first segment p is a bare SYN (no other flag, no
 * payload), which tcp_track_record_syn only records: in a flood most SYNs
 * never see a second packet, and a record writes a few of the 64-byte
 * lines of its flow where a started connection writes all eight.
 * Another shard's connection is never recorded, only started: it is
 * followed (tcp_track_follow), which a record's unfolding does not replay.
 */
bool tcp_track_recordable(const struct pkt *p);
/* Records p, recordable, sent by endpoint dir, as f's connection
 * (conn.syn_only): it is not tracked, and the caller only notes its host. */
void tcp_track_record_syn(struct flow *f, int dir, const struct pkt *p);
/*
 * A recorded SYN's connection, made at its flow's second packet (or
 * whenever anything must read it) as flow_start_connection,
 * tcp_track_begin and tcp_track_segment would have made it from that SYN.
 */
void tcp_track_unfold_syn(struct flow *f);
/* What a tracked segment asks of the caller: bits. */
enum track_result {
	TRACK_FINISHED = 1,         /* it ended the connection: finish the flow */
	TRACK_AFTER_CLOSE = 2,      /* it came after the peer's FIN or the connection's end:
				       late_segments_note decides whether to log it */
};
/* Records segment p sent by endpoint dir. Returns enum track_result bits. */
unsigned tcp_track_segment(struct flow *f, int dir, const struct pkt *p);
/*
 * A segment of a connection another shard analyses (--shard, shard.h):
 * records only what decides, exactly as tcp_track_segment would, which
 * of this side's segments are its first, second and third (the host
 * profiles every shard needs whole), which are copies, when the
 * connection ends and when a SYN starts a new one. Returns what
 * tcp_track_segment would.
 */
unsigned tcp_track_follow(struct flow *f, int dir, const struct pkt *p);

#endif
