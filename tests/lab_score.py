#!/usr/bin/env python3
"""Scores rstdiag against the lab's labels (testdata/lab/labels.json).

Three fields of each labelled RST are scored: the cause (rstdiag's --json
cause must equal the label's or one of its alternatives), the sender
(client or server) and the origin (endpoint or middlebox; rstdiag's
"unknown" is counted apart, and is not right). Prints per-cause counts,
each field's accuracy and every miss. Fails if:
  - rstdiag does not report exactly the labelled RST frames of a capture
    (every RST is labelled, and every RST must get a record), or
  - a field's accuracy falls below its floor in testdata/lab/accuracy-floor.
    A floor starts at what the tool achieved when it was set and is only
    ever raised, or
  - a RST whose cause is right gets the wrong detail (race / ignored-fin,
    probe): details are few and exact, so none may be wrong.
"""
import collections
import json
import os
import subprocess
import sys

FIELDS = ("cause", "sender", "origin")

def main():
    rstdiag, labdir = sys.argv[1], sys.argv[2]
    labels = json.load(open(os.path.join(labdir, "labels.json")))["captures"]
    with open(os.path.join(labdir, "accuracy-floor")) as f:
        floors = {field: float(v) for field, v in
                  (l.split()[:2] for l in f if l.strip() and not l.startswith("#"))}
    per_cause = collections.defaultdict(lambda: [0, 0])
    misses, broken = [], []
    total = detail_total = detail_ok = 0
    correct = dict.fromkeys(FIELDS, 0)
    unknown = {"sender": 0, "origin": 0}   # rstdiag could not tell
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
            rec = recs[lab["frame"]]
            total += 1
            for field in ("sender", "origin"):
                correct[field] += rec[field] == lab[field]
                unknown[field] += rec[field] == "unknown"
                if rec[field] != lab[field]:
                    misses.append(f"{cap['file']} #{lab['frame']}: {field} labelled "
                                  f"{lab[field]}, rstdiag says {rec[field]}")
            got = rec["cause"]
            ok = got == lab["cause"] or got in lab["alternatives"]
            correct["cause"] += ok
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
    below = []
    for field in FIELDS:
        acc = correct[field] / total if total else 0.0
        floor = floors.get(field)
        said = f", rstdiag said unknown {unknown[field]}" if field in unknown else ""
        print(f"lab {field} accuracy: {correct[field]}/{total} = {acc:.3f} (floor "
              f"{'none' if floor is None else f'{floor:.3f}'}{said}) over {len(labels)} captures")
        if floor is None or acc + 1e-9 < floor:
            below.append(field)
        elif acc > floor + 0.005:
            print(f"note: {field} accuracy is above its floor; raise it in "
                  f"testdata/lab/accuracy-floor to {acc:.3f}")
    print(f"details {detail_ok}/{detail_total}")
    if below:
        print(f"FAIL below the floor or without one: {below}")
    if broken or total == 0 or below or detail_ok < detail_total:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
