/*
 * annotated_capture: -w OUT.pcapng, the packets of every connection that
 * had a RST, written with the verdicts as packet comments (Wireshark's
 * frame.comment), after the report.
 *
 * Which frames those are is known only at the end, and keeping packets
 * would cost memory per packet, so the inputs are read a second time
 * (pipeline_replay): each frame whose key and number fall in a connection
 * incidents.h remembered is copied, its bytes unchanged, under an
 * interface block for its input's link type and interface.
 */
#ifndef RSTDIAG_ANNOTATED_CAPTURE_H
#define RSTDIAG_ANNOTATED_CAPTURE_H

#include <stdbool.h>

#include "msg.h"
#include "pipeline.h"
#include "report_annotate.h"

struct annotated_capture_options {
	const char *path;           /* the pcapng to write; "-" standard output */
	bool evidence_only;         /* --evidence-only: the RSTs and evidence frames alone */
	const char *const *inputs;  /* the files read the first time, in order */
	int n_inputs;
	const char *filter;         /* the same BPF filter */
};

/* Reads the inputs again and writes the annotated capture; EXIT_OUTPUT
 * (one line said) if it cannot be written. */
enum exit_status annotated_capture_write(const struct annotated_capture_options *o,
					 struct pipeline *pl, struct annotations *notes);

#endif
