/*
 * decompress: recognise a compressed capture by its magic bytes and give
 * libpcap the decompressed stream (see decompress.h).
 *
 * libpcap reads a capture from a FILE*, so the decompressed bytes are a
 * FILE* too: a glibc cookie stream (fopencookie) whose read function
 * decompresses into the buffer stdio hands it, from one fixed input
 * buffer. Memory per input is that buffer, stdio's own buffer and the
 * library's state and window: 32 KiB for gzip, at most 4 MiB blocks for
 * lz4, and for zstd at most ZSTD_WINDOW_LOG_MAX (the window the frame
 * asks for; a frame asking for more is refused, as the zstd tool does).
 *
 * A plain capture costs nothing extra when its stream can seek (a file,
 * stdin redirected from a file, the fuzzer's memory): the first bytes are
 * read, then fp is put back where it was and returned as it is. Only a
 * plain capture on a pipe goes through a cookie stream, which replays
 * the bytes looked at before reading on, since stdio promises to push
 * back one byte, not four.
 */
#define _GNU_SOURCE     /* fopencookie */
#include "decompress.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include <lz4frame.h>
#include <zlib.h>
#include <zstd.h>

/* Compressed bytes read from the input at a time (as capture.c's stdio
 * buffer for plain files). */
#define INPUT_BYTES (1u << 16)
/* 2^27 = 128 MiB: zstd's own default limit and the zstd tool's without
 * --memory; frames written with a larger --long window are refused. */
#define ZSTD_WINDOW_LOG_MAX 27

const char *compression_name(enum compression c)
{
	switch (c) {
	case COMPRESSION_NONE: return "none";
	case COMPRESSION_GZIP: return "gzip";
	case COMPRESSION_ZSTD: return "zstd";
	case COMPRESSION_LZ4: return "lz4";
	}
	return "?";
}

/* The first four bytes of each format. pcap's magics (a1b2c3d4, a1b23c4d
 * either way round) and pcapng's (0a0d0d0a) share none of them. Skippable
 * zstd and lz4 frames (184d2a5?) are not taken as a start: the two
 * formats share that range. */
#define MAGIC_BYTES 4
static enum compression detect(const unsigned char *m, size_t n)
{
	if (n >= 2 && m[0] == 0x1f && m[1] == 0x8b)     /* RFC 1952 2.3.1 ID1 ID2 */
		return COMPRESSION_GZIP;
	if (n >= 4 && m[0] == 0x28 && m[1] == 0xb5 && m[2] == 0x2f && m[3] == 0xfd)
		return COMPRESSION_ZSTD;                /* RFC 8878 3.1.1, 0xFD2FB528 le */
	if (n >= 4 && m[0] == 0x04 && m[1] == 0x22 && m[2] == 0x4d && m[3] == 0x18)
		return COMPRESSION_LZ4;                 /* lz4 frame format, 0x184D2204 le */
	return COMPRESSION_NONE;
}

struct stream {
	FILE *in;
	struct decompress_status *status;
	enum compression kind;
	union {
		z_stream z;
		ZSTD_DCtx *zstd;
		LZ4F_dctx *lz4;
	} lib;
	/* Between two frames (gzip members): the input may end here. */
	bool frame_done;
	bool in_eof;
	bool failed;
	size_t start, end;      /* unread input: buf[start, end) */
	unsigned char buf[INPUT_BYTES];
};

/* The data stopped making sense: say why, once, and fail every read after. */
static ssize_t fail(struct stream *s, const char *why)
{
	snprintf(s->status->error, sizeof s->status->error, "%s: %s", compression_name(s->kind), why);
	s->failed = true;
	errno = EIO;
	return -1;
}

static bool refill(struct stream *s)
{
	s->start = 0;
	s->end = fread(s->buf, 1, INPUT_BYTES, s->in);
	if (s->end < INPUT_BYTES) {
		if (ferror(s->in))
			return false;
		s->in_eof = true;
	}
	return true;
}

/*
 * One step of the decoder: consume from buf[start, end), produce into
 * out. Returns the bytes produced, or -1 on corrupt data (status->error
 * says why). *done: the step ended a frame (a gzip member) and handed out
 * all of it, so the input may end here.
 */
static ssize_t step_gzip(struct stream *s, char *out, size_t size, bool *done)
{
	z_stream *z = &s->lib.z;
	z->next_in = s->buf + s->start;
	z->avail_in = (uInt)(s->end - s->start);
	z->next_out = (Bytef *)out;
	z->avail_out = (uInt)(size > UINT32_MAX ? UINT32_MAX : size);
	int rc = inflate(z, Z_NO_FLUSH);
	/* Z_BUF_ERROR: no progress was possible; more input will do. */
	if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR)
		return fail(s, rc == Z_MEM_ERROR ? "out of memory"
					 : z->msg ? z->msg : "corrupt data");
	s->start = s->end - z->avail_in;
	*done = rc == Z_STREAM_END;
	/* Another member may follow (gzip -c a >x; gzip -c b >>x; log
	 * rotation): RFC 1952 2.2 reads them as one file, as zcat does. */
	if (*done)
		inflateReset(z);
	return (ssize_t)((char *)z->next_out - out);
}

static ssize_t step_zstd(struct stream *s, char *out, size_t size, bool *done)
{
	ZSTD_inBuffer in = { s->buf, s->end, s->start };
	ZSTD_outBuffer o = { out, size, 0 };
	size_t rc = ZSTD_decompressStream(s->lib.zstd, &o, &in);
	if (ZSTD_isError(rc))
		return fail(s, ZSTD_getErrorName(rc));
	s->start = in.pos;
	/* 0: a frame is complete and all of it handed out; the next byte may
	 * start another (RFC 8878 3: frames are concatenated). */
	*done = rc == 0;
	return (ssize_t)o.pos;
}

