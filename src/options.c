/* options: getopt_long, --help, --version, operands (see options.h). */
#include "options.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <pcap/pcap.h>

#include "config.h"
#include "pipeline.h"
#include "ladder.h"
#include "live.h"
#include "live_fanout.h"
#include "report.h"

enum { OPT_JSON = 256, OPT_MAX_FLOWS, OPT_COLOR, OPT_NANO, OPT_VERSION, OPT_ALL, OPT_DURATION,
       OPT_KERNEL_REASONS, OPT_EVIDENCE_ONLY, OPT_DIAGRAM, OPT_MERMAID, OPT_ASCII,
       OPT_DIAGRAM_PACKETS, OPT_HTML,
       OPT_CLOSE_TIMEOUT, OPT_SHARD, OPT_MERGE, OPT_FROM_JSON, OPT_INTERLEAVE, OPT_FANOUT };

static const struct option long_opts[] = {
	{ "read", required_argument, NULL, 'r' },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "max-flows", required_argument, NULL, OPT_MAX_FLOWS },
	{ "close-timeout", required_argument, NULL, OPT_CLOSE_TIMEOUT },
	{ "shard", required_argument, NULL, OPT_SHARD },
	{ "merge", no_argument, NULL, OPT_MERGE },
	{ "from-json", no_argument, NULL, OPT_FROM_JSON },
	{ "interleave", no_argument, NULL, OPT_INTERLEAVE },
	{ "fanout", required_argument, NULL, OPT_FANOUT },
	{ "color", optional_argument, NULL, OPT_COLOR },
	{ "colour", optional_argument, NULL, OPT_COLOR },
	{ "nano", no_argument, NULL, OPT_NANO },
	{ "all", no_argument, NULL, OPT_ALL },
	{ "interface", required_argument, NULL, 'i' },
	{ "list-interfaces", no_argument, NULL, 'D' },
	{ "count", required_argument, NULL, 'c' },
	{ "duration", required_argument, NULL, OPT_DURATION },
	{ "kernel-reasons", no_argument, NULL, OPT_KERNEL_REASONS },
	{ "write", required_argument, NULL, 'w' },
	{ "evidence-only", no_argument, NULL, OPT_EVIDENCE_ONLY },
	{ "diagram", no_argument, NULL, OPT_DIAGRAM },
	{ "mermaid", no_argument, NULL, OPT_MERMAID },
	{ "ascii", no_argument, NULL, OPT_ASCII },
	{ "diagram-packets", required_argument, NULL, OPT_DIAGRAM_PACKETS },
	{ "html", required_argument, NULL, OPT_HTML },
	{ "buffer-size", required_argument, NULL, 'B' },
	{ "snapshot-length", required_argument, NULL, 's' },
	{ "relinquish-privileges", required_argument, NULL, 'Z' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ NULL, 0, NULL, 0 },
};

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: rstdiag [options] FILE... [filter expression]\n"
		"       rstdiag [options] -r FILE [filter expression]\n"
		"       rstdiag [options] -i IFACE [filter expression]\n"
		"       rstdiag --merge [--nano] JSONL...\n"
		"       rstdiag --from-json [--all] [-v] [--color[=WHEN]] [--nano] JSONL...\n"
		"Explain every TCP RST in a pcap, pcapng or Microsoft Network Monitor capture,\n"
		"or live on an interface: who sent it, why, and what to do about it. FILE '-'\n"
		"reads standard input; gzip, zstd and lz4 captures are read as they are.\n"
		"\n"
		"Options:\n"
		"  -r, --read FILE     read this capture (may be repeated); all operands\n"
		"                      are then the filter expression\n"
		"      --json          JSON Lines: one object per reset, then a summary\n"
		"      --all           text: every reset in full, not the first %d of each cause\n"
		"  -v, --verbose       text: also each reset's wire form, the segment it\n"
		"                      answers, both sides' state and the evidence frames\n"
		"      --color[=WHEN]  colour the text report: auto (default: only on a\n"
		"                      terminal, never with NO_COLOR set), always, never\n"
		"      --nano          print times with nanoseconds (default microseconds)\n"
		"      --max-flows N   track at most N connections at once (default %u);\n"
		"                      the stalest are forgotten beyond it\n"
		"      --close-timeout S  remember a closed or reset connection for S\n"
		"                      seconds, for late segments and reuse (default %d)\n"
		"  -c, --count N       stop after N resets\n"
		"      --interleave    read several FILEs as one capture in packet time order,\n"
		"                      as mergecap merges them (captures of two interfaces or\n"
		"                      hosts); default: one after another, in the order given\n"
		"      --shard K/N     analyse only the connections whose fixed hash is K of\n"
		"                      N (0 <= K < N); N such runs, on any machines, give one\n"
		"                      run's records: put them together with --merge\n"
		"      --merge         read the JSON Lines of several runs (shards, or other\n"
		"                      files) and write them as one run's: records in time\n"
		"                      order, one summary\n"
		"      --from-json     the text report of JSON Lines (one run's --json, or\n"
		"                      the shards of one): what one run would have written\n"
		"  -w, --write OUT     write the packets of every connection that had a RST\n"
		"                      to the pcapng OUT, each RST and evidence frame with\n"
		"                      its verdict as a packet comment (files only: they\n"
		"                      are read a second time)\n"
		"      --evidence-only  -w writes only the RSTs and their evidence frames\n"
		"      --diagram       text: a ladder diagram of each reset's connection (its\n"
		"                      handshake and last packets; files only, read twice)\n"
		"      --mermaid       text: the same as a mermaid sequenceDiagram block\n"
		"      --diagram-packets N  the last N packets before the RST (default %d)\n"
		"      --ascii         diagrams in ASCII (default: box drawing in a UTF-8 locale)\n"
		"      --html FILE     also write one self-contained HTML page: the summary, a\n"
		"                      timeline by cause, each incident with its diagram and a\n"
		"                      Wireshark filter, the servers (files only, read twice)\n"
		"\n"
		"Live mode:\n"
		"  -i, --interface IFACE  capture on IFACE ('any' for all) and report each\n"
		"                      reset as it is decided\n"
		"  -D, --list-interfaces  list the interfaces and exit\n"
		"      --duration S    stop after S seconds\n"
		"  -B, --buffer-size KIB  the capture buffer, in KiB (default 32768)\n"
		"  -s, --snapshot-length N  bytes kept per packet (default %d)\n"
		"  -Z, --relinquish-privileges USER  run as USER once the interface is open\n"
		"                      (default 'nobody' when started as root; 'root' keeps root)\n"
		"      --fanout N      N capturing processes in one AF_PACKET fanout group,\n"
		"                      each with whole connections (2 to %d)\n"
		"      --kernel-reasons  join each RST this host sends to the kernel's own reason\n"
		"                      (tracepoint tcp/tcp_send_reset; root, Linux 6.10 or later)\n"
		"  -h, --help          show this help and exit\n"
		"      --version       show the version and exit\n"
		"\n"
		"A filter expression (pcap-filter(7), as for tcpdump) selects the packets\n"
		"analysed; frame numbers stay those of the whole file.\n"
		"Exit status: 0 ok, 1 input could not be read, 2 usage error,\n"
		"3 input damaged (the report covers what was read), 4 output error.\n"
		"See rstdiag(1).\n",
		TEXT_EXAMPLES_PER_CAUSE, PIPELINE_DEFAULT_MAX_FLOWS, PIPELINE_DEFAULT_CLOSE_TIMEOUT_S,
		LADDER_KEEP_DEFAULT, LIVE_DEFAULT_SNAPLEN, LIVE_FANOUT_MAX);
}

