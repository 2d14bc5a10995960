#!/usr/bin/env bash
# Writes testdata/nflog.pcap: real Linux NFLOG (tcpdump -i nflog:5), the
# packets an nftables "log group 5" rule hands to userspace, as
# `tcpdump -i nflog:N` users capture them. Run as root. In a namespace
# rdn-a, an nftables rule logs every TCP packet to and from namespace
# rdn-b; traffic.py makes refused, linger, unread and keepalive RSTs.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=$(cd "$HERE/.." && pwd)
WORK=$(mktemp -d)
PIDS=()
cleanup() {
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
	ip netns del rdn-a 2>/dev/null || true
	ip netns del rdn-b 2>/dev/null || true
	rm -rf "$WORK"
}
trap cleanup EXIT
for n in rdn-a rdn-b; do
	ip netns del "$n" 2>/dev/null || true
	ip netns add "$n"
	ip -n "$n" link set lo up
done
ip link add rdn-av netns rdn-a type veth peer name rdn-bv netns rdn-b
ip -n rdn-a addr add 10.79.1.1/24 dev rdn-av
ip -n rdn-b addr add 10.79.1.2/24 dev rdn-bv
ip -n rdn-a link set rdn-av up
ip -n rdn-b link set rdn-bv up
ip netns exec rdn-a nft -f - <<'NFT'
table inet rstdiag_log {
	chain in { type filter hook input priority 0; ip saddr 10.79.1.2 meta l4proto tcp log group 5; }
	chain out { type filter hook output priority 0; ip daddr 10.79.1.2 meta l4proto tcp log group 5; }
}
NFT
ip netns exec rdn-b python3 "$HERE/traffic.py" server --ready "$WORK/ready" &
PIDS+=($!)
for _ in $(seq 200); do [[ -e $WORK/ready ]] && break; sleep 0.05; done
ip netns exec rdn-a tcpdump -U -i nflog:5 -w "$WORK/nflog.pcap" >"$WORK/td.log" 2>&1 &
TD=$!
for _ in $(seq 100); do grep -q "listening on" "$WORK/td.log" && break; sleep 0.05; done
sleep 0.5
ip netns exec rdn-a python3 "$HERE/traffic.py" client --dst4 10.79.1.2 --scen4 refused,linger,unread,keepalive
sleep 1
kill -TERM "$TD"; wait "$TD" || true
cp "$WORK/nflog.pcap" "$OUT/nflog.pcap"
echo "RSTs (tshark):"
tshark -n -r "$OUT/nflog.pcap" -Y "tcp.flags.reset==1" -T fields -e frame.number -e ip.src -e tcp.srcport 2>/dev/null
