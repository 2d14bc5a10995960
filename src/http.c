/*
 * http: HTTP/1.x facts from the start of a payload (see http.h).
 *
 * A response begins with "HTTP/1."; a request with a method and a space,
 * and a segment may carry several pipelined requests, each ending its
 * headers with an empty line. Field names and the tokens looked for are
 * compared as ASCII without case (RFC 9110 5.1), whatever the locale.
 *
 * RTSP is framed as HTTP/1.1 is (RFC 2326 4 and 6, RFC 7826 8): a request
 * line "METHOD URI RTSP/1.0", header fields, an empty line, a body of
 * Content-Length; a response "RTSP/1.0 200 OK". Its requests and
 * responses are read the same way, so an IP camera's or media server's
 * unanswered request counts as HTTP's does (the corpus's ndpi/rtsp.pcap
 * 185-189: a GET_PARAMETER keep-alive after 58 s, reset unanswered).
 */
#include "http.h"

#include <string.h>

#define STARTS_WITH(p, n, lit) ((n) >= sizeof lit - 1 && memcmp(p, lit, sizeof lit - 1) == 0)

/* Lengths kept beside the names: this runs on every segment with data.
 * HTTP's, then RTSP's own (RFC 2326 10, RFC 7826 13; OPTIONS is both's;
 * ANNOUNCE, which alone starts with an A, is left out: request_method's
 * first test is the initial's range). */
#define METHOD(s) { s, sizeof s - 1 }
#define RTSP_FIRST_METHOD 10
static const struct { const char *name; uint8_t len; } methods[] = {
	{ NULL, 0 }, METHOD("GET"), METHOD("POST"), METHOD("PUT"), METHOD("HEAD"),
	METHOD("DELETE"), METHOD("OPTIONS"), METHOD("PATCH"),
	METHOD("CONNECT"),  /* HTTP_METHOD_CONNECT */
	METHOD("TRACE"),
	/* RTSP_FIRST_METHOD: */
	METHOD("DESCRIBE"), METHOD("SETUP"), METHOD("PLAY"), METHOD("PAUSE"),
	METHOD("TEARDOWN"), METHOD("GET_PARAMETER"), METHOD("SET_PARAMETER"), METHOD("RECORD"),
	METHOD("REDIRECT"),
};

const char *http_method_name(uint8_t method)
{
	return method < sizeof methods / sizeof methods[0] ? methods[method].name : NULL;
}

bool http_request_is_rtsp(uint8_t method, const char *target)
{
	const char *m = http_method_name(method);
	return (m && method >= RTSP_FIRST_METHOD) || strncmp(target, "rtsp://", 7) == 0 ||
	       strncmp(target, "rtsps://", 8) == 0;
}

/*
 * RFC 9110 9.2.2's idempotent methods, and RTSP's two retrievals, which
 * change nothing on the server as GET does not (RFC 7826 13.2 DESCRIBE
 * and 13.8 GET_PARAMETER, also the keep-alive of a session: the corpus's
 * rtsp.pcap 103; a review); RTSP's OPTIONS is HTTP's.
 */
bool http_method_idempotent(uint8_t method)
{
	const char *m = http_method_name(method);
	static const char *const safe[] = { "GET", "HEAD", "PUT", "DELETE", "OPTIONS", "TRACE",
					    "DESCRIBE", "GET_PARAMETER" };
	for (size_t i = 0; m && i < sizeof safe / sizeof safe[0]; i++)
		if (strcmp(m, safe[i]) == 0)
			return true;
	return false;
}

const char *http_connection_name(uint8_t c)
{
	switch (c) {
	case HTTP_CONN_KEEP_ALIVE: return "keep-alive";
	case HTTP_CONN_CLOSE: return "close";
	default: return NULL;
	}
}

static uint8_t ascii_lower(uint8_t c)
{
	/* Without a branch: header bytes are scanned one at a time. */
	return (uint8_t)(c + ((unsigned)(c - 'A') < 26u) * ('a' - 'A'));
}

static bool ascii_digit(uint8_t c)
{
	return c >= '0' && c <= '9';
}

/*
 * The 8 bytes at p are the 8 of lit (ASCII, lower case), in any case:
 * each byte where lit has a letter is compared with its case bit (0x20)
 * set, the others exactly. The letters' mask is found in the word itself
 * (a byte 0x61-0x7a is one whose bit 7 is set by adding 0x1f and not by
 * adding 0x05; lit's bytes are below 0x80, so no sum carries into the
 * next byte), and folds to a constant for a literal.
 */
static bool same_nocase8(const uint8_t *p, const char *lit)
{
	uint64_t a, b;
	memcpy(&a, p, 8);
	memcpy(&b, lit, 8);
	uint64_t letters = (b + 0x1f1f1f1f1f1f1f1fULL) & ~(b + 0x0505050505050505ULL) &
			   0x8080808080808080ULL;
	return (a | letters >> 2) == b;
}

