#!/usr/bin/python3
"""Eighth blind hold-out set: real Linux TCP RST captures for rstdiag.

Theme: the network between.  Each scenario is one function (registered with
@scenario(n)) that builds its own network namespaces (prefix h8-<n>-), puts
the boxes of a path between client and server (routers with nftables and
iptables rules, conntrack with shortened timeouts, a masquerading NAT, a
transparent bridge with br_netfilter, a second router after a route change,
an MTU step with its ICMP filtered, a link that goes dark), runs real
programs across it, captures with tcpdump or dumpcap, and records the
kernel's own reason for every RST it sends from the tracepoint
tcp/tcp_send_reset.  Labels come from the scenario's design; each label
names the kernel reasons the design allows (none for a RST made by
netfilter's reject, which no socket sends), and a RST whose traced reason
is outside them fails the scenario instead of being guessed at.

Address plan of scenario n: client side 10.58.n.0/24 and fd58:n::/64,
server side 10.58.(100+n).0/24 and fd58:(100+n)::/64 (routed scenarios),
a third network 10.58.(200+n).0/24 where a scenario needs one.

usage: holdout8.py [--list] [--merge] [NAME ...]   (no NAME: every scenario)
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

holdout_harness.configure(__file__, "holdout8", "h8", "10.58", "fd58")
from holdout_harness import *  # noqa: E402,F401,F403

# holdout5's correction of the duplicate detection is the harness's own now
# (holdout_harness.match_events), which match_events_ordered calls.


def _active(e):
    """A traced event of an active reset: no triggering skb (skbaddr 0)."""
    return e is not None and "skbaddr=0000000000000000" in e["raw"]


def match_events_ordered(rsts, events, nat=None):
    """A second correction, new here: the tracepoint of an active reset
    fires after the RST is transmitted, so when the peer's answer (a
    challenge ACK) comes back and is reset within the same transmit call,
    the reply RST's event is logged before the active one's, and the
    harness pairs them the wrong way round.  A RST without ACK cannot be an
    active reset (those always carry ACK): when such a RST got an active
    event while a RST+ACK of the same tuple got a reply event, the two
    events are swapped."""
    extra = match_events(rsts, events, nat)
    for r in rsts:
        if r["dup_of"] or r["has_ack"] or not _active(r["kernel"]):
            continue
        for q in rsts:
            if q is not r and not q["dup_of"] and q["has_ack"] and q["src"] == r["src"] \
                    and q["dst"] == r["dst"] and q["kernel"] is not None and not _active(q["kernel"]):
                q["kernel"], r["kernel"] = r["kernel"], q["kernel"]
                break
    return extra


holdout_harness.match_events = match_events_ordered


def link(net, a, ia, b, ib, cidr_a, cidr_b):
    """One more veth between two namespaces, with an address on each end."""
    net.veth(a, ia, b, ib)
    net.addr(a, ia, cidr_a)
    net.addr(b, ib, cidr_b)


def ping(net, who, dst):
    fam = ["-6"] if ":" in dst else []
    net.x(who, "ping", *fam, "-c", "1", "-W", "1", dst, check=False)


# ------------------------------------------------------------------ 1: ct count on the router

SLOW_PARTS = r"""
import http.server, sys, time
class H(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_GET(self):
        time.sleep(0.8)                      # a slow origin: the parts overlap
        body = (self.path.encode() + b"\n") * 200
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, fmt, *a):
        print(time.time(), self.client_address, fmt % a, flush=True)
