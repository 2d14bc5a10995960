/*
 * report_merge: rstdiag --merge, the JSON Lines of several runs as one.
 *
 * The runs are the N shards of one input (--shard K/N), or runs over
 * different files or hosts. Their reset records go out as they came in,
 * byte for byte, in capture-time order (equal times: by file name, then
 * frame number): a k-way merge holding one line per input, so memory does
 * not grow with the records. Their summaries are read back into the
 * structs a run counts in, combined as one run would have counted
 * (stats_merge, server_insights_merge) and written by the JSON reporter
 * itself, so the merged summary has one run's form.
 */
#ifndef RSTDIAG_REPORT_MERGE_H
#define RSTDIAG_REPORT_MERGE_H

#include <stdbool.h>
#include <stdio.h>

#include "msg.h"

/* Merges the JSON Lines in files ("-": standard input) onto out. */
enum exit_status report_merge(const char *const *files, int n_files, FILE *out, bool nano);
/* The same over open streams, named for messages (a NULL stream: one that
 * could not be opened, already said). The streams are not closed. */
enum exit_status report_merge_streams(FILE *const *streams, const char *const *names, int n_files,
				      FILE *out, bool nano);

#endif
