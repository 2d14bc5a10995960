/*
 * kernel_reasons: rstdiag -i IFACE --kernel-reasons, the capturing host's
 * own reason for each RST it sends.
 *
 * Linux traces every RST it sends at tcp/tcp_send_reset, with the reason
 * since 6.10 (include/net/rstreason.h: NO_SOCKET, TCP_ABORT_ON_CLOSE, ...)
 * and the socket's state. A private tracefs instance (so another tracer's
 * settings are left alone) has that event enabled; its trace_pipe is read
 * without blocking from the live loop, and each event waits in a bounded
 * ring until the RST it describes is reported. An event carries the
 * 4-tuple but no sequence number, so it is joined to the first unreported
 * RST with the same addresses and ports (or, for a listener's RST, its
 * address with destination 0.0.0.0:0 or [::]:0, as the tracepoint gives
 * it), oldest first.
 */
#ifndef RSTDIAG_KERNEL_REASONS_H
#define RSTDIAG_KERNEL_REASONS_H

#include <stdbool.h>
#include <stdint.h>

#define KERNEL_REASONS_RING 1024    /* events waiting for their RST */

struct kernel_reasons;

/* Opens the instance (as root, before privileges are dropped). NULL, with
 * why in *why, when tracefs, the tracepoint or its reason field is missing. */
struct kernel_reasons *kernel_reasons_open(const char **why);
void kernel_reasons_close(struct kernel_reasons *k);
/* Reads the events the kernel has written so far (never blocks). */
void kernel_reasons_read(struct kernel_reasons *k);
/*
 * The event that sent a RST from src:sport to dst:dport (ipver 4 or 6,
 * addresses as struct pkt keeps them): its reason and the socket's state
 * as codes for kernel_reason_name() and kernel_state_name() (0: none;
 * KERNEL_UNNAMED: a name this table does not know), the event then used.
 * False when none waits.
 */
bool kernel_reasons_take(struct kernel_reasons *k, uint8_t ipver, const uint8_t src[16],
			 uint16_t sport, const uint8_t dst[16], uint16_t dport,
			 uint8_t *reason, uint8_t *state);
#define KERNEL_UNNAMED 255
/* "NO_SOCKET", ... for a reason code; "TCP_CLOSE", ... for a state code;
 * "other" for KERNEL_UNNAMED, NULL for 0. */
const char *kernel_reason_name(uint8_t code);
const char *kernel_state_name(uint8_t code);
#endif
