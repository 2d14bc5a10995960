/* netmon: the Network Monitor frame reader (see netmon.h). */
#include "netmon.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "rd.h"
#include "read_buf.h"
#include "xalloc.h"

/* LINKTYPE_ values (tcpdump.org link-layer header types) the network
 * types map to. */
enum {
	LINKTYPE_ETHERNET = 1,
	LINKTYPE_IEEE802_5 = 6,
	LINKTYPE_FDDI = 10,
	LINKTYPE_RAW = 101,
	LINKTYPE_IEEE802_11 = 105,
};

/* A network type wiretap refuses: in the file header it refuses the file;
 * in a frame's trailer it stops reading there (wiretap/netmon.c
 * "netmon: network type %u unknown or unsupported"). */
#define REFUSED (-2)

/*
 * The network types below 12, as LINKTYPE_ values: wiretap/netmon.c
 * netmon_encap[], with its comments on what format 2.x reuses the NDIS
 * numbers for.
 */
static const int netmon_types[12] = {
	/* wiretap: NetMon 3.4 VPN captures say 0 of frames with Ethernet headers. */
	[0] = LINKTYPE_ETHERNET,
	[1] = LINKTYPE_ETHERNET,
	[2] = LINKTYPE_IEEE802_5,
	/* wiretap's FDDI_BITSWAPPED: only the addresses' bit order differs
	 * from LINKTYPE_FDDI, and rstdiag reads no FDDI address. */
	[3] = LINKTYPE_FDDI,
	/* NDIS WAN, which wiretap reads as ATM with a 16-byte header of its own. */
	[4] = NETMON_NO_LINKTYPE,
	/* NDIS LocalTalk; 2.x: IP over IEEE 1394, which wiretap does not read. */
	[5] = REFUSED,
	/* NDIS "DIX"; 2.x: 802.11 behind Network Monitor's own metadata header. */
	[6] = NETMON_NO_LINKTYPE,
	/* NDIS ARCNET raw, ARCNET 878.2 and ATM; 2.x: tunnelling interfaces,
	 * wireless WAN and raw IP frames, all raw IP. */
	[7] = LINKTYPE_RAW,
	[8] = LINKTYPE_RAW,
	[9] = LINKTYPE_RAW,
	[10] = REFUSED,     /* NDIS Wireless WAN */
	[11] = REFUSED,     /* NDIS IrDA */
};

/* Network types of 2.1 and later frames beyond the table
 * (wiretap/netmon.c "Special link-layer types"). */
enum {
	NET_PCAP_BASE = 0xE000,         /* 0xE000 + a LINKTYPE_ value: a converted pcap */
	NET_MA_FIRST = 0xE080,          /* Message Analyzer's own, 0xE080 to 0xE08A */
	NET_MA_WIFI = 0xE080,           /* "WiFi Message": plain 802.11 */
	NET_MA_WFP_FIRST = 0xE083,      /* Windows Filtering Platform captures, */
	NET_MA_WFP_LAST = 0xE088,       /* v4, v6, 2v4, 2v6, auth v4, auth v6 */
	NET_MA_LAST = 0xE08A,
	NET_NETEVENT = 0xFFE0,          /* an Event Tracing for Windows event */
	NET_NETWORK_INFO_EX = 0xFFFB,   /* the adapters captured on */
	NET_PAYLOAD_HEADER = 0xFFFC,    /* the header of a frame reassembly made */
	NET_NETWORK_INFO = 0xFFFD,
	NET_DNS_CACHE = 0xFFFE,
	NET_NETMON_FILTER = 0xFFFF,     /* a capture or display filter's text */
};

/* What wiretap makes of a frame of a network type. */
enum frame_kind {
	KIND_PACKET,        /* a packet, numbered: link type or NETMON_NO_LINKTYPE */
	KIND_RECORD,        /* numbered, but no packet to analyse */
	KIND_SKIPPED,       /* read past without a number (wiretap's RETRY) */
};

