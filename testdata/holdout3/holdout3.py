#!/usr/bin/python3
"""Third blind hold-out set: real Linux TCP RST captures for rstdiag.

Each scenario is one function (registered with @scenario(n)) that builds its
own network namespaces (prefix h3-<n>-), runs real programs in them (Node.js,
OpenJDK 17, Python asyncio and websockets, mosquitto, vsftpd, rsync, curl),
captures with tcpdump or dumpcap, and records the kernel's own reason for
every RST it sends from the tracepoint tcp/tcp_send_reset (read from a private
tracefs instance).  Labels come from the scenario's design; each label names
the kernel reasons the design allows, and a RST whose traced reason is outside
them fails the scenario instead of being guessed at.

Address plan of scenario n: client side 10.53.n.0/24 and fd53:n::/64,
server side 10.53.(100+n).0/24 and fd53:(100+n)::/64 (routed scenarios).

usage: holdout3.py [--list] [--merge] [NAME ...]   (no NAME: every scenario)
Writes NAME.pcap(ng), NAME.pcap(ng).rst-frames (tshark's RST frame numbers),
work/NAME.labels.json (with every traced event) and merges all scenarios'
labels into labels.json.  Root only.  Harness code (namespaces, tracer,
matching, label rules) is taken from ../holdout2/holdout2.py.
"""
import json
import os
import re
import signal
import subprocess
import sys
import time

OUT = os.path.dirname(os.path.abspath(__file__))
WORK = os.path.join(OUT, "work")
PY = "/usr/bin/python3"
TRACE_INST = "/sys/kernel/tracing/instances/h3_holdout3"

SCENARIOS = {}


def scenario(n, extra_blocks=()):
    """Registers a scenario with number n (its namespaces are h3-n-*)."""
    def wrap(fn):
        fn.n = n
        fn.blocks = [f"10.53.{n}.", f"10.53.{100 + n}.", f"10.53.{200 + n}.",
                     f"fd53:{n}:", f"fd53:{100 + n}:", f"fd53:{200 + n}:"]
        fn.blocks += extra_blocks
        SCENARIOS[fn.__name__.replace("_", "-")] = fn
        return fn
    return wrap


def sh(*args, check=True, **kw):
    p = subprocess.run([str(a) for a in args], capture_output=True, text=True, **kw)
    if check and p.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, args))}: {p.stderr.strip()} {p.stdout.strip()}")
    return p


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def write(path, text, mode=0o644):
    with open(path, "w") as f:
        f.write(text)
    os.chmod(path, mode)
    return path


# ------------------------------------------------------------------ tracer

TRACE_RE = re.compile(r"tcp_send_reset: .*?src=(\S+) dest=(\S+) state=(\S+) reason=(\S+)")


def hostport(s):
    host, _, port = s.rpartition(":")
    host = host.strip("[]")
    if host.startswith("::ffff:") and "." in host:   # v4-mapped (Java's dual-stack sockets)
        host = host[7:]
    return host, int(port)


class Tracer:
    """tcp/tcp_send_reset in a private tracefs instance (all namespaces)."""

    def __init__(self):
        if not os.path.isdir(TRACE_INST):
            os.mkdir(TRACE_INST)
        self._w("buffer_size_kb", "4096")
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
                                    state=m.group(3), reason=m.group(4), raw=line.strip()))
        return out

    def close(self):
        try:
            self._w("events/tcp/tcp_send_reset/enable", "0")
            os.rmdir(TRACE_INST)
        except OSError:
            pass


# ------------------------------------------------------------------ namespaces

class Net:
    """Namespaces h3-<n>-<who>, their links, processes and captures."""

    def __init__(self, n):
        self.n = n
        self.made = []
        self.procs = []
        self.caps = []

    def ns(self, who):
        return f"h3-{self.n}-{who}"

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

    def veth(self, a, ia, b, ib):
        sh("ip", "link", "add", ia, "netns", self.ns(a), "type", "veth", "peer", "name", ib,
           "netns", self.ns(b))
        for who, i in ((a, ia), (b, ib)):
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

    def start(self, who, cmd, name, ready=None, timeout=15.0, user=None, stdin=None, env=None):
        """Runs cmd in who's namespace (own session, output to work/n.name.log);
        ready: text to wait for in the log, or (host, port) of a listener."""
        logf = open(os.path.join(WORK, f"{self.n}.{name}.log"), "w")
        pre = ["ip", "netns", "exec", self.ns(who)]
        if user:
            pre += ["setpriv", f"--reuid={user}", f"--regid={user}", "--init-groups"]
        p = subprocess.Popen(pre + [str(c) for c in cmd], stdout=logf, stderr=subprocess.STDOUT,
                             stdin=stdin if stdin is not None else subprocess.DEVNULL,
                             start_new_session=True, env=env)
        p.logpath = logf.name
        self.procs.append(p)
        t0 = time.time()
        while ready is not None:
            if isinstance(ready, str):
                if ready in open(p.logpath, errors="replace").read():
                    break
            else:
                if self.x(who, "ss", "-Hltn", f"sport = :{ready[1]}", check=False).stdout.strip():
                    break
            if p.poll() is not None:
                raise RuntimeError(f"{name} exited: {open(p.logpath).read()[-2000:]}")
            if time.time() - t0 > timeout:
                raise RuntimeError(f"{name} not ready: {open(p.logpath).read()[-2000:]}")
            time.sleep(0.05)
        return p

    def py(self, who, code, name, ready=None, args=(), **kw):
        path = write(os.path.join(WORK, f"{self.n}.{name}.py"), code)
        return self.start(who, [PY, "-u", path, *args], name, ready=ready, **kw)

    def kill(self, p, sig=signal.SIGKILL):
        """Signals the process group of one process this script started."""
        try:
            os.killpg(p.pid, sig)
        except ProcessLookupError:
            pass

    def capture(self, who, ifaces, path, tool="tcpdump", snaplen=0, filt="tcp"):
        if os.path.exists(path):
            os.unlink(path)
        if tool == "tcpdump":
            cmd = ["tcpdump", "-i", ifaces[0], "-w", path, "-U", "--immediate-mode", "-B", "8192",
                   "-s", str(snaplen or 262144)] + ([filt] if filt else [])
            ready = "listening on"
        else:
            cmd = ["dumpcap", "-q", "-w", path, "-s", str(snaplen or 262144)]
            for i in ifaces:
                cmd += ["-i", i] + (["-f", filt] if filt else [])
            ready = "Capturing on"
        p = self.start(who, cmd, "capture", ready=ready)
        time.sleep(0.4)
        self.caps.append(p)
        return p

    def stop_captures(self):
        time.sleep(0.5)
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
        time.sleep(0.3)
        for p in self.procs:
            if p.poll() is None:
                self.kill(p)
            try:
                p.wait(3)
            except subprocess.TimeoutExpired:
                pass
        for ns in reversed(self.made):
            sh("ip", "netns", "del", ns, check=False)


def direct(net, n):
    """Client c (10.53.n.1, fd53:n::1) and server s (.2, ::2) on one veth c0-s0."""
    net.add("c", "s")
    net.veth("c", "c0", "s", "s0")
    for who, dev, h in (("c", "c0", 1), ("s", "s0", 2)):
        net.addr(who, dev, f"10.53.{n}.{h}/24")
        net.addr(who, dev, f"fd53:{n}::{h}/64")


def routed(net, n, router="r"):
    """Client c (10.53.n.1) - router r (rc .254 / rs .254) - server s (10.53.(100+n).1)."""
    m = 100 + n
    net.add("c", router, "s")
    net.veth("c", "c0", router, "rc")
    net.veth("s", "s0", router, "rs")
    for who, dev, rdev, blk in (("c", "c0", "rc", n), ("s", "s0", "rs", m)):
        net.addr(who, dev, f"10.53.{blk}.1/24")
        net.addr(who, dev, f"fd53:{blk}::1/64")
        net.route(who, "default", "via", f"10.53.{blk}.254")
        net.route(who, "default", "via", f"fd53:{blk}::254")
        net.addr(router, rdev, f"10.53.{blk}.254/24")
        net.addr(router, rdev, f"fd53:{blk}::254/64")
    net.sysctl(router, "net.ipv4.ip_forward", 1)
    net.sysctl(router, "net.ipv6.conf.all.forwarding", 1)


