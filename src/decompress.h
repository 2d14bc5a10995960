/*
 * decompress: a capture's bytes as libpcap should see them, whether they
 * came plain or compressed with gzip, zstd or lz4 (frame format).
 *
 * The compression is recognised by the stream's first bytes, never by the
 * file name, so standard input and a renamed file work alike. A
 * compressed stream is decompressed as libpcap reads it, through fixed
 * buffers: memory does not grow with the capture.
 */
#ifndef RSTDIAG_DECOMPRESS_H
#define RSTDIAG_DECOMPRESS_H

#include <stdint.h>
#include <stdio.h>

enum compression {
	COMPRESSION_NONE,
	COMPRESSION_GZIP,   /* RFC 1952; concatenated members read as one stream */
	COMPRESSION_ZSTD,   /* RFC 8878 frames, one after another */
	COMPRESSION_LZ4,    /* the LZ4 frame format, frames one after another */
};

const char *compression_name(enum compression c);

/* What the caller learns about a stream decompress_open returned. It must
 * outlive that stream: the stream writes error when it stops early. */
struct decompress_status {
	enum compression compression;
	/* Why the compressed data stopped before its end ("gzip: invalid
	 * block type", "zstd: compressed data cut short"); "" while it has
	 * not. Reads then fail, as on a damaged file. */
	char error[128];
	/* The input's first bytes as read, before any decompression: what
	 * names a capture format rstdiag does not read (capture.c). */
	unsigned char head[4];
	uint8_t head_len;
};

/*
 * Looks at fp's first bytes and returns the stream libpcap should read:
 * fp itself, positioned where it was, when fp is not compressed and can
 * seek back; otherwise a new stream that gives the decompressed bytes (or,
 * for plain bytes that cannot be re-read, such as a pipe, first the bytes
 * looked at, then the rest of fp). Closing the new stream closes fp,
 * unless fp is stdin, which stays open as libpcap leaves it.
 * NULL with errno set if fp could not be read or memory ran out; fp is
 * then still the caller's to close.
 */
FILE *decompress_open(FILE *fp, struct decompress_status *status);

#endif