/*
 * wiretap/netmon.c netmon_process_record, for a 2.1 or later frame's
 * trailer: Message Analyzer's types first (0xE080 lies inside the pcap
 * range), then converted pcap link types, the table, and the metadata
 * types. A type wiretap refuses (it stops reading there) is a packet of
 * no link type here: its length is known, so the frames after it are
 * still read, and numbered as they would be had Wireshark read on.
 */
static enum frame_kind frame_kind(uint16_t network, int *link_type)
{
	*link_type = NETMON_NO_LINKTYPE;
	if (network >= NET_MA_FIRST && network <= NET_MA_LAST) {
		if (network == NET_MA_WIFI)
			*link_type = LINKTYPE_IEEE802_11;
		return KIND_PACKET;
	}
	if ((network & 0xF000) == NET_PCAP_BASE) {
		*link_type = network & 0x0FFF;
		return KIND_PACKET;
	}
	if (network < sizeof netmon_types / sizeof netmon_types[0]) {
		if (netmon_types[network] != REFUSED)
			*link_type = netmon_types[network];
		return KIND_PACKET;
	}
	switch (network) {
	/* Wireshark (4.0 and later) gives these records of their own. */
	case NET_NETEVENT:
	case NET_NETWORK_INFO_EX:
	case NET_NETMON_FILTER:
		return KIND_RECORD;
	case NET_PAYLOAD_HEADER:
	case NET_NETWORK_INFO:
	case NET_DNS_CACHE:
		return KIND_SKIPPED;
	default:
		return KIND_PACKET;
	}
}

const char *netmon_network_name(uint16_t network)
{
	switch (network) {
	case 4:
		return "NDIS WAN";
	case 5:
		return "IP over IEEE 1394, which Wireshark stops at";
	case 6:
		return "native 802.11";
	case 10:
		return "NDIS Wireless WAN, which Wireshark stops at";
	case 11:
		return "NDIS IrDA, which Wireshark stops at";
	case NET_NETEVENT:
		return "Event Tracing for Windows event";
	case NET_NETWORK_INFO_EX:
		return "network information";
	case NET_NETMON_FILTER:
		return "Network Monitor filter";
	default:
		break;
	}
	if (network >= NET_MA_WFP_FIRST && network <= NET_MA_WFP_LAST)
		return "Windows Filtering Platform capture";
	if (network > NET_MA_FIRST && network <= NET_MA_LAST)
		return "Message Analyzer message, which Wireshark stops at";
	return "unknown, which Wireshark stops at";
}

