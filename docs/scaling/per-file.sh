#!/bin/sh
# One process per rotated file, as many at once as there are cores; then
# one stream. Fast and simple, but not exact: a connection that spans two
# files is cut in two, and a RST whose connection began in the previous
# file is judged without its start (docs/scaling.md).
#
#   per-file.sh OUT.jsonl CAPTURE...
set -eu
out=$1
shift
rstdiag=${RSTDIAG:-rstdiag}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
i=0
for f in "$@"; do
	i=$((i + 1))
	printf '%s\t%s\n' "$f" "$tmp/$i.jsonl"
done | xargs -P "$(nproc)" -L 1 sh -c "$rstdiag --json \"\$0\" > \"\$1\""
"$rstdiag" --merge "$tmp"/*.jsonl > "$out"