/* The k bytes at p are lit (lower case), in any case. Eight at a time,
 * the last eight overlapping: the header names looked for are 10 and 14
 * bytes, compared on every header line that starts with their letter. */
static bool same_nocase(const uint8_t *p, const char *lit, size_t k)
{
	if (k >= 8) {
		for (size_t i = 0; i + 8 < k; i += 8)
			if (!same_nocase8(p + i, lit + i))
				return false;
		return same_nocase8(p + k - 8, lit + k - 8);
	}
	for (size_t i = 0; i < k; i++)
		if (ascii_lower(p[i]) != (uint8_t)lit[i])
			return false;
	return true;
}

/* If the header line at p (n bytes left) has this name of k bytes (any
 * case), the offset of its value; else 0. The name is a literal: its
 * length is known where it is written (HEADER_VALUE), not measured on
 * every header line. */
static uint32_t header_value_k(const uint8_t *p, uint32_t n, const char *name, size_t k)
{
	if (n <= k || p[k] != ':' || !same_nocase(p, name, k))
		return 0;
	return (uint32_t)k + 1;
}

#define HEADER_VALUE(p, n, lit) header_value_k(p, n, "" lit, sizeof lit - 1)

static bool ows(uint8_t c)
{
	return c == ' ' || c == '\t';
}

/*
 * The next element of the comma-separated list value at p (RFC 9110
 * 5.6.1), from *i to the end of its line or of what was captured: its
 * offset and length without the spaces around it. Whole elements are
 * compared, so "closed" is not "close".
 */
static bool list_element(const uint8_t *p, uint32_t n, uint32_t *i, uint32_t *at, uint32_t *len)
{
	uint32_t k = *i;
	while (k < n && (ows(p[k]) || p[k] == ','))
		k++;
	if (k >= n || p[k] == '\r' || p[k] == '\n')
		return false;
	uint32_t start = k;
	while (k < n && p[k] != ',' && p[k] != '\r' && p[k] != '\n')
		k++;
	uint32_t end = k;
	while (ows(p[end - 1]))
		end--;                  /* stops at start, which is not a space */
	*at = start;
	*len = end - start;
	*i = k;
	return true;
}

#define IS_TOKEN(p, len, lit) ((len) == sizeof lit - 1 && same_nocase(p, lit, sizeof lit - 1))

/* The value at p is this one token alone on its line, after one space. */
#define ONLY_TOKEN(p, n, lit) \
	((n) > sizeof lit && (p)[0] == ' ' && same_nocase((p) + 1, lit, sizeof lit - 1) && \
	 ((p)[sizeof lit] == '\r' || (p)[sizeof lit] == '\n'))

/* What a Connection value asks for; close wins over keep-alive. */
static uint8_t connection_value(const uint8_t *p, uint32_t n)
{
	/* Nearly every value is one of the two alone, and a whole compare
	 * costs less than walking the list byte by byte (the bench's
	 * ordinary capture: 1.6M instructions). */
	if (ONLY_TOKEN(p, n, "keep-alive"))
		return HTTP_CONN_KEEP_ALIVE;
	if (ONLY_TOKEN(p, n, "close"))
		return HTTP_CONN_CLOSE;
	uint8_t c = HTTP_CONN_UNSEEN;
	uint32_t i = 0, at, len;
	while (list_element(p, n, &i, &at, &len)) {
		if (IS_TOKEN(p + at, len, "close"))
			return HTTP_CONN_CLOSE;
		if (IS_TOKEN(p + at, len, "keep-alive"))
			c = HTTP_CONN_KEEP_ALIVE;
	}
	return c;
}

/* The number after the "timeout=" at p + at, read up to end (capped to
 * fit); 0 if the snaplen cut it at n, the capture's end: it may go on. */
#define TIMEOUT_KEY "timeout="
static uint16_t timeout_number(const uint8_t *p, uint32_t at, uint32_t end, uint32_t n)
{
	uint32_t v = 0, d = at + (uint32_t)sizeof TIMEOUT_KEY - 1;
	for (; d < end && ascii_digit(p[d]); d++)
		if (v < 65535)
			v = v * 10 + (uint32_t)(p[d] - '0');
	if (d == n)
		return 0;
	return (uint16_t)(v > 65535 ? 65535 : v);
}

static bool timeout_key_at(const uint8_t *p, uint32_t len)
{
	return len >= sizeof TIMEOUT_KEY - 1 && same_nocase(p, TIMEOUT_KEY, sizeof TIMEOUT_KEY - 1);
}

