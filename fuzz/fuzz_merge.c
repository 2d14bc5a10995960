/*
 * fuzz_merge: libFuzzer's bytes as the JSON Lines --merge reads (several
 * runs' records and summaries).
 *
 * The bytes are split at NUL into up to four inputs, each read from
 * memory as --merge reads a file: its lines parsed, the records' order
 * keys taken from their own text (the times with nanoseconds), the
 * summaries read back into the structs a run counts in, combined, and
 * the merged summary written by the JSON reporter, to /dev/null. When
 * the input's length is odd the merge goes through --from-json instead: each
 * record read back into a verdict and its words and rendered by the text
 * reporter with -v --all (so a record's every field reaches a renderer).
 * Nothing may outlive an input: libFuzzer's -detect_leaks checks that.
 */
#define _GNU_SOURCE     /* fmemopen */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "msg.h"
#include "report.h"
#include "report_from_json.h"
#include "report_merge.h"

#define FUZZ_INPUTS 4

static FILE *sink;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	sink = fopen("/dev/null", "w");
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FILE *in[FUZZ_INPUTS];
	const char *names[FUZZ_INPUTS] = { "a.jsonl", "b.jsonl", "c.jsonl", "d.jsonl" };
	int n = 0;
	size_t at = 0;
	while (n < FUZZ_INPUTS && at <= size) {
		const uint8_t *nul = n < FUZZ_INPUTS - 1 ? memchr(data + at, 0, size - at) : NULL;
		size_t len = nul ? (size_t)(nul - (data + at)) : size - at;
		/* fmemopen refuses a zero size: an empty input is an empty file. */
		in[n] = len ? fmemopen((void *)(data + at), len, "r") : fopen("/dev/null", "r");
		if (!in[n])
			break;
		n++;
		at += len + 1;
		if (!nul)
			break;
	}
	msg_quiet = true;
	struct reporter rep;
	struct from_json fj;
	struct merge_output mo = { .rep = &rep };
	bool text = size & 1;
	if (text) {
		static const char *const inputs[] = { "a.pcap" };
		struct text_options to = { .all = true, .verbose = true, .inputs = inputs,
					   .n_inputs = 1 };
		if (!report_text_init(&rep, sink, &to)) {
			report_free(&rep);
			for (int i = 0; i < n; i++)
				fclose(in[i]);
			return 0;
		}
		from_json_init(&fj, &rep, size & 2);
		mo.record = from_json_record;
		mo.ctx = &fj;
	} else {
		report_json_init(&rep, sink, false);
	}
	report_merge_streams(in, names, n, &mo);
	if (text)
		from_json_free(&fj);
	report_free(&rep);
	for (int i = 0; i < n; i++)
		fclose(in[i]);
	return 0;
}
