#!/usr/bin/python3
"""Second blind hold-out set: real Linux TCP RST captures for rstdiag.

Each scenario is one function (registered with @scenario(n)) that builds its
own network namespaces (prefix h2-<n>-), runs real programs in them, captures
with tcpdump or dumpcap, and records the kernel's own reason for every RST it
sends from the tracepoint tcp/tcp_send_reset (read from a private tracefs
instance).  Labels come from the scenario's design; each label names the
kernel reasons the design allows, and a RST whose traced reason is outside
them fails the scenario instead of being guessed at.

Address plan of scenario n: client side 10.52.n.0/24 and fd52:n::/64,
server side 10.52.(100+n).0/24 and fd52:(100+n)::/64, a third network
10.52.(200+n).0/24 where needed.

usage: holdout2.py [--list] [--merge] [NAME ...]   (no NAME: every scenario)
Writes NAME.pcap(ng), NAME.pcap(ng).rst-frames (tshark's RST frame numbers), work/NAME.labels.json (with every
traced event) and merges all scenarios' labels into labels.json.  Root only.
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
TRACE_INST = "/sys/kernel/tracing/instances/h2_holdout2"

SCENARIOS = {}


def scenario(n):
    """Registers a scenario with number n (its namespaces are h2-n-*)."""
    def wrap(fn):
        fn.n = n
        fn.blocks = [f"10.52.{n}.", f"10.52.{100 + n}.", f"10.52.{200 + n}.",
                     f"fd52:{n}:", f"fd52:{100 + n}:", f"fd52:{200 + n}:"]
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
    return host.strip("[]"), int(port)


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
    """Namespaces h2-<n>-<who>, their links, processes and captures."""

    def __init__(self, n):
        self.n = n
        self.made = []
        self.procs = []
        self.caps = []

    def ns(self, who):
        return f"h2-{self.n}-{who}"

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
    """Client c (10.52.n.1, fd52:n::1) and server s (.2, ::2) on one veth c0-s0."""
    net.add("c", "s")
    net.veth("c", "c0", "s", "s0")
    for who, dev, h in (("c", "c0", 1), ("s", "s0", 2)):
        net.addr(who, dev, f"10.52.{n}.{h}/24")
        net.addr(who, dev, f"fd52:{n}::{h}/64")


def routed(net, n, router="r"):
    """Client c (10.52.n.1) - router r (rc .254 / rs .254) - server s (10.52.(100+n).1)."""
    m = 100 + n
    net.add("c", router, "s")
    net.veth("c", "c0", router, "rc")
    net.veth("s", "s0", router, "rs")
    for who, dev, rdev, blk in (("c", "c0", "rc", n), ("s", "s0", "rs", m)):
        net.addr(who, dev, f"10.52.{blk}.1/24")
        net.addr(who, dev, f"fd52:{blk}::1/64")
        net.route(who, "default", "via", f"10.52.{blk}.254")
        net.route(who, "default", "via", f"fd52:{blk}::254")
        net.addr(router, rdev, f"10.52.{blk}.254/24")
        net.addr(router, rdev, f"fd52:{blk}::254/64")
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
           "-nodes", "-keyout", cakey, "-out", ca, "-days", "30", "-subj", "/CN=holdout2 lab CA")
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
                rec = dict(done[r["dup_of"]], frame=r["frame"], duplicate_of=r["dup_of"],
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


# ------------------------------------------------------------------ TLS

@scenario(1)
def tls13_client_cert_required_curl_v4(net):
    """curl without a client certificate against a TLS 1.3 server that requires one.

    haproxy 2.6 terminates TLS on 10.52.1.2:8443 (`bind ... ssl crt ... ca-file
    ... verify required`, ssl-min-ver TLSv1.3; a certificate for api.h2.test
    signed by a CA made at run time): mutual TLS, a client certificate is
    required.  curl 7.88 (OpenSSL 3.0, TLS 1.3) has none: in TLS 1.3 the
    client's handshake ends with its own Finished (an empty Certificate
    before it), so curl writes its GET at once, without waiting for the
    server's verdict.  haproxy reads the empty Certificate and Finished,
    sends the fatal alert certificate_required (116, in a 24-byte record)
    and closes the socket (FIN); curl's GET, written a few milliseconds
    after its Finished, reaches the closed socket 0.5 to 6 ms after the
    FIN, acknowledging it, and the kernel answers it with a RST (in runs
    where the GET arrives before the close, the close itself would be the
    RST: the labels follow the traced reason).  curl prints `OpenSSL
    SSL_read: ... tlsv13 alert certificate required` (exit 56).  curl tries
    twice, 0.5 s apart, like a retrying script.
    Captured at the client.
    """
    n = 1
    direct(net, n)
    ca, crt, key = make_cert("1", "api.h2.test")
    pem = os.path.join(WORK, "1.haproxy.pem")
    write(pem, open(crt).read() + open(key).read())
    cfg = write(os.path.join(WORK, "1.haproxy.cfg"), f"""
global
    log stdout format raw local0 info
    ssl-default-bind-options ssl-min-ver TLSv1.3
defaults
    mode http
    log global
    option httplog
    timeout connect 2s
    timeout client 5s
    timeout server 5s
frontend mtls
    bind 10.52.{n}.2:8443 ssl crt {pem} ca-file {ca} verify required
    http-request return status 200 content-type text/plain string "ok"
""")
    net.start("s", ["haproxy", "-db", "-f", cfg], "haproxy", ready=(f"10.52.{n}.2", 8443))
    fname = "tls13-client-cert-required-curl-v4.pcap"
    net.capture("c", ["c0"], os.path.join(OUT, fname))
    for i in range(2):
        p = net.start("c", ["curl", "-sS", "-v", "--cacert", ca, "--tlsv1.3", "--resolve",
                            f"api.h2.test:8443:10.52.{n}.2", "https://api.h2.test:8443/status"],
                      f"curl{i}")
        try:
            p.wait(10)
        except subprocess.TimeoutExpired:
            net.kill(p)
        time.sleep(0.5)
    net.stop_captures()
    srv = (f"10.52.{n}.2", 8443)
    return fname, Rules([srv], [
        FOLLOWUP(),
        (lambda r: r["sender"] == "server" and r["kernel_reason"] == "TCP_ABORT_ON_CLOSE",
         L("unread-recv-buffer",
           "haproxy rejected the handshake (no client certificate: alert certificate_required) "
           "and closed the socket with curl's TLS 1.3 request, written right after its Finished, "
           "still unread in the receive buffer", {"TCP_ABORT_ON_CLOSE"},
           alternatives=["data-after-fin"])),
        (lambda r: r["sender"] == "server",
         L("data-after-fin",
           "haproxy rejected the TLS 1.3 handshake (no client certificate: alert "
           "certificate_required) and closed (FIN); curl's request, written after its Finished "
           "without waiting for the server's verdict, arrived just after the close",
           {"TCP_ABORT_ON_DATA", "TCP_TIMEWAIT_SOCKET", "NO_SOCKET"}, detail="auto")),
    ])


def nginx_conf(n, body, name="nginx"):
    """A minimal nginx.conf for Debian's nginx 1.22 with its files in work/."""
    d = os.path.join(WORK, f"{n}.{name}")
    os.makedirs(d, exist_ok=True)
    return write(os.path.join(d, "nginx.conf"), f"""
worker_processes 1;
daemon off;
master_process on;
pid {d}/nginx.pid;
error_log {d}/error.log info;
events {{ worker_connections 256; }}
http {{
    access_log {d}/access.log;
    client_body_temp_path {d}/body;
    proxy_temp_path {d}/proxy;
    fastcgi_temp_path {d}/fastcgi;
    uwsgi_temp_path {d}/uwsgi;
    scgi_temp_path {d}/scgi;
    default_type application/octet-stream;
{body}
}}
""")


