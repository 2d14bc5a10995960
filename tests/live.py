#!/usr/bin/env python3
"""Live mode on a real interface (needs root and network namespaces).

Two namespaces joined by a veth pair; `rstdiag -i` runs in the client's,
with --json, while real sockets produce a closed-port, a data-after-fin and
an unread-recv-buffer reset. Each verdict must arrive within a second of
its RST's own time stamp; SIGTERM must print the summary and exit 0; with
-c 1 rstdiag stops by itself after the first verdict. Bad
uses (no such interface, no privilege, a FILE with -i) get one error line.

usage: live.py BUILD/rstdiag TESTDATA_DIR
"""
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time

import checks
from checks import check, failures
from veth_pair import VethPair, sh

PAIR = VethPair("rstdiag-live", "rdlc0", "rdls0", "10.94.0")
S_ADDR = PAIR.s_addr

SERVER = f"""
import socket, time
def listen(port):
    s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(({S_ADDR!r}, port)); s.listen(8); return s
ka, pipe = listen(80), listen(81)
print("ready", flush=True)
# data-after-fin: answer one request, close the idle connection after 0.3 s
c, _ = ka.accept(); c.recv(4096)
c.sendall(b"HTTP/1.1 200 OK\\r\\nContent-Length: 3\\r\\n\\r\\nok\\n")
time.sleep(0.3); c.close()
# unread-recv-buffer: read the first of three pipelined requests, answer, close
c, _ = pipe.accept(); time.sleep(0.2); c.recv(18)
c.sendall(b"HTTP/1.1 200 OK\\r\\nContent-Length: 3\\r\\n\\r\\nok\\n"); c.close()
time.sleep(1)
"""

CLIENT = f"""
import socket, time
def req(path): return ("GET " + path + " HTTP/1.1\\r\\n\\r\\n").encode()
s = socket.socket()
try:
    s.connect(({S_ADDR!r}, 9))          # closed-port
except OSError:
    pass
time.sleep(1.2)
c = socket.create_connection(({S_ADDR!r}, 80))
c.sendall(req("/a")); c.recv(4096)
time.sleep(0.6)                         # the server has closed meanwhile
try:
    c.sendall(req("/b")); time.sleep(0.2); c.recv(4096)
except OSError:
    pass
time.sleep(1.2)
c = socket.create_connection(({S_ADDR!r}, 81))
c.sendall(req("/1") + req("/2") + req("/3"))
try:
    while c.recv(4096): pass
except OSError:
    pass
time.sleep(1.5)
"""


def bad_uses(rstdiag, testdata):
    p = sh(rstdiag, "-i", "rstdiag-nosuch0", check=False)
    check("-i nosuch", p.returncode == 1 and p.stderr.count("\n") == 1 and
          "no such interface" in p.stderr, p.stderr)
    p = sh(rstdiag, "-i", "lo", os.path.join(testdata, "eth.pcap"), check=False)
    check("-i with a FILE", p.returncode == 2 and "-i reads an interface" in p.stderr, p.stderr)
    p = sh("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", rstdiag, "-i", "lo",
           check=False)
    check("-i without privilege", p.returncode == 1 and "permission denied" in p.stderr and
          p.stderr.count("\n") == 1, p.stderr)
    p = sh(rstdiag, "-D", check=False)
    check("-D", p.returncode == 0 and "1." in p.stdout and "lo" in p.stdout, p.stdout)


DROPS_CLIENT = f"""
import socket
for _ in range(4000):                   # 4000 SYNs to a closed port, 4000 RSTs
    s = socket.socket()
    try:
        s.connect(({S_ADDR!r}, 9))
    except OSError:
        pass
    s.close()
"""


def kernel_drops(rstdiag):
    """A stopped rstdiag with a small buffer loses packets: it says so at once
    (a warning line while still running) and in the summary. -B 32 asks for
    32 KiB; libpcap's TPACKET_V3 ring is never smaller than one 256 KiB
    block, so the 8000 packets (about 1 MB in the ring) overflow it."""
    with PAIR, tempfile.TemporaryFile("w+") as err:
        live = PAIR.run(PAIR.ns_c, [rstdiag, "-i", PAIR.c_if, "--json", "-B", "32"],
                        stdout=subprocess.PIPE, stderr=err, text=True)
        time.sleep(1.0)
        os.kill(live.pid, signal.SIGSTOP)
        PAIR.python(PAIR.ns_c, DROPS_CLIENT).wait(timeout=30)
        os.kill(live.pid, signal.SIGCONT)
        time.sleep(2.5)                     # libpcap's counts are read every second
        err.seek(0)
        said_while_running = err.read()
        live.send_signal(signal.SIGTERM)
        out, _ = live.communicate(timeout=10)
    records = [json.loads(line) for line in out.splitlines()]
    summary = records[-1]
    resets = len(records) - 1
    check("kernel drops: a warning line while running",
          said_while_running.count("\n") == 1 and "the kernel dropped" in said_while_running,
          said_while_running)
    check("kernel drops: counted in the summary, resets lost said",
          live.returncode == 0 and summary["capture"]["dropped"] > 0 and
          "kernel_drops" in [w["name"] for w in summary["warnings"]] and resets < 4000,
          (live.returncode, summary, resets))


