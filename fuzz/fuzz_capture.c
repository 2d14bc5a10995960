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
 * the verdicts became. The text run also asks for everything the inputs'
 * second read serves (-w's annotated copy, --diagram, --mermaid, --html,
 * each written to /dev/null), from the bytes put in a memfd so that the
 * second read opens them by name as it opens a file. Options are chosen
 * for reach, not realism: a small
 * --max-flows so a few dozen tuples already evict, and every optional
 * part of the text report (colour, -v, live lines) switched on; --all is
 * left out because it makes a temporary file per cause per input.
 * Nothing may outlive an input: libFuzzer's -detect_leaks checks that.
 */
#define _GNU_SOURCE     /* memfd_create */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "capture.h"
#include "ladder.h"
#include "pipeline.h"
#include "report.h"
#include "report_annotate.h"
#include "second_read.h"

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

static void init_reporter(struct reporter *rep, bool json, struct ladders *ladders)
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
		.ladders = ladders,
		.diagram = true,
		.mermaid = true,
	};
	if (!report_text_init(rep, sink, &to))
		abort();    /* only --all can fail, and it is off */
}

static const struct pipeline_config fuzz_config = {
	.max_flows = FUZZ_MAX_FLOWS,
	.finished_grace_ns = (int64_t)PIPELINE_DEFAULT_CLOSE_TIMEOUT_S * 1000000000,
	.idle_timeout_ns = PIPELINE_IDLE_TIMEOUT_NS,
	.settle_ns = VERDICT_QUEUE_SETTLE_NS,
};

/* The JSON run, from memory, as main() runs it over one file. */
static void json_pass(const uint8_t *data, size_t size)
{
	/* fmemopen never writes through a read-only stream. */
	FILE *fp = fmemopen((void *)data, size, "rb");
	if (!fp)
		return;     /* glibc before 2.22 refuses size 0 */
	struct reporter rep;
	init_reporter(&rep, true, NULL);
	pipeline_init(&pl, &fuzz_config, &rep);
	enum exit_status st = capture_read_stream(fp, input_name, NULL, false, &pl);
	/* As main(): an input that opened is summarised, even a damaged one. */
	if (st != EXIT_INPUT)
		pipeline_finish(&pl);
	pipeline_free(&pl);
	report_free(&rep);
}

/* The text run, with the second read: the bytes as a file in memory. */
static void text_pass(const uint8_t *data, size_t size)
{
	int fd = memfd_create("fuzz-capture", 0);
	if (fd < 0)
		abort();
	if (size && write(fd, data, size) != (ssize_t)size)
		abort();
	char path[64];
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	const char *inputs[] = { path };
	struct ladders ladders = { .keep = 4 };
	struct annotations notes = { 0 };
	struct reporter rep, annotator, html;
	init_reporter(&rep, false, &ladders);
	report_annotate_init(&annotator, &rep, &notes);
	struct html_options ho = { .path = "/dev/null", .inputs = inputs, .n_inputs = 1,
				   .ladders = &ladders };
	if (!report_html_init(&html, &annotator, &ho))
		abort();
	struct pipeline_config cfg = fuzz_config;
	cfg.keep_incidents = true;
	pipeline_init(&pl, &cfg, &html);
	enum exit_status st = capture_read_file(path, NULL, false, &pl);
	if (st != EXIT_INPUT) {
		pipeline_end(&pl);
		struct second_read_options so = { .write_path = "/dev/null", .inputs = inputs,
						  .n_inputs = 1 };
		second_read(&so, &pl, &notes, &ladders);
		pipeline_summarize(&pl);
	}
	pipeline_free(&pl);
	report_free(&html);
	report_free(&annotator);
	annotations_free(&notes);
	report_free(&rep);
	ladders_free(&ladders);
	close(fd);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	text_pass(data, size);
	json_pass(data, size);
	return 0;
}