def wait_log(p, text, timeout=20.0):
    t0 = time.time()
    while time.time() - t0 < timeout:
        if text in open(p.logpath, errors="replace").read():
            return
        if p.poll() is not None and text not in open(p.logpath, errors="replace").read():
            raise RuntimeError(f"{p.logpath} exited before {text!r}: "
                               f"{open(p.logpath).read()[-1500:]}")
        time.sleep(0.02)
    raise RuntimeError(f"timeout waiting for {text!r} in {p.logpath}")


def wait_exit(p, timeout=30.0):
    try:
        p.wait(timeout)
    except subprocess.TimeoutExpired:
        raise RuntimeError(f"{p.logpath}: still running")


def make_cert(name, cn):
    """A CA and a server certificate for cn, made at run time with openssl."""
    d = os.path.join(WORK, f"pki-{name}")
    os.makedirs(d, exist_ok=True)
    ca, cakey = os.path.join(d, "ca.pem"), os.path.join(d, "ca.key")
    crt, key = os.path.join(d, "server.pem"), os.path.join(d, "server.key")
    if not os.path.exists(crt):
        sh("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
           "-nodes", "-keyout", cakey, "-out", ca, "-days", "30", "-subj", "/CN=holdout3 lab CA")
        csr = os.path.join(d, "server.csr")
        sh("openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
           "-keyout", key, "-out", csr, "-subj", f"/CN={cn}")
        ext = write(os.path.join(d, "ext.cnf"), f"subjectAltName=DNS:{cn}\n")
        sh("openssl", "x509", "-req", "-in", csr, "-CA", ca, "-CAkey", cakey, "-CAcreateserial",
           "-out", crt, "-days", "30", "-extfile", ext)
        for f in (key, cakey):
            os.chmod(f, 0o644)
    return ca, crt, key


def big_file(path, size=20 << 20):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    if not os.path.exists(path) or os.path.getsize(path) != size:
        with open(path, "wb") as f:
            f.write(os.urandom(size))
    os.chmod(path, 0o644)


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
        rows.append(dict(frame=int(v["frame.number"]), t=float(v["frame.time_relative"]),
                         src=(src, int(v["tcp.srcport"])), dst=(dst, int(v["tcp.dstport"])),
                         seq=int(v["tcp.seq_raw"]), ack=int(v["tcp.ack_raw"]),
                         has_ack=v["tcp.flags.ack"] in ("1", "True"),
                         ttl=v["ip.ttl"] or v["ipv6.hlim"], ipid=v["ip.id"],
                         iface=v["frame.interface_name"]))
    return rows


def match_events(rsts, events, nat=None):
    """Pairs each captured RST with a tcp_send_reset event of the same source
    (and destination, or the listener form with destination 0.0.0.0:0 / [::]:0).
    nat: {(addr,port) seen on the wire: (addr,port) the sender's kernel used},
    for RSTs captured after address translation.  The same packet seen again
    (another interface, or translated) is marked dup_of the first frame."""
    used = set()
    for r in rsts:
        r["kernel"] = None
        r["dup_of"] = None
        for q in rsts:
            if q is r:
                break
            if (q["seq"], q["ack"]) == (r["seq"], r["ack"]) and abs(q["t"] - r["t"]) < 0.005 \
                    and (q["src"][1] == r["src"][1] or nat):
                r["kernel"], r["dup_of"] = q["kernel"], q["frame"]
                break
        if r["dup_of"]:
            continue
        src = (nat or {}).get(r["src"], r["src"])
        dst = (nat or {}).get(r["dst"], r["dst"])
        for i, e in enumerate(events):
            if i in used or e["src"] != src:
                continue
            if e["dst"] == dst or e["dst"][1] == 0:
                used.add(i)
                r["kernel"] = e
                break
    return [e for i, e in enumerate(events) if i not in used]


def fin_detail(path, r):
    """TAXONOMY's data-after-fin detail from the capture: `race` when the
    segment the RST answers did not acknowledge the sender's FIN,
    `ignored-fin` when it did."""
    a, b = r["src"], r["dst"]
    flt = f"tcp.port=={a[1]} && tcp.port=={b[1]} && frame.number < {r['frame']}"
    p = sh("tshark", "-r", path, "-Y", flt, "-T", "fields", "-e", "tcp.srcport",
           "-e", "tcp.flags.fin", "-e", "tcp.seq_raw", "-e", "tcp.ack_raw", "-e", "tcp.len",
           "-e", "tcp.flags.reset", "-E", "occurrence=l")
    fin = trig = None
    for line in p.stdout.splitlines():
        sport, f, seq, ack, ln, rst = line.split("\t")
        if int(sport) == a[1] and f in ("1", "True"):
            fin = int(seq) + int(ln)
        if int(sport) == b[1] and (int(ln) > 0 or f in ("1", "True")) and rst not in ("1", "True"):
            trig = int(ack)
    if fin is None or trig is None:
        return None
    return "ignored-fin" if ((trig - (fin + 1)) & 0xffffffff) < 0x80000000 else "race"


# ------------------------------------------------------------------ labelling

def L(cause, note, reasons, detail=None, alternatives=(), origin="endpoint"):
    """One label: reasons is the set of kernel reasons the design allows
    (None in it: no tcp_send_reset event, as for nftables reject)."""
    return dict(cause=cause, detail=detail, alternatives=list(alternatives), origin=origin,
                note=note, reasons=set(reasons))


class Rules:
    """servers: (addr, port) endpoints owning the server role; rules: list of
    (test(r), label or label(r)), first match wins.  r carries sender
    (client/server), kernel_reason, prior (earlier RST frames of the flow)."""

    def __init__(self, servers, rules):
        self.servers = set(servers)
        self.rules = rules

    def apply(self, path, rsts):
        out, prior, done = [], {}, {}
        for r in rsts:
            r["sender"] = "server" if r["src"] in self.servers else "client"
            r["kernel_reason"] = r["kernel"]["reason"] if r["kernel"] else None
            if r["dup_of"] in done:
                orig = done[r["dup_of"]]
                rec = dict(orig, frame=r["frame"], duplicate_of=r["dup_of"],
                           followup_of=r["dup_of"], cause="reset-followup", detail="duplicate",
                           alternatives=[orig["cause"]],
                           note=f"second copy of frame {r['dup_of']} (the same RST seen on another "
                                f"interface of the capture); the original: {orig['note']}",
                           tuple=f"{r['src'][0]}:{r['src'][1]} > {r['dst'][0]}:{r['dst'][1]}",
                           interface=r["iface"] or None, sender=r["sender"], ttl=r["ttl"],
                           ip_id=r["ipid"] or None)
                out.append(rec)
                continue
            k = tuple(sorted([r["src"], r["dst"]]))
            r["prior"] = prior.setdefault(k, [])
            for test, lab in self.rules:
                if test(r):
                    break
            else:
                raise RuntimeError(f"no rule for frame {r['frame']} {r}")
            lab = dict(lab(r) if callable(lab) else lab)
            if r["kernel_reason"] not in lab["reasons"]:
                raise RuntimeError(f"frame {r['frame']}: kernel reason {r['kernel_reason']} "
                                   f"outside the design {lab['reasons']} ({r})")
            if lab["cause"] == "data-after-fin" and lab["detail"] == "auto":
                lab["detail"] = fin_detail(path, r)
            rec = dict(frame=r["frame"], sender=r["sender"], origin=lab["origin"],
                       cause=lab["cause"], detail=lab["detail"],
                       alternatives=lab["alternatives"],
                       kernel=({"reason": r["kernel_reason"], "state": r["kernel"]["state"]}
                               if r["kernel"] else None),
                       note=lab["note"],
                       tuple=f"{r['src'][0]}:{r['src'][1]} > {r['dst'][0]}:{r['dst'][1]}",
                       ttl=r["ttl"], ip_id=r["ipid"] or None, interface=r["iface"] or None)
            if r["prior"]:
                rec["followup_of"] = r["prior"][0]
            out.append(rec)
            done[r["frame"]] = rec
            r["prior"].append(r["frame"])
        return out


