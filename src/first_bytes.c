/* first_bytes: protocols known by how they open (see first_bytes.h). */
#include "first_bytes.h"

#include <stdbool.h>
#include <string.h>

#include "rd.h"

#define STARTS(r, s) (rd_left(r) >= sizeof s - 1 && memcmp((r)->p, s, sizeof s - 1) == 0)

/* "220" greeting: which service says so in its first line. */
static uint8_t greeting_220(struct rd r)
{
	size_t n = rd_left(&r) < 128 ? rd_left(&r) : 128;
	for (size_t i = 0; i < n && r.p[i] != '\n'; i++) {
		if (i + 4 <= n && memcmp(r.p + i, "SMTP", 4) == 0)
			return FIRST_BYTES_SMTP;
		if (i + 3 <= n && memcmp(r.p + i, "FTP", 3) == 0)
			return FIRST_BYTES_FTP;
	}
	return FIRST_BYTES_NONE;
}

/* A PostgreSQL message without a type byte: Int32 length, then the
 * protocol version 3.0 (196608) or the SSLRequest/GSSENCRequest codes. */
static bool postgres_start(const struct rd *r)
{
	if (rd_left(r) < 8)
		return false;
	uint32_t len = rd_be32_at(r, 0), code = rd_be32_at(r, 4);
	return len >= 8 && len <= 10000 &&
	       (code == 196608 || code == 80877103 || code == 80877104);
}

/* MySQL's HandshakeV10: a 3-byte length, sequence 0, protocol version 10,
 * then a NUL-terminated server version that begins with a digit. */
static bool mysql_greeting(const struct rd *r)
{
	if (rd_left(r) < 6)
		return false;
	uint32_t len = (uint32_t)rd_u8_at(r, 0) | (uint32_t)rd_u8_at(r, 1) << 8 |
		       (uint32_t)rd_u8_at(r, 2) << 16;
	uint8_t v0 = rd_u8_at(r, 5);
	return len >= 10 && len + 4 <= 16384 && rd_u8_at(r, 3) == 0 && rd_u8_at(r, 4) == 10 &&
	       v0 >= '0' && v0 <= '9';
}

/* MongoDB's message header: messageLength, requestID, responseTo, opCode
 * (little-endian), opCode OP_MSG (2013) or OP_QUERY (2004). */
static bool mongodb_header(const struct rd *r)
{
	if (rd_left(r) < 16)
		return false;
	struct rd h = *r;
	uint32_t len = 0, op = 0;
	rd_le32(&h, &len);
	rd_skip(&h, 8);
	rd_le32(&h, &op);
	return len >= 16 && len <= 48 * 1024 * 1024 && (op == 2013 || op == 2004);
}

/* XMPP's stream header, "<stream:stream", at the start or after an XML
 * declaration ("<?xml ...?>", RFC 6120 11.5) within the first 128 bytes:
 * a declaration alone names nothing (the corpus's ndpi/jabber.pcap: the
 * client's first segment is the declaration, the server's holds both). */
static bool xmpp_stream(const struct rd *r)
{
	static const char header[] = "<stream:stream";
	size_t n = rd_left(r) < 128 ? rd_left(r) : 128, at = 0;
	if (!STARTS(r, "<stream:stream")) {
		if (!STARTS(r, "<?xml"))
			return false;
		for (at = 5; at + 1 < n; at++)
			if (rd_u8_at(r, at) == '?' && rd_u8_at(r, at + 1) == '>')
				break;
		if (at + 1 >= n)
			return false;
		for (at += 2; at < n; at++) {
			uint8_t c = rd_u8_at(r, at);
			if (c != ' ' && c != '\r' && c != '\n' && c != '\t')
				break;
		}
	}
	if (n - at < sizeof header - 1)
		return false;
	for (size_t i = 0; i < sizeof header - 1; i++)
		if (rd_u8_at(r, at + i) != (uint8_t)header[i])
			return false;
	return true;
}

