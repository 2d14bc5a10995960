#!/usr/bin/python3
"""Tenth blind hold-out set: real Linux TCP RST captures for rstdiag.

Theme: the capture conditions users bring.  Each scenario is an ordinary
reset cause (a closed port, a request on a connection the server closed,
a close with data unread, an abortive close, a keepalive give-up, a
firewall's idle expiry, a host that lost its state, scanners' probes)
captured the way people hand captures in: on the underlay of a VXLAN
overlay, on the overlay and the underlay at once, on an 802.1Q or QinQ
trunk, from a SPAN port fed by tc mirred (every packet twice), on a path
that duplicates packets, behind a 600 ms round trip, with `-i any` (Linux
cooked v1 and v2), with snaplens of 64 and 96, started mid-connection, on
a router in the middle.  Each scenario is one function (registered with
@scenario(n)) that builds its own network namespaces (prefix h10-<n>-),
runs real programs (Debian's haproxy, nginx, redis-server, node, sshd,
curl, nmap, hping3, small Python clients and servers), captures with
tcpdump or dumpcap and records the kernel's own reason for every RST it
sends from the tracepoint tcp/tcp_send_reset.  Labels come from the
scenario's design; each label names the kernel reasons the design allows
(none for a RST made by netfilter's reject, which no socket sends), and a
RST whose traced reason is outside them fails the scenario instead of
being guessed at.

Address plan of scenario n: client side 10.61.n.0/24 and fd61:n::/64,
server side 10.61.(100+n).0/24 and fd61:(100+n)::/64 (routed scenarios),
a third network 10.61.(200+n).0/24 / fd61:(200+n)::/64 for overlays.

usage: holdout10.py [--list] [--merge] [NAME ...]   (no NAME: every scenario)
The harness (namespaces, tracer, matching, label rules, driver) is
../holdout_harness.py, used unchanged.
"""
import os
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import holdout_harness  # noqa: E402

holdout_harness.configure(__file__, "holdout10", "h10", "10.61", "fd61")
from holdout_harness import *  # noqa: E402,F401,F403


# ------------------------------------------------------------------ helpers

def link(net, a, ia, b, ib, cidr_a=None, cidr_b=None):
    """One more veth between two namespaces, with an address on each end."""
    net.veth(a, ia, b, ib)
    if cidr_a:
        net.addr(a, ia, cidr_a)
    if cidr_b:
        net.addr(b, ib, cidr_b)


def ping(net, who, dst):
    fam = ["-6"] if ":" in dst else []
    net.x(who, "ping", *fam, "-c", "1", "-W", "1", dst, check=False)


def no_offload(net, who, dev):
    net.x(who, "ethtool", "-K", dev, "tx", "off", "tso", "off", "gso", "off", "gro", "off",
          check=False)


def vxlan(net, who, dev, vni, local, remote, cidrs):
    """A VXLAN device vx0 (UDP 4789) over dev between local and remote."""
    sh("ip", "-n", net.ns(who), "link", "add", "vx0", "type", "vxlan", "id", vni, "local", local,
       "remote", remote, "dstport", 4789, "dev", dev)
    sh("ip", "-n", net.ns(who), "link", "set", "vx0", "up")
    no_offload(net, who, "vx0")
    for c in cidrs:
        net.addr(who, "vx0", c)


TAG_BPF_C = r"""
/* tc-bpf: tag every frame the device sends (802.1Q C-tag CVID, and with
   SVID an 802.1ad S-tag over it) and untag what it receives, so a veth
   carries real VLAN / QinQ frames (this kernel has no 8021q module and no
   bridge VLAN filtering). */
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <linux/if_ether.h>
#define SEC(n) __attribute__((section(n), used))
static long (*skb_vlan_push)(struct __sk_buff *skb, __u16 proto, __u16 tci) = (void *)BPF_FUNC_skb_vlan_push;
static long (*skb_vlan_pop)(struct __sk_buff *skb) = (void *)BPF_FUNC_skb_vlan_pop;
SEC("push") int tag_push(struct __sk_buff *skb)
{
	skb_vlan_push(skb, __builtin_bswap16(ETH_P_8021Q), CVID);
#if SVID
	skb_vlan_push(skb, __builtin_bswap16(ETH_P_8021AD), SVID);
#endif
	return TC_ACT_OK;
}
SEC("pop") int tag_pop(struct __sk_buff *skb)
{
	if (skb->vlan_present)
		skb_vlan_pop(skb);
	if (skb->vlan_present)
		skb_vlan_pop(skb);
	return TC_ACT_OK;
}
char _license[] SEC("license") = "GPL";
"""


def vlan_tag(net, who, dev, cvid, svid=0):
    """Frames dev sends get 802.1Q tag cvid (and an 802.1ad S-tag svid over
    it when svid); tags are removed from what it receives (tc-bpf, clsact)."""
    obj = os.path.join(WORK, f"tag{svid}-{cvid}.o")
    if not os.path.exists(obj):
        src = write(os.path.join(WORK, f"tag{svid}-{cvid}.c"), TAG_BPF_C)
        sh("clang", "-O2", "-target", "bpf", f"-DSVID={svid}", f"-DCVID={cvid}",
           "-I/usr/include/x86_64-linux-gnu", "-c", src, "-o", obj)
    no_offload(net, who, dev)
    net.x(who, "tc", "qdisc", "add", "dev", dev, "clsact")
    net.x(who, "tc", "filter", "add", "dev", dev, "egress", "bpf", "da", "obj", obj, "sec", "push")
    net.x(who, "tc", "filter", "add", "dev", dev, "ingress", "bpf", "da", "obj", obj, "sec", "pop")


def rst_frames_inner(path):
    """The harness's rst_frames, corrected for tunnels that mix the address
    families (IPv4 in VXLAN over IPv6 here): it takes the IPv6 source when
    a frame has one, which for such a frame is the underlay's.  The
    innermost IP layer (the last of ip / ipv6 in frame.protocols) decides
    which family's addresses, TTL / hop limit and ID are the RST's own."""
    fields = FIELDS + ["frame.protocols"]
    p = sh("tshark", "-r", path, "-Y", "tcp.flags.reset==1", "-T", "fields",
           *sum([["-e", f] for f in fields], []), "-E", "occurrence=l")
    rows = []
    for line in p.stdout.splitlines():
        v = dict(zip(fields, line.split("\t")))
        layers = v["frame.protocols"].split(":")
        last4 = max([i for i, x in enumerate(layers) if x == "ip"], default=-1)
        last6 = max([i for i, x in enumerate(layers) if x == "ipv6"], default=-1)
        if last6 > last4:
            src, dst, ttl, ipid = v["ipv6.src"], v["ipv6.dst"], v["ipv6.hlim"], ""
        else:
            src, dst, ttl, ipid = v["ip.src"], v["ip.dst"], v["ip.ttl"], v["ip.id"]
        rows.append(dict(frame=int(v["frame.number"]), t=float(v["frame.time_relative"]),
                         src=(src, int(v["tcp.srcport"])), dst=(dst, int(v["tcp.dstport"])),
                         seq=int(v["tcp.seq_raw"]), ack=int(v["tcp.ack_raw"]),
                         has_ack=v["tcp.flags.ack"] in ("1", "True"),
                         ttl=ttl, ipid=ipid, iface=v["frame.interface_name"]))
    return rows


holdout_harness.rst_frames = rst_frames_inner


