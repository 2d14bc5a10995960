/*
 * service: which application a connection carries, so advice fits it. A
 * database pool's idle eviction is not an HTTP keep-alive, and an FTP
 * session is pooled by nobody.
 *
 * HTTP is known from the wire (a request or response line seen, http.c);
 * anything else is named by the server's port, as IANA registers it or as
 * the server's documentation gives its default. A port is a guess that a
 * deployment can break (Redis on 6380, HTTP on 9000), so it only picks the
 * advice's wording and which well-known idle timeouts an idle close is
 * compared with: no verdict depends on it.
 */
#ifndef RSTDIAG_SERVICE_H
#define RSTDIAG_SERVICE_H

#include <stdbool.h>
#include <stdint.h>

enum service_kind {
	SERVICE_UNKNOWN,
	SERVICE_HTTP,       /* HTTP/1.x seen, or a web port (HTTPS too: HTTP inside TLS) */
	SERVICE_POOLED,     /* clients keep pools: databases, caches, message brokers */
	SERVICE_SESSION,    /* one session a user or job keeps: SSH, FTP, mail, LDAP, SMB */
	SERVICE_TUNNEL,     /* an HTTP proxy's CONNECT tunnel: the proxy closes it, both
			       legs at once, on its own idle timeout */
};

struct service {
	enum service_kind kind;
	const char *name;           /* "Redis" */
	const char *idle_setting;   /* the server's idle-close setting, NULL none known: a
				       noun the words put after "its" or "Redis's" */
	const char *check;          /* how a client checks a pooled connection, NULL none */
};

/* The service: HTTP if seen (RTSP on RTSP's ports), else what the
 * connection's first bytes named (enum first_bytes_app; 0 none), else what
 * the server port carries. */
const struct service *service_for(uint16_t server_port, bool http_seen, uint8_t app);
/* Is the port table in the order service_for's search needs? (A test.) */
bool service_table_ordered(void);
/* RTSP, framed as HTTP is (http.c): what an RTSP request names. */
extern const struct service service_rtsp;

#endif
