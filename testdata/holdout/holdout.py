#!/usr/bin/python3
"""Blind hold-out captures of real Linux TCP RSTs for rstdiag.

Each scenario is one function (decorated with @scenario) that builds its own
network namespaces (prefix ho-), runs real programs in them, captures with
tcpdump or dumpcap, and records the kernel's reason for every RST it sends
from the tracepoint tcp/tcp_send_reset (a private tracefs instance).  Labels
come from the scenario's design; the kernel's reason is stored beside them.

usage: holdout.py [--list] [NAME ...]      (no NAME: every scenario)
Writes NAME.pcap(ng) and NAME.labels.json into work/, and merges every
scenario's labels into labels.json.  Needs root.
"""
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time

OUT = os.path.dirname(os.path.abspath(__file__))
WORK = os.path.join(OUT, "work")
PY = "/usr/bin/python3"
TRACEFS = "/sys/kernel/tracing"
TRACE_INST = os.path.join(TRACEFS, "instances", "ho_holdout")

SCENARIOS = {}


def scenario(n):
    """Registers a scenario using the address blocks 10.51.n/24, 10.52.n/24,
    fd51:n::/64 and fd52:n::/64 and namespaces ho-<n>-*."""
    def wrap(fn):
        fn.tag = str(n)
        fn.blocks = [f"10.51.{n}.", f"10.52.{n}.", f"fd51:{n}:", f"fd52:{n}:"]
        SCENARIOS[fn.__name__.replace("_", "-")] = fn
        return fn
    return wrap


def sh(*args, check=True, **kw):
    p = subprocess.run([str(a) for a in args], capture_output=True, text=True, **kw)
    if check and p.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, args))}: {p.stderr.strip()}")
    return p


def log(*a):
    print(*a, file=sys.stderr, flush=True)


# ------------------------------------------------------------------ tracer

TRACE_RE = re.compile(r"tcp_send_reset: .*?src=(\S+) dest=(\S+) state=(\S+) reason=(\S+)")


def hostport(s):
    host, _, port = s.rpartition(":")
    return host.strip("[]"), int(port)


class Tracer:
    def __init__(self):
        if not os.path.isdir(TRACE_INST):
            os.mkdir(TRACE_INST)
        self._w("events/tcp/tcp_send_reset/enable", "1")

    def _w(self, rel, v):
        with open(os.path.join(TRACE_INST, rel), "w") as f:
            f.write(v)

    def clear(self):
        self._w("trace", "")

    def events(self):
        out = []
        with open(os.path.join(TRACE_INST, "trace")) as f:
            for line in f:
                m = TRACE_RE.search(line)
                if m:
                    out.append(dict(src=hostport(m.group(1)), dst=hostport(m.group(2)),
                                    state=m.group(3), reason=m.group(4)))
        return out

    def close(self):
        try:
            self._w("events/tcp/tcp_send_reset/enable", "0")
            os.rmdir(TRACE_INST)
        except OSError:
            pass


# ------------------------------------------------------------------ namespaces

class Net:
    """Namespaces ho-<tag>-<who>, veths, processes and captures of one scenario."""

    def __init__(self, tag):
        self.tag = tag
        self.made = []
        self.procs = []
        self.caps = []

    def ns(self, who):
        return f"ho-{self.tag}-{who}"

    def add(self, *whos):
        for who in whos:
            ns = self.ns(who)
            sh("ip", "netns", "del", ns, check=False)
            sh("ip", "netns", "add", ns)
            self.made.append(ns)
            sh("ip", "-n", ns, "link", "set", "lo", "up")
            for k in ("all", "default"):
                self.sysctl(who, f"net.ipv6.conf.{k}.accept_dad", 0)
                self.sysctl(who, f"net.ipv6.conf.{k}.router_solicitations", 0)

    def sysctl(self, who, key, value):
        self.x(who, "sysctl", "-qw", f"{key}={value}")

    def x(self, who, *cmd, check=True, **kw):
        return sh("ip", "netns", "exec", self.ns(who), *cmd, check=check, **kw)

    def veth(self, a, ia, b, ib, mtu=None):
        sh("ip", "link", "add", ia, "netns", self.ns(a), "type", "veth", "peer", "name", ib,
           "netns", self.ns(b))
        for who, i in ((a, ia), (b, ib)):
            if mtu:
                sh("ip", "-n", self.ns(who), "link", "set", i, "mtu", mtu)
            sh("ip", "-n", self.ns(who), "link", "set", i, "up")

    def addr(self, who, dev, cidr):
        extra = ["nodad"] if ":" in cidr else []
        sh("ip", "-n", self.ns(who), "addr", "add", cidr, "dev", dev, *extra)

    def route(self, who, *args):
        v6 = any(":" in a for a in args)
        sh("ip", "-n", self.ns(who), *(["-6"] if v6 else []), "route", "add", *args)

    def nft(self, who, ruleset):
        p = subprocess.run(["ip", "netns", "exec", self.ns(who), "nft", "-f", "-"],
                           input=ruleset, capture_output=True, text=True)
        if p.returncode:
            raise RuntimeError("nft: " + p.stderr)

    def start(self, who, cmd, name, ready=None, timeout=10.0):
        """Runs cmd (a list) in who's namespace in its own session; ready: a
        string to wait for in its output, or (host, port) to wait for a listener."""
        logf = open(os.path.join(WORK, f"{self.tag}.{name}.log"), "w")
        p = subprocess.Popen(["ip", "netns", "exec", self.ns(who)] + [str(c) for c in cmd],
                             stdout=logf, stderr=subprocess.STDOUT, start_new_session=True)
        p.logpath = logf.name
        p.who = who
        self.procs.append(p)
        t0 = time.time()
        while ready is not None:
            if isinstance(ready, str):
                with open(p.logpath) as f:
                    if ready in f.read():
                        break
            else:
                port = ready[1]
                ss = self.x(who, "ss", "-Hltn", f"sport = :{port}", check=False).stdout
                if ss.strip():
                    break
            if p.poll() is not None:
                raise RuntimeError(f"{name} exited: {open(p.logpath).read()[-2000:]}")
            if time.time() - t0 > timeout:
                raise RuntimeError(f"{name} not ready: {open(p.logpath).read()[-2000:]}")
            time.sleep(0.05)
        return p

    def py(self, who, code, name, ready=None, args=()):
        path = os.path.join(WORK, f"{self.tag}.{name}.py")
        with open(path, "w") as f:
            f.write(code)
        return self.start(who, [PY, "-u", path, *args], name, ready=ready)

    def kill(self, p, sig=signal.SIGKILL):
        """Signals the process group of one process we started (by its id)."""
        try:
            os.killpg(p.pid, sig)
        except ProcessLookupError:
            pass

    def capture(self, who, ifaces, path, tool="tcpdump", snaplen=0, filt="tcp or udp or proto 47"):
        if tool == "tcpdump":
            cmd = ["tcpdump", "-i", ifaces[0], "-w", path, "-U", "--immediate-mode", "-B", "8192",
                   "-s", str(snaplen or 262144)] + ([filt] if filt else [])
            ready = "listening on"
        else:
            cmd = ["dumpcap", "-q", "-w", path, "-s", str(snaplen or 262144)] + (["-f", filt] if filt else [])
            for i in ifaces:
                cmd += ["-i", i]
            ready = "Capturing on"
        p = self.start(who, cmd, "capture", ready=ready)
        time.sleep(0.3)
        self.caps.append(p)
        return p

    def stop_captures(self):
        time.sleep(0.4)
        for p in self.caps:
            self.kill(p, signal.SIGINT)
            try:
                p.wait(5)
            except subprocess.TimeoutExpired:
                self.kill(p)
        self.caps = []

    def close(self):
        self.stop_captures()
        for p in self.procs:
            if p.poll() is None:
                self.kill(p, signal.SIGTERM)
        time.sleep(0.2)
        for p in self.procs:
            if p.poll() is None:
                self.kill(p)
            try:
                p.wait(3)
            except subprocess.TimeoutExpired:
                pass
        for ns in reversed(self.made):
            sh("ip", "netns", "del", ns, check=False)


# ------------------------------------------------------------------ reading RSTs

FIELDS = ["frame.number", "frame.time_relative", "ip.src", "ipv6.src", "tcp.srcport", "ip.dst",
          "ipv6.dst", "tcp.dstport", "tcp.seq_raw", "tcp.ack_raw", "tcp.flags.ack", "ip.ttl",
          "ipv6.hlim", "ip.id", "frame.interface_name", "tcp.len"]


