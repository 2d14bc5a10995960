#!/usr/bin/python3
"""Fourth blind hold-out set: real Linux TCP RST captures for rstdiag.

Each scenario is one function (registered with @scenario(n)) that builds its
own network namespaces (prefix h4-<n>-), runs real programs in them (Go
net/http client and server, Ruby, Perl, PHP's built-in server, squid,
stunnel4, nginx, ncat, socat, curl), captures with tcpdump or dumpcap, and
records the kernel's own reason for every RST it sends from the tracepoint
tcp/tcp_send_reset.  Labels come from the scenario's design; each label
names the kernel reasons the design allows, and a RST whose traced reason is
outside them fails the scenario instead of being guessed at.

Address plan of scenario n: client side 10.54.n.0/24 and fd54:n::/64,
server side 10.54.(100+n).0/24 and fd54:(100+n)::/64 (routed scenarios).

usage: holdout4.py [--list] [--merge] [NAME ...]   (no NAME: every scenario)
The harness (namespaces, tracer, matching, label rules, driver) is
../holdout_harness.py, taken from ../holdout3/holdout3.py.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import holdout_harness  # noqa: E402

holdout_harness.configure(__file__, "holdout4", "h4", "10.54", "fd54")
from holdout_harness import *  # noqa: E402,F401,F403

RUBY = "/usr/bin/ruby"
PERL = "/usr/bin/perl"
PHP = "/usr/bin/php"
GO = "/usr/bin/go"


def gobuild(n, name, src):
    """Builds one Go program (standard library only) into work/."""
    d = os.path.join(WORK, f"{n}.go")
    os.makedirs(d, exist_ok=True)
    f = write(os.path.join(d, f"{name}.go"), src)
    exe = os.path.join(d, name)
    env = dict(os.environ, GOCACHE=os.path.join(WORK, "gocache"), GOPATH=os.path.join(WORK, "gopath"),
               GOFLAGS="-mod=mod", GO111MODULE="off", CGO_ENABLED="0")
    sh(GO, "build", "-o", exe, f, env=env)
    return exe


def script(n, name, text):
    return write(os.path.join(WORK, f"{n}.{name}"), text, 0o755)


def squid_conf(n, body):
    """A squid 5 configuration with its logs and pid in work/n.squid/ (owned
    by the proxy user, as squid drops to it)."""
    d = os.path.join(WORK, f"{n}.squid")
    os.makedirs(d, exist_ok=True)
    os.chmod(d, 0o777)
    return write(os.path.join(d, "squid.conf"), f"""
{body}
http_access allow all
cache deny all
cache_mem 8 MB
access_log stdio:{d}/access.log
cache_log {d}/cache.log
cache_store_log none
pid_filename {d}/squid.pid
coredump_dir {d}
cache_effective_user proxy
shutdown_lifetime 0 seconds
dns_nameservers 127.0.0.1
""")


def nginx_conf(n, http_body):
    d = os.path.join(WORK, f"{n}.nginx")
    os.makedirs(d, exist_ok=True)
    os.chmod(d, 0o777)
    return write(os.path.join(d, "nginx.conf"), f"""
worker_processes 1;
daemon off;
master_process off;
pid {d}/nginx.pid;
error_log {d}/error.log info;
events {{ worker_connections 64; }}
http {{
  access_log {d}/access.log;
  client_body_temp_path {d}/body;
  proxy_temp_path {d}/proxy;
  fastcgi_temp_path {d}/fastcgi;
  uwsgi_temp_path {d}/uwsgi;
  scgi_temp_path {d}/scgi;
{http_body}
}}
""")


# ------------------------------------------------------------------ Go

@scenario(1)
def go_client_context_timeout_late_answer_nano_v4(net):
    """A Go net/http client gives up on a slow Ruby server after 800 ms (context deadline) and closes the connection; the server's answer at 2 s meets the client's closed socket (nanosecond pcap).

    A Ruby server (TCPServer, a hand-written HTTP/1.1 responder, as small
    internal services are) on 10.54.1.2:8080 takes 2 s to compute
    `GET /v1/quote`.  The Go 1.19 client (http.Client, request with
    context.WithTimeout 800 ms) gets `context deadline exceeded` and its
    Transport closes the connection: close() with nothing unread, so a FIN,
    which the server's kernel acknowledges.  The Ruby server does not notice
    and writes its answer at 2 s: the data acknowledges the client's FIN and
    reaches the client's orphaned FIN_WAIT2 socket, which resets it.
    Captured at the client with `tcpdump --time-stamp-precision=nano`
    (a nanosecond pcap).
    """
    n = 1
    direct(net, n)
    srv = script(n, "server.rb", f"""
require 'socket'
srv = TCPServer.new('{a4(n, 2)}', 8080)
puts 'listening'; STDOUT.flush
loop do
  c = srv.accept
  Thread.new(c) do |s|
    req = s.gets; while (l = s.gets) && l != "\\r\\n"; end
    puts "request #{{req.inspect}}"; STDOUT.flush
    sleep 2.0
    body = '{{"symbol":"ACME","price":41.7}}'
    begin
      s.write("HTTP/1.1 200 OK\\r\\nContent-Type: application/json\\r\\nContent-Length: #{{body.bytesize}}\\r\\n\\r\\n#{{body}}")
      sleep 0.3
      s.write("\\r\\n")
      puts 'answered'
    rescue => e
      puts "write failed #{{e.inspect}}"
    end
    STDOUT.flush
    s.close rescue nil
  end
