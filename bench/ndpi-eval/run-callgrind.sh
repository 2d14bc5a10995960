#!/bin/sh
# Instruction counts (callgrind) for each variant on the synthetic capture and
# the corpus. Per-packet cost = inclusive cost of run_file / packets
# (run_file = read + decode + flow lookup + variant + end-of-file flush; init
# and exit are outside it). Summaries: ./summarize.sh
# Usage: run-callgrind.sh GEN.pcap CORPUS_DIR [RSTDIAG]
#   GEN.pcap: bench/gencap -n 200000 -c 2000 -o GEN.pcap (the bench's capture)
#   CORPUS_DIR: ../shared/corpus beside the checkout
set -e
G=$(realpath "$1")
C=$(ls "$(realpath "$2")"/ndpi/* "$(realpath "$2")"/arkime/*)
R=${3:+$(realpath "$3")}
cd "$(dirname "$0")"
mkdir -p cg
run() { name=$1; shift; valgrind --tool=callgrind --callgrind-out-file=cg/$name.out "$@" > cg/$name.log 2>&1; }
for set in gen corpus; do
  if [ $set = gen ]; then F=$G; else F=$C; fi
  run $set-bare   ./ndpieval -m bare $F &
  run $set-ndpi   ./ndpieval -m ndpi -n 32 $F
  wait
  run $set-ndpiL  ./ndpieval -m ndpi -n 32 -L $F &
  run $set-ndpix  ./ndpieval -m ndpi -n 32 -x $F
  wait
  run $set-tls    ./ndpieval -m tls $F &
  run $set-tlsR   ./ndpieval -m tls -R $F
  wait
done
run init ./ndpieval -m init
# rstdiag itself on the synthetic capture, for scale (its release build, not modified)
if [ -n "$R" ]; then
  valgrind --tool=callgrind --callgrind-out-file=cg/rstdiag-gen.out "$R" $G > cg/rstdiag-gen.log 2>&1 || true
fi
