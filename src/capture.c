/*
 * capture: input and frame numbering (see capture.h). Classic pcap goes
 * through libpcap's pcap_loop; pcapng through our own block reader
 * (pcapng.h), since libpcap 1.10 stops at a second link type or byte
 * order; both number frames as Wireshark does and filter after numbering.
 */
#include "capture.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <pcap/pcap.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "decompress.h"
#include "pcapng.h"
#include "xalloc.h"

_Static_assert(sizeof ((struct report_source *)0)->interface == PCAPNG_NAME_MAX,
	       "a verdict holds an interface name whole");

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
	/* caplen is what was read; odd record lengths are the pipeline's to judge. */
	pipeline_frame(pl, r->frame, ts, h->caplen, h->len, bytes);
	if (pl->max_reports && pl->reported >= pl->max_reports) {
		r->stopped = true;      /* -c: as tcpdump -c, stop reading there */
		if (r->p)
			pcap_breakloop(r->p);
	}
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

/* ---- pcapng ---- */

/* One interface of the pcapng section being read. */
struct ng_interface {
	const struct link_type *lt;     /* NULL: a link type rstdiag cannot decode */
	int filter;                     /* index into ng_state.filters; -1 none */
	bool warned;                    /* its frames' skipping was said */
	uint16_t link_type;
	/* A copy of the reader's: the pipeline's frames in flight point here,
	 * and this array only moves after a pipeline_flush. */
	char name[PCAPNG_NAME_MAX];
};

/* The BPF program compiled for one link type. */
struct ng_filter {
	int dlt;
	struct bpf_program prog;
};

struct ng_state {
	struct ng_interface *ifs;
	uint32_t n_ifs, cap_ifs;
	struct ng_filter *filters;      /* one per distinct link type, compiled once */
	uint32_t n_filters;
	const char *filter;             /* the expression; NULL: none */
};

/*
 * pcapng holds LINKTYPE_ values, libpcap and our table DLT_ values: they
 * are equal but for a few whose DLT differs between systems, of which we
 * decode one, raw IP (libpcap pcap-common.c linktype_to_dlt).
 */
#define LINKTYPE_RAW 101

static int dlt_of(uint16_t link_type)
{
	return link_type == LINKTYPE_RAW ? DLT_RAW : link_type;
}

int capture_linktype_of_dlt(int dlt)
{
	return dlt == DLT_RAW ? LINKTYPE_RAW : dlt;
}

/* The filter compiled for this link type, as libpcap compiles it for a
 * file of that type (pcap_open_dead), once per link type. */
static enum exit_status ng_filter_for(struct ng_state *st, int dlt, uint32_t snaplen, int *out)
{
	for (uint32_t i = 0; i < st->n_filters; i++) {
		if (st->filters[i].dlt == dlt) {
			*out = (int)i;
			return EXIT_OK;
		}
	}
	pcap_t *dead = pcap_open_dead(dlt, snaplen ? (int)(snaplen & 0x7fffffff) : 262144);
	if (!dead) {
		msg_error("cannot compile the filter: out of memory");
		return EXIT_INPUT;
	}
	struct bpf_program prog;
	enum exit_status st_c = compile_filter(dead, st->filter, &prog);
	pcap_close(dead);
	if (st_c != EXIT_OK)
		return st_c;
	st->filters = xrealloc(st->filters, (st->n_filters + 1) * sizeof *st->filters);
	st->filters[st->n_filters] = (struct ng_filter){ .dlt = dlt, .prog = prog };
	*out = (int)st->n_filters++;
	return EXIT_OK;
}

/* The reader's newest interface, made ours: decoder, filter, name. */
static enum exit_status ng_add_interface(struct ng_state *st, const struct pcapng_interface *ifc)
{
	if (st->n_ifs == st->cap_ifs) {
		st->cap_ifs = st->cap_ifs ? 2 * st->cap_ifs : 4;
		st->ifs = xrealloc(st->ifs, st->cap_ifs * sizeof *st->ifs);
	}
	struct ng_interface *i = &st->ifs[st->n_ifs];
	*i = (struct ng_interface){ .lt = link_type_find(dlt_of(ifc->link_type)), .filter = -1,
				    .link_type = ifc->link_type };
	memcpy(i->name, ifc->name, sizeof i->name);
	if (i->lt && st->filter) {
		enum exit_status s = ng_filter_for(st, dlt_of(ifc->link_type), ifc->snaplen,
						   &i->filter);
		if (s != EXIT_OK)
			return s;
	}
	st->n_ifs++;
	return EXIT_OK;
}

static void ng_free(struct ng_state *st)
{
	for (uint32_t i = 0; i < st->n_filters; i++)
		pcap_freecode(&st->filters[i].prog);
	free(st->filters);
	free(st->ifs);
}

static bool ng_any_supported(const struct ng_state *st)
{
	for (uint32_t i = 0; i < st->n_ifs; i++)
		if (st->ifs[i].lt)
			return true;
	return false;
}

/* A file whose interfaces are all of link types rstdiag cannot decode is
 * refused, as a pcap file of such a link type is. */
static void ng_refuse(const char *path, uint16_t link_type)
{
	const char *dname = pcap_datalink_val_to_name(dlt_of(link_type));
	msg_error("%s: unsupported link type %s (%d); rstdiag reads %s", path,
		  dname ? dname : "unknown", dlt_of(link_type), link_type_supported_list());
}

