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

#include <stddef.h>
#include <string.h>

#include "seq.h"

/* Counters stop at their type's maximum rather than wrap to small numbers. */
static void count16(uint16_t *n)
{
	if (*n < UINT16_MAX)
		(*n)++;
}

/* A connection's packets, in the two bits that keep "none", "one" and
 * "more". Tested before it is written: past its third packet a
 * connection's count stays, and a read-modify-write of the bits on every
 * packet cost about 8 instructions (callgrind, the 200k bench capture). */
static inline void count_conn_pkts(struct connection *c)
{
	if (__builtin_expect(c->pkts != 3, 0))
		c->pkts++;
}

static void count32(uint32_t *n)
{
	if (*n < UINT32_MAX)
		(*n)++;
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
	if (p->flags & TCP_SYN) {
		/* A SYN names the client; a SYN-ACK names the server. */
		f->conn.client = (int8_t)((p->flags & TCP_ACK) ? 1 - dir : dir);
		f->conn.role_guessed = false;
	} else if ((p->flags & (TCP_RST | TCP_ACK)) == (TCP_RST | TCP_ACK) && p->seq == 0) {
		/* A RST+ACK numbered 0 is how a host refuses a segment without
		 * ACK, a SYN or a scan's probe (RFC 9293 3.10.7.1,
		 * <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>): like a SYN-ACK it
		 * names its sender the server, whatever the ports say (a one-way
		 * capture of the refusing side shows nothing else). */
		f->conn.midstream = true;
		f->conn.client = (int8_t)(1 - dir);
		f->conn.role_guessed = false;
	} else {
		f->conn.midstream = true;
		f->conn.client = (int8_t)(1 - guess_server(&f->key));
		f->conn.role_guessed = true;
	}
}

/* A SYN's window scale as tcp_half keeps it (flow.h). */
static uint8_t syn_wscale(const struct tcp_opts *o)
{
	return o->has_wscale ? o->wscale : o->cut ? WSCALE_CUT : o->has_mss ? 0 : WSCALE_NO_MSS;
}

/* A segment whose whole record is tcp_track_record_syn's fields. The
 * MPTCP options a SYN may carry (MP_CAPABLE, MP_JOIN) are none of
 * MPTCP_FASTCLOSE's, the only one tracked. */
bool tcp_track_recordable(const struct pkt *p)
{
	return p->flags == TCP_SYN && p->payload_len == 0 && !(p->opts.mptcp & MPTCP_FASTCLOSE);
}

void tcp_track_record_syn(struct flow *f, int dir, const struct pkt *p)
{
	/* The record: every field of p that tracking a bare SYN reads
	 * (tcp_track_segment), in the places the connection keeps them. */
	struct connection *c = &f->conn;
	struct tcp_half *h = &c->half[dir];
	c->syn_only = true;
	c->client = (int8_t)dir;
	c->last_ts = p->ts_ns;
	seg_note_from_pkt(&h->last, p);
	h->ip_id = p->ip_id;
	h->wscale = syn_wscale(&p->opts);
	h->flags = p->opts.has_wscale ? HALF_F_WSCALE : 0;
	h->out_seen = p->outgoing;
}

/*
 * The same SYN again after the peer refused it: a RST+ACK acknowledging
 * it, which closes SYN-SENT (RFC 9293 3.10.7.3), and no SYN-ACK before.
 * Windows retries a refused connect with the same SYN, its ISN too, up to
 * three more times at its base timeout (Microsoft KB 175523, "Winsock TCP
 * Connection Performance to Unused Ports"); each retry is a new attempt,
 * and the one a SYN-ACK answers opens the connection anew, so the refusal
 * is not an earlier reset of it. A copy of the SYN (a capture's duplicate,
 * tcp_track_copy_of_last) is no retry.
 */
static bool syn_retried_after_refusal(const struct flow *f, int dir, const struct pkt *p)
{
	const struct tcp_half *h = &f->conn.half[dir];
	const struct seg_note *refusal = &f->conn.half[1 - dir].last;
	return !f->conn.synack && (refusal->flags & (TCP_RST | TCP_ACK)) == (TCP_RST | TCP_ACK) &&
	       refusal->ack == h->base_seq + 1 && !tcp_track_copy_of_last(f, dir, p);
}

bool tcp_track_is_new_incarnation(const struct flow *f, int dir, const struct pkt *p)
{
	if ((p->flags & (TCP_SYN | TCP_ACK | TCP_RST)) != TCP_SYN || f->conn.pkts == 0)
		return false;
	/* A SYN repeating the ISN is the same connection's SYN again: a
	 * retransmission, or a second copy when the capture saw two interfaces;
	 * unless the peer had refused it (syn_retried_after_refusal). */
	const struct tcp_half *h = &f->conn.half[dir];
	if ((h->flags & HALF_F_ISN) && p->seq == h->base_seq)
		return syn_retried_after_refusal(f, dir, p);
	return f->conn.finished || (h->flags & HALF_F_SEEN);
}

void tcp_track_new_incarnation(struct flow *f, int64_t now)
{
	struct flow_prev prev = {
		.end_ts = f->conn.last_ts,
		.next_seq = { f->conn.half[0].next_seq, f->conn.half[1].next_seq },
	};
	bool ended_by_rst = f->conn.half[0].rst_frame || f->conn.half[1].rst_frame;
	int8_t first_closer = f->conn.first_closer;
	bool one_fin = first_closer >= 0 && !ended_by_rst &&
		       !(f->conn.half[1 - first_closer].flags & HALF_F_FIN);
	uint16_t incarnation = f->conn.incarnation < INCARNATION_MAX ? f->conn.incarnation + 1
								     : INCARNATION_MAX;

	flow_start_connection(f, now);
	f->conn.incarnation = incarnation;
	f->conn.prev = prev;
	f->conn.prev_ended_by_rst = ended_by_rst;
	f->conn.prev_first_closer = first_closer;
	f->conn.prev_one_fin = one_fin;
}

/* The capturing host forwarding a packet it captured arriving (a router's
 * or a bridge's tcpdump -i any) sends it from its queue, which may hold it
 * milliseconds (the lab's router captures: 4.3 ms). */
#define FORWARDED_WITHIN_NS 50000000