bool first_bytes_server_speaks_first(uint8_t app)
{
	/* RFC 4253 4.2 (the server's banner, sent at once), RFC 5321 4.2,
	 * RFC 959 5.4, RFC 9051 7.1.1, RFC 1939 4, MySQL's HandshakeV10 */
	return app == FIRST_BYTES_SSH || app == FIRST_BYTES_SMTP || app == FIRST_BYTES_FTP ||
	       app == FIRST_BYTES_IMAP || app == FIRST_BYTES_POP3 || app == FIRST_BYTES_MYSQL;
}

uint8_t first_bytes_app(const uint8_t *d, uint32_t n)
{
	struct rd r = rd_init(d, n);
	if (n < 4)
		return FIRST_BYTES_NONE;
	switch (d[0]) {
	case 'S':
		return STARTS(&r, "SSH-2.0-") || STARTS(&r, "SSH-1.99-") ? FIRST_BYTES_SSH
									 : FIRST_BYTES_NONE;
	case '2':
		return STARTS(&r, "220") ? greeting_220(r) : FIRST_BYTES_NONE;
	case '*':
		if (STARTS(&r, "* OK"))
			return FIRST_BYTES_IMAP;
		/* "*2\r\n$3\r\nGET": an array of bulk strings, as clients send. */
		for (uint32_t i = 1; i < n && i < 8; i++) {
			if (d[i] >= '0' && d[i] <= '9')
				continue;
			return i > 1 && i + 2 < n && d[i] == '\r' && d[i + 1] == '\n' && d[i + 2] == '$'
				       ? FIRST_BYTES_REDIS : FIRST_BYTES_NONE;
		}
		return FIRST_BYTES_NONE;
	case '+':
		return STARTS(&r, "+OK") ? FIRST_BYTES_POP3 : FIRST_BYTES_NONE;
	case 0:
		return postgres_start(&r) ? FIRST_BYTES_POSTGRES : FIRST_BYTES_NONE;
	case '<':
		return xmpp_stream(&r) ? FIRST_BYTES_XMPP : FIRST_BYTES_NONE;
	default:
		break;
	}
	/* Bulk data lands here: one or two byte tests before either parse. */
	if (n >= 6 && d[3] == 0 && d[4] == 10 && mysql_greeting(&r))
		return FIRST_BYTES_MYSQL;
	if (n >= 16 && d[13] == 0x07 && (d[12] == 0xdd || d[12] == 0xd4) && mongodb_header(&r))
		return FIRST_BYTES_MONGODB;
	return FIRST_BYTES_NONE;
}

/* Whether r holds the len letters of word (upper case) at off, in any case. */
static bool word_at(const struct rd *r, size_t off, const char *word, size_t len)
{
	if (rd_left(r) < off + len)
		return false;
	for (size_t i = 0; i < len; i++)
		if ((rd_u8_at(r, off + i) & 0xdf) != (uint8_t)word[i])
			return false;
	return true;
}

/* Longer is no one-line command: an IMAP tag is short (RFC 9051 leaves its
 * length open; clients use a few characters). */
#define QUIT_LINE_MAX 40

/* XMPP ends a stream with its closing tag (RFC 6120 4.4), which the
 * other side answers with its own before it closes. */
static const char xmpp_close[] = "</stream:stream>";

/* HART-IP's Session Close request (HCF_SPEC-085; Wireshark's
 * packet-hartip.c): an 8-byte header alone, version 1 or 2, message type
 * 0 (request), message ID 1 (Session Close), its byte count 8. */
static bool hartip_session_close(const struct rd *r)
{
	uint8_t version = rd_u8_at(r, 0);
	return (version == 1 || version == 2) && rd_u8_at(r, 1) == 0 && rd_u8_at(r, 2) == 1 &&
	       rd_be16_at(r, 6) == 8;
}

