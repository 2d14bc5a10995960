#!/bin/bash
# Regenerate the tunnel test captures testdata/tunnel-*.pcap (see README.md,
# "Tunnel captures").  Run as root.
#
# Real Linux TCP runs between network namespaces through a real kernel
# tunnel, and tcpdump records the OUTER packets on the underlay veth of the
# client's tunnel endpoint.  Which tunnels exist depends on the kernel: this
# one (6.18, firecracker config, CONFIG_MODULES off) has VXLAN and SRv6
# (seg6 lightweight tunnels) built in and none of geneve, gre, gretap,
# erspan, ipip, sit, ip6tnl, MPLS routing or gtp; the script probes each
# kind and skips (and names) those the kernel refuses.
#
# Every RST's inner 4-tuple, sender and the kernel's own reason (tracepoint
# tcp/tcp_send_reset, as testdata/lab/lab.py reads it) go to
# tunnel-<kind>.labels.json (tunnel_labels.py); the .rst-frames lists are
# tshark's (tests/tshark.py), never rstdiag's.
#
# Addresses: underlays 192.0.2.0/24, 198.51.100.0/24 (TEST-NET) and
# 2001:db8::/64 (documentation); SRv6 SIDs fc00:1::/64, fc00:2::/64; inner
# hosts 10.78.x.x and fd78:x::.  All live only inside the namespaces rtn*,
# which are deleted on exit, even on error.
# Needs: iproute2, tcpdump, tshark, python3 (stdlib only).
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
OUT=$(dirname "$HERE")
TESTS=$(cd "$OUT/../tests" && pwd)
PY=${PY:-/usr/bin/python3}
WORK=$(mktemp -d /tmp/rstdiag-tunnels.XXXXXX)
TRACE=/sys/kernel/tracing/instances/rstdiag_tunnels_$$
PIDS=()
NSS=()
CAPS=()

log() { echo "== $*" >&2; }

teardown() {
    local p n
    for p in "${CAPS[@]}" "${PIDS[@]}"; do
        kill "$p" 2>/dev/null || true
        wait "$p" 2>/dev/null || true
    done
    CAPS=() PIDS=()
    for n in "${NSS[@]}"; do
        ip netns del "$n" 2>/dev/null || true
    done
    NSS=()
}
cleanup() {
    teardown
    if [ -d "$TRACE" ]; then
        echo 0 > "$TRACE/events/tcp/tcp_send_reset/enable" 2>/dev/null || true
        rmdir "$TRACE" 2>/dev/null || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

[ "$(id -u)" = 0 ] || { echo "run as root" >&2; exit 1; }

nsx() { local n=$1; shift; ip netns exec "$n" "$@"; }

mkns() {
    local n
    for n in "$@"; do
        ip netns del "$n" 2>/dev/null || true
        ip netns add "$n"
        NSS+=("$n")
        ip -n "$n" link set lo up
        # no router solicitations and no DAD -> less IPv6 noise, no waiting
        nsx "$n" sysctl -qw net.ipv6.conf.default.router_solicitations=0 \
            net.ipv6.conf.all.router_solicitations=0 \
            net.ipv6.conf.default.accept_dad=0 net.ipv6.conf.all.accept_dad=0
    done
}

# addr NS ADDR DEV: add an address (IPv6 without DAD)
addr() {
    case $2 in
        *:*) ip -n "$1" addr add "$2" dev "$3" nodad ;;
        *) ip -n "$1" addr add "$2" dev "$3" ;;
    esac
}

# underlay A B IFA IFB ADDR_A ADDR_B: a veth between namespaces A and B
underlay() {
    ip link add "$3" netns "$1" type veth peer name "$4" netns "$2"
    addr "$1" "$5" "$3"
    addr "$2" "$6" "$4"
    ip -n "$1" link set "$3" up
    ip -n "$2" link set "$4" up
}

# inner NS DEV ADDR4 ADDR6 [MAC]: address and bring up a tunnel's inner device
inner() {
    [ -z "${5:-}" ] || ip -n "$1" link set "$2" address "$5"
    ip -n "$1" addr add "$3" dev "$2"
    ip -n "$1" addr add "$4" dev "$2" nodad
    ip -n "$1" link set "$2" up
}

