/*
 * report: the two renderers (text, JSON Lines) behind one interface, and
 * the formatting helpers they share. Renderers only format a struct
 * verdict and struct stats; they decide nothing.
 */
#ifndef RSTDIAG_REPORT_H
#define RSTDIAG_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "classify.h"
#include "ladder.h"
#include "server_insights.h"
#include "source.h"
#include "stats.h"

struct json_writer;

struct reporter {
	FILE *out;
	bool nano;              /* 9 decimals instead of 6 */
	bool flush_each;        /* flush after every record (live mode, tcpdump -l) */
	bool kernel_reasons;    /* --kernel-reasons: records and summary carry them */
	/* What the run read (its files, or the interface): the JSON summary's
	 * "inputs", which --from-json names in the text report's heading. */
	const char *const *inputs;
	int n_inputs;
	void (*reset)(struct reporter *r, const struct verdict *v, const struct report_source *src);
	void (*summary)(struct reporter *r, const struct stats *s, const struct server_insights *e);
	void (*free)(struct reporter *r);
	void *priv;             /* the renderer's own state */
	/* JSON Lines only, NULL for the others: reset in two steps, a record's
	 * line appended to what w holds (by any thread: it reads only v, src
	 * and the options above), then w's text written as that line. report_async.c has lines made on the
	 * reading thread when its renderer falls behind. A reporter in front
	 * of another (report_html.c, report_annotate.c) sets them NULL: the
	 * inner's would go round it. */
	void (*render)(struct reporter *r, const struct verdict *v, const struct report_source *src,
		       struct json_writer *w);
	void (*write_rendered)(struct reporter *r, struct json_writer *w);
};

/* Full examples per cause in the text report without --all. */
#define TEXT_EXAMPLES_PER_CAUSE 3

struct text_options {
	bool color;             /* ANSI colour */
	bool nano;
	bool all;               /* every reset in full */
	bool verbose;           /* wire details and evidence lines */
	bool live;              /* also one line per reset as it is reported */
	const char *const *inputs;  /* names for the heading */
	int n_inputs;
	/* --diagram, --mermaid: each reset shown in full gets its connection's
	 * diagram, drawn at the summary from what the inputs' second read put
	 * in ladders (NULL: none). */
	struct ladders *ladders;
	bool diagram, mermaid;
	bool ascii;             /* --ascii, or a locale that is not UTF-8 */
};

/*
 * The text report groups resets by cause, so it is written at the summary:
 * until then it keeps only counts, the first examples of each cause and a
 * few more frame numbers (with --all, every block is spooled to a
 * temporary file, not memory). Returns false if that file cannot be made.
 */
bool report_text_init(struct reporter *r, FILE *out, const struct text_options *o);
/* A reset into text reporter r with its words already made (--from-json
 * reads them from a record, report_from_json.h): as r->reset, which makes
 * them with explain_verdict. */
struct explanation;
void report_text_reset_explained(struct reporter *r, const struct verdict *v,
				 const struct report_source *src, const struct explanation *words);
void report_json_init(struct reporter *r, FILE *out, bool nano);
/* Releases what the renderer holds; safe to call on any initialised reporter. */
void report_free(struct reporter *r);

/* The text report's pieces, without colour, for the HTML page to show as
 * the text report words them (one way of saying each thing). */
enum text_piece { TEXT_PIECE_HEADING, TEXT_PIECE_BLOCK, TEXT_PIECE_SERVERS, TEXT_PIECE_NOTES };
struct text_piece_args {
	bool nano, all;
	const char *const *inputs;          /* HEADING */
	int n_inputs;
	const struct stats *stats;          /* HEADING, NOTES */
	const struct verdict *verdict;      /* BLOCK */
	const struct report_source *src;    /* BLOCK */
	const struct server_insights *servers;  /* SERVERS */
};
void report_text_piece(FILE *out, enum text_piece piece, const struct text_piece_args *a);

/* --html FILE: a reporter in front of another that also writes one
 * self-contained page (report_html.c); false if its spool cannot be made. */
struct html_options {
	const char *path;
	bool all, nano;
	const char *const *inputs;
	int n_inputs;
	struct ladders *ladders;    /* the diagrams it asks for (the second read fills them) */
};
bool report_html_init(struct reporter *html, struct reporter *inner, const struct html_options *o);
/* Whether writing the page failed (said on stderr): exit status 4. */
bool report_html_failed(const struct reporter *html);

/* An unnamed file in $TMPDIR (glibc's tmpfile() ignores TMPDIR), gone on
 * close: what a report spools to instead of memory; NULL if none. */
FILE *report_temp_file(void);

/* The decimal digits of v at p (at most 20, no NUL); returns their end. */
char *report_put_uint(char *p, uint64_t v);
/* "10.0.0.1" or "fd00::1"; returns its length. */
size_t report_addr(char *buf, size_t n, uint8_t ipver, const uint8_t *addr);
/* "10.0.0.1:80" or "[fd00::1]:80". */
void report_endpoint(char *buf, size_t n, uint8_t ipver, const uint8_t *addr, uint16_t port);
/* Seconds with 6 or 9 decimals, exact (no floating point): "1700000006.040691".
 * Returns the length written. */
size_t report_seconds(char *buf, size_t n, int64_t ns, bool nano);
/* A duration for people: "5.002 s", "40.1 ms" (sign dropped). Returns buf. */
const char *report_duration(char *buf, size_t n, int64_t ns);
/* What a tunnel layer's id is: "vni", "teid", "label", "key", "session". */
const char *report_tunnel_id_name(enum tunnel_kind k);
/* "gre 192.0.2.1->192.0.2.2 / vxlan vni 4096 10.0.0.5->10.0.0.9", outermost first. */
void report_tunnel_path(char *buf, size_t n, const struct tunnel_path *t);
/* "SYN+ACK", "RST", "FIN+PSH+ACK". */
void report_flags(char *buf, size_t n, uint8_t flags);
/* Those names back into TCP_* bits ("none" and unknown names: none). */
uint8_t report_flags_read(const char *text);
/* "client-hello", "server-hello", "established" (enum tls_stage); NULL none. */
const char *report_tls_stage_name(uint8_t s);

#endif
