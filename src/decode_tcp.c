/*
 * decode_tcp: the TCP header and options (RFC 9293 3.1, RFC 7323, RFC 2018).
 *
 * Only the first 16 bytes of the header (ports, numbers, offset, flags,
 * window) are required: they hold everything the tracker needs. Options and payload are used as far as they were captured, so a
 * snaplen-cut segment still counts with its true length.
 */
#include "decode.h"

/*
 * MPTCP (RFC 8684): the subtype in the first byte's high nibble. Only the
 * options that end something are kept: MP_FASTCLOSE (3.5, subtype 7,
 * length 12 with the receiver's key), the MPTCP connection's abortive
 * close; MP_TCPRST (3.6, subtype 8, length 4), a subflow's reset with its
 * flags (T: transient) and reason.
 */
static void parse_mptcp(struct rd body, uint8_t len, struct tcp_opts *t)
{
	uint8_t b0, reason;
	if (!rd_u8(&body, &b0))
		return;
	uint8_t subtype = b0 >> 4;
	if (subtype == 7 && len == 12) {
		t->mptcp |= MPTCP_FASTCLOSE;
	} else if (subtype == 8 && len == 4 && rd_u8(&body, &reason)) {
		t->mptcp |= MPTCP_TCPRST;
		t->mptcp_transient = (b0 & 0x01) != 0;
		t->mptcp_reason = reason;
	}
}

static void parse_options(struct rd o, bool fully_captured, struct tcp_opts *t)
{
	while (rd_left(&o) > 0) {
		uint8_t kind, len;
		rd_u8(&o, &kind);
		if (kind == 0)            /* end of option list */
			return;
		if (kind == 1)            /* no-operation */
			continue;
		if (t->layout < 0x1000)
			t->layout = (uint16_t)(t->layout << 4 | (kind < 15 ? kind : 15));
		if (!rd_u8(&o, &len))
			goto overrun;
		struct rd body;
		if (len < 2) {
			t->malformed = true;  /* would loop forever or read backwards */
			return;
		}
		if (!rd_sub(&o, &body, (size_t)len - 2))
			goto overrun;
		switch (kind) {
		case 2:
			if (len == 4 && rd_be16(&body, &t->mss))
				t->has_mss = true;
			break;
		case 3:
			if (len == 3 && rd_u8(&body, &t->wscale))
				t->has_wscale = true;
			break;
		case 4:
			t->sack_perm = (len == 2);
			break;
		case 5:
			if ((len - 2) % 8 == 0)
				t->n_sack = (uint8_t)((len - 2) / 8);
			break;
		case 8:
			if (len == 10 && rd_be32(&body, &t->tsval) && rd_be32(&body, &t->tsecr))
				t->has_ts = true;
			break;
		case 30:
			parse_mptcp(body, len, t);
			break;
		default:
			break;
		}
	}
	return;
overrun:
	/* Running off captured options is snaplen's doing, not the sender's. */
	if (fully_captured)
		t->malformed = true;
}

/*
 * Nearly every segment after the handshake carries exactly NOP, NOP,
 * timestamp: recognise that layout at once, as Linux does
 * (tcp_parse_aligned_timestamp), and walk the options only otherwise.
 */
static bool aligned_timestamp(struct rd o, struct tcp_opts *t)
{
	static const uint8_t layout[4] = { 1, 1, 8, 10 };
	if (rd_left(&o) != 12 || memcmp(o.p, layout, sizeof layout) != 0)
		return false;
	rd_skip(&o, sizeof layout);
	rd_be32(&o, &t->tsval);
	rd_be32(&o, &t->tsecr);
	t->has_ts = true;
	return true;
}