@scenario(2)
def curl_h2_tls_max_time_download_v6(net):
    """curl --http2 over TLS 1.3 and IPv6 gives up a slow download at --max-time.

    Debian's nginx 1.22 serves a 20 MB file over HTTPS with HTTP/2 on
    [fd52:2::2]:443 (listen ... ssl http2, ssl_protocols TLSv1.3, a
    certificate for files.h2.test made at run time).  curl 7.88 fetches it
    with --http2 --limit-rate 300k --max-time 1.5: curl reads slowly, so
    nginx's data piles up in curl's socket receive buffer; at the deadline
    curl (exit 28) closes the connection with that data unread, and the
    kernel sends a RST instead of a FIN (RFC 2525 2.17).  Segments nginx had
    already sent then meet no socket on the client.  Captured at the client
    over IPv6.
    """
    n = 2
    direct(net, n)
    ca, crt, key = make_cert("2", "files.h2.test")
    www = os.path.join(WORK, "www2")
    big_file(os.path.join(www, "big.bin"))
    cfg = nginx_conf(n, f"""
    server {{
        listen [fd52:{n}::2]:443 ssl http2;
        server_name files.h2.test;
        ssl_certificate {crt};
        ssl_certificate_key {key};
        ssl_protocols TLSv1.3;
        root {www};
    }}""")
    net.start("s", ["nginx", "-c", cfg], "nginx", ready=(f"fd52:{n}::2", 443))
    fname = "curl-h2-tls-max-time-download-v6.pcap"
    net.capture("c", ["c0"], os.path.join(OUT, fname))
    p = net.start("c", ["curl", "-sS", "-v", "--http2", "--cacert", ca, "--limit-rate", "300k",
                        "--max-time", "1.5", "-o", "/dev/null", "--resolve",
                        f"files.h2.test:443:[fd52:{n}::2]", "https://files.h2.test/big.bin"], "curl")
    wait_exit(p)
    time.sleep(0.5)
    net.stop_captures()
    srv = (f"fd52:{n}::2", 443)
    return fname, Rules([srv], [
        FOLLOWUP(reasons=("NO_SOCKET",), why="nginx's data, in flight when curl reset, "
                 "met no socket on the client"),
        (lambda r: r["sender"] == "client",
         L("unread-recv-buffer",
           "curl hit --max-time mid-download (HTTP/2 over TLS 1.3) and closed its socket with "
           "nginx's data still unread in the receive buffer, so the kernel reset instead of FIN",
           {"TCP_ABORT_ON_CLOSE"})),
    ])


# ------------------------------------------------------------------ databases

PGBIN = "/usr/lib/postgresql/15/bin"


def postgres_cluster(n, who_addr, extra_conf="", crt=None, key=None):
    """A fresh PostgreSQL 15 cluster in work/n.pg (initdb as user postgres),
    listening on who_addr:5432, trust authentication for the lab blocks."""
    d = os.path.join(WORK, f"{n}.pg")
    sh("rm", "-rf", d)
    os.makedirs(d)
    sh("chown", "postgres:postgres", d)
    sh("setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups",
       f"{PGBIN}/initdb", "-D", f"{d}/data", "-U", "postgres", "-A", "trust", "--no-sync")
    conf = f"""
listen_addresses = '{who_addr}'
port = 5432
unix_socket_directories = '{d}'
logging_collector = off
log_connections = on
log_disconnections = on
"""
    if crt:
        for src, dst in ((crt, "server.crt"), (key, "server.key")):
            sh("cp", src, f"{d}/data/{dst}")
            sh("chown", "postgres:postgres", f"{d}/data/{dst}")
            os.chmod(f"{d}/data/{dst}", 0o600)
        conf += "ssl = on\nssl_cert_file = 'server.crt'\nssl_key_file = 'server.key'\n"
    with open(f"{d}/data/postgresql.conf", "a") as f:
        f.write(conf + extra_conf)
    with open(f"{d}/data/pg_hba.conf", "a") as f:
        f.write("host all all 10.52.0.0/16 trust\nhost all all fd52::/16 trust\n")
    return d


@scenario(3)
def postgres_terminate_backend_ssl_midcapture_v4(net):
    """pg_terminate_backend() ends an idle psql session over SSL; the capture starts mid-session.

    Debian's PostgreSQL 15 (a fresh cluster, ssl = on with a certificate made
    at run time) on 10.52.3.2:5432.  psql, fed from a pipe as a script or a
    tool would feed it, connects with sslmode=require and runs SELECT 1.  The
    capture starts only then (no handshake in it: the roles must be guessed
    from the ports).  An administrator in another session runs
    pg_terminate_backend() on it: the backend sends its FATAL 57P01
    ErrorResponse inside TLS and exits (close_notify? then FIN); psql,
    blocked on its input, does not read it; its kernel acknowledges the FIN.
    1.2 s later psql sends SELECT 2 on the dead connection and the server's
    closed socket resets it; psql prints `server closed the connection
    unexpectedly`.  Captured at the client.
    """
    n = 3
    direct(net, n)
    ca, crt, key = make_cert("3", "db.h2.test")
    d = postgres_cluster(n, f"10.52.{n}.2", crt=crt, key=key)
    net.start("s", [f"{PGBIN}/postgres", "-D", f"{d}/data"], "postgres", user="postgres",
              ready=(f"10.52.{n}.2", 5432))
    psql = net.start("c", ["psql", "-X", "-a", f"host=10.52.{n}.2 port=5432 user=postgres "
                           f"dbname=postgres sslmode=require application_name=report-job"],
                     "psql", stdin=subprocess.PIPE)
    psql.stdin.write(b"SELECT 1 AS first;\n")
    psql.stdin.flush()
    t0 = time.time()
    while not net.x("c", "ss", "-Htn", "state", "established", "dport = :5432").stdout.strip():
        if time.time() - t0 > 10:
            raise RuntimeError("psql did not connect")
        time.sleep(0.05)
    time.sleep(0.8)
    fname = "postgres-terminate-backend-ssl-midcapture-v4.pcap"
    net.capture("c", ["c0"], os.path.join(OUT, fname))
    time.sleep(0.3)
    net.x("s", "setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups",
          "psql", "-X", "-h", d, "-U", "postgres", "-c",
          "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
          "WHERE application_name = 'report-job'")
    time.sleep(1.2)
    psql.stdin.write(b"SELECT 2 AS second;\n")
    psql.stdin.flush()
    time.sleep(0.5)
    psql.stdin.close()
    wait_exit(psql)
    net.stop_captures()
    srv = (f"10.52.{n}.2", 5432)
    return fname, Rules([srv], [
        FOLLOWUP(),
        (lambda r: r["sender"] == "server",
         L("data-after-fin",
           "an administrator's pg_terminate_backend() ended the idle session (FATAL 57P01 inside "
           "TLS, then FIN, acknowledged by psql's kernel); psql's next query 1.2 s later met the "
           "backend's closed socket (capture began mid-session, so the roles are guessed)",
           {"TCP_TIMEWAIT_SOCKET", "NO_SOCKET", "TCP_FLAGS", "TCP_ABORT_ON_DATA"}, detail="auto")),
    ])


