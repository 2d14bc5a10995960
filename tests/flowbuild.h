/*
 * flowbuild: synthetic segments of one connection for unit tests, client
 * 10.0.0.1:40000 and server 10.0.0.2:80, fed through the real tracker.
 * Frame n is at n ms unless at() moves it.
 */
#ifndef RSTDIAG_FLOWBUILD_H
#define RSTDIAG_FLOWBUILD_H

#include <string.h>

#include "flow_table.h"
#include "tcp_track.h"

enum { C, S };  /* who sends: client 10.0.0.1:40000 or server 10.0.0.2:80 */

static inline struct pkt seg(int from, uint32_t seq, uint32_t ack, uint8_t flags, uint32_t len,
		      uint64_t frame)
{
	struct pkt p;
	memset(&p, 0, sizeof p);
	p.frame = frame;
	p.ts_ns = (int64_t)frame * 1000000;
	p.ipver = 4;
	uint8_t c[4] = { 10, 0, 0, 1 }, s[4] = { 10, 0, 0, 2 };
	memcpy(p.src, from == C ? c : s, 4);
	memcpy(p.dst, from == C ? s : c, 4);
	p.sport = from == C ? 40000 : 80;
	p.dport = from == C ? 80 : 40000;
	p.seq = seq;
	p.ack = ack;
	p.flags = flags;
	p.payload_len = len;
	p.ttl = from == C ? 64 : 63;
	p.window = 1000;
	return p;
}

/* Begins f's connection with p, as the pipeline does on a tuple's first
 * segment, without tracking p; returns its sender's endpoint index. */
static inline int begin(struct flow *f, const struct pkt *p)
{
	struct flow_key k;
	int dir;
	flow_key_from_pkt(p, &k, &dir);
	f->key = k;
	flow_start_connection(f, p->ts_ns);
	tcp_track_begin(f, dir, p);
	return dir;
}

/* Feeds p to f (creating it on the first segment) and returns the sender's
 * endpoint index. Its payload is read as the pipeline reads it. */
static inline int feed(struct flow *f, const struct pkt *in)
{
	struct pkt seg = *in, *p = &seg;
	http_facts_parse(p->payload, p->payload_caplen, &p->http);
	p->tls.content = 0;
	p->app = FIRST_BYTES_NONE;
	p->rst_data.format = RST_PAYLOAD_NONE;
	if ((p->flags & TCP_RST) && p->payload_caplen)
		rst_payload_parse(p->payload, p->payload_caplen, &p->rst_data);
	if (p->http.start == HTTP_NONE) {
		p->quit = false;
		tls_facts_parse(p->payload, p->payload_caplen, &p->tls);
		if (!p->tls.content && p->payload_len <= FIRST_BYTES_OPENING_MAX) {
			p->app = first_bytes_app(p->payload, p->payload_caplen);
			p->quit = first_bytes_quit(p->payload, p->payload_caplen);
			if (!p->app && !p->refusal)
				p->goodbye = first_bytes_goodbye(p->payload, p->payload_caplen);
		}
	}
	struct flow_key k;
	int dir;
	flow_key_from_pkt(p, &k, &dir);
	if (f->conn.pkts == 0) {
		begin(f, p);
	} else if (tcp_track_is_new_incarnation(f, dir, p)) {
		tcp_track_new_incarnation(f, p->ts_ns);
		tcp_track_begin(f, dir, p);
	}
	/* As the pipeline does: a segment leaving the capturing host may be
	 * its forwarded copy, not tracked. */
	if (p->outgoing && tcp_track_leaving(f, dir, p, tcp_track_is_duplicate(f, dir, p)))
		return dir;
	tcp_track_segment(f, dir, p);
	return dir;
}

/* The segment at `seconds` since the epoch instead of its frame's default time. */
static inline struct pkt at(struct pkt p, double seconds)
{
	p.ts_ns = (int64_t)(seconds * 1e9 + 0.5);   /* rounded: 5.006 s is 5005999999.9 ns in a double */
	return p;
}

/*
 * A one-way capture of a client's data (IPv4 ID 54173) and, 41.3 s later,
 * its RST (ID 54174, into *rst): the corpus's KakaoTalk_chat.pcap 341.
 * Returns the client's index; its role is guessed, as from the ports.
 */
