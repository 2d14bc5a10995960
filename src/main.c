/*
 * rstdiag: why was this TCP connection reset?
 *
 * main wires options -> inputs -> pipeline -> report and owns the exit
 * status; each of those lives in its own file.
 */
#include <errno.h>
#include <langinfo.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "capture.h"
#include "live.h"
#include "live_fanout.h"
#include "msg.h"
#include "options.h"
#include "pipeline.h"
#include "report.h"
#include "report_annotate.h"
#include "report_async.h"
#include "report_from_json.h"
#include "report_merge.h"
#include "second_read.h"

/* Colour only on a terminal, never with NO_COLOR set (no-color.org) or TERM=dumb. */
static bool use_color(enum color_mode m)
{
	const char *no_color = getenv("NO_COLOR");
	if (no_color && *no_color)
		return false;
	if (m != COLOR_AUTO)
		return m == COLOR_ALWAYS;
	const char *term = getenv("TERM");
	return isatty(STDOUT_FILENO) && !(term && strcmp(term, "dumb") == 0);
}

/* Whether the user's locale writes UTF-8 (box drawing in diagrams). The
 * C locale is restored: nothing else in rstdiag reads it. */
static bool locale_is_utf8(void)
{
	bool utf8 = false;
	if (setlocale(LC_CTYPE, "")) {
		const char *cs = nl_langinfo(CODESET);
		utf8 = cs && (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0);
	}
	setlocale(LC_CTYPE, "C");
	return utf8;
}

