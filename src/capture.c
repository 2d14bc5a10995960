/*
 * capture: input and frame numbering (see capture.h). Classic pcap goes
 * through libpcap's pcap_loop; pcapng through our own block reader
 * (pcapng.h), since libpcap 1.10 stops at a second link type or byte
 * order; Network Monitor files, which libpcap does not read, through our
 * own frame reader (netmon.h). All number frames as Wireshark does and
 * filter after numbering.
 */
#include "capture.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdio_ext.h>     /* __fsetlocking */
#include <pcap/pcap.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "decompress.h"
#include "netmon.h"
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
	uint64_t frame = ++r->frame;
	if (r->across) {
		pl->file_frame = frame;
		frame = ++*r->across;
	}
	int64_t ts = capture_packet_time(&h->ts, r->precision);
	if (r->filter && !pcap_offline_filter(r->filter, h, bytes)) {
		pipeline_filtered_frame(pl, frame, ts);
		return;
	}
	/* caplen is what was read; odd record lengths are the pipeline's to judge. */
	pipeline_frame(pl, frame, ts, h->caplen, h->len, bytes);
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

/*
 * Capture formats other tools write that none of our readers reads, by
 * their first bytes (Wireshark's wiretap readers check the same magics:
 * snoop.c, netxray.c, ngsniffer.c, observer.c, btsnoop.c): named, with
 * the conversion Wireshark's editcap makes. Network Monitor's, the
 * likeliest on Windows, netmon.c reads.
 */
static const char *foreign_format(const struct decompress_status *dz)
{
	static const struct { char magic[4]; const char *name; } formats[] = {
		{ "snoo", "a snoop capture (RFC 1761)" },
		{ "XCp", "a NetXray or Windows Sniffer capture" },     /* "XCp\0" */
		{ "TRSN", "a Sniffer capture" },                        /* "TRSNIFF data" */
		{ "Obse", "a Network Instruments Observer capture" },
		{ "btsn", "a Bluetooth btsnoop capture" },
	};
	if (dz->compression != COMPRESSION_NONE || dz->head_len < 4)
		return NULL;
	for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++)
		if (memcmp(dz->head, formats[i].magic, 4) == 0)
			return formats[i].name;
	return NULL;
}

/* ---- pcapng ---- */

/* One interface of the pcapng section being read; in a Network Monitor
 * file, one network type, read as an interface with no name. */
