/*
 * gencap: writes a synthetic but TCP-consistent capture for the benchmark
 * and the memory tests.
 *
 *   gencap -n PACKETS [-c CONCURRENT] [-s SERVERS] [-6 PCT] [-r PCT]
 *          [-p PPS] [-S SEED] -o OUT.pcap
 *
 * CONCURRENT connections are open at any time (default 2000), against
 * SERVERS web servers (default 8; ports 80 and 443), PCT % of them over IPv6
 * (default 20). Each connection makes a handshake with MSS/SACK/timestamps/
 * window-scale options, 1 to 8 HTTP/1.1-like requests, each answered by
 * 0.5 to 40 KB of response in MSS-sized segments which the client
 * acknowledges every second segment (delayed ACK), and ends with FINs, the
 * closer being either side. -r PCT of connections (default 3) end in a RST
 * instead, in one of the taxonomy's shapes: closed port, data after FIN,
 * unread receive buffer, a client giving up on a response, and a middlebox
 * forgetting an idle flow (another TTL); the silences before them are no
 * longer than any other gap, so some verdicts differ from these names (the
 * captures measure speed and memory, not accuracy). Full payloads, Ethernet, the
 * packets -p PPS a second on average (default 20000), so a connection lasts
 * about CONCURRENT x its packets / PPS seconds of capture time.
 *
 *   gencap -f syn|syn-rst|scan|half-open|reset-storm -n CONNECTIONS [-p PPS]
 *          [-S SEED] -o OUT.pcap
 *
 * Floods, for the memory tests and the flood benchmark: -f syn sends
 * CONNECTIONS SYNs from as many distinct (address, port) pairs to one
 * server that never answers (a spoofed SYN flood); -f syn-rst is the same
 * flood with every tenth SYN refused by the server's kernel (RST+ACK, seq
 * 0), as a closed port or a full backlog answers; -f scan is one scanner
 * sending a SYN to each of 1024 ports of host after host, every one
 * answered by a closed port's RST+ACK; -f half-open opens CONNECTIONS
 * connections (handshake, a request, its ACK) that never close; -f
 * reset-storm opens CONNECTIONS connections (handshake, a request, its
 * ACK) and then resets every one of them from a middlebox (another TTL),
 * as a NAT table flush or a firewall failover does. syn and half-open end
 * with the server resetting the first connection, which a tracker bounded
 * by --max-flows has forgotten.
 *
 * The same arguments always give the same file. Written with libpcap's
 * pcap_dump, as tcpdump -w writes.
 */
#include <arpa/inet.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <pcap/pcap.h>

#define MSS 1448
#define SNAPLEN 65535

enum kind { K_NORMAL, K_CLOSED_PORT, K_DATA_AFTER_FIN, K_UNREAD, K_RESPONSE_TIMEOUT, K_MIDDLEBOX };

enum step {
	SYN, SYNACK, ACK3, REQUEST, RESPONSE, CLIENT_ACK, CLOSE_FIN1, CLOSE_FIN2, CLOSE_LASTACK,
	CLOSED_RST, IDLE_FIN, IDLE_FIN_ACK, LATE_REQUEST, LATE_RST, PIPELINED, UNREAD_RST,
	WAIT_ACK, CLIENT_RST, MIDDLEBOX_RST, DONE,
};

struct conn {
	enum kind kind;
	enum step step;
	bool v6, client_closes;
	uint8_t cip[16], sip[16];
	uint16_t cport, sport;
	uint32_t cseq, sseq;        /* next sequence number of each side */
	uint32_t ts;                /* a timestamp-option clock for both sides */
	int requests;               /* still to make after the current one */
	uint32_t response_left;
	bool response_started;
	int unacked;                /* server segments since the client's last ACK */
	uint16_t cpkts, spkts;      /* IPv4 packets each side sent: its ID counter */
};

static uint64_t rng_state;

static uint32_t rnd(void)
{
	/* xorshift64*: fast, and the same sequence for the same seed. */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (uint32_t)((rng_state * 0x2545F4914F6CDD1DULL) >> 32);
}

