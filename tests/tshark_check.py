#!/usr/bin/env python3
"""Cross-check with Wireshark: on every capture in testdata/ (and below),
rstdiag must list exactly the RST frames that
`tshark -Y tcp.flags.reset==1` lists, with the same frame numbers.
Skipped (exit 77) when tshark is not installed; the test set-up installs it.
"""
import glob
import json
import os
import shutil
import subprocess
import sys

from tshark import reset_frames

SKIP = 77


def rstdiag_frames(rstdiag, path):
    p = subprocess.run([rstdiag, "--json", path], capture_output=True, text=True, timeout=120)
    recs = [json.loads(l) for l in p.stdout.splitlines() if l.strip()]
    return [r["frame"] for r in recs if r["type"] == "reset"], p.returncode


def main():
    rstdiag, testdata = sys.argv[1], sys.argv[2]
    if not shutil.which("tshark"):
        print("tshark not installed: skipped")
        return SKIP
    files = sorted(glob.glob(os.path.join(testdata, "**", "*.pcap"), recursive=True) +
                   glob.glob(os.path.join(testdata, "**", "*.pcapng"), recursive=True))
    failed = checked = 0
    for path in files:
        if os.path.relpath(path, testdata).startswith("malformed" + os.sep):
            continue   # damaged on purpose: tests/malformed.py checks them, with libpcap's limits
        want = reset_frames(path)
        got, status = rstdiag_frames(rstdiag, path)
        if status == 1:
            continue   # not a capture rstdiag can open (checked by the CLI tests)
        checked += 1
        name = os.path.relpath(path, testdata)
        if got != want:
            failed += 1
            print(f"FAIL {name}: tshark {want}, rstdiag {got}")
        else:
            print(f"ok   {name}: {len(got)} resets")
    print(f"tshark cross-check: {checked} captures, {failed} differ")
    return 1 if failed or checked == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