def rst_frames(path):
    p = sh("tshark", "-r", path, "-Y", "tcp.flags.reset==1", "-T", "fields",
           *sum([["-e", f] for f in FIELDS], []), "-E", "occurrence=l")
    rows = []
    for line in p.stdout.splitlines():
        v = dict(zip(FIELDS, line.split("\t")))
        src = v["ipv6.src"] or v["ip.src"]
        dst = v["ipv6.dst"] or v["ip.dst"]
        if v["ip.src"] and v["ipv6.src"]:
            pass
        rows.append(dict(frame=int(v["frame.number"]), t=float(v["frame.time_relative"]),
                         src=(src, int(v["tcp.srcport"])), dst=(dst, int(v["tcp.dstport"])),
                         seq=int(v["tcp.seq_raw"]), ack=int(v["tcp.ack_raw"]),
                         has_ack=v["tcp.flags.ack"] in ("1", "True"),
                         ttl=v["ip.ttl"] or v["ipv6.hlim"], ipid=v["ip.id"],
                         iface=v["frame.interface_name"]))
    return rows


def flow_key(a, b):
    return tuple(sorted([a, b]))


def match_events(rsts, events):
    """Pairs each captured RST with a tcp_send_reset event of the same
    addresses (the listener-traced form has destination 0.0.0.0:0 / [::]:0).
    A packet seen twice (two interfaces) gets the same event."""
    used = set()
    seen = {}
    for r in rsts:
        ident = (r["src"], r["dst"], r["seq"], r["ack"])
        if ident in seen and abs(seen[ident][1] - r["t"]) < 0.002:
            r["kernel"] = seen[ident][0]   # the same packet on a second interface
            r["dup_of"] = seen[ident][2]
            continue
        r["kernel"] = None
        for i, e in enumerate(events):
            if i in used or e["src"] != r["src"]:
                continue
            if e["dst"] == r["dst"] or e["dst"][1] == 0:
                used.add(i)
                r["kernel"] = e
                break
        seen[ident] = (r["kernel"], r["t"], r["frame"])
    return [e for i, e in enumerate(events) if i not in used]


# ------------------------------------------------------------------ labelling

class Rules:
    """Labels of one scenario: `servers` are the (addr, port) of its servers;
    `rules` a list of (test, label) tried in order, test(r) on a RST row with
    r['sender'], r['kernel_reason'], r['prior'] (earlier RSTs of the flow)."""

    def __init__(self, servers, rules, middlebox=None):
        self.servers = set(servers)
        self.rules = rules
        self.middlebox = middlebox or (lambda r: False)

    def apply(self, fname, rsts):
        self.path = os.path.join(OUT, fname)
        out, prior = [], {}
        done = {}
        for r in rsts:
            if r.get("dup_of") in done:   # one packet captured on two interfaces
                rec = dict(done[r["dup_of"]], frame=r["frame"], interface=r.get("iface"),
                           duplicate_of=r["dup_of"])
                out.append(rec)
                continue
            k = flow_key(r["src"], r["dst"])
            r["prior"] = prior.setdefault(k, [])
            role = "server" if r["src"] in self.servers else "client"
            r["sender"] = "middlebox" if self.middlebox(r) else role
            r["src_role"] = role
            r["kernel_reason"] = r["kernel"]["reason"] if r["kernel"] else None
            for test, lab in self.rules:
                if test(r):
                    break
            else:
                raise RuntimeError(f"{fname}: no rule for frame {r['frame']} {r}")
            lab = dict(lab(r) if callable(lab) else lab)
            if lab["cause"] == "data-after-fin" and lab.get("detail", "auto") == "auto":
                lab["detail"] = fin_detail(self.path, r)
            rec = dict(file=fname, frame=r["frame"], sender=r["sender"], cause=lab["cause"],
                       detail=lab.get("detail"), acceptable=lab.get("acceptable", []),
                       kernel_reason=r["kernel_reason"], why=lab["why"])
            rec["src_role"] = role
            rec["kernel_state"] = r["kernel"]["state"] if r["kernel"] else None
            if r["prior"]:
                rec["followup_of"] = r["prior"][0]
            rec["tuple"] = f"{r['src'][0]}:{r['src'][1]} > {r['dst'][0]}:{r['dst'][1]}"
            if r.get("iface"):
                rec["interface"] = r["iface"]
            out.append(rec)
            done[r["frame"]] = rec
            r["prior"].append(r["frame"])
        return out


def fin_detail(path, r):
    """TAXONOMY's detail of data-after-fin, read from the capture: `race`
    when the segment the RST answers did not acknowledge the RST sender's
    FIN, `ignored-fin` when it did."""
    a, b = r["src"], r["dst"]
    flt = (f"tcp.port=={a[1]} && tcp.port=={b[1]} && frame.number < {r['frame']}")
    p = sh("tshark", "-r", path, "-Y", flt, "-T", "fields", "-e", "frame.number", "-e", "tcp.srcport",
           "-e", "tcp.flags.fin", "-e", "tcp.seq_raw", "-e", "tcp.ack_raw", "-e", "tcp.len",
           "-e", "tcp.flags.reset", "-E", "occurrence=l")
    fin = trig = None
    for line in p.stdout.splitlines():
        fr, sport, f, seq, ack, ln, rst = line.split("\t")
        if int(sport) == a[1] and f in ("1", "True"):
            fin = int(seq) + int(ln)
        if int(sport) == b[1] and (int(ln) > 0 or f in ("1", "True")) and rst not in ("1", "True"):
            trig = int(ack)
    if fin is None or trig is None:
        return None
    return "ignored-fin" if ((trig - (fin + 1)) & 0xffffffff) < 0x80000000 else "race"


def followup(r):
    return bool(r["prior"])


FOLLOWUP = (followup, lambda r: dict(
    cause="reset-followup",
    why=f"a stray segment of a flow already reset (first RST frame {r['prior'][0]}) meets "
        f"no connection ({r['kernel_reason']})"))


def run(names):
    os.makedirs(WORK, exist_ok=True)
    tracer = Tracer()
    failed = []
    try:
        for name in names:
            fn = SCENARIOS[name]
            log(f"== {name}")
            tracer.clear()
            net = Net(fn.tag)
            try:
                fname, rules = fn(net)
            except Exception as e:
                log(f"!! {name}: {e}")
                failed.append(name)
                net.close()
                continue
            net.close()
            time.sleep(0.3)
            events = tracer.events()
            path = os.path.join(OUT, fname)
            os.chmod(path, 0o644)
            rsts = rst_frames(path)
            # keep the events of this scenario's address block only
            events = [e for e in events if any(b in e["src"][0] for b in fn.blocks)]
            extra = match_events(rsts, events)
            try:
                labels = rules.apply(fname, rsts)
            except RuntimeError as e:
                log(f"!! {e}")
                failed.append(name)
                labels = []
            with open(os.path.join(WORK, f"{name}.labels.json"), "w") as f:
                json.dump(dict(labels=labels, events=events, unmatched_events=extra), f, indent=1)
            for l in labels:
                log(f"   #{l['frame']} {l['tuple']} {l['sender']} {l['kernel_reason']} -> "
                    f"{l['cause']}/{l['detail']}")
            for e in extra:
                log(f"   (event without captured RST: {e})")
    finally:
        tracer.close()
    merge()
    return failed


def merge():
    """labels.json in the lab's schema (testdata/lab/labels.json), which
    tests/lab_score.py reads: per capture, its RSTs with sender (the role
    owning the RST's source address), origin, cause, detail, alternatives
    and the kernel's reason; the scenario's reasoning as each one's note.
    Each RST's own record, with the tuple and the raw events, stays in
    work/NAME.labels.json, and each capture's tshark RST list is written
    beside it (FILE.rst-frames), as testdata/ keeps one for every capture."""
    caps = {}
    for name in SCENARIOS:
        p = os.path.join(WORK, f"{name}.labels.json")
        if not os.path.exists(p):
            continue
        for l in json.load(open(p))["labels"]:
            cap = caps.setdefault(l["file"], {"file": l["file"], "scenario": name, "resets": []})
            cap["resets"].append({
                "frame": l["frame"], "sender": l["src_role"],
                "kernel": ({"reason": l["kernel_reason"], "state": l.get("kernel_state")}
                           if l["kernel_reason"] else None),
                "cause": l["cause"], "detail": l["detail"],
                "alternatives": l.get("acceptable") or [],
                "origin": "middlebox" if l["sender"] == "middlebox" else "endpoint",
                "note": l["why"]})
    for cap in caps.values():
        with open(os.path.join(OUT, cap["file"] + ".rst-frames"), "w") as f:
            f.write("".join(f"{r['frame']}\n"
                            for r in rst_frames(os.path.join(OUT, cap["file"]))))
    with open(os.path.join(OUT, "labels.json"), "w") as f:
        json.dump({"generated_by": "testdata/holdout/holdout.py (written blind: README.md)",
                   "captures": list(caps.values())}, f, indent=1)


