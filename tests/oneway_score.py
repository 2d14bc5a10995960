#!/usr/bin/env python3
"""One-way captures of the labelled RSTs: what rstdiag says with one side only.

Real captures often hold one direction: asymmetric routing past a tap, one
direction of a SPAN session, `tcpdump src host`, `-Q out`. For every RST of
the lab, the hand-built set and the hold-outs whose label is no follow-up,
the capture is cut with tshark to the frames its sender's address sent
(`-2 -R ip.src==A`), and rstdiag's verdict for that RST (now at the frame
number it has in the cut) is read against the label the kernel's own
reason gave:

- right: the label's cause or one of its alternatives;
- runner-up: another cause, naming the label's as its runner-up;
- unknown: rstdiag says what would decide;
- wrong: another cause, the label's not named.

With the peer unseen less is decidable, so unknown is no failure; a wrong
cause is, beyond the floor. Fails when fewer are right, or more are wrong
(or any wrong one is high), than testdata/oneway-floor allows. A floor is
set at what the tool achieved and only ever tightened.

usage: oneway_score.py RSTDIAG TESTDATA
"""
import json
import os
import subprocess
import sys
import tempfile

from metamorphic import verdicts   # frame -> rstdiag's --json record

DIRS = ["lab", "built"] + ["holdout" + s for s in ("", "2", "3", "4", "5", "6", "7", "8", "9",
                                                     "10")]


def sources(path):
    """frame number -> its IP source address (the innermost, as tshark
    lists several for a tunnel: the last)."""
    out = subprocess.run(["tshark", "-r", path, "-T", "fields", "-e", "frame.number",
                          "-e", "ip.src", "-e", "ipv6.src"],
                         capture_output=True, text=True, check=False).stdout
    src = {}
    for line in out.splitlines():
        cols = line.split("\t")
        addrs = [c for c in cols[1:] if c]
        if addrs:
            src[int(cols[0])] = addrs[0].split(",")[-1]
    return src


def main():
    rstdiag, testdata = os.path.abspath(sys.argv[1]), sys.argv[2]
    floor = {}
    with open(os.path.join(testdata, "oneway-floor")) as f:
        for line in f:
            if line.strip() and not line.startswith("#"):
                k, v = line.split()
                floor[k] = int(v)
    counts = {"right": 0, "runner-up": 0, "unknown": 0, "wrong": 0}
    wrong_high = []
    with tempfile.TemporaryDirectory() as tmp:
        for d in DIRS:
            labels = os.path.join(testdata, d, "labels.json")
            if not os.path.exists(labels):
                continue
            for cap in json.load(open(labels))["captures"]:
                path = os.path.join(testdata, d, cap["file"])
                resets = [r for r in cap["resets"] if r["cause"] != "reset-followup"]
                if not resets:
                    continue
                src = sources(path)
                cuts = {}   # address -> (cut's verdicts, its frame numbers)
                for r in resets:
                    a = src.get(r["frame"])
                    if a is None:
                        continue
                    if a not in cuts:
                        cut = os.path.join(tmp, "cut.pcapng")
                        key = "ipv6.src" if ":" in a else "ip.src"
                        subprocess.run(["tshark", "-r", path, "-2", "-R", f"{key}=={a}",
                                        "-w", cut], capture_output=True, check=False)
                        kept = sorted(n for n, s in src.items() if s == a)
                        cuts[a] = (verdicts(rstdiag, cut), kept)
                    recs, kept = cuts[a]
                    got = recs.get(kept.index(r["frame"]) + 1)
                    what = f"{d}/{cap['file']} frame {r['frame']}: label {r['cause']}"
                    if got is None:
                        print(f"FAIL {what}: no record in the cut")
                        counts["wrong"] += 1
                        continue
                    alts = [x["cause"] for x in got.get("alternatives") or []]
                    if got["cause"] == r["cause"] or got["cause"] in r.get("alternatives", []):
                        k = "right"
                    elif got["cause"] == "unknown":
                        k = "unknown"
                    elif r["cause"] in alts:
                        k = "runner-up"
                    else:
                        k = "wrong"
                        print(f"wrong {what}, one-way {got['cause']} ({got['confidence']})")
                        if got["confidence"] == "high":
                            wrong_high.append(what)
                    counts[k] += 1
    total = sum(counts.values())
    print(f"one-way: {total} RSTs: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    failed = 0
    if counts["right"] < floor.get("right", 0):
        print(f"FAIL right {counts['right']} below the floor {floor['right']}")
        failed = 1
    if counts["wrong"] > floor.get("wrong", 0):
        print(f"FAIL wrong {counts['wrong']} above the floor {floor['wrong']}")
        failed = 1
    if len(wrong_high) > floor.get("wrong-high", 0):
        print(f"FAIL {len(wrong_high)} wrong at high, the floor {floor.get('wrong-high', 0)}")
        failed = 1
    return failed


if __name__ == "__main__":
    sys.exit(main())