@scenario(4)
def mariadb_wait_timeout_v4(net):
    """MariaDB ends a connection idle past wait_timeout with a RST, not a FIN.

    Debian's MariaDB 10.11 (a fresh datadir from mariadb-install-db) on
    10.52.4.2:3306 with one documented knob changed: wait_timeout = 2 and
    interactive_timeout = 2 (the defaults are 28800 s).  The mariadb
    command-line client, fed from a pipe, runs SELECT 1, sits idle 3.5 s and
    sends SELECT 2.  When wait_timeout expires the server ends the idle
    connection, and MariaDB does so abortively: its kernel sends an active
    RST+ACK (nothing unread, no FIN before it; tcp_send_reset says TCP_STATE,
    the SO_LINGER-0 / tcp_disconnect path), 2 s after the last exchange.
    The client's next query then fails locally (`ERROR 2006 (HY000): Server
    has gone away`, "MySQL server has gone away" in
    other clients).  Captured at the server.
    """
    n = 4
    direct(net, n)
    d = os.path.join(WORK, f"{n}.mariadb")
    sh("rm", "-rf", d)
    os.makedirs(d)
    sh("chown", "mysql:mysql", d)
    sh("mariadb-install-db", "--no-defaults", f"--datadir={d}/data", "--user=mysql",
       "--auth-root-authentication-method=normal", "--skip-test-db")
    net.start("s", ["mariadbd", "--no-defaults", f"--datadir={d}/data", f"--socket={d}/sock",
                    f"--pid-file={d}/pid", f"--bind-address=10.52.{n}.2", "--port=3306",
                    "--user=mysql", "--wait-timeout=2", "--interactive-timeout=2",
                    "--skip-log-bin", "--innodb-buffer-pool-size=16M"],
              "mariadbd", ready=(f"10.52.{n}.2", 3306), timeout=30)
    net.x("s", "mariadb", "-S", f"{d}/sock", "-u", "root", "-e",
          "CREATE USER app@'10.52.%' ; GRANT ALL ON *.* TO app@'10.52.%'")
    fname = "mariadb-wait-timeout-v4.pcap"
    net.capture("s", ["s0"], os.path.join(OUT, fname))
    cli = net.start("c", ["mariadb", "-h", f"10.52.{n}.2", "-P", "3306", "-u", "app", "-t"],
                    "mariadb", stdin=subprocess.PIPE)
    cli.stdin.write(b"SELECT 1 AS first;\n")
    cli.stdin.flush()
    time.sleep(3.5)
    cli.stdin.write(b"SELECT 2 AS second;\n")
    cli.stdin.flush()
    time.sleep(0.5)
    cli.stdin.close()
    wait_exit(cli)
    net.stop_captures()
    srv = (f"10.52.{n}.2", 3306)
    return fname, Rules([srv], [
        FOLLOWUP(),
        (lambda r: r["sender"] == "server",
         L("linger-abort",
           "MariaDB ended the connection when wait_timeout (2 s idle) expired, abortively: an "
           "active RST with nothing unread and no FIN before it (kernel: TCP_STATE)",
           {"TCP_STATE"})),
    ])


@scenario(5)
def nat_drops_forgotten_flow_keepalive_timeout_router_any_v4(net):
    """Behind a NAT that silently drops flows it forgot, a client's TCP keepalive gives up and resets (captured on the router with dumpcap -i any).

    Routed: client 10.52.5.1 - NAT gateway r (masquerade) - server
    10.52.105.1:8080.  The gateway keeps idle established flows 2 s
    (nf_conntrack_tcp_timeout_established=2 in its namespace) and its
    forward chain drops new flows that do not start with a SYN (`ct state
    new tcp flags & (syn|ack|fin|rst) != syn drop`, the silent variant of
    the usual rule).  The client, a long-poll subscriber (GET /events, the
    server sends headers and then nothing), has SO_KEEPALIVE with
    TCP_KEEPIDLE 3 s, TCP_KEEPINTVL 1 s, TCP_KEEPCNT 3.  Its probes, from 3 s
    into the silence, reach a gateway that has forgotten the flow and are
    dropped; after three unanswered probes the client's kernel aborts the
    connection with a RST (TCP_KEEPALIVE_TIMEOUT) and the application gets
    ETIMEDOUT.  That RST is forwarded without translation (no conntrack
    entry for a RST), so the server receives a RST from the client's
    private address, which matches nothing there.  The server still holds
    the connection.  Captured on the gateway with `dumpcap -i any` (Linux
    cooked v1 in pcapng): every forwarded packet appears twice, before and
    after NAT.
    """
    n = 5
    routed(net, n)
    net.nft("r", f"""
table ip nat {{
  chain post {{ type nat hook postrouting priority 100; oifname "rs" masquerade; }}
}}
table inet fw {{
  chain forward_filter {{ type filter hook forward priority 0; policy accept;
    ct state established,related accept
    ct state new tcp flags & (syn|ack|fin|rst) != syn drop
  }}
}}""")
    net.sysctl("r", "net.netfilter.nf_conntrack_tcp_timeout_established", 2)
    net.py("s", r'''
import socket, threading, time
ls = socket.socket(); ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
ls.bind(("0.0.0.0", 8080)); ls.listen(8); print("listening", flush=True)
def serve(c):
    req = c.recv(4096); print("request", req.split(b"\r\n")[0], flush=True)
    c.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n\r\n")
    time.sleep(30)
while True:
    c, a = ls.accept(); threading.Thread(target=serve, args=(c,), daemon=True).start()
''', "server", ready="listening")
    fname = "nat-drops-forgotten-flow-keepalive-timeout-router-any-v4.pcapng"
    net.capture("r", ["any"], os.path.join(OUT, fname), tool="dumpcap")
    p = net.py("c", r'''
import socket, time
s = socket.create_connection(("10.52.105.1", 8080))
s.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
s.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPIDLE, 3)
s.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPINTVL, 1)
s.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPCNT, 3)
s.sendall(b"GET /events HTTP/1.1\r\nHost: push.h2.test\r\nAccept: text/event-stream\r\n\r\n")
print("headers", s.recv(4096), flush=True)
try:
    d = s.recv(4096); print("event", d, flush=True)
except OSError as e:
    print("long poll failed", repr(e), flush=True)
time.sleep(0.3)
''', "client")
    wait_exit(p)
    net.stop_captures()
    return fname, Rules([(f"10.52.{100 + n}.1", 8080)], [
        FOLLOWUP(),
        (lambda r: r["sender"] == "client",
         L("keepalive-timeout",
           "the NAT gateway had forgotten the idle flow and silently dropped the client's "
           "keepalive probes; after three unanswered probes the client's kernel gave up and "
           "reset the connection", {"TCP_KEEPALIVE_TIMEOUT"})),
    ])


# ------------------------------------------------------------------ middleboxes

