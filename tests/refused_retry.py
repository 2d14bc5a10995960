#!/usr/bin/env python3
"""A refused SYN sent again, as Windows sends it, and what answered it.

Windows retries a refused connect with the same SYN, ISN included, twice
more at 0.5 s (Microsoft KB 175523, "Winsock TCP Connection Performance to
Unused Ports"); the corpus's ndpi/rtsp.pcap 289-301 is one, accepted at the
first retry. The look-ahead watches a closed-port refusal through its
retry (verdict_queue.c, observe; pipeline.c keeps the watch across the new
incarnation the retry begins):
  - retried and accepted 0.5 s later: the refusal stays closed-port
    (high), its evidence names the SYN-ACK to the retry, and its words and
    advice say the port opened in between;
  - retried and refused again, twice: three closed-port records, none of
    them saying the port opened;
  - a new connect with another ISN (Linux's retry is a new socket), then
    accepted: the first refusal is not said to have been retried.

The captures are written with testdata/malformed/make.py's builders.

usage: refused_retry.py BUILD/rstdiag
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


def capture(path, answers, new_isn=False):
    """A client's SYN to 10.0.0.1:8554, then the same SYN again 0.5 s
    after each refusal; answers: what the server sends to each attempt,
    "rst" or "synack" (which then opens the connection)."""
    tr = make.Trace(start=1_800_000_000 * 10**9)
    for i, answer in enumerate(answers):
        c = make.Conv("10.1.0.1", "10.0.0.1", 50000, 8554,
                      cisn=1000 + (7777 * i if new_isn else 0))
        c.ttl = [128, 64]
        tr.add(c.seg(0, make.SYN, opts=make.SYN_OPTS), gap_ms=500 if i else 1)
        if answer == "rst":
            tr.add(c.seg(1, make.RST | make.ACK, seq=0), gap_ms=1.3)
            continue
        tr.add(c.seg(1, make.SYN | make.ACK, opts=make.SYN_OPTS), gap_ms=0.7)
        tr.add(c.seg(0, make.ACK), gap_ms=0.2)
        tr.extend(c.exchange(request=b"OPTIONS rtsp://10.0.0.1:8554/ RTSP/1.0\r\n\r\n",
                             response=b"RTSP/1.0 200 OK\r\n\r\n"))
        tr.extend(c.close())
    with open(path, "wb") as f:
        f.write(make.pcap_bytes(tr))


def resets(rstdiag, path):
    out = subprocess.run(rstdiag_command(rstdiag) + ["--json", path], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True, check=False)
    return [r for r in map(json.loads, out.stdout.splitlines()) if r["type"] == "reset"]


def main():
    rstdiag = sys.argv[1]
    with tempfile.TemporaryDirectory(prefix="rstdiag-retry-") as d:
        path = os.path.join(d, "accepted.pcap")
        capture(path, ["rst", "synack"])
        got = resets(rstdiag, path)
        check("accepted: one reset", len(got) == 1, len(got))
        if got:
            r = got[0]
            check("accepted: closed-port, high", (r["cause"], r["confidence"]) ==
                  ("closed-port", "high"), (r["cause"], r["confidence"]))
            synack = [e for e in r["evidence"] if "SYN-ACK to the same SYN sent again" in e["what"]]
            check("accepted: the SYN-ACK to the retry is evidence (frame 4)",
                  [e["frame"] for e in synack] == [4], r["evidence"])
            check("accepted: the words say the port opened",
                  "sent the same SYN again and the server accepted it" in r["explanation"] and
                  "the port opened in between" in r["explanation"], r["explanation"])
            check("accepted: the advice is not to check the service is running",
                  "check the service is running" not in r["advice"] and
                  "the port opened within" in r["advice"], r["advice"])

        path = os.path.join(d, "refused.pcap")
        capture(path, ["rst", "rst", "rst"])
        got = resets(rstdiag, path)
        check("refused thrice: three closed-port records",
              [r["cause"] for r in got] == ["closed-port"] * 3, [r["cause"] for r in got])
        check("refused thrice: none says the port opened",
              all("accepted it" not in r["explanation"] for r in got),
              [r["explanation"] for r in got])

        path = os.path.join(d, "new-isn.pcap")
        capture(path, ["rst", "synack"], new_isn=True)
        got = resets(rstdiag, path)
        check("another ISN: one closed-port record", [r["cause"] for r in got] ==
              ["closed-port"], [r["cause"] for r in got])
        check("another ISN: not said to be the same SYN accepted",
              all("same SYN again" not in r["explanation"] for r in got),
              [r["explanation"] for r in got])
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