int main(int argc, char **argv)
{
	struct options o;
	enum exit_status status = options_parse(argc, argv, &o);
	if (status != EXIT_OK || o.exit_now) {
		options_free(&o);
		return status;
	}
	/* The report goes out through stdio, with the 4 KiB buffer glibc sizes
	 * from st_blksize: a --json scan made a write(2) every 2 or 3 records
	 * (20 582 for 50 000 records of 1.7 KB). Into a file or a pipe, and
	 * not live (there every record is flushed as it comes), it is written
	 * in blocks of 64 KiB, a pipe's capacity; to a terminal, as stdio does,
	 * line by line. 1M scan --json, medians of 5: into a file 2310 to
	 * 1414 ms, into a pipe 2181 to 1297 ms (256 KiB: 1313 and 1817 ms).
	 * glibc ignores setvbuf's size unless it is also given the buffer,
	 * which must outlive main: exit flushes stdout after it returns.
	 * --json's records are held 64 KiB at a time by report_json.c
	 * itself, so stdio passes them straight to write(2) unbuffered: a
	 * second copy of every byte into stdio's buffer is saved. */
	static char write_buffer[64 << 10];
	if (!o.iface && !isatty(STDOUT_FILENO)) {
		if (o.json && !o.merge && !o.from_json)
			setvbuf(stdout, NULL, _IONBF, 0);
		else
			setvbuf(stdout, write_buffer, _IOFBF, sizeof write_buffer);
	}

	if (o.merge) {
		status = report_merge(o.files, o.n_files, stdout, o.nano);
		if (fflush(stdout) != 0 || ferror(stdout)) {
			msg_error("standard output: %s", strerror(errno ? errno : EIO));
			status = EXIT_OUTPUT;
		}
		options_free(&o);
		return status;
	}

	if (o.from_json) {
		struct text_options to = {
			.color = use_color(o.color),
			.nano = o.nano,
			.all = o.all,
			.verbose = o.verbose,
		};
		status = report_from_json(o.files, o.n_files, &to, stdout);
		if (fflush(stdout) != 0 || ferror(stdout)) {
			msg_error("standard output: %s", strerror(errno ? errno : EIO));
			status = EXIT_OUTPUT;
		}
		options_free(&o);
		return status;
	}

	struct reporter rep;
	struct ladders ladders = { .keep = o.diagram_packets };
	bool diagrams = o.diagram || o.mermaid;
	if (o.fanout > 1 && (status = live_probe(o.iface)) != EXIT_OK) {
		options_free(&o);
		return status;
	}
	if (o.json) {
		report_json_init(&rep, stdout, o.nano);
		rep.inputs = o.iface ? (const char *const *)&o.iface : (const char *const *)o.files;
		rep.n_inputs = o.iface ? 1 : o.n_files;
	} else {
		struct text_options to = {
			.color = use_color(o.color),
			.nano = o.nano,
			.all = o.all,
			.verbose = o.verbose,
			.live = o.iface != NULL,
			.inputs = o.iface ? &o.iface : o.files,
			.n_inputs = o.iface ? 1 : o.n_files,
			.ladders = diagrams ? &ladders : NULL,
			.diagram = o.diagram,
			.mermaid = o.mermaid,
			.ascii = o.ascii || (o.diagram && !locale_is_utf8()),
		};
		if (!report_text_init(&rep, stdout, &to)) {
			msg_error("--all: cannot create a temporary file to hold the report: %s",
				  strerror(errno));
			report_free(&rep);
			options_free(&o);
			return EXIT_OUTPUT;
		}
	}

	/* --fanout: the parent passes the workers' records on through rep
	 * (as they are with --json, read back as the text report's otherwise)
	 * and ends here; each worker drops it and goes on as a live --json run
	 * in the group. */
	int fanout_group = -1;
	unsigned worker = 0;
	char worker_name[128];
	if (o.fanout > 1) {
		/* Each worker numbers its own packets: a RST names its worker. */
		struct from_json fj;
		from_json_init(&fj, &rep, true);
		struct merge_output mo = { .rep = &rep };
		if (!o.json) {
			mo.record = from_json_record;
			mo.ctx = &fj;
		}
		bool parent = live_fanout_fork(o.fanout, &mo, &fanout_group, &worker, &status);
		from_json_free(&fj);
		if (parent) {
			msg_note_status(&status, fj.status);
			if (fflush(stdout) != 0 || ferror(stdout)) {
				msg_error("standard output: %s", strerror(errno ? errno : EIO));
				status = EXIT_OUTPUT;
			}
			report_free(&rep);
			options_free(&o);
			return status;
		}
		report_free(&rep);
		report_json_init(&rep, stdout, o.nano);
		rep.inputs = (const char *const *)&o.iface;
		rep.n_inputs = 1;
	}

	/* --json: the records are written on a thread of their own. */
	struct reporter *first = &rep;
	struct reporter async;
	if (o.json) {
		report_async_init(&async, &rep);
		first = &async;
	}
	/* -w: the verdicts also become packet comments. */
	struct reporter annotator;
	struct annotations notes = { 0 };
	if (o.write_file) {
		report_annotate_init(&annotator, first, &notes);
		first = &annotator;
	}
	/* --html: a page written at the summary, beside the report. */
	struct reporter html = { 0 };
	if (o.html_file) {
		struct html_options ho = {
			.path = o.html_file, .all = o.all, .nano = o.nano,
			.inputs = o.files, .n_inputs = o.n_files, .ladders = &ladders,
		};
		if (!report_html_init(&html, first, &ho)) {
			msg_error("--html: cannot create a temporary file to hold the page: %s",
				  strerror(errno));
			report_free(&html);
			if (o.write_file)
				report_free(&annotator);
			if (o.json)
				report_free(&async);
			report_free(&rep);
			options_free(&o);
			return EXIT_OUTPUT;
		}
		first = &html;
	}

	struct pipeline_config cfg = {
		.max_flows = o.max_flows,
		.finished_grace_ns = (int64_t)o.close_timeout_s * 1000000000,
		.idle_timeout_ns = PIPELINE_IDLE_TIMEOUT_NS,
		.settle_ns = o.iface ? LIVE_SETTLE_NS : VERDICT_QUEUE_SETTLE_NS,
		.max_reports = o.count,
		.keep_incidents = o.write_file || diagrams || o.html_file,
		.huge_pages = !o.iface,
		.shard = o.shard,
	};
	struct pipeline pl;
	pipeline_init(&pl, &cfg, first);

	int opened = 0;
	if (o.iface) {
		struct live_options lo = {
			.iface = o.iface,
			.filter = o.filter,
			.snaplen = o.snaplen ? o.snaplen : LIVE_DEFAULT_SNAPLEN,
			.buffer_kib = o.buffer_kib,
			/* tcpdump drops root by default too; "-Z root" keeps it. */
			.user = o.user ? o.user : "nobody",
			.duration_s = o.duration_s,
			.max_resets = o.count,
			.kernel_reasons = o.kernel_reasons,
			.fanout_group = fanout_group,
		};
		if (fanout_group >= 0) {
			/* Each worker numbers the packets it sees: its records say which. */
			snprintf(worker_name, sizeof worker_name, "%s#%u", o.iface, worker);
			lo.name = worker_name;
		}
		rep.kernel_reasons = o.kernel_reasons;
		rep.flush_each = true;
		status = live_run(&lo, &pl);
		if (pl.src.name)    /* the capture ran: summarise what it saw */
			pipeline_finish(&pl);
		goto flush;
	}
	status = capture_read_files(o.files, o.n_files, o.filter, o.interleave, &pl, &opened);
	if (status == EXIT_USAGE && opened == 0)
		goto out;
	/* Whatever could be read is reported; nothing read, nothing to summarise. */
	if (opened > 0 && (o.write_file || diagrams || o.html_file)) {
		/* Every verdict is final; the inputs' second read writes -w's
		 * copy and finds the diagrams' packets before the text report,
		 * which draws them, is written. */
		pipeline_end(&pl);
		struct second_read_options so = {
			.write_path = o.write_file, .evidence_only = o.evidence_only,
			.inputs = o.files, .n_inputs = o.n_files, .filter = o.filter,
		};
		msg_note_status(&status, second_read(&so, &pl, o.write_file ? &notes : NULL,
						     diagrams || o.html_file ? &ladders : NULL));
		pipeline_summarize(&pl);
		if (o.html_file && report_html_failed(&html))
			msg_note_status(&status, EXIT_OUTPUT);
	} else if (opened > 0) {
		pipeline_finish(&pl);
	}

flush:
	if (o.json)     /* every record written before stdout's errors are looked at */
		report_async_drain(&async);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		msg_error("standard output: %s", strerror(errno ? errno : EIO));
		status = EXIT_OUTPUT;
	}
out:
	pipeline_free(&pl);
	if (o.html_file)
		report_free(&html);
	if (o.write_file)
		report_free(&annotator);
	annotations_free(&notes);
	if (o.json)
		report_free(&async);
	report_free(&rep);
	ladders_free(&ladders);
	options_free(&o);
	return status;
}
