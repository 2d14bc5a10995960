/* tls_reasm: ClientHellos over several segments (see tls_reasm.h). */
#include "tls_reasm.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

struct tls_reasm_slot {
	bool used;
	uint8_t ipver;
	uint16_t sport, dport;
	uint8_t src[16], dst[16];
	uint32_t next_seq;          /* where the next part begins */
	uint32_t need, have;        /* the record's bytes, header included; bytes kept */
	uint64_t started;           /* frame of its first segment */
	uint8_t buf[TLS_REASM_MAX];
};

struct tls_reasm *tls_reasm_new(void)
{
	return xcalloc(1, sizeof(struct tls_reasm));
}

void tls_reasm_free(struct tls_reasm *r)
{
	if (!r)
		return;
	free(r->slots);
	free(r);
}

static bool same_direction(const struct tls_reasm_slot *s, const struct pkt *p)
{
	size_t n = p->ipver == 4 ? 4 : 16;
	return s->ipver == p->ipver && s->sport == p->sport && s->dport == p->dport &&
	       memcmp(s->src, p->src, n) == 0 && memcmp(s->dst, p->dst, n) == 0;
}

static void release(struct tls_reasm *r, struct tls_reasm_slot *s, bool completed)
{
	s->used = false;
	r->active--;
	if (completed)
		r->joined++;
	else
		r->cut++;
}

/* The oldest slot gives way when all are taken: it waited longest. */
static struct tls_reasm_slot *take(struct tls_reasm *r)
{
	if (!r->slots)
		r->slots = xcalloc(TLS_REASM_SLOTS, sizeof *r->slots);
	struct tls_reasm_slot *oldest = &r->slots[0];
	for (int i = 0; i < TLS_REASM_SLOTS; i++) {
		if (!r->slots[i].used)
			return &r->slots[i];
		if (r->slots[i].started < oldest->started)
			oldest = &r->slots[i];
	}
	release(r, oldest, false);
	return oldest;
}

static void start(struct tls_reasm *r, struct pkt *p)
{
	uint32_t need = 5u + p->tls.record_len;
	if (need > TLS_REASM_MAX || p->payload_caplen != p->payload_len ||
	    p->payload_len >= need) {
		r->cut++;       /* too long, cut by snaplen, or cut for another reason */
		return;
	}
	struct tls_reasm_slot *s = take(r);
	s->used = true;
	r->active++;
	s->ipver = p->ipver;
	s->sport = p->sport;
	s->dport = p->dport;
	memcpy(s->src, p->src, sizeof s->src);
	memcpy(s->dst, p->dst, sizeof s->dst);
	s->need = need;
	s->have = p->payload_len;
	s->next_seq = p->seq + p->payload_len;
	s->started = p->frame;
	memcpy(s->buf, p->payload, p->payload_len);
}

static void expire(struct tls_reasm *r, uint64_t frame)
{
	for (int i = 0; i < TLS_REASM_SLOTS && r->active; i++)
		if (r->slots[i].used && frame - r->slots[i].started > TLS_REASM_WAIT)
			release(r, &r->slots[i], false);
}

void tls_reasm_feed(struct tls_reasm *r, struct pkt *p)
{
	bool cut_hello = p->tls.content == TLS_HANDSHAKE && p->tls.handshake == TLS_CLIENT_HELLO &&
			 p->tls.hello_cut;
	if (r->active)
		expire(r, p->frame);
	if (p->payload_len == 0 || (p->flags & (TCP_SYN | TCP_RST)))
		return;
	for (int i = 0; r->active && i < TLS_REASM_SLOTS; i++) {
		struct tls_reasm_slot *s = &r->slots[i];
		if (!s->used || !same_direction(s, p))
			continue;
		if (p->seq != s->next_seq || p->payload_caplen != p->payload_len) {
			/* A retransmission of what it has is harmless; anything
			 * else (a gap, a cut) ends it. */
			if (p->seq == s->next_seq - s->have)
				return;
			release(r, s, false);
			break;
		}
		uint32_t take_n = s->need - s->have < p->payload_len ? s->need - s->have
								 : p->payload_len;
		memcpy(s->buf + s->have, p->payload, take_n);
		s->have += take_n;
		s->next_seq += p->payload_len;
		if (s->have == s->need) {
			tls_facts_parse(s->buf, s->need, &p->tls);
			release(r, s, true);
		}
		return;
	}
	if (cut_hello)
		start(r, p);
}

uint64_t tls_reasm_joined(const struct tls_reasm *r)
{
	return r->joined;
}

uint64_t tls_reasm_cut(const struct tls_reasm *r)
{
	return r->cut;
}
