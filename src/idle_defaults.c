/* idle_defaults: the table behind idle_defaults_match (see idle_defaults.h). */
#include "idle_defaults.h"

#include <stdbool.h>
#include <string.h>

/* From ../shared/idle-timeouts.md; entries marked there as unchecked are
 * left out, and client pools are not here because a pool closes silently
 * on its own side (it is the server or middlebox that resets). */
static const struct idle_default defaults[] = {
	/* gunicorn's gthread worker closes idle connections from its main
	 * loop, which waits on its poller for up to 1 s (gthread.py's
	 * poller.select(1.0), then murder_keepalived): 2 to 3 s. */
	{ IDLE_SERVER, 2, "gunicorn keepalive (2 s)", NULL, 1000 },
	{ IDLE_SERVER, 5, "Node.js http.Server keepAliveTimeout (5 s)", NULL, 0 },
	{ IDLE_SERVER, 5, "Apache KeepAliveTimeout (5 s)", NULL, 0 },
	{ IDLE_SERVER, 5, "uvicorn timeout_keep_alive (5 s)", NULL, 0 },
	{ IDLE_SERVER, 5, "Sanic KEEP_ALIVE_TIMEOUT (5 s)", NULL, 0 },
	{ IDLE_SERVER, 15, "Apache 1.3/2.0-era KeepAliveTimeout (15 s)", NULL, 0 },
	{ IDLE_SERVER, 20, "Tomcat keepAliveTimeout in the shipped server.xml (20 s)", NULL, 0 },
	{ IDLE_SERVER, 60, "Tomcat keepAliveTimeout default (60 s)", NULL, 0 },
	{ IDLE_SERVER, 60, "AWS ALB / Classic LB idle timeout (60 s)", NULL, 0 },
	{ IDLE_SERVER, 60, "nginx upstream keepalive_timeout (60 s)", NULL, 0 },
	{ IDLE_SERVER, 65, "nginx keepalive_timeout in the sample nginx.conf (65 s)", NULL, 0 },
	{ IDLE_SERVER, 65, "Oracle OCI LB client keep-alive (65 s)", NULL, 0 },
	{ IDLE_SERVER, 75, "nginx keepalive_timeout default (75 s)", NULL, 0 },
	{ IDLE_SERVER, 90, "Heroku router keep-alive (90 s)", NULL, 0 },
	{ IDLE_SERVER, 120, "Dart HttpServer.idleTimeout (120 s)", NULL, 0 },
	{ IDLE_SERVER, 300, "ECS Service Connect HTTP idle (5 min)", NULL, 0 },
	{ IDLE_SERVER, 600, "GCP load balancer backend keep-alive (600 s)", NULL, 0 },
	{ IDLE_SERVER, 610, "GCP external Application LB client keep-alive (610 s)", NULL, 0 },
	{ IDLE_SERVER, 3600, "Envoy idle_timeout (1 h)", NULL, 0 },
	/* Other services' servers, from their documentation: MySQL's and
	 * MariaDB's server system variables (wait_timeout 28800), the Amazon
	 * RDS user guide (RDS Proxy IdleClientTimeout, 1800 s), Microsoft's
	 * Azure Cache for Redis best practices (idle connections closed after
	 * 10 min), vsftpd.conf(5) (idle_session_timeout 300), RFC 5321
	 * 4.5.3.2.7 (an SMTP server waits at least 5 min), RFC 9051 5.4 (IMAP
	 * autologout at least 30 min), Microsoft's LDAP policies
	 * (MaxConnIdleTime 900 s) and its SMB server's autodisconnect (15 min). */
	{ IDLE_SERVER, 28800, "MySQL / MariaDB wait_timeout default (8 h)", "MySQL" , 0 },
	{ IDLE_SERVER, 1800, "Amazon RDS Proxy IdleClientTimeout (30 min)", "MySQL" , 0 },
	{ IDLE_SERVER, 1800, "Amazon RDS Proxy IdleClientTimeout (30 min)", "PostgreSQL" , 0 },
	{ IDLE_SERVER, 600, "Azure Cache for Redis idle timeout (10 min)", "Redis" , 0 },
	{ IDLE_SERVER, 300, "vsftpd idle_session_timeout (300 s)", "FTP" , 0 },
	{ IDLE_SERVER, 300, "SMTP server timeout (RFC 5321: at least 5 min)", "SMTP" , 0 },
	{ IDLE_SERVER, 1800, "IMAP autologout (RFC 9051: at least 30 min)", "IMAP" , 0 },
	{ IDLE_SERVER, 900, "Active Directory LDAP MaxConnIdleTime (900 s)", "LDAP" , 0 },
	{ IDLE_SERVER, 900, "Windows SMB server autodisconnect (15 min)", "SMB" , 0 },
	{ IDLE_MIDDLEBOX, 30, "GCP Cloud NAT transitory (30 s)", NULL, 0 },
	{ IDLE_MIDDLEBOX, 240, "Azure Load Balancer / NAT gateway idle (4 min)", NULL, 0 },
	{ IDLE_MIDDLEBOX, 300, "mobile carrier NAT reclaim (about 5 min)", NULL, 0 },
	{ IDLE_MIDDLEBOX, 350, "AWS NLB / NAT gateway / Network Firewall TCP idle (350 s)", NULL, 0 },
	{ IDLE_MIDDLEBOX, 600, "GCP VPC firewall connection tracking (about 10 min)", NULL, 0 },
	{ IDLE_MIDDLEBOX, 1200, "GCP Cloud NAT established (1200 s)", NULL, 0 },
	{ IDLE_MIDDLEBOX, 3600, "ECS Service Connect TCP idle (1 h)", NULL, 0 },
	{ IDLE_MIDDLEBOX, 432000, "Linux nf_conntrack established timeout (5 days)", NULL, 0 },
};

/* Whose defaults a server's close is compared with: a non-HTTP service's
 * own; HTTP's, the web servers' and balancers'. A service neither named
 * by its port nor shown to be HTTP has none: web servers' timeouts named
 * for a telnet server on port 23 (the corpus's arkime/mpls-basic.pcap,
 * "gunicorn keepalive (2 s)") or a game's port mislead more often than
 * they help. */
static bool for_service(const struct idle_default *d, const struct service *s)
{
	if (d->closer == IDLE_MIDDLEBOX)
		return true;
	if (!s || !s->name)
		return false;
	if (s->kind != SERVICE_HTTP)
		return d->service && strcmp(d->service, s->name) == 0;
	return d->service == NULL;
}

size_t idle_defaults_match(enum idle_closer closer, const struct service *service,
			   int64_t measured_ns,
			   void (*cb)(void *ctx, const struct idle_default *d), void *ctx)
{
	size_t n = 0;
	for (size_t i = 0; i < sizeof defaults / sizeof defaults[0]; i++) {
		const struct idle_default *d = &defaults[i];
		if (d->closer != closer || !for_service(d, service))
			continue;
		int64_t want = (int64_t)d->seconds * 1000000000;
		int64_t slack = want / 10 > 300000000 ? want / 10 : 300000000;
		int64_t late = (int64_t)d->late_ms * 1000000;
		if (measured_ns >= want - slack && measured_ns <= want + late + slack) {
			if (cb)
				cb(ctx, d);
			n++;
		}
	}
	return n;
}