def followup(r):
    return bool(r["prior"])


def FOLLOWUP(reasons=("NO_SOCKET", "TCP_FLAGS"), alternatives=(), why=""):
    return (followup, lambda r: L(
        "reset-followup",
        f"a later segment of a flow already reset at frame {r['prior'][0]}: "
        f"{why or 'it met no connection'}", reasons, alternatives=alternatives))



# ------------------------------------------------------------------ helpers

NODE = "/usr/bin/node"


def by_reason(mapping, note_prefix=""):
    """A label chosen by the traced reason among those the design allows:
    mapping {reason: L(...)}."""
    def f(r):
        lab = mapping.get(r["kernel_reason"])
        if lab is None:
            raise RuntimeError(f"frame {r['frame']}: reason {r['kernel_reason']} outside the design")
        return lab
    return f


def DAF(note, reasons=("TCP_ABORT_ON_DATA", "TCP_TIMEWAIT_SOCKET"), alternatives=()):
    """data-after-fin, detail computed from the capture (race / ignored-fin)."""
    return L("data-after-fin", note, reasons, detail="auto", alternatives=alternatives)


def javac(n, cls, src):
    d = os.path.join(WORK, f"{n}.java")
    os.makedirs(d, exist_ok=True)
    write(os.path.join(d, f"{cls}.java"), src)
    sh("javac", "-d", d, os.path.join(d, f"{cls}.java"))
    return d


def is_server(r):
    return r["sender"] == "server"


def is_client(r):
    return r["sender"] == "client"


# ------------------------------------------------------------------ Node.js

@scenario(1)
def node_keepalive_timeout_default_v4(net):
    """Node.js http.Server with its default keepAliveTimeout (5 s) closes an idle connection; a Python http.client reuses it 5.6 s after the answer.

    Node 20 (`http.createServer`, nothing configured: keepAliveTimeout is
    5000 ms, announced as `Keep-Alive: timeout=5`) on 10.53.1.2:3000.  The
    client, Python's http.client.HTTPConnection (which, unlike urllib3, does
    not check a pooled socket before reusing it), sends GET /api/items, reads
    the JSON answer, stays idle 7 s and sends GET /api/items?page=2 on the
    same connection.  Node destroyed the idle socket about 6 s after its
    answer (the 5 s timeout plus Node's timer slack; a FIN, which the client's
    kernel acknowledged); the second request therefore meets Node's
    closed socket and its kernel answers with RST.  The client sees
    ConnectionResetError (or an empty reply).  Captured at the client.
    """
    n = 1
    direct(net, n)
    srv = write(os.path.join(WORK, f"{n}.server.js"), f"""
const http = require('http');
const s = http.createServer((req, res) => {{
  console.log('request', req.method, req.url);
  res.setHeader('Content-Type', 'application/json');
  res.end(JSON.stringify({{items: [1, 2, 3], path: req.url}}));
}});
s.listen(3000, '10.53.{n}.2', () => console.log('listening keepAliveTimeout=' + s.keepAliveTimeout));
""")
    net.start("s", [NODE, srv], "node", ready="listening")
    fname = "node-keepalive-timeout-default-v4.pcap"
    net.capture("c", ["c0"], os.path.join(OUT, fname))
    cli = net.py("c", f"""
import http.client, time
c = http.client.HTTPConnection("10.53.{n}.2", 3000)
c.request("GET", "/api/items"); r = c.getresponse(); print(r.status, r.getheader("Keep-Alive"), r.read())
time.sleep(7.0)
try:
    c.request("GET", "/api/items?page=2"); r = c.getresponse(); print(r.status, r.read())
except Exception as e:
    print("second request failed:", repr(e))
""", "client")
    wait_exit(cli)
    net.stop_captures()
    return fname, Rules([(f"10.53.{n}.2", 3000)], [
        FOLLOWUP(),
        (is_server, DAF("Node's http.Server closed the idle keep-alive connection after its default "
                        "keepAliveTimeout (5 s; Node 20's FIN came 6.0 s after its answer, acknowledged by "
                        "the client); the client's next request, 7 s after the answer, met the "
                        "closed socket")),
    ])


@scenario(2)
def node_header_overflow_431_v4(net):
    """Node.js http.Server rejects a request whose headers exceed its default maxHeaderSize (16 KB) with 431 and destroys the socket while the client is still sending headers.

    Node 20 http.createServer with defaults on 10.53.2.2:8080.  A client
    (Python socket, as a browser with a bloated cookie jar would) sends
    `GET /dashboard` with a 40 KB Cookie header in two writes 150 ms apart
    (20 KB each).  Node's parser overflows on the first part (HPE_HEADER_OVERFLOW),
    writes `431 Request Header Fields Too Large` and destroys the socket
    (FIN).  The second part of the headers then reaches the closed socket and
    Node's kernel resets it.  Captured at the client.
    """
    n = 2
    direct(net, n)
    srv = write(os.path.join(WORK, f"{n}.server.js"), f"""
const http = require('http');
const s = http.createServer((req, res) => {{ res.end('ok\\n'); }});
s.listen(8080, '10.53.{n}.2', () => console.log('listening maxHeaderSize=' + http.maxHeaderSize));
""")
    net.start("s", [NODE, srv], "node", ready="listening")
    fname = "node-header-overflow-431-v4.pcap"
    net.capture("c", ["c0"], os.path.join(OUT, fname))
    cli = net.py("c", f"""
import socket, time
s = socket.create_connection(("10.53.{n}.2", 8080))
cookie = "session=" + "x" * 40000
req = ("GET /dashboard HTTP/1.1\\r\\nHost: app.lab.test\\r\\nUser-Agent: Mozilla/5.0\\r\\n"
       "Cookie: " + cookie + "\\r\\n\\r\\n").encode()
s.sendall(req[:20000]); time.sleep(0.15)
try:
    s.sendall(req[20000:])
except Exception as e:
    print("send failed", repr(e))
time.sleep(0.3)
try:
    print("reply", s.recv(4096)[:200])
except Exception as e:
    print("recv failed", repr(e))
s.close()
""", "client")
    wait_exit(cli)
    net.stop_captures()
    srvp = (f"10.53.{n}.2", 8080)
    return fname, Rules([srvp], [
        FOLLOWUP(),
        (is_server, by_reason({
            "TCP_ABORT_ON_DATA": DAF("Node answered 431 to the oversized headers and destroyed the "
                                     "socket (FIN); the rest of the client's headers arrived after "
                                     "it and the closed socket reset them"),
            "TCP_TIMEWAIT_SOCKET": DAF("Node answered 431 to the oversized headers and destroyed the "
                                       "socket (FIN); the rest of the client's headers arrived after "
                                       "it and the closed socket reset them"),
            "TCP_ABORT_ON_CLOSE": L("unread-recv-buffer",
                                    "Node destroyed the socket after its 431 with the rest of the "
                                    "client's headers still unread", {"TCP_ABORT_ON_CLOSE"}),
        })),
    ])