waitfile() {
    local i
    for i in $(seq 100); do
        [ -s "$1" ] && return 0
        sleep 0.05
    done
    echo "timeout waiting for $1" >&2
    exit 1
}

# start_server NS: traffic.py's server (8002 linger, 8004 keepalive; 8000 closed)
start_server() {
    rm -f "$WORK/srv-$1.ready"
    ip netns exec "$1" "$PY" "$HERE/traffic.py" server --ready "$WORK/srv-$1.ready" \
        >"$WORK/srv-$1.log" 2>&1 &
    PIDS+=($!)
    waitfile "$WORK/srv-$1.ready"
}

# start_cap NS IFACE FILE: tcpdump on the underlay, full packets
start_cap() {
    local lg
    lg=$WORK/cap-$(basename "$3").log
    ip netns exec "$1" tcpdump --immediate-mode -B 8192 -U -s 262144 -i "$2" -w "$3" >"$lg" 2>&1 &
    CAPS+=($!)
    local i
    for i in $(seq 100); do
        grep -q 'listening on' "$lg" && break
        sleep 0.05
    done
    sleep 0.5
}
stop_caps() {
    sleep 0.5
    local p
    for p in "${CAPS[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
    for p in "${CAPS[@]}"; do wait "$p" || true; done
    CAPS=()
}

# client NS [traffic.py client options]
client() {
    local n=$1; shift
    nsx "$n" "$PY" "$HERE/traffic.py" client "$@"
}

# The kernel's RST reasons: a private tracefs instance, as lab.py's Tracer.
trace_start() {
    [ -d /sys/kernel/tracing/events ] || mount -t tracefs nodev /sys/kernel/tracing
    mkdir "$TRACE"
    echo 1 > "$TRACE/events/tcp/tcp_send_reset/enable"
}
trace_clear() { : > "$TRACE/trace"; }
trace_save() { cat "$TRACE/trace" > "$1"; }

# can_make TYPE ARGS...: does this kernel know the link type?
can_make() {
    local ok=0
    ip netns add rtn-probe
    ip -n rtn-probe link add t0 type "$@" >/dev/null 2>&1 || ok=1
    ip netns del rtn-probe
    return $ok
}

cd "$OUT"
rm -f tunnel-*.pcap tunnel-*.pcap.rst-frames tunnel-*.labels.json
trace_start
MADE=()
SKIPPED=()

# ---------------------------------------------------------------- VXLAN
# client host rtnc, server host rtns, one veth between them (the underlay);
# a vxlan device in each (VNI 4096, UDP 4789) carries 10.78.0.0/24 and
# fd78::/64 as Ethernet.  $1: 4 (IPv4 underlay) or 6 (IPv6 underlay).
topo_vxlan() {
    mkns rtnc rtns
    if [ "$1" = 4 ]; then
        underlay rtnc rtns rtnc-u rtns-u 192.0.2.1/24 192.0.2.2/24
        ip -n rtnc link add vx0 type vxlan id 4096 dstport 4789 local 192.0.2.1 remote 192.0.2.2 dev rtnc-u
        ip -n rtns link add vx0 type vxlan id 4096 dstport 4789 local 192.0.2.2 remote 192.0.2.1 dev rtns-u
    else
        underlay rtnc rtns rtnc-u rtns-u 2001:db8::1/64 2001:db8::2/64
        ip -n rtnc link add vx0 type vxlan id 4096 dstport 4789 local 2001:db8::1 remote 2001:db8::2 dev rtnc-u
        ip -n rtns link add vx0 type vxlan id 4096 dstport 4789 local 2001:db8::2 remote 2001:db8::1 dev rtns-u
    fi
    inner rtnc vx0 10.78.0.1/24 fd78::1/64
    inner rtns vx0 10.78.0.2/24 fd78::2/64
}

