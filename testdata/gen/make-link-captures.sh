#!/bin/bash
# Regenerate the per-link-type test captures in testdata/ (see README.md).
# Run as root.  Everything happens inside network namespaces rdc (client),
# rds (server) and rdr (router), which are deleted again on exit.
# Needs: iproute2 (ip, tc), tcpdump, dumpcap/editcap/tshark (wireshark-common,
# tshark), clang (for the tc-bpf VLAN tagger), python3 (stdlib only).
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
OUT=$(dirname "$HERE")
PY=${PY:-/usr/bin/python3}
NSS="rdc rds rdr"
WORK=$(mktemp -d /tmp/rstdiag-gen.XXXXXX)
PIDS=()

log() { echo "== $*" >&2; }

teardown() {
    local p
    for p in "${PIDS[@]}"; do
        kill "$p" 2>/dev/null || true
        wait "$p" 2>/dev/null || true
    done
    PIDS=()
    for n in $NSS; do
        ip netns del "$n" 2>/dev/null || true
    done
}
cleanup() { teardown; rm -rf "$WORK"; }
trap cleanup EXIT
trap 'exit 1' INT TERM

[ "$(id -u)" = 0 ] || { echo "run as root" >&2; exit 1; }

nsx() { local n=$1; shift; ip netns exec "$n" "$@"; }

mkns() {
    local n
    for n in "$@"; do
        ip netns add "$n"
        ip -n "$n" link set lo up
        # no router solicitations -> less IPv6 noise in the captures
        nsx "$n" sysctl -qw net.ipv6.conf.default.router_solicitations=0
        nsx "$n" sysctl -qw net.ipv6.conf.all.router_solicitations=0
    done
}

# client rdc-v 10.77.0.1 fd77::1 <-> server rds-v 10.77.0.2 fd77::2
# $1: "" | vlan | qinq  (tags pushed/popped by tc-bpf on both veth ends)
topo_veth() {
    teardown
    mkns rdc rds
    ip link add rdc-v netns rdc type veth peer name rds-v netns rds
    ip -n rdc addr add 10.77.0.1/24 dev rdc-v
    ip -n rds addr add 10.77.0.2/24 dev rds-v
    ip -n rdc addr add fd77::1/64 dev rdc-v nodad
    ip -n rds addr add fd77::2/64 dev rds-v nodad
    if [ -n "${1:-}" ]; then
        local push=push_q42
        [ "$1" = qinq ] && push=push_qinq
        [ -f "$WORK/vlan_tc.o" ] || clang -O2 -g0 -target bpf \
            -I"/usr/include/$(gcc -dumpmachine)" -c "$HERE/vlan_tc.c" -o "$WORK/vlan_tc.o"
        local n
        for n in rdc rds; do
            nsx $n tc qdisc add dev $n-v clsact
            nsx $n tc filter add dev $n-v egress bpf da obj "$WORK/vlan_tc.o" sec tc/$push
            nsx $n tc filter add dev $n-v ingress bpf da obj "$WORK/vlan_tc.o" sec tc/pop_all
        done
    fi
    ip -n rdc link set rdc-v up
    ip -n rds link set rds-v up
    DST4=10.77.0.2 DST6=fd77::2
}

# client rdc-v 10.77.0.1 <-> rdr-c 10.77.0.254 [router rdr] rdr-s 10.77.2.254 <-> rds-v 10.77.2.2
topo_router() {
    teardown
    mkns rdc rds rdr
    ip link add rdc-v netns rdc type veth peer name rdr-c netns rdr
    ip link add rds-v netns rds type veth peer name rdr-s netns rdr
    nsx rdr sysctl -qw net.ipv4.ip_forward=1
    nsx rdr sysctl -qw net.ipv6.conf.all.forwarding=1
    ip -n rdc addr add 10.77.0.1/24 dev rdc-v
    ip -n rdr addr add 10.77.0.254/24 dev rdr-c
    ip -n rdr addr add 10.77.2.254/24 dev rdr-s
    ip -n rds addr add 10.77.2.2/24 dev rds-v
    ip -n rdc addr add fd77::1/64 dev rdc-v nodad
    ip -n rdr addr add fd77::fe/64 dev rdr-c nodad
    ip -n rdr addr add fd77:2::fe/64 dev rdr-s nodad
    ip -n rds addr add fd77:2::2/64 dev rds-v nodad
    local l
    for l in "rdc rdc-v" "rds rds-v" "rdr rdr-c" "rdr rdr-s"; do
        set -- $l
        ip -n "$1" link set "$2" up
    done
    ip -n rdc route add default via 10.77.0.254
    ip -n rds route add default via 10.77.2.254
    ip -n rdc -6 route add default via fd77::fe
    ip -n rds -6 route add default via fd77:2::fe
    DST4=10.77.2.2 DST6=fd77:2::2
}