/*
 * A Linux SYN or SYN-ACK with timestamps, SACK and window scaling carries
 * exactly: MSS; SACK-permitted and the timestamp in one word; NOP and the
 * window scale, in the order tcp_options_write (net/ipv4/tcp_output.c)
 * writes them. That is most SYNs on the wire, and every SYN of a flood
 * from Linux hosts: read in place too, with what parse_options would give
 * (layout 2, 4, 8, 3 for host_stack_from_syn).
 */
static bool linux_syn_options(struct rd o, struct tcp_opts *t)
{
	static const uint8_t mss[2] = { 2, 4 }, sack_ts[4] = { 4, 2, 8, 10 }, ws[3] = { 1, 3, 3 };
	if (rd_left(&o) != 20 || memcmp(o.p, mss, sizeof mss) != 0 ||
	    memcmp(o.p + 4, sack_ts, sizeof sack_ts) != 0 || memcmp(o.p + 16, ws, sizeof ws) != 0)
		return false;
	t->mss = rd_be16_at(&o, 2);
	t->has_mss = true;
	t->sack_perm = true;
	t->tsval = rd_be32_at(&o, 8);
	t->tsecr = rd_be32_at(&o, 12);
	t->has_ts = true;
	t->wscale = rd_u8_at(&o, 19);
	t->has_wscale = true;
	t->layout = 0x2483;
	return true;
}

enum decode_result decode_tcp(struct rd *r, const struct decode_ctx *c, uint32_t seg_len,
			      struct pkt *p)
{
	/* Read into locals and a local reader, then store: a store through
	 * p's byte fields may alias *r, which would make the compiler reload
	 * the reader after every field. */
	struct rd h = *r, fixed;

	if (seg_len < 20)
		return DECODE_INVALID;
	/* Ports, numbers, offset, flags and window: the 16 bytes tracking needs. */
	if (!rd_sub(&h, &fixed, 16))
		return decode_short(c);
	uint16_t sport = rd_be16_at(&fixed, 0), dport = rd_be16_at(&fixed, 2);
	uint32_t seq = rd_be32_at(&fixed, 4), ack = rd_be32_at(&fixed, 8);
	uint8_t offres = rd_u8_at(&fixed, 12), flags = rd_u8_at(&fixed, 13);
	uint16_t window = rd_be16_at(&fixed, 14);
	/* Checksum and urgent pointer are not used: a segment snaplen cut
	 * inside them is still whole for tracking (tshark shows its flags too). */
	if (!rd_skip(&h, 4))
		h = rd_init(h.p, 0);

	uint32_t hlen = (uint32_t)(offres >> 4) * 4;
	if (hlen < 20)
		return DECODE_INVALID;   /* data offset below 5: Wireshark stops here too */
	/*
	 * An offset past the segment: Linux drops such a segment (tcp_v4_rcv's
	 * pskb_may_pull), but its fixed header was on the wire and Wireshark
	 * shows its flags. Take the whole segment as header, without payload,
	 * and say so, so that a RST among them is still reported.
	 */
	bool offset_past = hlen > seg_len;
	if (offset_past)
		hlen = seg_len;

	size_t optlen = hlen - 20;
	size_t opt_captured = rd_left(&h) < optlen ? rd_left(&h) : optlen;
	struct rd opts = { NULL, 0 };
	rd_sub(&h, &opts, opt_captured);

	p->sport = sport;
	p->dport = dport;
	p->seq = seq;
	p->ack = ack;
	p->flags = flags;
	p->window = window;
	p->offset_past = offset_past;
	memset(&p->opts, 0, sizeof p->opts);
	p->opts.cut = opt_captured < optlen;
	if (!aligned_timestamp(opts, &p->opts) &&
	    !((flags & TCP_SYN) && linux_syn_options(opts, &p->opts)))
		parse_options(opts, opt_captured == optlen, &p->opts);

	p->payload_len = seg_len - hlen;
	p->payload = h.p;
	p->payload_caplen = (uint32_t)(rd_left(&h) < p->payload_len ? rd_left(&h) : p->payload_len);
	*r = h;
	return DECODE_OK;
}