/*
 * Frames are what Wireshark numbers: every packet block, and the blocks
 * it turns into records without packet bytes (PCAPNG_RECORD: numbered,
 * not analysed), across sections. A packet on an interface rstdiag cannot
 * decode is counted as "unparsed" with a warning, since other interfaces
 * of the file may be readable; if none of the interfaces declared before
 * the first packet (or in the whole file, when it has no packet) is, the
 * file is refused (exit 1), as a pcap file of that link type is.
 */
static enum exit_status read_pcapng(FILE *fp, const char *path, const char *name,
				    const char *filter, bool show_name, struct pipeline *pl,
				    const struct decompress_status *dz)
{
	char why_buf[sizeof ((struct pcapng_reader *)0)->error + 16];
	struct ng_state st = { .filter = filter && *filter ? filter : NULL };
	struct pcapng_reader ng;
	enum exit_status status = EXIT_OK;
	if (!pcapng_open(&ng, fp)) {
		msg_error("%s: %s", name, read_error(why_buf, sizeof why_buf, dz, ng.error, path));
		status = EXIT_INPUT;
		goto out;
	}
	pipeline_begin_source(pl, path, show_name, NULL);
	struct frame_reader reader = { .pl = pl, .precision = PCAP_TSTAMP_PRECISION_NANO };
	bool seen_packet = false;
	const struct ng_interface *cur = NULL;
	struct pcapng_packet pk;
	for (;;) {
		enum pcapng_event ev = pcapng_next(&ng, &pk);
		if (ev == PCAPNG_END)
			break;
		if (ev == PCAPNG_ERROR) {
			/* Damaged input: report what was read, then say so (as tcpdump does). */
			pipeline_flush(pl);
			const char *why = read_error(why_buf, sizeof why_buf, dz, ng.error, path);
			msg_error("%s: %s (after frame %llu; the report covers the frames before it)",
				  path, why, (unsigned long long)reader.frame);
			if (pipeline_counts_unkeyed(pl)) {
				stats_at(&pl->stats, pl->src.index, reader.frame);
				stats_record(&pl->stats, WARN_CAPTURE_DAMAGED, "%s: %s (after frame %llu)",
					     path, why, (unsigned long long)reader.frame);
			}
			status = EXIT_DAMAGED;
			break;
		}
		if (ev == PCAPNG_SECTION || ev == PCAPNG_INTERFACE) {
			/* Frames in flight point at st.ifs: track them before it changes. */
			pipeline_flush(pl);
			cur = NULL;
			if (ev == PCAPNG_SECTION)
				st.n_ifs = 0;
			else if ((status = ng_add_interface(&st, &ng.interfaces[ng.n_interfaces - 1])))
				break;
			continue;
		}
		if (ev == PCAPNG_RECORD) {
			reader.frame++;     /* numbered by Wireshark, nothing to analyse */
			continue;
		}
		if (!seen_packet) {
			seen_packet = true;
			if (!ng_any_supported(&st)) {
				ng_refuse(path, st.ifs[pk.interface].link_type);
				status = EXIT_INPUT;
				break;
			}
		}
		const struct ng_interface *i = &st.ifs[pk.interface];
		if (i != cur) {
			pipeline_set_interface(pl, i->lt, i->name);
			cur = i;
		}
		if (!i->lt && !i->warned && pipeline_counts_unkeyed(pl)) {
			st.ifs[pk.interface].warned = true;
			stats_at(&pl->stats, pl->src.index, reader.frame + 1);
			const char *dname = pcap_datalink_val_to_name(dlt_of(i->link_type));
			stats_warn(&pl->stats, WARN_LINK_TYPE_UNSUPPORTED,
				   "%s: frame %llu: interface %u%s%s has link type %s (%d), which "
				   "rstdiag does not decode: its frames are skipped (counted as "
				   "unparsed)", path, (unsigned long long)reader.frame + 1, pk.interface,
				   i->name[0] ? " " : "", i->name, dname ? dname : "unknown",
				   dlt_of(i->link_type));
		}
		/* The one way frames go in: as libpcap's callback, in nanoseconds. */
		struct pcap_pkthdr h = { .ts = { .tv_sec = (time_t)pk.sec, .tv_usec = pk.nsec },
					 .caplen = pk.caplen, .len = pk.len };
		reader.filter = i->filter >= 0 ? &st.filters[i->filter].prog : NULL;
		capture_on_frame((u_char *)&reader, &h, pk.data);
		if (reader.stopped)
			break;
	}
	if (status == EXIT_OK && !seen_packet && st.n_ifs && !ng_any_supported(&st)) {
		ng_refuse(path, st.ifs[0].link_type);
		status = EXIT_INPUT;
	}
	pipeline_flush(pl);     /* before the caller looks at what was reported */
out:
	pcapng_close(&ng);
	ng_free(&st);
	if (fp != stdin)
		fclose(fp);
	return status;
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
	/* pcapng is ours to read; the first byte tells (pcapng.h), and is
	 * pushed back for whichever reader takes the stream. */
	int first = getc(fp);
	if (first != EOF)
		ungetc(first, fp);
	if (first == PCAPNG_FIRST_BYTE)
		return read_pcapng(fp, path, name, filter, show_name, pl, &dz);
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
		if (pipeline_counts_unkeyed(pl)) {
			stats_at(&pl->stats, pl->src.index, r.frame);
			stats_record(&pl->stats, WARN_CAPTURE_DAMAGED, "%s: %s (after frame %llu)",
				     path, why, (unsigned long long)r.frame);
		}
		status = EXIT_DAMAGED;
	}
	pipeline_flush(pl);     /* before the caller looks at what was reported */
	if (filtering)
		pcap_freecode(&prog);
	pcap_close(p);
	return status;
}
