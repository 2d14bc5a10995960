#!/usr/bin/env python3
"""The generated_packets warning: both sides of connections on one counter.

Two hosts number their IPv4 packets each on its own counter (RFC 6864
4.1), so a side's ID follows its peer's only by chance. A capture whose
connections' two sides draw from one counter was made by one program (a
TLS-decrypting proxy's export, a traffic generator, a crafted capture):
rstdiag warns, once, at the end (pipeline.c, note_ids_both).

Written with testdata/malformed/make.py's builders:
  - three exchanges whose two sides take their IDs from one counter, as a
    generator's do: warned, naming 3 of 3;
  - the same with each side on its own counter (Conv's default): no word;
  - the shared counter over loopback (127.0.0.1 to itself, a Windows
    host's one counter): that host's own traffic, no word.

usage: generated_packets.py BUILD/rstdiag
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


class OneCounter(make.Conv):
    """A connection whose two sides number their IPv4 packets on one counter."""
    counter = [0x4600]

    def ip(self, side, seg, **ipkw):
        OneCounter.counter[0] += 1
        src, dst = self.addr[side], self.addr[1 - side]
        return make.ipv4(src, dst, seg, ident=OneCounter.counter[0], ttl=self.ttl[side], **ipkw)


def capture(path, kind):
    tr = make.Trace(start=1_800_000_000 * 10**9)
    for i in range(3):
        if kind == "loopback":
            c = OneCounter("127.0.0.1", "127.0.0.1", 40000 + i, 8080)
        else:
            cls = OneCounter if kind == "shared" else make.Conv
            c = cls(f"10.1.0.{i + 1}", "10.0.0.1", 40000 + i, 80)
        tr.extend(c.handshake() + c.exchange())
        tr.add(c.rst(0))
    with open(path, "wb") as f:
        f.write(make.pcap_bytes(tr))


def warnings(rstdiag, path):
    out = subprocess.run(rstdiag_command(rstdiag) + ["--json", path], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True, check=False)
    summary = [r for r in map(json.loads, out.stdout.splitlines()) if r["type"] == "summary"]
    return {w["name"]: w for w in summary[0]["warnings"]} if summary else {}, out.stderr


def main():
    rstdiag = sys.argv[1]
    with tempfile.TemporaryDirectory(prefix="rstdiag-generated-") as d:
        for kind in ("shared", "separate", "loopback"):
            path = os.path.join(d, kind + ".pcap")
            capture(path, kind)
            got, err = warnings(rstdiag, path)
            if kind == "shared":
                w = got.get("generated_packets")
                check("one counter: warned once, at the end",
                      w is not None and w["count"] == 1 and w["at"] is None, got)
                check("one counter: 3 of the 3 connections named",
                      w is not None and "both sides of 3 of the 3 connections" in w["message"],
                      w and w["message"])
                check("one counter: said on stderr", "one program made these packets" in err, err)
            else:
                check(f"{kind}: no generated_packets warning", "generated_packets" not in got,
                      got)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
