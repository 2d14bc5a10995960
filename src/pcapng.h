/*
 * pcapng: our own reader of pcapng files, block by block.
 *
 * libpcap 1.10 gives a whole file one link type and one byte order: it
 * refuses a second interface whose link type or snaplen differs from the
 * first ("an interface has a type 113 different from the type of the
 * first interface") and a section in the other byte order, where
 * Wireshark reads on. dumpcap -i A -i B writes exactly such files. This
 * reader keeps every interface of a section apart (link type, snaplen,
 * time resolution and offset, name), follows sections in either byte
 * order, and says which blocks Wireshark numbers as frames, so capture.c
 * numbers them alike. libpcap still reads classic pcap, live interfaces
 * and compiles BPF filters.
 *
 * The file is read through a FILE* (plain or decompress.h's stream), one
 * block at a time into one growing buffer: no allocation per packet, and
 * every field is read through rd.h. Spec: IETF draft-ietf-opsawg-pcapng
 * (the "pcapng spec" below).
 */
#ifndef RSTDIAG_PCAPNG_H
#define RSTDIAG_PCAPNG_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* The Section Header Block's type; the first byte of a pcapng file is
 * 0x0A in either byte order, and no pcap magic starts with it. */
#define PCAPNG_SHB_TYPE 0x0A0D0D0Au
#define PCAPNG_FIRST_BYTE 0x0A

/*
 * The largest block read: Wireshark's own bound (wiretap/pcapng.c
 * MAX_BLOCK_SIZE: the Enhanced Packet Block's fixed part, a 128 MiB D-Bus
 * message, and 128 KiB of options), so every file Wireshark reads, this
 * reads. A longer length is damage, and nothing is allocated for it; the
 * buffer grows as the bytes arrive, so a cut file's claim costs nothing.
 */
#define PCAPNG_BLOCK_MAX (32u + 128u * 1024 * 1024 + 128u * 1024)

/* Interface names are kept to this many bytes, the terminating NUL included. */
#define PCAPNG_NAME_MAX 64

struct pcapng_interface {
	uint16_t link_type;     /* a LINKTYPE_ value (not a DLT) */
	uint32_t snaplen;       /* 0: no limit */
	uint64_t units;         /* time stamp units per second (if_tsresol; default 10^6) */
	int64_t offset_s;       /* seconds added to every time stamp (if_tsoffset) */
	/* if_name, else if_description, printable ASCII (other bytes '?'),
	 * cut to PCAPNG_NAME_MAX - 1 bytes; "" when the file names neither. */
	char name[PCAPNG_NAME_MAX];
};

enum pcapng_event {
	PCAPNG_PACKET,      /* EPB, SPB or the obsolete PB: a frame with bytes */
	PCAPNG_RECORD,      /* a block Wireshark numbers as a frame without packet bytes */
	PCAPNG_INTERFACE,   /* an Interface Description Block: the section's last interface */
	PCAPNG_SECTION,     /* a Section Header Block: the section has no interface yet */
	PCAPNG_END,         /* the file ended cleanly, between blocks */
	PCAPNG_ERROR,       /* damaged: the reader's error says why; read no further */
};

struct pcapng_packet {
	uint32_t interface;     /* index into the section's interfaces */
	int64_t sec;            /* time: seconds since the epoch (saturated) ... */
	uint32_t nsec;          /* ... and nanoseconds */
	uint32_t caplen, len;   /* bytes in data; the packet's length on the wire */
	const uint8_t *data;    /* valid until the next pcapng_next */
};

struct pcapng_reader {
	FILE *fp;
	bool big_endian;                    /* the current section's byte order */
	struct pcapng_interface *interfaces;  /* the current section's */
	uint32_t n_interfaces, cap_interfaces;
	uint8_t *buf;                       /* the current block */
	size_t cap;
	uint64_t offset;                    /* file offset of the next block */
	char error[160];
};

/*
 * Reads the first Section Header Block of fp (its first byte already
 * known to be PCAPNG_FIRST_BYTE, and still unread). false with r->error
 * set when it is no pcapng file; pcapng_close frees r either way.
 */
bool pcapng_open(struct pcapng_reader *r, FILE *fp);
/* The next block that matters; p is filled for PCAPNG_PACKET. */
enum pcapng_event pcapng_next(struct pcapng_reader *r, struct pcapng_packet *p);
/* Frees what the reader holds; fp stays the caller's. */
void pcapng_close(struct pcapng_reader *r);

#endif