static bool parse_u32(const char *s, uint32_t min, uint32_t max, uint32_t *out)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno || end == s || *end || s[0] == '-' || v < min || v > max)
		return false;
	*out = (uint32_t)v;
	return true;
}

static bool parse_u64(const char *s, uint64_t *out)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno || end == s || *end || s[0] == '-' || v == 0)
		return false;
	*out = v;
	return true;
}

static bool push_file(struct options *o, const char *f)
{
	const char **n = realloc(o->files, (size_t)(o->n_files + 1) * sizeof *n);
	if (!n)
		return false;
	o->files = n;
	o->files[o->n_files++] = f;
	return true;
}

static bool is_path(const char *s)
{
	struct stat st;
	return strcmp(s, "-") == 0 || stat(s, &st) == 0;
}

static char *join(char **words, int n)
{
	size_t len = 1;
	for (int i = 0; i < n; i++)
		len += strlen(words[i]) + 1;
	char *s = malloc(len);
	if (!s)
		return NULL;
	s[0] = '\0';
	for (int i = 0; i < n; i++) {
		if (i)
			strcat(s, " ");
		strcat(s, words[i]);
	}
	return s;
}

/* -w and the diagrams read the inputs a second time: files only, and none
 * of them -w's output. */
static enum exit_status check_write(struct options *o)
{
	if (o->evidence_only && !o->write_file) {
		msg_usage_error("--evidence-only says what -w writes: give -w OUT with it");
		return EXIT_USAGE;
	}
	if ((o->ascii || o->diagram_packets) && !o->diagram && !o->mermaid && !o->html_file) {
		msg_usage_error("--ascii and --diagram-packets shape the diagrams: give --diagram, "
				"--mermaid or --html with them");
		return EXIT_USAGE;
	}
	if (!o->diagram_packets)
		o->diagram_packets = LADDER_KEEP_DEFAULT;
	bool diagrams = o->diagram || o->mermaid;
	if (diagrams && o->json) {
		msg_usage_error("--diagram and --mermaid draw in the text report, not with --json");
		return EXIT_USAGE;
	}
	if (!o->write_file && !diagrams && !o->html_file)
		return EXIT_OK;
	const char *what = o->write_file ? "-w" : o->diagram ? "--diagram" :
			   o->mermaid ? "--mermaid" : "--html";
	if (o->iface) {
		msg_usage_error("%s reads capture files twice, which live capture cannot give; "
				"capture with tcpdump -w, then run rstdiag %s on the file", what, what);
		return EXIT_USAGE;
	}
	if (o->interleave) {
		msg_usage_error("%s reads the files a second time in the order given, not "
				"interleaved: merge them first (mergecap -w one.pcapng FILE...), then "
				"run rstdiag %s on one.pcapng", what, what);
		return EXIT_USAGE;
	}
	for (int i = 0; i < o->n_files; i++)
		if (strcmp(o->files[i], "-") == 0) {
			msg_usage_error("%s reads its inputs twice: standard input cannot be read again; "
					"save it to a file first", what);
			return EXIT_USAGE;
		}
	if (o->html_file && strcmp(o->html_file, "-") == 0) {
		msg_usage_error("--html -: the report is on standard output; give --html a file name");
		return EXIT_USAGE;
	}
	if (!o->write_file)
		return EXIT_OK;
	if (strcmp(o->write_file, "-") == 0) {
		msg_usage_error("-w -: the report is on standard output; give -w a file name");
		return EXIT_USAGE;
	}
	struct stat out;
	bool exists = stat(o->write_file, &out) == 0;
	for (int i = 0; i < o->n_files; i++) {
		struct stat in;
		if (exists && stat(o->files[i], &in) == 0 && in.st_dev == out.st_dev &&
		    in.st_ino == out.st_ino) {
			msg_usage_error("-w %s: that is an input; write the annotated capture elsewhere",
					o->write_file);
			return EXIT_USAGE;
		}
	}
	return EXIT_OK;
}

