#!/usr/bin/env python3
"""Live mode under a SYN flood: memory stays within --max-flows.

rstdiag -i --max-flows 2000 runs on the client's end of a veth pair. The
client sends SYNs from a raw socket, each from its own source port and to
one of two ports the server drops with nftables, so every SYN opens a
connection that never goes further: 20 000 to warm up, then 100 000 more.
Last, a real connect() to a closed port draws the server's RST.

Checks: anonymous resident memory (rss.anon_kib: without the 64 MiB packet
ring, how much of which is resident a loaded machine decides) after the
100 000 is within 512 KiB or 5 % of what it was after warm-up, since
--max-flows holds the flow table; the summary says 2000 connections at
most and counts the rest as forgotten; the flows_evicted warning has that count and is one
line on stderr naming --max-flows; the closed-port RST is reported as
closed-port; SIGTERM gives the summary and exit status 0.

usage: live_flood.py BUILD/rstdiag
"""
import json
import os
import signal
import subprocess
import sys
import threading
import time

from checks import check, failures
from rss import anon_kib
from veth_pair import VethPair, sh

PAIR = VethPair("rstdiag-flood", "rdfc0", "rdfs0", "10.96.0")
MAX_FLOWS = 2000
WARM, MORE = 20_000, 100_000

# The SYNs: IP header by the kernel, TCP header by hand (checksum included,
# though nothing on the way checks it). Source ports 1024..60999 to ports
# 81 and 82 give 120 000 distinct connections.
FLOOD = f"""
import socket, struct, sys
def csum(b):
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    s = (s >> 16) + (s & 0xffff)
    s += s >> 16
    return ~s & 0xffff
src, dst = socket.inet_aton({PAIR.c_addr!r}), socket.inet_aton({PAIR.s_addr!r})
s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_TCP)
def syn(i):
    sport, dport = 1024 + i % 60000, 81 + i // 60000
    hdr = struct.pack("!HHIIBBHHH", sport, dport, 1000 + i, 0, 5 << 4, 0x02, 64240, 0, 0)
    pseudo = src + dst + struct.pack("!BBH", 0, 6, len(hdr))
    hdr = hdr[:16] + struct.pack("!H", csum(pseudo + hdr)) + hdr[18:]
    s.sendto(hdr, ({PAIR.s_addr!r}, 0))
first = 0
for line in sys.stdin:
    n = int(line)
    for i in range(first, first + n):
        syn(i)
    first += n
    print("sent", n, flush=True)
"""


def main():
    rstdiag = os.path.abspath(sys.argv[1])
    if os.geteuid() != 0:
        print("live-flood: needs root (network namespaces)")
        return 77
    with PAIR:
        PAIR.drop_tcp(PAIR.ns_s, "{ 81, 82 }")
        live = PAIR.run(PAIR.ns_c, [rstdiag, "-i", PAIR.c_if, "--json", "-B", "65536",
                                    "--max-flows", str(MAX_FLOWS)],
                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        records = []
        reader = threading.Thread(target=lambda: records.extend(map(json.loads, live.stdout)))
        reader.start()
        time.sleep(1.0)                     # the capture is open
        flood = PAIR.python(PAIR.ns_c, FLOOD)
        for n in (WARM, MORE):
            flood.stdin.write(f"{n}\n")
            flood.stdin.flush()
            assert flood.stdout.readline().split() == ["sent", str(n)], flood.stderr.read()
            time.sleep(1.5)                 # rstdiag catches up
            if n == WARM:
                warm_rss = anon_kib(live.pid)
        end_rss = anon_kib(live.pid)
        flood.stdin.close()
        flood.wait(timeout=30)
        refused = sh("ip", "netns", "exec", PAIR.ns_c, sys.executable, "-c",
                     "import socket\ntry:\n socket.create_connection(("
                     f"{PAIR.s_addr!r}, 83), timeout=5)\nexcept ConnectionRefusedError:\n"
                     " print('refused')").stdout.strip()
        time.sleep(1.5)                     # the RST's settle time passes
        live.send_signal(signal.SIGTERM)
        live.wait(timeout=30)
        reader.join(timeout=30)
        stderr = live.stderr.read()

    resets = [r for r in records if r["type"] == "reset"]
    summary = records[-1] if records and records[-1]["type"] == "summary" else {}
    capture = summary.get("capture", {})
    warnings = {w["name"]: w for w in summary.get("warnings", [])}
    lines = stderr.splitlines()
    print(f"live-flood: {WARM} + {MORE} SYNs; capture {capture}; flows peak "
          f"{summary.get('flows_peak')}, evicted {summary.get('flows_evicted')}; "
          f"anonymous memory after warm-up {warm_rss} KiB, at the end {end_rss} KiB")
    dropped = capture.get("dropped", 0) + capture.get("if_dropped", 0)
    check("the kernel dropped nothing", dropped == 0, capture)
    check("every SYN read", summary.get("tcp_packets", 0) >= WARM + MORE, summary)
    check(f"at most {MAX_FLOWS} connections tracked", summary.get("flows_peak") == MAX_FLOWS,
          summary.get("flows_peak"))
    check("the rest counted as forgotten",
          summary.get("flows_evicted", 0) >= WARM + MORE - MAX_FLOWS, summary.get("flows_evicted"))
    check("flows_evicted warning with that count",
          warnings.get("flows_evicted", {}).get("count") == summary.get("flows_evicted"),
          summary.get("warnings"))
    check("one warning line on stderr, naming --max-flows",
          len(lines) == 1 and lines[0].startswith("rstdiag: warning: ") and
          "--max-flows" in lines[0], lines[:3])
    check("the closed port refused the connection", refused == "refused", refused)
    check("its RST reported as closed-port",
          [r["cause"] for r in resets] == ["closed-port"], [r["cause"] for r in resets])
    check("summary and exit 0 on SIGTERM", live.returncode == 0 and summary, live.returncode)
    check("anonymous memory flat under the flood",
          end_rss <= warm_rss + max(512, warm_rss // 20), (warm_rss, end_rss))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
