/*
 * http: what the start of a segment's payload says as HTTP/1.x.
 *
 * Read while the captured bytes are at hand (the pipeline tracks a
 * segment a few frames after decoding it, when libpcap has reused its
 * buffer), kept as a few facts, applied by tcp_track if the segment turns
 * out to carry new data. Only a segment that starts a message is read
 * past its first bytes, so bulk data costs a comparison or two.
 */
#ifndef RSTDIAG_HTTP_H
#define RSTDIAG_HTTP_H

#include <stdbool.h>
#include <stdint.h>

#define HTTP_TARGET_MAX 28

/* What a Connection header asked for. */
enum http_connection { HTTP_CONN_UNSEEN, HTTP_CONN_KEEP_ALIVE, HTTP_CONN_CLOSE };
/* "keep-alive", "close"; NULL when unseen. */
const char *http_connection_name(uint8_t c);
/* "GET", "POST", ...; NULL for an unknown index. */
const char *http_method_name(uint8_t method);
/* Whether a request is RTSP's: a method only RTSP has, or an rtsp: or
 * rtsps: target (RFC 2326 3.2: its Request-URI is absolute). */
bool http_request_is_rtsp(uint8_t method, const char *target);
/* Not an HTTP method: a request note for a TLS record (tcp_track.c's
 * track_tls), whose method is encrypted. */
#define HTTP_METHOD_TLS_RECORD 0xff
/* CONNECT (RFC 9110 9.3.6), a tunnel through a proxy: its index in
 * http.c's method table (the tracker tests every request against it). */
#define HTTP_METHOD_CONNECT 8
/* RFC 9110 9.2.2: may be retried without changing the outcome. */
bool http_method_idempotent(uint8_t method);

enum http_start { HTTP_NONE, HTTP_REQUEST, HTTP_RESPONSE };

struct http_facts {
	uint8_t start;              /* enum http_start: what the payload begins */
	uint8_t connection;         /* enum http_connection, of the message below */
	uint8_t method;             /* request: the last one begun in the segment */
	uint8_t at_end;             /* request: the count stopped at the end of the bytes read,
				       where another request could begin (the caller knows
				       whether the snaplen cut the payload there) */
	uint16_t requests;          /* request: how many end their headers here (0: the
				       headers go on in a later segment) */
	uint16_t status;            /* response: its status code, 0 if not one */
	uint16_t keepalive_s;       /* response: Keep-Alive timeout=N, 0 if absent */
	uint16_t session_timeout_s; /* response: RTSP's Session ...;timeout=N, 0 if absent */
	uint32_t at;                /* request: payload offset of the last one */
	uint32_t body_end;          /* request: payload offset where the last one's body ends
				       (its Content-Length after its headers); 0: no body, or
				       not seen */
	char target[HTTP_TARGET_MAX];   /* request: its target, NUL-terminated, cut to fit */
};

/* Reads the n captured payload bytes at d. */
void http_facts_parse(const uint8_t *d, uint32_t n, struct http_facts *out);

#endif
