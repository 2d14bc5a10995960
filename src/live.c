/* live: the live capture loop (see live.h). */
#define _GNU_SOURCE     /* setgroups */
#include "live.h"

#include <errno.h>
#include <inttypes.h>
#include <grp.h>
#include <poll.h>
#include <pwd.h>
#include <stdbool.h>
#include <signal.h>
#include <linux/if_packet.h>
#include <sys/socket.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <pcap/pcap.h>

#include "capture.h"

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

static int64_t wall_now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_REALTIME, &t);
	return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

enum exit_status live_list_interfaces(void)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	pcap_if_t *all;
	if (pcap_findalldevs(&all, errbuf) != 0) {
		msg_error("cannot list interfaces: %s", errbuf);
		return EXIT_INPUT;
	}
	int n = 0;
	for (pcap_if_t *d = all; d; d = d->next) {
		printf("%d.%s", ++n, d->name);
		if (d->description)
			printf(" (%s)", d->description);
		printf(" [%s%s]\n", (d->flags & PCAP_IF_UP) ? "Up" : "Down",
		       (d->flags & PCAP_IF_RUNNING) ? ", Running" : "");
	}
	pcap_freealldevs(all);
	return EXIT_OK;
}

/* Why pcap_activate failed, in words a user can act on. */
static void activate_error(pcap_t *p, const char *iface, int rc)
{
	switch (rc) {
	case PCAP_ERROR_NO_SUCH_DEVICE:
		msg_error("%s: no such interface (rstdiag -D lists them)", iface);
		break;
	case PCAP_ERROR_PERM_DENIED:
		msg_error("%s: permission denied: capturing needs root or CAP_NET_RAW", iface);
		break;
	case PCAP_ERROR_IFACE_NOT_UP:
		msg_error("%s: the interface is down", iface);
		break;
	default:
		msg_error("%s: %s", iface, rc == PCAP_ERROR ? pcap_geterr(p) : pcap_statustostr(rc));
	}
}

/* tcpdump -Z: give up root once the device is open. */
static enum exit_status drop_privileges(const char *user)
{
	if (!user || geteuid() != 0)
		return EXIT_OK;
	struct passwd *pw = getpwnam(user);
	if (!pw) {
		msg_error("-Z %s: no such user", user);
		return EXIT_USAGE;
	}
	if (setgroups(0, NULL) != 0 || setgid(pw->pw_gid) != 0 || setuid(pw->pw_uid) != 0) {
		msg_error("-Z %s: cannot drop privileges: %s", user, strerror(errno));
		return EXIT_INPUT;
	}
	return EXIT_OK;
}

/*
 * The kernel's ring when -B is not given: 32 MiB, not libpcap's 2 MiB.
 * tests/live_flood_rate.py, a SYN flood from another namespace at the
 * fastest this 2-core machine sends with rstdiag running (0.88-0.93
 * Mpps), rstdiag at 60-75 % of a core: in 2 MiB 2.6 % of the SYNs were
 * lost, in 16 MiB 0.35 % in one run of four, in 32 MiB none in three
 * (nor in 64 MiB). It is the ring that overflows while rstdiag waits for
 * a core, not rstdiag that falls behind. Zeek's AF_PACKET default is 128 MiB.
 */
#define LIVE_BUFFER_KIB 32768
/* The longest a packet waits in a partly filled block of the ring. */
#define LIVE_BLOCK_TIMEOUT_MS 50

