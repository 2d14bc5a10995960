/* server_insights: per-server facts across connections (see server_insights.h). */
#include "server_insights.h"

#include "seq.h"
#include "shard.h"

#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

/* A close this long after the last packet is an idle close rather than
 * the end of an exchange ("Connection: close" closes within a round trip). */
#define IDLE_CLOSE_MIN_NS 500000000LL

void server_insights_init(struct server_insights *e, uint32_t seed)
{
	memset(e, 0, sizeof *e);
	e->seed = seed;
}

void server_insights_free(struct server_insights *e)
{
	free(e->list);
	free(e->slots);
	memset(e, 0, sizeof *e);
}

static uint32_t hash_endpoint(uint32_t seed, uint8_t ipver, const uint8_t *addr, uint16_t port)
{
	/* FNV-1a: a few hundred lookups per second of resets, not per packet. */
	uint32_t h = 2166136261u ^ seed;
	size_t n = ipver == 4 ? 4 : 16;
	for (size_t i = 0; i < n; i++)
		h = (h ^ addr[i]) * 16777619u;
	h = (h ^ (port & 0xff)) * 16777619u;
	h = (h ^ (port >> 8)) * 16777619u;
	return (h ^ ipver) * 16777619u;
}

static bool same(const struct server_insight *ep, uint8_t ipver, const uint8_t *addr, uint16_t port)
{
	return ep->ipver == ipver && ep->port == port &&
	       memcmp(ep->addr, addr, ipver == 4 ? 4 : 16) == 0;
}

/*
 * A slot holds its entry's index + 1 in the low 16 bits (0: empty) and
 * the top 16 bits of the entry's hash above them, so a probe compares an
 * entry's address only when its hash's bits agree. Without them every
 * probe read an entry (1256 bytes, one to a connection's server and
 * port): on a scan, whose closed ports are each a new endpoint and fill
 * the table, a lookup that found nothing walked its chain through cold
 * entries, and it was 11 % of the reading thread's samples (perf, 1M
 * scan).
 */
_Static_assert(SERVER_INSIGHTS_MAX < 0xffff, "an entry's index + 1 fits a slot's low 16 bits");
#define SLOT_INDEX 0xffffu

static inline uint32_t slot_make(uint32_t i, uint32_t h)
{
	return (i + 1) | (h & ~SLOT_INDEX);
}

/* Puts list entry i into the first free slot from its hash (linear probing). */
static void put(const struct server_insights *e, uint32_t *slots, uint32_t n_slots, uint32_t i)
{
	const struct server_insight *ep = &e->list[i];
	uint32_t h = hash_endpoint(e->seed, ep->ipver, ep->addr, ep->port);
	uint32_t s = h & (n_slots - 1);
	while (slots[s])
		s = (s + 1) & (n_slots - 1);
	slots[s] = slot_make(i, h);
}

static void rehash(struct server_insights *e, uint32_t n_slots)
{
	uint32_t *slots = xcalloc(n_slots, sizeof *slots);
	for (uint32_t i = 0; i < e->n; i++)
		put(e, slots, n_slots, i);
	free(e->slots);
	e->slots = slots;
	e->n_slots = n_slots;
}

/* The entry for an endpoint, created if there is room; NULL if not. */
static struct server_insight *lookup(struct server_insights *e, uint8_t ipver, const uint8_t *addr,
			       uint16_t port)
{
	if (e->n_slots) {
		uint32_t h = hash_endpoint(e->seed, ipver, addr, port), tag = h & ~SLOT_INDEX;
		for (uint32_t s = h & (e->n_slots - 1); e->slots[s]; s = (s + 1) & (e->n_slots - 1)) {
			uint32_t b = e->slots[s];
			if ((b & ~SLOT_INDEX) != tag)
				continue;
			struct server_insight *ep = &e->list[(b & SLOT_INDEX) - 1];
			if (same(ep, ipver, addr, port))
				return ep;
		}
	}
	if (e->n == SERVER_INSIGHTS_MAX) {
		e->dropped++;
		return NULL;
	}
	if (e->n == e->cap) {
		uint32_t cap = e->cap ? e->cap * 2 : 16;
		e->list = xrealloc(e->list, cap * sizeof *e->list);
		e->cap = cap;
	}
	struct server_insight *ep = &e->list[e->n++];
	memset(ep, 0, sizeof *ep);
	ep->ipver = ipver;
	memcpy(ep->addr, addr, ipver == 4 ? 4 : 16);
	ep->port = port;
	/* Keep the table at most half full. */
	if (2 * e->n > e->n_slots)
		rehash(e, e->n_slots ? e->n_slots * 2 : 32);
	else
		put(e, e->slots, e->n_slots, e->n - 1);
	return ep;
}

