#!/usr/bin/env bash
# Writes testdata/two-linktypes.pcapng: one dumpcap capture on two
# interfaces of different link types at once, the kind of pcapng libpcap
# 1.10 refuses past its first interface ("an interface has a type 113
# different from the type of the first interface"). Run as root.
#
# In a namespace rdl-a, dumpcap captures on "any" (LINUX_SLL) with a
# filter that keeps only the veth's traffic to namespace rdl-b, and on
# "lo" (EN10MB) with one that keeps only loopback traffic, so no packet
# is captured twice. traffic.py (server in both namespaces) then makes
# real Linux RSTs on both: refused, linger and keepalive to rdl-b over the
# veth; refused and unread to 127.0.0.1 over loopback.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=$(cd "$HERE/.." && pwd)
PY=python3
WORK=$(mktemp -d)
PIDS=()
cleanup() {
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
	ip netns del rdl-a 2>/dev/null || true
	ip netns del rdl-b 2>/dev/null || true
	rm -rf "$WORK"
}
trap cleanup EXIT
waitfile() {
	for _ in $(seq 200); do [[ -e $1 ]] && return 0; sleep 0.05; done
	echo "timeout waiting for $1" >&2
	exit 1
}

for n in rdl-a rdl-b; do
	ip netns del "$n" 2>/dev/null || true
	ip netns add "$n"
	ip -n "$n" link set lo up
done
ip link add rdl-av netns rdl-a type veth peer name rdl-bv netns rdl-b
ip -n rdl-a addr add 10.79.0.1/24 dev rdl-av
ip -n rdl-b addr add 10.79.0.2/24 dev rdl-bv
ip -n rdl-a link set rdl-av up
ip -n rdl-b link set rdl-bv up

for n in rdl-a rdl-b; do
	ip netns exec "$n" "$PY" "$HERE/traffic.py" server --ready "$WORK/$n.ready" &
	PIDS+=($!)
	waitfile "$WORK/$n.ready"
done

rm -f "$OUT/two-linktypes.pcapng"
ip netns exec rdl-a dumpcap -q -i any -f "tcp and net 10.79.0.0/24" -i lo -f "tcp and host 127.0.0.1" \
	-w "$WORK/cap.pcapng" >"$WORK/dumpcap.log" 2>&1 &
DUMPCAP=$!
for _ in $(seq 100); do grep -q "Capturing on" "$WORK/dumpcap.log" && break; sleep 0.05; done
sleep 1

ip netns exec rdl-a "$PY" "$HERE/traffic.py" client --dst4 10.79.0.2 --scen4 refused,linger,keepalive
ip netns exec rdl-a "$PY" "$HERE/traffic.py" client --dst4 127.0.0.1 --scen4 refused,unread

sleep 1
kill -TERM "$DUMPCAP"
wait "$DUMPCAP" || true
cp "$WORK/cap.pcapng" "$OUT/two-linktypes.pcapng"
capinfos -T -I "$OUT/two-linktypes.pcapng" 2>/dev/null | sed -n '1,3p' || true
echo "RSTs (tshark):"
tshark -n -r "$OUT/two-linktypes.pcapng" -Y "tcp.flags.reset==1" \
	-T fields -e frame.number -e frame.interface_id -e ip.src -e tcp.srcport 2>/dev/null
