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

void incidents_open(struct incidents *in, uint32_t slot, uint64_t frame, const struct flow_key *key)
{
	reach_slot(in, slot);
	if (in->n == in->cap) {
		in->cap = in->cap ? in->cap * 2 : 64;
		in->v = xrealloc(in->v, in->cap * sizeof *in->v);
	}
	/* A connection that began in an earlier input (rotated files) has
	 * no first frame in this one: its incident starts with this input. */
	uint64_t first = in->first[slot] ? in->first[slot] : 1;
	in->v[in->n] = (struct incident){ .key = *key, .source = in->source, .first = first,
					  .last = frame };
	in->open[slot] = (int32_t)in->n++;
	in->sorted = false;
}

static int cmp_incident(const void *pa, const void *pb)
{
	const struct incident *a = pa, *b = pb;
	if (a->source != b->source)
		return a->source < b->source ? -1 : 1;
	int c = memcmp(&a->key, &b->key, sizeof a->key);
	if (c)
		return c;
	return a->first < b->first ? -1 : a->first > b->first;
}

bool incidents_contains(struct incidents *in, uint32_t source, const struct flow_key *key,
			uint64_t frame)
{
	if (!in->sorted) {
		qsort(in->v, in->n, sizeof *in->v, cmp_incident);
		in->sorted = true;
		/* Sorting moved them: no slot's index is valid any more. */
		for (uint32_t i = 0; i < in->slots; i++)
			in->open[i] = -1;
	}
	/* The last incident at or before (source, key, frame). */
	size_t lo = 0, hi = in->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct incident *m = &in->v[mid];
		int c = m->source != source ? (m->source < source ? -1 : 1)
					    : memcmp(&m->key, key, sizeof *key);
		if (c < 0 || (c == 0 && m->first <= frame))
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return false;
	const struct incident *m = &in->v[lo - 1];
	return m->source == source && memcmp(&m->key, key, sizeof *key) == 0 && frame <= m->last;
}

size_t incidents_count(const struct incidents *in)
{
	return in->n;
}
