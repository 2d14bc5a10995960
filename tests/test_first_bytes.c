/* test_first_bytes: protocols named by their opening bytes (src/first_bytes.c). */
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "first_bytes.h"

static uint8_t app_of(const void *d, size_t n)
{
	return first_bytes_app(d, (uint32_t)n);
}

#define TEXT(s) app_of(s, sizeof s - 1)
#define QUIT(s) first_bytes_quit((const uint8_t *)(s), sizeof s - 1)
#define REFUSED(s) first_bytes_refusal((const uint8_t *)(s), sizeof s - 1)

int main(void)
{
	CHECK_EQ(TEXT("SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n"), FIRST_BYTES_SSH);
	CHECK_EQ(TEXT("220 mail.example.com ESMTP Postfix (Debian/GNU)\r\n"), FIRST_BYTES_SMTP);
	CHECK_EQ(TEXT("220 (vsFTPd 3.0.3)\r\n"), FIRST_BYTES_FTP);
	CHECK_EQ(TEXT("220 Welcome\r\nFTP later"), FIRST_BYTES_NONE);   /* first line only */
	CHECK_EQ(TEXT("* OK [CAPABILITY IMAP4rev1] Dovecot ready.\r\n"), FIRST_BYTES_IMAP);
	CHECK_EQ(TEXT("+OK POP3 ready\r\n"), FIRST_BYTES_POP3);
	CHECK_EQ(TEXT("*2\r\n$3\r\nGET\r\n$1\r\nk\r\n"), FIRST_BYTES_REDIS);
	CHECK_EQ(TEXT("*\r\n$"), FIRST_BYTES_NONE);
	/* PostgreSQL: StartupMessage (protocol 3.0) and SSLRequest. */
	static const uint8_t startup[] = { 0, 0, 0, 41, 0, 3, 0, 0, 'u', 's', 'e', 'r', 0 };
	static const uint8_t sslreq[] = { 0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f };
	CHECK_EQ(app_of(startup, sizeof startup), FIRST_BYTES_POSTGRES);
	CHECK_EQ(app_of(sslreq, sizeof sslreq), FIRST_BYTES_POSTGRES);
	/* MySQL's HandshakeV10: length 74, sequence 0, protocol 10, "8.0.36". */
	static const uint8_t mysql[] = { 74, 0, 0, 0, 10, '8', '.', '0', '.', '3', '6', 0 };
	CHECK_EQ(app_of(mysql, sizeof mysql), FIRST_BYTES_MYSQL);
	/* MongoDB OP_MSG: length 100, ids, opCode 2013, little-endian. */
	static const uint8_t mongo[] = { 100, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0xdd, 0x07, 0, 0, 0 };
	CHECK_EQ(app_of(mongo, sizeof mongo), FIRST_BYTES_MONGODB);
	/* XMPP's stream header, alone or after an XML declaration (RFC 6120
	 * 4.2, 11.5); a declaration alone, or other XML, names nothing. */
	CHECK_EQ(TEXT("<stream:stream to='example.com' xmlns='jabber:client'>"), FIRST_BYTES_XMPP);
	CHECK_EQ(TEXT("<?xml version='1.0'?><stream:stream id='1647'"), FIRST_BYTES_XMPP);
	CHECK_EQ(TEXT("<?xml version='1.0' ?>\n<stream:stream to='a'"), FIRST_BYTES_XMPP);
	CHECK_EQ(TEXT("<?xml version='1.0' ?>"), FIRST_BYTES_NONE);
	CHECK_EQ(TEXT("<?xml version='1.0'?><methodCall>"), FIRST_BYTES_NONE);
	CHECK_EQ(TEXT("<html>"), FIRST_BYTES_NONE);
	CHECK_EQ(TEXT("<?xml"), FIRST_BYTES_NONE);
	CHECK_EQ(TEXT("<?xml ?><stream:strea"), FIRST_BYTES_NONE);
	CHECK(strcmp(first_bytes_app_name(FIRST_BYTES_XMPP), "xmpp") == 0);
	/* The protocols whose server opens with a banner or greeting; not
	 * those whose client speaks first, nor none. */
	static const uint8_t server_first[] = { FIRST_BYTES_SSH, FIRST_BYTES_SMTP, FIRST_BYTES_FTP,
						FIRST_BYTES_IMAP, FIRST_BYTES_POP3, FIRST_BYTES_MYSQL };
	for (size_t i = 0; i < sizeof server_first; i++)
		CHECK(first_bytes_server_speaks_first(server_first[i]));
	static const uint8_t client_first[] = { FIRST_BYTES_NONE, FIRST_BYTES_POSTGRES,
						FIRST_BYTES_REDIS, FIRST_BYTES_MONGODB, FIRST_BYTES_XMPP };
	for (size_t i = 0; i < sizeof client_first; i++)
		CHECK(!first_bytes_server_speaks_first(client_first[i]));
	/* Bulk data, HTTP and short payloads name nothing. */
	static const uint8_t zeros[64] = { 0 };
	CHECK_EQ(app_of(zeros, sizeof zeros), FIRST_BYTES_NONE);
	CHECK_EQ(TEXT("GET / HTTP/1.1\r\n"), FIRST_BYTES_NONE);
	CHECK_EQ(TEXT("SS"), FIRST_BYTES_NONE);
	for (size_t n = 0; n <= sizeof startup; n++)
		app_of(startup, n);     /* every cut is safe */

	/* A session's last command: QUIT (SMTP, POP3, FTP, NNTP), IMAP's
	 * "<tag> LOGOUT", in any case, one line. */
	CHECK(QUIT("QUIT\r\n"));
	CHECK(QUIT("quit\r\n"));
	CHECK(QUIT("a1 LOGOUT\r\n"));
	CHECK(QUIT("A0007 logout\r\n"));
	CHECK(!QUIT("QUIT"));                    /* no line end */
	CHECK(!QUIT("QUITE\r\n"));
	CHECK(!QUIT("QUIT now\r\n"));
	/* QUIT as the last line after others: SMTP's PIPELINING sends it with
	 * the end of the data (RFC 2920 3.1; smtp-decrypted.pcap 32). */
	CHECK(QUIT(".\r\nQUIT\r\n"));
	CHECK(QUIT("DATA\r\nQUIT\r\n"));
	CHECK(!QUIT("Subject: QUIT\r\n"));
	CHECK(!QUIT(" LOGOUT\r\n"));             /* no tag */
	/* HART-IP's Session Close request: an 8-byte header alone (the
	 * corpus's ndpi/hart_ip.pcap 62); not its response, nor a Keep Alive,
	 * nor a header claiming a body. */
	static const uint8_t close_req[] = { 1, 0, 1, 0, 0, 13, 0, 8 };
	static const uint8_t close_resp[] = { 1, 1, 1, 0, 0, 13, 0, 8 };
	static const uint8_t keep_alive[] = { 1, 0, 2, 0, 0, 12, 0, 8 };
	static const uint8_t with_body[] = { 1, 0, 1, 0, 0, 13, 0, 9 };
	CHECK(first_bytes_quit(close_req, sizeof close_req));
	CHECK(!first_bytes_quit(close_resp, sizeof close_resp));
	CHECK(!first_bytes_quit(keep_alive, sizeof keep_alive));
	CHECK(!first_bytes_quit(with_body, sizeof with_body));
	CHECK(QUIT("\r\nQUIT\r\n"));            /* 8 bytes, still a QUIT line */
	CHECK(!QUIT("a\x01 LOGOUT\r\n"));        /* not an atom */
	CHECK(!QUIT("Q\xd5IT\r\n"));             /* 0xd5: no letter */
	/* XMPP's closing stream tag, alone (RFC 6120 4.4) */
	CHECK(QUIT("</stream:stream>"));
	CHECK(!QUIT("</stream:stream"));
	CHECK(!QUIT("</stream:Stream>"));
	CHECK(!QUIT("<message/></stream:stream>"));
	static const char logout[] = "tag LOGOUT\r\n";
	for (size_t n = 0; n < sizeof logout - 1; n++)
		CHECK(!first_bytes_quit((const uint8_t *)logout, (uint32_t)n));   /* every cut */

	/* A service's refusal over its connection limit, in its own words. */
	CHECK_EQ(REFUSED("Exceeded MaxStartups\r\n"), REFUSAL_SSH_MAXSTARTUPS);
	CHECK_EQ(REFUSED("Exceeded MaxStartups"), REFUSAL_NONE);   /* OpenSSH ends it CRLF */
	CHECK_EQ(REFUSED("421 4.3.2 Service currently unavailable\r\n"), REFUSAL_REPLY_421);
	CHECK_EQ(REFUSED("421-mx.example.com busy\r\n421 try later\r\n"), REFUSAL_REPLY_421);
	CHECK_EQ(REFUSED("421 There are too many connected users, please try later.\r\n"),
		 REFUSAL_REPLY_421);
	CHECK_EQ(REFUSED("4210 items\r\n"), REFUSAL_NONE);
	CHECK_EQ(REFUSED("-ERR max number of clients reached\r\n"), REFUSAL_REDIS_MAXCLIENTS);
	CHECK_EQ(REFUSED("-ERR unknown command\r\n"), REFUSAL_NONE);
	/* MySQL: length 23, sequence 0, 0xff, 1040, '#', "08004", message */
	static const uint8_t mysql_1040[] = { 23, 0, 0, 0, 0xff, 0x10, 0x04, '#', '0', '8', '0',
					      '0', '4', 'T', 'o', 'o', ' ', 'm', 'a', 'n', 'y' };
	CHECK_EQ(first_bytes_refusal(mysql_1040, sizeof mysql_1040), REFUSAL_MYSQL_TOO_MANY);
	static const uint8_t mysql_1045[] = { 23, 0, 0, 2, 0xff, 0x15, 0x04, '#' };
	CHECK_EQ(first_bytes_refusal(mysql_1045, sizeof mysql_1045), REFUSAL_NONE);
	/* PostgreSQL: 'E', length, then S FATAL, V FATAL, C 53300, M ..., end */
	static const uint8_t pg[] = "E\0\0\0\x3b" "SFATAL\0" "VFATAL\0" "C53300\0"
				    "Msorry, too many clients already\0";
	CHECK_EQ(first_bytes_refusal(pg, sizeof pg), REFUSAL_POSTGRES_TOO_MANY);
	static const uint8_t pg_auth[] = "E\0\0\0\x30" "SFATAL\0" "C28P01\0"
					 "Mpassword authentication failed\0";
	CHECK_EQ(first_bytes_refusal(pg_auth, sizeof pg_auth), REFUSAL_NONE);
	for (size_t n = 0; n < sizeof pg; n++)    /* every cut, in bounds */
		CHECK(first_bytes_refusal(pg, (uint32_t)n) == REFUSAL_NONE || n >= 5 + 7 + 7 + 7);
	CHECK(strcmp(first_bytes_refusal_name(REFUSAL_SSH_MAXSTARTUPS), "ssh-maxstartups") == 0);
	CHECK(first_bytes_refusal_name(REFUSAL_NONE) == NULL);

	/* A service's last words: PostgreSQL's FATALs for its two idle timers
	 * and an administrator's command (as holdout7's capture holds 25P03),
	 * not another code, nor a refusal; MySQL's 4031 with any sequence. */
	static const uint8_t pg_idle_tx[] = "E\0\0\0\x74" "SFATAL\0" "VFATAL\0" "C25P03\0"
					    "Mterminating connection due to idle-in-transaction "
					    "timeout\0" "Fpostgres.c\0" "L3282\0" "RProcessInterrupts\0";
	CHECK_EQ(first_bytes_goodbye(pg_idle_tx, sizeof pg_idle_tx),
		 GOODBYE_PG_IDLE_IN_TRANSACTION);
	static const uint8_t pg_idle[] = "E\0\0\0\x20" "SFATAL\0" "C57P05\0" "Midle\0";
	CHECK_EQ(first_bytes_goodbye(pg_idle, sizeof pg_idle), GOODBYE_PG_IDLE_SESSION);
	static const uint8_t pg_admin[] = "E\0\0\0\x20" "SFATAL\0" "C57P01\0" "Madmin\0";
	CHECK_EQ(first_bytes_goodbye(pg_admin, sizeof pg_admin), GOODBYE_PG_ADMIN_SHUTDOWN);
	CHECK_EQ(first_bytes_goodbye(pg, sizeof pg), GOODBYE_NONE);
	CHECK_EQ(first_bytes_goodbye(pg_auth, sizeof pg_auth), GOODBYE_NONE);
	for (size_t n = 0; n < sizeof pg_idle_tx; n++)    /* every cut, in bounds */
		CHECK(first_bytes_goodbye(pg_idle_tx, (uint32_t)n) == GOODBYE_NONE ||
		      n >= 5 + 7 + 7 + 7);
	static const uint8_t mysql_4031[] = { 100, 0, 0, 2, 0xff, 0xbf, 0x0f, 'H', 'Y', '0', '0',
					      '0', 'T', 'h', 'e' };
	CHECK_EQ(first_bytes_goodbye(mysql_4031, sizeof mysql_4031), GOODBYE_MYSQL_INACTIVITY);
	CHECK_EQ(first_bytes_goodbye(mysql_1040, sizeof mysql_1040), GOODBYE_NONE);
	CHECK(strcmp(first_bytes_goodbye_name(GOODBYE_PG_IDLE_IN_TRANSACTION),
		     "postgresql-idle-in-transaction-timeout") == 0);
	CHECK(first_bytes_goodbye_name(GOODBYE_NONE) == NULL);
	return check_report("test_first_bytes");
}
