#!/usr/bin/python3
"""Sixth blind hold-out set: real Linux TCP RST captures for rstdiag.

Each scenario is one function (registered with @scenario(n)) that builds its
own network namespaces (prefix h6-<n>-), runs real programs in them, captures
with tcpdump or dumpcap, and records the kernel's own reason for every RST it
sends from the tracepoint tcp/tcp_send_reset.  Labels come from the
scenario's design; each label names the kernel reasons the design allows,
and a RST whose traced reason is outside them fails the scenario instead of
being guessed at.

New here: a transparent proxy (nftables tproxy, IP_TRANSPARENT) that aborts
the client's connection in the server's name, an IPv6 path-MTU black hole
(Packet Too Big dropped by the router), a pcapng of two sections (the
capture restarted mid-connection), Go's dialer falling back from a slow
IPv6 path to IPv4 (happy eyeballs) and Go's ReadHeaderTimeout against a
pre-connecting client, a firewall pair without state sync that fails over
(nf_conntrack_tcp_loose=0, ct state invalid reject), a log shipper
SIGKILLed mid-upload seen from a macvlan's parent, varnish, uvicorn, slapd
and iperf3.

Address plan of scenario n: client side 10.56.n.0/24 and fd56:n::/64,
server side 10.56.(100+n).0/24 and fd56:(100+n)::/64 (routed scenarios).

usage: holdout6.py [--list] [--merge] [NAME ...]   (no NAME: every scenario)
The harness (namespaces, tracer, matching, label rules, driver) is
../holdout_harness.py.
"""
import os
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import holdout_harness  # noqa: E402

holdout_harness.configure(__file__, "holdout6", "h6", "10.56", "fd56")
from holdout_harness import *  # noqa: E402,F401,F403

# holdout5's correction of the duplicate detection is the harness's own now
# (holdout_harness.match_events).

GO = "/usr/bin/go"
VARNISHD = "/usr/sbin/varnishd"
SLAPD = "/usr/sbin/slapd"
IPERF3 = "/usr/bin/iperf3"


def confdir(n, what):
    d = os.path.join(WORK, f"{n}.{what}")
    os.makedirs(d, exist_ok=True)
    os.chmod(d, 0o777)
    return d


def gobuild(n, name, src):
    """Builds a Go program in work/n.go-name/ (Debian's golang-go, no modules
    beyond the standard library)."""
    d = confdir(n, f"go-{name}")
    write(os.path.join(d, "main.go"), src)
    write(os.path.join(d, "go.mod"), f"module lab/{name}\n\ngo 1.19\n")
    env = dict(os.environ, GOCACHE=os.path.join(WORK, "gocache"), GOFLAGS="-mod=mod",
               GOPATH=os.path.join(WORK, "gopath"), CGO_ENABLED="0")
    p = subprocess.run([GO, "build", "-o", name, "."], cwd=d, env=env, capture_output=True, text=True)
    if p.returncode:
        raise RuntimeError("go build: " + p.stderr)
    return os.path.join(d, name)


def add_comment(path, comment):
    """Adds a capture-file comment (pcapng SHB) with editcap."""
    tmp = path + ".tmp.pcapng"
    sh("editcap", "--capture-comment", comment, path, tmp)
    os.replace(tmp, path)


def tshark_fields(path, flt, *fields):
    p = sh("tshark", "-r", path, "-Y", flt, "-T", "fields", *sum([["-e", f] for f in fields], []),
           "-E", "occurrence=l")
    return [line.split("\t") for line in p.stdout.splitlines()]


# ------------------------------------------------------------------ 1: transparent proxy

TPROXY = r"""
import select, socket, sys, time
IP_TRANSPARENT = 19
ls = socket.socket()
ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
ls.setsockopt(socket.SOL_IP, IP_TRANSPARENT, 1)
ls.bind(("0.0.0.0", 3129))
ls.listen(16)
print("proxy listening", flush=True)
while True:
    c, peer = ls.accept()
    dst = c.getsockname()          # the original destination (tproxy keeps it)
    req = c.recv(65536)            # the whole request is read before going upstream
    line = req.split(b"\r\n")[0].decode()
    print(time.time(), "accepted", peer, "for", dst, repr(line), flush=True)
    up = socket.socket()
    up.settimeout(1.0)             # upstream connect timeout
    try:
        up.connect(dst)
        up.sendall(req)
        c.sendall(up.recv(65536))
        c.close()
    except OSError as e:
        print(time.time(), "upstream", dst, "failed:", repr(e), "- aborting the client", flush=True)
        c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
        c.close()
    up.close()
"""


@scenario(1)
def tproxy_gives_up_upstream_refused_and_silent_router_pcapng(net):
    """A transparent proxy on the router (nftables tproxy, IP_TRANSPARENT) accepts the client's connections in the server's name; the upstream refuses one and ignores the other, and the proxy aborts the client's connection each time: RSTs in the server's name from the router (dumpcap on both router links, pcapng).

    Routed: a client 10.56.1.1, a router, and an application server
    10.56.101.1 whose service on 8080 is down (nothing listens: the kernel
    refuses) and whose 8081 is behind a host firewall that drops SYNs.  The
    router intercepts the client's TCP to 10.56.101.1:8080-8081 with
    `tproxy ip to :3129 meta mark set 1` (policy routing: fwmark 1 ->
    local table), as a transparent filtering proxy does.  The proxy (a few
    lines of Python, IP_TRANSPARENT listener) accepts, so the client sees a
    handshake with "the server", reads the whole request, then connects to
    the original destination from the router's own address.  8080: the
    server's kernel refuses the proxy's SYN (RST+ACK, NO_SOCKET).  8081:
    the SYN goes unanswered and the proxy gives up after its 1 s connect
    timeout (closing a connecting socket sends nothing).  Each time the
    proxy aborts the client's accepted connection (SO_LINGER 0, TCP_STATE):
    a RST+ACK with the server's address and port, put on the wire by the
    router.  Captured with dumpcap on the router's two links (rc, rs).
    """
    n = 1
    routed(net, n)
    srv = a4(100 + n, 1)
    net.nft("r", f"""
table ip tp {{
  chain pre {{
    type filter hook prerouting priority mangle; policy accept;
    iifname "rc" ip daddr {srv} tcp dport {{ 8080, 8081 }} tproxy to :3129 meta mark set 1 accept
  }}
}}
""")
    net.x("r", "ip", "rule", "add", "fwmark", "1", "lookup", "100")
    net.x("r", "ip", "route", "add", "local", "0.0.0.0/0", "dev", "lo", "table", "100")
    net.nft("s", "table inet host {\n chain input {\n type filter hook input priority 0;\n"
                 " tcp dport 8081 drop\n }\n}\n")
    net.py("r", TPROXY, "tproxy", ready="proxy listening")
    net.x("c", "ping", "-c", "1", "-W", "1", srv, check=False)
    net.x("r", "ping", "-c", "1", "-W", "1", srv, check=False)
    fname = "tproxy-gives-up-upstream-refused-and-silent-router.pcapng"
    net.capture("r", ["rc", "rs"], os.path.join(OUT, fname), tool="dumpcap")
    cli = net.py("c", f"""
import http.client, time
for port, path in ((8080, "/api/orders"), (8081, "/api/stock")):
    c = http.client.HTTPConnection("{srv}", port, timeout=5)
    try:
        c.request("GET", path, headers={{"User-Agent": "shop-frontend/2.3"}})
        r = c.getresponse(); print(port, r.status, r.read(), flush=True)
    except Exception as e:
        print(port, "failed:", repr(e), flush=True)
    time.sleep(0.5)
""", "client")
    wait_exit(cli, 20)
    net.stop_captures()
    return fname, Rules([(srv, 8080), (srv, 8081)], [
        FOLLOWUP(("NO_SOCKET",)),
        (lambda r: r["kernel_reason"] == "NO_SOCKET",
         L("closed-port", "nothing listens on the server's 8080: its kernel refused the transparent "
                          "proxy's upstream SYN (from the router's own address)", {"NO_SOCKET"})),
        (lambda r: r["dst"][0] == a4(n, 1) and r["src"][1] == 8080,
         L("linger-abort", "the transparent proxy on the router had accepted the client's connection "
                           "in the server's name and read the request; the upstream refused, and the "
                           "proxy aborted the client's connection with SO_LINGER 0: the server's "
                           "address, the router's RST", {"TCP_STATE"}, origin="middlebox",
           alternatives=["unread-recv-buffer"])),
        (lambda r: r["dst"][0] == a4(n, 1) and r["src"][1] == 8081,
         L("linger-abort", "the transparent proxy on the router had accepted the client's connection "
                           "in the server's name and read the request; its upstream SYN went "
                           "unanswered, it gave up after its 1 s connect timeout and aborted the "
                           "client's connection with SO_LINGER 0 (the router's RST in the server's "
                           "name)", {"TCP_STATE"}, origin="middlebox",
           alternatives=["unread-recv-buffer", "response-timeout"])),
    ])


