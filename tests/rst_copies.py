#!/usr/bin/env python3
"""A RST captured four times is one reset: every copy names the first.

A cooked capture on every interface of a router holds each packet up to
four times (arriving and leaving, on both sides: the corpus's
ndpi/rtsp.pcap), the copies of a RST interleaved with those of the ACK
before it. Each copy is a reset-followup, detail duplicate, whose
followup_of is the first copy's frame, not the copy just before it
(TAXONOMY: a follow-up is linked to the first RST, so one incident is
counted once; a review read the corpus's rtsp.pcap 12 linked to 11, 11 to
8, 8 to 7). A copy's words leave the request to the first copy's record.

Written with testdata/malformed/make.py's builders, as generated_packets.py.

usage: rst_copies.py BUILD/rstdiag
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


def copies(c, side, flags, ttls, payload=b""):
    """One segment of side's as the router's capture holds it: the same
    IPv4 ID, one copy per TTL in ttls."""
    seq, ack = c.nxt[side], c.nxt[1 - side]
    seg = make.tcp(c.addr[side], c.addr[1 - side], c.port[side], c.port[1 - side], seq, ack,
                   flags, payload)
    if not flags & make.RST:
        c.nxt[side] += len(payload) + bool(flags & make.FIN)
    c.ipid[side] += 1
    return [make.ipv4(c.addr[side], c.addr[1 - side], seg, ident=c.ipid[side], ttl=t)
            for t in ttls]


def capture(path):
    tr = make.Trace(start=1_800_000_000 * 10**9, step_ms=0.01)
    c = make.Conv("10.2.2.1", "10.2.2.2", 40000, 8554)
    c.ttl = [128, 64]
    tr.extend(c.handshake(), gap_ms=1)
    request = b"GET_PARAMETER rtsp://10.2.2.2:8554/ RTSP/1.0\r\nCSeq: 5\r\n\r\n"
    tr.extend(copies(c, 0, make.PSH | make.ACK, [128, 127], request), gap_ms=1)
    ack = copies(c, 1, make.ACK, [64, 63])
    rst = copies(c, 1, make.RST | make.ACK, [64, 63])
    # arriving and leaving on one side, then the same on the other: the
    # ACK's copies, the RST's, the ACK's, the RST's
    firsts = []
    for k in range(2):
        tr.extend(ack, gap_ms=0.005)
        firsts += tr.extend(rst, gap_ms=0.005)
    with open(path, "wb") as f:
        f.write(make.pcap_bytes(tr))
    return firsts


def main():
    rstdiag = sys.argv[1]
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "rst-copies.pcap")
        frames = capture(path)
        out = subprocess.run(rstdiag_command(rstdiag) + ["--json", path], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, check=False)
        check("exits 0", out.returncode == 0, out.stderr.strip())
        resets = [r for r in map(json.loads, out.stdout.splitlines()) if r["type"] == "reset"]
        check("one record for each of the four copies", [r["frame"] for r in resets] == frames,
              f"resets {[r['frame'] for r in resets]}, expected {frames}")
        if not resets:
            return 1
        first = resets[0]
        check("the first copy is judged on its own",
              first["detail"] != "duplicate" and first["followup_of"] is None,
              f"{first['cause']}/{first['detail']}")
        for r in resets[1:]:
            n = r["frame"]
            check(f"frame {n} is a duplicate",
                  r["cause"] == "reset-followup" and r["detail"] == "duplicate",
                  f"{r['cause']}/{r['detail']}")
            check(f"frame {n} follows the first copy", r["followup_of"] == first["frame"],
                  f"follows {r['followup_of']}, expected {first['frame']}")
            check(f"frame {n}'s words name the first copy",
                  f"copy of the server's RST at frame {first['frame']}" in r["explanation"],
                  r["explanation"][:160])
            check(f"frame {n}'s words leave the request to the first",
                  "GET_PARAMETER" not in r["explanation"], r["explanation"])
        check("the first copy names the request", "GET_PARAMETER" in first["explanation"],
              first["explanation"])
    print(f"{len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