@scenario(3, extra_blocks=("fe80::53:",))
def node_reset_and_destroy_linklocal_v6(net):
    """A Node.js TCP service turns away a client over quota with socket.resetAndDestroy(), over IPv6 link-local addresses.

    Node 20 `net.createServer` listening on [fe80::53:2%s0]:7000 (link-local
    addresses fe80::53:1 and fe80::53:2 on a veth, as between two hosts on
    one LAN with no global addresses).  The service speaks a line protocol;
    when a client sends `HELLO client-7` it writes `-ERR too many
    connections` and calls socket.resetAndDestroy() (Node >= 16.17: sets
    SO_LINGER {1,0} and closes through libuv's uv_tcp_close_reset), so its
    kernel sends an active RST right after the error line, with nothing
    unread.  Captured at the client.
    """
    n = 3
    net.add("c", "s")
    net.veth("c", "c0", "s", "s0")
    net.addr("c", "c0", "fe80::53:1/64")
    net.addr("s", "s0", "fe80::53:2/64")
    srv = write(os.path.join(WORK, f"{n}.server.js"), """
const net = require('net');
const s = net.createServer((sock) => {
  sock.on('data', (d) => {
    console.log('got', JSON.stringify(d.toString()));
    sock.write('-ERR too many connections\\r\\n');
    sock.resetAndDestroy();
  });
});
s.listen({port: 7000, host: 'fe80::53:2%s0'}, () => console.log('listening'));
""")
    net.start("s", [NODE, srv], "node", ready="listening")
    fname = "node-reset-and-destroy-linklocal-v6.pcap"
    net.capture("c", ["c0"], os.path.join(OUT, fname))
    cli = net.py("c", """
import socket, time
s = socket.socket(socket.AF_INET6)
s.bind(("fe80::53:1", 0, 0, socket.if_nametoindex("c0")))
s.connect(("fe80::53:2", 7000, 0, socket.if_nametoindex("c0")))
s.sendall(b"HELLO client-7\\r\\n")
try:
    while True:
        d = s.recv(4096)
        print("recv", d)
        if not d: break
except Exception as e:
    print("recv failed", repr(e))
s.close()
""", "client")
    wait_exit(cli)
    net.stop_captures()
    return fname, Rules([("fe80::53:2", 7000)], [
        FOLLOWUP(),
        (is_server, L("linger-abort",
                      "Node's socket.resetAndDestroy() after writing its error line: SO_LINGER 0 "
                      "close, nothing unread (kernel: TCP_STATE)", {"TCP_STATE"})),
    ])


# ------------------------------------------------------------------ Java

@scenario(4)
def java_httpurlconnection_stale_keepalive_v4(net):
    """Java's HttpURLConnection reuses a cached keep-alive connection that a Python http.server with a 1 s idle timeout had closed (captured on the server with tcpdump -i any, client routed).

    Routed: client 10.53.4.1 - router - server 10.53.104.1:8000.  The server
    is Python's http.server (ThreadingHTTPServer, protocol_version HTTP/1.1,
    handler `timeout = 1`: an idle keep-alive connection times out after 1 s
    and is closed, FIN).  It sends no Keep-Alive header, so OpenJDK 17's
    HttpURLConnection keeps the connection in its KeepAliveCache for its
    default 5 s.  The Java client fetches /v1/status, sleeps 2.5 s and fetches
    it again: the cached connection is reused, the GET meets the server's
    closed socket and is reset; HttpURLConnection then retries the GET on a
    new connection (it does so once for a cached connection) and gets its
    answer.  Captured on the server with `tcpdump -i any` (Linux cooked v2),
    the client two hops away (TTL 63).
    """
    n = 4
    routed(net, n)
    net.py("s", f"""
import http.server
class H(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = 1
    def do_GET(self):
        b = b'{{"status":"ok"}}\\n'
        self.send_response(200); self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(b))); self.end_headers(); self.wfile.write(b)
http.server.ThreadingHTTPServer(("10.53.{100 + n}.1", 8000), H).serve_forever()
""", "server", ready=(f"10.53.{100 + n}.1", 8000))
    d = javac(n, "Client", """
import java.net.*; import java.io.*;
public class Client {
  public static void main(String[] a) throws Exception {
    for (int i = 0; i < 2; i++) {
      if (i == 1) Thread.sleep(2500);
      HttpURLConnection c = (HttpURLConnection) new URL(a[0]).openConnection();
      int code = c.getResponseCode();
      InputStream in = c.getInputStream(); byte[] b = in.readAllBytes(); in.close();
      System.out.println("response " + i + " " + code + " " + new String(b).trim());
    }
  }
}
""")
    fname = "java-httpurlconnection-stale-keepalive-v4.pcap"
    net.capture("s", ["any"], os.path.join(OUT, fname))
    cli = net.start("c", ["java", "-cp", d, "Client", f"http://10.53.{100 + n}.1:8000/v1/status"],
                    "java-client")
    wait_exit(cli, 20)
    net.stop_captures()
    return fname, Rules([(f"10.53.{100 + n}.1", 8000)], [
        FOLLOWUP(),
        (is_server, DAF("the server (Python http.server, 1 s handler timeout) closed the idle "
                        "keep-alive connection; Java's HttpURLConnection reused it from its "
                        "KeepAliveCache 2.5 s after the answer and the closed socket reset the GET")),
    ])


@scenario(5)
def java_solinger0_unsent_response_v4(net):
    """A Java server that sets setSoLinger(true, 0) ("to avoid TIME_WAIT") closes right after writing a 1 MB response to a slow reader: the RST throws away data still unsent.

    OpenJDK 17 ServerSocket on 10.53.5.2:9000; each accepted Socket gets
    setSoLinger(true, 0) and a 4 MB send buffer.  It reads the request line,
    writes a 1 MB report (write() returns once it is all in the send buffer)
    and closes.  The client (Python, 16 KB receive buffer) reads 16 KB every
    100 ms, so most of the report is still in the server's send buffer at
    close(): the server's kernel sends an active RST (tcp_disconnect,
    TCP_STATE) instead of the data.  The client's read fails with
    ConnectionResetError after about 0.2 MB.  Captured at the client with
    dumpcap (pcapng).
    """
    n = 5
    direct(net, n)
    d = javac(n, "Server", """
import java.net.*; import java.io.*;
public class Server {
  public static void main(String[] a) throws Exception {
    ServerSocket ss = new ServerSocket();
    ss.bind(new InetSocketAddress(a[0], 9000));
    System.out.println("listening");
    while (true) {
      Socket s = ss.accept();
      s.setSoLinger(true, 0); s.setSendBufferSize(4 << 20);
      BufferedReader r = new BufferedReader(new InputStreamReader(s.getInputStream()));
      System.out.println("request " + r.readLine());
      OutputStream o = s.getOutputStream();
      byte[] buf = new byte[1 << 20]; java.util.Arrays.fill(buf, (byte) 'r');
      o.write(buf); o.flush();
      s.close();
      System.out.println("closed");
    }
  }
}
""")
    net.start("s", ["java", "-cp", d, "Server", f"10.53.{n}.2"], "java-server", ready="listening",
              timeout=20)
    fname = "java-solinger0-unsent-response-v4.pcapng"
    net.capture("c", ["c0"], os.path.join(OUT, fname), tool="dumpcap")
    cli = net.py("c", f"""
import socket, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 16384)
s.connect(("10.53.{n}.2", 9000)); s.sendall(b"REPORT monthly\\n")
got = 0
try:
    while True:
        d = s.recv(16384)
        if not d: print("eof"); break
        got += len(d); time.sleep(0.1)
except Exception as e:
    print("recv failed", repr(e))
print("got", got)
""", "client")
    wait_exit(cli)
    net.stop_captures()
    return fname, Rules([(f"10.53.{n}.2", 9000)], [
        FOLLOWUP(),
        (is_server, L("linger-abort",
                      "the Java server closed with setSoLinger(true, 0) right after write() returned; "
                      "most of its 1 MB response was still unsent in its send buffer and was "
                      "discarded (kernel: TCP_STATE); nothing of the client's was unread",
                      {"TCP_STATE"})),
    ])


