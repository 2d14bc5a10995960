/*
 * ladder: a connection's packets up to its RST as a ladder diagram, for
 * the text report (--diagram: box-drawing characters, or ASCII) and as a
 * mermaid sequenceDiagram (--mermaid), the way incident notes draw them:
 * the client's column on the left, the server's on the right, one arrow a
 * packet with its frame, flags, relative numbers, length and what it
 * carries (an HTTP request or status line, a TLS record's kind), the
 * silences that matter, the RST and its evidence frames marked.
 *
 * A diagram keeps its connection's first LADDER_HEAD packets (the
 * handshake) and its last `keep` up to the RST, counting what is left out
 * between them: a fixed record a packet, taken in the second read of the
 * inputs (second_read.h), so nothing is kept per packet while reading.
 */
#ifndef RSTDIAG_LADDER_H
#define RSTDIAG_LADDER_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "classify.h"
#include "packet.h"

#define LADDER_HEAD 3
#define LADDER_KEEP_DEFAULT 12
#define LADDER_KEEP_MAX 1000
#define LADDER_LABEL_MAX 48

enum ladder_mark { LADDER_PLAIN, LADDER_EVIDENCE, LADDER_THE_RST };

/* One packet of a diagram. */
struct ladder_pkt {
	uint64_t frame;
	uint64_t nth;               /* its place in the connection, from 0: what was left out */
	int64_t ts_ns;
	uint32_t seq, ack, len;     /* seq and ack as on the wire */
	uint8_t flags;
	bool from_client;
	uint8_t mark;               /* enum ladder_mark, set by ladder_finish */
	char label[LADDER_LABEL_MAX];   /* what it carries, "" nothing named */
};

/* A diagram being filled by the second read, then drawn. */
struct ladder {
	/* From the verdict (ladder_init). */
	uint32_t source;            /* report_source.index */
	uint64_t rst_frame;
	uint64_t evidence[VERDICT_MAX_EVIDENCE];
	int n_evidence;
	uint8_t ipver;
	uint8_t client_addr[16];    /* the side drawn on the left */
	uint16_t client_port;
	char client[64], server[64];    /* "client 10.0.0.1:5000" */
	int64_t rtt_ns;             /* handshake round trip, -1 unknown: what a gap is held against */
	int64_t t0;                 /* its input's first packet: times are relative to it, as
				       in the report and Wireshark's default column */
	/* Filled by the second read. */
	uint32_t keep;
	struct ladder_pkt *pkts;    /* LADDER_HEAD + VERDICT_MAX_EVIDENCE + keep records */
	uint32_t n_head;            /* pkts[0..]: the first packets of the connection */
	uint32_t n_pinned;          /* pkts[LADDER_HEAD..]: evidence frames, kept wherever they are */
	uint32_t n_tail;            /* pkts[LADDER_HEAD + VERDICT_MAX_EVIDENCE..]: a ring of the
				       last ones */
	uint64_t seen;              /* packets of the connection pushed */
	bool complete;              /* its RST was reached */
	/* Relative numbers as Wireshark counts them: from a side's ISN when
	 * its SYN is its first packet, else from one before its first
	 * sequence number, or one before the first ack naming it. */
	bool have_base_client, have_base_server;
	uint32_t base_client, base_server;
};

/* The diagrams a report asked for, in the order asked. */
struct ladders {
	struct ladder *v;
	size_t n, cap;
	uint32_t keep;              /* packets before the RST each keeps (--diagram-packets) */
};
/* A new diagram for this verdict's RST in input `source`, whose first
 * packet came at t0; its index. */
size_t ladders_add(struct ladders *ls, const struct verdict *v, uint32_t source, int64_t t0);
void ladders_free(struct ladders *ls);

/* From the final verdict of a RST shown in full. */
void ladder_init(struct ladder *l, const struct verdict *v, uint32_t source, uint32_t keep);
void ladder_free(struct ladder *l);
/* Whether p, of l's connection, goes from its client to its server. */
bool ladder_from_client(const struct ladder *l, const struct pkt *p);
/* A packet of l's connection, in order, up to and with its RST. */
void ladder_push(struct ladder *l, const struct pkt *p);

struct ladder_style {
	bool utf8;                  /* box drawing; else ASCII */
	bool color;                 /* ANSI colour */
	bool nano;
};
/* The diagram as text lines, each starting with `indent`. */
void ladder_render_text(FILE *out, const struct ladder *l, const struct ladder_style *st,
			const char *indent);
/* The diagram as a fenced mermaid sequenceDiagram block. */
void ladder_render_mermaid(FILE *out, const struct ladder *l);

#endif
