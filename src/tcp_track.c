/*
 * tcp_track: per-direction TCP facts from segments (see tcp_track.h).
 *
 * The tracker is deliberately not a full RFC 9293 state machine: it cannot
 * see either host's socket, and a capture may start mid-connection or miss
 * packets. It keeps what the wire proves (highest sequence sent, highest
 * ack, FIN and RST positions, retransmissions, probes) and leaves
 * judgement to classify.
 */
#include "tcp_track.h"

#include <ctype.h>
#include <stddef.h>
#include <string.h>

#include "seq.h"

/* Counters stop at their type's maximum rather than wrap to small numbers. */
static void count16(uint16_t *n)
{
	if (*n < UINT16_MAX)
		(*n)++;
}

static void count32(uint32_t *n)
{
	if (*n < UINT32_MAX)
		(*n)++;
}

static const char *const half_state_names[HALF_STATE_COUNT] = {
	[HALF_UNSEEN] = "unseen",
	[HALF_SYN_SENT] = "syn-sent",
	[HALF_SYN_ACK_SENT] = "syn-ack-sent",
	[HALF_OPEN] = "open",
	[HALF_FIN_SENT] = "fin-sent",
	[HALF_FIN_ACKED] = "fin-acked",
	[HALF_RESET] = "reset",
};

const char *half_state_name(enum half_state s)
{
	return (unsigned)s < HALF_STATE_COUNT ? half_state_names[s] : "?";
}

const char *role_name(enum role r)
{
	switch (r) {
	case ROLE_CLIENT: return "client";
	case ROLE_SERVER: return "server";
	default: return "unknown";
	}
}

const char *role_word(enum role r, const char *unknown_as)
{
	return r == ROLE_UNKNOWN ? unknown_as : role_name(r);
}

/* IANA's dynamic range starts at 49152; Linux hands out 32768-60999. */
static bool is_ephemeral(uint16_t port)
{
	return port >= 32768;
}

/*
 * Without a SYN, the server is guessed from ports: a well-known port
 * (< 1024) beats any other, a non-ephemeral port beats an ephemeral one,
 * and otherwise the lower port is taken to be the service.
 */
static int guess_server(const struct flow_key *k)
{
	uint16_t p0 = k->port[0], p1 = k->port[1];
	if ((p0 < 1024) != (p1 < 1024))
		return p0 < 1024 ? 0 : 1;
	if (is_ephemeral(p0) != is_ephemeral(p1))
		return is_ephemeral(p0) ? 1 : 0;
	return p0 <= p1 ? 0 : 1;
}

void tcp_track_begin(struct flow *f, int dir, const struct pkt *p)
{
	f->first_ts = f->last_ts = p->ts_ns;
	f->close_idle_ns = -1;
	if (p->flags & TCP_SYN) {
		/* A SYN names the client; a SYN-ACK names the server. */
		f->client = (int8_t)((p->flags & TCP_ACK) ? 1 - dir : dir);
		f->role_guessed = false;
	} else {
		f->midstream = true;
		f->client = (int8_t)(1 - guess_server(&f->key));
		f->role_guessed = true;
	}
}

bool tcp_track_is_new_incarnation(const struct flow *f, int dir, const struct pkt *p)
{
	if ((p->flags & (TCP_SYN | TCP_ACK | TCP_RST)) != TCP_SYN || f->pkts == 0)
		return false;
	/* A SYN repeating the ISN is the same connection's SYN again: a
	 * retransmission, or a second copy when the capture saw two interfaces. */
	const struct tcp_half *h = &f->half[dir];
	if ((h->flags & HALF_F_ISN) && p->seq == h->base_seq)
		return false;
	return f->finished || (h->flags & HALF_F_SEEN);
}

