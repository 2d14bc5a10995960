#!/bin/sh
# N processes on this machine, each reading every capture and analysing the
# connections of its shard; then one stream. Exact: the merged output is
# what one `rstdiag --json CAPTURE...` writes (docs/scaling.md).
#
#   shard-all.sh N OUT.jsonl CAPTURE...
#
# With GNU parallel installed it runs the shards with it, else with xargs -P.
set -eu
n=$1 out=$2
shift 2
rstdiag=${RSTDIAG:-rstdiag}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf '%s\0' "$@" > "$tmp/captures"       # names with spaces stay whole
each="xargs -0 $rstdiag --json --shard {}/$n < $tmp/captures > $tmp/shard-{}.jsonl"
if parallel --version 2>/dev/null | grep -q 'GNU parallel'; then
	seq 0 $((n - 1)) | parallel -j "$n" --halt now,fail=1 "$each"
else
	seq 0 $((n - 1)) | xargs -P "$n" -I{} sh -c "$each"
fi
"$rstdiag" --merge "$tmp"/shard-*.jsonl > "$out"