# ------------------------------------------------------------------ 2: IPv6 PMTU black hole

@scenario(2)
def ipv6_pmtu_blackhole_ptb_dropped_client_timeout_v6(net):
    """An IPv6 path-MTU black hole: a router with a 1280-byte link drops its own ICMPv6 Packet Too Big; the server's 1440-byte segments never arrive, the client times out and closes, and the server's retransmission, cut small at last by its black-hole detection, meets the closed socket (captured at the client).

    Routed over IPv6: a client [fd56:2::1] (MTU 1500, so it announces MSS
    1440), a router whose link toward the client is a 1280-byte link
    (rc MTU 1280, as a tunnel or a provider's link is) and whose firewall
    drops the ICMPv6 Packet Too Big it would send (nftables output
    `icmpv6 type packet-too-big drop`, the classic misconfiguration), and a
    server [fd56:102::1]:8080 (Python's http.server) with
    net.ipv4.tcp_mtu_probing = 1 (black-hole detection on demand).  The
    client's `GET /catalog.json` (small) arrives and is acknowledged; the
    20 KB answer leaves in full-sized segments the router cannot forward,
    and the Packet Too Big that would tell the server never leaves the
    router.  The client's socket times out after 2 s and the client closes
    (FIN, nothing unread; the server acknowledges it).  The server goes
    on retransmitting its first full-sized segment (0.2, 0.6, 1.4, 3.0 s);
    after about 3 s its kernel suspects a black hole and lowers the MSS
    to 1024, and the next retransmission, about 6.5 s after the answer began,
    gets through and meets the client's closed socket: RST
    (TCP_TIMEWAIT_SOCKET).  Captured at the
    client: the 1440-byte segments are never seen there.
    """
    n = 2
    routed(net, n)
    srv = a6(100 + n, 1)
    sh("ip", "-n", net.ns("r"), "link", "set", "rc", "mtu", "1280")
    net.sysctl("s", "net.ipv4.tcp_mtu_probing", 1)
    net.nft("r", "table ip6 f {\n chain output {\n type filter hook output priority 0;\n"
                 " icmpv6 type packet-too-big counter drop\n }\n}\n")
    net.py("s", f"""
import http.server, json, socket
body = json.dumps([{{"sku": f"A-{{i:05d}}", "name": "item %d" % i, "price": i * 3 + 0.99}}
                   for i in range(400)]).encode()[:20000]
class H(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
class S(http.server.ThreadingHTTPServer):
    address_family = socket.AF_INET6
print("listening", flush=True)
S(("{srv}", 8080), H).serve_forever()
""", "server", ready=(srv, 8080))
    net.x("c", "ping", "-6", "-c", "1", "-W", "1", srv, check=False)
    fname = "ipv6-pmtu-blackhole-ptb-dropped-client-timeout-v6.pcap"
    net.capture("c", ["c0"], os.path.join(OUT, fname))
    cli = net.py("c", f"""
import socket, time
s = socket.create_connection(("{srv}", 8080))
s.sendall(b"GET /catalog.json HTTP/1.1\\r\\nHost: shop.lab.test:8080\\r\\nAccept: application/json\\r\\n\\r\\n")
s.settimeout(2.0)
got = b""
try:
    while True:
        d = s.recv(65536)
        if not d:
            break
        got += d
        print("got", len(got), flush=True)
except socket.timeout:
    print("read timed out after 2 s with", len(got), "bytes, closing", flush=True)
s.close()
time.sleep(9)
""", "client")
    wait_exit(cli, 20)
    net.stop_captures()
    return fname, Rules([(srv, 8080)], [
        FOLLOWUP(("NO_SOCKET",)),
        (is_client, DAF("the client timed out after 2 s without a byte of the answer (its 1440-byte "
                        "segments died at the router's 1280-byte link, whose Packet Too Big was "
                        "dropped) and closed (FIN, acknowledged); the server's black-hole detection "
                        "lowered its MSS, and the first retransmission that got through met the "
                        "client's closed socket", alternatives=["response-timeout"])),
    ])


# ------------------------------------------------------------------ 3: uvicorn, two sections

@scenario(3)
def uvicorn_timeout_keep_alive_two_section_pcapng(net):
    """uvicorn's --timeout-keep-alive 1 closes an idle keep-alive connection; the client's next request 2.5 s after the answer meets the closed socket; the capture was restarted mid-connection, so the pcapng has two sections (two dumpcap files joined with cat).

    Debian's python3-uvicorn (0.17, h11) serves a small ASGI app on
    10.56.3.2:8000 with `--timeout-keep-alive 1` (the default is 5 s).  A
    Python http.client (one kept connection, as a simple SDK keeps it)
    fetches /v2/health, idles 2.5 s and sends `GET /v2/jobs`.  uvicorn
    closed the connection 1 s after its answer (FIN, acknowledged by the
    client's kernel); the request meets the closed socket (RST,
    TCP_TIMEWAIT_SOCKET).  Captured at the server with dumpcap; the
    operator stopped and restarted the capture 0.3 s after the first
    answer, and the two files were joined with `cat a.pcapng b.pcapng`, so
    the file has two section header blocks (the second with a capture
    comment); Wireshark numbers the frames across both.  The RST is in the
    second section.
    """
    n = 3
    direct(net, n)
    srv = a4(n, 2)
    d = confdir(n, "uvicorn")
    write(os.path.join(d, "app.py"), """
import json
async def app(scope, receive, send):
    assert scope["type"] == "http"
    body = json.dumps({"path": scope["path"], "status": "ok"}).encode()
    await send({"type": "http.response.start", "status": 200,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
""")
    net.start("s", [PY, "-m", "uvicorn", "--app-dir", d, "--host", srv, "--port", "8000",
                    "--timeout-keep-alive", "1", "--no-access-log", "app:app"], "uvicorn",
              ready=(srv, 8000))
    net.x("c", "ping", "-c", "1", "-W", "1", srv, check=False)
    fname = "uvicorn-timeout-keep-alive-two-section.pcapng"
    a, b = os.path.join(WORK, f"{n}.section-a.pcapng"), os.path.join(WORK, f"{n}.section-b.pcapng")
    net.capture("s", ["s0"], a, tool="dumpcap")
    cli = net.py("c", f"""
import http.client, time
c = http.client.HTTPConnection("{srv}", 8000)
c.request("GET", "/v2/health"); r = c.getresponse(); print(r.status, r.read(), flush=True)
print("first answer", flush=True)
time.sleep(2.5)
try:
    c.request("GET", "/v2/jobs"); r = c.getresponse(); print(r.status, r.read(), flush=True)
except Exception as e:
    print("second request:", repr(e), flush=True)
""", "client")
    wait_log(cli, "first answer")
    time.sleep(0.3)

    for p in net.caps:
        net.kill(p, signal.SIGINT)
        p.wait(5)
    net.caps = []
    net.capture("s", ["s0"], b, tool="dumpcap")
    wait_exit(cli)
    net.stop_captures()
    add_comment(b, "capture restarted by the operator (dumpcap -i s0), same connection")
    with open(os.path.join(OUT, fname), "wb") as f:
        for part in (a, b):
            f.write(open(part, "rb").read())
    return fname, Rules([(srv, 8000)], [
        FOLLOWUP(),
        (is_server, DAF("uvicorn's --timeout-keep-alive 1 closed the idle connection (FIN, "
                        "acknowledged); the client's next request 2.5 s after the answer met the "
                        "closed socket (the FIN is in the capture's second section)")),
    ])



