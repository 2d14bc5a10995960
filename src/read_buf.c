/* read_buf: see read_buf.h. */
#include "read_buf.h"

#include "xalloc.h"

/* What one fread asks for: the most a length the file cannot back makes
 * us allocate beyond what it holds. */
#define READ_BUF_CHUNK (1u << 20)

void read_buf_reserve(uint8_t **buf, size_t *cap, size_t n)
{
	if (n <= *cap)
		return;
	size_t c = *cap ? *cap : 4096;
	while (c < n)
		c *= 2;
	*buf = xrealloc(*buf, c);
	*cap = c;
}

size_t read_buf_fill(FILE *fp, uint8_t **buf, size_t *cap, size_t at, size_t n)
{
	size_t got = 0;
	while (got < n) {
		size_t chunk = n - got < READ_BUF_CHUNK ? n - got : READ_BUF_CHUNK;
		read_buf_reserve(buf, cap, at + got + chunk);
		size_t k = fread(*buf + at + got, 1, chunk, fp);
		got += k;
		if (k < chunk)
			break;
	}
	return got;
}