/* The number of a Keep-Alive value's "timeout=N", 0 if none. */
static uint16_t keepalive_timeout(const uint8_t *p, uint32_t n)
{
	uint32_t i = 0, at, len;
	while (list_element(p, n, &i, &at, &len))
		if (timeout_key_at(p + at, len))
			return timeout_number(p, at, at + len, n);
	return 0;
}

/*
 * The number of an RTSP Session value's "timeout=N" parameter (RFC 2326
 * 12.37, RFC 7826 18.49: "Session: 12345678;timeout=60"): how long the
 * server waits between the session's requests before it ends the session
 * for lack of activity. 0 if none.
 */
static uint16_t session_timeout(const uint8_t *p, uint32_t n)
{
	for (uint32_t i = 0; i < n && p[i] != '\r' && p[i] != '\n'; i++) {
		if (p[i] != ';')
			continue;
		uint32_t at = i + 1;
		while (at < n && ows(p[at]))
			at++;
		if (timeout_key_at(p + at, n - at))
			return timeout_number(p, at, n, n);
	}
	return 0;
}

/*
 * A Content-Length value (RFC 9110 8.6): its digits, up to UINT32_MAX;
 * false when it is not a number or the snaplen cut it.
 */
static bool content_length(const uint8_t *p, uint32_t n, uint32_t *out)
{
	uint32_t i = 0;
	uint64_t v = 0;
	while (i < n && ows(p[i]))
		i++;
	uint32_t first = i;
	for (; i < n && ascii_digit(p[i]); i++)
		if (v <= UINT32_MAX)
			v = v * 10 + (uint64_t)(p[i] - '0');
	if (i == first || i == n || (p[i] != '\r' && p[i] != '\n' && !ows(p[i])))
		return false;
	*out = v > UINT32_MAX ? UINT32_MAX : (uint32_t)v;
	return true;
}

/*
 * Walks the header lines of the message starting at p, up to the empty
 * line or the end of what was captured, for Connection and Keep-Alive
 * (and Content-Length when length is asked for, an RTSP Session's timeout
 * when session_s is). Returns the offset just
 * past the empty line, 0 when it was not captured.
 */
static uint32_t scan_headers(const uint8_t *p, uint32_t n, uint8_t *connection,
			     uint16_t *keepalive_s, uint16_t *session_s, uint32_t *length)
{
	/* Line by line with memchr: headers are a few hundred bytes per message. */
	const uint8_t *nl = memchr(p, '\n', n);     /* end of the start line */
	while (nl) {
		uint32_t i = (uint32_t)(nl - p) + 1;
		if (i >= n)
			return 0;
		if (p[i] == '\n')
			return i + 1;                   /* the empty line ends the headers */
		if (p[i] == '\r')
			return i + 1 < n && p[i + 1] == '\n' ? i + 2 : 0;
		const uint8_t *line = p + i;
		uint32_t left = n - i, v;
		uint8_t initial = ascii_lower(line[0]);     /* most lines are neither header */
		if (initial == 'c' && (v = HEADER_VALUE(line, left, "connection"))) {
			uint8_t c = connection_value(line + v, left - v);
			if (c != HTTP_CONN_UNSEEN)
				*connection = c;
		} else if (initial == 'c' && length &&
			   (v = HEADER_VALUE(line, left, "content-length"))) {
			if (!content_length(line + v, left - v, length))
				*length = 0;
		} else if (initial == 'k' && keepalive_s &&
			   (v = HEADER_VALUE(line, left, "keep-alive"))) {
			*keepalive_s = keepalive_timeout(line + v, left - v);
		} else if (initial == 's' && session_s &&
			   (v = HEADER_VALUE(line, left, "session"))) {
			*session_s = session_timeout(line + v, left - v);
		}
		nl = memchr(line, '\n', left);
	}
	return 0;
}

/* "HTTP/1.x NNN": the status code, 0 if it is not one. */
static uint16_t response_status(const uint8_t *p, uint32_t n)
{
	if (n < 12 || p[8] != ' ' || !ascii_digit(p[9]) || !ascii_digit(p[10]) ||
	    !ascii_digit(p[11]))
		return 0;
	return (uint16_t)((p[9] - '0') * 100 + (p[10] - '0') * 10 + (p[11] - '0'));
}

/* The method index if the bytes start "METHOD ", else 0. */
static uint8_t request_method(const uint8_t *p, uint32_t n)
{
	if (n < 4 || p[0] < 'C' || p[0] > 'T')
		return 0;   /* most data: not one of the initials C D G H O P R S T */
	for (uint8_t i = 1; i < sizeof methods / sizeof methods[0]; i++) {
		size_t k = methods[i].len;
		if (methods[i].name[0] == p[0] && n > k && memcmp(p, methods[i].name, k) == 0 &&
		    p[k] == ' ')
			return i;
	}
	return 0;
}