enum exit_status options_parse(int argc, char **argv, struct options *o)
{
	memset(o, 0, sizeof *o);
	o->max_flows = PIPELINE_DEFAULT_MAX_FLOWS;
	o->close_timeout_s = PIPELINE_DEFAULT_CLOSE_TIMEOUT_S;
	bool have_r = false;
	int c;

	opterr = 0;  /* our own messages, in our own format */
	optind = 1;
	while ((c = getopt_long(argc, argv, ":r:hvi:Dc:B:s:Z:w:", long_opts, NULL)) != -1) {
		switch (c) {
		case 'r':
			have_r = true;
			if (!push_file(o, optarg))
				return EXIT_USAGE;
			break;
		case OPT_JSON:
			o->json = true;
			break;
		case OPT_NANO:
			o->nano = true;
			break;
		case OPT_ALL:
			o->all = true;
			break;
		case 'i':
			o->iface = optarg;
			break;
		case 'D':
			o->list_ifaces = true;
			break;
		case 'c':
			if (!parse_u64(optarg, &o->count)) {
				msg_usage_error("-c: '%s' is not a positive number", optarg);
				return EXIT_USAGE;
			}
			break;
		case OPT_DURATION:
			if (!parse_u32(optarg, 1, 1u << 31, &o->duration_s)) {
				msg_usage_error("--duration: '%s' is not a number of seconds", optarg);
				return EXIT_USAGE;
			}
			break;
		case 'B': {
			uint32_t kib;
			if (!parse_u32(optarg, 1, 1u << 21, &kib)) {
				msg_usage_error("-B: '%s' is not a size in KiB from 1 to %u", optarg, 1u << 21);
				return EXIT_USAGE;
			}
			o->buffer_kib = (int)kib;
			break;
		}
		case 's': {
			uint32_t n;
			if (!parse_u32(optarg, 60, 262144, &n)) {
				msg_usage_error("-s: '%s' is not a length from 60 to 262144", optarg);
				return EXIT_USAGE;
			}
			o->snaplen = (int)n;
			break;
		}
		case 'Z':
			o->user = optarg;
			break;
		case OPT_KERNEL_REASONS:
			o->kernel_reasons = true;
			break;
		case 'w':
			o->write_file = optarg;
			break;
		case OPT_EVIDENCE_ONLY:
			o->evidence_only = true;
			break;
		case OPT_DIAGRAM:
			o->diagram = true;
			break;
		case OPT_MERMAID:
			o->mermaid = true;
			break;
		case OPT_ASCII:
			o->ascii = true;
			break;
		case OPT_HTML:
			o->html_file = optarg;
			break;
		case OPT_DIAGRAM_PACKETS:
			if (!parse_u32(optarg, 1, LADDER_KEEP_MAX, &o->diagram_packets)) {
				msg_usage_error("--diagram-packets: '%s' is not a number from 1 to %d",
						optarg, LADDER_KEEP_MAX);
				return EXIT_USAGE;
			}
			break;
		case 'v':
			o->verbose = true;
			break;
		case OPT_MAX_FLOWS:
			if (!parse_u32(optarg, 1, 1u << 30, &o->max_flows)) {
				msg_usage_error("--max-flows: '%s' is not a number from 1 to %u", optarg,
						1u << 30);
				return EXIT_USAGE;
			}
			break;
		case OPT_SHARD:
			if (!shard_parse(optarg, &o->shard)) {
				msg_usage_error("--shard: '%s' is not K/N with 0 <= K < N <= %u", optarg,
						SHARD_MAX);
				return EXIT_USAGE;
			}
			break;
		case OPT_MERGE:
			o->merge = true;
			break;
		case OPT_FROM_JSON:
			o->from_json = true;
			break;
		case OPT_INTERLEAVE:
			o->interleave = true;
			break;
		case OPT_FANOUT:
			if (!parse_u32(optarg, 2, LIVE_FANOUT_MAX, &o->fanout)) {
				msg_usage_error("--fanout: '%s' is not a number of workers from 2 to %d",
						optarg, LIVE_FANOUT_MAX);
				return EXIT_USAGE;
			}
			break;
		case OPT_CLOSE_TIMEOUT:
			if (!parse_u32(optarg, 0, 86400, &o->close_timeout_s)) {
				msg_usage_error("--close-timeout: '%s' is not a number of seconds from 0 to 86400",
						optarg);
				return EXIT_USAGE;
			}
			break;
		case OPT_COLOR:
			if (!optarg || strcmp(optarg, "auto") == 0)
				o->color = COLOR_AUTO;
			else if (strcmp(optarg, "always") == 0)
				o->color = COLOR_ALWAYS;
			else if (strcmp(optarg, "never") == 0)
				o->color = COLOR_NEVER;
			else {
				msg_usage_error("--color: '%s' is not auto, always or never", optarg);
				return EXIT_USAGE;
			}
			break;
		case 'h':
			usage(stdout);
			o->exit_now = true;
			return EXIT_OK;
		case OPT_VERSION:
			printf("rstdiag %s\n%s\n", RSTDIAG_VERSION, pcap_lib_version());
			o->exit_now = true;
			return EXIT_OK;
		case ':':
			if (optopt)
				msg_usage_error("option -%c needs an argument", optopt);
			else
				msg_usage_error("option %s needs an argument", argv[optind - 1]);
			return EXIT_USAGE;
		default:
			if (optopt)
				msg_usage_error("unknown option -%c", optopt);
			else
				msg_usage_error("unknown option %s", argv[optind - 1]);
			return EXIT_USAGE;
		}
	}