def data_fin_detail(path, r):
    """data-after-fin's detail from the data segment the RST answers (the
    last B->A segment with payload before the RST): `race` when it did not
    acknowledge A's FIN, `ignored-fin` when it did.  The harness's
    fin_detail takes the last B->A segment with data or FIN, which at a
    capture point on B's side can be B's own FIN sent after its request
    (and after A's FIN arrived), so it calls a race ignored-fin."""
    a, b = r["src"], r["dst"]
    flt = f"tcp.port=={a[1]} && tcp.port=={b[1]} && frame.number < {r['frame']}"
    p = sh("tshark", "-r", path, "-Y", flt, "-T", "fields", "-e", "tcp.srcport",
           "-e", "tcp.flags.fin", "-e", "tcp.seq_raw", "-e", "tcp.ack_raw", "-e", "tcp.len",
           "-E", "occurrence=l")
    fin = trig = None
    for line in p.stdout.splitlines():
        sport, f, seq, ack, ln = line.split("\t")
        if int(sport) == a[1] and f in ("1", "True"):
            fin = int(seq) + int(ln)
        if int(sport) == b[1] and int(ln) > 0:
            trig = int(ack)
    if fin is None or trig is None:
        raise RuntimeError(f"frame {r['frame']}: no FIN or no data segment before it")
    return "ignored-fin" if ((trig - (fin + 1)) & 0xffffffff) < 0x80000000 else "race"


def DAF_DATA(path, note, reasons=("TCP_ABORT_ON_DATA", "TCP_TIMEWAIT_SOCKET"), alternatives=()):
    """data-after-fin with data_fin_detail's detail."""
    return lambda r: L("data-after-fin", note, reasons, detail=data_fin_detail(path, r),
                       alternatives=alternatives)


class RulesNote(Rules):
    """Rules whose duplicate records get a note of the scenario's own (the
    harness's says "seen on another interface", which a SPAN port or a
    duplicating path does not fit)."""

    def __init__(self, servers, rules, dup_note=None):
        super().__init__(servers, rules)
        self.dup_note = dup_note

    def apply(self, path, rsts):
        out = super().apply(path, rsts)
        if self.dup_note:
            for rec in out:
                if rec.get("duplicate_of"):
                    orig = next(o for o in out if o["frame"] == rec["duplicate_of"])
                    rec["note"] = (f"second copy of frame {rec['duplicate_of']} ({self.dup_note}); "
                                   f"the original: {orig['note']}")
        return out


# ------------------------------------------------------------------ 1: VXLAN underlay, closed port

@scenario(1)
def vxlan_overlay_v6_curl_retry_connrefused_service_restarting_underlay(net):
    """curl --retry-connrefused against a service that is restarting, over an IPv6 overlay carried in VXLAN over IPv4, captured on the underlay: two SYNs refused by the server's kernel, the third connects (every packet inside UDP 4789).

    Two hosts a (10.61.1.1) and b (10.61.1.2) on one underlay link carry a
    VXLAN overlay (VNI 4242, UDP 4789, as flannel, Docker's overlay driver
    or an EVPN fabric would), with an IPv6 subnet fd61:201::/64 on vx0.  A
    deploy on b restarts an HTTP service ([fd61:201::2]:8080, Python's
    http.server); a health probe on a (Debian's curl 7.88, `--retry 3
    --retry-connrefused --retry-delay 1`) starts before the service is back.
    Its first SYN and the retry 1 s later are refused by b's kernel (nothing
    listens yet: RST+ACK, NO_SOCKET); the service listens again 1.3 s after
    the first try and the third attempt gets its 200.  Captured with tcpdump
    on a's underlay interface with the filter `udp port 4789`: every TCP
    segment is inside Ethernet/IPv4/UDP/VXLAN/Ethernet/IPv6 (the overlay's
    neighbour discovery too), nothing of it is plain TCP on the capture's
    link.
    """
    n = 1
    net.add("a", "b")
    net.veth("a", "u0", "b", "u1")
    net.addr("a", "u0", f"{a4(n, 1)}/24")
    net.addr("b", "u1", f"{a4(n, 2)}/24")
    for who, dev, loc, rem, h in (("a", "u0", 1, 2, 1), ("b", "u1", 2, 1, 2)):
        no_offload(net, who, dev)
        vxlan(net, who, dev, 4242, a4(n, loc), a4(n, rem), [f"{a6(200 + n, h)}/64"])
    srv = a6(200 + n, 2)
    d = os.path.join(WORK, f"{n}.www")
    os.makedirs(d, exist_ok=True)
    write(os.path.join(d, "index.html"), "<html><body>ok</body></html>\n")
    ping(net, "a", srv)
    fname = "vxlan-overlay-v6-curl-retry-connrefused-service-restarting-underlay.pcap"
    net.capture("a", ["u0"], os.path.join(OUT, fname), filt="udp port 4789")
    cu = net.start("a", ["curl", "-sS", "-g", "--retry", "3", "--retry-connrefused", "--retry-delay", "1",
                         "-o", "/dev/null", "-w", "%{http_code}\\n",
                         f"http://[{srv}]:8080/"], "curl")
    time.sleep(1.3)
    net.start("b", ["python3", "-m", "http.server", "--bind", srv, "--directory", d, "8080"], "http",
              ready=(srv, 8080))
    wait_exit(cu, 15)
    net.stop_captures()
    return fname, Rules([(srv, 8080)], [
        (is_server, L("closed-port",
                      "the service on b was restarting: nothing listened on 8080 when curl's SYN came "
                      "(its retry loop, --retry-connrefused, tried again 1 s later and then succeeded); "
                      "b's kernel answered with RST+ACK (NO_SOCKET), carried back inside VXLAN",
                      {"NO_SOCKET"})),
    ])


# ------------------------------------------------------------------ 2: VXLAN overlay + underlay, ignored FIN

KEEPALIVE_POLLER = r"""
import http.client, sys, time
host, path, idle = sys.argv[1], sys.argv[2], float(sys.argv[3])
port = int(sys.argv[4]) if len(sys.argv) > 4 else 80
conn = http.client.HTTPConnection(host, port, timeout=5)
for i in range(2):
    try:
        conn.request("GET", path, headers={"User-Agent": "status-poller/1.2"})
        r = conn.getresponse()
        print(time.time(), "poll", i, r.status, r.read()[:60], flush=True)
    except (ConnectionError, http.client.HTTPException) as e:
        print(time.time(), "poll", i, "failed:", repr(e), "- new connection", flush=True)
        conn.close()
        conn = http.client.HTTPConnection(host, port, timeout=5)
        conn.request("GET", path, headers={"User-Agent": "status-poller/1.2"})
        r = conn.getresponse()
        print(time.time(), "poll", i, "retry", r.status, r.read()[:60], flush=True)
    if i == 0:
        print(time.time(), "idle", idle, flush=True)
        time.sleep(idle)
conn.close()
print(time.time(), "done", flush=True)
"""

HAPROXY_HTTP = """
global
  log stdout format raw local0
defaults
  mode http
  log global
  option httplog
  timeout connect 2s
  timeout client 30s
  timeout server 30s
  timeout http-keep-alive 2s
frontend status
  bind {bind}:80
  default_backend app
backend app
  server app1 127.0.0.1:8081
"""


