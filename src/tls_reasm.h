/*
 * tls_reasm: a ClientHello longer than its first segment, put back
 * together while the payloads are at hand (decode time, in frame order).
 *
 * A hybrid post-quantum key share (X25519MLKEM768's 1216 bytes, sent by
 * Chrome and Firefox since 2024) makes a ClientHello of about 1.8 KB: two
 * segments. Browsers also shuffle the extensions' order, so the server
 * name can be in the second. Bounded: TLS_REASM_SLOTS hellos in flight at
 * once, each at most TLS_REASM_MAX bytes, allocated on the first cut hello.
 * A hello that does not fit, whose next segment arrives out of order or
 * cut by the snap length, or that waits too long, keeps what its first
 * segment showed, and is counted.
 *
 * The key is the segment's own addresses and ports (not the tunnel
 * context, interned later): two tunnelled connections with the same inner
 * 4-tuple sending hellos at once would share a slot, and the second is
 * counted cut.
 */
#ifndef RSTDIAG_TLS_REASM_H
#define RSTDIAG_TLS_REASM_H

#include <stdint.h>

#include "packet.h"

#define TLS_REASM_SLOTS 32
#define TLS_REASM_MAX 8192      /* a record's hello; larger ones keep their first part */
#define TLS_REASM_WAIT 64       /* frames a hello may wait for its next segment */

struct tls_reasm {
	struct tls_reasm_slot *slots;   /* NULL until the first cut hello */
	uint32_t active;                /* hellos in flight */
	uint64_t joined, cut;
};

struct tls_reasm *tls_reasm_new(void);
void tls_reasm_free(struct tls_reasm *r);
void tls_reasm_feed(struct tls_reasm *r, struct pkt *p);
/*
 * p, decoded with its payload still at hand (p->payload), after
 * tls_facts_parse: a cut ClientHello starts a slot; the segment that
 * continues one is added to it, and the one that completes it gets the
 * whole hello's facts in p->tls. Called for every payload: nothing to do
 * unless a hello is in flight or this one is cut.
 */
static inline void tls_reasm_segment(struct tls_reasm *r, struct pkt *p)
{
	if (r->active || (p->tls.content == TLS_HANDSHAKE && p->tls.hello_cut))
		tls_reasm_feed(r, p);
}
/* Hellos put back together, and hellos left as their first segment showed. */
uint64_t tls_reasm_joined(const struct tls_reasm *r);
uint64_t tls_reasm_cut(const struct tls_reasm *r);

#endif
