/*
 * late_segments: see late_segments.h. The log is in frame order, so each
 * search walks back from the newest and stops at the first segment older
 * than what it looks for.
 */
#include "late_segments.h"

#include <stddef.h>

#include "tcp_track.h"

static bool same(const struct late_segment *e, const struct flow *f, int dir)
{
	return e->flow == f && e->hash == f->hash && e->dir == dir;
}

void late_segments_note(struct late_segments *log, const struct flow *f, int dir,
			const struct pkt *p)
{
	const struct tcp_half *peer = &f->conn.half[1 - dir];
	if ((p->flags & TCP_RST) || !((peer->flags & HALF_F_FIN) || peer->rst_frame))
		return;
	struct late_segment *e = &log->s[log->n++ % LATE_SEGMENTS];
	seg_note_from_pkt(&e->seg, p);
	e->flow = f;
	e->hash = f->hash;
	e->dir = (int8_t)dir;
	e->answered = false;
}

const struct seg_note *late_segments_next(const struct late_segments *log, const struct flow *f,
					  int dir)
{
	const struct tcp_half *h = &f->conn.half[dir];
	if (!h->rst_frame)
		return NULL;
	uint64_t since = h->fin_frame && h->fin_frame < h->rst_frame ? h->fin_frame : h->rst_frame;
	uint32_t kept = log->n < LATE_SEGMENTS ? log->n : LATE_SEGMENTS;
	const struct late_segment *oldest = NULL;
	for (uint32_t i = 1; i <= kept; i++) {
		const struct late_segment *e = &log->s[(log->n - i) % LATE_SEGMENTS];
		if (e->seg.frame < since)
			break;
		if (!same(e, f, 1 - dir))
			continue;
		if (e->answered)
			break;
		oldest = e;
	}
	return oldest ? &oldest->seg : NULL;
}

void late_segments_answered(struct late_segments *log, const struct flow *f, int dir,
			    uint64_t trigger)
{
	uint32_t kept = log->n < LATE_SEGMENTS ? log->n : LATE_SEGMENTS;
	for (uint32_t i = 1; i <= kept && trigger; i++) {
		struct late_segment *e = &log->s[(log->n - i) % LATE_SEGMENTS];
		if (e->seg.frame < trigger)
			return;
		if (e->seg.frame == trigger && same(e, f, 1 - dir)) {
			e->answered = true;
			return;
		}
	}
}