@scenario(6)
def nat_forgets_flow_keepalive_probe_any_v4(net):
    """A NAT gateway forgets an idle long-poll connection; the client's TCP keepalive probe is rejected.

    Routed: client host c (10.52.6.1; a second interface m0, 10.52.206.1,
    to a metrics host) - gateway r - server s (10.52.106.1:8080).  The
    gateway masquerades the client and keeps established flows only 2 s
    when idle (nf_conntrack_tcp_timeout_established=2 in its namespace, as
    aggressive NATs and cloud gateways do with longer times); its forward
    chain has the common rule `ct state new tcp flags & (syn|ack|fin|rst) !=
    syn reject with tcp reset`.  The client long-polls (GET /events; the
    server answers the headers and then sends nothing) with SO_KEEPALIVE,
    TCP_KEEPIDLE 3 s.  Its first keepalive probe, 3 s into the silence,
    reaches a gateway that no longer knows the flow: the probe is a new,
    non-SYN flow and is rejected with a RST in the server's name (TTL 64
    against the server's 63, IP ID 0, no tcp_send_reset event).  Meanwhile
    the client also polls the metrics host over m0.  Captured with
    `tcpdump -i any` on the client host (Linux cooked v2, two interfaces).
    """
    n = 6
    routed(net, n)
    net.add("m")
    net.veth("c", "m0", "m", "mm")
    net.addr("c", "m0", f"10.52.{200 + n}.1/24")
    net.addr("m", "mm", f"10.52.{200 + n}.2/24")
    net.nft("r", f"""
table ip nat {{
  chain post {{ type nat hook postrouting priority 100; oifname "rs" masquerade; }}
}}
table inet fw {{
  chain forward_filter {{ type filter hook forward priority 0; policy accept;
    ct state established,related accept
    ct state new tcp flags & (syn|ack|fin|rst) != syn reject with tcp reset
  }}
}}""")
    net.sysctl("r", "net.netfilter.nf_conntrack_tcp_timeout_established", 2)
    srv = net.py("s", r'''
import socket, threading, time
ls = socket.socket(); ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
ls.bind(("0.0.0.0", 8080)); ls.listen(8); print("listening", flush=True)
def serve(c):
    req = c.recv(4096); print("request", req.split(b"\r\n")[0], flush=True)
    c.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n\r\n")
    time.sleep(30)
while True:
    c, a = ls.accept(); threading.Thread(target=serve, args=(c,), daemon=True).start()
''', "server", ready="listening")
    met = net.py("m", r'''
import http.server, socketserver
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200); self.send_header("Content-Length", "3"); self.end_headers()
        self.wfile.write(b"ok\n")
    def log_message(self, *a): pass
print("listening", flush=True)
http.server.HTTPServer(("10.52.206.2", 9100), H).serve_forever()
''', "metrics", ready="listening")
    fname = "nat-forgets-flow-keepalive-probe-any-v4.pcap"
    net.capture("c", ["any"], os.path.join(OUT, fname))
    p = net.py("c", r'''
import socket, threading, time, urllib.request
def metrics():
    for i in range(3):
        urllib.request.urlopen("http://10.52.206.2:9100/metrics", timeout=3).read()
        time.sleep(1.5)
threading.Thread(target=metrics, daemon=True).start()
s = socket.create_connection(("10.52.106.1", 8080))
s.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
s.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPIDLE, 3)
s.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPINTVL, 1)
s.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPCNT, 3)
s.sendall(b"GET /events HTTP/1.1\r\nHost: push.h2.test\r\nAccept: text/event-stream\r\n\r\n")
print("headers", s.recv(4096), flush=True)
try:
    d = s.recv(4096); print("event", d, flush=True)
except OSError as e:
    print("long poll failed", repr(e), flush=True)
time.sleep(0.3)
''', "client")
    wait_exit(p)
    net.stop_captures()
    return fname, Rules([(f"10.52.{100 + n}.1", 8080), (f"10.52.{200 + n}.2", 9100)], [
        FOLLOWUP(),
        (lambda r: r["sender"] == "server" and r["kernel"] is None,
         L("idle-timeout",
           "the gateway's conntrack forgot the idle flow after 2 s; the client's keepalive probe "
           "3 s into the silence was a new non-SYN flow and the gateway's nftables rejected it "
           "with a RST in the server's name", {None}, origin="middlebox")),
    ])


@scenario(7)
def router_rejects_server_stream_snaplen96_v6(net):
    """A router rule added mid-stream rejects the server's outbound packets with a RST in the client's name (IPv6, snaplen 96).

    Routed over IPv6: client fd52:7::1 - router - server fd52:107::1:9000.
    The server streams log lines (about 120 bytes every 50 ms, as `tail -f`
    over TCP) to a client that only reads.  1 s in, an operator adds
    `ip6 saddr fd52:107::1 tcp sport 9000 reject with tcp reset` to the
    router's forward chain (an egress policy for the server's subnet): the
    server's next segment is answered by the router with a RST in the
    client's name, hop limit 64 against the client's 63, and the server's
    socket is reset (write fails with ECONNRESET; no tcp_send_reset event,
    nftables sent it).  The client, hearing nothing for 1.2 s, sends a
    heartbeat line on its still-open connection; the server's kernel has
    only the listener and answers with a RST (TCP_FLAGS), which the router's
    rule drops (a RST is never answered), so the client retransmits and
    each retransmission draws another.  Captured at the server with
    snaplen 96.
    """
    n = 7
    routed(net, n)
    srv = net.py("s", r'''
import socket, time
ls = socket.socket(socket.AF_INET6); ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
ls.bind(("fd52:107::1", 9000)); ls.listen(8); print("listening", flush=True)
c, a = ls.accept()
i = 0
try:
    while True:
        i += 1
        c.sendall(b"%s app[4121]: INFO request id=%06d path=/api/v1/items status=200 dur=3ms\n" % (time.strftime("%H:%M:%S").encode(), i))
        time.sleep(0.05)
except OSError as e:
    print("stream ended", repr(e), flush=True)
c.close()
time.sleep(30)
''', "server", ready="listening")
    fname = "router-rejects-server-stream-snaplen96-v6.pcap"
    net.capture("s", ["s0"], os.path.join(OUT, fname), snaplen=96)
    p = net.py("c", r'''
import socket, time
s = socket.create_connection(("fd52:107::1", 9000))
s.settimeout(1.2)
got = 0
while True:
    try:
        d = s.recv(65536)
        if not d: print("eof", flush=True); break
        got += len(d)
    except socket.timeout:
        print("silent for 1.2 s after", got, "bytes; heartbeat", flush=True)
        s.sendall(b"HEARTBEAT\n")
        s.settimeout(2.0)
        try:
            print("after heartbeat", s.recv(100), flush=True)
        except OSError as e:
            print("after heartbeat", repr(e), flush=True)
        break
s.close()
''', "client")
    time.sleep(1.0)
    net.nft("r", """table inet egress_policy {
  chain forward_filter { type filter hook forward priority 0; policy accept;
    ip6 saddr fd52:107::1 tcp sport 9000 reject with tcp reset
  }
}""")
    wait_exit(p)
    net.stop_captures()
    return fname, Rules([("fd52:107::1", 9000)], [
        FOLLOWUP(reasons=("TCP_FLAGS", "NO_SOCKET"), why="the client's heartbeat (or its "
                 "retransmission), from a client that never saw that RST, met only the listener"),
        (lambda r: r["sender"] == "client" and r["kernel"] is None,
         L("injected",
           "a rule added on the router mid-stream rejected the server's outbound segment with a "
           "RST in the client's name (hop limit 64 against the client's 63, answering the "
           "server's data at once, no idle gap)", {None}, origin="middlebox")),
    ])


