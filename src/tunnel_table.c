/* tunnel_table: interned tunnel identities and paths (see tunnel_table.h). */
#include "tunnel_table.h"

#include <stddef.h>
#include <string.h>

#include "xalloc.h"

/* One interning set: entries in arrival order (id = index + 1) and an
 * open-addressing index over them, grown by doubling. */
struct interned {
	struct tunnel_path *paths;
	uint32_t n, cap;
	uint32_t *slots;            /* id, 0 empty */
	uint32_t n_slots;           /* a power of two, at least twice n */
};

struct tunnel_table {
	uint64_t seed;
	struct interned identities, paths;
};

struct tunnel_table *tunnel_table_new(uint64_t seed)
{
	struct tunnel_table *t = xcalloc(1, sizeof *t);
	t->seed = seed;
	return t;
}

static void interned_free(struct interned *s)
{
	free(s->paths);
	free(s->slots);
}

void tunnel_table_free(struct tunnel_table *t)
{
	if (!t)
		return;
	interned_free(&t->identities);
	interned_free(&t->paths);
	free(t);
}

/* The bytes that count: the layers used (padding is zeroed where layers
 * are made, decode_tunnel.c), with their count. */
static size_t layer_bytes(const struct tunnel_path *p)
{
	return (size_t)p->n * sizeof p->layer[0];
}

/* FNV-1a, seeded: a lookup per tunnelled packet, over at most 160 bytes. */
static uint32_t path_hash(uint64_t seed, const struct tunnel_path *p)
{
	const uint8_t *b = (const uint8_t *)p->layer;
	uint64_t h = (0xcbf29ce484222325ULL ^ seed ^ p->n) * 0x100000001b3ULL;
	for (size_t i = 0, n = layer_bytes(p); i < n; i++)
		h = (h ^ b[i]) * 0x100000001b3ULL;
	return (uint32_t)(h ^ h >> 32);
}

static void reindex(struct interned *s, uint64_t seed, uint32_t n_slots)
{
	free(s->slots);
	s->slots = xcalloc(n_slots, sizeof *s->slots);
	s->n_slots = n_slots;
	for (uint32_t id = 1; id <= s->n; id++) {
		uint32_t i = path_hash(seed, &s->paths[id - 1]) & (n_slots - 1);
		while (s->slots[i])
			i = (i + 1) & (n_slots - 1);
		s->slots[i] = id;
	}
}

/* p's id in s, adding it if there is room; 0 when s is full. */
static uint32_t intern(struct interned *s, uint64_t seed, const struct tunnel_path *p)
{
	if (s->n_slots == 0)
		reindex(s, seed, 64);
	uint32_t i = path_hash(seed, p) & (s->n_slots - 1);
	size_t len = layer_bytes(p);
	for (; s->slots[i]; i = (i + 1) & (s->n_slots - 1)) {
		const struct tunnel_path *q = &s->paths[s->slots[i] - 1];
		if (q->n == p->n && memcmp(q->layer, p->layer, len) == 0)
			return s->slots[i];
	}
	if (s->n == TUNNEL_TABLE_MAX)
		return 0;
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 16;
		s->paths = xrealloc(s->paths, (size_t)s->cap * sizeof *s->paths);
	}
	struct tunnel_path *kept = &s->paths[s->n];
	memset(kept, 0, sizeof *kept);
	kept->n = p->n;
	memcpy(kept->layer, p->layer, len);
	uint32_t id = ++s->n;
	if (2 * s->n > s->n_slots)
		reindex(s, seed, s->n_slots * 2);
	else
		s->slots[i] = id;
	return id;
}

uint16_t tunnel_table_identity(struct tunnel_table *t, const struct tunnel_path *p)
{
	struct tunnel_path id;
	memset(&id, 0, sizeof id);
	for (unsigned i = 0; i < p->n; i++) {
		const struct tunnel_layer *l = &p->layer[i];
		if (l->kind == TUNNEL_MPLS)
			continue;
		struct tunnel_layer *o = &id.layer[id.n++];
		o->kind = l->kind;
		if (l->kind == TUNNEL_VXLAN || l->kind == TUNNEL_GENEVE || l->kind == TUNNEL_ERSPAN) {
			o->has_id = l->has_id;
			o->id = l->id;
		}
		if (l->kind == TUNNEL_IPIP || l->kind == TUNNEL_GTPU || l->kind == TUNNEL_TEREDO)
			continue;   /* their outer addresses may differ per direction */
		o->ipver = l->ipver;
		bool in_order = memcmp(l->src, l->dst, 16) <= 0;
		memcpy(o->src, in_order ? l->src : l->dst, 16);
		memcpy(o->dst, in_order ? l->dst : l->src, 16);
	}
	if (id.n == 0)
		return 0;   /* MPLS alone: the inner 4-tuple is the connection */
	uint32_t n = intern(&t->identities, t->seed, &id);
	return n ? (uint16_t)n : TUNNEL_IDENTITY_OVERFLOW;
}

uint32_t tunnel_table_path(struct tunnel_table *t, const struct tunnel_path *p)
{
	return intern(&t->paths, t->seed, p);
}

const struct tunnel_path *tunnel_table_get(const struct tunnel_table *t, uint32_t id)
{
	if (!t || id == 0 || id > t->paths.n)
		return NULL;
	return &t->paths.paths[id - 1];
}
