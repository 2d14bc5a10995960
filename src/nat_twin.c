/* nat_twin: untranslated segments and the connections they belong to (see nat_twin.h). */
#include "nat_twin.h"

#include <string.h>

#include "flow_table.h"
#include "seq.h"

/*
 * How far the segment's numbers may lie behind where the twin stood at
 * the capture point: data in flight, unacknowledged or resent (a MiB
 * each way). The odds of a chance match are (2^20 / 2^32)^2 = 2^-24.
 */
#define TWIN_SLACK (UINT32_C(1) << 20)

/* x lies at most TWIN_SLACK before end, or at it. */
static bool just_before(uint32_t x, uint32_t end)
{
	return seq_leq(x, end) && end - x <= TWIN_SLACK;
}

/*
 * Segment s (from the twin's endpoint 1 - c) fits the twin t where its
 * endpoint c stood: its ack is c's next sequence number or shortly
 * before, and its seq is where the other side's data ended (or, unseen,
 * what c had acknowledged of it), or shortly before; a keep-alive probe
 * is one before.
 */
static bool numbers_fit(const struct flow *t, int c, const struct seg_note *s)
{
	const struct seg_note *mine = &t->conn.half[c].last, *theirs = &t->conn.half[1 - c].last;
	if (!mine->frame || !(mine->flags & TCP_ACK))
		return false;
	if (!just_before(s->ack, mine->seq + note_seq_len(mine)))
		return false;
	uint32_t other_end = theirs->frame ? theirs->seq + note_seq_len(theirs) : mine->ack;
	return just_before(s->seq, other_end);
}

/* The same for the connection before t's on its tuple (flow_prev), from
 * its end numbers: an ack at c's end or shortly before, a seq at the
 * other side's. */
static bool prev_numbers_fit(const struct flow *t, int c, const struct seg_note *s)
{
	const struct flow_prev *prev = &t->conn.prev;
	return t->conn.incarnation > 0 && prev->end_ts <= s->ts_ns &&
	       just_before(s->ack, prev->next_seq[c]) && just_before(s->seq, prev->next_seq[1 - c]);
}

const struct flow *nat_twin_find(struct flow_table *ft, const struct flow *f, int dir,
				 int *end, struct nat_twin_note *note)
{
	const struct seg_note *s = &f->conn.half[1 - dir].last;
	/* The sender's own connection to another address (SYN_FROM: it sent
	 * the SYN), or its peer address's from another port (SYN_TO). */
	for (int kind = SYN_FROM; kind <= SYN_TO; kind++) {
		uint32_t pos = UINT32_MAX;
		for (struct flow *t; (t = flow_table_next_by_syn(ft, &f->key, dir, (enum syn_index)kind,
								 &pos));) {
			if (t == f)
				continue;
			int c = kind == SYN_FROM ? t->syn_end : 1 - t->syn_end;
			bool now = !t->conn.finished && t->conn.last_ts <= s->ts_ns &&
				   numbers_fit(t, c, s);
			if (!now && !prev_numbers_fit(t, c, s))
				continue;
			*end = c;
			memset(note, 0, sizeof *note);
			note->kind = kind == SYN_FROM ? NAT_TWIN_UNTRANSLATED : NAT_TWIN_REMAPPED;
			if (now) {
				note->frame = t->conn.half[0].last.frame > t->conn.half[1].last.frame
						      ? t->conn.half[0].last.frame
						      : t->conn.half[1].last.frame;
				note->ts_ns = t->conn.last_ts;
			} else {
				note->replaced = true;
				note->ts_ns = t->conn.prev.end_ts;
			}
			memcpy(note->addr, t->key.addr[1 - c], 16);
			note->port = t->key.port[1 - c];
			return t;
		}
	}
	/*
	 * The segment's sender's own connection from the same address and
	 * port, with another address (SYN_FROM of the segment's end): a load
	 * balancer or a DNAT (a Kubernetes Service, nftables dnat to several
	 * backends) that lost its mapping (a restart, conntrack -D, a
	 * failover, an idle timeout) picks a backend anew for the flow's next
	 * segment, and a backend that never had the connection answers it
	 * with a reply-form RST (Linux tcp_v4_send_reset, NO_SOCKET; holdout2's
	 * lb-restart-new-backend and holdout8's nft-dnat-lb-backend-drained).
	 * The segment's numbers are the connection's where its server end
	 * stood.
	 */
	uint32_t pos = UINT32_MAX;
	for (struct flow *t; (t = flow_table_next_by_syn(ft, &f->key, 1 - dir, SYN_FROM, &pos));) {
		int c = 1 - t->syn_end;
		if (t == f || t->conn.finished || t->conn.last_ts > s->ts_ns || !numbers_fit(t, c, s))
			continue;
		*end = c;
		memset(note, 0, sizeof *note);
		note->kind = NAT_TWIN_MOVED;
		note->frame = t->conn.half[0].last.frame > t->conn.half[1].last.frame
				      ? t->conn.half[0].last.frame
				      : t->conn.half[1].last.frame;
		note->ts_ns = t->conn.last_ts;
		memcpy(note->addr, t->key.addr[c], 16);
		note->port = t->key.port[c];
		return t;
	}
	return NULL;
}

void nat_twin_log_add(struct nat_twin_log *log, const struct flow *f, int dir,
		      const struct pkt *p, const struct flow *twin, int end,
		      const struct nat_twin_note *note)
{
	struct nat_twin_reset *r = &log->r[log->n++ % NAT_TWIN_LOG];
	r->note = *note;
	const struct seg_note *s = &f->conn.half[1 - dir].last;
	r->key = twin->key;
	r->reset_end = (int8_t)(1 - end);
	r->segment_frame = s->frame;
	r->segment_ts = s->ts_ns;
	r->rst_frame = p->frame;
	r->rst_ts = p->ts_ns;
	/* Where the segment went: from the address the NAT hides, from a new
	 * port, or (moved) to a host that never had the connection. */
	int at = note->kind == NAT_TWIN_MOVED ? dir : 1 - dir;
	memcpy(r->from, f->key.addr[at], 16);
	r->from_port = f->key.port[at];
}

const struct nat_twin_reset *nat_twin_log_find(const struct nat_twin_log *log,
					       const struct flow *f, int dir, const struct pkt *p)
{
	uint32_t kept = log->n < NAT_TWIN_LOG ? log->n : NAT_TWIN_LOG;
	for (uint32_t i = 1; i <= kept; i++) {
		const struct nat_twin_reset *r = &log->r[(log->n - i) % NAT_TWIN_LOG];
		if (!r->note.replaced && r->reset_end == dir && r->rst_ts <= p->ts_ns &&
		    memcmp(&r->key, &f->key, sizeof r->key) == 0)
			return r;
	}
	return NULL;
}
