#!/usr/bin/env python3
"""rstdiag's two helper threads at work on floods, every record accounted for.

Run by the plain build and, in CI, by the ThreadSanitizer build
(tests/run-all.sh), where any data race aborts rstdiag and fails this test.

Captures from bench/gencap -f:
  syn   60 000 SYNs from distinct (address, port) pairs, never answered,
        then the server's RST on the first connection: past 29 596
        connections at once the slab maker (src/slab.h) makes slabs
  scan  20 000 SYNs each answered by a closed port's RST: 20 000 records,
        worded and written by the JSON renderer's thread (src/report_async.h)

Checks, with --json:
  - exit status 0, and on stderr only the warning each run expects (the
    scan's 20 000 servers, past the 4096 the summary describes; the
    SYN flood's forgotten connections under --max-flows);
  - the records are the capture's RSTs, every one, in frame order, and
    precede the summary, whose counts agree with them;
  - -c 100 stops at the first 100 records, in order;
  - under --max-flows 20000, the SYN flood's last RST is still reported.

usage: threads_flood.py BUILD_DIR
"""
import json
import os
import subprocess
import sys
import tempfile

from checks import check, failures


def run(rstdiag, args):
    p = subprocess.run([rstdiag, "--json", *args], capture_output=True, text=True)
    lines = p.stdout.splitlines()
    records = [json.loads(line) for line in lines]
    return p, records


def check_stream(label, p, records, want_frames, stderr_lines):
    check(f"{label}: exit status 0", p.returncode == 0, (p.returncode, p.stderr[-2000:]))
    err = p.stderr.splitlines()
    check(f"{label}: {stderr_lines} line(s) on stderr", len(err) == stderr_lines, err[:5])
    if not records:
        check(f"{label}: output", False, "none")
        return
    summary, resets = records[-1], records[:-1]
    check(f"{label}: the summary comes last, once",
          summary.get("type") == "summary" and all(r.get("type") == "reset" for r in resets),
          [r.get("type") for r in records if r.get("type") != "reset"])
    frames = [r["frame"] for r in resets]
    check(f"{label}: every RST reported, in frame order", frames == want_frames,
          (len(frames), frames[:5], len(want_frames), want_frames[:5]))
    check(f"{label}: the summary counts them", summary.get("resets") == len(want_frames),
          (summary.get("resets"), len(want_frames)))


def main():
    build = sys.argv[1]
    rstdiag = os.path.join(build, "rstdiag")
    gencap = os.path.join(build, "bench", "gencap")
    with tempfile.TemporaryDirectory(prefix="rstdiag-threads-") as tmp:
        scan = os.path.join(tmp, "scan.pcap")
        syn = os.path.join(tmp, "syn.pcap")
        subprocess.run([gencap, "-f", "scan", "-n", "20000", "-o", scan], check=True)
        subprocess.run([gencap, "-f", "syn", "-n", "60000", "-o", syn], check=True)

        # The scan: SYN, RST, SYN, RST... so the RSTs are the even frames.
        p, records = run(rstdiag, [scan])
        check_stream("scan", p, records, list(range(2, 40001, 2)), 1)  # 20 000 servers: 4096 described
        if records:
            check("scan: every RST a closed port",
                  records[-1].get("by_cause") == {"closed-port": 20000},
                  records[-1].get("by_cause"))
        p, records = run(rstdiag, ["-c", "100", scan])
        check_stream("scan, -c 100", p, records, list(range(2, 201, 2)), 0)

        # The SYN flood: one RST, the last frame, on the first connection.
        p, records = run(rstdiag, [syn])
        check_stream("syn flood", p, records, [60001], 0)
        if records:
            check("syn flood: 60 000 connections at once",
                  records[-1].get("flows_peak") == 60000, records[-1].get("flows_peak"))
        p, records = run(rstdiag, ["--max-flows", "20000", syn])
        check_stream("syn flood, --max-flows 20000", p, records, [60001], 1)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