# ------------------------------------------------------------------ Go

GO_SRC = r"""
package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"time"
)

func main() {
	switch os.Args[1] {
	case "server": // server LISTEN READHEADERTIMEOUT
		rht, _ := time.ParseDuration(os.Args[3])
		mux := http.NewServeMux()
		mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprintf(w, "{\"path\":%q,\"proto\":%q,\"from\":%q}\n", r.URL.Path, r.Proto, r.RemoteAddr)
		})
		srv := &http.Server{Addr: os.Args[2], Handler: mux, ReadHeaderTimeout: rht, IdleTimeout: 30 * time.Second}
		ln, err := net.Listen("tcp", os.Args[2])
		if err != nil {
			panic(err)
		}
		fmt.Println("listening", os.Args[2], "ReadHeaderTimeout", rht)
		panic(srv.Serve(ln))
	case "sse": // sse LISTEN KEEPALIVE: a server-sent-events endpoint, TCP keepalive from ListenConfig
		ka, _ := time.ParseDuration(os.Args[3])
		mux := http.NewServeMux()
		mux.HandleFunc("/v1/events", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/event-stream")
			fmt.Fprintf(w, "event: hello\ndata: {\"subscribed\":\"orders\"}\n\n")
			w.(http.Flusher).Flush()
			fmt.Println("subscriber", r.RemoteAddr)
			<-r.Context().Done()
			fmt.Println("subscriber gone:", r.RemoteAddr, r.Context().Err())
		})
		lc := net.ListenConfig{KeepAlive: ka}
		ln, err := lc.Listen(context.Background(), "tcp", os.Args[2])
		if err != nil {
			panic(err)
		}
		fmt.Println("listening", os.Args[2], "keepalive", ka)
		panic((&http.Server{Handler: mux}).Serve(ln))
	case "client": // client DNSSERVER URL
		dns := os.Args[2]
		r := &net.Resolver{PreferGo: true, Dial: func(ctx context.Context, network, address string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, "udp", dns)
		}}
		d := &net.Dialer{Timeout: 5 * time.Second, Resolver: r} // FallbackDelay: 300 ms (default)
		c := &http.Client{Transport: &http.Transport{DialContext: d.DialContext}, Timeout: 10 * time.Second}
		t0 := time.Now()
		resp, err := c.Get(os.Args[3])
		if err != nil {
			fmt.Println("error:", err)
			os.Exit(1)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		fmt.Printf("%s after %v: %s", resp.Status, time.Since(t0).Round(time.Millisecond), b)
		time.Sleep(1500 * time.Millisecond)
		fmt.Println("done")
	}
}
"""

DNS_SERVER = r"""
import socket, struct, sys
ZONE = {}
for spec in sys.argv[2:]:
    name, rtype, addr = spec.split(",")
    ZONE.setdefault((name.lower(), int(rtype)), []).append(addr)
fam = socket.AF_INET6 if ":" in sys.argv[1] else socket.AF_INET
s = socket.socket(fam, socket.SOCK_DGRAM)
s.bind((sys.argv[1], 53))
print("dns up", flush=True)
while True:
    q, peer = s.recvfrom(1500)
    i, labels = 12, []
    while q[i]:
        labels.append(q[i + 1:i + 1 + q[i]].decode()); i += 1 + q[i]
    qtype = struct.unpack("!H", q[i + 1:i + 3])[0]
    question = q[12:i + 5]
    answers = ZONE.get((".".join(labels).lower(), qtype), [])
    out = q[:2] + struct.pack("!HHHHH", 0x8180, 1, len(answers), 0, 0) + question
    for a in answers:
        rdata = socket.inet_pton(socket.AF_INET6 if qtype == 28 else socket.AF_INET, a)
        out += struct.pack("!HHHIH", 0xc00c, qtype, 1, 60, len(rdata)) + rdata
    print(".".join(labels), qtype, answers, flush=True)
    s.sendto(out, peer)
"""

# holdout_harness's delay line, delaying only IPv4 frames (ethertype 0x0800):
# the IPv4 path is the slow one, ARP and IPv6 pass at once.
V4_DELAY_LINE = r"""
import heapq, socket, sys, threading, time
D = float(sys.argv[1])
def sock(dev):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(3))
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
    s.bind((dev, 0))
    return s
def line(src, dst):
    q, cv, seq = [], threading.Condition(), [0]
    def out():
        while True:
            with cv:
                while not q:
                    cv.wait()
                t, k, pkt = q[0]
                now = time.monotonic()
                if t > now:
                    cv.wait(t - now)
                    continue
                heapq.heappop(q)
            dst.send(pkt)
    threading.Thread(target=out, daemon=True).start()
    while True:
        pkt, addr = src.recvfrom(65535)
        if addr[2] == socket.PACKET_OUTGOING:
            continue
        d = D if pkt[12:14] == b"\x08\x00" else 0.0
        with cv:
            seq[0] += 1
            heapq.heappush(q, (time.monotonic() + d, seq[0], pkt))
            cv.notify()
a, b = sock(sys.argv[2]), sock(sys.argv[3])
threading.Thread(target=line, args=(a, b), daemon=True).start()
print("delay line up", flush=True)
line(b, a)
"""