void tcp_track_new_incarnation(struct flow *f)
{
	struct flow_prev prev = {
		.present = true,
		.ended_by_rst = f->half[0].rst_frame || f->half[1].rst_frame,
		.first_closer = f->first_closer,
		.end_ts = f->last_ts,
		.next_seq = { f->half[0].next_seq, f->half[1].next_seq },
	};
	uint32_t incarnation = f->incarnation + 1;

	/* Keep the table's bookkeeping; clear the connection. */
	size_t keep = offsetof(struct flow, syn);
	memset((char *)f + keep, 0, sizeof *f - keep);
	f->client = -1;
	f->first_closer = -1;
	f->incarnation = incarnation;
	f->prev = prev;
}

void seg_note_from_pkt(struct seg_note *n, const struct pkt *p)
{
	n->frame = p->frame;
	n->ts_ns = p->ts_ns;
	n->seq = p->seq;
	n->ack = p->ack;
	n->len = p->payload_len;
	n->window = p->window;
	n->flags = p->flags;
	n->ttl = p->ttl;
}

static void first_segment_of_half(struct tcp_half *h, const struct pkt *p)
{
	h->flags |= HALF_F_SEEN;
	h->base_seq = p->seq;
	h->next_seq = p->seq;
	h->ttl_min = h->ttl_max = p->ttl;
}

/*
 * A keep-alive probe re-sends the byte before snd_nxt, with 0 or 1 bytes
 * of (garbage) data, after the peer acknowledged everything (RFC 9293
 * 3.8.4; Linux tcp_write_wakeup sends snd_una - 1).
 */
static bool is_keepalive(const struct tcp_half *h, const struct tcp_half *peer,
			 const struct pkt *p)
{
	return p->payload_len <= 1 && !(p->flags & (TCP_SYN | TCP_FIN | TCP_RST)) &&
	       p->seq == h->next_seq - 1 && (peer->flags & HALF_F_ACK) &&
	       peer->ack == h->next_seq;
}

/*
 * HTTP/1.x messages, counted from the start of new data: a response
 * begins with "HTTP/1."; a request with a method and a space, and a
 * segment may carry several pipelined requests, each ending its headers
 * with an empty line. Only segments that start a message are scanned, so
 * bulk data costs one comparison.
 */
#define STARTS_WITH(p, n, lit) ((n) >= sizeof lit - 1 && memcmp(p, lit, sizeof lit - 1) == 0)

/* Lengths kept beside the names: this runs on every segment with new data. */
#define METHOD(s) { s, sizeof s - 1 }
static const struct { const char *name; uint8_t len; } methods[] = {
	{ NULL, 0 }, METHOD("GET"), METHOD("POST"), METHOD("PUT"), METHOD("HEAD"),
	METHOD("DELETE"), METHOD("OPTIONS"), METHOD("PATCH"), METHOD("CONNECT"), METHOD("TRACE"),
};

const char *http_method_name(uint8_t method)
{
	return method < sizeof methods / sizeof methods[0] ? methods[method].name : NULL;
}

bool http_method_idempotent(uint8_t method)
{
	const char *m = http_method_name(method);
	static const char *const safe[] = { "GET", "HEAD", "PUT", "DELETE", "OPTIONS", "TRACE" };
	for (size_t i = 0; m && i < sizeof safe / sizeof safe[0]; i++)
		if (strcmp(m, safe[i]) == 0)
			return true;
	return false;
}

const char *http_connection_name(uint8_t c)
{
	switch (c) {
	case HTTP_CONN_KEEP_ALIVE: return "keep-alive";
	case HTTP_CONN_CLOSE: return "close";
	default: return NULL;
	}
}

/* If the header line at p (n bytes left) has this name (any case), the
 * offset of its value; else 0. */
static uint32_t header_value(const uint8_t *p, uint32_t n, const char *name)
{
	size_t k = strlen(name);
	if (n <= k || p[k] != ':')
		return 0;
	for (size_t i = 0; i < k; i++)
		if (tolower(p[i]) != name[i])
			return 0;
	return (uint32_t)k + 1;
}

/* Does the value at p (up to the end of its line) contain token (lower case)? */
static bool value_has(const uint8_t *p, uint32_t n, const char *token)
{
	size_t k = strlen(token);
	for (uint32_t i = 0; i + k <= n && p[i] != '\r' && p[i] != '\n'; i++) {
		size_t j = 0;
		while (j < k && tolower(p[i + j]) == token[j])
			j++;
		if (j == k)
			return true;
	}
	return false;
}

