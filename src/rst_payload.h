/*
 * rst_payload: what a RST's own data says. RFC 9293 3.5.3 lets a RST
 * carry data (SHLD-2), and some senders write their reason there:
 * - draft-boucadair-tcpm-rst-diagnostic-payload, in its two wire forms:
 *   the early drafts' compact form (magic 0x33AA, a 16-bit reason code, a
 *   32-bit Private Enterprise Number: 8 bytes) and free description (magic
 *   0xF317, then UTF-8 text); the later drafts' CBOR sequence
 *   [cookie, {1: reason-code, 2: pen, 3: reason-description}];
 * - load balancers that write a text reason (F5 BIG-IP's RST cause,
 *   tm.rstcause.pkt);
 * - anything else, kept as bounded, escaped text or counted as binary.
 * Read at decode time, only for RSTs.
 */
#ifndef RSTDIAG_RST_PAYLOAD_H
#define RSTDIAG_RST_PAYLOAD_H

#include <stdint.h>

#define RST_PAYLOAD_TEXT_MAX 48

enum rst_payload_format {
	RST_PAYLOAD_NONE,
	RST_PAYLOAD_DIAG_COMPACT,   /* a reason code (and its enterprise) */
	RST_PAYLOAD_DIAG_TEXT,      /* a diagnostic payload's free description */
	RST_PAYLOAD_TEXT,           /* printable text of no known format */
	RST_PAYLOAD_BINARY,         /* bytes of no known format */
	RST_PAYLOAD_FORMAT_COUNT
};

struct rst_payload {
	uint8_t format;             /* enum rst_payload_format */
	uint16_t code;              /* DIAG_COMPACT: the reason code */
	uint32_t enterprise;        /* ... its Private Enterprise Number, 0 the IANA registry */
	char text[RST_PAYLOAD_TEXT_MAX]; /* DIAG_TEXT, TEXT: printable ASCII, escaped, cut */
};

/* Reads the n captured payload bytes of a RST. */
void rst_payload_parse(const uint8_t *d, uint32_t n, struct rst_payload *out);
/* "diag-compact", ...; NULL for none. */
const char *rst_payload_format_name(uint8_t f);
/* The registry's description of a reason code (the draft's "TCP Failure
 * Causes"), NULL unassigned. */
const char *rst_payload_cause_name(uint16_t code);

#endif
