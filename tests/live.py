#!/usr/bin/env python3
"""Live mode on a real interface (needs root and network namespaces).

Two namespaces joined by a veth pair; `rstdiag -i` runs in the client's,
with --json, while real sockets produce a closed-port, a data-after-fin and
an unread-recv-buffer reset. Each verdict must arrive within a second of
its RST's own time stamp; SIGTERM must print the summary and exit 0. Bad
uses (no such interface, no privilege, a FILE with -i) get one error line.

usage: live.py BUILD/rstdiag TESTDATA_DIR
"""
import json
import os
import signal
import subprocess
import sys
import threading
import time

NS_C, NS_S = "rstdiag-live-c", "rstdiag-live-s"
C_IF, S_IF = "rdlc0", "rdls0"
C_ADDR, S_ADDR = "10.94.0.1", "10.94.0.2"

failures = []
ran = 0


def check(name, ok, detail=""):
    global ran
    ran += 1
    print(("ok   " if ok else "FAIL ") + name + ("" if ok else f": {detail}"))
    if not ok:
        failures.append(name)


def sh(*cmd, check=True):
    return subprocess.run(cmd, check=check, capture_output=True, text=True)


def setup():
    teardown()
    sh("ip", "netns", "add", NS_C)
    sh("ip", "netns", "add", NS_S)
    sh("ip", "link", "add", C_IF, "netns", NS_C, "type", "veth", "peer", S_IF, "netns", NS_S)
    for ns, ifname, addr in ((NS_C, C_IF, C_ADDR), (NS_S, S_IF, S_ADDR)):
        sh("ip", "-n", ns, "addr", "add", addr + "/24", "dev", ifname)
        sh("ip", "-n", ns, "link", "set", ifname, "up")
        sh("ip", "-n", ns, "link", "set", "lo", "up")


def teardown():
    for ns in (NS_C, NS_S):
        sh("ip", "netns", "del", ns, check=False)


def in_ns(ns, code):
    return subprocess.Popen(["ip", "netns", "exec", ns, sys.executable, "-c", code],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


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


def main():
    rstdiag, testdata = os.path.abspath(sys.argv[1]), sys.argv[2]
    if os.geteuid() != 0:
        print("live: needs root (network namespaces)")
        return 77
    bad_uses(rstdiag, testdata)
    setup()
    try:
        srv = in_ns(NS_S, SERVER)
        assert srv.stdout.readline().strip() == "ready"
        live = subprocess.Popen(["ip", "netns", "exec", NS_C, rstdiag, "-i", C_IF, "--json"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        records = []

        def reader():
            for line in live.stdout:
                records.append((time.time(), json.loads(line)))
        t = threading.Thread(target=reader)
        t.start()
        time.sleep(1.0)                     # the capture is open
        cli = in_ns(NS_C, CLIENT)
        cli.wait(timeout=30)
        srv.wait(timeout=30)
        time.sleep(1.0)
        live.send_signal(signal.SIGTERM)
        live.wait(timeout=10)
        t.join(timeout=10)

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
    finally:
        teardown()
    print(f"live: {ran} checks, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
