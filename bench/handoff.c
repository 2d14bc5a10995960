/*
 * handoff: what one reading thread handing each decoded segment to a
 * tracking thread would cost, before any tracking (issue 23's autofp
 * question: Suricata's run mode with one capture thread and flow-pinned
 * workers). The reader does what rstdiag's reading half does per frame
 * (libpcap through a 64 KiB stdio buffer, decode_frame, the payload's
 * HTTP, TLS and first-bytes facts) and packs the segment into a compact
 * record: 128 bytes, two cache lines, plus one slot for HTTP or TLS facts
 * when the segment has them. The consumer unpacks each record into a
 * struct pkt, as a tracker would before tracking it, and nothing more.
 *
 *   handoff MODE FILE
 *     0  read and decode only, no record
 *     1  records through a ring of 8192 slots to a second thread
 *     2  records through the same ring, packed and unpacked on one thread
 *
 * prints "FRAMES frames, RECORDS records, sum CHECK". Mode 1 against mode
 * 2 is the cost of the cores' handing over; mode 2 against rstdiag's own
 * run is what a tracker thread would be left to do (docs/scaling.md).
 */
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcap/pcap.h>

#include "decode.h"
#include "first_bytes.h"
#include "http.h"
#include "packet.h"
#include "tls.h"

/* What a tracker reads of a segment, but its payload's facts. */
struct record {
	uint64_t frame;
	int64_t ts_ns;
	uint32_t caplen, wirelen;
	uint8_t ipver, ttl, flags, res;
	uint16_t ip_id, window;
	uint8_t src[16], dst[16];
	uint16_t sport, dport;
	uint32_t seq, ack;
	uint32_t payload_len, payload_caplen;
	struct tcp_opts opts;
	uint8_t app, quit, ext, pad;
};

union slot {
	struct record r;
	struct http_facts http;
	struct tls_facts tls;
	char bytes[128];
};
_Static_assert(sizeof(union slot) == 128, "a slot is two cache lines");

enum { EXT_HTTP = 1, EXT_TLS = 2 };
#define RING 8192u              /* slots, a power of two */
#define PUBLISH 256u            /* slots written before the reader says so */
#define CONSUME_MIN 2048u       /* slots the consumer waits for, so it does not
				   read lines the reader is still writing */

struct handoff {
	union slot *ring;
	_Alignas(64) _Atomic uint32_t head;   /* slots written (the reader's) */
	_Alignas(64) _Atomic uint32_t tail;   /* slots read (the consumer's) */
	_Alignas(64) _Atomic int done;
	/* The reader's own. */
	uint32_t written, published, tail_seen;
	const struct link_type *link;
	int mode;
	uint64_t frames;
	/* The consumer's own (mode 2: the reader's). */
	uint64_t records, sum;
};

static void unpack(struct handoff *h, uint32_t *t)
{
	const struct record *r = &h->ring[*t & (RING - 1)].r;
	struct pkt p;
	p.frame = r->frame;
	p.ts_ns = r->ts_ns;
	p.caplen = r->caplen;
	p.wirelen = r->wirelen;
	p.ipver = r->ipver;
	p.ttl = r->ttl;
	p.flags = r->flags;
	p.ip_id = r->ip_id;
	p.window = r->window;
	memcpy(p.src, r->src, sizeof p.src);
	memcpy(p.dst, r->dst, sizeof p.dst);
	p.sport = r->sport;
	p.dport = r->dport;
	p.seq = r->seq;
	p.ack = r->ack;
	p.payload_len = r->payload_len;
	p.payload_caplen = r->payload_caplen;
	p.opts = r->opts;
	p.app = r->app;
	p.quit = r->quit;
	uint8_t ext = r->ext;
	(*t)++;
	p.http.start = HTTP_NONE;
	p.tls.content = 0;
	if (ext & EXT_HTTP)
		p.http = h->ring[(*t)++ & (RING - 1)].http;
	if (ext & EXT_TLS)
		p.tls = h->ring[(*t)++ & (RING - 1)].tls;
	/* Keep the copy: a tracker would read it. */
	__asm__ volatile("" : : "r"(&p) : "memory");
	h->sum += p.seq + p.payload_len + p.http.start;
	h->records++;
}

static void *consume(void *arg)
{
	struct handoff *h = arg;
	uint32_t t = 0;
	for (;;) {
		uint32_t head = atomic_load_explicit(&h->head, memory_order_acquire);
		bool done = atomic_load_explicit(&h->done, memory_order_acquire);
		if (!done && head - t < CONSUME_MIN) {
			sched_yield();
			continue;
		}
		head = atomic_load_explicit(&h->head, memory_order_acquire);
		if (done && t == head)
			return NULL;
		while (t != head)
			unpack(h, &t);
		atomic_store_explicit(&h->tail, t, memory_order_release);
	}
}

/* Room for a record and its two facts' slots. */
static void reserve(struct handoff *h)
{
	if (h->written - h->tail_seen < RING - 3)
		return;
	if (h->mode == 2) {
		uint32_t t = h->tail_seen;
		while (t != h->written)
			unpack(h, &t);
		h->tail_seen = t;
		return;
	}
	atomic_store_explicit(&h->head, h->written, memory_order_release);
	while (h->written - (h->tail_seen = atomic_load_explicit(&h->tail, memory_order_acquire)) >=
	       RING - 3)
		sched_yield();
}

