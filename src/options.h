/*
 * options: the command line, tcpdump-style.
 *
 *   rstdiag [options] FILE... [filter expression]
 *   rstdiag [options] -r FILE [filter expression]
 *   rstdiag [options] -i IFACE [filter expression]
 *
 * Without -r, the first operand is always a capture; further operands are
 * captures while they name existing paths (or "-"), and the first one that
 * does not starts the BPF filter expression, which is the rest of the line
 * joined with spaces, as tcpdump joins it.
 */
#ifndef RSTDIAG_OPTIONS_H
#define RSTDIAG_OPTIONS_H

#include <stdbool.h>
#include <stdint.h>

#include "msg.h"
#include "shard.h"

enum color_mode { COLOR_AUTO, COLOR_ALWAYS, COLOR_NEVER };

struct options {
	const char **files;     /* inputs in order; "-" is stdin */
	int n_files;
	char *filter;           /* joined filter expression, or NULL */
	bool json;
	bool nano;
	bool all;               /* text: every reset in full */
	bool verbose;           /* text: wire details and evidence lines */
	enum color_mode color;
	uint32_t max_flows;
	uint32_t close_timeout_s;   /* --close-timeout */
	uint64_t count;         /* -c: stop after this many resets; 0 no limit */
	struct shard shard;     /* --shard K/N; n == 0: not sharded */
	bool merge;             /* --merge: files are JSON Lines of rstdiag --json */
	bool from_json;         /* --from-json: ... written as the text report */
	bool interleave;        /* --interleave: several files merged by packet time */
	uint32_t fanout;        /* --fanout N: N live workers in a packet fanout group */
	/* Live mode (-i). */
	const char *iface;
	bool list_ifaces;       /* -D */
	uint32_t duration_s;    /* --duration */
	int buffer_kib;         /* -B */
	int snaplen;            /* -s; 0: the default */
	const char *user;       /* -Z */
	bool kernel_reasons;    /* --kernel-reasons */
	const char *write_file; /* -w: the annotated pcapng */
	bool evidence_only;     /* --evidence-only: -w writes the RSTs and evidence frames */
	bool diagram;           /* --diagram: a ladder diagram for each reset in full */
	bool mermaid;           /* --mermaid: the same as a mermaid block */
	bool ascii;             /* --ascii: diagrams in ASCII */
	uint32_t diagram_packets;   /* --diagram-packets: the last N before the RST */
	const char *html_file;  /* --html: the self-contained page */
	bool exit_now;          /* --help or --version was handled */
};

/* Parses argv. Usage errors are reported here; returns EXIT_USAGE then. */
enum exit_status options_parse(int argc, char **argv, struct options *o);
void options_free(struct options *o);

#endif
