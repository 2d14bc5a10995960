#!/usr/bin/env python3
"""rstdiag scenario lab: real Linux captures of RST causes, labelled by the
kernel itself.

Run as root:   testdata/lab/lab.py [--out DIR] [--only NAME ...] [--list]

For each scenario the lab builds fresh network namespaces (client, server,
and a router where a middlebox is needed) joined by veth pairs, runs real
sockets in them, captures with tcpdump or dumpcap, and records the kernel's
own reason for every RST it sends from the tracepoint tcp/tcp_send_reset.
Each captured RST is then labelled from the scenario's design and that
reason, never from rstdiag's output. The captures and labels.json are
written to DIR (default: this folder). Everything created is removed, and
no packet leaves the namespaces.

Scenarios live in scenarios_*.py beside this file; each registers itself
with @scenario. See README.md for what each one does and what was found.
"""
import argparse
import contextlib
import glob
import importlib.util
import ipaddress
import json
import multiprocessing
import os
import re
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SCENARIOS = []


def scenario(name, description, capture_point="client", fmt="pcap", alone=False):
    """Registers a scenario: fn(lab) runs it and returns a labeller.
    alone: it changes a setting of the root namespace, which every other
    scenario would see, so --jobs runs it while no other runs."""
    def wrap(fn):
        SCENARIOS.append(dict(name=name, description=description, fn=fn,
                              capture_point=capture_point, fmt=fmt, alone=alone))
        return fn
    return wrap


def sh(*args, check=True, **kw):
    return subprocess.run(list(args), check=check, capture_output=True, text=True, **kw)


# ---------------------------------------------------------------- tracing

TRACEFS = "/sys/kernel/tracing"
TRACE_RE = re.compile(r"tcp_send_reset: .*?src=(\S+) dest=(\S+) state=(\S+) reason=(\S+)")


def split_hostport(s):
    """'10.0.0.1:80' or '[fd00::1]:80' -> ('10.0.0.1', 80)."""
    host, _, port = s.rpartition(":")
    return host.strip("[]"), int(port)


class Tracer:
    """A private tracefs instance with tcp_send_reset enabled."""

    def __init__(self):
        if not os.path.isdir(os.path.join(TRACEFS, "events")):
            os.makedirs(TRACEFS, exist_ok=True)
            sh("mount", "-t", "tracefs", "nodev", TRACEFS)
        self.dir = os.path.join(TRACEFS, "instances", f"rstdiag_lab_{os.getpid()}")
        os.mkdir(self.dir)
        self._write("events/tcp/tcp_send_reset/enable", "1")

    def _write(self, rel, value):
        with open(os.path.join(self.dir, rel), "w") as f:
            f.write(value)

    def clear(self):
        self._write("trace", "")

    def events(self):
        """Every tcp_send_reset since the last clear, in order."""
        out = []
        with open(os.path.join(self.dir, "trace")) as f:
            for line in f:
                m = TRACE_RE.search(line)
                if m:
                    src, dst = split_hostport(m.group(1)), split_hostport(m.group(2))
                    out.append(dict(src=src, dst=dst, state=m.group(3), reason=m.group(4)))
        return out

    def close(self):
        with contextlib.suppress(OSError):
            self._write("events/tcp/tcp_send_reset/enable", "0")
            os.rmdir(self.dir)


# ---------------------------------------------------------------- pcap reading

def read_capture(path):
    """Yields (frame, ts, linktype, bytes) for pcap or pcapng."""
    data = open(path, "rb").read()
    magic = data[:4]
    if magic == b"\x0a\x0d\x0d\x0a":
        yield from _read_pcapng(data)
        return
    for endian in "<>":
        (m,) = struct.unpack(endian + "I", magic)
        if m in (0xa1b2c3d4, 0xa1b23c4d):
            break
    else:
        raise ValueError(f"{path}: not a capture")
    nano = m == 0xa1b23c4d
    linktype = struct.unpack(endian + "I", data[20:24])[0] & 0x0fffffff
    off, frame = 24, 0
    while off + 16 <= len(data):
        sec, frac, caplen, _ = struct.unpack(endian + "IIII", data[off:off + 16])
        off += 16
        frame += 1
        yield frame, sec + frac / (1e9 if nano else 1e6), linktype, data[off:off + caplen]
        off += caplen