bool first_bytes_quit(const uint8_t *d, uint32_t n)
{
	struct rd r = rd_init(d, n);
	if (n == 8 && hartip_session_close(&r))
		return true;
	if (n == sizeof xmpp_close - 1) {
		for (uint32_t i = 0; i < n; i++)
			if (rd_u8_at(&r, i) != (uint8_t)xmpp_close[i])
				return false;
		return true;
	}
	if (n < 6 || rd_u8_at(&r, n - 2) != '\r' || rd_u8_at(&r, n - 1) != '\n')
		return false;
	if (n == 6)
		return word_at(&r, 0, "QUIT", 4);
	/* QUIT as the last of several lines: SMTP's PIPELINING sends it
	 * with the end of the message's data (RFC 2920 3.1; the corpus's
	 * arkime/smtp-decrypted.pcap 32 ends ".\r\nQUIT\r\n"). */
	if (rd_u8_at(&r, n - 7) == '\n' && word_at(&r, n - 6, "QUIT", 4))
		return true;
	if (n > QUIT_LINE_MAX)
		return false;
	/* "<tag> LOGOUT\r\n": a tag of atom characters, then the command. */
	if (n < 10 || rd_u8_at(&r, n - 9) != ' ' || !word_at(&r, n - 8, "LOGOUT", 6))
		return false;
	for (uint32_t i = 0; i < n - 9; i++) {
		uint8_t c = rd_u8_at(&r, i);
		if (c <= ' ' || c > '~')
			return false;
	}
	return true;
}

/* A PostgreSQL ErrorResponse ('E', Int32 length, then fields of a type
 * byte and a NUL-terminated string, ended by a NUL): its code field's
 * five characters (PostgreSQL's "Message Formats" and Appendix A), or
 * NULL when the bytes are none or hold no code. */
static const uint8_t *postgres_error_code(const struct rd *r)
{
	size_t n = rd_left(r);
	if (n < 5 + 8 || rd_u8_at(r, 0) != 'E')
		return NULL;
	uint32_t len = rd_be32_at(r, 1);
	if (len < 4 + 8 || len > 4096)
		return NULL;
	size_t end = len + 1 < n ? len + 1 : n;
	for (size_t i = 5; i + 7 <= end; i++) {
		/* a field starts at 5 or after the NUL ending the one before */
		if (i > 5 && rd_u8_at(r, i - 1) != 0)
			continue;
		if (rd_u8_at(r, i) == 'C')
			return rd_u8_at(r, i + 6) == 0 ? r->p + i + 1 : NULL;   /* five and its NUL */
	}
	return NULL;
}

/* 53300: "sorry, too many clients already" (class 53). */
static bool postgres_too_many(const struct rd *r)
{
	const uint8_t *code = postgres_error_code(r);
	return code && memcmp(code, "53300", 5) == 0;
}

uint8_t first_bytes_refusal(const uint8_t *d, uint32_t n)
{
	static const char ssh[] = "Exceeded MaxStartups\r\n";
	static const char redis[] = "-ERR max number of clients reached\r\n";
	struct rd r = rd_init(d, n);
	if (n < 5)
		return REFUSAL_NONE;
	switch (d[0]) {
	case 'E':
		if (n == sizeof ssh - 1 && memcmp(d, ssh, n) == 0)
			return REFUSAL_SSH_MAXSTARTUPS;
		return postgres_too_many(&r) ? REFUSAL_POSTGRES_TOO_MANY : REFUSAL_NONE;
	case '4':
		return STARTS(&r, "421") && (d[3] == ' ' || d[3] == '-') ? REFUSAL_REPLY_421
									  : REFUSAL_NONE;
	case '-':
		return n == sizeof redis - 1 && memcmp(d, redis, n) == 0 ? REFUSAL_REDIS_MAXCLIENTS
									: REFUSAL_NONE;
	default:
		break;
	}
	/* MySQL: a 3-byte length, sequence 0, the ERR marker 0xff, then the
	 * code 1040 little-endian (0x10 0x04). */
	if (n >= 7 && d[3] == 0 && d[4] == 0xff && d[5] == 0x10 && d[6] == 0x04)
		return REFUSAL_MYSQL_TOO_MANY;
	return REFUSAL_NONE;
}