static pcap_t *open_device(const struct live_options *o)
{
	char errbuf[PCAP_ERRBUF_SIZE] = "";
	pcap_t *p = pcap_create(o->iface, errbuf);
	if (!p) {
		msg_error("%s: %s", o->iface, errbuf);
		return NULL;
	}
	pcap_set_snaplen(p, o->snaplen);
	pcap_set_promisc(p, 1);
	/*
	 * Not immediate mode: with it libpcap takes TPACKET_V2, a ring of
	 * MTU-sized slots (about a thousand in the default 2 MiB), which a
	 * flood of small segments overruns in a millisecond or two of
	 * scheduling delay. TPACKET_V3 packs packets into blocks, each handed
	 * over when full or after the timeout below, so a verdict waits 50 ms
	 * at most for a quiet block; the settle time it waits anyway is
	 * longer (LIVE_SETTLE_NS, 0.5 s).
	 */
	pcap_set_timeout(p, LIVE_BLOCK_TIMEOUT_MS);
	pcap_set_buffer_size(p, (o->buffer_kib ? o->buffer_kib : LIVE_BUFFER_KIB) * 1024);
	/* Not every device can: the handle then stays in microseconds, and
	 * times are read in whatever precision pcap_get_tstamp_precision says. */
	pcap_set_tstamp_precision(p, PCAP_TSTAMP_PRECISION_NANO);
	int rc = pcap_activate(p);
	if (rc < 0) {
		activate_error(p, o->iface, rc);
		pcap_close(p);
		return NULL;
	}
	if (rc > 0)
		msg_warn("%s: %s", o->iface, pcap_statustostr(rc));
	/*
	 * --fanout: join the group libpcap's packet socket is one of. The
	 * kernel picks the socket by a hash of the packet's flow that both
	 * directions share (net/packet/af_packet.c, fanout_demux_hash:
	 * __skb_get_hash_symmetric), after putting IP fragments back together
	 * (PACKET_FANOUT_FLAG_DEFRAG), so a connection stays with one worker.
	 */
	if (o->fanout_group >= 0) {
		int arg = (o->fanout_group & 0xffff) |
			  (PACKET_FANOUT_HASH | PACKET_FANOUT_FLAG_DEFRAG) << 16;
		if (setsockopt(pcap_fileno(p), SOL_PACKET, PACKET_FANOUT, &arg, sizeof arg) != 0) {
			msg_error("%s: --fanout: cannot join the packet fanout group: %s", o->iface,
				  strerror(errno));
			pcap_close(p);
			return NULL;
		}
	}
	return p;
}

enum exit_status live_probe(const char *iface)
{
	char errbuf[PCAP_ERRBUF_SIZE] = "";
	pcap_t *p = pcap_create(iface, errbuf);
	if (!p) {
		msg_error("%s: %s", iface, errbuf);
		return EXIT_INPUT;
	}
	pcap_set_buffer_size(p, 256 * 1024);    /* the least TPACKET_V3 takes */
	int rc = pcap_activate(p);
	if (rc < 0)
		activate_error(p, iface, rc);
	pcap_close(p);
	return rc < 0 ? EXIT_INPUT : EXIT_OK;
}

/* The user's filter, limited to TCP so the kernel drops the rest. */
static enum exit_status set_filter(pcap_t *p, const char *filter)
{
	char expr[4096];
	if (filter && *filter)
		snprintf(expr, sizeof expr, "tcp and (%s)", filter);
	else
		snprintf(expr, sizeof expr, "tcp");
	struct bpf_program prog;
	if (pcap_compile(p, &prog, expr, 1, PCAP_NETMASK_UNKNOWN) != 0) {
		msg_usage_error("bad filter expression '%s': %s", filter ? filter : "", pcap_geterr(p));
		return EXIT_USAGE;
	}
	int rc = pcap_setfilter(p, &prog);
	pcap_freecode(&prog);
	if (rc != 0) {
		msg_error("cannot set the filter: %s", pcap_geterr(p));
		return EXIT_INPUT;
	}
	return EXIT_OK;
}

/* How often libpcap's counts are read, and drops said again at most. */
#define DROPS_CHECK_NS 1000000000LL
#define DROPS_REPEAT_NS (10 * 1000000000LL)

struct drop_watch {
	uint64_t said;          /* drops in the last line printed */
	int64_t checked_at, said_at;
};

/* Reads libpcap's counts into the summary; new drops are a warning line at
 * once (the kernel_drops warning the first time), then at most one line
 * every 10 s while they go on, so a long run says when it lost packets. */