/* Whether the close (key, ms) comes before kept sample j in the order the
 * sample keeps the smallest of: by key, then (equal keys) by time, so the
 * set does not depend on the order closes come in. */
static bool sample_before(const struct idle_samples *s, uint32_t key, uint32_t ms, uint32_t j)
{
	return key < s->key[j] || (key == s->key[j] && ms < s->ms[j]);
}

static uint32_t find_top(const struct idle_samples *s)
{
	uint32_t top = 0;
	for (uint32_t i = 1; i < s->kept; i++)
		if (sample_before(s, s->key[top], s->ms[top], i))
			top = i;
	return top;
}

/*
 * Full, the new close replaces the largest kept, if it is smaller. The
 * largest is found again only when it was replaced: with random keys
 * that is ever rarer (64 in n), and looking for it at every close was
 * 3 % of the reading thread's samples on a reset storm (perf, 1M).
 */
void idle_samples_keep(struct idle_samples *s, uint32_t ms, uint32_t key)
{
	if (s->kept < SERVER_INSIGHT_SAMPLES) {
		s->ms[s->kept] = ms;
		s->key[s->kept++] = key;
		if (s->kept == SERVER_INSIGHT_SAMPLES)
			s->top = find_top(s);
		return;
	}
	if (sample_before(s, key, ms, s->top)) {
		s->ms[s->top] = ms;
		s->key[s->top] = key;
		s->top = find_top(s);
	}
}

void idle_samples_add(struct idle_samples *s, uint32_t ms, uint32_t key)
{
	s->seen++;
	idle_samples_keep(s, ms, key);
}

void idle_samples_merge(struct idle_samples *s, const struct idle_samples *o)
{
	s->seen += o->seen;
	for (uint32_t i = 0; i < o->kept; i++)
		idle_samples_keep(s, o->ms[i], o->key[i]);
}

static void add_sample(struct idle_samples *s, int64_t ns, uint64_t identity)
{
	int64_t ms = ns / 1000000;
	/* MurmurHash3's fmix64: the identities are close together (frame
	 * numbers, one tuple's incarnations), their keys must not be. */
	uint64_t h = identity;
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	idle_samples_add(s, ms > UINT32_MAX ? UINT32_MAX : (uint32_t)ms, (uint32_t)h);
}

/* The TLS server name a connection to it asked for (the SNI). */
static void note_name(struct server_insight *ep, const char *name)
{
	if (!name[0] || ep->names >= 2)
		return;
	if (ep->names == 0) {
		memcpy(ep->name, name, sizeof ep->name);
		ep->names = 1;
	} else if (strcmp(ep->name, name) != 0) {
		ep->names = 2;
	}
}

void server_insights_note_connection(struct server_insights *e, const struct flow *f)
{
	if (f->conn.client < 0)
		return;
	int server = 1 - f->conn.client;
	const struct tcp_half *h = &f->conn.half[server];
	bool fin_first = f->conn.first_closer == server && h->fin_frame &&
			 (!h->rst_frame || h->fin_frame < h->rst_frame);
	if (!fin_first || f->conn.close_idle_ns < IDLE_CLOSE_MIN_NS)
		return;
	/* Its FIN came before anything left to answer: a request after the
	 * last response means it closed mid-exchange, not an idle connection. */
	const struct tcp_half *c = &f->conn.half[f->conn.client];
	/* A last request after its FIN, or one it never acknowledged (it
	 * crossed the FIN in flight, seen first at a client-side capture),
	 * came after the close: the server had not seen it. */
	bool after_close = c->data_frame > h->fin_frame ||
			   ((h->flags & HALF_F_ACK) && seq_lt(h->ack, c->next_seq));
	if (c->http_requests > h->http_responses + (after_close ? 1 : 0))
		return;
	struct server_insight *ep = lookup(e, f->key.ipver, f->key.addr[server], f->key.port[server]);
	if (!ep)
		return;
	add_sample(&ep->idle_close, f->conn.close_idle_ns,
		   shard_hash(&f->key) ^ (uint64_t)f->conn.incarnation << 48);
	if (f->conn.tls.stage != TLS_STAGE_NONE)
		note_name(ep, f->conn.request.target);
	if (f->conn.app)
		ep->app = f->conn.app;
	/* (A TLS connection counts requests in HTTP's terms: not HTTP.) */
	ep->http = ep->http ||
		   (f->conn.tls.stage == TLS_STAGE_NONE && (c->http_requests || h->http_responses));
	if (f->conn.response.dir == server && f->conn.response.keepalive_s)
		ep->keepalive_header_s = f->conn.response.keepalive_s;
}