@scenario(4)
def go_happy_eyeballs_slow_ipv4_late_synack_sll2(net):
    """Go's dialer races IPv4 (preferred over ULA IPv6 by RFC 6724) and, 300 ms later, IPv6; IPv6 wins, Go abandons the IPv4 attempt, and the IPv4 SYN-ACK arriving 600 ms after its SYN finds no socket (tcpdump -i any at the client, Linux cooked v2).

    A Go 1.19 net/http client resolves api.lab.test with its own resolver
    (net.Resolver{PreferGo: true} pointed at the site's DNS server) and
    gets an A (10.56.4.2) and an AAAA (fd56:4::2) record.  Go sorts them
    by RFC 6724, where IPv4 ranks above a unique-local IPv6 address, so
    IPv4 is its primary and IPv6 its fallback, started after
    net.Dialer's FallbackDelay (300 ms) when IPv4 has not connected yet.
    The IPv4 path crosses an overloaded carrier-grade NAT: 300 ms each way
    (a user-space delay line that holds IPv4 frames only).  IPv6 connects
    at once; Go cancels the IPv4 dial (closing a connecting socket sends
    nothing) and the request goes over IPv6 to a Go net/http server.  The
    IPv4 SYN-ACK arrives 600 ms after its SYN and the client's kernel, with
    no socket for it any more, answers RST (NO_SOCKET).  Captured with
    `tcpdump -i any -y LINUX_SLL2` in the client's namespace (both
    families).
    """
    n = 4
    binary = gobuild(n, "lab", GO_SRC)
    net.add("c", "d", "s")
    net.veth("c", "c0", "d", "dc")
    net.veth("s", "s0", "d", "ds")
    for who, dev, h in (("c", "c0", 1), ("s", "s0", 2)):
        net.addr(who, dev, f"{a4(n, h)}/24")
        net.addr(who, dev, f"{a6(n, h)}/64")
        net.x(who, "ethtool", "-K", dev, "tx", "off", "tso", "off", "gso", "off", "gro", "off")
    for dev in ("dc", "ds"):
        net.x("d", "ethtool", "-K", dev, "tx", "off", "tso", "off", "gso", "off", "gro", "off")
        sh("ip", "-n", net.ns("d"), "link", "set", dev, "promisc", "on")
    net.py("d", V4_DELAY_LINE, "delayline", args=(0.3, "dc", "ds"), ready="delay line up")
    net.py("s", DNS_SERVER, "dns", args=(a6(n, 2), f"api.lab.test,1,{a4(n, 2)}",
                                          f"api.lab.test,28,{a6(n, 2)}"), ready="dns up")
    net.start("s", [binary, "server", ":8080", "10s"], "goserver", ready=(a4(n, 2), 8080))
    net.x("c", "ping", "-c", "1", "-W", "2", a4(n, 2), check=False)
    net.x("c", "ping", "-6", "-c", "1", "-W", "2", a6(n, 2), check=False)
    fname = "go-happy-eyeballs-slow-ipv4-late-synack-sll2.pcap"
    net.capture("c", ["any"], os.path.join(OUT, fname), extra=["-y", "LINUX_SLL2"])
    cli = net.start("c", [binary, "client", f"[{a6(n, 2)}]:53", "http://api.lab.test:8080/v1/ping"],
                    "goclient")
    wait_exit(cli, 20)
    net.stop_captures()
    return fname, Rules([(a4(n, 2), 8080), (a6(n, 2), 8080)], [
        FOLLOWUP(("NO_SOCKET",)),
        (is_client, L("connect-timeout", "Go's dialer abandoned its IPv4 attempt when the IPv6 "
                                         "fallback (started after 300 ms) connected first; the IPv4 "
                                         "SYN-ACK, 600 ms after the SYN over a slow path, found no "
                                         "socket", {"NO_SOCKET"})),
    ])


@scenario(5)
def go_readheadertimeout_preconnected_client_nano_v4(net):
    """Go's http.Server with ReadHeaderTimeout 1 s closes a connection a client opened in advance and has not used yet; the client's first request 2 s after connecting meets the closed socket (captured at the server, nanosecond pcap).

    A Go 1.19 net/http server on 10.56.5.2:8080 with ReadHeaderTimeout 1 s
    (as the Go linters ask for, against slowloris) and IdleTimeout 30 s.
    A Python service warms its HTTP connection at start-up
    (http.client.HTTPConnection.connect(), as SDKs that pre-connect do) and
    sends its first request, `POST /v1/events` with a small JSON body, 2 s
    later.  The header timer runs from the accept: at 1 s Go's read
    deadline expires with nothing read and the server closes the
    connection (FIN, acknowledged by the client's kernel).  The request
    meets the closed socket: RST (TCP_TIMEWAIT_SOCKET).  Captured at the
    server with nanosecond timestamps.
    """
    n = 5
    binary = gobuild(n, "lab", GO_SRC)
    direct(net, n)
    srv = a4(n, 2)
    net.start("s", [binary, "server", f"{srv}:8080", "1s"], "goserver", ready=(srv, 8080))
    net.x("c", "ping", "-c", "1", "-W", "1", srv, check=False)
    fname = "go-readheadertimeout-preconnected-client-nano-v4.pcap"
    net.capture("s", ["s0"], os.path.join(OUT, fname), extra=["--time-stamp-precision=nano"])
    cli = net.py("c", f"""
import http.client, json, time
c = http.client.HTTPConnection("{srv}", 8080)
c.connect()
print("pre-connected", flush=True)
time.sleep(2.0)
body = json.dumps({{"event": "user.login", "user": 4711}})
try:
    c.request("POST", "/v1/events", body=body, headers={{"Content-Type": "application/json"}})
    r = c.getresponse(); print(r.status, r.read(), flush=True)
except Exception as e:
    print("first request:", repr(e), flush=True)
time.sleep(0.3)
""", "client")
    wait_exit(cli)
    net.stop_captures()
    return fname, Rules([(srv, 8080)], [
        FOLLOWUP(),
        (is_server, DAF("Go's ReadHeaderTimeout (1 s) expired on a connection the client had opened "
                        "in advance and not used; the server closed it (FIN, acknowledged) and the "
                        "client's first request 2 s after connecting met the closed socket")),
    ])


# ------------------------------------------------------------------ 6: firewall failover