static void record_drops(pcap_t *p, struct pipeline *pl, struct drop_watch *w, int64_t now,
			 bool at_end)
{
	struct pcap_stat ps;
	if (pcap_stats(p, &ps) != 0)
		return;
	w->checked_at = now;
	struct stats *s = &pl->stats;
	s->live = true;
	s->live_received = ps.ps_recv;
	s->live_dropped = ps.ps_drop;
	s->live_if_dropped = ps.ps_ifdrop;
	uint64_t drops = (uint64_t)ps.ps_drop + ps.ps_ifdrop;
	if (drops == w->said || (w->said && !at_end && now - w->said_at < DROPS_REPEAT_NS))
		return;
	if (!w->said)
		stats_warn(s, WARN_KERNEL_DROPS,
			   "%s: the kernel dropped %u packets and the interface %u: resets among "
			   "them were not seen (raise -B or narrow the filter)", pl->src.name,
			   ps.ps_drop, ps.ps_ifdrop);
	else
		msg_warn("%s: %" PRIu64 " more packets dropped (%u by the kernel and %u by the "
			 "interface in all)", pl->src.name, drops - w->said, ps.ps_drop, ps.ps_ifdrop);
	w->said = drops;
	w->said_at = now;
}

enum exit_status live_run(const struct live_options *o, struct pipeline *pl)
{
	pcap_t *p = open_device(o);
	if (!p)
		return EXIT_INPUT;
	const struct link_type *lt = link_type_find(pcap_datalink(p));
	enum exit_status st = EXIT_OK;
	if (!lt) {
		const char *dname = pcap_datalink_val_to_name(pcap_datalink(p));
		msg_error("%s: unsupported link type %s; rstdiag reads %s", o->iface,
			  dname ? dname : "unknown", link_type_supported_list());
		st = EXIT_INPUT;
	}
	if (st == EXIT_OK)
		st = set_filter(p, o->filter);
	/* The tracefs instance needs root: before privileges go. Without it,
	 * one line says why and the capture goes on. */
	if (st == EXIT_OK && o->kernel_reasons) {
		const char *why = NULL;
		pl->kernel = kernel_reasons_open(&why);
		if (!pl->kernel)
			msg_warn("--kernel-reasons: %s; going on without the kernel's reasons", why);
	}
	if (st == EXIT_OK)
		st = drop_privileges(o->user);
	if (st == EXIT_OK && pcap_setnonblock(p, 1, NULL) != 0) {
		msg_error("%s: %s", o->iface, pcap_geterr(p));
		st = EXIT_INPUT;
	}
	if (st != EXIT_OK) {
		pcap_close(p);
		return st;
	}

	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;   /* no SA_RESTART: poll returns at once */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	pipeline_begin_source(pl, o->name ? o->name : o->iface, false, lt);
	/* The kernel filters (set_filter), so frames count as they pass it. */
	struct frame_reader reader = { .p = p, .pl = pl,
				       .precision = pcap_get_tstamp_precision(p) };
	struct pollfd pfd = { .fd = pcap_get_selectable_fd(p), .events = POLLIN };
	int64_t end = o->duration_s ? wall_now() + (int64_t)o->duration_s * 1000000000 : 0;
	struct drop_watch drops = { .checked_at = wall_now() };
	while (!stop_requested) {
		poll(&pfd, 1, 100);
		int rc = pcap_dispatch(p, -1, capture_on_frame, (u_char *)&reader);
		if (rc == PCAP_ERROR) {
			msg_error("%s: %s", o->iface, pcap_geterr(p));
			st = EXIT_INPUT;
			break;
		}
		int64_t now = wall_now();
		pipeline_tick(pl, now);
		if (now - drops.checked_at >= DROPS_CHECK_NS)
			record_drops(p, pl, &drops, now, false);
		if (o->max_resets && pl->reported >= o->max_resets)
			break;
		if (end && now >= end)
			break;
	}
	record_drops(p, pl, &drops, wall_now(), true);
	pcap_close(p);
	return st;     /* the tracefs instance stays open for the reports still due */
}