/* The number after "timeout=" in a Keep-Alive value, 0 if none (capped to fit). */
static uint16_t keepalive_timeout(const uint8_t *p, uint32_t n)
{
	static const char key[] = "timeout=";
	for (uint32_t i = 0; i + sizeof key - 1 < n && p[i] != '\r' && p[i] != '\n'; i++) {
		size_t j = 0;
		while (j < sizeof key - 1 && tolower(p[i + j]) == key[j])
			j++;
		if (j < sizeof key - 1)
			continue;
		uint32_t v = 0, d = (uint32_t)(i + j);
		for (; d < n && isdigit(p[d]); d++)
			if (v < 65535)
				v = v * 10 + (uint32_t)(p[d] - '0');
		if (d == n)
			return 0;   /* cut by the snaplen: the number may go on */
		return (uint16_t)(v > 65535 ? 65535 : v);
	}
	return 0;
}

/*
 * Walks the header lines of the message starting at p, up to the empty
 * line or the end of what was captured, for Connection and Keep-Alive.
 */
static void scan_headers(const uint8_t *p, uint32_t n, uint8_t *connection, uint16_t *keepalive_s)
{
	/* Line by line with memchr: headers are a few hundred bytes per message. */
	const uint8_t *nl = memchr(p, '\n', n);     /* end of the start line */
	while (nl) {
		uint32_t i = (uint32_t)(nl - p) + 1;
		if (i >= n || p[i] == '\r' || p[i] == '\n')
			return;                         /* the empty line ends the headers */
		const uint8_t *line = p + i;
		uint32_t left = n - i, v;
		int initial = tolower(line[0]);     /* most lines are neither header */
		if (initial == 'c' && (v = header_value(line, left, "connection"))) {
			if (value_has(line + v, left - v, "close"))
				*connection = HTTP_CONN_CLOSE;
			else if (value_has(line + v, left - v, "keep-alive"))
				*connection = HTTP_CONN_KEEP_ALIVE;
		} else if (initial == 'k' && keepalive_s &&
			   (v = header_value(line, left, "keep-alive"))) {
			*keepalive_s = keepalive_timeout(line + v, left - v);
		}
		nl = memchr(line, '\n', left);
	}
}

/* "HTTP/1.x NNN": the status code, 0 if it is not one. */
static uint16_t response_status(const uint8_t *p, uint32_t n)
{
	if (n < 12 || p[8] != ' ' || !isdigit(p[9]) || !isdigit(p[10]) || !isdigit(p[11]))
		return 0;
	return (uint16_t)((p[9] - '0') * 100 + (p[10] - '0') * 10 + (p[11] - '0'));
}

/* The method index if the bytes start "METHOD ", else 0. */
static uint8_t request_method(const uint8_t *p, uint32_t n)
{
	if (n < 4 || p[0] < 'C' || p[0] > 'T')
		return 0;   /* most data: not one of the initials C D G H O P T */
	for (uint8_t i = 1; i < sizeof methods / sizeof methods[0]; i++) {
		size_t k = methods[i].len;
		if (n > k && memcmp(p, methods[i].name, k) == 0 && p[k] == ' ')
			return i;
	}
	return 0;
}

/* Remembers the request line at payload offset `at` (printable bytes only). */
static void note_request(struct flow *f, int dir, const struct pkt *p, uint32_t at,
			 uint8_t method)
{
	struct http_note *r = &f->request;
	r->frame = p->frame;
	r->seq = p->seq + at;
	r->dir = (int8_t)dir;
	r->method = method;
	size_t i = at + methods[method].len + 1u, k = 0;
	while (i < p->payload_caplen && k + 1 < sizeof r->target && p->payload[i] > ' ' &&
	       p->payload[i] < 0x7f)
		r->target[k++] = (char)p->payload[i++];
	r->target[k] = '\0';
	r->connection = HTTP_CONN_UNSEEN;
	scan_headers(p->payload + at, p->payload_caplen - at, &r->connection, NULL);
}