@scenario(8)
def lb_restart_new_backend_three_ifaces_v4(net):
    """An L4 load balancer restarts with an empty conntrack table; a kept-alive connection lands on another backend.

    Client c (10.52.8.1) - load balancer lb - two nginx backends, b1
    (10.52.108.1) and b2 (10.52.208.1).  The LB publishes the virtual
    address 10.52.8.80:80 with nftables dnat (no SNAT: backends route back
    through it), at first to b1.  The client (Python http.client, keep-alive)
    gets / from b1.  Then the LB is "restarted": its ruleset is reloaded
    pointing the service at b2 and its conntrack table is flushed (as a
    reboot or a failover to a standby without conntrackd does).  The
    client's next request on its kept connection, 2 s after the first, is
    picked up mid-stream as a new flow (nf_conntrack_tcp_loose, the default)
    and translated to b2, whose kernel has only a listener and resets it
    (TCP_FLAGS); the LB translates the RST back to the virtual address.
    b1 still holds the connection.  Captured with dumpcap on the LB's three
    interfaces (pcapng): the same RST appears on the b2 leg and, translated,
    on the client leg.
    """
    n = 8
    net.add("c", "lb", "b1", "b2")
    net.veth("c", "c0", "lb", "lc")
    net.veth("b1", "e0", "lb", "l1")
    net.veth("b2", "e0", "lb", "l2")
    net.addr("c", "c0", f"10.52.{n}.1/24")
    net.addr("lb", "lc", f"10.52.{n}.254/24")
    net.addr("lb", "lc", f"10.52.{n}.80/24")
    for who, dev, blk in (("b1", "l1", 100 + n), ("b2", "l2", 200 + n)):
        net.addr(who, "e0", f"10.52.{blk}.1/24")
        net.addr("lb", dev, f"10.52.{blk}.254/24")
        net.route(who, "default", "via", f"10.52.{blk}.254")
    net.sysctl("lb", "net.ipv4.ip_forward", 1)
    lbrules = """table ip lb {{
  chain pre {{ type nat hook prerouting priority -100;
    ip daddr 10.52.{n}.80 tcp dport 80 dnat to {be}:80
  }}
}}"""
    net.nft("lb", lbrules.format(n=n, be=f"10.52.{100 + n}.1"))
    for who, blk in (("b1", 100 + n), ("b2", 200 + n)):
        www = os.path.join(WORK, f"www8{who}")
        os.makedirs(www, exist_ok=True)
        write(os.path.join(www, "index.html"), f"hello from {who}\n")
        cfg = nginx_conf(n, f"""
    server {{
        listen 10.52.{blk}.1:80;
        root {www};
    }}""", name=f"nginx-{who}")
        net.start(who, ["nginx", "-c", cfg], f"nginx-{who}", ready=(f"10.52.{blk}.1", 80))
    fname = "lb-restart-new-backend-three-ifaces-v4.pcapng"
    net.capture("lb", ["lc", "l1", "l2"], os.path.join(OUT, fname), tool="dumpcap")
    p = net.py("c", r'''
import http.client, sys, time
c = http.client.HTTPConnection("10.52.8.80", 80, timeout=5)
c.request("GET", "/", headers={"User-Agent": "inventory-sync/2.1"})
r = c.getresponse(); print(r.status, r.read(), flush=True)
print("done1", flush=True)
time.sleep(2.0)
try:
    c.request("GET", "/", headers={"User-Agent": "inventory-sync/2.1"})
    r = c.getresponse(); print(r.status, r.read(), flush=True)
except Exception as e:
    print("second failed:", repr(e), flush=True)
''', "client")
    wait_log(p, "done1")
    time.sleep(0.5)
    net.x("lb", "nft", "flush", "ruleset")
    net.nft("lb", lbrules.format(n=n, be=f"10.52.{200 + n}.1"))
    net.x("lb", "conntrack", "-F", check=False)
    wait_exit(p)
    net.stop_captures()
    vip = (f"10.52.{n}.80", 80)
    b2 = (f"10.52.{200 + n}.1", 80)
    return fname, Rules([vip, (f"10.52.{100 + n}.1", 80), b2], [
        FOLLOWUP(),
        (lambda r: r["sender"] == "server",
         L("peer-lost-state",
           "after the load balancer's restart (conntrack flushed, service now pointing at b2) "
           "the client's request on its kept connection was translated to b2, which never had "
           "the connection: its listener answered with a reply-form RST (TCP_FLAGS)",
           {"TCP_FLAGS", "NO_SOCKET"}, alternatives=["idle-timeout"])),
    ]), {vip: b2}


QINQ_BPF_C = r"""
/* tc-bpf: push two VLAN tags (802.1ad outer S-tag, 802.1Q inner C-tag) on
   egress and pop both on ingress, so a veth carries real QinQ frames
   without the 8021q module. */
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <linux/if_ether.h>
#define SEC(n) __attribute__((section(n), used))
static long (*skb_vlan_push)(struct __sk_buff *skb, __u16 proto, __u16 tci) = (void *)BPF_FUNC_skb_vlan_push;
static long (*skb_vlan_pop)(struct __sk_buff *skb) = (void *)BPF_FUNC_skb_vlan_pop;
SEC("push") int qinq_push(struct __sk_buff *skb)
{
	skb_vlan_push(skb, __builtin_bswap16(ETH_P_8021Q), CVID);
	skb_vlan_push(skb, __builtin_bswap16(ETH_P_8021AD), SVID);
	return TC_ACT_OK;
}
SEC("pop") int qinq_pop(struct __sk_buff *skb)
{
	if (skb->vlan_present)
		skb_vlan_pop(skb);
	if (skb->vlan_present)
		skb_vlan_pop(skb);
	return TC_ACT_OK;
}
char _license[] SEC("license") = "GPL";
"""


def qinq_tag(net, who, dev, svid, cvid):
    """Frames dev sends get S-tag svid (0x88a8) over C-tag cvid (0x8100);
    both are removed from what it receives (tc-bpf on clsact)."""
    obj = os.path.join(WORK, f"qinq{svid}-{cvid}.o")
    if not os.path.exists(obj):
        src = write(os.path.join(WORK, f"qinq{svid}-{cvid}.c"), QINQ_BPF_C)
        sh("clang", "-O2", "-target", "bpf", f"-DSVID={svid}", f"-DCVID={cvid}",
           "-I/usr/include/x86_64-linux-gnu", "-c", src, "-o", obj)
    net.x(who, "tc", "qdisc", "add", "dev", dev, "clsact")
    net.x(who, "tc", "filter", "add", "dev", dev, "egress", "bpf", "da", "obj", obj, "sec", "push")
    net.x(who, "tc", "filter", "add", "dev", dev, "ingress", "bpf", "da", "obj", obj, "sec", "pop")


