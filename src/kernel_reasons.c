/* kernel_reasons: tcp/tcp_send_reset from a private tracefs instance (see kernel_reasons.h). */
#include "kernel_reasons.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "xalloc.h"

#define TRACEFS "/sys/kernel/tracing"

/* Linux's include/net/rstreason.h, in its order (6.10 to 6.18). */
static const char *const reasons[] = {
	NULL, "NOT_SPECIFIED", "NO_SOCKET", "TCP_INVALID_ACK_SEQUENCE", "TCP_RFC7323_PAWS",
	"TCP_TOO_OLD_ACK", "TCP_ACK_UNSENT_DATA", "TCP_FLAGS", "TCP_OLD_ACK", "TCP_ABORT_ON_DATA",
	"TCP_TIMEWAIT_SOCKET", "INVALID_SYN", "TCP_ABORT_ON_CLOSE", "TCP_ABORT_ON_LINGER",
	"TCP_ABORT_ON_MEMORY", "TCP_STATE", "TCP_KEEPALIVE_TIMEOUT", "TCP_DISCONNECT_WITH_DATA",
	"MPTCP_RST_EUNSPEC", "MPTCP_RST_EMPTCP", "MPTCP_RST_ERESOURCE", "MPTCP_RST_EPROHIBIT",
	"MPTCP_RST_EWQ2BIG", "MPTCP_RST_EBADPERF", "MPTCP_RST_EMIDDLEBOX", "ERROR",
};
#define N_REASONS (sizeof reasons / sizeof reasons[0])

/* include/net/tcp_states.h, as the tracepoint prints them; "UNKNOWN" for a
 * RST sent without a socket (NO_SOCKET). */
static const char *const states[] = {
	NULL, "UNKNOWN", "TCP_ESTABLISHED", "TCP_SYN_SENT", "TCP_SYN_RECV", "TCP_FIN_WAIT1", "TCP_FIN_WAIT2",
	"TCP_TIME_WAIT", "TCP_CLOSE", "TCP_CLOSE_WAIT", "TCP_LAST_ACK", "TCP_LISTEN", "TCP_CLOSING",
	"TCP_NEW_SYN_RECV", "TCP_BOUND_INACTIVE",
};
#define N_STATES (sizeof states / sizeof states[0])

struct event {
	uint8_t ipver;
	uint8_t reason, state;
	uint16_t sport, dport;
	uint8_t src[16], dst[16];
};

struct kernel_reasons {
	char dir[128];              /* the instance's directory */
	int fd;                     /* its trace_pipe, non-blocking */
	int keeper;                 /* the pipe to the child that removes the instance */
	struct event ring[KERNEL_REASONS_RING];
	uint32_t head, n;
	char partial[512];          /* a line the last read cut */
	size_t partial_len;
};

static bool write_file(const char *dir, const char *rel, const char *value)
{
	char path[256];
	snprintf(path, sizeof path, "%s/%s", dir, rel);
	int fd = open(path, O_WRONLY | O_TRUNC);
	if (fd < 0)
		return false;
	bool ok = write(fd, value, strlen(value)) == (ssize_t)strlen(value);
	close(fd);
	return ok;
}

/* The event's format names a reason field only since Linux 6.10. */
static bool has_reason_field(void)
{
	FILE *f = fopen(TRACEFS "/events/tcp/tcp_send_reset/format", "r");
	if (!f)
		return false;
	char line[256];
	bool found = false;
	while (!found && fgets(line, sizeof line, f))
		found = strstr(line, " reason;") != NULL;
	fclose(f);
	return found;
}

/*
 * rstdiag drops root (-Z) once the instance is open, and removing it
 * needs root: a child keeps root for that alone. It waits on a pipe whose
 * other end only rstdiag holds; when rstdiag exits, however it exits, the
 * pipe closes and the child disables the event and removes the instance.
 */