# one_capture KIND: the usual traffic, inner 10.78.0.1 -> 10.78.0.2 etc.
# (DST4, DST6, CLIENT, SERVER set by the topology): refused (closed port),
# linger (SO_LINGER 0 abort), keepalive (data after the server's FIN).
one_capture() {
    local kind=$1 scen4=$2 scen6=$3
    start_server rtns
    trace_clear
    start_cap rtnc rtnc-u "$OUT/tunnel-$kind.pcap"
    client rtnc --dst4 "$DST4" --dst6 "$DST6" --scen4 "$scen4" --scen6 "$scen6"
    stop_caps
    sleep 0.2
    trace_save "$WORK/$kind.trace"
    teardown
    "$PY" "$HERE/tunnel_labels.py" "tunnel-$kind.pcap" "$WORK/$kind.trace" \
        --client "$CLIENT" --server "$SERVER" > "tunnel-$kind.labels.json"
    MADE+=("tunnel-$kind.pcap")
}

log tunnel-vxlan.pcap
topo_vxlan 4
DST4=10.78.0.2 DST6=fd78::2 CLIENT=10.78.0.1,fd78::1 SERVER=10.78.0.2,fd78::2
one_capture vxlan refused,linger,keepalive refused,keepalive

log tunnel-vxlan6.pcap
topo_vxlan 6
one_capture vxlan6 refused,linger,keepalive linger

# ---------------------------------------------------------------- VXLAN, same inner tuple
# Three VXLAN tunnels carry the same inner 4-tuple at the same time:
#   VNI 4096, outer 192.0.2.1    <-> 192.0.2.2     (client rtnc1, server rtns1)
#   VNI 4097, outer 192.0.2.1    <-> 192.0.2.2     (client rtnc2, server rtns2)
#   VNI 4096, outer 198.51.100.1 <-> 198.51.100.2  (client rtnc3, server rtns3)
# The VTEPs of tunnels 1 and 2 live in rtna (client side) and rtnb (server
# side), joined by one veth.  The kernel keeps one VXLAN socket per namespace
# and port and refuses a VNI twice on it, so tunnel 3's VTEPs live in rtna3
# and rtnb3, on macvlan devices stacked on that same veth: their frames
# cross it too, and the one capture on rtna-u sees all three tunnels.
# Each vxlan device is made in its VTEP namespace (its UDP socket stays
# there) and then moved into its own inner namespace, so every inner
# namespace can have the same addresses (client 10.78.0.1, server 10.78.0.2)
# and the same MAC addresses.  The client binds source port 40000
# (traffic.py --sport) and the server port is 8004 (keepalive): the inner
# Ethernet, IP and TCP headers of the three connections have equal
# addresses and ports, and each connection ends with its own data-after-fin
# RST.  Only the VNI tells tunnels 1 and 2 apart, and only the outer
# addresses tunnels 1 and 3.  (The outer UDP source ports differ: the kernel
# takes them from each socket's random flow hash.  The inner ISNs and TCP
# timestamps come from keyed hashes of the 4-tuple plus the clock, so the
# three connections' sequence numbers lie within a few million of each
# other: without the tunnel they look like one connection.)
log tunnel-vxlan-same-tuple.pcap
mkns rtna rtnb rtna3 rtnb3 rtnc1 rtns1 rtnc2 rtns2 rtnc3 rtns3
underlay rtna rtnb rtna-u rtnb-u 192.0.2.1/24 192.0.2.2/24
ip -n rtna link add mv3 link rtna-u type macvlan mode bridge
ip -n rtnb link add mv3 link rtnb-u type macvlan mode bridge
ip -n rtna link set mv3 netns rtna3
ip -n rtnb link set mv3 netns rtnb3
ip -n rtna3 addr add 198.51.100.1/24 dev mv3
ip -n rtnb3 addr add 198.51.100.2/24 dev mv3
ip -n rtna3 link set mv3 up
ip -n rtnb3 link set mv3 up
# i VNI client-VTEP server-VTEP client-outer server-outer underlay
for t in "1 4096 rtna rtnb 192.0.2.1 192.0.2.2 -u" "2 4097 rtna rtnb 192.0.2.1 192.0.2.2 -u" \
         "3 4096 rtna3 rtnb3 198.51.100.1 198.51.100.2 mv3"; do
    # shellcheck disable=SC2086
    set -- $t
    ua=$7 ub=$7
    [ "$7" = -u ] && ua=rtna-u ub=rtnb-u
    ip -n "$3" link add "vx$1" type vxlan id "$2" dstport 4789 local "$5" remote "$6" dev "$ua"
    ip -n "$4" link add "vx$1" type vxlan id "$2" dstport 4789 local "$6" remote "$5" dev "$ub"
    ip -n "$3" link set vx$1 netns rtnc$1
    ip -n "$4" link set vx$1 netns rtns$1
    inner rtnc$1 vx$1 10.78.0.1/24 fd78::1/64 02:00:00:78:00:01
    inner rtns$1 vx$1 10.78.0.2/24 fd78::2/64 02:00:00:78:00:02
    start_server rtns$1