# client rdc-tun 10.77.1.1 fd77:1::1 <-> server rds-tun 10.77.1.2 fd77:1::2,
# TUN devices joined by tunrelay.py (kernel has no ipip/sit/ip6tnl)
topo_tun() {
    teardown
    mkns rdc rds
    rm -f "$WORK/tun.ready"
    "$PY" "$HERE/tunrelay.py" rdc rdc-tun rds rds-tun "$WORK/tun.ready" &
    PIDS+=($!)
    waitfile "$WORK/tun.ready"
    ip -n rdc addr add 10.77.1.1 peer 10.77.1.2 dev rdc-tun
    ip -n rds addr add 10.77.1.2 peer 10.77.1.1 dev rds-tun
    ip -n rdc addr add fd77:1::1/64 dev rdc-tun nodad
    ip -n rds addr add fd77:1::2/64 dev rds-tun nodad
    ip -n rdc link set rdc-tun up
    ip -n rds link set rds-tun up
    DST4=10.77.1.2 DST6=fd77:1::2
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

# start_server [traffic.py server options]
start_server() {
    rm -f "$WORK/srv.ready"
    ip netns exec rds "$PY" "$HERE/traffic.py" server --ready "$WORK/srv.ready" "$@" &
    PIDS+=($!)
    waitfile "$WORK/srv.ready"
}

# start_cap NS LOGNAME CMD... : start a capture tool, wait until it listens
CAPS=()
start_cap() {
    local ns=$1 lg=$WORK/$2.log
    shift 2
    # run ip directly (not via a shell function) so $! is the capture tool itself
    ip netns exec "$ns" "$@" >"$lg" 2>&1 &
    CAPS+=($!)
    local i
    for i in $(seq 100); do
        grep -qE 'listening on|Capturing on' "$lg" && break
        sleep 0.05
    done
    sleep 0.5
}
stop_caps() {
    sleep 0.5
    local p
    # SIGTERM: async jobs of a non-interactive shell start with SIGINT ignored
    for p in "${CAPS[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
    for p in "${CAPS[@]}"; do wait "$p" || true; done
    CAPS=()
}

client() { nsx rdc "$PY" "$HERE/traffic.py" client --dst4 "$DST4" --dst6 "$DST6" "$@"; }

TD="tcpdump --immediate-mode -B 8192 -U"
ALL=refused,fin,linger,unread,keepalive

cd "$OUT"
rm -f eth.pcap eth-vlan.pcap eth-qinq.pcap sll.pcap sll2.pcap raw.pcap raw6.pcap \
      ipv4.pcap ipv6.pcap null.pcap loop.pcap two-interfaces.pcapng nanosecond.pcap \
      ipv4-options-ipv6-ext.pcap snaplen.pcap cut-mid-record.pcap link-*.pcap ./*.rst-frames

log eth.pcap
topo_veth; start_server
start_cap rdc eth $TD -i rdc-v -w "$OUT/eth.pcap"
client --scen4 $ALL --scen6 refused,linger,keepalive
stop_caps

log eth-vlan.pcap
topo_veth vlan; start_server
start_cap rdc vlan $TD -i rdc-v -w "$OUT/eth-vlan.pcap"
client --scen4 $ALL --scen6 linger
stop_caps

log eth-qinq.pcap
topo_veth qinq; start_server
start_cap rdc qinq $TD -i rdc-v -w "$OUT/eth-qinq.pcap"
client --scen4 $ALL --scen6 linger
stop_caps

log sll.pcap / sll2.pcap
topo_veth; start_server
start_cap rdc sll $TD -i any -y LINUX_SLL -w "$OUT/sll.pcap"
client --scen4 $ALL
stop_caps
start_cap rdc sll2 $TD -i any -y LINUX_SLL2 -w "$OUT/sll2.pcap"
client --scen4 $ALL --scen6 unread
stop_caps

log raw.pcap / raw6.pcap
topo_tun; start_server
start_cap rdc raw $TD -i rdc-tun -w "$OUT/raw.pcap" ip
start_cap rdc raw6 $TD -i rdc-tun -w "$OUT/raw6.pcap" ip6
client --scen4 $ALL --scen6 $ALL
stop_caps
editcap -F pcap -T rawip4 raw.pcap ipv4.pcap
editcap -F pcap -T rawip6 raw6.pcap ipv6.pcap
"$PY" "$HERE/reencap_null.py" null null.pcap raw.pcap raw6.pcap
"$PY" "$HERE/reencap_null.py" loop loop.pcap raw.pcap raw6.pcap
# 802.11, PPP, PPPoE, C_HDLC, FDDI, NFLOG, PFLOG, IPNET, PKTAP: checked
# against tshark's dissection of raw.pcap/raw6.pcap (it exits non-zero if not)
"$PY" "$HERE/reencap_link.py" . raw.pcap raw6.pcap

log two-interfaces.pcapng
topo_router; start_server
start_cap rdr two dumpcap -q -i rdr-c -i rdr-s -w "$OUT/two-interfaces.pcapng"
client --scen4 refused,fin,linger,keepalive --scen6 unread
stop_caps

log nanosecond.pcap
topo_veth; start_server
start_cap rdc nano $TD --time-stamp-precision=nano -i rdc-v -w "$OUT/nanosecond.pcap"
client --scen4 $ALL
stop_caps

log ipv4-options-ipv6-ext.pcap
topo_veth; start_server --ext6
start_cap rdc opts $TD -i rdc-v -w "$OUT/ipv4-options-ipv6-ext.pcap"
client --ipopts --ext6 --scen4 refused,fin,linger,unread --scen6 fin,linger,unread \
    --extra frag4,frag6,udpclosed4,udpclosed6,ping4,ping6
stop_caps

log snaplen.pcap
topo_veth; start_server --ext6
start_cap rdc snap $TD -s 64 -i rdc-v -w "$OUT/snaplen.pcap"
client --ipopts --ext6 --scen4 fin,linger,unread,keepalive --scen6 linger,keepalive
stop_caps

teardown

log cut-mid-record.pcap
# cut eth.pcap in the middle of its last-but-two record
cut=$("$PY" - eth.pcap <<'EOF'
import struct, sys
d = open(sys.argv[1], "rb").read()
offs, off = [], 24
while off + 16 <= len(d):
    incl = struct.unpack("<I", d[off + 8:off + 12])[0]
    offs.append((off, incl))
    off += 16 + incl
off, incl = offs[-3]
print(off + 16 + incl // 2)
EOF
)
head -c "$cut" eth.pcap > cut-mid-record.pcap

log rst-frames
for f in eth.pcap eth-vlan.pcap eth-qinq.pcap sll.pcap sll2.pcap raw.pcap raw6.pcap \
         ipv4.pcap ipv6.pcap null.pcap loop.pcap two-interfaces.pcapng nanosecond.pcap \
         ipv4-options-ipv6-ext.pcap snaplen.pcap cut-mid-record.pcap link-*.pcap; do
    tshark -r "$f" -Y 'tcp.flags.reset==1' -T fields -e frame.number \
        > "$f.rst-frames" 2>/dev/null || true
    size=$(stat -c %s "$f") nrst=$(wc -l < "$f.rst-frames")
    printf '%-30s %6d bytes %4s RSTs\n' "$f" "$size" "$nrst" >&2
    [ "$size" -lt 102400 ] || { echo "$f too big" >&2; exit 1; }
    [ "$nrst" -ge 2 ] || { echo "$f has fewer than 2 RSTs" >&2; exit 1; }
done

log sanity checks
# (no "tshark | grep -q": with pipefail the SIGPIPE'd tshark fails the pipe)
v=$(tshark -r eth-vlan.pcap -V 2>/dev/null)
grep -q '802.1Q Virtual LAN, PRI: .*ID: 42' <<<"$v" \
    || { echo "eth-vlan.pcap: no 802.1Q tag" >&2; exit 1; }
v=$(tshark -r eth-qinq.pcap -V 2>/dev/null)
grep -q 'IEEE 802.1ad, ID: 100' <<<"$v" && grep -q '802.1Q Virtual LAN, PRI: .*ID: 200' <<<"$v" \
    || { echo "eth-qinq.pcap: tags missing" >&2; exit 1; }
[ "$(tshark -r two-interfaces.pcapng -T fields -e frame.interface_id 2>/dev/null | sort -u | tr -d '\n')" = 01 ] \
    || { echo "two-interfaces.pcapng: expected interfaces 0 and 1" >&2; exit 1; }
[ "$(head -c4 nanosecond.pcap | od -An -tx1 | tr -d ' ')" = 4d3cb2a1 ] \
    || { echo "nanosecond.pcap: not nsec magic" >&2; exit 1; }
if tshark -r cut-mid-record.pcap >/dev/null 2>&1; then
    echo "cut-mid-record.pcap: expected a read error" >&2; exit 1
fi
log done
