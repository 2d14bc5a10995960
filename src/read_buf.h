/*
 * read_buf: the one growing buffer a capture reader of our own (pcapng.c,
 * netmon.c) reads each record into, as the bytes arrive.
 *
 * A record's length comes from the file, and a damaged or hostile file
 * may claim any: the buffer grows only as bytes are read, a chunk at a
 * time, so a claim the file cannot back costs at most one chunk, and the
 * reader sees the short count and calls the file damaged.
 */
#ifndef RSTDIAG_READ_BUF_H
#define RSTDIAG_READ_BUF_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Makes *buf hold at least n bytes (doubling from 4 KiB); *cap is its size. */
void read_buf_reserve(uint8_t **buf, size_t *cap, size_t n);

/* Reads n bytes from fp into *buf at offset at, growing it as they come.
 * Returns the bytes read: n, or fewer where the file ended. */
size_t read_buf_fill(FILE *fp, uint8_t **buf, size_t *cap, size_t at, size_t n);

#endif