@scenario(9)
def haproxy_health_checks_qinq_v4(net):
    """haproxy's health checks: TCP checks reset every connection, HTTP checks reset when they decide before the whole answer is in (QinQ-tagged wire).

    haproxy 2.6 on 10.52.9.1 balances two backends on 10.52.9.2: an HTTP
    service (Python http.server, `option httpchk GET /health`) and Debian's
    redis-server (a plain TCP connect check), both with `check inter 600`.
    haproxy puts SO_LINGER 0 on check sockets (no TIME_WAIT left behind).
    The TCP check (connect only) resets as soon as the connection is up, and
    since haproxy turns off quick ACKs on connect (to merge the ACK with a
    first request that never comes) the RST+ACK follows the server's SYN-ACK
    at once, with no handshake ACK before it; redis never sees those
    connections.  The HTTP check closes with a FIN when it has read the whole
    answer, but when it has decided on the status line before the rest
    arrives (http.server writes the headers and the body separately) it
    resets right after the header segment, nothing unread, and the body is
    never sent: which of the two happens is a race, run by run.  The capture
    shows a RST every 600 ms or so: harmless probes.  Both hosts put an
    802.1ad S-tag (VLAN 100) over an 802.1Q C-tag (VLAN 20) on every frame
    (tc-bpf push and pop on the veth ends, as a provider's QinQ trunk would
    carry it).  Captured on haproxy's tagged veth for about 1.6 s.
    """
    n = 9
    direct(net, n)
    qinq_tag(net, "c", "c0", 100, 20)
    qinq_tag(net, "s", "s0", 100, 20)
    net.start("s", ["redis-server", "--bind", f"10.52.{n}.2", "--port", "6379", "--save", "",
                    "--appendonly", "no", "--protected-mode", "no", "--daemonize", "no",
                    "--dir", WORK], "redis", ready=(f"10.52.{n}.2", 6379))
    net.py("s", r'''
import http.server
class H(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_GET(self):
        body = b"healthy\n"
        self.send_response(200); self.send_header("Content-Length", str(len(body))); self.end_headers()
        self.wfile.write(body)
print("listening", flush=True)
http.server.ThreadingHTTPServer(("10.52.9.2", 8080), H).serve_forever()
''', "http", ready="listening")
    cfg = write(os.path.join(WORK, f"{n}.haproxy.cfg"), f"""
global
    log stdout format raw local0 info
defaults
    log global
    timeout connect 1s
    timeout client 5s
    timeout server 5s
    timeout check 1s
frontend web
    mode http
    bind 10.52.{n}.1:8000
    default_backend app
frontend cache
    mode tcp
    bind 10.52.{n}.1:6380
    default_backend redis
backend app
    mode http
    option httpchk GET /health
    server app1 10.52.{n}.2:8080 check inter 600
backend redis
    mode tcp
    server redis1 10.52.{n}.2:6379 check inter 600
""")
    fname = "haproxy-health-checks-qinq-v4.pcap"
    net.capture("c", ["c0"], os.path.join(OUT, fname), filt="")
    net.start("c", ["haproxy", "-db", "-f", cfg], "haproxy", ready=(f"10.52.{n}.1", 8000))
    time.sleep(1.6)
    net.stop_captures()
    http_ep, redis_ep = (f"10.52.{n}.2", 8080), (f"10.52.{n}.2", 6379)
    return fname, Rules([http_ep, redis_ep], [
        FOLLOWUP(),
        (lambda r: r["sender"] == "client" and r["dst"] == redis_ep,
         L("linger-abort",
           "haproxy's TCP health check (connect only) closed with SO_LINGER 0 as soon as redis's "
           "SYN-ACK arrived, its own ACK still delayed: an abortive close of a connection that "
           "carried no data", {"TCP_STATE"},
           detail="probe")),
        (lambda r: r["sender"] == "client" and r["dst"] == http_ep,
         L("linger-abort",
           "haproxy's HTTP health check had the 200 status line it wanted from the first "
           "response segment and closed abortively (SO_LINGER 0) before the body arrived: a "
           "deliberate abort with nothing unread", {"TCP_STATE"})),
    ])


# ------------------------------------------------------------------ ports and listeners

@scenario(10)
def curl_dual_stack_v6_refused_snaplen128(net):
    """curl tries IPv6 first; nginx listens on IPv4 only, so the v6 SYN is refused before the v4 fallback succeeds.

    Debian's nginx on the server host with `listen 10.52.10.2:80` and no
    `listen [::]:80` (a common omission).  The name api.h2.test resolves to
    both fd52:10::2 and 10.52.10.2 (curl --resolve with two addresses, as
    a dual-stack DNS answer).  curl 7.88 (happy eyeballs) connects over IPv6
    first: the server's kernel has no socket on [fd52:10::2]:80 and answers
    the SYN with RST+ACK; curl falls back to IPv4 at once and gets its answer.
    It happens again for a second request.  Captured at the client with a
    snaplen of 128 bytes.
    """
    n = 10
    direct(net, n)
    www = os.path.join(WORK, "www10")
    os.makedirs(www, exist_ok=True)
    write(os.path.join(www, "index.html"), '{"status":"ok"}\n')
    cfg = nginx_conf(n, f"""
    server {{
        listen 10.52.{n}.2:80;
        server_name api.h2.test;
        root {www};
    }}""")
    net.start("s", ["nginx", "-c", cfg], "nginx", ready=(f"10.52.{n}.2", 80))
    fname = "curl-dual-stack-v6-refused-snaplen128.pcap"
    net.capture("c", ["c0"], os.path.join(OUT, fname), snaplen=128)
    for i in range(2):
        p = net.start("c", ["curl", "-sS", "-v", "--resolve",
                            f"api.h2.test:80:[fd52:{n}::2],10.52.{n}.2", "http://api.h2.test/"],
                      f"curl{i}")
        wait_exit(p)
        time.sleep(0.4)
    net.stop_captures()
    return fname, Rules([(f"fd52:{n}::2", 80), (f"10.52.{n}.2", 80)], [
        FOLLOWUP(),
        (lambda r: r["sender"] == "server",
         L("closed-port",
           "nginx listens on 10.52.10.2:80 only; curl's IPv6 attempt to [fd52:10::2]:80 found no "
           "socket and the server's kernel refused the SYN (curl then fell back to IPv4)",
           {"NO_SOCKET"})),
    ])


@scenario(11)
def reuseport_worker_exit_queued_v4(net):
    """A prefork server with one SO_REUSEPORT listener per worker recycles a stuck worker; connections queued on its socket are reset.

    The server (Python, a master and two worker processes, each worker with
    its own SO_REUSEPORT listener on 10.52.11.2:8080, as nginx `reuseport`,
    Envoy or uvicorn workers do) serves HTTP.  Worker B is stuck in a long
    task and does not accept; after 1.5 s the master recycles it (SIGKILL;
    the kernel closes its listener).  The kernel spreads new connections over both
    listeners by a hash of the 4-tuple (net.ipv4.tcp_migrate_req is 0, the
    default), so of eight clients, 0.1 s apart, each sending a GET at once,
    those that landed on B's socket wait, acknowledged, in its accept queue;
    when B's listener closes, every connection still queued on it is reset
    (inet_csk_listen_stop, TCP_STATE).  The others are answered by worker A.
    Captured at the client.
    """
    n = 11
    direct(net, n)
    srv = net.py("s", r'''
import os, signal, socket, sys, time
def listener():
    s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    s.bind(("10.52.11.2", 8080)); s.listen(16); return s
def worker_a():
    s = listener(); print("A listening", flush=True)
    while True:
        c, a = s.accept()
        req = c.recv(4096)
        c.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 9\r\nConnection: close\r\n\r\nworker A\n")
        c.close()
def worker_b():
    s = listener(); print("B listening (stuck)", flush=True)
    time.sleep(60)
pa = os.fork()
if pa == 0: worker_a()
time.sleep(0.2)
pb = os.fork()
if pb == 0: worker_b()
time.sleep(0.3)
print("workers up", flush=True)
sys.stdin = open("/dev/null")
time.sleep(float(os.environ.get("RECYCLE_AFTER", "1.5")))
os.kill(pb, signal.SIGKILL); os.waitpid(pb, 0)
print("worker B recycled", flush=True)
time.sleep(30)
''', "server", ready="workers up")
    fname = "reuseport-worker-exit-queued-v4.pcap"
    net.capture("c", ["c0"], os.path.join(OUT, fname))
    p = net.py("c", r'''
import socket, threading, time
def client(i):
    s = socket.create_connection(("10.52.11.2", 8080))
    s.sendall(b"GET /orders?page=%d HTTP/1.1\r\nHost: shop.h2.test\r\n\r\n" % i)
    s.settimeout(4)
    try:
        print(i, s.getsockname()[1], s.recv(200).split(b"\r\n\r\n")[-1], flush=True)
    except OSError as e:
        print(i, s.getsockname()[1], "failed", repr(e), flush=True)
ts = []
for i in range(8):
    t = threading.Thread(target=client, args=(i,)); t.start(); ts.append(t); time.sleep(0.1)
for t in ts: t.join()
''', "clients")
    wait_exit(p)
    net.stop_captures()
    return fname, Rules([(f"10.52.{n}.2", 8080)], [
        FOLLOWUP(),
        (lambda r: r["sender"] == "server",
         L("handshake-abort",
           "the connection completed its handshake into worker B's SO_REUSEPORT accept queue and "
           "was never accepted; when the stuck worker was recycled its listener closed and the "
           "queued connection, request unread, was reset", {"TCP_STATE"},
           alternatives=["unread-recv-buffer"])),
    ])


