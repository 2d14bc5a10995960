#!/usr/bin/env python3
"""A flood of lone SYNs pushes out other lone SYNs, not a connection in use.

A full table forgets a finished connection first, then the oldest lone SYN
(flow_table.c, next_victim: as FreeBSD's syncache drops its own oldest
entry when a bucket is full, and Linux keeps SYNs in the listener's queue,
apart from its established sockets), and only then the stalest connection
that went past its SYN.

The capture, written here with testdata/malformed/make.py's packet
builders: a client's HTTP exchange with 10.0.0.1:80 (handshake, request,
ACK, response, ACK), then 1 s later 3000 SYNs from distinct spoofed
sources to the same server, never answered, then after 8 s of silence the
server's abort of the first connection (RST+ACK at its next sequence
number). With --max-flows 1000:
  - the summary counts 2000 forgotten connections;
  - the abort is judged with the connection's history: its handshake
    complete, both sides' packets counted, its response known, and no word
    of a forgotten connection;
  - with the 3000 SYNs each answered by a SYN-ACK (a half-open flood:
    past their SYNs, so as much in use as the first), the first connection
    is the stalest and is forgotten, and its abort says so: the rule is
    about lone SYNs only.

usage: syn_flood_eviction.py BUILD/rstdiag
"""
import json
import os
import subprocess
import sys
import tempfile

from checks import check, failures
from wrapper import rstdiag_command

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "testdata",
                                "malformed"))
import make  # noqa: E402  (the malformed corpus's packet builders)

FLOOD = 3000
MAX_FLOWS = 1000


def capture(path, answered):
    """The capture described above; answered: every flood SYN gets a SYN-ACK.
    Packets from testdata/malformed/make.py's builders (checksums right)."""
    tr = make.Trace(start=1_800_000_000 * 10**9)
    first = make.Conv("10.1.0.1", "10.0.0.1", 40000, 80)
    tr.extend(first.handshake() + first.exchange(request=b"GET /report HTTP/1.1\r\n"
                                                 b"Host: example\r\n\r\n"))
    for i in range(FLOOD):
        spoofed = make.Conv(f"10.200.{i >> 8}.{i & 0xff}", "10.0.0.1", 1024 + i % 50000, 80,
                            cisn=7 * i, sisn=9 * i)
        tr.add(spoofed.seg(0, make.SYN), gap_ms=1000 if i == 0 else 0.5)
        if answered:
            tr.add(spoofed.seg(1, make.SYN | make.ACK), gap_ms=0.1)
    tr.add(first.rst(1), gap_ms=8000)
    with open(path, "wb") as f:
        f.write(make.pcap_bytes(tr))


def run(rstdiag, path):
    out = subprocess.run(rstdiag_command(rstdiag) + ["--json", "--max-flows", str(MAX_FLOWS), path],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, check=False)
    lines = [json.loads(x) for x in out.stdout.splitlines()]
    resets = [x for x in lines if x["type"] == "reset"]
    summary = [x for x in lines if x["type"] == "summary"]
    return out.returncode, resets, summary[0] if summary else None


def main():
    rstdiag = sys.argv[1]
    with tempfile.TemporaryDirectory(prefix="rstdiag-synflood-") as d:
        lone = os.path.join(d, "lone.pcap")
        answered = os.path.join(d, "answered.pcap")
        capture(lone, answered=False)
        capture(answered, answered=True)

        status, resets, summary = run(rstdiag, lone)
        check("lone SYNs: exit 0, one reset", status == 0 and len(resets) == 1,
              (status, len(resets)))
        check("lone SYNs: 2000 forgotten", summary and summary["flows_evicted"] == FLOOD + 1 -
              MAX_FLOWS, summary and summary["flows_evicted"])
        if resets:
            r = resets[0]
            check("lone SYNs: the abort is judged with its handshake",
                  r["handshake"] == "complete", r["handshake"])
            check("lone SYNs: both sides' packets before it",
                  r["before"]["client"]["packets"] == 4 and r["before"]["server"]["packets"] == 3,
                  r["before"])
            check("lone SYNs: the server's response before it is known",
                  r["response"] and r["response"]["status"] == 200, r["response"])
            check("lone SYNs: an abort after the exchange, silent since it (10.5 s)",
                  r["form"] == "active" and 10.4 < r["idle_before_s"] < 10.6,
                  (r["form"], r["idle_before_s"]))
            check("lone SYNs: nothing said of a forgotten connection",
                  "forgotten" not in r["explanation"] and "--max-flows" not in r["advice"],
                  r["explanation"])
            check("lone SYNs: the server's own packets set its origin",
                  r["origin"] == "endpoint", r["origin"])

        status, resets, summary = run(rstdiag, answered)
        check("answered SYNs: exit 0, one reset", status == 0 and len(resets) == 1,
              (status, len(resets)))
        if resets:
            r = resets[0]
            check("answered SYNs: the first connection was forgotten",
                  r["handshake"] == "not-seen" and "forgotten" in r["explanation"] and
                  "--max-flows" in r["advice"], (r["handshake"], r["explanation"]))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
