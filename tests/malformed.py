#!/usr/bin/env python3
"""Damaged captures (testdata/malformed/, issue 8): on each, rstdiag must
not crash, must exit with the documented status, must name the damage in
the JSON summary's warnings (and in the text report's notes), must report
exactly the RSTs the scenario put there, and must write only well-formed
"rstdiag: ..." lines on stderr. (Every RST Wireshark sees in them is
checked by tests/tshark_check.py, from the lists beside them.)

The expectations are in testdata/malformed/MANIFEST.json, written by
testdata/malformed/make.py from each scenario's design; this test also
regenerates the corpus in a temporary directory and checks that the
committed files are what the script writes.

    tests/malformed.py BUILD/rstdiag testdata

rstdiag runs under RSTDIAG_WRAPPER when it is set (meson test --setup valgrind).
"""
import filecmp
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

import checks
from checks import failures
from wrapper import rstdiag_command


def check(name, cond, detail=""):
    """Failures only: each input makes dozens of checks."""
    return checks.check(name, cond, detail, quiet=True)


def stderr_problems(stderr, status):
    lines = stderr.splitlines()
    bad = [l for l in lines if not re.match(r"^rstdiag: \S.*\S$", l)]
    if bad:
        return f"lines not of the form 'rstdiag: ...': {bad!r}"
    if status == 1 and len(lines) != 1:
        return f"exit 1 but {len(lines)} stderr lines: {lines!r}"
    if status == 3 and not any("the report covers the frames before it" in l for l in lines):
        return f"exit 3 without the damage line: {lines!r}"
    return None


def check_input(rstdiag, d, m):
    name, path = m["file"], os.path.join(d, m["file"])
    try:
        p = subprocess.run(rstdiag_command(rstdiag) + ["--json", path], capture_output=True,
                           timeout=600)
    except subprocess.TimeoutExpired:
        return check(name, False, "no answer within 600 s (a hang)")
    stderr = p.stderr.decode(errors="replace")
    if not check(name, p.returncode >= 0, f"killed by signal {-p.returncode}: {stderr[-2000:]}"):
        return False
    ok = check(name, p.returncode == m["status"],
               f"exit {p.returncode}, expected {m['status']}: {stderr!r}")
    prob = stderr_problems(stderr, p.returncode)
    ok &= check(name, prob is None, prob)

    reported = []
    if m["status"] != 1:
        try:
            recs = [json.loads(l) for l in p.stdout.decode().splitlines()]
        except ValueError as e:
            return check(name, False, f"stdout is not JSON Lines: {e}")
        if not check(name, recs and recs[-1]["type"] == "summary", "no summary line"):
            return False
        reported = [r["frame"] for r in recs if r["type"] == "reset"]
        ok &= check(name, reported == m["resets"],
                    f"resets reported {reported}, the design has {m['resets']}")
        warned = {w["name"]: w["count"] for w in recs[-1]["warnings"]}
        for w in m["warnings"]:
            ok &= check(name, warned.get(w, 0) > 0, f"warning {w} missing: {warned}")
        ok &= check(name, recs[-1]["resets"] == len(reported),
                    f"summary counts {recs[-1]['resets']} resets, {len(reported)} reported")
        for key, want in m.get("summary", {}).items():
            got = recs[-1].get(key)
            if isinstance(want, dict):
                got = {k: (got or {}).get(k) for k in want}
            ok &= check(name, got == want, f"summary {key} is {got}, expected {want}")

        # The text report names the same warnings in its notes.
        t = subprocess.run(rstdiag_command(rstdiag) + [path], capture_output=True, timeout=600,
                           env=dict(os.environ, NO_COLOR="1"))
        text = t.stdout.decode(errors="replace")
        ok &= check(name, t.returncode == m["status"], f"text report: exit {t.returncode}")
        for w in m["warnings"]:
            ok &= check(name, re.search(r"^  warning " + w + r" \(\d+x\): ", text, re.M),
                        f"text report lacks 'warning {w}': {text[-1500:]!r}")

    if ok:
        print(f"ok   {name}: exit {p.returncode}, resets {reported}")
    return ok


def main():
    rstdiag, testdata = sys.argv[1], sys.argv[2]
    d = os.path.join(testdata, "malformed")
    manifest = json.load(open(os.path.join(d, "MANIFEST.json")))

    # The committed corpus is what make.py writes.
    tmp = tempfile.mkdtemp(prefix="rstdiag-malformed-")
    try:
        subprocess.run([sys.executable, os.path.join(d, "make.py"), tmp], check=True,
                       stdout=subprocess.DEVNULL, timeout=60)
        names = sorted(f for f in os.listdir(tmp))
        # The .rst-frames lists are tshark's (tests/tshark.py), not make.py's.
        committed = sorted(f for f in os.listdir(d)
                           if f != "make.py" and not f.endswith(".rst-frames"))
        check("corpus files", names == committed, f"make.py writes {names}, found {committed}")
        _, mismatch, errors = filecmp.cmpfiles(tmp, d, names, shallow=False)
        check("corpus up to date", not mismatch and not errors,
              f"differ from make.py's output: {mismatch + errors} (run make.py and commit)")
    finally:
        shutil.rmtree(tmp)

    listed = {m["file"] for m in manifest}
    on_disk = {f for f in os.listdir(d) if f.endswith((".pcap", ".pcapng"))}
    check("manifest lists every input", listed == on_disk, sorted(listed ^ on_disk))

    for m in manifest:
        check_input(rstdiag, d, m)
    print(f"malformed: {len(manifest)} inputs, {checks.ran} checks, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
