/*
 * tls: what the start of a segment's payload says as TLS records.
 *
 * Read at decode time, as http.c reads HTTP/1.x (the payload is gone when
 * the segment is tracked): the record headers that begin in the segment,
 * and, in a ClientHello or ServerHello that the segment holds whole, the
 * server name (SNI), the application protocols (ALPN) and the versions.
 * A record header is the only thing TLS leaves in clear for the rest of a
 * connection (RFC 8446 5.1, RFC 5246 6.2.1): its content type and length,
 * so a request's record is seen, its content is not. A segment that does
 * not begin with a record header (the middle of a large record) costs a
 * comparison.
 */
#ifndef RSTDIAG_TLS_H
#define RSTDIAG_TLS_H

#include <stdbool.h>
#include <stdint.h>

/* A record's header: content type, version, length (RFC 8446 5.1). */
#define TLS_RECORD_HEADER_LEN 5
#define TLS_SNI_MAX 64          /* kept NUL-terminated, cut to fit */
#define TLS_ALPN_MAX 24         /* "h2,http/1.1": ids comma-joined, cut to fit */
/*
 * HTTP/2 says goodbye before TLS does: "Endpoints SHOULD always send a
 * GOAWAY frame before closing a connection" (RFC 9113 6.8). A GOAWAY
 * without debug data is 17 bytes (a 9-byte frame header, 8 of payload),
 * 38 to 46 on the wire in one record of the AEAD suites HTTP/2 allows
 * (RFC 9113 9.2.2 forbids the others): 5 of record header, then 16 of
 * tag, 8 of explicit nonce with TLS 1.2's GCM, 1 of content type with
 * TLS 1.3. A record this long at most, on a connection that chose h2,
 * right before its sender's closing alert, is that goodbye.
 */
#define TLS_H2_GOAWAY_RECORD_MAX 64

/* RFC 8446 B.1 ContentType. */
enum tls_content {
	/* Not a record type: content of a segment that does not begin with
	 * a record header but ends with a whole alert record
	 * (tls_facts_tail), whose type (TLS_ALERT, or TLS_APPLICATION_DATA
	 * for TLS 1.3's 19 bytes) is last_content and length record_len;
	 * records is 0, alert_level and alert_desc as below. */
	TLS_ENDS_WITH_ALERT = 1,
	TLS_CHANGE_CIPHER_SPEC = 20,
	TLS_ALERT = 21,
	TLS_HANDSHAKE = 22,
	TLS_APPLICATION_DATA = 23,
};

/* RFC 8446 B.3 HandshakeType, the two read here. */
enum tls_handshake { TLS_CLIENT_HELLO = 1, TLS_SERVER_HELLO = 2 };

struct tls_facts {
	uint8_t content;            /* the first record's content type; 0: the payload
				       does not begin with a record header */
	uint8_t handshake;          /* TLS_HANDSHAKE: the first message's type */
	uint8_t last_content;       /* the content type of the last record begun here */
	uint8_t contents;           /* bit (type - 20) for each content type begun here */
	uint8_t records;            /* record headers found in the segment (saturates) */
	uint16_t record_len;        /* the first record's length (RFC 8446 5.1: at most
				       2^14 + 256) */
	uint16_t version;           /* hello: ClientHello's highest offered (its
				       supported_versions, else legacy_version),
				       ServerHello's chosen; 0 none */
	uint8_t alert_level;        /* the segment's last TLS_ALERT record of two bytes
				       (in clear, before the handshake ends): level
				       and description; 0 none */
	uint8_t alert_desc;
	bool hello_cut;             /* a hello longer than the captured segment: its
				       extensions were not all read */
	uint32_t next_record;       /* payload offset where the record after the last
				       header found begins (may be past the segment) */
	char sni[TLS_SNI_MAX];      /* ClientHello: host_name (RFC 6066 3), "" none */
	char alpn[TLS_ALPN_MAX];    /* ClientHello: offered; ServerHello: chosen (RFC 7301) */
};

/* Reads the n captured payload bytes at d. */
void tls_facts_parse(const uint8_t *d, uint32_t n, struct tls_facts *out);
/* The n bytes at d, the whole of a segment that does not begin with a
 * record (the end of a record begun in an earlier one): content
 * TLS_ENDS_WITH_ALERT if they end with an alert record, else untouched. */
void tls_facts_tail(const uint8_t *d, uint32_t n, struct tls_facts *out);
/* Whether d could begin with a record header: the test every payload
 * pays, so bulk data (the middle of a record) costs two comparisons. */
static inline bool tls_may_start(const uint8_t *d, uint32_t n)
{
	return n >= 5 && (uint8_t)(d[0] - TLS_CHANGE_CIPHER_SPEC) <= 3 &&
	       (d[1] == 3 || (d[0] == TLS_ALERT && d[1] == 0));
}

/*
 * A segment's TLS facts (out->content already 0): its records from its
 * start, or else, for the last segment of a write (PSH) captured whole,
 * an alert at its end. A side's last response and its close_notify are
 * written together, and when the response's record began in an earlier
 * segment this one starts in its middle (the corpus's ndpi/waze.pcap 289:
 * 829 bytes of a record begun at 281, then a 37-byte alert). Other
 * segments pay the two compares of tls_may_start and one of the flags.
 */
static inline void tls_read_payload(const uint8_t *d, uint32_t caplen, uint32_t len, bool push,
				    struct tls_facts *out)
{
	if (caplen < 5)
		return;         /* a bare ACK: no record, no alert */
	if (tls_may_start(d, caplen))
		tls_facts_parse(d, caplen, out);
	else if (push && caplen == len)
		tls_facts_tail(d, caplen, out);
}

/* "1.2", "1.3", ...; NULL for a value that is none. */
const char *tls_version_name(uint16_t version);
/* RFC 8446 6 AlertDescription: "close_notify", ...; NULL unassigned. */
const char *tls_alert_name(uint8_t desc);

#endif