static uint32_t between(uint32_t lo, uint32_t hi) { return lo + rnd() % (hi - lo + 1); }

struct writer {
	pcap_dumper_t *dump;
	uint64_t written;
	uint64_t t_ns, mean_gap_ns;
	uint8_t frame[SNAPLEN];
	uint8_t filler[SNAPLEN];    /* response bodies: HTML-like text */
};

static uint16_t ip_checksum(const uint8_t *p, size_t n)
{
	uint32_t sum = 0;
	for (size_t i = 0; i + 1 < n; i += 2)
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static void put16(uint8_t *p, uint16_t v) { p[0] = v >> 8; p[1] = v & 0xff; }
static void put32(uint8_t *p, uint32_t v) { put16(p, v >> 16); put16(p + 2, v & 0xffff); }

static const char filler[] =
	"<html><body><p>rstdiag benchmark payload: lorem ipsum dolor sit amet, consectetur "
	"adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna.</p>\n";

#define F_FIN 0x01
#define F_SYN 0x02
#define F_RST 0x04
#define F_PSH 0x08
#define F_ACK 0x10

/* Writes one segment of c; from_client says which side sends it. */
static void emit(struct writer *w, struct conn *c, bool from_client, uint8_t flags,
		 uint32_t len, const char *text, uint8_t ttl)
{
	uint8_t *f = w->frame;
	const uint8_t *src = from_client ? c->cip : c->sip, *dst = from_client ? c->sip : c->cip;
	uint16_t sport = from_client ? c->cport : c->sport, dport = from_client ? c->sport : c->cport;
	uint32_t *seq = from_client ? &c->cseq : &c->sseq;
	uint32_t ack = from_client ? c->sseq : c->cseq;

	memcpy(f, from_client ? "\x02\x00\x00\x00\x00\x02" : "\x02\x00\x00\x00\x00\x01", 6);
	memcpy(f + 6, from_client ? "\x02\x00\x00\x00\x00\x01" : "\x02\x00\x00\x00\x00\x02", 6);
	put16(f + 12, c->v6 ? 0x86dd : 0x0800);
	uint8_t *ip = f + 14;
	size_t iphl = c->v6 ? 40 : 20;
	uint8_t *tcp = ip + iphl;

	size_t optlen = (flags & F_RST) ? 0 : (flags & F_SYN) ? 20 : 12;
	uint8_t *o = tcp + 20;
	if (flags & F_SYN) {
		memcpy(o, "\x02\x04\x05\xb4\x04\x02\x08\x0a", 8);   /* MSS 1460, SACK ok, TS */
		put32(o + 8, c->ts);
		put32(o + 12, from_client ? 0 : c->ts - 1);
		memcpy(o + 16, "\x01\x03\x03\x07", 4);               /* NOP, window scale 7 */
	} else if (optlen) {
		memcpy(o, "\x01\x01\x08\x0a", 4);
		put32(o + 4, c->ts);
		put32(o + 8, c->ts - 1);
	}
	c->ts += 1;
	uint8_t *payload = o + optlen;
	size_t tlen = text ? strlen(text) : 0;
	if (tlen > len)
		tlen = len;
	memcpy(payload, text ? text : "", tlen);
	memcpy(payload + tlen, w->filler, len - tlen);

	put16(tcp, sport);
	put16(tcp + 2, dport);
	put32(tcp + 4, *seq);
	put32(tcp + 8, (flags & F_ACK) ? ack : 0);
	tcp[12] = (uint8_t)((20 + optlen) / 4) << 4;
	tcp[13] = flags;
	put16(tcp + 14, (flags & F_RST) ? 0 : (flags & F_SYN) ? 64240 : 502);
	put16(tcp + 16, 0);     /* checksum not computed: no reader here checks it */
	put16(tcp + 18, 0);
	size_t tcplen = 20 + optlen + len;
	if (c->v6) {
		memset(ip, 0, 40);
		ip[0] = 0x60;
		put16(ip + 4, (uint16_t)tcplen);
		ip[6] = 6;
		ip[7] = ttl;
		memcpy(ip + 8, src, 16);
		memcpy(ip + 24, dst, 16);
	} else {
		memset(ip, 0, 20);
		ip[0] = 0x45;
		put16(ip + 2, (uint16_t)(20 + tcplen));
		/* A counter per connection and side from an unrelated start,
		 * as Linux numbers a connection's packets: one counter for
		 * every address would be a box that makes them all (a VM's
		 * NAT engine), which rstdiag reads as such (tcp_relay). */
		uint16_t *n = from_client ? &c->cpkts : &c->spkts;
		uint32_t start = ((uint32_t)sport << 16 | dport) * 2654435761u ^
				 (uint32_t)src[2] << 8 ^ src[3];
		put16(ip + 4, (uint16_t)((start >> 16) + (*n)++));
		ip[6] = 0x40;   /* DF */
		ip[8] = ttl;
		ip[9] = 6;
		memcpy(ip + 12, src, 4);
		memcpy(ip + 16, dst, 4);
		put16(ip + 10, ip_checksum(ip, 20));
	}
	*seq += len + ((flags & (F_SYN | F_FIN)) ? 1 : 0);

	/* Gaps uniform between 0 and twice the mean. */
	w->t_ns += 1 + w->mean_gap_ns * (rnd() % 2000) / 1000;
	struct pcap_pkthdr h = {
		.ts = { .tv_sec = (time_t)(1767225600 + w->t_ns / 1000000000),
			.tv_usec = (suseconds_t)(w->t_ns % 1000000000 / 1000) },
		.caplen = (uint32_t)(14 + iphl + tcplen),
		.len = (uint32_t)(14 + iphl + tcplen),
	};
	pcap_dump((u_char *)w->dump, &h, f);
	w->written++;
}

struct plan {
	int servers, v6_pct, rst_pct;
	uint32_t next_client;
};

static void start(struct conn *c, struct plan *pl)
{
	memset(c, 0, sizeof *c);
	c->v6 = (int)(rnd() % 100) < pl->v6_pct;
	uint32_t client = pl->next_client++;
	int server = (int)(rnd() % (uint32_t)pl->servers);
	if (c->v6) {
		memcpy(c->cip, "\xfd\x00\x00\x00\x00\x00\x00\x01\x00\x00\x00\x00", 12);
		memcpy(c->sip, "\xfd\x00\x00\x00\x00\x00\x00\x02\x00\x00\x00\x00\x00\x00\x00", 15);
		put32(c->cip + 12, client % 50000);
		c->sip[15] = (uint8_t)(server + 1);
	} else {
		c->cip[0] = 10;
		c->cip[1] = 1;
		put16(c->cip + 2, (uint16_t)(client % 50000));
		memcpy(c->sip, "\x0a\x00\x00", 3);
		c->sip[3] = (uint8_t)(server + 1);
	}
	/* A client address comes back every 50000 connections, with the next port. */
	c->cport = (uint16_t)(32768 + (client / 50000) % 28000);
	c->sport = (rnd() & 1) ? 80 : 443;
	c->cseq = rnd();
	c->sseq = rnd();
	c->ts = rnd();
	c->requests = (int)between(1, 8) - 1;
	c->client_closes = rnd() & 1;
	c->kind = K_NORMAL;
	if ((int)(rnd() % 100) < pl->rst_pct) {
		static const enum kind shapes[] = { K_CLOSED_PORT, K_CLOSED_PORT, K_DATA_AFTER_FIN,
						    K_DATA_AFTER_FIN, K_UNREAD, K_RESPONSE_TIMEOUT,
						    K_MIDDLEBOX };
		c->kind = shapes[rnd() % (sizeof shapes / sizeof shapes[0])];
	}
	c->step = SYN;
}

static const char request[] = "GET /static/app.js?v=42 HTTP/1.1\r\nHost: bench.example\r\n"
			      "User-Agent: gencap/1\r\nAccept: */*\r\nConnection: keep-alive\r\n\r\n";
static const char response[] = "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n"
			       "Connection: keep-alive\r\nKeep-Alive: timeout=60\r\n\r\n";

/* The segment after the response to the current request is complete. */
static enum step after_response(struct conn *c)
{
	if (c->requests > 0) {
		c->requests--;
		return REQUEST;
	}
	switch (c->kind) {
	case K_DATA_AFTER_FIN: return IDLE_FIN;
	case K_UNREAD: return PIPELINED;
	case K_RESPONSE_TIMEOUT: return PIPELINED;
	case K_MIDDLEBOX: return LATE_REQUEST;
	default: return CLOSE_FIN1;
	}
}

/* Emits the next segment of c and advances it. */
static void step(struct writer *w, struct conn *c, struct plan *pl)
{
	const uint8_t C = 64, S = 58, MIDDLEBOX = 250;   /* TTLs as seen at the capture point */
	uint32_t req_len = (uint32_t)strlen(request);
	switch (c->step) {
	case SYN:
		emit(w, c, true, F_SYN, 0, NULL, C);
		c->step = c->kind == K_CLOSED_PORT ? CLOSED_RST : SYNACK;
		break;
	case CLOSED_RST:        /* Linux's reply to a SYN: seq 0, ack = SYN + 1 */
		c->sseq = 0;
		emit(w, c, false, F_RST | F_ACK, 0, NULL, S);
		c->step = DONE;
		break;
	case SYNACK:
		emit(w, c, false, F_SYN | F_ACK, 0, NULL, S);
		c->step = ACK3;
		break;
	case ACK3:
		emit(w, c, true, F_ACK, 0, NULL, C);
		c->step = REQUEST;
		break;
	case REQUEST:
		emit(w, c, true, F_PSH | F_ACK, req_len, request, C);
		c->response_left = between(500, 40000);
		c->response_started = false;
		c->unacked = 0;
		c->step = RESPONSE;
		break;
	case RESPONSE: {
		uint32_t n = c->response_left < MSS ? c->response_left : MSS;
		emit(w, c, false, F_ACK | (n == c->response_left ? F_PSH : 0), n,
		     c->response_started ? NULL : response, S);
		c->response_started = true;
		c->response_left -= n;
		c->unacked++;
		if (c->response_left == 0 || c->unacked == 2)
			c->step = CLIENT_ACK;
		break;
	}
	case CLIENT_ACK:
		emit(w, c, true, F_ACK, 0, NULL, C);
		c->unacked = 0;
		c->step = c->response_left ? RESPONSE : after_response(c);
		break;
	case CLOSE_FIN1:
		emit(w, c, c->client_closes, F_FIN | F_ACK, 0, NULL, c->client_closes ? C : S);
		c->step = CLOSE_FIN2;
		break;
	case CLOSE_FIN2:
		emit(w, c, !c->client_closes, F_FIN | F_ACK, 0, NULL, c->client_closes ? S : C);
		c->step = CLOSE_LASTACK;
		break;
	case CLOSE_LASTACK:
		emit(w, c, c->client_closes, F_ACK, 0, NULL, c->client_closes ? C : S);
		c->step = DONE;
		break;
	case IDLE_FIN:          /* the server closes an idle keep-alive connection */
		emit(w, c, false, F_FIN | F_ACK, 0, NULL, S);
		c->step = IDLE_FIN_ACK;
		break;
	case IDLE_FIN_ACK:
		emit(w, c, true, F_ACK, 0, NULL, C);
		c->step = LATE_REQUEST;
		break;
	case LATE_REQUEST:      /* the client reuses the connection anyway */
		emit(w, c, true, F_PSH | F_ACK, req_len, request, C);
		c->step = c->kind == K_MIDDLEBOX ? MIDDLEBOX_RST : LATE_RST;
		break;
	case LATE_RST:          /* the server's closed socket: no ACK flag, seq after its FIN */
		emit(w, c, false, F_RST, 0, NULL, S);
		c->step = DONE;
		break;
	case MIDDLEBOX_RST:
		emit(w, c, false, F_RST | F_ACK, 0, NULL, MIDDLEBOX);
		c->step = DONE;
		break;
	case PIPELINED:         /* a request the server acknowledges and never answers */
		emit(w, c, true, F_PSH | F_ACK, req_len, request, C);
		c->step = WAIT_ACK;
		break;
	case WAIT_ACK:
		emit(w, c, false, F_ACK, 0, NULL, S);
		c->step = c->kind == K_UNREAD ? UNREAD_RST : CLIENT_RST;
		break;
	case UNREAD_RST:        /* the request was acknowledged, never read */
		emit(w, c, false, F_RST | F_ACK, 0, NULL, S);
		c->step = DONE;
		break;
	case CLIENT_RST:
		emit(w, c, true, F_RST | F_ACK, 0, NULL, C);
		c->step = DONE;
		break;
	case DONE:
		start(c, pl);
		step(w, c, pl);
		break;
	}
}

/* The i-th flood connection: its own client address and port, one server. */
static void flood_conn(struct conn *c, uint32_t i)
{
	memset(c, 0, sizeof *c);
	c->cip[0] = 10;
	c->cip[1] = (uint8_t)(64 + (i >> 16) % 64);
	put16(c->cip + 2, (uint16_t)i);
	memcpy(c->sip, "\x0a\x00\x00\x01", 4);
	c->cport = (uint16_t)(1024 + (i >> 22) % 60000);
	c->sport = 80;
	c->cseq = rnd();
	c->sseq = rnd();
	c->ts = rnd();
}

enum flood_kind { FLOOD_SYN, FLOOD_SYN_RST, FLOOD_SCAN, FLOOD_HALF_OPEN, FLOOD_RESET_STORM };

/* The i-th probe of a scan: one scanner, 1024 ports of each host in turn. */
static void scan_conn(struct conn *c, uint32_t i)
{
	memset(c, 0, sizeof *c);
	memcpy(c->cip, "\xc0\x00\x02\x09", 4);
	c->sip[0] = 10;
	c->sip[1] = 1;
	put16(c->sip + 2, (uint16_t)(i >> 10));
	c->cport = 40000 + (uint16_t)(i % 7);
	c->sport = (uint16_t)(1 + i % 1024);
	c->cseq = rnd();
	c->ts = rnd();
}

static void flood(struct writer *w, enum flood_kind kind, uint32_t connections)
{
	const uint8_t C = 64, S = 58, M = 61;
	struct conn c, first;
	bool opens = kind == FLOOD_HALF_OPEN || kind == FLOOD_RESET_STORM;
	/* The storm resets each connection where it stands: its numbers. */
	uint32_t (*next)[2] = kind == FLOOD_RESET_STORM ? calloc(connections, sizeof *next) : NULL;
	if (kind == FLOOD_RESET_STORM && !next) {
		fprintf(stderr, "gencap: out of memory\n");
		exit(1);
	}
	for (uint32_t i = 0; i < connections; i++) {
		if (kind == FLOOD_SCAN)
			scan_conn(&c, i);
		else
			flood_conn(&c, i);
		emit(w, &c, true, F_SYN, 0, NULL, C);
		if (opens) {
			emit(w, &c, false, F_SYN | F_ACK, 0, NULL, S);
			emit(w, &c, true, F_ACK, 0, NULL, C);
			emit(w, &c, true, F_PSH | F_ACK, (uint32_t)strlen(request), request, C);
			emit(w, &c, false, F_ACK, 0, NULL, S);
			if (next) {
				next[i][0] = c.cseq;
				next[i][1] = c.sseq;
			}
		} else if (kind == FLOOD_SCAN || (kind == FLOOD_SYN_RST && i % 10 == 9)) {
			/* A closed port's answer (RFC 9293 3.10.7.1): seq 0, ack SYN + 1. */
			c.sseq = 0;
			emit(w, &c, false, F_RST | F_ACK, 0, NULL, S);
		}
		if (i == 0)
			first = c;
	}
	if (kind == FLOOD_RESET_STORM) {
		/* The middlebox resets every connection, toward the client. */
		for (uint32_t i = 0; i < connections; i++) {
			flood_conn(&c, i);
			c.cseq = next[i][0];
			c.sseq = next[i][1];
			emit(w, &c, false, F_RST | F_ACK, 0, NULL, M);
		}
		free(next);
		return;
	}
	if (kind == FLOOD_SYN_RST || kind == FLOOD_SCAN)
		return;
	/* The server resets the first connection, long forgotten by then; a
	 * server that never answered the SYN resets it as a closed port would. */
	if (kind == FLOOD_SYN)
		first.sseq = 0;
	emit(w, &first, false, F_RST | F_ACK, 0, NULL, S);
}

static void usage(void)
{
	fprintf(stderr, "usage: gencap -n PACKETS [-c CONCURRENT] [-s SERVERS] [-6 PCT] [-r PCT] "
			"[-p PPS] [-S SEED] -o OUT.pcap\n"
			"       gencap -f syn|syn-rst|scan|half-open|reset-storm -n CONNECTIONS [-p PPS]\n"
			"              [-S SEED] -o OUT.pcap\n");
	exit(2);
}

int main(int argc, char **argv)
{
	uint64_t packets = 0, pps = 20000, seed = 1;
	uint32_t concurrent = 2000;
	struct plan pl = { .servers = 8, .v6_pct = 20, .rst_pct = 3 };
	const char *out = NULL, *flood_kind = NULL;
	int opt;
	while ((opt = getopt(argc, argv, "n:c:s:6:r:p:S:o:f:")) != -1) {
		switch (opt) {
		case 'f': flood_kind = optarg; break;
		case 'n': packets = strtoull(optarg, NULL, 10); break;
		case 'c': concurrent = (uint32_t)strtoul(optarg, NULL, 10); break;
		case 's': pl.servers = atoi(optarg); break;
		case '6': pl.v6_pct = atoi(optarg); break;
		case 'r': pl.rst_pct = atoi(optarg); break;
		case 'p': pps = strtoull(optarg, NULL, 10); break;
		case 'S': seed = strtoull(optarg, NULL, 10); break;
		case 'o': out = optarg; break;
		default: usage();
		}
	}
	if (!packets || !out || !concurrent || pl.servers < 1 || pl.servers > 250 || !pps)
		usage();
	static const char *const floods[] = { "syn", "syn-rst", "scan", "half-open", "reset-storm" };
	int fk = -1;
	for (int i = 0; flood_kind && i < (int)(sizeof floods / sizeof floods[0]); i++)
		if (strcmp(flood_kind, floods[i]) == 0)
			fk = i;
	if (flood_kind && fk < 0)
		usage();
	if (flood_kind && packets > UINT32_MAX)
		usage();
	rng_state = seed * 0x9E3779B97F4A7C15ULL + 1;

	pcap_t *dead = pcap_open_dead(DLT_EN10MB, SNAPLEN);
	struct writer *w = calloc(1, sizeof *w);
	struct conn *conns = calloc(concurrent, sizeof *conns);
	if (!dead || !w || !conns) {
		fprintf(stderr, "gencap: out of memory\n");
		return 1;
	}
	w->dump = pcap_dump_open(dead, out);
	if (!w->dump) {
		fprintf(stderr, "gencap: %s\n", pcap_geterr(dead));
		return 1;
	}
	for (size_t i = 0; i < sizeof w->filler; i++)
		w->filler[i] = (uint8_t)filler[i % (sizeof filler - 1)];
	w->mean_gap_ns = 1000000000 / pps;
	/* All begin with a SYN; picking a random one for each packet spreads
	 * their lives (and ends) over the capture. */
	if (flood_kind) {
		flood(w, (enum flood_kind)fk, (uint32_t)packets);
	} else {
		for (uint32_t i = 0; i < concurrent; i++)
			start(&conns[i], &pl);
		while (w->written < packets)
			step(w, &conns[rnd() % concurrent], &pl);
	}
	pcap_dump_close(w->dump);
	pcap_close(dead);
	free(conns);
	free(w);
	return 0;
}