@scenario(6)
def firewall_failover_no_state_sync_invalid_reject_snaplen96_v4(net):
    """A pair of stateful firewalls fails over without connection-state sync: the standby, strict (nf_conntrack_tcp_loose=0) and rejecting `ct state invalid` with a TCP reset, has never seen the pool's two connections and resets their next requests in the server's name (captured at the client, snaplen 96).

    Routed through two firewalls: fw1 (10.56.6.253 / 10.56.106.253) and
    fw2 (.254), both on the client LAN and the server LAN (two bridges in a
    switch namespace), both with the same ruleset: forward chain
    `ct state invalid reject with tcp reset`, and
    net.netfilter.nf_conntrack_tcp_loose = 0 in their namespaces (a
    mid-stream packet does not create a conntrack entry: it is invalid).
    No conntrackd.  A client service keeps a pool of two HTTP/1.1
    connections to the server 10.56.106.1:8080 (Python's http.server) and
    uses both through fw1.  Then fw1 fails (the default routes of both
    hosts move to fw2, as a VRRP address would).  The next request on each
    pooled connection reaches fw2, which has no entry for it: invalid,
    rejected with a RST to the client in the server's name (nftables
    reject: no kernel socket, no tcp_send_reset event; TTL 64 where the
    server's packets arrive with 63, IP ID 0).  A new connection through
    fw2 afterwards works.  Captured at the client with snaplen 96.
    """
    n = 6
    m = 100 + n
    net.add("c", "sw", "fw1", "fw2", "s")
    for br in ("brc", "brs"):
        sh("ip", "-n", net.ns("sw"), "link", "add", br, "type", "bridge")
        sh("ip", "-n", net.ns("sw"), "link", "set", br, "up")
    links = [("c", "c0", "brc", "pc"), ("s", "s0", "brs", "ps"),
             ("fw1", "f1c", "brc", "p1c"), ("fw1", "f1s", "brs", "p1s"),
             ("fw2", "f2c", "brc", "p2c"), ("fw2", "f2s", "brs", "p2s")]
    for who, dev, br, port in links:
        net.veth(who, dev, "sw", port)
        sh("ip", "-n", net.ns("sw"), "link", "set", port, "master", br)
    net.addr("c", "c0", f"{a4(n, 1)}/24")
    net.addr("s", "s0", f"{a4(m, 1)}/24")
    rules = """
table inet fw {
  chain forward {
    type filter hook forward priority 0; policy accept;
    ct state invalid reject with tcp reset
  }
}
"""
    for fw, h in (("fw1", 253), ("fw2", 254)):
        i = fw[-1]
        net.addr(fw, f"f{i}c", f"{a4(n, h)}/24")
        net.addr(fw, f"f{i}s", f"{a4(m, h)}/24")
        net.sysctl(fw, "net.ipv4.ip_forward", 1)
        net.nft(fw, rules)
        net.sysctl(fw, "net.netfilter.nf_conntrack_tcp_loose", 0)
    net.route("c", "default", "via", a4(n, 253))
    net.route("s", "default", "via", a4(m, 253))
    srv = a4(m, 1)
    net.py("s", f"""
import http.server
class H(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_GET(self):
        body = b'{{"stock": 17}}\\n'
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *a):
        pass
print("listening", flush=True)
http.server.ThreadingHTTPServer(("{srv}", 8080), H).serve_forever()
""", "server", ready=(srv, 8080))
    for h in (253, 254):
        net.x("c", "ping", "-c", "1", "-W", "1", a4(n, h), check=False)
        net.x("s", "ping", "-c", "1", "-W", "1", a4(m, h), check=False)
    net.x("c", "ping", "-c", "1", "-W", "1", srv, check=False)
    fname = "firewall-failover-no-state-sync-invalid-reject-snaplen96-v4.pcap"
    net.capture("c", ["c0"], os.path.join(OUT, fname), snaplen=96)
    cli = net.py("c", f"""
import http.client, time
pool = [http.client.HTTPConnection("{srv}", 8080) for i in range(2)]
for i, c in enumerate(pool):
    c.request("GET", f"/stock/{{i}}"); r = c.getresponse(); print(i, r.status, r.read(), flush=True)
print("pool warm", flush=True)
time.sleep(2.0)
for i, c in enumerate(pool):
    try:
        c.request("GET", f"/stock/{{i + 10}}"); r = c.getresponse(); print(i, r.status, r.read(), flush=True)
    except Exception as e:
        print(i, "failed:", repr(e), flush=True)
    time.sleep(0.3)
c = http.client.HTTPConnection("{srv}", 8080)
c.request("GET", "/stock/99"); r = c.getresponse(); print("new connection", r.status, r.read(), flush=True)
c.close()
time.sleep(0.3)
""", "client")
    wait_log(cli, "pool warm")
    time.sleep(0.5)
    sh("ip", "-n", net.ns("c"), "route", "replace", "default", "via", a4(n, 254))
    sh("ip", "-n", net.ns("s"), "route", "replace", "default", "via", a4(m, 254))
    wait_exit(cli)
    net.stop_captures()
    return fname, Rules([(srv, 8080)], [
        FOLLOWUP((None,)),
        (is_server, L("injected", "the standby firewall (no state sync, nf_conntrack_tcp_loose=0) had "
                                  "never seen this connection: the request was `ct state invalid` and "
                                  "rejected with a RST in the server's name (TTL 64 against the "
                                  "server's 63, IP ID 0, no kernel socket)", {None}, origin="middlebox",
                      alternatives=["idle-timeout"])),
    ])


# ------------------------------------------------------------------ 7: SIGKILL mid-upload, macvlan

@scenario(7)
def log_shipper_sigkilled_mid_upload_unread_acks_macvlan_sll(net):
    """A log shipper is SIGKILLed (as by the OOM killer) mid-upload with the collector's acknowledgement lines unread in its receive buffer: its kernel resets the connection (captured on the macvlan parent of the collector's container, tcpdump -i any, Linux cooked v1).

    The collector runs in a container whose interface is a macvlan (bridge
    mode) of the host's NIC: the host namespace holds eth0 (the veth to
    the client's network, no address of its own) and the collector's
    namespace its macvlan mv0 with 10.56.7.2.  The collector (Python) reads
    a line-oriented log stream on 5140 and writes back `ACK <bytes>` for
    every 4 KB it has stored.  The shipper on 10.56.7.1 sends 2 KB
    batches every 100 ms and never reads the acknowledgements (a bug its
    authors never noticed: they pile up in its receive buffer).  After
    1.2 s the shipper is killed with SIGKILL (the OOM killer's signal);
    the kernel closes its socket with the unread acknowledgements and so
    sends RST+ACK instead of FIN (TCP_ABORT_ON_CLOSE).  Captured on the
    host with `tcpdump -i any -y LINUX_SLL` (the macvlan's traffic passes
    the parent eth0).
    """
    n = 7
    net.add("c", "h", "s")
    net.veth("c", "c0", "h", "eth0")
    sh("ip", "-n", net.ns("h"), "link", "add", "mv0", "link", "eth0", "type", "macvlan", "mode", "bridge")
    sh("ip", "-n", net.ns("h"), "link", "set", "mv0", "netns", net.ns("s"))
    sh("ip", "-n", net.ns("s"), "link", "set", "mv0", "up")
    net.addr("c", "c0", f"{a4(n, 1)}/24")
    net.addr("s", "mv0", f"{a4(n, 2)}/24")
    srv = a4(n, 2)
    net.py("s", f"""
import socket
ls = socket.socket(); ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
ls.bind(("{srv}", 5140)); ls.listen(8)
print("collector listening", flush=True)
while True:
    c, peer = ls.accept()
    got = acked = 0
    try:
        while True:
            d = c.recv(65536)
            if not d:
                print("EOF after", got, flush=True); break
            got += len(d)
            while got - acked >= 4096:
                acked += 4096
                c.sendall(b"ACK %d\\n" % acked)
    except OSError as e:
        print("collector:", repr(e), "after", got, flush=True)
    c.close()
""", "collector", ready=(srv, 5140))
    net.x("c", "ping", "-c", "1", "-W", "1", srv, check=False)
    fname = "log-shipper-sigkilled-mid-upload-unread-acks-macvlan-sll.pcap"
    net.capture("h", ["any"], os.path.join(OUT, fname), extra=["-y", "LINUX_SLL"])
    cli = net.py("c", f"""
import socket, time
s = socket.create_connection(("{srv}", 5140))
i = 0
while True:
    batch = b"".join(b"<134>1 2026-12-06T23:59:%02d.%03dZ web-07 nginx 811 - - GET /api/v1/items/%d 200\\n"
                     % (i % 60, j, i * 100 + j) for j in range(30))[:2048]
    s.sendall(batch)
    i += 1
    if i == 3:
        print("shipping", flush=True)
    time.sleep(0.1)
""", "shipper")
    wait_log(cli, "shipping")
    time.sleep(1.0)
    net.kill(cli, signal.SIGKILL)
    time.sleep(0.8)
    net.stop_captures()
    return fname, Rules([(srv, 5140)], [
        FOLLOWUP(),
        (is_client, L("unread-recv-buffer", "the log shipper was killed with SIGKILL mid-upload; the "
                                            "collector's ACK lines it never read were still in its "
                                            "receive buffer, so its kernel reset the connection "
                                            "instead of closing it", {"TCP_ABORT_ON_CLOSE"})),
    ])