/* " HTTP/1." or " RTSP/1." / " RTSP/2." at p (k = 8 bytes readable). */
static bool version_at(const uint8_t *p)
{
	return memcmp(p, " HTTP/1.", 8) == 0 ||
	       (memcmp(p, " RTSP/", 6) == 0 && (p[6] == '1' || p[6] == '2') && p[7] == '.');
}

/*
 * An HTTP/1.x (or RTSP) request line ends with its version (RFC 9112 3,
 * RFC 2326 6.1): other protocols' commands start with the same words
 * (Redis's inline "GET key"). A line the snaplen cut before its end is
 * taken as it is.
 */
static bool request_line_is_http(const uint8_t *d, uint32_t n)
{
	const size_t k = 8;
	const uint8_t *nl = memchr(d, '\n', n);
	uint32_t end = nl ? (uint32_t)(nl - d) : n;
	if (!nl)
		return true;
	/* Where a well-formed line has it, " HTTP/1.x" right before the CRLF,
	 * first: the search from the start below is a compare at every byte
	 * of the target (a 20k-request half-open flood: 189.5M instructions
	 * with it alone, 186.4M with this first). Anywhere else in the line,
	 * as before, for lines with trailing junk. */
	uint32_t at = end > 0 && d[end - 1] == '\r' ? end - 1 : end;
	if (at >= k + 1 && version_at(d + at - k - 1))
		return true;
	for (uint32_t i = 0; i + k <= end; i++)
		if (version_at(d + i))
			return true;
	return false;
}

static void parse_response(const uint8_t *d, uint32_t n, struct http_facts *m)
{
	m->start = HTTP_RESPONSE;
	m->connection = HTTP_CONN_UNSEEN;
	m->keepalive_s = 0;
	m->session_timeout_s = 0;
	m->status = response_status(d, n);
	scan_headers(d, n, &m->connection, &m->keepalive_s,
		     d[0] == 'R' ? &m->session_timeout_s : NULL, NULL);
}

/*
 * Pipelined requests: count those whose headers end here, and name the
 * last one begun, which is unanswered whenever any of them is. Each is
 * framed as RFC 9112 6.3 frames it: its headers, then Content-Length
 * bytes of body, then the next request's method. An empty line inside a
 * body is not a request (the corpus's ndpi/zattoo.pcap: five POSTs whose
 * bodies made thirteen requests of eight); a body of another length
 * (chunked, or one that goes on past the segment) ends the count.
 */
static void parse_requests(const uint8_t *d, uint32_t n, uint8_t method, struct http_facts *m)
{
	uint32_t at = 0, requests = 0, headers, length;
	uint8_t connection;
	m->at_end = 1;
	for (;;) {
		connection = HTTP_CONN_UNSEEN;
		length = 0;
		headers = scan_headers(d + at, n - at, &connection, NULL, NULL, &length);
		if (!headers)
			break;              /* its headers go on in a later segment */
		requests++;
		uint64_t next = (uint64_t)at + headers + length;
		uint8_t following = next < n ? request_method(d + next, n - (uint32_t)next) : 0;
		if (!following) {
			/* Bytes that begin no request end the count; the end of
			 * the bytes read ends it only there. */
			m->at_end = next >= n;
			break;
		}
		at = (uint32_t)next;
		method = following;
	}
	m->start = HTTP_REQUEST;
	m->method = method;
	m->at = at;
	m->requests = (uint16_t)(requests > UINT16_MAX ? UINT16_MAX : requests);
	/* The target: printable bytes after the method and its space. */
	size_t i = at + methods[method].len + 1u, k = 0;
	while (i < n && k + 1 < sizeof m->target && d[i] > ' ' && d[i] < 0x7f)
		m->target[k++] = (char)d[i++];
	m->target[k] = '\0';
	m->connection = connection;
	/* Its body ends Content-Length bytes after its headers (RFC 9112 6.3). */
	uint64_t body_end = (uint64_t)at + headers + length;
	m->body_end = headers && length && body_end <= UINT32_MAX ? (uint32_t)body_end : 0;
}

void http_facts_parse(const uint8_t *d, uint32_t n, struct http_facts *out)
{
	out->start = HTTP_NONE;
	if (n == 0)
		return;
	if (STARTS_WITH(d, n, "HTTP/1.") ||
	    (d[0] == 'R' && (STARTS_WITH(d, n, "RTSP/1.") || STARTS_WITH(d, n, "RTSP/2.")))) {
		parse_response(d, n, out);
		return;
	}
	uint8_t method = request_method(d, n);
	if (method && request_line_is_http(d, n))
		parse_requests(d, n, method, out);
}