# ------------------------------------------------------------------ scenarios

def direct(net, n, v6=False):
    """Client ns c (10.51.n.1, fd51:n::1) and server ns s (.2, ::2) on one veth."""
    net.add("c", "s")
    net.veth("c", "c0", "s", "s0")
    for who, dev, h in (("c", "c0", 1), ("s", "s0", 2)):
        net.addr(who, dev, f"10.51.{n}.{h}/24")
        net.addr(who, dev, f"fd51:{n}::{h}/64")


def routed(net, n, router="r"):
    """Client c (10.51.n.1) - router r - server s (10.52.n.1), IPv4 and IPv6."""
    net.add("c", router, "s")
    net.veth("c", "c0", router, "rc")
    net.veth("s", "s0", router, "rs")
    for who, dev, side in (("c", "c0", 51), ("s", "s0", 52)):
        net.addr(who, dev, f"10.{side}.{n}.1/24")
        net.addr(who, dev, f"fd{side}:{n}::1/64")
        net.route(who, "default", "via", f"10.{side}.{n}.254")
        net.route(who, "default", "via", f"fd{side}:{n}::254")
        net.addr(router, "rc" if side == 51 else "rs", f"10.{side}.{n}.254/24")
        net.addr(router, "rc" if side == 51 else "rs", f"fd{side}:{n}::254/64")


def wait_log(p, text, timeout=15.0):
    t0 = time.time()
    while time.time() - t0 < timeout:
        with open(p.logpath) as f:
            if text in f.read():
                return
        time.sleep(0.02)
    raise RuntimeError(f"timeout waiting for {text!r} in {p.logpath}")


def wait_exit(p, timeout=20.0):
    try:
        p.wait(timeout)
    except subprocess.TimeoutExpired:
        raise RuntimeError(f"{p.logpath}: still running")


# A tiny HTTP/1.1 keep-alive server (threads), used where the server program
# itself does not matter: answers every request with 200 and a short body.
KEEPALIVE_SERVER = r'''
import socket, sys, threading
host, port = sys.argv[1], int(sys.argv[2])
idle = float(sys.argv[3]) if len(sys.argv) > 3 else None   # close after this idle time
fam = socket.AF_INET6 if ":" in host else socket.AF_INET
ls = socket.socket(fam, socket.SOCK_STREAM)
ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
ls.bind((host, port)); ls.listen(16)
print("listening", flush=True)
def serve(c):
    buf = b""
    c.settimeout(idle)
    while True:
        try:
            d = c.recv(65536)
        except socket.timeout:
            print("idle close", flush=True); c.close(); return
        except OSError as e:
            print("recv error", e, flush=True); return
        if not d:
            print("eof", flush=True); c.close(); return
        buf += d
        while b"\r\n\r\n" in buf:
            req, buf = buf.split(b"\r\n\r\n", 1)
            print("request", req.split(b"\r\n")[0], flush=True)
            body = b"ok\n"
            c.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 3\r\n\r\n" + body)
while True:
    c, a = ls.accept()
    threading.Thread(target=serve, args=(c,), daemon=True).start()
'''

# An HTTP client that makes a request, waits, and reuses the connection.
REUSE_CLIENT = r'''
import http.client, sys, time
host, port, gap = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
c = http.client.HTTPConnection(host, port, timeout=10)
c.request("GET", "/first", headers={"User-Agent": "holdout/1"})
r = c.getresponse(); print(r.status, r.read(), flush=True)
print("done1", flush=True)
time.sleep(gap)
try:
    c.request("GET", "/second", headers={"User-Agent": "holdout/1"})
    r = c.getresponse(); print(r.status, r.read(), flush=True)
except Exception as e:
    print("second failed:", repr(e), flush=True)
time.sleep(0.3)
'''


@scenario(9)
def firewall_reject_listening_port_v6(net):
    """A host firewall rejects one client of a running memcached over IPv6.

    memcached listens on [fd51:9::2]:11211; the server host's own nftables
    input chain has `ip6 saddr fd51:9::1 tcp dport 11211 reject with tcp reset`.
    A client from fd51:9::3 (allowed) connects and asks `version`; then the
    client from fd51:9::1 connects twice, 0.3 s apart: each SYN is answered by
    the firewall's RST+ACK (no tcp_send_reset event), exactly as a closed port.
    Captured at the client.
    """
    direct(net, 9)
    net.addr("c", "c0", "fd51:9::3/64")
    net.nft("s", """table inet fw {
  chain input { type filter hook input priority 0; policy accept;
    ip6 saddr fd51:9::1 tcp dport 11211 reject with tcp reset; }
}""")
    net.start("s", ["memcached", "-u", "nobody", "-l", "fd51:9::2", "-p", "11211", "-U", "0"],
              "memcached", ready=("fd51:9::2", 11211))
    net.capture("c", ["c0"], os.path.join(OUT, "firewall-reject-listening-port-v6.pcap"))
    p = net.py("c", r'''
import socket, time
s = socket.create_connection(("fd51:9::2", 11211), source_address=("fd51:9::3", 0))
s.sendall(b"version\r\n"); print(s.recv(100), flush=True); s.close()
time.sleep(0.3)
for i in range(2):
    try:
        socket.create_connection(("fd51:9::2", 11211), source_address=("fd51:9::1", 0), timeout=3)
    except OSError as e:
        print("refused", e, flush=True)
    time.sleep(0.3)
''', "client")
    wait_exit(p)
    net.stop_captures()
    return "firewall-reject-listening-port-v6.pcap", Rules(
        [("fd51:9::2", 11211)],
        [(lambda r: r["sender"] == "server" and r["kernel_reason"] is None,
          dict(cause="closed-port", acceptable=[],
               why="the server host's nftables input rule rejects this client's SYN to port 11211 "
                   "with a TCP reset (memcached listens, but the firewall answers as a closed port)"))])


@scenario(6)
def redis_pipeline_quit_unread_v4(net):
    """Redis closes on QUIT with the rest of a pipeline unread.

    Debian's redis-server (persistence off, protected mode off) on
    10.51.6.2:6379.  A client pipelines PING, QUIT and then 300 KB of SET
    commands in one stream.  Redis reads one 16 KB chunk, answers +PONG and
    +OK, and closes the connection after QUIT without reading the rest: the
    data still in its kernel receive buffer turns the close into a RST
    (RFC 2525 2.17).  Segments of the pipeline in flight after it draw
    follow-up RSTs.  Captured at the client.
    """
    direct(net, 6)
    net.start("s", ["redis-server", "--bind", "10.51.6.2", "--port", "6379", "--save", "",
                    "--appendonly", "no", "--protected-mode", "no", "--daemonize", "no",
                    "--dir", WORK], "redis", ready=("10.51.6.2", 6379))
    net.capture("c", ["c0"], os.path.join(OUT, "redis-pipeline-quit-unread-v4.pcap"))
    p = net.py("c", r'''
import socket, threading, time
s = socket.create_connection(("10.51.6.2", 6379))
payload = b"PING\r\nQUIT\r\n" + b"".join(b"SET key:%06d some-value-%06d\r\n" % (i, i) for i in range(9000))
def send():
    try:
        s.sendall(payload); print("sent all", flush=True)
    except OSError as e:
        print("send failed", e, flush=True)
threading.Thread(target=send, daemon=True).start()
s.settimeout(3)
got = b""
try:
    while True:
        d = s.recv(4096)
        if not d: print("eof", flush=True); break
        got += d
except OSError as e:
    print("recv error", e, flush=True)
print("replies", got, flush=True)
time.sleep(0.5)
''', "client")
    wait_exit(p)
    net.stop_captures()
    return "redis-pipeline-quit-unread-v4.pcap", Rules(
        [("10.51.6.2", 6379)],
        [FOLLOWUP,
         (lambda r: r["sender"] == "server" and r["kernel_reason"] == "TCP_ABORT_ON_CLOSE",
          dict(cause="unread-recv-buffer",
               why="redis answered PING and QUIT and closed the connection with the rest of the "
                   "client's pipelined SET commands unread in its receive buffer"))])


