#!/usr/bin/env python3
"""Floods stay within --max-flows (issue 8's bound), and nothing is lost.

Captures from bench/gencap -f:
  syn        1 000 000 SYNs from distinct (address, port) pairs, never answered
  half-open    100 000 connections (handshake, request, ACK) that never close
Each ends with the server resetting the first connection, which a tracker
bounded by --max-flows has forgotten by then.

For each, with --max-flows 20000 (and the SYN flood also with the default):
  - peak RSS (bench/peakrss, median of 3) is at most the RSS of a run on a
    small capture plus 512 bytes per flow --max-flows allows, plus the host
    table whole (HOST_TABLE_MAX_BYTES, src/host_table.h: bounded, and a
    flood from distinct addresses touches every page of it), plus 512 KiB
    for the rest (stdio and JSON buffers, malloc's own);
  - the summary counts every forgotten connection (flows - max-flows),
    the flows_evicted warning has that count, and stderr carries exactly
    one warning line, naming --max-flows;
  - the last RST is reported, and its explanation says the connection may
    have been forgotten and the advice names --max-flows.

usage: flood_memory.py BUILD_DIR TESTDATA HOST_TABLE_MAX_BYTES
"""
import json
import os
import subprocess
import sys
import tempfile

from checks import check, failures
from rss import peak_kib

BYTES_PER_FLOW = 512
SLACK_KIB = 512
MAX_FLOWS = 20000
DEFAULT_MAX_FLOWS = 262144


def flood(build, base_kib, host_kib, path, name, connections, packets, max_flows):
    rstdiag = os.path.join(build, "rstdiag")
    peakrss = os.path.join(build, "bench", "peakrss")
    args = [] if max_flows == DEFAULT_MAX_FLOWS else ["--max-flows", str(max_flows)]
    label = f"{name}, --max-flows {max_flows}"
    rss = peak_kib(peakrss, [rstdiag] + args + [path])
    bound = base_kib + max_flows * BYTES_PER_FLOW / 1024 + host_kib + SLACK_KIB
    print(f"{label}: peak RSS {rss} KiB (small capture {base_kib} KiB, bound {bound:.0f} KiB)")
    check(f"{label}: peak RSS within --max-flows", rss <= bound, (rss, bound))

    run = subprocess.run([rstdiag, "--json"] + args + [path], capture_output=True, text=True)
    check(f"{label}: exit status 0", run.returncode == 0, run.returncode)
    records = [json.loads(line) for line in run.stdout.splitlines()]
    summary = records[-1]
    resets = [r for r in records if r.get("type") == "reset"]
    flows = connections + 1            # the closing RST opens one more
    evicted = flows - max_flows
    check(f"{label}: every packet read", summary["packets"] == packets,
          (summary["packets"], packets))
    check(f"{label}: {evicted} forgotten, counted", summary["flows_evicted"] == evicted,
          summary["flows_evicted"])
    check(f"{label}: at most --max-flows tracked", summary["flows_peak"] == max_flows,
          summary["flows_peak"])
    warn = {w["name"]: w for w in summary["warnings"]}
    check(f"{label}: flows_evicted warning counts them",
          warn.get("flows_evicted", {}).get("count") == evicted, summary["warnings"])
    lines = run.stderr.splitlines()
    check(f"{label}: one warning line on stderr, naming --max-flows",
          len(lines) == 1 and lines[0].startswith("rstdiag: warning: ")
          and "--max-flows" in lines[0], lines[:3])
    check(f"{label}: the RST on a forgotten connection is reported",
          len(resets) == 1 and resets[0]["frame"] == packets, [r["frame"] for r in resets])
    if resets:
        r = resets[0]
        check(f"{label}: its explanation says what is missing",
              "forgotten" in r["explanation"] and "--max-flows" in r["advice"],
              (r["explanation"], r["advice"]))


def main():
    build, testdata = sys.argv[1], sys.argv[2]
    host_kib = int(sys.argv[3]) / 1024
    if host_kib <= 0:
        print("HOST_TABLE_MAX_BYTES could not be computed (tests/meson.build)")
        return 1
    gencap = os.path.join(build, "bench", "gencap")
    peakrss = os.path.join(build, "bench", "peakrss")
    base_kib = peak_kib(peakrss, [os.path.join(build, "rstdiag"),
                                  os.path.join(testdata, "eth.pcap")])
    with tempfile.TemporaryDirectory(prefix="rstdiag-flood-") as tmp:
        for kind, connections, per_conn in (("syn", 1_000_000, 1), ("half-open", 100_000, 5)):
            path = os.path.join(tmp, kind + ".pcap")
            subprocess.run([gencap, "-f", kind, "-n", str(connections), "-o", path], check=True)
            packets = connections * per_conn + 1
            flood(build, base_kib, host_kib, path, kind, connections, packets, MAX_FLOWS)
            if kind == "syn":
                flood(build, base_kib, host_kib, path, kind, connections, packets,
                      DEFAULT_MAX_FLOWS)
            os.unlink(path)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
