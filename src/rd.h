/*
 * rd: the one bounds-checked reader every decoder uses.
 *
 * A reader is a window [p, p+len) over captured bytes. Every read either
 * succeeds and advances, or fails and leaves the reader untouched; no
 * decoder does pointer arithmetic or overlays structs on packet bytes
 * (the BoringSSL CBS idea; tcpdump CONTRIBUTING "Code style" 5).
 */
#ifndef RSTDIAG_RD_H
#define RSTDIAG_RD_H

#include <assert.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct rd {
	const uint8_t *p;
	size_t len;
};

static inline struct rd rd_init(const uint8_t *p, size_t len)
{
	struct rd r = { p, len };
	return r;
}

static inline size_t rd_left(const struct rd *r)
{
	return r->len;
}

static inline bool rd_skip(struct rd *r, size_t n)
{
	if (r->len < n)
		return false;
	r->p += n;
	r->len -= n;
	return true;
}

/* Carve the next n bytes out as their own reader. */
static inline bool rd_sub(struct rd *r, struct rd *out, size_t n)
{
	if (r->len < n)
		return false;
	out->p = r->p;
	out->len = n;
	r->p += n;
	r->len -= n;
	return true;
}

/* Shrink the window to at most n bytes (clamping to a length field). */
static inline void rd_clamp(struct rd *r, size_t n)
{
	if (r->len > n)
		r->len = n;
}

static inline bool rd_u8(struct rd *r, uint8_t *v)
{
	if (r->len < 1)
		return false;
	*v = r->p[0];
	r->p += 1;
	r->len -= 1;
	return true;
}

static inline bool rd_be16(struct rd *r, uint16_t *v)
{
	if (r->len < 2)
		return false;
	*v = (uint16_t)((unsigned)r->p[0] << 8 | r->p[1]);
	r->p += 2;
	r->len -= 2;
	return true;
}

/* Little-endian fields: radiotap, PPI and PKTAP headers, NFLOG's TLVs as
 * libpcap hands them to a little-endian host. */
static inline bool rd_le16(struct rd *r, uint16_t *v)
{
	if (r->len < 2)
		return false;
	*v = (uint16_t)((unsigned)r->p[1] << 8 | r->p[0]);
	r->p += 2;
	r->len -= 2;
	return true;
}

static inline bool rd_be32(struct rd *r, uint32_t *v)
{
	if (r->len < 4)
		return false;
	*v = (uint32_t)r->p[0] << 24 | (uint32_t)r->p[1] << 16 |
	     (uint32_t)r->p[2] << 8 | r->p[3];
	r->p += 4;
	r->len -= 4;
	return true;
}

static inline bool rd_le32(struct rd *r, uint32_t *v)
{
	if (r->len < 4)
		return false;
	*v = (uint32_t)r->p[3] << 24 | (uint32_t)r->p[2] << 16 |
	     (uint32_t)r->p[1] << 8 | r->p[0];
	r->p += 4;
	r->len -= 4;
	return true;
}

/*
 * Fields of a fixed-size header, read at their offsets inside a reader
 * carved to that size with rd_sub: one length check for the whole header
 * instead of one per field. Each offset is asserted inside the window;
 * with a constant size and offsets the compiler proves the asserts and
 * drops them.
 */
static inline uint8_t rd_u8_at(const struct rd *r, size_t off)
{
	assert(off + 1 <= r->len);
	return r->p[off];
}

static inline uint16_t rd_be16_at(const struct rd *r, size_t off)
{
	assert(off + 2 <= r->len);
	return (uint16_t)((unsigned)r->p[off] << 8 | r->p[off + 1]);
}

static inline uint32_t rd_be32_at(const struct rd *r, size_t off)
{
	assert(off + 4 <= r->len);
	return (uint32_t)r->p[off] << 24 | (uint32_t)r->p[off + 1] << 16 |
	       (uint32_t)r->p[off + 2] << 8 | r->p[off + 3];
}

static inline uint16_t rd_le16_at(const struct rd *r, size_t off)
{
	assert(off + 2 <= r->len);
	return (uint16_t)((unsigned)r->p[off + 1] << 8 | r->p[off]);
}

static inline uint32_t rd_le32_at(const struct rd *r, size_t off)
{
	assert(off + 4 <= r->len);
	return (uint32_t)r->p[off + 3] << 24 | (uint32_t)r->p[off + 2] << 16 |
	       (uint32_t)r->p[off + 1] << 8 | r->p[off];
}

static inline void rd_copy_at(const struct rd *r, size_t off, void *dst, size_t n)
{
	assert(off + n <= r->len);
	memcpy(dst, r->p + off, n);
}

static inline bool rd_copy(struct rd *r, void *dst, size_t n)
{
	if (r->len < n)
		return false;
	memcpy(dst, r->p, n);
	r->p += n;
	r->len -= n;
	return true;
}

#endif