static void note_response(struct flow *f, int dir, const struct pkt *p)
{
	struct http_response_note *r = &f->response;
	memset(r, 0, sizeof *r);
	r->dir = (int8_t)dir;
	r->status = response_status(p->payload, p->payload_caplen);
	scan_headers(p->payload, p->payload_caplen, &r->connection, &r->keepalive_s);
}

static void track_http(struct flow *f, int dir, const struct pkt *p)
{
	struct tcp_half *h = &f->half[dir];
	const uint8_t *d = p->payload;
	uint32_t n = p->payload_caplen;
	if (STARTS_WITH(d, n, "HTTP/1.")) {
		count16(&h->http_responses);
		note_response(f, dir, p);
		return;
	}
	uint8_t method = request_method(d, n);
	if (!method)
		return;
	/* Pipelined requests: count them, and name the last one begun here,
	 * which is unanswered whenever any of them is. */
	uint32_t last_at = 0;
	uint8_t last_method = method;
	unsigned requests = 0;
	const uint8_t *end = d + n;
	for (const uint8_t *cr = memchr(d, '\r', n); cr;
	     cr = memchr(cr + 1, '\r', (size_t)(end - cr - 1))) {
		uint32_t i = (uint32_t)(cr - d);
		if (i + 3 < n && d[i + 1] == '\n' && d[i + 2] == '\r' && d[i + 3] == '\n') {
			requests++;
			uint8_t m = request_method(d + i + 4, n - i - 4);
			if (m) {
				last_at = i + 4;
				last_method = m;
			}
		}
	}
	note_request(f, dir, p, last_at, last_method);
	if (requests == 0)
		requests = 1;   /* headers continue in a later segment */
	h->http_requests = (uint16_t)(h->http_requests + requests > UINT16_MAX
					     ? UINT16_MAX : h->http_requests + requests);
}

static void track_sequence(struct flow *f, int dir, const struct pkt *p)
{
	struct tcp_half *h = &f->half[dir], *peer = &f->half[1 - dir];
	uint32_t end = p->seq + pkt_seq_len(p);
	if (p->flags & TCP_RST)
		return;  /* a RST's sequence number is not data: it must not move snd_nxt */
	if (is_keepalive(h, peer, p)) {
		count16(&h->keepalives);
		return;
	}
	if (p->payload_len > 0 && seq_lt(p->seq, h->next_seq))
		count32(&h->retrans);   /* starts inside data already sent */
	else if (p->payload_caplen > 0)
		track_http(f, dir, p);
	if (seq_gt(end, h->next_seq)) {
		if (p->payload_len > 0) {
			uint32_t data_start = p->seq + ((p->flags & TCP_SYN) ? 1u : 0u);
			uint32_t data_end = data_start + p->payload_len;
			uint32_t from = seq_max(data_start, h->next_seq);
			if (seq_gt(data_end, from))
				h->bytes += data_end - from;
		}
		h->next_seq = end;
	}
}

static void track_ack(struct flow *f, int dir, const struct pkt *p)
{
	struct tcp_half *h = &f->half[dir], *peer = &f->half[1 - dir];
	if (!(p->flags & TCP_ACK) || (p->flags & TCP_RST))
		return;
	if (!(h->flags & HALF_F_ACK) || seq_gt(p->ack, h->ack)) {
		h->ack = p->ack;
		h->flags |= HALF_F_ACK;
	}
	if ((peer->flags & HALF_F_FIN) && !(peer->flags & HALF_F_FIN_ACKED) &&
	    seq_geq(p->ack, peer->fin_seq + 1)) {
		peer->flags |= HALF_F_FIN_ACKED;
		if (peer->state == HALF_FIN_SENT)
			peer->state = HALF_FIN_ACKED;
	}
	/* The third segment of the handshake: the client acknowledges the SYN-ACK. */
	if (f->synack && !f->established && dir == f->client && !(p->flags & TCP_SYN) &&
	    (peer->flags & HALF_F_ISN) && p->ack == peer->base_seq + 1) {
		f->established = true;
		f->hs_ack_ts = p->ts_ns;
	}
}