end
""")
    net.start("s", [RUBY, srv], "server", ready="listening")
    cli = gobuild(n, "client", f"""
package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"time"
)

func main() {{
	ctx, cancel := context.WithTimeout(context.Background(), 800*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", "http://{a4(n, 2)}:8080/v1/quote", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {{
		fmt.Println("request failed:", err)
	}} else {{
		b, _ := io.ReadAll(resp.Body)
		fmt.Println(resp.Status, string(b))
	}}
	time.Sleep(2500 * time.Millisecond)
}}
""")
    fname = "go-client-context-timeout-late-answer-nano-v4.pcap"
    net.capture("c", ["c0"], os.path.join(OUT, fname), extra=["--time-stamp-precision=nano"])
    p = net.start("c", [cli], "client")
    wait_exit(p)
    net.stop_captures()
    return fname, Rules([(a4(n, 2), 8080)], [
        FOLLOWUP(),
        (is_client, DAF("the Go client's context deadline (800 ms) expired and its Transport closed "
                        "the connection (FIN, acknowledged); the Ruby server's answer at 2 s met the "
                        "client's closed socket", alternatives=["response-timeout"])),
    ])


@scenario(2)
def go_client_body_close_unread_php_tso_snaplen80_v4(net):
    """A Go client reads only the first 4 KB of a 16 MB CSV export from PHP's built-in server and closes the response body: Go's Transport closes the connection with the rest unread (captured at the server: TSO frames larger than the MTU, snaplen 80).

    `php -S 10.54.2.2:8000` serves a static 16 MB `export.csv`.  The Go 1.19
    client (net/http, a Dialer setting SO_RCVBUF 64 KB) GETs it, reads the
    first 4 KB to check the header line, waits 300 ms and calls
    resp.Body.Close() without draining: the Transport cannot reuse a
    connection with a body half read, so it closes it, and the data already
    in the receive buffer turns the close into a RST (TCP_ABORT_ON_CLOSE).
    Segments still in flight then meet no socket.  Captured on the server's
    interface with snaplen 80: the veth keeps TSO on, so PHP's data
    leaves as frames up to 64 KB long, larger than the 1500-byte MTU.
    """
    n = 2
    direct(net, n)
    doc = os.path.join(WORK, f"{n}.docroot")
    os.makedirs(doc, exist_ok=True)
    os.chmod(doc, 0o755)
    csv = os.path.join(doc, "export.csv")
    if not os.path.exists(csv):
        with open(csv, "w") as f:
            f.write("id,customer,amount,currency,created\n")
            i = 0
            while f.tell() < (16 << 20):
                f.write(f"{i},customer-{i % 977},{(i * 37) % 10000 / 100:.2f},EUR,2026-12-0{i % 9 + 1}\n")
                i += 1
    os.chmod(csv, 0o644)
    net.start("s", [PHP, "-S", f"{a4(n, 2)}:8000", "-t", doc], "php", ready=(a4(n, 2), 8000))
    cli = gobuild(n, "client", f"""
package main

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"syscall"
	"time"
)

func main() {{
	d := &net.Dialer{{Control: func(network, address string, c syscall.RawConn) error {{
		return c.Control(func(fd uintptr) {{
			syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, 65536)
		}})
	}}}}
	cl := &http.Client{{Transport: &http.Transport{{DialContext: d.DialContext}}}}
	resp, err := cl.Get("http://{a4(n, 2)}:8000/export.csv")
	if err != nil {{
		fmt.Println("get failed:", err)
		return
	}}
	buf := make([]byte, 4096)
	k, err := io.ReadFull(resp.Body, buf)
	fmt.Println(resp.Status, resp.ContentLength, k, err)
	time.Sleep(300 * time.Millisecond)
	resp.Body.Close()
	fmt.Println("body closed")
	time.Sleep(500 * time.Millisecond)
}}
""")
    fname = "go-client-body-close-unread-php-tso-snaplen80-v4.pcap"
    net.capture("s", ["s0"], os.path.join(OUT, fname), snaplen=80)
    p = net.start("c", [cli], "client")
    wait_exit(p)
    net.stop_captures()
    return fname, Rules([(a4(n, 2), 8000)], [
        FOLLOWUP(alternatives=["unread-recv-buffer"]),
        (is_client, L("unread-recv-buffer",
                      "the Go client closed the response body after 4 KB of a 16 MB download; its "
                      "Transport closed the connection with the rest of the received data unread, "
                      "so the kernel reset it", {"TCP_ABORT_ON_CLOSE"})),
    ])


# ------------------------------------------------------------------ squid

@scenario(3)
def squid_client_idle_pconn_timeout_jumbo_v6(net):
    """squid 5 with client_idle_pconn_timeout 1 second closes an idle client connection; a Python http.client that keeps its proxy connection reuses it 2.5 s later (IPv6, jumbo MTU 9000).

    squid 5.7 as a forward proxy on [fd54:3::2]:3128, unmodified but for one
    documented knob (client_idle_pconn_timeout 1 second; the default is 2
    minutes); the origin is a local HTTP server behind it.  The client,
    Python's http.client (no check of a pooled socket), GETs a 30 KB JSON
    document through the proxy, keeps the connection, and sends its next
    request 2.5 s later.  squid had closed the idle connection 1 s after
    its answer (FIN, acknowledged), so the request meets squid's closed
    socket.  The link has MTU 9000 (jumbo frames), so the answer arrives
    in 9000-byte frames.  Captured at the client.
    """
    n = 3
    direct(net, n)
    for who, dev in (("c", "c0"), ("s", "s0")):
        sh("ip", "-n", net.ns(who), "link", "set", dev, "mtu", "9000")
    net.py("s", """