@scenario(2)
def haproxy_http_keep_alive_pooled_poller_vxlan_v4_over_v6_dumpcap_overlay_and_underlay(net):
    """A status poller reuses its pooled connection after haproxy's `timeout http-keep-alive 2s` closed it: the request is answered by a RST from the closed socket; IPv4 overlay in VXLAN over an IPv6 underlay, dumpcap on vx0 and on the underlay (pcapng, every packet twice: plain and encapsulated).

    Two hosts on an IPv6 underlay (fd61:2::1, fd61:2::2) carry a VXLAN
    overlay (VNI 5002) with the IPv4 subnet 10.61.202.0/24.  On b, Debian's
    haproxy 2.6 (mode http, `timeout http-keep-alive 2s`) fronts a Python
    http.server on 127.0.0.1:8081 at 10.61.202.2:80.  On a, a status poller
    (Python's http.client, one kept connection) fetches /status.json, idles
    3 s, and polls again on the same connection.  haproxy closed the idle
    client connection at 2 s (FIN, acknowledged by a's kernel); the poller,
    which had not read the EOF, writes its request, and b's kernel answers
    from the closed socket (FIN_WAIT2 as a TIME_WAIT mini-socket: RST,
    TCP_TIMEWAIT_SOCKET).  The poller reports "Remote end closed connection
    without response" and retries on a new connection.  Captured with
    dumpcap on b's vx0 and underlay u1 at once (filter `tcp or udp port
    4789`): each segment appears twice, once as plain Ethernet/IPv4/TCP on
    vx0 and once inside IPv6/UDP/VXLAN on u1, in the order dumpcap drained
    its two buffers.
    """
    n = 2
    net.add("a", "b")
    net.veth("a", "u0", "b", "u1")
    net.addr("a", "u0", f"{a6(n, 1)}/64")
    net.addr("b", "u1", f"{a6(n, 2)}/64")
    for who, dev, loc, rem, h in (("a", "u0", 1, 2, 1), ("b", "u1", 2, 1, 2)):
        no_offload(net, who, dev)
        vxlan(net, who, dev, 5002, a6(n, loc), a6(n, rem), [f"{a4(200 + n, h)}/24"])
    srv = a4(200 + n, 2)
    d = os.path.join(WORK, f"{n}.www")
    os.makedirs(d, exist_ok=True)
    write(os.path.join(d, "status.json"), '{"status":"green","nodes":3}\n')
    net.start("b", ["python3", "-m", "http.server", "--bind", "127.0.0.1", "--directory", d, "8081"],
              "app", ready=("127.0.0.1", 8081))
    cfg = write(os.path.join(WORK, f"{n}.haproxy.cfg"), HAPROXY_HTTP.replace("{bind}", srv))
    net.start("b", ["haproxy", "-db", "-f", cfg], "haproxy", ready=(srv, 80))
    ping(net, "a", srv)
    fname = "haproxy-http-keep-alive-pooled-poller-vxlan-v4-over-v6-dumpcap-overlay-and-underlay.pcapng"
    net.capture("b", ["vx0", "u1"], os.path.join(OUT, fname), tool="dumpcap", filt="tcp or udp port 4789")
    c = net.py("a", KEEPALIVE_POLLER, "poller", args=(srv, "/status.json", 3.0))
    wait_log(c, "done", 15)
    net.stop_captures()
    return fname, RulesNote([(srv, 80)], [
        FOLLOWUP(),
        (is_server, DAF_DATA(os.path.join(OUT, fname), "haproxy closed the idle keep-alive connection after `timeout http-keep-alive "
                        "2s` (FIN, acknowledged by the poller's kernel); 1 s later the poller reused "
                        "the pooled connection and its request met the closed socket")),
    ], dup_note="the same RST captured on the other interface: plain on vx0 and inside VXLAN on the "
                "underlay u1")


# ------------------------------------------------------------------ 3: haproxy srvtcpka, VLAN trunk, mid-capture

HAPROXY_TCP_KA = """
global
  log stdout format raw local0
defaults
  mode tcp
  log global
  option tcplog
  timeout connect 2s
  timeout client 1m
  timeout server 1m
frontend redis_in
  bind {bind}:6379
  default_backend redis
backend redis
  option srvtcpka
  srvtcpka-idle 2s
  srvtcpka-intvl 1s
  srvtcpka-cnt 2
  server redis1 {backend}:6379
"""

BLPOP_WORKER = r"""
import socket, sys, time
def resp(*a):
    out = b"*%d\r\n" % len(a)
    for x in a:
        x = x.encode()
        out += b"$%d\r\n%s\r\n" % (len(x), x)
    return out
s = socket.create_connection((sys.argv[1], 6379))
for cmd in (("PING",), ("CLIENT", "SETNAME", "thumb-worker-1"), ("LLEN", "jobs:thumbnails")):
    s.sendall(resp(*cmd))
    print(time.time(), cmd, s.recv(1024), flush=True)
s.sendall(resp("BLPOP", "jobs:thumbnails", "0"))
print(time.time(), "waiting for a job", flush=True)
try:
    d = s.recv(1024)
    print(time.time(), "got", d, "- connection closed by the proxy" if not d else "", flush=True)
except OSError as e:
    print(time.time(), "connection closed by the proxy:", repr(e), flush=True)
s.close()
time.sleep(30)
"""


@scenario(3)
def haproxy_srvtcpka_backend_host_frozen_vlan_trunk_midcapture_v4(net):
    """haproxy's server-side TCP keepalive (option srvtcpka, idle 2 s, interval 1 s, 2 probes) gives up on a Redis backend whose host froze under a worker's idle BLPOP: haproxy's kernel resets the backend connection; captured on the 802.1Q-tagged trunk to the backend, started mid-connection.

    Routed through the proxy host p: a job worker 10.61.3.1 (a few lines of
    Python speaking RESP) connects through Debian's haproxy 2.6 (mode tcp,
    10.61.3.254:6379, `timeout client/server 1m`) to Debian's redis-server
    7.0 on 10.61.103.1:6379 (`tcp-keepalive 0`).  The proxy-to-backend
    link is a trunk carrying VLAN 20 (802.1Q tags pushed and popped by
    tc-bpf on both ends).  The worker sends PING, CLIENT SETNAME, LLEN, then
    `BLPOP jobs:thumbnails 0` and waits for a job: the connection is idle.
    The operator starts tcpdump on p's trunk interface 1.2 s later (the
    capture begins mid-connection: no handshake, no data in it), and 0.3 s
    after that the backend's host freezes (everything arriving at its
    interface is dropped, as on a hung VM).  haproxy's backend side has
    `option srvtcpka` with `srvtcpka-idle 2s srvtcpka-intvl 1s
    srvtcpka-cnt 2`: 2 s after the last segment the kernel probes (seq =
    its next seq - 1, no data), probes again 1 s later, and 1 s after that
    gives up: RST+ACK (TCP_KEEPALIVE_TIMEOUT), lost like the probes.
    haproxy then closes the worker's side (not in this capture).  The
    capture holds two probes and the RST, all 802.1Q-tagged.
    """
    n = 3
    routed(net, n, router="p")
    hap, be = a4(n, 254), a4(100 + n, 1)
    vlan_tag(net, "p", "rs", 20)
    vlan_tag(net, "s", "s0", 20)
    net.start("s", ["redis-server", "--bind", be, "--port", "6379", "--save", "", "--appendonly", "no",
                    "--protected-mode", "no", "--tcp-keepalive", "0", "--dir", WORK,
                    "--daemonize", "no"], "redis", ready=(be, 6379))
    cfg = write(os.path.join(WORK, f"{n}.haproxy.cfg"),
                HAPROXY_TCP_KA.replace("{bind}", hap).replace("{backend}", be))
    net.start("p", ["haproxy", "-db", "-f", cfg], "haproxy", ready=(hap, 6379))
    ping(net, "c", hap)
    ping(net, "p", be)
    w = net.py("c", BLPOP_WORKER, "worker", args=(hap,))
    wait_log(w, "waiting for a job")
    time.sleep(0.8)
    fname = "haproxy-srvtcpka-backend-host-frozen-vlan-trunk-midcapture-v4.pcap"
    net.capture("p", ["rs"], os.path.join(OUT, fname), filt="")
    net.nft("s", 'table netdev frozen {\n chain in {\n type filter hook ingress device "s0" priority 0;\n'
                 ' drop\n }\n}\n')
    wait_log(w, "closed by the proxy", 12)
    time.sleep(0.3)
    net.stop_captures()
    return fname, Rules([(be, 6379)], [
        (is_client, L("keepalive-timeout",
                      "haproxy's backend connection (option srvtcpka: idle 2 s, interval 1 s, 2 probes) "
                      "got no answer to its keepalive probes from the frozen Redis host; its kernel gave "
                      "up and reset the connection (active form, sent into the void)",
                      {"TCP_KEEPALIVE_TIMEOUT"})),
    ])


