#!/usr/bin/env python3
"""Live-mode soak: thousands of short connections, a share of them reset.

rstdiag -i runs on the client's end of a veth pair, with a tcpdump beside it
that keeps only RST segments. The client opens 1000 connections a second for 3 s,
pauses while rstdiag's memory is read, then goes on for 10 s. One in ten goes
to a closed port (9), one in ten to a server that answers and then aborts with
SO_LINGER 0 (port 82), the rest are HTTP-like exchanges the server closes with
a FIN (port 80).

The designed RSTs are told apart by their design, from their ports: the
server's from port 9 (closed-port) and from port 82 (linger-abort, and the
reset-followup a client ACK crossing the abort draws). When the client
reuses a port within a second, rstdiag still remembers the old connection
of that 4-tuple; such RSTs are counted apart, with their verdicts, and hold
only to one RST a connection. Any other RST is one
the kernel made on its own, most often because the machine was loaded (an
accept queue overflowing, a port reused while its old connection lingers in
TIME_WAIT): each is counted and named with rstdiag's verdict, and fails
nothing by being there.

Checks: rstdiag's capture drops nothing (a 32 MiB buffer) and every RST
tcpdump saw has a verdict; every connection to ports 9 and 82 was reset as
designed and got the designed verdict; a port-80 connection ends with the
server's FIN unless a RST outside the design ended it; memory follows the
connections tracked at once (see MEMORY). --close-timeout 1 lets finished
connections go after a second; the default 120 s would need minutes.

usage: live_soak.py BUILD/rstdiag
"""
import bisect
import collections
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time

from checks import check, failures
from rss import anon_kib
from veth_pair import VethPair, sh

PAIR = VethPair("rstdiag-soak", "rdsc0", "rdss0", "10.95.0")
# Connections per second, paced in batches every 0.1 s, for WARM_S then MORE_S.
RATE, WARM_S, MORE_S = 1000, 3, 10
WARM, MORE = RATE * WARM_S, RATE * MORE_S
CLOSED, ABORT, HTTP = 9, 82, 80
# MEMORY: rstdiag's anonymous memory (rss.anon_kib: not the packet ring,
# whose resident share a loaded machine decides) may grow from before the
# traffic by what it holds at once, each part at its cost:
#   - the connections tracked at once (the summary's flows_peak), 512 bytes
#     each (the flow table's budget, README), plus one slab of 1024 flows
#     (488 KiB, src/flow_table.c, carved whole);
#   - the RSTs waiting their settle time at once (counted from the records'
#     times), in a queue whose ring doubles up to the next power of two; the
#     rings it outgrew may stay resident in malloc's free lists, so twice
#     that many entries (the entry's size comes from tests/meson.build);
#   - 512 KiB for the rest (stdio and JSON buffers, malloc's own).
# A slow machine makes connections last longer and bunches the client's
# batches, and so the RSTs; both counts, and the bound, rise with them.
BYTES_PER_FLOW, SLAB_KIB, SLACK_KIB = 512, 488, 512
SETTLE_S = 2           # VERDICT_QUEUE_SETTLE_NS (src/verdict_queue.h)

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
    a = await asyncio.start_server(http, {PAIR.s_addr!r}, {HTTP}, backlog=1024)
    b = await asyncio.start_server(abort, {PAIR.s_addr!r}, {ABORT}, backlog=1024)
    print("ready", flush=True)
    await asyncio.sleep(3600)