static void track_flags(struct flow *f, int dir, const struct pkt *p)
{
	struct tcp_half *h = &f->half[dir];
	if (p->flags & TCP_RST) {
		if (!h->rst_frame) {
			h->rst_frame = p->frame;
			h->rst_ts = p->ts_ns;
		}
		h->state = HALF_RESET;
		if (f->first_closer < 0)
			f->first_closer = (int8_t)dir;
		return;
	}
	if (p->flags & TCP_SYN) {
		h->base_seq = p->seq;
		h->flags |= HALF_F_ISN;
		if (p->opts.has_wscale) {
			h->wscale = p->opts.wscale;
			h->flags |= HALF_F_WSCALE;
		}
		if (p->flags & TCP_ACK) {
			if (!f->synack)
				f->synack_ts = p->ts_ns;
			f->synack = true;
			if (h->state < HALF_SYN_ACK_SENT)
				h->state = HALF_SYN_ACK_SENT;
		} else {
			if (!f->syn)
				f->syn_ts = p->ts_ns;
			f->syn = true;
			if (h->state < HALF_SYN_SENT)
				h->state = HALF_SYN_SENT;
		}
	} else if (h->state < HALF_OPEN && (p->flags & TCP_ACK)) {
		h->state = HALF_OPEN;
	}
	if ((p->flags & TCP_FIN) && !(h->flags & HALF_F_FIN)) {
		h->flags |= HALF_F_FIN;
		h->fin_seq = p->seq + p->payload_len;
		h->fin_frame = p->frame;
		h->fin_ts = p->ts_ns;
		if (h->state < HALF_FIN_SENT)
			h->state = HALF_FIN_SENT;
		if (f->first_closer < 0)
			f->first_closer = (int8_t)dir;
	}
}

bool tcp_track_segment(struct flow *f, int dir, const struct pkt *p)
{
	struct tcp_half *h = &f->half[dir];

	int64_t gap = f->pkts > 0 && p->ts_ns > f->last_ts ? p->ts_ns - f->last_ts : 0;
	if (gap > f->max_gap_ns)
		f->max_gap_ns = gap;
	if (!(h->flags & HALF_F_SEEN))
		first_segment_of_half(h, p);

	track_sequence(f, dir, p);
	track_flags(f, dir, p);
	track_ack(f, dir, p);

	if (p->window == 0 && !(p->flags & (TCP_SYN | TCP_RST)))
		count16(&h->zero_windows);
	if (p->payload_len > 0)
		h->data_frame = p->frame;
	if (p->ipver == 4)
		h->ip_id = p->ip_id;
	if (p->ttl < h->ttl_min)
		h->ttl_min = p->ttl;
	if (p->ttl > h->ttl_max)
		h->ttl_max = p->ttl;
	if (f->pkts == 0 || f->run_dir != dir) {
		f->run_dir = (int8_t)dir;
		f->run_first.frame = 0;
	}
	if (!f->run_first.frame && pkt_seq_len(p) > 0 && !(p->flags & TCP_RST))
		seg_note_from_pkt(&f->run_first, p);
	seg_note_from_pkt(&h->last, p);
	count32(&h->pkts);
	count32(&f->pkts);
	if (p->ts_ns > f->last_ts)
		f->last_ts = p->ts_ns;

	/* The idle time a closer's timeout is read from (TAXONOMY idle_before_s). */
	if (f->close_idle_ns < 0 && (p->flags & (TCP_FIN | TCP_RST)) && f->pkts > 1)
		f->close_idle_ns = gap;

	bool was_finished = f->finished;
	if ((p->flags & TCP_RST) ||
	    ((f->half[0].flags & HALF_F_FIN) && (f->half[1].flags & HALF_F_FIN)))
		f->finished = true;
	return f->finished && !was_finished;
}