# ------------------------------------------------------------------ kernel timers

@scenario(12)
def postgres_user_timeout_copy_keepalive_probe_v6(net):
    """PostgreSQL's tcp_user_timeout silently kills a streaming COPY when the path fails; psql's keepalive probe later draws a RST (IPv6).

    Routed over IPv6: psql on fd52:12::1 - router - Debian's PostgreSQL 15 on
    [fd52:112::1]:5432 with one documented knob, tcp_user_timeout = 1500 ms
    (default 0: the kernel's retransmission limits).  psql connects with
    libpq's keepalives=1 keepalives_idle=3 keepalives_interval=1
    keepalives_count=3 and runs a slow COPY ... TO STDOUT (about 8 KB every
    0.2 s).  1 s in, the router starts dropping everything for 2 s.  The
    backend's unacknowledged data is retransmitted and, 1.5 s after the
    first loss, the kernel gives the connection up silently (ETIMEDOUT, no
    RST: TCP_USER_TIMEOUT never sends one); the backend exits, postgres keeps
    listening.  The path comes back; psql, which has received nothing for
    3 s, sends its first keepalive probe, and the server's kernel, with only
    the listener left, answers it with a RST (TCP_FLAGS).  psql reports the
    connection lost.  Captured at the client.
    """
    n = 12
    routed(net, n)
    d = postgres_cluster(n, f"fd52:{100 + n}::1", extra_conf="tcp_user_timeout = 1500\n")
    net.start("s", [f"{PGBIN}/postgres", "-D", f"{d}/data"], "postgres", user="postgres",
              ready=(f"fd52:{100 + n}::1", 5432))
    fname = "postgres-user-timeout-copy-keepalive-probe-v6.pcap"
    net.capture("c", ["c0"], os.path.join(OUT, fname))
    p = net.start("c", ["psql", "-X", "-o", "/dev/null",
                        f"host=fd52:{100 + n}::1 port=5432 user=postgres dbname=postgres "
                        "keepalives=1 keepalives_idle=3 keepalives_interval=1 keepalives_count=3 "
                        "application_name=nightly-export",
                        "-c", "COPY (SELECT i, repeat('x', 400), pg_sleep(0.01) "
                              "FROM generate_series(1, 1000) i) TO STDOUT"], "psql")
    time.sleep(1.0)
    net.nft("r", "table inet outage {\n  chain forward_filter { type filter hook forward priority 0; "
                 "policy drop; }\n}")
    time.sleep(2.0)
    net.x("r", "nft", "delete", "table", "inet", "outage")
    wait_exit(p, timeout=15)
    net.stop_captures()
    return fname, Rules([(f"fd52:{100 + n}::1", 5432)], [
        FOLLOWUP(),
        (lambda r: r["sender"] == "server",
         L("peer-lost-state",
           "the server's kernel had silently given up the connection (tcp_user_timeout 1.5 s while "
           "the path dropped its COPY data); psql's first keepalive probe after the path came back "
           "met only the listener", {"TCP_FLAGS", "NO_SOCKET"})),
    ])


@scenario(13)
def psql_connect_timeout_return_path_blackhole_v4(net):
    """psql's connect_timeout gives up while the return path drops SYN-ACKs; the server's late SYN-ACK is reset.

    Routed: psql on 10.52.13.1 - router - PostgreSQL 15 on 10.52.113.1:5432.
    The router's return path is broken for the first 2.5 s (an nftables rule
    drops the server's SYN-ACKs, as a firewall that has not yet learned an
    asymmetric route would).  psql runs with libpq's connect_timeout=2
    (the smallest it honours): it sends its SYN, retransmits it at 1 s, and
    at 2 s gives up and closes the socket (no RST: closing a SYN_SENT socket
    sends nothing).  The server's SYN-ACK retransmissions at 1 s and 2 s
    (the second answering the retransmitted SYN) are dropped; the one at
    about 3 s passes and meets no socket on the client, whose kernel resets
    it (NO_SOCKET).  psql reports `timeout expired`.  Captured at the client.
    """
    n = 13
    routed(net, n)
    d = postgres_cluster(n, f"10.52.{100 + n}.1")
    net.start("s", [f"{PGBIN}/postgres", "-D", f"{d}/data"], "postgres", user="postgres",
              ready=(f"10.52.{100 + n}.1", 5432))
    net.nft("r", f"""table inet returnpath {{
  chain forward_filter {{ type filter hook forward priority 0; policy accept;
    ip saddr 10.52.{100 + n}.1 tcp flags & (syn|ack) == syn|ack drop
  }}
}}""")
    fname = "psql-connect-timeout-return-path-blackhole-v4.pcap"
    net.capture("c", ["c0"], os.path.join(OUT, fname))
    t0 = time.time()
    p = net.start("c", ["psql", "-X", f"host=10.52.{100 + n}.1 port=5432 user=postgres "
                        "dbname=postgres connect_timeout=2", "-c", "SELECT 1"], "psql")
    time.sleep(max(0, 2.5 - (time.time() - t0)))
    net.x("r", "nft", "delete", "table", "inet", "returnpath")
    wait_exit(p)
    time.sleep(2.0)
    net.stop_captures()
    return fname, Rules([(f"10.52.{100 + n}.1", 5432)], [
        FOLLOWUP(reasons=("NO_SOCKET",), alternatives=["connect-timeout"],
                 why="another late SYN-ACK retransmission met no socket on the client"),
        (lambda r: r["sender"] == "client",
         L("connect-timeout",
           "psql gave up connecting after connect_timeout=2 while the router dropped the "
           "server's SYN-ACKs; the first SYN-ACK let through, about 3 s after the SYN, met no "
           "socket on the client", {"NO_SOCKET"})),
    ])


def two_hosts_behind_nat(net, n, time_wait=None, established=None):
    """Hosts c1 (10.52.n.1) and c2 (10.52.(200+n).1) behind a masquerading
    gateway r; server s on 10.52.(100+n).1.  Optional conntrack timeouts
    (seconds) for TIME_WAIT and ESTABLISHED flows in the gateway."""
    net.add("c1", "c2", "r", "s")
    net.veth("c1", "c0", "r", "r1")
    net.veth("c2", "c0", "r", "r2")
    net.veth("s", "s0", "r", "rs")
    for who, dev, blk in (("c1", "r1", n), ("c2", "r2", 200 + n), ("s", "rs", 100 + n)):
        net.addr(who, "c0" if who != "s" else "s0", f"10.52.{blk}.1/24")
        net.addr("r", dev, f"10.52.{blk}.254/24")
        net.route(who, "default", "via", f"10.52.{blk}.254")
    net.sysctl("r", "net.ipv4.ip_forward", 1)
    net.nft("r", """table ip nat {
  chain post { type nat hook postrouting priority 100; oifname "rs" masquerade; }
}""")
    if time_wait:
        net.sysctl("r", "net.netfilter.nf_conntrack_tcp_timeout_time_wait", time_wait)
    if established:
        net.sysctl("r", "net.netfilter.nf_conntrack_tcp_timeout_established", established)