static void keep_for_cleanup(struct kernel_reasons *k)
{
	int p[2];
	k->keeper = -1;
	if (pipe(p) != 0)
		return;
	fcntl(p[1], F_SETFD, FD_CLOEXEC);
	pid_t pid = fork();
	if (pid == 0) {
		/* A terminal's Ctrl-C reaches the whole process group: rstdiag
		 * handles it and exits, and this child must outlive it to clean up. */
		signal(SIGINT, SIG_IGN);
		signal(SIGTERM, SIG_IGN);
		/* Nothing of rstdiag's but the pipe: not the capture, not the trace. */
		for (int fd = 3; fd < 1024; fd++)
			if (fd != p[0])
				close(fd);
		char c;
		ssize_t n;
		do
			n = read(p[0], &c, 1);
		while (n > 0 || (n < 0 && errno == EINTR));
		write_file(k->dir, "events/tcp/tcp_send_reset/enable", "0");
		rmdir(k->dir);
		_exit(0);
	}
	close(p[0]);
	if (pid > 0)
		k->keeper = p[1];
	else
		close(p[1]);
}

struct kernel_reasons *kernel_reasons_open(const char **why)
{
	struct stat st;
	if (stat(TRACEFS "/events", &st) != 0 &&
	    mount("nodev", TRACEFS, "tracefs", 0, NULL) != 0) {
		*why = "tracefs is not mounted and cannot be (root is needed)";
		return NULL;
	}
	if (stat(TRACEFS "/events/tcp/tcp_send_reset", &st) != 0) {
		*why = "this kernel has no tcp/tcp_send_reset tracepoint";
		return NULL;
	}
	if (!has_reason_field()) {
		*why = "this kernel's tcp_send_reset has no reason field (Linux 6.10 added it)";
		return NULL;
	}
	struct kernel_reasons *k = xcalloc(1, sizeof *k);
	snprintf(k->dir, sizeof k->dir, TRACEFS "/instances/rstdiag_%ld", (long)getpid());
	if (mkdir(k->dir, 0700) != 0) {
		*why = "cannot make a tracefs instance (root is needed)";
		free(k);
		return NULL;
	}
	char pipe[160];
	snprintf(pipe, sizeof pipe, "%s/trace_pipe", k->dir);
	if (!write_file(k->dir, "events/tcp/tcp_send_reset/enable", "1") ||
	    (k->fd = open(pipe, O_RDONLY | O_NONBLOCK | O_CLOEXEC)) < 0) {
		*why = "cannot enable tcp_send_reset in its tracefs instance";
		rmdir(k->dir);
		free(k);
		return NULL;
	}
	keep_for_cleanup(k);
	return k;
}

void kernel_reasons_close(struct kernel_reasons *k)
{
	if (!k)
		return;
	close(k->fd);
	if (k->keeper >= 0) {
		close(k->keeper);   /* the child removes the instance, as root */
	} else {
		write_file(k->dir, "events/tcp/tcp_send_reset/enable", "0");
		rmdir(k->dir);
	}
	free(k);
}

static uint8_t code_of(const char *const *names, size_t n, const char *s, size_t len)
{
	for (size_t i = 1; i < n; i++)
		if (strlen(names[i]) == len && memcmp(names[i], s, len) == 0)
			return (uint8_t)i;
	return KERNEL_UNNAMED;
}

/* "10.0.0.1:80" or "[fd00::1]:80" after key, into an address and port. */
static bool host_port(const char *line, const char *key, uint8_t *ipver, uint8_t addr[16],
		      uint16_t *port)
{
	const char *p = strstr(line, key);
	if (!p)
		return false;
	p += strlen(key);
	char host[64];
	size_t n = 0;
	if (*p == '[') {
		p++;
		while (*p && *p != ']' && n < sizeof host - 1)
			host[n++] = *p++;
		if (*p++ != ']')
			return false;
	} else {
		const char *colon = strchr(p, ':');
		const char *space = strchr(p, ' ');
		if (!colon || (space && space < colon))
			return false;
		while (p < colon && n < sizeof host - 1)
			host[n++] = *p++;
	}
	host[n] = '\0';
	if (*p++ != ':')
		return false;
	*port = (uint16_t)strtoul(p, NULL, 10);
	memset(addr, 0, 16);
	if (inet_pton(AF_INET, host, addr) == 1) {
		*ipver = 4;
		return true;
	}
	if (inet_pton(AF_INET6, host, addr) == 1) {
		*ipver = 6;
		return true;
	}
	return false;
}

