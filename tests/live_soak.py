#!/usr/bin/env python3
"""Live-mode soak: thousands of short connections, a share of them reset.

rstdiag -i runs on the client's end of a veth pair, with a tcpdump beside it
that keeps only RST segments. The client opens 1000 connections a second for 3 s,
pauses while rstdiag's resident memory is read, then goes on for 10 s. One in ten goes
to a closed port, one in ten to a server that answers and then aborts with SO_LINGER 0,
the
rest are HTTP-like exchanges the server closes with a FIN.

Checks: every RST tcpdump saw has a verdict (unless rstdiag reports kernel
drops); the verdicts match the design (closed-port and linger-abort, as many
as the client made); resident memory at the end is within one flow slab
(512 KiB) or 5 % of what it was after warm-up. --close-timeout 1 lets
finished connections go after a second, so the warm-up reaches the steady
state (about 1.3 s of connections tracked); the default 120 s would need
minutes.

usage: live_soak.py BUILD/rstdiag
"""
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time

from checks import check, failures
from rss import rss_kib
from veth_pair import VethPair, sh

PAIR = VethPair("rstdiag-soak", "rdsc0", "rdss0", "10.95.0")
# Connections per second, paced in batches every 0.1 s, for WARM_S then MORE_S.
RATE, WARM_S, MORE_S = 1000, 3, 10
WARM, MORE = RATE * WARM_S, RATE * MORE_S

SERVER = f"""
import asyncio, socket, struct
async def http(reader, writer):
    await reader.readuntil(b"\\r\\n\\r\\n")
    writer.write(b"HTTP/1.1 200 OK\\r\\nConnection: close\\r\\nContent-Length: 3\\r\\n\\r\\nok\\n")
    await writer.drain()
    writer.close()
async def abort(reader, writer):
    # Answers, then closes with SO_LINGER 0 (a server avoiding TIME_WAIT).
    await reader.readuntil(b"\\r\\n\\r\\n")
    writer.write(b"HTTP/1.1 200 OK\\r\\nContent-Length: 3\\r\\n\\r\\nok\\n")
    await writer.drain()
    sock = writer.get_extra_info("socket")
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    writer.close()
async def main():
    a = await asyncio.start_server(http, {PAIR.s_addr!r}, 80, backlog=1024)
    b = await asyncio.start_server(abort, {PAIR.s_addr!r}, 82, backlog=1024)
    print("ready", flush=True)
    await asyncio.sleep(3600)
asyncio.run(main())
"""

CLIENT = f"""
import asyncio, sys
counts = dict(closed=0, aborted=0, ok=0, other=0)
async def one(i):
    port = 9 if i % 10 == 3 else 82 if i % 10 == 7 else 80
    try:
        r, w = await asyncio.open_connection({PAIR.s_addr!r}, port)
    except ConnectionRefusedError:
        counts["closed"] += 1; return
    except ConnectionResetError:      # the abort came before connect() returned
        counts["aborted" if port == 82 else "other"] += 1; return
    try:
        w.write(b"GET /%d HTTP/1.1\\r\\nHost: soak\\r\\n\\r\\n" % i)
        while await r.read():
            pass
        counts["ok" if port == 80 else "other"] += 1
    except ConnectionResetError:
        counts["aborted" if port == 82 else "other"] += 1
    w.close()
async def burst(first, n):
    loop, tasks, batch = asyncio.get_running_loop(), [], {RATE} // 10
    start = loop.time()
    for k, i in enumerate(range(first, first + n, batch)):
        await asyncio.sleep(max(0, start + k * 0.1 - loop.time()))
        tasks += [asyncio.create_task(one(j)) for j in range(i, min(i + batch, first + n))]
    await asyncio.gather(*tasks)
asyncio.run(burst(0, {WARM}))
print("warm", flush=True)
sys.stdin.readline()
asyncio.run(burst({WARM}, {MORE}))
print(" ".join(f"{{k}}={{v}}" for k, v in counts.items()), flush=True)
"""