# ------------------------------------------------------------------ 4: hping3 over QinQ

LISTENER = r"""
import socket, sys, time
fam = socket.AF_INET6 if ":" in sys.argv[1] else socket.AF_INET
for p in sys.argv[2:]:
    s = socket.socket(fam)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((sys.argv[1], int(p)))
    s.listen(16)
    globals()["keep" + p] = s
print("listening", flush=True)
time.sleep(600)
"""


@scenario(4)
def hping3_syn_probes_db_port_open_and_old_port_qinq_trunk_v4(net):
    """hping3 -S "TCP pings" of a database host across a provider's QinQ circuit: the open port's SYN-ACKs are reset by the prober's own kernel (hping3 sends from a raw socket), the old port's SYNs are refused; captured on the parent interface of the QinQ trunk (802.1ad S-tag 100 over 802.1Q C-tag 20).

    One link between an operator's host 10.61.4.1 and a database host
    10.61.4.2, carried as a provider's QinQ service: every frame has an
    802.1ad S-tag (VLAN 100) over an 802.1Q C-tag (VLAN 20), pushed and
    popped by tc-bpf on both veth ends.  The database host listens on 5432
    (a listener that never accepts stands in for PostgreSQL: the kernel
    completes handshakes itself).  After a migration the operator checks
    reachability with Debian's hping3: `hping3 -S -p 5432 -c 2` (two SYN
    "pings", each from a new source port), then `-p 5433`, the port an old
    runbook still names.  Each SYN to 5432 draws a SYN-ACK; hping3 sent the
    SYN from a raw socket, so the operator's kernel has no socket for it
    and answers the SYN-ACK with a RST (NO_SOCKET), as a SYN scan's host
    does.  Each SYN to 5433 is refused by the database host's kernel
    (RST+ACK, NO_SOCKET).  Captured with tcpdump, no filter, on the
    operator's trunk interface: every frame (ARP too) carries both tags.
    """
    n = 4
    direct(net, n)
    cli, srv = a4(n, 1), a4(n, 2)
    vlan_tag(net, "c", "c0", 20, svid=100)
    vlan_tag(net, "s", "s0", 20, svid=100)
    net.py("s", LISTENER, "db", args=(srv, 5432), ready="listening")
    ping(net, "c", srv)
    fname = "hping3-syn-probes-db-port-open-and-old-port-qinq-trunk-v4.pcap"
    net.capture("c", ["c0"], os.path.join(OUT, fname), filt="")
    for port in (5432, 5433):
        h = net.start("c", ["hping3", "-S", "-p", str(port), "-c", "2", "-i", "u500000", srv],
                      f"hping3-{port}")
        wait_exit(h, 10)
        time.sleep(0.3)
    net.stop_captures()
    return fname, Rules([(srv, 5432), (srv, 5433)], [
        (lambda r: is_server(r) and r["src"][1] == 5433,
         L("closed-port", "hping3's SYN to 5433, where nothing listens (the port an old runbook "
                          "names): the database host's kernel refuses it with RST+ACK (NO_SOCKET)",
           {"NO_SOCKET"})),
        (is_client, L("linger-abort",
                      "hping3 -S sent its SYN from a raw socket; the database host's SYN-ACK from "
                      "5432 (open) finds no socket on the prober's host, whose kernel answers with a "
                      "RST (NO_SOCKET): a probe, as a SYN scan's host resets every open port it "
                      "finds. The wire (SYN, SYN-ACK, RST from the SYN's sender) is also what a "
                      "client that gave up connecting sends to a late SYN-ACK",
                      {"NO_SOCKET"}, detail="probe", alternatives=["connect-timeout"])),
    ])


# ------------------------------------------------------------------ 5: nmap ACK scan over IPv6, -i any (SLL)

@scenario(5)
def nmap_ack_scan_firewall_audit_v6_any_sll(net):
    """A firewall audit with nmap -sA over IPv6: the host's kernel answers the bare ACKs to an open and to a closed port with RSTs (listener: TCP_FLAGS; no socket: NO_SOCKET), the filtered port stays silent; captured at the scanner with tcpdump -i any -y LINUX_SLL (cooked v1).

    One link: an auditor's host [fd61:5::1] and an application host
    [fd61:5::2] that listens on 443 (a listener standing in for the
    service) and whose ip6 firewall (nftables input chain) drops TCP to
    9443, an admin port that should be filtered; 8443 is closed.  The
    auditor runs Debian's nmap 7.93, `nmap -6 -sA -Pn -n -p 443,8443,9443`,
    an ACK scan, which maps filtering rules: each probe is a bare ACK with
    no connection behind it.  The kernel answers the ACK to 443 from the
    listening socket (reply-form RST, TCP_FLAGS, state LISTEN) and the ACK
    to 8443 with no socket at all (NO_SOCKET); nmap calls both
    "unfiltered" and 9443 (no answer, probed twice) "filtered".  Captured
    with tcpdump -i any -y LINUX_SLL in the auditor's namespace (Linux
    cooked v1: no interface index, the packet type says outgoing or to us).
    """
    n = 5
    direct(net, n)
    srv = a6(n, 2)
    net.py("s", LISTENER, "app", args=(srv, 443), ready="listening")
    net.nft("s", "table ip6 filter {\n chain input {\n type filter hook input priority 0;\n"
                 " tcp dport 9443 counter drop\n }\n}\n")
    ping(net, "c", srv)
    fname = "nmap-ack-scan-firewall-audit-v6-any-sll.pcap"
    net.capture("c", ["any"], os.path.join(OUT, fname), extra=["-y", "LINUX_SLL"])
    nm = net.start("c", ["nmap", "-6", "-sA", "-Pn", "-n", "--max-retries", "1", "-p", "443,8443,9443",
                         srv], "nmap")
    wait_exit(nm, 30)
    net.stop_captures()
    return fname, Rules([(srv, 443), (srv, 8443), (srv, 9443)], [
        (lambda r: is_server(r) and r["kernel_reason"] == "TCP_FLAGS",
         L("invalid-segment",
           "nmap -sA's bare ACK to 443 belongs to no connection; the listening socket rejects an ACK "
           "(TCP_FLAGS, state LISTEN) with a reply-form RST. Nothing on the wire tells this RST "
           "from a closed port's answer to the same ACK (the next one), so closed-port is the "
           "runner-up", {"TCP_FLAGS"}, alternatives=["closed-port"])),
        (is_server, L("closed-port",
                      "nmap -sA's bare ACK to 8443, where nothing listens: reply-form RST "
                      "(NO_SOCKET). An ACK without a connection is also an impossible segment, so "
                      "invalid-segment is the runner-up", {"NO_SOCKET"},
                      alternatives=["invalid-segment"])),
    ])


# ------------------------------------------------------------------ 6: nginx keep-alive race, satellite RTT

