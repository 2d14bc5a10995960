#!/usr/bin/env python3
"""A flood of lone SYNs pushes out other lone SYNs, not a connection in use.

A full table forgets a finished connection first, then the oldest lone SYN
(flow_table.c, next_victim: as FreeBSD's syncache drops its own oldest
entry when a bucket is full, and Linux keeps SYNs in the listener's queue,
apart from its established sockets), and only then the stalest connection
that went past its SYN.

The capture, written here: a client's HTTP exchange with 10.0.0.1:80
(handshake, request, response, ACK), then 3000 SYNs from distinct spoofed
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
import struct
import subprocess
import sys
import tempfile

from checks import check, failures
from wrapper import rstdiag_command

SERVER = bytes([10, 0, 0, 1])
CLIENT = bytes([10, 1, 0, 1])
FLOOD = 3000
MAX_FLOWS = 1000


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def frame(src, dst, sport, dport, seq, ack, flags, payload=b"", ttl=64):
    """An Ethernet frame of one IPv4 TCP segment, checksums right."""
    tcp = struct.pack("!HHIIBBHHH", sport, dport, seq, ack, 5 << 4, flags, 64240, 0, 0)
    pseudo = src + dst + struct.pack("!BBH", 0, 6, len(tcp) + len(payload))
    tcp = tcp[:16] + struct.pack("!H", checksum(pseudo + tcp + payload)) + tcp[18:]
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp) + len(payload), 1, 0x4000, ttl, 6,
                     0, src, dst)
    ip = ip[:10] + struct.pack("!H", checksum(ip)) + ip[12:]
    eth = b"\x02\0\0\0\0\x01" + b"\x02\0\0\0\0\x02" + b"\x08\x00"
    return eth + ip + tcp + payload


FIN, SYN, RST, PSH, ACK = 0x01, 0x02, 0x04, 0x08, 0x10


def capture(path, answered):
    """The capture described above; answered: every flood SYN gets a SYN-ACK."""
    request = b"GET /report HTTP/1.1\r\nHost: example\r\n\r\n"
    response = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
    c, s = 1000, 5000
    packets = [
        (0.000, frame(CLIENT, SERVER, 40000, 80, c, 0, SYN)),
        (0.001, frame(SERVER, CLIENT, 80, 40000, s, c + 1, SYN | ACK)),
        (0.002, frame(CLIENT, SERVER, 40000, 80, c + 1, s + 1, ACK)),
        (0.003, frame(CLIENT, SERVER, 40000, 80, c + 1, s + 1, PSH | ACK, request)),
        (0.004, frame(SERVER, CLIENT, 80, 40000, s + 1, c + 1 + len(request), PSH | ACK,
                      response)),
        (0.005, frame(CLIENT, SERVER, 40000, 80, c + 1 + len(request),
                      s + 1 + len(response), ACK)),
    ]
    t = 1.0
    for i in range(FLOOD):
        src = bytes([10, 200, i >> 8, i & 0xff])
        packets.append((t, frame(src, SERVER, 1024 + i % 50000, 80, 7 * i, 0, SYN)))
        if answered:
            packets.append((t + 0.0001, frame(SERVER, src, 80, 1024 + i % 50000, 9 * i,
                                              7 * i + 1, SYN | ACK)))
        t += 0.0005
    packets.append((t + 8.0, frame(SERVER, CLIENT, 80, 40000, s + 1 + len(response),
                                   c + 1 + len(request), RST | ACK)))
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
        for ts, data in packets:
            sec = 1_800_000_000 + int(ts)
            usec = int(round((ts - int(ts)) * 1e6))
            f.write(struct.pack("<IIII", sec, usec, len(data), len(data)) + data)


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
                  r["before"]["client"]["packets"] == 4 and r["before"]["server"]["packets"] == 2,
                  r["before"])
            check("lone SYNs: the server's response before it is known",
                  r["response"] and r["response"]["status"] == 200, r["response"])
            check("lone SYNs: an abort after the exchange, silent 10.5 s",
                  r["form"] == "active" and r["idle_before_s"] == 10.495,
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