struct ng_interface {
	const struct link_type *lt;     /* NULL: a link type rstdiag cannot decode */
	int filter;                     /* index into ng_state.filters; -1 none */
	bool warned;                    /* its frames' skipping was said */
	int link_type;                  /* a LINKTYPE_ value; -1: none (Network Monitor's own) */
	uint16_t network;               /* Network Monitor: the network type it stands for */
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

/* An interface made ours: decoder, filter, name (link_type -1: none). */
static enum exit_status ng_add(struct ng_state *st, int link_type, uint32_t snaplen,
			       const char *name)
{
	if (st->n_ifs == st->cap_ifs) {
		st->cap_ifs = st->cap_ifs ? 2 * st->cap_ifs : 4;
		st->ifs = xrealloc(st->ifs, st->cap_ifs * sizeof *st->ifs);
	}
	struct ng_interface *i = &st->ifs[st->n_ifs];
	*i = (struct ng_interface){ .lt = link_type >= 0 ? link_type_find(dlt_of(link_type)) : NULL,
				    .filter = -1, .link_type = link_type };
	snprintf(i->name, sizeof i->name, "%s", name);
	if (i->lt && st->filter) {
		enum exit_status s = ng_filter_for(st, dlt_of(link_type), snaplen, &i->filter);
		if (s != EXIT_OK)
			return s;
	}
	st->n_ifs++;
	return EXIT_OK;
}

/* The reader's newest interface, made ours. */
static enum exit_status ng_add_interface(struct ng_state *st, const struct pcapng_interface *ifc)
{
	return ng_add(st, ifc->link_type, ifc->snaplen, ifc->name);
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
static void ng_refuse(const char *path, int link_type)
{
	const char *dname = pcap_datalink_val_to_name(dlt_of(link_type));
	msg_error("%s: unsupported link type %s (%d); rstdiag reads %s", path,
		  dname ? dname : "unknown", dlt_of(link_type), link_type_supported_list());
}

/* ---- one input, read a packet at a time ---- */

/*
 * An input being read: a pcap file through libpcap, or pcapng or Network
 * Monitor through our readers. capture_read_stream reads one to its end;
 * capture_read_files with --interleave reads several, taking the next
 * packet from whichever input's waiting packet is oldest.
 */
struct capture_input {
	const char *path, *name;        /* as given; and as messages say it ("stdin") */
	struct decompress_status dz;
	FILE *fp;
	bool pcapng, netmon;
	enum exit_status status;
	bool done;                      /* no packet waits: ended, damaged or stopped */
	struct frame_reader r;
	/* pcap */
	pcap_t *p;
	struct bpf_program prog;
	bool filtering;
	/* pcapng (and Network Monitor: st, cur and the warnings) */
	struct pcapng_reader ng;
	struct netmon_reader nm;
	struct ng_state st;
	const struct ng_interface *cur;
	bool seen_packet;
	/* The packet waiting (input_next), and its filter. */
	struct pcap_pkthdr h;
	const u_char *bytes;
	const struct bpf_program *filter;
	int64_t ts;
	/* --interleave: the pipeline's view of this input while another is read. */
	struct pipeline_input saved;
	char *buf;                      /* its stdio buffer, when it has its own */
};

/* Damaged input: report what was read, then say so (as tcpdump does). */
static void input_damaged(struct capture_input *in, struct pipeline *pl, const char *msg)
{
	char why_buf[PCAP_ERRBUF_SIZE + 16];
	pipeline_flush(pl);
	const char *why = read_error(why_buf, sizeof why_buf, &in->dz, msg, in->path);
	msg_error("%s: %s (after frame %llu; the report covers the frames before it)",
		  in->path, why, (unsigned long long)in->r.frame);
	if (pipeline_counts_unkeyed(pl)) {
		stats_at(&pl->stats, pl->src.index, in->r.frame);
		stats_record(&pl->stats, WARN_CAPTURE_DAMAGED, "%s: %s (after frame %llu)",
			     in->path, why, (unsigned long long)in->r.frame);
	}
	in->status = EXIT_DAMAGED;
}

/*
 * A Network Monitor file (netmon.h) after its header: a 1.x or 2.0 file
 * has one network type, the header's, refused when rstdiag cannot decode
 * it, as a pcap file of such a link type is, and its filter compiled now;
 * from 2.1 on each frame names its own, read as an interface of its own
 * when it first comes (netmon_next_packet).
 */
static enum exit_status netmon_open_input(struct capture_input *in, const char *path,
					  const char *filter, bool show_name, struct pipeline *pl)
{
	char why_buf[PCAP_ERRBUF_SIZE + 16];
	struct netmon_reader *nm = &in->nm;
	in->netmon = true;
	in->st.filter = filter && *filter ? filter : NULL;
	enum exit_status st = EXIT_INPUT;
	if (!netmon_open(nm, in->fp)) {
		msg_error("%s: %s", in->name,
			  read_error(why_buf, sizeof why_buf, &in->dz, nm->error, path));
	} else if (nm->per_frame) {
		st = EXIT_OK;
	} else if (nm->link_type < 0) {
		msg_error("%s: Network Monitor network type %u (%s), which rstdiag does not decode; "
			  "rstdiag reads %s", path, nm->network, netmon_network_name(nm->network),
			  link_type_supported_list());
	} else if (!link_type_find(dlt_of((uint16_t)nm->link_type))) {
		ng_refuse(path, nm->link_type);
	} else {
		st = ng_add(&in->st, nm->link_type, 0, "");
		if (st == EXIT_OK)
			in->st.ifs[0].network = nm->network;
	}
	if (st != EXIT_OK) {
		netmon_close(nm);
		ng_free(&in->st);
		if (in->fp != stdin)
			fclose(in->fp);
		return st;
	}
	pipeline_begin_source(pl, path, show_name, in->st.n_ifs ? in->st.ifs[0].lt : NULL);
	return EXIT_OK;
}

/*
 * Opens the stream as a capture and begins its source in the pipeline;
 * in is zeroed but for its read buffer. On failure it has said why,
 * closed the stream and returned the status.
 */
static enum exit_status input_open(struct capture_input *in, FILE *fp, const char *path,
				   const char *filter, bool show_name, struct pipeline *pl)
{
	char errbuf[PCAP_ERRBUF_SIZE] = "";
	char why_buf[PCAP_ERRBUF_SIZE + 16];
	/* libpcap reads a pcap file with two freads a frame, and since the
	 * slab maker's thread exists glibc takes the stream's lock for each
	 * (stdio(3): locking is on once a process has threads). Only this
	 * thread ever reads an input, so the locks guard nothing:
	 * __fsetlocking(3)'s FSETLOCKING_BYCALLER leaves them out. */
	__fsetlocking(fp, FSETLOCKING_BYCALLER);
	in->path = path;
	in->name = strcmp(path, "-") == 0 ? "stdin" : path;
	/* Here rather than in capture_read_file, so stdin and the fuzzer's
	 * bytes are recognised the same way; it outlives the stream, which
	 * writes its error into it. */
	FILE *dfp = decompress_open(fp, &in->dz);
	if (!dfp) {
		int err = errno;
		if (fp != stdin)
			fclose(fp);
		msg_error("%s: %s", in->name, strerror(err));
		return EXIT_INPUT;
	}
	__fsetlocking(dfp, FSETLOCKING_BYCALLER);
	in->fp = dfp;
	/* Files are opened asking for nanoseconds, which libpcap always grants
	 * them (it scales microsecond files); pcapng's reader gives them too. */
	in->r = (struct frame_reader){ .pl = pl, .precision = PCAP_TSTAMP_PRECISION_NANO };
	/* pcapng is ours to read; the first byte tells (pcapng.h), and is
	 * pushed back for whichever reader takes the stream. */
	int first = getc(dfp);
	if (first != EOF)
		ungetc(first, dfp);
	if (first == PCAPNG_FIRST_BYTE) {
		in->pcapng = true;
		in->st.filter = filter && *filter ? filter : NULL;
		if (!pcapng_open(&in->ng, dfp)) {
			msg_error("%s: %s", in->name,
				  read_error(why_buf, sizeof why_buf, &in->dz, in->ng.error, path));
			pcapng_close(&in->ng);
			if (dfp != stdin)
				fclose(dfp);
			return EXIT_INPUT;
		}
		pipeline_begin_source(pl, path, show_name, NULL);
		return EXIT_OK;
	}
	/* Network Monitor's magics start with bytes no pcap magic starts with
	 * (netmon.h). */
	if (first == NETMON_2_FIRST_BYTE || first == NETMON_1_FIRST_BYTE)
		return netmon_open_input(in, path, filter, show_name, pl);
	pcap_t *p = pcap_fopen_offline_with_tstamp_precision(dfp, PCAP_TSTAMP_PRECISION_NANO, errbuf);
	if (!p) {
		if (dfp != stdin)
			fclose(dfp);
		const char *foreign = foreign_format(&in->dz);
		if (foreign) {
			msg_error("%s: %s, which rstdiag does not read (it reads pcap and pcapng): "
				  "convert it with Wireshark's editcap (editcap -F pcapng %s "
				  "OUT.pcapng)", in->name, foreign, strcmp(path, "-") == 0 ? "IN" : path);
			return EXIT_INPUT;
		}
		/* Cut or corrupt before the capture's header was whole: not a
		 * capture, as a plain file cut there is. */
		msg_error("%s: %s", in->name, read_error(why_buf, sizeof why_buf, &in->dz, errbuf, path));
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
	if (filter && *filter) {
		enum exit_status st = compile_filter(p, filter, &in->prog);
		if (st != EXIT_OK) {
			pcap_close(p);
			return st;
		}
		in->filtering = true;
	}
	in->p = p;
	in->r.p = p;
	in->r.filter = in->filtering ? &in->prog : NULL;
	in->filter = in->r.filter;
	pipeline_begin_source(pl, path, show_name, lt);
	return EXIT_OK;
}

/* A frame of our own readers' into the input: the one way frames go in,
 * as libpcap's callback gives them, in nanoseconds, with the BPF program
 * of its interface. */
static void hand_over(struct capture_input *in, const struct ng_interface *i, int64_t sec,
		      uint32_t nsec, uint32_t caplen, uint32_t len, const uint8_t *data)
{
	in->h = (struct pcap_pkthdr){ .ts = { .tv_sec = (time_t)sec, .tv_usec = nsec },
				      .caplen = caplen, .len = len };
	in->bytes = data;
	in->filter = i->filter >= 0 ? &in->st.filters[i->filter].prog : NULL;
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
static bool pcapng_next_packet(struct capture_input *in, struct pipeline *pl)
{
	struct pcapng_packet pk;
	for (;;) {
		enum pcapng_event ev = pcapng_next(&in->ng, &pk);
		if (ev == PCAPNG_END)
			return false;
		if (ev == PCAPNG_ERROR) {
			input_damaged(in, pl, in->ng.error);
			return false;
		}
		if (ev == PCAPNG_SECTION || ev == PCAPNG_INTERFACE) {
			/* Frames in flight point at st.ifs: track them before it changes. */
			pipeline_flush(pl);
			in->cur = NULL;
			if (ev == PCAPNG_SECTION) {
				in->st.n_ifs = 0;
			} else if ((in->status = ng_add_interface(
					    &in->st, &in->ng.interfaces[in->ng.n_interfaces - 1]))) {
				return false;
			}
			continue;
		}
		if (ev == PCAPNG_RECORD) {
			in->r.frame++;      /* numbered by Wireshark, nothing to analyse */
			continue;
		}
		if (!in->seen_packet) {
			in->seen_packet = true;
			if (!ng_any_supported(&in->st)) {
				ng_refuse(in->path, in->st.ifs[pk.interface].link_type);
				in->status = EXIT_INPUT;
				return false;
			}
		}
		const struct ng_interface *i = &in->st.ifs[pk.interface];
		if (i != in->cur) {
			pipeline_set_interface(pl, i->lt, i->name);
			in->cur = i;
		}
		if (!i->lt && !i->warned && pipeline_counts_unkeyed(pl)) {
			in->st.ifs[pk.interface].warned = true;
			stats_at(&pl->stats, pl->src.index, in->r.frame + 1);
			const char *dname = pcap_datalink_val_to_name(dlt_of(i->link_type));
			stats_warn(&pl->stats, WARN_LINK_TYPE_UNSUPPORTED,
				   "%s: frame %llu: interface %u%s%s has link type %s (%d), which "
				   "rstdiag does not decode: its frames are skipped (counted as "
				   "unparsed)", in->path, (unsigned long long)in->r.frame + 1,
				   pk.interface, i->name[0] ? " " : "", i->name, dname ? dname : "unknown",
				   dlt_of(i->link_type));
		}
		hand_over(in, i, pk.sec, pk.nsec, pk.caplen, pk.len, pk.data);
		return true;
	}
}

/*
 * Network Monitor frames are what Wireshark numbers (netmon.h): packets,
 * and records without packet bytes (NETMON_RECORD: numbered, not
 * analysed). Each network type is an interface of its own, with no name;
 * a frame of one rstdiag cannot decode is counted as "unparsed" with a
 * warning, and the file is read on.
 */
static bool netmon_next_packet(struct capture_input *in, struct pipeline *pl)
{
	struct netmon_packet pk;
	for (;;) {
		enum netmon_event ev = netmon_next(&in->nm, &pk);
		if (ev == NETMON_END)
			return false;
		if (ev == NETMON_ERROR) {
			input_damaged(in, pl, in->nm.error);
			return false;
		}
		if (ev == NETMON_RECORD) {
			in->r.frame++;      /* numbered by Wireshark, nothing to analyse */
			continue;
		}
		if (!in->cur || in->cur->network != pk.network) {
			uint32_t k = 0;
			while (k < in->st.n_ifs && in->st.ifs[k].network != pk.network)
				k++;
			if (k == in->st.n_ifs) {
				/* Frames in flight point at st.ifs: track them before it moves. */
				pipeline_flush(pl);
				if ((in->status = ng_add(&in->st, pk.link_type, 0, "")))
					return false;
				in->st.ifs[k].network = pk.network;
			}
			in->cur = &in->st.ifs[k];
			pipeline_set_interface(pl, in->cur->lt, in->cur->name);
		}
		struct ng_interface *i = &in->st.ifs[in->cur - in->st.ifs];
		if (!i->lt && !i->warned && pipeline_counts_unkeyed(pl)) {
			i->warned = true;
			stats_at(&pl->stats, pl->src.index, in->r.frame + 1);
			if (i->link_type >= 0) {
				const char *dname = pcap_datalink_val_to_name(dlt_of((uint16_t)i->link_type));
				stats_warn(&pl->stats, WARN_LINK_TYPE_UNSUPPORTED,
					   "%s: frame %llu: Network Monitor network type 0x%04x is link "
					   "type %s (%d), which rstdiag does not decode: its frames are "
					   "skipped (counted as unparsed)", in->path,
					   (unsigned long long)in->r.frame + 1, pk.network,
					   dname ? dname : "unknown", dlt_of((uint16_t)i->link_type));
			} else {
				stats_warn(&pl->stats, WARN_LINK_TYPE_UNSUPPORTED,
					   "%s: frame %llu: Network Monitor network type 0x%04x (%s), "
					   "which rstdiag does not decode: its frames are skipped "
					   "(counted as unparsed)", in->path,
					   (unsigned long long)in->r.frame + 1, pk.network,
					   netmon_network_name(pk.network));
			}
		}
		hand_over(in, i, pk.sec, pk.nsec, pk.caplen, pk.len, pk.data);
		return true;
	}
}

/* The input's next packet into in->h, in->bytes, in->filter and in->ts;
 * false when none is left (at its end, damaged, refused or stopped). */
static bool input_next(struct capture_input *in, struct pipeline *pl)
{
	if (in->done)
		return false;
	bool got;
	if (in->pcapng) {
		got = pcapng_next_packet(in, pl);
	} else if (in->netmon) {
		got = netmon_next_packet(in, pl);
	} else {
		struct pcap_pkthdr *h;
		int rc = pcap_next_ex(in->p, &h, &in->bytes);
		got = rc == 1;
		if (got)
			in->h = *h;
		else if (rc == PCAP_ERROR)
			input_damaged(in, pl, pcap_geterr(in->p));
	}
	if (!got) {
		in->done = true;
		return false;
	}
	in->ts = capture_packet_time(&in->h.ts, in->r.precision);
	return true;
}

/* Hands the waiting packet to the pipeline; false once -c is reached. */
static bool input_deliver(struct capture_input *in)
{
	in->r.filter = in->filter;
	capture_on_frame((u_char *)&in->r, &in->h, in->bytes);
	if (in->r.stopped)
		in->done = true;
	return !in->r.stopped;
}

/* The end of the input: its last frames tracked, everything closed. */
static enum exit_status input_close(struct capture_input *in, struct pipeline *pl)
{
	if (in->pcapng) {
		if (in->status == EXIT_OK && !in->seen_packet && in->st.n_ifs &&
		    !ng_any_supported(&in->st)) {
			ng_refuse(in->path, in->st.ifs[0].link_type);
			in->status = EXIT_INPUT;
		}
		pipeline_flush(pl);     /* before the caller looks at what was reported */
		pcapng_close(&in->ng);
		ng_free(&in->st);
		if (in->fp != stdin)
			fclose(in->fp);
	} else if (in->netmon) {
		pipeline_flush(pl);
		netmon_close(&in->nm);
		ng_free(&in->st);
		if (in->fp != stdin)
			fclose(in->fp);
	} else {
		pipeline_flush(pl);
		if (in->filtering)
			pcap_freecode(&in->prog);
		pcap_close(in->p);
	}
	free(in->buf);      /* the stream that used it is closed */
	in->buf = NULL;
	return in->status;
}

enum exit_status capture_read_stream(FILE *fp, const char *path, const char *filter,
				     bool show_name, struct pipeline *pl)
{
	struct capture_input in = { 0 };
	enum exit_status st = input_open(&in, fp, path, filter, show_name, pl);
	if (st != EXIT_OK)
		return st;
	if (in.pcapng || in.netmon) {
		while (input_next(&in, pl) && input_deliver(&in))
			;
	} else {
		/* pcap_loop rather than pcap_next_ex: a call per file, not one
		 * (with its header copy) per frame, as tcpdump reads. */
		if (pcap_loop(in.p, -1, capture_on_frame, (u_char *)&in.r) == PCAP_ERROR)
			input_damaged(&in, pl, pcap_geterr(in.p));
	}
	return input_close(&in, pl);
}

/* ---- several inputs ---- */

/*
 * The time of a file's first packet, read without a word on stderr (the
 * file is opened again to be read, and says then what is wrong with it).
 */
static bool first_packet_time(const char *path, int64_t *ts)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	FILE *fp = open_file(path, errbuf);
	if (!fp)
		return false;
	struct decompress_status dz;
	FILE *in = decompress_open(fp, &dz);
	if (!in) {
		fclose(fp);
		return false;
	}
	bool got = false;
	int first = getc(in);
	if (first != EOF)
		ungetc(first, in);
	if (first == PCAPNG_FIRST_BYTE) {
		struct pcapng_reader ng;
		struct pcapng_packet pk;
		enum pcapng_event ev = PCAPNG_ERROR;
		if (pcapng_open(&ng, in))
			while ((ev = pcapng_next(&ng, &pk)) != PCAPNG_PACKET && ev != PCAPNG_END &&
			       ev != PCAPNG_ERROR)
				;
		if (ev == PCAPNG_PACKET) {
			struct timeval tv = { .tv_sec = (time_t)pk.sec, .tv_usec = pk.nsec };
			*ts = capture_packet_time(&tv, PCAP_TSTAMP_PRECISION_NANO);
			got = true;
		}
		pcapng_close(&ng);
		fclose(in);
		return got;
	}
	if (first == NETMON_2_FIRST_BYTE || first == NETMON_1_FIRST_BYTE) {
		struct netmon_reader nm;
		struct netmon_packet pk;
		enum netmon_event ev = NETMON_ERROR;
		if (netmon_open(&nm, in))
			while ((ev = netmon_next(&nm, &pk)) == NETMON_RECORD)
				;
		if (ev == NETMON_PACKET) {
			struct timeval tv = { .tv_sec = (time_t)pk.sec, .tv_usec = pk.nsec };
			*ts = capture_packet_time(&tv, PCAP_TSTAMP_PRECISION_NANO);
			got = true;
		}
		netmon_close(&nm);
		fclose(in);
		return got;
	}
	pcap_t *p = pcap_fopen_offline_with_tstamp_precision(in, PCAP_TSTAMP_PRECISION_NANO, errbuf);
	if (!p) {
		fclose(in);
		return false;
	}
	struct pcap_pkthdr *h;
	const u_char *bytes;
	if (pcap_next_ex(p, &h, &bytes) == 1) {
		*ts = capture_packet_time(&h->ts, PCAP_TSTAMP_PRECISION_NANO);
		got = true;
	}
	pcap_close(p);
	return got;
}

struct interleave {
	struct capture_input *in;       /* [n], in the order given */
	int64_t *first;                 /* [n]: each one's first packet time */
	int *order;                     /* [n]: by first packet time, then as given */
	int *heap;                      /* open inputs with a packet waiting, oldest first */
	int n, n_heap, next_open;
	struct capture_input *current;  /* whose view the pipeline holds */
	uint64_t *across;               /* frames read across all inputs */
};

static bool older(const struct interleave *m, int a, int b)
{
	int64_t ta = m->in[a].ts, tb = m->in[b].ts;
	return ta < tb || (ta == tb && a < b);
}

static void heap_push(struct interleave *m, int k)
{
	int i = m->n_heap++;
	m->heap[i] = k;
	while (i > 0 && older(m, m->heap[i], m->heap[(i - 1) / 2])) {
		int t = m->heap[i];
		m->heap[i] = m->heap[(i - 1) / 2];
		m->heap[(i - 1) / 2] = t;
		i = (i - 1) / 2;
	}
}

static int heap_pop(struct interleave *m)
{
	int top = m->heap[0];
	m->heap[0] = m->heap[--m->n_heap];
	for (int i = 0;;) {
		int l = 2 * i + 1, r = l + 1, min = i;
		if (l < m->n_heap && older(m, m->heap[l], m->heap[min]))
			min = l;
		if (r < m->n_heap && older(m, m->heap[r], m->heap[min]))
			min = r;
		if (min == i)
			break;
		int t = m->heap[i];
		m->heap[i] = m->heap[min];
		m->heap[min] = t;
		i = min;
	}
	return top;
}

/* Makes input c the pipeline's current one. */
static void switch_to(struct interleave *m, struct capture_input *c, struct pipeline *pl)
{
	if (m->current == c)
		return;
	if (m->current)
		pipeline_save_input(pl, &m->current->saved);
	pipeline_restore_input(pl, &c->saved);
	m->current = c;
}

struct first_packet {
	int64_t ts;
	int index;
};

static int by_first_packet(const void *a, const void *b)
{
	const struct first_packet *x = a, *y = b;
	if (x->ts != y->ts)
		return x->ts < y->ts ? -1 : 1;
	return x->index - y->index;
}

/*
 * Opens the inputs whose first packet is not later than the oldest packet
 * waiting (all of those waiting to be opened, when none is). Returns
 * false on a usage error (a filter that fails) before any input opened.
 */
static void open_due(struct interleave *m, const char *const *paths, const char *filter,
		     struct pipeline *pl, enum exit_status *status, int *opened)
{
	while (m->next_open < m->n &&
	       (m->n_heap == 0 || m->first[m->order[m->next_open]] <= m->in[m->heap[0]].ts)) {
		int k = m->order[m->next_open++];
		struct capture_input *c = &m->in[k];
		if (m->current)
			pipeline_save_input(pl, &m->current->saved);
		m->current = NULL;
		char errbuf[PCAP_ERRBUF_SIZE] = "";
		FILE *fp = open_file(paths[k], errbuf);
		if (!fp) {
			msg_error("%s: %s", paths[k], errbuf);
			msg_note_status(status, EXIT_INPUT);
			c->done = true;
			continue;
		}
		/* Open at once, so each has a buffer of its own (capture_read_file). */
		if (fp != stdin) {
			c->buf = xmalloc(READ_BUFFER_BYTES);
			setvbuf(fp, c->buf, _IOFBF, READ_BUFFER_BYTES);
		}
		enum exit_status st = input_open(c, fp, paths[k], filter, true, pl);
		if (st != EXIT_OK) {
			/* A filter that fails on the first input is a usage error;
			 * one that fails only on a later input's link type fails
			 * that input alone. */
			msg_note_status(status, st == EXIT_USAGE && *opened ? EXIT_INPUT : st);
			free(c->buf);   /* its stream is closed */
			c->buf = NULL;
			c->done = true;
			if (*status == EXIT_USAGE)
				return;
			continue;
		}
		(*opened)++;
		m->current = c;
		c->r.across = m->across;
		if (input_next(c, pl)) {
			pipeline_save_input(pl, &c->saved);
			heap_push(m, k);
		} else {
			msg_note_status(status, input_close(c, pl));
			m->current = NULL;
		}
	}
}

static enum exit_status read_interleaved(const char *const *paths, int n, const char *filter,
					 struct pipeline *pl, int *opened)
{
	struct interleave m = { .n = n };
	uint64_t across = 0;
	pl->numbered_across = true;
	m.in = xcalloc((size_t)n, sizeof *m.in);
	m.first = xcalloc((size_t)n, sizeof *m.first);
	m.order = xcalloc((size_t)n, sizeof *m.order);
	m.heap = xcalloc((size_t)n, sizeof *m.heap);
	m.across = &across;
	struct first_packet *fp = xcalloc((size_t)n, sizeof *fp);
	for (int k = 0; k < n; k++) {
		/* Standard input cannot be read twice, and an input that cannot
		 * be read says so first: both are opened at once. */
		fp[k].index = k;
		if (strcmp(paths[k], "-") == 0 || !first_packet_time(paths[k], &fp[k].ts))
			fp[k].ts = INT64_MIN;
		m.first[k] = fp[k].ts;
	}
	qsort(fp, (size_t)n, sizeof *fp, by_first_packet);
	for (int k = 0; k < n; k++)
		m.order[k] = fp[k].index;
	free(fp);

	enum exit_status status = EXIT_OK;
	bool stopped = false;
	for (;;) {
		open_due(&m, paths, filter, pl, &status, opened);
		if (status == EXIT_USAGE || m.n_heap == 0)
			break;
		struct capture_input *c = &m.in[heap_pop(&m)];
		switch_to(&m, c, pl);
		if (!input_deliver(c)) {
			stopped = true;     /* -c: reading stops there, in every input */
			heap_push(&m, (int)(c - m.in));
			break;
		}
		if (input_next(c, pl)) {
			heap_push(&m, (int)(c - m.in));
		} else {
			msg_note_status(&status, input_close(c, pl));
			m.current = NULL;
		}
	}
	/* Inputs still open (after -c, or a usage error): closed unread. */
	while (m.n_heap > 0) {
		struct capture_input *c = &m.in[heap_pop(&m)];
		switch_to(&m, c, pl);
		c->done = true;
		enum exit_status st = input_close(c, pl);
		if (!stopped)
			msg_note_status(&status, st);
		m.current = NULL;
	}
	free(m.in);
	free(m.first);
	free(m.order);
	free(m.heap);
	return status;
}

enum exit_status capture_read_files(const char *const *paths, int n, const char *filter,
				    bool interleave, struct pipeline *pl, int *opened)
{
	*opened = 0;
	if (interleave && n > 1)
		return read_interleaved(paths, n, filter, pl, opened);
	enum exit_status status = EXIT_OK;
	for (int i = 0; i < n && !(pl->max_reports && pl->reported >= pl->max_reports); i++) {
		enum exit_status st = capture_read_file(paths[i], filter, n > 1, pl);
		if (st == EXIT_USAGE) {
			/* A filter that fails on the first capture is a usage error; one that
			 * fails only on a later capture's link type fails that input alone. */
			if (*opened == 0)
				return st;
			st = EXIT_INPUT;
		}
		if (st != EXIT_INPUT)
			(*opened)++;
		msg_note_status(&status, st);
	}
	return status;
}