NGINX_CONF = """
daemon off;
worker_processes 1;
pid {work}/{n}.nginx.pid;
error_log {work}/{n}.nginx-error.log info;
events {{ worker_connections 64; }}
http {{
  access_log {work}/{n}.nginx-access.log;
  client_body_temp_path {work}/{n}.nginx-tmp/body;
  proxy_temp_path {work}/{n}.nginx-tmp/proxy;
  fastcgi_temp_path {work}/{n}.nginx-tmp/fastcgi;
  uwsgi_temp_path {work}/{n}.nginx-tmp/uwsgi;
  scgi_temp_path {work}/{n}.nginx-tmp/scgi;
  keepalive_timeout 2s;
  server {{
    listen {bind}:80;
    root {root};
    default_type application/json;
  }}
}}
"""


@scenario(6)
def nginx_keepalive_timeout_race_satellite_rtt_client_any_sll2_v4(net):
    """Over a 600 ms round trip (a satellite link), a client's second request on a kept connection crosses nginx's keep-alive FIN in flight (keepalive_timeout 2s): the server resets the request (TCP_ABORT_ON_DATA), then answers the client's later segments from its listener; captured at the client with tcpdump -i any (cooked v2).

    One subnet through a user-space delay line holding every frame 300 ms
    each way (the harness's `delayed`, as this kernel has no netem): a
    remote site's client 10.61.6.1 and Debian's nginx 1.22 on
    10.61.6.2:80 with `keepalive_timeout 2s`.  The client (Python
    http.client, one kept connection) fetches /api/quote.json and sends its
    next request 1.7 s after the answer arrived, by its own clock well
    within the keep-alive time.  But nginx's 2 s started when it sent the
    answer, 300 ms before the client had it: nginx closes (FIN) 2.0 s after
    its answer, the client's request leaves 2.0 s after it, and the two
    cross on the link.  The request reaches nginx's closed socket before
    the client's ACK of the FIN: RST (TCP_ABORT_ON_DATA; it does not
    acknowledge the FIN: `race`).  The client's kernel acknowledges the FIN
    when it arrives, and the client's application, seeing EOF, closes (FIN):
    those segments reach nginx after its socket is gone and the listener on
    port 80 answers each with a RST (TCP_FLAGS).  The client retries on a
    new connection.  Captured with tcpdump -i any -y LINUX_SLL2 in the
    client's namespace.
    """
    n = 6
    delayed(net, n, 0.3)
    srv = a4(n, 2)
    root = os.path.join(WORK, f"{n}.www", "api")
    os.makedirs(root, exist_ok=True)
    write(os.path.join(root, "quote.json"), '{"symbol":"ACME","bid":101.25,"ask":101.31}\n')
    for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        os.makedirs(os.path.join(WORK, f"{n}.nginx-tmp", sub), exist_ok=True)
    conf = write(os.path.join(WORK, f"{n}.nginx.conf"),
                 NGINX_CONF.format(work=WORK, n=n, bind=srv, root=os.path.dirname(root)))
    net.start("s", ["nginx", "-c", conf, "-p", WORK, "-e", os.path.join(WORK, f"{n}.nginx-error.log")],
              "nginx", ready=(srv, 80))
    ping(net, "c", srv)
    fname = "nginx-keepalive-timeout-race-satellite-rtt-client-any-sll2-v4.pcap"
    net.capture("c", ["any"], os.path.join(OUT, fname), extra=["-y", "LINUX_SLL2"])
    c = net.py("c", KEEPALIVE_POLLER, "client", args=(srv, "/api/quote.json", 1.7))
    wait_log(c, "done", 20)
    time.sleep(1.0)
    net.stop_captures()
    return fname, Rules([(srv, 80)], [
        FOLLOWUP(why="nginx's socket was reset at the first RST; the client's ACK of the FIN and its "
                     "own FIN, arriving 300 ms later, find only the listener on port 80"),
        (is_server, DAF_DATA(os.path.join(OUT, fname),
                             "nginx closed the kept connection after keepalive_timeout 2s, counted from "
                        "its answer; over the 300 ms one-way path the client's next request, sent "
                        "1.7 s after the answer arrived, crossed the FIN and reached the closed socket",
                        reasons=("TCP_ABORT_ON_DATA",))),
    ])


# ------------------------------------------------------------------ 7: haproxy reject, SPAN by tc mirred

HAPROXY_SMTP = """
global
  log stdout format raw local0
defaults
  mode tcp
  log global
  option tcplog
  timeout connect 2s
  timeout client 1m
  timeout server 1m
frontend smtp_in
  bind {bind}:25
  tcp-request connection reject if { src -f {blocklist} }
  default_backend mta
backend mta
  server mta1 127.0.0.1:2525
"""

MINI_MTA = r"""
import socketserver, time
class H(socketserver.StreamRequestHandler):
    def handle(self):
        w = lambda s: self.wfile.write(s.encode() + b"\r\n")
        w("220 mx1.example.net ESMTP ready")
        data = False
        for line in self.rfile:
            line = line.decode(errors="replace").rstrip("\r\n")
            print(time.time(), "C:", line[:60], flush=True)
            if data:
                if line == ".":
                    data = False
                    w("250 2.0.0 Ok: queued as 4F2A1")
                continue
            cmd = line[:4].upper()
            if cmd in ("EHLO", "HELO"):
                w("250-mx1.example.net"); w("250 8BITMIME")
            elif cmd == "DATA":
                data = True
                w("354 End data with <CR><LF>.<CR><LF>")
            elif cmd == "QUIT":
                w("221 2.0.0 Bye")
                return
            else:
                w("250 2.1.0 Ok")
socketserver.ThreadingTCPServer.allow_reuse_address = True
srv = socketserver.ThreadingTCPServer(("127.0.0.1", 2525), H)
print("mta listening", flush=True)
srv.serve_forever()
"""

SMTP_SENDERS = r"""
import smtplib, sys, time
mx = sys.argv[1]
def send(src, who):
    try:
        with smtplib.SMTP(mx, 25, timeout=5, source_address=(src, 0)) as s:
            s.ehlo("app1.example.org")
            s.sendmail(who, ["ops@example.net"], "Subject: nightly report\r\n\r\nall green\r\n")
        print(time.time(), src, "sent", flush=True)
    except (OSError, smtplib.SMTPException) as e:
        print(time.time(), src, "failed:", repr(e), flush=True)
send(sys.argv[2], "reports@app1.example.org")
time.sleep(0.5)
for i in range(2):
    send(sys.argv[3], "printer@scan7.example.org")
    time.sleep(1.0)
print(time.time(), "done", flush=True)
"""


