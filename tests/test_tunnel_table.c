/*
 * Unit tests of tunnel identities and paths (tunnel_table.c): both
 * directions of a connection get one identity; what tells tunnels apart
 * (kind, outer addresses, VNI, ERSPAN session) does; per-direction numbers
 * (MPLS labels, TEIDs, GRE keys) do not; paths are kept as they were.
 */
#include <string.h>

#include "check.h"
#include "tunnel_table.h"

static struct tunnel_path one(enum tunnel_kind k, uint8_t a, uint8_t b, bool has_id, uint32_t id)
{
	struct tunnel_path p;
	memset(&p, 0, sizeof p);
	p.n = 1;
	p.layer[0].kind = (uint8_t)k;
	p.layer[0].has_id = has_id;
	p.layer[0].id = id;
	if (k != TUNNEL_MPLS) {
		p.layer[0].ipver = 4;
		uint8_t s[4] = { 192, 0, 2, a }, d[4] = { 192, 0, 2, b };
		memcpy(p.layer[0].src, s, 4);
		memcpy(p.layer[0].dst, d, 4);
	}
	return p;
}

int main(void)
{
	struct tunnel_table *t = tunnel_table_new(12345);

	/* Both directions of a VXLAN tunnel, one identity; another VNI, another. */
	struct tunnel_path fwd = one(TUNNEL_VXLAN, 1, 2, true, 4096);
	struct tunnel_path rev = one(TUNNEL_VXLAN, 2, 1, true, 4096);
	struct tunnel_path vni = one(TUNNEL_VXLAN, 1, 2, true, 5000);
	uint16_t id = tunnel_table_identity(t, &fwd);
	CHECK(id != 0 && id != TUNNEL_IDENTITY_OVERFLOW);
	CHECK_EQ(tunnel_table_identity(t, &rev), id);
	CHECK(tunnel_table_identity(t, &vni) != id);
	/* Other outer addresses, another tunnel. */
	struct tunnel_path other = one(TUNNEL_VXLAN, 1, 3, true, 4096);
	CHECK(tunnel_table_identity(t, &other) != id);

	/* GTP-U: each direction its own TEID, one identity. */
	struct tunnel_path up = one(TUNNEL_GTPU, 1, 2, true, 0x1111);
	struct tunnel_path down = one(TUNNEL_GTPU, 2, 1, true, 0x2222);
	CHECK_EQ(tunnel_table_identity(t, &up), tunnel_table_identity(t, &down));

	/* IP-in-IP as SRv6 makes it: each direction to its own SID. */
	struct tunnel_path to_sid = one(TUNNEL_IPIP, 2, 4, false, 0);
	struct tunnel_path from_sid = one(TUNNEL_IPIP, 1, 3, false, 0);
	CHECK_EQ(tunnel_table_identity(t, &to_sid), tunnel_table_identity(t, &from_sid));

	/* MPLS alone is no identity: labels differ per direction, or are popped. */
	struct tunnel_path mpls = one(TUNNEL_MPLS, 0, 0, true, 2000);
	CHECK_EQ(tunnel_table_identity(t, &mpls), 0);
	/* ... and inside a GRE tunnel it does not split the GRE identity. */
	struct tunnel_path gre = one(TUNNEL_GRE, 1, 2, false, 0), gre_mpls = gre;
	gre_mpls.n = 2;
	gre_mpls.layer[1] = mpls.layer[0];
	CHECK_EQ(tunnel_table_identity(t, &gre), tunnel_table_identity(t, &gre_mpls));

	/* Paths are kept as seen, each direction its own. */
	uint32_t pf = tunnel_table_path(t, &up), pr = tunnel_table_path(t, &down);
	CHECK(pf != 0 && pr != 0 && pf != pr);
	CHECK_EQ(tunnel_table_path(t, &up), pf);
	const struct tunnel_path *got = tunnel_table_get(t, pr);
	CHECK(got && got->layer[0].id == 0x2222 && got->layer[0].src[3] == 2);
	CHECK(tunnel_table_get(t, 0) == NULL);
	CHECK(tunnel_table_get(t, 999999) == NULL);

	/* Full: new identities share the overflow id; those already kept keep theirs. */
	for (uint32_t i = 0; i < TUNNEL_TABLE_MAX + 10; i++) {
		struct tunnel_path p = one(TUNNEL_GENEVE, 1, 2, true, 100000 + i);
		tunnel_table_identity(t, &p);
	}
	struct tunnel_path late = one(TUNNEL_GENEVE, 9, 9, true, 1);
	CHECK_EQ(tunnel_table_identity(t, &late), TUNNEL_IDENTITY_OVERFLOW);
	CHECK_EQ(tunnel_table_identity(t, &rev), id);
	tunnel_table_free(t);
	return check_report("test_tunnel_table");
}
