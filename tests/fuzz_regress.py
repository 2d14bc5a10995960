#!/usr/bin/env python3
"""Replays every input the fuzzers ever broke rstdiag with
(testdata/fuzz-regress/, as tcpdump keeps its reproducers): each must end
with a documented status, 0 (ok) or 3 (damaged input, reported up to the
damage), never by a signal, and with no sanitizer report on stderr.

Each file is read the ways fuzz/fuzz_capture.c reads it: the verbose text
report with everything the second read serves (-w, --diagram, --mermaid,
--html, written to /dev/null), and JSON, with --max-flows 16.

usage: fuzz_regress.py RSTDIAG TESTDATA
"""
import os
import subprocess
import sys

from wrapper import rstdiag_command

OK, DAMAGED = 0, 3
MODES = (["-v", "--color=always", "--diagram", "--mermaid", "--html", "/dev/null",
          "-w", "/dev/null"], ["--json", "--nano"])
SANITIZER_WORDS = ("runtime error:", "AddressSanitizer", "LeakSanitizer")


def main():
    rstdiag, testdata = os.path.abspath(sys.argv[1]), sys.argv[2]
    folder = os.path.join(testdata, "fuzz-regress")
    # Beside them: README.md and tshark's lists (*.rst-frames, tests/tshark.py).
    inputs = sorted(f for f in os.listdir(folder) if f.endswith((".pcap", ".pcapng")))
    failed = 0
    for name in inputs:
        for mode in MODES:
            argv = rstdiag_command(rstdiag) + mode + ["--max-flows", "16",
                                                      os.path.join(folder, name)]
            p = subprocess.run(argv, capture_output=True, text=True, errors="replace",
                               timeout=60)
            bad = p.returncode not in (OK, DAMAGED) or any(
                w in p.stderr for w in SANITIZER_WORDS)
            print(f"{'FAIL' if bad else 'ok'}  {name} {' '.join(mode)}: exit {p.returncode}")
            if bad:
                failed += 1
                sys.stdout.write(p.stderr[-4000:])
    if not inputs:
        print(f"no inputs in {folder}")
        return 1
    print(f"{len(inputs)} inputs, {failed} failures")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