void server_insights_note_reset(struct server_insights *e, const struct verdict *v,
				uint32_t source)
{
	const uint8_t *addr;
	uint16_t port;
	if (v->sender == ROLE_SERVER) {
		addr = v->src;
		port = v->sport;
	} else if (v->sender == ROLE_CLIENT) {
		addr = v->dst;
		port = v->dport;
	} else {
		return;
	}
	struct server_insight *ep = lookup(e, v->ipver, addr, port);
	if (!ep)
		return;
	ep->resets++;
	ep->by_cause[v->cause]++;
	ep->http = ep->http || (v->request.frame && v->request.method != HTTP_METHOD_TLS_RECORD) ||
		   v->response.status;
	if (v->tls.stage != TLS_STAGE_NONE)
		note_name(ep, v->request.target);
	if (v->app)
		ep->app = v->app;
	/* A client's goodbye after the server's FIN (its TLS close_notify, its
	 * QUIT: the benign details) is no request. */
	if (v->cause == CAUSE_DATA_AFTER_FIN && !cause_benign(v->cause, v->detail) &&
	    v->sender == ROLE_SERVER)
		ep->requests_after_close++;
	if (v->cause == CAUSE_IDLE_TIMEOUT && verdict_middlebox_idle_ns(v) >= 0)
		add_sample(&ep->middlebox_idle, verdict_middlebox_idle_ns(v),
			   (uint64_t)source << 48 ^ v->rst.frame);
	if (v->response_sender == ROLE_SERVER && v->response.keepalive_s)
		ep->keepalive_header_s = v->response.keepalive_s;
}

void server_insights_merge(struct server_insights *e, const struct server_insights *o)
{
	e->dropped += o->dropped;
	for (uint32_t i = 0; i < o->n; i++) {
		const struct server_insight *from = &o->list[i];
		struct server_insight *ep = lookup(e, from->ipver, from->addr, from->port);
		if (!ep)
			continue;   /* counted in dropped */
		ep->resets += from->resets;
		for (int c = 0; c < CAUSE_COUNT; c++)
			ep->by_cause[c] += from->by_cause[c];
		ep->requests_after_close += from->requests_after_close;
		idle_samples_merge(&ep->idle_close, &from->idle_close);
		idle_samples_merge(&ep->middlebox_idle, &from->middlebox_idle);
		if (!ep->keepalive_header_s)
			ep->keepalive_header_s = from->keepalive_header_s;
		ep->http = ep->http || from->http;
		if (!ep->app)
			ep->app = from->app;
		if (from->names && !ep->names) {
			memcpy(ep->name, from->name, sizeof ep->name);
			ep->names = from->names;
		} else if (from->names && (from->names > 1 || strcmp(ep->name, from->name) != 0)) {
			ep->names = 2;
		}
	}
}

static int by_ms(const void *x, const void *y)
{
	uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;
	return (a > b) - (a < b);
}

bool idle_samples_median(const struct idle_samples *s, int64_t *median_ns, bool *consistent)
{
	if (!s->kept)
		return false;
	uint32_t sorted[SERVER_INSIGHT_SAMPLES];
	memcpy(sorted, s->ms, s->kept * sizeof sorted[0]);
	qsort(sorted, s->kept, sizeof sorted[0], by_ms);
	uint32_t med = sorted[s->kept / 2];
	uint32_t slack = med / 10 > 300 ? med / 10 : 300, near = 0;
	for (uint32_t i = 0; i < s->kept; i++)
		if (sorted[i] + slack >= med && sorted[i] <= med + slack)
			near++;
	*median_ns = (int64_t)med * 1000000;
	*consistent = 4 * near >= 3 * s->kept;
	return true;
}

static int by_weight(const void *x, const void *y)
{
	const struct server_insight *a = x, *b = y;
	if (a->resets != b->resets)
		return a->resets < b->resets ? 1 : -1;
	if (a->idle_close.seen != b->idle_close.seen)
		return a->idle_close.seen < b->idle_close.seen ? 1 : -1;
	if (a->ipver != b->ipver)
		return a->ipver - b->ipver;
	int c = memcmp(a->addr, b->addr, sizeof a->addr);
	return c ? c : a->port - b->port;
}

void server_insights_sort(struct server_insights *e)
{
	if (e->n)
		qsort(e->list, e->n, sizeof e->list[0], by_weight);
	/* The order changed: rebuild the index so lookups still work. */
	if (e->n_slots)
		rehash(e, e->n_slots);
}
