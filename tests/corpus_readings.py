#!/usr/bin/env python3
"""rstdiag on captures nobody here made: ../shared/corpus/ (other projects'
test suites, read-only; their README says tests may read them there and
must not copy them).

Two checks:
  - RST parity: every RST tshark lists (tcp.flags.reset==1, ICMP quotes
    left out) gets a record at the same frame, nothing else does, and no
    file makes rstdiag crash or fail with an exit status above 1.
  - Expert readings: testdata/corpus/readings.jsonl holds RSTs read in
    tshark by an engineer working from the wire and TAXONOMY.md alone,
    never from rstdiag's explanations (issue 19's corpus readings, then a
    second round over the captures the first had not read and a third
    over the RSTs still unread that are not follow-ups, whose lines also
    name the reader's runner-up), each with the cause the reader
    decided and why; "cause": null where the reader could not tell.
    A reading a later reader decided otherwise on the wire keeps the
    first's words and says why in "revised". rstdiag agrees when its cause is the reader's,
    or its verdict names the reader's cause as the runner-up
    (alternatives). A reading that also has "detail" (null: none, such
    as a linger-abort that is no probe) agrees only with that detail. The share that agrees must not fall below the floor in
    testdata/corpus/agreement-floor, which is only ever raised; every
    disagreement is printed with the reader's reasoning.

Usage: corpus_readings.py RSTDIAG TESTDATA [CORPUS]
CORPUS defaults to ../shared/corpus beside the checkout; without it the
test is skipped (exit 77), as on a machine without the shared folder.
"""
import json
import os
import subprocess
import sys

import words_room

SKIP = 77


def tshark_rsts(path):
    p = subprocess.run(["tshark", "-n", "-r", path, "-Y", "tcp.flags.reset==1 && !icmp && !icmpv6",
                        "-T", "fields", "-e", "frame.number"],
                       capture_output=True, text=True, timeout=300)
    return {int(x) for x in p.stdout.split()}


def main():
    rstdiag, testdata = sys.argv[1], sys.argv[2]
    root = os.path.dirname(os.path.abspath(os.path.join(testdata, "..")))
    corpus = sys.argv[3] if len(sys.argv) > 3 else os.path.join(root, "shared", "corpus")
    if not os.path.isdir(corpus):
        print(f"corpus_readings: no {corpus}: skipped")
        return SKIP
    readings = [json.loads(l) for l in open(os.path.join(testdata, "corpus", "readings.jsonl"))]
    with open(os.path.join(testdata, "corpus", "agreement-floor")) as f:
        floor = float(next(l for l in f if l.strip() and not l.startswith("#")).split()[0])

    files = sorted(os.path.relpath(os.path.join(d, n), corpus)
                   for d, _, names in os.walk(corpus) for n in names
                   if n.endswith((".pcap", ".pcapng", ".cap")))
    records, problems = {}, []
    room = words_room.rooms()
    for rel in files:
        path = os.path.join(corpus, rel)
        p = subprocess.run([rstdiag, "--json", path], capture_output=True, text=True, timeout=300)
        if p.returncode not in (0, 1) or p.returncode < 0:
            problems.append(f"{rel}: exit status {p.returncode}: {p.stderr.strip()[:200]}")
            continue
        got = {}
        for line in p.stdout.splitlines():
            r = json.loads(line)
            if r["type"] == "reset":
                got[r["frame"]] = r
        want = tshark_rsts(path)
        if set(got) != want:
            problems.append(f"{rel}: RST frames differ from tshark's: missing "
                            f"{sorted(want - set(got))[:10]}, extra {sorted(set(got) - want)[:10]}")
        for frame, r in got.items():
            records[(rel, frame)] = r
            for name in words_room.cut_texts(r, room):
                problems.append(f"{rel} frame {frame}: its {name} fills its buffer: cut")

    agree = decided = 0
    missing_reading = []
    for rd in readings:
        if rd["cause"] is None:
            continue
        decided += 1
        r = records.get((rd["file"], rd["frame"]))
        if r is None:
            missing_reading.append(f"{rd['file']} frame {rd['frame']}: no record")
            continue
        alternatives = {a["cause"] for a in r.get("alternatives", [])}
        detail_ok = "detail" not in rd or r.get("detail") == rd["detail"]
        if (r["cause"] == rd["cause"] or rd["cause"] in alternatives) and detail_ok:
            agree += 1
        else:
            print(f"disagree {rd['file']} frame {rd['frame']}: rstdiag {r['cause']} "
                  f"{r.get('detail') or ''} ({r['confidence']}), reader {rd['cause']} "
                  f"{rd.get('detail') or ''}: {rd['why']}")
    problems += missing_reading
    share = agree / decided if decided else 0.0
    print(f"corpus: {len(files)} captures, {len(records)} RSTs; readings: {agree} of "
          f"{decided} agree ({share:.3f}; floor {floor:.3f}), "
          f"{len(readings) - decided} the reader could not tell")
    if share < floor:
        problems.append(f"agreement {share:.3f} below the floor {floor:.3f}")
    elif share >= floor + 0.01:
        print(f"corpus_readings: the floor can rise to {share:.3f}")
    for p in problems:
        print("FAIL", p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
