/*
 * fuzz_capture: libFuzzer's bytes as a whole capture file, pcap or pcapng,
 * plain or compressed (gzip, zstd, lz4).
 *
 * The tool's own read loop (capture_read_stream) takes them from memory:
 * it recognises a compression by the magic bytes as it does for files and
 * stdin, so the decompressors are fuzzed through the same path; libpcap
 * reads the result and every frame goes to the pipeline: decoding,
 * tracking, classification, the look-ahead, the summary. It runs twice,
 * once per renderer, so the text and the JSON report both format whatever
 * the verdicts became. Options are chosen for reach, not realism: a small
 * --max-flows so a few dozen tuples already evict, and every optional
 * part of the text report (colour, -v, live lines) switched on; --all is
 * left out because it makes a temporary file per cause per input.
 * Nothing may outlive an input: libFuzzer's -detect_leaks checks that.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "capture.h"
#include "pipeline.h"
#include "report.h"

#define FUZZ_MAX_FLOWS 16

static const char *const input_name = "fuzz.pcap";
static FILE *sink;      /* the reports: formatted in full, then dropped */
static struct pipeline pl;  /* too big for the stack, as main's would be */

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	sink = fopen("/dev/null", "w");
	if (!sink)
		abort();
	return 0;
}

static void init_reporter(struct reporter *rep, bool json)
{
	if (json) {
		report_json_init(rep, sink, true);
		return;
	}
	struct text_options to = {
		.color = true,
		.verbose = true,
		.live = true,
		.inputs = &input_name,
		.n_inputs = 1,
	};
	if (!report_text_init(rep, sink, &to))
		abort();    /* only --all can fail, and it is off */
}

/* One run of the tool over the bytes, as main() runs it over one file. */
static void one_pass(const uint8_t *data, size_t size, bool json)
{
	/* fmemopen never writes through a read-only stream. */
	FILE *fp = fmemopen((void *)data, size, "rb");
	if (!fp)
		return;     /* glibc before 2.22 refuses size 0 */
	struct reporter rep;
	init_reporter(&rep, json);
	struct pipeline_config cfg = {
		.max_flows = FUZZ_MAX_FLOWS,
		.finished_grace_ns = (int64_t)PIPELINE_DEFAULT_CLOSE_TIMEOUT_S * 1000000000,
		.idle_timeout_ns = PIPELINE_IDLE_TIMEOUT_NS,
		.settle_ns = VERDICT_QUEUE_SETTLE_NS,
	};
	pipeline_init(&pl, &cfg, &rep);
	enum exit_status st = capture_read_stream(fp, input_name, NULL, false, &pl);
	/* As main(): an input that opened is summarised, even a damaged one. */
	if (st != EXIT_INPUT)
		pipeline_finish(&pl);
	pipeline_free(&pl);
	report_free(&rep);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	one_pass(data, size, false);
	one_pass(data, size, true);
	return 0;
}
