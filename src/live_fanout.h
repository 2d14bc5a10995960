/*
 * live_fanout: -i IFACE --fanout N, N capturing processes in one AF_PACKET
 * fanout group.
 *
 * The kernel hands each packet to one of the group's sockets by a hash of
 * its flow that both directions share (PACKET_FANOUT_HASH), so each worker
 * sees whole connections and is an ordinary live --json run on its share.
 * The parent only forks them, passes their records on as they come
 * (written as they are with --json, rendered as the text report's live
 * lines otherwise: report_from_json.h), and at their end writes one
 * summary merged from theirs (report_merge_streams). SIGINT or SIGTERM to
 * the parent is passed on; a terminal's ^C reaches them all.
 */
#ifndef RSTDIAG_LIVE_FANOUT_H
#define RSTDIAG_LIVE_FANOUT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "msg.h"

#define LIVE_FANOUT_MAX 64

struct merge_output;

/*
 * Forks n workers. In the parent, returns true once they have all ended
 * and their output is merged into out (report_merge.h: out->rep writes
 * the summary), with the exit status in *status.
 * In a worker, returns false with *group its fanout group, *worker its
 * number (0..n-1), and standard output a pipe to the parent: it then runs
 * as an ordinary live --json run that joins the group.
 */
bool live_fanout_fork(unsigned n, const struct merge_output *out, int *group,
		      unsigned *worker, enum exit_status *status);

#endif