def main():
    rstdiag = os.path.abspath(sys.argv[1])
    if os.geteuid() != 0:
        print("live-soak: needs root (network namespaces)")
        return 77
    tmp = tempfile.mkdtemp(prefix="rstdiag-soak-")
    rsts_pcap = os.path.join(tmp, "rsts.pcap")
    with PAIR:
        srv = PAIR.python(PAIR.ns_s, SERVER)
        assert srv.stdout.readline().strip() == "ready"
        dump = PAIR.run(PAIR.ns_c, ["tcpdump", "-i", PAIR.c_if, "-n", "-U", "-Z", "root",
                                    "-w", rsts_pcap, "tcp[tcpflags] & tcp-rst != 0"],
                        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        live = PAIR.run(PAIR.ns_c, [rstdiag, "-i", PAIR.c_if, "--json", "--close-timeout", "1"],
                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        records = []
        reader = threading.Thread(target=lambda: records.extend(map(json.loads, live.stdout)))
        reader.start()
        time.sleep(1.0)                     # both captures are open
        started = time.time()
        cli = PAIR.python(PAIR.ns_c, CLIENT)
        assert cli.stdout.readline().strip() == "warm", cli.stderr.read()
        time.sleep(2.5)                     # settle time and close timeout pass
        warm_rss, _ = rss_kib(live.pid)
        cli.stdin.write("go\n")
        cli.stdin.flush()
        counts = dict(kv.split("=") for kv in cli.stdout.readline().split())
        cli.wait(timeout=60)
        elapsed = time.time() - started
        time.sleep(2.5)
        end_rss, peak_rss = rss_kib(live.pid)
        for p in (live, dump):
            p.send_signal(signal.SIGTERM)
            p.wait(timeout=30)
        reader.join(timeout=30)
        srv.kill()
        dump_err = dump.stderr.read()

    seen = sh("tcpdump", "-r", rsts_pcap, "-n").stdout.count("\n")
    resets = [r for r in records if r["type"] == "reset"]
    summary = records[-1] if records and records[-1]["type"] == "summary" else {}
    capture = summary.get("capture", {})
    by_cause = {}
    for r in resets:
        by_cause[r["cause"]] = by_cause.get(r["cause"], 0) + 1
    n = WARM + MORE
    print(f"live-soak: {n} connections in {elapsed:.1f} s; client {counts}; tcpdump saw {seen} "
          f"RSTs; rstdiag {len(resets)} verdicts {by_cause}; capture {capture}; "
          f"flows peak {summary.get('flows_peak')}; RSS after warm-up {warm_rss} KiB, at the end {end_rss} KiB, peak {peak_rss} KiB")
    check("the client's connections went as designed",
          counts == {"closed": str(n // 10), "aborted": str(n // 10), "ok": str(n - n // 5),
                     "other": "0"}, counts)
    check("tcpdump dropped nothing", "0 packets dropped by kernel" in dump_err, dump_err)
    dropped = capture.get("dropped", 0) + capture.get("if_dropped", 0)
    if dropped:
        check("kernel drops are warned of",
              "kernel_drops" in [w["name"] for w in summary["warnings"]], summary)
    else:
        check("a verdict for every RST tcpdump saw", len(resets) == seen, (len(resets), seen))
        # A client's ACK crossing the abort draws a second RST: a follow-up.
        check("verdicts as designed",
              by_cause.get("closed-port") == n // 10 and by_cause.get("linger-abort") == n // 10
              and set(by_cause) <= {"closed-port", "linger-abort", "reset-followup"}, by_cause)
    check("summary and exit 0 on SIGTERM",
          live.returncode == 0 and summary.get("resets") == len(resets), live.stderr.read())
    check("resident memory flat after warm-up",
          end_rss <= warm_rss + max(512, warm_rss // 20), (warm_rss, end_rss))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
