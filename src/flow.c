/* flow: the one initialisation of a connection, and the names of its enums (flow.h). */
#include "flow.h"

#include <string.h>

static const char *const half_state_names[HALF_STATE_COUNT] = {
	[HALF_UNSEEN] = "unseen",
	[HALF_SYN_SENT] = "syn-sent",
	[HALF_SYN_ACK_SENT] = "syn-ack-sent",
	[HALF_OPEN] = "open",
	[HALF_FIN_SENT] = "fin-sent",
	[HALF_FIN_ACKED] = "fin-acked",
	[HALF_RESET] = "reset",
};

const char *half_state_name(enum half_state s)
{
	return (unsigned)s < HALF_STATE_COUNT ? half_state_names[s] : "?";
}

const char *role_name(enum role r)
{
	switch (r) {
	case ROLE_CLIENT: return "client";
	case ROLE_SERVER: return "server";
	default: return "unknown";
	}
}

const char *role_word(enum role r, const char *unknown_as)
{
	return r == ROLE_UNKNOWN ? unknown_as : role_name(r);
}

void flow_start_connection(struct flow *f, int64_t now)
{
	memset(&f->conn, 0, sizeof f->conn);
	f->conn.client = -1;
	f->conn.first_closer = -1;
	f->conn.prev_first_closer = -1;
	f->conn.last_data_dir = -1;
	f->conn.close_idle_ns = -1;
	f->conn.active_ts = f->conn.last_ts = now;
}
