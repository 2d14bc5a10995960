/* cause: the cause and detail tables and the names of the verdict's enums (cause.h). */
#include "cause.h"

#include <stdint.h>
#include <string.h>

#include <stddef.h>

static const struct cause_info causes[CAUSE_COUNT] = {
	[CAUSE_CLOSED_PORT] = { "closed-port", "nothing listens on the destination port", false },
	[CAUSE_CONNECT_TIMEOUT] = { "connect-timeout", "the client gave up connecting", false },
	[CAUSE_HANDSHAKE_ABORT] = { "handshake-abort", "the server reset during the handshake", false },
	[CAUSE_TIMEWAIT_REUSE] = { "timewait-reuse", "a new SYN reused a tuple the peer still held",
				   false },
	[CAUSE_DATA_AFTER_FIN] = { "data-after-fin", "data sent to a side that had closed", false },
	[CAUSE_UNREAD_RECV_BUFFER] = { "unread-recv-buffer", "closed with received data unread",
				       false },
	[CAUSE_LINGER_ABORT] = { "linger-abort", "deliberate abortive close (SO_LINGER 0)", false },
	[CAUSE_PEER_LOST_STATE] = { "peer-lost-state", "the sender no longer had the connection",
				    false },
	[CAUSE_IDLE_TIMEOUT] = { "idle-timeout", "a middlebox forgot the idle flow", false },
	[CAUSE_INJECTED] = { "injected", "forged by a third party", false },
	[CAUSE_KEEPALIVE_TIMEOUT] = { "keepalive-timeout", "keep-alive probes went unanswered", false },
	[CAUSE_RETRANSMIT_TIMEOUT] = { "retransmit-timeout", "data never acknowledged; sender gave up",
				       false },
	[CAUSE_RESPONSE_TIMEOUT] = { "response-timeout", "no answer came; the asker aborted", false },
	[CAUSE_INVALID_SEGMENT] = { "invalid-segment", "a segment impossible for the socket's state",
				    false },
	/* Part of an incident reported at the reset it follows. */
	[CAUSE_RESET_FOLLOWUP] = { "reset-followup", "answers stray segments after an earlier reset",
				   true },
	[CAUSE_UNKNOWN] = { "unknown", "the evidence does not decide", false },
};

static const struct detail_info details[DETAIL_COUNT] = {
	[DETAIL_NONE] = { NULL, CAUSE_UNKNOWN, false, NULL },
	[DETAIL_RACE] = { "race", CAUSE_DATA_AFTER_FIN, false, NULL },
	[DETAIL_IGNORED_FIN] = { "ignored-fin", CAUSE_DATA_AFTER_FIN, false, NULL },
	/* Health checks and port scans: nothing to fix, so apart from real aborts. */
	[DETAIL_PROBE] = { "probe", CAUSE_LINGER_ABORT, true,
			   "connections that carried no data, aborted with a RST: health checks "
			   "or port scans" },
	[DETAIL_CHALLENGE_ACK] = { "challenge-ack", CAUSE_TIMEWAIT_REUSE, false, NULL },
	[DETAIL_AFTER_CLOSE] = { "after-close", CAUSE_RESET_FOLLOWUP, false, NULL },
	[DETAIL_DUPLICATE] = { "duplicate", CAUSE_RESET_FOLLOWUP, false, NULL },
	[DETAIL_CROSSED] = { "crossed", CAUSE_RESET_FOLLOWUP, false, NULL },
	/* Happy eyeballs' losing attempts: routine, nothing to fix. */
	[DETAIL_MP_FASTCLOSE] = { "mp-fastclose", CAUSE_LINGER_ABORT, false, NULL },
	[DETAIL_MP_TCPRST] = { "mp-tcprst", CAUSE_LINGER_ABORT, false, NULL },
	[DETAIL_ABANDONED] = { "abandoned", CAUSE_CONNECT_TIMEOUT, true,
			       "connection attempts the client dropped within milliseconds, "
			       "as connection racing does" },
	/* TLS's own goodbye met the closed socket: no data was lost. */
	[DETAIL_CLOSE_NOTIFY] = { "close-notify", CAUSE_DATA_AFTER_FIN, true,
				  "TLS close_notify alerts that met a socket already closed: "
				  "nothing lost" },
	/* A text protocol's goodbye met the closed socket: nothing lost either. */
	[DETAIL_QUIT_REPLY] = { "quit-reply", CAUSE_DATA_AFTER_FIN, true,
				"replies to a QUIT or LOGOUT that met a socket the client had "
				"already closed: nothing lost" },
	/* The peer's own goodbye after the close: nothing lost either. */
	[DETAIL_PEER_QUIT] = { "peer-quit", CAUSE_DATA_AFTER_FIN, true,
			       "a QUIT, LOGOUT or stream close sent after the other side had "
			       "closed: nothing lost" },
};

const struct cause_info *cause_info(enum cause c)
{
	return &causes[(unsigned)c < CAUSE_COUNT ? c : CAUSE_UNKNOWN];
}

const char *cause_id(enum cause c)
{
	return cause_info(c)->id;
}

const struct detail_info *detail_info(enum detail d)
{
	return &details[(unsigned)d < DETAIL_COUNT ? d : DETAIL_NONE];
}

const char *detail_id(enum detail d)
{
	return detail_info(d)->id;
}

bool cause_benign(enum cause c, enum detail d)
{
	return cause_info(c)->benign || detail_info(d)->benign;
}

const char *confidence_name(enum confidence c)
{
	switch (c) {
	case CONF_HIGH: return "high";
	case CONF_MEDIUM: return "medium";
	default: return "low";
	}
}

