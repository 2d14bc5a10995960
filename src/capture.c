/* capture: libpcap input and frame numbering (see capture.h). */
#include "capture.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <pcap/pcap.h>
#include <string.h>
#include <sys/stat.h>

#include "decompress.h"

/*
 * libpcap's messages sometimes start with the file name we would print
 * anyway ("x.pcap: No such file or directory"); strip it so the line reads
 * "rstdiag: x.pcap: No such file or directory".
 */
static const char *without_path(const char *msg, const char *path)
{
	size_t n = strlen(path);
	if (strncmp(msg, path, n) == 0 && msg[n] == ':' && msg[n + 1] == ' ')
		return msg + n + 2;
	return msg;
}

#ifndef READ_BUFFER_BYTES
#define READ_BUFFER_BYTES (1u << 16)
#endif

/* The file itself, checked first for what libpcap would report confusingly. */
static FILE *open_file(const char *path, char *errbuf)
{
	if (strcmp(path, "-") == 0)
		return stdin;
	/* libpcap opens a directory happily and fails later with an odd message. */
	struct stat st;
	if (stat(path, &st) == 0) {
		if (S_ISDIR(st.st_mode)) {
			snprintf(errbuf, PCAP_ERRBUF_SIZE, "%s", strerror(EISDIR));
			return NULL;
		}
		/* libpcap would say "tried to read 4 file header bytes, only got 0". */
		if (S_ISREG(st.st_mode) && st.st_size == 0) {
			snprintf(errbuf, PCAP_ERRBUF_SIZE, "empty file, not a pcap or pcapng capture");
			return NULL;
		}
	}
	FILE *fp = fopen(path, "rb");
	if (!fp)
		snprintf(errbuf, PCAP_ERRBUF_SIZE, "%s", strerror(errno));
	return fp;
}

/*
 * A pcapng timestamp is a 64-bit count
 * in the interface's units, so a damaged one can stand for any number of
 * seconds, and int64 nanoseconds end in 2262; the pipeline also adds
 * timeouts to times and subtracts them from each other. Times are held to
 * [0, TS_MAX_NS] (half of int64: year 2116), where none of that can
 * overflow; a real capture is never outside it.
 */
#define TS_MAX_NS (INT64_MAX / 2)

int64_t capture_packet_time(const struct timeval *tv, int precision)
{
	if (tv->tv_sec < 0)
		return 0;
	if (tv->tv_sec >= TS_MAX_NS / 1000000000)
		return TS_MAX_NS;
	/* tv_usec holds nanoseconds when libpcap granted nanosecond precision. */
	int64_t frac = precision == PCAP_TSTAMP_PRECISION_NANO ? (int64_t)tv->tv_usec
							       : (int64_t)tv->tv_usec * 1000;
	int64_t ns = (int64_t)tv->tv_sec * 1000000000 + frac;
	return ns < 0 ? 0 : ns < TS_MAX_NS ? ns : TS_MAX_NS;
}

static enum exit_status compile_filter(pcap_t *p, const char *filter, struct bpf_program *prog)
{
	if (pcap_compile(p, prog, filter, 1, PCAP_NETMASK_UNKNOWN) != 0) {
		msg_usage_error("bad filter expression '%s': %s", filter, pcap_geterr(p));
		return EXIT_USAGE;
	}
	return EXIT_OK;
}

enum exit_status capture_read_file(const char *path, const char *filter, bool show_name,
				   struct pipeline *pl)
{
	char errbuf[PCAP_ERRBUF_SIZE] = "";
	FILE *fp = open_file(path, errbuf);
	if (!fp) {
		msg_error("%s: %s", path, errbuf);
		return EXIT_INPUT;
	}
	/* libpcap reads each record through stdio: with the 4 KiB buffer glibc
	 * sizes from st_blksize that is a read(2) per 2 to 3 full-size frames.
	 * glibc ignores setvbuf's size unless it is also given the buffer,
	 * which must outlive the FILE: static, since stdin stays open when it
	 * is not a capture, and files are read one at a time. */
	static char read_buffer[READ_BUFFER_BYTES];
	setvbuf(fp, read_buffer, _IOFBF, READ_BUFFER_BYTES);
	return capture_read_stream(fp, path, filter, show_name, pl);
}

