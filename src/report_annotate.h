/*
 * report_annotate: each final verdict as packet comments, for the
 * annotated capture (-w). A reporter in front of the text or JSON one: it
 * hands every reset on unchanged and words, from the same explanation the
 * report gives, one line for the RST and a short one for each of its
 * evidence frames, each naming the input and the frame. Renderers decide
 * nothing, and this one neither.
 */
#ifndef RSTDIAG_REPORT_ANNOTATE_H
#define RSTDIAG_REPORT_ANNOTATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "report.h"

/* One packet's comment: a RST's verdict or what an evidence frame is.
 * A frame that is both, or evidence for several RSTs, has one joined. */
struct annotation {
	uint32_t source;        /* report_source.index */
	uint64_t frame;
	bool rst;               /* the frame is a RST with a verdict */
	size_t order;           /* when it was made: a frame's comments join in report order */
	char *text;
};

struct annotations {
	struct annotation *v;
	size_t n, cap;
	size_t next;            /* annotations_take's cursor */
};

/* ann forwards to inner and keeps comments in notes (both outlive it). */
void report_annotate_init(struct reporter *ann, struct reporter *inner, struct annotations *notes);
/* Sorts the comments by input and frame and joins a frame's several. */
void annotations_seal(struct annotations *notes);
/* In input and frame order: the comment of (source, frame), or NULL. The
 * calls must come in that order (a second read of the same inputs). */
const struct annotation *annotations_take(struct annotations *notes, uint32_t source,
					  uint64_t frame);
void annotations_free(struct annotations *notes);

#endif