@scenario(7)
def haproxy_smtp_blocklist_reject_after_handshake_span_tc_mirred_v4(net):
    """haproxy's `tcp-request connection reject` turns away a blocklisted mail sender right after the handshake with a RST; captured on a SPAN port that tc mirred feeds from both router ports' ingress and egress, so every forwarded packet appears twice (TTL 64 and 63).

    Routed: two senders in the client network, an application host
    10.61.7.1 and a scanner-printer 10.61.7.66 whose address is on the mail
    gateway's blocklist, and a mail gateway 10.61.107.1 where Debian's
    haproxy 2.6 (mode tcp) listens on 25 in front of a small MTA (Python, on
    127.0.0.1:2525) with `tcp-request connection reject if { src -f
    blocklist }`.  The application host sends a report with Python's smtplib
    (banner, EHLO, MAIL, RCPT, DATA, QUIT: it works).  Then the printer
    tries twice, 1 s apart: the kernel completes the handshake, haproxy
    accepts, matches the source and closes at once with SO_LINGER 0 before
    anything is read or written: RST+ACK (TCP_STATE); smtplib reports the
    reset while waiting for the banner.  The router mirrors rc and rs, ingress
    and egress, to a SPAN port (tc clsact, u32 match-all, `mirred egress
    mirror`), captured with tcpdump in an analyser namespace: each packet
    appears once entering the router (TTL as sent) and once leaving it (TTL
    one lower, the router's MAC addresses), the RSTs too.
    """
    n = 7
    routed(net, n)
    mx = a4(100 + n, 1)
    good, bad = a4(n, 1), a4(n, 66)
    net.addr("c", "c0", f"{bad}/24")
    net.add("m")
    link(net, "r", "span0", "m", "span1")
    for dev in ("rc", "rs"):
        net.x("r", "tc", "qdisc", "add", "dev", dev, "clsact")
        for hook in ("ingress", "egress"):
            net.x("r", "tc", "filter", "add", "dev", dev, hook, "protocol", "all", "u32", "match", "u32",
                  "0", "0", "action", "mirred", "egress", "mirror", "dev", "span0")
    bl = write(os.path.join(WORK, f"{n}.blocklist"), f"# abusive or compromised senders\n{bad}/32\n")
    net.py("s", MINI_MTA, "mta", ready="mta listening")
    cfg = write(os.path.join(WORK, f"{n}.haproxy.cfg"),
                HAPROXY_SMTP.replace("{bind}", mx).replace("{blocklist}", bl))
    net.start("s", ["haproxy", "-db", "-f", cfg], "haproxy", ready=(mx, 25))
    ping(net, "c", mx)
    fname = "haproxy-smtp-blocklist-reject-after-handshake-span-tc-mirred-v4.pcap"
    net.capture("m", ["span1"], os.path.join(OUT, fname))
    c = net.py("c", SMTP_SENDERS, "senders", args=(mx, good, bad))
    wait_log(c, "done", 20)
    net.stop_captures()
    return fname, RulesNote([(mx, 25)], [
        (is_server, L("linger-abort",
                      "haproxy's `tcp-request connection reject` (source on the blocklist) closed the "
                      "accepted connection at once with SO_LINGER 0 before any byte was exchanged "
                      "(TCP_STATE): a deliberate abort of a connection that carried no data. On the "
                      "wire it is also a server resetting right after its handshake, handshake-abort's "
                      "signature", {"TCP_STATE"}, detail="probe", alternatives=["handshake-abort"])),
    ], dup_note="the SPAN port's other copy of the same RST: mirrored once entering the router on "
                "rs and once leaving it on rc, TTL one lower")


# ------------------------------------------------------------------ 8: HTTP POST to the Redis port, snaplen 96

@scenario(8)
def webhook_post_to_redis_port_security_attack_close_unread_snaplen96_v6(net):
    """A webhook sender configured with the Redis port POSTs 64 KB of JSON to Redis 7: Redis takes "POST" for a cross-protocol attack and closes the connection with the body unread: RST from the server's kernel (TCP_ABORT_ON_CLOSE); IPv6, captured at the sender with snaplen 96.

    One link over IPv6: an order service [fd61:8::1] and a cache host
    [fd61:8::2] where Debian's redis-server 7.0 listens on 6379.  A webhook
    target in the order service's configuration points at
    http://[fd61:8::2]:6379/v1/orders (the ports of the cache and of the
    fulfilment service swapped in a deploy).  Debian's curl 7.88 POSTs 64 KB
    of JSON there.  Redis reads what has arrived (its reads take up to 16 KB),
    sees the command `POST` (which it treats as a cross-protocol scripting
    attack, logging "Possible SECURITY ATTACK detected ... Connection
    aborted") and frees the client; by then more of the body has arrived
    unread, so the kernel sends RST+ACK instead of FIN
    (TCP_ABORT_ON_CLOSE), acknowledging everything received.  curl's
    segments already on their way meet the listener on 6379, which answers
    each with a reply-form RST (TCP_FLAGS; none to two of them, by timing).
    curl reports error 56, "Recv failure: Connection reset by peer".
    Captured with tcpdump -s 96 at the sender: Ethernet, IPv6 and the TCP
    header with its options fit, the payload is cut after 10 bytes (`POST
    /v1/o`).
    """
    n = 8
    direct(net, n)
    srv = a6(n, 2)
    net.start("s", ["redis-server", "--bind", srv, "--port", "6379", "--save", "", "--appendonly", "no",
                    "--protected-mode", "no", "--dir", WORK, "--daemonize", "no"], "redis",
              ready=(srv, 6379))
    body = os.path.join(WORK, f"{n}.orders.json")
    with open(body, "w") as f:
        f.write('{"orders":[' + ",".join('{"id":%d,"sku":"SKU-%05d","qty":%d}' % (i, i * 7 % 99991, i % 5 + 1)
                                         for i in range(1800)) + "]}\n")
    ping(net, "c", srv)
    fname = "webhook-post-to-redis-port-security-attack-close-unread-snaplen96-v6.pcap"
    net.capture("c", ["c0"], os.path.join(OUT, fname), snaplen=96)
    cu = net.start("c", ["curl", "-sS", "-g", "-m", "5", "-X", "POST", "-H", "Content-Type: application/json",
                         "--data-binary", f"@{body}", "-o", "/dev/null", "-w", "%{http_code}\\n",
                         f"http://[{srv}]:6379/v1/orders"], "curl")
    wait_exit(cu, 10)
    net.stop_captures()
    return fname, Rules([(srv, 6379)], [
        FOLLOWUP(("TCP_FLAGS",), why="Redis's socket is gone; curl's segments already in flight meet "
                 "the listener on 6379 (TCP_FLAGS)"),
        (is_server, L("unread-recv-buffer",
                      "Redis read the start of the POST, took the command `POST` for a "
                      "cross-protocol attack and closed the client; more of the 64 KB body had "
                      "arrived unread in the socket, so the kernel sent RST instead of FIN "
                      "(TCP_ABORT_ON_CLOSE)", {"TCP_ABORT_ON_CLOSE"})),
    ])


# ------------------------------------------------------------------ 9: duplicating path, node keep-alive

NODE_API = r"""
const http = require('http');
const srv = http.createServer((req, res) => {
  res.setHeader('Content-Type', 'application/json');
  res.end(JSON.stringify({path: req.url, stock: 42}) + '\n');
  console.log(Date.now() / 1000, req.method, req.url);
});
srv.listen(8080, process.argv[2], () => console.log('api listening, keepAliveTimeout', srv.keepAliveTimeout));
"""


