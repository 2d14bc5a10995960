#!/usr/bin/python3
"""Harness shared by the blind hold-out sets (holdout4 on; holdout3.py keeps
its own copy, from which this one was taken): real Linux TCP RST captures
labelled from each scenario's design and the kernel's own reason for every
RST (tracepoint tcp/tcp_send_reset, read from a private tracefs instance).

A set's generator does

    sys.path.insert(0, <this file's directory>)
    import holdout_harness
    holdout_harness.configure(__file__, "holdout4", "h4", "10.54", "fd54")
    from holdout_harness import *

then defines its scenarios with @scenario(n) (each a function taking a Net,
returning (capture file name, Rules[, nat])) and calls main().

Address plan of scenario n: client side V4.n.0/24 and V6:n::/64, server side
V4.(100+n).0/24 and V6:(100+n)::/64 (routed scenarios), a third network
V4.(200+n).0/24.  Namespaces PREFIX-n-<who>, deleted after each scenario.

Writes NAME.pcap(ng), NAME.pcap(ng).rst-frames (tshark's RST frame numbers),
work/NAME.labels.json (with every traced event) and merges all scenarios'
labels into labels.json.  Root only.
"""
import json
import os
import re
import signal
import subprocess
import sys
import time

PY = "/usr/bin/python3"

# Set by configure() (holdout3's values are the defaults).
SET = "holdout3"            # the set's name: generated_by is SET + ".py"
PREFIX = "h3"               # namespaces PREFIX-<n>-<who>
V4 = "10.53"                # IPv4 block: V4.<n>.0/24, V4.<100+n>.0/24, V4.<200+n>.0/24
V6 = "fd53"                 # IPv6 block: V6:<n>::/64 ...
OUT = os.path.dirname(os.path.abspath(__file__))
WORK = os.path.join(OUT, "work")
TRACE_INST = "/sys/kernel/tracing/instances/h3_holdout3"


def configure(script, name, prefix, v4, v6):
    """Points the harness at one set: script is the set's generator (its
    directory is the output directory, work/ below it), name the set's name
    (generated_by: name + ".py"), prefix the namespaces' prefix, v4 / v6 the
    address blocks ("10.54", "fd54").  Call it before `from holdout_harness
    import *`, which copies these globals."""
    global SET, PREFIX, V4, V6, OUT, WORK, TRACE_INST
    SET, PREFIX, V4, V6 = name, prefix, v4, v6
    OUT = os.path.dirname(os.path.abspath(script))
    WORK = os.path.join(OUT, "work")
    TRACE_INST = f"/sys/kernel/tracing/instances/{prefix}_{name}"


def a4(n, h):
    """IPv4 address h in block n of the configured set (V4.n.h)."""
    return f"{V4}.{n}.{h}"


def a6(n, h):
    """IPv6 address h in block n of the configured set (V6:n::h)."""
    return f"{V6}:{n}::{h}"

SCENARIOS = {}


def scenario(n, extra_blocks=()):
    """Registers a scenario with number n (its namespaces are PREFIX-n-*)."""
    def wrap(fn):
        fn.n = n
        fn.blocks = [f"{V4}.{n}.", f"{V4}.{100 + n}.", f"{V4}.{200 + n}.",
                     f"{V6}:{n}:", f"{V6}:{100 + n}:", f"{V6}:{200 + n}:"]
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
    """Namespaces PREFIX-<n>-<who>, their links, processes and captures."""

    def __init__(self, n):
        self.n = n
        self.made = []
        self.procs = []
        self.caps = []

    def ns(self, who):
        return f"{PREFIX}-{self.n}-{who}"

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

    def capture(self, who, ifaces, path, tool="tcpdump", snaplen=0, filt="tcp", extra=()):
        """extra: more tcpdump options (e.g. -y LINUX_SLL2, --time-stamp-precision=nano)."""
        if os.path.exists(path):
            os.unlink(path)
        if tool == "tcpdump":
            cmd = ["tcpdump", "-i", ifaces[0], "-w", path, "-U", "--immediate-mode", "-B", "8192",
                   "-s", str(snaplen or 262144), *extra] + ([filt] if filt else [])
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
    """Client c (V4.n.1, V6:n::1) and server s (.2, ::2) on one veth c0-s0."""
    net.add("c", "s")
    net.veth("c", "c0", "s", "s0")
    for who, dev, h in (("c", "c0", 1), ("s", "s0", 2)):
        net.addr(who, dev, f"{V4}.{n}.{h}/24")
        net.addr(who, dev, f"{V6}:{n}::{h}/64")


