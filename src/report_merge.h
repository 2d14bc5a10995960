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
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "msg.h"

struct reporter;

/*
 * A time in seconds as rstdiag writes it ("-12.345678", or 9 decimals)
 * from a line's own text, into ns: a double cannot hold nanoseconds since
 * 1970. The value of the first "key": that is not inside a string; *nano
 * (if not NULL) set when it has more than 6 decimals. False when absent.
 */
bool report_merge_seconds(const char *line, const char *key, int64_t *ns, bool *nano);
/* A JSON number as a count up to max: anything but a number is 0, and a
 * value out of range is clamped (a double's conversion out of range is
 * undefined). */
struct cJSON;
uint64_t report_merge_count(const struct cJSON *v, uint64_t max);

/*
 * Where a merge goes. rep writes the merged summary. Each reset record,
 * in merged order, goes to record as the line was read (without its
 * newline): --merge writes it unchanged (record NULL: onto rep->out),
 * --from-json renders it through rep (report_from_json.h). Before the
 * summary the merge sets rep's nano (when an input's times have 9
 * decimals), kernel_reasons and inputs (the runs' inputs, each once).
 */
struct merge_output {
	struct reporter *rep;
	void (*record)(void *ctx, const char *line, size_t len);
	void *ctx;
};

/* Merges the JSON Lines in files ("-": standard input) onto out. */
enum exit_status report_merge(const char *const *files, int n_files, FILE *out, bool nano);
/* The same over open streams, named for messages (a NULL stream: one that
 * could not be opened, already said). The streams are not closed. */
enum exit_status report_merge_streams(FILE *const *streams, const char *const *names, int n_files,
				      const struct merge_output *out);
/* The same where input i is the file paths[i] when streams[i] is NULL,
 * opened only while the merge needs it (report_merge.c: only inputs whose
 * records overlap in time are open at once), else streams[i]. */
enum exit_status report_merge_paths(const char *const *paths, FILE *const *streams,
				    const char *const *names, int n_files,
				    const struct merge_output *out);

#endif