@scenario(6)
def java_client_closes_event_stream_unread_v6(net):
    """A Java client reads the first event of a server-sent event stream and closes its Socket with later events unread (IPv6, captured at the server).

    A Python event-stream server on [fd53:6::2]:8081 answers GET /events with
    `text/event-stream` headers and writes an event every 20 ms.  The Java
    client (OpenJDK 17, plain java.net.Socket, as a health probe that only
    wants to see the stream start) sends the GET, reads until the first
    `data:` line, sleeps 300 ms (it logs and checks the event) and calls
    Socket.close().  Events that arrived meanwhile are unread in its receive
    buffer, so its kernel sends RST instead of FIN (TCP_ABORT_ON_CLOSE).  The
    server's next write then fails with EPIPE/ECONNRESET.  Captured at the
    server.
    """
    n = 6
    direct(net, n)
    net.py("s", """
import socket, threading, time
ls = socket.socket(socket.AF_INET6); ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
ls.bind(("fd53:6::2", 8081)); ls.listen(8); print("listening", flush=True)
def serve(c):
    c.recv(4096)
    c.sendall(b"HTTP/1.1 200 OK\\r\\nContent-Type: text/event-stream\\r\\nCache-Control: no-cache\\r\\n\\r\\n")
    i = 0
    try:
        while True:
            c.sendall(b"id: %d\\nevent: tick\\ndata: {\\"seq\\": %d}\\n\\n" % (i, i)); i += 1; time.sleep(0.02)
    except Exception as e:
        print("write failed", repr(e), flush=True)
while True:
    c, _ = ls.accept(); threading.Thread(target=serve, args=(c,), daemon=True).start()
""", "server", ready=("fd53:6::2", 8081))
    d = javac(n, "Probe", """
import java.net.*; import java.io.*;
public class Probe {
  public static void main(String[] a) throws Exception {
    Socket s = new Socket(InetAddress.getByName("fd53:6::2"), 8081);
    s.getOutputStream().write("GET /events HTTP/1.1\\r\\nHost: events.lab.test\\r\\nAccept: text/event-stream\\r\\n\\r\\n".getBytes());
    InputStream in = s.getInputStream();
    StringBuilder sb = new StringBuilder();
    int c;
    while ((c = in.read()) != -1) { sb.append((char) c); if (sb.indexOf("data:") >= 0 && c == '\\n') break; }
    System.out.println("first event seen");
    Thread.sleep(300);
    s.close();
    System.out.println("closed");
  }
}
""")
    fname = "java-client-closes-event-stream-unread-v6.pcap"
    net.capture("s", ["s0"], os.path.join(OUT, fname))
    cli = net.start("c", ["java", "-cp", d, "Probe"], "java-client")
    wait_exit(cli, 20)
    time.sleep(0.2)
    net.stop_captures()
    return fname, Rules([("fd53:6::2", 8081)], [
        FOLLOWUP(),
        (is_client, L("unread-recv-buffer",
                      "the Java client closed its Socket 300 ms after the first event with later "
                      "events unread in its receive buffer (kernel: TCP_ABORT_ON_CLOSE)",
                      {"TCP_ABORT_ON_CLOSE"})),
    ])

# ------------------------------------------------------------------ Python asyncio / websockets

@scenario(7)
def asyncio_transport_abort_fire_and_forget_v4(net):
    """An asyncio server rejects a bad token with transport.abort(); a fire-and-forget client, which never reads replies, writes its next command 0.2 s later.

    An asyncio.Protocol server on 10.53.7.2:6400 (a small key-value service):
    on `AUTH <token>` with a wrong token it writes `-ERR invalid token` and
    calls transport.abort().  abort() does not send a RST: it drops asyncio's
    own write buffer and closes the socket, and with nothing unread the kernel
    sends FIN.  The client writes `AUTH expired-token`, and, without reading
    the answer (a pipelining/fire-and-forget client), `SET temp 21.5` 0.2 s
    later; that command meets the closed socket, whose kernel resets it.
    Captured at the client.
    """
    n = 7
    direct(net, n)
    net.py("s", f"""
import asyncio
class P(asyncio.Protocol):
    def connection_made(self, t): self.t = t
    def data_received(self, d):
        print("got", d, flush=True)
        if d.startswith(b"AUTH ") and d.strip() != b"AUTH s3cret":
            self.t.write(b"-ERR invalid token\\r\\n"); self.t.abort()
        else:
            self.t.write(b"+OK\\r\\n")
async def main():
    srv = await asyncio.get_running_loop().create_server(P, "10.53.{n}.2", 6400)
    print("listening", flush=True)
    await srv.serve_forever()
asyncio.run(main())
""", "server", ready=(f"10.53.{n}.2", 6400))
    fname = "asyncio-transport-abort-fire-and-forget-v4.pcap"
    net.capture("c", ["c0"], os.path.join(OUT, fname))
    cli = net.py("c", f"""
import socket, time
s = socket.create_connection(("10.53.{n}.2", 6400))
s.sendall(b"AUTH expired-token\\r\\n"); time.sleep(0.2)
s.sendall(b"SET temp 21.5\\r\\n"); time.sleep(0.2)
try:
    print(s.recv(4096)); print(s.recv(4096))
except Exception as e:
    print("recv failed", repr(e))
s.close()
""", "client")
    wait_exit(cli)
    net.stop_captures()
    return fname, Rules([(f"10.53.{n}.2", 6400)], [
        FOLLOWUP(),
        (is_server, DAF("the asyncio server's transport.abort() closed the socket (a FIN: nothing "
                        "was unread); the client's next command, written 0.2 s later without "
                        "reading the error, met the closed socket")),
    ])


@scenario(8)
def websockets_ping_timeout_frozen_client_v4(net):
    """python3-websockets server drops a client whose process froze (SIGSTOP) after its keepalive ping went unanswered; the client, thawed, answers into the closed socket.

    Debian's python3-websockets 10.4 server on 10.53.8.2:8765 with
    ping_interval=1, ping_timeout=1, close_timeout=1.  A websockets client
    connects, exchanges one message and is then frozen (SIGSTOP, as a
    process paused by a debugger, a GC pause or a suspended laptop); its
    kernel still acknowledges everything.  The server's ping goes unanswered
    for 1 s, so it fails the connection (close frame 1011 "keepalive ping
    timeout"), closes TCP (FIN, acknowledged by the frozen client's kernel)
    and after close_timeout releases the socket.  At 5 s the client is
    resumed (SIGCONT): its library answers the ping (pong) and the close
    frame, and those frames meet the server's closed socket.  Captured at the
    server.
    """
    n = 8
    direct(net, n)
    net.py("s", f"""
import asyncio, websockets
async def handler(ws):
    async for m in ws:
        await ws.send("ack " + m)
    print("closed", ws.close_code, ws.close_reason, flush=True)
async def main():
    async with websockets.serve(handler, "10.53.{n}.2", 8765, ping_interval=1, ping_timeout=1,
                                close_timeout=1):
        print("listening", flush=True)
        await asyncio.Future()
asyncio.run(main())
""", "server", ready=(f"10.53.{n}.2", 8765))
    fname = "websockets-ping-timeout-frozen-client-v4.pcap"
    net.capture("s", ["s0"], os.path.join(OUT, fname))
    cli = net.py("c", f"""
import asyncio, websockets, time
async def main():
    async with websockets.connect("ws://10.53.{n}.2:8765/feed", ping_interval=None) as ws:
        await ws.send("subscribe prices"); print(await ws.recv(), flush=True)
        print("ready", flush=True)
        try:
            while True:
                print(await ws.recv(), flush=True)
        except Exception as e:
            print("ended", repr(e), flush=True)
asyncio.run(main())
""", "client", ready="ready")
    time.sleep(0.2)
    os.killpg(cli.pid, signal.SIGSTOP)
    time.sleep(4.8)
    os.killpg(cli.pid, signal.SIGCONT)
    time.sleep(1.5)
    net.stop_captures()
    return fname, Rules([(f"10.53.{n}.2", 8765)], [
        FOLLOWUP(),
        (is_server, DAF("the websockets server failed the connection after its keepalive ping "
                        "went unanswered for 1 s (close frame 1011, then FIN, acknowledged by the "
                        "frozen client's kernel) and released the socket; the thawed client's "
                        "pong/close frames met the closed socket")),
    ])


