/*
 * decode_tcp: the TCP header and options (RFC 9293 3.1, RFC 7323, RFC 2018).
 *
 * Only the first 16 bytes of the header (ports, numbers, offset, flags,
 * window) are required: they hold everything the tracker needs. Options and payload are used as far as they were captured, so a
 * snaplen-cut segment still counts with its true length.
 */
#include "decode.h"

static void parse_options(struct rd o, bool fully_captured, struct tcp_opts *t)
{
	while (rd_left(&o) > 0) {
		uint8_t kind, len;
		rd_u8(&o, &kind);
		if (kind == 0)            /* end of option list */
			return;
		if (kind == 1)            /* no-operation */
			continue;
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

enum decode_result decode_tcp(struct rd *r, const struct decode_ctx *c, uint32_t seg_len,
			      struct pkt *p)
{
	uint8_t offres;
	uint16_t csum, urg;

	if (seg_len < 20)
		return DECODE_INVALID;
	if (!rd_be16(r, &p->sport) || !rd_be16(r, &p->dport) || !rd_be32(r, &p->seq) ||
	    !rd_be32(r, &p->ack) || !rd_u8(r, &offres) || !rd_u8(r, &p->flags) ||
	    !rd_be16(r, &p->window))
		return decode_short(c);
	/* Checksum and urgent pointer are not used: a segment snaplen cut
	 * inside them is still whole for tracking (tshark shows its flags too). */
	if (!rd_be16(r, &csum) || !rd_be16(r, &urg))
		*r = rd_init(r->p, 0);

	uint32_t hlen = (uint32_t)(offres >> 4) * 4;
	if (hlen < 20 || hlen > seg_len)
		return DECODE_INVALID;   /* data offset below 5 or past the segment */

	memset(&p->opts, 0, sizeof p->opts);
	size_t optlen = hlen - 20;
	size_t opt_captured = rd_left(r) < optlen ? rd_left(r) : optlen;
	struct rd opts = { NULL, 0 };
	rd_sub(r, &opts, opt_captured);
	parse_options(opts, opt_captured == optlen, &p->opts);

	p->payload_len = seg_len - hlen;
	p->payload = r->p;
	p->payload_caplen = (uint32_t)(rd_left(r) < p->payload_len ? rd_left(r) : p->payload_len);
	return DECODE_OK;
}