static inline int one_way_wait(struct flow *f, struct pkt *rst)
{
	struct pkt data = at(seg(C, 1000, 500, TCP_ACK | TCP_PSH, 45, 1), 100.0);
	data.ip_id = 54173;
	*rst = at(seg(C, 1045, 500, TCP_ACK | TCP_RST, 0, 2), 141.3);
	rst->ip_id = 54174;
	memset(f, 0, sizeof *f);
	int c = feed(f, &data);
	f->conn.client = (int8_t)c;
	f->conn.role_guessed = true;
	return c;
}

/*
 * A one-way capture of a server's packets (BPF `src host` of the server):
 * its SYN-ACK acknowledging the client's SYN (ISN 1000), ACKs taking 16496
 * bytes of the client's, and 1 s later its RST+ACK (into *rst): the
 * hold-out's nginx client_body_timeout. Returns the server's index; the
 * client's role is known from the SYN-ACK.
 */
static inline int one_way_server_acks(struct flow *f, struct pkt *rst)
{
	memset(f, 0, sizeof *f);
	int s = feed(f, (struct pkt[]){ at(seg(S, 500, 1001, TCP_SYN | TCP_ACK, 0, 1), 10.000) });
	feed(f, (struct pkt[]){ at(seg(S, 501, 1113, TCP_ACK, 0, 2), 10.004) });
	feed(f, (struct pkt[]){ at(seg(S, 501, 8353, TCP_ACK, 0, 3), 10.0041) });
	feed(f, (struct pkt[]){ at(seg(S, 501, 17497, TCP_ACK, 0, 4), 10.0042) });
	*rst = at(seg(S, 501, 17497, TCP_RST | TCP_ACK, 0, 5), 11.0058);
	return s;
}

/* A fresh connection with a complete handshake at 10 s; returns the client's index. */
static inline int handshake(struct flow *f)
{
	memset(f, 0, sizeof *f);
	int c = feed(f, (struct pkt[]){ at(seg(C, 100, 0, TCP_SYN, 0, 1), 10.000) });
	feed(f, (struct pkt[]){ at(seg(S, 500, 101, TCP_SYN | TCP_ACK, 0, 2), 10.001) });
	feed(f, (struct pkt[]){ at(seg(C, 101, 501, TCP_ACK, 0, 3), 10.002) });
	return c;
}

/*
 * Two aborts crossing: data both ways, the server's RST+ACK (frame 7) 2 s
 * later, and 17 us after it the client's RST+ACK with its own numbers
 * (frame 8, into *rst): the corpus's arkime/smtp-decrypted.pcap 36-37.
 * Returns the client's index.
 */
static inline int crossed_resets(struct flow *f, struct pkt *rst)
{
	int c = handshake(f);
	feed(f, (struct pkt[]){ at(seg(C, 101, 501, TCP_ACK | TCP_PSH, 30, 4), 10.01) });
	feed(f, (struct pkt[]){ at(seg(S, 501, 131, TCP_ACK | TCP_PSH, 40, 5), 10.02) });
	feed(f, (struct pkt[]){ at(seg(C, 131, 541, TCP_ACK, 0, 6), 10.03) });
	feed(f, (struct pkt[]){ at(seg(S, 541, 131, TCP_RST | TCP_ACK, 0, 7), 12.0) });
	*rst = at(seg(C, 131, 541, TCP_RST | TCP_ACK, 0, 8), 12.000017);
	return c;
}

/* A kernel's SYN or SYN-ACK: an MSS and a window scale, as Linux, Windows,
 * macOS and FreeBSD send them (a raw socket's crafted SYN has neither). */
static inline struct pkt kernel_syn(struct pkt p)
{
	p.opts.has_mss = true;
	p.opts.mss = 1460;
	p.opts.has_wscale = true;
	p.opts.wscale = 7;
	return p;
}

/* The segment with a visible payload (its length becomes the text's). */
static inline struct pkt with_payload(struct pkt p, const char *text)
{
	p.payload = (const uint8_t *)text;
	p.payload_len = p.payload_caplen = (uint32_t)strlen(text);
	return p;
}

static inline struct pkt with_ttl(struct pkt p, uint8_t ttl)
{
	p.ttl = ttl;
	return p;
}

#endif