def _read_pcapng(data):
    off, frame, endian, links, tsres = 0, 0, "<", [], []
    while off + 12 <= len(data):
        btype = struct.unpack(endian + "I", data[off:off + 4])[0]
        if btype == 0x0a0d0d0a:
            bom = data[off + 8:off + 12]
            endian = "<" if bom == b"\x4d\x3c\x2b\x1a" else ">"
            links, tsres = [], []
        blen = struct.unpack(endian + "I", data[off + 4:off + 8])[0]
        body = data[off + 8:off + blen - 4]
        if btype == 1:      # interface description
            links.append(struct.unpack(endian + "H", body[:2])[0])
            tsres.append(1e6)
            o = 8
            while o + 4 <= len(body):
                code, olen = struct.unpack(endian + "HH", body[o:o + 4])
                if code == 0:
                    break
                if code == 9:   # if_tsresol
                    v = body[o + 4]
                    tsres[-1] = 2 ** (v & 0x7f) if v & 0x80 else 10 ** v
                o += 4 + (olen + 3) // 4 * 4
        elif btype == 6:    # enhanced packet
            ifid, hi, lo, caplen, _ = struct.unpack(endian + "IIIII", body[:20])
            frame += 1
            ts = ((hi << 32) | lo) / tsres[ifid]
            yield frame, ts, links[ifid], body[20:20 + caplen]
        elif btype == 3:    # simple packet
            frame += 1
            yield frame, 0.0, links[0], body[4:]
        off += blen


def decode_tcp(linktype, b):
    """-> dict(src, sport, dst, dport, flags, seq, ack, ttl, ipid) or None."""
    o = 0
    if linktype == 1:                 # Ethernet, with any VLAN tags
        o, et = 14, struct.unpack(">H", b[12:14])[0]
        while et in (0x8100, 0x88a8, 0x9100):
            et, o = struct.unpack(">H", b[o + 2:o + 4])[0], o + 4
    elif linktype == 113:             # Linux cooked v1
        o, et = 16, struct.unpack(">H", b[14:16])[0]
    elif linktype == 276:             # Linux cooked v2
        o, et = 20, struct.unpack(">H", b[0:2])[0]
    elif linktype in (101, 12, 14, 228, 229):
        et = 0x0800 if b[0] >> 4 == 4 else 0x86dd
    else:
        return None
    if et == 0x0800:
        ihl = (b[o] & 15) * 4
        if b[o + 9] != 6:
            return None
        src, dst = str(ipaddress.IPv4Address(b[o + 12:o + 16])), str(ipaddress.IPv4Address(b[o + 16:o + 20]))
        ttl, ipid = b[o + 8], struct.unpack(">H", b[o + 4:o + 6])[0]
        o += ihl
    elif et == 0x86dd:
        nh, ttl, ipid = b[o + 6], b[o + 7], None
        src, dst = str(ipaddress.IPv6Address(b[o + 8:o + 24])), str(ipaddress.IPv6Address(b[o + 24:o + 40]))
        o += 40
        while nh in (0, 43, 60):
            nh, o = b[o], o + (b[o + 1] + 1) * 8
        if nh != 6:
            return None
    else:
        return None
    sport, dport, seq, ack, _, flags = struct.unpack(">HHIIBB", b[o:o + 14])
    return dict(src=src, sport=sport, dst=dst, dport=dport, flags=flags, seq=seq, ack=ack,
                ttl=ttl, ipid=ipid)


def capture_rsts(path):
    out = []
    for frame, ts, lt, b in read_capture(path):
        with contextlib.suppress(IndexError, struct.error):
            t = decode_tcp(lt, b)
            if t and t["flags"] & 0x04:
                t.update(frame=frame, ts=ts)
                out.append(t)
    return out