static ssize_t step_lz4(struct stream *s, char *out, size_t size, bool *done)
{
	size_t in_size = s->end - s->start, out_size = size;
	size_t rc = LZ4F_decompress(s->lib.lz4, out, &out_size, s->buf + s->start, &in_size, NULL);
	if (LZ4F_isError(rc)) {
		const char *name = LZ4F_getErrorName(rc);
		/* "ERROR_blockChecksum_invalid": the prefix says nothing here. */
		if (strncmp(name, "ERROR_", 6) == 0)
			name += 6;
		return fail(s, name);
	}
	s->start += in_size;
	/* 0: the frame is complete; the context starts the next one itself. */
	*done = rc == 0;
	return (ssize_t)out_size;
}

static ssize_t stream_read(void *cookie, char *out, size_t size)
{
	struct stream *s = cookie;
	if (s->failed) {
		errno = EIO;
		return -1;
	}
	if (s->kind == COMPRESSION_NONE) {
		/* A plain pipe: the bytes looked at, then the rest as it comes. */
		if (s->start < s->end) {
			size_t n = s->end - s->start < size ? s->end - s->start : size;
			memcpy(out, s->buf + s->start, n);
			s->start += n;
			return (ssize_t)n;
		}
		size_t n = fread(out, 1, size, s->in);
		return n == 0 && ferror(s->in) ? -1 : (ssize_t)n;
	}
	/* stdio asks again after a short read, so return as soon as there is
	 * output; loop only while the decoder needs input to produce any. */
	for (;;) {
		size_t before = s->start;
		bool done = false;
		ssize_t n = s->kind == COMPRESSION_GZIP ? step_gzip(s, out, size, &done)
			  : s->kind == COMPRESSION_ZSTD ? step_zstd(s, out, size, &done)
							: step_lz4(s, out, size, &done);
		if (n < 0)
			return n;
		/* A call that did nothing says nothing about frames: zstd and lz4
		 * ask for the next frame's header even after the last one. */
		if (n > 0 || s->start != before)
			s->frame_done = done;
		if (n > 0)
			return n;
		if (s->start < s->end) {
			/* Input left, none used and nothing produced: the decoders
			 * never do that with room to write, but never spin on it. */
			if (s->start == before)
				return fail(s, "the decoder made no progress");
			continue;
		}
		if (s->in_eof) {
			/* The input ended; inside a frame, that is a cut file. */
			if (!s->frame_done)
				return fail(s, "compressed data cut short");
			return 0;
		}
		if (!refill(s))
			return -1;      /* a read error: errno says which */
	}
}

static int stream_close(void *cookie)
{
	struct stream *s = cookie;
	switch (s->kind) {
	case COMPRESSION_GZIP: inflateEnd(&s->lib.z); break;
	case COMPRESSION_ZSTD: ZSTD_freeDCtx(s->lib.zstd); break;
	case COMPRESSION_LZ4: LZ4F_freeDecompressionContext(s->lib.lz4); break;
	case COMPRESSION_NONE: break;
	}
	int rc = s->in == stdin ? 0 : fclose(s->in);
	free(s);
	return rc;
}

static bool decoder_init(struct stream *s)
{
	switch (s->kind) {
	case COMPRESSION_GZIP:
		/* 15 + 16: the largest window, gzip wrapper only (zlib.h). */
		return inflateInit2(&s->lib.z, 15 + 16) == Z_OK;
	case COMPRESSION_ZSTD:
		s->lib.zstd = ZSTD_createDCtx();
		return s->lib.zstd && !ZSTD_isError(ZSTD_DCtx_setParameter(s->lib.zstd,
				ZSTD_d_windowLogMax, ZSTD_WINDOW_LOG_MAX));
	case COMPRESSION_LZ4:
		return !LZ4F_isError(LZ4F_createDecompressionContext(&s->lib.lz4, LZ4F_VERSION));
	case COMPRESSION_NONE:
		return true;
	}
	return false;
}

FILE *decompress_open(FILE *fp, struct decompress_status *status)
{
	*status = (struct decompress_status){ .compression = COMPRESSION_NONE };
	off_t start = ftello(fp);       /* -1 on a pipe */
	unsigned char magic[MAGIC_BYTES];
	size_t n = fread(magic, 1, sizeof magic, fp);
	if (n < sizeof magic && ferror(fp))
		return NULL;
	enum compression kind = detect(magic, n);
	_Static_assert(sizeof status->head == MAGIC_BYTES, "the head is the magic's bytes");
	memcpy(status->head, magic, n);
	status->head_len = (uint8_t)n;
	/* Plain and seekable: libpcap reads fp itself, no byte copied twice. */
	if (kind == COMPRESSION_NONE && start >= 0 && fseeko(fp, start, SEEK_SET) == 0)
		return fp;

	struct stream *s = calloc(1, sizeof *s);
	if (!s)
		return NULL;
	s->in = fp;
	s->status = status;
	s->kind = kind;
	s->frame_done = true;
	memcpy(s->buf, magic, n);
	s->end = n;
	/* A short first read was the end of the input. */
	s->in_eof = n < sizeof magic;
	if (!decoder_init(s)) {
		free(s);
		errno = ENOMEM;
		return NULL;
	}
	status->compression = kind;
	FILE *out = fopencookie(s, "rb", (cookie_io_functions_t){
		.read = stream_read, .close = stream_close });
	if (!out) {
		s->in = stdin;  /* the caller still owns fp: close the decoder alone */
		stream_close(s);
		return NULL;
	}
	return out;
}
