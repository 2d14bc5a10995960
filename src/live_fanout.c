/* live_fanout: --fanout N workers and their merged output (see live_fanout.h). */
#define _GNU_SOURCE     /* fmemopen */
#include "live_fanout.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "report.h"
#include "report_merge.h"
#include "xalloc.h"

struct worker {
	pid_t pid;
	int fd;                 /* its standard output; -1 once it ended */
	char *line;             /* a line begun and not yet ended */
	size_t len, cap;
	char *summary;          /* its summary line */
	size_t summary_len;
};

static volatile sig_atomic_t stop_signal;

static void on_signal(int sig)
{
	stop_signal = sig;
}

/* One whole line of a worker: a record goes out at once, the summary waits. */
static void take_line(struct worker *w, const char *line, size_t len,
		      const struct merge_output *out)
{
	static const char summary[] = "{\"type\":\"summary\"";
	if (len >= sizeof summary - 1 && memcmp(line, summary, sizeof summary - 1) == 0) {
		free(w->summary);
		w->summary = xmalloc(len + 1);
		memcpy(w->summary, line, len);
		w->summary[len] = '\n';
		w->summary_len = len + 1;
		return;
	}
	if (out->record) {
		out->record(out->ctx, line, len);
		return;
	}
	fwrite(line, 1, len, out->rep->out);
	fputc('\n', out->rep->out);
	fflush(out->rep->out);
}

/* What the worker wrote: whole lines are taken, the rest kept. */
static void take_output(struct worker *w, const char *buf, size_t n,
			const struct merge_output *out)
{
	for (size_t i = 0; i < n; i++) {
		if (buf[i] == '\n') {
			take_line(w, w->line, w->len, out);
			w->len = 0;
			continue;
		}
		if (w->len == w->cap) {
			w->cap = w->cap ? 2 * w->cap : 4096;
			w->line = xrealloc(w->line, w->cap);
		}
		w->line[w->len++] = buf[i];
	}
}

static void signal_all(struct worker *ws, unsigned n, int sig)
{
	for (unsigned i = 0; i < n; i++)
		if (ws[i].pid > 0)
			kill(ws[i].pid, sig);
}

/* The parent: forwards the workers' records until they all end. */
static enum exit_status gather(struct worker *ws, unsigned n, const struct merge_output *out)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	struct pollfd *pfd = xcalloc(n, sizeof *pfd);
	char buf[65536];
	unsigned open_fds = n;
	bool passed_on = false;
	while (open_fds > 0) {
		if (stop_signal && !passed_on) {
			/* A ^C reached them too; a signal to the parent alone is passed on. */
			signal_all(ws, n, stop_signal);
			passed_on = true;
		}
		for (unsigned i = 0; i < n; i++)
			pfd[i] = (struct pollfd){ .fd = ws[i].fd, .events = POLLIN };
		if (poll(pfd, n, 200) < 0 && errno != EINTR)
			break;
		for (unsigned i = 0; i < n; i++) {
			if (ws[i].fd < 0 || !(pfd[i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			ssize_t got = read(ws[i].fd, buf, sizeof buf);
			if (got > 0) {
				take_output(&ws[i], buf, (size_t)got, out);
			} else if (got == 0 || errno != EINTR) {
				close(ws[i].fd);
				ws[i].fd = -1;
				open_fds--;
			}
		}
	}
	free(pfd);
	enum exit_status status = EXIT_OK;
	for (unsigned i = 0; i < n; i++) {
		int ws_status = 0;
		if (ws[i].pid > 0 && waitpid(ws[i].pid, &ws_status, 0) == ws[i].pid &&
		    WIFEXITED(ws_status))
			msg_note_status(&status, (enum exit_status)WEXITSTATUS(ws_status));
		else
			msg_note_status(&status, EXIT_DAMAGED);
	}
	/* The summaries, merged as --merge merges runs (each worker one); no
	 * worker got as far as one: each has said why. */
	bool any = false;
	for (unsigned i = 0; i < n; i++)
		any = any || ws[i].summary;
	if (!any) {
		for (unsigned i = 0; i < n; i++)
			free(ws[i].line);
		return status == EXIT_OK ? EXIT_INPUT : status;
	}
	FILE **streams = xcalloc(n, sizeof *streams);
	const char **names = xcalloc(n, sizeof *names);
	char (*labels)[32] = xcalloc(n, sizeof *labels);
	for (unsigned i = 0; i < n; i++) {
		snprintf(labels[i], sizeof labels[i], "worker %u", i);
		names[i] = labels[i];
		streams[i] = ws[i].summary ? fmemopen(ws[i].summary, ws[i].summary_len, "r")
					   : fopen("/dev/null", "r");
	}
	/* Only the summaries: the records went out as they came. */
	struct merge_output summary_only = { .rep = out->rep };
	msg_note_status(&status, report_merge_streams(streams, names, (int)n, &summary_only));
	for (unsigned i = 0; i < n; i++) {
		if (streams[i])
			fclose(streams[i]);
		free(ws[i].summary);
		free(ws[i].line);
	}
	free(streams);
	free(names);
	free(labels);
	return status;
}

bool live_fanout_fork(unsigned n, const struct merge_output *out, int *group,
		      unsigned *worker, enum exit_status *status)
{
	/* One group per run: the parent's pid, as Suricata numbers its own. */
	*group = (int)(getpid() & 0xffff);
	struct worker *ws = xcalloc(n, sizeof *ws);
	fflush(out->rep->out);
	for (unsigned i = 0; i < n; i++) {
		int fds[2];
		if (pipe(fds) != 0) {
			msg_error("--fanout: %s", strerror(errno));
			signal_all(ws, i, SIGTERM);
			gather(ws, i, out);
			*status = EXIT_INPUT;
			free(ws);
			return true;
		}
		pid_t pid = fork();
		if (pid == 0) {
			/* The worker: its output is the pipe; the others' are not its own. */
			for (unsigned j = 0; j < i; j++)
				close(ws[j].fd);
			close(fds[0]);
			if (dup2(fds[1], STDOUT_FILENO) < 0)
				_exit(EXIT_OUTPUT);
			close(fds[1]);
			free(ws);
			*worker = i;
			return false;
		}
		close(fds[1]);
		ws[i].pid = pid;
		ws[i].fd = fds[0];
		if (pid < 0) {
			msg_error("--fanout: %s", strerror(errno));
			close(fds[0]);
			ws[i].fd = -1;
			signal_all(ws, i, SIGTERM);
			gather(ws, i, out);
			*status = EXIT_INPUT;
			free(ws);
			return true;
		}
	}
	*status = gather(ws, n, out);
	free(ws);
	return true;
}