void capture_on_frame(u_char *user, const struct pcap_pkthdr *h, const u_char *bytes)
{
	struct frame_reader *r = (struct frame_reader *)(void *)user;
	struct pipeline *pl = r->pl;
	r->frame++;
	int64_t ts = capture_packet_time(&h->ts, r->precision);
	if (r->filter && !pcap_offline_filter(r->filter, h, bytes)) {
		pipeline_filtered_frame(pl, r->frame, ts);
		return;
	}
	/* caplen is what libpcap read; odd record lengths are the pipeline's to judge. */
	pipeline_frame(pl, r->frame, ts, h->caplen, h->len, bytes);
	if (pl->max_reports && pl->reported >= pl->max_reports)
		pcap_breakloop(r->p);   /* -c: as tcpdump -c, stop reading there */
}

/*
 * Why reading stopped, for the one line on stderr: the decompressor's
 * reason when the compressed data broke, else libpcap's, named for the
 * compression when the capture inside was the problem ("gzip: truncated
 * dump file; ..."), so the line says which layer is damaged.
 */
static const char *read_error(char *buf, size_t size, const struct decompress_status *dz,
			      const char *pcap_msg, const char *path)
{
	if (dz->error[0])
		return dz->error;
	if (dz->compression == COMPRESSION_NONE)
		return without_path(pcap_msg, path);
	snprintf(buf, size, "%s: %s", compression_name(dz->compression),
		 without_path(pcap_msg, path));
	return buf;
}

enum exit_status capture_read_stream(FILE *fp, const char *path, const char *filter,
				     bool show_name, struct pipeline *pl)
{
	char errbuf[PCAP_ERRBUF_SIZE] = "";
	char why_buf[PCAP_ERRBUF_SIZE + 16];
	const char *name = strcmp(path, "-") == 0 ? "stdin" : path;
	/* Here rather than in capture_read_file, so stdin and the fuzzer's
	 * bytes are recognised the same way; it outlives the stream, which
	 * writes its error into it. */
	struct decompress_status dz;
	FILE *in = decompress_open(fp, &dz);
	if (!in) {
		int err = errno;
		if (fp != stdin)
			fclose(fp);
		msg_error("%s: %s", name, strerror(err));
		return EXIT_INPUT;
	}
	fp = in;
	pcap_t *p = pcap_fopen_offline_with_tstamp_precision(fp, PCAP_TSTAMP_PRECISION_NANO, errbuf);
	if (!p) {
		if (fp != stdin)
			fclose(fp);
		/* Cut or corrupt before the capture's header was whole: not a
		 * capture, as a plain file cut there is. */
		msg_error("%s: %s", name, read_error(why_buf, sizeof why_buf, &dz, errbuf, path));
		return EXIT_INPUT;
	}

	int dlt = pcap_datalink(p);
	const struct link_type *lt = link_type_find(dlt);
	if (!lt) {
		const char *dname = pcap_datalink_val_to_name(dlt);
		msg_error("%s: unsupported link type %s (%d); rstdiag reads %s", path,
			  dname ? dname : "unknown", dlt, link_type_supported_list());
		pcap_close(p);
		return EXIT_INPUT;
	}

	struct bpf_program prog;
	bool filtering = filter && *filter;
	if (filtering) {
		enum exit_status st = compile_filter(p, filter, &prog);
		if (st != EXIT_OK) {
			pcap_close(p);
			return st;
		}
	}

	pipeline_begin_source(pl, path, show_name, lt);
	enum exit_status status = EXIT_OK;
	/* Files are opened asking for nanoseconds, which libpcap always grants
	 * them (it scales microsecond files). */
	struct frame_reader r = { .p = p, .pl = pl, .filter = filtering ? &prog : NULL,
				  .precision = PCAP_TSTAMP_PRECISION_NANO };
	/* pcap_loop rather than pcap_next_ex: a call per file, not one (with its
	 * header copy) per frame, as tcpdump reads. */
	int rc = pcap_loop(p, -1, capture_on_frame, (u_char *)&r);
	if (rc == PCAP_ERROR) {
		/* Damaged input: report what was read, then say so (as tcpdump does). */
		pipeline_flush(pl);
		const char *why = read_error(why_buf, sizeof why_buf, &dz, pcap_geterr(p), path);
		msg_error("%s: %s (after frame %llu; the report covers the frames before it)",
			  path, why, (unsigned long long)r.frame);
		stats_record(&pl->stats, WARN_CAPTURE_DAMAGED, "%s: %s (after frame %llu)", path,
			     why, (unsigned long long)r.frame);
		status = EXIT_DAMAGED;
	}
	pipeline_flush(pl);     /* before the caller looks at what was reported */
	if (filtering)
		pcap_freecode(&prog);
	pcap_close(p);
	return status;
}