@scenario(8)
def go_sse_listenconfig_keepalive_subscriber_vanished_dumpcap_v4(net):
    """A Go server-sent-events endpoint with TCP keepalive from net.ListenConfig (1 s idle and interval, 2 probes by the namespace's sysctl): the subscriber's network goes away, the probes go unanswered and the server's kernel resets the connection (pcapng from dumpcap at the server, with a capture comment).

    Routed: a dashboard 10.56.8.1 subscribes to `GET /v1/events` on a Go
    1.19 net/http server at 10.56.108.1:8080 whose listener comes from
    net.ListenConfig{KeepAlive: 1s} (Go sets TCP_KEEPIDLE and
    TCP_KEEPINTVL to it; the probe count is the host's
    net.ipv4.tcp_keepalive_probes, 2 in the server's namespace).  The
    server sends one event and then has nothing to say (orders are rare).
    The dashboard's network goes away (the router's client-side link goes
    down: a Wi-Fi roam, a laptop lid).  1 s after the last data the
    server's kernel probes, again 1 s later, unanswered, then gives up with
    a RST (TCP_KEEPALIVE_TIMEOUT); Go's handler sees the request context
    cancelled.  Captured with dumpcap on the server's interface (pcapng,
    with a capture comment added by editcap).
    """
    n = 8
    binary = gobuild(n, "lab", GO_SRC)
    routed(net, n)
    srv = a4(100 + n, 1)
    net.sysctl("s", "net.ipv4.tcp_keepalive_probes", 2)
    net.start("s", [binary, "sse", f"{srv}:8080", "1s"], "goserver", ready=(srv, 8080))
    net.x("c", "ping", "-c", "1", "-W", "1", srv, check=False)
    fname = "go-sse-listenconfig-keepalive-subscriber-vanished-dumpcap-v4.pcapng"
    path = os.path.join(OUT, fname)
    net.capture("s", ["s0"], path, tool="dumpcap")
    cli = net.py("c", f"""
import socket, time
s = socket.create_connection(("{srv}", 8080))
s.sendall(b"GET /v1/events HTTP/1.1\\r\\nHost: ops.lab.test\\r\\nAccept: text/event-stream\\r\\n\\r\\n")
print("event", s.recv(4096), flush=True)
time.sleep(30)
""", "dashboard")
    wait_log(cli, "event")
    time.sleep(0.2)
    sh("ip", "-n", net.ns("r"), "link", "set", "rc", "down")
    time.sleep(4.0)
    net.stop_captures()
    add_comment(path, "dumpcap -i s0 on the SSE server (10.56.108.1); the subscriber's network went away at about 0.2 s after its first event")
    return fname, Rules([(srv, 8080)], [
        FOLLOWUP(),
        (is_server, L("keepalive-timeout", "Go's ListenConfig KeepAlive (1 s idle, 1 s interval) with "
                                           "2 probes: unanswered after the subscriber's network went "
                                           "away, the server's kernel gave up with a RST",
                      {"TCP_KEEPALIVE_TIMEOUT"})),
    ])


# ------------------------------------------------------------------ varnish

@scenario(9, extra_blocks=("10.56.209.",))
def varnish_timeout_idle_and_first_byte_timeout_dumpcap_any_v4(net):
    """varnish 7 with timeout_idle 1 s and first_byte_timeout 1 s: a client's kept connection is closed for idleness and its next request meets the closed socket; a slow backend's late answer meets the backend connection varnish gave up on (dumpcap -i any at the varnish host: lo and the client link).

    Debian's varnish 7.1 (varnishd -F, `-p timeout_idle=1 -p
    first_byte_timeout=1`, both defaults are longer) listens on
    10.56.9.2:6081 in front of a backend on 10.56.209.1:8080, an address
    on the host's loopback interface (Python's
    http.server: /catalog answers at once, /report takes 3 s).  Client A
    (Python http.client, one kept connection) gets /catalog, idles 2.5 s
    and sends the next request; varnish closed the session after 1 s idle.
    Client B asks /report: varnish waits 1 s for the first byte, answers
    503 and closes its backend connection; the backend's answer at 3 s
    meets varnish's closed socket.  Captured with `dumpcap -i any` on the
    varnish host (Linux cooked v1, pcapng).
    """
    n = 9
    direct(net, n)
    srv = a4(n, 2)
    d = confdir(n, "varnish")
    back = a4(200 + n, 1)
    sh("ip", "-n", net.ns("s"), "addr", "add", f"{back}/32", "dev", "lo")
    net.py("s", """
import http.server, time
class H(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_GET(self):
        if self.path.startswith("/report"):
            time.sleep(3.0)
        body = b'{"items": [1, 2, 3], "path": "%s"}\\n' % self.path.encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except OSError as e:
            print("backend write:", repr(e), flush=True)
print("listening", flush=True)
http.server.ThreadingHTTPServer(("BACKADDR", 8080), H).serve_forever()
""".replace("BACKADDR", back), "backend", ready=(back, 8080))
    net.start("s", [VARNISHD, "-F", "-n", d, "-a", f"{srv}:6081", "-b", f"{back}:8080",
                    "-s", "malloc,32m", "-p", "timeout_idle=1", "-p", "first_byte_timeout=1",
                    "-T", "127.0.0.1:0"], "varnishd", ready=(srv, 6081), timeout=30)
    net.x("c", "ping", "-c", "1", "-W", "1", srv, check=False)
    fname = "varnish-timeout-idle-and-first-byte-timeout-dumpcap-any-v4.pcapng"
    net.capture("s", ["any"], os.path.join(OUT, fname), tool="dumpcap")
    cli = net.py("c", f"""
import http.client, threading, time
def a():
    c = http.client.HTTPConnection("{srv}", 6081)
    c.request("GET", "/catalog"); r = c.getresponse(); print("A", r.status, r.read(), flush=True)
    time.sleep(2.5)
    try:
        c.request("GET", "/catalog?page=2"); r = c.getresponse(); print("A", r.status, r.read(), flush=True)
    except Exception as e:
        print("A second request:", repr(e), flush=True)
def b():
    time.sleep(0.2)
    c = http.client.HTTPConnection("{srv}", 6081)
    c.request("GET", "/report/daily"); r = c.getresponse(); print("B", r.status, len(r.read()), flush=True)
    c.close()
ts = [threading.Thread(target=f) for f in (a, b)]
[t.start() for t in ts]; [t.join() for t in ts]
time.sleep(1.5)
""", "clients")
    wait_exit(cli)
    net.stop_captures()
    return fname, Rules([(srv, 6081), (back, 8080)], [
        FOLLOWUP(),
        (lambda r: r["src"][1] == 6081,
         DAF("varnish's timeout_idle (1 s) closed the client's idle session (FIN, acknowledged); the "
             "client's next request 2.5 s after the answer met the closed socket")),
        (lambda r: r["dst"][1] == 8080,
         DAF("varnish's first_byte_timeout (1 s) expired on the backend fetch: varnish answered 503 "
             "and closed the backend connection (FIN, acknowledged); the backend's answer at 3 s met "
             "varnish's closed socket", alternatives=["response-timeout"])),
    ])


# ------------------------------------------------------------------ slapd