static uint8_t word_code(const char *line, const char *key, const char *const *names, size_t n)
{
	const char *p = strstr(line, key);
	if (!p)
		return 0;
	p += strlen(key);
	size_t len = strcspn(p, " \n");
	return code_of(names, n, p, len);
}

static void parse_line(struct kernel_reasons *k, const char *line)
{
	if (!strstr(line, "tcp_send_reset:"))
		return;
	struct event e;
	memset(&e, 0, sizeof e);
	uint8_t v2;
	if (!host_port(line, " src=", &e.ipver, e.src, &e.sport) ||
	    !host_port(line, " dest=", &v2, e.dst, &e.dport))
		return;
	e.state = word_code(line, " state=", states, N_STATES);
	e.reason = word_code(line, " reason=", reasons, N_REASONS);
	/* A full ring gives way to the oldest event: its RST was long reported. */
	if (k->n == KERNEL_REASONS_RING) {
		k->head = (k->head + 1) % KERNEL_REASONS_RING;
		k->n--;
	}
	k->ring[(k->head + k->n) % KERNEL_REASONS_RING] = e;
	k->n++;
}

void kernel_reasons_read(struct kernel_reasons *k)
{
	char buf[4096];
	ssize_t got;
	while ((got = read(k->fd, buf, sizeof buf)) > 0) {
		for (ssize_t i = 0; i < got; i++) {
			if (buf[i] != '\n') {
				if (k->partial_len < sizeof k->partial - 1)
					k->partial[k->partial_len++] = buf[i];
				continue;
			}
			k->partial[k->partial_len] = '\0';
			parse_line(k, k->partial);
			k->partial_len = 0;
		}
	}
}

static bool any_address(const struct event *e)
{
	static const uint8_t zero[16] = { 0 };
	return e->dport == 0 && memcmp(e->dst, zero, 16) == 0;
}

bool kernel_reasons_take(struct kernel_reasons *k, uint8_t ipver, const uint8_t src[16],
			 uint16_t sport, const uint8_t dst[16], uint16_t dport,
			 uint8_t *reason, uint8_t *state)
{
	size_t alen = ipver == 4 ? 4 : 16;
	for (int exact = 1; exact >= 0; exact--) {
		for (uint32_t i = 0; i < k->n; i++) {
			struct event *e = &k->ring[(k->head + i) % KERNEL_REASONS_RING];
			if (e->ipver != ipver || e->sport != sport || memcmp(e->src, src, alen) != 0)
				continue;
			if (exact ? (e->dport != dport || memcmp(e->dst, dst, alen) != 0)
				  : !any_address(e))
				continue;
			*reason = e->reason;
			*state = e->state;
			/* Close the gap: later events keep their order. */
			for (uint32_t j = i; j + 1 < k->n; j++)
				k->ring[(k->head + j) % KERNEL_REASONS_RING] =
					k->ring[(k->head + j + 1) % KERNEL_REASONS_RING];
			k->n--;
			return true;
		}
	}
	return false;
}

const char *kernel_reason_name(uint8_t code)
{
	if (code == KERNEL_UNNAMED)
		return "other";
	return code < N_REASONS ? reasons[code] : NULL;
}

const char *kernel_state_name(uint8_t code)
{
	if (code == KERNEL_UNNAMED)
		return "other";
	return code < N_STATES ? states[code] : NULL;
}
