/*
 * addr_scope: which IPv4 addresses only a NAT joins to the Internet.
 * A private address (RFC 1918) or a carrier-grade NAT's shared one (RFC
 * 6598, 100.64.0.0/10) is not routed on the Internet: a packet from a
 * public address reaches it only through a NAT router, and every router
 * lowers the TTL (RFC 791 3.2, RFC 1812 5.3.1).
 */
#ifndef RSTDIAG_ADDR_SCOPE_H
#define RSTDIAG_ADDR_SCOPE_H

#include <stdbool.h>
#include <stdint.h>

/* 10/8, 172.16/12, 192.168/16 (RFC 1918) and 100.64/10 (RFC 6598). */
static inline bool ipv4_behind_nat(const uint8_t a[4])
{
	return a[0] == 10 || (a[0] == 172 && (a[1] & 0xf0) == 16) ||
	       (a[0] == 192 && a[1] == 168) || (a[0] == 100 && (a[1] & 0xc0) == 64);
}

/*
 * An address a host on the Internet has: none of the above, nor "this
 * network" (0/8), loopback (127/8), link-local (169.254/16), IETF
 * protocol assignments (192.0.0/24), documentation (RFC 5737: 192.0.2/24,
 * 198.51.100/24, 203.0.113/24), benchmarking (198.18/15), multicast or
 * reserved (224/3) (RFC 6890). Documentation addresses appear only in
 * made-up traffic (a generator's, a test suite's), whose TTLs say
 * nothing of a path: bench/gencap's scans come from 192.0.2.9 at TTL 64.
 */
static inline bool ipv4_public(const uint8_t a[4])
{
	if (ipv4_behind_nat(a) || a[0] == 0 || a[0] == 127 || a[0] >= 224 ||
	    (a[0] == 169 && a[1] == 254) || (a[0] == 198 && (a[1] & 0xfe) == 18))
		return false;
	if (a[0] == 192 && a[1] == 0 && (a[2] == 0 || a[2] == 2))
		return false;
	return !(a[0] == 198 && a[1] == 51 && a[2] == 100) && !(a[0] == 203 && a[1] == 0 && a[2] == 113);
}

#endif