@scenario(10)
def slapd_idletimeout_ldap3_pooled_bind_v6(net):
    """OpenLDAP's slapd with idletimeout 1 closes an application's idle LDAP connection; the application (python3-ldap3, one kept connection) searches again 2.5 s later and meets the closed socket (IPv6, captured at the client).

    Debian's slapd 2.5 on [fd56:10::2]:389 with a small slapd.conf
    (back-mdb, suffix dc=lab,dc=test, `idletimeout 1`; the default is 0,
    never).  An application authenticates users against it with
    python3-ldap3, keeping one bound connection (a simple bind as the
    directory manager; get_info=NONE, so no schema is read).  It searches for uid=alice, idles 2.5 s and
    searches for uid=bob.  slapd closed the idle connection after about
    1 s (its idle check runs every idletimeout/2) with a FIN, acknowledged
    by the client's kernel; the search meets the closed socket (RST,
    TCP_TIMEWAIT_SOCKET).  Captured at the client.
    """
    n = 10
    direct(net, n)
    srv = a6(n, 2)
    d = confdir(n, "slapd")
    db = os.path.join(d, "db")
    os.makedirs(db, exist_ok=True)
    conf = write(os.path.join(d, "slapd.conf"), f"""
include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
modulepath /usr/lib/ldap
moduleload back_mdb
pidfile {d}/slapd.pid
argsfile {d}/slapd.args
idletimeout 1
database mdb
maxsize 10485760
suffix "dc=lab,dc=test"
rootdn "cn=admin,dc=lab,dc=test"
rootpw secret
directory {db}
""")
    ldif = write(os.path.join(d, "base.ldif"), """dn: dc=lab,dc=test
objectClass: dcObject
objectClass: organization
o: lab
dc: lab

dn: ou=people,dc=lab,dc=test
objectClass: organizationalUnit
ou: people

dn: uid=alice,ou=people,dc=lab,dc=test
objectClass: inetOrgPerson
uid: alice
cn: Alice Example
sn: Example
mail: alice@lab.test

dn: uid=bob,ou=people,dc=lab,dc=test
objectClass: inetOrgPerson
uid: bob
cn: Bob Example
sn: Example
mail: bob@lab.test
""")
    for f in os.listdir(db):
        os.unlink(os.path.join(db, f))
    sh("slapadd", "-f", conf, "-l", ldif)
    net.start("s", [SLAPD, "-d", "256", "-f", conf, "-h", f"ldap://[{srv}]/"], "slapd",
              ready=(srv, 389))
    net.x("c", "ping", "-6", "-c", "1", "-W", "1", srv, check=False)
    fname = "slapd-idletimeout-ldap3-pooled-bind-v6.pcap"
    net.capture("c", ["c0"], os.path.join(OUT, fname))
    cli = net.py("c", f"""
import time
from ldap3 import Server, Connection, NONE
c = Connection(Server("ldap://[{srv}]:389", get_info=NONE), user="cn=admin,dc=lab,dc=test", password="secret",
               auto_bind=True)
c.search("ou=people,dc=lab,dc=test", "(uid=alice)", attributes=["mail"])
print("alice", [str(e.mail) for e in c.entries], flush=True)
time.sleep(2.5)
try:
    c.search("ou=people,dc=lab,dc=test", "(uid=bob)", attributes=["mail"])
    print("bob", [str(e.mail) for e in c.entries], flush=True)
except Exception as e:
    print("second search:", repr(e), flush=True)
time.sleep(0.3)
""", "app")
    wait_exit(cli)
    net.stop_captures()
    return fname, Rules([(srv, 389)], [
        FOLLOWUP(),
        (is_server, DAF("slapd's idletimeout (1 s) closed the application's idle LDAP connection "
                        "(FIN, acknowledged); its next search 2.5 s after the first met the closed "
                        "socket")),
    ])



# ------------------------------------------------------------------ iperf3

@scenario(11)
def iperf3_rcv_timeout_sender_frozen_then_resumed_snaplen100_v4(net):
    """iperf3 --rcv-timeout: the sending client is frozen mid-test (SIGSTOP, as a suspended VM or laptop), the server gives the test up after its receive timeout and closes both connections; thawed, the client closes the data connection and its one-byte state message on the control connection meets the closed socket (captured at the router, snaplen 100).

    Routed: Debian's iperf3 3.12 server on 10.56.111.1:5201 (`-s -1
    --rcv-timeout 1000`: give up after 1 s without data; the default is
    120 s) and a client 10.56.11.1 sending at 1 Mbit/s for 6 s
    (`-c ... -b 1M -l 1200 -t 6`).  About 0.6 s into the test the client
    is frozen with SIGSTOP.  The server's receive timeout fires (1.4 s
    after the last data: its check is coarse), it reports "idle timeout
    for receiving data" and closes the control and the data connections
    (FIN each, acknowledged by the frozen client's kernel).  3.5 s after
    freezing the client is thawed (SIGCONT): it closes its data
    connection (FIN, acknowledged by the server's half-closed socket) and
    writes a one-byte state message on the control connection, which
    meets the server's closed socket (RST, TCP_TIMEWAIT_SOCKET).
    Captured on the router's server-side link with snaplen 100.
    """
    n = 11
    routed(net, n)
    srv = a4(100 + n, 1)
    net.start("s", [IPERF3, "-s", "-1", "-B", srv, "--rcv-timeout", "1000"], "iperf3-server",
              ready=(srv, 5201))
    net.x("c", "ping", "-c", "1", "-W", "1", srv, check=False)
    fname = "iperf3-rcv-timeout-sender-frozen-then-resumed-snaplen100-v4.pcap"
    net.capture("r", ["rs"], os.path.join(OUT, fname), snaplen=100)
    cli = net.start("c", [IPERF3, "-c", srv, "-b", "1M", "-l", "1200", "-t", "6", "--forceflush"],
                    "iperf3-client")
    wait_log(cli, "local")
    time.sleep(0.6)
    net.kill(cli, signal.SIGSTOP)
    time.sleep(3.5)
    net.kill(cli, signal.SIGCONT)
    try:
        cli.wait(10)
    except subprocess.TimeoutExpired:
        pass
    time.sleep(0.5)
    net.stop_captures()

    def label(r):
        reason = r["kernel_reason"]
        ctrl = tshark_fields(os.path.join(OUT, fname),
                             f"tcp.port=={r['dst'][1]} && tcp.len > 1000", "frame.number") == []
        which = "control" if ctrl else "data"
        if reason in ("TCP_TIMEWAIT_SOCKET", "TCP_ABORT_ON_DATA"):
            return DAF(f"iperf3's --rcv-timeout (1 s) ended the test while the client was frozen and "
                       f"closed the {which} connection (FIN, acknowledged by the frozen client's "
                       f"kernel); the thawed client's next write on it met the closed socket",
                       reasons=(reason,))
        if reason == "TCP_ABORT_ON_CLOSE":
            return L("unread-recv-buffer", f"iperf3 closed the {which} connection with the client's "
                                           "data unread", {reason})
        raise RuntimeError(f"frame {r['frame']}: reason {reason} outside the design")
    return fname, Rules([(srv, 5201)], [
        FOLLOWUP(),
        (is_server, label),
    ])



# ------------------------------------------------------------------ service without endpoints

