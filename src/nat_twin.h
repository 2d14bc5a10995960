/*
 * nat_twin: a segment that reached an endpoint from an address it never
 * talked to, carrying the numbers of a connection it holds with another
 * address: the same connection, seen without a NAT's translation.
 *
 * A NAT (a load balancer, a Kubernetes Service's DNAT, a Docker port
 * mapping) rewrites a connection's address on its first packet and then
 * by its state table (Linux: nf_nat_core.c translates a flow when it is
 * new and nf_conntrack keeps the mapping). When that state is gone (an
 * idle timeout, a flush, a failover) or the state table refuses a segment
 * (nf_conntrack_proto_tcp.c marks one outside the window it tracked
 * INVALID, and INVALID packets are not translated), the segment goes on
 * with the address it had behind the NAT. With nf_conntrack_tcp_loose on
 * (the default) a mid-stream segment is even picked up as a new flow from
 * that address. The endpoint it reaches has no connection with that
 * address and answers it with a reply-form RST (RFC 9293 3.10.7.1; Linux
 * tcp_v4_send_reset, NO_SOCKET), whose seq, the segment's own ack, is
 * exactly what the far end expects: its side of the connection is reset,
 * and the endpoint's next segment on the connection, translated again,
 * meets a RST from a host that no longer has it (the Kubernetes blog's
 * "kube-proxy subtleties: debugging an intermittent connection reset").
 *
 * A NAT in front of the other side that forgot its mapping does the
 * opposite: the other side's next segment is mapped anew, to another port
 * (a NAT that picks ports at random, as carrier NATs and Linux's
 * masquerade random do; RFC 6056 asks for random ports), and reaches the
 * endpoint from an address and port it has no connection with. Linux
 * answers it with a reply-form RST (from a listener, TCP_FLAGS), which
 * goes back through the new mapping and resets the other side.
 *
 * Seen at the endpoint, the untranslated segment is the only packet of
 * its tuple before the RST, and its seq and ack fall where the endpoint's
 * connection with the other address stood: 64 bits that match by chance
 * about once in 2^24 such segments with the slack allowed. The
 * connection is found through the flow table's index of SYN senders, as
 * the endpoint opened it or as the other side's address did
 * (flow_table_next_by_syn).
 *
 * A NAT that forgot a mapping may also give its port to another
 * connection, from another host behind it (RFC 6056's random ports make
 * it likely within minutes on a busy carrier NAT): the endpoint then sees
 * a new connection on the old tuple, and the old connection's next
 * segment arrives mapped anew. The twin is then the connection before
 * the tuple's current one, whose end numbers the flow keeps (flow.h,
 * flow_prev): the hold-out's nat-port-reuse-kills-idle-connection.
 *
 * Every RST is checked, of every shard (--shard follows all
 * connections), and each twin so found is logged, so the twin's own
 * later RST is judged alike in every shard and in one run (not when the
 * twin was replaced: the tuple's RSTs since are the new connection's).
 */
#ifndef RSTDIAG_NAT_TWIN_H
#define RSTDIAG_NAT_TWIN_H

#include <stdbool.h>
#include <stdint.h>

#include "flow.h"
#include "packet.h"

struct flow_table;

enum nat_twin_kind {
	NAT_TWIN_NONE,
	NAT_TWIN_UNTRANSLATED,      /* the RST answers an untranslated segment of its twin */
	NAT_TWIN_REMAPPED,          /* ... a segment of its twin from the peer's address and a
				       new port: the NAT in front of the peer mapped it anew */
	NAT_TWIN_AFTER_RESET,       /* on the twin: its side had been reset by such a RST */
	NAT_TWIN_MOVED,             /* ... a segment of the peer's connection, from the same
				       address and port, with another address: a load
				       balancer or DNAT sent it to a host that never had it */
};

