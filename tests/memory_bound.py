#!/usr/bin/env python3
"""Memory follows concurrent connections, not packets (issue 7's bound).

Captures from bench/gencap at 500 packets a second, so each spans minutes
and the 120 s close timeout reaches its steady state:
  A   100k packets,  500 concurrent connections
  A4  400k packets,  500 concurrent (four times the packets)
  C   100k packets, 8000 concurrent (16 times the connections)
Peak RSS (bench/peakrss, median of 3 runs; single runs vary by about
200 KiB) must stay flat from A to A4, within 512 KiB, and grow from A to
C by at most 512 bytes per added connection, plus the same 512 KiB.

usage: memory_bound.py BUILD_DIR
"""
import json
import os
import subprocess
import sys
import tempfile

from checks import check, failures
from rss import peak_kib

NOISE_KIB = 512
BYTES_PER_CONNECTION = 512


def main():
    build = sys.argv[1]
    gencap = os.path.join(build, "bench", "gencap")
    peakrss = os.path.join(build, "bench", "peakrss")
    rstdiag = os.path.join(build, "rstdiag")
    with tempfile.TemporaryDirectory(prefix="rstdiag-mem-") as tmp:
        measured = {}
        for name, packets, conc in (("A", 100_000, 500), ("A4", 400_000, 500),
                                    ("C", 100_000, 8000)):
            path = os.path.join(tmp, name + ".pcap")
            subprocess.run([gencap, "-n", str(packets), "-c", str(conc), "-p", "500",
                            "-o", path], check=True)
            rss = peak_kib(peakrss, [rstdiag, path])
            out = subprocess.run([rstdiag, "--json", path], check=True, capture_output=True,
                                 text=True).stdout.splitlines()
            summary = json.loads(out[-1])
            measured[name] = (rss, summary["flows_peak"], conc)
            os.unlink(path)
            print(f"{name}: {packets} packets, {conc} concurrent: peak RSS {rss} KiB, "
                  f"{summary['flows_peak']} connections tracked at most")
    a, a4, c = measured["A"], measured["A4"], measured["C"]
    check("4x the packets, same concurrency: RSS flat", a4[0] <= a[0] + NOISE_KIB, (a, a4))
    added = c[2] - a[2]
    bound = added * BYTES_PER_CONNECTION / 1024 + NOISE_KIB
    check(f"{added} more connections: at most {BYTES_PER_CONNECTION} bytes each",
          c[0] - a[0] <= bound, (a, c, round(bound)))
    check("connections tracked follow concurrency", c[1] - a[1] >= added * 0.9, (a, c))
    if c[1] > a[1]:
        print(f"per added connection: {(c[0] - a[0]) * 1024 / (c[1] - a[1]):.0f} bytes")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
