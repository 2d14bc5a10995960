/*
 * netmon: our own reader of Microsoft Network Monitor capture files, frame
 * by frame: format 2.x (magic "GMBU": Network Monitor 2.x and 3.x, and
 * editcap -F netmon2) and, being the same but for a shorter record header,
 * format 1.x (magic "RTSS").
 *
 * Every format fact is Wireshark's (wiretap/netmon.c): a 128-byte file
 * header (CAPTUREFILE_HEADER_SIZE) holding the version, a network type, the
 * capture's start as a SYSTEMTIME and the frame table's offset and length;
 * the frames; and the frame table, one 32-bit offset per frame, after them.
 * Wireshark seeks to the table and reads the frames where it points. We
 * read a stream (a pipe, or decompress.h's), so the frames are read in file
 * order from the end of the header, as editcap and Network Monitor write
 * them, and the header's table says only where the frames end and how many
 * there are. When the table is reached, its offsets are compared with
 * those the frames were read at; a file whose table lists its frames
 * elsewhere or in another order (which wiretap allows) is damage, said at
 * the end, rather than a numbering guessed.
 *
 * Read through a FILE* into one growing buffer, every field through rd.h:
 * no allocation per frame, and a frame longer than Wireshark reads is damage.
 */
#ifndef RSTDIAG_NETMON_H
#define RSTDIAG_NETMON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* The first bytes of each format's magic: no pcap or pcapng file starts
 * with either (pcap's magics start 0xD4, 0xA1, 0x4D, 0x34; pcapng's 0x0A). */
#define NETMON_2_FIRST_BYTE 'G'     /* "GMBU" */
#define NETMON_1_FIRST_BYTE 'R'     /* "RTSS" */

/* The file header, padded (wiretap/netmon.c CAPTUREFILE_HEADER_SIZE). */
#define NETMON_HEADER_SIZE 128

/*
 * The largest frame read: Wireshark's own bound (wiretap/netmon.c refuses
 * a record above WTAP_MAX_PACKET_SIZE_STANDARD, 262144 in wiretap/wtap.h).
 * A longer captured length is damage, and nothing is allocated for it.
 */
#define NETMON_FRAME_MAX 262144u

/* A frame in Network Monitor's own framing, with no pcap link type
 * (netmon_packet.link_type): its frames are counted as not decoded. */
#define NETMON_NO_LINKTYPE (-1)

enum netmon_event {
	NETMON_PACKET,      /* a frame with packet bytes */
	NETMON_RECORD,      /* a frame Wireshark numbers that holds no packet
			     * (an ETW event, the adapters' list, a filter string) */
	NETMON_END,         /* the frames ended where the header says, and the
			     * frame table agrees with where they were read */
	NETMON_ERROR,       /* damaged: the reader's error says why; read no further */
};

struct netmon_packet {
	uint16_t network;       /* Network Monitor's network type: the frame's own
				 * (2.1 and later), else the file header's */
	int link_type;          /* its LINKTYPE_ value, or NETMON_NO_LINKTYPE */
	int64_t sec;            /* time: seconds since the epoch ... */
	uint32_t nsec;          /* ... and nanoseconds */
	uint32_t caplen, len;   /* bytes in data; the packet's length on the wire */
	const uint8_t *data;    /* valid until the next netmon_next */
};

struct netmon_reader {
	FILE *fp;
	uint8_t major, minor;   /* the format's version: 1.x or 2.0 to 2.3 */
	uint16_t network;       /* the header's network type */
	int link_type;          /* its LINKTYPE_ value, or NETMON_NO_LINKTYPE */
	bool per_frame;         /* 2.1 and later: each frame's trailer names its type */
	int64_t start_sec;      /* the header's start time, read as local time ... */
	uint32_t start_nsec;    /* ... and its milliseconds, in ns */
	uint32_t table_offset;  /* where the frame table begins: the frames end there */
	uint32_t table_length;  /* its bytes: 4 per frame */
	uint32_t frames;        /* frame records read (the table counts them all) */
	uint64_t offset;        /* file offset of the next byte */
	uint64_t fingerprint;   /* of the offsets the frames were read at, in order */
	bool started;           /* the header's frame table checked (first netmon_next) */
	bool ended;             /* NETMON_END was returned */
	uint8_t *buf;           /* the current frame record */
	size_t cap;
	char error[200];
};

/*
 * Reads the 128-byte file header of fp (its first byte already known to
 * be NETMON_2_FIRST_BYTE or NETMON_1_FIRST_BYTE, and still unread). false
 * with r->error set when it is no Network Monitor file, or one of a
 * version or network type Wireshark refuses; netmon_close frees r either
 * way. The frame table's contradictions are damage, said by netmon_next.
 */
bool netmon_open(struct netmon_reader *r, FILE *fp);
/* The next frame Wireshark numbers; p is filled for NETMON_PACKET and,
 * but for its bytes, for NETMON_RECORD. */
enum netmon_event netmon_next(struct netmon_reader *r, struct netmon_packet *p);
/* Frees what the reader holds; fp stays the caller's. */
void netmon_close(struct netmon_reader *r);
/* What a network type with no LINKTYPE_ value is, for messages ("native
 * 802.11"), or a LINKTYPE_'s number's absence ("unknown"). */
const char *netmon_network_name(uint16_t network);

#endif