/* What a verdict holds of a twin (classify.h's struct verdict). */
struct nat_twin_note {
	/* UNTRANSLATED, REMAPPED: the twin connection's last packet before
	 * the segment; AFTER_RESET: the untranslated segment. */
	uint64_t frame;
	int64_t ts_ns;
	int64_t rst_ts_ns;          /* AFTER_RESET: the RST that answered it (its frame is
				       the verdict's followup_of) */
	/* UNTRANSLATED, REMAPPED: the twin's other endpoint, as the RST's
	 * sender knew its peer there; MOVED: the address the peer's
	 * connection was with (a load balancer's, or the backend it had);
	 * AFTER_RESET: the segment's source as it arrived. */
	uint8_t addr[16];
	uint16_t port;
	uint8_t kind;               /* enum nat_twin_kind */
	uint8_t via;                /* AFTER_RESET: the answered segment's, UNTRANSLATED,
				       REMAPPED or MOVED */
	/* UNTRANSLATED, REMAPPED: the segment is of the connection that came
	 * before the twin's on its tuple, which a new connection has taken
	 * since (a NAT that gave the old one's port to another): frame is 0,
	 * ts_ns the old connection's last packet. */
	bool replaced;
};

/*
 * The cheap test, on every RST: RST p from endpoint dir of flow f answers
 * the only segment of a tuple with no SYN, in reply form (its seq is that
 * segment's ack).
 */
static inline bool nat_twin_candidate(const struct flow *f, int dir, const struct pkt *p)
{
	const struct tcp_half *a = &f->conn.half[dir], *b = &f->conn.half[1 - dir];
	return !f->conn.syn && !(a->flags & HALF_F_SEEN) && b->pkts == 1 &&
	       (b->last.flags & (TCP_ACK | TCP_SYN | TCP_RST)) == TCP_ACK &&
	       !(p->flags & (TCP_SYN | TCP_FIN)) && p->seq == b->last.ack;
}

/*
 * The connection whose untranslated, remapped or moved segment a RST from
 * endpoint dir of f (a candidate) answers, or NULL; *end is its endpoint
 * that sent the RST, or for a moved one the endpoint whose place the
 * RST's sender took. Fills note as an UNTRANSLATED, REMAPPED or MOVED one.
 */
const struct flow *nat_twin_find(struct flow_table *ft, const struct flow *f, int dir,
				 int *end, struct nat_twin_note *note);

/* The last twins reset, for their own later RSTs. */
#define NAT_TWIN_LOG 16u

struct nat_twin_reset {
	struct nat_twin_note note;  /* for the RST's own verdict (UNTRANSLATED) */
	struct flow_key key;        /* the twin connection's */
	int8_t reset_end;           /* its endpoint the RST reached (the segment's sender) */
	uint64_t segment_frame, rst_frame;
	int64_t segment_ts, rst_ts;
	uint8_t from[16];           /* the segment's source as it arrived; MOVED: the host it
				       reached, which sent the RST */
	uint16_t from_port;
};

struct nat_twin_log {
	struct nat_twin_reset r[NAT_TWIN_LOG];
	uint32_t n;                 /* logged in all; the newest NAT_TWIN_LOG are kept */
};

/* RST p answered the untranslated segment of f's twin (end: the twin's
 * endpoint that sent p; note: nat_twin_find's). */
void nat_twin_log_add(struct nat_twin_log *log, const struct flow *f, int dir,
		      const struct pkt *p, const struct flow *twin, int end,
		      const struct nat_twin_note *note);

/* The note of the entry logged last (the log is not empty). */
static inline const struct nat_twin_note *nat_twin_log_newest(const struct nat_twin_log *log)
{
	return &log->r[(log->n - 1) % NAT_TWIN_LOG].note;
}

/*
 * A RST p from endpoint dir of flow f, sent after a logged RST had reset
 * that endpoint's side of f: that entry, newest first, or NULL.
 */
const struct nat_twin_reset *nat_twin_log_find(const struct nat_twin_log *log,
					       const struct flow *f, int dir, const struct pkt *p);

#endif