@scenario(7)
def redis_keepalive_client_vanished_v4(net):
    """Redis's own TCP keepalive (tcp-keepalive 1) gives up on a vanished client.

    Routed: client 10.51.7.1 - router - redis 10.52.7.1:6379 with
    `tcp-keepalive 1` (Redis sets idle 1 s, interval 1 s, 3 probes).  After
    PING/PONG the router drops every forwarded packet (the client's network
    is gone); Redis's kernel probes three times, then resets the connection.
    2 s later the path is back and the client sends another PING on its old
    connection: the server's kernel (Redis still listening) answers it with a
    RST.  Captured at the server.
    """
    routed(net, 7)
    net.sysctl("r", "net.ipv4.ip_forward", 1)
    net.start("s", ["redis-server", "--bind", "10.52.7.1", "--port", "6379", "--save", "",
                    "--appendonly", "no", "--protected-mode", "no", "--daemonize", "no",
                    "--tcp-keepalive", "1", "--dir", WORK], "redis", ready=("10.52.7.1", 6379))
    net.capture("s", ["s0"], os.path.join(OUT, "redis-keepalive-client-vanished-v4.pcap"))
    p = net.py("c", r'''
import socket, time
s = socket.create_connection(("10.52.7.1", 6379))
s.sendall(b"PING\r\n"); print(s.recv(100), flush=True)
print("PONG1", flush=True)
time.sleep(6.5)
try:
    s.sendall(b"PING\r\n"); s.settimeout(3); print("second", s.recv(100), flush=True)
except OSError as e:
    print("second failed", repr(e), flush=True)
''', "client")
    wait_log(p, "PONG1")
    time.sleep(0.2)
    net.nft("r", "table inet cut { chain fw { type filter hook forward priority 0; policy drop; }; }")
    time.sleep(5.5)
    net.nft("r", "delete table inet cut")
    wait_exit(p)
    net.stop_captures()
    return "redis-keepalive-client-vanished-v4.pcap", Rules(
        [("10.52.7.1", 6379)],
        [(followup, lambda r: dict(
            cause="reset-followup", acceptable=["peer-lost-state"],
            why=f"the client's PING on the connection the server had already reset (frame "
                f"{r['prior'][0]}, a RST the router dropped, so the client never learned of it) "
                f"meets only redis's listener")),
         (lambda r: r["sender"] == "server" and r["kernel_reason"] == "TCP_KEEPALIVE_TIMEOUT",
          dict(cause="keepalive-timeout",
               why="redis's keepalive probes (tcp-keepalive 1: three probes 1 s apart) went "
                   "unanswered because the router dropped everything, and the server's kernel "
                   "aborted the connection"))])


@scenario(11)
def container_restart_same_ip_v4(net):
    """A server container restarts with the same IP; an old keep-alive connection meets the new listener.

    Client c and server s hang off a bridge in a switch namespace.  The client
    makes one HTTP request on a keep-alive connection.  Then the server
    "container" is destroyed without a word on the wire (its link goes down,
    its process is killed, its veth and namespace are deleted) and a new one
    comes up at once with the same IP and MAC and the same server listening
    on 8080.  2 s after its first answer the client reuses its connection:
    the new kernel has no such connection, only a listener, and resets the
    request.  Captured at the client.
    """
    net.add("c", "sw", "s")
    net.x("sw", "ip", "link", "add", "br0", "type", "bridge")
    net.x("sw", "ip", "link", "set", "br0", "up")
    net.veth("c", "c0", "sw", "swc")
    net.veth("s", "s0", "sw", "sws")
    for i in ("swc", "sws"):
        net.x("sw", "ip", "link", "set", i, "master", "br0")
    net.x("s", "ip", "link", "set", "s0", "address", "02:00:00:51:11:02")
    net.addr("c", "c0", "10.51.11.1/24")
    net.addr("s", "s0", "10.51.11.2/24")
    code = KEEPALIVE_SERVER
    srv = net.py("s", code, "server1", ready="listening", args=["10.51.11.2", 8080])
    net.capture("c", ["c0"], os.path.join(OUT, "container-restart-same-ip-v4.pcap"))
    p = net.py("c", REUSE_CLIENT, "client", args=["10.51.11.2", 8080, 2.0])
    wait_log(p, "done1")
    time.sleep(0.3)
    net.x("s", "ip", "link", "set", "s0", "down")
    net.kill(srv)
    srv.wait(3)
    net.x("sw", "ip", "link", "del", "sws")
    sh("ip", "netns", "del", net.ns("s"))
    net.made.remove(net.ns("s"))
    net.add("s2")
    net.veth("s2", "s0", "sw", "sws2")
    net.x("s2", "ip", "link", "set", "s0", "down")
    net.x("s2", "ip", "link", "set", "s0", "address", "02:00:00:51:11:02")
    net.x("s2", "ip", "link", "set", "s0", "up")
    net.x("sw", "ip", "link", "set", "sws2", "master", "br0")
    net.addr("s2", "s0", "10.51.11.2/24")
    net.py("s2", code, "server2", ready="listening", args=["10.51.11.2", 8080])
    wait_exit(p)
    net.stop_captures()
    return "container-restart-same-ip-v4.pcap", Rules(
        [("10.51.11.2", 8080)],
        [FOLLOWUP,
         (lambda r: r["sender"] == "server" and r["kernel_reason"] in ("TCP_FLAGS", "NO_SOCKET"),
          dict(cause="peer-lost-state",
               why="the server container was replaced (same IP and MAC, new kernel state) without "
                   "closing its connections; the client's reused keep-alive connection meets only "
                   "the new listener, which resets it"))])


@scenario(10)
def nat_conntrack_flush_invalid_v4(net):
    """A NAT router's conntrack table is flushed mid-connection; its `ct state invalid` rule rejects the next packet.

    Routed: client 10.51.10.1 - router (masquerade out to the server side,
    nf_conntrack_tcp_loose=0, forward rule `ct state invalid meta l4proto tcp
    reject with tcp reset`) - HTTP keep-alive server 10.52.10.1:8080.  After
    one request and answer an operator runs `conntrack -F` on the router
    (0.5 s later); 1.5 s after its answer the client reuses the connection:
    conntrack no longer knows the flow and, with loose tracking off, will not
    pick it up mid-stream, so the packet is INVALID and the router answers it
    with a RST in the server's name (TTL 64 against the server's 63).  The
    server never sees the request; 2.5 s after its answer it closes the idle
    connection, and its FIN, addressed to the router's masquerade address,
    finds neither a NAT mapping nor a socket there: the router's own kernel
    resets it.  Captured on the router, both interfaces (dumpcap, pcapng:
    forwarded packets appear twice, NATed on one side).
    """
    routed(net, 10)
    net.sysctl("r", "net.ipv4.ip_forward", 1)
    net.nft("r", """table ip ho {
  chain post { type nat hook postrouting priority 100; oifname "rs" masquerade; }
  chain fw { type filter hook forward priority 0; ct state invalid meta l4proto tcp reject with tcp reset; }
}""")
    net.sysctl("r", "net.netfilter.nf_conntrack_tcp_loose", 0)
    net.py("s", KEEPALIVE_SERVER, "server", ready="listening", args=["10.52.10.1", 8080, 2.5])
    net.capture("r", ["rc", "rs"], os.path.join(OUT, "nat-conntrack-flush-invalid-v4.pcapng"),
                tool="dumpcap")
    p = net.py("c", REUSE_CLIENT, "client", args=["10.52.10.1", 8080, 1.5])
    wait_log(p, "done1")
    time.sleep(0.5)
    net.x("r", "conntrack", "-F", check=False)
    wait_exit(p)
    time.sleep(1.5)
    net.stop_captures()
    return "nat-conntrack-flush-invalid-v4.pcapng", Rules(
        [("10.52.10.1", 8080)],
        [FOLLOWUP,
         (lambda r: r["kernel_reason"] is None and r["src"] == ("10.52.10.1", 8080),
          dict(cause="idle-timeout", acceptable=["injected"],
               why="the NAT router lost the flow (conntrack -F) and its `ct state invalid` rule "
                   "rejected the client's next request with a RST in the server's name; the "
                   "server itself never saw the request")),
         (lambda r: r["src"][0] == "10.52.10.254" and r["kernel_reason"] == "NO_SOCKET",
          dict(cause="idle-timeout", acceptable=["peer-lost-state"],
               why="the server's idle-close FIN went to the router's masquerade address; with "
                   "its conntrack entry flushed the router had no mapping and no socket, and "
                   "its own kernel reset the FIN in the client's (NATed) name"))],
        middlebox=lambda r: r["kernel"] is None or r["src"][0] == "10.52.10.254")


