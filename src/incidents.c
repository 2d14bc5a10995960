/* incidents: the frames of connections that had a RST (see incidents.h). */
#include "incidents.h"

#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

struct incidents *incidents_new(void)
{
	return xcalloc(1, sizeof(struct incidents));
}

void incidents_free(struct incidents *in)
{
	if (!in)
		return;
	free(in->first);
	free(in->open);
	free(in->v);
	free(in->rsts);
	free(in->by_key);
	free(in->seen);
	free(in);
}

void incidents_begin_source(struct incidents *in, uint32_t source)
{
	in->source = source;
	/* A connection does not go on into the next input (the pipeline ends
	 * none at a file's end, so a tuple's frames in two files stay two). */
	for (uint32_t i = 0; i < in->slots; i++) {
		in->first[i] = 0;
		in->open[i] = -1;
	}
}

/* The per-slot arrays grow with the flow pool, which grows on demand. */
static void reach_slot(struct incidents *in, uint32_t slot)
{
	if (slot < in->slots)
		return;
	uint32_t n = in->slots ? in->slots : 1024;
	while (n <= slot)
		n *= 2;
	in->first = xrealloc(in->first, n * sizeof *in->first);
	in->open = xrealloc(in->open, n * sizeof *in->open);
	for (uint32_t i = in->slots; i < n; i++) {
		in->first[i] = 0;
		in->open[i] = -1;
	}
	in->slots = n;
}

void incidents_connection_began(struct incidents *in, uint32_t slot, uint64_t frame)
{
	reach_slot(in, slot);
	in->first[slot] = frame;
	in->open[slot] = -1;
}

void incidents_rst(struct incidents *in, uint32_t slot, uint64_t frame, const struct flow_key *key)
{
	reach_slot(in, slot);
	int32_t i = in->open[slot];
	if (i < 0) {
		if (in->n == in->cap) {
			in->cap = in->cap ? in->cap * 2 : 64;
			in->v = xrealloc(in->v, in->cap * sizeof *in->v);
		}
		/* A connection that began in an earlier input (rotated files) has
		 * no first frame in this one: its incident starts with this input. */
		uint64_t first = in->first[slot] ? in->first[slot] : 1;
		in->v[in->n] = (struct incident){ .key = *key, .source = in->source, .first = first };
		i = in->open[slot] = (int32_t)in->n++;
	}
	in->v[i].last = frame;
	if (in->n_rsts == in->cap_rsts) {
		in->cap_rsts = in->cap_rsts ? in->cap_rsts * 2 : 64;
		in->rsts = xrealloc(in->rsts, in->cap_rsts * sizeof *in->rsts);
	}
	in->rsts[in->n_rsts++] = (struct incident_rst){ .source = in->source, .incident = (uint32_t)i,
							.frame = frame };
}

/* Orders by_key: source, key, first frame. */
static const struct incident *sort_base;

static int cmp_place(uint32_t source, const struct flow_key *key, uint64_t first,
		     const struct incident *m)
{
	if (m->source != source)
		return source < m->source ? -1 : 1;
	int c = memcmp(key, &m->key, sizeof *key);
	if (c)
		return c;
	return first < m->first ? -1 : first > m->first;
}

static int cmp_index(const void *pa, const void *pb)
{
	const struct incident *a = &sort_base[*(const uint32_t *)pa];
	return cmp_place(a->source, &a->key, a->first, &sort_base[*(const uint32_t *)pb]);
}

/* A key's hash for `seen`, never 0 (splitmix64's finaliser over its words). */
static uint64_t key_hash(uint32_t source, const struct flow_key *key)
{
	uint64_t h = source;
	const uint8_t *p = (const uint8_t *)key;
	for (size_t i = 0; i + 8 <= sizeof *key; i += 8) {
		uint64_t w;
		memcpy(&w, p + i, 8);
		h ^= w;
		h = (h ^ (h >> 30)) * 0xbf58476d1ce4e5b9ULL;
		h = (h ^ (h >> 27)) * 0x94d049bb133111ebULL;
		h ^= h >> 31;
	}
	return h | 1;
}

void incidents_seal(struct incidents *in)
{
	uint32_t slots = 16;
	while (slots < 2 * in->n)
		slots *= 2;
	free(in->seen);
	in->seen = xcalloc(slots, sizeof *in->seen);
	in->seen_mask = slots - 1;
	for (size_t i = 0; i < in->n; i++) {
		uint64_t h = key_hash(in->v[i].source, &in->v[i].key);
		uint32_t at = (uint32_t)h & in->seen_mask;
		while (in->seen[at] && in->seen[at] != h)
			at = (at + 1) & in->seen_mask;
		in->seen[at] = h;
	}
	free(in->by_key);
	in->by_key = xmalloc((in->n ? in->n : 1) * sizeof *in->by_key);
	for (size_t i = 0; i < in->n; i++)
		in->by_key[i] = (uint32_t)i;
	sort_base = in->v;
	qsort(in->by_key, in->n, sizeof *in->by_key, cmp_index);
	sort_base = NULL;
}

int32_t incidents_find(const struct incidents *in, uint32_t source, const struct flow_key *key,
		       uint64_t frame)
{
	uint64_t h = key_hash(source, key);
	uint32_t at = (uint32_t)h & in->seen_mask;
	while (in->seen[at] != h) {
		if (!in->seen[at])
			return -1;
		at = (at + 1) & in->seen_mask;
	}
	/* The last incident at or before (source, key, frame). */
	size_t lo = 0, hi = in->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (cmp_place(source, key, frame, &in->v[in->by_key[mid]]) >= 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return -1;
	const struct incident *m = &in->v[in->by_key[lo - 1]];
	bool in_it = m->source == source && memcmp(&m->key, key, sizeof *key) == 0 &&
		     frame <= m->last;
	return in_it ? (int32_t)in->by_key[lo - 1] : -1;
}

void incidents_reported(struct incidents *in, uint32_t source, uint64_t frame)
{
	int32_t i = incidents_of_rst(in, source, frame);
	if (i >= 0)
		in->v[i].reported = true;
}

int32_t incidents_of_rst(const struct incidents *in, uint32_t source, uint64_t frame)
{
	size_t lo = 0, hi = in->n_rsts;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct incident_rst *r = &in->rsts[mid];
		if (r->source < source || (r->source == source && r->frame < frame))
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < in->n_rsts && in->rsts[lo].source == source && in->rsts[lo].frame == frame)
		return (int32_t)in->rsts[lo].incident;
	return -1;
}
