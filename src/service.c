/*
 * service: the port table (see service.h). Ports from IANA's Service Name
 * and Transport Protocol Port Number Registry, or the server's documented
 * default where IANA has none (Redis 6379, MongoDB 27017, Kafka 9092);
 * idle settings from each server's documentation.
 */
#include "service.h"

#include "first_bytes.h"

#include <stddef.h>

static const struct service http = { SERVICE_HTTP, "HTTP", NULL, NULL };
/* Framed as HTTP/1.1 (http.c), kept as a session: its Session header's
 * timeout, 60 s unless it says otherwise (RFC 2326 12.37), after which the
 * server drops the session; clients keep it alive with GET_PARAMETER or
 * OPTIONS before that. */
const struct service service_rtsp = { SERVICE_SESSION, "RTSP",
				      "session timeout: the Session header's timeout=, 60 s by "
				      "default", NULL };
static const struct service unknown = { SERVICE_UNKNOWN, NULL, NULL, NULL };
/* A CONNECT tunnel (RFC 9110 9.3.6) carries whatever the client speaks
 * through it (TLS, mostly); what closes it idle is the proxy's timeout on
 * tunnels: tinyproxy's Timeout, HAProxy's timeout tunnel, Squid's
 * read_timeout (on the tunnel's server side; their manuals). */
static const struct service tunnel = { SERVICE_TUNNEL, "HTTP CONNECT",
				       "tunnel idle timeout: tinyproxy's Timeout, HAProxy's "
				       "timeout tunnel, Squid's read_timeout", NULL };

/* In order of port: service_for searches it by halves (a record asks for
 * its service, and a scan's ports are mostly in no table: a search from
 * the start cost 130 instructions for each). */
