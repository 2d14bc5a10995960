#!/usr/bin/env python3
"""Regenerates the whole lab (as root, in fresh network namespaces) and
checks that the new run labels every capture as the committed set does:
the same RSTs in the same order, with the same senders, causes, details,
origins and kernel reasons. Frame numbers, ports and timings may differ.
Four scenarios run at a time (lab.py --jobs 4), in address blocks 91 to 94:
they spend their time waiting on timers, not on the cores (2 on the CI
machine: 77 s instead of 280 s one at a time, the labels the same in 3
runs of 3).
Skipped (exit 77) where namespaces or tracefs cannot be used.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

SKIP = 77


def signature(cap):
    return [(r["sender"], r["cause"], r["detail"], tuple(r["alternatives"]), r["origin"],
             r["kernel"]["reason"] if r["kernel"] else None) for r in cap["resets"]]


def main():
    labdir = sys.argv[1]
    if os.geteuid() != 0:
        print("not root: cannot make network namespaces; skipped")
        return SKIP
    for tool in ("ip", "tcpdump", "dumpcap", "nft"):
        if not shutil.which(tool):
            print(f"{tool} missing; skipped")
            return SKIP
    probe = subprocess.run(["ip", "netns", "add", "rstdiag-probe"], capture_output=True)
    if probe.returncode != 0:
        print("cannot create network namespaces here; skipped")
        return SKIP
    subprocess.run(["ip", "netns", "del", "rstdiag-probe"])
    out = tempfile.mkdtemp(prefix="rstdiag-labregen-")
    try:
        p = subprocess.run([sys.executable, os.path.join(labdir, "lab.py"), "--out", out,
                            "--net", "91", "--jobs", "4"], capture_output=True, text=True, timeout=1200)
        print(p.stdout, p.stderr)
        committed = {c["scenario"]: c for c in json.load(open(os.path.join(labdir, "labels.json")))["captures"]}
        fresh = {c["scenario"]: c for c in json.load(open(os.path.join(out, "labels.json")))["captures"]}
    finally:
        shutil.rmtree(out, ignore_errors=True)
    failed = 0 if p.returncode == 0 else 1
    for name in sorted(set(committed) | set(fresh)):
        a, b = committed.get(name), fresh.get(name)
        if a is None or b is None:
            failed += 1
            print(f"FAIL {name}: {'not regenerated' if b is None else 'not committed'}")
        elif signature(a) != signature(b):
            failed += 1
            print(f"FAIL {name}: committed {signature(a)}\n     regenerated {signature(b)}")
        else:
            print(f"ok   {name}: {len(signature(a))} resets")
    print(f"lab regeneration: {len(committed)} scenarios, {failed} differ")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
