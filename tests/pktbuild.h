/*
 * pktbuild: hand-built frames for unit tests. Each builder appends
 * network-order bytes to a buffer; lengths and checksums are whatever the
 * test says, so malformed frames are as easy to make as good ones.
 */
#ifndef RSTDIAG_PKTBUILD_H
#define RSTDIAG_PKTBUILD_H

#include <stdint.h>
#include <string.h>

struct buf {
	uint8_t b[4096];
	size_t n;
};

static inline void put8(struct buf *b, uint8_t v) { b->b[b->n++] = v; }
static inline void put16(struct buf *b, uint16_t v) { put8(b, (uint8_t)(v >> 8)); put8(b, (uint8_t)v); }
static inline void put32(struct buf *b, uint32_t v) { put16(b, (uint16_t)(v >> 16)); put16(b, (uint16_t)v); }
static inline void put_bytes(struct buf *b, const void *p, size_t n) { memcpy(b->b + b->n, p, n); b->n += n; }
static inline void put_zero(struct buf *b, size_t n) { memset(b->b + b->n, 0, n); b->n += n; }
/* Overwrite a 16-bit field at offset off. */
static inline void set16(struct buf *b, size_t off, uint16_t v) { b->b[off] = (uint8_t)(v >> 8); b->b[off + 1] = (uint8_t)v; }

static inline void put_eth(struct buf *b, uint16_t type)
{
	static const uint8_t macs[12] = { 2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2 };
	put_bytes(b, macs, 12);
	put16(b, type);
}

/* IPv4 header without options; total_len is written as given. Returns its offset. */
static inline size_t put_ipv4(struct buf *b, uint8_t ihl, uint16_t total_len, uint16_t frag,
			      uint8_t proto, uint8_t ttl, uint16_t id)
{
	size_t off = b->n;
	put8(b, (uint8_t)(0x40 | ihl));
	put8(b, 0);
	put16(b, total_len);
	put16(b, id);
	put16(b, frag);
	put8(b, ttl);
	put8(b, proto);
	put16(b, 0);
	put32(b, 0x0a000001);   /* 10.0.0.1 */
	put32(b, 0x0a000002);   /* 10.0.0.2 */
	for (int i = 5; i < ihl; i++)
		put32(b, 0x01010101); /* NOP options */
	return off;
}

static inline size_t put_ipv6(struct buf *b, uint16_t payload_len, uint8_t next, uint8_t hlim)
{
	static const uint8_t src[16] = { 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 };
	static const uint8_t dst[16] = { 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2 };
	size_t off = b->n;
	put32(b, 0x60000000);
	put16(b, payload_len);
	put8(b, next);
	put8(b, hlim);
	put_bytes(b, src, 16);
	put_bytes(b, dst, 16);
	return off;
}

/* TCP header with data offset doff (words); options bytes follow if given. */
static inline void put_tcp(struct buf *b, uint16_t sport, uint16_t dport, uint32_t seq,
			   uint32_t ack, uint8_t doff, uint8_t flags, uint16_t win,
			   const uint8_t *opts, size_t optlen)
{
	put16(b, sport);
	put16(b, dport);
	put32(b, seq);
	put32(b, ack);
	put8(b, (uint8_t)(doff << 4));
	put8(b, flags);
	put16(b, win);
	put16(b, 0);
	put16(b, 0);
	if (opts)
		put_bytes(b, opts, optlen);
}

#endif