static union slot *next_slot(struct handoff *h)
{
	return &h->ring[h->written++ & (RING - 1)];
}

static void on_frame(u_char *user, const struct pcap_pkthdr *hdr, const u_char *bytes)
{
	struct handoff *h = (struct handoff *)user;
	struct pkt p;
	p.frame = ++h->frames;
	p.ts_ns = (int64_t)hdr->ts.tv_sec * 1000000000 + hdr->ts.tv_usec * 1000;
	p.caplen = hdr->caplen;
	p.wirelen = hdr->len > hdr->caplen ? hdr->len : hdr->caplen;
	enum decode_result res = decode_frame(h->link, bytes, &p);
	p.http.start = HTTP_NONE;
	p.tls.content = 0;
	p.app = FIRST_BYTES_NONE;
	p.quit = false;
	if (res == DECODE_OK) {     /* as pipeline.c's decode_pending */
		http_facts_parse(p.payload, p.payload_caplen, &p.http);
		if (p.http.start == HTTP_NONE) {
			if (tls_may_start(p.payload, p.payload_caplen))
				tls_facts_parse(p.payload, p.payload_caplen, &p.tls);
			if (!p.tls.content && p.payload_len <= FIRST_BYTES_OPENING_MAX) {
				p.app = first_bytes_app(p.payload, p.payload_caplen);
				p.quit = first_bytes_quit(p.payload, p.payload_caplen);
			}
		}
	}
	if (h->mode == 0) {
		h->sum += p.seq + (uint64_t)res;
		return;
	}
	reserve(h);
	struct record *r = &next_slot(h)->r;
	r->frame = p.frame;
	r->ts_ns = p.ts_ns;
	r->caplen = p.caplen;
	r->wirelen = p.wirelen;
	r->ipver = p.ipver;
	r->ttl = p.ttl;
	r->flags = p.flags;
	r->res = (uint8_t)res;
	r->ip_id = p.ip_id;
	r->window = p.window;
	memcpy(r->src, p.src, sizeof r->src);
	memcpy(r->dst, p.dst, sizeof r->dst);
	r->sport = p.sport;
	r->dport = p.dport;
	r->seq = p.seq;
	r->ack = p.ack;
	r->payload_len = p.payload_len;
	r->payload_caplen = p.payload_caplen;
	r->opts = p.opts;
	r->app = p.app;
	r->quit = p.quit;
	r->ext = (uint8_t)((p.http.start != HTTP_NONE ? EXT_HTTP : 0) | (p.tls.content ? EXT_TLS : 0));
	if (r->ext & EXT_HTTP)
		next_slot(h)->http = p.http;
	if (r->ext & EXT_TLS)
		next_slot(h)->tls = p.tls;
	if (h->mode == 1 && h->written - h->published >= PUBLISH) {
		h->published = h->written;
		atomic_store_explicit(&h->head, h->written, memory_order_release);
	}
}

int main(int argc, char **argv)
{
	char err[PCAP_ERRBUF_SIZE];
	static struct handoff h;
	if (argc != 3 || (h.mode = atoi(argv[1])) < 0 || h.mode > 2) {
		fprintf(stderr, "usage: handoff 0|1|2 FILE\n");
		return 2;
	}
	FILE *fp = fopen(argv[2], "rb");
	if (!fp) {
		perror(argv[2]);
		return 1;
	}
	/* glibc ignores the size unless it is given the buffer too. */
	if (setvbuf(fp, malloc(65536), _IOFBF, 65536) != 0) {
		fprintf(stderr, "handoff: setvbuf failed\n");
		return 1;
	}
	pcap_t *pc = pcap_fopen_offline(fp, err);
	if (!pc) {
		fprintf(stderr, "handoff: %s\n", err);
		return 1;
	}
	h.link = link_type_find(pcap_datalink(pc));
	h.ring = aligned_alloc(4096, sizeof(union slot) * RING);
	if (!h.ring)
		return 1;
	memset(h.ring, 0, sizeof(union slot) * RING);
	pthread_t consumer;
	if (h.mode == 1 && pthread_create(&consumer, NULL, consume, &h) != 0)
		return 1;
	int rc = pcap_loop(pc, -1, on_frame, (u_char *)&h);
	if (h.mode == 1) {
		atomic_store_explicit(&h.head, h.written, memory_order_release);
		atomic_store_explicit(&h.done, 1, memory_order_release);
		pthread_join(consumer, NULL);
	} else if (h.mode == 2) {
		uint32_t t = h.tail_seen;
		while (t != h.written)
			unpack(&h, &t);
	}
	if (rc == PCAP_ERROR) {
		fprintf(stderr, "handoff: %s\n", pcap_geterr(pc));
		return 1;
	}
	pcap_close(pc);
	printf("%llu frames, %llu records, sum %llu\n", (unsigned long long)h.frames,
	       (unsigned long long)h.records, (unsigned long long)h.sum);
	return 0;
}