static const char *const refusal_names[REFUSAL_COUNT] = {
	[REFUSAL_SSH_MAXSTARTUPS] = "ssh-maxstartups", [REFUSAL_REPLY_421] = "reply-421",
	[REFUSAL_REDIS_MAXCLIENTS] = "redis-maxclients",
	[REFUSAL_MYSQL_TOO_MANY] = "mysql-too-many-connections",
	[REFUSAL_POSTGRES_TOO_MANY] = "postgresql-too-many-connections",
};

const char *first_bytes_refusal_name(uint8_t refusal)
{
	return refusal < REFUSAL_COUNT ? refusal_names[refusal] : NULL;
}

uint8_t first_bytes_goodbye(const uint8_t *d, uint32_t n)
{
	struct rd r = rd_init(d, n);
	if (n >= 5 && d[0] == 'E') {
		static const struct { char code[6]; uint8_t goodbye; } pg[] = {
			{ "25P03", GOODBYE_PG_IDLE_IN_TRANSACTION },
			{ "57P05", GOODBYE_PG_IDLE_SESSION },
			{ "57P01", GOODBYE_PG_ADMIN_SHUTDOWN },
		};
		const uint8_t *code = postgres_error_code(&r);
		for (size_t i = 0; code && i < sizeof pg / sizeof pg[0]; i++)
			if (memcmp(code, pg[i].code, 5) == 0)
				return pg[i].goodbye;
		return GOODBYE_NONE;
	}
	/* MySQL: a 3-byte length, any sequence number (the server sends it
	 * unasked), the ERR marker 0xff, then the code 4031 little-endian
	 * (0xbf 0x0f). */
	if (n >= 7 && d[4] == 0xff && d[5] == 0xbf && d[6] == 0x0f)
		return GOODBYE_MYSQL_INACTIVITY;
	return GOODBYE_NONE;
}

static const char *const goodbye_names[GOODBYE_COUNT] = {
	[GOODBYE_PG_IDLE_IN_TRANSACTION] = "postgresql-idle-in-transaction-timeout",
	[GOODBYE_PG_IDLE_SESSION] = "postgresql-idle-session-timeout",
	[GOODBYE_PG_ADMIN_SHUTDOWN] = "postgresql-admin-shutdown",
	[GOODBYE_MYSQL_INACTIVITY] = "mysql-inactivity-timeout",
};

const char *first_bytes_goodbye_name(uint8_t goodbye)
{
	return goodbye < GOODBYE_COUNT ? goodbye_names[goodbye] : NULL;
}

static const char *const app_names[FIRST_BYTES_COUNT] = {
	[FIRST_BYTES_SSH] = "ssh", [FIRST_BYTES_SMTP] = "smtp", [FIRST_BYTES_FTP] = "ftp",
	[FIRST_BYTES_IMAP] = "imap", [FIRST_BYTES_POP3] = "pop3",
	[FIRST_BYTES_POSTGRES] = "postgresql", [FIRST_BYTES_MYSQL] = "mysql",
	[FIRST_BYTES_REDIS] = "redis", [FIRST_BYTES_MONGODB] = "mongodb",
	[FIRST_BYTES_XMPP] = "xmpp", [FIRST_BYTES_HTTP_TUNNEL] = "http-tunnel",
};

const char *first_bytes_app_name(uint8_t app)
{
	return app < FIRST_BYTES_COUNT ? app_names[app] : NULL;
}

uint8_t first_bytes_app_named(const char *name)
{
	for (uint8_t a = 1; name && a < FIRST_BYTES_COUNT; a++)
		if (strcmp(app_names[a], name) == 0)
			return a;
	return FIRST_BYTES_NONE;
}