# ------------------------------------------------------------------ servers from Debian

@scenario(9)
def mosquitto_keepalive_stalled_device_midcapture_v4(net):
    """mosquitto disconnects an MQTT client silent for 1.5x its keepalive; the stalled device's next PUBLISH meets the closed socket (capture starts after CONNECT).

    Debian's mosquitto 2.0 broker on 10.53.9.2:1883 (listener, anonymous
    allowed, nothing else configured).  A device's MQTT 3.1.1 client (a
    minimal Python client) connects with keepalive 1 s, subscribes to
    cmd/dev42 and publishes a reading; then its main loop stalls for 7 s (no
    PINGREQ).  mosquitto drops a client that has sent nothing for 1.5 x
    keepalive (1.5 s; mosquitto 2.0.11 checks keepalives only every few
    seconds, so it happens 1.5 to about 6.5 s into the silence): it closes the
    socket (FIN, acknowledged).  The device
    resumes and publishes its next reading without first reading the socket;
    the PUBLISH meets the broker's closed socket and is reset.  The capture
    (at the broker) starts only after CONNECT and SUBSCRIBE: no handshake
    is in it.
    """
    n = 9
    direct(net, n)
    conf = write(os.path.join(WORK, f"{n}.mosquitto.conf"),
                 f"listener 1883 10.53.{n}.2\nallow_anonymous true\npersistence false\n"
                 "log_dest stdout\nlog_type all\n")
    net.start("s", ["mosquitto", "-c", conf], "mosquitto", ready=(f"10.53.{n}.2", 1883))
    cli = net.py("c", f"""
import socket, struct, time
def pkt(t, body): 
    l = len(body); enc = b""
    while True:
        b = l % 128; l //= 128
        enc += bytes([b | (128 if l else 0)])
        if not l: break
    return bytes([t]) + enc + body
def s16(x): return struct.pack("!H", len(x)) + x
s = socket.create_connection(("10.53.{n}.2", 1883))
s.sendall(pkt(0x10, s16(b"MQTT") + bytes([4, 2]) + struct.pack("!H", 1) + s16(b"dev42")))
print("connack", s.recv(4))
s.sendall(pkt(0x82, struct.pack("!H", 1) + s16(b"cmd/dev42") + b"\\x00"))
print("suback", s.recv(5), flush=True)
print("subscribed", flush=True)
time.sleep(1.2)
s.sendall(pkt(0x30, s16(b"sensors/dev42/temp") + b"21.5"))
time.sleep(7.0)
try:
    s.sendall(pkt(0x30, s16(b"sensors/dev42/temp") + b"21.7"))
    time.sleep(0.2)
    print("after", s.recv(100))
except Exception as e:
    print("failed", repr(e))
""", "client", ready="subscribed")
    fname = "mosquitto-keepalive-stalled-device-midcapture-v4.pcap"
    net.capture("s", ["s0"], os.path.join(OUT, fname))
    wait_exit(cli)
    net.stop_captures()
    return fname, Rules([(f"10.53.{n}.2", 1883)], [
        FOLLOWUP(),
        (is_server, DAF("mosquitto closed the connection of a client silent for 1.5 x its 1 s "
                        "keepalive (FIN, acknowledged); the stalled device's next PUBLISH met the "
                        "closed socket")),
    ])


VSFTPD_CONF = """listen=YES
listen_ipv6=NO
listen_address={addr}
listen_port=21
background=NO
anonymous_enable=YES
no_anon_password=YES
anon_root={root}
local_enable=NO
write_enable=NO
seccomp_sandbox=NO
secure_chroot_dir={empty}
pasv_enable=YES
pasv_min_port=30000
pasv_max_port=30010
idle_session_timeout={idle}
data_connection_timeout=10
xferlog_enable=YES
vsftpd_log_file={log}
dual_log_enable=NO
"""


def vsftpd(net, n, idle=300):
    root = os.path.join(WORK, f"{n}.ftproot")
    empty = os.path.join(WORK, f"{n}.ftpempty")
    os.makedirs(root, exist_ok=True)
    os.makedirs(empty, exist_ok=True)
    os.chmod(root, 0o755)
    os.chmod(empty, 0o755)
    write(os.path.join(root, "README.txt"), "lab ftp\n")
    conf = write(os.path.join(WORK, f"{n}.vsftpd.conf"),
                 VSFTPD_CONF.format(addr=f"10.53.{n}.2", root=root, empty=empty, idle=idle,
                                    log=os.path.join(WORK, f"{n}.vsftpd.xfer.log")), 0o600)
    net.start("s", ["vsftpd", conf], "vsftpd", ready=(f"10.53.{n}.2", 21))
    return root


@scenario(10)
def vsftpd_idle_session_timeout_v4(net):
    """vsftpd ends an idle FTP control session (idle_session_timeout) with "421 Timeout."; the client's next command meets the closed socket.

    Debian's vsftpd 3.0.3, standalone on 10.53.10.2:21, anonymous read-only,
    with idle_session_timeout=1 (default 300 s).  Python's ftplib logs in,
    lists nothing, runs PWD, stays idle 2.5 s and runs PWD again.  At 1 s
    vsftpd wrote `421 Timeout.` and exited, closing the connection (FIN,
    acknowledged by the client's kernel).  ftplib writes PWD before it reads
    anything, so the command meets the closed socket and is reset; ftplib
    then reports the 421 it finds buffered (or the reset).  Captured at the
    client.
    """
    n = 10
    direct(net, n)
    vsftpd(net, n, idle=1)
    fname = "vsftpd-idle-session-timeout-v4.pcap"
    net.capture("c", ["c0"], os.path.join(OUT, fname))
    cli = net.py("c", f"""
import ftplib, time
f = ftplib.FTP("10.53.{n}.2", timeout=5); print(f.login()); print(f.pwd())
time.sleep(2.5)
try:
    print(f.pwd())
except Exception as e:
    print("second PWD failed", repr(e))
""", "client")
    wait_exit(cli)
    net.stop_captures()
    return fname, Rules([(f"10.53.{n}.2", 21)], [
        FOLLOWUP(),
        (is_server, DAF("vsftpd's idle_session_timeout (1 s) ended the control session: 421 "
                        "Timeout., then FIN (acknowledged); the client's PWD 1.5 s later met the "
                        "closed socket")),
    ])


@scenario(11)
def vsftpd_data_connection_abort_v4(net):
    """An FTP client abandons a passive-mode download: it closes the data connection with unread data (RST), vsftpd reports 426 on the control connection.

    Debian's vsftpd 3.0.3 on 10.53.11.2:21, anonymous read-only, passive
    ports 30000-30010, serving a 20 MB file.  Python's ftplib opens the data
    connection (PASV, RETR big.bin), reads 64 KB, decides it has enough (as a
    client previewing a file does) and closes the data socket with more
    already in its receive buffer: its kernel sends RST, not FIN
    (TCP_ABORT_ON_CLOSE).  vsftpd's write fails and it answers `426 Failure
    writing network stream.` on the control connection; the client reads it
    and sends QUIT.  Two flows in one capture, the control one ends cleanly.
    Captured at the client.
    """
    n = 11
    direct(net, n)
    root = vsftpd(net, n)
    big_file(os.path.join(root, "big.bin"))
    fname = "vsftpd-data-connection-abort-v4.pcap"
    net.capture("c", ["c0"], os.path.join(OUT, fname))
    cli = net.py("c", f"""
import ftplib, time
f = ftplib.FTP("10.53.{n}.2", timeout=5); print(f.login())
f.voidcmd("TYPE I")
conn = f.transfercmd("RETR big.bin")
got = 0
while got < 65536:
    got += len(conn.recv(8192))
time.sleep(0.05)
conn.close(); print("data closed after", got)
try:
    print(f.getmultiline())
except Exception as e:
    print("reply failed", repr(e))
print(f.quit())
""", "client")
    wait_exit(cli)
    net.stop_captures()
    os.unlink(os.path.join(root, "big.bin"))
    return fname, Rules([(f"10.53.{n}.2", 21)] + [(f"10.53.{n}.2", p) for p in range(30000, 30011)], [
        FOLLOWUP(),
        (is_client, L("unread-recv-buffer",
                      "the FTP client closed the passive data connection after 64 KB of a 20 MB "
                      "RETR with more data unread in its receive buffer (kernel: TCP_ABORT_ON_CLOSE)",
                      {"TCP_ABORT_ON_CLOSE"})),
    ])


