/*
 * cause: the RST causes of ../shared/TAXONOMY.md, in one table.
 *
 * The ids are a stable interface (JSON "cause", --json consumers, the man
 * page); add causes, never rename them.
 */
#ifndef RSTDIAG_CAUSE_H
#define RSTDIAG_CAUSE_H

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

struct cause_info {
	const char *id;        /* stable id, e.g. "data-after-fin" */
	const char *summary;   /* one line for humans */
};

const struct cause_info *cause_info(enum cause c);
const char *cause_id(enum cause c);

enum confidence { CONF_LOW, CONF_MEDIUM, CONF_HIGH };
const char *confidence_name(enum confidence c);

/* Who really put the RST on the wire. */
enum origin { ORIGIN_UNKNOWN, ORIGIN_ENDPOINT, ORIGIN_MIDDLEBOX };
const char *origin_name(enum origin o);

/* The two wire forms of a RST (TAXONOMY "Two wire forms"). */
enum rst_form { FORM_OTHER, FORM_REPLY, FORM_ACTIVE };
const char *rst_form_name(enum rst_form f);

#endif
