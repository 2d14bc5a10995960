#!/usr/bin/env python3
"""Cross-check with Wireshark: on every capture in testdata/ (and below),
rstdiag must list exactly the RST frames tshark lists, with the same frame
numbers. On the damaged captures of testdata/malformed/, MANIFEST.json's
"tshark" rule says how far tshark is a reference: "all" and {"upto": N}
(the frames up to N) name RSTs rstdiag must report, "none" says tshark
finds no TCP at all.

    tshark_check.py RSTDIAG TESTDATA            fast: the committed lists
    tshark_check.py --tshark RSTDIAG TESTDATA   slow: tshark runs now

tshark's answer for each capture is committed beside it (tests/tshark.py),
and every capture must have one. The slow form (meson suite `tshark`) runs
tshark on each capture, fails where its answer is not the committed one
(a capture changed, or tshark did), and checks rstdiag against that answer.
"""
import concurrent.futures
import json
import os
import shutil
import subprocess
import sys

import tshark


def rstdiag_frames(rstdiag, path):
    p = subprocess.run([rstdiag, "--json", path], capture_output=True, text=True, timeout=120)
    recs = [json.loads(l) for l in p.stdout.splitlines() if l.strip()]
    return [r["frame"] for r in recs if r["type"] == "reset"], p.returncode


def malformed_rules(testdata):
    d = os.path.join(testdata, "malformed")
    with open(os.path.join(d, "MANIFEST.json")) as f:
        return {os.path.join(d, m["file"]): (m["tshark"], m["status"]) for m in json.load(f)}


def compare(want, got, status, rule):
    """What is wrong with rstdiag's frames against tshark's, or None."""
    if rule is None:
        if status not in (0, 3):    # 3: damaged, reported up to the damage
            return f"exit {status}"
        return None if got == want else f"tshark {want}, rstdiag {got}"
    tshark_rule, manifest_status = rule
    if tshark_rule == "none":
        return None if not want else f"tshark was expected to find no TCP: {want}"
    if status != manifest_status:
        return f"exit {status}, MANIFEST.json says {manifest_status}"
    upto = tshark_rule["upto"] if isinstance(tshark_rule, dict) else None
    missed = sorted({f for f in want if upto is None or f <= upto} - set(got))
    return None if not missed else (f"RSTs tshark sees but rstdiag does not report: {missed} "
                                    f"(tshark {want}, rstdiag {got})")


def main():
    args = sys.argv[1:]
    run_tshark = args[:1] == ["--tshark"]
    rstdiag, testdata = args[-2], args[-1]
    if run_tshark and not shutil.which("tshark"):
        print("tshark is not installed (bash .ci/setup --test installs it): skipped")
        return 77
    files = tshark.captures(testdata)
    rules = malformed_rules(testdata)
    committed = {path: tshark.committed_frames(path) for path in files}
    if run_tshark:
        # Two at a time: tshark spends most of its 0.8 s starting up.
        with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count()) as pool:
            fresh = dict(zip(files, pool.map(tshark.reset_frames, files)))
    failed = 0
    for path in files:
        name = os.path.relpath(path, testdata)
        problems = []
        want = committed[path]
        if want is None:
            problems.append(f"no {os.path.basename(tshark.list_path(path))}: "
                            "write it with tests/tshark.py --write")
        if run_tshark:
            if want is not None and fresh[path] != want:
                problems.append(f"tshark now lists {fresh[path]}, the committed list {want}")
            want = fresh[path]
        if want is not None:
            got, status = rstdiag_frames(rstdiag, path)
            problem = compare(want, got, status, rules.get(path))
            if problem:
                problems.append(problem)
        if problems:
            failed += 1
            print(f"FAIL {name}: " + "; ".join(problems))
        else:
            print(f"ok   {name}: {len(want)} RSTs")
    orphans = sorted(p for p in tshark.lists(testdata)
                     if p[:-len(".rst-frames")] not in committed)
    for p in orphans:
        failed += 1
        print(f"FAIL {os.path.relpath(p, testdata)}: a list without its capture")
    print(f"tshark cross-check{' (tshark run now)' if run_tshark else ''}: {len(files)} captures, "
          f"{failed} failed")
    return 1 if failed or not files else 0


if __name__ == "__main__":
    sys.exit(main())
