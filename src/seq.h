/*
 * seq: TCP sequence-number comparisons modulo 2^32 (RFC 9293 3.4).
 * Every seq/ack comparison in rstdiag goes through these; a plain < on
 * sequence numbers is a bug once a connection wraps.
 */
#ifndef RSTDIAG_SEQ_H
#define RSTDIAG_SEQ_H

#include <stdbool.h>
#include <stdint.h>

static inline bool seq_lt(uint32_t a, uint32_t b) { return (int32_t)(a - b) < 0; }
static inline bool seq_leq(uint32_t a, uint32_t b) { return (int32_t)(a - b) <= 0; }
static inline bool seq_gt(uint32_t a, uint32_t b) { return (int32_t)(a - b) > 0; }
static inline bool seq_geq(uint32_t a, uint32_t b) { return (int32_t)(a - b) >= 0; }
static inline uint32_t seq_max(uint32_t a, uint32_t b) { return seq_gt(a, b) ? a : b; }

#endif