def proxy_topology(net, n, mid="p"):
    """Client c (10.51.n.1, fd51:n::1) - proxy/relay host (10.51.n.254 and
    10.52.n.254, no forwarding) - server s (10.52.n.1, fd52:n::1)."""
    net.add("c", mid, "s")
    net.veth("c", "c0", mid, "pc")
    net.veth("s", "s0", mid, "ps")
    for who, dev, side in (("c", "c0", 51), ("s", "s0", 52)):
        net.addr(who, dev, f"10.{side}.{n}.1/24")
        net.addr(who, dev, f"fd{side}:{n}::1/64")
        pdev = "pc" if side == 51 else "ps"
        net.addr(mid, pdev, f"10.{side}.{n}.254/24")
        net.addr(mid, pdev, f"fd{side}:{n}::254/64")


def write(path, text):
    with open(path, "w") as f:
        f.write(text)
    return path


@scenario(1)
def haproxy_server_timeout_504_v4(net):
    """HAProxy's `timeout server` expires on a backend that acknowledged the request but never answers.

    Debian's haproxy 2.6 in HTTP mode (timeout server 1s) on 10.51.1.254:80
    in front of a backend (a few lines of Python, 10.52.1.1:8080) that reads
    the request and does not answer for 2.5 s.  curl asks GET /slow; after 1 s
    haproxy gives up, answers curl 504 and aborts its backend connection.  The
    backend's late answer at 2.5 s then meets haproxy's dead connection.
    Captured on the haproxy host with dumpcap on both its interfaces (pcapng,
    two interfaces: the client side and the server side are two connections).
    """
    proxy_topology(net, 1)
    cfg = write(os.path.join(WORK, "1.haproxy.cfg"), """
global
  maxconn 100
defaults
  mode http
  timeout connect 1s
  timeout client 5s
  timeout server 1s
frontend fe
  bind 10.51.1.254:80
  default_backend be
backend be
  server s1 10.52.1.1:8080
""")
    net.py("s", r'''
import socket, time
ls = socket.socket(); ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
ls.bind(("10.52.1.1", 8080)); ls.listen(8); print("listening", flush=True)
c, a = ls.accept()
print("request", c.recv(65536), flush=True)
time.sleep(2.5)
try:
    c.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nlate\n"); print("sent late answer", flush=True)
    time.sleep(0.5)
    print("then", c.recv(100), flush=True)
except OSError as e:
    print("late answer failed", repr(e), flush=True)
time.sleep(1)
''', "backend", ready="listening")
    net.start("p", ["haproxy", "-db", "-f", cfg], "haproxy", ready=("10.51.1.254", 80))
    net.capture("p", ["pc", "ps"], os.path.join(OUT, "haproxy-server-timeout-504-v4.pcapng"),
                tool="dumpcap")
    p = net.start("c", ["curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}\\n",
                        "http://10.51.1.254/slow"], "curl")
    wait_exit(p)
    time.sleep(2.5)
    net.stop_captures()
    return "haproxy-server-timeout-504-v4.pcapng", Rules(
        [("10.51.1.254", 80), ("10.52.1.1", 8080)],
        [FOLLOWUP,
         (lambda r: r["src"][0] == "10.52.1.254" and r["kernel_reason"] in ("TCP_STATE", "TCP_ABORT_ON_CLOSE"),
          dict(cause="response-timeout",
               why="haproxy (the backend connection's client) sent the request, the backend "
                   "acknowledged it but did not answer within `timeout server 1s`; haproxy "
                   "answered 504 to curl and aborted the backend connection")),
         (lambda r: r["src"][0] == "10.52.1.254",
          dict(cause="data-after-fin",
               why="haproxy had closed the backend connection after its server timeout; the "
                   "backend's late answer meets haproxy's closed socket"))])


@scenario(2)
def haproxy_nolinger_client_timeout_v6(net):
    """HAProxy in TCP mode with `option nolinger` aborts both sides when `timeout client` expires (IPv6).

    Debian's haproxy 2.6, mode tcp, option nolinger, timeout client 1s,
    timeout server 3s, on [fd51:2::254]:7000 in front of a line echo backend
    (Python, [fd52:2::1]:7001).  The client sends PING, gets PONG, and stays
    idle; after 1 s of client inactivity haproxy closes both connections, and
    nolinger (SO_LINGER 0) makes both closes RSTs: the backend side gets a
    bare RST; the client side gets a FIN (haproxy's shutdown) and tens of
    microseconds later the RST of the close.  Nothing was unread on either side.
    Captured with `tcpdump -i any` on the haproxy host (Linux cooked v2).
    """
    proxy_topology(net, 2)
    cfg = write(os.path.join(WORK, "2.haproxy.cfg"), """
global
  maxconn 100
defaults
  mode tcp
  option nolinger
  timeout connect 1s
  timeout client 1s
  timeout server 3s
frontend fe
  bind fd51:2::254:7000
  default_backend be
backend be
  server s1 fd52:2::1:7001
""")
    net.py("s", r'''
import socket
ls = socket.socket(socket.AF_INET6); ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
ls.bind(("fd52:2::1", 7001)); ls.listen(8); print("listening", flush=True)
c, a = ls.accept()
try:
    while True:
        d = c.recv(1000)
        if not d: print("eof", flush=True); break
        if d.startswith(b"PING"): c.sendall(b"PONG\n")
except OSError as e:
    print("backend error", repr(e), flush=True)
''', "backend", ready="listening")
    net.start("p", ["haproxy", "-db", "-f", cfg], "haproxy", ready=("fd51:2::254", 7000))
    net.capture("p", ["any"], os.path.join(OUT, "haproxy-nolinger-client-timeout-v6.pcap"))
    p = net.py("c", r'''
import socket, time
s = socket.create_connection(("fd51:2::254", 7000))
s.sendall(b"PING\n"); print(s.recv(100), flush=True)
s.settimeout(4)
try:
    print("then", s.recv(100), flush=True)
except OSError as e:
    print("client error", repr(e), flush=True)
''', "client")
    wait_exit(p)
    net.stop_captures()
    return "haproxy-nolinger-client-timeout-v6.pcap", Rules(
        [("fd51:2::254", 7000), ("fd52:2::1", 7001)],
        [FOLLOWUP,
         (lambda r: r["kernel_reason"] == "TCP_STATE" and r["src"][0] == "fd51:2::254",
          dict(cause="linger-abort",
               why="haproxy's `timeout client 1s` expired on the idle client connection and "
                   "`option nolinger` made its close an abortive one (nothing unread)")),
         (lambda r: r["kernel_reason"] == "TCP_STATE" and r["src"][0] == "fd52:2::254",
          dict(cause="linger-abort",
               why="when the client side timed out haproxy also closed its idle backend "
                   "connection, abortively because of `option nolinger` (nothing unread)"))])


VLAN_BPF_C = r"""
/* tc-bpf: push an 802.1Q tag on egress, pop it on ingress, so a veth
   carries real tagged frames without the 8021q module. */
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <linux/if_ether.h>
#define SEC(n) __attribute__((section(n), used))
static long (*skb_vlan_push)(struct __sk_buff *skb, __u16 proto, __u16 tci) = (void *)BPF_FUNC_skb_vlan_push;
static long (*skb_vlan_pop)(struct __sk_buff *skb) = (void *)BPF_FUNC_skb_vlan_pop;
SEC("push") int vlan_push_prog(struct __sk_buff *skb)
{
	skb_vlan_push(skb, __builtin_bswap16(ETH_P_8021Q), VID);
	return TC_ACT_OK;
}
SEC("pop") int vlan_pop_prog(struct __sk_buff *skb)
{
	if (skb->vlan_present && skb->vlan_tci == VID)
		skb_vlan_pop(skb);
	return TC_ACT_OK;
}
char _license[] SEC("license") = "GPL";
"""


def vlan_tag(net, who, dev, vid):
    """Tags everything dev sends with 802.1Q VLAN vid and untags what it
    receives (tc-bpf on the clsact qdisc); addresses stay on dev."""
    obj = os.path.join(WORK, f"vlan{vid}.o")
    if not os.path.exists(obj):
        src = write(os.path.join(WORK, f"vlan{vid}.c"), VLAN_BPF_C)
        sh("clang", "-O2", "-target", "bpf", f"-DVID={vid}", "-I/usr/include/x86_64-linux-gnu",
           "-c", src, "-o", obj)
    net.x(who, "tc", "qdisc", "add", "dev", dev, "clsact")
    net.x(who, "tc", "filter", "add", "dev", dev, "egress", "bpf", "da", "obj", obj, "sec", "push")
    net.x(who, "tc", "filter", "add", "dev", dev, "ingress", "bpf", "da", "obj", obj, "sec", "pop")


