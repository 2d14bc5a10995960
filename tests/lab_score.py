#!/usr/bin/env python3
"""Scores rstdiag against the lab's labels (testdata/lab/labels.json).

For every labelled RST, rstdiag's --json cause must equal the label's
cause or one of its alternatives. Prints per-cause counts and every miss.
Fails if:
  - rstdiag does not report exactly the labelled RST frames of a capture
    (every RST is labelled, and every RST must get a record), or
  - accuracy falls below testdata/lab/accuracy-floor. The floor starts at
    what the tool achieved when it was set and is only ever raised, or
  - a RST whose cause is right gets the wrong detail (race / ignored-fin,
    probe): details are few and exact, so none may be wrong.
"""
import collections
import json
import os
import subprocess
import sys


def main():
    rstdiag, labdir = sys.argv[1], sys.argv[2]
    labels = json.load(open(os.path.join(labdir, "labels.json")))["captures"]
    floor = float(open(os.path.join(labdir, "accuracy-floor")).read().split()[0])
    per_cause = collections.defaultdict(lambda: [0, 0])
    misses, broken = [], []
    total = correct = detail_total = detail_ok = 0
    for cap in labels:
        path = os.path.join(labdir, cap["file"])
        p = subprocess.run([rstdiag, "--json", path], capture_output=True, text=True, timeout=120)
        recs = {r["frame"]: r for r in map(json.loads, p.stdout.splitlines()) if r["type"] == "reset"}
        want = [r["frame"] for r in cap["resets"]]
        if p.returncode != 0 or sorted(recs) != want:
            broken.append(f"{cap['file']}: exit {p.returncode}, rstdiag frames {sorted(recs)}, "
                          f"labelled {want}")
            continue
        for lab in cap["resets"]:
            got = recs[lab["frame"]]["cause"]
            ok = got == lab["cause"] or got in lab["alternatives"]
            total += 1
            correct += ok
            per_cause[lab["cause"]][0] += 1
            per_cause[lab["cause"]][1] += ok
            if ok and lab["detail"] and got == lab["cause"]:
                detail_total += 1
                got_detail = recs[lab["frame"]].get("detail")
                detail_ok += got_detail == lab["detail"]
                if got_detail != lab["detail"]:
                    misses.append(f"{cap['file']} #{lab['frame']}: detail {got_detail}, "
                                  f"labelled {lab['detail']}")
            if not ok:
                misses.append(f"{cap['file']} #{lab['frame']}: labelled {lab['cause']}"
                              f"{'/' + lab['detail'] if lab['detail'] else ''}, rstdiag says {got}")
    print(f"{'cause':22} labelled correct")
    for cause in sorted(per_cause):
        n, ok = per_cause[cause]
        print(f"{cause:22} {n:8} {ok:7}")
    for m in misses:
        print("miss:", m)
    for b in broken:
        print("BROKEN:", b)
    acc = correct / total if total else 0.0
    print(f"lab accuracy: {correct}/{total} = {acc:.3f} (floor {floor:.3f}) "
          f"over {len(labels)} captures; details {detail_ok}/{detail_total}")
    if acc > floor + 0.005:
        print(f"note: accuracy is above the floor; raise testdata/lab/accuracy-floor to {acc:.3f}")
    if broken or total == 0 or acc + 1e-9 < floor or detail_ok < detail_total:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