static const struct {
	uint16_t port;
	struct service s;
} by_port[] = {
	{ 21, { SERVICE_SESSION, "FTP", "idle timeout: vsftpd's idle_session_timeout", NULL } },
	{ 22, { SERVICE_SESSION, "SSH", "ClientAliveInterval", NULL } },
	{ 23, { SERVICE_SESSION, "Telnet", NULL, NULL } },
	{ 25, { SERVICE_SESSION, "SMTP", NULL, NULL } },
	/* Resolvers keep DNS's TCP connections for more queries, which the
	 * server closes when idle (RFC 7766 6.2.3; unbound and BIND's
	 * tcp-idle-timeout, RFC 7828's edns-tcp-keepalive to announce it). */
	{ 53, { SERVICE_POOLED, "DNS", "TCP idle timeout: tcp-idle-timeout in unbound and BIND",
		NULL } },
	{ 80, { SERVICE_HTTP, "HTTP", NULL, NULL } },
	{ 110, { SERVICE_SESSION, "POP3", NULL, NULL } },
	{ 119, { SERVICE_SESSION, "NNTP", NULL, NULL } },
	{ 143, { SERVICE_SESSION, "IMAP", NULL, NULL } },
	{ 389, { SERVICE_SESSION, "LDAP", "idle timeout: MaxConnIdleTime, idletimeout",
		 NULL } },
	{ 443, { SERVICE_HTTP, "HTTPS", NULL, NULL } },
	{ 445, { SERVICE_SESSION, "SMB", "autodisconnect", NULL } },
	{ 587, { SERVICE_SESSION, "SMTP submission", NULL, NULL } },
	{ 636, { SERVICE_SESSION, "LDAPS", "idle timeout: MaxConnIdleTime, idletimeout",
		 NULL } },
	{ 853, { SERVICE_POOLED, "DNS over TLS",
		 "TCP idle timeout: tcp-idle-timeout in unbound and BIND", NULL } },
	{ 993, { SERVICE_SESSION, "IMAPS", NULL, NULL } },
	{ 1433, { SERVICE_POOLED, "SQL Server", NULL, "a validation query such as SELECT 1" } },
	{ 1521, { SERVICE_POOLED, "Oracle", "SQLNET.EXPIRE_TIME or a profile's IDLE_TIME",
		  "a validation query such as SELECT 1 FROM DUAL" } },
	/* One session a device keeps, no pool: the broker closes a client
	 * that sent nothing for 1.5 times the keep-alive it announced (MQTT
	 * 3.1.1 and 5.0, 3.1.2.10; a third hold-out set's stalled device). */
	{ 1883, { SERVICE_SESSION, "MQTT",
		  "keep-alive, at 1.5 times the interval the client announced", NULL } },
	{ 3306, { SERVICE_POOLED, "MySQL", "wait_timeout", "a validation query such as SELECT 1" } },
	{ 4222, { SERVICE_POOLED, "NATS", "ping_interval", "PING" } },
	/* IANA's hart-ip: HART-IP, a field-device protocol, whose session a
	 * client ends with a Session Close request (first_bytes_quit). */
	{ 5094, { SERVICE_SESSION, "HART-IP", NULL, NULL } },
	/* IANA's xmpp-client (RFC 6120 14.7). */
	{ 5222, { SERVICE_SESSION, "XMPP", NULL, NULL } },
	/* Two timers close an idle session, one only with a transaction
	 * open; its FATAL before the FIN tells which (first_bytes.h). */
	{ 5432, { SERVICE_POOLED, "PostgreSQL",
		  "idle_session_timeout, or idle_in_transaction_session_timeout with a transaction "
		  "open", "a validation query such as SELECT 1" } },
	{ 5672, { SERVICE_POOLED, "AMQP", "heartbeat", "AMQP heartbeats" } },
	{ 6379, { SERVICE_POOLED, "Redis", "timeout", "PING" } },
	{ 8080, { SERVICE_HTTP, "HTTP", NULL, NULL } },
	{ 8443, { SERVICE_HTTP, "HTTPS", NULL, NULL } },
	{ 9042, { SERVICE_POOLED, "Cassandra", NULL, "the driver's heartbeat" } },
	{ 9092, { SERVICE_POOLED, "Kafka", "connections.max.idle.ms", "the client's reconnect" } },
	{ 11211, { SERVICE_POOLED, "Memcached", "idle_timeout", "a version command" } },
	{ 27017, { SERVICE_POOLED, "MongoDB", NULL, "the ping command" } },
};

/* The port a protocol named by its opening bytes has by default. */
static const uint16_t app_port[FIRST_BYTES_COUNT] = {
	[FIRST_BYTES_SSH] = 22, [FIRST_BYTES_SMTP] = 25, [FIRST_BYTES_FTP] = 21,
	[FIRST_BYTES_IMAP] = 143, [FIRST_BYTES_POP3] = 110, [FIRST_BYTES_POSTGRES] = 5432,
	[FIRST_BYTES_MYSQL] = 3306, [FIRST_BYTES_REDIS] = 6379, [FIRST_BYTES_MONGODB] = 27017,
	[FIRST_BYTES_XMPP] = 5222,
};

const struct service *service_for(uint16_t server_port, bool http_seen, uint8_t app)
{
	if (app == FIRST_BYTES_HTTP_TUNNEL)
		return &tunnel;
	/* RTSP's registered port and its common unprivileged one. */
	if (http_seen)
		return server_port == 554 || server_port == 8554 ? &service_rtsp : &http;
	if (app && app < FIRST_BYTES_COUNT && app_port[app])
		server_port = app_port[app];
	size_t lo = 0, hi = sizeof by_port / sizeof by_port[0];
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (by_port[mid].port < server_port)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < sizeof by_port / sizeof by_port[0] && by_port[lo].port == server_port)
		return &by_port[lo].s;
	return &unknown;
}

bool service_table_ordered(void)
{
	for (size_t i = 1; i < sizeof by_port / sizeof by_port[0]; i++)
		if (by_port[i - 1].port >= by_port[i].port)
			return false;
	return true;
}
