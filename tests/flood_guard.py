#!/usr/bin/env python3
"""Instructions per packet on small floods, against a committed baseline.

Issue 22's guard: the flood path (connection creation, eviction, the
verdicts and their records) must not get slower unnoticed. Time is no
measure on a shared machine (its wall times drift by half), so this counts
instructions with valgrind's callgrind, which gives the same count for the
same binary and input whatever else the machine does.

Each capture comes from bench/gencap: the five flood shapes of the
benchmark (bench/bench.py) at about 20k packets, and ordinary traffic (the
benchmark's shape at 20k packets). rstdiag reads each in text and in
--json; its instructions on an empty capture (start-up and the summary)
are taken off (a capture of one SYN and its RST), and the rest divided by
the packets. A count more than 20 %
above bench/flood-instructions.json fails the test.

The counts belong to one build (compiler, build type, link-time
optimisation): the baseline records those and the test fails, saying so,
on another. After an intended change: flood_guard.py BUILD_DIR --update.

usage: flood_guard.py BUILD_DIR [--update]
"""
import json
import os
import re
import subprocess
import sys
import tempfile

from checks import check, failures

BASELINE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "bench",
                        "flood-instructions.json")
TOLERANCE = 1.20

# name, gencap arguments, packets the capture holds (gencap.c, flood())
SHAPES = [
    ("syn", ["-f", "syn", "-n", "20000"], 20001),
    ("syn-rst", ["-f", "syn-rst", "-n", "18000"], 19800),
    ("scan", ["-f", "scan", "-n", "10000"], 20000),
    ("half-open", ["-f", "half-open", "-n", "4000"], 20001),
    ("reset-storm", ["-f", "reset-storm", "-n", "3400"], 20400),
    ("ordinary", ["-n", "20000", "-c", "200"], 20000),
]
MODES = [("text", []), ("json", ["--json"])]


def build_identity(build):
    """What the counts depend on: the compiler and how rstdiag was built."""
    with open(os.path.join(build, "meson-info", "intro-buildoptions.json")) as f:
        opts = {o["name"]: o["value"] for o in json.load(f)}
    cc = subprocess.run(["cc", "--version"], capture_output=True, text=True).stdout.split("\n")[0]
    return {"compiler": cc, "buildtype": opts.get("buildtype"), "b_lto": opts.get("b_lto")}


# The same environment for every count: meson test sets MALLOC_PERTURB_,
# which has glibc fill each allocation (the flow slabs among them), and the
# locale picks the report's characters.
ENV = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LC_ALL": "C"}


def instructions(rstdiag, args, path):
    r = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null",
                        rstdiag] + args + [path], stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE, text=True, env=ENV)
    m = re.search(r"Collected : (\d+)", r.stderr)
    if not m:
        raise SystemExit(f"flood_guard: no count from callgrind for {path}: {r.stderr[-300:]}")
    return int(m.group(1))


def main():
    build = sys.argv[1]
    update = "--update" in sys.argv[2:]
    rstdiag = os.path.join(build, "rstdiag")
    gencap = os.path.join(build, "bench", "gencap")
    ident = build_identity(build)
    measured = {}
    with tempfile.TemporaryDirectory() as tmp:
        # one SYN and its RST: what any run costs, packets aside
        empty = os.path.join(tmp, "empty.pcap")
        subprocess.run([gencap, "-f", "syn", "-n", "1", "-o", empty], check=True)
        fixed = {mode: instructions(rstdiag, args, empty) for mode, args in MODES}
        for name, gen_args, packets in SHAPES:
            path = os.path.join(tmp, name + ".pcap")
            subprocess.run([gencap] + gen_args + ["-o", path], check=True)
            for mode, args in MODES:
                n = instructions(rstdiag, args, path) - fixed[mode]
                measured[f"{name} {mode}"] = round(n / packets)
    if update:
        with open(BASELINE, "w") as f:
            json.dump({"build": ident, "instructions_per_packet": measured}, f, indent=2)
            f.write("\n")
        print(f"flood_guard: wrote {os.path.normpath(BASELINE)}")
        return 0
    with open(BASELINE) as f:
        base = json.load(f)
    check("the baseline was counted on this build (else: --update on the build CI uses)",
          base["build"] == ident, (base["build"], ident))
    print(f"{'capture, report':<24} {'instr/packet':>12} {'baseline':>9} {'ratio':>6}")
    for key, n in measured.items():
        b = base["instructions_per_packet"].get(key)
        print(f"{key:<24} {n:>12} {b if b else '-':>9} {n / b if b else 0:>6.2f}")
        check(f"{key}: within {TOLERANCE - 1:.0%} of the baseline", b and n <= b * TOLERANCE,
              (n, b))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