@scenario(12)
def rsync_daemon_client_suspended_then_killed_v4(net):
    """An rsync pull from an rsync daemon is suspended (Ctrl-Z) and then killed (kill %1: SIGTERM, SIGCONT): the client's socket closes with unread data (snaplen 128).

    rsync 3.2.7 daemon (`rsync --daemon --no-detach`, module [data], read
    only, no chroot) on 10.53.12.2:873 serving a 1 GB (sparse) image.  The
    client runs `rsync rsync://10.53.12.2/data/disk.img DIR/`; after 0.4 s its
    process group gets SIGTSTP (Ctrl-Z), so nothing reads the socket any
    more: the client's receive buffer fills and its window closes while the
    daemon keeps sending into it (zero-window probes).  1 s later the job is
    killed as bash's `kill %1` does (SIGTERM, then SIGCONT): rsync exits with
    the daemon's data unread and its kernel sends RST, not FIN
    (TCP_ABORT_ON_CLOSE).  Captured at the client with snaplen 128.
    """
    n = 12
    direct(net, n)
    mod = os.path.join(WORK, f"{n}.rsync")
    os.makedirs(mod, exist_ok=True)
    with open(os.path.join(mod, "disk.img"), "wb") as f:
        f.truncate(1 << 30)
    conf = write(os.path.join(WORK, f"{n}.rsyncd.conf"),
                 f"pid file = {WORK}/{n}.rsyncd.pid\nuse chroot = no\nuid = root\ngid = root\n"
                 f"reverse lookup = no\n[data]\n  path = {mod}\n  read only = yes\n")
    net.start("s", ["rsync", "--daemon", "--no-detach", f"--config={conf}",
                    f"--address=10.53.{n}.2", "--port=873", f"--log-file={WORK}/{n}.rsyncd.log"],
              "rsyncd", ready=(f"10.53.{n}.2", 873))
    fname = "rsync-daemon-client-suspended-then-killed-v4.pcap"
    net.capture("c", ["c0"], os.path.join(OUT, fname), snaplen=128)
    dst = os.path.join(WORK, f"{n}.dst")
    os.makedirs(dst, exist_ok=True)
    cli = net.start("c", ["rsync", f"rsync://10.53.{n}.2/data/disk.img", dst + "/"], "rsync-client")
    time.sleep(0.4)
    net.kill(cli, signal.SIGTSTP)
    time.sleep(1.0)
    net.kill(cli, signal.SIGTERM)
    net.kill(cli, signal.SIGCONT)
    try:
        cli.wait(5)
    except subprocess.TimeoutExpired:
        pass
    for _ in range(50):   # the receiver child may outlive the main process a little
        if not net.x("c", "ss", "-Htn", "state", "established", check=False).stdout.strip():
            break
        time.sleep(0.1)
    log("   client sockets:", net.x("c", "ss", "-Htnap", check=False).stdout.strip()[:300])
    time.sleep(0.3)
    net.stop_captures()
    sh("rm", "-rf", mod, dst)
    return fname, Rules([(f"10.53.{n}.2", 873)], [
        FOLLOWUP(),
        (is_client, L("unread-recv-buffer",
                      "rsync, suspended with its receive window closed, was killed (SIGTERM); its "
                      "socket closed with the daemon's data unread in the receive buffer (kernel: "
                      "TCP_ABORT_ON_CLOSE)",
                      {"TCP_ABORT_ON_CLOSE"})),
    ])


# ------------------------------------------------------------------ kernel behaviours

@scenario(13)
def tfo_post_rejected_unread_v4(net):
    """curl --tcp-fastopen POSTs 200 KB; the server, reading the headers from the SYN's data, rejects it with 413 and closes with the body unread.

    TCP Fast Open: the client's namespace has net.ipv4.tcp_fastopen=1 (client,
    the default), the server's 2 (server).  A Python server on
    10.53.13.2:8080 sets TCP_FASTOPEN on its listener.  A first request
    (curl --tcp-fastopen, GET /) obtains the TFO cookie (a normal handshake
    that carries the cookie; the server answers and closes after reading all
    of it, FIN).  The second, curl --tcp-fastopen -X POST with a 200 KB body
    (Expect disabled), sends its headers in the SYN itself; accept() returns
    the child at once and the server reads the headers, sees Content-Length
    over its 64 KB limit, answers 413 and closes while the rest of the body is
    arriving: with body bytes unread its kernel resets (TCP_ABORT_ON_CLOSE).
    Captured at the client.
    """
    n = 13
    direct(net, n)
    net.sysctl("c", "net.ipv4.tcp_fastopen", 1)
    net.sysctl("s", "net.ipv4.tcp_fastopen", 2)
    net.py("s", f"""
import socket, time
ls = socket.socket(); ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
ls.bind(("10.53.{n}.2", 8080)); ls.setsockopt(socket.IPPROTO_TCP, socket.TCP_FASTOPEN, 16)
ls.listen(16); print("listening", flush=True)
while True:
    c, a = ls.accept()
    h = b""
    while b"\\r\\n\\r\\n" not in h:
        d = c.recv(65536)
        if not d: break
        h += d
    head = h.split(b"\\r\\n\\r\\n")[0]
    print("request", head.split(b"\\r\\n")[0], len(h), flush=True)
    cl = [int(l.split(b":")[1]) for l in head.split(b"\\r\\n") if l.lower().startswith(b"content-length")]
    if cl and cl[0] > 65536:
        c.sendall(b"HTTP/1.1 413 Content Too Large\\r\\nContent-Length: 0\\r\\nConnection: close\\r\\n\\r\\n")
    else:
        c.sendall(b"HTTP/1.1 200 OK\\r\\nContent-Length: 3\\r\\nConnection: close\\r\\n\\r\\nok\\n")
    c.close()
""", "server", ready=(f"10.53.{n}.2", 8080))
    body = os.path.join(WORK, f"{n}.body.bin")
    with open(body, "wb") as f:
        f.write(b"x" * 200000)
    fname = "tfo-post-rejected-unread-v4.pcap"
    net.capture("c", ["c0"], os.path.join(OUT, fname))
    url = f"http://10.53.{n}.2:8080/upload"
    net.x("c", "curl", "-sS", "--tcp-fastopen", "-o", "/dev/null", "-w", "%{http_code}\n", url)
    time.sleep(0.3)
    net.x("c", "curl", "-sS", "--tcp-fastopen", "-H", "Expect:", "-X", "POST", "--data-binary",
          "@" + body, "-o", "/dev/null", "-w", "%{http_code}\n", url, check=False)
    time.sleep(0.3)
    net.stop_captures()
    return fname, Rules([(f"10.53.{n}.2", 8080)], [
        FOLLOWUP(),
        (is_server, L("unread-recv-buffer",
                      "the server read the POST's headers (sent in the TFO SYN), answered 413 and "
                      "closed with body bytes unread (kernel: TCP_ABORT_ON_CLOSE)",
                      {"TCP_ABORT_ON_CLOSE"})),
    ])