import http.server, json, socket
class H(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_GET(self):
        body = json.dumps({"items": [{"id": i, "name": "item-%d" % i} for i in range(1200)]}).encode()
        self.send_response(200); self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body))); self.end_headers(); self.wfile.write(body)
class S(http.server.ThreadingHTTPServer):
    address_family = socket.AF_INET6
S(("::1", 8081), H).serve_forever()
""", "origin", ready=("::1", 8081))
    conf = squid_conf(n, f"http_port [{a6(n, 2)}]:3128\nclient_idle_pconn_timeout 1 second\n")
    net.start("s", ["squid", "-N", "-f", conf], "squid", ready=(a6(n, 2), 3128), timeout=30)
    fname = "squid-client-idle-pconn-timeout-jumbo-v6.pcap"
    net.capture("c", ["c0"], os.path.join(OUT, fname))
    cli = net.py("c", f"""
import http.client, time
c = http.client.HTTPConnection("{a6(n, 2)}", 3128)
c.request("GET", "http://[::1]:8081/catalog.json"); r = c.getresponse(); b = r.read()
print(r.status, len(b), r.getheader("Connection"), r.getheader("Via"))
time.sleep(2.5)
try:
    c.request("GET", "http://[::1]:8081/catalog.json?page=2"); r = c.getresponse(); print(r.status, len(r.read()))
except Exception as e:
    print("second request failed:", repr(e))