@scenario(12)
def service_vip_no_endpoints_node_rejects_curl_retry_connrefused_v6(net):
    """A Kubernetes-style service address with no ready endpoints: the node's nftables rejects connections to it with a TCP reset (as kube-proxy does), and curl --retry-connrefused tries three times (IPv6, captured in the client pod).

    A client pod [fd56:12::1] behind its node (a router namespace) calls a
    service address [fd56:112::10]:80.  The node translates the service
    address to its endpoints with nftables (dnat), and, as kube-proxy
    does for a service whose endpoints are all unready, rejects new
    connections to it with `reject with tcp reset` while the deployment
    rolls out.  The client runs `curl --retry 2 --retry-connrefused
    --retry-delay 1` (Debian's curl 7.88): three SYNs, each answered at
    once with RST+ACK in the service's name, from the node (hop limit 64
    where a real endpoint, one hop further, arrives with 63; no kernel
    socket: no tcp_send_reset event).  Captured at the client pod.
    """
    n = 12
    routed(net, n)
    vip = a6(100 + n, 10)
    net.nft("r", f"""
table inet svc {{
  chain svc_no_endpoints {{
    type filter hook forward priority 0; policy accept;
    ip6 daddr {vip} tcp dport 80 ct state new reject with tcp reset
  }}
}}
""")
    net.x("c", "ping", "-6", "-c", "1", "-W", "1", a6(n, 254), check=False)
    fname = "service-vip-no-endpoints-node-rejects-curl-retry-connrefused-v6.pcap"
    net.capture("c", ["c0"], os.path.join(OUT, fname))
    p = net.start("c", ["sh", "-c", f"curl -sS -o /dev/null --retry 2 --retry-connrefused "
                                    f"--retry-delay 1 http://[{vip}]:80/api/v1/orders; echo exit $?"],
                  "curl")
    wait_exit(p, 20)
    net.stop_captures()
    return fname, Rules([(vip, 80)], [
        FOLLOWUP((None,)),
        (is_server, L("closed-port", "the node's nftables rejected the connection to a service "
                                     "address without ready endpoints with a TCP reset (as "
                                     "kube-proxy does): RST+ACK in the service's name from the node, "
                                     "no kernel socket", {None}, origin="middlebox")),
    ])



# ------------------------------------------------------------------ pgbouncer

PGBIN = "/usr/lib/postgresql/15/bin"


def start_pgbouncer(net, n, srv, extra):
    """PostgreSQL 15 (initdb at run time, unix socket only, in work/n.pg)
    and Debian's pgbouncer on srv:6432 in namespace s, both as postgres."""
    pg = os.path.join(WORK, f"{n}.pg")
    import shutil
    shutil.rmtree(pg, ignore_errors=True)
    os.makedirs(pg)
    sh("chown", "postgres:postgres", pg)
    sh("setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups", f"{PGBIN}/initdb", "-D", pg,
       "-U", "app", "-A", "trust", "--no-sync", cwd="/tmp")
    net.start("s", [f"{PGBIN}/postgres", "-D", pg, "-k", pg, "-c", "listen_addresses=",
                    "-c", "fsync=off"], "postgres", user="postgres",
              ready="database system is ready to accept connections", timeout=30)
    d = confdir(n, "pgbouncer")
    write(os.path.join(d, "users.txt"), '"app" ""\n')
    ini = write(os.path.join(d, "pgbouncer.ini"), f"""
[databases]
shop = host={pg} port=5432 dbname=postgres

[pgbouncer]
listen_addr = {srv}
listen_port = 6432
unix_socket_dir =
auth_type = trust
auth_file = {d}/users.txt
pool_mode = transaction
{extra}
logfile = {d}/pgbouncer.log
pidfile = {d}/pgbouncer.pid
""")
    net.start("s", ["/usr/sbin/pgbouncer", ini], "pgbouncer", user="postgres", ready=(srv, 6432))


@scenario(13)
def pgbouncer_client_idle_timeout_psql_session_v4(net):
    """pgbouncer's client_idle_timeout closes a psql session that sat idle; the next query meets the closed socket (captured at the client).

    PostgreSQL 15 (a cluster made at run time with initdb, unix socket
    only) behind Debian's pgbouncer 1.18 on 10.56.13.2:6432 (pool_mode
    transaction, `client_idle_timeout = 1`; the default 0 never closes).
    A psql session from 10.56.13.1 (its statements come from a script
    through stdin, one line at a time) runs `select now();`, waits 2.5 s
    and runs `select count(*) from pg_class;`.  After 1 s idle pgbouncer
    writes a FATAL ErrorResponse ("client_idle_timeout") to the client and
    closes (FIN, acknowledged by the client's kernel; psql, waiting on its
    input, reads neither).  The next query meets pgbouncer's closed
    socket: RST (TCP_TIMEWAIT_SOCKET).  Captured at the client.
    """
    n = 13
    direct(net, n)
    srv = a4(n, 2)
    start_pgbouncer(net, n, srv, "client_idle_timeout = 1")
    net.x("c", "ping", "-c", "1", "-W", "1", srv, check=False)
    fname = "pgbouncer-client-idle-timeout-psql-session-v4.pcap"
    net.capture("c", ["c0"], os.path.join(OUT, fname))
    cli = net.start("c", ["sh", "-c", "(echo 'select now();'; sleep 2.5; "
                                      "echo 'select count(*) from pg_class;'; sleep 0.5) | "
                                      f"psql -X -h {srv} -p 6432 -U app shop; echo exit $?"],
                    "psql", env=dict(os.environ, PGCONNECT_TIMEOUT="5", PGSSLMODE="disable"))
    wait_exit(cli)
    net.stop_captures()
    return fname, Rules([(srv, 6432)], [
        FOLLOWUP(),
        (is_server, DAF("pgbouncer's client_idle_timeout (1 s) closed the idle psql session (FATAL "
                        "message, then FIN, acknowledged); psql's next query 2.5 s after the first "
                        "met the closed socket")),
    ])



@scenario(14)
def libpq_keepalives_pgbouncer_host_gone_router_v4(net):
    """libpq's keepalive parameters (keepalives_idle=1, keepalives_interval=1, keepalives_count=2) on an idle psql session: pgbouncer's host drops off the network, the client's probes go unanswered and the client's kernel resets the connection (captured at the router, on the client's link).

    Routed: a psql session from 10.56.14.1 to pgbouncer (in front of
    PostgreSQL 15) on 10.56.114.1:6432, with the libpq connection
    parameters `keepalives_idle=1 keepalives_interval=1
    keepalives_count=2`, as a service sets them to notice a dead database
    host fast.  The session runs `select 1;` and then waits on its script.
    The database host drops off the network (its link to the router goes
    down: a crashed host or a lost VM).  Nothing is sent by the
    application; 1 s after the last data the client's kernel sends a
    keepalive probe, again 1 s later, both unanswered (the router,
    with no route to the host any more, answers them with ICMP
    unreachable, which TCP takes for a soft error; the capture filter is
    tcp), then gives up with a RST (TCP_KEEPALIVE_TIMEOUT).  Captured on the router's
    client-side interface.
    """
    n = 14
    routed(net, n)
    srv = a4(100 + n, 1)
    start_pgbouncer(net, n, srv, "")
    net.x("c", "ping", "-c", "1", "-W", "1", srv, check=False)
    fname = "libpq-keepalives-pgbouncer-host-gone-router-v4.pcap"
    net.capture("r", ["rc"], os.path.join(OUT, fname))
    cli = net.start("c", ["sh", "-c", "(echo 'select 1;'; sleep 6) | psql -X "
                                      f"'host={srv} port=6432 user=app dbname=shop keepalives_idle=1 "
                                      "keepalives_interval=1 keepalives_count=2'; echo exit $?"],
                    "psql", env=dict(os.environ, PGSSLMODE="disable"))
    time.sleep(0.8)
    sh("ip", "-n", net.ns("r"), "link", "set", "rs", "down")
    wait_exit(cli, 15)
    net.stop_captures()
    return fname, Rules([(srv, 6432)], [
        FOLLOWUP(),
        (is_client, L("keepalive-timeout", "libpq's keepalives_idle=1, keepalives_interval=1, "
                                           "keepalives_count=2 on the client's socket: the probes "
                                           "went unanswered after the database host dropped off the "
                                           "network and the client's kernel gave up with a RST",
                      {"TCP_KEEPALIVE_TIMEOUT"})),
    ])


if __name__ == "__main__":
    main()