@scenario(9)
def node_keepalive_timeout_default_pooled_client_duplicating_path_server_v6(net):
    """Node's http.Server closes an idle keep-alive connection at its defaults (keepAliveTimeout 5 s, announced as `Keep-Alive: timeout=5`, closed 1 s later); a pooled client reuses it at 7 s over a path that duplicates every client packet: the request's first copy draws a RST from the closed socket, its second copy one from the listener; IPv6, captured at the server (client packets twice).

    A client [fd61:9::1] and an API server [fd61:9::2] (Debian's Node.js
    20.20, http.createServer with default settings) on one segment through a
    bridge whose client-facing port duplicates every frame it receives
    (nftables netdev ingress `dup to` the server-facing port, on top of
    normal bridging), as a looped SPAN session or a misbehaving link
    aggregation does; netem's `duplicate 100%` would do the same.  Node
    announces `Keep-Alive: timeout=5` and, this version, closes the idle
    socket 6 s after the answer (keepAliveTimeout 5000 ms plus a 1 s
    buffer).  The client (Python http.client, one kept connection) fetches
    /stock/42, idles 7 s (a pool idle limit longer than the server's, the
    classic mismatch), and asks again on the same connection.  Node's FIN
    had been acknowledged (twice: the duplicated ACK).  The request arrives
    twice: the first copy meets the closed socket (FIN_WAIT2 as a TIME_WAIT
    mini-socket: RST, TCP_TIMEWAIT_SOCKET), which is then dropped, so the
    second copy, microseconds later, meets only the listener on 8080 (RST,
    TCP_FLAGS).  The two RSTs are byte for byte the same (seq = the
    request's ack, no ACK flag, IPv6 has no ID).  The client reports the
    hang-up and retries on a new connection.  Captured with tcpdump at the
    server: every client packet appears twice, the server's once.
    """
    n = 9
    net.add("c", "m", "s")
    net.veth("c", "c0", "m", "mc")
    net.veth("s", "s0", "m", "ms")
    net.addr("c", "c0", f"{a6(n, 1)}/64")
    net.addr("s", "s0", f"{a6(n, 2)}/64")
    sh("ip", "-n", net.ns("m"), "link", "add", "br0", "type", "bridge")
    for dev in ("mc", "ms"):
        sh("ip", "-n", net.ns("m"), "link", "set", dev, "master", "br0")
    sh("ip", "-n", net.ns("m"), "link", "set", "br0", "up")
    srv = a6(n, 2)
    api = write(os.path.join(WORK, f"{n}.api.js"), NODE_API)
    net.start("s", [NODE, api, srv], "api", ready="api listening")
    ping(net, "c", srv)
    net.nft("m", 'table netdev loop {\n chain in {\n type filter hook ingress device "mc" priority 0;\n'
                 ' dup to "ms"\n }\n}\n')
    fname = "node-keepalive-timeout-default-pooled-client-duplicating-path-server-v6.pcap"
    net.capture("s", ["s0"], os.path.join(OUT, fname))
    c = net.py("c", KEEPALIVE_POLLER, "client", args=(srv, "/stock/42", 7.0, 8080))
    wait_log(c, "done", 20)
    net.stop_captures()
    return fname, Rules([(srv, 8080)], [
        FOLLOWUP(("TCP_FLAGS",), why="the second copy of the same request (the path duplicates "
                 "every client packet) arrives after the first copy's RST removed the closed socket "
                 "and meets the listener on 8080 (TCP_FLAGS); byte for byte the same RST as the first"),
        (is_server, DAF_DATA(os.path.join(OUT, fname), "Node's http.Server closed the idle keep-alive connection after its default "
                        "keepAliveTimeout (5 s, closed at 6 s: Node 20 adds a 1 s buffer; FIN, acknowledged "
                        "by the client's kernel); the pooled client reused it at 7 s and the request's first copy met the closed socket")),
    ])


# ------------------------------------------------------------------ 10: ssh through an idle-expiring firewall

SSHD_CONFIG = """
Port 22
ListenAddress {addr}
HostKey {d}/host_ed25519
PidFile {d}/sshd.pid
PermitRootLogin prohibit-password
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
AuthorizedKeysFile {d}/authorized_keys
ClientAliveInterval 0
TCPKeepAlive no
"""


@scenario(10)
def ssh_session_idle_firewall_conntrack_expiry_rejects_router_any_snaplen64_v4(net):
    """An idle SSH session through a stateful firewall whose conntrack forgets established flows after 3 s: the next keystrokes are rejected by the firewall with a RST in the server's name; captured on the firewall with tcpdump -i any (cooked v2), snaplen 64.

    Routed through a firewall r: an admin's host 10.61.10.1 and a server
    10.61.110.1 running Debian's OpenSSH 9.2 sshd (key login, `TCPKeepAlive
    no`, no ClientAliveInterval).  The firewall's forward chain is the usual
    `ct state established,related accept; SYN with ct state new accept;
    reject with tcp reset`, and its conntrack has
    net.netfilter.nf_conntrack_tcp_timeout_established = 3 (a cheap
    firewall's or a cloud NAT's short idle timeout, shortened to seconds).
    The admin's ssh (OpenSSH 9.2 client, `ServerAliveInterval 0`,
    `TCPKeepAlive no`) runs a remote loop echoing lines; after a first line
    the session is idle 5 s, and the flow's conntrack entry expires.  The
    next line's segment is picked up as a new flow without SYN and rejected:
    the firewall's netfilter answers it with a RST in the server's name (TTL
    64, where the server's own packets leave the firewall with 63; no
    socket, no tcp_send_reset event).  ssh exits with "Connection reset by
    peer"; sshd still holds the session.  Captured with tcpdump -i any on the
    firewall (Linux cooked v2, snaplen 64): each forwarded packet appears
    twice (in on one interface, out on the other), the rejected segment once
    (in), the RST once (out); at this snaplen the TCP options of most
    segments are cut.
    """
    n = 10
    routed(net, n)
    srv = a4(100 + n, 1)
    d = os.path.join(WORK, f"{n}.ssh")
    os.makedirs(d, exist_ok=True)
    for f in ("host_ed25519", "id_ed25519"):
        p = os.path.join(d, f)
        if not os.path.exists(p):
            sh("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", f"{f}@holdout10", "-f", p)
    write(os.path.join(d, "authorized_keys"), open(os.path.join(d, "id_ed25519.pub")).read())
    cfg = write(os.path.join(d, "sshd_config"), SSHD_CONFIG.format(addr=srv, d=d))
    net.nft("r", """
table inet fw {
  chain forward {
    type filter hook forward priority 0; policy accept;
    ct state established,related accept
    tcp flags & (syn|ack|fin|rst) == syn ct state new accept
    meta l4proto tcp reject with tcp reset
  }
}
""")
    net.sysctl("r", "net.netfilter.nf_conntrack_tcp_timeout_established", 3)
    # sshd wants /run/sshd: a tmpfs over /run in its own mount namespace
    # (ip netns exec already gave it one, slave to the host's), nothing on the host
    net.start("s", ["sh", "-c", "mount -t tmpfs -o mode=755 tmpfs /run && mkdir -m 755 /run/sshd && "
                                f"exec /usr/sbin/sshd -D -e -f {cfg}"], "sshd", ready=(srv, 22))
    ping(net, "c", srv)
    fname = "ssh-session-idle-firewall-conntrack-expiry-rejects-router-any-snaplen64-v4.pcap"
    net.capture("r", ["any"], os.path.join(OUT, fname), snaplen=64, extra=["-y", "LINUX_SLL2"])
    c = net.start("c", ["ssh", "-T", "-i", os.path.join(d, "id_ed25519"), "-o", "StrictHostKeyChecking=no",
                        "-o", "UserKnownHostsFile=/dev/null", "-o", "BatchMode=yes",
                        "-o", "ServerAliveInterval=0", "-o", "TCPKeepAlive=no", "-o", "LogLevel=ERROR",
                        f"root@{srv}",
                        "while read l; do echo \"$(date +%T) done: $l\"; done"],
                  "ssh", stdin=subprocess.PIPE)
    c.stdin.write(b"deploy step 1: drain node\n")
    c.stdin.flush()
    wait_log(c, "done: deploy step 1", 10)
    time.sleep(5.0)
    try:
        c.stdin.write(b"deploy step 2: upgrade\n")
        c.stdin.flush()
    except BrokenPipeError:
        pass
    wait_exit(c, 10)
    time.sleep(0.3)
    net.stop_captures()
    return fname, Rules([(srv, 22)], [
        (is_server, L("idle-timeout",
                      "the firewall's conntrack forgot the idle SSH flow (established timeout 3 s; "
                      "the session was quiet 5 s); the next keystrokes were picked up as a new flow "
                      "without SYN and `reject with tcp reset` answered them in the server's name "
                      "(netfilter, no socket: TTL 64 where the server's packets come through with 63, "
                      "IP ID 0); sshd still holds the session", {None}, origin="middlebox")),
    ])


# ------------------------------------------------------------------ 11: replacement host, mid-capture, SLL