done
trace_clear
start_cap rtna rtna-u "$OUT/tunnel-vxlan-same-tuple.pcap"
SAME=()
for i in 1 2 3; do
    client rtnc$i --dst4 10.78.0.2 --scen4 keepalive --sport 40000 &
    SAME+=($!)
    sleep 0.1
done
for p in "${SAME[@]}"; do wait "$p"; done
stop_caps
sleep 0.2
trace_save "$WORK/same.trace"
teardown
"$PY" "$HERE/tunnel_labels.py" tunnel-vxlan-same-tuple.pcap "$WORK/same.trace" \
    --client 10.78.0.1 --server 10.78.0.2 > tunnel-vxlan-same-tuple.labels.json
MADE+=(tunnel-vxlan-same-tuple.pcap)

# ---------------------------------------------------------------- 4in6, 6in6 (SRv6)
# No ip6tnl here, but the kernel's SRv6 lightweight tunnels make the same
# outer packets: seg6 "encap.red" (H.Encaps.Red, RFC 8986) with a single
# segment puts an IPv6 header and no Routing header in front of the inner
# packet (next header 4 for IPv4, 41 for IPv6); "encap" (H.Encaps) adds a
# Segment Routing Header (routing type 4, segments left 0) between them.
# The receiving host decapsulates with seg6local End.DX4 (nexthop 0.0.0.0:
# the inner destination, here its own address) or End.DT6 (the inner
# destination looked up in table local; End.DX6 will not deliver locally)
# and so receives the inner packet itself.
# Outer: 2001:db8::1 <-> 2001:db8::2 (tunnel sources set with `ip sr
# tunsrc`), to the SIDs fc00:2::4 / fc00:2::6 (server) and fc00:1::4 /
# fc00:1::6 (client); inner: 10.78.1.1 / fd78:1::1 (client, on lo) and
# 10.78.2.1 / fd78:2::1 (server, on lo).  $1: encap.red | encap
topo_srv6() {
    mkns rtnc rtns
    underlay rtnc rtns rtnc-u rtns-u 2001:db8::1/64 2001:db8::2/64
    local me peer n i
    for me in c s; do
        n=rtn$me
        [ $me = c ] && i=1 peer=2 || i=2 peer=1
        nsx $n sysctl -qw net.ipv6.conf.all.seg6_enabled=1 net.ipv6.conf.$n-u.seg6_enabled=1
        ip -n $n addr add 10.78.$i.1/32 dev lo
        ip -n $n addr add fd78:$i::1/128 dev lo
        ip -n $n sr tunsrc set 2001:db8::$i
        ip -n $n -6 route add fc00:$peer::/64 via 2001:db8::$peer dev $n-u
        ip -n $n route add 10.78.$peer.1/32 encap seg6 mode "$1" segs fc00:$peer::4 \
            dev $n-u src 10.78.$i.1
        ip -n $n -6 route add fd78:$peer::1/128 encap seg6 mode "$1" segs fc00:$peer::6 \
            dev $n-u src fd78:$i::1
        ip -n $n -6 route add fc00:$i::4/128 encap seg6local action End.DX4 nh4 0.0.0.0 dev $n-u
        ip -n $n -6 route add fc00:$i::6/128 encap seg6local action End.DT6 table local dev $n-u
    done
    DST4=10.78.2.1 DST6=fd78:2::1 CLIENT=10.78.1.1,fd78:1::1 SERVER=10.78.2.1,fd78:2::1
}