@scenario(14)
def tw_reuse_last_ack_lost_router_any_v4(net):
    """With tcp_tw_reuse=1 and a one-port range, a client reconnects on its TIME_WAIT tuple while the server, whose last ACK was lost, is still in LAST_ACK (captured on the router with tcpdump -i any).

    Routed: client 10.53.14.1 - router - server 10.53.114.1:8080.  The client's
    namespace has net.ipv4.tcp_tw_reuse=1 (the default 2 is loopback only)
    and ip_local_port_range 40000 40000 (a port-starved client, as behind a
    heavily loaded proxy).  The client sends a request, reads the answer and
    closes first; the server closes when it reads EOF.  The router drops the
    client's pure ACKs (a flaky path), so the server's FIN is never
    acknowledged and its socket stays in LAST_ACK, retransmitting the FIN
    (which the client's TIME_WAIT acknowledges into the void).  2.6 s after
    the close the drop ends and the client connects again: tcp_tw_reuse hands
    it the TIME_WAIT tuple.  The server's LAST_ACK socket answers the SYN
    with an ACK for the old connection (RFC 5961 challenge ACK); the client
    in SYN_SENT answers that with a RST (seq = its ack), which also ends the
    server's LAST_ACK socket; the client's SYN retransmission 1 s later
    connects and the second request succeeds.  Captured on the router with
    `tcpdump -i any`: every packet appears twice (rc and rs), so each RST
    has a second copy.
    """
    n = 14
    routed(net, n)
    net.sysctl("c", "net.ipv4.tcp_tw_reuse", 1)
    net.sysctl("c", "net.ipv4.ip_local_port_range", "40000 40000")
    net.nft("r", "table inet h3flaky {\n chain forward_f {\n type filter hook forward priority 0; policy accept;\n }\n}\n")
    net.py("s", f"""
import socket, threading
ls = socket.socket(); ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
ls.bind(("10.53.{100 + n}.1", 8080)); ls.listen(8); print("listening", flush=True)
def serve(c):
    c.recv(4096)
    c.sendall(b"HTTP/1.0 200 OK\\r\\nContent-Length: 3\\r\\n\\r\\nok\\n")
    while c.recv(4096): pass
    c.close()
while True:
    c, _ = ls.accept(); threading.Thread(target=serve, args=(c,), daemon=True).start()
""", "server", ready=(f"10.53.{100 + n}.1", 8080))
    fname = "tw-reuse-last-ack-lost-router-any-v4.pcap"
    net.capture("r", ["any"], os.path.join(OUT, fname))
    rns = net.ns("r")
    cli = net.py("c", f"""
import socket, subprocess, time
def nft(*a): subprocess.run(["ip", "netns", "exec", "{rns}", "nft", *a], check=True)
def get(tag):
    s = socket.create_connection(("10.53.{100 + n}.1", 8080))
    print(tag, "from port", s.getsockname()[1], flush=True)
    s.sendall(b"GET /" + tag.encode() + b" HTTP/1.0\\r\\n\\r\\n")
    d = b""
    while not d.endswith(b"ok\\n"): d += s.recv(4096)
    print(tag, d.split(b"\\r\\n")[0], flush=True)
    return s
s = get("first"); time.sleep(0.1)
nft("add", "rule", "inet", "h3flaky", "forward_f", "iifname", "rc", "tcp", "dport", "8080",
    "tcp", "flags", "==", "ack", "drop")
s.close(); time.sleep(2.6)
nft("flush", "chain", "inet", "h3flaky", "forward_f")
s2 = get("second"); s2.close(); time.sleep(0.3)
""", "client")
    wait_exit(cli)
    net.stop_captures()
    return fname, Rules([(f"10.53.{100 + n}.1", 8080)], [
        FOLLOWUP(("NO_SOCKET", "TCP_FLAGS", "TCP_INVALID_ACK_SEQUENCE")),
        (is_client, L("timewait-reuse",
                      "the client's SYN reused (tcp_tw_reuse) the tuple of a connection the server "
                      "still held in LAST_ACK (its FIN never acknowledged); the server answered "
                      "with an ACK for the old connection and the client in SYN_SENT reset it "
                      "(kernel: TCP_INVALID_ACK_SEQUENCE)",
                      {"TCP_INVALID_ACK_SEQUENCE", "NO_SOCKET"}, alternatives=["invalid-segment"])),
    ])


# ------------------------------------------------------------------ driver

def run(names):
    os.makedirs(WORK, exist_ok=True)
    tracer = Tracer()
    failed = []
    try:
        for name in names:
            fn = SCENARIOS[name]
            log(f"== {name}")
            tracer.clear()
            net = Net(fn.n)
            try:
                res = fn(net)
            except Exception as e:
                log(f"!! {name}: {e!r}")
                failed.append(name)
                net.close()
                continue
            time.sleep(0.2)
            # events up to the end of the capture only: teardown (killing the
            # programs, deleting namespaces) makes RSTs no capture saw
            events = [e for e in tracer.events() if any(e["src"][0].startswith(b) for b in fn.blocks)]
            net.close()
            time.sleep(0.3)
            fname, rules = res[0], res[1]
            nat = res[2] if len(res) > 2 else None
            path = os.path.join(OUT, fname)
            os.chmod(path, 0o644)
            rsts = rst_frames(path)
            extra = match_events(rsts, events, nat)
            try:
                labels = rules.apply(path, rsts)
            except RuntimeError as e:
                log(f"!! {name}: {e}")
                failed.append(name)
                labels = []
            if not rsts:
                log(f"!! {name}: no RST captured")
                failed.append(name)
            with open(os.path.join(WORK, f"{name}.labels.json"), "w") as f:
                json.dump(dict(file=fname, scenario=name, labels=labels, events=events,
                               unmatched_events=extra), f, indent=1)
            for l in labels:
                log(f"   #{l['frame']} {l['tuple']} {l['sender']}/{l['origin']} "
                    f"{l['kernel'] and l['kernel']['reason']} -> {l['cause']}/{l['detail']}")
            for e in extra:
                log(f"   (event without a captured RST: {e})")
    finally:
        tracer.close()
        cleanup_work()
    merge()
    return failed


def cleanup_work():
    """Drops the bulky run-time data (database clusters, the 20 MB file);
    logs, configurations and per-scenario labels stay in work/."""
    import glob
    import shutil
    for d in glob.glob(os.path.join(WORK, "*.pg")) + glob.glob(os.path.join(WORK, "*.mariadb")):
        shutil.rmtree(d, ignore_errors=True)
    big = os.path.join(WORK, "www2", "big.bin")
    if os.path.exists(big):
        os.unlink(big)


def merge():
    """labels.json (schema of the brief) and NAME.rst-frames for every
    scenario whose work/NAME.labels.json exists."""
    caps = []
    for name, fn in SCENARIOS.items():
        p = os.path.join(WORK, f"{name}.labels.json")
        if not os.path.exists(p):
            continue
        d = json.load(open(p))
        if not d["labels"]:
            continue
        keep = ("frame", "sender", "origin", "cause", "detail", "alternatives", "kernel", "note",
                "tuple", "ttl", "ip_id", "interface", "followup_of", "duplicate_of")
        caps.append({"file": d["file"], "scenario": name,
                     "description": (fn.__doc__ or "").strip().splitlines()[0],
                     "resets": [{k: l[k] for k in keep if k in l} for l in d["labels"]]})
        frames = [r["frame"] for r in rst_frames(os.path.join(OUT, d["file"]))]
        assert frames == [l["frame"] for l in d["labels"]], (name, frames)
        with open(os.path.join(OUT, d["file"] + ".rst-frames"), "w") as f:
            f.write("".join(f"{x}\n" for x in frames))
    with open(os.path.join(OUT, "labels.json"), "w") as f:
        json.dump({"generated_by": "holdout3.py", "captures": caps}, f, indent=1)


if __name__ == "__main__":
    if os.geteuid() != 0:
        sys.exit("needs root")
    if "--list" in sys.argv:
        for n, fn in SCENARIOS.items():
            print(f"{n:44s} {(fn.__doc__ or '').strip().splitlines()[0]}")
        sys.exit(0)
    if "--merge" in sys.argv:
        merge()
        sys.exit(0)
    names = [a for a in sys.argv[1:] if not a.startswith("-")] or list(SCENARIOS)
    bad = run(names)
    if bad:
        log("failed: " + " ".join(bad))
        sys.exit(1)