@scenario(14)
def nat_two_hosts_same_port_server_timewait_v4(net):
    """Two hosts behind one NAT reuse a source port while the server still holds the first connection in TIME_WAIT.

    Two client hosts, c1 (10.52.14.1) and c2 (10.52.214.1), sit behind one
    masquerading gateway r whose conntrack releases closed flows after 1 s
    (nf_conntrack_tcp_timeout_time_wait=1, as NATs short of ports do), so
    it keeps the clients' source ports when it can.  The server, Debian's
    nginx on 10.52.114.1:80 with keepalive_timeout 0, closes every
    connection after its answer and so holds each in TIME_WAIT (60 s).  c1
    fetches / with curl from local ports 40000-40007; 1.5 s later c2 does
    the same from the same ports.  The gateway maps them to the same public
    address and ports, so each SYN of c2 arrives on a tuple the server holds
    in TIME_WAIT, with timestamps and sequence numbers from another host's
    clocks: where its timestamp is older than c1's last one, PAWS rejects
    the SYN and the TIME_WAIT socket answers with a stale ACK; c2's kernel
    (SYN_SENT) resets that ACK (TCP_INVALID_ACK_SEQUENCE), which ends the
    TIME_WAIT, and its SYN, sent again a few milliseconds later, connects.  The other
    ports connect at once (about half, by chance of the two hosts' random
    timestamp offsets).  Captured at the server.
    """
    n = 14
    two_hosts_behind_nat(net, n, time_wait=1)
    www = os.path.join(WORK, "www14")
    os.makedirs(www, exist_ok=True)
    write(os.path.join(www, "index.html"), "ok\n")
    cfg = nginx_conf(n, f"""
    keepalive_timeout 0;
    server {{
        listen 10.52.{100 + n}.1:80;
        root {www};
    }}""")
    net.start("s", ["nginx", "-c", cfg], "nginx", ready=(f"10.52.{100 + n}.1", 80))
    fname = "nat-two-hosts-same-port-server-timewait-v4.pcap"
    net.capture("s", ["s0"], os.path.join(OUT, fname))
    ports = range(40000, 40008)
    for who in ("c1", "c2"):
        ps = [net.start(who, ["curl", "-sS", "-o", "/dev/null", "-w", "%{time_connect}\\n",
                              "--local-port", str(pt), f"http://10.52.{100 + n}.1/"], f"{who}-{pt}")
              for pt in ports]
        for p in ps:
            wait_exit(p)
        time.sleep(1.5)
    net.stop_captures()
    nat = {(f"10.52.{100 + n}.254", pt): (f"10.52.{200 + n}.1", pt) for pt in ports}
    return fname, Rules([(f"10.52.{100 + n}.1", 80)], [
        FOLLOWUP(reasons=("TCP_INVALID_ACK_SEQUENCE", "NO_SOCKET")),
        (lambda r: r["sender"] == "client",
         L("timewait-reuse",
           "the NAT gave a second host the same public port while the server still held the "
           "first host's connection on that tuple in TIME_WAIT; PAWS rejected the new SYN, the "
           "TIME_WAIT socket answered with a stale ACK and the new client (SYN_SENT) reset it",
           {"TCP_INVALID_ACK_SEQUENCE"})),
    ]), nat


@scenario(15)
def nat_port_reuse_kills_idle_connection_v4(net):
    """A NAT forgets an idle keep-alive connection and hands its public port to another host, whose SYN kills the old connection at the server.

    c1 (10.52.15.1) and c2 (10.52.215.1) behind one masquerading gateway
    that keeps idle established flows 2 s (nf_conntrack_tcp_timeout_
    established=2) and keeps source ports when it can; Debian's nginx on
    10.52.115.1:80 (keep-alive 75 s, the default).  c1 (Python http.client
    from local port 41000) makes a request and keeps the connection.  At
    2.6 s the gateway has forgotten it and c2 connects with curl from the
    same local port 41000: it gets the same public address and port, and its
    SYN reaches the server on the tuple of c1's still-established connection.
    The server answers with an RFC 5961 challenge ACK; c2's kernel (SYN_SENT)
    resets it (TCP_INVALID_ACK_SEQUENCE), and since that RST carries exactly
    the sequence number the server expects, it kills c1's connection on the
    server; c2's SYN, sent again, then connects.  At 3.5 s c1 sends its next
    request: the gateway takes it as a new flow, maps it to another public
    port, and the server's listener resets it (TCP_FLAGS), a RST the
    gateway carries back to c1.  Captured at the server.
    """
    n = 15
    two_hosts_behind_nat(net, n, established=2)
    www = os.path.join(WORK, "www15")
    os.makedirs(www, exist_ok=True)
    write(os.path.join(www, "index.html"), "ok\n")
    cfg = nginx_conf(n, f"""
    server {{
        listen 10.52.{100 + n}.1:80;
        root {www};
    }}""")
    net.start("s", ["nginx", "-c", cfg], "nginx", ready=(f"10.52.{100 + n}.1", 80))
    fname = "nat-port-reuse-kills-idle-connection-v4.pcap"
    net.capture("s", ["s0"], os.path.join(OUT, fname))
    p1 = net.py("c1", r'''
import http.client, time
c = http.client.HTTPConnection("10.52.115.1", 80, timeout=5, source_address=("10.52.15.1", 41000))
c.request("GET", "/", headers={"User-Agent": "dashboard/1.4"})
r = c.getresponse(); print(r.status, r.read(), flush=True)
time.sleep(3.5)
try:
    c.request("GET", "/", headers={"User-Agent": "dashboard/1.4"})
    r = c.getresponse(); print(r.status, r.read(), flush=True)
except Exception as e:
    print("second failed:", repr(e), flush=True)
''', "c1")
    time.sleep(2.6)
    p2 = net.start("c2", ["curl", "-sS", "-o", "/dev/null", "-w", "%{time_connect}\\n",
                          "--local-port", "41000", f"http://10.52.{100 + n}.1/"], "c2-curl")
    wait_exit(p2)
    wait_exit(p1)
    net.stop_captures()
    pub = f"10.52.{100 + n}.254"
    return fname, Rules([(f"10.52.{100 + n}.1", 80)], [
        FOLLOWUP(),
        (lambda r: r["sender"] == "client",
         L("timewait-reuse",
           "the gateway gave c2 the public port of c1's idle connection (forgotten after 2 s); "
           "c2's SYN hit the server's established socket on that tuple, drew a challenge ACK, "
           "and c2's kernel (SYN_SENT) reset it, killing c1's connection at the server",
           {"TCP_INVALID_ACK_SEQUENCE"}, alternatives=["invalid-segment"])),
        (lambda r: r["sender"] == "server",
         L("idle-timeout",
           "the gateway had forgotten c1's idle connection and mapped its next request to a new "
           "public port; the server has no connection on that tuple and its listener reset it",
           {"TCP_FLAGS", "NO_SOCKET"}, alternatives=["peer-lost-state"])),
    ]), {(pub, 41000): (f"10.52.{200 + n}.1", 41000)}


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
        json.dump({"generated_by": "holdout2.py", "captures": caps}, f, indent=1)


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