log tunnel-4in6.pcap
topo_srv6 encap.red
one_capture 4in6 refused,linger,keepalive ""

log tunnel-6in6.pcap
topo_srv6 encap.red
one_capture 6in6 "" refused,linger,keepalive

log tunnel-srv6.pcap
topo_srv6 encap
one_capture srv6 refused,keepalive refused,linger

# ---------------------------------------------------------------- not here
# Probed only: each would need its device (or MPLS routing) in the kernel.
for t in "geneve id 4096 remote 192.0.2.2" "gre local 192.0.2.1 remote 192.0.2.2" \
         "gretap local 192.0.2.1 remote 192.0.2.2" \
         "erspan local 192.0.2.1 remote 192.0.2.2 seq key 1 erspan_ver 1 erspan 1" \
         "ipip local 192.0.2.1 remote 192.0.2.2" "sit local 192.0.2.1 remote 192.0.2.2" \
         "ip6tnl mode ip4ip6 local 2001:db8::1 remote 2001:db8::2" "gtp role sgsn"; do
    # shellcheck disable=SC2086
    if can_make $t; then
        SKIPPED+=("${t%% *} (the kernel has it now: add it to this script)")
    else
        SKIPPED+=("${t%% *} (unknown device type)")
    fi
done
[ -e /proc/sys/net/mpls/platform_labels ] || SKIPPED+=("mpls (no CONFIG_MPLS_ROUTING)")

log rst-frames
# tshark's own list, written as tests/tshark.py --write writes it
"$PY" - "$TESTS" "${MADE[@]}" <<'EOF'
import os, sys
sys.path.insert(0, sys.argv[1])
import tshark
for path in sys.argv[2:]:
    frames = tshark.reset_frames(path)
    with open(tshark.list_path(path), "w") as f:
        f.write(tshark.format_list(frames))
EOF
for f in "${MADE[@]}"; do
    size=$(stat -c %s "$f") nrst=$(wc -l < "$f.rst-frames")
    npkt=$(tshark -r "$f" -T fields -e frame.number 2>/dev/null | wc -l)
    printf '%-32s %6d bytes %4d packets %3d RSTs\n' "$f" "$size" "$npkt" "$nrst" >&2
    [ "$size" -lt 102400 ] || { echo "$f too big" >&2; exit 1; }
    [ "$nrst" -ge 2 ] || { echo "$f has fewer than 2 RSTs" >&2; exit 1; }
done

log sanity checks
# every RST tshark lists must be an inner one: inside the tunnel, with the
# inner addresses (tunnel_labels.py checked that each has a kernel reason)
for f in "${MADE[@]}"; do
    bad=$(tshark -r "$f" -Y 'tcp.flags.reset==1 && !icmp && !icmpv6' -T fields \
              -e frame.protocols 2>/dev/null | grep -cvE ':(vxlan:eth:ethertype|ipv6:(ipv6.routing:)?(ip|ipv6)):' || true)
    [ "$bad" = 0 ] || { echo "$f: $bad RSTs not inside the tunnel" >&2; exit 1; }
done
# the same-tuple capture: one inner 4-tuple, three tunnels, three RSTs
"$PY" - tunnel-vxlan-same-tuple.labels.json <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))["resets"]
inner = {(x["src"], x["dst"]) for x in r}
tunnels = {(x["tunnel"]["outer_src"], x["tunnel"]["vni"]) for x in r}
if len(r) != 3 or len(inner) != 1 or len(tunnels) != 3:
    sys.exit(f"{sys.argv[1]}: want 3 RSTs, 1 inner tuple, 3 tunnels: {inner} {tunnels}")
EOF
log "made: ${MADE[*]}"
for s in "${SKIPPED[@]}"; do log "not made: $s"; done
log done
