/*
 * tunnel_table: the tunnel contexts seen, each interned once and named by
 * a small number, so a flow key holds 2 bytes, not a path.
 *
 * Two kinds of entry:
 *   - an identity: what makes two connections with the same inner 4-tuple
 *     different connections. Per layer: its kind; for GRE, ERSPAN, VXLAN
 *     and Geneve, which join two configured endpoints both ways, its outer
 *     addresses in order (both directions agree); and the VNI of VXLAN and
 *     Geneve and the ERSPAN session. Left out, because each direction of a
 *     connection may carry its own: MPLS labels (RFC 3031: local to each
 *     hop; with penultimate hop popping one direction carries none, so
 *     MPLS layers are left out altogether), GTP-U TEIDs and addresses (TS
 *     29.281: each receiver assigns its F-TEID, address included), GRE keys
 *     (RFC 2890), the outer addresses of IP-in-IP (an SRv6 encapsulation,
 *     RFC 8986, sends to a SID, not to the other end's source address)
 *     and of Teredo (RFC 4380 4: each direction may use another relay).
 *   - a path: a RST's own tunnel path as it was on the wire, for its record.
 * Memory is bounded: TUNNEL_TABLE_MAX entries of each kind. Past that,
 * new identities share TUNNEL_IDENTITY_OVERFLOW (their connections are
 * then told apart by the inner 4-tuple alone) and new paths are not kept.
 */
#ifndef RSTDIAG_TUNNEL_TABLE_H
#define RSTDIAG_TUNNEL_TABLE_H

#include <stdint.h>

#include "packet.h"

#define TUNNEL_TABLE_MAX 65534
#define TUNNEL_IDENTITY_OVERFLOW 0xffff

struct tunnel_table;

struct tunnel_table *tunnel_table_new(uint64_t seed);
void tunnel_table_free(struct tunnel_table *t);
/* The identity of path p (p->n > 0): 1..TUNNEL_TABLE_MAX, or TUNNEL_IDENTITY_OVERFLOW. */
uint16_t tunnel_table_identity(struct tunnel_table *t, const struct tunnel_path *p);
/* Path p itself, kept for a record: 1..TUNNEL_TABLE_MAX, or 0 when full. */
uint32_t tunnel_table_path(struct tunnel_table *t, const struct tunnel_path *p);
/* A kept path, NULL for 0 or an unknown id. */
const struct tunnel_path *tunnel_table_get(const struct tunnel_table *t, uint32_t id);

#endif
