/*
 * tlsbuild: TLS records built byte by byte for unit tests (test_tls.c,
 * test_explain.c).
 */
#ifndef RSTDIAG_TLSBUILD_H
#define RSTDIAG_TLSBUILD_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

struct buf {
	uint8_t b[4096];
	size_t n;
};

static inline void put8(struct buf *o, unsigned v) { o->b[o->n++] = (uint8_t)v; }
static inline void put16(struct buf *o, unsigned v) { put8(o, v >> 8); put8(o, v & 0xff); }
static inline void put24(struct buf *o, unsigned v) { put8(o, v >> 16); put16(o, v & 0xffff); }
static inline void puts_(struct buf *o, const char *s) { while (*s) put8(o, (uint8_t)*s++); }
/* Writes a 16-bit length at off for what follows it up to the end. */
static inline void len16_at(struct buf *o, size_t off) {
	size_t n = o->n - off - 2;
	o->b[off] = (uint8_t)(n >> 8);
	o->b[off + 1] = (uint8_t)n;
}

/* A TLS 1.3 ClientHello as browsers send it: GREASE, SNI, ALPN, versions. */
static inline void client_hello(struct buf *o, const char *sni, bool with_versions)
{
	o->n = 0;
	put8(o, 22); put16(o, 0x0301);          /* record: handshake, legacy 1.0 */
	size_t rec = o->n; put16(o, 0);
	put8(o, 1);                             /* ClientHello */
	size_t hs = o->n; put24(o, 0);
	put16(o, 0x0303);                       /* legacy_version 1.2 */
	for (int i = 0; i < 32; i++) put8(o, i); /* random */
	put8(o, 32); for (int i = 0; i < 32; i++) put8(o, 0xaa); /* session id */
	put16(o, 4); put16(o, 0x1301); put16(o, 0x1302);     /* cipher suites */
	put8(o, 1); put8(o, 0);                 /* compression: null */
	size_t exts = o->n; put16(o, 0);
	put16(o, 0x3a3a); put16(o, 0);          /* GREASE extension */
	put16(o, 0);                            /* server_name */
	size_t e = o->n; put16(o, 0);
	size_t l = o->n; put16(o, 0);
	put8(o, 0); put16(o, (unsigned)strlen(sni)); puts_(o, sni);
	len16_at(o, l); len16_at(o, e);
	put16(o, 16);                           /* ALPN */
	e = o->n; put16(o, 0);
	l = o->n; put16(o, 0);
	put8(o, 2); puts_(o, "h2"); put8(o, 8); puts_(o, "http/1.1");
	len16_at(o, l); len16_at(o, e);
	if (with_versions) {
		put16(o, 43);                   /* supported_versions */
		put16(o, 7); put8(o, 6); put16(o, 0x7a7a); put16(o, 0x0304); put16(o, 0x0303);
	}
	len16_at(o, exts);
	size_t hslen = o->n - hs - 3;
	o->b[hs] = (uint8_t)(hslen >> 16); o->b[hs + 1] = (uint8_t)(hslen >> 8);
	o->b[hs + 2] = (uint8_t)hslen;
	len16_at(o, rec);
}

#endif
