/* annotated_capture: -w's second read and pcapng output (see annotated_capture.h). */
#include "annotated_capture.h"

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
	FILE *out;
	struct incidents *incidents;
	struct annotations *notes;
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

static void on_frame(void *ctx, const struct replay_frame *rf)
{
	struct writer *w = ctx;
	const struct annotation *a = annotations_take(w->notes, rf->source, rf->frame);
	if (w->failed || !rf->key || !rf->link || rf->link->dlt < 0)
		return;
	if (w->evidence_only ? !a : !incidents_contains(w->incidents, rf->source, rf->key, rf->frame))
		return;
	uint32_t if_id = interface_for(w, rf);
	if (!pcapng_write_packet(w->out, if_id, rf->ts_ns, rf->bytes, rf->caplen, rf->wirelen,
				 a ? a->text : NULL))
		w->failed = true;
	w->packets++;
}

enum exit_status annotated_capture_write(const struct annotated_capture_options *o,
					 struct pipeline *pl, struct annotations *notes)
{
	bool to_stdout = strcmp(o->path, "-") == 0;
	FILE *out = to_stdout ? stdout : fopen(o->path, "wb");
	if (!out) {
		msg_error("%s: %s", o->path, strerror(errno));
		return EXIT_OUTPUT;
	}
	struct writer w = { .out = out, .incidents = pl->incidents, .notes = notes,
			    .evidence_only = o->evidence_only };
	annotations_seal(notes);
	if (!pcapng_write_section(out))
		w.failed = true;
	pipeline_replay(pl, on_frame, &w);
	/* Said once, in the first read: a damaged input's messages. */
	msg_quiet = true;
	for (int i = 0; i < o->n_inputs && !w.failed; i++)
		capture_read_file(o->inputs[i], o->filter, o->n_inputs > 1, pl);
	msg_quiet = false;
	free(w.ifs);
	bool closed = to_stdout ? fflush(out) == 0 : fclose(out) == 0;
	if (w.failed || !closed || (to_stdout && ferror(out))) {
		msg_error("%s: cannot write the annotated capture: %s", o->path,
			  strerror(errno ? errno : EIO));
		return EXIT_OUTPUT;
	}
	return EXIT_OK;
}