""", "client")
    wait_exit(cli)
    net.stop_captures()
    return fname, Rules([(a6(n, 2), 3128)], [
        FOLLOWUP(),
        (is_server, DAF("squid closed the idle client connection after client_idle_pconn_timeout "
                        "(1 s; FIN, acknowledged); the client's next request 2.5 s after the answer "
                        "met squid's closed socket")),
    ])


@scenario(4)
def squid_origin_port_closed_router_v4(net):
    """squid forwards two requests to an origin whose service is down; the origin host refuses each connection (captured at the router between the proxy's and the origin's subnets).

    Routed: squid 5.7 on the proxy host 10.54.4.1 (users reach it on
    127.0.0.1:3128; curl stands in for them), a router, and the origin host
    10.54.104.1 whose web service on port 8080 is stopped.  curl asks for
    two URLs through the proxy.  For each, squid connects to the origin, the
    origin's kernel answers the SYN with RST+ACK (nothing listens), and
    squid answers the user 503.  squid may try the same address again
    (its forwarding retries), and each try is refused the same way.
    Captured on the router's origin-side interface only.
    """
    n = 4
    routed(net, n)
    conf = squid_conf(n, "http_port 127.0.0.1:3128\n")
    net.start("c", ["squid", "-N", "-f", conf], "squid", ready=("127.0.0.1", 3128), timeout=30)
    fname = "squid-origin-port-closed-router-v4.pcap"
    net.capture("r", ["rs"], os.path.join(OUT, fname))
    p = net.start("c", ["curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}\\n", "-x", "http://127.0.0.1:3128",
                        f"http://{a4(100 + n, 1)}:8080/healthz", "-o", "/dev/null",
                        f"http://{a4(100 + n, 1)}:8080/api/orders"], "curl")
    wait_exit(p)
    net.stop_captures()
    return fname, Rules([(a4(100 + n, 1), 8080)], [
        FOLLOWUP(("NO_SOCKET",)),
        (is_server, L("closed-port", "nothing listens on the origin's port 8080; its kernel refused "
                                     "squid's connection attempt with RST+ACK", {"NO_SOCKET"})),
    ])


# ------------------------------------------------------------------ stunnel

@scenario(5, extra_blocks=("127.0.0.1",))
def stunnel_backend_down_reset_two_ifaces_v4(net):
    """stunnel4 terminates IMAPS for a backend that is down: its connection to the backend is refused and, with its default reset = yes, stunnel resets the client's TLS connection (pcapng from dumpcap on lo and the server's interface).

    stunnel 5 (Debian's stunnel4) on 10.54.5.2:993 in server mode, connect =
    127.0.0.1:1143, where the IMAP server should be but is not running.  A
    Python ssl client (SNI imap.lab.test, verifying against the lab's CA)
    completes the TLS handshake and waits for the IMAP greeting.  stunnel
    connects to the backend: the SYN on lo is answered by RST+ACK (nothing
    listens).  stunnel then closes the client's connection with its
    default `reset = yes` (SO_LINGER {1, 0}): an active RST with nothing
    unread.  Captured with dumpcap on both lo and s0 (two interfaces).
    """
    n = 5
    direct(net, n)
    ca, crt, key = make_cert("imap", "imap.lab.test")
    conf = write(os.path.join(WORK, f"{n}.stunnel.conf"), f"""
foreground = yes
pid =
debug = info
[imaps]
accept = {a4(n, 2)}:993
connect = 127.0.0.1:1143
cert = {crt}
key = {key}
""")
    net.start("s", ["stunnel4", conf], "stunnel", ready=(a4(n, 2), 993))
    fname = "stunnel-backend-down-reset-two-ifaces-v4.pcapng"
    net.capture("s", ["lo", "s0"], os.path.join(OUT, fname), tool="dumpcap")
    cli = net.py("c", f"""
import socket, ssl
ctx = ssl.create_default_context(cafile="{ca}")
s = ctx.wrap_socket(socket.create_connection(("{a4(n, 2)}", 993)), server_hostname="imap.lab.test")
print("tls", s.version(), flush=True)
try:
    print("greeting", s.recv(4096))
except Exception as e:
    print("recv failed", repr(e))
s.close()
""", "client")
    wait_exit(cli)
    net.stop_captures()
    return fname, Rules([(a4(n, 2), 993), ("127.0.0.1", 1143)], [
        FOLLOWUP(),
        (lambda r: r["src"] == ("127.0.0.1", 1143),
         L("closed-port", "nothing listens on the IMAP backend's port 1143; stunnel's connection to it "
                          "was refused with RST+ACK", {"NO_SOCKET"})),
        (is_server, by_reason({
            "TCP_STATE": L("linger-abort", "stunnel could not reach its backend and, with its default "
                                           "reset = yes, closed the client's TLS connection with "
                                           "SO_LINGER 0: an active RST, nothing unread",
                           {"TCP_STATE"}),
        })),
    ])


# ------------------------------------------------------------------ PHP, Ruby, Perl

@scenario(6)
def php_builtin_server_killed_queued_requests_sll2_v4(net):
    """PHP's single-threaded built-in server is stuck in a 5 s report while two more requests wait in its accept queue; it is killed, and the queued connections are reset (tcpdump -i any, Linux cooked v2).

    `php -S 10.54.6.2:8000` (one process, no PHP_CLI_SERVER_WORKERS) serves
    `report.php`, which sleeps 5 s.  curl #1 asks for it; 0.3 s later curl
    #2 and #3 ask for /index.php: their handshakes complete in the kernel
    and their requests are acknowledged, but PHP never accepts them, being
    busy.  At 1.5 s an operator kills the server (SIGTERM).  Its listener
    closes with the two connections still queued: each is reset with its
    request unread (TCP_STATE).  curl #1's connection, whose request PHP had
    read, ends with a FIN.  Captured in the server's namespace with
    `tcpdump -i any -y LINUX_SLL2`.
    """
    n = 6
    direct(net, n)
    doc = os.path.join(WORK, f"{n}.docroot")
    os.makedirs(doc, exist_ok=True)
    write(os.path.join(doc, "report.php"), "<?php sleep(5); echo \"report done\\n\";\n")
    write(os.path.join(doc, "index.php"), "<?php echo \"hello\\n\";\n")
    php = net.start("s", [PHP, "-S", f"{a4(n, 2)}:8000", "-t", doc], "php", ready=(a4(n, 2), 8000),
                    env=dict(os.environ, PHP_CLI_SERVER_WORKERS="1"))
    fname = "php-builtin-server-killed-queued-requests-sll2-v4.pcap"
    net.capture("s", ["any"], os.path.join(OUT, fname), extra=["-y", "LINUX_SLL2"])
    c1 = net.start("c", ["curl", "-sS", "-m", "8", f"http://{a4(n, 2)}:8000/report.php"], "curl1")
    time.sleep(0.3)
    c2 = net.start("c", ["curl", "-sS", "-m", "8", f"http://{a4(n, 2)}:8000/index.php?a"], "curl2")
    time.sleep(0.1)
    c3 = net.start("c", ["curl", "-sS", "-m", "8", f"http://{a4(n, 2)}:8000/index.php?b"], "curl3")
    time.sleep(1.1)
    net.kill(php, signal.SIGTERM)
    for p in (c1, c2, c3):
        wait_exit(p, 10)
    net.stop_captures()
    return fname, Rules([(a4(n, 2), 8000)], [
        FOLLOWUP(("NO_SOCKET",)),
        (is_server, L("handshake-abort",
                      "the connection completed its handshake into PHP's accept queue and its request "
                      "was acknowledged by the kernel, but the busy single-threaded server never "
                      "accepted it; when the server was killed its listener closed and the queued "
                      "connection was reset with the request unread",
                      {"TCP_STATE"}, alternatives=["unread-recv-buffer"])),
    ])


@scenario(7)
def ruby_keepalive_probe_rebooted_client_midcapture_v4(net):
    """A Ruby push server's TCP keepalive probe reaches a subscriber whose host rebooted silently with the same address: the new host has no such connection and resets it (capture starts mid-connection).

    A Ruby server (TCPServer, SO_KEEPALIVE with TCP_KEEPIDLE 2 s, interval
    1 s) on 10.54.7.2:6000 takes subscriptions over a line protocol.  A Perl
    subscriber (IO::Socket::INET) connects; the capture starts only then
    (no handshake in it); it sends `SUB alerts` and reads `+OK`.  Then its
    host "reboots" without a word on the wire: the client's own firewall
    drops its output, the Perl process is killed, and its interface moves
    into a fresh network namespace with the same address and MAC (a new
    kernel, no sockets), the old one deleted.  2 s after the last data the
    server's kernel sends a keepalive probe; the new host has no socket for
    it and answers with a reply-form RST (NO_SOCKET), and the server's
    read fails with ECONNRESET.  Captured on the server's interface.
    """
    n = 7
    direct(net, n)
    srv = script(n, "server.rb", f"""
require 'socket'
srv = TCPServer.new('{a4(n, 2)}', 6000)
puts 'listening'; STDOUT.flush
c = srv.accept
c.setsockopt(Socket::SOL_SOCKET, Socket::SO_KEEPALIVE, true)
c.setsockopt(Socket::IPPROTO_TCP, Socket::TCP_KEEPIDLE, 2)
c.setsockopt(Socket::IPPROTO_TCP, Socket::TCP_KEEPINTVL, 1)
c.setsockopt(Socket::IPPROTO_TCP, Socket::TCP_KEEPCNT, 3)
line = c.gets
puts "got #{{line.inspect}}"; STDOUT.flush
c.write("+OK subscribed to alerts\\r\\n")
begin
  r = c.read(1)
  puts "read returned #{{r.inspect}}"
rescue => e
  puts "read failed #{{e.inspect}}"
end
STDOUT.flush
""")
    net.start("s", [RUBY, srv], "server", ready=(a4(n, 2), 6000))
    cli = script(n, "client.pl", f"""
use IO::Socket::INET;
$| = 1;
my $s = IO::Socket::INET->new(PeerAddr => '{a4(n, 2)}', PeerPort => 6000, Proto => 'tcp') or die "connect: $!";
print "connected\\n";
sleep 1;
print $s "SUB alerts\\r\\n";
my $l = <$s>;
print "got $l";
print "subscribed\\n";
sleep 60;
""")
    p = net.start("c", [PERL, cli], "client", ready="connected")
    fname = "ruby-keepalive-probe-rebooted-client-midcapture-v4.pcap"
    net.capture("s", ["s0"], os.path.join(OUT, fname))
    wait_log(p, "subscribed")
    time.sleep(0.2)
    # the "reboot": nothing leaves the old host, its process dies, its
    # interface comes up in a new network stack with the same address
    net.nft("c", "table inet h4boot {\n chain o {\n type filter hook output priority 0; policy drop;\n }\n}\n")
    net.kill(p)
    time.sleep(0.1)
    net.add("c2")
    sh("ip", "-n", net.ns("c"), "link", "set", "c0", "netns", net.ns("c2"))
    sh("ip", "-n", net.ns("c2"), "link", "set", "c0", "up")
    net.addr("c2", "c0", f"{a4(n, 1)}/24")
    sh("ip", "netns", "del", net.ns("c"))
    time.sleep(4.0)
    net.stop_captures()
    return fname, Rules([(a4(n, 2), 6000)], [
        FOLLOWUP(("NO_SOCKET",)),
        (is_client, L("peer-lost-state",
                      "the subscriber's host had restarted with the same address and no memory of the "
                      "connection; the server's keepalive probe met no socket there",
                      {"NO_SOCKET"})),
    ])


# ------------------------------------------------------------------ nginx

@scenario(8)
def nginx_client_body_timeout_reset_one_direction_snaplen64_v4(net):
    """nginx with client_body_timeout 1s and reset_timedout_connection on resets a Perl uploader that stalled mid-body; the capture keeps only the server's packets (BPF filter on its source), snaplen 64.

    Debian's nginx 1.22 proxies /upload (proxy_pass, request buffering on,
    so it reads the whole body before contacting the upstream), with two
    documented knobs: client_body_timeout 1s (the default is 60 s) and
    reset_timedout_connection on (the default off).  A Perl client
    (IO::Socket::INET) POSTs /upload with Content-Length 1 MB, sends 16 KB
    of it and stalls (as a phone losing its signal would, its kernel still
    acknowledging).  After 1 s without body data nginx times the request
    out and, as reset_timedout_connection says, closes with SO_LINGER
    {1, 0}: an active RST, nothing unread.  The upstream is never
    contacted.  Captured at the server with `src host 10.54.8.2`: one
    direction only (SYN-ACK, ACKs, RST), 64 bytes of each frame.
    """
    n = 8
    direct(net, n)
    conf = nginx_conf(n, f"""
  client_body_timeout 1s;
  reset_timedout_connection on;
  server {{
    listen {a4(n, 2)}:80;
    location /upload {{ proxy_pass http://127.0.0.1:8081; }}
  }}
""")
    net.start("s", ["nginx", "-c", conf], "nginx", ready=(a4(n, 2), 80))
    fname = "nginx-client-body-timeout-reset-one-direction-snaplen64-v4.pcap"
    net.capture("s", ["s0"], os.path.join(OUT, fname), snaplen=64, filt=f"tcp and src host {a4(n, 2)}")
    cli = script(n, "client.pl", f"""
use IO::Socket::INET;
$| = 1;
my $s = IO::Socket::INET->new(PeerAddr => '{a4(n, 2)}', PeerPort => 80, Proto => 'tcp') or die "connect: $!";
print $s "POST /upload HTTP/1.1\\r\\nHost: files.lab.test\\r\\nContent-Type: application/octet-stream\\r\\nContent-Length: 1048576\\r\\n\\r\\n";
print $s ("x" x 16384);
print "sent 16 KB, stalling\\n";
sleep 3;
my $r = sysread($s, my $buf, 4096);
print defined $r ? "read $r bytes: $buf\\n" : "read failed: $!\\n";
""")
    p = net.start("c", [PERL, cli], "client")
    wait_exit(p)
    net.stop_captures()
    return fname, Rules([(a4(n, 2), 80)], [
        FOLLOWUP(),
        (is_server, L("linger-abort",
                      "nginx timed out the stalled upload (client_body_timeout 1s) and, with "
                      "reset_timedout_connection on, closed with SO_LINGER 0: an active RST with the "
                      "16 KB it had received already read", {"TCP_STATE"},
                      alternatives=["unread-recv-buffer"])),
    ])


@scenario(9)
def nginx_upstream_keepalive_race_go_idle_v6(net):
    """nginx reuses a cached keep-alive connection to a Go upstream (IdleTimeout 1 s) just as the upstream closes it: the request crosses the upstream's FIN and is reset, and nginx retries it on a new connection (IPv6, 200 ms each way).

    nginx 1.22 on the proxy host [fd54:9::1] (users reach it on
    127.0.0.1:8080; curl stands in for them) proxies to a Go 1.19 net/http
    upstream at [fd54:9::2]:8080 with `keepalive 4` in its upstream block
    (and keepalive_timeout 60s there, the default), proxy_http_version 1.1.
    The Go server closes idle connections after IdleTimeout 1 s.  The path
    between them holds every frame 200 ms each way (a user-space delay
    line).  A first request leaves the upstream connection in nginx's cache;
    the second comes 0.8 s later, when the Go server's FIN is already on its
    way but has not arrived: nginx sends the request on the cached
    connection, it reaches the upstream 0.2 s after its FIN left, and the
    orphaned socket resets it.  nginx sees the error before any answer and,
    under proxy_next_upstream error (the default), retries on a new
    connection: the user gets 200.  Captured at the upstream.
    """
    n = 9
    delayed(net, n, 0.2)
    up = gobuild(n, "upstream", f"""
package main

import (
	"fmt"
	"net"
	"net/http"
	"time"
)

func main() {{
	srv := &http.Server{{IdleTimeout: time.Second, Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {{
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, "{{\\"path\\":%q,\\"price\\":12.5}}\\n", r.URL.Path)
	}})}}
	ln, err := net.Listen("tcp", "[{a6(n, 2)}]:8080")
	if err != nil {{
		panic(err)
	}}
	fmt.Println("listening")
	panic(srv.Serve(ln))
}}
""")
    net.start("s", [up], "upstream", ready="listening")
    conf = nginx_conf(n, f"""
  upstream backend {{
    server [{a6(n, 2)}]:8080;
    keepalive 4;
  }}
  server {{
    listen 127.0.0.1:8080;
    location / {{
      proxy_pass http://backend;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }}
  }}
""")
    net.start("c", ["nginx", "-c", conf], "nginx", ready=("127.0.0.1", 8080))
    fname = "nginx-upstream-keepalive-race-go-idle-v6.pcap"
    net.capture("s", ["s0"], os.path.join(OUT, fname))
    p = net.start("c", ["sh", "-c", "curl -sS -w ' %{http_code}\\n' http://127.0.0.1:8080/v1/price/a; "
                                    "sleep 0.8; "
                                    "curl -sS -w ' %{http_code}\\n' http://127.0.0.1:8080/v1/price/b; "
                                    "sleep 1.5"], "curl")
    wait_exit(p)
    net.stop_captures()
    return fname, Rules([(a6(n, 2), 8080)], [
        FOLLOWUP(),
        (is_server, DAF("the Go upstream closed the idle keep-alive connection after IdleTimeout (1 s); "
                        "nginx, not yet having its FIN (200 ms away), sent the next request on its "
                        "cached connection and the upstream's closed socket reset it")),
    ])


# ------------------------------------------------------------------ middleboxes, keepalive

@scenario(10)
def ncat_chat_push_stateful_firewall_forgot_v4(net):
    """An ncat chat server pushes a message to a member idle for 4 s behind a stateful firewall that forgot the flow after 2 s: the firewall rejects the push with a RST in the member's name (captured at the server).

    Routed: the member 10.54.10.1 (ncat as a chat client) - a router
    running a stateful nftables firewall (established,related accepted;
    new connections only as SYNs from the member's side; anything else
    `reject with tcp reset`; the conntrack established timeout cut to 2 s)
    - the chat server 10.54.110.1:7777 (`ncat --chat`).  The member joins
    and says hello, then stays silent.  4 s later another member, on the
    server's host, writes a message; ncat relays it to the idle member.
    The firewall has forgotten the flow: the push is a new, non-SYN
    packet from the server's side, and the router rejects it with a RST to
    the server, forged in the member's name (TTL 64, where the member's
    own packets arrive with 63; no kernel socket sent it).  Captured at
    the server.
    """
    n = 10
    routed(net, n)
    net.nft("r", """
table inet h4fw {
 chain forward_f {
  type filter hook forward priority 0; policy drop;
  ct state established,related accept
  iifname "rc" tcp flags & (syn | ack) == syn ct state new accept
  meta l4proto tcp reject with tcp reset
  meta l4proto icmp accept
  meta l4proto ipv6-icmp accept
 }
}
""")
    net.sysctl("r", "net.netfilter.nf_conntrack_tcp_timeout_established", 2)
    srv_addr = a4(100 + n, 1)
    net.start("s", ["ncat", "-4", "--chat", "-l", "-k", srv_addr, "7777"], "ncat-server",
              ready=(srv_addr, 7777))
    fname = "ncat-chat-push-stateful-firewall-forgot-v4.pcap"
    net.capture("s", ["s0"], os.path.join(OUT, fname))
    m1 = net.start("c", ["sh", "-c", f"(echo 'hello from the field office'; sleep 8) | ncat {srv_addr} 7777"],
                   "member1")
    time.sleep(4.0)
    m2 = net.start("s", ["sh", "-c", f"(echo 'build 4711 is broken'; sleep 1) | ncat {srv_addr} 7777"],
                   "member2")
    wait_exit(m2)
    time.sleep(0.5)
    net.stop_captures()
    net.kill(m1)
    return fname, Rules([(srv_addr, 7777)], [
        FOLLOWUP((None, "NO_SOCKET", "TCP_FLAGS")),
        (is_client, L("idle-timeout",
                      "the router's stateful firewall had forgotten the connection after 2 s idle; "
                      "the server's push 4 s later was a new non-SYN packet and the firewall rejected "
                      "it with a RST in the member's name (TTL 64 against the member's 63)",
                      {None}, origin="middlebox", alternatives=["injected"])),
    ])


@scenario(11)
def socat_keepalive_options_client_vanished_v6(net):
    """socat with keepalive,keepidle=1,keepintvl=1,keepcnt=2 serves a client whose link goes down: its probes go unanswered and its kernel resets the connection (IPv6, pcapng from dumpcap).

    Routed over IPv6: the client [fd54:11::1], a router, and socat on
    [fd54:111::1]:5000 (`TCP6-LISTEN:5000,fork,keepalive,keepidle=1,
    keepintvl=1,keepcnt=2` relaying to `EXEC:cat`, an echo service).  The
    client sends `ping` and reads the echo.  Then the router's client-side
    link goes down (the client's access line dies).  1 s after the last
    data socat's kernel probes; two probes 1 s apart go unanswered, and the
    kernel gives the connection up with an active RST
    (TCP_KEEPALIVE_TIMEOUT), which is lost like the probes.  Captured at
    socat's host with dumpcap (pcapng, one interface).
    """
    n = 11
    routed(net, n)
    srv = a6(100 + n, 1)
    net.start("s", ["socat", f"TCP6-LISTEN:5000,bind=[{srv}],reuseaddr,fork,keepalive,keepidle=1,"
                             "keepintvl=1,keepcnt=2", "EXEC:/bin/cat"], "socat", ready=(srv, 5000))
    fname = "socat-keepalive-options-client-vanished-v6.pcapng"
    net.capture("s", ["s0"], os.path.join(OUT, fname), tool="dumpcap")
    cli = net.py("c", f"""
import socket, time
s = socket.create_connection(("{srv}", 5000))
s.sendall(b"ping\\n"); print("echo", s.recv(100), flush=True)
time.sleep(8)
""", "client")
    wait_log(cli, "echo")
    time.sleep(0.1)
    sh("ip", "-n", net.ns("r"), "link", "set", "rc", "down")
    time.sleep(5.0)
    net.stop_captures()
    return fname, Rules([(srv, 5000)], [
        FOLLOWUP(),
        (is_server, L("keepalive-timeout",
                      "socat's keepalive options (idle 1 s, interval 1 s, 2 probes): the probes went "
                      "unanswered after the client's link died and socat's kernel gave up with a RST",
                      {"TCP_KEEPALIVE_TIMEOUT"})),
    ])


@scenario(12)
def squid_read_timeout_silent_origin_dumpcap_any_v4(net):
    """squid with read_timeout 1 second gives up on an origin that accepted a request and stays silent, answers the user 504 and closes the origin connection; the origin's answer at 3 s meets squid's closed socket (dumpcap -i any: Linux cooked v1 in pcapng).

    squid 5.7 on the proxy host 10.54.12.1 (users on 127.0.0.1:3128; curl
    stands in), unmodified but for one documented knob (read_timeout 1
    second; the default is 15 minutes).  The origin, a Perl server
    (IO::Socket::INET) on 10.54.12.2:8080, reads `GET /export` and takes
    3 s to answer.  squid times the origin out (its timeout check is
    coarse: the FIN comes about 2.4 s after the request, not 1 s), answers
    the user 504 Gateway Timeout and closes the origin connection with a
    FIN, which the origin's kernel acknowledges.  The Perl server does not
    notice and writes its answer at 3 s: it acknowledges squid's FIN and
    meets squid's closed socket, which resets it.  Captured with
    `dumpcap -i any` on the proxy host (both lo and the origin link).
    """
    n = 12
    direct(net, n)
    srv = script(n, "origin.pl", f"""
use IO::Socket::INET;
$| = 1;
my $l = IO::Socket::INET->new(LocalAddr => '{a4(n, 2)}', LocalPort => 8080, Listen => 8, ReuseAddr => 1) or die;
print "listening\\n";
while (my $c = $l->accept) {{
  my $req = <$c>;
  while (my $h = <$c>) {{ last if $h eq "\\r\\n"; }}
  print "request $req";
  sleep 3;
  my $ok = print $c "HTTP/1.1 200 OK\\r\\nContent-Length: 12\\r\\nConnection: close\\r\\n\\r\\nexport done\\n";
  print $ok ? "answered\\n" : "write failed: $!\\n";
  sleep 0.5; close $c;
}}
""")
    net.start("s", [PERL, srv], "origin", ready="listening")
    conf = squid_conf(n, "http_port 127.0.0.1:3128\nread_timeout 1 second\n")
    net.start("c", ["squid", "-N", "-f", conf], "squid", ready=("127.0.0.1", 3128), timeout=30)
    fname = "squid-read-timeout-silent-origin-dumpcap-any-v4.pcapng"
    net.capture("c", ["any"], os.path.join(OUT, fname), tool="dumpcap")
    p = net.start("c", ["curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}\\n", "-x", "http://127.0.0.1:3128",
                        f"http://{a4(n, 2)}:8080/export"], "curl")
    wait_exit(p)
    time.sleep(3.0)
    net.stop_captures()
    return fname, Rules([(a4(n, 2), 8080), ("127.0.0.1", 3128)], [
        FOLLOWUP(),
        (is_client, DAF("squid's read_timeout (1 s, checked coarsely) expired with the origin "
                        "silent; squid answered the user 504 and closed the origin connection (FIN, "
                        "acknowledged); the origin's late answer at 3 s met squid's closed socket",
                        alternatives=["response-timeout"])),
    ])


@scenario(13, extra_blocks=())
def ruby_connect_timeout_long_path_v6(net):
    """A Ruby client with a 300 ms connect timeout on a path of 350 ms each way gives up before the SYN-ACK arrives; the late SYN-ACK is reset, and its retry with a 2 s timeout connects (IPv6).

    The client [fd54:13::1] and an HTTPS-less API server [fd54:13::2]:8443
    (ncat listening, answering a line) are joined by a path that holds
    every frame 350 ms (a user-space delay line, as a satellite hop would).
    The Ruby client (Socket.tcp with connect_timeout: 0.3) sends its SYN
    and gives up at 0.3 s (Errno::ETIMEDOUT); closing a SYN_SENT socket
    sends nothing.  The SYN-ACK arrives at 0.7 s and meets no socket: the
    client's kernel answers with RST (NO_SOCKET).  The client retries with
    connect_timeout: 2, which connects at 0.7 s.  Captured at the client.
    """
    n = 13
    delayed(net, n, 0.35)
    net.start("s", ["ncat", "-6", "-l", "-k", a6(n, 2), "8443", "-c", "echo READY"], "ncat",
              ready=(a6(n, 2), 8443))
    cli = script(n, "client.rb", f"""
require 'socket'
[0.3, 2.0].each do |t|
  puts "#{{Time.now.to_f}} connecting, timeout #{{t}}"
  begin
    s = Socket.tcp('{a6(n, 2)}', 8443, connect_timeout: t)
    puts "connected with timeout #{{t}}: #{{s.gets.inspect}}"
    s.close
  rescue => e
    puts "#{{Time.now.to_f}} timeout #{{t}}: #{{e.inspect}}"
  end
  STDOUT.flush
end
sleep 1
""")
    # neighbour discovery (0.7 s through the delay line) before the capture
    net.x("c", PY, "-c", "import socket, time; s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM); "
          f"s.sendto(b'nd', ('{a6(n, 2)}', 9)); time.sleep(1.2)")
    fname = "ruby-connect-timeout-long-path-v6.pcap"
    net.capture("c", ["c0"], os.path.join(OUT, fname))
    p = net.start("c", [RUBY, cli], "client")
    wait_exit(p, 20)
    net.stop_captures()
    return fname, Rules([(a6(n, 2), 8443)], [
        FOLLOWUP(("NO_SOCKET",), alternatives=["connect-timeout"]),
        (is_client, L("connect-timeout",
                      "the Ruby client's 300 ms connect timeout expired before the SYN-ACK (700 ms "
                      "round trip) arrived; the late SYN-ACK found no socket and the client's kernel "
                      "reset it", {"NO_SOCKET"})),
    ])


if __name__ == "__main__":
    main()
