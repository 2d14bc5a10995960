#!/usr/bin/env python3
"""--interleave reads several files as the one capture mergecap makes of them.

Each capture given is split into two files, its packets dealt alternately
(the harshest interleaving: every packet comes from the other file than
the one before), as two capture points would each see part of the
traffic. `rstdiag --json --interleave A B` must give the same verdicts as
`rstdiag --json` on `mergecap -w M A B`: the same resets, each with the
same cause, detail, confidence, origin, sender, measurements, evidence
and words: with --interleave every frame number and relative time is
M's, as Wireshark shows M. Only a record's file and its own number
there (file_frame) differ, and they must name the packet M numbers.
Then a ring buffer's files (consecutive, not overlapping) read with
--interleave give exactly what reading them in order gives.

usage: interleave.py RSTDIAG MERGECAP CAPTURE_OR_DIR...
"""
import glob
import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fuzz"))
import pcapio  # noqa: E402

import checks  # noqa: E402
from checks import check, failures  # noqa: E402
from wrapper import rstdiag_command  # noqa: E402



def run_json(rstdiag, args):
    r = subprocess.run(rstdiag_command(rstdiag) + ["--json"] + args, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=300)
    lines = r.stdout.decode().splitlines()
    return r.returncode, [json.loads(line) for line in lines]


def split_and_compare(rstdiag, mergecap, cap, tmp):
    records = pcapio.read(cap)
    if len({r.linktype for r in records}) != 1 or len(records) < 4:
        return False
    name = os.path.basename(cap)
    a, b = os.path.join(tmp, "a.pcap"), os.path.join(tmp, "b.pcap")
    parts = (records[0::2], records[1::2])
    for path, part in zip((a, b), parts):
        with open(path, "wb") as f:
            f.write(pcapio.pcap(part, nano=True))
    merged = os.path.join(tmp, "m.pcapng")
    subprocess.run([mergecap, "-w", merged, a, b], check=True)
    # Each packet of the merged file is the next one of A or B: mergecap
    # takes the oldest, the first file's on equal times.
    mrecs = pcapio.read(merged)
    to_merged, pos = {}, {a: 0, b: 0}
    for i, r in enumerate(mrecs, 1):
        for path, part in zip((a, b), parts):
            k = pos[path]
            if k < len(part) and part[k].ts_ns == r.ts_ns and part[k].data == r.data:
                to_merged[(path, k + 1)] = i
                pos[path] += 1
                break
    st_i, inter = run_json(rstdiag, ["--interleave", a, b])
    st_m, whole = run_json(rstdiag, [merged])
    # Each record's own file and number there name the merged frame it gives.
    own = [to_merged.get((a if o["file"] == a else b, o["file_frame"])) == o["frame"]
           for o in inter if o["type"] == "reset"]
    check(f"{name}: each record's file and file_frame are its merged frame's", all(own),
          f"{own.count(False)} not", quiet=True)
    strip = lambda o: {k: v for k, v in o.items() if k not in ("file", "file_frame")}
    ri = [strip(o) for o in inter if o["type"] == "reset"]
    rm = [strip(o) for o in whole if o["type"] == "reset"]
    same = ri == rm and st_i == st_m
    detail = ""
    if not same:
        for x, y in zip(ri, rm):
            if x != y:
                keys = [k for k in x if x.get(k) != y.get(k)]
                detail = f"frame {y.get('frame')}: {keys[:4]} {[x.get(k) for k in keys[:2]]} " \
                         f"vs {[y.get(k) for k in keys[:2]]}"
                break
        detail = detail or f"{len(ri)} resets against {len(rm)}; exit {st_i} against {st_m}"
    check(f"{name}: dealt into 2 files, --interleave = mergecap'd ({len(rm)} resets)", same,
          detail, quiet=True)
    # The summary's counts: one capture's.
    si, sm = inter[-1], whole[-1]
    keys = ("packets", "tcp_packets", "flows", "resets", "by_cause", "duplicates")
    check(f"{name}: summary counts as mergecap'd", all(si[k] == sm[k] for k in keys),
          str([(k, si[k], sm[k]) for k in keys if si[k] != sm[k]]), quiet=True)
    return True


def ring_in_order(rstdiag, cap, tmp):
    """A ring buffer's files: --interleave changes nothing."""
    records = pcapio.read(cap)
    third = len(records) // 3
    paths = []
    for i, part in enumerate((records[:third], records[third:2 * third], records[2 * third:])):
        path = os.path.join(tmp, f"ring{i}.pcap")
        with open(path, "wb") as f:
            f.write(pcapio.pcap(part, nano=True))
        paths.append(path)
    verdict = ("file", "cause", "detail", "confidence", "origin", "sender", "ts", "seq", "ack",
               "idle_before_s", "rtt_s", "max_gap_s", "alternatives")
    st_p, plain = run_json(rstdiag, paths)
    st_i, inter = run_json(rstdiag, ["--interleave"] + paths)
    a = [dict({k: o[k] for k in verdict}, at=o["frame"]) for o in plain if o["type"] == "reset"]
    b = [dict({k: o[k] for k in verdict}, at=o["file_frame"]) for o in inter if o["type"] == "reset"]
    check(f"{os.path.basename(cap)}: ring of 3 files, --interleave = in order ({len(a)} resets)",
          a == b and st_p == st_i and plain[-1]["by_cause"] == inter[-1]["by_cause"], "differ")


def main():
    rstdiag, mergecap = sys.argv[1], sys.argv[2]
    caps = []
    for p in sys.argv[3:]:
        caps += sorted(glob.glob(os.path.join(p, "*.pcap"))) if os.path.isdir(p) else [p]
    n = 0
    with tempfile.TemporaryDirectory(prefix="rstdiag-interleave-") as tmp:
        for cap in caps:
            n += split_and_compare(rstdiag, mergecap, cap, tmp)
        ring_in_order(rstdiag, max(caps, key=os.path.getsize), tmp)
    print(f"interleave: {n} captures split, {checks.ran} checks, {len(failures)} failed")
    return 1 if failures or n < 1 else 0


if __name__ == "__main__":
    sys.exit(main())