print("listening", flush=True)
http.server.ThreadingHTTPServer((sys.argv[1], 8000), H).serve_forever()
"""


@scenario(1)
def nft_ct_count_router_refuses_fourth_parallel_connection_v4(net):
    """curl --parallel opens four connections to one mirror through a router that allows three per client (nftables `ct count over 3` in a dynamic set): the fourth SYN is refused by the router in the server's name (captured at the client).

    Routed: a build host 10.58.1.1 fetches four parts of an artifact from a
    mirror (Python's http.server, 0.8 s per answer, so the transfers
    overlap) on 10.58.101.1:8000 with Debian's curl 7.88, `--parallel
    --parallel-immediate --parallel-max 4` (HTTP/1.1: one connection per
    transfer).  The router limits concurrent connections per client
    address, the way an edge or a shared proxy does against download
    managers: `tcp dport 8000 ct state new add @perclient { ip saddr ct
    count over 3 } reject with tcp reset`.  Three handshakes pass; the
    fourth SYN is answered by the router's netfilter with RST+ACK in the
    mirror's name (TTL 64 where the mirror's own packets arrive with 63, IP
    ID 0; no socket, no tcp_send_reset event), and curl reports
    error 7, "Couldn't connect to server", for that part while the other
    three complete.
    Captured with tcpdump at the build host.
    """
    n = 1
    routed(net, n)
    srv = a4(100 + n, 1)
    net.nft("r", """
table ip limits {
  set perclient {
    type ipv4_addr
    size 65535
    flags dynamic
  }
  chain forward {
    type filter hook forward priority 0; policy accept;
    iifname "rc" tcp dport 8000 ct state new add @perclient { ip saddr ct count over 3 } counter reject with tcp reset
  }
}
""")
    net.py("s", SLOW_PARTS, "mirror", args=(srv,), ready=(srv, 8000))
    ping(net, "c", srv)
    fname = "nft-ct-count-router-refuses-fourth-parallel-connection-v4.pcap"
    net.capture("c", ["c0"], os.path.join(OUT, fname))
    urls = [f"http://{srv}:8000/artifacts/app-2.4.1.tar.part{i}" for i in range(1, 5)]
    cu = net.start("c", ["curl", "-sS", "--no-progress-meter", "--parallel", "--parallel-immediate", "--parallel-max", "4",
                         "-w", "%{url} %{http_code} %{errormsg}\\n"]
                   + sum([[u, "-o", "/dev/null"] for u in urls], []), "curl")
    wait_exit(cu, 15)
    net.stop_captures()
    return fname, Rules([(srv, 8000)], [
        (is_server, L("closed-port",
                      "the router's per-client connection limit (nftables ct count over 3) rejected "
                      "the fourth concurrent SYN with a RST+ACK in the mirror's name (netfilter, no "
                      "socket: TTL 64 against the mirror's 63, IP ID 0); the port is open, the other "
                      "three connections were served", {None}, origin="middlebox")),
    ])


# ------------------------------------------------------------------ 2: hashlimit on the server host

@scenario(2)
def ip6tables_hashlimit_syn_rate_host_rejects_health_checks_dumpcap_v6(net):
    """A burst of health checks over IPv6 against a host whose ip6tables limits new connections per source (hashlimit, 2/s, burst 3): the checks over the limit are refused by the server's own firewall, indistinguishable from a closed port (dumpcap at the server, pcapng).

    One link: a monitoring host [fd58:2::1] and a service host [fd58:2::2]
    running `python3 -m http.server 8080`.  The service host's firewall
    (Debian's ip6tables, the nft-based variant, with the xt hashlimit match)
    has `-p tcp --dport 8080 --syn -m hashlimit --hashlimit-name synrate
    --hashlimit-mode srcip --hashlimit-above 2/second --hashlimit-burst 3 -j
    REJECT --reject-with tcp-reset`, an anti-abuse rule from a hardening
    guide.  A freshly deployed monitor fires six checks (`curl -s -o
    /dev/null -w %{http_code}`) 0.1 s apart.  The first three use the
    burst; the next ones are over the rate and their SYNs are answered by
    the host's netfilter with RST+ACK (hop limit 64 and the host's own
    address, exactly as the kernel would answer a closed port; no socket,
    no tcp_send_reset event) until the bucket refills (one token per 0.5
    s).  curl reports 000 for those.  Captured with dumpcap on the service
    host's interface.
    """
    n = 2
    direct(net, n)
    srv = a6(n, 2)
    net.x("s", "ip6tables", "-A", "INPUT", "-p", "tcp", "--dport", "8080", "--syn", "-m", "hashlimit",
          "--hashlimit-name", "synrate", "--hashlimit-mode", "srcip", "--hashlimit-above", "2/second",
          "--hashlimit-burst", "3", "-j", "REJECT", "--reject-with", "tcp-reset")
    d = os.path.join(WORK, f"{n}.www")
    os.makedirs(d, exist_ok=True)
    write(os.path.join(d, "index.html"), "<html><body>ok</body></html>\n")
    net.start("s", ["python3", "-m", "http.server", "--bind", srv, "--directory", d, "8080"], "http",
              ready=(srv, 8080))
    ping(net, "c", srv)
    fname = "ip6tables-hashlimit-syn-rate-host-rejects-health-checks-v6.pcapng"
    net.capture("s", ["s0"], os.path.join(OUT, fname), tool="dumpcap")
    chk = net.start("c", ["sh", "-c", f"for i in 1 2 3 4 5 6; do curl -s -o /dev/null -m 2 "
                                      f"-w \"check $i %{{http_code}}\\n\" http://[{srv}]:8080/; "
                                      f"sleep 0.1; done"], "checks")
    wait_exit(chk, 20)
    net.stop_captures()
    return fname, Rules([(srv, 8080)], [
        (is_server, L("closed-port",
                      "the service host's own firewall (ip6tables hashlimit: over 2 new connections "
                      "per second per source, burst 3) refused this SYN with a RST+ACK (netfilter, no "
                      "socket, hop limit 64 as the host's own packets); the service listens and "
                      "answered the checks within the rate", {None})),
    ])


# ------------------------------------------------------------------ 3: route change, asymmetric return

FEED_SERVER = r"""
import socket, sys, threading, time
ls = socket.socket()
ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
ls.bind((sys.argv[1], 7000))
ls.listen(8)
print("feed listening", flush=True)
c, peer = ls.accept()
req = c.recv(1024)
print(time.time(), "subscribe", peer, req, flush=True)
c.sendall(b"EURUSD 1.0841 1.0843\r\n")
time.sleep(float(sys.argv[2]))           # a quiet market: the next quote comes later
try:
    c.sendall(b"EURUSD 1.0839 1.0842\r\n")
    print(time.time(), "quote sent", flush=True)
    d = c.recv(1024)
    print(time.time(), "recv", d, flush=True)
except OSError as e:
    print(time.time(), "feed connection failed:", repr(e), flush=True)
time.sleep(30)
"""

FEED_CLIENT = r"""
import socket, sys, time
s = socket.create_connection((sys.argv[1], 7000))
s.setsockopt(socket.IPPROTO_TCP, socket.TCP_USER_TIMEOUT, 300)   # fail fast on a dead feed
s.sendall(b"SUB EURUSD\r\n")
print(time.time(), "got", s.recv(1024), flush=True)
s.settimeout(float(sys.argv[2]))
try:
    print(time.time(), "got", s.recv(1024), flush=True)
except socket.timeout:
    print(time.time(), "no quote for a while: heartbeat", flush=True)
s.sendall(b"PING\r\n")
print(time.time(), "ping sent", flush=True)
try:
    print(time.time(), "got", s.recv(1024), flush=True)
except OSError as e:
    print(time.time(), "feed dead:", repr(e), flush=True)
time.sleep(30)
"""


@scenario(3)
def route_change_return_path_via_stateful_router_oneway_v4(net):
    """A route change mid-connection sends the server's return traffic through a second router whose stateful firewall has never seen the flow: it resets the server in the client's name, and the server's kernel then answers the client's heartbeat; captured on the new router only (one direction of the flow, no handshake).

    Routed: a trading client 10.58.3.1 subscribes to a quote feed (a few
    lines of Python) on 10.58.103.1:7000 through router r1.  The server
    also has a second link to router r2 (10.58.203.0/25), which reaches the
    client's network through r1.  r2 runs the usual edge rules: `ct state
    established,related accept; ct state new` with a SYN only `accept`;
    everything else `reject with tcp reset`.  After the first quote, while
    the connection is quiet, an operator (or a routing daemon) adds a more
    specific route on the server: 10.58.3.0/24 via r2.  The server's next
    quote (at 2 s) leaves by r2; r2's conntrack picks it up mid-stream as a
    new flow that is not a SYN, and rejects it: a RST to the server with
    the client's address (seq = the quote's ack, so exact), made by r2's
    netfilter (TTL 64, IP ID 0; no socket, no tcp_send_reset event).  The
    server's connection is gone (its application sees ECONNRESET).  At 3 s
    the client, still connected as far as it knows, sends a heartbeat `PING`
    by r1; the server's kernel, whose feed still listens, answers with a
    RST (TCP_FLAGS, state LISTEN) that goes out by r2, and again for each of
    the client's retransmissions; r2 drops those (nothing rejects a
    RST), so the client never learns from them: its TCP_USER_TIMEOUT
    (300 ms, set to fail fast on a dead feed) ends the connection silently
    (ETIMEDOUT).  Captured with tcpdump on r2's server-side link: only the
    server's side of the flow passes there (and r2's own RST toward the
    server).
    """
    n = 3
    routed(net, n, router="r1")
    net.add("r2")
    srv, cli = a4(100 + n, 1), a4(n, 1)
    link(net, "s", "s1", "r2", "r2s", f"{V4}.{200 + n}.1/25", f"{V4}.{200 + n}.126/25")
    link(net, "r2", "r2r", "r1", "r1x", f"{V4}.{200 + n}.130/25", f"{V4}.{200 + n}.129/25")
    net.route("r2", f"{V4}.{n}.0/24", "via", f"{V4}.{200 + n}.129")
    net.route("r2", f"{V4}.{100 + n}.0/24", "via", f"{V4}.{200 + n}.1")
    net.sysctl("r2", "net.ipv4.ip_forward", 1)
    for who in ("r1", "r2"):
        for k in ("all", "default"):
            net.sysctl(who, f"net.ipv4.conf.{k}.rp_filter", 0)
    net.nft("r2", """
table inet edge {
  chain through {
    type filter hook forward priority 0; policy accept;
    ct state established,related accept
    ct state new tcp flags & (syn|ack|fin|rst) == syn accept
    meta l4proto tcp reject with tcp reset
  }
}
""")
    net.py("s", FEED_SERVER, "feed", args=(srv, 2.0), ready="feed listening")
    ping(net, "c", srv)
    ping(net, "s", f"{V4}.{200 + n}.126")
    fname = "route-change-return-path-via-stateful-router-oneway-v4.pcap"
    net.capture("r2", ["r2s"], os.path.join(OUT, fname))
    c = net.py("c", FEED_CLIENT, "client", args=(srv, 3.0))
    wait_log(c, "got")
    time.sleep(1.0)
    net.x("s", "ip", "route", "add", f"{V4}.{n}.0/24", "via", f"{V4}.{200 + n}.126", "dev", "s1")
    wait_log(c, "feed dead", 10)
    time.sleep(0.3)
    net.stop_captures()
    return fname, Rules([(srv, 7000)], [
        FOLLOWUP(("TCP_FLAGS",), why="the server's socket was already reset by r2; its kernel, "
                 "whose feed still listens on 7000, answers the client's heartbeat (or its "
                 "retransmission) from the listener (TCP_FLAGS, state LISTEN), and r2 drops that RST"),
        (is_client, L("injected",
                      "r2 never saw the flow's handshake (the server's return route moved to it "
                      "mid-connection, while the feed was quiet); its conntrack picked up the quote "
                      "as a new flow without SYN and `reject with tcp reset` answered it in the "
                      "client's name (netfilter, no socket: TTL 64 and IP ID 0, where the client's "
                      "packets never pass this router). Not an idle expiry: the state was never there; "
                      "but the wire (first segment after 2 s of quiet, answered by a box in the "
                      "client's name) is idle-timeout's signature too",
                      {None}, origin="middlebox", alternatives=["idle-timeout"])),
    ])


# ------------------------------------------------------------------ 4: link outage, tcp_retries2

TICKER = r"""
import socket, sys, threading, time
ls = socket.socket(socket.AF_INET6)
ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
ls.bind((sys.argv[1], 5556))
ls.listen(8)
print("ticker listening", flush=True)
c, peer = ls.accept()
print(time.time(), "subscriber", peer, flush=True)
def reader():
    try:
        while True:
            d = c.recv(1024)
            if not d:
                print(time.time(), "subscriber closed", flush=True)
                return
    except OSError as e:
        print(time.time(), "recv failed:", repr(e), flush=True)
threading.Thread(target=reader, daemon=True).start()
i = 0
try:
    while True:
        i += 1
        c.sendall(b"tick %d line=3 state=running\n" % i)
        time.sleep(0.5)
except OSError as e:
    print(time.time(), "send failed:", repr(e), flush=True)
"""

TICK_CLIENT = r"""
import socket, sys, threading, time
s = socket.create_connection((sys.argv[1], 5556))
print(time.time(), "connected", flush=True)
def hb():
    try:
        while True:
            time.sleep(1.0)
            s.sendall(b"HB\n")
    except OSError as e:
        print(time.time(), "heartbeat failed:", repr(e), flush=True)
threading.Thread(target=hb, daemon=True).start()
try:
    while True:
        d = s.recv(4096)
        if not d:
            print(time.time(), "eof", flush=True)
            break
        print(time.time(), "got", d, flush=True)
except OSError as e:
    print(time.time(), "connection dead:", repr(e), "- closing", flush=True)
s.close()
time.sleep(30)
"""


@scenario(4)
def link_outage_tcp_retries2_client_gives_up_server_retransmit_nosocket_router_two_ifaces_v6(net):
    """A 5 s forwarding outage on the router: the client, with net.ipv4.tcp_retries2 = 3, gives up on its unacknowledged heartbeat silently; when the path comes back the server's retransmitted tick meets no socket; IPv6, dumpcap on both router interfaces (pcapng; the client's RST is seen on both).

    Routed over IPv6: a line-status ticker (a few lines of Python) on
    [fd58:104::1]:5556 pushes a status line every 0.5 s to a panel client
    [fd58:4::1], which sends a heartbeat `HB` every second.  The panel's
    host has net.ipv4.tcp_retries2 = 3 (it applies to IPv6 too), set so
    that a dead connection is noticed in seconds rather than the default
    15 minutes.  1.2 s after the subscription the router stops forwarding
    for 5 s (a flapping uplink, made with an nftables forward `drop`
    table, then deleted).  The panel's next heartbeat is retransmitted
    with backoff (five times, the last 3.3 s after the first), and so are
    the ticker's lines.  Forwarding resumes; the ticker's next
    retransmission (about 7 s after its first lost line) gets through and
    the panel's kernel acknowledges it and the backlog of lines that
    follows, but the panel's own heartbeat has not been retransmitted
    since the outage, and when its retransmission timer fires next, 0.6 s
    later, the time allowed by tcp_retries2 is spent: the kernel gives up,
    the socket dies with ETIMEDOUT and no segment (Linux sends no RST for a
    retransmission give-up), and the panel closes it.  The ticker's next
    line, a few ms later, meets no socket: RST (NO_SOCKET).  (The exact
    order of give-up and path recovery depends on the timers; either way
    the RST answers a ticker segment that found no socket.)  Captured with
    dumpcap on the router's two links (rc, rs): both sides'
    retransmissions are visible (they were dropped after the capture
    point), and the panel's RST appears twice, entering by rc and leaving
    by rs.
    """
    n = 4
    routed(net, n)
    srv, cli = a6(100 + n, 1), a6(n, 1)
    net.sysctl("c", "net.ipv4.tcp_retries2", 3)
    net.py("s", TICKER, "ticker", args=(srv,), ready="ticker listening")
    ping(net, "c", srv)
    fname = "link-outage-tcp-retries2-client-gives-up-router-two-ifaces-v6.pcapng"
    net.capture("r", ["rc", "rs"], os.path.join(OUT, fname), tool="dumpcap")
    c = net.py("c", TICK_CLIENT, "panel", args=(srv,))
    wait_log(c, "connected")
    time.sleep(1.2)
    net.nft("r", "table inet flap {\n chain forward {\n type filter hook forward priority -10;\n"
                 " counter drop\n }\n}\n")
    time.sleep(5.0)
    net.x("r", "nft", "delete", "table", "inet", "flap")
    wait_log(c, "connection dead", 10)
    deadline = time.time() + 8
    while time.time() < deadline:
        p = net.x("c", "nstat", "-az", "TcpOutRsts", check=False).stdout
        if any(l.startswith("TcpOutRsts") and int(l.split()[1]) > 0 for l in p.splitlines()):
            break
        time.sleep(0.2)
    time.sleep(0.3)
    net.stop_captures()
    return fname, Rules([(srv, 5556)], [
        FOLLOWUP(("NO_SOCKET",)),
        (is_client, L("peer-lost-state",
                      "the panel's kernel gave up on the heartbeat left unacknowledged by the outage "
                      "(tcp_retries2 = 3: silently, no RST) and its application closed the dead "
                      "socket; the ticker's next segment met no socket (NO_SOCKET). retransmit-timeout is the runner-up: the panel's heartbeat "
                      "retransmitted without answer, then a RST from the panel, is that cause's "
                      "signature for stacks that do send a RST when they give up",
                      {"NO_SOCKET"}, alternatives=["retransmit-timeout"])),
    ])


# ------------------------------------------------------------------ 5: SYN flood backscatter

SYN_FLOOD = r"""
import random, socket, struct, sys, time
dst = sys.argv[1]
dport = int(sys.argv[2])
def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    s = (s >> 16) + (s & 0xffff)
    s += s >> 16
    return ~s & 0xffff
def syn(src, sport):
    seq = random.getrandbits(32)
    opts = struct.pack("!BBH", 2, 4, 1460)            # MSS only, as flood tools send
    tcp = struct.pack("!HHIIBBHHH", sport, dport, seq, 0, (5 + 1) << 4, 0x02, 64240, 0, 0) + opts
    ph = socket.inet_aton(src) + socket.inet_aton(dst) + struct.pack("!BBH", 0, 6, len(tcp))
    tcp = tcp[:16] + struct.pack("!H", csum(ph + tcp)) + tcp[18:]
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp), random.getrandbits(16), 0, 64, 6, 0,
                     socket.inet_aton(src), socket.inet_aton(dst))
    return ip + tcp
s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
plan = [a.split(":") for a in sys.argv[3:]]          # src:sport:delay
for src, sport, delay in plan:
    s.sendto(syn(src, int(sport)), (dst, 0))
    print(time.time(), "spoofed SYN from", src, sport, flush=True)
    time.sleep(float(delay))
print("flood done", flush=True)
"""


@scenario(5)
def syn_flood_spoofed_sources_bystander_backscatter_syncookies_snaplen80_v4(net):
    """A small SYN flood with spoofed sources against a web server with a tiny backlog: syncookies keep the real client working, and the host whose address was spoofed answers the server's unasked-for SYN-ACKs with RSTs (backscatter), captured at the server with snaplen 80.

    A client LAN 10.58.5.0/24 (a Linux bridge in the router) holds a real
    client (.1), a workstation that happens to own 10.58.5.7 (nothing
    listens there, it just has the address), and a compromised host (.66)
    that floods.  The router forwards to a web server (Python's
    http.server with request_queue_size 2, so listen backlog 2) on
    10.58.105.1:8080 with the default net.ipv4.tcp_syncookies = 1.  The
    flooder sends raw SYNs (IP_HDRINCL, MSS option only) first four from
    three unused addresses of the LAN (10.58.5.97-.99: nobody answers ARP,
    so the server's SYN-ACKs die at the router and the half-open entries
    fill the SYN queue: the first three are queued and their SYN-ACKs
    retransmitted at 1 s), then three with the workstation's address.  From
    the fourth SYN on the listener's queue is full and the server answers
    with syncookie SYN-ACKs (no entry kept, no retransmission).  The workstation's kernel never sent those SYNs and has no
    socket for them: it answers each SYN-ACK with a reply-form RST
    (NO_SOCKET).  Meanwhile curl on the real client fetches / and gets
    its answer through a syncookie handshake.  Captured with tcpdump on the
    server's interface, snaplen 80.
    """
    n = 5
    net.add("c", "b", "x", "r", "s")
    sh("ip", "-n", net.ns("r"), "link", "add", "br0", "type", "bridge")
    sh("ip", "-n", net.ns("r"), "link", "set", "br0", "up")
    net.addr("r", "br0", f"{V4}.{n}.254/24")
    for who, dev, port, h in (("c", "c0", "rc", 1), ("b", "b0", "rb", 7), ("x", "x0", "rx", 66)):
        net.veth(who, dev, "r", port)
        sh("ip", "-n", net.ns("r"), "link", "set", port, "master", "br0")
        net.addr(who, dev, f"{V4}.{n}.{h}/24")
        net.route(who, "default", "via", f"{V4}.{n}.254")
    link(net, "s", "s0", "r", "rs", f"{V4}.{100 + n}.1/24", f"{V4}.{100 + n}.254/24")
    net.route("s", "default", "via", f"{V4}.{100 + n}.254")
    net.sysctl("r", "net.ipv4.ip_forward", 1)
    net.sysctl("s", "net.ipv4.tcp_syncookies", 1)
    net.sysctl("s", "net.ipv4.tcp_synack_retries", 3)
    srv = a4(100 + n, 1)
    bystander = a4(n, 7)
    net.py("s", f"""
import http.server
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = b"<html><body>status: ok</body></html>\\n"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
class S(http.server.ThreadingHTTPServer):
    request_queue_size = 2
print("listening", flush=True)
S(("{srv}", 8080), H).serve_forever()
""", "web", ready=(srv, 8080))
    ping(net, "c", srv)
    ping(net, "b", srv)
    fname = "syn-flood-spoofed-sources-bystander-backscatter-syncookies-snaplen80-v4.pcap"
    net.capture("s", ["s0"], os.path.join(OUT, fname), snaplen=80)
    plan = [f"{a4(n, 97)}:31337:0.01", f"{a4(n, 98)}:31338:0.01", f"{a4(n, 99)}:31339:0.01",
            f"{a4(n, 99)}:31340:0.05",
            f"{bystander}:41001:0.05", f"{bystander}:41002:0.05", f"{bystander}:41003:0.3"]
    fl = net.py("x", SYN_FLOOD, "flood", args=(srv, 8080, *plan))
    wait_log(fl, "spoofed SYN from " + bystander, 10)
    time.sleep(0.05)
    cu = net.start("c", ["curl", "-sS", "-m", "5", "-o", "/dev/null", "-w", "%{http_code}\\n",
                         f"http://{srv}:8080/"], "curl")
    wait_exit(cu, 10)
    wait_log(fl, "flood done", 10)
    time.sleep(0.3)
    net.stop_captures()
    return fname, Rules([(srv, 8080)], [
        (lambda r: r["src"][0] == bystander,
         L("handshake-abort",
           "a SYN-ACK nobody asked for: the SYN carried the workstation's address but came from the "
           "flooder; the workstation's kernel has no socket for the server's (syncookie) SYN-ACK and "
           "resets it (NO_SOCKET). connect-timeout is the runner-up: the wire (SYN, SYN-ACK, RST from "
           "the SYN's source address, NO_SOCKET) is its signature but for the prompt SYN-ACK; only "
           "the spoofing, invisible here, says nobody had asked",
           {"NO_SOCKET"}, alternatives=["connect-timeout"])),
    ])


# ------------------------------------------------------------------ 6: transparent bridge firewall, SPAN

RESP_CLIENT = r"""
import socket, sys, time
srv = sys.argv[1]
def cmd(s, *args):
    out = b"*%d\r\n" % len(args) + b"".join(b"$%d\r\n%s\r\n" % (len(a), a) for a in args)
    s.sendall(out)
    return s.recv(4096)
s = socket.create_connection((srv, 6379), timeout=3)
print(time.time(), "connected", flush=True)
print(time.time(), cmd(s, b"SET", b"session:4711", b"user=alice;cart=3"), flush=True)
print(time.time(), cmd(s, b"GET", b"session:4711"), flush=True)
print("idle", flush=True)
time.sleep(float(sys.argv[2]))
try:
    print(time.time(), cmd(s, b"GET", b"session:4711"), flush=True)
except OSError as e:
    print(time.time(), "session store failed:", repr(e), "- reconnecting", flush=True)
    s.close()
    time.sleep(0.3)
    try:
        s = socket.create_connection((srv, 6379), timeout=3)
        print(time.time(), "reconnected", flush=True)
    except OSError as e:
        print(time.time(), "reconnect failed:", repr(e), flush=True)
print("done", flush=True)
"""


@scenario(6)
def bridge_firewall_rule_cuts_redis_session_span_doubled_pcapng(net):
    """A transparent bridge firewall (br_netfilter) gets a new reject rule while an application holds a Redis connection through it: its next command is reset in the server's name with the server's own TTL, and the reconnect is refused; captured from a SPAN port (nftables netdev dup of both bridge ports, ingress and egress) that shows every forwarded packet twice, dumpcap pcapng.

    One LAN, 10.58.6.0/24, split by a bridging firewall (a Linux bridge with
    net.bridge.bridge-nf-call-iptables = 1, so bridged IPv4 passes the ip
    family's forward hook): an application server 10.58.6.1 on one side,
    Debian's redis-server on 10.58.6.2:6379 on the other.  The application
    (a small RESP client) sets and reads a session key, then idles 2 s.
    Meanwhile the security team inserts `ip daddr 10.58.6.2 tcp dport 6379
    reject with tcp reset` at the top of the bridge's forward chain (the
    Redis port is to be closed to that segment; the rule catches established
    flows too).  The application's next GET is rejected: netfilter sends a
    RST to the client in the server's name (IP ID 0; TTL 64, the same as
    the server's own packets, since a bridge is no hop; no socket, no
    tcp_send_reset event).  Redis never saw the GET and still holds the
    connection.  The application reconnects 0.3 s later: its SYN is
    rejected too (RST+ACK).  The bridge's netdev table mirrors both ports'
    ingress and egress to a SPAN port (`dup to "span"`), captured there with
    dumpcap: every packet that crosses the bridge appears twice (once
    entering one port, once leaving the other), the rejected GET and SYN
    once (they never left the bridge), and the bridge's own RSTs once.
    """
    n = 6
    net.add("c", "fw", "s", "m")
    sh("ip", "-n", net.ns("fw"), "link", "add", "br0", "type", "bridge")
    sh("ip", "-n", net.ns("fw"), "link", "set", "br0", "up")
    for who, dev, port, h in (("c", "c0", "fc", 1), ("s", "s0", "fs", 2)):
        net.veth(who, dev, "fw", port)
        sh("ip", "-n", net.ns("fw"), "link", "set", port, "master", "br0")
        net.addr(who, dev, f"{V4}.{n}.{h}/24")
    net.addr("fw", "br0", f"{V4}.{n}.254/24")      # the bridge's management address
    net.veth("fw", "span", "m", "m0")
    net.sysctl("fw", "net.bridge.bridge-nf-call-iptables", 1)
    net.nft("fw", """
table netdev span {
  chain in_fc { type filter hook ingress device "fc" priority 0; dup to "span"; }
  chain in_fs { type filter hook ingress device "fs" priority 0; dup to "span"; }
  chain out_fc { type filter hook egress device "fc" priority 0; dup to "span"; }
  chain out_fs { type filter hook egress device "fs" priority 0; dup to "span"; }
}
table ip lanfw {
  chain forward {
    type filter hook forward priority 0; policy accept;
    ct state established,related counter accept
    counter accept
  }
}
""")
    srv = a4(n, 2)
    d = os.path.join(WORK, f"{n}.redis")
    os.makedirs(d, exist_ok=True)
    net.start("s", ["redis-server", "--bind", srv, "--port", "6379", "--save", "", "--appendonly", "no",
                    "--protected-mode", "no", "--dir", d], "redis", ready=(srv, 6379))
    ping(net, "c", srv)
    fname = "bridge-firewall-rule-cuts-redis-session-span-doubled.pcapng"
    net.capture("m", ["m0"], os.path.join(OUT, fname), tool="dumpcap")
    c = net.py("c", RESP_CLIENT, "app", args=(srv, 2.0))
    wait_log(c, "idle")
    time.sleep(1.0)
    net.x("fw", "nft", "insert", "rule", "ip", "lanfw", "forward",
          "ip", "daddr", srv, "tcp", "dport", "6379", "reject", "with", "tcp", "reset")
    wait_log(c, "done", 10)
    net.stop_captures()
    return fname, Rules([(srv, 6379)], [
        (lambda r: not r["prior"] and r["has_ack"] and r["seq"] == 0,
         L("closed-port", "the reconnect's SYN is rejected by the bridge firewall's new rule in the "
                          "server's name (netfilter reject: RST+ACK, IP ID 0, TTL 64 as the server's "
                          "own; no socket)", {None}, origin="middlebox")),
        (lambda r: not r["prior"],
         L("injected", "the bridge firewall's new rule rejected the application's GET on an "
                       "established connection and answered in the server's name (no socket: "
                       "IP ID 0, and TTL 64 like the server's since a bridge is no hop); Redis never "
                       "saw the GET and keeps its side open. The wire alone (a reply-form RST in the "
                       "server's name with the server's TTL, answering the first request after 2 s "
                       "of quiet) is peer-lost-state's too; only the missing second copy of the GET "
                       "in this SPAN capture says it never left the bridge",
           {None}, origin="middlebox", alternatives=["peer-lost-state"])),
    ])


# ------------------------------------------------------------------ 7: conntrack CLOSE_WAIT timeout

REPORT_SERVER = r"""
import socket, sys, time
ls = socket.socket()
ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
ls.bind((sys.argv[1], 9100))
ls.listen(8)
print("report server listening", flush=True)
c, peer = ls.accept()
req = b""
while True:                      # the request ends with the client's FIN (EOF)
    d = c.recv(4096)
    if not d:
        break
    req += d
print(time.time(), "request from", peer, req, "- building the report", flush=True)
time.sleep(float(sys.argv[2]))
rows = "".join(f"2026-11-{d:02d},{1000 + 37 * d},{d * 3.5:.2f}\n" for d in range(1, 31))
try:
    c.sendall(("month,orders,revenue_k\n" + rows).encode())
    print(time.time(), "report sent", flush=True)
    time.sleep(0.3)
    c.sendall(b"# end of report\n")
    print(time.time(), "trailer sent", flush=True)
except OSError as e:
    print(time.time(), "send failed:", repr(e), flush=True)
c.close()
"""


@scenario(7)
def conntrack_close_wait_timeout_half_closed_report_nat_v4(net):
    """A masquerading router's conntrack forgets a half-closed connection after its short CLOSE_WAIT timeout while the server builds a slow report; the report arrives at the router's own address and its kernel resets it (captured at the server, snaplen 128).

    Routed: a batch client 10.58.7.1 behind a NAT router (nftables
    `masquerade` on the server side, 10.58.107.254) asks a report service (a
    few lines of Python) on 10.58.107.1:9100 for November's figures, in the
    style of `printf ... | nc -N`: it writes the request and shuts its side
    down (FIN), which is how this protocol marks the end of the request.
    The server reads to EOF and spends 3 s building the report.  On the
    router, conntrack moved the flow to CLOSE_WAIT when the server
    acknowledged the client's FIN, and the operator had shortened
    net.netfilter.nf_conntrack_tcp_timeout_close_wait from 60 s to 1 s
    (half-closed flows are "finished" flows, thought to need little time).
    After 1 s the entry, and with it the NAT mapping, is gone.  The report
    reaches the router addressed to the router's own 10.58.107.254 and the
    mapped port; no mapping takes it back, so it is delivered locally, and
    the router's kernel, with no socket there, answers with a reply-form
    RST (NO_SOCKET, traced in the router's namespace; TTL 64 where the
    client's masqueraded packets arrive with 63).  The server's send of
    its trailer fails.  Captured at the server with tcpdump, snaplen 128.
    """
    n = 7
    routed(net, n)
    srv, rtr = a4(100 + n, 1), a4(100 + n, 254)
    net.nft("r", """
table ip nat {
  chain post {
    type nat hook postrouting priority srcnat; policy accept;
    oifname "rs" masquerade
  }
}
""")
    net.sysctl("r", "net.netfilter.nf_conntrack_tcp_timeout_close_wait", 1)
    net.py("s", REPORT_SERVER, "report", args=(srv, 3.0), ready="report server listening")
    ping(net, "c", srv)
    fname = "conntrack-close-wait-timeout-half-closed-report-nat-snaplen128-v4.pcap"
    net.capture("s", ["s0"], os.path.join(OUT, fname), snaplen=128)
    c = net.py("c", f"""
import socket, time
s = socket.create_connection(("{srv}", 9100))
s.sendall(b"REPORT orders month=2026-11 format=csv\\n")
s.shutdown(socket.SHUT_WR)
print(time.time(), "request sent, write side shut down", flush=True)
s.settimeout(6)
try:
    while True:
        d = s.recv(65536)
        print(time.time(), "got", len(d), flush=True)
        if not d:
            break
except OSError as e:
    print(time.time(), "gave up waiting:", repr(e), flush=True)
""", "client")
    wait_log(c, "gave up", 12)
    net.stop_captures()
    return fname, Rules([(srv, 9100)], [
        FOLLOWUP(("NO_SOCKET",), why="the router's kernel answers the server's next segment too"),
        (lambda r: r["src"][0] == rtr,
         L("idle-timeout",
           "the NAT router's conntrack dropped the half-closed flow 1 s after the server acknowledged "
           "the client's FIN (nf_conntrack_tcp_timeout_close_wait = 1); the server's report, 3 s "
           "later, reached the router's own address with no mapping back and the router's kernel "
           "answered it (NO_SOCKET in the router's namespace; TTL 64 against the client's 63)",
           {"NO_SOCKET"}, origin="middlebox")),
    ])


# ------------------------------------------------------------------ 8: PMTU black hole on an upload

@scenario(8)
def pmtu_blackhole_upload_frag_needed_filtered_client_aborts_any_snaplen128_v4(net):
    """An IPv4 path-MTU black hole on an upload: the router's 1400-byte link needs smaller packets and its firewall drops its own ICMP fragmentation-needed, so the client's full-sized segments never arrive; the uploader gives up and aborts, and a challenge ACK draws a second RST (tcpdump -i any at the client, snaplen 128).

    Routed: an uploader 10.58.8.1 and an ingest server (Python's
    http.server reading a POST body) on 10.58.108.1:8080, both with MTU
    1500 (MSS 1460 each way).  The router's link toward the server is a
    1400-byte link (rs MTU 1400, a tunnel or a provider's link), and its
    nftables output chain drops `icmp type destination-unreachable icmp code
    frag-needed`, so the "fragmentation needed" that would shrink the
    client's path MTU never leaves the router.  The client sends its
    request headers (a small segment: it arrives and is acknowledged), then
    a 48 KB body in full-sized DF segments that the router cannot forward;
    the client's kernel retransmits the first of them with backoff
    (net.ipv4.tcp_mtu_probing stays at its default 0: no black-hole
    detection).  After 3 s without an answer the uploader gives up and
    aborts (SO_LINGER 0, as HTTP clients abort a timed-out request): RST+ACK
    (TCP_STATE) with seq = its next sequence number, the 16 KB it had sent
    beyond what the server has.  The RST is small and gets through, but its sequence number
    is in the server's window and not exact, so the server (RFC 5961)
    answers with a challenge ACK; the client has no socket any more and
    answers that with an exact reply-form RST (NO_SOCKET), which ends the
    server's side.  Captured with tcpdump -i any in the client's namespace
    (Linux cooked v2), snaplen 128.
    """
    n = 8
    routed(net, n)
    srv = a4(100 + n, 1)
    sh("ip", "-n", net.ns("r"), "link", "set", "rs", "mtu", "1400")
    net.nft("r", "table ip f {\n chain output {\n type filter hook output priority 0;\n"
                 " icmp type destination-unreachable icmp code frag-needed counter drop\n }\n}\n")
    for who, dev in (("c", "c0"), ("s", "s0")):
        net.x(who, "ethtool", "-K", dev, "tso", "off", "gso", "off", "gro", "off", check=False)
    for dev in ("rc", "rs"):
        net.x("r", "ethtool", "-K", dev, "tso", "off", "gso", "off", "gro", "off", check=False)
    net.py("s", f"""
import http.server, time
class H(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_POST(self):
        n = int(self.headers["Content-Length"])
        print(time.time(), "POST", self.path, n, "bytes announced", flush=True)
        body = self.rfile.read(n)
        print(time.time(), "got", len(body), flush=True)
        self.send_response(201)
        self.send_header("Content-Length", "0")
        self.end_headers()
print("listening", flush=True)
http.server.ThreadingHTTPServer(("{srv}", 8080), H).serve_forever()
""", "ingest", ready=(srv, 8080))
    ping(net, "c", srv)
    fname = "pmtu-blackhole-upload-frag-needed-filtered-client-aborts-any-snaplen128-v4.pcap"
    net.capture("c", ["any"], os.path.join(OUT, fname), snaplen=128)
    c = net.py("c", f"""
import os, socket, struct, time
body = os.urandom(49152)
s = socket.create_connection(("{srv}", 8080))
s.sendall(b"POST /v1/ingest/batch-20261207-0042 HTTP/1.1\\r\\nHost: ingest.lab.test:8080\\r\\n"
          b"Content-Type: application/octet-stream\\r\\nContent-Length: %d\\r\\n\\r\\n" % len(body))
time.sleep(0.1)
s.sendall(body)
print(time.time(), "body queued", flush=True)
s.settimeout(3.0)
try:
    print(time.time(), "answer", s.recv(4096), flush=True)
except socket.timeout:
    print(time.time(), "no answer after 3 s: aborting the upload", flush=True)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    s.close()
time.sleep(1)
print("done", flush=True)
""", "uploader")
    wait_log(c, "done", 15)
    net.stop_captures()
    return fname, Rules([(srv, 8080)], [
        FOLLOWUP(("NO_SOCKET",), why="the server's challenge ACK (RFC 5961: the abort's sequence "
                 "number was in its window but 16 KB ahead of what it had) met the client's closed "
                 "socket, and the client's kernel answered it with an exact RST"),
        (is_client, L("linger-abort",
                      "the uploader gave up after 3 s without an answer and aborted with SO_LINGER 0 "
                      "(TCP_STATE) while its body was still unacknowledged: the full-sized segments "
                      "never crossed the router's 1400-byte link, whose ICMP fragmentation-needed was "
                      "filtered. retransmit-timeout is the runner-up: the same segment retransmitted "
                      "without acknowledgement, then a RST from its sender, is that cause's wire "
                      "signature", {"TCP_STATE"}, alternatives=["retransmit-timeout"])),
    ])


# ------------------------------------------------------------------ 9: nft dnat load balancer, backend drained

BACKEND = r"""
import http.server, socket, sys
name = sys.argv[2]
class H(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_GET(self):
        body = b'{"served_by": "%s", "path": "%s"}\n' % (name.encode(), self.path.encode())
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
class S(http.server.ThreadingHTTPServer):
    address_family = socket.AF_INET6
print("listening", flush=True)
S((sys.argv[1], 80), H).serve_forever()
"""


@scenario(9)
def nft_dnat_lb_backend_drained_conntrack_delete_lands_on_other_backend_any_v6(net):
    """An nftables DNAT load balancer over IPv6 (numgen round robin to two backends): the operator drains one backend by taking it out of the map and deleting its conntrack entries, so a kept-alive client's next request is translated afresh to the other backend, whose listener resets it; tcpdump -i any on the balancer (the RST seen on both sides).

    A client [fd58:9::1] talks HTTP/1.1 keep-alive (Python http.client, one
    connection) to a service address [fd58:9::80]:80 held by a balancer
    namespace, which translates new flows with `dnat to numgen inc mod 2
    map { 0 : fd58:109::1, 1 : fd58:209::1 }` (two backends, Python's
    http.server, each one link away).  The first request lands on backend
    1.  Then the operator drains backend 1 for maintenance: the rule is
    replaced by one that names backend 2 only, and, to "move" the existing
    clients at once, `conntrack -D -f ipv6 --reply-src fd58:109::1` deletes
    the flows to backend 1 (backend 1 itself still runs and still holds
    the connection).  The client's next request, 1.5 s after its first,
    finds no conntrack entry; conntrack picks it up mid-stream
    (nf_conntrack_tcp_loose, the default) as a new flow, and the DNAT rule
    sends it to backend 2.  Backend 2 has no such connection; its kernel
    answers from the listening socket with a reply-form RST (TCP_FLAGS,
    state LISTEN), which the balancer translates back to the service
    address.  The client's application retries on a new connection, served
    by backend 2.  Captured with tcpdump -i any in the balancer (Linux
    cooked v2): each forwarded packet appears on both sides, the RST first
    with backend 2's address, then with the service address.
    """
    n = 9
    vip, b1, b2 = a6(n, 80), a6(100 + n, 1), a6(200 + n, 1)
    net.add("c", "lb", "b1", "b2")
    link(net, "c", "c0", "lb", "lc", f"{a6(n, 1)}/64", f"{a6(n, 254)}/64")
    net.addr("lb", "lc", f"{vip}/64")
    net.route("c", "default", "via", a6(n, 254))
    for who, dev, ldev, blk in (("b1", "b0", "l1", 100 + n), ("b2", "b0", "l2", 200 + n)):
        link(net, who, dev, "lb", ldev, f"{a6(blk, 1)}/64", f"{a6(blk, 254)}/64")
        net.route(who, "default", "via", a6(blk, 254))
    net.sysctl("lb", "net.ipv6.conf.all.forwarding", 1)
    net.nft("lb", f"""
table ip6 lb {{
  chain pre {{
    type nat hook prerouting priority dstnat; policy accept;
    ip6 daddr {vip} tcp dport 80 dnat to numgen inc mod 2 map {{ 0 : {b1}, 1 : {b2} }}
  }}
}}
""")
    for who, addr in (("b1", b1), ("b2", b2)):
        net.py(who, BACKEND, f"backend-{who}", args=(addr, who), ready=(addr, 80))
    ping(net, "c", vip)
    fname = "nft-dnat-lb-backend-drained-conntrack-delete-any-v6.pcap"
    net.capture("lb", ["any"], os.path.join(OUT, fname))
    c = net.py("c", f"""
import http.client, time
c = http.client.HTTPConnection("{vip}", 80, timeout=3)
for i, path in enumerate(("/api/v1/profile", "/api/v1/orders")):
    try:
        c.request("GET", path, headers={{"User-Agent": "mobile-bff/5.2"}})
        r = c.getresponse(); print(time.time(), path, r.status, r.read(), flush=True)
    except OSError as e:
        print(time.time(), path, "failed:", repr(e), "- retrying on a new connection", flush=True)
        c.close()
        c = http.client.HTTPConnection("{vip}", 80, timeout=3)
        c.request("GET", path, headers={{"User-Agent": "mobile-bff/5.2"}})
        r = c.getresponse(); print(time.time(), path, "retry", r.status, r.read(), flush=True)
    if i == 0:
        print("first done", flush=True)
        time.sleep(1.5)
print("all requests done", flush=True)
""", "client")
    wait_log(c, "first done")
    time.sleep(0.3)
    net.x("lb", "nft", "flush", "chain", "ip6", "lb", "pre")
    net.x("lb", "nft", "add", "rule", "ip6", "lb", "pre", "ip6", "daddr", vip, "tcp", "dport", "80",
          "dnat", "to", b2)
    net.x("lb", "conntrack", "-D", "-f", "ipv6", "--reply-src", b1, check=False)
    wait_log(c, "all requests done", 10)
    net.stop_captures()
    return fname, Rules([(vip, 80), (b1, 80), (b2, 80)], [
        (is_server, L("peer-lost-state",
                      "the balancer's conntrack entry for the connection was deleted when backend 1 was "
                      "drained, so the client's next request was translated afresh to backend 2, which "
                      "never had the connection: its kernel answered from the listening socket "
                      "(TCP_FLAGS, state LISTEN), and the balancer put the service address on the RST",
                      {"TCP_FLAGS"})),
    ])


# ------------------------------------------------------------------ 10: rinetd, backend down

@scenario(10)
def rinetd_forwarder_backend_refused_closes_preconnected_client_two_ifaces_pcapng_v4(net):
    """A TCP port forwarder (Debian's rinetd) in front of a backend that is restarting: the backend's kernel refuses rinetd's connect, rinetd closes the client's just-accepted connection at once (FIN), and the client's pool, which had connected ahead and writes its request 50 ms later, meets the closed socket; dumpcap on both of the forwarder's interfaces (pcapng).

    Routed through a forwarding host p: a client 10.58.10.1, rinetd 0.73
    on p listening on 10.58.10.254:8080 with the one rule `10.58.10.254
    8080 10.58.110.1 8080` (the old way to publish a service from a
    private network), and a backend 10.58.110.1:8080 (Python's
    http.server).  The first request (curl) goes through: rinetd connects
    to the backend and relays both ways; the backend closes after its
    HTTP/1.0 answer and rinetd closes the client side.  Then the backend
    process is stopped for a deploy.  The client application (Python
    http.client, connecting ahead of its request as pooled clients do,
    writing the request 50 ms later) connects again: the handshake is with
    rinetd's listener; rinetd accepts and connects upstream, the backend's
    kernel refuses (RST+ACK, NO_SOCKET), and rinetd closes the client's
    connection gracefully (FIN) at once.  The client's kernel acknowledges
    the FIN; 50 ms later the application writes its request anyway, and
    rinetd's orphaned socket answers with a RST (TCP_TIMEWAIT_SOCKET or
    TCP_ABORT_ON_DATA, by how far the close has got).  The application
    reads the FIN first and reports "Remote end closed connection without
    response" (a refused upstream shows as a hang-up, not as a refusal).  A first design let curl send at once; its request then
    raced rinetd's FIN, and in one run of two rinetd read and discarded it
    first and closed with no RST at all, so the client now writes later.
    Captured with dumpcap on p's two links (rc, rs).
    """
    n = 10
    routed(net, n, router="p")
    srv, fwd = a4(100 + n, 1), a4(n, 254)
    d = os.path.join(WORK, f"{n}.rinetd")
    os.makedirs(d, exist_ok=True)
    conf = write(os.path.join(d, "rinetd.conf"),
                 f"# publish the report service\n{fwd} 8080 {srv} 8080\n"
                 f"logfile {d}/rinetd.log\n")
    web = os.path.join(WORK, f"{n}.www")
    os.makedirs(web, exist_ok=True)
    write(os.path.join(web, "status.json"), '{"service": "reports", "state": "ok"}\n')
    be = net.start("s", ["python3", "-m", "http.server", "--bind", srv, "--directory", web, "8080"],
                   "backend", ready=(srv, 8080))
    net.start("p", ["rinetd", "-f", "-c", conf], "rinetd", ready=(fwd, 8080))
    ping(net, "c", srv)
    ping(net, "c", fwd)
    fname = "rinetd-forwarder-backend-refused-closes-preconnected-client-two-ifaces.pcapng"
    net.capture("p", ["rc", "rs"], os.path.join(OUT, fname), tool="dumpcap")
    url = f"http://{fwd}:8080/status.json"
    cu = net.start("c", ["curl", "-sS", "-o", "/dev/null", "-w", "first %{http_code}\\n", url], "curl1")
    wait_exit(cu, 10)
    net.kill(be, signal.SIGTERM)
    be.wait(5)
    time.sleep(0.5)
    c = net.py("c", f"""
import http.client, time
c = http.client.HTTPConnection("{fwd}", 8080, timeout=3)
c.connect()                                   # the pool connects ahead
time.sleep(0.05)
try:
    c.request("GET", "/status.json", headers={{"User-Agent": "report-poller/1.4"}})
    r = c.getresponse(); print(time.time(), r.status, r.read(), flush=True)
except OSError as e:
    print(time.time(), "request failed:", repr(e), flush=True)
print("finished", flush=True)
""", "client")
    wait_log(c, "finished", 10)
    net.stop_captures()
    return fname, Rules([(srv, 8080), (fwd, 8080)], [
        (lambda r: r["src"][0] == srv,
         L("closed-port", "the backend was stopped for a deploy: its kernel refused rinetd's upstream "
                          "SYN (nothing listens on 8080)", {"NO_SOCKET"})),
        (lambda r: r["src"][0] == fwd,
         DAF("rinetd closed the client's connection (FIN) as soon as its upstream connect was refused; "
             "the client's kernel acknowledged the FIN and the application, which had connected ahead, "
             "wrote its request 50 ms later into the closed connection. The forwarder is the TCP "
             "endpoint the client talks to")),
    ])


# ------------------------------------------------------------------ 11: egress reject on the client host

SMTP_SERVER = r"""
import socket, sys, threading, time
def serve(c):
    f = c.makefile("rb")
    c.sendall(b"220 relay.lab.test ESMTP ready\r\n")
    data = False
    for line in f:
        print(time.time(), line, flush=True)
        if data:
            if line == b".\r\n":
                data = False
                c.sendall(b"250 2.0.0 Ok: queued as 4Fq2x1\r\n")
            continue
        verb = line[:4].upper()
        if verb in (b"EHLO", b"HELO"):
            c.sendall(b"250-relay.lab.test\r\n250 8BITMIME\r\n")
        elif verb == b"DATA":
            data = True
            c.sendall(b"354 End data with <CR><LF>.<CR><LF>\r\n")
        elif verb == b"QUIT":
            c.sendall(b"221 2.0.0 Bye\r\n")
            break
        else:
            c.sendall(b"250 2.1.0 Ok\r\n")
    c.close()
def listen(port):
    ls = socket.socket(socket.AF_INET6)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind((sys.argv[1], port))
    ls.listen(8)
    while True:
        c, _ = ls.accept()
        threading.Thread(target=serve, args=(c,), daemon=True).start()
for p in (25, 587):
    threading.Thread(target=listen, args=(p,), daemon=True).start()
print("relay listening", flush=True)
time.sleep(3600)
"""


@scenario(11)
def client_host_egress_policy_rejects_smtp_lone_rst_on_lo_dumpcap_any_v6(net):
    """A client host's own egress policy (nftables output chain, `reject with tcp reset` for port 25) refuses an application's SMTP connection before its SYN leaves the host: the capture (dumpcap -i any, pcapng) shows no SYN at all, only a RST+ACK in the relay's name arriving on the loopback interface, next to a normal session on port 587.

    Routed over IPv6: an application host [fd58:11::1] and a mail relay
    [fd58:111::1] (a small SMTP server in Python on 25 and 587).  The
    application host carries the egress rule many cloud images and
    hardening guides add against spam from compromised hosts: an nftables
    `output` chain with `tcp dport 25 reject with tcp reset`.  The
    application first sends a notification through the submission port
    587 (Python's smtplib: EHLO, MAIL, RCPT, DATA, QUIT; it works), then a
    second one through port 25, as an old configuration still says.  The
    second connect() is refused at once: netfilter in the output hook
    drops the SYN before any interface sees it and sends the RST+ACK that
    a closed port would, addressed from the relay to the host, and the
    host delivers it to itself through lo (hop limit 64; no socket, no
    tcp_send_reset event).  Captured with dumpcap -i any on the
    application host (Linux cooked v1 in pcapng, one interface named
    `any`): the RST is the only packet of that connection; cooked v1 has
    no interface index, and only its link-layer address type (772,
    loopback, where the other packets have 1, Ethernet) says it came
    through lo.
    """
    n = 11
    routed(net, n)
    srv = a6(100 + n, 1)
    net.nft("c", """
table inet egress {
  chain out {
    type filter hook output priority 0; policy accept;
    tcp dport 25 counter reject with tcp reset
  }
}
""")
    net.py("s", SMTP_SERVER, "relay", args=(srv,), ready="relay listening")
    ping(net, "c", srv)
    fname = "client-host-egress-policy-rejects-smtp-lone-rst-on-lo-dumpcap-any-v6.pcapng"
    net.capture("c", ["any"], os.path.join(OUT, fname), tool="dumpcap")
    c = net.py("c", f"""
import smtplib, time
from email.message import EmailMessage
for port in (587, 25):
    m = EmailMessage()
    m["From"] = "alerts@app.lab.test"
    m["To"] = "oncall@lab.test"
    m["Subject"] = "disk usage 91%% on db-2 (via port %d)" % port
    m.set_content("db-2:/var/lib/postgresql is 91% full.\\n")
    try:
        with smtplib.SMTP("{srv}", port, local_hostname="app.lab.test", timeout=5) as s:
            s.send_message(m)
        print(time.time(), port, "sent", flush=True)
    except OSError as e:
        print(time.time(), port, "failed:", repr(e), flush=True)
    time.sleep(0.3)
print("finished", flush=True)
""", "notifier")
    wait_log(c, "finished", 15)
    net.stop_captures()
    return fname, Rules([(srv, 25), (srv, 587)], [
        (is_server, L("closed-port",
                      "the application host's own egress rule (nftables output chain, tcp dport 25 "
                      "reject with tcp reset) refused the connection before the SYN left the host; "
                      "the RST+ACK in the relay's name was made by the client's netfilter and "
                      "delivered to itself through lo (no socket). The relay listens on 25",
                      {None}, origin="middlebox")),
    ])

if __name__ == "__main__":
    main()