# ---------------------------------------------------------------- the lab

class Proc:
    """A program running in a namespace; waits for its `ready` line."""

    def __init__(self, ns, code, wait_ready):
        prelude = f"import sys; sys.path.insert(0, {HERE!r}); from peer import *\n"
        self.p = subprocess.Popen(["ip", "netns", "exec", ns, sys.executable, "-u", "-c", prelude + code],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        if wait_ready:
            line = self.p.stdout.readline()
            if line.strip() != "ready":
                raise RuntimeError(f"program in {ns} did not start: {line}{self.p.stderr.read()}")

    def wait(self, timeout=30):
        out, err = self.p.communicate(timeout=timeout)
        if self.p.returncode != 0:
            raise RuntimeError(f"program failed ({self.p.returncode}): {err.strip()}")
        return out

    def kill(self):
        if self.p.poll() is None:
            self.p.kill()
            self.p.communicate()


class Capture:
    def __init__(self, ns, iface, path, fmt, snaplen=0):
        if fmt == "pcapng":
            cmd = ["dumpcap", "-q", "-i", iface, "-w", path]
            if snaplen:
                cmd += ["-s", str(snaplen)]
            want = "Capturing on"
        else:
            cmd = ["tcpdump", "-i", iface, "-w", path, "--immediate-mode", "-U", "-B", "8192",
                   "-s", str(snaplen or 262144), "-Z", "root"]
            if iface == "any":
                cmd += ["-y", "LINUX_SLL2"]
            want = "listening on"
        self.p = subprocess.Popen(["ip", "netns", "exec", ns] + cmd, stderr=subprocess.PIPE, text=True)
        deadline = time.time() + 10
        while time.time() < deadline:
            line = self.p.stderr.readline()
            if want in line:
                break
            if not line and self.p.poll() is not None:
                raise RuntimeError(f"capture did not start: {' '.join(cmd)}")
        time.sleep(0.2)

    def stop(self):
        time.sleep(0.3)   # let the last packets reach the file (tcpdump -U, immediate mode)
        if self.p.poll() is None:
            self.p.send_signal(signal.SIGINT)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.p.communicate(timeout=5)
        if self.p.poll() is None:
            self.p.kill()


class Lab:
    """Namespaces, addresses and helpers for one scenario run.

    Direct topology: client C <-veth-> server S, one /24 (/64).
    Routed topology: C <-> R <-> S, R forwards and may filter (nftables).
    Delayed topology: the direct one's subnet, the wire through a delay line.
    Each Lab gets its own names and address block from `net`, so labs of
    different scenario files can run at the same time.
    """

    def __init__(self, net, workdir):
        self.net = net
        self.workdir = workdir
        self.ns = dict(client=f"rl{net}c", server=f"rl{net}s", router=f"rl{net}r")
        self.made = []
        self.procs = []
        # A router's destination NAT, (virtual addr, port) -> (real addr,
        # port): a RST captured from a virtual address is the real one's,
        # in the kernel's trace and in the sender's role.
        self.dnat = {}
        # A router's source NAT: its address stands for a side (addr -> "client").
        self.public = {}
        self.captures = []
        self.v6 = False
        self.routed = False

    # addresses
    def addr(self, who, v6=None):
        v6 = self.v6 if v6 is None else v6
        host = dict(client=1, server=2)[who]
        if self.routed:
            sub = dict(client=1, server=2)[who]
            return f"fd00:{self.net}:{sub}::1" if v6 else f"10.{self.net}.{sub}.1"
        return f"fd00:{self.net}::{host}" if v6 else f"10.{self.net}.0.{host}"

    def nsx(self, who, *cmd, check=True):
        return sh("ip", "netns", "exec", self.ns[who], *cmd, check=check)

    def sysctl(self, who, key, value):
        self.nsx(who, "sysctl", "-qw", f"{key}={value}")

    def _mkns(self, who):
        ns = self.ns[who]
        sh("ip", "netns", "del", ns, check=False)
        sh("ip", "netns", "add", ns)
        self.made.append(ns)
        sh("ip", "-n", ns, "link", "set", "lo", "up")
        self.sysctl(who, "net.ipv6.conf.all.accept_dad", "0")
        self.sysctl(who, "net.ipv6.conf.default.accept_dad", "0")
        self.sysctl(who, "net.ipv6.conf.all.router_solicitations", "0")
        self.sysctl(who, "net.ipv6.conf.default.router_solicitations", "0")

    def _veth(self, a, ia, b, ib):
        sh("ip", "link", "add", ia, "netns", self.ns[a], "type", "veth", "peer", "name", ib,
           "netns", self.ns[b])
        for who, i in ((a, ia), (b, ib)):
            sh("ip", "-n", self.ns[who], "link", "set", i, "up")

    force_v6 = False    # lab.py --ipv6: every topology over IPv6
    force_delay = None  # lab.py --delay: every direct topology through a delay line
    force_sysctls = ()  # lab.py --sysctl: (key, value) pairs set at client and server
    force_same_host = False  # lab.py --same-host: every direct topology on one host's lo

    def topology(self, routed=False, v6=False, delay=None, wake=None, hops=0):
        """delay (seconds, direct topology only): the client and server still
        share one subnet, but the wire between them runs through a third
        namespace (named router) whose delay line (peer.delay_line) holds
        every frame `delay` seconds in each direction; its interfaces have
        no addresses, so its own kernel sends nothing. wake and hops are the
        delay line's: a radio's promotion delay after idle, and one router's
        TTL decrement on TCP packets."""
        self.routed, self.v6 = routed, v6 or self.force_v6
        if not routed and not delay:
            delay = self.force_delay
        n = self.net
        # --same-host: client and server as two addresses of one host,
        # talking over its loopback (MTU 65536), as a lab on one machine does.
        self.same_host = self.force_same_host and not routed and not delay
        if self.same_host:
            self.ns["server"] = self.ns["client"]
            self._mkns("client")
        else:
            for who in ("client", "server") + (("router",) if routed or delay else ()):
                self._mkns(who)
        for who in ("client", "server"):   # on one host, one namespace twice
            for key, value in self.force_sysctls:
                self.sysctl(who, key, value)
        if self.same_host:
            for h in (1, 2):
                self.nsx("client", "ip", "addr", "add", f"10.{n}.0.{h}/32", "dev", "lo")
                self.nsx("client", "ip", "addr", "add", f"fd00:{n}::{h}/128", "dev", "lo",
                         "nodad")
            # A connection to the server's address leaves from the client's
            # (by default a local destination is its own source).
            self.nsx("client", "ip", "route", "replace", "local", f"10.{n}.0.2", "dev", "lo",
                     "table", "local", "src", f"10.{n}.0.1")
            self.nsx("client", "ip", "-6", "route", "replace", "local", f"fd00:{n}::2", "dev",
                     "lo", "table", "local", "src", f"fd00:{n}::1")
            return
        if delay and not routed:
            for key in ("all", "default"):
                self.sysctl("router", f"net.ipv6.conf.{key}.disable_ipv6", "1")
            self._veth("client", "c0", "router", "rc")
            self._veth("server", "s0", "router", "rs")
            # Frames of a wire's size: the delay line cannot pass on the
            # senders' segmentation-offload super-frames.
            for who, i in (("client", "c0"), ("server", "s0")):
                self.nsx(who, "ethtool", "-K", i, "tso", "off", "gso", "off")
            self.run("router", f"delay_line('rc', 'rs', {delay!r}, {wake!r}, {hops!r})",
                     wait_ready=True)
        if not routed:
            if not delay:
                self._veth("client", "c0", "server", "s0")
            for who, i, h in (("client", "c0", 1), ("server", "s0", 2)):
                sh("ip", "-n", self.ns[who], "addr", "add", f"10.{n}.0.{h}/24", "dev", i)
                sh("ip", "-n", self.ns[who], "addr", "add", f"fd00:{n}::{h}/64", "dev", i, "nodad")
            return
        self._veth("client", "c0", "router", "rc")
        self._veth("server", "s0", "router", "rs")
        for who, i, sub in (("client", "c0", 1), ("server", "s0", 2)):
            ns = self.ns[who]
            sh("ip", "-n", ns, "addr", "add", f"10.{n}.{sub}.1/24", "dev", i)
            sh("ip", "-n", ns, "addr", "add", f"fd00:{n}:{sub}::1/64", "dev", i, "nodad")
            sh("ip", "-n", ns, "route", "add", "default", "via", f"10.{n}.{sub}.254")
            sh("ip", "-n", ns, "-6", "route", "add", "default", "via", f"fd00:{n}:{sub}::254")
        r = self.ns["router"]
        for i, sub in (("rc", 1), ("rs", 2)):
            sh("ip", "-n", r, "addr", "add", f"10.{n}.{sub}.254/24", "dev", i)
            sh("ip", "-n", r, "addr", "add", f"fd00:{n}:{sub}::254/64", "dev", i, "nodad")
        self.sysctl("router", "net.ipv4.ip_forward", "1")
        self.sysctl("router", "net.ipv6.conf.all.forwarding", "1")

    same_host = False

    def iface(self, who):
        if self.same_host:
            return "lo"
        return dict(client="c0", server="s0", router="rc")[who]

    def nft(self, who, ruleset):
        p = subprocess.run(["ip", "netns", "exec", self.ns[who], "nft", "-f", "-"], input=ruleset,
                           capture_output=True, text=True)
        if p.returncode != 0:
            raise RuntimeError(f"nft: {p.stderr.strip()}")

    def undrop(self, who, table="labdrop"):
        """Lifts a drop a scenario installed with nft (table inet labdrop)."""
        self.nft(who, f"delete table inet {table}\n")

    def run(self, who, code, wait_ready=False):
        p = Proc(self.ns[who], code, wait_ready)
        self.procs.append(p)
        return p

    capture_at = None   # lab.py --capture-at: every capture there instead
    force_snaplen = 0   # lab.py --snaplen: every capture cut there (a scenario's own shorter kept)

    capture_any = False  # lab.py --capture-any: every capture on the "any" device

    def capture(self, who, fmt="pcap", iface=None, snaplen=0):
        if self.capture_at and not self.captures:
            who, iface = self.capture_at, None
        if self.capture_any:
            iface = "any"
        if self.force_snaplen and not (snaplen and snaplen < self.force_snaplen):
            snaplen = self.force_snaplen
        path = os.path.join(self.workdir, f"capture.{fmt}")
        c = Capture(self.ns[who], iface or self.iface(who), path, fmt, snaplen)
        c.path = path
        c.point = dict(client="client", server="server", router="middle")[who]
        self.captures.append(c)
        return c

    def close(self):
        for c in self.captures:
            c.stop()
        for p in self.procs:
            p.kill()
        for ns in self.made:
            sh("ip", "netns", "del", ns, check=False)


# ---------------------------------------------------------------- labelling

def label(cause, detail=None, alternatives=(), origin="endpoint", note=""):
    return dict(cause=cause, detail=detail, alternatives=list(alternatives), origin=origin,
                note=note)


def expect(r, sender, reason):
    """Checks a RST against the scenario's design: who sent it and the
    kernel's reason (None: the kernel did not send it). A mismatch fails the
    scenario, so a kernel that behaves differently is noticed, not labelled."""
    got = r["kernel"]["reason"] if r["kernel"] else None
    reasons = reason if isinstance(reason, (list, tuple)) else [reason]
    if r["sender"] != sender or got not in reasons:
        raise RuntimeError(f"frame {r['frame']}: expected a RST from the {sender} with reason "
                           f"{reason}, got one from the {r['sender']} with {got}")


LISTENER_DST = (("0.0.0.0", 0), ("::", 0))


def one_incident(sender, reason, cause, detail=None, alternatives=(), origin="endpoint",
                 note=""):
    """The usual labeller: the first RST is the incident, checked against the
    scenario's design (sender and kernel reason); every later one follows it up."""
    def labeller(rsts):
        expect(rsts[0], sender, reason)
        return ([label(cause, detail, alternatives, origin, note)] +
                [label("reset-followup") for _ in rsts[1:]])
    return labeller


def match_kernel(rsts, events, dnat=None):
    """Pairs each captured RST with the kernel event that sent it, in order:
    the same 4-tuple, or, for RSTs a listener sends on behalf of a half-open
    connection (accept-queue overflow, an unexpected ACK), the listener's own
    address with destination 0.0.0.0:0 / [::]:0, as tcp_send_reset traces
    them. RSTs the kernel did not send get None; unmatched events are
    returned."""
    pool = list(events)
    for r in rsts:
        r["kernel"] = None
        src, dst = (r["src"], r["sport"]), (r["dst"], r["dport"])
        src = (dnat or {}).get(src, src)
        for exact in (True, False):
            hit = next((i for i, e in enumerate(pool) if e["src"] == src and
                        (e["dst"] == dst if exact else e["dst"] in LISTENER_DST)), None)
            if hit is not None:
                e = pool.pop(hit)
                r["kernel"] = dict(reason=e["reason"], state=e["state"])
                break
    return pool


def run_scenario(sc, out_dir, tracer, net):
    work = tempfile.mkdtemp(prefix="rstdiag-lab-")
    lab = Lab(net, work)
    tracer.clear()
    try:
        labeller = sc["fn"](lab)
    finally:
        lab.close()
    time.sleep(0.1)
    # The tracepoint sees every namespace: keep this lab's address block only.
    mine = (f"10.{net}.", f"fd00:{net}:")
    events = [e for e in tracer.events() if e["src"][0].startswith(mine)]
    cap = lab.captures[0].path
    if lab.captures[0].point != sc["capture_point"] and not Lab.capture_at:
        raise RuntimeError(f"{sc['name']}: declared capture point {sc['capture_point']}, "
                           f"captured at {lab.captures[0].point}")
    rsts = capture_rsts(cap)
    # --capture-any at a router sees each RST once per interface: the
    # scenario's labeller labels the first copies, and a later copy (the
    # same segment within half a second) is the capture's second sight of
    # the one the kernel sent: a follow-up of it (man page, reset-followup).
    copies = []
    if Lab.capture_any:
        first, kept = {}, []
        for r in rsts:
            key = tuple(r[k] for k in ("src", "sport", "dst", "dport", "seq", "ack", "flags", "ipid"))
            if key in first and r["ts"] - first[key]["ts"] < 0.5:
                copies.append((r, first[key]))
            else:
                first[key] = r
                kept.append(r)
        rsts = kept
    unmatched = match_kernel(rsts, events, lab.dnat)
    roles = {lab.addr("client"): "client", lab.addr("server"): "server"}
    for (vaddr, _), (raddr, _) in lab.dnat.items():
        roles[vaddr] = roles.get(raddr, "other")
    roles.update(lab.public)
    for r in rsts:
        r["sender"] = roles.get(r["src"], "other")
    labels = labeller(rsts)
    if len(labels) != len(rsts):
        raise RuntimeError(f"{sc['name']}: {len(rsts)} RSTs captured, {len(labels)} labelled")
    if copies:
        of = {id(r): l for r, l in zip(rsts, labels)}
        for r, orig in copies:
            r["sender"], r["kernel"] = orig["sender"], orig["kernel"]
            rsts.append(r)
            labels.append(label("reset-followup", origin=of[id(orig)]["origin"],
                                note=f"the capture's second copy of frame {orig['frame']}"))
        order = sorted(range(len(rsts)), key=lambda i: rsts[i]["frame"])
        rsts, labels = [rsts[i] for i in order], [labels[i] for i in order]
    ext = os.path.splitext(cap)[1]
    name = sc["name"] + ext
    shutil.copy(cap, os.path.join(out_dir, name))
    os.chmod(os.path.join(out_dir, name), 0o644)   # dumpcap writes 0600
    shutil.rmtree(work, ignore_errors=True)
    size = os.path.getsize(os.path.join(out_dir, name))
    if size > 100_000:
        raise RuntimeError(f"{name}: {size} bytes, over the 100 KB budget")
    return dict(
        file=name, scenario=sc["name"], description=sc["description"],
        capture_point=lab.captures[0].point,
        resets=[dict(frame=r["frame"], sender=r["sender"], kernel=r["kernel"], **l)
                for r, l in zip(rsts, labels)],
        kernel_resets_not_captured=[dict(src="%s:%d" % e["src"], dst="%s:%d" % e["dst"],
                                         reason=e["reason"], state=e["state"]) for e in unmatched],
    )


def nginx_tls(lab, certs, name, extra="", run_for=5.0, listen="ssl"):
    """Debian's nginx serving HTTPS for `name` on the server's port 443,
    answering 200 "ok"; `extra` adds http-level directives (a scenario's
    one knob), `listen` the listen directive's options (1.22 spells
    HTTP/2 "ssl http2"). Runs `run_for` seconds, then stops and prints its
    error log. The TLS and goodbye scenarios share it."""
    conf = f'''
pid @D@/nginx.pid;
error_log @D@/error.log info;
events {{ }}
http {{
    access_log off;
    client_body_temp_path @D@/body;
{extra}
    server {{
        listen {lab.addr('server')}:443 {listen};
        server_name {name};
        ssl_certificate {certs['crt']};
        ssl_certificate_key {certs['key']};
        location / {{ return 200 "ok\\n"; }}
    }}
}}
'''
    return lab.run("server", f"""
import subprocess, tempfile
d = tempfile.mkdtemp()
with open(d + "/nginx.conf", "w") as f:
    f.write({conf!r}.replace("@D@", d))
p = subprocess.Popen(["nginx", "-p", d, "-c", d + "/nginx.conf", "-g", "daemon off;"],
                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
# nginx writes its pid file after it opened its listening sockets: probe only
# then, so no refused probe adds a RST on the server's loopback.
end = time.time() + 10
while not os.path.exists(d + "/nginx.pid"):
    if p.poll() is not None or time.time() > end:
        raise RuntimeError("nginx did not start")
    time.sleep(0.02)
wait_listening({lab.addr('server')!r}, 443)
ready()
time.sleep({run_for})
p.terminate()
p.wait()
print(open(d + "/error.log", errors="replace").read())   # a request line it could not parse is logged raw
""", wait_ready=True)


def run_several(indices, out_dir, net, results):
    """Runs SCENARIOS[i] for each i, one after another, in address block
    net; puts each one's labels in results. Returns how many failed."""
    tracer = Tracer()
    failed = 0
    try:
        for i in indices:
            sc = SCENARIOS[i]
            t0 = time.time()
            try:
                results[sc["name"]] = r = run_scenario(sc, out_dir, tracer, net)
                causes = ", ".join(f"#{x['frame']} {x['cause']}" for x in r["resets"])
                print(f"{sc['name']:32} {time.time() - t0:5.1f}s  {causes}", flush=True)
            except Exception as e:  # one broken scenario must not hide the others
                failed += 1
                print(f"{sc['name']:32} FAILED: {e}", flush=True)
    finally:
        tracer.close()
    return failed


def run_part(indices, out_dir, net):
    """run_several in a --jobs worker: (its results, how many failed)."""
    results = {}
    return results, run_several(indices, out_dir, net, results)


def load_scenarios():
    # Scenario files `from lab import ...`: let that name this running module.
    sys.modules.setdefault("lab", sys.modules[__name__])
    for path in sorted(glob.glob(os.path.join(HERE, "scenarios_*.py"))):
        spec = importlib.util.spec_from_file_location(os.path.basename(path)[:-3], path)
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=HERE, help="where captures and labels.json go")
    ap.add_argument("--only", nargs="*", help="run only these scenarios (labels of the others are kept)")
    ap.add_argument("--list", action="store_true", help="list the scenarios and exit")
    ap.add_argument("--net", type=int, default=77, help="address block 10.NET.x.x / fd00:NET:: to use")
    ap.add_argument("--jobs", type=int, default=1, metavar="N",
                    help="run N scenarios at a time, in address blocks NET to NET+N-1; one that "
                         "changes a setting of the root namespace runs by itself first")
    ap.add_argument("--capture-at", choices=("client", "server", "router"),
                    help="a check of the rules from another point: every scenario captured "
                         "there instead of where it declares (not for the committed lab)")
    ap.add_argument("--ipv6", action="store_true",
                    help="a check of the rules over the other IP version: every scenario over "
                         "IPv6 where it can (not for the committed lab)")
    ap.add_argument("--delay", type=float, metavar="SECONDS",
                    help="a check of the rules on a longer path: every scenario of the direct "
                         "topology through a delay line holding each frame SECONDS in each "
                         "direction (not for the committed lab)")
    ap.add_argument("--sysctl", action="append", default=[], metavar="KEY=VALUE",
                    help="a check of the rules under another stack setting, such as "
                         "net.ipv4.tcp_timestamps=0: set at client and server before every "
                         "scenario (repeatable; not for the committed lab)")
    ap.add_argument("--same-host", action="store_true",
                    help="a check of the rules on one host: every scenario of the direct "
                         "topology with client and server as two addresses of one "
                         "namespace, captured on its loopback (not for the committed lab)")
    ap.add_argument("--capture-any", action="store_true",
                    help="a check of the rules on a capture of every interface at once "
                         "(tcpdump -i any): at a router each forwarded packet twice, in and "
                         "out, its TTL one less the second time (not for the committed lab)")
    ap.add_argument("--snaplen", type=int, default=0, metavar="BYTES",
                    help="a check of the rules on short captures: every capture cut at BYTES "
                         "a frame, as tcpdump -s cuts (not for the committed lab)")
    args = ap.parse_args()
    Lab.force_snaplen = args.snaplen
    Lab.force_same_host = args.same_host
    Lab.capture_at = args.capture_at
    Lab.capture_any = args.capture_any
    Lab.force_v6 = args.ipv6
    Lab.force_delay = args.delay
    Lab.force_sysctls = tuple(tuple(kv.split("=", 1)) for kv in args.sysctl)
    load_scenarios()
    if args.list:
        for sc in SCENARIOS:
            print(f"{sc['name']:32} {sc['description']}")
        return 0
    if os.geteuid() != 0:
        print("lab.py: run as root (it creates network namespaces)", file=sys.stderr)
        return 1
    for tool in ("tcpdump", "dumpcap", "nft", "ip"):
        if not shutil.which(tool):
            print(f"lab.py: {tool} is missing", file=sys.stderr)
            return 1
    os.makedirs(args.out, exist_ok=True)
    labels_path = os.path.join(args.out, "labels.json")
    old = {}
    if args.only and os.path.exists(labels_path):
        old = {c["scenario"]: c for c in json.load(open(labels_path))["captures"]}
    chosen = [i for i, sc in enumerate(SCENARIOS) if not args.only or sc["name"] in args.only]
    results = dict(old)
    if args.jobs <= 1:
        failed = run_several(chosen, args.out, args.net, results)
    else:
        # The scenarios that change the root namespace first, by
        # themselves; then the others in args.jobs processes, each with its
        # own address block (so its own namespace names, and its own share
        # of the tracepoint's events) and its own tracefs instance.
        failed = run_several([i for i in chosen if SCENARIOS[i]["alone"]], args.out, args.net,
                             results)
        rest = [i for i in chosen if not SCENARIOS[i]["alone"]]
        with multiprocessing.get_context("fork").Pool(args.jobs) as pool:
            for part, f in pool.starmap(run_part, [(rest[k::args.jobs], args.out, args.net + k)
                                                   for k in range(args.jobs)]):
                results.update(part)
                failed += f
    captures = [results[k] for k in sorted(results)]
    with open(labels_path, "w") as f:
        json.dump(dict(generated_by="testdata/lab/lab.py", captures=captures), f, indent=1)
        f.write("\n")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
