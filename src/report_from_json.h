/*
 * report_from_json: rstdiag --from-json, the text report of runs' JSON
 * Lines: a sharded run's merged output, or one run's --json kept for
 * later, read as one run's human report.
 *
 * The inputs are merged as --merge merges them (report_merge.h). Each
 * record is read back into the facts the text report shows (a struct
 * verdict with what the record holds of it) and the words the run made
 * of them (its explanation, advice and evidence lines, taken as written:
 * they are not made again, so a report of old records says what that
 * version said), and rendered by the text reporter. The summary comes
 * back as --merge reads it. Only what the text report shows is read:
 * --diagram, --html and -w need the packets and are refused.
 */
#ifndef RSTDIAG_REPORT_FROM_JSON_H
#define RSTDIAG_REPORT_FROM_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "msg.h"

struct reporter;
struct text_options;
struct tunnel_table;

/* The text report of the JSON Lines in files ("-": standard input) onto
 * out, with o's choices (colour, --all, -v, --nano); o's inputs are
 * ignored: the heading names what the runs read, as their summaries say. */
enum exit_status report_from_json(const char *const *files, int n_files,
				  const struct text_options *o, FILE *out);

/* A record renderer for report_merge_streams: each line, read back,
 * goes to rep, a text reporter (live --fanout's parent uses it too). */
struct from_json {
	struct reporter *rep;
	bool show_name;                 /* several inputs: name each RST's file */
	struct tunnel_table *tunnels;   /* the records' tunnel paths */
	char **names;                   /* the records' files, each once */
	int n_names, names_cap;
	uint64_t records;               /* records rendered */
	unsigned long unread;           /* records that could not be read back */
	enum exit_status status;
};
void from_json_init(struct from_json *fj, struct reporter *rep, bool show_name);
void from_json_record(void *fj, const char *line, size_t len);
/* Says how many records could not be read back; frees what fj holds. */
void from_json_free(struct from_json *fj);

#endif