/* Why reading stopped, for capture.c's one line on stderr. */
static void fail(struct netmon_reader *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void fail(struct netmon_reader *r, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(r->error, sizeof r->error, fmt, ap);
	va_end(ap);
}

/* n bytes into r->buf at offset at (read_buf.h): n, or fewer where the
 * file ended. */
static size_t read_into(struct netmon_reader *r, size_t at, size_t n)
{
	size_t got = read_buf_fill(r->fp, &r->buf, &r->cap, at, n);
	r->offset += got;
	return got;
}

/* The file's bytes ended or failed: which, for the message. */
static const char *short_read(const struct netmon_reader *r)
{
	return ferror(r->fp) ? "read error" : "cut short";
}

/* One step of the frame offsets' fingerprint (SplitMix64's finaliser over
 * a chain: order matters, as it does to Wireshark's numbering). */
static uint64_t fingerprint_step(uint64_t h, uint32_t offset)
{
	uint64_t z = h + 0x9e3779b97f4a7c15u + offset;
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	return z ^ (z >> 31);
}

static uint64_t le64_at(const struct rd *d, size_t off)
{
	return (uint64_t)rd_le32_at(d, off + 4) << 32 | rd_le32_at(d, off);
}

/* The file header's fields (wiretap/netmon.c struct netmon_hdr, after the
 * 4-byte magic), all little-endian. */
enum {
	HDR_VER_MINOR = 4,
	HDR_VER_MAJOR = 5,
	HDR_NETWORK = 6,
	HDR_TS_YEAR = 8,        /* a SYSTEMTIME: year, month, day of week, day, */
	HDR_TS_MONTH = 10,      /* hour, minute, second, millisecond */
	HDR_TS_DAY = 14,
	HDR_TS_HOUR = 16,
	HDR_TS_MIN = 18,
	HDR_TS_SEC = 20,
	HDR_TS_MSEC = 22,
	HDR_FRAME_TABLE_OFFSET = 24,
	HDR_FRAME_TABLE_LENGTH = 28,
};

/*
 * The capture's start, a SYSTEMTIME in local time, as wiretap/netmon.c
 * netmon_open reads it: mktime in the reading machine's time zone (the
 * file does not say the writer's), with daylight saving time left to
 * mktime; and its milliseconds as wiretap's 32-bit count of nanoseconds
 * (which a millisecond field above 4294, never written, would wrap).
 */
static void start_time(struct netmon_reader *r, const struct rd *h)
{
	struct tm tm = {
		.tm_year = rd_le16_at(h, HDR_TS_YEAR) - 1900,
		.tm_mon = rd_le16_at(h, HDR_TS_MONTH) - 1,
		.tm_mday = rd_le16_at(h, HDR_TS_DAY),
		.tm_hour = rd_le16_at(h, HDR_TS_HOUR),
		.tm_min = rd_le16_at(h, HDR_TS_MIN),
		.tm_sec = rd_le16_at(h, HDR_TS_SEC),
		.tm_isdst = -1,
	};
	r->start_sec = (int64_t)mktime(&tm);    /* -1 when it cannot: wiretap keeps that too */
	r->start_nsec = (uint32_t)rd_le16_at(h, HDR_TS_MSEC) * 1000000u;
}

bool netmon_open(struct netmon_reader *r, FILE *fp)
{
	static const char magic2[4] = "GMBU", magic1[4] = "RTSS";
	memset(r, 0, sizeof *r);
	r->fp = fp;
	size_t got = read_into(r, 0, 4);
	if (got < 4 || (memcmp(r->buf, magic2, 4) && memcmp(r->buf, magic1, 4))) {
		/* Cut inside the magic, or another file that starts alike. */
		if (got < 4 && (!memcmp(r->buf, magic2, got) || !memcmp(r->buf, magic1, got)))
			fail(r, "%s inside the Network Monitor file header", short_read(r));
		else
			fail(r, "unknown file format");
		return false;
	}
	got = read_into(r, 4, NETMON_HEADER_SIZE - 4);
	if (got < NETMON_HEADER_SIZE - 4) {
		fail(r, "%s inside the Network Monitor file header (%zu of its %u bytes)",
		     short_read(r), got + 4, NETMON_HEADER_SIZE);
		return false;
	}
	struct rd h = rd_init(r->buf, NETMON_HEADER_SIZE);
	r->major = rd_u8_at(&h, HDR_VER_MAJOR);
	r->minor = rd_u8_at(&h, HDR_VER_MINOR);
	/* The magic names the format, the version field its version; wiretap
	 * goes by the version alone, and reads 1.x and 2.x. */
	if (r->major != 1 && r->major != 2) {
		fail(r, "a Network Monitor capture of format version %u.%u, which neither "
		     "rstdiag nor Wireshark reads", r->major, r->minor);
		return false;
	}
	/* wiretap checks the header's type even where each frame has its own
	 * (2.1 and later, where Network Monitor 3 writes 1, Ethernet). */
	r->network = rd_le16_at(&h, HDR_NETWORK);
	if (r->network >= sizeof netmon_types / sizeof netmon_types[0] ||
	    netmon_types[r->network] == REFUSED) {
		fail(r, "a Network Monitor capture of network type %u, which neither rstdiag "
		     "nor Wireshark reads", r->network);
		return false;
	}
	r->link_type = netmon_types[r->network];
	r->per_frame = r->major == 2 && r->minor >= 1;
	start_time(r, &h);
	r->table_offset = rd_le32_at(&h, HDR_FRAME_TABLE_OFFSET);
	r->table_length = rd_le32_at(&h, HDR_FRAME_TABLE_LENGTH);
	return true;
}

/*
 * A frame's time, as wiretap/netmon.c netmon_process_record computes it:
 * the header's start plus the record's delta, 1.x in milliseconds (32
 * bits), 2.x in microseconds (64 bits, which wiretap multiplies by 10 and
 * then 100 and reads as signed: a delta past 2^63 ns wraps to before the
 * start, the documented way to say "earlier"). The sum is wiretap's int64
 * sum, and the seconds floor it. 2.3 and later carry a UTC FILETIME
 * instead (wsutil/nstime.c filetime_to_nstime: 100 ns units since 1601).
 */
static void frame_time(const struct netmon_reader *r, uint64_t delta, const struct rd *trailer,
		       struct netmon_packet *p)
{
	if (r->major == 2 && r->minor >= 3) {
		uint64_t ft = le64_at(trailer, 6);
		p->sec = (int64_t)(ft / 10000000u) - INT64_C(11644473600);
		p->nsec = (uint32_t)(ft % 10000000u) * 100u;
		return;
	}
	uint64_t delta_ns = r->major == 1 ? delta * 1000000u : delta * 1000u;
	/* Modulo 2^64 and read as signed, as wiretap's arithmetic wraps. */
	uint64_t sum = r->start_nsec + delta_ns;
	int64_t t = sum > INT64_MAX ? -(int64_t)(~sum) - 1 : (int64_t)sum;
	int64_t s = t / 1000000000, ns = t % 1000000000;
	if (ns < 0) {
		ns += 1000000000;
		s--;
	}
	p->sec = r->start_sec + s;
	p->nsec = (uint32_t)ns;
}

/*
 * The frame table, once the frames it counts are read: the bytes before
 * it skipped (wiretap never reads them), then its entries compared with
 * the offsets the frames were read at.
 */
static enum netmon_event check_table(struct netmon_reader *r)
{
	while (r->offset < r->table_offset) {
		uint64_t left = r->table_offset - r->offset;
		size_t n = left < (1u << 16) ? (size_t)left : (size_t)1 << 16;
		if (read_into(r, 0, n) < n) {
			fail(r, "%s at offset %llu, before the frame table at offset %u",
			     short_read(r), (unsigned long long)r->offset, r->table_offset);
			return NETMON_ERROR;
		}
	}
	uint64_t h = 0;
	for (uint32_t done = 0; done < r->table_length;) {
		uint32_t n = r->table_length - done < (1u << 16) ? r->table_length - done : 1u << 16;
		if (read_into(r, 0, n) < n) {
			fail(r, "%s inside the frame table at offset %u (%u bytes long)",
			     short_read(r), r->table_offset, r->table_length);
			return NETMON_ERROR;
		}
		struct rd t = rd_init(r->buf, n);
		uint32_t entry;
		while (rd_le32(&t, &entry))
			h = fingerprint_step(h, entry);
		done += n;
	}
	if (h != r->fingerprint) {
		fail(r, "the frame table at offset %u does not list the %u frames at the offsets "
		     "they lie at one after another from offset %u; Wireshark, which reads them "
		     "in the table's order, would number them otherwise", r->table_offset,
		     r->frames, NETMON_HEADER_SIZE);
		return NETMON_ERROR;
	}
	return NETMON_END;
}

/* The header's frame table, checked before the first frame is read. */
static bool check_header_table(struct netmon_reader *r)
{
	if (r->table_length % 4) {
		fail(r, "the frame table's length in the file header, %u bytes, is not a "
		     "multiple of its 4-byte entries", r->table_length);
		return false;
	}
	if (r->table_offset < NETMON_HEADER_SIZE) {
		fail(r, "the frame table's offset in the file header, %u, lies inside the "
		     "%u-byte header, before the frames", r->table_offset, NETMON_HEADER_SIZE);
		return false;
	}
	return true;
}

enum netmon_event netmon_next(struct netmon_reader *r, struct netmon_packet *p)
{
	if (!r->started) {
		r->started = true;
		if (!check_header_table(r))
			return NETMON_ERROR;
	}
	/* wiretap/netmon.c struct netmonrec_1_x_hdr, netmonrec_2_x_hdr, and the
	 * 2.1, 2.2 and 2.3 (and later) trailers netmonrec_2_*_trlr. */
	size_t head = r->major == 1 ? 8 : 16;
	size_t tail = !r->per_frame ? 0 : r->minor == 1 ? 2 : r->minor == 2 ? 6 : 15;
	uint32_t count = r->table_length / 4;
	for (;;) {
		if (r->ended)
			return NETMON_END;
		if (r->frames == count) {
			enum netmon_event ev = count ? check_table(r) : NETMON_END;
			r->ended = ev == NETMON_END;
			return ev;
		}
		unsigned long long at = (unsigned long long)r->offset;
		/* The frames end where the table begins. */
		if (at + head > r->table_offset) {
			if (at == r->table_offset)
				fail(r, "the frame table at offset %u lists %u frames, but only %u lie "
				     "before it", r->table_offset, count, r->frames);
			else
				fail(r, "the frame record at offset %llu runs into the frame table at "
				     "offset %u", at, r->table_offset);
			return NETMON_ERROR;
		}
		size_t got = read_into(r, 0, head);
		if (got == 0 && !ferror(r->fp)) {
			fail(r, "cut short at offset %llu, after %u of the %u frames the file "
			     "header counts", at, r->frames, count);
			return NETMON_ERROR;
		}
		if (got < head) {
			fail(r, "%s inside the frame record at offset %llu", short_read(r), at);
			return NETMON_ERROR;
		}
		struct rd h = rd_init(r->buf, head);
		uint64_t delta;
		if (r->major == 1) {
			delta = rd_le32_at(&h, 0);
			p->len = rd_le16_at(&h, 4);
			p->caplen = rd_le16_at(&h, 6);
		} else {
			delta = le64_at(&h, 0);
			p->len = rd_le32_at(&h, 8);
			p->caplen = rd_le32_at(&h, 12);
		}
		if (p->caplen > NETMON_FRAME_MAX) {
			fail(r, "frame record at offset %llu: captured length %u, above the %u bytes "
			     "Wireshark reads", at, p->caplen, NETMON_FRAME_MAX);
			return NETMON_ERROR;
		}
		uint64_t end = at + head + p->caplen + tail;
		if (end > r->table_offset) {
			fail(r, "the frame record at offset %llu (%llu bytes) runs into the frame table "
			     "at offset %u", at, (unsigned long long)(end - at), r->table_offset);
			return NETMON_ERROR;
		}
		if (read_into(r, head, p->caplen + tail) < p->caplen + tail) {
			fail(r, "%s inside the frame record at offset %llu (%llu bytes long)",
			     short_read(r), at, (unsigned long long)(end - at));
			return NETMON_ERROR;
		}
		r->frames++;
		r->fingerprint = fingerprint_step(r->fingerprint, (uint32_t)at);
		struct rd whole = rd_init(r->buf, head + p->caplen + tail);
		struct rd data, trailer;
		rd_skip(&whole, head);
		rd_sub(&whole, &data, p->caplen);
		rd_sub(&whole, &trailer, tail);
		enum frame_kind kind = KIND_PACKET;
		p->network = r->network;
		p->link_type = r->link_type;
		if (r->per_frame) {
			p->network = rd_le16_at(&trailer, 0);
			kind = frame_kind(p->network, &p->link_type);
		}
		if (kind == KIND_SKIPPED)
			continue;
		frame_time(r, delta, &trailer, p);
		p->data = data.p;
		return kind == KIND_RECORD ? NETMON_RECORD : NETMON_PACKET;
	}
}

void netmon_close(struct netmon_reader *r)
{
	free(r->buf);
	memset(r, 0, sizeof *r);
}