def routed(net, n, router="r"):
    """Client c (V4.n.1) - router r (rc .254 / rs .254) - server s (V4.(100+n).1)."""
    m = 100 + n
    net.add("c", router, "s")
    net.veth("c", "c0", router, "rc")
    net.veth("s", "s0", router, "rs")
    for who, dev, rdev, blk in (("c", "c0", "rc", n), ("s", "s0", "rs", m)):
        net.addr(who, dev, f"{V4}.{blk}.1/24")
        net.addr(who, dev, f"{V6}:{blk}::1/64")
        net.route(who, "default", "via", f"{V4}.{blk}.254")
        net.route(who, "default", "via", f"{V6}:{blk}::254")
        net.addr(router, rdev, f"{V4}.{blk}.254/24")
        net.addr(router, rdev, f"{V6}:{blk}::254/64")
    net.sysctl(router, "net.ipv4.ip_forward", 1)
    net.sysctl(router, "net.ipv6.conf.all.forwarding", 1)


DELAY_LINE = r"""
import socket, sys, threading, time
D = float(sys.argv[1])
def sock(dev):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(3))
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
    s.bind((dev, 0))
    return s
def line(src, dst):
    q, cv = [], threading.Condition()
    def out():
        while True:
            with cv:
                while not q:
                    cv.wait()
                t, pkt = q[0]
                now = time.monotonic()
                if t > now:
                    cv.wait(t - now)
                    continue
                q.pop(0)
            dst.send(pkt)
    threading.Thread(target=out, daemon=True).start()
    while True:
        pkt, addr = src.recvfrom(65535)
        if addr[2] == socket.PACKET_OUTGOING:
            continue
        with cv:
            q.append((time.monotonic() + D, pkt))
            cv.notify()
a, b = sock(sys.argv[2]), sock(sys.argv[3])
threading.Thread(target=line, args=(a, b), daemon=True).start()
print("delay line up", flush=True)
line(b, a)
"""


def delayed(net, n, delay):
    """direct()'s subnet (client c .1, server s .2) through a user-space delay
    line in namespace d that holds every frame `delay` seconds each way (this
    kernel has no sch_netem).  Offloads are off on the ends so that every
    frame fits the wire."""
    net.add("c", "d", "s")
    net.veth("c", "c0", "d", "dc")
    net.veth("s", "s0", "d", "ds")
    for who, dev, h in (("c", "c0", 1), ("s", "s0", 2)):
        net.addr(who, dev, f"{V4}.{n}.{h}/24")
        net.addr(who, dev, f"{V6}:{n}::{h}/64")
        net.x(who, "ethtool", "-K", dev, "tx", "off", "tso", "off", "gso", "off", "gro", "off")
    for dev in ("dc", "ds"):
        net.x("d", "ethtool", "-K", dev, "tx", "off", "tso", "off", "gso", "off", "gro", "off")
        sh("ip", "-n", net.ns("d"), "link", "set", dev, "promisc", "on")
    net.py("d", DELAY_LINE, "delayline", args=(delay, "dc", "ds"), ready="delay line up")


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
           "-nodes", "-keyout", cakey, "-out", ca, "-days", "30", "-subj", f"/CN={SET} lab CA")
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
    (another interface, or translated) is marked dup_of the first frame.

    With holdout5's correction (copied into holdout6 to holdout8, now here
    once): two real RSTs can look like a packet and its copy (a closed
    socket answering two back-to-back data segments: the first from the
    socket, the second, a follow-up, from no socket, both with seq = the
    same ack), so a RST taken for a copy, for which a traced event of its
    own (same source and destination) is still unmatched, is a RST of its
    own: it gets that event."""
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
    extra = [e for i, e in enumerate(events) if i not in used]
    for r in rsts:
        if not r["dup_of"]:
            continue
        src = (nat or {}).get(r["src"], r["src"])
        dst = (nat or {}).get(r["dst"], r["dst"])
        for e in extra:
            if e["src"] == src and (e["dst"] == dst or e["dst"][1] == 0):
                r["kernel"], r["dup_of"] = e, None
                extra.remove(e)
                break
    return extra


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
        json.dump({"generated_by": f"{SET}.py", "captures": caps}, f, indent=1)


def main(argv=None):
    """The sets' CLI: [--list] [--merge] [NAME ...] (no NAME: every scenario)."""
    argv = sys.argv[1:] if argv is None else argv
    if os.geteuid() != 0:
        sys.exit("needs root")
    if "--list" in argv:
        for n, fn in SCENARIOS.items():
            print(f"{n:44s} {(fn.__doc__ or '').strip().splitlines()[0]}")
        sys.exit(0)
    if "--merge" in argv:
        merge()
        sys.exit(0)
    names = [a for a in argv if not a.startswith("-")] or list(SCENARIOS)
    unknown = [a for a in names if a not in SCENARIOS]
    if unknown:
        sys.exit("unknown scenario: " + " ".join(unknown))
    t0 = time.time()
    bad = run(names)
    log(f"run took {time.time() - t0:.0f} s")
    if bad:
        log("failed: " + " ".join(bad))
        sys.exit(1)
