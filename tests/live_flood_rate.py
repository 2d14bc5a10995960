#!/usr/bin/env python3
"""Live mode under the fastest SYN flood this machine makes: no drops.

A veth pair between two network namespaces; the server's namespace drops
TCP to the flood's ports with nftables, as a SYN flood against a filtered
port looks. bench/synflood sends SYNs from the client's namespace as fast
as one core can (prebuilt Ethernet frames, 64 to a sendmmsg, past the
qdisc), each opening a connection of its own. rstdiag -i listens on the
server's end, with libpcap's default buffer, as a user runs it.

Measured: the generator's rate alone, then with rstdiag capturing; rstdiag's
CPU share over the flood (its user and system time from /proc over the
flood's wall time). Checks: the kernel dropped nothing (pcap_stats), every
SYN sent was read, the summary came on SIGTERM with exit status 0. When
the fastest flood loses packets, rates a step lower are tried and the
highest drop-free one is printed, so a failure says where the limit is.

usage: live_flood_rate.py BUILD/rstdiag BUILD/bench/synflood
"""
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time

from checks import check, failures
from veth_pair import VethPair, sh

PAIR = VethPair("rstdiag-rate", "rdrc0", "rdrs0", "10.97.0")
SECONDS = 3.0
PORTS = 8


def cpu_seconds(pid):
    """User plus system time of a process, from /proc/PID/stat."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def flood(synflood, mac, rate):
    out = sh("ip", "netns", "exec", PAIR.ns_c, synflood, "-i", PAIR.c_if, "-s", PAIR.c_addr,
             "-d", PAIR.s_addr, "-m", mac, "-r", str(int(rate)), "-t", str(SECONDS),
             "-p", str(PORTS)).stdout
    m = re.match(r"sent (\d+) in ([\d.]+) s: (\d+) pps", out)
    assert m, out
    return int(m.group(1)), float(m.group(2)), int(m.group(3))


def run_under_flood(rstdiag, synflood, mac, rate):
    """rstdiag capturing one flood: (sent, pps, summary, cpu share, exit status)."""
    live = PAIR.run(PAIR.ns_s, [rstdiag, "-i", PAIR.s_if, "--json"],
                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    records = []
    reader = threading.Thread(target=lambda: records.extend(map(json.loads, live.stdout)))
    reader.start()
    time.sleep(1.0)                         # the capture is open
    cpu0, t0 = cpu_seconds(live.pid), time.monotonic()
    sent, took, pps = flood(synflood, mac, rate)
    time.sleep(1.0)                         # rstdiag reads what is buffered
    cpu1, t1 = cpu_seconds(live.pid), time.monotonic()
    live.send_signal(signal.SIGTERM)
    live.wait(timeout=60)
    reader.join(timeout=60)
    live.stderr.read()
    summary = records[-1] if records and records[-1]["type"] == "summary" else {}
    return sent, pps, summary, (cpu1 - cpu0) / took, live.returncode


def lost(summary):
    capture = summary.get("capture", {})
    return capture.get("dropped", 0) + capture.get("if_dropped", 0)


def main():
    rstdiag, synflood = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    if os.geteuid() != 0:
        print("live-flood-rate: needs root (network namespaces)")
        return 77
    with PAIR:
        PAIR.drop_tcp(PAIR.ns_s, f"20000-{20000 + PORTS - 1}")
        link = json.loads(sh("ip", "-n", PAIR.ns_s, "-j", "link", "show", PAIR.s_if).stdout)
        mac = link[0]["address"]
        _, _, alone = flood(synflood, mac, 0)
        sent, pps, summary, cpu, status = run_under_flood(rstdiag, synflood, mac, 0)
        capture = summary.get("capture", {})
        print(f"live-flood-rate: the generator alone {alone} pps; with rstdiag capturing "
              f"{pps} pps ({sent} SYNs in {SECONDS:g} s); rstdiag's CPU share {cpu:.0%} of "
              f"one core; capture {capture}")
        check("the kernel dropped nothing at the fastest flood", lost(summary) == 0, capture)
        check("every SYN sent was read", summary.get("tcp_packets", 0) >= sent,
              (summary.get("tcp_packets"), sent))
        check("summary and exit 0 on SIGTERM", status == 0 and summary, status)
        if lost(summary):
            for share in (0.75, 0.5, 0.35, 0.25, 0.15, 0.1):
                _, pps, summary, cpu, _ = run_under_flood(rstdiag, synflood, mac,
                                                          alone * share)
                print(f"live-flood-rate: at {pps} pps: lost {lost(summary)}, CPU {cpu:.0%}")
                if not lost(summary):
                    print(f"live-flood-rate: drop-free up to at least {pps} pps")
                    break
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