bool tcp_track_copy_of_last(const struct flow *f, int dir, const struct pkt *p)
{
	const struct tcp_half *h = &f->conn.half[dir];
	const struct seg_note *l = &h->last;
	/*
	 * A cooked capture's PACKET_OUTGOING (pkt.outgoing) of a side whose
	 * segments all arrived at the capturing host: the host forwarding the
	 * one it captured arriving, its TTL the same (a bridge) or one less (a
	 * router), ID 0 or not (Linux's RST without a socket has ID 0: the lab
	 * captured on a router's every interface, where a client's RST and its
	 * forwarded copy, TTL 64 then 63, were a RST and a middlebox's).
	 */
	bool forwarding = p->outgoing && tcp_track_arrived_only(h);
	if (!l->frame || l->seq != p->seq || l->ack != p->ack || l->flags != p->flags ||
	    l->len != p->payload_len || l->window != p->window)
		return false;
	int64_t apart = p->ts_ns - l->ts_ns;
	/*
	 * A capture of several interfaces (a pcapng of a router's two sides,
	 * dumpcap -i a -i b: pkt.lane) holds a forwarded packet on both,
	 * one hop apart, whatever its ID (IPv6 has none, Linux's RST without
	 * a socket 0): the later one, by time, at the lower TTL. Each
	 * interface's packets reach the file from its own capture buffer, so
	 * the copy may come first in the file (holdout8's link-outage
	 * capture: a server's data 15 us earlier on the far side, one frame
	 * later). A box's own segment in the sender's name leaves at the
	 * box's initial TTL, above the sender's one hop on, and after it.
	 */
	if (p->lane && (apart >= 0 ? l->ttl == p->ttl + 1 : p->ttl == l->ttl + 1) &&
	    (p->ipver != 4 || p->ip_id == h->ip_id) && apart <= TCP_TRACK_DUPLICATE_WITHIN_NS &&
	    apart >= -TCP_TRACK_DUPLICATE_WITHIN_NS)
		return true;
	if (apart < 0 || apart > (forwarding ? FORWARDED_WITHIN_NS : TCP_TRACK_DUPLICATE_WITHIN_NS))
		return false;
	if (p->ipver == 4 && p->ip_id != h->ip_id)
		return false;
	if (forwarding && (l->ttl == p->ttl || l->ttl == p->ttl + 1))
		return true;
	/*
	 * A refusal of a SYN (RST+ACK with seq 0, the reply form to a segment
	 * without ACK: Linux's tcp_v4_send_reset, FreeBSD's tcp_dropwithreset)
	 * answers one SYN, and a SYN is sent again after a second at the
	 * soonest (RFC 6298 2.1), so two alike within 2 ms are one packet,
	 * even with Linux's ID 0 (the corpus's ndpi/rtsp.pcap, 293-296: one
	 * refusal captured four times on both sides of a router).
	 */
	bool refusal = (p->flags & (TCP_RST | TCP_ACK)) == (TCP_RST | TCP_ACK) && p->seq == 0;
	/* A SYN-ACK answers one SYN as well, and is sent again only when its
	 * timer runs out (Linux: TCP_TIMEOUT_INIT, 1 s, tcp_synack_timer) or
	 * for the SYN sent again, a second later at the soonest: two alike
	 * within 2 ms are one, with Linux's ID 0 on every SYN-ACK too (the
	 * corpus's ndpi/rtsp.pcap 397-400: one SYN-ACK captured four times,
	 * counted as three retransmissions before). */
	bool answers_syn = refusal ||
			   (p->flags & (TCP_SYN | TCP_ACK | TCP_RST)) == (TCP_SYN | TCP_ACK);
	/* The same packet seen on both sides of a router (a capture on all of
	 * its interfaces) has a TTL one apart; without the capture saying the
	 * router forwarded it (above), only an IPv4 ID of its own, or an answer
	 * to a SYN, proves it is one packet then: a box one hop nearer may send
	 * a segment alike in the sender's name (a SYN proxy's ACK, the lab's
	 * synproxy-idle-reject). */
	bool one_hop = (l->ttl == p->ttl + 1 || p->ttl == l->ttl + 1) &&
		       ((p->ipver == 4 && p->ip_id != 0) || answers_syn);
	if (l->ttl != p->ttl && !one_hop)
		return false;
	/* Without an ID to tell packets apart (IPv6, or Linux's ID 0 on a RST
	 * without a socket), two bare ACKs or RSTs with the same numbers may
	 * be two packets, each answering one of the peer's segments in flight
	 * (duplicate ACKs; RSTs to data and the FIN behind it, microseconds
	 * apart): they are not taken for copies. The same sequence space twice
	 * within 2 ms cannot be two packets. Nor can two alike at one TTL with
	 * nothing of the peer's after the first, when the capture held more
	 * copies of the peer's last segment than of the first: one that doubles
	 * packets (a SPAN of both ports, or a bridge's two: the hold-out's
	 * apache-reqtimeout-slowloris-span-twice, whose server's RSTs of ID 0
	 * to the client's doubled data were one), each packet as often as the
	 * other (not another RST: the lab's radio-wake-ignored-fin-v6 doubled,
	 * whose server's two RSTs answer the client's data and its FIN). */
	const struct tcp_half *peer = &f->conn.half[1 - dir];
	bool doubled = h->last_copies < peer->last_copies && l->ttl == p->ttl &&
		       peer->last.frame < l->frame;
	return (p->ipver == 4 && p->ip_id != 0) || pkt_seq_len(p) > 0 || answers_syn || doubled;
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

static void first_segment_of_half(struct tcp_half *h, const struct tcp_half *peer,
				  const struct pkt *p)
{
	h->flags |= HALF_F_SEEN;
	h->base_seq = p->seq;
	h->next_seq = p->seq;
	/* Begun mid-connection, with the peer's ACK seen first: an ACK covers
	 * only what its sender had received (RFC 9293 3.4: SND.UNA < SEG.ACK
	 * =< SND.NXT), so this side had sent that far already, and a segment
	 * below it is a probe or a copy, not new data (a capture begun 3
	 * frames before a keep-alive timeout's RST: the peer's last ACK, then
	 * two probes one below it; the hold-outs' socat, sshd and Go
	 * keep-alive captures so cut). */
	if (!(p->flags & TCP_SYN) && (peer->flags & HALF_F_ACK) && seq_gt(peer->ack, p->seq))
		h->next_seq = peer->ack;
	h->ttl_min = UINT8_MAX;
	h->ttl_max = 0;
}

/*
 * A keep-alive probe re-sends the byte before snd_nxt, with 0 or 1 bytes
 * of (garbage) data, after the peer acknowledged everything (RFC 9293
 * 3.8.4; Linux tcp_write_wakeup sends snd_una - 1).
 *
 * A zero-window probe has the same form (RFC 9293 3.8.6.1; Linux sends
 * both from tcp_write_wakeup, by tcp_xmit_probe_skb when the window
 * admits nothing), but probes a peer whose last segment closed its
 * window: its sender has data waiting, so it is not idle, and giving up
 * on it is no keep-alive timeout (the lab's nginx-send-timeout-reset-v4:
 * nginx's send_timeout against a client that stopped reading).
 *
 * With nothing of the peer's captured (a one-way capture), the form alone
 * is read as a probe: no other segment a stack sends has it, and which of
 * the two it was, only the peer's window would have told (classify.c's
 * probes_unanswered says so).
 */
static bool is_keepalive(const struct tcp_half *h, const struct tcp_half *peer,
			 const struct pkt *p)
{
	return p->payload_len <= 1 && !(p->flags & (TCP_SYN | TCP_FIN | TCP_RST)) &&
	       p->seq == h->next_seq - 1 &&
	       (!(peer->flags & HALF_F_SEEN) ||
		((peer->flags & HALF_F_ACK) && peer->ack == h->next_seq && peer->last.window != 0));
}

/* A segment of new data that starts HTTP/1.x messages: count them and
 * remember the last request or response (facts read at decode time). */
static void track_http(struct flow *f, int dir, const struct pkt *p)
{
	const struct http_facts *m = &p->http;
	struct tcp_half *h = &f->conn.half[dir];
	if (m->start == HTTP_RESPONSE) {
		count16(&h->http_responses);
		struct http_response_note *r = &f->conn.response;
		/* An RTSP session's timeout holds until a response announces
		 * another: RFC 2326 12.37 has SETUP's response carry it, and
		 * later ones (PLAY's, a keep-alive's) need not repeat it. */
		uint16_t session_s = m->session_timeout_s ? m->session_timeout_s
				     : r->status && r->dir == dir ? r->session_timeout_s : 0;
		memset(r, 0, sizeof *r);
		r->dir = (int8_t)dir;
		r->status = m->status;
		r->connection = m->connection;
		r->keepalive_s = m->keepalive_s;
		r->session_timeout_s = session_s;
		return;
	}
	struct http_note *r = &f->conn.request;
	r->frame = p->frame;
	r->seq = p->seq + m->at;
	r->dir = (int8_t)dir;
	r->method = m->method;
	r->connection = m->connection;
	r->has_body = m->body_end != 0;
	r->body_end = p->seq + m->body_end;
	memcpy(r->target, m->target, sizeof r->target);
	/* A first request that asks a proxy for a tunnel: the connection is
	 * the tunnel's, whatever the data in it is (service.c). */
	if (__builtin_expect(m->method == HTTP_METHOD_CONNECT, 0) && !f->conn.app &&
	    h->http_requests == 0)
		f->conn.app = FIRST_BYTES_HTTP_TUNNEL;
	/* No end of headers yet: they continue in a later segment. */
	unsigned requests = m->requests ? m->requests : 1;
	if (m->at_end && p->payload_caplen < p->payload_len)
		h->http_requests_cut = 1;
	h->http_requests = (uint16_t)(h->http_requests + requests > UINT16_MAX
					     ? UINT16_MAX : h->http_requests + requests);
}

/* A silence this long before a client's record makes it a new request
 * (an HTTP/2 client's WINDOW_UPDATE right after data is none). */
#define TLS_REQUEST_QUIET_NS 100000000

static uint8_t tls_version_code(uint16_t v)
{
	return (v >> 8) == 3 && (v & 0xff) <= 4 ? (uint8_t)((v & 0xff) + 1) : 0;
}

static uint8_t tls_alpn_kind(const char *alpn)
{
	if (!alpn[0])
		return TLS_ALPN_NONE;
	if (strncmp(alpn, "h2", 2) == 0 && (alpn[2] == '\0' || alpn[2] == ','))
		return TLS_ALPN_H2;
	if (strncmp(alpn, "http/1.1", 8) == 0 && (alpn[8] == '\0' || alpn[8] == ','))
		return TLS_ALPN_HTTP11;
	return TLS_ALPN_OTHER;
}

/* The server name, cut from the left when long: a name's right end (its
 * registered domain) says more than its left. */
static void keep_server_name(char dst[HTTP_TARGET_MAX], const char *sni)
{
	size_t n = strlen(sni);
	if (n < HTTP_TARGET_MAX) {
		memcpy(dst, sni, n + 1);
		return;
	}
	dst[0] = dst[1] = '.';
	memcpy(dst + 2, sni + n - (HTTP_TARGET_MAX - 3), HTTP_TARGET_MAX - 2);
}

/*
 * A segment of new data that begins with TLS records (facts read at
 * decode time, tls.c): the handshake's stage, versions, ALPN and server
 * name; an alert; and requests and responses in the terms HTTP's use. A
 * client record after a quiet period, or its first after the handshake,
 * begins a request (its content is encrypted, its size is not); the
 * server's first record after it, the response.
 */
/* Whether endpoint dir is the client, as the TLS note counts it (either
 * side, before the roles are known). */
static inline bool tls_from_client(const struct flow *f, int dir)
{
	return f->conn.client < 0 || dir == f->conn.client;
}

/* An alert's sender, and whether the other side had sent one before, as
 * its last record then (alert_last: nothing of its own since). */
static void note_alert_from(struct tls_note *n, bool from_client)
{
	uint8_t from = from_client ? ROLE_CLIENT + 1 : ROLE_SERVER + 1;
	if (n->alert_from && n->alert_from != from && n->alert_last)
		n->alert_both = 1;
	n->alert_from = from;
}

/* An alert record of the segment's: its sender, its description when in
 * clear (else encrypted), and whether it was its sender's last record. */
static void note_alert(struct tls_note *n, bool from_client, const struct tls_facts *t,
		       bool last)
{
	note_alert_from(n, from_client);
	n->alert = t->alert_level ? (uint8_t)(t->alert_desc + 1) : TLS_ALERT_ENCRYPTED;
	n->alert_last = last;
}

static void track_tls_records(struct flow *f, int dir, const struct pkt *p, int64_t quiet)
{
	const struct tls_facts *t = &p->tls;
	struct tls_note *n = &f->conn.tls;
	struct tcp_half *h = &f->conn.half[dir], *peer = &f->conn.half[1 - dir];
	bool from_client = tls_from_client(f, dir);
	if (n->alert_from == (from_client ? ROLE_CLIENT : ROLE_SERVER) + 1)
		n->alert_last = 0;      /* its sender went on: set again below if by an alert */
	/* Once the handshake is encrypted (TLS 1.2's Finished is a handshake
	 * record too), a byte that reads like a hello type is not one. A
	 * second ClientHello before the server's is the same one put back
	 * together (tls_reasm.h), or the answer to a HelloRetryRequest. */
	if (t->content == TLS_HANDSHAKE && t->handshake == TLS_CLIENT_HELLO && from_client &&
	    n->stage <= TLS_STAGE_CLIENT_HELLO) {
		n->stage = TLS_STAGE_CLIENT_HELLO;
		n->offered = tls_version_code(t->version);
		if (!n->alpn_chosen)
			n->alpn = tls_alpn_kind(t->alpn);
		keep_server_name(f->conn.request.target, t->sni);
		f->conn.request.frame = 0;       /* a name, no request yet */
		return;
	}
	if (t->content == TLS_HANDSHAKE && t->handshake == TLS_SERVER_HELLO && !from_client &&
	    n->stage <= TLS_STAGE_CLIENT_HELLO) {
		n->stage = TLS_STAGE_SERVER_HELLO;
		n->version = tls_version_code(t->version);
		if (t->alpn[0]) {
			n->alpn = tls_alpn_kind(t->alpn);
			n->alpn_chosen = 1;
		}
		/* A resumed TLS 1.2 handshake's ChangeCipherSpec follows in
		 * the same flight: read on. */
	}
	if (t->content == TLS_ALERT) {
		note_alert(n, from_client, t, t->records == 1);
		return;
	}
	if (n->stage == TLS_STAGE_NONE)
		return;
	/* TLS 1.3 encrypts the rest of the handshake as application data
	 * (RFC 8446 5.2): the server's such records before the client's
	 * Finished are its EncryptedExtensions, Certificate and Finished
	 * (4.3-4.4), and the client's first such record is its Finished; a
	 * ChangeCipherSpec is only compatibility's (D.4), and ends nothing.
	 * Read as TLS 1.2's, the server's flight and the two CCSs made the
	 * handshake established and the client's Finished a request (the
	 * corpus's ndpi/dingtalk.pcap 13, a client that closed right after). */
	if (n->stage == TLS_STAGE_SERVER_HELLO && n->version == 0x04 + 1) {
		if (from_client && (t->contents & (1u << (TLS_APPLICATION_DATA -
							  TLS_CHANGE_CIPHER_SPEC))))
			n->stage = TLS_STAGE_ESTABLISHED;
		return;
	}
	/* The second ChangeCipherSpec ends a TLS 1.2 handshake, full or
	 * resumed (RFC 5246 7.3); in TLS 1.3's compatibility mode (RFC 8446
	 * D.4) it comes with the client's Finished. */
	if ((t->contents & (1u << (TLS_CHANGE_CIPHER_SPEC - TLS_CHANGE_CIPHER_SPEC))) &&
	    n->stage == TLS_STAGE_SERVER_HELLO) {
		if (n->ccs_once)
			n->stage = TLS_STAGE_ESTABLISHED;
		n->ccs_once = 1;
	}
	if (!(t->contents & (1u << (TLS_APPLICATION_DATA - TLS_CHANGE_CIPHER_SPEC))))
		return;
	/* TLS 1.3 encrypts alerts as application data too, but an alert's
	 * record is 19 bytes: 2 of alert, 1 of inner content type and a
	 * 16-byte AEAD tag (RFC 8446 5.2, with every TLS 1.3 cipher suite's
	 * tag, unpadded); an HTTP/2 frame alone makes a record of 26 or more. */
	if (n->version == 0x04 + 1 && t->content == TLS_APPLICATION_DATA && t->records == 1 &&
	    t->record_len == 19 && n->stage == TLS_STAGE_ESTABLISHED) {
		note_alert(n, from_client, t, true);     /* an application-data record: encrypted */
		return;
	}
	bool first = h->http_requests == 0;
	n->stage = TLS_STAGE_ESTABLISHED;
	if (from_client && (first || quiet >= TLS_REQUEST_QUIET_NS)) {
		struct http_note *r = &f->conn.request;
		r->frame = p->frame;
		r->seq = p->seq;
		r->dir = (int8_t)dir;
		r->method = HTTP_METHOD_TLS_RECORD;
		r->connection = HTTP_CONN_UNSEEN;
		r->has_body = true;     /* the record, whose length its header gives */
		r->body_end = p->seq + t->next_record;
		count16(&h->http_requests);
	} else if (!from_client && h->http_responses < peer->http_requests) {
		count16(&h->http_responses);
	}
}

/*
 * A segment that ends a record begun before it and then an alert
 * (tls_facts_tail): on an established session, its sender's last record,
 * as track_tls reads one after other records in a segment that begins
 * with a header. TLS 1.3's is an application-data record of 19 bytes.
 */
static void track_tls_tail(struct flow *f, int dir, const struct pkt *p)
{
	const struct tls_facts *t = &p->tls;
	struct tls_note *n = &f->conn.tls;
	if (n->stage != TLS_STAGE_ESTABLISHED ||
	    (t->last_content == TLS_APPLICATION_DATA && n->version != 0x04 + 1))
		return;
	note_alert(n, tls_from_client(f, dir), t, true);
}

/*
 * The records, then a segment that ends with an alert after other records:
 * a side's last response and its close_notify written together (the
 * corpus's ndpi/webex.pcap 421: 2512 bytes of application data and an
 * alert in one segment). close_notify is the last record a side sends
 * (RFC 8446 6.1, RFC 5246 7.2.1), so that alert ends its sender's records
 * as one alone would. A TLS 1.3 alert, encrypted as application data, is
 * told only alone (track_tls_records).
 */
static void track_tls(struct flow *f, int dir, const struct pkt *p, int64_t quiet)
{
	const struct tls_facts *t = &p->tls;
	if (t->content == TLS_ENDS_WITH_ALERT) {
		track_tls_tail(f, dir, p);
		return;
	}
	track_tls_records(f, dir, p, quiet);
	if (t->content == TLS_ALERT || t->records < 2 || t->last_content != TLS_ALERT)
		return;
	note_alert(&f->conn.tls, tls_from_client(f, dir), t, true);
}

/* p is one TLS alert record alone (track_tls has read it), as a
 * close_notify is. */
static inline bool alert_only(const struct flow *f, int dir, const struct pkt *p)
{
	const struct tls_note *n = &f->conn.tls;
	/* One record: a request and its close_notify in one segment are the
	 * request's data (track_tls notes that alert as the last too). */
	if (!p->tls.content || p->tls.records != 1 || !n->alert_last)
		return false;
	return n->alert_from == (tls_from_client(f, dir) ? ROLE_CLIENT : ROLE_SERVER) + 1;
}

/* quiet: the silence before p on the connection. Returns whether p sent
 * again what its side had sent before (tcp_half's last_resent). */
static inline __attribute__((always_inline))
bool track_sequence(struct flow *f, int dir, const struct pkt *p, int64_t quiet)
{
	struct tcp_half *h = &f->conn.half[dir], *peer = &f->conn.half[1 - dir];
	uint32_t end = p->seq + pkt_seq_len(p);
	bool resent = false;
	if (p->flags & TCP_RST)
		return false;  /* a RST's sequence number is not data: it must not move snd_nxt */
	if (is_keepalive(h, peer, p)) {
		count16(&h->keepalives);
		h->flags |= HALF_F_PROBING;
		return false;
	}
	if (h->flags & HALF_F_PROBING)
		h->flags &= (uint8_t)~HALF_F_PROBING;
	if ((p->flags & TCP_SYN) && (h->flags & HALF_F_ISN) && p->seq == h->base_seq) {
		if (h->syn_retrans < 127)
			h->syn_retrans++;
	} else if (pkt_seq_len(p) > 0 && seq_lt(p->seq, h->next_seq)) {
		/* Starts inside data, or at a FIN, already sent. Not counted
		 * when the peer had acknowledged all of it already: a spurious
		 * retransmission (Wireshark's tcp.analysis.spurious_retransmission)
		 * is no data the path lost (a review of the corpus's webex.pcap
		 * 1073: 3 of 7 copies were of data acknowledged before). */
		if (!((peer->flags & HALF_F_ACK) && seq_geq(peer->ack, end)))
			count32(&h->retrans);
		/* Data again, or the FIN it had sent: a FIN below data already
		 * sent, with none before, is no copy of anything (the corpus's
		 * webex.pcap 443, a relay's; a review). */
		resent = p->payload_len > 0 ||
			 ((h->flags & HALF_F_FIN) && p->seq + p->payload_len == h->fin_seq);
		/* A request's first segment seen only after a later one of it
		 * (the first lost before the capture point and sent again:
		 * the corpus's ndpi/soap.pcap 3 then 5) is still the request,
		 * when none was seen on this side. */
		if (__builtin_expect(p->http.start == HTTP_REQUEST, 0) && h->http_requests == 0)
			track_http(f, dir, p);
		/* The same for the session's last command, sent again or seen
		 * late, when it ends this side's data so far (the corpus's
		 * arkime/smtp-decrypted.pcap 32, ".\r\nQUIT\r\n" after its
		 * data's copies). */
		else if (__builtin_expect(p->quit, 0) &&
			 p->seq + p->payload_len == ((h->flags & HALF_F_FIN) ? h->fin_seq : h->next_seq))
			f->conn.quit_from = (uint8_t)(dir + 1);
	} else if (p->http.start != HTTP_NONE) {
		track_http(f, dir, p);
	} else if (p->tls.content) {
		track_tls(f, dir, p, quiet);
	} else if (p->quit) {
		/* This side's session ends here: what answers it is a
		 * goodbye (classify.c, quit_reply_only). */
		f->conn.quit_from = (uint8_t)(dir + 1);
	} else if (p->app && !f->conn.app && h->bytes == 0) {
		f->conn.app = p->app;   /* what this side's first payload opened with */
	} else if (__builtin_expect(p->refusal != REFUSAL_NONE, 0) && h->bytes == 0) {
		/* a service's refusal is its first data (first_bytes.h) */
		f->conn.refusal = p->refusal & 7u;
		f->conn.refusal_from = (uint8_t)(dir + 1);
	}
	if (seq_gt(end, h->next_seq)) {
		if (p->payload_len > 0) {
			uint32_t data_start = p->seq + ((p->flags & TCP_SYN) ? 1u : 0u);
			uint32_t data_end = data_start + p->payload_len;
			uint32_t from = seq_max(data_start, h->next_seq);
			if (seq_gt(data_end, from))
				h->bytes += data_end - from;
			/* Whose new data came last before the first close, a
			 * closing alert aside (TLS's close_notify goes out with
			 * the FIN): classify.c reads whether the closer was
			 * awaiting an answer. (Before track_flags: a FIN's own
			 * data counts.) Not data that does not acknowledge all
			 * of the peer's: it left before the peer's last data
			 * arrived, so it answers none of it (a TLS server's last
			 * handshake flight or session ticket, an HTTP/2 server's
			 * SETTINGS, sent as the handshake ended: the corpus's
			 * alexa-app.pcapng 352, a review). */
			if (f->conn.data_before_close != dir + 1 && f->conn.first_closer < 0 &&
			    !alert_only(f, dir, p)) {
				if (f->conn.data_before_close && (p->flags & TCP_ACK) &&
				    seq_lt(p->ack, peer->next_seq))
					f->conn.data_unanswered_reply = 1;
				else
					f->conn.data_before_close = (uint8_t)(dir + 1);
			}
			/* Data after this side's QUIT: the QUIT was not its last. */
			/* (Tested for none first: nearly no connection has a QUIT.) */
			if (__builtin_expect(f->conn.quit_from != 0, 0) && f->conn.quit_from == dir + 1 &&
			    !(p->http.start == HTTP_NONE && p->quit))
				f->conn.quit_from = 0;
		}
		h->next_seq = end;
	}
	return resent;
}

static inline __attribute__((always_inline))
void track_ack(struct flow *f, int dir, const struct pkt *p)
{
	struct tcp_half *h = &f->conn.half[dir], *peer = &f->conn.half[1 - dir];
	if (!(p->flags & TCP_ACK) || (p->flags & TCP_RST))
		return;
	if (!(h->flags & HALF_F_ACK) || seq_gt(p->ack, h->ack)) {
		/* A peer not seen yet (a one-way capture, or its first segment
		 * still to come): its data starts, as far as the wire shows, at
		 * this first acknowledgment, so this side's acks measure it
		 * (classify.c, data_shown_by_acks). Its own first segment
		 * numbers it afresh (first_segment_of_half). */
		if (!(h->flags & HALF_F_ACK) && !(peer->flags & HALF_F_SEEN))
			peer->base_seq = p->ack;
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
	/* The client's first ACK of the SYN-ACK completes the handshake: one
	 * acknowledging the SYN-ACK and, with it, data or a FIN the server
	 * sent right after does too (RFC 9293 3.10.7.3: SND.UNA < SEG.ACK =<
	 * SND.NXT; the corpus's arkime/CVE-2018-6794.pcap 14, a server that
	 * speaks and closes at once). */
	if (f->conn.synack && !f->conn.established && dir == f->conn.client && !(p->flags & TCP_SYN) &&
	    (peer->flags & HALF_F_ISN) && (p->flags & TCP_ACK) && seq_gt(p->ack, peer->base_seq) &&
	    seq_leq(p->ack, peer->next_seq)) {
		f->conn.established = true;
		/* Timed only when it acknowledges the SYN-ACK alone: the stack's
		 * own immediate answer to it. One that acknowledges data too may
		 * have waited for it, or for a delayed ACK (RFC 1122 4.2.3.2). */
		if (p->ack == peer->base_seq + 1)
			f->conn.hs_ack_ts = p->ts_ns;
	}
}

static inline __attribute__((always_inline))
void track_flags(struct flow *f, int dir, const struct pkt *p)
{
	struct tcp_half *h = &f->conn.half[dir];
	if (p->flags & TCP_RST) {
		if (!h->rst_frame) {
			h->rst_frame = p->frame;
			h->rst_ts = p->ts_ns;
		}
		h->state = HALF_RESET;
		if (f->conn.first_closer < 0)
			f->conn.first_closer = (int8_t)dir;
		return;
	}
	if (p->flags & TCP_SYN) {
		h->base_seq = p->seq;
		h->flags |= HALF_F_ISN;
		h->wscale = syn_wscale(&p->opts);
		if (p->opts.has_wscale)
			h->flags |= HALF_F_WSCALE;
		if (p->flags & TCP_ACK) {
			if (!f->conn.synack) {
				f->conn.synack_ts = p->ts_ns;
				f->conn.syn_resent_early = f->conn.half[1 - dir].syn_retrans > 0;
			}
			f->conn.synack = true;
			if (h->state < HALF_SYN_ACK_SENT)
				h->state = HALF_SYN_ACK_SENT;
		} else {
			if (!f->conn.syn)
				f->conn.syn_ts = p->ts_ns;
			f->conn.syn = true;
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
		if (f->conn.first_closer < 0)
			f->conn.first_closer = (int8_t)dir;
	}
}

/*
 * This side's segment ends the other side's run and acknowledges that
 * side's last segment, which took sequence space: an answer, timed at the
 * capture point (flow.h, answer_ns). Its sender had received all it
 * acknowledges, that segment among them, so it left after that segment
 * passed here and reached it: each answer is at least the round trip
 * between the capture point and its sender. The other side's last
 * segment, not the first of its run, is the one timed: after a segment
 * was lost and sent again, the time from the first sending would count
 * the retransmission timeout (Karn's reason, RFC 6298 3). Acknowledgments
 * beyond what the other side sent are no answer, nor is one in the same
 * nanosecond or over 4.29 s later (then it says nothing timing needs).
 */
static inline void note_answer(struct flow *f, int dir, const struct pkt *p)
{
	/* Most answers are no faster than the fastest: the time first, one
	 * compare (0, none, is the largest), then the segments. */
	uint64_t t = (uint64_t)(p->ts_ns - f->conn.half[1 - dir].last.ts_ns) - 1;
	if (t >= (uint32_t)(f->conn.answer_ns[dir] - 1))
		return;
	const struct tcp_half *b = &f->conn.half[1 - dir];
	const struct seg_note *x = &b->last;
	uint32_t end = x->seq + note_seq_len(x);
	if ((p->flags & (TCP_ACK | TCP_RST)) != TCP_ACK || !x->frame || end == x->seq ||
	    (x->flags & TCP_RST) || !seq_geq(p->ack, end) ||
	    !seq_leq(p->ack, b->next_seq))
		return;
	f->conn.answer_ns[dir] = (uint32_t)(t + 1);
}

/* A farewell follows a silence of TIMEOUT_SILENCE_MIN_NS at least (a
 * timeout's, not a protocol's ordinary turn), and the close follows it
 * within FAREWELL_CLOSE_MAX (the server process exiting after writing it). */
#define FAREWELL_CLOSE_MAX 100000000

/*
 * A farewell in several segments sent back to back is one: HTTP/2 over
 * TLS says goodbye with a GOAWAY record, then a close_notify alert record,
 * then the FIN (RFC 9113 6.8, RFC 8446 6.1; the corpus's
 * ndpi/443-firefox.pcap 657-659, after 4 s of silence). Only while
 * nothing of the other side's came between, not even an ACK: a long
 * message it acknowledged on the way was something else than a goodbye.
 * A bare ACK before a segment no longer than a goodbye's record
 * (TLS_H2_GOAWAY_RECORD_MAX) is allowed: at the receiver, on a long path,
 * its ACK of the GOAWAY leaves before the close_notify behind it arrives
 * (the lab over a 200 ms path). Read before this segment becomes h->last.
 */
static inline bool farewell_goes_on(const struct flow *f, int dir, const struct tcp_half *h,
				    int64_t gap, uint32_t len)
{
	return f->conn.farewell && h->last.frame && h->last.frame == h->data_frame &&
	       (f->conn.last_ts == h->last.ts_ns ||
		(f->conn.last_data_dir == dir && len <= TLS_H2_GOAWAY_RECORD_MAX)) &&
	       gap < FAREWELL_CLOSE_MAX;
}

/*
 * When the application on side dir last had something to do, as its own
 * timers count it (an idle timeout, a keep-alive timeout, a read timeout):
 * its own last segment, or the other side's last segment that brought it
 * something (data, SYN or FIN; at the server, the handshake's ACK: the
 * accept), whichever came later. Both that segment and dir's close then
 * travel dir's leg of the path, so the silence between them reads the same
 * at any capture point. The wire's last packet does not: at the server,
 * the client's ACK of the server's last answer arrives a round trip after
 * the answer left, while the server's timer ran from the answer (nginx's
 * keepalive_timeout, PostgreSQL's idle_session_timeout, Redis's timeout
 * all count from the last request or answer; the lab over a 200 ms path
 * at the server read 1 s timeouts as 0.6 to 0.8 s). A middlebox's timer
 * counts every packet instead: that is the wire's silence (active_ts).
 * Keep-alive probes and their ACKs restart neither timer (active_before,
 * the last packet but those: the later is one of them then). Read before
 * p becomes h->last.
 */
static inline int64_t app_active_ts(const struct flow *f, int dir, int64_t active_before)
{
	const struct tcp_half *h = &f->conn.half[dir], *peer = &f->conn.half[1 - dir];
	int64_t ref = h->last.frame ? h->last.ts_ns : 0;
	if (peer->last.frame && note_seq_len(&peer->last) > 0 && peer->last.ts_ns > ref)
		ref = peer->last.ts_ns;
	if (f->conn.hs_ack_ts > ref && dir != f->conn.client)
		ref = f->conn.hs_ack_ts;
	return ref && ref < active_before ? ref : active_before;
}

/* The body of tcp_track_segment, also a recorded SYN's replay: inlined in
 * each, with the track_* steps it calls, so that the pipeline's
 * per-packet call keeps one call site and stays inlined into it (a second
 * caller made LTO keep these out of line: 3.5 % more instructions on
 * ordinary traffic). */
/*
 * What the caller does after a segment (tcp_track.h, enum track_result):
 * finish the flow when this segment ended it (a RST, or both FINs); log
 * it when it may have reached a side that had closed (after the peer's
 * FIN, or once the connection ended). Until either side closed (its
 * first FIN or RST, which track_flags and tcp_track_follow note before
 * this), neither can be: one test for the common segment.
 */
static inline __attribute__((always_inline)) unsigned track_end(struct flow *f, int dir,
								const struct pkt *p)
{
	if (__builtin_expect(f->conn.first_closer < 0, 1))
		return 0;
	if (f->conn.finished)
		return TRACK_AFTER_CLOSE;
	f->conn.finished = (p->flags & TCP_RST) ||
			   ((f->conn.half[0].flags & HALF_F_FIN) && (f->conn.half[1].flags & HALF_F_FIN));
	if (f->conn.finished)
		return TRACK_FINISHED | TRACK_AFTER_CLOSE;
	return (f->conn.half[1 - dir].flags & HALF_F_FIN) ? TRACK_AFTER_CLOSE : 0;
}

static void note_rst_take(struct flow *f, int dir, const struct pkt *p)
{
	const struct tcp_half *h = &f->conn.half[dir], *peer = &f->conn.half[1 - dir];
	enum rst_take take = tcp_track_rst_take(h, peer, p);
	unsigned first = f->conn.first_rst_take;
	if (!h->rst_frame && !peer->rst_frame)
		f->conn.first_rst_take = take & 7u;
	else if ((first == RST_TAKE_BELOW || first == RST_TAKE_AFTER_FIN) && take == RST_TAKE_EXACT &&
		 h->rst_frame && (!peer->rst_frame || h->rst_frame < peer->rst_frame))
		f->conn.first_rst_take = (first + RST_TAKE_TAKEN_LATER) & 7u;
}

static inline __attribute__((always_inline)) unsigned track_segment(struct flow *f, int dir,
								     const struct pkt *p)
{
	struct tcp_half *h = &f->conn.half[dir];

	/* The connection's first RST: whether its peer took it, and whether
	 * a later one of its sender's took where it had not, for the RSTs
	 * that follow (classify.c, after_earlier_reset); read before the
	 * RST's own number counts as sent. */
	if (p->flags & TCP_RST)
		note_rst_take(f, dir, p);
	int64_t gap = f->conn.pkts > 0 && p->ts_ns > f->conn.last_ts ? p->ts_ns - f->conn.last_ts : 0;
	if (gap > f->conn.max_gap_ns)
		f->conn.max_gap_ns = gap;
	if (!(h->flags & HALF_F_SEEN))
		first_segment_of_half(h, &f->conn.half[1 - dir], p);
	/* A first FIN or RST right after this side's unprompted message that
	 * followed the connection's longest silence, with no data from the
	 * other side since: that message was its farewell. (Read before this
	 * segment becomes h->last.) */
	bool after_farewell = false, crossed = false;
	int64_t farewell_ts = 0, crossed_ts = 0, farewell_silence = 0, close_ref = 0, close_at = p->ts_ns;
	if ((p->flags & (TCP_FIN | TCP_RST)) && f->conn.close_idle_ns < 0) {
		const struct tcp_half *peer = &f->conn.half[1 - dir];
		/* Its own closing alert just before began the close (its TLS
		 * library sent it as the application closed). */
		const struct tls_note *n = &f->conn.tls;
		if (n->alert_last && h->last.frame && h->last.frame == h->data_frame &&
		    n->alert_from == (tls_from_client(f, dir) ? ROLE_CLIENT : ROLE_SERVER) + 1)
			close_at = h->last.ts_ns;
		/* An application's close is timed as its timer counts; a RST
		 * alone may be a middlebox's, timed by the wire. */
		close_ref = (p->flags & TCP_RST) ? f->conn.active_ts
						 : app_active_ts(f, dir, f->conn.active_ts);
		if (f->conn.farewell) {
			after_farewell = f->conn.last_data_dir == dir && h->last.frame &&
					 h->last.frame == h->data_frame;
			farewell_ts = h->last.ts_ns;
			farewell_silence = -1 - f->conn.close_idle_ns;
		}
		/* The other side's last segment is data this close does not
		 * acknowledge: it crossed the close in flight (seen first at
		 * this capture point), and the closer's idle time ended before
		 * it, at the silence it came after. */
		crossed = f->conn.data_after_longest && f->conn.last_data_dir == 1 - dir &&
			  peer->last.frame && peer->last.frame == peer->data_frame &&
			  (p->flags & TCP_ACK) && seq_lt(p->ack, peer->next_seq);
		crossed_ts = peer->last.ts_ns;
	}
	if (p->payload_len > 0 && !(p->flags & TCP_RST)) {
		/* Data that does not acknowledge the other side's data right
		 * before it, which came after the longest silence, crossed that
		 * data in flight (seen first at this capture point: a reused
		 * connection's request meeting the server's idle-timeout
		 * goodbye, as TLS's close_notify). Its sender was silent since
		 * before that data, so it ends the same silence, unprompted. */
		const struct tcp_half *peer = &f->conn.half[1 - dir];
		bool crossing = f->conn.data_after_longest && f->conn.last_data_dir == 1 - dir &&
				peer->last.frame && peer->last.frame == peer->data_frame &&
				f->conn.last_ts == peer->last.ts_ns && (p->flags & TCP_ACK) &&
				seq_lt(p->ack, peer->next_seq);
		int64_t silence = crossing ? gap + f->conn.max_gap_ns : gap;
		/* (Written only after a long silence, or to clear: this runs on
		 * every data segment.) */
		if (silence >= TIMEOUT_SILENCE_MIN_NS) {
			/* After the other side's data, a slow answer is no
			 * goodbye; but on an h2 connection a GOAWAY-sized record
			 * is HTTP/2's goodbye whoever spoke last (tls.h), as
			 * both sides' last data there may be control frames
			 * (the lab's h2-idle-goaway-after-linger-v4: nginx's
			 * keepalive_timeout after the client's WINDOW_UPDATE). */
			bool h2_goaway = tls_note_h2(&f->conn.tls) &&
					 p->payload_len <= TLS_H2_GOAWAY_RECORD_MAX;
			f->conn.data_after_longest = silence >= f->conn.max_gap_ns;
			f->conn.farewell = f->conn.data_after_longest &&
					   (f->conn.last_data_dir == dir || crossing || h2_goaway);
			/* The farewell's silence is the application's
			 * (app_active_ts); whether it was the longest, the
			 * wire's. */
			if (f->conn.close_idle_ns < 0)
				f->conn.close_idle_ns =
					!f->conn.farewell ? -1
					: crossing	  ? -1 - silence
							  : -1 - (p->ts_ns - app_active_ts(f, dir, f->conn.active_ts));
		} else if (f->conn.data_after_longest &&
			   !farewell_goes_on(f, dir, h, gap, p->payload_len)) {
			f->conn.data_after_longest = f->conn.farewell = false;
			if (f->conn.close_idle_ns < 0)
				f->conn.close_idle_ns = -1;
		}
		f->conn.last_data_dir = (int8_t)dir;
		/* A service's last words (first_bytes.h): each is a FATAL or
		 * fatal error, after which its server ends the session, so
		 * nothing of that side's is read after it (kept unchecked: this
		 * runs on every data segment). */
		if (__builtin_expect(p->goodbye != GOODBYE_NONE, 0)) {
			f->conn.goodbye = p->goodbye & 7u;
			f->conn.goodbye_from = (uint16_t)(dir + 1) & 3u;
		}
	}

	/* A bare ACK that acknowledges nothing new (a duplicate ACK, a window
	 * update) answers nothing: the other side's run goes on through it. */
	bool answers = pkt_seq_len(p) > 0 || (p->flags & TCP_RST) || !(p->flags & TCP_ACK) ||
		       !(h->flags & HALF_F_ACK) || seq_gt(p->ack, h->ack);
	/* Nor does a bare FIN that does not acknowledge the other side's
	 * data: the two crossed, and that side's run goes on through it, so
	 * a RST of this side's closed socket that answers the run is matched
	 * to its first segment (classify.c's find_trigger; the corpus's
	 * ndpi/sites.pcapng 598-602: the client's alert, the server's FIN
	 * crossing it, then the server's RST at the FIN's own number). */
	if (answers && (p->flags & TCP_FIN) && !p->payload_len && (p->flags & TCP_ACK) &&
	    f->conn.run_dir != dir && f->conn.run_first.frame &&
	    seq_lt(p->ack, f->conn.half[1 - dir].next_seq))
		answers = false;
	bool resent = track_sequence(f, dir, p, gap);
	track_flags(f, dir, p);
	track_ack(f, dir, p);

	if (p->opts.mptcp & MPTCP_FASTCLOSE)
		h->flags |= HALF_F_FASTCLOSE;
	if (p->window == 0 && !(p->flags & (TCP_SYN | TCP_RST)))
		count16(&h->zero_windows);
	if (p->payload_len > 0)
		h->data_frame = p->frame;
	if (p->ipver == 4)
		h->ip_id = p->ip_id;
	/* A RST's TTL is what the judge compares with the sender's own, never
	 * part of it: a forged one must not widen the range it is judged by. */
	if (!(p->flags & TCP_RST)) {
		if (p->ttl < h->ttl_min)
			h->ttl_min = p->ttl;
		if (p->ttl > h->ttl_max)
			h->ttl_max = p->ttl;
	}
	if (f->conn.pkts == 0 || (f->conn.run_dir != dir && answers)) {
		/* An answer ends the other side's run: timed here, where a
		 * segment that ends no run costs nothing (the other side's
		 * last segment, if it took sequence space, began or went on
		 * with its run; an answer acknowledging it is missed only
		 * after this side's own run began without doing so). */
		note_answer(f, dir, p);
		f->conn.run_dir = (int8_t)dir;
		f->conn.run_first.frame = 0;
	}
	if (!f->conn.run_first.frame && pkt_seq_len(p) > 0 && !(p->flags & TCP_RST))
		seg_note_from_pkt(&f->conn.run_first, p);
	seg_note_from_pkt(&h->last, p);
	h->last_copies = 0;
	h->last_resent = resent;
	count32(&h->pkts);
	count_conn_pkts(&f->conn);
	if (p->ts_ns > f->conn.last_ts)
		f->conn.last_ts = p->ts_ns;
	/* Silence since the last activity: keep-alive probes (RFC 9293 3.8.4)
	 * and the bare ACKs answering them keep a NAT's state, not an
	 * application's timer, so an idle close is measured across them. */
	int64_t active_before = f->conn.active_ts;
	/* Nor does a lone TLS closing alert: its TLS library sends it as the
	 * application closes (SSL_shutdown, then close), so it begins the
	 * close and the idle time ends before it (a review of the corpus's
	 * ndpi/zoom.pcap 256: "0.124 ms after the packet before it", its own
	 * close_notify, for a close 17.5 ms after its last record). */
	if ((!((h->flags | f->conn.half[1 - dir].flags) & HALF_F_PROBING) ||
	     (!(h->flags & HALF_F_PROBING) && (pkt_seq_len(p) > 0 || (p->flags & TCP_RST)))) &&
	    p->ts_ns > active_before && !(p->payload_len && alert_only(f, dir, p)))
		f->conn.active_ts = p->ts_ns;

	/* The idle time a closer's timeout is read from (TAXONOMY idle_before_s).
	 * Servers that close idle connections often say goodbye first and
	 * close a moment later: PostgreSQL's idle_session_timeout sends a FATAL
	 * ErrorResponse (57P05), IMAP's autologout "* BYE", SMTP and FTP "421";
	 * then the idle time is the silence before that message. Only at
	 * the connection's first close: where the capture began at a FIN,
	 * its copies sent again are no closing event of their own (the
	 * corpus's ndpi/googledns_android10.pcap: a server's FIN five times). */
	if (f->conn.close_idle_ns < 0 && (p->flags & (TCP_FIN | TCP_RST)) && f->conn.pkts > 1 &&
	    f->conn.first_closer == dir &&
	    ((p->flags & TCP_RST) ? h->rst_frame == p->frame && !(h->flags & HALF_F_FIN)
				  : h->fin_frame == p->frame)) {
		int64_t idle = close_at > close_ref ? close_at - close_ref : 0;
		f->conn.close_idle_ns = idle;
		if (after_farewell && p->payload_len == 0 && p->ts_ns - farewell_ts < FAREWELL_CLOSE_MAX &&
		    farewell_silence > idle) {
			f->conn.close_idle_ns = farewell_silence;
			f->conn.farewell_closed = !(p->flags & TCP_RST);
		}
		else if (crossed && p->ts_ns - crossed_ts + f->conn.max_gap_ns > idle)
			f->conn.close_idle_ns = p->ts_ns - crossed_ts + f->conn.max_gap_ns;
	}

	return track_end(f, dir, p);
}

unsigned tcp_track_segment(struct flow *f, int dir, const struct pkt *p)
{
	return track_segment(f, dir, p);
}

void tcp_track_unfold_syn(struct flow *f)
{
	struct connection *c = &f->conn;
	int dir = c->client;
	const struct tcp_half *h = &c->half[dir];
	struct pkt p = {
		.frame = h->last.frame,
		.ts_ns = h->last.ts_ns,
		.ipver = f->key.ipver,
		.ttl = h->last.ttl,
		.ip_id = h->ip_id,
		.seq = h->last.seq,
		.ack = h->last.ack,
		.flags = TCP_SYN,
		.window = h->last.window,
		.opts = { .has_wscale = (h->flags & HALF_F_WSCALE) != 0, .wscale = h->wscale,
			  .has_mss = h->wscale != WSCALE_NO_MSS, .cut = h->wscale == WSCALE_CUT },
		.outgoing = h->out_seen,
	};
	flow_start_connection(f, p.ts_ns);
	tcp_track_begin(f, dir, &p);
	track_segment(f, dir, &p);
	c->half[dir].out_seen = p.outgoing;
}

bool tcp_track_leaving(struct flow *f, int dir, const struct pkt *p, bool copy)
{
	if (copy || (tcp_track_arrived_only(&f->conn.half[dir]) && !(p->flags & TCP_RST)))
		return true;
	if (!(p->flags & TCP_RST))
		f->conn.half[dir].out_seen = 1;
	return false;
}

/*
 * The fields tcp_track_segment writes that tcp_track_is_new_incarnation,
 * tcp_track_copy_of_last, the pipeline's host notes and flow_table's
 * expiry read, and next_seq, which a new incarnation keeps of the one
 * before for nat_twin (flow_prev: a replaced twin may be another shard's
 * connection), written as it writes them; nothing else.
 */
/* Out of line: a run without --shard never calls it, and inlined into the
 * pipeline's one path for both it tipped the compiler into leaving that
 * path out of line (2.3M instructions more on the 200k bench capture). */
__attribute__((noinline)) unsigned tcp_track_follow(struct flow *f, int dir, const struct pkt *p)
{
	struct tcp_half *h = &f->conn.half[dir];
	if (!(h->flags & HALF_F_SEEN))
		first_segment_of_half(h, &f->conn.half[1 - dir], p);
	if (!(p->flags & TCP_RST)) {
		if (p->flags & TCP_SYN) {
			h->base_seq = p->seq;
			h->flags |= HALF_F_ISN;
			if (p->flags & TCP_ACK)
				f->conn.synack = true;  /* a retried SYN is no retry after it */
		}
		if (p->flags & TCP_FIN)
			h->flags |= HALF_F_FIN;
		if (p->ttl < h->ttl_min)
			h->ttl_min = p->ttl;
		if (p->ttl > h->ttl_max)
			h->ttl_max = p->ttl;
		uint32_t end = p->seq + pkt_seq_len(p);    /* as track_sequence */
		if (seq_gt(end, h->next_seq))
			h->next_seq = end;
	}
	/* Who closed first (track_end reads it) and a RST's frame (what
	 * late_segments logs by), alike in every shard. */
	if ((p->flags & (TCP_FIN | TCP_RST)) && f->conn.first_closer < 0)
		f->conn.first_closer = (int8_t)dir;
	if ((p->flags & TCP_RST) && !h->rst_frame)
		h->rst_frame = p->frame;
	if (p->ipver == 4)
		h->ip_id = p->ip_id;
	seg_note_from_pkt(&h->last, p);
	h->last_copies = 0;
	count32(&h->pkts);
	count_conn_pkts(&f->conn);
	if (p->ts_ns > f->conn.last_ts)
		f->conn.last_ts = p->ts_ns;
	return track_end(f, dir, p);
}