asyncio.run(main())
"""

CLIENT = f"""
import asyncio, collections, json, sys
ends = collections.Counter()          # "port how-it-ended"
async def one(i):
    port = {CLOSED} if i % 10 == 3 else {ABORT} if i % 10 == 7 else {HTTP}
    try:
        r, w = await asyncio.open_connection({PAIR.s_addr!r}, port)
    except ConnectionRefusedError:
        ends[f"{{port}} refused"] += 1; return
    except ConnectionResetError:      # the abort came before connect() returned
        ends[f"{{port}} reset"] += 1; return
    except OSError as e:
        ends[f"{{port}} {{type(e).__name__}}"] += 1; return
    try:
        w.write(b"GET /%d HTTP/1.1\\r\\nHost: soak\\r\\n\\r\\n" % i)
        while await r.read():
            pass
        ends[f"{{port}} fin"] += 1
    except ConnectionResetError:
        ends[f"{{port}} reset"] += 1
    except OSError as e:
        ends[f"{{port}} {{type(e).__name__}}"] += 1
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
print(json.dumps(ends), flush=True)
"""


def reused(r, resets):
    """Whether r's 4-tuple had a RST less than --close-timeout (1 s) and
    the settle time before: the client reused its port while rstdiag still
    remembered the old connection, a history the design does not make (it
    happens when the client's ports run short, as under load)."""
    return any(o is not r and o["frame"] < r["frame"] and float(r["ts"]) - float(o["ts"]) < 1.5
               and (o["src"], o["sport"], o["dst"], o["dport"]) ==
               (r["src"], r["sport"], r["dst"], r["dport"]) for o in resets)


def designed(r):
    """The verdicts the design allows for a RST record, or None when the
    design made no RST there."""
    if r["src"] != PAIR.s_addr:
        return None
    if r["sport"] == CLOSED:
        return {"closed-port"}
    if r["sport"] == ABORT:
        # A client's ACK crossing the abort draws a second RST: a follow-up.
        return {"linger-abort", "reset-followup"}
    return None


def main():
    rstdiag, entry_bytes = os.path.abspath(sys.argv[1]), int(sys.argv[2])
    if os.geteuid() != 0:
        print("live-soak: needs root (network namespaces)")
        return 77
    if entry_bytes <= 0:
        print("FAIL the size of a waiting verdict is unknown: see queue_entry in "
              "tests/meson.build")
        return 1
    tmp = tempfile.mkdtemp(prefix="rstdiag-soak-")
    rsts_pcap = os.path.join(tmp, "rsts.pcap")
    with PAIR:
        srv = PAIR.python(PAIR.ns_s, SERVER)
        assert srv.stdout.readline().strip() == "ready"
        # 32 MiB buffers: about 20 s of this traffic, so a reader starved of
        # the CPU for seconds still loses nothing.
        dump = PAIR.run(PAIR.ns_c, ["tcpdump", "-i", PAIR.c_if, "-n", "-U", "-Z", "root",
                                    "-B", "32768", "-w", rsts_pcap,
                                    "tcp[tcpflags] & tcp-rst != 0"],
                        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        live = PAIR.run(PAIR.ns_c, [rstdiag, "-i", PAIR.c_if, "--json", "--close-timeout", "1",
                                    "-B", "32768"],
                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        records = []
        reader = threading.Thread(target=lambda: records.extend(map(json.loads, live.stdout)))
        reader.start()
        time.sleep(1.0)                     # both captures are open
        base_kib = anon_kib(live.pid)
        started = time.time()
        cli = PAIR.python(PAIR.ns_c, CLIENT)
        assert cli.stdout.readline().strip() == "warm", cli.stderr.read()
        time.sleep(2.5)                     # settle time and close timeout pass
        warm_kib = anon_kib(live.pid)
        cli.stdin.write("go\n")
        cli.stdin.flush()
        ends = json.loads(cli.stdout.readline() or "{}")
        cli.wait(timeout=60)
        elapsed = time.time() - started
        time.sleep(2.5)
        end_kib = anon_kib(live.pid)
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
    ours = [r for r in resets if designed(r)]
    extra = [r for r in resets if not designed(r)]
    by_tuple = collections.defaultdict(list)
    for r in ours:
        by_tuple[(r["src"], r["sport"], r["dst"], r["dport"])].append(r)
    again = [r for rs in by_tuple.values() if len(rs) > 1 for r in rs if reused(r, rs)]
    fresh = [r for r in ours if r not in again]
    ours_by = collections.Counter((r["sport"], r["cause"]) for r in fresh)
    again_by = collections.Counter((r["sport"], r["cause"]) for r in again)
    extra_by = collections.Counter(
        (r["sender"], r["sport"] if r["src"] == PAIR.s_addr else r["dport"], r["cause"])
        for r in extra)
    n = WARM + MORE
    print(f"live-soak: {n} connections in {elapsed:.1f} s; client {ends}; tcpdump saw {seen} "
          f"RSTs; rstdiag {len(resets)} verdicts, {len(ours)} designed {dict(ours_by)}; "
          f"capture {capture}; flows peak {summary.get('flows_peak')}; anonymous memory "
          f"before the traffic {base_kib} KiB, after warm-up {warm_kib} KiB, "
          f"at the end {end_kib} KiB")
    # Not the design's: the kernel's own, named by rstdiag's verdict.
    print(f"designed RSTs on a 4-tuple reused within the close timeout: {len(again)} "
          f"{dict(again_by)}")
    print(f"RSTs outside the design (the kernel's own, under load): {len(extra)}")
    for (sender, port, cause), k in sorted(extra_by.items()):
        print(f"  {k} sent by the {sender} on connections to port {port}, judged {cause}")

    dropped = capture.get("dropped", 0) + capture.get("if_dropped", 0)
    check("rstdiag's capture dropped nothing", dropped == 0 and
          "kernel_drops" not in [w["name"] for w in summary.get("warnings", [])], capture)
    check("tcpdump dropped nothing", "0 packets dropped by kernel" in dump_err, dump_err)
    check("a verdict for every RST tcpdump saw", len(resets) == seen, (len(resets), seen))
    check("every designed RST on a fresh 4-tuple got a designed verdict",
          all(r["cause"] in designed(r) for r in fresh), dict(ours_by))
    # A reused tuple's RST is still one RST per connection, whatever its verdict.
    check(f"port {CLOSED}: each of the {n // 10} connections refused, one RST each, "
          "closed-port on a fresh tuple",
          ends.get(f"{CLOSED} refused") == n // 10 and
          ours_by[(CLOSED, "closed-port")] + sum(again_by[k] for k in again_by
                                                 if k[0] == CLOSED) == n // 10,
          (ends, dict(ours_by), dict(again_by)))
    check(f"port {ABORT}: each of the {n // 10} connections aborted, one RST each, "
          "linger-abort on a fresh tuple",
          ends.get(f"{ABORT} reset") == n // 10 and
          ours_by[(ABORT, "linger-abort")] + sum(again_by[k] for k in again_by
                                                 if k[0] == ABORT and
                                                 k[1] != "reset-followup") == n // 10,
          (ends, dict(ours_by), dict(again_by)))
    # A port-80 connection ends with the server's FIN, or with a RST outside
    # the design that the server's side sent (the client saw it reset).
    server_extra = sum(1 for r in extra if r["src"] == PAIR.s_addr and r["sport"] == HTTP)
    http_ends = {k: v for k, v in ends.items() if k.startswith(f"{HTTP} ")}
    http_cut = sum(v for k, v in http_ends.items() if k != f"{HTTP} fin")
    check(f"port {HTTP}: every connection ended, by a FIN or by a RST seen on the wire",
          sum(http_ends.values()) == n - n // 5 and
          set(http_ends) <= {f"{HTTP} fin", f"{HTTP} reset", f"{HTTP} refused"} and
          http_cut <= server_extra, (http_ends, server_extra))
    check("summary and exit 0 on SIGTERM",
          live.returncode == 0 and summary.get("resets") == len(resets), live.stderr.read())
    peak = summary.get("flows_peak", 0)
    times = sorted(float(r["ts"]) for r in resets)
    waiting = max((bisect.bisect_right(times, t + SETTLE_S) - i for i, t in enumerate(times)),
                  default=0)
    ring = 1 << max(3, (waiting - 1).bit_length())
    bound = (base_kib + peak * BYTES_PER_FLOW / 1024 + SLAB_KIB +
             2 * ring * entry_bytes / 1024 + SLACK_KIB)
    check(f"memory follows the {peak} connections and {waiting} RSTs held at once: "
          f"at most {bound:.0f} KiB", end_kib <= bound and warm_kib <= bound,
          (base_kib, warm_kib, end_kib))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
