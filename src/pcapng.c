/* pcapng: the block reader (see pcapng.h). */
#include "pcapng.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "rd.h"
#include "read_buf.h"
#include "xalloc.h"

/* Block types (pcapng spec 10.1, "Block Type Codes"). */
enum {
	BT_PB = 0x00000002,     /* Packet Block, obsolete (spec Appendix A) */
	BT_IDB = 0x00000001,
	BT_SPB = 0x00000003,
	BT_EPB = 0x00000006,
	BT_JOURNAL = 0x00000009,        /* systemd Journal Export Block */
	BT_SYSDIG_EVENT = 0x00000204,
	BT_SYSDIG_EVENT_V2 = 0x00000216,
	BT_SYSDIG_EVENT_V2_LARGE = 0x00000221,
	BT_CB_COPY = 0x00000BAD,        /* Custom Block, may be copied */
	BT_CB_NO_COPY = 0x40000BAD,     /* Custom Block, must not be copied */
};

/* Interface Description Block options (spec 4.2). */
enum {
	OPT_ENDOFOPT = 0,
	IF_NAME = 2,
	IF_DESCRIPTION = 3,
	IF_TSRESOL = 9,
	IF_TSOFFSET = 14,
};

#define BOM 0x1A2B3C4Du
#define BOM_SWAPPED 0x4D3C2B1Au

