/* second_read: the inputs again, for -w and the diagrams (see second_read.h). */
#include "second_read.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture.h"
#include "pcapng_write.h"
#include "xalloc.h"

/* An interface block written: the input, link type and interface name it
 * stands for. */
struct written_interface {
	uint32_t source;
	int dlt;
	char name[sizeof ((struct report_source *)0)->interface];
};

struct writer {
	FILE *out;                  /* NULL: no -w */
	struct incidents *incidents;
	struct annotations *notes;
	struct ladders *ladders;
	int32_t *first_ladder;      /* per incident: its first diagram, -1 none */
	int32_t *next_ladder;       /* per diagram: the next on its incident, -1 none */
	bool evidence_only;
	bool failed;
	struct written_interface *ifs;
	uint32_t n_ifs, cap_ifs;
	uint32_t last_if;           /* the interface of the last frame written */
	uint64_t packets;
};

/* The pcapng interface for this frame's input, link type and interface,
 * written the first time one is needed. */
static uint32_t interface_for(struct writer *w, const struct replay_frame *rf)
{
	int dlt = rf->link ? rf->link->dlt : -1;
	if (w->n_ifs) {
		const struct written_interface *l = &w->ifs[w->last_if];
		if (l->source == rf->source && l->dlt == dlt && !strcmp(l->name, rf->src->interface))
			return w->last_if;
	}
	for (uint32_t i = 0; i < w->n_ifs; i++)
		if (w->ifs[i].source == rf->source && w->ifs[i].dlt == dlt &&
		    !strcmp(w->ifs[i].name, rf->src->interface))
			return w->last_if = i;
	if (w->n_ifs == w->cap_ifs) {
		w->cap_ifs = w->cap_ifs ? w->cap_ifs * 2 : 4;
		w->ifs = xrealloc(w->ifs, w->cap_ifs * sizeof *w->ifs);
	}
	struct written_interface *n = &w->ifs[w->n_ifs];
	n->source = rf->source;
	n->dlt = dlt;
	snprintf(n->name, sizeof n->name, "%s", rf->src->interface);
	/* snaplen 0: no limit stated. */
	if (!pcapng_write_interface(w->out, (uint16_t)capture_linktype_of_dlt(dlt), 0, n->name))
		w->failed = true;
	return w->last_if = w->n_ifs++;
}

/* The frame to each diagram of its connection. */
static void feed_ladders(struct writer *w, int32_t incident, const struct replay_frame *rf)
{
	if (w->first_ladder[incident] >= 0)
		replay_payload_facts(rf->p);
	for (int32_t i = w->first_ladder[incident]; i >= 0; i = w->next_ladder[i])
		ladder_push(&w->ladders->v[i], rf->p);
}

static void write_frame(struct writer *w, int32_t incident, const struct replay_frame *rf)
{
	const struct annotation *a = annotations_take(w->notes, rf->source, rf->frame);
	if (w->failed || !rf->link || rf->link->dlt < 0)
		return;
	/* A connection whose RSTs -c left unreported is not written either. */
	if (w->evidence_only ? !a : incident < 0 || !w->incidents->v[incident].reported)
		return;
	uint32_t if_id = interface_for(w, rf);
	if (!pcapng_write_packet(w->out, if_id, rf->ts_ns, rf->bytes, rf->caplen, rf->wirelen,
				 a ? a->text : NULL))
		w->failed = true;
	w->packets++;
}

static void on_frame(void *ctx, const struct replay_frame *rf)
{
	struct writer *w = ctx;
	int32_t incident = rf->key ? incidents_find(w->incidents, rf->source, rf->key, rf->frame) : -1;
	if (incident >= 0 && w->first_ladder)
		feed_ladders(w, incident, rf);
	if (w->out && rf->key)
		write_frame(w, incident, rf);
}

/* Each diagram on the list of its RST's incident. */
static void place_ladders(struct writer *w)
{
	size_t n = w->incidents->n;
	w->first_ladder = xmalloc((n ? n : 1) * sizeof *w->first_ladder);
	w->next_ladder = xmalloc((w->ladders->n ? w->ladders->n : 1) * sizeof *w->next_ladder);
	for (size_t i = 0; i < n; i++)
		w->first_ladder[i] = -1;
	for (size_t i = w->ladders->n; i-- > 0;) {
		const struct ladder *l = &w->ladders->v[i];
		int32_t inc = incidents_of_rst(w->incidents, l->source, l->rst_frame);
		w->next_ladder[i] = inc >= 0 ? w->first_ladder[inc] : -1;
		if (inc >= 0)
			w->first_ladder[inc] = (int32_t)i;
	}
}

enum exit_status second_read(const struct second_read_options *o, struct pipeline *pl,
			     struct annotations *notes, struct ladders *ladders)
{
	struct writer w = { .incidents = pl->incidents, .notes = notes, .ladders = ladders,
			    .evidence_only = o->evidence_only };
	if (o->write_path) {
		w.out = fopen(o->write_path, "wb");
		if (!w.out) {
			msg_error("%s: %s", o->write_path, strerror(errno));
			return EXIT_OUTPUT;
		}
		annotations_seal(notes);
		if (!pcapng_write_section(w.out))
			w.failed = true;
	}
	incidents_seal(pl->incidents);
	if (ladders && ladders->n)
		place_ladders(&w);
	pipeline_replay(pl, on_frame, &w);
	/* Said once, in the first read: a damaged input's messages. */
	msg_quiet = true;
	for (int i = 0; i < o->n_inputs && !w.failed; i++)
		capture_read_file(o->inputs[i], o->filter, o->n_inputs > 1, pl);
	msg_quiet = false;
	free(w.ifs);
	free(w.first_ladder);
	free(w.next_ladder);
	if (!w.out)
		return EXIT_OK;
	bool closed = fclose(w.out) == 0;
	if (w.failed || !closed) {
		msg_error("%s: cannot write the annotated capture: %s", o->write_path,
			  strerror(errno ? errno : EIO));
		return EXIT_OUTPUT;
	}
	return EXIT_OK;
}