def follow(proc, parse):
    """Collects (arrival time, parsed line) from proc's stdout in a thread."""
    lines = []

    def reader():
        for line in proc.stdout:
            lines.append((time.time(), parse(line)))
    t = threading.Thread(target=reader)
    t.start()
    return lines, t


def main():
    rstdiag, testdata = os.path.abspath(sys.argv[1]), sys.argv[2]
    if os.geteuid() != 0:
        print("live: needs root (network namespaces)")
        return 77
    bad_uses(rstdiag, testdata)
    with PAIR:
        srv = PAIR.python(PAIR.ns_s, SERVER)
        assert srv.stdout.readline().strip() == "ready"
        pipes = dict(stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        live = PAIR.run(PAIR.ns_c, [rstdiag, "-i", PAIR.c_if, "--json"], **pipes)
        # 'any' is Linux cooked capture; the text report prints a line per reset.
        anyif = PAIR.run(PAIR.ns_c, [rstdiag, "-i", "any"], **pipes)
        # -c 1: stops by itself after the first verdict, as tcpdump -c does.
        first = PAIR.run(PAIR.ns_c, [rstdiag, "-i", PAIR.c_if, "--json", "-c", "1"], **pipes)
        records, t_json = follow(live, json.loads)
        text, t_text = follow(anyif, str.rstrip)
        time.sleep(1.0)                     # the captures are open
        cli = PAIR.python(PAIR.ns_c, CLIENT)
        cli.wait(timeout=30)
        srv.wait(timeout=30)
        time.sleep(1.0)
        first_exit = first.poll()           # before any signal: it must have stopped itself
        stopped_at = time.time()
        for p in (live, anyif, first):
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
            p.wait(timeout=10)
        first_out = [json.loads(line) for line in first.stdout.read().splitlines()]
        t_json.join(timeout=10)
        t_text.join(timeout=10)

    resets = [(at, r) for at, r in records if r["type"] == "reset"]
    causes = [r["cause"] for _, r in resets]
    for want in ("closed-port", "data-after-fin", "unread-recv-buffer"):
        check(f"verdict {want}", want in causes, causes)
    late = [(r["frame"], round(at - float(r["ts"]), 3)) for at, r in resets
            if at - float(r["ts"]) > 1.0]
    check("each verdict within a second of its RST", not late, late)
    summary = [r for _, r in records if r["type"] == "summary"]
    check("SIGTERM: summary and exit 0", live.returncode == 0 and len(summary) == 1 and
          summary[0]["resets"] == len(resets) and "capture" in summary[0] and
          summary[0]["capture"]["received"] >= summary[0]["tcp_packets"],
          (live.returncode, summary, live.stderr.read()))

    first_resets = [r for r in first_out if r["type"] == "reset"]
    check("-c 1: exits 0 by itself after one reset, then the summary",
          first_exit == 0 and len(first_resets) == 1 and
          first_resets[0]["cause"] == "closed-port" and first_out[-1]["type"] == "summary" and
          first_out[-1]["resets"] == 1, (first_exit, first_out, first.stderr.read()))

    # -i any, text: the same verdicts, one line each before the stop, then the report.
    lines = [(at, l) for at, l in text if " RST #" in l]
    line_causes = [next((c for c in causes if f" {c}" in l), None) for _, l in lines]
    check("-i any: a text line per reset, as it is decided",
          sorted(line_causes) == sorted(causes) and
          all(at < stopped_at for at, _ in lines), (text, causes))
    report = [l for _, l in text]
    check("-i any: SIGTERM prints the grouped report",
          anyif.returncode == 0 and "Resets by cause" in report and
          any(re.match(r"  libpcap: \d+ packets received, \d+ dropped", l) for l in report),
          (anyif.returncode, report, anyif.stderr.read()))
    kernel_drops(rstdiag)
    print(f"live: {checks.ran} checks, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
