/*
 * first_bytes: the application a connection's first payload names, for
 * protocols that open with fixed bytes (the ones HTTP and TLS are not:
 * http.c and tls.c read those), and the fixed command that ends a text
 * protocol's session. Read at decode time on every payload that
 * begins with one of a few bytes; tcp_track keeps what a connection's
 * first payload in either direction named, so a reset on a PostgreSQL
 * connection on port 6432 still gets a database pool's advice.
 */
#ifndef RSTDIAG_FIRST_BYTES_H
#define RSTDIAG_FIRST_BYTES_H

#include <stdbool.h>
#include <stdint.h>

enum first_bytes_app {
	FIRST_BYTES_NONE,
	FIRST_BYTES_SSH,        /* "SSH-2.0-", either side (RFC 4253 4.2) */
	FIRST_BYTES_SMTP,       /* the server's "220 ... ESMTP/SMTP" (RFC 5321 4.2) */
	FIRST_BYTES_FTP,        /* the server's "220 ... FTP" (RFC 959 4.2) */
	FIRST_BYTES_IMAP,       /* the server's "* OK" (RFC 9051 7.1.1) */
	FIRST_BYTES_POP3,       /* the server's "+OK" (RFC 1939 4) */
	FIRST_BYTES_POSTGRES,   /* the client's StartupMessage or SSLRequest (PostgreSQL
				   protocol, "Message Formats") */
	FIRST_BYTES_MYSQL,      /* the server's HandshakeV10: protocol version 10 */
	FIRST_BYTES_REDIS,      /* the client's RESP array of bulk strings: "*N\r\n$" */
	FIRST_BYTES_MONGODB,    /* a wire-protocol header with OP_MSG or OP_QUERY */
	FIRST_BYTES_XMPP,       /* a stream header "<stream:stream", alone or after an XML
				   declaration, either side (RFC 6120 4.2, 11.5) */
	FIRST_BYTES_HTTP_TUNNEL, /* the client's first request an HTTP CONNECT: the server is
				   a proxy and the connection its tunnel (RFC 9110 9.3.6).
				   Set by tcp_track from the request, which http.c reads */
	FIRST_BYTES_COUNT
};

/* An opening is shorter than this (an SSH banner, a greeting, a startup
 * message are tens to hundreds of bytes): longer segments are not read. */
#define FIRST_BYTES_OPENING_MAX 1024

/* Whether app is a protocol whose server speaks first (a banner or a
 * greeting before any request), so that a connection naming it had the
 * server's data in that protocol. */
bool first_bytes_server_speaks_first(uint8_t app);
/* What the n captured payload bytes at d open with; FIRST_BYTES_NONE if nothing. */
uint8_t first_bytes_app(const uint8_t *d, uint32_t n);
/*
 * Whether the n captured payload bytes at d are one text protocol's last
 * command, the one the server answers and then closes on: "QUIT" (SMTP,
 * RFC 5321 4.1.1.10; POP3, RFC 1939 6; FTP, RFC 959 4.1.1; NNTP, RFC
 * 3977 5.4) or an IMAP "<tag> LOGOUT" (RFC 9051 6.1.3), case-insensitive,
 * one line ending in CRLF; or XMPP's closing stream tag "</stream:stream>"
 * alone (RFC 6120 4.4), which the other side answers in kind; or
 * HART-IP's Session Close request (an 8-byte header, message ID 1).
 */
bool first_bytes_quit(const uint8_t *d, uint32_t n);
/*
 * A server's refusal of a new connection in its own protocol, written as
 * its first data before it closes: the documented words of a service over
 * its connection limit, which name the setting to look at.
 */
enum first_bytes_refusal {
	REFUSAL_NONE,
	REFUSAL_SSH_MAXSTARTUPS,    /* OpenSSH sshd's "Exceeded MaxStartups\r\n" (sshd.c,
				       drop_connection: MaxStartups, PerSourceMaxStartups) */
	REFUSAL_REPLY_421,          /* a first line "421 " or "421-": service not available,
				       closing the channel (RFC 5321 3.8 and 4.2.3; RFC 959 4.2) */
	REFUSAL_REDIS_MAXCLIENTS,   /* "-ERR max number of clients reached\r\n" (Redis's
				       networking.c, acceptCommonHandler) */
	REFUSAL_MYSQL_TOO_MANY,     /* an ERR packet, sequence 0, code 1040
				       (ER_CON_COUNT_ERROR) instead of the greeting */
	REFUSAL_POSTGRES_TOO_MANY,  /* an ErrorResponse with SQLSTATE 53300
				       (too_many_connections) */
	REFUSAL_COUNT
};

/* What refusal the n captured payload bytes at d are, if any; a caller
 * counts one only as its sender's first data. */
uint8_t first_bytes_refusal(const uint8_t *d, uint32_t n);
/* Its name in the JSON records ("ssh-maxstartups"...); NULL for none. */
const char *first_bytes_refusal_name(uint8_t refusal);

/*
 * A service's last words before it closes a connection on its own timer
 * or an operator's command, naming why: the setting to look at, where the
 * idle time alone would name the wrong one (a review of holdout7's
 * PostgreSQL, whose FATAL 25P03 was read as idle_session_timeout).
 */
enum first_bytes_goodbye {
	GOODBYE_NONE,
	/* PostgreSQL ErrorResponses (its "Message Formats"; SQLSTATEs of
	 * Appendix A): */
	GOODBYE_PG_IDLE_IN_TRANSACTION, /* 25P03: idle_in_transaction_session_timeout */
	GOODBYE_PG_IDLE_SESSION,        /* 57P05: idle_session_timeout (PostgreSQL 14 on) */
	GOODBYE_PG_ADMIN_SHUTDOWN,      /* 57P01: pg_terminate_backend() or a shutdown */
	/* MySQL 8.0.24 on: an ERR packet with ER_CLIENT_INTERACTION_TIMEOUT
	 * (4031), after wait_timeout (interactive_timeout for interactive
	 * clients) */
	GOODBYE_MYSQL_INACTIVITY,
	GOODBYE_COUNT
};

/* What goodbye the n captured payload bytes at d are, if any; the tracker
 * keeps the one a side sent (its server ends the session after it). */
uint8_t first_bytes_goodbye(const uint8_t *d, uint32_t n);
/* Whether they may be one: a PostgreSQL ErrorResponse's 'E' or a MySQL
 * ERR packet's marker (the test on every short payload, inline). */
static inline bool first_bytes_goodbye_maybe(const uint8_t *d, uint32_t n)
{
	return n >= 7 && (d[0] == 'E' || d[4] == 0xff);
}
/* "postgresql-idle-in-transaction-timeout", ...; NULL for none. */
const char *first_bytes_goodbye_name(uint8_t goodbye);

/* Its name in the JSON summary ("ssh", "postgresql"...); NULL for none. */
const char *first_bytes_app_name(uint8_t app);
/* The app of that name; FIRST_BYTES_NONE if none is. */
uint8_t first_bytes_app_named(const char *name);

#endif