	int i = optind;
	if (o->merge) {
		/* Every operand is a run's JSON Lines: there is no capture to filter. */
		if (o->iface || have_r || o->shard.n || o->write_file || o->html_file || o->diagram ||
		    o->mermaid || o->count || o->all || o->verbose || o->json || o->from_json) {
			msg_usage_error("--merge reads JSON Lines and writes JSON Lines: it takes only "
					"--nano and the files");
			return EXIT_USAGE;
		}
		if (i >= argc) {
			msg_usage_error("--merge: give the JSON Lines files to merge ('-' for standard input)");
			return EXIT_USAGE;
		}
		while (i < argc)
			if (!push_file(o, argv[i++]))
				return EXIT_USAGE;
		return EXIT_OK;
	}
	if (o->from_json) {
		/* As --merge, rendered as the text report: it takes its choices. */
		if (o->merge || o->iface || have_r || o->shard.n || o->write_file || o->html_file ||
		    o->diagram || o->mermaid || o->count || o->json || o->interleave ||
		    o->duration_s || o->buffer_kib || o->snaplen || o->user || o->kernel_reasons ||
		    o->fanout) {
			msg_usage_error("--from-json writes the text report of JSON Lines: it takes only "
					"--all, -v, --color, --nano and the files");
			return EXIT_USAGE;
		}
		if (i >= argc) {
			msg_usage_error("--from-json: give the JSON Lines files ('-' for standard input)");
			return EXIT_USAGE;
		}
		while (i < argc)
			if (!push_file(o, argv[i++]))
				return EXIT_USAGE;
		return EXIT_OK;
	}
	if (o->list_ifaces) {
		o->exit_now = true;
		return live_list_interfaces();
	}
	if (o->iface) {
		/* tcpdump -i: every operand is the filter. A capture file there is a
		 * mistake worth its own message, not "bad filter". */
		if (have_r || (i < argc && is_path(argv[i]))) {
			msg_usage_error("-i reads an interface: give no capture file with it");
			return EXIT_USAGE;
		}
		if (o->all) {
			msg_usage_error("--all is for files; live mode reports every reset as it comes");
			return EXIT_USAGE;
		}
		if (o->shard.n || o->interleave) {
			msg_usage_error("--shard and --interleave are for files");
			return EXIT_USAGE;
		}
		if (o->fanout && (o->count || o->kernel_reasons)) {
			msg_usage_error("--fanout: neither -c nor --kernel-reasons with it (each worker "
					"would count, and read the kernel's reasons, for itself)");
			return EXIT_USAGE;
		}
	} else if (o->duration_s || o->buffer_kib || o->snaplen || o->user || o->kernel_reasons ||
		   o->fanout) {
		msg_usage_error("--duration, -B, -s, -Z, --fanout and --kernel-reasons are for live "
				"mode (-i)");
		return EXIT_USAGE;
	}
	if (!have_r && !o->iface) {
		if (i >= argc) {
			msg_usage_error("no capture to read: give a FILE, '-' for standard input, or -r FILE");
			return EXIT_USAGE;
		}
		/* The first operand is a capture even if it does not exist: that
		 * error is "no such file", not "bad filter". */
		if (!push_file(o, argv[i++]))
			return EXIT_USAGE;
		while (i < argc && is_path(argv[i]))
			if (!push_file(o, argv[i++]))
				return EXIT_USAGE;
	}
	if (i < argc) {
		o->filter = join(argv + i, argc - i);
		if (!o->filter)
			return EXIT_USAGE;
	}
	return check_write(o);
}

void options_free(struct options *o)
{
	free(o->files);
	free(o->filter);
	o->files = NULL;
	o->filter = NULL;
}