const char *origin_name(enum origin o)
{
	switch (o) {
	case ORIGIN_ENDPOINT: return "endpoint";
	case ORIGIN_MIDDLEBOX: return "middlebox";
	default: return "unknown";
	}
}

const char *rst_form_name(enum rst_form f)
{
	switch (f) {
	case FORM_REPLY: return "reply";
	case FORM_ACTIVE: return "active";
	default: return "other";
	}
}

const char *rst_take_name(unsigned take)
{
	/* enum rst_take's order */
	static const char *const names[] = { NULL, "below", "fin", "next", "ahead" };
	return take < sizeof names / sizeof names[0] ? names[take] : NULL;
}

const char *mptcp_reason_name(unsigned reason)
{
	static const char *const names[] = {
		"unspecified", "mptcp-error", "lack-of-resources", "administratively-prohibited",
		"too-much-outstanding-data", "unacceptable-performance", "middlebox-interference",
	};
	return reason < sizeof names / sizeof names[0] ? names[reason] : NULL;
}

const char *reached_peer_name(enum reached_peer r)
{
	switch (r) {
	case REACHED_NO: return "no";
	case REACHED_MAYBE: return "maybe";
	case REACHED_YES: return "yes";
	default: return NULL;
	}
}

/*
 * What each reason's call sites in Linux (net/ipv4/tcp_ipv4.c,
 * tcp_input.c, tcp.c, tcp_timer.c, tcp_minisocks.c; 6.10 to 6.18) send a
 * RST for, in the taxonomy's causes; checked against the lab's labels,
 * each the kernel's own reason (tests/test_stats.c).
 */
static const struct {
	const char *reason;
	uint32_t causes;            /* bit (1 << enum cause) */
} kernel_fits[] = {
#define C(x) (1u << (x))
	{ "NO_SOCKET", C(CAUSE_CLOSED_PORT) | C(CAUSE_CONNECT_TIMEOUT) | C(CAUSE_LINGER_ABORT) |
		       C(CAUSE_PEER_LOST_STATE) | C(CAUSE_RESET_FOLLOWUP) | C(CAUSE_DATA_AFTER_FIN) |
		       C(CAUSE_TIMEWAIT_REUSE) | C(CAUSE_HANDSHAKE_ABORT) },
	{ "TCP_TIMEWAIT_SOCKET", C(CAUSE_DATA_AFTER_FIN) | C(CAUSE_TIMEWAIT_REUSE) |
				 C(CAUSE_RESET_FOLLOWUP) },
	{ "TCP_ABORT_ON_DATA", C(CAUSE_DATA_AFTER_FIN) | C(CAUSE_RESET_FOLLOWUP) },
	{ "TCP_ABORT_ON_CLOSE", C(CAUSE_UNREAD_RECV_BUFFER) | C(CAUSE_LINGER_ABORT) |
				C(CAUSE_RESPONSE_TIMEOUT) },
	{ "TCP_DISCONNECT_WITH_DATA", C(CAUSE_UNREAD_RECV_BUFFER) | C(CAUSE_LINGER_ABORT) },
	{ "TCP_ABORT_ON_LINGER", C(CAUSE_LINGER_ABORT) | C(CAUSE_RETRANSMIT_TIMEOUT) },
	{ "TCP_ABORT_ON_MEMORY", C(CAUSE_LINGER_ABORT) | C(CAUSE_RETRANSMIT_TIMEOUT) },
	{ "TCP_STATE", C(CAUSE_HANDSHAKE_ABORT) | C(CAUSE_LINGER_ABORT) | C(CAUSE_RESPONSE_TIMEOUT) |
		       C(CAUSE_RETRANSMIT_TIMEOUT) | C(CAUSE_UNREAD_RECV_BUFFER) | C(CAUSE_UNKNOWN) },
	{ "TCP_KEEPALIVE_TIMEOUT", C(CAUSE_KEEPALIVE_TIMEOUT) },
	{ "INVALID_SYN", C(CAUSE_HANDSHAKE_ABORT) | C(CAUSE_TIMEWAIT_REUSE) },
	{ "TCP_FLAGS", C(CAUSE_INVALID_SEGMENT) | C(CAUSE_RESET_FOLLOWUP) },
	{ "TCP_INVALID_ACK_SEQUENCE", C(CAUSE_TIMEWAIT_REUSE) | C(CAUSE_INVALID_SEGMENT) |
				      C(CAUSE_PEER_LOST_STATE) | C(CAUSE_HANDSHAKE_ABORT) },
	{ "TCP_RFC7323_PAWS", C(CAUSE_TIMEWAIT_REUSE) | C(CAUSE_INVALID_SEGMENT) },
	{ "TCP_TOO_OLD_ACK", C(CAUSE_INVALID_SEGMENT) | C(CAUSE_PEER_LOST_STATE) },
	{ "TCP_OLD_ACK", C(CAUSE_INVALID_SEGMENT) | C(CAUSE_PEER_LOST_STATE) },
	{ "TCP_ACK_UNSENT_DATA", C(CAUSE_INVALID_SEGMENT) | C(CAUSE_PEER_LOST_STATE) },
#undef C
};

bool cause_fits_kernel_reason(enum cause c, const char *reason)
{
	if (!reason)
		return true;
	if (strncmp(reason, "MPTCP_RST_", 10) == 0)
		return c == CAUSE_LINGER_ABORT || c == CAUSE_RESET_FOLLOWUP;
	for (size_t i = 0; i < sizeof kernel_fits / sizeof kernel_fits[0]; i++)
		if (strcmp(kernel_fits[i].reason, reason) == 0)
			return (kernel_fits[i].causes >> c) & 1u;
	return true;    /* NOT_SPECIFIED, ERROR, other: no situation named */
}
