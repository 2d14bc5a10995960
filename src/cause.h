/*
 * cause: the RST causes of ../shared/TAXONOMY.md and the names of the
 * verdict's other enums, in one table each. What a cause is (its id, its
 * one-line summary, whether it is benign, which details it takes) is
 * decided here, once, and renderers only look it up.
 *
 * The ids are a stable interface (JSON "cause" and "detail", --json
 * consumers, the man page); add entries, never rename them.
 */
#ifndef RSTDIAG_CAUSE_H
#define RSTDIAG_CAUSE_H

#include <stdbool.h>

enum cause {
	CAUSE_CLOSED_PORT,
	CAUSE_CONNECT_TIMEOUT,
	CAUSE_HANDSHAKE_ABORT,
	CAUSE_TIMEWAIT_REUSE,
	CAUSE_DATA_AFTER_FIN,
	CAUSE_UNREAD_RECV_BUFFER,
	CAUSE_LINGER_ABORT,
	CAUSE_PEER_LOST_STATE,
	CAUSE_IDLE_TIMEOUT,
	CAUSE_INJECTED,
	CAUSE_KEEPALIVE_TIMEOUT,
	CAUSE_RETRANSMIT_TIMEOUT,
	CAUSE_RESPONSE_TIMEOUT,
	CAUSE_INVALID_SEGMENT,
	CAUSE_RESET_FOLLOWUP,
	CAUSE_UNKNOWN,
	CAUSE_COUNT
};

/* A cause's sub-kind (TAXONOMY "detail"); DETAIL_NONE for most verdicts. */
enum detail {
	DETAIL_NONE,
	DETAIL_RACE,            /* data-after-fin: the data crossed the FIN in flight */
	DETAIL_IGNORED_FIN,     /* data-after-fin: the data acknowledged the FIN */
	DETAIL_PROBE,           /* linger-abort: no data either way */
	DETAIL_CHALLENGE_ACK,   /* timewait-reuse: the server held the old connection open */
	DETAIL_AFTER_CLOSE,     /* reset-followup: after both FINs, nothing outstanding */
	DETAIL_DUPLICATE,       /* reset-followup: a capture's second copy of the RST */
	DETAIL_ABANDONED,       /* connect-timeout: dropped within ms, not timed out */
	DETAIL_MP_FASTCLOSE,    /* linger-abort: MPTCP's abortive close (RFC 8684 3.5) */
	DETAIL_MP_TCPRST,       /* linger-abort: an MPTCP subflow reset with a reason (3.6) */
	DETAIL_CLOSE_NOTIFY,    /* data-after-fin: the data was the peer's closing TLS alert */
	DETAIL_CROSSED,         /* reset-followup: the sender's own abort crossing the peer's RST */
	DETAIL_QUIT_REPLY,      /* data-after-fin: the data was the reply to the closer's QUIT */
	DETAIL_PEER_QUIT,       /* data-after-fin: the data was the peer's own QUIT, its goodbye */
	DETAIL_COUNT
};

struct cause_info {
	const char *id;        /* stable id, e.g. "data-after-fin" */
	const char *summary;   /* one line for humans */
	bool benign;           /* nothing to fix: reported last and briefly */
};

struct detail_info {
	const char *id;        /* stable id, e.g. "ignored-fin"; NULL for DETAIL_NONE */
	enum cause cause;      /* the only cause it qualifies */
	bool benign;           /* benign although its cause is not */
	const char *summary;   /* non-NULL: reported as a group of its own, with this line */
};

const struct cause_info *cause_info(enum cause c);
const char *cause_id(enum cause c);
const struct detail_info *detail_info(enum detail d);
/* "race", "probe"; NULL for DETAIL_NONE. */
const char *detail_id(enum detail d);
/* Whether a verdict of this cause and detail is benign. */
bool cause_benign(enum cause c, enum detail d);
/*
 * Whether a wire cause is one that the kernel's reason for sending the
 * RST (tcp/tcp_send_reset's reason, named as Linux's rstreason.h names
 * it) produces: the --kernel-reasons agreement. A reason that names no
 * situation (NOT_SPECIFIED, ERROR, one this table does not know) fits any.
 */
bool cause_fits_kernel_reason(enum cause c, const char *reason);

enum confidence { CONF_LOW, CONF_MEDIUM, CONF_HIGH };
const char *confidence_name(enum confidence c);

/* Who really put the RST on the wire. */
enum origin { ORIGIN_UNKNOWN, ORIGIN_ENDPOINT, ORIGIN_MIDDLEBOX };
const char *origin_name(enum origin o);

/* The two wire forms of a RST (TAXONOMY "Two wire forms"). */
enum rst_form { FORM_OTHER, FORM_REPLY, FORM_ACTIVE };
const char *rst_form_name(enum rst_form f);
/* Where a RST's sequence number fell at its peer (enum rst_take, flow.h):
 * "next", "fin", "below", "ahead"; NULL when unknown. */
const char *rst_take_name(unsigned take);

/* Can the request a RST met have reached the peer's application (TAXONOMY "request")? */
enum reached_peer { REACHED_UNSET, REACHED_NO, REACHED_MAYBE, REACHED_YES };
/* "no", "maybe", "yes"; NULL when unset. */
const char *reached_peer_name(enum reached_peer r);

/* MP_TCPRST's reason, RFC 8684 3.6 ("lack-of-resources"); NULL if unassigned. */
const char *mptcp_reason_name(unsigned reason);

#endif