INVENTORY = r"""
import http.server, sys, time
class H(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_GET(self):
        body = b'{"item":"%s","on_hand":17,"host":"%s"}\n' % (self.path.encode(), sys.argv[2].encode())
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, fmt, *a):
        print(time.time(), fmt % a, flush=True)
class S(http.server.ThreadingHTTPServer):
    address_family = __import__("socket").AF_INET6
print("inventory listening", flush=True)
S((sys.argv[1], 8080), H).serve_forever()
"""


@scenario(11)
def vm_replaced_same_address_keepalive_request_meets_new_host_midcapture_any_sll_v6(net):
    """A VM holding a client's kept HTTP connection dies and a replacement with the same IPv6 address and service comes up: the client's next request on the old connection is reset by the new host's listener; captured at the client with tcpdump -i any -y LINUX_SLL, started mid-connection.

    Routed over IPv6: an order client [fd61:11::1] keeps one HTTP/1.1
    connection (Python http.client) to an inventory service ([fd61:111::1]:8080,
    Python's ThreadingHTTPServer) on VM 1.  After the first request the
    operator starts tcpdump on the client (the capture begins mid-connection:
    no handshake).  VM 1 then dies without a word: its link to the router is
    removed (nothing it holds ever reaches the wire again), and the
    orchestrator starts VM 2 with the same address and the same service on
    a new link.  4 s after its first request the client sends the next one
    on its kept connection; VM 2's kernel has no such connection and
    answers from the listening socket on 8080 with a reply-form RST
    (TCP_FLAGS, state LISTEN), same hop limit as VM 1's packets had.  The
    client retries on a new connection, which VM 2 serves.  Captured with
    tcpdump -i any -y LINUX_SLL (cooked v1) in the client's namespace.
    """
    n = 11
    routed(net, n)
    srv = a6(100 + n, 1)
    net.py("s", INVENTORY, "inventory-vm1", args=(srv, "vm1"), ready="inventory listening")
    ping(net, "c", srv)
    c = net.py("c", KEEPALIVE_POLLER, "client", args=(srv, "/items/sku-1042", 4.0, 8080))
    wait_log(c, "idle")
    fname = "vm-replaced-same-address-keepalive-request-meets-new-host-midcapture-any-sll-v6.pcap"
    net.capture("c", ["any"], os.path.join(OUT, fname), extra=["-y", "LINUX_SLL"])
    sh("ip", "-n", net.ns("r"), "link", "del", "rs")          # VM 1 is gone (its s0 with it)
    net.add("s2")
    net.veth("s2", "s0", "r", "rs")
    net.addr("s2", "s0", f"{srv}/64")
    net.addr("r", "rs", f"{a6(100 + n, 254)}/64")
    net.route("s2", "default", "via", a6(100 + n, 254))
    net.py("s2", INVENTORY, "inventory-vm2", args=(srv, "vm2"), ready="inventory listening")
    ping(net, "r", srv)
    wait_log(c, "done", 15)
    net.stop_captures()
    return fname, Rules([(srv, 8080)], [
        FOLLOWUP(("TCP_FLAGS", "NO_SOCKET")),
        (is_server, L("peer-lost-state",
                      "VM 1, which held the connection, died silently and VM 2 took its address with "
                      "the same service; the client's next request on the kept connection reached VM 2, "
                      "whose listener on 8080 has no such connection (TCP_FLAGS, state LISTEN): "
                      "reply-form RST, same hop limit as VM 1's packets",
                      {"TCP_FLAGS"})),
    ])


# ------------------------------------------------------------------ 12: accept queue overflow behind a long RTT

STUCK_SERVICE = r"""
import socket, sys, time
ls = socket.socket()
ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
ls.bind((sys.argv[1], 3306))
ls.listen(2)                      # the accept queue holds 3 (Linux: full when more than 2)
print("service listening; its only thread is stuck, nothing is accepted", flush=True)
time.sleep(600)
"""

POOL_WARMUP = r"""
import socket, sys, threading, time
host, n, tmo = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
lock = threading.Lock()
def say(*a):
    with lock:                    # one whole line at a time from the threads
        sys.stdout.write(" ".join(map(str, a)) + "\n")
        sys.stdout.flush()
def one(i):
    try:
        s = socket.create_connection((host, 3306), timeout=tmo)
        say(time.time(), "conn%d" % i, "connected, waiting for the greeting")
        d = s.recv(128)
        say(time.time(), "conn%d" % i, "greeting", d)
    except socket.timeout:
        say(time.time(), "conn%d" % i, "no greeting (timeout)")
    except OSError as e:
        say(time.time(), "conn%d" % i, "failed:", repr(e))
ts = [threading.Thread(target=one, args=(i,)) for i in range(n)]
for t in ts:
    t.start()
for t in ts:
    t.join()
say(time.time(), "done")
"""


@scenario(12)
def accept_queue_overflow_abort_remote_pool_burst_satellite_rtt_server_nano_v4(net):
    """A remote client's pool opens three connections at once over a 600 ms round trip to a stuck server (listen backlog 2, tcp_abort_on_overflow=1) whose accept queue already holds two: all three SYNs are answered, the handshakes' ACKs arrive together 300 ms later and two overflow the queue: RST (INVALID_SYN); captured at the server with nanosecond timestamps.

    One subnet through the user-space delay line (300 ms each way, a
    satellite or a far-away site): a remote application host 10.61.12.1 and
    a database-like service on 10.61.12.2:3306 (a few lines of Python that
    speak first, like MySQL's greeting, but whose only thread is stuck on a
    lock: it listens with backlog 2 and accepts nothing).  The service
    host's admin set net.ipv4.tcp_abort_on_overflow = 1 ("make overload
    visible to clients").  Two local health checks on the service host
    already connected and wait in the accept queue for the greeting.  The
    remote host's connection pool warms up: three connects at once.  Each
    SYN finds an accept queue that is not yet over its limit (2 of 2:
    Linux calls it full only beyond the backlog) and is answered with a
    SYN-ACK; the client's kernel completes its three handshakes 600 ms after
    the SYNs, and the pool waits for the greetings.  The three ACKs reach
    the server within a millisecond: the first takes the queue's third
    place, the other two find it full and, with tcp_abort_on_overflow, the
    listener resets them (reply-form RST, INVALID_SYN, traced with the
    listener's addresses).  Those two connections fail with ECONNRESET
    300 ms later; the third times out waiting for a greeting that never
    comes.  Captured with tcpdump --time-stamp-precision=nano on the
    service host's interface.
    """
    n = 12
    delayed(net, n, 0.3)
    srv = a4(n, 2)
    net.sysctl("s", "net.ipv4.tcp_abort_on_overflow", 1)
    net.py("s", STUCK_SERVICE, "service", args=(srv,), ready="service listening")
    local = net.py("s", POOL_WARMUP, "local-checks", args=(srv, 2, 20))
    wait_log(local, "conn1 connected")
    wait_log(local, "conn0 connected")
    ping(net, "c", srv)
    fname = "accept-queue-overflow-abort-remote-pool-burst-satellite-rtt-server-nano-v4.pcap"
    net.capture("s", ["s0"], os.path.join(OUT, fname), extra=["--time-stamp-precision=nano"])
    c = net.py("c", POOL_WARMUP, "pool", args=(srv, 3, 3))
    wait_log(c, "done", 15)
    net.stop_captures()
    return fname, Rules([(srv, 3306)], [
        (is_server, L("handshake-abort",
                      "the accept queue (listen backlog 2, the service's thread stuck, two local "
                      "checks already queued) overflowed when this handshake's ACK arrived together "
                      "with two others; with net.ipv4.tcp_abort_on_overflow = 1 the listener resets "
                      "the connection instead of dropping the ACK (INVALID_SYN), 300 ms before the "
                      "client learns of it", {"INVALID_SYN"})),
    ])


if __name__ == "__main__":
    main()
