/*
 * capture: pcap files, "-" for stdin and live interfaces are read through
 * libpcap, pcapng files through our own reader (pcapng.h), and frames are
 * numbered here, 1-based per input, the way Wireshark numbers them.
 */
#ifndef RSTDIAG_CAPTURE_H
#define RSTDIAG_CAPTURE_H

#include <stdint.h>
#include <stdio.h>
#include <sys/time.h>
#include <pcap/pcap.h>

#include "msg.h"
#include "pipeline.h"

/*
 * Reads one capture file ("-" = stdin) into the pipeline. filter may be
 * NULL. The BPF filter is applied here, after numbering, so frame numbers
 * stay those of the whole file (libpcap's own offline filtering would skip
 * unmatched frames before we could count them).
 */
enum exit_status capture_read_file(const char *path, const char *filter, bool show_name,
				   struct pipeline *pl);
/*
 * Several captures as one: one after another in the order given, each
 * with its own frame numbers; or, with interleave, merged by packet time
 * as mergecap merges them (capture.c, read_interleaved). opened counts
 * the inputs read as captures. Reading stops at -c. A filter that fails
 * on the first input read is a usage error (EXIT_USAGE, nothing read).
 */
enum exit_status capture_read_files(const char *const *paths, int n, const char *filter,
				    bool interleave, struct pipeline *pl, int *opened);
/*
 * The same, from a stream already open (a pipe, or memory for the fuzzer):
 * path names it in messages. A gzip, zstd or lz4 stream is recognised
 * here, by its first bytes, and read decompressed (decompress.h). The
 * stream is closed when done (stdin aside, which libpcap never closes).
 */
enum exit_status capture_read_stream(FILE *fp, const char *path, const char *filter,
				     bool show_name, struct pipeline *pl);
/* A libpcap packet time in ns since the epoch, from the precision the
 * handle has (PCAP_TSTAMP_PRECISION_NANO or _MICRO); held to a range where
 * sums and differences of times and timeouts cannot overflow (see
 * capture.c). Files and live capture alike. */
int64_t capture_packet_time(const struct timeval *tv, int precision);

/* The LINKTYPE_ value a file records for a libpcap DLT_ value (they
 * differ for raw IP): for writing a capture (-w). */
int capture_linktype_of_dlt(int dlt);

/* One input being read, as libpcap's callback sees it (files and live;
 * capture.c's pcapng reader calls the callback too, with p NULL). */
struct frame_reader {
	pcap_t *p;
	struct pipeline *pl;
	const struct bpf_program *filter;   /* applied here, after numbering; NULL: none */
	int precision;                      /* the handle's time stamp precision */
	uint64_t frame;                     /* frames read so far, filtered ones included */
	uint64_t *across;                   /* --interleave: the count across all inputs */
	bool stopped;                       /* -c was reached: read no further */
};
/* The pcap_handler for a struct frame_reader: numbers the frame, filters
 * it, feeds it to the pipeline, and breaks the loop once -c is reached. */
void capture_on_frame(u_char *user, const struct pcap_pkthdr *h, const u_char *bytes);

#endif