@scenario(3)
def apache_keepalive_timeout_vlan_v4(net):
    """Apache's KeepAliveTimeout closes an idle connection; the client reuses it later (802.1Q-tagged wire).

    Debian's apache2 2.4 (mpm_event, a minimal config with KeepAliveTimeout 1)
    serves a static file on 10.51.3.2:80.  Python's http.client gets it,
    keeps the connection and sends its next request 5 s later.  Apache had
    ended the idle connection 1 s after its answer (FIN, acknowledged by the
    client's stack) and finished its lingering close; the next request meets
    the closed socket.  Both hosts tag their frames with VLAN 12 (tc-bpf
    vlan push/pop on the veth ends, as a trunk port would), so the wire
    carries 802.1Q frames; captured on the client's tagged veth.
    """
    direct(net, 3)
    vlan_tag(net, "c", "c0", 12)
    vlan_tag(net, "s", "s0", 12)
    www = os.path.join(WORK, "www3")
    os.makedirs(www, exist_ok=True)
    write(os.path.join(www, "index.html"), "<html><body>hello from apache</body></html>\n")
    run = os.path.join(WORK, "apache3run")
    os.makedirs(run, exist_ok=True)
    cfg = write(os.path.join(WORK, "3.apache2.conf"), f"""
ServerRoot /etc/apache2
Listen 10.51.3.2:80
LoadModule mpm_event_module /usr/lib/apache2/modules/mod_mpm_event.so
LoadModule authz_core_module /usr/lib/apache2/modules/mod_authz_core.so
LoadModule dir_module /usr/lib/apache2/modules/mod_dir.so
LoadModule mime_module /usr/lib/apache2/modules/mod_mime.so
TypesConfig /etc/mime.types
ServerName holdout.test
User www-data
Group www-data
PidFile {WORK}/apache3.pid
ErrorLog {WORK}/3.apache-error.log
DefaultRuntimeDir {run}
DocumentRoot {www}
<Directory {www}>
  Require all granted
</Directory>
KeepAlive On
KeepAliveTimeout 1
""")
    net.start("s", ["apache2", "-f", cfg, "-DFOREGROUND"], "apache2", ready=("10.51.3.2", 80))
    net.capture("c", ["c0"], os.path.join(OUT, "apache-keepalive-timeout-vlan-v4.pcap"), filt="")
    p = net.py("c", REUSE_CLIENT.replace('"/first"', '"/index.html"').replace('"/second"', '"/index.html"'),
               "client", args=["10.51.3.2", 80, 5.0])
    wait_exit(p)
    net.stop_captures()
    return "apache-keepalive-timeout-vlan-v4.pcap", Rules(
        [("10.51.3.2", 80)],
        [FOLLOWUP,
         (lambda r: r["sender"] == "server" and r["kernel_reason"] in ("TCP_TIMEWAIT_SOCKET", "NO_SOCKET", "TCP_ABORT_ON_DATA"),
          dict(cause="data-after-fin", detail="auto",
               why="apache closed the idle keep-alive connection after KeepAliveTimeout 1 (FIN "
                   "acknowledged by the client's stack); the client's pooled connection sent its "
                   "next request 5 s later and apache's closed socket reset it"))])


