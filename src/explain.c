/*
 * explain: the words for a verdict (see explain.h).
 *
 * One function per rule of classify.c writes what that rule found, with
 * the verdict's measured numbers, and the advice for the side that can
 * act; then what the look-ahead added, and the sentence on the request the
 * RST met. The texts are bounded by struct explanation's buffers.
 */
#include "explain.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "idle_defaults.h"
#include "report.h"
#include "seq.h"
#include "service.h"
#include "stats.h"
#include "text_format.h"

struct words {
	const struct verdict *v;
	struct explanation *e;
	const char *an, *bn;        /* the sender's and the peer's role in a sentence */
	const struct service *svc;  /* what the connection carries (service_for) */
};

/* say(w, "literal", ...) and advise(w, "literal", ...): the format's
 * length goes with it (text_format.h). */
static void say_n(struct words *w, size_t fmt_len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void say_n(struct words *w, size_t fmt_len, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	text_vappend(w->e->why, sizeof w->e->why, &w->e->why_len, fmt_len, fmt, ap);
	va_end(ap);
}
#define say(w, ...) say_n((w), TEXT_FMT_LEN(__VA_ARGS__), __VA_ARGS__)

static void advise_n(struct words *w, size_t fmt_len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void advise_n(struct words *w, size_t fmt_len, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	text_vappend(w->e->advice, sizeof w->e->advice, &w->e->advice_len, fmt_len, fmt, ap);
	va_end(ap);
}
#define advise(w, ...) advise_n((w), TEXT_FMT_LEN(__VA_ARGS__), __VA_ARGS__)

/* The advice so far is dropped: what follows replaces it. */
static void advice_replaced(struct words *w)
{
	w->e->advice[0] = '\0';
	w->e->advice_len = 0;
}

/* "1.503 s", "12.4 ms": a buffer per argument, so several fit in one sentence. */
#define DUR(ns) report_duration((char[32]){ 0 }, 32, (ns))

static const char *plural(uint64_t n)
{
	return n == 1 ? "" : "s";
}

/* The peer's last HTTP response was no error: below 400 (RFC 9110 15:
 * 1xx to 3xx inform, succeed or redirect). */
static bool answer_succeeded(const struct verdict *v)
{
	return v->response.status && v->response.status < 400 &&
	       v->response_sender == (int8_t)role_peer((enum role)v->sender);
}

static const char *seg_kind(const struct seg_note *n)
{
	if (n->flags & TCP_SYN)
		return (n->flags & TCP_ACK) ? "SYN-ACK" : "SYN";
	if (n->flags & TCP_FIN)
		return n->len ? "data+FIN" : "FIN";
	if (n->flags & TCP_RST)
		return "RST";
	if (n->len)
		return "data";
	/* A scan's NULL probe (no flag at all) or one with only PSH or URG
	 * is no ACK (the corpus's ndpi/tcp_scan.pcapng 25). */
	if (!(n->flags & TCP_ACK))
		return n->flags ? "segment without ACK" : "segment without flags";
	return "ACK";
}

/* "FIN+PSH+URG", "none": a segment's flags for a sentence, in buf. */
static const char *flags_words(char *buf, size_t n, uint8_t flags)
{
	report_flags(buf, n, flags);
	return buf[0] ? buf : "none";
}
#define FLAGS(f) flags_words((char[48]){ 0 }, 48, (f))

/* ---- the origin ---- */

/* Why the RST came from elsewhere on the path (the foreign-RST rules). */
static void say_elsewhere(const struct words *w, char *buf, size_t n)
{
	const struct verdict *v = w->v;
	buf[0] = '\0';
	if (v->origin_basis == ORIGIN_BY_TTL_STEP && v->ttl_unlike_recent)
		text_format(buf, n, "its TTL (%u) is that of the %s's early packets, not of its "
			 "recent ones (%u)", v->rst.ttl, w->an,
			 v->rst.ttl == v->a.ttl_min ? v->a.ttl_max : v->a.ttl_min);
	else if (v->origin_basis == ORIGIN_BY_TTL_STEP)
		text_format(buf, n, "its TTL (%u) differs from the %s's own packets (%u-%u)", v->rst.ttl,
			 w->an, v->a.ttl_min, v->a.ttl_max);
	else if (v->origin_basis == ORIGIN_BY_CAPTURE_HOST)
		text_format(buf, n, "the capture saw it leave the capturing host without having "
			 "arrived there, while the %s's own packets arrived from elsewhere: that "
			 "host sent it", w->an);
	else if (v->origin_basis == ORIGIN_BY_TIMING)
		text_format(buf, n, "it came %s after the %s's segment, under half of the %s "
			 "the %s took at the fastest to answer a segment on this connection, its "
			 "handshake included: it was sent from nearer",
			 DUR(v->rst.ts_ns - v->trigger.ts_ns), w->bn, DUR(v->timing_leg_ns), w->an);
}

/* "(frame 7, 120 bytes of new data)": how the sender went on after its RST. */
static const char *went_on_how(const struct verdict *v, char *buf, size_t n)
{
	if (v->revised.synack)
		text_format(buf, n, "a SYN-ACK to the SYN it had refused");
	else if (v->revised.fin)
		text_format(buf, n, "a FIN");
	else if (v->revised.new_bytes)
		text_format(buf, n, "%u bytes of new data", v->revised.new_bytes);
	else
		text_format(buf, n, "an ACK of data sent after the RST");
	return buf;
}

/* A stack family as a sentence names it. */
static const char *host_stack_label(enum host_stack s)
{
	switch (s) {
	case HOST_STACK_LINUX:
		return "Linux";
	case HOST_STACK_WINDOWS:
		return "Windows";
	case HOST_STACK_MACOS:
		return "Apple";
	case HOST_STACK_FREEBSD:
		return "FreeBSD";
	case HOST_STACK_UNKNOWN:
	case HOST_STACK_COUNT:
		break;
	}
	return "unknown";
}

/* "TTL 64" or "TTLs 63, 64": a host profile's distinct TTLs. */
static const char *host_ttls(const struct host_profile *h, char *buf, size_t n)
{
	int used = snprintf(buf, n, "TTL%s ", h->n_ttl > 1 ? "s" : "");
	for (int k = 0; k < h->n_ttl && used > 0 && (size_t)used < n; k++)
		used += snprintf(buf + used, n - (size_t)used, "%s%u", k ? ", " : "", h->ttl[k]);
	return buf;
}

static void say_origin(const struct words *w, char *out, size_t size)
{
	const struct verdict *v = w->v;
	char elsewhere[192];
	/* A copy one router further on is judged by the TTL of the RST it copies. */
	unsigned ttl = v->copied_ttl ? v->copied_ttl : v->rst.ttl;
	size_t lead = 0;
	if (v->copied_ttl) {
		text_format(out, size, "a copy of the RST at frame %llu one router further on, "
			    "judged by that RST's ", (unsigned long long)v->followup_of);
		lead = strlen(out);
	}
	out += lead;
	size -= lead;
	switch ((enum origin_basis)v->origin_basis) {
	case ORIGIN_BY_TIMING:
		say_elsewhere(w, elsewhere, sizeof elsewhere);
		text_format(out, size, "TTL %u as the %s's own, but %.200s", ttl, w->an, elsewhere);
		break;
	case ORIGIN_BY_NOTHING:
		/* Its own earlier RSTs are packets too, but a reset's TTL is
		 * never what the next is judged by (a forged one would vouch
		 * for the next): said, not left to look like an oversight (a
		 * review: gnutella.pcap 561 after 545 and 554). */
		if (v->a.rst_frame)
			text_format(out, size, "TTL %u; nothing earlier from the %s to compare with but "
				 "its RSTs (the first at frame %llu), whose TTL no reset is judged by",
				 ttl, w->an, (unsigned long long)v->a.rst_frame);
		else
			text_format(out, size, "TTL %u; no earlier packet from the %s to compare with",
				 ttl, w->an);
		break;
	case ORIGIN_BY_TTL_STEP:
		if (v->ttl_unlike_recent)
			text_format(out, size, "TTL %u, which the %s's address showed early on this "
				 "connection, but its recent packets had TTL %u and the connection was "
				 "silent before the RST: a second box answering for that address (a "
				 "firewall that proxied the handshake)", ttl, w->an,
				 ttl == v->a.ttl_min ? v->a.ttl_max : v->a.ttl_min);
		else
			text_format(out, size, "TTL %u, but the %s's own packets arrived with TTL %u-%u: "
				 "sent from another hop", ttl, w->an, v->a.ttl_min,
				 v->a.ttl_max);
		break;
	case ORIGIN_BY_TTL_MATCH:
		/* A range from two initial TTLs is two boxes' (a front box or
		 * SYN proxy that answered the handshake, then the host: the
		 * corpus's alexa-app.pcapng 1537, a SYN-ACK at 39 and the rest
		 * at 231; a review): the RST matches the one of its class. */
		if (host_initial_ttl(v->a.ttl_min) != host_initial_ttl(v->a.ttl_max) &&
		    (host_initial_ttl(ttl) == host_initial_ttl(v->a.ttl_min) ||
		     host_initial_ttl(ttl) == host_initial_ttl(v->a.ttl_max))) {
			bool high = host_initial_ttl(ttl) == host_initial_ttl(v->a.ttl_max);
			uint8_t mine = high ? v->a.ttl_max : v->a.ttl_min;
			uint8_t other = high ? v->a.ttl_min : v->a.ttl_max;
			text_format(out, size, "TTL %u, as the %s's packets sent from an initial %u "
				 "(%s %u); others of its came with TTL %u, from an initial %u: two "
				 "boxes send in its name (a front box or SYN proxy that answered the "
				 "handshake, and the host), and the RST is the one's at %u", ttl, w->an,
				 host_initial_ttl(ttl), high ? "up to" : "down to", mine, other,
				 host_initial_ttl(other), host_initial_ttl(ttl));
			break;
		}
		text_format(out, size, "TTL %u, as the %s's own packets (%u-%u)", ttl, w->an,
			 v->a.ttl_min, v->a.ttl_max);
		break;
	case ORIGIN_BY_RAW_SYN: {
		char syn_ttl[16];
		if (v->a.ttl_min == v->a.ttl_max)
			text_format(syn_ttl, sizeof syn_ttl, "%u", v->a.ttl_min);
		else
			text_format(syn_ttl, sizeof syn_ttl, "%u-%u", v->a.ttl_min, v->a.ttl_max);
		text_format(out, size, "TTL %u; the %s sent nothing but its SYN%s, without window "
			 "scaling: most likely a raw socket's, whose program chooses the TTL (nmap "
			 "picks 37 to 59 at random), so its TTL (%s) tells no hop count; a host that "
			 "sent such a SYN has no socket for the SYN-ACK, and its kernel refuses it "
			 "with this RST", ttl, w->an, v->a.pkts > 1 ? " and copies of it" : "",
			 syn_ttl);
		break;
	}
	case ORIGIN_BY_HOST_MATCH:
		text_format(out, size, "TTL %u; nothing earlier from the %s on this connection, but its "
			 "address's first packets on %u connection%s arrived with %s", ttl,
			 w->an, v->host.connections, plural(v->host.connections),
			 host_ttls(&v->host, (char[32]){ 0 }, 32));
		break;
	case ORIGIN_BY_HOST_STEP:
		text_format(out, size, "TTL %u, but the %s's address arrived with TTL %u on all its %u "
			 "other connections: sent from another hop", ttl, w->an, v->host.ttl[0],
			 v->host.connections);
		break;
	case ORIGIN_BY_PAYLOAD:
		text_format(out, size, "its data is a diagnostic payload with reason code %u (%s), a "
			 "code only service functions (a NAT, a firewall, a proxy) send", v->rst_data.code,
			 rst_payload_cause_name(v->rst_data.code));
		break;
	case ORIGIN_BY_SHARED_IDS:
		if (v->id_follows_back && !host_ids_shared(&v->host))
			text_format(out, size, "TTL %u, but its IPv4 ID %u runs on from %u, of frame "
				 "%llu from another address, and in this capture many addresses "
				 "number their packets on one counter: one box sends for them all (a "
				 "NAT engine such as VirtualBox's, or a VPN app or proxy that "
				 "terminates TCP), and this RST is that box's, not the %s host's own",
				 ttl, v->ip_id, v->id_follows_id,
				 (unsigned long long)(v->rst.frame - v->id_follows_back), w->an);
		else
			text_format(out, size, "TTL %u, but the %s's address numbers its packets on "
				 "one IPv4 ID counter with many other addresses in this capture: one "
				 "box sends for them all (a NAT engine such as VirtualBox's, or a VPN "
				 "app or proxy that terminates TCP), and this RST is that box's, not "
				 "the %s host's own", ttl, w->an, w->an);
		break;
	case ORIGIN_BY_LOCAL_RELAY:
		if (v->a.pkts == 0 || v->a.ttl_min > v->a.ttl_max) {   /* none of its own */
			text_format(out, size, "TTL %u, the TTL it was sent with: no router stood "
				 "between, yet it came from a public address to a private one, which "
				 "only a NAT router joins (lowering the TTL): a box on this link or host "
				 "made it (a VM's NAT engine, a capturing VPN app such as PCAPdroid, a "
				 "proxy, or a router's firewall), in the %s host's name", ttl, w->an);
			break;
		}
		text_format(out, size, "TTL %u, as the %s's own packets, all at the TTL they were sent "
			 "with: no router stood between, yet they came from a public address to a "
			 "private one, which only a NAT router joins (lowering the TTL): a box on this "
			 "link or host that terminates TCP made them (a capturing VPN app such as "
			 "PCAPdroid, a VM's NAT engine, a proxy), and this RST is that box's, not the "
			 "%s host's own, unless the NAT router answered on its own public address",
			 ttl, w->an, w->an);
		break;
	case ORIGIN_BY_HOST_STACK:
		text_format(out, size, "TTL %u, which left its sender at %u, but the %s's address "
			 "arrived with %s on its other connections, sent at %u%s%s%s: another stack "
			 "sent it", ttl, host_initial_ttl(ttl), w->an,
			 host_ttls(&v->host, (char[32]){ 0 }, 32), host_initial_ttl(v->host.ttl[0]),
			 v->host.stack ? " by a " : "",
			 v->host.stack ? host_stack_label((enum host_stack)v->host.stack) : "",
			 v->host.stack ? " stack (its SYN's options)" : "");
		break;
	case ORIGIN_BY_CAPTURE_HOST:
		say_elsewhere(w, elsewhere, sizeof elsewhere);
		text_format(out, size, "TTL %u; %.200s itself (a reject rule of a firewall, a router "
			 "or a Kubernetes node)", ttl, elsewhere);
		break;
	}
	size_t used = strlen(out);
	char *rest = out + used;
	size_t room = size - used;
	out -= lead;    /* the whole text again, for what follows */
	size += lead;
	switch ((enum ip_id_relation)v->ip_id_relation) {
	case IP_ID_ZERO:
		/* Linux's own signature (ip_build_and_send_pkt, the control
		 * socket's RSTs); from a host whose packets carry 0 anyway, or
		 * whose SYN named another stack, it is said as what it is (a
		 * review read "as Linux" of a macOS client's RST, the corpus's
		 * ndpi/anyconnect-vpn.pcap 379). */
		if (host_ip_ids(&v->host) == HOST_IP_ID_ZERO)
			text_format(rest, room, "; IP ID 0, as the %s's address's packets had on its "
				 "connections", w->an);
		else if (v->host.stack && v->host.stack != HOST_STACK_LINUX)
			text_format(rest, room, "; IP ID 0 (Linux sends a RST without a socket so; the "
				 "%s's SYN named %s)", w->an,
				 host_stack_label((enum host_stack)v->host.stack));
		else
			text_format(rest, room, "; IP ID 0, as Linux sends a RST without a socket");
		break;
	case IP_ID_CONTINUES:
		text_format(rest, room, "; IP ID %u continues the %s's own (%u)", v->ip_id, w->an,
			 v->a.ip_id);
		break;
	case IP_ID_UNRELATED:
		text_format(rest, room, "; IP ID %u does not follow the %s's own (%u)", v->ip_id, w->an,
			 v->a.ip_id);
		break;
	case IP_ID_BOTH_SIDES:
		text_format(rest, room, "; IP ID %u continues the %s's (%u) and the %s's (%u) alike: "
			 "one program made both sides' packets (a generator, or a tool that rebuilt "
			 "a decrypted session), so the ID tells neither side", v->ip_id, w->an,
			 v->a.ip_id, w->bn, v->b.ip_id);
		break;
	case IP_ID_HOST_RANDOM:
		text_format(rest, room, "; IP ID %u, but the %s's address numbers its packets at "
			 "random, so its IDs say nothing either way", v->ip_id, w->an);
		break;
	case IP_ID_STACK_RANDOM:
		text_format(rest, room, "; IP ID %u, but the %s's SYN names macOS, whose stack "
			 "numbers its packets at random (net.inet.ip.random_id), so its IDs say "
			 "nothing either way", v->ip_id, w->an);
		break;
	case IP_ID_WINDOWS_ON:
		text_format(rest, room, "; IP ID %u is %u on from the %s's own (%u), as a Windows "
			 "host's one counter for all its connections moves with its other traffic",
			 v->ip_id, (uint16_t)(v->ip_id - v->a.ip_id), w->an, v->a.ip_id);
		break;
	case IP_ID_CONTINUES_GLOBAL:
		text_format(rest, room, "; IP ID %u is further on the %s's own (%u), whose host numbers "
			 "all its connections with one counter", v->ip_id, w->an, v->a.ip_id);
		break;
	case IP_ID_ZERO_NOT_ITS:
		text_format(rest, room, "; IP ID 0, which the %s's host does not send: %s", w->an,
			 v->host.stack == HOST_STACK_WINDOWS ? "its SYN names Windows, whose one "
			 "counter numbers every packet" : "it numbers all its connections with one "
			 "counter");
		break;
	case IP_ID_NOT_COMPARED:
		break;
	}
	if (v->revised.kind == REVISED_SENDER_WENT_ON_CONFIRMS ||
	    v->revised.kind == REVISED_SENDER_WENT_ON_FORGED) {
		char before[256];
		text_format(before, sizeof before, "%s", out);
		text_format(out, size, "the %s kept sending after it (frame %llu), so it did not send it; "
			 "%.160s", w->an, (unsigned long long)v->revised.frame, before);
	}
}

/* ---- shared sentences ---- */

struct default_list {
	struct words *w;
	int n;
};

static void say_default(void *ctx, const struct idle_default *d)
{
	struct default_list *l = ctx;
	say(l->w, "%s%s", l->n++ ? "; " : " ", d->name);
}

/* Names the well-known defaults an idle time matches, as one sentence. */
static void say_idle_defaults(struct words *w, enum idle_closer closer, int64_t ns)
{
	struct default_list l = { w, 0 };
	if (!idle_defaults_match(closer, w->svc, ns, NULL, NULL))
		return;
	say(w, " %s idle matches the default of:", DUR(ns));
	idle_defaults_match(closer, w->svc, ns, say_default, &l);
	say(w, ".");
}

/* What the closer's last HTTP response said about keeping the connection. */
static void say_keepalive_headers(struct words *w)
{
	const struct verdict *v = w->v;
	if (!v->response.status || v->response_sender != v->sender)
		return;
	if (v->response.connection == HTTP_CONN_CLOSE)
		say(w, " The %s's last response (HTTP %u) said Connection: close, so the %s should "
		       "not have reused the connection.", w->an, v->response.status, w->bn);
	else if (v->response.keepalive_s)
		say(w, " The %s's last response (HTTP %u) announced Keep-Alive: timeout=%u.", w->an,
		    v->response.status, v->response.keepalive_s);
}

static const char *side_word(const struct verdict *v)
{
	return v->sender == ROLE_SERVER ? "Server" : "Client";
}

/* The RST came from the box that sends for the sender's address and
 * terminates TCP itself (say_relay's subject). */
static bool relayed_by_box(const struct verdict *v)
{
	return v->origin == ORIGIN_MIDDLEBOX && (v->origin_basis == ORIGIN_BY_SHARED_IDS ||
						 v->origin_basis == ORIGIN_BY_LOCAL_RELAY) &&
	       v->rule != RULE_RELAY_TEARDOWN;
}

/* A silence long enough to be an idle timeout (TIMEOUT_SILENCE_MIN_NS). */
static bool long_idle(int64_t ns)
{
	return ns >= TIMEOUT_SILENCE_MIN_NS;
}

/* ---- one function per rule ---- */

/* "10.0.0.1:80": the twin's other endpoint, or the untranslated segment's source. */
static const char *nat_addr(const struct verdict *v, char *buf, size_t n)
{
	report_endpoint(buf, n, v->ipver, v->nat.addr, v->nat.port);
	return buf;
}
#define NAT_ADDR(v) nat_addr((v), (char[64]){ 0 }, 64)

/* nat_twin.h's NAT_TWIN_MOVED: the peer's segment of its connection with
 * another address, sent to a host that never had it. */
static void moved_segment(struct words *w)
{
	const struct verdict *v = w->v;
	int64_t silent = v->trigger.ts_ns - v->nat.ts_ns;
	char from[64], self[64];
	report_endpoint(from, sizeof from, v->ipver, v->dst, v->dport);
	report_endpoint(self, sizeof self, v->ipver, v->src, v->sport);
	say(w, "The %s (%s) answered with a reply-form RST a %s segment from %s (frame %llu) of a "
	       "connection it never had: that segment carried the numbers of the %s's connection "
	       "with %s (seq %u, ack %u: where that connection stood at frame %llu), from the same "
	       "address and port. A load balancer or a DNAT in front of the servers (a Kubernetes "
	       "Service, nftables or IPVS dnat to several backends) sends a connection's every "
	       "segment to the host it chose at the handshake, by its state table; with that "
	       "state gone, it chose anew, and this host, which never saw the handshake, answered "
	       "for no connection of its own. For the %s the connection's server side had lost "
	       "its state.", w->an, self, seg_kind(&v->trigger), from,
	    (unsigned long long)v->trigger.frame, w->bn, NAT_ADDR(v), v->trigger.seq,
	    v->trigger.ack, (unsigned long long)v->nat.frame, w->bn);
	if (v->cause == CAUSE_PEER_LOST_STATE && v->runner_up == CAUSE_IDLE_TIMEOUT)
		say(w, " The connection had been silent %s before: the balancer's idle timer may "
		       "have dropped the mapping, or it restarted, failed over or had its table "
		       "flushed (conntrack -D, a backend drained).", DUR(silent));
	else
		say(w, " The connection had been silent only %s: no idle timer explains the lost "
		       "mapping; the balancer restarted, failed over or had its table flushed "
		       "(conntrack -D, a backend drained).", DUR(silent));
	say(w, " The RST carries the %s's own ack as its seq, so the %s took it and its connection "
	       "was reset.", w->bn, w->bn);
	advise(w, "On the load balancer or DNAT: keep a connection's mapping for its life (sync "
		  "state to a standby, drain a backend by refusing new connections rather than "
		  "deleting established ones, keep idle mappings longer than the applications "
		  "leave connections idle: %s here). The %s's connection is dead: reconnect, and "
		  "retry what is safe to repeat.", DUR(silent), w->bn);
}

/* nat_twin.h: the same connection, seen without the NAT's translation, or
 * through a mapping the NAT made anew. */
static void untranslated_segment(struct words *w)
{
	const struct verdict *v = w->v;
	if (v->nat.kind == NAT_TWIN_MOVED) {
		moved_segment(w);
		return;
	}
	bool remapped = v->nat.kind == NAT_TWIN_REMAPPED;
	int64_t silent = v->trigger.ts_ns - v->nat.ts_ns;
	char from[64];
	report_endpoint(from, sizeof from, v->ipver, v->dst, v->dport);
	say(w, "The %s answered with a reply-form RST a %s segment from %s (frame %llu), %s it had "
	       "no connection with. That segment carried the numbers of the %s's connection %s %s "
	       "(seq %u, ack %u: ",
	    w->an, seg_kind(&v->trigger), from, (unsigned long long)v->trigger.frame,
	    remapped ? "a port" : "an address", w->an, remapped ? "with" : "to", NAT_ADDR(v),
	    v->trigger.seq, v->trigger.ack);
	/* nat_twin.h: a connection the tuple's next one replaced keeps its
	 * end numbers and time, not its last frame. */
	if (v->nat.replaced)
		say(w, "where that connection stood when it was last seen, %s before", DUR(silent));
	else
		say(w, "where that connection stood at frame %llu", (unsigned long long)v->nat.frame);
	say(w, "): it was that connection's %s, ", w->bn);
	if (remapped)
		say(w, "arriving from another port of the same address: a NAT in front of the %s "
		       "had mapped the connection anew.", w->bn);
	else
		say(w, "reaching the %s without the NAT's translation, from the address it has "
		       "behind the NAT.", w->an);
	if (v->cause == CAUSE_IDLE_TIMEOUT && remapped) {
		say(w, " The NAT had forgotten the old mapping after %s of silence on the connection "
		       "and gave the %s's next segment a new port, as a NAT that picks its ports at "
		       "random does (carrier NATs; Linux's masquerade random).", DUR(silent), w->bn);
		if (v->nat.replaced)
			say(w, " It had also given the old port to another connection: a new one "
			       "with %s had begun since on the same tuple, so the %s held nothing of "
			       "the old connection any more.", NAT_ADDR(v), w->an);
		advise(w, "Keep the mapping alive: have the %s send TCP keep-alives or application "
			  "pings more often than the NAT's idle timeout (under %s here), or close "
			  "pooled connections idle that long. ", w->bn, DUR(silent));
	} else if (v->cause == CAUSE_IDLE_TIMEOUT) {
		say(w, " A NAT between them (a load balancer, a Kubernetes Service, a Docker port "
		       "mapping) had forgotten the mapping after %s of silence on the connection; "
		       "Linux conntrack, its loose pickup on (the default), then takes the %s's next "
		       "segment for a new flow and passes it as it is.", DUR(silent), w->bn);
		advise(w, "On the NAT: keep an idle connection's mapping longer than its applications "
			  "leave it idle (%s here; Linux conntrack's "
			  "net.netfilter.nf_conntrack_tcp_timeout_established, a cloud NAT's or load "
			  "balancer's idle timeout), or have the endpoints send TCP keep-alives more "
			  "often than that timeout. ", DUR(silent));
	} else if (remapped) {
		say(w, " The connection had been silent only %s: no idle timer explains a new "
		       "mapping; a NAT that restarted, failed over or had its table flushed maps every "
		       "connection anew. A capture in front of the NAT would tell which.",
		    DUR(silent));
		advise(w, "Look at the NAT in front of the %s: a restart, a failover or a table flush "
			  "at that time. ", w->bn);
	} else {
		say(w, " The connection had been silent only %s: no idle timer explains a lost "
		       "mapping. Linux conntrack passes a segment it marks INVALID (outside the "
		       "window it tracked) untranslated, the Kubernetes kube-proxy reset; a NAT that "
		       "restarted, failed over or had its table flushed forgets every mapping at once. "
		       "A capture at the NAT, or its conntrack counters, would tell which.", DUR(silent));
		advise(w, "On the NAT (on Kubernetes, the node's conntrack): count the segments it "
			  "marks invalid (conntrack -S) and drop them (nftables: ct state invalid drop) "
			  "or set net.netfilter.nf_conntrack_tcp_be_liberal=1; look for a restart, a "
			  "failover or a conntrack flush at that time. ");
	}
	if (v->nat.replaced) {
		say(w, " The RST carries the %s's own ack as its seq, so the %s took it and its "
		       "connection was reset.", w->bn, w->bn);
		advise(w, "The %s's connection is dead: reconnect.", w->bn);
		return;
	}
	if (remapped) {
		say(w, " The RST goes back through the new mapping with the %s's own ack as its seq: "
		       "the %s's connection was reset, while the %s's side of it stays open until "
		       "its own timeout.", w->bn, w->bn, w->an);
		advise(w, "The %s's connection is dead: reconnect.", w->bn);
		return;
	}
	say(w, " The RST carries the %s's own ack as its seq, so the %s took it and reset its side; "
	       "the %s still holds the connection, and its next segment there meets a RST.",
	    w->bn, w->bn, w->an);
	advise(w, "The %s's connection is dead: reconnect.", w->an);
}

/* The twin's far side, reset by the RST that answered its untranslated segment. */
static void after_untranslated_reset(struct words *w)
{
	const struct verdict *v = w->v;
	if (v->nat.via == NAT_TWIN_REMAPPED) {
		/* The old port's address is the NAT's own: it answers for it. */
		say(w, "The %s's address answered the %s's %s (frame %llu) with a reply-form RST: "
		       "nothing there had the connection any more. The NAT in front of the %s, whose "
		       "address that is, no longer mapped this port, and the %s's own connection had "
		       "ended at frame %llu, %s earlier, when the %s's RST answered its segment "
		       "(frame %llu) from the new port the NAT had given it, %s. The NAT's lost "
		       "mapping is the cause (the RST at frame %llu says why).",
		    w->an, w->bn, seg_kind(&v->trigger), (unsigned long long)v->trigger.frame, w->an,
		    w->an, (unsigned long long)v->followup_of, DUR(v->rst.ts_ns - v->nat.rst_ts_ns),
		    w->bn, (unsigned long long)v->nat.frame, NAT_ADDR(v),
		    (unsigned long long)v->followup_of);
		advise(w, "See the RST at frame %llu: keep the NAT's mapping alive there. Nothing more "
			  "for this reset: the %s's connection was already gone.",
		       (unsigned long long)v->followup_of, w->an);
		return;
	}
	if (v->nat.via == NAT_TWIN_MOVED) {
		say(w, "The %s answered the %s's %s (frame %llu) with a reply-form RST: it no longer "
		       "had the connection. The RST at frame %llu, %s earlier, had reset it: a load "
		       "balancer or DNAT had sent the %s's segment (frame %llu) to %s, a host that "
		       "never had the connection, which answered it. The balancer's lost mapping is "
		       "the cause (the RST at frame %llu says why).",
		    w->an, w->bn, seg_kind(&v->trigger), (unsigned long long)v->trigger.frame,
		    (unsigned long long)v->followup_of, DUR(v->rst.ts_ns - v->nat.rst_ts_ns), w->an,
		    (unsigned long long)v->nat.frame, NAT_ADDR(v), (unsigned long long)v->followup_of);
		advise(w, "See the RST at frame %llu: keep the balancer's mappings. Nothing more for "
			  "this reset: the %s's connection was already gone.",
		       (unsigned long long)v->followup_of, w->an);
		return;
	}
	say(w, "The %s answered the %s's %s (frame %llu) with a reply-form RST: it no longer had "
	       "the connection. The %s's RST at frame %llu, %s earlier, had reset it: that RST "
	       "answered the %s's segment (frame %llu), which reached the %s from %s, %s, so the "
	       "%s took it for a segment of no connection of its own. The NAT's lost mapping is "
	       "the cause (the RST at frame %llu says why); nothing here is the %s's doing.",
	    w->an, w->bn, seg_kind(&v->trigger), (unsigned long long)v->trigger.frame, w->bn,
	    (unsigned long long)v->followup_of, DUR(v->rst.ts_ns - v->nat.rst_ts_ns), w->an,
	    (unsigned long long)v->nat.frame, w->bn, NAT_ADDR(v),
	    v->nat.via == NAT_TWIN_REMAPPED ? "a new port a NAT had mapped it to"
					    : "without the NAT's translation",
	    w->bn, (unsigned long long)v->followup_of, w->an);
	advise(w, "See the RST at frame %llu: fix the NAT's mapping there. The %s's connection is "
		  "dead: reconnect.", (unsigned long long)v->followup_of, w->bn);
}

static void say_take(struct words *w);
/*
 * The year the capture's clock gives the RST, when it is before 2017:
 * Linux began to take a RST one below its ack after the peer's FIN in
 * 2017 (tcp_reset_check), so then no stack took one (a review of the
 * corpus's https2-301-get.pcap 21-23, captured in 2013, read "if the
 * server runs Linux since 2017" as a hedge its date settles). 0 when
 * later, or when the clock shows no date (before 1990: a device that
 * never set its clock).
 */
#define YEAR_1990_S 631152000LL
#define YEAR_2017_S 1483228800LL
static int year_before_reset_check(const struct verdict *v)
{
	int64_t s = v->rst.ts_ns / 1000000000;
	if (s < YEAR_1990_S || s >= YEAR_2017_S)
		return 0;
	time_t t = (time_t)s;
	struct tm tm;
	return gmtime_r(&t, &tm) ? tm.tm_year + 1900 : 0;
}

/* Which stacks take a RST one below the peer's ack after the sender's FIN
 * (RST_TAKE_AFTER_FIN, flow.h), said of a record's own RST and of the one
 * a follow-up follows. */
#define ONE_BELOW_TAKEN_BY                                                                  \
	"only Linux since 2017 takes such a RST, in CLOSE-WAIT, LAST-ACK or CLOSING "        \
	"(tcp_reset_check); FreeBSD, macOS, Windows and older Linux drop it"

/* A follow-up a second or more after the first RST (and two round trips,
 * where known), answering a segment sent after it if the capture holds
 * it: the peer went on sending, not a segment still in flight. */
static bool went_on_after_reset(const struct verdict *v, unsigned long long first)
{
	int64_t first_ts = first == v->a.rst_frame ? v->a.rst_ts : v->b.rst_ts;
	int64_t gap = v->rst.ts_ns - first_ts;
	if (!first_ts || gap < 1000000000LL || (v->rtt_ns > 0 && gap < 2 * v->rtt_ns))
		return false;
	return !v->trigger.frame || v->trigger.ts_ns > first_ts;
}

static void after_earlier_reset(struct words *w)
{
	const struct verdict *v = w->v;
	unsigned long long first = v->followup_of;
	if (v->detail == DETAIL_DUPLICATE && v->copied_ttl)
		/* With no ID to match (IPv6; Linux's 0 on a RST without a
		 * socket), what made it a copy was the capture's other
		 * interface (tcp_track_copy_of_last), not the ID. */
		say(w, "Another copy of the %s's RST at frame %llu, captured within 2 ms of it with "
		       "the same numbers%s and a TTL one apart (%u there, %u here), and "
		       "nothing from the %s between them: the capture saw that packet on both sides "
		       "of a router. It is the same reset.", w->an, first,
		    v->ipver == 4 && v->ip_id ? " and IP ID" : "", v->copied_ttl, v->rst.ttl, w->bn);
	else if (v->detail == DETAIL_DUPLICATE)
		say(w, "Another copy of the %s's RST at frame %llu, captured within 2 ms of it with "
		       "the same numbers, TTL and IP ID, and nothing from the %s between them: the "
		       "capture saw that packet twice (a SPAN port, two interfaces). It is the same "
		       "reset.", w->an, first, w->bn);
	else if (v->detail == DETAIL_CROSSED) {
		say(w, "The %s reset the connection at frame %llu, %s before this RST at this capture "
		       "point; this one carries the %s's own sequence and acknowledgment numbers, "
		       "and a RST is never answered with one: the %s aborted on its own before the "
		       "%s's RST reached it, and the two crossed in flight. It is part of the same "
		       "incident, counted with the first.",
		    w->bn, first, DUR(v->rst.ts_ns - v->b.rst_ts), w->an, w->an, w->bn);
		/* classify.c's own_side_reading: the runner-up. */
		if (v->runner_up < CAUSE_COUNT)
			say(w, " Judged on the %s's own side, with the %s's RST set aside, its abort "
			       "reads as %s (the runner-up).", w->an, w->bn, cause_id(v->runner_up));
		else
			say(w, " The %s's own side shows no cause of its own for it.", w->an);
	} else if (v->twin_ttl && first == v->a.rst_frame)
		say(w, "The %s's side already reset the connection at frame %llu; this RST carries "
		       "the same flags and numbers with TTL %u where that one had %u, and is no copy "
		       "a router apart: a second box sent it for the same connection (a front box "
		       "that answers for the address and the host behind it, or two firewalls). It "
		       "is part of the same incident.", w->an, first, v->rst.ttl, v->twin_ttl);
	/* The peer answered the first RST rather than taking it (classify.c,
	 * trigger_after_rst); this one, at that answer's number, is taken. */
	else if (v->trigger_after_rst && first == v->a.rst_frame) {
		say(w, "The %s's RST at frame %llu did not end the connection at the %s: the %s's "
		       "bare ACK %s after it at this capture point (frame %llu) acknowledged %u, not "
		       "that RST's number. So the %s had not taken that RST: it answered it, as a "
		       "stack following RFC 5961 answers a RST that is not exactly at the number "
		       "it expects (and Linux in FIN-WAIT-2 one outside its window), or it had "
		       "sent the ACK before that RST arrived.",
		    w->an, first, w->bn, w->bn, DUR(v->trigger.ts_ns - v->a.rst_ts),
		    (unsigned long long)v->trigger.frame, v->trigger.ack, w->bn);
		if (v->form == FORM_REPLY && v->rst.seq == v->trigger.ack)
			say(w, " This RST carries that ACK's number (seq %u), which the %s takes: it "
			       "is the reset that ended the connection there.", v->rst.seq, w->bn);
		say(w, " It is part of the same incident.");
	}
	/* The sender's first RST fell where the peer drops it (flow.h, enum
	 * rst_take; tcp_track keeps it): the connection was not reset there,
	 * for certain or unless the peer runs Linux; a later one at its next
	 * number ended it (a review of corpus follow-ups: tunnelbear.pcap
	 * 96-98, https2-301-get.pcap 21-23). */
	else if ((v->first_rst_take == RST_TAKE_BELOW || v->first_rst_take == RST_TAKE_AFTER_FIN) &&
		 first == v->a.rst_frame) {
		if (v->first_rst_take == RST_TAKE_BELOW)
			say(w, "The %s's RST at frame %llu did not end the connection at the %s: it "
			       "fell below what the %s had already acknowledged, outside its window, "
			       "and no stack takes such a RST (RFC 9293 3.10.7.4).",
			    w->an, first, w->bn, w->bn);
		else
			say(w, "The %s's RST at frame %llu was one below what the %s had already "
			       "acknowledged, at the %s's FIN: " ONE_BELOW_TAKEN_BY ".", w->an, first,
			    w->bn, w->an);
		if (v->first_rst_taken_later && v->first_rst_take == RST_TAKE_BELOW)
			say(w, " A later RST of the %s's, at the %s's next number, had ended the "
			       "connection there before this one.", w->an, w->bn);
		else if (v->first_rst_taken_later)
			say(w, " A later RST of the %s's, at the %s's next number, came before this "
			       "one: it ended the connection there if the first had not.", w->an,
			    w->bn);
		else if (v->rst_take == RST_TAKE_EXACT && v->first_rst_take == RST_TAKE_BELOW)
			say(w, " This RST is at the %s's next number (seq %u): it is the one that "
			       "ended the connection there.", w->bn, v->rst.seq);
		else if (v->rst_take == RST_TAKE_EXACT && year_before_reset_check(v))
			say(w, " This RST is at the %s's next number (seq %u): the capture's clock "
			       "dates it to %d, before any stack took the first, so this one ended the "
			       "connection there.", w->bn, v->rst.seq, year_before_reset_check(v));
		else if (v->rst_take == RST_TAKE_EXACT)
			say(w, " This RST is at the %s's next number (seq %u): if the %s runs Linux "
			       "since 2017, the first had ended the connection and this one met none; "
			       "otherwise this one ended it.", w->bn, v->rst.seq, w->bn);
		else if (v->rst_take == RST_TAKE_BELOW)
			say(w, " This one (seq %u) fell below what the %s had acknowledged too (%u), "
			       "and was dropped as well.", v->rst.seq, w->bn, v->b.ack);
		else if (v->rst_take == RST_TAKE_AFTER_FIN)
			say(w, " This one (seq %u) is one below it too.", v->rst.seq);
		say(w, " It is part of the same incident.");
	}
	/* A closed socket answers the peer's segments one by one, and which
	 * of a burst each RST answers the numbers do not always tell; but
	 * with nothing of the peer's captured there is nothing to answer. */
	else if ((v->b.flags & HALF_F_SEEN) && went_on_after_reset(v, first)) {
		/* Long after the first: no segment is on its way that long; the
		 * peer kept sending (a review of holdout8's route-change
		 * capture: a server's listener answering the client's
		 * retransmissions 0.2 s apart, the router's RST to the server
		 * never having reached the client). */
		int64_t first_ts = first == v->a.rst_frame ? v->a.rst_ts : v->b.rst_ts;
		if (first == v->a.rst_frame)
			say(w, "The connection was already reset at frame %llu (by the %s), %s before "
			       "this RST. No segment is still on its way that long after: the %s went "
			       "on sending, so that RST had not reached it or was not taken (dropped on "
			       "the way, or outside its window), and this RST answers one of its later "
			       "segments%s. It is part of the same incident.", first, w->an,
			    DUR(v->rst.ts_ns - first_ts), w->bn,
			    v->trigger.frame ? "" : " (not captured)");
		else
			say(w, "The connection was already reset at frame %llu, by a RST in the %s's "
			       "name, %s before this RST, and the %s's side had been gone since. No "
			       "segment is still on its way that long after: the %s went on sending as "
			       "if it had sent no RST (that one was most likely a box's in its name, "
			       "see its record), and this RST answers one of its later segments%s. It "
			       "is part of the same incident.", first, w->bn,
			    DUR(v->rst.ts_ns - first_ts), w->an, w->bn,
			    v->trigger.frame ? "" : " (not captured)");
	} else if (v->b.flags & HALF_F_SEEN) {
		say(w, "The connection was already reset at frame %llu (by the %s); this RST answers "
		       "a segment that was still on its way. It is part of the same incident.",
		    first, first == v->a.rst_frame ? w->an : w->bn);
		/* Whether the first was taken the capture did not decide
		 * (its peer's ack came after it): this one's own place is
		 * what it can say (a review: android.pcap 307, one below the
		 * server's ack of the client's FIN, after 301). */
		if (v->first_rst_take == RST_TAKE_UNKNOWN && first == v->a.rst_frame)
			say_take(w);
	}
	/* A bare RST is a reply (RFC 9293 3.10.7.1): to a segment not
	 * captured; a RST+ACK may be a second abort as well. */
	else
		say(w, "The connection was already reset at frame %llu (by the %s); nothing of the "
		       "%s's was captured for this RST to answer (%s). It is part of the same "
		       "incident.",
		    first, first == v->a.rst_frame ? w->an : w->bn, w->bn,
		    (v->rst.flags & TCP_ACK) ? "a segment not captured, or a second abort"
					     : "a bare RST is a reply: to a segment not captured");
	advise(w, "Look at frame %llu: that reset is the one to explain.", first);
}

static void mptcp_fastclose(struct words *w)
{
	const struct verdict *v = w->v;
	if (v->mptcp & MPTCP_FASTCLOSE)
		say(w, "The %s aborted the whole MPTCP connection: this RST carries MP_FASTCLOSE "
		       "(RFC 8684 3.5), MPTCP's abortive close, which Linux sends in a RST on every "
		       "subflow when an application closes with unread data or a zero linger.",
		    w->an);
	else
		say(w, "The %s had aborted the whole MPTCP connection with MP_FASTCLOSE (RFC 8684 "
		       "3.5, MPTCP's abortive close), and the %s reset this subflow in answer, as "
		       "the protocol requires.", w->bn, w->an);
	advise(w, "Find why the %s's application aborted (a zero linger, unread data, a "
		  "timeout); the MPTCP connection ended on all its subflows.",
	       (v->mptcp & MPTCP_FASTCLOSE) ? w->an : w->bn);
}

static void mptcp_subflow_reset(struct words *w)
{
	say(w, "The %s reset this MPTCP subflow and said why (MP_TCPRST, RFC 8684 3.6); the "
	       "MPTCP connection may go on over its other subflows.", w->an);
	advise(w, "See the reason it gave; a subflow reset for lack of resources or "
		  "performance is the %s's own choice.", w->an);
}

static void syn_on_recently_closed_tuple(struct words *w)
{
	const struct verdict *v = w->v;
	say(w, "The %s's SYN (frame %llu) reuses a 4-tuple whose previous connection ended "
	       "%s earlier; the %s refused it with RST+ACK, as a stack still holding that "
	       "connection (TIME_WAIT) may.",
	    w->bn, (unsigned long long)v->trigger.frame, DUR(v->since_prev_ns), w->an);
	advise(w, "Client: let the kernel pick source ports (do not bind fixed ones), or keep "
		  "TCP timestamps on so TIME_WAIT can accept a new SYN.");
}

/* A refusal whose SYN was not captured (classify.c, refusal_of_unseen_syn). */
static void refusal_of_unseen_syn(struct words *w)
{
	const struct verdict *v = w->v;
	char addr[64];
	report_endpoint(addr, sizeof addr, v->ipver, v->src, v->sport);
	say(w, "Nothing of the %s's was captured. This RST+ACK numbered 0, acknowledging %u, is "
	       "how a host refuses a segment without ACK (RFC 9293 3.10.7.1): a SYN numbered "
	       "%u (or a scan's NULL, FIN or Xmas probe) sent to %s, where nothing accepted "
	       "connections or a host firewall rejected them. Each refusal answers one such "
	       "segment: the same refusal again answers the SYN sent again.", w->bn, v->rst.ack,
	    v->rst.ack - 1, addr);
	advise(w, "Capture both directions to see the attempts. On the host of %s: check the "
		  "service is running and listening (ss -ltn) and that no firewall rule rejects "
		  "it.", addr);
}

/* A refusal from a hop nearer than the refused host, by TTL (the host's
 * own TTLs on this or its other connections, or its stack's initial one):
 * not the host's listener. A relaying box's is say_relay's. */
static bool refused_on_the_path(const struct verdict *v)
{
	return v->origin == ORIGIN_MIDDLEBOX &&
	       (v->origin_basis == ORIGIN_BY_TTL_STEP || v->origin_basis == ORIGIN_BY_HOST_STEP ||
		v->origin_basis == ORIGIN_BY_HOST_STACK) && !relayed_by_box(v);
}

static void syn_refused(struct words *w)
{
	const struct verdict *v = w->v;
	char addr[64];
	report_endpoint(addr, sizeof addr, v->ipver, v->src, v->sport);
	if (!(v->trigger.flags & TCP_SYN)) {
		say(w, "The %s's segment (frame %llu) had neither SYN nor ACK (flags %s), as the "
		       "NULL, FIN and Xmas probes of a port scan have; a listening port discards "
		       "such a segment, a closed one answers it with RST+ACK, as here (%s later).",
		    w->bn, (unsigned long long)v->trigger.frame, FLAGS(v->trigger.flags),
		    DUR(v->rst.ts_ns - v->trigger.ts_ns));
		advise(w, "Nothing to fix on %s if the scan is expected; otherwise find the "
			  "scanning host (the %s's address).", addr, w->bn);
		return;
	}
	/* A relaying box's refusal says only that its own connect failed,
	 * which say_relay says (a review of the corpus's gnutella.pcap 326
	 * read "nothing accepted connections", then "or unreachable", as two
	 * claims). One call either way: a scan makes a record of each. */
	if (relayed_by_box(v))
		say(w, "The %s's SYN (frame %llu) was answered %s later by a reply-form RST+ACK "
		       "(seq %u, ack = SYN + 1).", w->bn, (unsigned long long)v->trigger.frame,
		    DUR(v->rst.ts_ns - v->trigger.ts_ns), v->rst.seq);
	else if (v->peer_accepted.frame && v->peer_accepted.of_sender && !v->peer_accepted.elsewhere &&
		 !refused_on_the_path(v))
		/* it accepted connections there (below): no "nothing accepted" */
		say(w, "The %s's SYN (frame %llu) was answered %s later by a reply-form RST+ACK "
		       "(seq %u, ack = SYN + 1) from %s.", w->bn, (unsigned long long)v->trigger.frame,
		    DUR(v->rst.ts_ns - v->trigger.ts_ns), v->rst.seq, addr);
	else if (refused_on_the_path(v))
		/* The origin says a nearer hop sent it (a TTL the server's
		 * packets never had): no listener's answer (a review of
		 * holdout8's router with a ct count limit). */
		say(w, "The %s's SYN (frame %llu) was answered %s later by a reply-form RST+ACK "
		       "(seq %u, ack = SYN + 1) in the name of %s, from a hop nearer than the %s "
		       "(see its origin): a firewall or router on the path rejected it.",
		    w->bn, (unsigned long long)v->trigger.frame,
		    DUR(v->rst.ts_ns - v->trigger.ts_ns), v->rst.seq, addr, w->an);
	else
		say(w, "The %s's SYN (frame %llu) was answered %s later by a reply-form RST+ACK "
		       "(seq %u, ack = SYN + 1): nothing accepted connections on %s, or a host "
		       "firewall rejected them (the wire looks the same).",
		    w->bn, (unsigned long long)v->trigger.frame,
		    DUR(v->rst.ts_ns - v->trigger.ts_ns), v->rst.seq, addr);
	/* RFC 9293 3.10.7.1 gives a reply to a segment without ACK SEQ=0,
	 * and Linux (tcp_v4_send_reset), FreeBSD (tcp_dropwithreset) and
	 * Windows send that; nmap's OS fingerprints record the few stacks
	 * that do not (its T5-T7 tests' S field). A review read the corpus's
	 * synscan.pcap 47, seq 511470441, so. */
	/* With the host's own TTL (origin endpoint), a firewall that
	 * randomizes sequence numbers fits best: it adds a per-connection
	 * offset to the host's numbers in both directions, the RST's 0
	 * among them, and keeps the TTL (Cisco ASA and PIX do so by default,
	 * "TCP sequence number randomization"); an answer in the host's name
	 * would carry the box's own TTL more often (a review of synscan.pcap
	 * 47: five refusals, five seqs, TTL 54 as the host's SYN-ACKs). */
	if (v->rst.seq != 0 && v->origin == ORIGIN_ENDPOINT)
		say(w, " Its seq is not the 0 that Linux, FreeBSD and Windows send to a segment "
		       "without ACK (RFC 9293 3.10.7.1), yet it came with the host's own TTL: most "
		       "likely the host's refusal with its number changed on the way by a firewall "
		       "that randomizes sequence numbers (Cisco ASA and PIX do by default), else a "
		       "less common stack's, or a SYN proxy's that copies the host's TTL.");
	else if (v->rst.seq != 0)
		say(w, " Its seq is not the 0 that Linux, FreeBSD and Windows send to a segment "
		       "without ACK (RFC 9293 3.10.7.1): a firewall or SYN proxy answering for the "
		       "host, or a less common stack, made it.");
	/* A kernel's SYN offers window scaling (RFC 7323: Linux, Windows,
	 * macOS and FreeBSD all do); a SYN scan's, sent from a raw socket,
	 * usually does not (syn_ack_after_client_gave_up reads the same
	 * sign), nor does a small embedded stack's (lwIP's by default). */
	if ((v->b.flags & HALF_F_ISN) && !(v->b.flags & HALF_F_WSCALE)) {
		say(w, " The SYN offered no window scaling, which every desktop and server "
		       "kernel's SYN does: most likely a port scan's probe from a raw socket "
		       "(nmap -sS, masscan, zmap), else a small embedded stack.");
		advise(w, "If this is a port scan, nothing to fix on %s unless the port should be "
			  "open; find the scanning host (the %s's address) if the scan is not "
			  "expected. If an application was connecting, check the service is running "
			  "and listening on %s (ss -ltn) and that no firewall rule rejects it.",
		       addr, w->bn, addr);
		return;
	}
	/* classify.c's classify_revise_scan: refused on port after port. */
	if (v->scan_ports) {
		say(w, " The %s had probed %u%s ports of this server by this refusal, this one among "
		       "them (refused, or opened and reset at once with nothing sent): a port scan "
		       "(nmap -sT or -sS) or a client trying its fallbacks, not a connect to a "
		       "service it needed.",
		    w->bn, v->scan_ports, v->scan_ports == UINT8_MAX ? " or more" : "");
		advise(w, "If this is a port scan, nothing to fix on %s unless the port should be "
			  "open; find the scanning host (the %s's address) if the scan is not "
			  "expected.", addr, w->bn);
		return;
	}
	/* The same SYN again, accepted (verdict_queue.c): the port opened
	 * within the retry's delay (the corpus's rtsp.pcap 293, a Windows
	 * client's retry 0.5 s later accepted at 301; a review). */
	if (v->revised.kind == REVISED_RETRY_ACCEPTED) {
		say(w, " The %s sent the same SYN again and the %s accepted it (SYN-ACK, frame %llu, "
		       "%s after this refusal): the port opened in between, as when a service is "
		       "starting or restarting.", w->bn, w->an, (unsigned long long)v->revised.frame,
		    DUR(v->revised.ts_ns - v->rst.ts_ns));
		advise(w, "Server side: the port opened within %s of this refusal: nothing to fix "
			  "if the service was (re)starting; if not, find what closed its listening "
			  "socket on %s for a moment (a restart or a reload that reopens it). "
			  "Client: retrying as it did is right.",
		       DUR(v->revised.ts_ns - v->rst.ts_ns), addr);
		return;
	}
	/* The port accepted connections before or just after (classify.c's
	 * classify_revise_port_accepted): something listened; this SYN was
	 * refused on its own (a review of holdout8's ct count and hashlimit
	 * refusals between accepted connections). */
	/* A connect to the same port on another address completed at once
	 * after it (classify.h's FALLBACK_CONNECT_MAX_NS): the name's next
	 * address (a review of holdout7's Node client, refused on [::1] and
	 * connected on 127.0.0.1 1.4 ms later). */
	if (v->peer_accepted.frame && v->peer_accepted.elsewhere) {
		int64_t d = (int64_t)v->peer_accepted.after_rst_ms * 1000000;
		say(w, " A connection to port %u on another address completed %s after this refusal "
		       "(frame %llu): the service listens there, not on %s. A client given a name "
		       "with several addresses (localhost as ::1 and 127.0.0.1, a dual-stack host) "
		       "tries them in turn and goes on to the next when one is refused (RFC 8305), "
		       "as this one most likely did.", v->sport, d >= 1000000 ? DUR(d) : "at once",
		    (unsigned long long)v->peer_accepted.frame, addr);
		advise(w, "Nothing is down: the service listens on another of the name's addresses. "
			  "To spare clients the refused attempt, have it listen on %s too (both "
			  "families: [::] and 0.0.0.0, or a dual-stack socket), or give clients the "
			  "address it listens on.", addr);
		return;
	}
	if (v->peer_accepted.frame && v->peer_accepted.of_sender) {
		int64_t d = (int64_t)v->peer_accepted.after_rst_ms * 1000000;
		if (d < 0)
			d = -d;
		/* after_rst_ms is whole milliseconds: the frames say which came first */
		bool ms = d >= 1000000;
		say(w, " The %s accepted a connection on that port (SYN-ACK, frame %llu, %s%s%s this "
		       "refusal): something listened there, so this SYN was refused on its own: by a "
		       "rule that refuses some connections (a per-client connection limit, such as "
		       "nftables ct count or iptables connlimit; a SYN rate limit, hashlimit or "
		       "limit; an ACL for this client) on %s, or the listener closed between the two "
		       "(a restart, or a program that takes one connection and stops listening).",
		    w->an, (unsigned long long)v->peer_accepted.frame,
		    ms ? DUR(d) : "", ms ? " " : "",
		    v->peer_accepted.frame < v->rst.frame ? "before" : "after",
		    refused_on_the_path(v) ? "the path" : "the host or the path");
		advise(w, "Look for a connection or rate limit on %s that refuses SYNs to %s (nft list "
			  "ruleset, iptables -S: ct count, connlimit, hashlimit, limit), or whether the "
			  "listener closed at that time: the port was listening at frame %llu. Client: "
			  "the connection never opened, so no request was sent: retrying with a "
			  "backoff is safe.", refused_on_the_path(v) ? "the path" : "the server and the path",
		       addr, (unsigned long long)v->peer_accepted.frame);
		return;
	}
	if (refused_on_the_path(v) && !relayed_by_box(v)) {
		advise(w, "Look for a firewall or router rule on the path that rejects SYNs to %s "
			  "(nft list ruleset, iptables -S: reject with tcp reset, a connection or rate "
			  "limit); the server may well be listening. Client: the connection never "
			  "opened, so no request was sent: retrying once the rule lets it through is "
			  "safe.", addr);
		return;
	}
	/* The box that relays for the address refused (say_relay): the
	 * host named is beyond it, and the box's own connect() failed. */
	if (v->origin == ORIGIN_MIDDLEBOX && (v->origin_basis == ORIGIN_BY_SHARED_IDS ||
					      v->origin_basis == ORIGIN_BY_LOCAL_RELAY)) {
		advise(w, "The refusal is the relaying box's, for its own connection to %s: check "
			  "from outside the box (the VM's host, or the device without its VPN app) "
			  "whether %s accepts connections (nc -vz); if it does, the box's own rules or "
			  "network refused it. Client: the connection never opened, so no request was "
			  "sent: retrying once the service is reachable is safe.", addr, addr);
		return;
	}
	advise(w, "Server side: check the service is running and listening on %s (ss -ltn) and "
		  "that no firewall rule rejects it. Client: the connection never opened, so no "
		  "request was sent: retrying once the service is up is safe.", addr);
}

/* Later than this after a segment, and ten times the handshake's time, a
 * RST is no host's at-once answer to it. */
#define LATE_ANSWER_MIN_NS 200000000

/*
 * The client's RST that late after the SYN-ACK it is matched to. Only
 * where the SYN's leg holds the path (HANDSHAKE_MIN_NS at least): near
 * the server the SYN-ACK leaves at once and the client's answer comes a
 * round trip later, however long that is.
 */
static bool late_after_synack(const struct verdict *v)
{
	int64_t after = v->rst.ts_ns - v->trigger.ts_ns, handshake = v->trigger.ts_ns - v->syn_ts;
	return v->rule == RULE_SYN_ACK_AFTER_CLIENT_GAVE_UP && v->trigger.frame &&
	       handshake >= HANDSHAKE_MIN_NS && after > LATE_ANSWER_MIN_NS &&
	       after > 10 * handshake;
}

/* A SYN-ACK's first copy: 1 s after it at the soonest. */
#define SYNACK_COPY_MIN_NS 1000000000LL

/* classify.c's abort_as_connected. */
static void abort_as_connected(struct words *w)
{
	const struct verdict *v = w->v;
	if (!v->trigger.frame)
		/* classify.c's abort_as_connected, the server's side not captured. */
		say(w, "Nothing of the server's was captured, but the client's RST, %s after its SYN, "
		       "is a RST+ACK (ack %u) from the SYN's number plus one: only a socket that had "
		       "taken a SYN-ACK sends that, for a host with no socket answers a SYN-ACK with "
		       "a bare RST (RFC 9293 3.10.7.1), and a socket still connecting sends nothing "
		       "when closed. So connect() had completed, and the client aborted (SO_LINGER 0) "
		       "before any data, its handshake ACK either not captured or held back to go "
		       "with the first data (TCP_QUICKACK off, as haproxy does for its checks): a "
		       "connection opened and aborted with no data, as a health check or a port "
		       "probe closes.", DUR(v->rst.ts_ns - v->syn_ts), v->rst.ack);
	else
		say(w, "The server answered the client's SYN with a SYN-ACK (frame %llu), and %s later "
		       "the client's RST+ACK acknowledged it (ack %u) from its own next sequence "
		       "number: a socket had taken the SYN-ACK, for a host with no socket answers it "
		       "with a bare RST (RFC 9293 3.10.7.1), and a socket still connecting sends "
		       "nothing when closed. So connect() had completed, and the client aborted "
		       "(SO_LINGER 0) before its handshake ACK left, which Linux holds back to send "
		       "with the first data when asked to (TCP_QUICKACK off, as haproxy does for its "
		       "checks): a connection opened and aborted with no data, as a health check or a "
		       "port probe closes.", (unsigned long long)v->trigger.frame,
		    DUR(v->rst.ts_ns - v->trigger.ts_ns), v->rst.ack);
	if (v->runner_up == CAUSE_CONNECT_TIMEOUT)
		say(w, " It came %s after the SYN, so a connect timeout that fired as the SYN-ACK "
		       "arrived would look the same.", DUR(v->rst.ts_ns - v->syn_ts));
	advise(w, "Nothing to fix if the client is a health checker or a probe (it opened the "
		  "connection to see that it opens). Otherwise find why the client abandons "
		  "connections as soon as they open.");
}

static void syn_ack_after_client_gave_up(struct words *w)
{
	const struct verdict *v = w->v;
	const struct seg_note *t = &v->trigger;
	if (v->cause == CAUSE_LINGER_ABORT || v->detail == DETAIL_ABANDONED) {
		say(w, "The server answered the client's SYN with a SYN-ACK (frame %llu) %s after "
		       "it, and the client's host refused that SYN-ACK with a RST, as a host does "
		       "for a segment it has no socket for. ",
		    (unsigned long long)t->frame, DUR(t->ts_ns - v->syn_ts));
		/* A SYN forged in the address's name (a flood's spoofed
		 * sources, RFC 4987 2) draws the same refusal from the host
		 * that really has it, which never sent it: backscatter (a
		 * review of holdout8's spoofed flood, where "find the scanning
		 * host" accused the bystander). */
		if (v->cause == CAUSE_LINGER_ABORT)
			say(w, "The SYN offered no window scaling, which a desktop or server "
			       "kernel's SYN does, so it was most likely sent without a socket, from a "
			       "raw socket (a SYN scan such as nmap -sS, or a packet crafter), and no "
			       "timeout ended it. Or it was forged in this address's name by another "
			       "host (a SYN flood with spoofed sources, RFC 4987): the host that has "
			       "the address then refuses a SYN-ACK it never asked for the same way.");
		else if (v->race_won.frames_before) {
			/* classify.c's classify_revise_race. */
			say(w, "Meanwhile another connection of the client's to port %u completed its "
			       "handshake (its ACK in frame %llu, %s after this SYN): the client raced "
			       "its connection attempts (happy eyeballs, RFC 8305, or a spare "
			       "connection to the same address) and closed this one, still connecting, "
			       "when that one won, which sends nothing.", v->dport,
			    (unsigned long long)(v->rst.frame - v->race_won.frames_before),
			    DUR((int64_t)v->race_won.after_syn_us * 1000));
			advise(w, "Nothing to fix: a client racing its connections closes the "
				  "attempts that lose (RFC 8305 6), and the server's late SYN-ACK "
				  "then meets no socket.");
			return;
		} else
			/* Racing (RFC 8305) is between addresses; a pool opening
			 * several connections to one address cancels the spare
			 * ones the same way (the corpus's opera-vpn.pcapng 2654:
			 * five to one address within 112 ms; a review). */
			say(w, "No timeout fires that soon: the client's application had dropped the "
			       "attempt, as a client does with the attempts it no longer needs "
			       "(connection racing between a name's addresses, RFC 8305, or a pool "
			       "that opened more connections than it used).");
		advise(w, "%s", v->cause == CAUSE_LINGER_ABORT
				  ? "Nothing to fix on the server if the scan is expected; otherwise "
				    "find the scanning host (the client's address) and who runs it, "
				    "or, if many addresses sent such SYNs to one port at once, the "
				    "flood forging them: that address's host only answered."
				  : "Nothing to fix if the client races connections or cancels spare "
				    "ones; otherwise look for why it closed the socket before the "
				    "handshake completed.");
		return;
	}
	/*
	 * A host answers a segment it has no socket for at once (RFC 9293
	 * 3.10.7.1; Linux from the receive path), so a RST long after the
	 * SYN-ACK, more than ten times the handshake's own time and 200 ms,
	 * did not answer that copy (the corpus's ndpi/webex.pcap 1027: 998 ms
	 * after a SYN-ACK that took 6 ms): it never reached the client, whose
	 * RST ended the attempt at its own timeout, or a copy not captured did.
	 */
	int64_t after_synack = v->rst.ts_ns - t->ts_ns, handshake = t->ts_ns - v->syn_ts;
	/*
	 * The server's first SYN-ACK (its fastest answer) left within half the
	 * time to the copy the RST answers, and it sent that SYN-ACK again: as
	 * a server does when no ACK comes (Linux after 1 s, then doubling:
	 * tcp_rtx_synack, TCP_TIMEOUT_INIT). The server was not slow; its
	 * SYN-ACKs did not reach the client in time, which had given up when a
	 * copy did (the lab's connect-timeout-late-synack seen at the server:
	 * "came 3.030 s after the first SYN" for a SYN-ACK first sent in 16 µs).
	 */
	if (v->b.syn_retrans > 0 && v->peer_leg_us && 2 * (int64_t)v->peer_leg_us * 1000 < handshake) {
		say(w, "The client sent its SYN (%u retransmission%s); the server answered it with a "
		       "SYN-ACK %s later at this capture point and sent that SYN-ACK again %u "
		       "time%s, as a server does when no ACK comes. The client answered the copy in "
		       "frame %llu, %s after its first SYN, with a RST: it had already given up "
		       "connecting, and the earlier SYN-ACKs had not reached it in time.",
		    v->a.syn_retrans, plural(v->a.syn_retrans), DUR((int64_t)v->peer_leg_us * 1000),
		    v->b.syn_retrans, plural(v->b.syn_retrans), (unsigned long long)t->frame,
		    DUR(handshake));
		advise(w, "Client: the server answered at once; its SYN-ACKs were lost or delayed on "
			  "the way back to the client until the client's connect timeout ended the "
			  "attempt. Look for loss on that path (a firewall, NAT or overloaded link "
			  "dropping them), and keep the connect timeout above the server's SYN-ACK "
			  "retransmission (1 s) so that one lost SYN-ACK does not fail the connect.");
		return;
	}
	/* A server sends its SYN-ACK again 1 s after the first at the
	 * soonest (RFC 6298 2.1; Linux's TCP_TIMEOUT_INIT): a RST sooner
	 * after it answers no copy (the corpus's webex.pcap 1027, 998 ms; a
	 * review). */
	if (late_after_synack(v)) {
		say(w, "The client sent its SYN (%u retransmission%s); the server's SYN-ACK "
		       "(frame %llu) came %s after the first SYN, and the client's RST %s after "
		       "that, %s after its SYN: too late to be the answer a host sends at once to a "
		       "segment it has no socket for",
		    v->a.syn_retrans, plural(v->a.syn_retrans), (unsigned long long)t->frame,
		    DUR(handshake), DUR(after_synack), DUR(v->rst.ts_ns - v->syn_ts));
		if (after_synack >= SYNACK_COPY_MIN_NS)
			say(w, ". It most likely answers a copy of the SYN-ACK this capture does not "
			       "hold (a server sends its SYN-ACK again when no ACK comes, after 1 s at "
			       "first), which found the attempt given up; else the SYN-ACK never "
			       "reached the client, which gave up at its own timeout.");
		else
			say(w, ", and too soon to answer a copy of the SYN-ACK (a server sends it again "
			       "1 s after the first at the soonest). The SYN-ACK did not reach the "
			       "client's stack in time, or the client did not process it, and the client "
			       "gave up at its own timeout.");
	} else {
		say(w, "The client sent its SYN (%u retransmission%s); the server's SYN-ACK "
		       "(frame %llu) came %s after the first SYN, and the client answered it with "
		       "a RST: it had already given up connecting.",
		    v->a.syn_retrans, plural(v->a.syn_retrans),
		    (unsigned long long)t->frame, DUR(handshake));
	}
	/* Connection racing starts its next attempt 250 ms after one (at most
	 * 2 s: RFC 8305 5, "Connection Attempt Delay") and closes the attempts
	 * that lose; one given up within that, its SYN never sent again, may
	 * be such a loser whose winner is another connection (the corpus's
	 * ndpi/whatsapp_login_call.pcap 61: a SYN-ACK 268 ms after its SYN,
	 * a sibling to another address of the same name already open). */
	/* A SYN-ACK back here within 100 ms, and the RST late: no connect
	 * timeout is shorter than that handshake, so raising one fixes
	 * nothing; what lies between this capture point and the client's
	 * stack, or its application, ended the attempt (the corpus's
	 * webex.pcap 1027: a SYN-ACK in 6 ms at a phone's VPN capture app;
	 * a review read "raise it" against the 6 ms). */
	bool answered_fast = late_after_synack(v) && t->ts_ns - v->syn_ts < CONNECT_GIVE_UP_MIN_NS;
	bool raced = v->a.syn_retrans == 0 && t->ts_ns - v->syn_ts < RACING_DELAY_MAX_NS;
	if (raced) {
		say(w, " No SYN was sent again, and within 2 s an attempt may also have lost a "
		       "race: a client that races connections (happy eyeballs, RFC 8305) closes "
		       "the attempts another one beat.");
		advise(w, "If the client races connections (another connection of its to the "
			  "same service opened meanwhile), nothing to fix. Otherwise: ");
	} else {
		advise(w, "Client: ");
	}
	if (answered_fast) {
		advise(w, "the SYN-ACK was back here %s after the SYN, so no connect timeout was "
			  "shorter than this handshake: find what kept it from the client's stack "
			  "(loss or delay between this capture point and the client: its Wi-Fi, a "
			  "VPN app relaying its traffic) or why its application dropped the attempt.",
		       DUR(t->ts_ns - v->syn_ts));
		return;
	}
	if (raced) {
		advise(w, "the connect timeout is shorter than this path's handshake time; raise it, "
			  "or find why SYNs or SYN-ACKs are delayed or lost.");
		return;
	}
	advise(w, "the connect timeout is shorter than this path's handshake time; raise it, or "
		  "find why SYNs or SYN-ACKs are delayed or lost (server accept queue, SYN "
		  "backlog, packet loss).");
}

static void challenge_ack_for_stale_connection(struct words *w)
{
	const struct verdict *v = w->v;
	const struct seg_note *t = &v->trigger;
	if (v->prev_half_closed)
		say(w, "The client's new SYN reuses a 4-tuple whose previous connection the server "
		       "still held: the client had closed it with a FIN, but the server never "
		       "closed its side (CLOSE_WAIT; the old connection was last heard %s "
		       "earlier), and the client side no longer had it (its closing socket gave "
		       "up, a restart, or a NAT reusing the port). ", DUR(v->since_prev_ns));
	else
		say(w, "The client's new SYN reuses a 4-tuple whose previous connection the server "
		       "still held open: it was last heard %s earlier and never closed on the "
		       "wire, so the client side had lost it (a restart, a silent abort, or a NAT "
		       "reusing the port). ", DUR(v->since_prev_ns));
	say(w, "The server answered the SYN with a challenge ACK for the old connection (frame "
	       "%llu, RFC 5961 4.2; ack %u%s), and the client, in SYN_SENT, reset it. That RST "
	       "clears the server's stale connection; the client's next SYN normally connects.",
	    (unsigned long long)t->frame, t->ack,
	    !v->stale_ack_exact ? "" : v->prev_half_closed ? ", exactly after the client's FIN"
							    : ", exactly where the old connection's data ended");
	if (v->prev_half_closed)
		advise(w, "Usually harmless (the connection attempt is delayed by one SYN "
			  "retransmission). Server: close connections whose client closed (a read "
			  "returning 0 means the client's FIN); one left in CLOSE_WAIT keeps its "
			  "tuple.");
	else
		advise(w, "Usually harmless (the connection attempt is delayed by one SYN "
			  "retransmission). If it recurs, find why clients forget connections the "
			  "server keeps (crashes, NAT port reuse) and let the server drop dead ones "
			  "(TCP keepalive, an idle timeout).");
}

/* A new connection that met the old one's state on the peer: when that
 * one ended, and what keeps the two apart. */
static void say_stale_tuple(struct words *w)
{
	const struct verdict *v = w->v;
	if (v->tuple_recently_closed)
		say(w, " The previous connection on this tuple ended %s before.",
		    DUR(v->since_prev_ns));
	advise(w, "Client: do not bind fixed source ports for short connections; let the "
		  "kernel choose. Keep TCP timestamps enabled on both sides (RFC 7323), which "
		  "lets TIME_WAIT accept a new SYN.");
}

static void syn_answered_by_old_ack(struct words *w)
{
	const struct verdict *v = w->v;
	const struct seg_note *t = &v->trigger;
	say(w, "The client's SYN was answered not by a SYN-ACK but by an ACK for other "
	       "sequence numbers (frame %llu, ack %u, expected %u): the server still held "
	       "an earlier connection on this 4-tuple (TIME_WAIT) and the new client reset "
	       "that stale ACK.",
	    (unsigned long long)t->frame, t->ack, v->a.base_seq + 1);
	say_stale_tuple(w);
}

/* classify.c's old_ack_unseen: the stale ACK inferred from the RST's number. */
static void old_ack_unseen(struct words *w)
{
	const struct verdict *v = w->v;
	say(w, "Nothing of the server's was captured, but the client's RST, %s after its SYN, is "
	       "a bare one numbered %u: exactly where its previous connection on this 4-tuple "
	       "ended. A client that is still connecting resets only an ACK it cannot accept, "
	       "with that ACK's number as its own (RFC 9293 3.10.7.3), so the server answered "
	       "the new SYN with an ACK of the old connection: it still held that one, in "
	       "TIME_WAIT or still open, and the new client reset the stale ACK.",
	    DUR(v->rst.ts_ns - v->syn_ts), v->rst.seq);
	say_stale_tuple(w);
}

/*
 * Whether the RST came when a stack's SYN retransmissions run out: from
 * an initial retransmission timeout of 1 s (RFC 6298 2.1), doubled after
 * each (5.5), n retransmissions end at (2^(n+1) - 1) s after the first
 * SYN; Linux's tcp_syn_retries (6 by default) makes that 127 s (the
 * corpus's ndpi/alexa-app.pcapng 2575: a RST at 127.28 s after 6).
 * Within a tenth either way: the timer is coarse and the retransmission
 * times at the capture point drift.
 */
/* A bare RST at the SYN's number plus one: the reply a host sends to a
 * segment that acknowledged the SYN, with no socket for it (RFC 9293
 * 3.10.7.1; a SYN-SENT socket sends nothing when it closes). */
static bool answers_unseen_synack(const struct verdict *v)
{
	return !(v->b.flags & HALF_F_SEEN) && !(v->rst.flags & TCP_ACK) &&
	       (v->a.flags & HALF_F_ISN) && v->rst.seq == v->a.base_seq + 1;
}

static void syn_unanswered(struct words *w)
{
	const struct verdict *v = w->v;
	/* The late SYN-ACK the capture does not hold (a review of the lab's
	 * connect-timeout-late-synack-v4 cut to the client's side). */
	if (answers_unseen_synack(v)) {
		say(w, "The client sent a SYN (%u retransmission%s) and nothing of the server's "
		       "was captured, but its RST, %s after the first SYN, is a bare one at the "
		       "SYN's number plus one: the reply a host sends to a segment acknowledging "
		       "its SYN, a SYN-ACK, when no socket waits for it (RFC 9293 3.10.7.1; a "
		       "socket still connecting sends nothing when it closes). The client had given "
		       "up connecting before the server's answer came.", v->a.syn_retrans,
		    plural(v->a.syn_retrans), DUR(v->rst.ts_ns - v->syn_ts));
		advise(w, "Find why the server answered so late (a full accept queue, a slow "
			  "path), or raise the client's connect timeout if the wait is legitimate.");
		return;
	}
	say(w, "The client sent a SYN (%u retransmission%s) and no answer was seen; it reset "
	       "the attempt itself %s after the first SYN.",
	    v->a.syn_retrans, plural(v->a.syn_retrans), DUR(v->rst.ts_ns - v->syn_ts));
	/* Linux itself gives a connecting socket up without a RST
	 * (TAXONOMY's measured facts: ETIMEDOUT, nothing sent), so at that
	 * moment the RST is whoever acted on the timeout. */
	if (classify_syn_give_up_time(v))
		say(w, " That is when its %u retransmissions ran out, doubling from 1 s (Linux's "
		       "tcp_syn_retries: 127 s at its default 6): the stack's connect timeout. A stock "
		       "Linux stack gives up silently there, so the RST is an application or OS acting "
		       "on that timeout, or a stack that resets.", v->a.syn_retrans);
	advise(w, "Check the path to the server for loss or filtering of SYNs.");
}

static void syn_ack_unanswered(struct words *w)
{
	const struct verdict *v = w->v;
	/* Silence is all the client sent back: a stack still connecting
	 * acknowledges a SYN-ACK (RFC 9293 3.10.7.3), and one whose socket is
	 * gone resets it (3.10.7.1), unless a firewall drops what no socket
	 * waits for (Windows' and macOS's stealth modes) (the corpus's
	 * gnutella.pcap 2208, 7 SYN-ACKs, the first 43 ms after the SYN, were
	 * told as a connect timeout shorter than the server's answer). */
	bool on_link = classify_peer_on_link(v);
	say(w, "The server sent its SYN-ACK %u times and the client answered none: not with the "
	       "ACK a client still connecting sends, nor with the RST a host sends for a SYN-ACK "
	       "no socket waits for.", v->a.syn_retrans + 1u);
	if (v->detail == DETAIL_ABANDONED)
		say(w, " The client sits on this capture's link (its packets arrive with the TTL they "
		       "were sent with), and in %s it never sent its SYN again, as a stack still "
		       "connecting does at its retransmission timeout whether or not SYN-ACKs reach "
		       "it (1 s on Linux, RFC 6298 2.1; 3 s on Windows), though the first SYN-ACK "
		       "came within 100 ms, before any timeout: its application had dropped the "
		       "attempt, and its host drops the SYN-ACKs no socket waits for.",
		    DUR(v->rst.ts_ns - v->syn_ts));
	/* On the capture's link, the SYN-ACKs seen here reached the client's
	 * host, and its SYNs would pass here: nothing was lost between (the
	 * corpus's gnutella.pcap 2209, a SYN-ACK 107 ms after the SYN, one
	 * of the burst 2207 belongs to; a review). */
	else if (on_link)
		say(w, " The client sits on this capture's link (its packets arrive with the TTL they "
		       "were sent with), so the SYN-ACKs reached its host: its application had "
		       "abandoned the attempt, or given it up at a connect timeout shorter than the "
		       "first SYN-ACK took, and its host drops the SYN-ACKs no socket waits for (a "
		       "host firewall's stealth mode).");
	else
		say(w, " So the SYN-ACKs did not reach the client's stack (lost on the way back, or "
		       "dropped by a firewall), or the client's application had abandoned the "
		       "attempt and a firewall on its host drops what no socket waits for.");
	if (v->detail != DETAIL_ABANDONED && v->syn_ts && v->b.syn_retrans == 0)
		say(w, " The client never sent its SYN again, as a stack still waiting does at its "
		       "retransmission timeout (1 s on Linux, RFC 6298 2.1; 3 s on Windows): it had "
		       "stopped waiting before then%s.",
		    on_link ? "" : ", or its SYNs sent again did not reach this capture point");
	/* The client's SYNs stopped before the first SYN-ACK came (the
	 * corpus's gnutella.pcap 2472: SYNs at 0, 3 and 9 s, the next due at
	 * 21 s, a Windows client's connect give-up; the SYN-ACK at 31.7 s). */
	if (v->synack_after_give_up)
		say(w, " The client sent its SYN %u times, the last %s after the first; with its "
		       "intervals doubling (RFC 6298 5.5) the next was due about %s after the first and "
		       "never came, before the first SYN-ACK did: the client had given up "
		       "connecting (a Windows client gives up after 2 retransmissions, 21 s).",
		    v->b.syn_retrans + 1u, DUR(classify_syn_last_ts(v) - v->syn_ts),
		    DUR(classify_syn_retry_due(v) - v->syn_ts));
	if (v->syn_ts)
		say(w, " %s after the client's SYN the server gave up on the half-open connection "
		       "and reset it", DUR(v->rst.ts_ns - v->syn_ts));
	else
		say(w, " The server gave up on the half-open connection and reset it");
	say(w, ", as stacks derived from 4.4BSD without a SYN cache and NAT engines built on "
	       "them do (slirp, VirtualBox's); Linux and FreeBSD drop it silently.");
	if (v->synack_after_give_up) {
		advise(w, "Server side: its first SYN-ACK came after the client had given up "
			  "connecting; find why it answered so late (an overloaded listener, or a "
			  "proxy or NAT that answers only once its own connection is up). Client "
			  "side: its host dropped the late SYN-ACKs without a RST (a host "
			  "firewall); a longer connect timeout would have waited for them.");
		return;
	}
	if (v->detail == DETAIL_ABANDONED)
		advise(w, "Nothing on the path: the client's application dropped the attempt (a "
			  "connection race it lost, a pool's spare connection, a cancelled "
			  "request); look there if it was not meant to. The server did nothing "
			  "wrong.");
	else if (on_link)
		advise(w, "Client side: nothing on the path; find why the client gave the attempt "
			  "up so soon (a connection race it lost, a short connect timeout) and note "
			  "that its host firewall drops what no socket waits for. The server did "
			  "nothing wrong.");
	else
		advise(w, "Client side: find what drops the server's packets on their way to the "
			  "client (a firewall on its host or its path) or why it abandoned the "
			  "attempt. The server did nothing wrong.");
}

static void ack_of_unsent_data(struct words *w)
{
	const struct verdict *v = w->v;
	const struct seg_note *t = &v->trigger;
	if (!t->frame) {
		/* classify.c: SYN-RECEIVED's reply, its segment not captured. */
		say(w, "The %s's RST carries no ACK and is numbered %u bytes beyond all the %s had "
		       "sent (seq %u, its next sequence number %u), after its SYN-ACK and nothing "
		       "more: in SYN-RECEIVED, that is the reply to a segment acknowledging data "
		       "never sent, numbered with that segment's ack (RFC 9293 3.10.7.4), and the "
		       "connection stays. The %s's segment is not in this capture.", w->an,
		    v->rst.seq - v->a.next_seq, w->an, v->rst.seq, v->a.next_seq, w->bn);
		advise(w, "Capture both directions to see the segment it answered. Something "
			  "rewrote sequence numbers or replayed segments (a broken middlebox, a TCP "
			  "proxy or a stack bug), unless a third party forged the RST.");
		return;
	}
	say(w, "The %s's segment (frame %llu) acknowledged %u bytes the %s had never sent "
	       "(ack %u, its next sequence number %u); the %s's stack rejected it with a RST.",
	    w->bn, (unsigned long long)t->frame, t->ack - v->a.next_seq, w->an, t->ack,
	    v->a.next_seq, w->an);
	advise(w, "Something rewrote sequence numbers or replayed segments (a broken middlebox, "
		  "a TCP proxy or a stack bug); capture on both sides of it.");
}

static void server_reset_before_data(struct words *w)
{
	const struct verdict *v = w->v;
	say(w, "The server reset the connection after its SYN-ACK without having sent anything "
	       "else: ");
	if (v->trigger.frame)
		say(w, "it answered the client's %s (frame %llu, %u bytes), the segment that "
		       "completed the handshake, from its listener. ", seg_kind(&v->trigger),
		    (unsigned long long)v->trigger.frame, v->trigger.len);
	say(w, "The connection never reached the application, as when the accept queue "
	       "overflows with tcp_abort_on_overflow set (with TCP_DEFER_ACCEPT, on the first "
	       "data) or the listener closes with connections still queued.");
	advise(w, "Server: raise the listen backlog (and net.core.somaxconn), accept faster, or "
		  "leave tcp_abort_on_overflow off so clients retry instead of failing.");
}

/*
 * The server closed an idle connection and the client wrote on it: what
 * fixes that depends on who keeps connections idle. An HTTP client's
 * keep-alive pool, a database or cache client's pool (evict or check
 * connections, with the server's own setting named), one session a user
 * keeps (FTP, SSH, mail), or an application nobody named.
 */
static void advise_reuse_after_idle_close(struct words *w, int64_t idle, bool ignored)
{
	const struct service *s = w->svc;
	const char *notice = ignored ? "check that the client notices the server's FIN before "
				       "reusing."
				     : "this request is safe to retry.";
	char setting[96] = "";
	if (s->idle_setting)
		text_format(setting, sizeof setting, " (%s's %s)", s->name, s->idle_setting);
	switch (s->kind) {
	case SERVICE_HTTP:
		/* HTTP/2 (gRPC's transport too) ends a connection with GOAWAY
		 * first (RFC 9113 6.8), which tells the client to stop using it. */
		if (tls_note_h2(&w->v->tls)) {
			advise(w, "Client: the connection spoke HTTP/2 (ALPN h2, as gRPC does): "
				  "close idle connections before the server's idle timeout (about %s "
				  "here) or keep them alive with PING frames, and retry requests the "
				  "server's GOAWAY says it did not process. Server: send GOAWAY before "
				  "closing an idle connection.", DUR(idle));
			return;
		}
		advise(w, "Client: close pooled keep-alive connections before the server's idle "
			  "timeout (about %s here), and retry idempotent requests that fail with a "
			  "reset on a reused connection; %s", DUR(idle), notice);
		return;
	case SERVICE_POOLED:
		advise(w, "Client: the connection pool handed out a connection %s had closed after "
			  "%s idle%s. Evict pooled connections before they are idle that long, or "
			  "check them (%s) before use; retry only operations that are safe to "
			  "repeat.", s->name, DUR(idle), setting, s->check ? s->check : "a cheap request");
		return;
	case SERVICE_SESSION:
		advise(w, "Client: %s ended the session after %s idle%s and the client wrote on it "
			  "afterwards. Detect the close (a read returning 0) and reconnect, or keep "
			  "the session active within that timeout.", s->name, DUR(idle), setting);
		return;
	case SERVICE_TUNNEL:
		advise(w, "The server is an HTTP proxy, and the connection its CONNECT tunnel: the "
			  "proxy closed the tunnel after %s idle (its %s), and the client wrote into "
			  "it afterwards. Client: open a new tunnel for a connection idle that long, "
			  "or keep it active within that timeout; proxy: raise the timeout if "
			  "tunnels stay idle longer by design.", DUR(idle), s->idle_setting);
		return;
	case SERVICE_UNKNOWN:
		break;
	}
	advise(w, "Client: the server closed the connection after %s idle and the client wrote "
		  "on it afterwards. Close idle connections before the server does, watch for its "
		  "FIN (a read returning 0) before reusing one, and retry only what is safe to "
		  "repeat.", DUR(idle));
}

/*
 * Where the TLS version the session agreed on has its closure alerts:
 * RFC 8446 6.1 (1.3), RFC 5246 7.2.1 (1.2), RFC 4346 7.2.1 (1.1), RFC 2246
 * 7.2.1 (1.0), RFC 6101 5.4.1.1 (SSL 3.0); the current two when the
 * ServerHello was not seen. A review read "RFC 8446" under TLS 1.0 and
 * 1.2 sessions (the corpus's waze.pcap, webex.pcap) as a wrong citation.
 */
static const char *tls_closure_rfc(const struct verdict *v)
{
	switch (tls_note_version(v->tls.version)) {
	case 0x0304:
		return "RFC 8446 6.1";
	case 0x0303:
		return "RFC 5246 7.2.1";
	case 0x0302:
		return "RFC 4346 7.2.1";
	case 0x0301:
		return "RFC 2246 7.2.1";
	case 0x0300:
		return "RFC 6101 5.4.1.1";
	default:
		return "RFC 8446 6.1, RFC 5246 7.2.1";
	}
}

/* The data after the FIN was the peer's TLS close_notify (classify.c's
 * closing_alert_only has the sources). */
/*
 * B's goodbye as the classifier found it (classify.c's closing_alert_only):
 * its alert in its last data, or on HTTP/2 a GOAWAY-sized record before
 * it, which the RST then answers.
 */
static void say_b_goodbye(struct words *w, const char *alert)
{
	const struct verdict *v = w->v;
	const struct seg_note *t = &v->trigger;
	if (t->frame && t->frame != v->b.data_frame && t->len)
		say(w, "a %u-byte record (frame %llu), the size of the GOAWAY that HTTP/2 sends "
		       "before it closes (RFC 9113 6.8), then %s in its last data (frame %llu)",
		    t->len, (unsigned long long)t->frame, alert, (unsigned long long)v->b.data_frame);
	else if (t->frame && t->frame != v->b.data_frame)
		say(w, "%s in its last data (frame %llu), then its FIN (frame %llu)", alert,
		    (unsigned long long)v->b.data_frame, (unsigned long long)t->frame);
	else
		say(w, "%s in its last data (frame %llu)", alert, (unsigned long long)v->b.data_frame);
}

/* What the RST answered of that goodbye: the alert, a record before it,
 * or the FIN after it (the corpus's wa_voice.pcap 193, whose client's two
 * RSTs answer the server's alert and its FIN; a review read "the first
 * of them" against "answers #187", the FIN). */
static const char *goodbye_answered(const struct verdict *v)
{
	const struct seg_note *t = &v->trigger;
	if (!t->frame || t->frame == v->b.data_frame)
		return "that alert";
	return (t->flags & TCP_FIN) && !t->len ? "that FIN" : "the first of them";
}

/*
 * TLS 1.3 sends every record after its handshake as application data
 * (RFC 8446 5.2): an alert shows only by its size, 19 bytes (a 2-byte
 * alert, its inner type and a 16-byte tag: tls.c, tls_facts_tail), which a
 * 2-byte message could share. So there the words say "most likely" of
 * what was lost too (a review of the corpus's opera-vpn.pcapng 2033).
 */
static bool alert_by_size(const struct verdict *v)
{
	return v->tls.alert == TLS_ALERT_ENCRYPTED && tls_note_version(v->tls.version) == 0x0304;
}

static const char *nothing_lost(const struct verdict *v)
{
	return alert_by_size(v) ? "Most likely no application data was lost"
				: "No application data was lost";
}

static void close_notify_after_fin(struct words *w)
{
	const struct verdict *v = w->v;
	const char *alert = alert_by_size(v) ?
		"a record of an encrypted alert's size (TLS 1.3 hides a record's type), most "
		"likely its close_notify," :
		v->tls.alert == TLS_ALERT_ENCRYPTED ?
		"an encrypted TLS alert, most likely its close_notify," :
		v->tls.alert == 90 + 1 ? "its TLS user_canceled alert" : "its TLS close_notify alert";
	if (v->tls.alert_both) {
		/* B's goodbye sent before A's FIN reached it (its ack short of
		 * that FIN) crossed A's and answered nothing (ndpi/wa_voice.pcap
		 * 186-190; a review). */
		const struct seg_note *t = &v->trigger;
		bool crossed = t->frame && (t->flags & TCP_ACK) && (v->a.flags & HALF_F_FIN) &&
			       seq_leq(t->ack, v->a.fin_seq);
		say(w, "The %s sent its own TLS alert and closed the connection (FIN, frame %llu); the "
		       "%s %s ", w->an, (unsigned long long)v->a.fin_frame, w->bn,
		    crossed ? "had sent its own goodbye before that reached it, crossing it:"
			    : "answered with");
		say_b_goodbye(w, alert);
		say(w, ", as TLS asks of each side before it closes (%s). The %s's socket "
		       "was already closed and answered %s with a RST: the %s closed without waiting "
		       "for the %s's own alert, which TLS allows. %s.",
		    tls_closure_rfc(v), w->an, goodbye_answered(v), w->an, w->bn, nothing_lost(v));
		advise(w, "Nothing to fix. If the RSTs are unwanted (firewall logs, alarms), the %s "
			  "can read until the %s's close_notify before closing its socket.", w->an,
		       w->bn);
		return;
	}
	/* A capture that joined the connection after A's last data cannot
	 * show whether A sent an alert of its own (the corpus's
	 * anyconnect-vpn.pcap 379 and starcraft_battle.pcap 256 begin at
	 * the FIN). */
	if (v->midstream && !v->a.data_frame) {
		say(w, "The %s closed the connection (FIN, frame %llu); the capture holds nothing of "
		       "its data before that, so whether it sent a TLS alert of its own is not known. "
		       "The %s answered the end of the stream with ", w->an,
		    (unsigned long long)v->a.fin_frame, w->bn);
		say_b_goodbye(w, alert);
		say(w, ", as TLS asks of each side before it closes (%s), and the %s's "
		       "socket, already closed, answered %s with a RST. %s: all the %s missed was "
		       "the goodbye.", tls_closure_rfc(v), w->an, goodbye_answered(v), nothing_lost(v),
		    w->an);
		advise(w, "Nothing to fix. If the RSTs are unwanted, the %s can read the %s's "
			  "close_notify before closing its socket.", w->an, w->bn);
		return;
	}
	say(w, "The %s closed the connection (FIN, frame %llu) with no TLS alert of its own seen "
	       "before it; the %s answered that end of the stream with ", w->an,
	    (unsigned long long)v->a.fin_frame, w->bn);
	say_b_goodbye(w, alert);
	say(w, ", as TLS asks of each side before it closes (%s). The %s's socket was "
	       "already closed and answered %s with a RST. %s: the %s had stopped reading, and all "
	       "it missed was the goodbye.", tls_closure_rfc(v), w->an, goodbye_answered(v),
	    nothing_lost(v), w->an);
	advise(w, "Nothing to fix. Closing without a close_notify is a TLS truncation (%s "
		  "asks for one), harmless when the application protocol marks its own ends (HTTP's "
		  "lengths); if the RSTs are unwanted, the %s can send its close_notify and read "
		  "the %s's before closing its socket.", tls_closure_rfc(v), w->an, w->bn);
}

/* A session's last command (first_bytes_quit), named by what the
 * connection's first bytes or its port say it spoke; NULL when nothing
 * named it. (XMPP's closing tag is peer_quit_after_fin's: the answer to a
 * close, not a command.) */
static const char *last_command(const struct words *w)
{
	const char *name = w->svc ? w->svc->name : NULL;
	if (name && strcmp(name, "HART-IP") == 0)
		return "HART-IP Session Close request";
	switch (w->v->app) {
	case FIRST_BYTES_SMTP:
	case FIRST_BYTES_POP3:
	case FIRST_BYTES_FTP:
		return "QUIT";
	case FIRST_BYTES_IMAP:
		return "LOGOUT";
	}
	return NULL;
}

/* The data after the FIN was the peer's reply to the closer's QUIT
 * (classify.c's quit_reply_only has the sources). */
static void quit_reply_after_fin(struct words *w)
{
	const struct verdict *v = w->v;
	const struct seg_note *t = &v->trigger;
	say(w, "The %s sent its session's last command (%s, frame %llu) and closed the connection "
	       "at once (FIN, frame %llu) without waiting for the reply; the %s answered the "
	       "command as the protocol asks (%u bytes, frame %llu), and the %s's socket, already "
	       "closed, answered that reply with a RST. Nothing was lost: the reply was the %s's "
	       "goodbye.", w->an, last_command(w) ? last_command(w) : "QUIT or LOGOUT",
	    (unsigned long long)v->a.data_frame,
	    (unsigned long long)v->a.fin_frame, w->bn, t->len, (unsigned long long)t->frame,
	    w->an, w->bn);
	/* SMTP's words for SMTP only (a review read them under NNTP: the
	 * corpus's ndpi/nntp.pcap 32). */
	const char *name = w->svc->name;
	if (name && strncmp(name, "SMTP", 4) == 0)
		advise(w, "Nothing to fix. SMTP asks a client to wait for the reply to QUIT (RFC 5321 "
			  "4.1.1.10) and some do not (Postfix's default, smtp_skip_quit_response = "
			  "yes), which leaves a RST after every session. If the RSTs are unwanted, the "
			  "%s can read the reply before closing its socket.", w->an);
	else
		advise(w, "Nothing to fix. %s answers a client's last command before it closes, and a "
			  "client that closes without waiting for that reply leaves a RST after every "
			  "session. If the RSTs are unwanted, the %s can read the reply before closing "
			  "its socket.", name ? name : "The protocol", w->an);
}

/*
 * "The <A> closed the connection (FIN, frame N) <when>; ": after its idle
 * time when that was long enough to be a timeout's; else a FIN within a
 * moment of the packet before it came after no idle time a timeout could
 * be read from ("after 0.003 ms idle": the corpus's ndpi/ethereum.pcap
 * 602, no_sni.pcap 355), and the gap is said as what it is; a FIN with
 * A's data in it as such, and one with no data of A's before it as that.
 */
static void say_closed(struct words *w)
{
	const struct verdict *v = w->v;
	int64_t idle = v->close_idle_ns > 0 ? v->close_idle_ns : 0;
	unsigned long long fin = (unsigned long long)v->a.fin_frame;
	/* No silence known before it: the capture began at the close. */
	if (v->close_idle_ns < 0)
		say(w, "The %s closed the connection (FIN, frame %llu); ", w->an, fin);
	else if (!v->a.bytes && !v->midstream)
		say(w, "The %s closed the connection (FIN, frame %llu) without having sent any "
		       "data, %s after the packet before it; ", w->an, fin, DUR(idle));
	else if (long_idle(v->close_idle_ns))
		say(w, "The %s closed the connection (FIN, frame %llu) after %s idle; ", w->an, fin,
		    DUR(idle));
	else if (v->a.data_frame && v->a.data_frame == v->a.fin_frame)
		say(w, "The %s closed the connection with its last data (FIN, frame %llu); ", w->an,
		    fin);
	/* Its own closing alert began the close, and the idle time ends
	 * before it (tcp_track.c; a review of the corpus's ndpi/zoom.pcap
	 * 256). */
	else if (v->a.data_frame && v->tls.alert_last && v->tls.alert_from == v->sender + 1)
		say(w, "The %s closed the connection (its TLS alert, frame %llu, then its FIN, frame "
		       "%llu) %s after the packet before them; ", w->an,
		    (unsigned long long)v->a.data_frame, fin, DUR(idle));
	else
		say(w, "The %s closed the connection (FIN, frame %llu) %s after the packet before "
		       "it; ", w->an, fin, DUR(idle));
}

/* The data after the FIN was the peer's own last command (classify.c's
 * peer_quit_only has the sources). */
static void peer_quit_after_fin(struct words *w)
{
	const struct verdict *v = w->v;
	const struct seg_note *t = &v->trigger;
	say_closed(w);
	/* Which goodbye, by what the connection's first bytes named (a
	 * review of the corpus's jabber.pcap 245 read the list of all three
	 * as a hedge where the protocol was plain). */
	const char *goodbye = "its QUIT or LOGOUT, or XMPP's closing tag, which the side that "
			      "sees the other close sends";
	/* Its first bytes named it, or its port: a 16-byte goodbye on
	 * XMPP's port is its closing tag, not a QUIT or LOGOUT line. */
	bool xmpp_port = w->svc && w->svc->name && strcmp(w->svc->name, "XMPP") == 0;
	char named[48];
	if (v->app == FIRST_BYTES_XMPP || (!v->app && xmpp_port))
		goodbye = "its closing stream tag, which RFC 6120 4.4 asks of the side that sees "
			  "the other close its stream";
	else if (last_command(w)) {
		text_format(named, sizeof named, "its %s", last_command(w));
		goodbye = named;
	}
	say(w, "the %s answered by ending its session (%u bytes, frame %llu: %s), and the %s's "
	       "socket, already closed, answered that with a RST. Nothing was lost: the %s's "
	       "last data was its goodbye.", w->bn, t->len, (unsigned long long)t->frame, goodbye,
	    w->an, w->bn);
	advise(w, "Nothing to fix for this RST. If the %s's close was unexpected, find why it "
		  "ended the session (an idle timeout, an error, a policy): a message it sent "
		  "before closing, or its log, says.", w->an);
}

/*
 * The client closed right after its own data, before anything of the
 * server's came (a_closed_awaiting), and the server's data that met the
 * closed socket acknowledges that data: it most likely answers it, a
 * request the server had read before the FIN reached it (the corpus's
 * ndpi/sites.pcapng 549: a TLS request, then the client's close_notify
 * and FIN 2.2 ms later, then the response). Whether the server's stack
 * had the FIN when its application wrote is then beside the point: the
 * client gave up the answer. Only for a client: a server's last data is
 * most often an answer itself, which needs none.
 */
static bool closed_before_answer(const struct verdict *v)
{
	const struct seg_note *t = &v->trigger;
	/* Not through a relay: its acknowledgment is the box's, not the
	 * writer's (classify_revise_relayed_fin_ack). */
	return v->a_closed_awaiting && v->sender == ROLE_CLIENT && t->frame && t->len > 0 &&
	       (t->flags & TCP_ACK) && seq_geq(t->ack, v->a.fin_seq) && !v->peer_relay;
}

/*
 * How long the client waited between its data and its close decides the
 * advice. No answer can come back sooner than one round trip after the
 * data left (the handshake's round trip, rtt_ns, measures that path), so
 * a close sooner than that did not wait for any: the client
 * was done with the connection (a cancelled request, a page left, a TLS
 * probe that closes after its Finished: the corpus's ndpi/malware.pcap 24,
 * alert and FIN 0.54 ms after the Finished over a 192 ms round trip; a
 * PPTP Call-Clear-Request and FIN 0.23 ms apart, ndpi/pptp.pcap 24), and
 * no timeout is to be raised. The wait is the closer's idle time before
 * its FIN (close_idle_ns, from its own last segment). A data segment
 * after the FIN sent the data again (ndpi/pptp.pcap 19, with the FIN;
 * ndpi/alexa-app.pcapng 2733, without).
 */
/* The advice to a client that closed without waiting for the answer. */
static void advise_no_wait(struct words *w)
{
	advise(w, "Client: if the answer mattered, read it before closing (or shutdown(SHUT_WR) "
		  "and read until the server's FIN); if the client was done with the connection "
		  "(a cancelled request, a goodbye, a probe), the RST is harmless and nothing is "
		  "to be fixed.");
}

/* data_before_answer's goodbye: a_farewell_closed, after a silence long
 * enough to be one (tcp_track.c's farewell). */
static bool farewell_close(const struct verdict *v)
{
	return v->a_farewell_closed && v->close_idle_ns >= TIMEOUT_SILENCE_MIN_NS;
}

static void data_before_answer(struct words *w)
{
	const struct verdict *v = w->v;
	const struct seg_note *t = &v->trigger;
	unsigned long long data = (unsigned long long)v->a.data_frame;
	unsigned long long fin = (unsigned long long)v->a.fin_frame;
	if (v->a.data_frame > v->a.fin_frame)
		say(w, "The %s sent data and then closed the connection (FIN, frame %llu; its data "
		       "sent again in frame %llu) before any data of the %s's came back. ",
		    w->an, fin, data, w->bn);
	else if (v->a_wait_unmeasured)
		say(w, "The %s sent data (its last at frame %llu) and then closed the connection "
		       "(FIN, frame %llu) before the %s answered it: the %s's data in between did "
		       "not acknowledge all of it, so it left before that data arrived. ",
		    w->an, data, fin, w->bn, w->bn);
	else
		say(w, "The %s sent data (its last at frame %llu) and then closed the connection "
		       "(FIN, frame %llu) before any data of the %s's came back. ",
		    w->an, data, fin, w->bn);
	/*
	 * Data after the connection's longest silence, then the FIN within
	 * 100 ms (a_farewell_closed): the client ended an idle connection,
	 * and that data was its goodbye, said as it closed (a WebSocket close
	 * frame, RFC 6455 5.5.1; a logout), not a request it waited on. The
	 * corpus's ndpi/alexa-app.pcapng 2784: 37 bytes after 80 s idle, the
	 * FIN 0.84 ms later, the server's 33-byte reply and close_notify
	 * after it; a review. The server's reply to a goodbye is its own.
	 */
	if (farewell_close(v)) {
		say(w, "The %s's next data (%u bytes, frame %llu) acknowledges the %s's data: its "
		       "reply to it, which met the %s's closed socket, and the socket answered with a "
		       "RST. The %s's data came after %s of silence, the connection's longest, and "
		       "its FIN within 100 ms of it: it was ending an idle connection, and that data "
		       "was its goodbye (a close message, as a WebSocket close frame or a logout), "
		       "not a request it waited on.",
		    w->bn, t->len, (unsigned long long)t->frame, w->an, w->an, w->an,
		    DUR(v->close_idle_ns));
		advise(w, "Nothing to fix if that was the %s's goodbye and the %s's reply to it "
			  "did not matter: the %s closed an idle connection. If the reply mattered, "
			  "the %s can half-close (shutdown(SHUT_WR)) and read until the %s's FIN.",
		       w->an, w->bn, w->an, w->an, w->bn);
		return;
	}
	say(w, "The %s's next data (%u bytes, frame %llu) acknowledges the %s's data, so it most "
	       "likely answers it; it met the %s's closed socket, which answered with a RST. The "
	       "%s was answering, not writing after a close: the %s gave up the answer.",
	    w->bn, t->len, (unsigned long long)t->frame, w->an, w->an, w->bn, w->an);
	/* The detail is the acknowledgment's (TAXONOMY: the FIN acknowledged
	 * is ignored-fin), which an answer that left after the FIN reached
	 * B's stack carries too; say what it means here, so that the field
	 * and the words do not read as two verdicts (the corpus's
	 * hart_ip.pcap 65, ethereum.pcap 1262, alexa-app.pcapng 2753; three
	 * reviews). */
	/* An ack of the data in the FIN's own segment, not of the FIN, is
	 * ignored-fin too (classify.c's b_ack_shows_fin: a receiver takes an
	 * in-order FIN with its data), and said as such (a review of the
	 * corpus's tunnelbear.pcap 109, whose relay acked the FIN's own
	 * number). */
	bool fin_acked = (t->flags & TCP_ACK) && seq_geq(t->ack, v->a.fin_seq + 1);
	if (v->detail == DETAIL_IGNORED_FIN && fin_acked)
		say(w, " Its answer also acknowledges the FIN (hence the detail ignored-fin): the "
		       "FIN had reached the %s's stack when the answer left, but the %s's "
		       "application was answering the %s's data, not ignoring the close.",
		    w->bn, w->bn, w->an);
	else if (v->detail == DETAIL_IGNORED_FIN)
		say(w, " Its answer acknowledges the data that came in the FIN's own segment, and a "
		       "receiver takes an in-order FIN with its data (RFC 9293 3.10.7.4), so the FIN "
		       "had reached the %s's stack when the answer left (hence the detail "
		       "ignored-fin), but the %s's application was answering the %s's data, not "
		       "ignoring the close.", w->bn, w->bn, w->an);
	/* The idle time before the FIN is at least the wait since the data
	 * (a farewell's silence before it makes it longer, above), so only a
	 * short one is read as the wait. The round trip is the handshake's,
	 * else the server's fastest answer seen. Not when data of the
	 * server's that acknowledged only part of the client's came between
	 * (a TLS NewSessionTicket or Finished, an HTTP/2 SETTINGS, sent
	 * before the request arrived): the client's ACKs of it end its idle
	 * time, and its wait since its data is not known (the corpus's
	 * alexa-app.pcapng 352: 98 ms after its request, 17.3 ms after its
	 * last ACK, over an 83 ms round trip). */
	int64_t wait = v->a_wait_unmeasured ? -1 : v->close_idle_ns;
	int64_t rt = v->rtt_ns > 0 ? v->rtt_ns : (int64_t)v->peer_leg_us * 1000;
	/* Its FIN in its last data's own segment: it closed as it wrote,
	 * not some time after (the silence before that segment is another
	 * wait: a review of the corpus's tunnelbear.pcap 109). */
	bool with_data = v->a.data_frame == v->a.fin_frame;
	if (with_data && rt > 0) {
		say(w, " Its FIN came in the same segment as its last data: it closed as it wrote, "
		       "never waiting for an answer.");
		advise_no_wait(w);
		return;
	}
	if (wait >= 0 && rt > 0 && wait < rt) {
		if (v->rtt_ns > 0)
			say(w, " It closed %s after its data, less than one round trip (%s): it never "
			       "waited for an answer.", DUR(wait), DUR(rt));
		else
			say(w, " It closed %s after its data, sooner than the %s ever answered on "
			       "this connection (%s at the fastest): it never waited for an answer.",
			    DUR(wait), w->bn, DUR(rt));
		advise_no_wait(w);
		return;
	}
	/* No round trip known (no handshake, no answer timed): a close
	 * under a millisecond after the data is sooner than an answer comes
	 * back over anything but a LAN (a review of the corpus's
	 * ndpi/starcraft_battle.pcap 289: 0.049 ms, over a 58 ms path). */
	if (rt <= 0 && wait >= 0 && wait < FAST_CLOSE_NS) {
		say(w, " It closed %s after its data, sooner than an answer comes back over "
		       "anything but a LAN: most likely it never waited for one.", DUR(wait));
		advise_no_wait(w);
		return;
	}
	/*
	 * Its data was its TLS handshake, no request yet (a ClientHello
	 * leaves the request note empty, track_tls): it gave up a connection
	 * before using it. Clients open connections they may not need, and
	 * drop the losers: Happy Eyeballs (RFC 8305 5: the other attempts
	 * are cancelled once one connects), a pool's spare, a request
	 * cancelled; a handshake timeout that short is the rarer reading (the
	 * corpus's ndpi/android.pcap 301: 20 ms after its ClientHello, over a
	 * 14 ms round trip, with another connection to the same server busy;
	 * a review).
	 */
	if (v->sender == ROLE_CLIENT && v->tls.stage != TLS_STAGE_NONE &&
	    v->tls.stage != TLS_STAGE_ESTABLISHED && !v->request.frame && wait >= 0) {
		say(w, " Its data was its TLS handshake%s%s%s, no request yet: it gave the connection "
		       "up %s later, before using it, as a client does with a connection it no "
		       "longer needs (one that lost a race to another, as Happy Eyeballs, RFC 8305, "
		       "and connection pools open spares; a cancelled request), or on a handshake "
		       "timeout that short.", v->request.target[0] ? " (a ClientHello for " : "",
		    v->request.target, v->request.target[0] ? ")" : "", DUR(wait));
		advise(w, "Client: nothing but the handshake was sent, so nothing is to be resent; if "
			  "the connection was given up on purpose, the RST is harmless. If a TLS "
			  "handshake timeout closed it, that timeout (%s here) is shorter than the "
			  "server takes to answer.", DUR(wait));
		return;
	}
	advise(w, "Client: read the answer before closing (or shutdown(SHUT_WR) and read until "
		  "the server's FIN); if it closed on a timeout, that timeout is shorter than the "
		  "server takes to answer.");
}

/*
 * B's data that acknowledged A's FIN, seen within 1 ms more than the
 * fastest B answered anything on this connection (peer_leg_us: the round
 * trip from the capture point to B): it left as the FIN arrived, in the
 * burst that acknowledged it. An application reads the close (a read that
 * returns 0) before it can ignore it; data it had written before, held
 * back while its earlier data was unacknowledged (Nagle, RFC 9293 3.7.4,
 * Linux's tcp_nagle_check), goes out the moment an acknowledgement comes,
 * the FIN's included, carrying the new ack (the corpus's ndpi/ethereum.pcap:
 * small devp2p writes 0.2-0.9 ms after the server's FIN, at the client).
 */
#define FLUSHED_WITH_FIN_MAX_NS 1000000
static bool flushed_with_fin_ack(const struct verdict *v)
{
	int64_t gap = v->trigger.ts_ns - v->a.fin_ts;
	return v->peer_leg_us && v->trigger.len &&
	       gap - (int64_t)v->peer_leg_us * 1000 < FLUSHED_WITH_FIN_MAX_NS;
}

static void data_after_own_fin(struct words *w)
{
	const struct verdict *v = w->v;
	const struct seg_note *t = &v->trigger;
	if (v->detail == DETAIL_CLOSE_NOTIFY) {
		close_notify_after_fin(w);
		return;
	}
	if (v->detail == DETAIL_QUIT_REPLY) {
		quit_reply_after_fin(w);
		return;
	}
	if (v->detail == DETAIL_PEER_QUIT) {
		peer_quit_after_fin(w);
		return;
	}
	if (closed_before_answer(v)) {
		data_before_answer(w);
		return;
	}
	bool ignored = v->detail == DETAIL_IGNORED_FIN;
	int64_t idle = v->close_idle_ns > 0 ? v->close_idle_ns : 0;
	int64_t gap = t->ts_ns - v->a.fin_ts;
	/*
	 * The peer's FIN came first at this capture point, yet its data did
	 * not acknowledge A's FIN: the two FINs crossed (the corpus's
	 * ndpi/ethereum.pcap 570, at the client: its data and FIN, then the
	 * server's FIN sent about an RTT before). The silence before the
	 * connection's first FIN is then the peer's, not A's idle time. So
	 * too when the peer's FIN came after A's here but the peer never
	 * acknowledged A's FIN: it left before A's arrived (the order at a
	 * capture point is the path's; a review read ethereum.pcap 602 and
	 * 1861 against their mirror records 659 and 1931, which said so).
	 */
	bool b_fin_first = (v->b.flags & HALF_F_FIN) && v->b.fin_frame < v->a.fin_frame;
	bool crossed = !ignored && (v->b.flags & HALF_F_FIN) &&
		       (b_fin_first || !(v->b.flags & HALF_F_ACK) || !seq_gt(v->b.ack, v->a.fin_seq));
	if (crossed && b_fin_first)
		say(w, "The %s closed the connection (FIN, frame %llu) while the %s's data and its "
		       "own FIN (frame %llu, first at this capture point) were on their way; ",
		    w->an, (unsigned long long)v->a.fin_frame, w->bn,
		    (unsigned long long)v->b.fin_frame);
	else if (crossed)
		say(w, "The %s closed the connection (FIN, frame %llu) while the %s's data and its "
		       "own FIN (frame %llu, which did not acknowledge the %s's) were on their way; ",
		    w->an, (unsigned long long)v->a.fin_frame, w->bn,
		    (unsigned long long)v->b.fin_frame, w->an);
	else
		say_closed(w);
	if (!t->frame && !(v->b.flags & HALF_F_SEEN))
		/* classify.c's one_way_data_after_fin: only A's side captured. */
		say(w, "nothing of the %s's was captured, but the RST, %s after the FIN, is a bare "
		       "one at seq %u, the FIN's own number%s: a reply, whose seq is the "
		       "acknowledgment of the segment it answers (RFC 9293 3.10.7.1), so the %s's "
		       "segment acknowledged the %s's data %s. A socket closed after its FIN answers "
		       "a bare ACK or a FIN with an ACK; only data makes it reset (RFC 9293 "
		       "3.10.7.4), so the %s sent data %s, and the %s's closed socket answered it.",
		    w->bn, DUR(v->rst.ts_ns - v->a.fin_ts), v->rst.seq, ignored ? " plus one" : "",
		    w->bn, w->an, ignored ? "and the FIN" : "up to the FIN but not the FIN", w->bn,
		    ignored ? "after it had the FIN" : "that crossed the FIN", w->an);
	else if (!t->frame)
		say(w, "the %s's data (its last at frame %llu) went past what the %s ever "
		       "acknowledged (ack %u), and the %s's closed socket answered it with a RST "
		       "(seq %u: the data %s the FIN). The %s went on sending before the RST came "
		       "back, so the RST does not answer its last segment.",
		    w->bn, (unsigned long long)v->b.data_frame, w->an, v->a.ack, w->an, v->rst.seq,
		    ignored ? "had acknowledged" : "crossed", w->bn);
	else if (ignored && !t->len) {
		/*
		 * A FIN is no write: what the closed socket refused is B's
		 * earlier data, which it never took, and B's FIN lies past it.
		 * A closed socket answers a segment beyond what it took with a
		 * RST (RFC 9293 3.10.7.4; Linux's tcp_rcv_state_process,
		 * TCP_ABORT_ON_DATA: end_seq beyond rcv_nxt) (the corpus's
		 * ndpi/soap.pcap 14-15: a request's body still arriving when
		 * the server answered it early and closed).
		 */
		uint32_t b_end = (v->b.flags & HALF_F_FIN) ? v->b.fin_seq : v->b.next_seq;
		say(w, "the %s acknowledged that FIN and sent its own (frame %llu), which came past "
		       "%u bytes of its data the %s never took (its last data at frame %llu); a "
		       "closed socket answers a segment beyond what it took with a RST, and the "
		       "%s's did: it had closed without taking all the %s had sent.",
		    w->bn, (unsigned long long)t->frame, b_end - v->a.ack, w->an,
		    (unsigned long long)v->b.data_frame, w->an, w->bn);
		advise(w, "%s: before closing, read what the %s is still sending (half-close with "
			  "shutdown(SHUT_WR) and drain until its FIN, the lingering close of RFC "
			  "9112 9.6), so that the close does not reset it.", side_word(v), w->bn);
		return;
	} else if (ignored && v->trigger_resent) {
		/*
		 * A segment sent again carries its sender's acknowledgment of
		 * the moment it leaves (RFC 9293 3.4: a segment's ACK field is
		 * the next sequence number its sender expects), not of the
		 * moment its data was written: data written before the FIN and
		 * lost on the way comes back acknowledging it (the sixth
		 * hold-out set's ipv6-pmtu-blackhole-ptb-dropped-client-timeout:
		 * a response lost on a path MTU black hole, its first bytes
		 * resent 4.6 s after the client gave up and closed).
		 */
		say(w, "the %s acknowledged that FIN and %s later at this capture point (frame %llu) "
		       "sent %u bytes again: data it had sent before, as its sequence numbers had "
		       "passed them, lost or unacknowledged on the way. A segment sent again carries "
		       "its sender's latest acknowledgment, so it shows that the %s's stack had the "
		       "FIN when it resent the data, not that its application wrote after it. The "
		       "%s's closed socket answered with a RST.",
		    w->bn, DUR(gap), (unsigned long long)t->frame, t->len, w->bn, w->an);
		advise(w, "Network: the %s's data was being sent again (%u retransmission%s in this "
			  "capture): find where it is lost on the path (a path MTU black hole drops "
			  "full-sized segments while small ones pass; a firewall or a full queue drops "
			  "others). The %s may have closed because that data never came.",
		       w->bn, v->b.retrans, plural(v->b.retrans), w->an);
		return;
	} else if (ignored && flushed_with_fin_ack(v)) {
		say(w, "the %s acknowledged that FIN and sent %u bytes %s later (frame %llu), and "
		       "the %s's closed socket answered with a RST. The %s's stack had the FIN when "
		       "the data left (hence the detail ignored-fin), but the data left within 1 ms "
		       "of the fastest the %s answers "
		       "anything here: with the FIN's acknowledgement, sooner than its application "
		       "could have read the close. ",
		    w->bn, t->len, DUR(gap), (unsigned long long)t->frame, w->an, w->bn, w->bn);
		/* Nagle holds data back only while earlier data is unacknowledged:
		 * the corpus's ndpi/ethereum.pcap 609, all the client's data
		 * acknowledged before the server's FIN. */
		/* Only the sender's own data, last before its FIN, can have
		 * been answered: after the peer's own, the peer just went on
		 * (the corpus's ndpi/dlms.pcap 11: a client's scripted burst
		 * after its association request, which the server closed on
		 * unanswered; a review). */
		bool acked_all = (v->a.flags & HALF_F_ACK) && seq_geq(v->a.ack, t->seq);
		if (acked_all && !v->a_closed_awaiting)
			say(w, "It answered nothing of the %s's: the %s's own data came last before "
			       "that FIN, which acknowledged it and answered nothing, and the %s went "
			       "on sending without waiting for an answer (pipelined or scripted "
			       "messages).", w->an, w->bn, w->bn);
		else if (acked_all)
			say(w, "Its application was answering data that came just before the FIN "
			       "(the %s had acknowledged all its earlier data, so nothing held this "
			       "back).", w->an);
		else
			say(w, "Either its application was answering data that came just before the "
			       "FIN, or the data had been written earlier and held back while the %s's "
			       "data was unacknowledged (Nagle's algorithm, RFC 9293 3.7.4), to leave "
			       "with the acknowledgement the FIN brings.", w->bn);
	} else if (ignored) {
		say(w, "the %s acknowledged that FIN and still sent %u bytes %s later at this "
		       "capture point (frame %llu), ", w->bn, t->len, DUR(gap),
		    (unsigned long long)t->frame);
		/* Near the closer the gap holds the whole round trip (the FIN's
		 * way out and the data's way back); near the peer, none of it
		 * (a review of the words over a 200 ms path, at the server). */
		if (v->rtt_ns > 0 && gap > 0 && v->rtt_ns >= gap / 10)
			say(w, "of which up to a round trip (%s here) is the path's, as near the %s, ",
			    DUR(v->rtt_ns), w->an);
		say(w, "and the %s's closed socket answered with a RST. The %s's stack knew the "
		       "connection was closing; its application wrote anyway.", w->an, w->bn);
	} else if (t->len && (t->flags & TCP_ACK) && v->peer_relay &&
		   seq_geq(t->ack, v->a.fin_seq + 1)) {
		/* classify.c's classify_revise_relayed_fin_ack. */
		say(w, "the %s's %u bytes (frame %llu, %s after the FIN at this capture point) "
		       "acknowledged it, but from a box that terminates TCP for the %s (see the "
		       "origin): the acknowledgment is the box's, and whether the %s itself had the "
		       "FIN when it wrote does not show here. The %s's closed socket answered with a "
		       "RST.", w->bn, t->len, (unsigned long long)t->frame, DUR(gap), w->bn, w->bn,
		    w->an);
	} else if (!t->len) {
		/* A FIN with no data (the corpus's ndpi/wa_voice.pcap 193): the
		 * two FINs crossed, and nothing was lost but the close. */
		say(w, "the %s's %s (frame %llu, %s %s the FIN at this capture point) did not "
		       "acknowledge it: the two crossed in flight, and the %s's closed socket "
		       "answered with a RST.",
		    w->bn, seg_kind(t), (unsigned long long)t->frame, DUR(gap),
		    gap >= 0 ? "after" : "before", w->an);
	} else if (v->runner_up == CAUSE_PEER_LOST_STATE) {
		/* classify.c's fin_lost_before_data. */
		say(w, "the %s's %u bytes (frame %llu, %s after the FIN at this capture point, "
		       "more than a FIN takes to arrive) did not acknowledge it: the FIN had not "
		       "reached the %s, most likely lost on its way, and the %s answered the data "
		       "with a RST. The data cannot have reached the %s's application.",
		    w->bn, t->len, (unsigned long long)t->frame, DUR(gap), w->bn, w->an, w->an);
	} else {
		say(w, "the %s's %u bytes (frame %llu, %s %s the FIN at this capture point) did not "
		       "acknowledge it: the data and the FIN crossed in flight, and the %s's closed "
		       "socket answered with a RST. The data cannot have reached the %s's "
		       "application.",
		    w->bn, t->len, (unsigned long long)t->frame, DUR(gap),
		    gap >= 0 ? "after" : "before", w->an, w->an);
	}
	/* On h2, a GOAWAY-sized record crossing a close that began with the
	 * closer's own alert is most likely the peer's GOAWAY, its goodbye
	 * (tls.h); its alert, if any, came after the RST, so the detail stays
	 * a race (the corpus's ndpi/443-firefox.pcap 660-662). */
	bool h2_goodbye = !ignored && t->len && t->len <= TLS_H2_GOAWAY_RECORD_MAX &&
			  tls_note_h2(&v->tls) && v->tls.alert &&
			  (v->tls.alert_from == v->sender + 1 || v->tls.alert_both);
	if (h2_goodbye) {
		say(w, " On this HTTP/2 connection %u bytes are the size of a GOAWAY record (RFC "
		       "9113 6.8): most likely the %s's own goodbye, answering the %s's, and then "
		       "nothing of value was lost.", t->len, w->bn, w->an);
		/* The two goodbyes crossed: no one is to stop writing. */
		advise(w, "Nothing to fix if that record was the %s's GOAWAY: both sides said "
			  "goodbye and the %s's closed socket answered the second. If it was "
			  "more, the %s can half-close (shutdown(SHUT_WR)) and read until the "
			  "%s's FIN before closing.", w->bn, w->an, w->an, w->bn);
		return;
	}
	say_keepalive_headers(w);
	/*
	 * Both sides closing at once: the peer's FIN, which crossed A's,
	 * came straight after its last data (nothing captured between, or
	 * on the same segment). Its data was most likely its own last
	 * message before closing, a protocol's goodbye, as both peers of
	 * the corpus's ndpi/ethereum.pcap (659 and 7 more) sent a 64-byte
	 * one and closed; unless it was a request sent with a half-close
	 * (shutdown(SHUT_WR) after writing), which HTTP's words name.
	 */
	bool both_closing = crossed && v->b.data_frame &&
			    (v->b.fin_frame == v->b.data_frame ||
			     v->b.fin_frame == v->b.data_frame + 1) &&
			    !(v->request.frame && !v->request_from_sender &&
			      v->request.method != HTTP_METHOD_TLS_RECORD);
	if (both_closing)
		say(w, " The %s's FIN followed its last data directly (frame %llu, then %llu): both "
		       "sides were closing at once, and that data was most likely the %s's last "
		       "message before closing.", w->bn, (unsigned long long)v->b.data_frame,
		    (unsigned long long)v->b.fin_frame, w->bn);
	if (crossed || ((!ignored || flushed_with_fin_ack(v)) && !long_idle(v->close_idle_ns))) {
		/*
		 * The data was sent before the FIN could arrive: the writer had
		 * nothing to notice. What loses it is the closer's full close:
		 * a socket closed with data arriving answers it with a RST (RFC
		 * 2525 2.17; Linux's tcp_rcv_state_process, TCP_ABORT_ON_DATA, for
		 * an orphaned FIN_WAIT socket), where a half-close
		 * (shutdown(SHUT_WR), RFC 9293 3.6) keeps reading until the
		 * peer's FIN.
		 */
		advise(w, "%s: half-close (shutdown(SHUT_WR)) and read until the %s's FIN before "
			  "closing, so data already in flight is read rather than answered by a RST; "
			  "or have the protocol say who closes first.", side_word(v), w->bn);
		/* Only a client resends; a server's unread data is its answer. */
		if (v->sender == ROLE_SERVER && both_closing)
			advise(w, " Client: nothing to resend if that data was its goodbye; if it was "
				  "a request it wanted answered, resend it on a new connection only if "
				  "that is safe.");
		else if (v->sender == ROLE_SERVER && (t->len || (!t->frame && v->b.data_frame)))
			advise(w, " Client: the data it sent after the server's last message was not "
				  "read; resend it on a new connection only if that is safe.");
		return;
	}
	if (!long_idle(v->close_idle_ns)) {
		/* Not an idle timeout: the closer ended the exchange (a protocol's
		 * last message, Connection: close) and the peer's application
		 * wrote after its stack had the FIN. */
		advise(w, "%s: the %s closed right after the last exchange; stop writing once its "
			  "FIN arrives (or agree on who closes first in the protocol).",
		       v->sender == ROLE_SERVER ? "Client" : "Server", w->an);
		return;
	}
	if (v->sender == ROLE_SERVER) {
		/* Servers' idle timeouts name a server's close, not a client's. */
		say_idle_defaults(w, IDLE_SERVER, v->close_idle_ns);
		advise_reuse_after_idle_close(w, idle, ignored);
	} else {
		advise(w, "Server: the client had closed; stop writing once the client's FIN "
			  "arrives, or answer within the client's timeout.");
	}
}

/* The shortest FIN-WAIT-2 an orphaned socket keeps: Linux's tcp_fin_timeout
 * set to its least sensible value (the lab's fin-wait2-expired sets 1). */
#define FIN_WAIT2_SHORTEST_NS 1000000000LL
/* ... and the default: Linux's TCP_FIN_TIMEOUT, FreeBSD's
 * tcp_finwait2_timeout (60 s each), less a margin for the timer's slack. */
#define FIN_WAIT2_DEFAULT_NS 55000000000LL
/* ... and however it is set: Linux's tcp_fin_time keeps it at least 3.5
 * retransmission timeouts, 0.7 s with the least RTO (TCP_RTO_MIN, 200 ms). */
#define FIN_WAIT2_TIMER_MIN_NS 700000000LL

static void after_both_closed(struct words *w)
{
	const struct verdict *v = w->v;
	if (!(v->b.flags & HALF_F_FIN)) {
		int64_t held = v->rst.ts_ns - v->a.fin_ts;
		say(w, "The %s had closed its side %s earlier (FIN, frame %llu, acknowledged) and the "
		       "%s never closed its own; the %s's %s (frame %llu) then met no connection on "
		       "the %s's side, whose stack had let its closed connection go ", w->an,
		    DUR(held), (unsigned long long)v->a.fin_frame, w->bn, w->bn,
		    v->b.keepalives ? "keep-alive probe" : "segment",
		    (unsigned long long)v->trigger.frame, w->an);
		/* How long it kept it says how (a review of the corpus's
		 * ndpi/KakaoTalk_talk.pcap 9: 480 ms, no FIN-WAIT-2 kept). */
		if (held < FIN_WAIT2_TIMER_MIN_NS)
			say(w, "within %s, sooner than a FIN-WAIT-2 timer runs out (0.7 s at the least): "
			       "it kept no such state for the closed socket (a negative TCP_LINGER2 on "
			       "Linux, a full table of closed connections, or a proxy or load "
			       "balancer that ends its side with its FIN).", DUR(held));
		else if (held < FIN_WAIT2_DEFAULT_NS)
			say(w, "within %s: sooner than the 60 s an orphaned FIN-WAIT-2 lasts by default "
			       "(Linux's tcp_fin_timeout), so a lowered setting, or a proxy's or load "
			       "balancer's own timer.", DUR(held));
		else
			say(w, "(an orphaned FIN_WAIT2 lasts at most tcp_fin_timeout, 60 s on Linux).");
		say(w, " Nothing was lost.");
		/* A bare ACK (its FIN's copy acknowledged again) is the stack's,
		 * not a half-closed connection kept alive. */
		if (v->trigger.frame && !v->trigger.len && !v->b.keepalives && held < FIN_WAIT2_TIMER_MIN_NS)
			advise(w, "Nothing to fix: the %s's segment was its stack's bare ACK, and the "
				  "%s had let the connection go at its FIN.", w->bn, w->an);
		else
			advise(w, "%s: close the socket once the peer's FIN is read (recv returns 0) "
				  "instead of keeping a half-closed connection alive.",
			       v->sender == ROLE_SERVER ? "Client" : "Server");
		return;
	}
	bool a_first = v->a.fin_frame < v->b.fin_frame;
	uint64_t first = a_first ? v->a.fin_frame : v->b.fin_frame;
	int64_t apart = a_first ? v->b.fin_ts - v->a.fin_ts : v->a.fin_ts - v->b.fin_ts;
	/* A FIN comes after all its sender's data (RFC 9293 3.6). One below
	 * data B had already sent (past a second FIN's number) came from
	 * something else than the stack that sent that data (the corpus's
	 * webex.pcap 440: a VPN app's FIN at the number its own 59 bytes,
	 * never acknowledged, began at): what was delivered is not known. */
	if (seq_gt(v->b.next_seq, v->b.fin_seq + 2))
		say(w, "Both sides had sent their FIN: the %s's (frame %llu) and the %s's (frame "
		       "%llu), %s apart. But the %s's FIN came at a number below data it had already "
		       "sent (%u bytes beyond it), which no stack does: that FIN was made by "
		       "something other than the stack that sent the data (a relay or proxy that "
		       "terminates TCP), and whether the data was delivered is not known.",
		    a_first ? w->an : w->bn, (unsigned long long)first, a_first ? w->bn : w->an,
		    (unsigned long long)v->followup_of, DUR(apart), w->bn,
		    v->b.next_seq - v->b.fin_seq);
	else
		say(w, "Both sides had closed: the %s's FIN (frame %llu) and the %s's (frame "
		       "%llu), %s apart, each side's data acknowledged by the other. The RST came "
		       "after the close was done; nothing was lost.",
		    a_first ? w->an : w->bn, (unsigned long long)first, a_first ? w->bn : w->an,
		    (unsigned long long)v->followup_of, DUR(apart));
	/* Why no socket was left depends on who closed first (RFC 9293
	 * 3.10.7.4): the second closer's connection ends as soon as its FIN
	 * is acknowledged (LAST-ACK to CLOSED); the first closer's stays in
	 * TIME-WAIT for 2 MSL (Linux: TCP_TIMEWAIT_LEN, 60 s), which
	 * acknowledges a stray segment rather than resetting it
	 * (tcp_timewait_state_process: TCP_TW_ACK), so a first closer's
	 * reset says its TIME-WAIT had ended or was not kept (Linux keeps at
	 * most tcp_max_tw_buckets); the corpus has such resets seconds after
	 * the close (webex.pcap 450-506), so which of the two is not said. */
	/* The segment it answers being that very acknowledgment, which a
	 * LAST-ACK socket takes in silence (RFC 9293 3.10.7.4), the stack had
	 * let go before it came (the corpus's ndpi/netflix.pcap 1243, as on
	 * all four connections that server closed second; a review). */
	const struct seg_note *t = &v->trigger;
	bool final_ack = t->frame && !t->len && (t->flags & (TCP_ACK | TCP_FIN | TCP_SYN)) == TCP_ACK &&
			 t->ack == v->a.fin_seq + 1 && t->frame > v->a.fin_frame;
	if (v->form == FORM_REPLY && !a_first && final_ack)
		say(w, " It answers the %s's ACK of the %s's FIN (frame %llu), the segment that ends "
		       "a close, which a second closer in LAST-ACK takes in silence (RFC 9293 "
		       "3.10.7.4): the %s's stack, or a box in front of it, had already let the "
		       "connection go when that ACK reached it.", w->bn, w->an,
		    (unsigned long long)t->frame, w->an);
	else if (v->form == FORM_REPLY && !a_first)
		say(w, " It answers a segment the %s's stack no longer had a socket for: the %s "
		       "closed second, and a second closer's connection is gone as soon as its "
		       "FIN is acknowledged (LAST-ACK to CLOSED).", w->an, w->an);
	else if (v->form == FORM_REPLY && v->trigger.frame && v->trigger.frame == v->b.fin_frame &&
		 apart >= FIN_WAIT2_SHORTEST_NS) {
		/* The first closer had not had the other FIN yet: FIN-WAIT-2,
		 * which an orphaned socket (its application closed) keeps only
		 * tcp_fin_timeout on Linux (60 s by default, 1 s at least
		 * where set lower), not TIME-WAIT. */
		say(w, " It answers the %s's FIN itself: the %s had closed first and was waiting "
		       "for that FIN (FIN-WAIT-2), which a socket its application has closed keeps "
		       "only a while (Linux's tcp_fin_timeout and FreeBSD's "
		       "net.inet.tcp.finwait2_timeout, 60 s by default); the FIN came after that had "
		       "ended", w->bn, w->an);
		/* Sooner than those defaults: a lowered setting, or a proxy's
		 * timer (a review of the corpus's ndpi/line.pcap 268, whose
		 * server kept 30 s). */
		if (apart < FIN_WAIT2_DEFAULT_NS)
			say(w, ", so this %s keeps it no longer than %s (a lowered setting, or a "
			       "proxy's or load balancer's own timer).", w->an, DUR(apart));
		else
			say(w, ".");
	} else if (v->form == FORM_REPLY && v->trigger.frame && v->trigger.frame == v->b.fin_frame)
		/* A reply: no socket. An application's abort would have sent
		 * an active RST+ACK of its own first (tcp_send_active_reset).
		 * Linux drops an orphan whose FIN is acknowledged at once with a
		 * negative TCP_LINGER2 (tcp_rcv_state_process, TCP_FIN_WAIT1:
		 * tcp_done, and its "return 1" resets the segment that
		 * acknowledged the FIN: a RST of its own when that ACK came
		 * before the peer's FIN); otherwise it keeps the orphan as a
		 * FIN-WAIT-2 mini-socket (tcp_time_wait), and drops it quietly
		 * when the table of those is full (tcp_max_tw_buckets, "time
		 * wait bucket table overflow"). Either way the peer's FIN then
		 * finds none (the corpus's waze.pcap 452-469: one RST a
		 * connection, to the FIN, after a separate ACK). */
		/* When that FIN came, and when the RST: the corpus's webex.pcap
		 * 481, a VPN app's capture, answers a FIN 2.22 ms after the
		 * client's own 1.09 s late (a review read "2.22 ms later" as
		 * the RST's time). */
		say(w, " It answers the %s's FIN itself (the RST came %s after it): the %s had "
		       "closed first and was waiting for that FIN (FIN-WAIT-2), yet its stack no "
		       "longer kept the connection when the FIN came, %s after its own: it had "
		       "dropped its side, as Linux does when its table of such "
		       "closed connections is full (tcp_max_tw_buckets: \"time wait bucket table "
		       "overflow\" in its kernel log), or with a negative TCP_LINGER2 (which also "
		       "resets the ACK of its FIN, when that came apart), or a stack that keeps no "
		       "FIN-WAIT-2 state (an application's abort would have sent a RST+ACK of its "
		       "own before).",
		    w->bn, DUR(v->rst.ts_ns - v->b.fin_ts), w->an, DUR(apart));
	else if (v->form == FORM_REPLY)
		say(w, " It answers a segment the %s's stack no longer kept the connection for: "
		       "the %s closed first, so its TIME-WAIT (which acknowledges a stray segment "
		       "rather than resetting it) had ended or was not kept.", w->an, w->an);
	else
		say(w, " The %s ended its graceful close with an abortive one, as some stacks "
		       "and applications do (a zero linger after shutdown).", w->an);
	advise(w, "Nothing to fix: the connection had closed.");
}

/*
 * Linux resets a socket itself when it is closed while the kernel holds
 * more orphaned sockets than net.ipv4.tcp_max_orphans, or more TCP
 * memory than tcp_mem allows: tcp_close sends the FIN, then
 * tcp_check_oom sends the RST at once (net/ipv4/tcp.c, reason
 * TCP_ABORT_ON_MEMORY; the kernel logs "too many orphaned sockets" or
 * "out of memory -- consider tuning tcp_mem"). Traced in a lab with
 * tcp_max_orphans 0 and one orphan holding unsent data: FIN, then RST at
 * FIN + 1 62 us later. So a FIN and its RST within a millisecond, from a
 * host not known to run another stack (its SYNs, its TTLs), may be that.
 */
#define CLOSE_RESET_GAP_MAX_NS 1000000

/* Where the kernel says whether it reset for want of orphans or memory. */
static void advise_orphan_log(struct words *w)
{
	advise(w, " If the %s runs Linux, look in its kernel log for \"too many orphaned "
		  "sockets\" or \"out of memory -- consider tuning tcp_mem\" (ss -s counts "
		  "orphans); if so, raise net.ipv4.tcp_max_orphans or tcp_mem, or find what "
		  "leaves so many closed sockets with unsent data.", w->an);
}

static bool linux_close_reset(const struct verdict *v)
{
	return classify_may_run_linux(v) && (v->a.flags & HALF_F_FIN) &&
	       v->cause != CAUSE_UNREAD_RECV_BUFFER &&
	       v->rst.ts_ns - v->a.fin_ts >= 0 && v->rst.ts_ns - v->a.fin_ts < CLOSE_RESET_GAP_MAX_NS;
}

/*
 * "a zero linger, as X does": the sender's own stack's call where its SYNs
 * name it (a review of the corpus's nats.pcap 13, a Mac, cited Windows).
 * Each resets a connection closed with a zero linger after its shutdown:
 * Windows' closesocket with l_linger 0, the BSDs' and XNU's close through
 * tcp_disconnect and tcp_drop, Linux's tcp_disconnect in FIN_WAIT1 and
 * FIN_WAIT2 (tcp_need_reset).
 */
static const char *zero_linger_call(const struct verdict *v)
{
	switch (v->host.connections ? v->host.stack : HOST_STACK_UNKNOWN) {
	case HOST_STACK_WINDOWS:
		return "Windows' closesocket does with l_linger 0";
	case HOST_STACK_MACOS:
	case HOST_STACK_FREEBSD:
		return "a BSD-derived stack's close does with SO_LINGER 0";
	case HOST_STACK_LINUX:
		return "Linux's close does with SO_LINGER 0";
	default:
		return "close does with SO_LINGER 0 (Windows' closesocket with l_linger 0)";
	}
}

/*
 * The peer's FIN long before the sender closed (its own FIN, else this
 * RST): its socket sat in CLOSE_WAIT until its application closed it,
 * which one that reads the close (a read that returns 0) does at once;
 * one that learns of it only when it next uses the connection, or at its
 * exit, does so late (the corpus's ndpi/emotet.pcap 166-169: a Windows
 * client's FIN 44.782 s after the server's; webex.pcap 1085: a client's
 * RST 34.6 s after the relay's FIN, a review). Says so; returns how long,
 * 0 when it was not.
 */
static int64_t say_close_wait(struct words *w)
{
	const struct verdict *v = w->v;
	bool own_fin = (v->a.flags & HALF_F_FIN) != 0;
	int64_t closed = own_fin ? v->a.fin_ts : v->rst.ts_ns;
	if (!(v->b.flags & HALF_F_FIN) || (own_fin && v->b.fin_frame > v->a.fin_frame) ||
	    !long_idle(closed - v->b.fin_ts))
		return 0;
	say(w, " The %s's FIN (frame %llu) had come %s before the %s's %s: its socket sat in "
	       "CLOSE_WAIT that long before its application closed it, as one does that learns "
	       "of a peer's close only when it next uses the connection, or at its exit.", w->bn,
	    (unsigned long long)v->b.fin_frame, DUR(closed - v->b.fin_ts), w->an,
	    own_fin ? "own" : "reset");
	return closed - v->b.fin_ts;
}

static void advise_close_wait(struct words *w, int64_t waited)
{
	if (waited)
		advise(w, " Close a connection when a read returns 0 (the peer's FIN): this one "
			  "stayed in CLOSE_WAIT %s.", DUR(waited));
}

static void abort_after_own_fin(struct words *w)
{
	const struct verdict *v = w->v;
	/* The closer closed on its own, after a silence, and the peer wrote
	 * to the closing connection (classify.c's abort_after_own_fin). */
	if (v->cause == CAUSE_DATA_AFTER_FIN) {
		bool ignored = v->detail == DETAIL_IGNORED_FIN;
		say_closed(w);
		say(w, "the %s's data (last at frame %llu) came after that FIN%s, so it wrote to a "
		       "connection the %s was closing. The %s's stack took it while its side was "
		       "half-closed, and %s later the %s closed its socket with that data unread, "
		       "which sends a RST at the sequence number after the FIN (RFC 2525 2.17), not "
		       "an answer.", w->bn, (unsigned long long)v->b.data_frame,
		    ignored ? ", which it had acknowledged" : ", which it had not yet seen",
		    w->an, w->an, DUR(v->rst.ts_ns - v->a.fin_ts), w->an);
		if (v->sender == ROLE_SERVER && long_idle(v->close_idle_ns)) {
			say_idle_defaults(w, IDLE_SERVER, v->close_idle_ns);
			advise_reuse_after_idle_close(w, v->close_idle_ns, ignored);
		} else {
			advise(w, "%s: stop writing once the %s's FIN arrives.",
			       v->sender == ROLE_SERVER ? "Client" : "Server", w->an);
		}
		return;
	}
	say(w, "The %s sent its FIN (frame %llu) and then aborted %s later with a RST at the "
	       "sequence number after that FIN: ", w->an, (unsigned long long)v->a.fin_frame,
	    DUR(v->rst.ts_ns - v->a.fin_ts));
	/* The peer's last record its closing alert, alone after the closer's
	 * data or then answered by the closer's own (classify.c's
	 * UNREAD_CLOSING_ALERT and _ALERTS: a TLS library sends its own on
	 * close without reading the peer's): all the close may have left
	 * unread is that alert (a review of the corpus's gnutella.pcap 1071,
	 * a Windows client's alert, FIN and RST 1.4 ms after the server's
	 * record, alert and FIN). */
	bool unread = v->cause == CAUSE_UNREAD_RECV_BUFFER;
	bool b_alert = unread && v->b.data_frame > v->a.data_frame &&
		       classify_peer_closing_alert_last(v);
	bool both_alerts = unread && classify_closing_alerts_both(v);
	if (v->cause == CAUSE_UNREAD_RECV_BUFFER && v->b.data_frame > v->a.fin_frame)
		say(w, "the %s's data (last at frame %llu) had arrived after the FIN and was "
		       "acknowledged by its stack but not read: closing a socket with unread data "
		       "sends RST (RFC 2525 2.17), after a shutdown too.",
		    w->bn, (unsigned long long)v->b.data_frame);
	else if (v->cause == CAUSE_UNREAD_RECV_BUFFER &&
		 !((v->b.flags & HALF_F_FIN) && v->b.fin_frame < v->a.fin_frame))
		/* classify.c's abort_after_own_fin: the peer's data after the
		 * closer's own, then a shutdown and a close not reacting to it
		 * (holdout3's java-client-closes-event-stream-unread-v6). */
		say(w, "the %s's data (last at frame %llu, before the FIN) came after the %s's own "
		       "and its stack had acknowledged it, and the FIN came %s after the last "
		       "packet, not at once as a reaction to that data. A shutdown and then a close "
		       "reset only for data left unread, or a zero linger set as well (Java's "
		       "sockets shut down their output before a close only when the linger is not "
		       "zero): most likely not all of it was read (RFC 2525 2.17), as a client that "
		       "stops reading a stream leaves it.", w->bn,
		    (unsigned long long)v->b.data_frame, w->an, DUR(v->close_idle_ns));
	else if (v->cause == CAUSE_UNREAD_RECV_BUFFER && classify_may_run_linux(v))
		/* classify.c's abort_after_own_fin: closed from CLOSE_WAIT. */
		say(w, "the %s's FIN (frame %llu) had come before it, so the %s closed from "
		       "CLOSE_WAIT and its FIN took it to LAST_ACK, where Linux resets only a socket "
		       "closed with data unread (tcp_close; a zero linger there sends nothing, "
		       "tcp_disconnect): the %s's data (last at frame %llu), which its stack had "
		       "acknowledged, was most likely never read (RFC 2525 2.17).", w->bn,
		    (unsigned long long)v->b.fin_frame, w->an, w->bn,
		    (unsigned long long)v->b.data_frame);
	else if (v->cause == CAUSE_UNREAD_RECV_BUFFER) {
		/* Not Linux by its SYNs or TTL (a Windows client's shutdown and
		 * closesocket: the corpus's emotet.pcap 169, its FIN 44.8 s
		 * after the server's). A window that stayed short through the
		 * FIN shows nothing under a segment: a receiver moves its
		 * window's edge by a segment at least (RFC 9293 3.8.6.2.2), so
		 * it is not offered as a sign (a review of wow.pcap 38, 544
		 * bytes against a 1412-byte MSS). */
		say(w, "the %s's FIN (frame %llu) had come before it, so the %s closed from "
		       "CLOSE_WAIT; a close with data unread resets there (RFC 2525 2.17), and so "
		       "may a zero linger on a stack other than Linux, as this one most likely is: "
		       "the %s's data (last at frame %llu), which its stack had acknowledged, was "
		       "most likely not all read.", w->bn, (unsigned long long)v->b.fin_frame,
		    w->an, w->bn, (unsigned long long)v->b.data_frame);
	} else if (classify_close_reacting_to_peer_fin(v))
		/* classify.c's abort_after_own_fin: read to the end, from a
		 * stack other than Linux (the corpus's wow.pcap 30 and 38). */
		say(w, "the %s's FIN (frame %llu) ended %s of silence, and the %s's own came %s "
		       "after it: its application was waiting on the connection and reacted to "
		       "that close, which a read reports only once all the data before it has "
		       "been read (recv returns 0). So the %s's data (last at frame %llu) had "
		       "been read, and the RST after the FIN is an abortive close after a "
		       "shutdown (a zero linger, as %s). "
		       "Had the application learned of the close without reading (poll's "
		       "POLLRDHUP, epoll's EPOLLRDHUP), that data would have been left unread, "
		       "which sends the same RST (RFC 2525 2.17).", w->bn,
		    (unsigned long long)v->b.fin_frame, DUR(v->close_idle_ns), w->an,
		    DUR(v->a.fin_ts - v->b.fin_ts), w->bn, (unsigned long long)v->b.data_frame,
		    zero_linger_call(v));
	else if (v->b.data_frame > v->a.data_frame && v->b.data_frame < v->a.fin_frame)
		/* The peer's data came last, before a FIN that reacted to it at
		 * once: read or not, the wire does not say (the corpus's
		 * nats.pcap 13, a FIN 0.4 ms after the server's PONG). */
		say(w, "the %s's data (last at frame %llu, before the FIN) came after the %s's own "
		       "and its stack had acknowledged it. If the application had read it, it "
		       "closed abortively after shutting down its side (a zero linger, as %s); if "
		       "not, closing with it unread sends the same RST after a shutdown too (RFC "
		       "2525 2.17), as a client that stops reading a stream does.", w->bn,
		    (unsigned long long)v->b.data_frame, w->an, zero_linger_call(v));
	else
		say(w, "nothing from the %s was outstanding, so the application closed "
		       "abortively after shutting down its side (a zero linger, as %s).", w->bn,
		    zero_linger_call(v));
	/* An application that had what it wanted leaves the peer's closing
	 * alert unread (a review of emotet.pcap 169). */
	if (b_alert)
		say(w, " The %s's last record was its TLS closing alert: if the %s's application had "
		       "read the data before it, only that alert was left unread, and nothing of "
		       "the application's was lost.", w->bn, w->an);
	else if (both_alerts)
		say(w, " The %s's last record was its TLS closing alert, and the %s's own alert "
		       "(frame %llu) answered it: a TLS library sends its close_notify when its "
		       "application closes, whether or not it has read the peer's (OpenSSL's "
		       "SSL_shutdown), so if the %s's application had read the data before the "
		       "%s's alert, only that alert was left unread, and nothing of the "
		       "application's was lost.", w->bn, w->an, (unsigned long long)v->a.data_frame,
		    w->an, w->bn);
	bool orphan_limit = linux_close_reset(v);
	if (orphan_limit)
		say(w, " A FIN and a RST this close together are also what Linux sends itself "
		       "when a socket is closed while the kernel holds too many orphaned "
		       "sockets or is short of TCP memory (tcp_close's tcp_check_oom).");
	int64_t close_wait = say_close_wait(w);
	if (!close_wait && (v->b.flags & HALF_F_FIN) && v->cause != CAUSE_UNREAD_RECV_BUFFER &&
		 !classify_close_reacting_to_peer_fin(v))
		say(w, " The %s's FIN (frame %llu) had come too.", w->bn,
		    (unsigned long long)v->b.fin_frame);
	/* Waiting for the peer's FIN is advice only where it had not come. */
	if (b_alert || both_alerts)
		advise(w, "Nothing to fix if the %s had what it wanted: the %s had ended its TLS "
			  "session. For a clean close, read until the %s's close_notify (and its "
			  "FIN) before close().", w->an, w->bn, w->bn);
	else
		advise(w, "%s: %s", side_word(v),
		       v->cause == CAUSE_UNREAD_RECV_BUFFER
			       ? "read until the peer's FIN (recv returns 0) before closing."
		       : (v->b.flags & HALF_F_FIN) && v->b.fin_frame < v->rst.frame
			       ? "do not set a zero linger unless the abort is intended: the peer's "
				 "FIN had come, so a plain close would have ended the connection "
				 "cleanly."
			       : "after shutdown, wait for the peer's FIN before closing, and do not "
				 "set a zero linger unless the abort is intended.");
	advise_close_wait(w, close_wait);
	if (orphan_limit)
		advise_orphan_log(w);
}

/*
 * The peer's address accepted a new connection after it fell silent on
 * this one (classify_revise_peer_alive): the host was up and reachable,
 * so this connection's state was lost, at the peer or on the path. Says
 * so and advises on it; false when no such SYN-ACK was seen.
 */
static bool peer_alive(struct words *w)
{
	const struct verdict *v = w->v;
	if (!v->peer_accepted.frame || v->peer_accepted.of_sender)
		return false;
	int64_t d = (int64_t)v->peer_accepted.after_rst_ms * 1000000;
	say(w, " The %s was not down: its address accepted a new connection on port %u (SYN-ACK, "
	       "frame %llu) %s %s this RST, so this connection's state was lost, at the %s or in "
	       "a box on the path (a NAT, firewall or load balancer that forgets a flow drops its "
	       "segments silently).", w->bn, v->peer_accepted.port,
	    (unsigned long long)v->peer_accepted.frame, DUR(d < 0 ? -d : d),
	    d < 0 ? "before" : "after", w->bn);
	advise(w, "The %s's host was up: find what lost this connection's state, an idle timeout "
		  "of a NAT, firewall or load balancer between (send keep-alives more often than "
		  "it, or close idle connections sooner) or the %s's service forgetting its "
		  "connections (a restart behind the same address).", w->bn, w->bn);
	return true;
}

static void probes_unanswered(struct words *w)
{
	const struct verdict *v = w->v;
	/* classify.c's classify_probes_before_rst: the capture began with them. */
	if (v->a_probes_inferred && !(v->b.flags & HALF_F_SEEN)) {
		say(w, "The capture began while the %s was probing: its %u segment%s, bare "
		       "acknowledgments at one number, sit one below the RST's, which a socket's "
		       "own abort numbers with its next sequence number: probes (RFC 9293 3.8.4). "
		       "Nothing of the %s's was captured. ", w->an, v->a.keepalives,
		    plural(v->a.keepalives), w->bn);
		if (v->cause == CAUSE_LINGER_ABORT) {
			say(w, "The RST came less than a second after the last probe, where a "
			       "keep-alive timer gives up a whole interval after it (in seconds: "
			       "RFC 1122 4.2.3.6): more likely zero-window probes to a %s that had "
			       "stopped reading, and the %s's application giving up on it (a send "
			       "timeout).", w->bn, w->an);
			advise(w, "Find why the %s stopped reading (a stalled or overloaded peer, a "
				  "full buffer it never drains); capture both directions to be sure.",
			       w->bn);
			return;
		}
		say(w, "A keep-alive timer gives up a whole interval after its last probe, as here "
		       "(Linux's tcp_keepalive_timer, after tcp_keepalive_probes); zero-window "
		       "probes to a %s that had stopped reading look the same, which only the %s's "
		       "segments would tell apart.", w->bn, w->bn);
		advise(w, "If they were keep-alives: the %s is gone or unreachable (crash, network "
			  "change, a middlebox dropping the flow). If its window was closed: it "
			  "stopped reading, and the %s gave up on it. Capture both directions to "
			  "tell.", w->bn, w->an);
		return;
	}
	/* classify.c's probes_unanswered: one side captured only. */
	if (!(v->b.flags & HALF_F_SEEN) && v->cause == CAUSE_LINGER_ABORT) {
		/* classify.c's probes_unanswered: sooner than keep-alives come. */
		say(w, "The %s sent %u probe%s, segments numbered one below its next sequence "
		       "number, all within %s of its last other segment, then aborted the "
		       "connection. Nothing of the %s's was captured, but keep-alive probes come a "
		       "whole number of seconds apart (RFC 1122 4.2.3.6; Linux's tcp_keepalive_intvl "
		       "is in seconds), while zero-window probes back off from the retransmission "
		       "timeout, as these did (RFC 9293 3.8.6.1): the %s's window was closed, it "
		       "had stopped reading, and the %s's application gave up on it (a send "
		       "timeout, as nginx's send_timeout).", w->an, v->a.keepalives,
		    plural(v->a.keepalives), DUR(v->idle_before_ns), w->bn, w->bn, w->an);
		advise(w, "Find why the %s stopped reading (a stalled or overloaded client, a full "
			  "buffer it never drains); the %s's timeout did its job.", w->bn, w->an);
		return;
	}
	if (!(v->b.flags & HALF_F_SEEN)) {
		say(w, "The %s sent %u probe%s, segments numbered one below its next sequence "
		       "number, then aborted the connection. Nothing of the %s's was captured: "
		       "keep-alive probes have this form (RFC 9293 3.8.4), and so do zero-window "
		       "probes to a peer whose window is closed (3.8.6.1), which only the %s's "
		       "segments would tell apart.", w->an, v->a.keepalives,
		    plural(v->a.keepalives), w->bn, w->bn);
		advise(w, "If they were keep-alives: the %s is gone or unreachable (crash, network "
			  "change, a middlebox dropping the flow). If its window was closed: it "
			  "stopped reading, and the %s gave up on it. Capture both directions to "
			  "tell.", w->bn, w->an);
		return;
	}
	say(w, "The %s sent %u keep-alive probe%s that the %s never answered (silent for %s), "
	       "then aborted the connection.",
	    w->an, v->a.keepalives, plural(v->a.keepalives), w->bn, DUR(v->peer_silent_ns));
	if (peer_alive(w))
		return;
	advise(w, "The %s is gone or unreachable (crash, network change, a middlebox dropping "
		  "the flow); if a middlebox forgets idle flows, send keep-alives more often than "
		  "its idle timeout.", w->bn);
}


/* What the peer did, for advice on what to look for: with none of its
 * packets captured, the capture shows no acknowledging to stop (a review
 * of the corpus's tunnelbear.pcap 211). */
static const char *peer_stopped(const struct verdict *v)
{
	return (v->b.flags & HALF_F_SEEN) ? "stopped acknowledging"
					  : "acknowledged nothing that reached this capture point";
}

/* What to look for when the peer acknowledged nothing more. */
/* Why the peer stopped acknowledging, unless it was seen alive meanwhile. */
static void advise_peer_stopped_acking(struct words *w)
{
	if (peer_alive(w))
		return;
	advise(w, "Find why the %s %s: it is down, unreachable, or a device on the path drops "
		  "its packets.", w->bn, peer_stopped(w->v));
}

/* Who sends a RST when retransmissions run out, by the sender's stack as
 * its SYNs on other connections name it (host_stack_from_syn). */
static void say_who_resets_on_give_up(struct words *w)
{
	const struct verdict *v = w->v;
	switch (v->host.connections ? v->host.stack : HOST_STACK_UNKNOWN) {
	case HOST_STACK_LINUX:
		say(w, "Its SYNs name Linux, which gives up on unacknowledged data without a RST "
		       "(after tcp_retries2, some 15 minutes, or TCP_USER_TIMEOUT): this RST is its "
		       "application's own timeout, or the kernel dropping a closed socket when "
		       "memory is short.");
		break;
	/* High: exactly that stack's count (classify.c's
	 * retransmissions_unacked). */
	case HOST_STACK_WINDOWS:
		say(w, "Its SYNs name Windows, which resets a connection when a segment's "
		       "retransmissions run out (TcpMaxDataRetransmissions, 5 by default)%s",
		    v->confidence == CONF_HIGH ? ", as here after the 5th: its stack gave up."
					       : ", or its application timed out first.");
		break;
	case HOST_STACK_MACOS:
	case HOST_STACK_FREEBSD:
		say(w, "Its SYNs name %s, a BSD-derived stack, which resets a connection when "
		       "its retransmissions run out (TCP_MAXRXTSHIFT, 12)%s",
		    host_stack_label((enum host_stack)v->host.stack),
		    v->confidence == CONF_HIGH ? ", as here after the 12th: its stack gave up."
					       : ", or its application timed out first.");
		break;
	default:
		say(w, "Linux gives up silently; this RST comes from another stack (BSD-derived "
		       "ones, macOS among them, and Windows reset when they give up) or an "
		       "application timeout.");
		break;
	}
}

/*
 * The peer's FIN numbered below its own data that A had acknowledged: for
 * A it lay below RCV.NXT, an old duplicate it dropped (RFC 9293
 * 3.10.7.4), so A never learned of a close (the corpus's webex.pcap 927:
 * a relay's FIN at its alert's first byte, the client's ack at the
 * alert's end, not one past the FIN; a review).
 */
static bool peer_fin_dropped(const struct verdict *v)
{
	return (v->b.flags & HALF_F_FIN) && seq_gt(v->b.next_seq, v->b.fin_seq + 1) &&
	       (v->a.flags & HALF_F_ACK) && seq_gt(v->a.ack, v->b.fin_seq) &&
	       v->a.ack != v->b.fin_seq + 1;
}

static void say_peer_fin_dropped(struct words *w)
{
	const struct verdict *v = w->v;
	say(w, " The %s's FIN (frame %llu) was numbered %u, below its own data that the %s had "
	       "already acknowledged (to %u): below what the %s expected next, an old duplicate "
	       "it drops (RFC 9293 3.10.7.4), so the %s never learned of a close and wrote on. "
	       "A stack numbers its FIN after all it sent; this one came from something between "
	       "(a relay or proxy that terminates TCP), which then left the %s's data "
	       "unacknowledged and unanswered.", w->bn, (unsigned long long)v->b.fin_frame,
	    v->b.fin_seq, w->an, v->a.ack, w->an, w->an, w->an);
	advise(w, "Whoever runs the %s's side (a relay or proxy): it closed with a FIN numbered "
		  "below data it had sent, which the %s discards, and then dropped the %s's data "
		  "without a word; fix its close, or have it reset the connection. ",
	       w->bn, w->an, w->an);
}

static void retransmissions_unacked(struct words *w)
{
	const struct verdict *v = w->v;
	/* The sender's FIN went out and the peer never took it: what it
	 * sent again included the FIN. */
	bool fin_unacked = (v->a.flags & HALF_F_FIN) &&
			   !((v->b.flags & HALF_F_ACK) && seq_gt(v->b.ack, v->a.fin_seq));
	const char *what = (v->a.flags & HALF_F_FIN) ? "data or its FIN" : "data";
	say(w, "The %s sent %s again %u time%s without an acknowledgement ", w->an, what,
	    v->a.retrans, plural(v->a.retrans));
	if (v->b.flags & HALF_F_SEEN)
		say(w, "(the %s silent for %s) ", w->bn, DUR(v->peer_silent_ns));
	else
		say(w, "(nothing from the %s was captured) ", w->bn);
	say(w, "and then reset the connection. ");
	/*
	 * Who sends that RST depends on the sender's stack, which its SYNs
	 * name (host_stack_from_syn). Linux gives up without one
	 * (net/ipv4/tcp_timer.c: tcp_write_timeout calls tcp_write_err,
	 * which only reports ETIMEDOUT and drops the socket), after
	 * tcp_retries2 (15 retransmissions, some 15 minutes) or
	 * TCP_USER_TIMEOUT; it resets only an orphan it drops for want of
	 * memory (tcp_out_of_resources). Windows aborts after
	 * TcpMaxDataRetransmissions (5 by default, Microsoft's TCP/IP
	 * registry reference). FreeBSD and Apple's XNU send a RST from
	 * tcp_timer_rexmt through tcp_drop, after TCP_MAXRXTSHIFT (12), and
	 * XNU after 3 of a FIN (RETRANS_FIN_GIVE_UP_MIN). Fewer
	 * retransmissions than those are no stack's give-up at all (the
	 * corpus's ndpi/tunnelbear.pcap 211: 2 in 0.46 s, the connection
	 * dropped as a VPN came up). A capture that began mid-connection
	 * with that segment may have missed the first ones (the corpus's
	 * ndpi/teams.pcap 212: a Mac's FIN, its first packet captured), so
	 * its count is not read so.
	 */
	unsigned give_up_min = fin_unacked ? RETRANS_FIN_GIVE_UP_MIN : RETRANS_GIVE_UP_MIN;
	/* Everything of the sender's the capture holds is that segment and
	 * its copies, and the capture began mid-connection: its first copy
	 * seen may itself have been sent again. */
	bool lower_bound = v->midstream && v->a.pkts <= v->a.retrans + 1;
	if (v->a.retrans < give_up_min && !lower_bound) {
		say(w, "That is fewer retransmissions than any stack sends before it gives up on "
		       "its own (Windows 5 by default, BSD-derived stacks 12%s; Linux never resets "
		       "then): the %s's application or its OS aborted the connection, on a timeout "
		       "of its own or a network change.",
		    fin_unacked ? ", Apple's 3 of a FIN" : "", w->an);
		if (peer_fin_dropped(v)) {
			say_peer_fin_dropped(w);
			advise(w, "Then find what on the %s aborted so soon: an application "
				  "timeout, or the connection dropped as its network or VPN changed.",
			       w->an);
			return;
		}
		if (peer_alive(w)) {
			advise(w, " Then find what on the %s aborted so soon: an application "
				  "timeout, or the connection dropped as its network or VPN changed.",
			       w->an);
			return;
		}
		advise(w, "Find why the %s %s (down, unreachable, or a device on the path "
			  "dropping its packets), and what on the %s aborted so soon: an "
			  "application timeout, or the connection dropped as its network or VPN "
			  "changed.", w->bn, peer_stopped(v), w->an);
		return;
	}
	if (v->a.retrans < give_up_min)
		say(w, "The capture began mid-connection with that segment, so it may have "
		       "missed earlier retransmissions: the count is a lower bound. ");
	/* classify.c's fin_rst_before_timer: no timer's expiry. */
	if (v->a_fin_rst_early) {
		say(w, "But the RST came well before the %s's next retransmission timer would have "
		       "expired (each interval doubles the one before, RFC 6298 5.5, and the "
		       "copies' intervals set it), and a stack gives up only when one expires: "
		       "the %s's application or its OS aborted the connection (a timeout of its "
		       "own, a network change), not its stack.", w->an, w->an);
		if (!peer_alive(w))
			advise(w, "Find why the %s %s (down, unreachable, or a device on the path "
				  "dropping its packets). ", w->bn, peer_stopped(v));
		advise(w, "Then find what on the %s aborted: an application timeout, or the "
			  "connection dropped as its network or VPN changed.", w->an);
		return;
	}
	if (fin_unacked && v->a.retrans < RETRANS_GIVE_UP_MIN) {
		bool apple = v->host.connections && v->host.stack == HOST_STACK_MACOS;
		say(w, "Apple's stacks give up a FIN after 3 retransmissions with a RST "
		       "(TCP_RXT_FINDROP, which Apple's networking framework sets on its "
		       "connections): ");
		/* Fewer than 3 seen: only if the capture missed the first. */
		if (v->a.retrans < RETRANS_FIN_GIVE_UP_MIN)
			say(w, "if this capture missed the first ones, this may be the %s's OS giving "
			       "up%s.", w->an,
			    apple ? " (its SYNs on other connections name an Apple stack)" : "");
		else
			say(w, "from an iPhone, iPad or Mac this is its OS giving up%s.",
			    apple ? ", and its SYNs name an Apple stack" : "; other stacks wait longer");
		advise_peer_stopped_acking(w);
		/* The peer had taken all the data: only the FIN was left. */
		if ((v->b.flags & HALF_F_ACK) && seq_geq(v->b.ack, v->a.fin_seq))
			advise(w, " No data was lost: the %s had acknowledged all of it, and only the "
				  "FIN went unanswered.", w->bn);
		return;
	}
	say_who_resets_on_give_up(w);
	if (peer_fin_dropped(v)) {
		say_peer_fin_dropped(w);
		advise_peer_stopped_acking(w);
		return;
	}
	/*
	 * The peer had closed before the data it never took: a closed socket
	 * answers data with a RST (RFC 9293 3.10.7.4; Linux TCP_ABORT_ON_DATA),
	 * so silence means the peer's side was gone without one, its host or
	 * a box that keeps the connection (a NAT, a VPN app, a firewall)
	 * dropping what came after the close; and the sender wrote on a
	 * connection its peer had closed (the corpus's ndpi/webex.pcap 1073:
	 * the server's alert and FIN 924-927, the client's data 928 sent
	 * again four times; a review).
	 */
	if ((v->b.flags & HALF_F_FIN) && v->b.fin_frame < v->a.data_frame &&
	    (v->b.flags & HALF_F_ACK) && seq_lt(v->b.ack, v->a.next_seq)) {
		say(w, " The %s had closed first (FIN, frame %llu) and the %s still sent data "
		       "after it: a closed socket answers data with a RST, yet nothing came back, so "
		       "the %s's side was gone without one (its host, or a NAT, VPN app or firewall "
		       "between that forgot the connection once it closed, dropped the data).",
		    w->bn, (unsigned long long)v->b.fin_frame, w->an, w->bn);
		/* A connection's first request is no pool's reuse (the corpus's
		 * CVE-2018-6794.pcap 30: a crafted server's answer and FIN
		 * before the client's only GET; a review). */
		if (v->a.http_requests == 1)
			advise(w, "%s: do not write on a connection the %s has closed: a read "
				  "returning 0 (its FIN) means close it and reconnect.", side_word(v),
			       w->bn);
		else
			advise(w, "%s: do not write on a connection the %s has closed: a read "
				  "returning 0 (its FIN) means close it and reconnect, as a connection "
				  "pool should check before it reuses one.", side_word(v), w->bn);
		return;
	}
	advise_peer_stopped_acking(w);
}

/*
 * One copy of the sender's last segment, never acknowledged, at a point of
 * the capture too early for it to hold the copies before it (classify.c's
 * late_retransmission_unacked).
 */
static void late_retransmission_unacked(struct words *w)
{
	const struct verdict *v = w->v;
	bool fin = v->a.fin_frame && v->a.fin_frame >= v->a.data_frame;
	/* Nothing came after that segment, so the silence before the RST
	 * began with it; a FIN's is kept apart from the silence before it. */
	int64_t gap = fin ? v->rst.ts_ns - v->a.fin_ts : v->idle_before_ns;
	say(w, "The %s's %s (frame %llu) was never acknowledged in this capture, and nothing "
	       "came from the %s after it; the %s sent nothing more for %s, until this RST at "
	       "the sequence number after it. A stack sends an unacknowledged segment again "
	       "when its retransmission timer expires, a second or so after the first sending, "
	       "and doubles the timer each time (RFC 6298 5.4, 5.5): so a copy followed by %s "
	       "of silence was itself a late retransmission, sent %s or more after the copy "
	       "before it, and this capture began too late to hold that one (and it holds none "
	       "of the connection's start). The %s%s, and the %s gave up. ", w->an,
	    fin ? "FIN" : "last data", (unsigned long long)(fin ? v->a.fin_frame : v->a.data_frame),
	    w->bn, w->an, DUR(gap), DUR(gap), DUR(gap / 2),
	    w->bn, v->peer_accepted.frame && !v->peer_accepted.of_sender ? " answered none of them"
									 : " was gone or unreachable",
	    w->an);
	say_who_resets_on_give_up(w);
	advise_peer_stopped_acking(w);
	if (fin && (v->b.flags & HALF_F_ACK) && seq_geq(v->b.ack, v->a.fin_seq))
		advise(w, " No data was lost: the %s had acknowledged all of it, and only the FIN "
			  "went unanswered.", w->bn);
	else if (!fin)
		advise(w, " %s: the data (frame %llu) may never have arrived; send again only what "
			  "is safe to repeat.", side_word(v), (unsigned long long)v->a.data_frame);
}

static void foreign_rst_after_silence(struct words *w)
{
	const struct verdict *v = w->v;
	char elsewhere[192];
	say_elsewhere(w, elsewhere, sizeof elsewhere);
	int64_t gap = verdict_middlebox_idle_ns(v);
	if (v->trigger.frame)
		/* A box that lost its table (a restart, a failover without
		 * state sync) resets each flow at its next segment alike: the
		 * wire shows the silence, not which (a review of the sixth
		 * hold-out set's firewall-failover-no-state-sync). */
		say(w, "The RST answers the %s's first segment (frame %llu) after %s of silence, "
		       "and %s: a device on the path (NAT, firewall, load balancer) had forgotten "
		       "the flow, after that idleness or with its state lost (a restart, or a "
		       "failover without state sync, resets each flow it had at its next segment "
		       "alike, while new connections pass), and reset it in the %s's name.", w->bn,
		    (unsigned long long)v->trigger.frame, DUR(gap), elsewhere, w->an);
	else
		say(w, "The RST came unprompted after %s of silence, and %s: a device on the path "
		       "(a load balancer, a firewall) expired the idle flow and reset it in the "
		       "%s's name.", DUR(gap), elsewhere, w->an);
	/*
	 * One side had closed its half before the silence (its FIN, taken):
	 * a stateful box keeps a half-closed flow on a timer of its own,
	 * shorter than an established one's in some (Linux conntrack's
	 * nf_conntrack_tcp_timeout_close_wait, 60 s by default; a review of
	 * holdout8's NAT whose close_wait timeout was 1 s, the server's
	 * report coming 3 s after the client's request and FIN).
	 */
	const struct side *closed = (v->a.flags & HALF_F_FIN) ? &v->a
				    : (v->b.flags & HALF_F_FIN) ? &v->b : NULL;
	if (closed && closed->fin_ts < v->rst.ts_ns - gap + 1) {
		say(w, " The connection was half-closed when the silence began: the %s had sent its "
		       "FIN (frame %llu) and the %s was still to answer, a state a stateful box "
		       "keeps on a timer of its own (Linux conntrack's "
		       "nf_conntrack_tcp_timeout_close_wait, 60 s by default), not the established "
		       "one.", closed == &v->a ? w->an : w->bn, (unsigned long long)closed->fin_frame,
		    closed == &v->a ? w->bn : w->an);
		advise(w, "On the box: keep half-closed flows as long as the other side may take "
			  "to answer (%s here; Linux: net.netfilter.nf_conntrack_tcp_timeout_close_wait). "
			  "Otherwise have the %s answer (or send keep-alives) sooner, or the %s not "
			  "shut down its side before the answer comes.", DUR(gap),
		       closed == &v->a ? w->bn : w->an, closed == &v->a ? w->an : w->bn);
	} else {
		say_idle_defaults(w, IDLE_MIDDLEBOX, gap);
		advise(w, "Send keep-alives (TCP keepalive or application pings) more often than the "
			  "middlebox's idle timeout (at most %s here), or close idle pooled "
			  "connections before it.", DUR(gap));
	}
	if (v->trigger.frame)
		advise(w, " If the device restarted or failed over just before, that is the cause, "
			  "not the idle time.");
}

static void foreign_rst(struct words *w)
{
	const struct verdict *v = w->v;
	char elsewhere[192];
	say_elsewhere(w, elsewhere, sizeof elsewhere);
	say(w, "The RST came with no idle period before it, and %s: a third party on the path "
	       "forged it in the %s's name.", elsewhere, w->an);
	if (v->trigger.frame && v->trigger.len)
		say(w, " It answers the %s's data at frame %llu: a filter that acts on content "
		       "would do this.", w->bn, (unsigned long long)v->trigger.frame);
	advise(w, "Find the device: capture at both ends and see where the RST appears; check "
		  "firewalls, IPS and proxies between the hosts.");
}

/* A server's close "at once": within this of the handshake, before it
 * sent anything (unread_data_words). An application's accept, its check
 * of a rule, a count or a first request, and its close take well under
 * it; work on the request, or a client's wait, more. */
#define ACCEPT_CLOSE_MAX_NS (5 * 1000000LL)

/* A silence after which a connection may have been dropped as idle: the
 * shortest idle limits in use are some seconds (the load balancers' and
 * NATs' of IDLE_MIDDLEBOX, say_idle_defaults, are a minute and more). */
#define IDLE_DROP_MIN_NS (10 * 1000000000LL)

static void reply_from_host_that_lost_it(struct words *w)
{
	const struct verdict *v = w->v;
	const struct seg_note *t = &v->trigger;
	bool gave_up = v->a.retrans && (v->b.flags & HALF_F_ACK) && (t->flags & TCP_ACK) &&
		       seq_lt(t->ack, side_data_end(&v->a)) && !seq_gt(t->ack, v->b.ack);
	say(w, "The %s answered the %s's segment (frame %llu) with a reply-form RST, the answer "
	       "of a host with no socket for the connection, though it had taken part in it (same "
	       "TTL %u as its earlier packets) and never closed it: it had lost the connection%s",
	    w->an, w->bn, (unsigned long long)t->frame, v->rst.ttl,
	    gave_up ? "." : " (process or host restarted, state dropped).");
	/*
	 * The sender's own data had been sent again and never acknowledged,
	 * and the segment it answers still acknowledges none of it: the peer
	 * never had it. A stack drops a connection whose retransmissions run
	 * out, Linux without a RST (net/ipv4/tcp_timer.c, tcp_write_timeout:
	 * tcp_retries2, some 15 minutes, or TCP_USER_TIMEOUT), and answers
	 * what comes after as for no socket (holdout8's link outage against
	 * tcp_retries2: the client's heartbeat sent again 6 times, the
	 * server's next segment reset; a review).
	 */
	if (gave_up) {
		say(w, " Its own data had gone unacknowledged: it sent it again %u time%s, and the "
		       "%s's segment still acknowledges none of it. A stack drops a connection whose "
		       "retransmissions run out (Linux silently, after tcp_retries2, some 15 minutes "
		       "by default, or TCP_USER_TIMEOUT), and then answers the peer as here: the "
		       "path between them failed for that long, and the %s gave up first.",
		    v->a.retrans, plural(v->a.retrans), w->bn, w->an);
		advise(w, "Path: find what dropped packets between the %s and the %s then (an "
			  "outage, a route or firewall change); the %s had given the connection up. "
			  "The %s should reconnect and retry; keep-alives or a heartbeat notice such "
			  "a loss sooner.", w->an, w->bn, w->an, w->bn);
		return;
	}
	/*
	 * The segment came after a long silence: the connection may have
	 * been dropped as idle without a FIN, by the server's application
	 * or stack or by a box in front of it that answers in its name with
	 * its TTL (the runner-up), as much as lost in a restart (the
	 * corpus's arkime/long-session.pcap 4-5: 908 s after the handshake).
	 */
	if (v->trigger_gap_ns >= IDLE_DROP_MIN_NS) {
		say(w, " The %s's segment came after %s of silence: long enough for the connection "
		       "to have been dropped as idle without a FIN, by the %s or a box in front of "
		       "it.", w->bn, DUR(v->trigger_gap_ns), w->an);
		advise(w, "On the %s: look for a restart or crash at that time, or an idle limit "
			  "under %s that drops connections without closing them (its own or a load "
			  "balancer's); the %s should reconnect and retry, and keep idle connections "
			  "alive or close them sooner.", w->an, DUR(v->trigger_gap_ns), w->bn);
		return;
	}
	advise(w, "On the %s: look for a restart or crash at that time, and for connections "
		  "closed without the peer noticing; the %s should reconnect and retry.",
	       w->an, w->bn);
}

static void fin_never_acked(struct words *w)
{
	const struct verdict *v = w->v;
	const struct seg_note *t = &v->trigger;
	say(w, "The %s closed the connection (FIN, frame %llu) and sent that FIN again without an "
	       "acknowledgment; the %s's data %s after the %s fell silent (frame %llu) "
	       "acknowledges none of it, so the FIN never reached the %s. The %s had stopped "
	       "sending it, as a stack gives up a closed connection whose FIN goes unanswered "
	       "(Linux after tcp_orphan_retries, silently), and answered the data with a RST: "
	       "the connection was gone on its side while the %s still held it open.",
	    w->an, (unsigned long long)v->a.fin_frame, w->bn, DUR(v->trigger_gap_ns), w->an,
	    (unsigned long long)t->frame, w->bn, w->an, w->bn);
	advise(w, "Path: the %s's packets stopped reaching the %s (look for a firewall, a route or "
		  "an MTU change between them at that time). %s: the data was not processed; "
		  "reconnect and retry.", w->an, w->bn,
	       v->sender == ROLE_SERVER ? "Client" : v->sender == ROLE_CLIENT ? "Server" : "Peer");
}

/* The peer was ending its TLS session (classify_peer_closing_alert_last)
 * and would send nothing more. */
static void say_peer_closing_alert(struct words *w)
{
	if (classify_peer_closing_alert_last(w->v))
		say(w, " The %s's last TLS record was its closing alert (%s): it was ending the "
		       "session and would send nothing more.", w->bn,
		    w->v->tls.alert == TLS_ALERT_ENCRYPTED ? "encrypted, most likely close_notify"
		    : w->v->tls.alert == 90 + 1 ? "user_canceled" : "close_notify");
}

/* A silence before an abort that only a timer explains: a second, above the
 * delays of an application that aborts as soon as it is done (the lab's
 * linger0 scenarios abort within milliseconds of their last exchange). */
#define ABORT_TIMER_MIN_NS 1000000000

/* The protocol a TLS client's ClientHello was answered in
 * (classify.c's UNREAD_NOT_TLS): HTTP, or the server-first protocol its
 * opening named (service_for names it by that before the port). */
static const char *not_tls_protocol(const struct verdict *v)
{
	if (v->b.http_responses > 0)
		return "HTTP";
	const struct service *s = service_for(0, false, v->app);
	return s && s->name ? s->name : "another protocol";
}

static void unread_data_words(struct words *w)
{
	const struct verdict *v = w->v;
	enum unread_sign sign = classify_unread_sign(v);
	say(w, "The %s reset the connection while data from the %s was unread: ", w->an, w->bn);
	switch (sign) {
	case UNREAD_BODY_DUE:
		say(w, "the client's request (frame %llu) declared a body of which %u bytes were "
		       "still due, so the rest of it was arriving when the server closed",
		    (unsigned long long)v->request.frame, v->body_due);
		if (v->response.status && v->response_sender == ROLE_SERVER)
			say(w, "; an early final response (%u here) does not end a request's body "
			       "(RFC 9112 9.6)", v->response.status);
		say(w, ". ");
		break;
	case UNREAD_REQUESTS:
		/* Counted from the capture's start: one that began mid-connection
		 * holds only the last of them (the corpus's rtsp.pcap 7, 0.27 ms
		 * of a connection; a review). */
		say(w, "the client sent %u %s request%s and the server answered %u%s. ",
		    v->b.http_requests, v->tls.stage != TLS_STAGE_NONE ? "TLS" :
		    w->svc == &service_rtsp ? "RTSP" : "HTTP",
		    plural(v->b.http_requests), v->a.http_responses,
		    v->midstream ? " in the capture, which began in the middle of the connection" : "");
		break;
	case UNREAD_WINDOW_FULL:
		say(w, "it had advertised a zero window %u time%s, its receive buffer full because "
		       "its application had stopped reading. ", v->a.zero_windows,
		    plural(v->a.zero_windows));
		break;
	case UNREAD_WINDOW_SHORT:
		say(w, "its last segment offered the %s less room than one more of its segments, "
		       "its receive buffer all but full: its application had stopped reading (one "
		       "that reads frees room, and its stack says so at once). ", w->bn);
		break;
	case UNREAD_WINDOW_FREED:
		say(w, "its RST offered the %s at least twice the room its last segment had, room "
		       "its application never freed by reading (its stack would have advertised "
		       "that at once): the close discarded data still in its receive buffer. ",
		    w->bn);
		break;
	case UNREAD_PEER_CLOSED:
		say(w, "the %s had sent its data (last at frame %llu) and its FIN, and an "
		       "application that reads to that end closes with a FIN, not a RST. ", w->bn,
		    (unsigned long long)v->b.data_frame);
		/* What that data was, when HTTP says (the corpus's
		 * arkime/http-xff.pcap 11: a 403 with Connection: close; a
		 * review found the status in the record but not the words). */
		if (v->response.status && v->response_sender == (int8_t)role_peer(v->sender) &&
		    v->sender != ROLE_UNKNOWN)
			say(w, "That data was its %s %u response%s. ",
			    w->svc == &service_rtsp ? "RTSP" : "HTTP", v->response.status,
			    v->response.connection == HTTP_CONN_CLOSE ? ", which said Connection: close"
								     : "");
		break;
	case UNREAD_NEVER_ANSWERED:
		/* A capture begun mid-connection holds only part of what the
		 * sender sent (the corpus's ndpi/rtsp.pcap 7). */
		if (v->midstream)
			say(w, "the %s's data (last at frame %llu) was never answered; the %s sent no "
			       "data in this capture, which began mid-connection. ", w->bn,
			    (unsigned long long)v->b.data_frame, w->an);
		else
			say(w, "the %s's data (last at frame %llu) was never answered; the %s sent no "
			       "data at all. ", w->bn, (unsigned long long)v->b.data_frame, w->an);
		break;
	case UNREAD_ARRIVING:
		say(w, "the %s's data was still arriving: %u bytes beyond what the RST "
		       "acknowledges. ", w->bn,
		    ((v->b.flags & HALF_F_FIN) ? v->b.fin_seq : v->b.next_seq) - v->rst.ack);
		break;
	case UNREAD_CLOSING_ALERT:
		say(w, "the %s's last TLS record (frame %llu), after the %s's own last data, was its "
		       "closing alert (%s), which a TLS application that has what it wanted may "
		       "close without reading: it then sends no close_notify of its own in answer, "
		       "which %s asks of it, a common omission, and the %s, which had ended its "
		       "session, loses nothing. ", w->bn,
		    (unsigned long long)v->b.data_frame, w->an,
		    v->tls.alert == TLS_ALERT_ENCRYPTED ? "encrypted, most likely close_notify"
		    : v->tls.alert == 90 + 1 ? "user_canceled" : "close_notify",
		    tls_closure_rfc(v), w->bn);
		break;
	case UNREAD_CLOSING_ALERTS:
		say(w, "the %s had ended its TLS session with its closing alert, its last record",
		    w->bn);
		if ((v->b.flags & HALF_F_FIN) && long_idle(v->close_idle_ns))
			say(w, ", and its FIN (frame %llu, after %s idle)",
			    (unsigned long long)v->b.fin_frame, DUR(v->close_idle_ns));
		else if (v->b.flags & HALF_F_FIN)
			say(w, ", and its FIN (frame %llu)", (unsigned long long)v->b.fin_frame);
		/* The RFC asks the side that receives a close_notify to answer
		 * with its own; that a library sends its own on close whether
		 * or not it read the peer's is OpenSSL's, not the RFC's (a
		 * review of the corpus's zoom.pcap 261 read the citation as
		 * pointing the other way). */
		say(w, "; the %s answered with its own alert (frame %llu) and then this RST. A TLS "
		       "library sends its own close_notify when its application closes, whether or "
		       "not it has read the peer's (OpenSSL's SSL_shutdown), so the %s's alert may "
		       "still have been unread; had the %s read it and answered, as %s asks of the "
		       "side that receives one, its close would have sent a FIN unless its linger "
		       "was zero. ", w->an, (unsigned long long)v->a.data_frame, w->bn, w->an,
		    tls_closure_rfc(v));
		break;
	case UNREAD_TLS_HANDSHAKE:
		say(w, "it had rejected the TLS handshake (its alert: %s) and closed, and a TLS "
		       "library reads the server's flight record by record, stopping at the one it "
		       "rejected: the records after it were still unread. ",
		    tls_alert_name((uint8_t)(v->tls.alert - 1)) ? tls_alert_name((uint8_t)(v->tls.alert - 1))
								: "unassigned");
		break;
	case UNREAD_NOT_TLS:
		say(w, "it had opened TLS (a ClientHello) and the server answered in %s (last at "
		       "frame %llu), not TLS. A TLS library reads a record's 5-byte header first "
		       "and fails on one that is not TLS (OpenSSL's \"wrong version number\"), "
		       "closing with the rest of that answer unread. ", not_tls_protocol(v),
		    (unsigned long long)v->b.data_frame);
		if (v->response.status && v->response_sender == ROLE_SERVER)
			say(w, "The answer was an HTTP %u response: a plain-HTTP server's reply to "
			       "bytes it could not parse. ", v->response.status);
		break;
	case UNREAD_NONE:
		break;
	}
	say(w, "Closing a socket with unread received data makes the kernel send RST "
	       "instead of FIN (RFC 2525 2.17), and discards what the %s had not yet "
	       "delivered.", w->an);
	if (sign == UNREAD_CLOSING_ALERT || sign == UNREAD_CLOSING_ALERTS) {
		/* Its stack's acknowledgement is not its application's read: a
		 * review found the alert's segment carrying application data
		 * before it (webex.pcap 416, 2144 bytes), which the RST's ack
		 * covers whether read or not. */
		say(w, " If the %s's application had read the %s's data before the alert (the "
		       "last it waited for), all the close discarded was that alert and the RST is "
		       "harmless; the wire cannot show that it had, since its stack's acknowledgement "
		       "is not its application's read.", w->an, w->bn);
		advise(w, "Nothing to fix if the %s had what it wanted: the %s had ended its TLS "
			  "session. For a clean close, read until the %s's close_notify before "
			  "close().", w->an, w->bn, w->bn);
		return;
	}
	/*
	 * A's last data ended with its session's last command (a QUIT, an
	 * IMAP LOGOUT: first_bytes_quit), and B's data after it, then its
	 * FIN, is B's answer and goodbye (RFC 5321 4.1.1.10: "The receiver
	 * MUST send a '221 OK' reply, and then close"). A had ended its
	 * session and closed without reading the answer, as quit_reply_only
	 * reads it where A's FIN came first; RFC 5321 says the sender SHOULD
	 * wait for it, and Postfix by default does not
	 * (smtp_skip_quit_response). A pipelining client that read none of
	 * the replies also left unread whether its message was accepted (the
	 * corpus's arkime/smtp-moloch-bof.pcap 26, whose QUIT followed the
	 * message at once; a review).
	 */
	if (sign == UNREAD_PEER_CLOSED && v->a_quit_last && v->b.data_frame > v->a.data_frame) {
		say(w, " The %s's last data (frame %llu) ended with its session's last command (a "
		       "QUIT or LOGOUT), so what it left unread ends with the %s's answer to that "
		       "and its goodbye: the session was over, and the %s closed without waiting "
		       "for the reply (RFC 5321 4.1.1.10 asks an SMTP client to wait for it; some "
		       "do not, Postfix by default among them: smtp_skip_quit_response). If the "
		       "replies it needed had come before that command and it read them, nothing "
		       "was lost; but a message's acceptance comes only after the message's end "
		       "(the \".\" line), so a client that sends that end and the QUIT together, as "
		       "pipelining does (RFC 2920 3.1), left the acceptance unread too.", w->an,
		    (unsigned long long)v->a.data_frame, w->bn, w->an);
		advise(w, "Nothing to fix if the %s read the replies it needed before its last "
			  "command; a %s that sends its commands without reading their replies "
			  "(pipelining) should read them all, the message's acceptance among them, "
			  "before it closes: RFC 2920 3.1 asks it to check every status.", w->an,
		       w->an);
		return;
	}
	say_peer_closing_alert(w);
	/* The peer's data and FIN ended with its closing alert, after the
	 * sender's own last data: as for the alert alone (above), what the
	 * close discarded may be that alert only, and draining to the FIN is
	 * no fix to ask of a session the peer had ended (a review of the
	 * corpus's webex.pcap 216 and 1085: a response, then 5.26 s later the
	 * relay's alert and FIN). */
	if (sign == UNREAD_PEER_CLOSED && v->b.data_frame > v->a.data_frame &&
	    classify_peer_closing_alert_last(v)) {
		say(w, " If the %s's application had read the %s's data before the alert (the last "
		       "it waited for), all the close discarded was that alert and the RST is "
		       "harmless; the wire cannot show that it had.", w->an, w->bn);
		advise(w, "Nothing to fix if the %s had what it wanted: the %s had ended its TLS "
			  "session. For a clean close, read until the %s's close_notify and FIN "
			  "before close().", w->an, w->bn, w->bn);
		return;
	}
	/*
	 * The unanswered request came after a silence of a second or more and
	 * the server reset within a reaction's time of it: the request woke
	 * the application, which closed without reading it; one that ends
	 * connections idle past a limit when their next data comes, or whose
	 * session expired in the silence, does so (the corpus's rtsp.pcap
	 * 189 and 481: GET_PARAMETER keep-alives after 58-60 s, against the
	 * 60 s RTSP session timeout the server announced; a review).
	 */
	const struct seg_note *t = &v->trigger;
	bool woke = sign == UNREAD_REQUESTS && t->frame && t->len > 0 &&
		    t->frame == v->request.frame && v->trigger_gap_ns >= ABORT_TIMER_MIN_NS &&
		    v->rst.ts_ns - t->ts_ns >= 0 && v->rst.ts_ns - t->ts_ns <= REQUEST_REACTION_NS;
	/* trigger_gap counts from the sender's last packet (or the peer's
	 * before the request), not from the peer's own bare ACK in between:
	 * said as what it is (a review of rtsp.pcap 189: 58.142 s after the
	 * server's response, 58.099 s after the client's ACK of it). */
	if (woke)
		say(w, " The unanswered request (frame %llu) came %s after the %s's last packet, and "
		       "the %s reset %s after it: an application that ends connections idle past a "
		       "limit when their next data comes, or whose session had expired in that "
		       "silence, closes so, the request unread.",
		    (unsigned long long)t->frame, DUR(v->trigger_gap_ns), w->an, w->an,
		    DUR(v->rst.ts_ns - t->ts_ns));
	/*
	 * An RTSP server names that limit: its Session header's timeout (RFC
	 * 2326 12.37, RFC 7826 18.49) is how long it waits between a
	 * session's requests before ending the session, and keeping it alive
	 * is the client's part. A request past it met an expired session;
	 * one well within it was not that timer. One a little short of it,
	 * counted from the server's last packet, may have met it or not: the
	 * server's timer counts from the last request it took (or another
	 * event of its own) and checks as often as it does, neither of which
	 * the wire shows (a review of rtsp.pcap 189: 1.86 s short, over a
	 * 0.7 ms path, from a client that refreshes 2 s before the timeout,
	 * as VLC does). A server whose session expired answers RTSP's 454
	 * Session Not Found (RFC 2326 11.3) rather than closing.
	 */
	int64_t session = v->sender == ROLE_SERVER && v->response_sender == ROLE_SERVER
				  ? (int64_t)v->response.session_timeout_s * 1000000000LL : 0;
	bool session_near = woke && session && v->trigger_gap_ns >= session - session / 10;
	if (woke && session && v->trigger_gap_ns >= session)
		say(w, " The server's RTSP responses announced a session timeout of %u s (Session: "
		       "timeout=%u), and the request came %s after it had run out: the session had "
		       "most likely expired.", v->response.session_timeout_s,
		    v->response.session_timeout_s, DUR(v->trigger_gap_ns - session));
	else if (session_near)
		say(w, " The server's RTSP responses announced a session timeout of %u s (Session: "
		       "timeout=%u), and the request came %s before it would run out, counted from "
		       "the server's last packet: whether the server's timer had run out depends on "
		       "what it counts from (the last request it took) and how often it checks, "
		       "which the wire does not show.", v->response.session_timeout_s,
		    v->response.session_timeout_s, DUR(session - v->trigger_gap_ns));
	else if (woke && session)
		say(w, " The server's RTSP responses announced a session timeout of %u s, and the "
		       "request came well within it: not that timer.", v->response.session_timeout_s);
	/*
	 * The request whole and acknowledged, then a second or more with no
	 * answer, then the server's reset: its application held the request
	 * that long and gave it up (a worker killed on its timeout, such as
	 * gunicorn's --timeout or uWSGI's harakiri; a crash; a kill), the rest
	 * of what it had not read discarded (a review of holdout7's gunicorn
	 * worker timeout: 1.43 s after a 33 KB upload was acknowledged).
	 */
	bool held = sign == UNREAD_REQUESTS && !woke && v->sender == ROLE_SERVER &&
		    !v->body_due && v->peer_silent_ns >= ABORT_TIMER_MIN_NS &&
		    (v->a.flags & HALF_F_ACK) && seq_geq(v->a.ack, side_data_end(&v->b));
	if (held)
		say(w, " The request had all arrived and been acknowledged %s before the reset, and "
		       "no answer came: the server held it that long, and then its application gave "
		       "it up (a worker killed on its timeout, such as gunicorn's --timeout or "
		       "uWSGI's harakiri; a crash; a kill), closing with what it had not read%s.",
		    DUR(v->peer_silent_ns),
		    v->runner_up == CAUSE_HANDSHAKE_ABORT
			    ? ", or its listener closed with the connection still queued, never "
			      "accepted (the runner-up)"
			    : "");
	/*
	 * The server reset within a few milliseconds of the handshake, having
	 * sent nothing: its application closed the connection at once, before
	 * any work, as one does on accepting a connection over its limit
	 * (Node's server.maxConnections destroys it) or from a client its
	 * rules refuse (HAProxy's tcp-request connection reject; both with the
	 * client's request already in the socket: holdout7's Node and
	 * holdout9's HAProxy, a review read "drain before close" against
	 * them), or on a first request it rejects (holdout5's nginx return
	 * 444, holdout10's Redis closing on an HTTP POST). The handshake's end
	 * is the client's SYN plus the round trip at the capture point.
	 */
	int64_t since_handshake = v->syn_ts && v->rtt_ns >= 0 && !v->midstream
					  ? v->rst.ts_ns - v->syn_ts - v->rtt_ns : -1;
	bool on_accept = !held && !woke && v->sender == ROLE_SERVER && v->a.bytes == 0 &&
			 since_handshake >= 0 && since_handshake <= ACCEPT_CLOSE_MAX_NS;
	if (on_accept)
		say(w, " The reset came %s after the handshake, before the server had sent "
		       "anything: its application closed the connection at once, with no answer, as "
		       "one does on accepting a connection over its limit (Node's "
		       "server.maxConnections, a worker's cap) or from a client its rules refuse "
		       "(HAProxy's tcp-request connection reject, an allow-list), or on a first "
		       "request it rejects unanswered (nginx's return 444, Redis on an HTTP "
		       "request), the client's data unread.", DUR(since_handshake));
	if (held)
		advise(w, "Server: find why handling the request took longer than %s (a slow "
			  "handler or backend, a lock) and what ended it: a worker timeout to raise "
			  "or a crash in its log. The client got a RST instead of an error response: "
			  "a timeout that answers (a 503 or 504) lets it retry knowingly.",
		       DUR(v->peer_silent_ns));
	else if (on_accept)
		advise(w, "Server: find the limit or rule that closed the connection at once (its "
			  "log names it: a connection cap, a rate limit, a deny list, a rejected "
			  "request) and raise it or exempt this client if it is legitimate; clients "
			  "that open many connections can reuse idle keep-alive ones instead.");
	else if (session_near)
		advise(w, "Client: refresh the RTSP session well within the %u s timeout the server "
			  "announced (a GET_PARAMETER or OPTIONS at half of it, say), so that a server "
			  "timing from an earlier event or checking coarsely still holds it: this one "
			  "came %s after the server's last packet. Server: answer a request on an "
			  "expired session with 454 Session Not Found (RFC 2326) rather than closing "
			  "with it unread, so the client gets an answer rather than a RST.",
		       v->response.session_timeout_s, DUR(v->trigger_gap_ns));
	else if (woke)
		advise(w, "%s: if it ends idle connections or sessions (a session timeout), the "
			  "peer's keep-alives must come well within that limit, or the limit rise; "
			  "either way read (drain) the socket before close(), or shutdown(SHUT_WR) "
			  "and wait for the peer's FIN, so the peer gets a FIN rather than a RST.",
		       side_word(v));
	else if (sign == UNREAD_NOT_TLS)
		advise(w, "Client: the server's port speaks %s, not TLS: use the scheme it serves "
			  "(http:// rather than https://, for a web server) or the port that serves "
			  "TLS. The RST is the client's TLS library giving up on the answer, not the "
			  "server's doing.", not_tls_protocol(v));
	else if (sign == UNREAD_BODY_DUE)
		advise(w, "Server: after an early response, read (or discard) the rest of the body "
			  "before closing, or shutdown(SHUT_WR) and keep reading a while (nginx's "
			  "lingering_close does); clients then get the response instead of a reset.");
	else if (v->sender == ROLE_CLIENT)
		/* What a client leaves unread is an answer, not requests (a
		 * review of the words: client-closes-mid-download). */
		advise(w, "Client: read (drain) the socket until EOF before close(), or "
			  "shutdown(SHUT_WR) and wait for the server's FIN; a client that abandons "
			  "a response on purpose causes this by design.");
	else
		advise(w, "%s: read (drain) the socket until EOF before close(), or "
			  "shutdown(SHUT_WR) and wait for the peer's FIN; do not close with requests "
			  "pending.", side_word(v));
}

static void close_with_data_unread(struct words *w)
{
	unread_data_words(w);
	/* A reset with no FIN of its own, long after the peer's FIN: the
	 * socket sat in CLOSE_WAIT (a FIN of its own is abort_after_own_fin's). */
	if (!(w->v->a.flags & HALF_F_FIN))
		advise_close_wait(w, say_close_wait(w));
}

/*
 * Only a protocol the wire can read shows that the client's last data
 * asked for an answer: an HTTP request. An opaque or encrypted message
 * may need none (a keep-alive, a notice), and then the same silence and
 * abort are an idle connection's close, the runner-up (a review of the
 * corpus's threema.pcap 42 and tls_1.2_unidirectional_client.pcapng 17).
 */
static void abort_while_waiting(struct words *w)
{
	const struct verdict *v = w->v;
	/* The client's last request, with nothing of the server's data after
	 * it: data of the client's since is that request's body or a resend
	 * of it (a request sent again on a lossy path is still the request
	 * waited for; its last copy, not the request, is the last data). */
	bool asked = v->request.frame && v->request.frame <= v->a.data_frame &&
		     v->b.data_frame < v->request.frame && v->request_from_sender &&
		     v->request.method != HTTP_METHOD_TLS_RECORD;
	if (asked) {
		say(w, "The client's request (frame %llu) was acknowledged by the server, which "
		       "then sent nothing for %s; the client's application gave up and aborted the "
		       "connection.", (unsigned long long)v->request.frame, DUR(v->peer_silent_ns));
		advise(w, "Server: find why the request took longer than %s (slow handler, lock, "
			  "backend). Client: raise the timeout if the wait is legitimate; the "
			  "request may have been processed, so retry only idempotent ones.",
		       DUR(v->peer_silent_ns));
		return;
	}
	say(w, "The client's last data (frame %llu) was acknowledged by the server, which then "
	       "sent nothing for %s, and the client aborted the connection. If that data asked "
	       "for an answer, the client's application gave up waiting for it; the wire of this "
	       "protocol does not show that it did, and a message that needs no answer followed "
	       "by an abortive close of the idle connection looks the same.",
	    (unsigned long long)v->a.data_frame, DUR(v->peer_silent_ns));
	advise(w, "If an answer was due: Server: find why it took longer than %s (slow handler, "
		  "lock, backend); Client: raise the timeout if the wait is legitimate, and retry "
		  "only what is safe to repeat. Otherwise: Client: close idle connections with FIN "
		  "(no SO_LINGER 0) unless the abort is intended.", DUR(v->peer_silent_ns));
}

/*
 * The peer's data seen only in the sender's acknowledgments (classify.c,
 * data_shown_by_acks): how much, what was left of the order, and that a
 * capture of the other direction would show the data itself.
 */
static void data_shown_by_acks(struct words *w)
{
	const struct verdict *v = w->v;
	uint32_t n = classify_unseen_peer_bytes(v);
	say(w, "Nothing from the %s was captured, but the %s's acknowledgments show its data: "
	       "they took %u byte%s of the %s's", w->bn, w->an, n, plural(n), w->bn);
	if (v->midstream)
		say(w, " after the capture began, mid-connection");
	/* classify.c's data_shown_by_acks: A sent data, and took no more. */
	if (v->cause == CAUSE_LINGER_ABORT) {
		if (v->a_data_last)
			say(w, ", all before the %s's last data (frame %llu), whose acknowledgment "
			       "the RST repeats: nothing more of the %s's came after it.", w->an,
			    (unsigned long long)v->a.data_frame, w->bn);
		else
			say(w, "; the %s's last data (frame %llu) was not its last segment, so the "
			       "%s's may have come after it, as an answer, and the RST took no more.",
			    w->an, (unsigned long long)v->a.data_frame, w->bn);
		say(w, " %s later the %s reset the connection instead of closing it with a FIN: "
		       "an abortive close, as SO_LINGER with timeout 0 or an application abort does, "
		       "if its application had read all of the %s's; had it not, closing with data "
		       "unread sends the same RST (RFC 2525 2.17).", DUR(v->idle_before_ns), w->an,
		    w->bn);
		advise(w, "Capture both directions to see what the %s sent. %s: close with FIN (no "
			  "SO_LINGER 0) unless the abort is intended.", w->bn, side_word(v));
		return;
	}
	if (classify_rst_acks_further(v))
		say(w, ", %u of them only in the RST's own acknowledgment: they were still "
		       "arriving when the %s closed", v->rst.ack - v->a.ack, w->an);
	else
		say(w, ", and the %s sent no data of its own in answer", w->an);
	say(w, ". %s later the %s reset the connection instead of closing it with a FIN. "
	       "Closing a socket with received data unread makes the kernel send RST instead "
	       "of FIN (RFC 2525 2.17), and discards what the %s had not yet delivered.",
	    DUR(v->idle_before_ns), w->an, w->an);
	advise(w, "Capture both directions to see that data and what came before the close. "
		  "%s: read (drain) the socket before close(), or shutdown(SHUT_WR) and keep "
		  "reading a while; if the close is a timeout on data that stopped coming (a "
		  "request body, an upload), the %s is the side to look at.", side_word(v), w->bn);
}

static void wait_shown_by_ip_id(struct words *w)
{
	const struct verdict *v = w->v;
	/* A bare ACK draws no ACK, so the IDs say no data came back, not
	 * that nothing did; and a stack that resends unacknowledged data
	 * within seconds did not, which an ACK not captured explains, or
	 * timers that did not run (a phone asleep). A capture begun too late
	 * to hold the copy before a late retransmission is read otherwise
	 * first (classify.c's late_retransmission_unacked: the corpus's
	 * KakaoTalk_chat.pcap 341, whose RST echoes the timestamp of the
	 * client's last data, so nothing at all reached it). */
	say(w, "Nothing from the server was captured, but the client's IPv4 IDs tell: its RST "
	       "(ID %u) follows its last data (frame %llu, ID %u) by one, so in the %s between "
	       "them it sent nothing: no ACK, so no data came back%s. The client's application "
	       "gave up waiting for an answer and aborted the connection.", v->ip_id,
	    (unsigned long long)v->a.data_frame, v->a.ip_id, DUR(v->idle_before_ns),
	    v->idle_before_ns >= RETRANSMISSION_DUE_NS ? ", and no retransmission, which a "
	    "stack sends within seconds for data nothing acknowledged: most likely the server "
	    "acknowledged it in a packet this capture does not hold (or the client's timers "
	    "did not run, as on a phone asleep)" : "");
	advise(w, "Capture the server's side to see the wait from there. Server: find why the "
		  "answer took longer than %s. Client: raise the timeout if the wait is legitimate; "
		  "the data may have been processed, so retry only what is safe to repeat.",
	       DUR(v->idle_before_ns));
}

/*
 * The client's FIN, with the TLS handshake unfinished and no alert of its
 * own, is what the server's abort answers: the client gave the handshake
 * up (a TLS client that rejects the server's certificate or parameters
 * closes, with an alert or without: RFC 8446 6.2 lets it; a handshake
 * timeout closes the same way). Which of them, the wire of an encrypted
 * or unanswered handshake does not say; the client's TLS library does
 * (the corpus's ndpi/tls_certificate_too_long.pcap: eight connections
 * given up 97 ms after a 3861-byte certificate flight).
 */
static bool handshake_given_up(const struct verdict *v)
{
	return v->sender == ROLE_SERVER && v->trigger.frame && v->trigger.frame == v->b.fin_frame &&
	       (v->tls.stage == TLS_STAGE_CLIENT_HELLO || v->tls.stage == TLS_STAGE_SERVER_HELLO) &&
	       v->tls.alert_from != ROLE_CLIENT + 1 && v->detail != DETAIL_PROBE;
}

static void abortive_close(struct words *w)
{
	const struct verdict *v = w->v;
	bool given_up = handshake_given_up(v);
	bool known = v->idle_before_ns >= 0;    /* the silence before the RST */
	/* A FIN within ABORT_TIMER_MIN_NS of the connection's last packet
	 * ended no usual wait: handshake timers run for seconds (the corpus's
	 * tls_certificate_too_long.pcap 258, 5.4 ms after the server's
	 * flight, and 100, 138 ms; a review). */
	bool prompt = given_up && known && v->idle_before_ns < ABORT_TIMER_MIN_NS;
	if (prompt)
		say(w, "The client closed the connection (FIN, frame %llu) with the TLS handshake "
		       "unfinished (%s) and no alert of its own, %s after the connection's last "
		       "packet: sooner than handshake timeouts run (seconds), so it gave it up on "
		       "what it had received, as a client does that will not accept the server's "
		       "certificate or parameters. The server aborted in answer (RST instead of FIN) "
		       "rather than close in turn.", (unsigned long long)v->b.fin_frame,
		    v->tls.stage == TLS_STAGE_SERVER_HELLO ?
		    "after the server's hello flight, before the client's next "
		    "handshake message" : "before any answer to its ClientHello",
		    DUR(v->idle_before_ns));
	else if (given_up)
		say(w, "The client closed the connection (FIN, frame %llu) with the TLS handshake "
		       "unfinished (%s) and no alert of its own: it gave the handshake up, as a "
		       "client does that will not accept the server's certificate or parameters, "
		       "or whose handshake timed out. The server aborted in answer (RST instead of "
		       "FIN) rather than close in turn.", (unsigned long long)v->b.fin_frame,
		    v->tls.stage == TLS_STAGE_SERVER_HELLO ?
		    "after the server's hello flight, before the client's next "
		    "handshake message" : "before any answer to its ClientHello");
	else if (v->detail == DETAIL_PROBE && v->sender == ROLE_SERVER)
		say(w, "The server accepted the connection and aborted it (RST instead of FIN) "
		       "without any data exchanged%s%s%s: an application closing with SO_LINGER 0 "
		       "on its own timeout for a first request that never came, or one that "
		       "rejects the client.", known ? ", " : "", known ? DUR(v->idle_before_ns) : "",
		    known ? " after the last packet" : "");
	/* An abort is RST+ACK from Linux (tcp_send_active_reset), the BSDs
	 * (tcp_drop, through tcp_output's flags for CLOSED), Windows and
	 * lwIP (tcp_abort): a bare RST is a raw socket's, or a small stack's
	 * that follows RFC 9293 3.10.5's ABORT to the letter (the corpus's
	 * tcp_handshake_synthetic.pcap 17, a generated handshake; a review). */
	else if (v->detail == DETAIL_PROBE && !(v->rst.flags & TCP_ACK))
		say(w, "The %s opened the connection and reset it without any data exchanged, with "
		       "a RST without the ACK flag: the stacks' abort (SO_LINGER 0 on Linux, the "
		       "BSDs, macOS and Windows) sends RST+ACK, so this one was most likely written "
		       "by a program on a raw socket (a scanner, a packet crafter, a test "
		       "generator), else by a small embedded stack that follows RFC 9293 3.10.5 to "
		       "the letter. Usually benign.", w->an);
	else if (v->detail == DETAIL_PROBE)
		say(w, "The %s opened the connection and aborted it without any data exchanged: a "
		       "health check or port probe closing with SO_LINGER 0. Usually benign.", w->an);
	else if (v->b.data_frame > v->a.data_frame && classify_sender_flushes_unread(v))
		/* FreeBSD's close drains unread data and sends a FIN
		 * (classify.c, classify_sender_flushes_unread). */
		say(w, "The %s aborted the connection (RST instead of FIN) after the %s's last data "
		       "(frame %llu), which came after its own; nothing of the %s's followed it. An "
		       "abortive close, as SO_LINGER with timeout 0 or an application abort does: its "
		       "SYN's options name FreeBSD, whose close drains unread data and sends a FIN "
		       "(tcp_disconnect), so data left unread would not have reset it.",
		    w->an, w->bn, (unsigned long long)v->b.data_frame, w->an);
	else if (classify_abort_reacting_to_answer(v) && answer_succeeded(v))
		/* An HTTP success names no error to react to (a review of the
		 * corpus's zattoo.pcap 31: a 200 answering an rtt test, then
		 * the client's RST 3 us later). */
		say(w, "The %s aborted the connection (RST instead of FIN) %s after the %s's data "
		       "(frame %llu), which answered all it had sent and which the RST acknowledges "
		       "to its end: its application closed on that answer with an abortive close "
		       "(SO_LINGER with timeout 0, or an application abort). The %s's last response "
		       "was %u, a success, so no error shows why: most likely the %s ends its "
		       "exchanges so.", w->an, DUR(v->rst.ts_ns - v->trigger.ts_ns), w->bn,
		    (unsigned long long)v->trigger.frame, w->bn, v->response.status, w->an);
	else if (classify_abort_reacting_to_answer(v))
		say(w, "The %s aborted the connection (RST instead of FIN) %s after the %s's data "
		       "(frame %llu), which answered all it had sent and which the RST acknowledges "
		       "to its end: sooner than any timer, so the %s's application reacted to that "
		       "answer (it had read at least its start) with an abortive close (SO_LINGER "
		       "with timeout 0, or an application abort); what the %s answered (an error, a "
		       "refusal) is most likely why.", w->an, DUR(v->rst.ts_ns - v->trigger.ts_ns), w->bn,
		    (unsigned long long)v->trigger.frame, w->an, w->bn);
	else if (v->b.data_frame > v->a.data_frame)
		/* Whether that data asked for an answer (a request, a command)
		 * or ended the exchange (a reply, a logoff) the wire of an
		 * unknown protocol does not say (the corpus's rtsp.pcap 103: a
		 * GET_PARAMETER request; socks5-smtp-503.pcap 20: a 503 reply),
		 * nor whether A's application read it before closing. */
		/* Acknowledged before the RST, or only by the RST's own ack
		 * (the corpus's webex.pcap 444-448: no ACK between). */
		say(w, "The %s aborted the connection (RST instead of FIN) after the %s's last data "
		       "(frame %llu), which came after its own and which its stack had %s; "
		       "nothing of the %s's followed it. An abortive close, as SO_LINGER with timeout "
		       "0 or an application abort does, if its application had read that data; had "
		       "it not, closing with it unread sends the same RST (RFC 2525 2.17).",
		    w->an, w->bn, (unsigned long long)v->b.data_frame,
		    (v->a.flags & HALF_F_ACK) && seq_geq(v->a.ack, side_data_end(&v->b))
			    ? "acknowledged" : "taken (the RST acknowledges it)", w->an);
	else if (classify_abort_at_peer_eof(v))
		/* classify.c's abortive_close: no answer could still come. */
		say(w, "The %s aborted the connection (RST instead of FIN) after the %s's FIN "
		       "(frame %llu), which its ack covers; the %s had sent no data, so nothing was "
		       "unread and no answer was awaited: the %s reacted to the end of the stream "
		       "with an abortive close, as SO_LINGER with timeout 0 or an application abort "
		       "does.", w->an, w->bn, (unsigned long long)v->b.fin_frame, w->bn, w->an);
	else if (v->sender == ROLE_SERVER && v->b.http_requests_cut)
		/* classify.c's all_read_by_answer: a cut segment's count is a lower bound. */
		say(w, "The %s aborted the connection (RST instead of FIN) after answering the %u "
		       "request%s of the %s's that the capture shows: an abortive close, as SO_LINGER "
		       "with timeout 0 or an application abort does. But the capture's snaplen cut a "
		       "segment of those requests after the last one seen, so requests pipelined "
		       "behind it (RFC 9112 9.3.2) would not show: had there been any, they were "
		       "unread, and closing with them unread sends the same RST (RFC 2525 2.17).",
		    w->an, v->b.http_requests, plural(v->b.http_requests), w->bn);
	else if (v->midstream && v->a.bytes > 0)
		/* classify.c's abortive_close: what came before is unknown. */
		say(w, "The %s aborted the connection (RST instead of FIN) with nothing from the %s "
		       "left unanswered in this capture, which began mid-connection: an abortive "
		       "close, as SO_LINGER with timeout 0 or an application abort does, unless "
		       "data the %s sent before the capture was still unread, which sends the same "
		       "RST (RFC 2525 2.17).", w->an, w->bn, w->bn);
	else if (v->graceful_closes)
		/* classify_revise_graceful: its data may have answered none
		 * of the peer's (the corpus's ethereum.pcap 1314, a goodbye of
		 * the client's own after the server's). */
		say(w, "The %s reset the connection (RST instead of FIN) after data of its own, "
		       "which came after all of the %s's: its stack had taken the %s's data, which "
		       "the wire cannot show its application read.", w->an, w->bn, w->bn);
	else
		say(w, "The %s aborted the connection (RST instead of FIN) with nothing from the %s "
		       "left unanswered: an abortive close, as SO_LINGER with timeout 0 or an "
		       "application abort does.", w->an, w->bn);
	/* There, the peer having closed first, the RST came where the
	 * sender's own FIN was due: the close it answered, and the peer's
	 * idle time before it, are what a reader looks for (the corpus's
	 * roblox.pcapng 44, after the server's close at 10 s idle; zoom.pcap
	 * 261; a review). */
	bool plain = !given_up && v->detail != DETAIL_PROBE && v->b.data_frame <= v->a.data_frame &&
		     !classify_abort_at_peer_eof(v);
	if (plain && (v->b.flags & HALF_F_FIN) && !(v->a.flags & HALF_F_FIN) &&
	    v->b.fin_frame < v->rst.frame) {
		if (long_idle(v->close_idle_ns))
			say(w, " The %s had closed first (FIN, frame %llu, after %s idle), and this RST "
			       "came where the %s's own FIN was due.", w->bn,
			    (unsigned long long)v->b.fin_frame, DUR(v->close_idle_ns), w->an);
		else
			say(w, " The %s had closed first (FIN, frame %llu), and this RST came where the "
			       "%s's own FIN was due.", w->bn, (unsigned long long)v->b.fin_frame,
			    w->an);
	}
	/*
	 * A long silence before the abort makes it the application's doing
	 * (the corpus's arkime/adb.pcap 13: 44.8 s after the server's
	 * prompt). Which timer, the wire does not say: one waiting for more
	 * than that data (a response timeout, when it was part of an answer
	 * or a prompt), or one closing a connection its application had done
	 * with (an idle or pool timeout); or no timer of this connection's,
	 * an application closing all of its connections at once (the corpus's
	 * ndpi/webex.pcap 444-454: six within 10 ms, each 1.05 s after its
	 * last packet). The silence is idle_before_ns, the silence before
	 * the connection's first close: the RST's own only where neither side
	 * had closed before it (the corpus's roblox.pcapng 44 and webex.pcap
	 * 454: the server's FIN, or its alert and FIN, came first, and its
	 * idle time is not this).
	 */
	/* Why no unread data is the runner-up (classify.c, abortive_close). */
	if (!given_up && v->detail != DETAIL_PROBE && v->b.bytes > 0 &&
	    v->b.data_frame <= v->a.data_frame && classify_sender_flushes_unread(v))
		say(w, " Its SYN's options name its stack, %s, whose close discards unread data "
		       "and sends a FIN (FreeBSD's tcp_disconnect): only a zero linger or an abort "
		       "sends a RST.", host_stack_label((enum host_stack)v->host.stack));
	bool first_close = !((v->a.flags | v->b.flags) & HALF_F_FIN) &&
			   !v->a.rst_frame && !v->b.rst_frame;
	bool timed = !given_up && v->detail != DETAIL_PROBE && known && first_close &&
		     v->idle_before_ns >= ABORT_TIMER_MIN_NS && !v->b_window_closed;
	bool goodbye = !given_up && v->detail != DETAIL_PROBE &&
		       classify_peer_closing_alert_last(v);
	if (goodbye)
		say_peer_closing_alert(w);
	/* After the peer's goodbye nothing more was to come: no response
	 * timeout then. */
	if (timed && goodbye)
		say(w, " The abort came %s after the last packet, the application's doing: it "
		       "closed the session the %s had ended, or all its connections at once (an "
		       "exit or a network change).", DUR(v->idle_before_ns), w->bn);
	else if (timed)
		say(w, " It came %s after the last packet: after a wait that long the abort was "
		       "the application's doing, giving up on more than the %s had sent (a "
		       "response timeout), closing a connection it was done with (an idle "
		       "timeout), or closing all its connections at once (an exit or a network "
		       "change).", DUR(v->idle_before_ns), w->bn);
	/* Its own response named its idle timeout (Keep-Alive: timeout=N,
	 * RFC 2068 19.7.1.1; Apache's KeepAliveTimeout and nginx's
	 * keepalive_timeout header value): the silence either is that timer
	 * or is not (the corpus's arkime/http-wrapped-header.pcap 12, an
	 * abort after 8.9 s from a server that announced 15 s; a review). */
	if (timed && v->response.status && v->response.keepalive_s &&
	    v->response_sender == (int8_t)v->sender && v->sender != ROLE_UNKNOWN) {
		int64_t announced = (int64_t)v->response.keepalive_s * 1000000000LL;
		int64_t idle = v->idle_before_ns;
		if (idle >= announced - announced / 10 && idle <= announced + announced / 10 +
								     1000000000LL)
			say(w, " That is the Keep-Alive timeout=%u its last response announced: its "
			       "idle timeout, closing with a RST instead of a FIN.",
			    v->response.keepalive_s);
		else
			say(w, " Its last response announced Keep-Alive timeout=%u, so this was not "
			       "that idle timer: something else ended the connection %s.",
			    v->response.keepalive_s, idle < announced ? "early" : "late");
	}
	if ((v->b.flags & HALF_F_ACK) && seq_lt(v->b.ack, v->a.next_seq)) {
		uint32_t unacked = v->a.next_seq - v->b.ack;
		/* A's last record was a TLS alert of its own, in a segment of
		 * its own (alert_last), and no more is unacknowledged than one
		 * alert record takes (7 bytes in clear; encrypted, 24 in TLS
		 * 1.3, 31 with AES-GCM, at most 53 with a CBC suite and its
		 * padding): what went unacknowledged is that goodbye (the
		 * corpus's roblox.pcapng 44, viber.pcap 37, zoom.pcap 261). */
		if (v->tls.alert && v->tls.alert_last && v->tls.alert_from == v->sender + 1 &&
		    v->sender != ROLE_UNKNOWN && unacked <= 53)
			say(w, " The %u bytes the %s had sent that were not yet acknowledged are its "
			       "own last TLS record, an alert (most likely its close_notify): no "
			       "application data was lost.", unacked, w->an);
		else
			say(w, " %u bytes the %s had sent were not yet acknowledged and may be lost.",
			    unacked, w->an);
	}
	/*
	 * A peer whose window stayed shut had stopped reading, so the
	 * sender's data waited behind it (RFC 9293 3.8.6.1: zero-window
	 * probes). A server's send timeout aborts such a connection: nginx's
	 * send_timeout with reset_timedout_connection, which sets SO_LINGER 0
	 * before closing (nginx docs, ngx_http_core_module); the lab's
	 * nginx-send-timeout-reset-v4.
	 */
	if (v->b_window_closed && v->detail != DETAIL_PROBE) {
		say(w, " The %s's last segment advertised a zero window: it had stopped reading "
		       "and the %s's data was waiting, as when a send timeout (nginx's send_timeout "
		       "with reset_timedout_connection, a write deadline) gives up on a reader "
		       "that stalled.", w->bn, w->an);
		/* An application's plain close queues the FIN behind that data,
		 * and Linux's persist timer then resets the orphan only under
		 * orphan or memory pressure (tcp_probe_timer's
		 * tcp_out_of_resources, reason TCP_ABORT_ON_MEMORY, traced in
		 * the lab above linux_close_reset); otherwise it gives it up
		 * silently after tcp_orphan_retries probes. */
		bool linux_maybe = classify_may_run_linux(v);
		if (linux_maybe)
			say(w, " Or, on Linux, the application had closed and the kernel reset the "
			       "closed socket still holding that data, as it does when it holds too "
			       "many orphaned sockets or is short of TCP memory.");
		advise(w, "%s: find why it stopped reading (a stalled or overloaded consumer, a "
			  "full pipe downstream). %s: if slow readers are legitimate, raise the send "
			  "timeout.", v->sender == ROLE_SERVER ? "Client" : "Server", side_word(v));
		if (linux_maybe)
			advise_orphan_log(w);
		return;
	}
	if (prompt)
		advise(w, "Client: find why it refused the server's handshake; its TLS library's "
			  "error names it (certificate validation, the chain's size, a version or "
			  "cipher it refuses). The server's RST only ends the abandoned connection.");
	else if (given_up)
		advise(w, "Client: find why it gave up the TLS handshake; its TLS library's error "
			  "names it (certificate validation, the chain's size, a version or cipher it "
			  "refuses, a handshake timeout). The server's RST only ends the abandoned "
			  "connection.");
	else if (v->detail == DETAIL_PROBE && v->sender == ROLE_SERVER)
		advise(w, "Server: find the timeout that aborts connections which send nothing "
			  "(a first-request or handshake timeout), and whether it is too short for "
			  "these clients. Client: send the request as soon as the connection is "
			  "up; a connection opened ahead of need is aborted like this.");
	else if (v->detail == DETAIL_PROBE)
		advise(w, "Nothing to fix if this is a health check; otherwise find what opens "
			  "and aborts connections.");
	else if (timed && goodbye)
		advise(w, "%s: the %s had ended the session, so the RST cut off nothing it was "
			  "sending; close with FIN (no SO_LINGER 0) unless the abort is intended.",
		       side_word(v), w->bn);
	else if (timed)
		advise(w, "%s: find what aborted the connection after %s of silence (a response, "
			  "read or idle timeout, or a shutdown), and close with FIN (no SO_LINGER 0) "
			  "unless the abort is intended.", side_word(v), DUR(v->idle_before_ns));
	else if (classify_abort_reacting_to_answer(v) && !answer_succeeded(v))
		advise(w, "Read the %s's answer (frame %llu): the %s aborted on it, so an error or "
			  "a refusal there (a failed logon, a rejected request) is what to fix; "
			  "otherwise close with FIN (no SO_LINGER 0) unless the abort is intended.",
		       w->bn, (unsigned long long)v->trigger.frame, w->an);
	else
		advise(w, "%s: close with FIN (no SO_LINGER 0) unless the abort is intended.",
		       side_word(v));
}

static void ack_scan_probe(struct words *w)
{
	const struct verdict *v = w->v;
	char addr[64];
	report_endpoint(addr, sizeof addr, v->ipver, v->dst, v->dport);
	say(w, "The %s's bare ACK (frame %llu) opened this tuple with no connection behind it, "
	       "and %s sent such ACKs to %u destinations%s: an ACK scan (nmap -sA sends them "
	       "from a raw socket). The %s answered with the reply-form RST a host sends for a "
	       "segment no connection can take (seq = the ACK's ack), whether the port listens "
	       "or not (RFC 9293 3.10.7), so it says the port is reachable, not that it is "
	       "open.", w->bn, (unsigned long long)v->trigger.frame, addr, v->probe_targets,
	    v->probe_targets == UINT8_MAX ? " or more" : "", w->an);
	advise(w, "Nothing to fix on the %s if the scan is expected; otherwise find the scanning "
		  "host (%s) and who runs it.", w->an, addr);
}

static void flags_no_stack_sends(struct words *w)
{
	const struct verdict *v = w->v;
	say(w, "The RST from the %s also carries %s, which no TCP stack sends with a RST "
	    "(they send RST or RST+ACK): a crafted packet (a scanner's or fuzzer's probe) or one "
	    "corrupted on the way. No cause is read from it.", w->an,
	    (v->rst.flags & (TCP_SYN | TCP_FIN)) == (TCP_SYN | TCP_FIN) ? "SYN and FIN" :
	    (v->rst.flags & TCP_SYN) ? "SYN" : "FIN");
	advise(w, "Capture at the %s to see whether it sent this packet; if it did not, find "
		  "what crafts or corrupts packets on the path.", w->an);
}

static void diagnosed_timeout(struct words *w)
{
	say(w, "The RST gives its own reason: a diagnostic payload with reason code 14, "
	       "\"connection timeout\", as a NAT or firewall sends when it expires the flow's "
	       "state (draft-boucadair-tcpm-rst-diagnostic-payload).");
	advise(w, "Send keep-alives (TCP keepalive or application pings) more often than the "
		  "device's idle timeout, or close idle pooled connections before it.");
}

static void nothing_fits(struct words *w)
{
	const struct verdict *v = w->v;
	say(w, "The RST (%s form) came from the %s", rst_form_name(v->form), w->an);
	if (v->after_evictions)
		say(w, "; its start is missing: the capture began mid-connection, or rstdiag "
		       "had forgotten it when more connections were open than --max-flows allows");
	else if (v->stray_ack)
		say(w, " in answer to the %s's lone ACK (frame %llu), the first segment seen of "
		       "this connection", w->bn, (unsigned long long)v->trigger.frame);
	else if (v->midstream && !(v->a.flags & HALF_F_SEEN) && !(v->b.flags & HALF_F_SEEN))
		/* Alone on its tuple, it need not belong to a connection at all
		 * (the corpus's arkime_synthetic.pcap 521-524: one crafted
		 * packet a port, URG, RST, FIN, PSH, all with IP ID 1). */
		say(w, "; nothing else of its connection was captured: the capture began after "
		       "the rest of it, or the RST was sent alone (a crafted packet, a scan's probe)");
	else if (v->midstream)
		say(w, "; the capture began mid-connection, so its start is missing");
	if (!(v->b.flags & HALF_F_SEEN) && (v->a.flags & HALF_F_SEEN))
		say(w, "; nothing from the %s was seen", w->bn);
	say(w, ". No cause fits what was captured.");
	/* What would decide, by the RST's form (TAXONOMY: the two wire forms). */
	if (v->stray_ack)
		/* One such ACK cannot tell a probe from a joined connection
		 * (classify.c, ack_scan_probe); more from its port would. */
		say(w, " A host answers an ACK for a connection it does not have this way: either "
		       "the capture began mid-connection and the %s had lost it (peer-lost-state), "
		       "or there was no connection and the ACK was a probe (an ACK scan such as "
		       "nmap -sA, answered alike whether the port listens or not). More such ACKs "
		       "from the %s's port to other ports would show a scan; the connection's "
		       "earlier packets would show a lost one.", w->an, w->bn);
	/* At A's own FIN's number: the reply of A's closed socket to a
	 * segment B sent before that FIN reached it (classify_form), not
	 * captured (the corpus's ndpi/ocs.pcap 87, one direction only). */
	else if (v->form == FORM_REPLY && !v->trigger.frame && (v->a.flags & HALF_F_FIN) &&
		 v->rst.seq == v->a.fin_seq)
		say(w, " Its sequence number is the %s's own FIN's: the reply a closed socket sends "
		       "to a segment sent before that FIN reached the %s (most likely data that "
		       "crossed it: data-after-fin), which this capture does not hold. The %s's "
		       "segment would decide.", w->an, w->bn, w->bn);
	/*
	 * At its stack's initial TTL, as the sender's own packets came: no
	 * router stood between the sender and the capture, which is at the
	 * sender, so a NAT or firewall further on that forgot the flow could
	 * not have put a RST here in its name; nor would a TTL decide (the
	 * corpus's googledns_android10.pcap 158 and teams.pcap 252, both
	 * captured on their clients; a review).
	 */
	else if (v->form == FORM_REPLY && v->origin == ORIGIN_ENDPOINT && !v->peer_relay &&
		 host_initial_ttl(v->rst.ttl) == v->rst.ttl)
		say(w, " A reply-form RST is what a host sends for a segment of a connection it "
		       "does not have: the %s had lost this one (peer-lost-state), or had ended it "
		       "before the capture began (then this RST follows up its own close). It came "
		       "with TTL %u, an initial one, as the %s's own packets do: the capture is at "
		       "the %s, so no middlebox on the path answered in its name. The %s's own "
		       "earlier packets would decide: a FIN or RST of its own.", w->an,
		    v->rst.ttl, w->an, w->an, w->an);
	else if (v->form == FORM_REPLY)
		say(w, " A reply-form RST is what a host sends for a segment of a connection it "
		       "does not have: the %s had lost this one (peer-lost-state), had ended it "
		       "before the capture began (then this RST follows up its own close), or a "
		       "middlebox that had forgotten the flow answered in its name "
		       "(idle-timeout). The %s's own earlier packets would decide: a FIN or RST of "
		       "its own, and the TTL they arrived with.", w->an, w->an);
	/* With nothing of the sender's to compare its TTL with, the form
	 * alone does not name the sender: a firewall or NAT that tracks a
	 * connection's numbers ends an idle flow with RSTs of this form in
	 * both names (the corpus's KakaoTalk_talk.pcap 22: a lone RST at
	 * TTL 142, after 21.7 s of capture; a review). */
	else if (v->form == FORM_ACTIVE && v->origin == ORIGIN_UNKNOWN)
		say(w, " An active-form RST is the %s's own abort, or one a middlebox that tracked "
		       "the connection's numbers sent in its name (a firewall or NAT ending an idle "
		       "flow: idle-timeout; a forged reset: injected), which nothing of the %s's "
		       "here tells apart: whether the %s left data unread (unread-recv-buffer), "
		       "gave up waiting for an answer or an acknowledgment (response-timeout, "
		       "retransmit-timeout, keepalive-timeout) or aborted by design (linger-abort) "
		       "depends on what each side sent before it, which the capture does not hold.",
		    w->an, w->an, w->an);
	else if (v->form == FORM_ACTIVE)
		say(w, " An active-form RST is the %s's own abort: whether it left data unread "
		       "(unread-recv-buffer), gave up waiting for an answer or an acknowledgment "
		       "(response-timeout, retransmit-timeout, keepalive-timeout) or aborted by "
		       "design (linger-abort) depends on what each side sent before it, which the "
		       "capture does not hold.", w->an);
	else if (!(v->a.flags & HALF_F_SEEN) && !(v->b.flags & HALF_F_SEEN))
		say(w, " With no packet of either side before it, its numbers have nothing to be "
		       "read against: what it answers and what the %s's state was are unknown, and "
		       "both sides' earlier packets would decide.", w->an);
	/* A bare RST at A's own next sequence number is the reply to a
	 * segment that acknowledged all A had sent (RFC 9293 3.10.7.1), which
	 * a capture of one direction does not hold (the corpus's
	 * tls_1.3_unidirectional_server.pcapng 8: after the server's FIN). */
	else if ((v->a.flags & HALF_F_SEEN) && v->rst.seq == v->a.next_seq &&
		 !(v->rst.flags & TCP_ACK))
		say(w, " Its sequence number is the %s's own next one, but it carries no ACK: the "
		       "reply a closed socket sends to a segment that acknowledged all the %s had "
		       "sent%s, which this capture does not hold%s. The %s's segment would decide.",
		    w->an, w->an, (v->a.flags & HALF_F_FIN) ? ", its FIN included" : "",
		    (v->a.flags & HALF_F_FIN) ? " (most likely the peer's data after that FIN: "
						"data-after-fin)" : "", w->bn);
	else
		say(w, " Its numbers fit neither wire form (not the %s's own next sequence "
		       "number, as an abort carries, nor the acknowledgment of a segment it "
		       "answers), so the segment it answers and the %s's state are unknown: both "
		       "sides' earlier packets would decide.", w->an, w->an);
	/* A RST that arrives with its stack's initial TTL crossed no router:
	 * the capture is at its sender already (the corpus's
	 * ndpi/1kxun.pcap 681, TTL 64), and only an earlier start (where its
	 * SYN was not captured) or the other direction helps. */
	if (v->after_evictions)
		advise(w, "Run again with a larger --max-flows, so no connection is forgotten.");
	else if ((v->a.flags & HALF_F_SEEN) && v->a.pkts >= 3 &&
		 (v->a.retrans + v->a.syn_retrans) * 4 <= v->a.pkts && !(v->b.flags & HALF_F_SEEN)) {
		/* A went on sending, seldom again, and nothing of B's came: a
		 * peer that was silent would have made A resend all along, so
		 * B's packets were sent and not captured (a SPAN of one
		 * direction, asymmetric routing; the corpus's ndpi/ocs.pcap,
		 * one host's 946 packets, a handshake among them, one of them
		 * sent again). */
		char again[32] = "none";
		if (v->a.retrans + v->a.syn_retrans)
			text_format(again, sizeof again, "%u of them", v->a.retrans + v->a.syn_retrans);
		advise(w, "Capture both directions: this capture holds %u packets of the %s's on "
			  "this connection, %s sent again, and none of the %s's.", v->a.pkts, w->an,
		       again, w->bn);
	} else if (host_initial_ttl(v->rst.ttl) == v->rst.ttl)
		advise(w, "Capture %sboth directions (this capture is at the %s already: its RST "
			  "came with TTL %u, an initial one).",
		       v->syn ? "" : "from before the connection started, ", w->an, v->rst.ttl);
	else
		advise(w, "Capture closer to the sender%s.",
		       v->syn ? "" : ", from before the connection started");
}

/*
 * The relay on the link reset at once as the peer closed, sooner than it
 * could have heard from the real host (classify.c's
 * relay_teardown_at_once).
 */
static void relay_teardown(struct words *w)
{
	const struct verdict *v = w->v;
	say(w, "The %s closed (FIN, frame %llu) and %s later this RST came from the box that "
	       "sends for the %s's address (see its origin), which terminates TCP. That is "
	       "sooner than the box could have heard from the real %s: it answers a SYN only "
	       "once its own connection to the real %s is up, and this handshake took %s. So "
	       "the box ended the connection itself as the %s closed, as a VPN app's stack "
	       "does when it tears down a connection it has sent no FIN on (PCAPdroid's zdtun), "
	       "relaying nothing of the real %s's.", w->bn, (unsigned long long)v->b.fin_frame,
	    DUR(v->rst.ts_ns - v->b.fin_ts), w->an, w->an, w->an, DUR(v->rtt_ns), w->bn, w->an);
	advise(w, "Nothing to fix: the %s had closed, and the box's reset only ended what was "
		  "left of the connection.", w->bn);
}

/* Indexed by enum rule. */
static void (*const rule_words[RULE_COUNT])(struct words *w) = {
	[RULE_FLAGS_NO_STACK_SENDS] = flags_no_stack_sends,
	[RULE_DIAGNOSED_TIMEOUT] = diagnosed_timeout,
	[RULE_REFUSAL_OF_UNSEEN_SYN] = refusal_of_unseen_syn,
	[RULE_AFTER_EARLIER_RESET] = after_earlier_reset,
	[RULE_AFTER_UNTRANSLATED_RESET] = after_untranslated_reset,
	[RULE_UNTRANSLATED_SEGMENT] = untranslated_segment,
	[RULE_MPTCP_FASTCLOSE] = mptcp_fastclose,
	[RULE_SYN_ON_RECENTLY_CLOSED_TUPLE] = syn_on_recently_closed_tuple,
	[RULE_SYN_REFUSED] = syn_refused,
	[RULE_ABORT_AS_CONNECTED] = abort_as_connected,
	[RULE_SYN_ACK_AFTER_CLIENT_GAVE_UP] = syn_ack_after_client_gave_up,
	[RULE_CHALLENGE_ACK_FOR_STALE_CONNECTION] = challenge_ack_for_stale_connection,
	[RULE_SYN_ANSWERED_BY_OLD_ACK] = syn_answered_by_old_ack,
	[RULE_OLD_ACK_UNSEEN] = old_ack_unseen,
	[RULE_SYN_UNANSWERED] = syn_unanswered,
	[RULE_ACK_OF_UNSENT_DATA] = ack_of_unsent_data,
	[RULE_ACK_SCAN_PROBE] = ack_scan_probe,
	[RULE_SYN_ACK_UNANSWERED] = syn_ack_unanswered,
	[RULE_SERVER_RESET_BEFORE_DATA] = server_reset_before_data,
	[RULE_FIN_NEVER_ACKED] = fin_never_acked,
	[RULE_DATA_AFTER_OWN_FIN] = data_after_own_fin,
	[RULE_PROBES_UNANSWERED] = probes_unanswered,
	[RULE_RETRANSMISSIONS_UNACKED] = retransmissions_unacked,
	[RULE_LATE_RETRANSMISSION_UNACKED] = late_retransmission_unacked,
	[RULE_FOREIGN_RST_AFTER_SILENCE] = foreign_rst_after_silence,
	[RULE_FOREIGN_RST] = foreign_rst,
	[RULE_AFTER_BOTH_CLOSED] = after_both_closed,
	[RULE_RELAY_TEARDOWN] = relay_teardown,
	[RULE_ABORT_AFTER_OWN_FIN] = abort_after_own_fin,
	[RULE_REPLY_FROM_HOST_THAT_LOST_IT] = reply_from_host_that_lost_it,
	[RULE_CLOSE_WITH_DATA_UNREAD] = close_with_data_unread,
	[RULE_ABORT_WHILE_WAITING] = abort_while_waiting,
	[RULE_WAIT_SHOWN_BY_IP_ID] = wait_shown_by_ip_id,
	[RULE_DATA_SHOWN_BY_ACKS] = data_shown_by_acks,
	[RULE_ABORTIVE_CLOSE] = abortive_close,
	[RULE_MPTCP_SUBFLOW_RESET] = mptcp_subflow_reset,
	[RULE_NOTHING_FITS] = nothing_fits,
};

/* ---- the runner-up ---- */

static void runner_up_n(struct words *w, size_t fmt_len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void runner_up_n(struct words *w, size_t fmt_len, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	size_t len = strlen(w->e->runner_up);   /* rare: no length kept */
	text_vappend(w->e->runner_up, sizeof w->e->runner_up, &len, fmt_len, fmt, ap);
	va_end(ap);
}
#define runner_up(w, ...) runner_up_n((w), TEXT_FMT_LEN(__VA_ARGS__), __VA_ARGS__)

/*
 * unread-recv-buffer's rival when the server sent nothing after its
 * SYN-ACK: a connection never accepted, reset by its listener's close.
 * From a box that makes each connection itself, whose SYN-ACK came once
 * its own connect() to the real server succeeded (libslirp's tcp_input,
 * as say_relay cites), that queue is the real server's (a review of the
 * corpus's gnutella.pcap 1978).
 */
static void queued_rival(struct words *w)
{
	const struct verdict *v = w->v;
	bool b_seen = (v->b.flags & HALF_F_SEEN) != 0;
	const char *quiet = DUR(b_seen ? v->peer_silent_ns : v->idle_before_ns);
	const char *since = b_seen ? "the client's last segment"
				   : "its own last acknowledgment of the client's data";
	if (relayed_by_box(v))
		runner_up(w, "the box's SYN-ACK came once its own connection to the real server was "
			     "made; nothing of the server's followed it, and the RST came %s after "
			     "%s: that server may never have accepted the connection from its "
			     "listener's queue, and a listener that closes resets every connection "
			     "still queued (Linux inet_csk_listen_stop), which the box passes on as "
			     "the same RST", quiet, since);
	else
		runner_up(w, "the server sent nothing after its SYN-ACK, and its RST came %s after "
			     "%s, not in reaction to it: the connection may never have left the "
			     "listener's accept queue, whose kernel takes the data; a listener that "
			     "closes (its process exiting, a worker recycled, a restart) resets every "
			     "connection still queued (Linux inet_csk_listen_stop), the same RST",
			  quiet, since);
}

/*
 * Why the rule's runner-up (classify.c names one for every medium
 * verdict) fits what was seen too, and what would tell them apart.
 */
static void say_runner_up(struct words *w)
{
	const struct verdict *v = w->v;
	if (v->cause == CAUSE_RESET_FOLLOWUP && v->detail == DETAIL_CROSSED) {
		runner_up(w, "judged on the %s's own side, with the %s's RST (frame %llu) set aside, "
			     "its abort reads as %s: the two RSTs are counted as one incident, the "
			     "%s's first", w->an, w->bn, (unsigned long long)v->b.rst_frame,
			  cause_id(v->runner_up), w->bn);
		return;
	}
	/* classify.c's classify_revise_graceful. */
	if (v->graceful_closes && v->cause == CAUSE_UNREAD_RECV_BUFFER) {
		runner_up(w, "a zero linger (SO_LINGER 0) set on this connection alone, or an "
			     "application abort, sends the same RST");
		return;
	}
	/* classify.c's one_program_abort. */
	if (v->one_program_capped && v->cause == CAUSE_LINGER_ABORT) {
		runner_up(w, "one program made these packets, and a segment it did not rebuild (a "
			     "record it did not decrypt, as a TLS close_notify, left as a bare ACK or "
			     "out) would have %s with the same RST",
			  v->runner_up == CAUSE_DATA_AFTER_FIN ? "met the sender's closed socket"
							       : "lain unread when it closed");
		return;
	}
	switch ((enum rule)v->rule) {
	case RULE_SYN_ON_RECENTLY_CLOSED_TUPLE:
		runner_up(w, "a closed port refuses a SYN with the same RST; only the tuple's "
			     "previous connection, %s earlier, points at TIME_WAIT",
			  DUR(v->since_prev_ns));
		break;
	case RULE_CHALLENGE_ACK_FOR_STALE_CONNECTION:
	case RULE_SYN_ANSWERED_BY_OLD_ACK:
		runner_up(w, "the ACK (ack %u) does not match where a previous connection on the "
			     "tuple ended, so other state may have answered the SYN (a SYN proxy, "
			     "a firewall); the client rejects any such ACK", v->trigger.ack);
		break;
	case RULE_SYN_ACK_AFTER_CLIENT_GAVE_UP:
		if (v->runner_up == CAUSE_CONNECT_TIMEOUT)
			runner_up(w, "an application whose connect timeout is under %s gives up "
				     "the same way", DUR(v->trigger.ts_ns - v->syn_ts));
		else
			runner_up(w, "%s", (v->a.flags & HALF_F_WSCALE)
					       ? "a raw socket's SYN (a scanner) draws the same RST; "
						 "its SYN would not usually offer window scaling as "
						 "this one did"
					       : "a raw socket's SYN (a scanner) draws the same RST, "
						 "and this SYN offered no window scaling, as a scan's "
						 "usually does not (nor does a kernel's with it turned "
						 "off)");
		break;
	case RULE_ABORT_AS_CONNECTED:
		runner_up(w, "a connect timeout that fired as the SYN-ACK arrived, %s after the SYN, "
			     "aborts the same way", DUR(v->rst.ts_ns - v->syn_ts));
		break;
	case RULE_SYN_UNANSWERED:
		if (answers_unseen_synack(v))
			runner_up(w, "an application that cancelled its connect() after %s, before "
				     "the kernel's own timeout, leaves the SYN-ACK to the same reply",
				  DUR(v->rst.ts_ns - v->syn_ts));
		else
			runner_up(w, "an application that cancels its connect() after %s, before the "
				     "kernel's own timeout, aborts the attempt the same way",
				  DUR(v->rst.ts_ns - v->syn_ts));
		break;
	case RULE_REFUSAL_OF_UNSEEN_SYN:
		runner_up(w, "without the segment it answers, a refusal forged in the %s's name "
			     "looks the same", w->an);
		break;
	case RULE_SYN_REFUSED:
		/* classify.c's relayed_refusal. */
		if (v->runner_up == CAUSE_CONNECT_TIMEOUT)
			runner_up(w, "the box's own connect() to the real %s may have failed without "
				     "a refusal: that host or its network unreachable (an ICMP error), "
				     "which a box that makes each connection itself answers with the "
				     "same RST", w->an);
		break;
	case RULE_ACK_OF_UNSENT_DATA:
		if (v->runner_up == CAUSE_INJECTED)
			runner_up(w, "a third party forging a RST in the %s's name may number it "
				     "anyhow, and without the segment it answers nothing ties this "
				     "number to the %s", w->an, w->bn);
		else
			runner_up(w, "a %s that restarted answers a segment of a connection it no "
				     "longer has the same way", w->an);
		break;
	case RULE_ACK_SCAN_PROBE:
		runner_up(w, "a closed port answers the probe with the same RST as a listening "
			     "one, so the port may be closed");
		break;
	case RULE_SYN_ACK_UNANSWERED:
		runner_up(w, "the client's ACK may have been lost on the path every time; the "
			     "server's give-up is then a plain retransmission timeout (a capture at "
			     "the client shows whether it sent one: if this capture was taken there, "
			     "it sent none, and this reading falls)");
		break;
	case RULE_SERVER_RESET_BEFORE_DATA:
		if (v->runner_up == CAUSE_CONNECT_TIMEOUT)
			runner_up(w, "the client may never have completed the handshake, having "
				     "given up connecting, and a server that gives up a half-open "
				     "connection resets it the same way");
		else
			runner_up(w, "an application that accepts and aborts at once (SO_LINGER 0) "
				     "sends the same RST");
		break;
	case RULE_PROBES_UNANSWERED:
		if (!(v->b.flags & HALF_F_SEEN) && v->cause == CAUSE_LINGER_ABORT)
			runner_up(w, "a stack whose keep-alive timers run in finer steps than "
				     "seconds would send its probes this soon; the peer's segments "
				     "would tell");
		else if (!(v->b.flags & HALF_F_SEEN))
			runner_up(w, "nothing of the %s's was captured, so they may have been "
				     "zero-window probes to a peer that stopped reading, and an "
				     "application giving up on it (a send timeout) aborts the same way",
				  w->bn);
		else
			runner_up(w, "with one probe only, an application abort just after it looks "
				     "the same");
		break;
	case RULE_RETRANSMISSIONS_UNACKED:
		runner_up(w, "an application that aborts (SO_LINGER 0) while its data is still "
			     "unacknowledged sends the same RST");
		break;
	case RULE_RELAY_TEARDOWN:
		runner_up(w, "the real %s's own end of the connection, relayed by the box, had it "
			     "come by chance just as the %s closed: then the box's socket reads as "
			     "%s", w->an, w->bn, cause_id(v->runner_up));
		break;
	case RULE_LATE_RETRANSMISSION_UNACKED:
		if (v->runner_up == CAUSE_RESPONSE_TIMEOUT)
			runner_up(w, "the %s may have acknowledged the data in a packet this capture "
				     "does not hold, and the %s's application then given up waiting "
				     "for an answer; a capture at the %s would show the ACK", w->bn,
				  w->an, w->bn);
		else
			runner_up(w, "if the %s acknowledged the FIN in a packet this capture does "
				     "not hold, an application that had shut its side down and then "
				     "aborted (SO_LINGER 0) sends the same RST", w->bn);
		break;
	case RULE_DATA_AFTER_OWN_FIN:
		if (v->runner_up == CAUSE_RESET_FOLLOWUP ||
		    (v->runner_up == CAUSE_PEER_LOST_STATE && !(v->b.flags & HALF_F_SEEN)))
			/* classify.c's one_way_data_after_fin */
			runner_up(w, "a socket already gone when the %s's segment came (an orphan the "
				     "kernel dropped early, over tcp_max_orphans) answers a bare ACK or "
				     "FIN with the same RST, %s; the %s's segment would tell", w->bn,
				  v->runner_up == CAUSE_RESET_FOLLOWUP
					  ? "a follow-up of the close the FIN began"
					  : "the connection lost on that side before the FIN reached "
					    "the other",
				  w->bn);
		else if (v->runner_up == CAUSE_PEER_LOST_STATE)
			runner_up(w, "the %s's stack may have given the connection up while its FIN "
				     "went unacknowledged, and a host with no socket left answers the "
				     "data with the same RST", w->an);
		break;
	case RULE_FIN_NEVER_ACKED:
		runner_up(w, "the %s's closed socket may still have been there, its later FINs lost "
			     "before this capture point, and it answers the data with the same RST "
			     "(data-after-fin): only that the FINs stopped coming says it was gone",
			  w->an);
		break;
	case RULE_FOREIGN_RST_AFTER_SILENCE:
	case RULE_FOREIGN_RST:
		runner_up(w, "the %s's own RST, if its packets now reach the capture point by "
			     "another path or another box answers for its address; read as the %s's "
			     "own, it is %s", w->an, w->an, cause_id(v->runner_up));
		break;
	case RULE_REPLY_FROM_HOST_THAT_LOST_IT:
		if (v->runner_up == CAUSE_IDLE_TIMEOUT)
			runner_up(w, "the segment came after %s of silence: a NAT or firewall that "
				     "forgot the flow and answers with the %s's TTL looks the same",
				  DUR(v->trigger_gap_ns), w->an);
		else
			runner_up(w, "a firewall on the %s or just in front of it that rejects the "
				     "segment answers with the same TTL", w->an);
		break;
	case RULE_CLOSE_WITH_DATA_UNREAD:
	case RULE_DATA_SHOWN_BY_ACKS:
		if (v->cause == CAUSE_LINGER_ABORT)
			runner_up(w, "the %s's application may not have read all of the %s's data "
				     "it answered, and closing with data unread sends the same RST",
				  w->an, w->bn);
		else if (v->runner_up == CAUSE_HANDSHAKE_ABORT)     /* classify.c, unread_rival */
			queued_rival(w);
		else
			runner_up(w, "the wire cannot show whether the %s's application had read "
				     "that data; an abortive close (SO_LINGER 0) sends the same RST "
				     "either way", w->an);
		break;
	case RULE_ABORT_WHILE_WAITING:
	case RULE_WAIT_SHOWN_BY_IP_ID:
		runner_up(w, "an application that aborts its connections (SO_LINGER 0) for another "
			     "reason sends the same RST");
		break;
	case RULE_ABORT_AFTER_OWN_FIN:
		if (v->runner_up == CAUSE_LINGER_ABORT)
			runner_up(w, "a zero linger sends the same RST whether or not the data "
				     "was read");
		else if (v->runner_up == CAUSE_UNREAD_RECV_BUFFER && v->cause == CAUSE_DATA_AFTER_FIN)
			runner_up(w, "the RST is the %s's close with the %s's data unread; had the "
				     "%s been awaiting that data, not closing on its own, it would be "
				     "unread data, not a write after the close", w->an, w->bn, w->an);
		else if (v->runner_up == CAUSE_UNREAD_RECV_BUFFER)
			runner_up(w, "the %s's data before the FIN may not all have been read; a "
				     "close with unread data sends the same RST", w->bn);
		else
			runner_up(w, "the %s may have given up waiting for an answer after its "
				     "FIN", w->an);
		break;
	case RULE_MPTCP_SUBFLOW_RESET:
		runner_up(w, "the subflow's socket may have been closed with data unread; the "
			     "reason code says what the %s claims", w->an);
		break;
	case RULE_ABORTIVE_CLOSE:
		if (v->runner_up == CAUSE_HANDSHAKE_ABORT)
			runner_up(w, "a listener that closes with the connection still queued, "
				     "never accepted, resets it the same way");
		else if (v->runner_up == CAUSE_CONNECT_TIMEOUT)
			runner_up(w, "a connect timeout that fired as the handshake completed "
				     "aborts the same way");
		else if (v->runner_up == CAUSE_UNREAD_RECV_BUFFER && v->b.bytes == 0 &&
			 v->midstream)
			runner_up(w, "the capture began mid-connection: data the %s sent before it "
				     "may have been left unread, which sends the same RST", w->bn);
		else if (v->runner_up == CAUSE_UNREAD_RECV_BUFFER)
			runner_up(w, "the %s's stack took the %s's data, but the wire cannot show "
				     "that its application read all of it", w->an, w->bn);
		else
			runner_up(w, "the %s may have given up waiting for an answer that never "
				     "came", w->an);
		break;
	case RULE_UNTRANSLATED_SEGMENT:     /* classify.c: a moved segment after a silence */
		if (v->runner_up == CAUSE_IDLE_TIMEOUT)
			runner_up(w, "the connection had been silent %s: the balancer may have "
				     "dropped its mapping on an idle timer rather than lost it",
				  DUR(v->trigger.ts_ns - v->nat.ts_ns));
		break;
	default:
		break;
	}
}

/* ---- what the look-ahead added ---- */

/* A RST the peer discarded for its sequence number (classify.c's
 * classify_rst_outside_window has the sources). */
static void say_outside_window(struct words *w)
{
	const struct verdict *v = w->v;
	uint32_t d = v->rst.seq - v->b.ack;
	bool ahead = d < (UINT32_C(1) << 31);
	say(w, " Its sequence number (%u) is %u bytes %s the next the %s expected (%u, its last "
	       "ACK), more than any TCP window reaches: the %s discards such a RST (RFC 9293 "
	       "3.10.7.4), so it did not end the connection there",
	    v->rst.seq, ahead ? d : 0u - d, ahead ? "beyond" : "before", w->bn, v->b.ack, w->bn);
	if (v->revised.kind == REVISED_PEER_KEPT_CONNECTION)
		say(w, "; the %s's bare ACK %s later (frame %llu) shows it kept it", w->bn,
		    DUR(v->revised.ts_ns - v->rst.ts_ns), (unsigned long long)v->revised.frame);
	/* An IPv4 ID on the sender's own counter is its stack's: no blind
	 * forger's (the corpus's KakaoTalk_chat.pcap 298, ID 0x246a after the
	 * server's 0x2469). */
	bool own_id = v->ip_id_relation == IP_ID_CONTINUES ||
		      v->ip_id_relation == IP_ID_CONTINUES_GLOBAL;
	say(w, ". The RST numbers the connection otherwise than the packets the %s received", w->bn);
	if (own_id)
		say(w, ", and its IPv4 ID continues the %s's own, so the %s's stack sent it", w->an,
		    w->an);
	say(w, ": a firewall between them that randomizes sequence numbers let it through "
	       "untranslated%s.", own_id ? "" : ", or it was forged by someone who could not see "
					       "the connection");
	advise(w, " This RST did not end the connection at the %s: whatever the %s meant to end, "
		  "look for a firewall with sequence number randomization on the path.", w->bn,
	       w->an);
}

static void say_revision(struct words *w)
{
	const struct verdict *v = w->v;
	char how[48];
	if (classify_rst_outside_window(v) && (v->revised.kind == REVISED_NOT ||
					       v->revised.kind == REVISED_PEER_KEPT_CONNECTION)) {
		/* The sequence number decides it; an ACK after it only shows it. */
		say_outside_window(w);
		return;
	}
	switch ((enum revision)v->revised.kind) {
	case REVISED_PEER_KEPT_CONNECTION:
		say(w, " The %s did not accept this RST: %s later it sent a bare ACK (frame %llu), "
		       "the RFC 5961 challenge ACK for a RST that is in the window but not exactly "
		       "at the next sequence number, and the connection went on.",
		    w->bn, DUR(v->revised.ts_ns - v->rst.ts_ns), (unsigned long long)v->revised.frame);
		break;
	case REVISED_SENDER_WENT_ON_CONFIRMS:
		say(w, " The %s itself went on %s later (frame %llu, %s), which confirms the RST "
		       "was not its own.", w->an, DUR(v->revised.ts_ns - v->rst.ts_ns),
		    (unsigned long long)v->revised.frame, went_on_how(v, how, sizeof how));
		break;
	case REVISED_RETRY_ACCEPTED:
		break;      /* syn_refused says it, with its advice */
	case REVISED_SENDER_WENT_ON_FORGED:
		say(w, "The %s went on with the connection %s after this RST (frame %llu, %s), as if "
		       "it had never sent it: a stack that resets a connection sends nothing more on "
		       "it", w->an, DUR(v->revised.ts_ns - v->rst.ts_ns),
		    (unsigned long long)v->revised.frame, went_on_how(v, how, sizeof how));
		if (v->revised.synack)
			say(w, ", and one that refuses a SYN does not then accept it: the refusal raced "
			       "the real answer.");
		else
			say(w, ", while the %s took the RST and went silent.", w->bn);
		say(w, " A third party on the path forged the RST in the %s's name (TTL %u", w->an,
		    v->rst.ttl);
		if ((v->a.flags & HALF_F_SEEN) && v->a.ttl_min <= v->a.ttl_max)
			say(w, "; the %s's own packets %u-%u", w->an, v->a.ttl_min, v->a.ttl_max);
		say(w, "). Judged on its own, the RST looked like %s.",
		    cause_id(v->revised.looked_like));
		if (v->revised.synack)
			advise(w, "The %s did not refuse this connection: look for a firewall, IPS or "
				  "censor on the path that resets connection attempts (it may match on "
				  "the address or the port); the %s's stack may have ignored the forged "
				  "refusal and connected.", w->an, w->bn);
		else
			advise(w, "The %s did not reset this connection: look for a firewall, IPS or "
				  "censor on the path that resets connections (it may match on the "
				  "payload); the %s's request may have reached the %s.", w->an, w->bn,
			       w->an);
		break;
	case REVISED_NOT:
		break;
	}
}

/*
 * A RST from the box that sends for the sender's address (one IPv4 ID
 * counter for many addresses: classify_revise_shared_ids) is that box's
 * socket's: a NAT engine that terminates TCP, as VirtualBox's does
 * (slirp), or a VPN app's or proxy's stack, ends the peer's connection
 * when its own to the real host ends, and so an abort after data read as
 * the sender's own is the box's relay of something beyond it (the
 * corpus's ndpi/gnutella.pcap 1166: a RST one far-side round trip after
 * the guest's data).
 */
/* Below this a handshake's time is the box's own, not a far round trip. */
#define RELAY_FAR_RTT_MIN_NS 20000000

static void say_relay(struct words *w)
{
	const struct verdict *v = w->v;
	if (!relayed_by_box(v))
		return;
	bool relayed_abort = false;
	switch ((enum cause)v->cause) {
	case CAUSE_UNREAD_RECV_BUFFER:
	case CAUSE_LINGER_ABORT:
	case CAUSE_RESPONSE_TIMEOUT:
		relayed_abort = true;
		break;
	case CAUSE_DATA_AFTER_FIN:
	case CAUSE_PEER_LOST_STATE:
		break;
	case CAUSE_CLOSED_PORT:
		/* The box answers the SYN only once its own connect() has
		 * succeeded, and resets it when that connect fails: libslirp
		 * (VirtualBox's NAT engine, QEMU, slirp4netns) in tcp_input
		 * answers ECONNREFUSED at once with RST+ACK, and a
		 * non-blocking connect that fails later, however (cont_conn:
		 * SS_NOFDREF, dropwithreset), with the same (a review of the
		 * corpus's gnutella.pcap refusals; the lab's slirp-relay-v4
		 * has a refused one). */
		say(w, " This refusal came from the box that sends for the %s's address (see its "
		       "origin), which makes each connection again itself: its own connect() to "
		       "the real %s failed", w->an, w->an);
		/* Sooner than a stack gives up on a SYN: its first
		 * retransmission alone waits 1 s (RFC 6298 2.1; Linux's
		 * TCP_TIMEOUT_INIT), and libslirp keeps no connect timer of
		 * its own (a review of gnutella.pcap 228: 183 ms, each try
		 * alike). */
		int64_t took = v->trigger.frame ? v->rst.ts_ns - v->trigger.ts_ns : -1;
		if (took >= 0 && took < 1000000000)
			say(w, " %s after the SYN, sooner than a stack gives up on an unanswered SYN "
			       "(its first retransmission alone waits 1 s, RFC 6298 2.1): refused by "
			       "a closed port or unreachable (an ICMP error), unless the box's own "
			       "connect has a shorter timeout; which of those lies beyond the box, "
			       "outside this capture.", DUR(took));
		else
			say(w, " (refused by a closed port, or unreachable, or timed out), and which of "
			       "those lies beyond the box, outside this capture.");
		return;
	default:
		return;
	}
	/*
	 * An abort of an open connection the box relays: libslirp's soread
	 * resets the guest's connection (tcp_drop) only when its own socket
	 * reports ECONNRESET, ECONNABORTED, ENOTCONN or EPIPE, and passes the
	 * far side's EOF on as a FIN (tcp_sockclosed); it keeps no timer of
	 * its own that aborts. So the abort began beyond the box: what was
	 * said of the sender's socket is the real host's, or a box's on the
	 * path beyond (a review of the corpus's gnutella.pcap 1978: not the
	 * box's own socket, which had read everything, nor a refusal or a
	 * timeout, which a connected relay would not send as a RST).
	 */
	if (relayed_abort)
		say(w, " This RST came from the box that sends for the %s's address (see its "
		       "origin), which terminates TCP and relays each connection with a socket of "
		       "its own. Such a box resets the %s's connection when its own connection to the "
		       "real %s was reset, and passes that %s's FIN on as a FIN (libslirp, behind "
		       "QEMU's and VirtualBox's NAT, resets on ECONNRESET, ECONNABORTED, ENOTCONN or "
		       "EPIPE from its socket): so what is said above is the real %s's doing as the "
		       "box relayed it, or that of another box on the path beyond, which this "
		       "capture cannot tell apart.", w->an, w->bn, w->an, w->an, w->an);
	else
		say(w, " This RST came from the box that sends for the %s's address (see its "
		       "origin), which terminates TCP: what is said above is that box's socket, "
		       "which had closed the %s's connection as its own connection to the real %s "
		       "ended, so why that connection ended lies beyond the box, outside this "
		       "capture.", w->an, w->bn, w->an);
	/*
	 * The box answers a SYN only once its own connect() has succeeded
	 * (libslirp's tcp_input, above), so the handshake here took the far
	 * side's round trip; a RST that many after the peer's last data is
	 * the real host's answer to that data, relayed (the corpus's
	 * gnutella.pcap 1166: 333 ms after the guest's 600 bytes, against a
	 * 335 ms handshake; a review's reading).
	 */
	int64_t rtt = v->rtt_ns, after = v->peer_silent_ns;
	if (rtt >= RELAY_FAR_RTT_MIN_NS && after > 0 && v->b.bytes > 0 &&
	    after >= rtt - rtt / 4 && after <= rtt + rtt / 4)
		say(w, " It came %s after the %s's last data, as long as this handshake took (%s), "
		       "which the box answers only once its own connection to the real %s is up: "
		       "one round trip beyond the box, so the real %s answered that data with its "
		       "reset at once.", DUR(after), w->bn, DUR(rtt), w->an, w->an);
	/* The advice for the sender's own socket is the box's, which no one
	 * here configures: replaced. */
	advice_replaced(w);
	advise(w, "Capture beyond that box too (its own connection to the %s) to see the %s's "
		  "reason; the box itself (a VM's NAT, a VPN app, a proxy) only relays it.", w->an,
	       w->an);
}

/*
 * The peer's packets made by such a box (the RST's own sender a host
 * behind it, as a phone behind its VPN app: the corpus's ndpi/webex.pcap,
 * waze.pcap and tunnelbear.pcap, whose far addresses number their packets
 * on one counter): the peer's data, FIN and round trips above are the
 * box's, which closes toward the sender when its own connection to the
 * real host ends (libslirp's tcp_sockclosed after the far socket's EOF),
 * or on a timeout of its own.
 */
static void say_peer_relay(struct words *w)
{
	const struct verdict *v = w->v;
	if (!v->peer_relay || v->cause == CAUSE_RESET_FOLLOWUP ||
	    v->origin_basis == ORIGIN_BY_SHARED_IDS || v->origin_basis == ORIGIN_BY_LOCAL_RELAY)
		return;
	if (classify_peer_on_link_relay(v))
		say(w, " The %s's packets are a relay's, not the %s host's own: they came from a "
		       "public address to the %s's private one at the TTL they were sent with, so "
		       "no router, and no NAT, stood between: a box on this link or host that "
		       "terminates TCP made them (a VPN app that captures, a VM's NAT engine, a "
		       "proxy).", w->bn, w->bn, w->an);
	else
		say(w, " The %s's packets are a relay's, not the %s host's own: its address numbers "
		       "them on one IPv4 ID counter with other addresses here, as a box that "
		       "terminates TCP does (a phone's VPN app, a VM's NAT engine, a proxy).", w->bn,
		    w->bn);
	say(w, " Their data (TLS records and alerts included) is the real %s's, relayed", w->bn);
	/* A relay cannot make an encrypted alert, only pass it on; a FIN of
	 * the box's follows the end of its own connection (a review of
	 * webex.pcap 444 and 661, whose relay sent no FIN). */
	if (v->b.flags & HALF_F_FIN)
		say(w, "; its FIN is the box's, sent when its own connection to the real %s ended "
		       "or on a timeout of its own.", w->bn);
	else
		say(w, ".");
}

/* The sentence on the request: did it reach the peer, may it be retried? */
/*
 * A request with a body that the asked side acknowledged only in part,
 * while its asker had sent the rest again (or the asked side reset it,
 * its RST's ack its own stack's count): the rest never reached it, so its
 * application never had the whole request (holdout8's path-MTU black
 * hole: a POST's headers acknowledged, its body's full-sized segments
 * never; a review read "may have been processed"). The body ends where
 * its Content-Length says, or, for a method that carries one (its header
 * cut by the snaplen, or chunked), with what the asker sent after it.
 * Returns the bytes acknowledged from the request's first and sets *rest
 * to those after them, or returns 0.
 */
static uint32_t request_acked_part(const struct verdict *v, uint32_t *rest)
{
	const struct http_note *r = &v->request;
	const char *m = http_method_name(r->method);
	const struct side *asker = v->request_from_sender ? &v->a : &v->b;
	bool body_method = m && (!strcmp(m, "POST") || !strcmp(m, "PUT") || !strcmp(m, "PATCH"));
	if (!r->has_body && !body_method)
		return 0;
	uint32_t end = r->has_body ? r->body_end : side_data_end(asker);
	uint32_t ack;
	if (v->request_from_sender) {
		if (!(v->b.flags & HALF_F_ACK) || !v->a.retrans)
			return 0;
		ack = v->b.ack;
	} else {
		if (!(v->a.flags & HALF_F_ACK))
			return 0;
		ack = (v->rst.flags & TCP_ACK) && seq_gt(v->rst.ack, v->a.ack) ? v->rst.ack : v->a.ack;
	}
	if (!seq_gt(ack, r->seq) || !seq_lt(ack, end))
		return 0;
	*rest = end - ack;
	return ack - r->seq;
}

static void say_request(struct words *w)
{
	const struct verdict *v = w->v;
	const struct http_note *r = &v->request;
	bool idem = http_method_idempotent(r->method);
	/* The role of whoever was asked: the other side from the asker. */
	enum role asked = v->request_from_sender ? role_peer(v->sender) : v->sender;
	const char *m = http_method_name(r->method), *pn = role_word(asked, "peer");
	uint32_t acked, rest = 0;
	if (r->method == HTTP_METHOD_TLS_RECORD) {
		/* Its size is known, its method is not (RFC 8446 5.2). */
		char to[HTTP_TARGET_MAX + 8] = "";
		if (r->target[0])
			text_format(to, sizeof to, " to %s", r->target);
		/* On HTTP/2 a client's first record opens with its connection
		 * preface and SETTINGS (RFC 9113 3.4), which ask nothing (the
		 * corpus's tunnelbear.pcap 84, 53 bytes; a review). */
		const struct side *asker = v->request_from_sender ? &v->a : &v->b;
		say(w, " The data %s was a TLS record of %u bytes%s (frame %llu), ",
		    v->reached_peer == REACHED_NO ? "it met"
		    : farewell_close(v) && v->request_from_sender ? "sent" : "asked",
		    r->body_end - r->seq, to,
		    (unsigned long long)r->frame);
		if (tls_note_h2(&v->tls) && asker->http_requests == 1)
			say(w, "the client's first on this HTTP/2 connection (ALPN h2): it carries the "
			       "connection preface and SETTINGS (RFC 9113 3.4), which ask nothing, and "
			       "may also hold its first request, encrypted; ");
		else if (farewell_close(v) && v->request_from_sender) {
			say(w, "sent as the %s closed an idle connection: most likely its goodbye, "
			       "with nothing to retry.", role_word(v->sender, "peer"));
			return;
		} else
			say(w, "a new request whose content is encrypted; ");
		if (v->reached_peer == REACHED_NO)
			say(w, "it cannot have reached the %s's application, so sending it again is "
			       "safe.", pn);
		else
			say(w, "it %s the %s, and whether retrying is safe is unknown: the method is "
			       "encrypted.", v->reached_peer == REACHED_YES ? "reached" : "may have reached",
			    pn);
		return;
	}
	if (v->reached_peer == REACHED_NO && v->cause == CAUSE_DATA_AFTER_FIN)
		say(w, " That data was the request %s %s: retrying it is safe.", m, r->target);
	else if (v->reached_peer == REACHED_NO)
		say(w, " The request it met, %s %s (frame %llu), cannot have reached the %s's "
		       "application: retrying it is safe.", m, r->target, (unsigned long long)r->frame,
		    pn);
	else if (v->reached_peer == REACHED_YES && v->cause == CAUSE_UNREAD_RECV_BUFFER &&
		 classify_unread_sign(v) == UNREAD_REQUESTS && !r->has_body &&
		 v->b.data_frame == r->frame)
		/* A request without a body, unanswered, in the peer's last
		 * data: the unread data a close discards is the stream's tail,
		 * so its end was in it, and its application never had it
		 * whole (the lab's pipelined-unread: GET /c in one segment
		 * with /a and /b and one response was "may have been
		 * processed"). A body may have been read after its header. */
		say(w, " The request %s %s (frame %llu) reached the %s's socket but was not "
		       "answered, and it ended the data the close discarded: the %s's application "
		       "never had it whole, so it was most likely not processed; %s",
		    m, r->target, (unsigned long long)r->frame, pn, pn,
		    idem ? "its method is idempotent, so retrying it is safe."
			 : "its method is not idempotent, so retry it only where a repeat is "
			   "harmless.");
	else if (v->reached_peer == REACHED_YES && (acked = request_acked_part(v, &rest)) != 0)
		say(w, " The request %s %s (frame %llu) reached the %s only in part: its socket "
		       "acknowledged the first %u bytes and none of the %u after them%s %s, so its "
		       "application never had the whole request and cannot have completed it; %s",
		    m, r->target, (unsigned long long)r->frame, pn, acked, rest,
		    r->has_body ? "" : " (its body, as far as the capture shows)",
		    v->request_from_sender ? "despite the retransmissions" : "before its RST",
		    idem ? "its method is idempotent, so retrying it is safe."
			 : "its method is not idempotent: retry it only where the server acts on a "
			   "request once its whole body has arrived.");
	else
		say(w, " The request %s %s (frame %llu) %s the %s%s and may have been processed; "
		       "%s", m, r->target, (unsigned long long)r->frame,
		    v->reached_peer == REACHED_YES ? "reached" : "may have reached", pn,
		    v->reached_peer == REACHED_YES ? " (its socket acknowledged it)" : "",
		    idem ? "its method is idempotent, so retrying it is safe."
			 : "its method is not idempotent: do not retry it blindly.");
}

/* The client had the server's flight before it reset: it acknowledged
 * server data, earlier or in the RST. One that closed before the flight
 * came (the corpus's ndpi/android.pcap 294, a FIN 11 ms before the
 * ServerHello) rejected nothing of it. */
static bool acked_server_data(const struct verdict *v)
{
	uint32_t first = v->b.base_seq + ((v->b.flags & HALF_F_ISN) ? 1u : 0u);
	return ((v->a.flags & HALF_F_ACK) && seq_gt(v->a.ack, first)) ||
	       ((v->rst.flags & TCP_ACK) && seq_gt(v->rst.ack, first));
}

/*
 * What the TLS handshake's stage says of a reset during it (the cause is
 * the taxonomy's; this names the TLS situation and its evidence):
 * - a middlebox's RST right after the ClientHello: the server name
 *   travels in clear there (RFC 6066 3; RFC 8744 describes filtering on
 *   it), and a device on the path reset the connection on it;
 * - the client's own RST after the server's flight began: it rejected
 *   what the server sent, most often the certificate, or its choices;
 * - the server's own RST right after the ClientHello: nothing in it was
 *   acceptable (no common version or cipher suite, a name not served).
 */
static void say_tls(struct words *w)
{
	const struct verdict *v = w->v;
	const struct tls_note *t = &v->tls;
	char name[HTTP_TARGET_MAX + 8] = "", alert[64] = "";
	if (v->request.target[0])
		text_format(name, sizeof name, " for %s", v->request.target);
	if (t->alert && t->alert != TLS_ALERT_ENCRYPTED && tls_alert_name((uint8_t)(t->alert - 1)))
		text_format(alert, sizeof alert, " (its alert: %s)", tls_alert_name((uint8_t)(t->alert - 1)));
	if (t->stage == TLS_STAGE_CLIENT_HELLO && v->origin == ORIGIN_MIDDLEBOX) {
		say(w, " It came right after the client's ClientHello%s, whose server name travels in "
		       "clear: a device on the path resetting connections by name (SNI filtering) "
		       "looks like this.", name);
		advise(w, " Find the device that filters%s (a firewall, proxy or national filter); "
			  "Encrypted Client Hello hides the name from it.", name);
	} else if (t->stage == TLS_STAGE_SERVER_HELLO && v->sender == ROLE_CLIENT &&
		   v->origin != ORIGIN_MIDDLEBOX && acked_server_data(v)) {
		say(w, " The client reset during the TLS handshake%s, after the server's hello and "
		       "certificate%s: it rejected what the server sent, most often the certificate "
		       "(an untrusted CA, a name that does not match, an expired one, pinning).",
		    name, t->alert_from == ROLE_CLIENT + 1 ? alert : "");
		advise(w, " Check the server's certificate chain as the client sees it (openssl "
			  "s_client -connect HOST:PORT -servername NAME).");
	} else if (t->stage == TLS_STAGE_CLIENT_HELLO && v->sender == ROLE_SERVER &&
		   v->origin != ORIGIN_MIDDLEBOX) {
		const char *offered = tls_version_name(tls_note_version(t->offered));
		say(w, " The server reset right after the client's ClientHello%s%s%s: nothing in it "
		       "was acceptable to the server (no common TLS version or cipher suite, or a "
		       "name it does not serve)%s.", name, offered ? ", offering TLS up to " : "",
		    offered ? offered : "", t->alert_from == ROLE_SERVER + 1 ? alert : "");
		advise(w, " Compare the server's TLS versions and cipher suites with the client's "
			  "(openssl s_client -tls1_2 or -tls1_3 -servername NAME).");
	}
}

/* What the RST's own data says, in every case but the rule that read it. */
/*
 * A RST its peer dropped (v->rst_take, flow.h): below the peer's window,
 * or one below it after the sender's FIN, which only Linux takes. Said of
 * a record's own RST; a follow-up says it of the RST it follows too
 * (after_earlier_reset).
 */
static void say_take(struct words *w)
{
	const struct verdict *v = w->v;
	if (v->rst_take == RST_TAKE_BELOW)
		say(w, " This RST (seq %u) fell %u below what the %s had already acknowledged (%u), "
		       "outside its window, and no stack takes such a RST (RFC 9293 3.10.7.4): it "
		       "did not end the connection at the %s.",
		    v->rst.seq, v->b.ack - v->rst.seq, w->bn, v->b.ack, w->bn);
	else if (v->rst_take == RST_TAKE_AFTER_FIN && year_before_reset_check(v))
		say(w, " This RST (seq %u) is one below what the %s had already acknowledged (%u), "
		       "at the %s's FIN: " ONE_BELOW_TAKEN_BY "; the capture's clock dates it to %d, "
		       "before any stack took one, so it did not end the connection at the %s.",
		    v->rst.seq, w->bn, v->b.ack, w->an, year_before_reset_check(v), w->bn);
	else if (v->rst_take == RST_TAKE_AFTER_FIN)
		say(w, " This RST (seq %u) is one below what the %s had already acknowledged (%u), "
		       "at the %s's FIN: " ONE_BELOW_TAKEN_BY ", and then it did not end the "
		       "connection at the %s.",
		    v->rst.seq, w->bn, v->b.ack, w->an, w->bn);
}

static void say_rst_data(struct words *w)
{
	const struct verdict *v = w->v;
	const struct rst_payload *d = &v->rst_data;
	/* A packet with flags no stack sends with a RST is no stack's RST,
	 * and its data no reason (the corpus's ndpi/reasm_crash_anon.pcapng
	 * 96: XML of a data segment whose flags byte was corrupted). */
	if (d->format == RST_PAYLOAD_NONE || v->rule == RULE_DIAGNOSED_TIMEOUT ||
	    v->rule == RULE_FLAGS_NO_STACK_SENDS)
		return;
	if (d->format == RST_PAYLOAD_DIAG_COMPACT && d->enterprise)
		say(w, " The RST carries a diagnostic payload: vendor reason code %u of enterprise "
		       "number %u.", d->code, d->enterprise);
	else if (d->format == RST_PAYLOAD_DIAG_COMPACT)
		say(w, " The RST carries a diagnostic payload: reason code %u (%s).", d->code,
		    rst_payload_cause_name(d->code) ? rst_payload_cause_name(d->code) : "unassigned");
	else if (d->format == RST_PAYLOAD_DIAG_TEXT)
		say(w, " The RST carries a diagnostic payload describing it: \"%s\".", d->text);
	else if (d->format == RST_PAYLOAD_TEXT)
		say(w, " The RST carries text, its sender's reason as load balancers write it "
		       "(F5 BIG-IP's RST cause, for one): \"%s\".", d->text);
}

/*
 * The server's first data refused the connection in its own protocol
 * (first_bytes.h): whatever the RST's rule, that refusal is what ended
 * the connection, and its setting is what to look at. Each is the
 * service's documented answer over its limit.
 */
/* classify.c's classify_revise_graceful: unread data, read from the
 * sender's graceful closes of other connections. */
static void say_graceful(struct words *w)
{
	const struct verdict *v = w->v;
	if (!v->graceful_closes || v->cause != CAUSE_UNREAD_RECV_BUFFER)
		return;
	unsigned n = v->graceful_closes;
	say(w, " The %s's address closed %u%s other connection%s gracefully in this capture (its "
	       "FIN first, the peer's in answer before any RST): its applications close without a "
	       "zero linger, and then a close sends a RST only for data left unread (RFC 2525 "
	       "2.17), most likely the %s's here.", w->an, n, n == 31 ? " or more" : "", plural(n),
	    w->bn);
	/* The rule's advice was a zero linger's. */
	advice_replaced(w);
	advise(w, "%s: read what the %s sent (drain the socket to EOF) before close(), or "
		  "shutdown(SHUT_WR) and read until its FIN, if that data mattered; a close with "
		  "data unread is a RST.", side_word(v), w->bn);
}

/*
 * The service's last words before it closed (first_bytes.h): they name
 * why, where the idle time alone names the usual setting. An open
 * transaction's timeout and an administrator's command are no idle
 * session's, so their advice replaces the idle close's.
 */
static void say_goodbye(struct words *w)
{
	const struct verdict *v = w->v;
	const char *who = v->goodbye_by_sender ? w->an : w->bn;
	switch ((enum first_bytes_goodbye)v->goodbye) {
	case GOODBYE_NONE:
	case GOODBYE_COUNT:
		return;
	case GOODBYE_PG_IDLE_IN_TRANSACTION:
		say(w, " Before closing, the %s said why: PostgreSQL's FATAL 25P03, \"terminating "
		       "connection due to idle-in-transaction timeout\": the session had a "
		       "transaction open (BEGIN without COMMIT or ROLLBACK) and idle for longer than "
		       "idle_in_transaction_session_timeout.", who);
		advice_replaced(w);
		advise(w, "Client: the application left a transaction open while idle: commit or "
			  "roll back as soon as its work is done (psycopg2 and JDBC begin one "
			  "implicitly unless autocommit is on), or raise "
			  "idle_in_transaction_session_timeout if long idle transactions are "
			  "intended; evicting or checking pooled connections would only hide this.");
		return;
	case GOODBYE_PG_IDLE_SESSION:
		say(w, " Before closing, the %s said why: PostgreSQL's FATAL 57P05, \"terminating "
		       "connection due to idle-session timeout\" (idle_session_timeout).", who);
		return;
	case GOODBYE_PG_ADMIN_SHUTDOWN:
		say(w, " Before closing, the %s said why: PostgreSQL's FATAL 57P01, \"terminating "
		       "connection due to administrator command\": pg_terminate_backend() or a "
		       "server shutdown ended the session, not an idle timeout.", who);
		advice_replaced(w);
		advise(w, "Server: find who ended the session (pg_terminate_backend() by an "
			  "administrator or a tool, or a shutdown or restart; PostgreSQL's log has "
			  "it). Client: reconnect, and retry what was not committed.");
		return;
	case GOODBYE_MYSQL_INACTIVITY:
		say(w, " Before closing, the %s said why: MySQL's error 4031, \"The client was "
		       "disconnected by the server because of inactivity\" (wait_timeout, or "
		       "interactive_timeout for interactive clients).", who);
		return;
	}
}

/* classify.c's note_oversize_stuck: the sign of a path-MTU black hole. */
static void say_stuck_oversize(struct words *w)
{
	const struct verdict *v = w->v;
	if (v->stuck_side == STUCK_NONE)
		return;
	const char *h = v->stuck_side == STUCK_SENDER ? w->an : w->bn;
	const char *other = v->stuck_side == STUCK_SENDER ? w->bn : w->an;
	say(w, " The %s's segment sent again carried %u bytes, and the %s had acknowledged %u "
	       "byte%s of its data in all since its SYN: no segment that big got through. That is "
	       "the sign of a path-MTU black hole (RFC 2923 2.1): a link with a smaller MTU on the "
	       "path (a VPN, a tunnel, PPPoE) drops full-sized packets, and a firewall filters the "
	       "ICMP \"%s\" that would have the %s send smaller ones, while small packets (the "
	       "handshake, a request) still cross. A peer or path that went down just then looks "
	       "the same.", h, v->stuck_len, other, v->stuck_acked, plural(v->stuck_acked),
	    v->ipver == 6 ? "packet too big" : "fragmentation needed", h);
	advise(w, " If a tunnel or VPN is on the path: measure its MTU toward the %s (tracepath, "
		  "or %s), let ICMP %s through to the %s, or clamp the MSS on the tunnel's router "
		  "(nftables: tcp flags syn tcp option maxseg size set rt mtu).", other,
	       v->ipver == 6 ? "ping -6 -M do -s 1452" : "ping -M do -s 1472",
	       v->ipver == 6 ? "packet-too-big" : "fragmentation-needed", h);
}

static void say_refusal(struct words *w)
{
	if (w->v->refusal == REFUSAL_NONE || w->v->refusal >= REFUSAL_COUNT)
		return;
	/* The rule's advice was about how the connection closed; the refusal
	 * is what to fix, and its advice replaces that. */
	advice_replaced(w);
	switch ((enum first_bytes_refusal)w->v->refusal) {
	case REFUSAL_NONE:
	case REFUSAL_COUNT:
		return;
	case REFUSAL_SSH_MAXSTARTUPS:
		say(w, " The server's first data was \"Exceeded MaxStartups\": OpenSSH's sshd "
		       "writes that and closes a new connection while it holds too many "
		       "unauthenticated ones (MaxStartups, 10:30:100 by default, refusing at random "
		       "from 10; PerSourceMaxStartups for one source). The client sees "
		       "\"kex_exchange_identification: Connection reset by peer\" or \"Connection "
		       "closed by remote host\".");
		advise(w, "Server: raise MaxStartups (and "
			  "PerSourceMaxStartups) in sshd_config, and find what holds connections "
			  "unauthenticated (scanners, slow logins; LoginGraceTime bounds them). "
			  "Client: open fewer SSH connections at once (Ansible's forks, parallel git "
			  "or rsync over SSH), or share one (ControlMaster).");
		return;
	case REFUSAL_REPLY_421:
		say(w, " The server's first line was a 421 reply: service not available, closing "
		       "the channel (SMTP, RFC 5321 3.8; FTP, RFC 959), as a mail server sends over "
		       "its connection limits (Postfix's smtpd_client_connection_count_limit, "
		       "Exim's smtp_accept_max) and an FTP server with too many users (vsftpd's "
		       "max_clients).");
		advise(w, "Server: raise the limit it hit, or find "
			  "what fills it; Client: retry later, with fewer connections at once.");
		return;
	case REFUSAL_REDIS_MAXCLIENTS:
		say(w, " The server's first data was \"-ERR max number of clients reached\": "
		       "Redis writes that and closes a new connection when it already has "
		       "maxclients (10000 by default, less if its file-descriptor limit is lower).");
		advise(w, "Server: raise maxclients and the "
			  "process's file-descriptor limit (ulimit -n), or find the clients that "
			  "hold connections (INFO clients, CLIENT LIST); Client: bound the pool size "
			  "and reuse connections.");
		return;
	case REFUSAL_MYSQL_TOO_MANY:
		say(w, " The server's first packet was an error 1040 (Too many connections) "
		       "instead of its greeting: MySQL refuses a connection so over "
		       "max_connections.");
		advise(w, "Server: raise max_connections, or find "
			  "who holds connections (SHOW PROCESSLIST); Client: bound each "
			  "application's pool, or put a pooler in front.");
		return;
	case REFUSAL_POSTGRES_TOO_MANY:
		say(w, " The server answered with an error of SQLSTATE 53300 "
		       "(too_many_connections: \"sorry, too many clients already\"): PostgreSQL "
		       "refuses a connection so over max_connections, less the slots reserved "
		       "for superusers.");
		advise(w, "Server: raise max_connections, or put "
			  "a pooler (PgBouncer, Pgpool-II) in front; Client: bound each "
			  "application's pool (pg_stat_activity shows who holds connections).");
		return;
	}
}

/* ---- the evidence frames ---- */

/*
 * An active-form RST's segment that the sender had acknowledged before it:
 * the RST came later, on the sender's own close, and answered nothing (the
 * corpus's arkime/smtp-decrypted.pcap 88, the server's FIN the client had
 * acknowledged, captured after that ACK).
 */
static bool trigger_acked_before(const struct verdict *v)
{
	return v->form == FORM_ACTIVE && (v->a.flags & HALF_F_ACK) && v->trigger.frame &&
	       seq_geq(v->a.ack, v->trigger.seq + note_seq_len(&v->trigger));
}

static void say_evidence(const struct words *w)
{
	const struct verdict *v = w->v;
	struct explanation *e = w->e;
	const char *a = role_name(v->sender), *b = role_name(role_peer(v->sender));
	e->n_evidence = verdict_evidence(v, e->evidence);
	for (int i = 0; i < e->n_evidence; i++) {
		char *out = e->what[i];
		size_t n = sizeof e->what[i];
		switch (e->evidence[i].kind) {
		case EV_TRIGGER:
			if (late_after_synack(v))
				text_format(out, n, "%s %s, too long before the RST to be what "
					    "it answers", b, seg_kind(&v->trigger));
			else if (trigger_acked_before(v))
				text_format(out, n, "%s %s (%u bytes), acknowledged before the RST",
					    b, seg_kind(&v->trigger), v->trigger.len);
			else
				text_format(out, n, "%s %s (%u bytes) answered by the RST", b,
					    seg_kind(&v->trigger), v->trigger.len);
			break;
		case EV_SENDER_FIN: text_format(out, n, "%s FIN", a); break;
		case EV_PEER_FIN: text_format(out, n, "%s FIN", b); break;
		case EV_SENDER_RST: text_format(out, n, "earlier RST from the %s", a); break;
		case EV_PEER_RST: text_format(out, n, "earlier RST from the %s", b); break;
		case EV_THE_RST: text_format(out, n, "the RST"); break;
		case EV_NAT_TWIN:
			if (v->nat.kind == NAT_TWIN_MOVED)
				text_format(out, n, "last packet of the %s's connection with %s", b,
					    NAT_ADDR(v));
			else
				text_format(out, n, "last packet of the %s's connection %s %s", a,
					    v->nat.kind == NAT_TWIN_REMAPPED ? "with" : "to",
					    NAT_ADDR(v));
			break;
		case EV_NAT_SEGMENT:
			if (v->nat.via == NAT_TWIN_MOVED)
				text_format(out, n, "%s segment sent to %s, which never had the "
					    "connection", a, NAT_ADDR(v));
			else
				text_format(out, n, "%s segment that reached the %s %s, from %s", a,
					    b, v->nat.via == NAT_TWIN_REMAPPED ? "mapped anew"
										: "untranslated",
					    NAT_ADDR(v));
			break;
		case EV_NAT_RST:
			text_format(out, n, "%s RST to it, which reset the %s's side", b, a);
			break;
		case EV_PEER_CHALLENGE_ACK:
			if (classify_rst_outside_window(v))
				text_format(out, n, "%s ACK after the RST, outside its window", w->bn);
			else
				text_format(out, n, "%s challenge ACK after the RST", w->bn);
			break;
		case EV_SENDER_WENT_ON:
			text_format(out, n, "%s went on after the RST", w->an);
			break;
		case EV_RETRY_ACCEPTED:
			text_format(out, n, "%s SYN-ACK to the same SYN sent again", w->an);
			break;
		case EV_COUNT:
			out[0] = '\0';
			break;
		}
	}
}

/* rst_bursts.h: the sender aborted its other connections with this one. */
static void say_burst(struct words *w)
{
	const struct verdict *v = w->v;
	unsigned long long first = (unsigned long long)((int64_t)v->rst.frame + v->burst_first_d);
	unsigned long long last = (unsigned long long)((int64_t)v->rst.frame + v->burst_last_d);
	/* This one's peer had ended the connection (its closing alert, or
	 * its FIN): the RST has a trigger of its own, and closes that came
	 * together draw resets together (the corpus's webex.pcap 445-454,
	 * each after its server's close_notify, all delivered at once by a
	 * VPN app's relay; a review). */
	if (classify_peer_closing_alert_last(v) ||
	    ((v->b.flags & HALF_F_FIN) && v->b.fin_frame < v->rst.frame)) {
		say(w, " The %s reset %u connections within %s (frames %llu to %llu), this one among "
		       "them, after the %s had ended it (%s): each may be answering its own peer's "
		       "close, and closes that arrive together draw resets together.",
		    w->an, v->burst_connections, DUR((int64_t)v->burst_span_us * 1000), first, last,
		    w->bn, classify_peer_closing_alert_last(v) ? "its closing alert" : "its FIN");
		return;
	}
	say(w, " The %s reset %u connections within %s (frames %llu to %llu), this one among "
	       "them: all at once, as when an application exits or closes its connection pool, "
	       "or the device's network changes.",
	    w->an, v->burst_connections, DUR((int64_t)v->burst_span_us * 1000), first, last);
	advise(w, " The %s closed them together: look there for an application exit or restart, a "
		  "pool shut down, or a network change (Wi-Fi to mobile, a VPN starting).", w->an);
}

void explain_verdict(const struct verdict *v, struct explanation *e)
{
	struct words w = {
		.v = v, .e = e,
		.an = role_word(v->sender, "sender"),
		.bn = role_word(role_peer(v->sender), "peer"),
		.svc = service_for(v->sender == ROLE_SERVER ? v->sport :
				   v->sender == ROLE_CLIENT ? v->dport : 0,
				   (v->request.frame && v->request.method != HTTP_METHOD_TLS_RECORD) ||
				   v->response.status, v->app),
	};
	/* An RTSP request names its protocol on any port. */
	if (v->request.frame && v->request.method != HTTP_METHOD_TLS_RECORD &&
	    http_request_is_rtsp(v->request.method, v->request.target))
		w.svc = &service_rtsp;
	e->why[0] = e->advice[0] = e->runner_up[0] = '\0';
	e->why_len = e->advice_len = 0;
	e->service = w.svc->name;
	/* A forged RST's judgement on its own is replaced, words and all. */
	if (v->revised.kind != REVISED_SENDER_WENT_ON_FORGED && v->rule < RULE_COUNT)
		rule_words[v->rule](&w);
	say_revision(&w);
	say_relay(&w);
	say_peer_relay(&w);
	if (v->mptcp & MPTCP_TCPRST) {
		const char *reason = mptcp_reason_name(v->mptcp_reason);
		say(&w, " The RST carries MP_TCPRST: reason %s (%u)%s.", reason ? reason : "unassigned",
		    v->mptcp_reason, v->mptcp_transient ? ", transient" : "");
	}
	if (v->cause != CAUSE_RESET_FOLLOWUP)
		say_take(&w);
	say_rst_data(&w);
	/* One program made both sides' packets (classify.c's
	 * IP_ID_BOTH_SIDES): what their timing shows is its (the corpus's
	 * zattoo.pcap and smtp-decrypted.pcap; reviews). */
	if (v->ip_id_relation == IP_ID_BOTH_SIDES) {
		say(&w, " Both sides' packets came from one program (see the origin): their timing "
			"and this RST are that program's, a generator's or a tool's that rebuilt the "
			"session, and show what it did rather than what the hosts' applications did.");
		advise(&w, " If this capture was rebuilt (decrypted), read the original one: what "
			   "the hosts sent is there.");
	}
	say_refusal(&w);
	say_graceful(&w);
	say_goodbye(&w);
	say_stuck_oversize(&w);
	if (v->burst_connections)
		say_burst(&w);
	if (v->runner_up < CAUSE_COUNT)
		say_runner_up(&w);
	/* A follow-up's request is its incident's, said with the first RST
	 * (a review read a copy's "may have been processed" against the
	 * first's "most likely not": the corpus's rtsp.pcap 12 and 7; and a
	 * follow-up's "may have reached" after the client's own close had
	 * acknowledged the answer: ocs.pcap 88). */
	if (v->request.frame && v->cause != CAUSE_RESET_FOLLOWUP)
		say_request(&w);
	if (v->tls.stage == TLS_STAGE_CLIENT_HELLO || v->tls.stage == TLS_STAGE_SERVER_HELLO)
		say_tls(&w);
	say_origin(&w, e->origin, sizeof e->origin);
	say_evidence(&w);
}
