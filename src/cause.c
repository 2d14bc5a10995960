/* cause: the cause table and the names of the verdict's enums (cause.h). */
#include "cause.h"

static const struct cause_info causes[CAUSE_COUNT] = {
	[CAUSE_CLOSED_PORT] = { "closed-port", "nothing listens on the destination port" },
	[CAUSE_CONNECT_TIMEOUT] = { "connect-timeout", "the client gave up connecting" },
	[CAUSE_HANDSHAKE_ABORT] = { "handshake-abort", "the server reset during the handshake" },
	[CAUSE_TIMEWAIT_REUSE] = { "timewait-reuse", "a new SYN reused a tuple the peer still held" },
	[CAUSE_DATA_AFTER_FIN] = { "data-after-fin", "data sent to a side that had closed" },
	[CAUSE_UNREAD_RECV_BUFFER] = { "unread-recv-buffer", "closed with received data unread" },
	[CAUSE_LINGER_ABORT] = { "linger-abort", "deliberate abortive close (SO_LINGER 0)" },
	[CAUSE_PEER_LOST_STATE] = { "peer-lost-state", "the sender no longer had the connection" },
	[CAUSE_IDLE_TIMEOUT] = { "idle-timeout", "a middlebox forgot the idle flow" },
	[CAUSE_INJECTED] = { "injected", "forged by a third party" },
	[CAUSE_KEEPALIVE_TIMEOUT] = { "keepalive-timeout", "keep-alive probes went unanswered" },
	[CAUSE_RETRANSMIT_TIMEOUT] = { "retransmit-timeout", "data never acknowledged; sender gave up" },
	[CAUSE_RESPONSE_TIMEOUT] = { "response-timeout", "no answer came; the asker aborted" },
	[CAUSE_INVALID_SEGMENT] = { "invalid-segment", "a segment impossible for the socket's state" },
	[CAUSE_RESET_FOLLOWUP] = { "reset-followup", "answers stray segments after an earlier reset" },
	[CAUSE_UNKNOWN] = { "unknown", "the evidence does not decide" },
};

const struct cause_info *cause_info(enum cause c)
{
	return &causes[(unsigned)c < CAUSE_COUNT ? c : CAUSE_UNKNOWN];
}

const char *cause_id(enum cause c)
{
	return cause_info(c)->id;
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
