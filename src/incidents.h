/*
 * incidents: which frames belong to a connection that had a RST, for
 * what shows an incident's packets again (-w's annotated capture).
 *
 * The tracker knows a frame's connection only while it reads it, and which
 * connections will have a RST only later; keeping every connection's
 * frames would cost memory per packet. So the first pass remembers, per
 * flow slot, the frame its current connection began with (8 bytes and an
 * index per slot, only when asked for: man page, FLOWS AND MEMORY), and,
 * for a connection once it has a RST, its key and its first and last
 * frame. A second read of the same files then finds each frame's
 * connection by its key and frame number: connections on one tuple follow
 * each other, so [first, last] on a key is one connection.
 */
#ifndef RSTDIAG_INCIDENTS_H
#define RSTDIAG_INCIDENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "flow.h"

struct incident {
	struct flow_key key;
	uint32_t source;            /* the input, counted from 0 in reading order */
	bool reported;              /* one of its RSTs was reported (-c stops the others) */
	uint64_t first, last;       /* its connection's first and last frame */
};

/* A RST, and the incident of its connection. */
struct incident_rst {
	uint32_t source;
	uint32_t incident;          /* index into incidents.v */
	uint64_t frame;
};

struct incidents {
	uint64_t *first;            /* per flow slot: its connection's first frame */
	int32_t *open;              /* per flow slot: its connection's incident, -1 none */
	uint32_t slots;
	struct incident *v;         /* in the order they were made: indices stay */
	size_t n, cap;
	struct incident_rst *rsts;  /* in reading order: by source, then frame */
	size_t n_rsts, cap_rsts;
	uint32_t *by_key;           /* indices of v by source, key, first (incidents_find) */
	uint64_t *seen;             /* open addressing: key hashes of v, 0 empty (a frame of
				       no incident, most of them, costs one probe) */
	uint32_t seen_mask;
	uint32_t source;
};

struct incidents *incidents_new(void);
void incidents_free(struct incidents *in);
/* The frames that follow are from the next input (the first is source 0). */
void incidents_begin_source(struct incidents *in, uint32_t source);
/* A new connection began on flow slot `slot` with this frame. */
void incidents_connection_began(struct incidents *in, uint32_t slot, uint64_t frame);
/* (incidents_frame's slow path: a RST.) */
void incidents_rst(struct incidents *in, uint32_t slot, uint64_t frame, const struct flow_key *key);
/* A frame of the connection on `slot` (after incidents_connection_began
 * for its first): extends its incident, and a RST makes it one. */
static inline void incidents_frame(struct incidents *in, uint32_t slot, uint64_t frame, bool rst,
				   const struct flow_key *key)
{
	if (rst) {
		incidents_rst(in, slot, frame, key);
		return;
	}
	int32_t i = slot < in->slots ? in->open[slot] : -1;
	if (i >= 0)
		in->v[i].last = frame;
}

/* The RST at `frame` of `source` was reported. */
void incidents_reported(struct incidents *in, uint32_t source, uint64_t frame);
/* After the first read: the index incidents_find searches. */
void incidents_seal(struct incidents *in);
/* Second read: the incident that frame `frame` of input `source`, with
 * this key, belongs to (an index into in->v), or -1. */
int32_t incidents_find(const struct incidents *in, uint32_t source, const struct flow_key *key,
		       uint64_t frame);
/* The incident of the RST at `frame` of `source`, or -1. */
int32_t incidents_of_rst(const struct incidents *in, uint32_t source, uint64_t frame);

#endif