@scenario(8)
def sshd_maxstartups_drop_v4(net):
    """sshd drops a connection over MaxStartups; the ssh client's version string meets the closed socket.

    Debian's OpenSSH sshd 9.2 (MaxStartups 1, a host key made at run time)
    on 10.51.8.2:22.  One unauthenticated connection is held open by a
    client that read the banner and says nothing; then OpenSSH's ssh client
    connects: sshd accepts, writes "Exceeded MaxStartups" and closes the new
    connection at once (FIN); the ssh client's version string, written as it
    connected, reaches sshd after the FIN (its stack had acknowledged the
    FIN, so the wire says ignored-fin though the client did not wait) and is
    reset by the closed socket; ssh reports "kex_exchange_identification:
    Connection closed by remote host".  Captured at the client.
    """
    direct(net, 8)
    key = os.path.join(WORK, "8.ssh_host_ed25519_key")
    if not os.path.exists(key):
        sh("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key)
    os.makedirs("/run/sshd", exist_ok=True)
    cfg = write(os.path.join(WORK, "8.sshd_config"), f"""
ListenAddress 10.51.8.2
Port 22
HostKey {key}
PidFile {WORK}/8.sshd.pid
MaxStartups 1
UsePAM no
LoginGraceTime 20
""")
    net.start("s", ["/usr/sbin/sshd", "-D", "-e", "-f", cfg], "sshd", ready=("10.51.8.2", 22))
    net.capture("c", ["c0"], os.path.join(OUT, "sshd-maxstartups-drop-v4.pcap"))
    holder = net.py("c", r'''
import socket, time
s = socket.create_connection(("10.51.8.2", 22))
print("banner", s.recv(200), flush=True)
time.sleep(3)
s.close(); print("holder closed", flush=True)
''', "holder")
    wait_log(holder, "banner")
    time.sleep(0.3)
    p = net.start("c", ["ssh", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no",
                        "-o", "UserKnownHostsFile=/dev/null", "-o", "ConnectTimeout=3",
                        "root@10.51.8.2", "true"], "ssh")
    wait_exit(p)
    wait_exit(holder)
    net.stop_captures()
    return "sshd-maxstartups-drop-v4.pcap", Rules(
        [("10.51.8.2", 22)],
        [FOLLOWUP,
         (lambda r: r["sender"] == "server" and r["kernel_reason"] == "TCP_ABORT_ON_CLOSE",
          dict(cause="unread-recv-buffer",
               why="sshd, over MaxStartups, closed the new connection at once without reading "
                   "the ssh client's version string, which sat unread in its receive buffer")),
         (lambda r: r["sender"] == "server" and r["kernel_reason"] in ("TCP_TIMEWAIT_SOCKET", "TCP_ABORT_ON_DATA", "NO_SOCKET"),
          dict(cause="data-after-fin", detail="auto",
               why="sshd, over MaxStartups, wrote 'Exceeded MaxStartups' and closed the new "
                   "connection at once; the ssh client's version string arrived after the FIN and "
                   "met the closed socket"))])


@scenario(12)
def socat_relay_backend_killed_v4(net):
    """A socat relay between an uploading client and a backend that crashes mid-upload.

    Client 10.51.12.1 - relay host running `socat TCP4-LISTEN:8080
    TCP4:10.52.12.1:9000` - backend (Python) on 10.52.12.1:9000.  The client
    POSTs a body in 1000-byte chunks every 0.25 s and reads nothing.  The
    backend reads the headers and first piece only; 0.6 s later it is killed
    (SIGKILL) with later chunks unread, so its kernel resets socat's backend
    connection.  socat gets ECONNRESET and half-closes the client side
    (FIN); it still reads the client's next chunk (acknowledged), fails to
    relay it and exits, closing the socket with nothing unread; the chunk
    after that meets socat's closed socket.  Captured on the relay host with
    dumpcap on both interfaces (pcapng; dumpcap wrote the backend's RST a
    few frames after later client-side frames, so frame order is not time
    order there).
    """
    proxy_topology(net, 12, mid="m")
    srv = net.py("s", r'''
import socket, time
ls = socket.socket(); ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
ls.bind(("10.52.12.1", 9000)); ls.listen(8); print("listening", flush=True)
c, a = ls.accept()
print("got first", c.recv(300), flush=True)
time.sleep(30)
''', "backend", ready="listening")
    net.start("m", ["socat", "TCP4-LISTEN:8080,bind=10.51.12.254,reuseaddr", "TCP4:10.52.12.1:9000"],
              "socat", ready=("10.51.12.254", 8080))
    net.capture("m", ["pc", "ps"], os.path.join(OUT, "socat-relay-backend-killed-v4.pcapng"),
                tool="dumpcap")
    p = net.py("c", r'''
import socket, time
s = socket.create_connection(("10.51.12.254", 8080))
s.sendall(b"POST /upload HTTP/1.1\r\nHost: backend\r\nContent-Length: 12000\r\n\r\n")
for i in range(12):
    time.sleep(0.25)
    try:
        s.sendall(bytes([65 + i]) * 1000); print("chunk", i, flush=True)
    except OSError as e:
        print("chunk", i, "failed", repr(e), flush=True); break
time.sleep(0.3)
''', "client")
    wait_log(srv, "got first")
    time.sleep(0.6)
    net.kill(srv)
    wait_exit(p)
    net.stop_captures()
    return "socat-relay-backend-killed-v4.pcapng", Rules(
        [("10.51.12.254", 8080), ("10.52.12.1", 9000)],
        [FOLLOWUP,
         (lambda r: r["src"] == ("10.52.12.1", 9000) and r["kernel_reason"] == "TCP_ABORT_ON_CLOSE",
          dict(cause="unread-recv-buffer",
               why="the backend process was killed with upload chunks relayed by socat still unread "
                   "in its receive buffer, so its kernel's close was a RST")),
         (lambda r: r["src"] == ("10.51.12.254", 8080) and r["kernel_reason"] in ("TCP_TIMEWAIT_SOCKET", "NO_SOCKET", "TCP_ABORT_ON_DATA"),
          dict(cause="data-after-fin", detail="auto",
               why="socat exited after the backend's RST and closed the client connection (FIN, "
                   "acknowledged); the client, which does not read, sent its next chunk into "
                   "socat's closed socket"))])


# A user-space tunnel endpoint: VXLAN (a TAP device, Ethernet frames in UDP
# 4789, VNI 4096, RFC 7348) or GRE (a TUN device, IP in IP protocol 47,
# RFC 2784), with an optional fixed delay on everything it sends.  The
# kernel here has no vxlan/gre/ipip modules; the underlay still carries
# standard encapsulation that tshark decodes.
TUNNEL = r'''
import fcntl, heapq, os, select, socket, struct, sys, time
mode, ifname, local, remote, delay = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], float(sys.argv[5])
TUNSETIFF, IFF_TUN, IFF_TAP, IFF_NO_PI = 0x400454ca, 0x0001, 0x0002, 0x1000
fd = os.open("/dev/net/tun", os.O_RDWR)
fcntl.ioctl(fd, TUNSETIFF, struct.pack("16sH", ifname.encode(),
            (IFF_TAP if mode == "vxlan" else IFF_TUN) | IFF_NO_PI))
if mode == "vxlan":
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((local, 4789))
    hdr, dst = struct.pack("!II", 0x08000000, 4096 << 8), (remote, 4789)
else:
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, 47)
    hdr, dst = b"\x00\x00\x08\x00", (remote, 0)
print("ready", flush=True)
q, seq = [], 0
while True:
    timeout = max(0.0, q[0][0] - time.monotonic()) if q else None
    r, _, _ = select.select([fd, s], [], [], timeout)
    if fd in r:
        pkt = os.read(fd, 65535)
        heapq.heappush(q, (time.monotonic() + delay, seq, pkt)); seq += 1
    while q and q[0][0] <= time.monotonic():
        s.sendto(hdr + heapq.heappop(q)[2], dst)
    if s in r:
        data, addr = s.recvfrom(65535)
        if mode == "vxlan":
            os.write(fd, data[8:])
        else:
            ihl = (data[0] & 15) * 4
            if data[ihl + 2:ihl + 4] == b"\x08\x00":
                os.write(fd, data[ihl + 4:])
'''


def tunnel(net, n, mode, server_delay=0.0):
    """Client c and server s joined by an underlay veth u0 (10.52.n.1/.2);
    the overlay device t0 carries 10.51.n.1/.2 through a user-space VXLAN or
    GRE endpoint in each namespace (server_delay: seconds the server's
    endpoint holds every packet it sends, a slow server-to-client path; the
    client's capture then shows the client's own timing undistorted)."""
    net.add("c", "s")
    net.veth("c", "u0", "s", "u0")
    for who, h in (("c", 1), ("s", 2)):
        net.addr(who, "u0", f"10.52.{n}.{h}/24")
    for who, h, peer in (("c", 1, 2), ("s", 2, 1)):
        net.py(who, TUNNEL, f"tunnel-{who}", ready="ready",
               args=[mode, "t0", f"10.52.{n}.{h}", f"10.52.{n}.{peer}",
                     server_delay if who == "s" else 0.0])
        mtu = 1450 if mode == "vxlan" else 1476
        net.x(who, "ip", "link", "set", "t0", "mtu", str(mtu))
        if mode == "vxlan":
            net.x(who, "ip", "link", "set", "t0", "address", f"02:00:00:{n:02x}:00:{h:02x}")
        net.x(who, "ip", "link", "set", "t0", "up")
        net.addr(who, "t0", f"10.51.{n}.{h}/24")


def big_file(path, size=20 << 20):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    if not os.path.exists(path) or os.path.getsize(path) != size:
        with open(path, "wb") as f:
            f.write(os.urandom(size))
        os.chmod(path, 0o644)


@scenario(4)
def lighttpd_curl_limit_rate_maxtime_vxlan_v4(net):
    """curl --limit-rate with --max-time gives up mid-download and closes with unread data (VXLAN underlay).

    Debian's lighttpd serves a 20 MB file on 10.51.4.2:80; Debian's curl
    fetches it with --limit-rate 100k --max-time 1.5: curl reads slowly, the
    rest piles up in its socket's receive buffer, and when the time runs out
    curl closes the connection with that data unread, so its kernel sends RST
    instead of FIN.  Data segments already in flight then meet no socket.
    Client and server talk through a VXLAN tunnel (user-space endpoints, UDP
    4789, VNI 4096); captured on the client's underlay interface.
    """
    tunnel(net, 4, "vxlan")
    www = os.path.join(WORK, "www4")
    big_file(os.path.join(www, "big.bin"))
    cfg = write(os.path.join(WORK, "4.lighttpd.conf"), f"""
server.document-root = "{www}"
server.bind = "10.51.4.2"
server.port = 80
server.username = "www-data"
server.groupname = "www-data"
mimetype.assign = (".bin" => "application/octet-stream")
""")
    net.start("s", ["lighttpd", "-D", "-f", cfg], "lighttpd", ready=("10.51.4.2", 80))
    net.capture("c", ["u0"], os.path.join(OUT, "lighttpd-curl-limit-rate-maxtime-vxlan-v4.pcap"))
    p = net.start("c", ["curl", "-sS", "--limit-rate", "100k", "--max-time", "1.5", "-o", "/dev/null",
                        "-w", "%{http_code} %{size_download}\\n", "http://10.51.4.2/big.bin"], "curl")
    wait_exit(p)
    time.sleep(0.5)
    net.stop_captures()
    return "lighttpd-curl-limit-rate-maxtime-vxlan-v4.pcap", Rules(
        [("10.51.4.2", 80)],
        [FOLLOWUP,
         (lambda r: r["sender"] == "client" and r["kernel_reason"] == "TCP_ABORT_ON_CLOSE",
          dict(cause="unread-recv-buffer",
               why="curl hit --max-time while rate-limiting its reads and closed the socket with "
                   "downloaded data still unread in its receive buffer"))])


@scenario(13)
def memcached_idle_timeout_gre_v4(net):
    """memcached's idle_timeout closes a pooled client connection; the client's next get meets the closed socket (GRE underlay).

    Debian's memcached 1.6 with `-o idle_timeout=1` (the default 0 never
    closes) on 10.51.13.2:11211.  A client asks `version`, keeps the
    connection as a pool does and 5 s later sends `get session:42`: memcached
    had closed the idle connection (FIN, acknowledged by the client's stack),
    and its closed socket resets the request.  Client and server talk through
    a GRE tunnel (user-space endpoints, IP protocol 47); captured on the
    client's underlay interface.
    """
    tunnel(net, 13, "gre")
    net.start("s", ["memcached", "-u", "nobody", "-l", "10.51.13.2", "-p", "11211", "-U", "0",
                    "-o", "idle_timeout=1"], "memcached", ready=("10.51.13.2", 11211))
    net.capture("c", ["u0"], os.path.join(OUT, "memcached-idle-timeout-gre-v4.pcap"))
    p = net.py("c", r'''
import socket, time
s = socket.create_connection(("10.51.13.2", 11211))
s.sendall(b"version\r\n"); print(s.recv(100), flush=True)
time.sleep(5)
try:
    s.sendall(b"get session:42\r\n"); s.settimeout(2); print("reply", s.recv(100), flush=True)
except OSError as e:
    print("get failed", repr(e), flush=True)
time.sleep(0.2)
''', "client")
    wait_exit(p)
    net.stop_captures()
    return "memcached-idle-timeout-gre-v4.pcap", Rules(
        [("10.51.13.2", 11211)],
        [FOLLOWUP,
         (lambda r: r["sender"] == "server" and r["kernel_reason"] in ("TCP_TIMEWAIT_SOCKET", "NO_SOCKET", "TCP_ABORT_ON_DATA", "TCP_FLAGS"),
          dict(cause="data-after-fin", detail="auto",
               why="memcached closed the connection after 1 s idle (idle_timeout=1); the client "
                   "reused it 3 s later and the request met memcached's closed socket"))])


@scenario(14)
def curl_connect_timeout_slow_link_gre_v4(net):
    """curl's --connect-timeout expires on a long-delay link; the late SYN-ACK is reset by the client.

    A congested/satellite-like return path: the server's GRE tunnel endpoint
    holds every packet 1.4 s.  Debian's curl connects to Debian's nginx on
    10.51.14.2:80 with --connect-timeout 0.8: it gives up after 0.8 s and
    closes the connecting socket (nothing on the wire); the server's SYN-ACK
    arrives 0.6 s later and the client's kernel, which no longer has the
    socket, resets it.  The server's retransmitted SYN-ACK (sent before the
    RST reached it) arrives 1 s later and is reset again.  Captured on the
    client's underlay interface (GRE).
    """
    tunnel(net, 14, "gre", server_delay=1.4)
    www = os.path.join(WORK, "www14")
    os.makedirs(www, exist_ok=True)
    write(os.path.join(www, "index.html"), "hello\n")
    cfg = write(os.path.join(WORK, "14.nginx.conf"), f"""
daemon off;
pid {WORK}/14.nginx.pid;
error_log {WORK}/14.nginx-error.log;
events {{}}
http {{ access_log off; server {{ listen 10.51.14.2:80; root {www}; }} }}
""")
    net.start("s", ["nginx", "-c", cfg, "-e", f"{WORK}/14.nginx-error.log"], "nginx",
              ready=("10.51.14.2", 80))
    net.capture("c", ["u0"], os.path.join(OUT, "curl-connect-timeout-slow-link-gre-v4.pcap"))
    p = net.start("c", ["curl", "-sS", "--connect-timeout", "0.8", "-o", "/dev/null",
                        "http://10.51.14.2/"], "curl")
    wait_exit(p)
    time.sleep(4)
    net.stop_captures()
    return "curl-connect-timeout-slow-link-gre-v4.pcap", Rules(
        [("10.51.14.2", 80)],
        [(followup, lambda r: dict(
            cause="reset-followup", acceptable=["connect-timeout"],
            why=f"the server's retransmitted SYN-ACK, sent before the client's first RST (frame "
                f"{r['prior'][0]}) reached it, also finds no socket: the same give-up again")),
         (lambda r: r["sender"] == "client" and r["kernel_reason"] == "NO_SOCKET",
          dict(cause="connect-timeout",
               why="curl gave up connecting after --connect-timeout 0.8 on a path with a 1.4 s "
                   "return delay; the server's SYN-ACK arrived after the socket was gone and the "
                   "client's kernel reset it"))])


@scenario(5)
def wget_sigint_mid_download_v6(net):
    """wget is interrupted (SIGINT, Ctrl-C) mid-download and exits with data unread (IPv6).

    Debian's nginx serves a 20 MB file on [fd51:5::2]:80; Debian's wget
    downloads it with --limit-rate=200k; 1.2 s in, the user presses Ctrl-C
    (SIGINT to wget): wget exits and the kernel closes its socket with
    received data unread, so the close is a RST.  Captured at the client.
    """
    direct(net, 5)
    www = os.path.join(WORK, "www5")
    big_file(os.path.join(www, "big.bin"))
    cfg = write(os.path.join(WORK, "5.nginx.conf"), f"""
daemon off;
pid {WORK}/5.nginx.pid;
error_log {WORK}/5.nginx-error.log;
events {{}}
http {{ access_log off; server {{ listen [fd51:5::2]:80; root {www}; }} }}
""")
    net.start("s", ["nginx", "-c", cfg, "-e", f"{WORK}/5.nginx-error.log"], "nginx",
              ready=("fd51:5::2", 80))
    net.capture("c", ["c0"], os.path.join(OUT, "wget-sigint-mid-download-v6.pcap"))
    p = net.start("c", ["wget", "--limit-rate=200k", "-O", "/dev/null", "http://[fd51:5::2]/big.bin"],
                  "wget")
    time.sleep(1.2)
    net.kill(p, signal.SIGINT)
    wait_exit(p)
    time.sleep(0.5)
    net.stop_captures()
    return "wget-sigint-mid-download-v6.pcap", Rules(
        [("fd51:5::2", 80)],
        [FOLLOWUP,
         (lambda r: r["sender"] == "client" and r["kernel_reason"] == "TCP_ABORT_ON_CLOSE",
          dict(cause="unread-recv-buffer",
               why="wget was interrupted by SIGINT mid-download; its socket was closed with "
                   "received data unread, so the kernel sent RST"))])


@scenario(15)
def redis_busy_accept_overflow_gre_v4(net):
    """Redis blocked by a slow command stops accepting; with tcp_abort_on_overflow a handshake completing into the full accept queue is reset.

    Debian's redis-server with two documented knobs (tcp-backlog 2,
    enable-debug-command yes) on 10.51.15.2:6379, in a namespace with
    net.ipv4.tcp_abort_on_overflow=1 and net.core.somaxconn=2, reached
    through a GRE tunnel whose server endpoint holds every packet 0.6 s.  An admin runs
    `DEBUG SLEEP 3` (any slow command blocks Redis's event loop) so Redis
    stops accepting.  Clients A and B connect and wait in the accept queue;
    1 s later clients C and D send their SYNs, which are still admitted and
    answered; C's final ACK fills the queue (it holds backlog+1) and D's
    arrives to a full queue: the listener resets D.  D's PING, sent as soon
    as it thought it was connected, then meets only the listener.  Captured
    on the client's underlay interface (GRE).
    """
    tunnel(net, 15, "gre", server_delay=0.6)
    net.sysctl("s", "net.ipv4.tcp_abort_on_overflow", 1)
    net.sysctl("s", "net.core.somaxconn", 2)
    net.start("s", ["redis-server", "--bind", "10.51.15.2", "--port", "6379", "--save", "",
                    "--appendonly", "no", "--protected-mode", "no", "--daemonize", "no",
                    "--tcp-backlog", "2", "--enable-debug-command", "yes", "--dir", WORK],
              "redis", ready=("10.51.15.2", 6379))
    net.capture("c", ["u0"], os.path.join(OUT, "redis-busy-accept-overflow-gre-v4.pcap"))
    admin = net.py("c", r'''
import socket
s = socket.create_connection(("10.51.15.2", 6379))
print("admin connected", flush=True)
s.sendall(b"DEBUG SLEEP 3\r\n"); print("admin", s.recv(100), flush=True)
s.close()
''', "admin")
    wait_log(admin, "admin connected")
    time.sleep(0.7)   # the DEBUG SLEEP has reached Redis
    p = net.py("c", r'''
import socket, threading, time
def client(name):
    try:
        s = socket.create_connection(("10.51.15.2", 6379), timeout=8)
        print(name, "connected", flush=True)
        time.sleep(0.05)
        s.sendall(b"PING\r\n"); print(name, "reply", s.recv(100), flush=True)
        s.close()
    except OSError as e:
        print(name, "failed", repr(e), flush=True)
ts = []
for name, at in (("A", 0.0), ("B", 0.05), ("C", 1.0), ("D", 1.05)):
    time.sleep(max(0, at - (time.monotonic() - t0)) if ts else 0)
    if not ts: t0 = time.monotonic()
    t = threading.Thread(target=client, args=(name,)); t.start(); ts.append(t)
for t in ts: t.join()
''', "clients")
    wait_exit(p)
    wait_exit(admin)
    time.sleep(0.5)
    net.stop_captures()
    return "redis-busy-accept-overflow-gre-v4.pcap", Rules(
        [("10.51.15.2", 6379)],
        [FOLLOWUP,
         (lambda r: r["sender"] == "server" and r["kernel_reason"] == "INVALID_SYN",
          dict(cause="handshake-abort",
               why="redis was blocked in DEBUG SLEEP and did not accept; this client's handshake "
                   "completed into a full accept queue (tcp-backlog 2) and, with "
                   "tcp_abort_on_overflow=1, the listener reset it"))])


#SCENARIOS_HERE


# ------------------------------------------------------------------ main

if __name__ == "__main__":
    if "--list" in sys.argv:
        for n, fn in SCENARIOS.items():
            print(f"{n:36s} {(fn.__doc__ or '').strip().splitlines()[0]}")
        sys.exit(0)
    names = [a for a in sys.argv[1:] if not a.startswith("-")] or list(SCENARIOS)
    bad = run(names)
    if bad:
        log("failed: " + " ".join(bad))
        sys.exit(1)