/* Why reading stopped, for capture.c's one line on stderr. */
static void fail(struct pcapng_reader *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void fail(struct pcapng_reader *r, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(r->error, sizeof r->error, fmt, ap);
	va_end(ap);
}

static bool rd_u32(const struct pcapng_reader *r, struct rd *d, uint32_t *v)
{
	return r->big_endian ? rd_be32(d, v) : rd_le32(d, v);
}

static bool rd_u16(const struct pcapng_reader *r, struct rd *d, uint16_t *v)
{
	return r->big_endian ? rd_be16(d, v) : rd_le16(d, v);
}

static uint32_t u32_at(bool big_endian, const struct rd *d, size_t off)
{
	return big_endian ? rd_be32_at(d, off) : rd_le32_at(d, off);
}

/* n bytes into r->buf at offset at (read_buf.h): n, or fewer where the
 * file ended. */
static size_t read_into(struct pcapng_reader *r, size_t at, size_t n)
{
	return read_buf_fill(r->fp, &r->buf, &r->cap, at, n);
}

/*
 * A whole block, header and trailer checked (spec 3.1): the Block Total
 * Length is at least 12, a multiple of 4, at most PCAPNG_BLOCK_MAX, and
 * repeated after the body. On success *body is the body alone. The first
 * have bytes (type and length, and an SHB's byte-order magic) are
 * already in r->buf.
 */
static bool read_block(struct pcapng_reader *r, size_t have, uint32_t total, struct rd *body)
{
	unsigned long long at = (unsigned long long)r->offset;
	if (total < 12) {
		fail(r, "block at offset %llu: block length %u, below the 12-byte minimum", at,
		     total);
		return false;
	}
	if (total % 4) {
		fail(r, "block at offset %llu: block length %u is not a multiple of 4", at, total);
		return false;
	}
	if (total > PCAPNG_BLOCK_MAX) {
		fail(r, "block at offset %llu: block length %u, above the 128 MiB Wireshark reads",
		     at, total);
		return false;
	}
	if (read_into(r, have, total - have) != total - have) {
		fail(r, "cut short inside the block at offset %llu (%u bytes long)", at, total);
		return false;
	}
	struct rd whole = rd_init(r->buf, total);
	uint32_t trailer = u32_at(r->big_endian, &whole, total - 4);
	if (trailer != total) {
		fail(r, "block at offset %llu: trailing block length %u differs from its leading one",
		     at, trailer);
		return false;
	}
	r->offset += total;
	*body = rd_init(r->buf + 8, total - 12);
	return true;
}

/* The option's value as a name: printable ASCII kept, the rest '?'. */
static void copy_name(char *dst, struct rd v)
{
	size_t n = 0;
	uint8_t c;
	while (n + 1 < PCAPNG_NAME_MAX && rd_u8(&v, &c)) {
		if (c == 0)
			break;      /* some writers count the NUL in the length */
		dst[n++] = c >= 0x20 && c < 0x7f ? (char)c : '?';
	}
	dst[n] = '\0';
}

/*
 * if_tsresol (spec 4.2): the high bit clear, units of 10^-n s; set, of
 * 2^-n s. Units finer than a 64-bit count per second are refused, as
 * Wireshark refuses them.
 */
static bool tsresol_units(uint8_t v, uint64_t *units)
{
	unsigned n = v & 0x7f;
	if (v & 0x80) {
		if (n > 63)
			return false;
		*units = (uint64_t)1 << n;
		return true;
	}
	if (n > 19)
		return false;
	uint64_t u = 1;
	while (n--)
		u *= 10;
	*units = u;
	return true;
}

/* Walks an options list (spec 3.5): code, length, value padded to 4. */
static bool idb_options(struct pcapng_reader *r, struct rd opts, struct pcapng_interface *ifc)
{
	char desc[PCAPNG_NAME_MAX] = "";
	unsigned long long at = (unsigned long long)r->offset;
	while (rd_left(&opts) > 0) {
		uint16_t code, len;
		struct rd v;
		if (!rd_u16(r, &opts, &code) || !rd_u16(r, &opts, &len) || !rd_sub(&opts, &v, len) ||
		    !rd_skip(&opts, (size_t)(-len & 3))) {
			fail(r, "Interface Description Block before offset %llu: an option "
			     "runs past the block (option code %u)", at, code);
			return false;
		}
		if (code == OPT_ENDOFOPT)
			break;
		uint8_t res;
		uint32_t hi, lo;
		switch (code) {
		case IF_NAME:
			copy_name(ifc->name, v);
			break;
		case IF_DESCRIPTION:
			copy_name(desc, v);
			break;
		case IF_TSRESOL:
			/* A value of another length is ignored, as Wireshark ignores it. */
			if (len == 1 && rd_u8(&v, &res) && !tsresol_units(res, &ifc->units)) {
				fail(r, "Interface Description Block before offset %llu: if_tsresol "
				     "0x%02x is finer than 64 bits a second hold", at, res);
				return false;
			}
			break;
		case IF_TSOFFSET:
			/* A 64-bit integer in the section's byte order. */
			if (len == 8 && rd_u32(r, &v, r->big_endian ? &hi : &lo) &&
			    rd_u32(r, &v, r->big_endian ? &lo : &hi))
				ifc->offset_s = (int64_t)((uint64_t)hi << 32 | lo);
			break;
		default:
			break;
		}
	}
	if (!ifc->name[0])
		memcpy(ifc->name, desc, sizeof desc);
	return true;
}

static bool read_idb(struct pcapng_reader *r, struct rd body)
{
	struct pcapng_interface ifc = { .units = 1000000 };
	uint16_t reserved;
	if (!rd_u16(r, &body, &ifc.link_type) || !rd_u16(r, &body, &reserved) ||
	    !rd_u32(r, &body, &ifc.snaplen)) {
		fail(r, "Interface Description Block before offset %llu: %zu bytes, below its "
		     "8-byte fixed part", (unsigned long long)r->offset, rd_left(&body));
		return false;
	}
	if (!idb_options(r, body, &ifc))
		return false;
	if (r->n_interfaces == r->cap_interfaces) {
		r->cap_interfaces = r->cap_interfaces ? 2 * r->cap_interfaces : 4;
		r->interfaces = xrealloc(r->interfaces,
					 r->cap_interfaces * sizeof *r->interfaces);
	}
	r->interfaces[r->n_interfaces++] = ifc;
	return true;
}

/* A time stamp in the interface's units, as Wireshark converts it
 * (wiretap/pcapng.c): whole seconds, then the remainder, truncated to ns. */
static void packet_time(const struct pcapng_interface *ifc, uint32_t hi, uint32_t lo,
			struct pcapng_packet *p)
{
	uint64_t ts = (uint64_t)hi << 32 | lo;
	uint64_t sec = ts / ifc->units;
	p->nsec = (uint32_t)((unsigned __int128)(ts % ifc->units) * 1000000000u / ifc->units);
	/* Saturated: capture.c holds times to a range far inside int64. */
	int64_t s = sec > INT64_MAX / 2 ? INT64_MAX / 2 : (int64_t)sec;
	int64_t off = ifc->offset_s;
	if (off > INT64_MAX / 4)
		off = INT64_MAX / 4;
	if (off < -(INT64_MAX / 4))
		off = -(INT64_MAX / 4);
	p->sec = s + off;
}

static bool interface_of(struct pcapng_reader *r, uint32_t id, const char *what)
{
	if (id < r->n_interfaces)
		return true;
	fail(r, "%s before offset %llu names interface %u of %u",
		 what, (unsigned long long)r->offset, id, r->n_interfaces);
	return false;
}

/* The packet bytes after the fixed part: caplen of them, padded to 4. */
static bool packet_data(struct pcapng_reader *r, struct rd *body, struct pcapng_packet *p,
			const char *what)
{
	struct rd data;
	if (!rd_sub(body, &data, p->caplen)) {
		fail(r, "%s before offset %llu: captured length %u "
			 "runs past the block", what, (unsigned long long)r->offset, p->caplen);
		return false;
	}
	p->data = data.p;
	return true;
}

/* EPB (spec 4.3) and the obsolete PB (Appendix A): the same but for a
 * 16-bit interface id and a drops count. */
static bool read_epb(struct pcapng_reader *r, struct rd body, bool obsolete,
		     struct pcapng_packet *p)
{
	const char *what = obsolete ? "Packet Block" : "Enhanced Packet Block";
	uint32_t id, hi, lo;
	uint16_t id16, drops;
	bool ok = obsolete ? rd_u16(r, &body, &id16) && rd_u16(r, &body, &drops)
			   : rd_u32(r, &body, &id);
	if (obsolete)
		id = ok ? id16 : 0;
	if (!ok || !rd_u32(r, &body, &hi) || !rd_u32(r, &body, &lo) ||
	    !rd_u32(r, &body, &p->caplen) || !rd_u32(r, &body, &p->len)) {
		fail(r, "%s before offset %llu: shorter than its "
			 "fixed part", what, (unsigned long long)r->offset);
		return false;
	}
	if (!interface_of(r, id, what))
		return false;
	p->interface = id;
	packet_time(&r->interfaces[id], hi, lo, p);
	return packet_data(r, &body, p, what);
}

/*
 * SPB (spec 4.4): interface 0, no time stamp (Wireshark shows 0), and
 * no captured length: the packet's length cut to the snaplen, as
 * Wireshark computes it, which the block must hold.
 */
static bool read_spb(struct pcapng_reader *r, struct rd body, struct pcapng_packet *p)
{
	const char *what = "Simple Packet Block";
	if (!rd_u32(r, &body, &p->len)) {
		fail(r, "%s before offset %llu: shorter than its "
			 "fixed part", what, (unsigned long long)r->offset);
		return false;
	}
	if (!interface_of(r, 0, what))
		return false;
	uint32_t snap = r->interfaces[0].snaplen;
	p->interface = 0;
	p->sec = 0;
	p->nsec = 0;
	p->caplen = snap && snap < p->len ? snap : p->len;
	return packet_data(r, &body, p, what);
}

/*
 * A Section Header Block: the byte-order magic says the section's byte
 * order (spec 4.1), which may differ from the section before; the
 * section's interfaces start again from 0.
 */
static bool read_shb(struct pcapng_reader *r)
{
	unsigned long long at = (unsigned long long)r->offset;
	/* Type, length and byte-order magic: the length is read in the
	 * order the magic gives. */
	if (read_into(r, 8, 4) != 4) {
		fail(r, "cut short inside the Section Header Block at offset %llu", at);
		return false;
	}
	struct rd head = rd_init(r->buf, 12);
	uint32_t bom = rd_le32_at(&head, 8);
	if (bom != BOM && bom != BOM_SWAPPED) {
		fail(r, "Section Header Block at offset %llu: byte-order magic 0x%08x, not "
		     "0x1A2B3C4D", at, bom);
		return false;
	}
	r->big_endian = bom == BOM_SWAPPED;
	uint32_t total = u32_at(r->big_endian, &head, 4);
	if (total < 28) {
		fail(r, "Section Header Block at offset %llu: block length %u, below its "
		     "28-byte minimum", at, total);
		return false;
	}
	struct rd body;
	if (!read_block(r, 12, total, &body))
		return false;
	uint32_t magic;
	uint16_t major, minor;
	rd_u32(r, &body, &magic);
	if (!rd_u16(r, &body, &major) || !rd_u16(r, &body, &minor))
		return false;   /* total >= 28: cannot happen */
	/* Version 1.0 is all there is; 1.2 appeared in some writers' files
	 * (Wireshark reads both, as libpcap does). */
	if (major != 1) {
		fail(r, "Section Header Block at offset %llu: pcapng version %u, not 1", at, major);
		return false;
	}
	r->n_interfaces = 0;
	return true;
}

bool pcapng_open(struct pcapng_reader *r, FILE *fp)
{
	memset(r, 0, sizeof *r);
	r->fp = fp;
	read_buf_reserve(&r->buf, &r->cap, 4096);
	size_t got = fread(r->buf, 1, 8, fp);
	struct rd head = rd_init(r->buf, got);
	if (got < 8 || rd_le32_at(&head, 0) != PCAPNG_SHB_TYPE) {
		fail(r, got < 8 ? "cut short inside the Section "
			 "Header Block" : "unknown file format (neither pcap nor pcapng)");
		return false;
	}
	return read_shb(r);
}

enum pcapng_event pcapng_next(struct pcapng_reader *r, struct pcapng_packet *p)
{
	for (;;) {
		size_t got = read_into(r, 0, 8);
		if (got == 0 && feof(r->fp) && !ferror(r->fp))
			return PCAPNG_END;
		if (got < 8) {
			if (ferror(r->fp))
				fail(r, "read error at offset %llu", (unsigned long long)r->offset);
			else
				fail(r, "cut short inside the block header at offset %llu",
				     (unsigned long long)r->offset);
			return PCAPNG_ERROR;
		}
		struct rd head = rd_init(r->buf, 8);
		/* SHB_TYPE reads the same in both byte orders. */
		uint32_t type = u32_at(r->big_endian, &head, 0);
		if (type == PCAPNG_SHB_TYPE)
			return read_shb(r) ? PCAPNG_SECTION : PCAPNG_ERROR;
		struct rd body;
		if (!read_block(r, 8, u32_at(r->big_endian, &head, 4), &body))
			return PCAPNG_ERROR;
		switch (type) {
		case BT_EPB:
		case BT_PB:
			return read_epb(r, body, type == BT_PB, p) ? PCAPNG_PACKET : PCAPNG_ERROR;
		case BT_SPB:
			return read_spb(r, body, p) ? PCAPNG_PACKET : PCAPNG_ERROR;
		case BT_IDB:
			return read_idb(r, body) ? PCAPNG_INTERFACE : PCAPNG_ERROR;
		case BT_CB_COPY:
		case BT_CB_NO_COPY:
			/* spec 4.8: a Private Enterprise Number comes first. */
			if (rd_left(&body) < 4) {
				fail(r, "Custom Block before offset %llu: %zu bytes, no room for "
				     "its Private Enterprise Number", (unsigned long long)r->offset,
				     rd_left(&body));
				return PCAPNG_ERROR;
			}
			return PCAPNG_RECORD;
		/* Wireshark (4.0) makes these records of their own, and numbers
		 * them as frames. */
		case BT_JOURNAL:
		case BT_SYSDIG_EVENT:
		case BT_SYSDIG_EVENT_V2:
		case BT_SYSDIG_EVENT_V2_LARGE:
			return PCAPNG_RECORD;
		default:
			/* spec 3.1: a reader skips the blocks it does not know
			 * (Name Resolution, Interface Statistics, Decryption
			 * Secrets, local use...); Wireshark gives them no number. */
			break;
		}
	}
}

void pcapng_close(struct pcapng_reader *r)
{
	free(r->buf);
	free(r->interfaces);
	memset(r, 0, sizeof *r);
}
