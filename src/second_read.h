/*
 * second_read: the inputs read again, after the first read has judged
 * every RST, for what needs a RST's connection's packets:
 *   - -w OUT.pcapng, the packets of every connection that had a RST, with
 *     the verdicts as packet comments (Wireshark's frame.comment);
 *   - --diagram and --mermaid, each diagram's packets (ladder.h).
 *
 * Which frames those are is known only at the end, and keeping packets
 * would cost memory per packet, so the inputs are read a second time
 * (pipeline_replay): each frame is placed by its key and number in a
 * connection incidents.h remembered. Written frames keep their bytes,
 * under an interface block for their input's link type and interface.
 */
#ifndef RSTDIAG_SECOND_READ_H
#define RSTDIAG_SECOND_READ_H

#include <stdbool.h>

#include "ladder.h"
#include "msg.h"
#include "pipeline.h"
#include "report_annotate.h"

struct second_read_options {
	const char *write_path;     /* -w: the pcapng to write; NULL none */
	bool evidence_only;         /* --evidence-only: the RSTs and evidence frames alone */
	const char *const *inputs;  /* the files read the first time, in order */
	int n_inputs;
	const char *filter;         /* the same BPF filter */
};

/*
 * Reads the inputs again: writes the annotated capture (notes: its
 * comments) and fills the diagrams in ladders (either may be NULL).
 * EXIT_OUTPUT (one line said) if the capture cannot be written.
 */
enum exit_status second_read(const struct second_read_options *o, struct pipeline *pl,
			     struct annotations *notes, struct ladders *ladders);

#endif
