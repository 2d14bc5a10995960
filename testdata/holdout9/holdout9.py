#!/usr/bin/python3
"""Ninth blind hold-out set: real Linux TCP RST captures for rstdiag.

Theme: servers, proxies and TLS as run in production, with Debian 12's own
packages (HAProxy 2.6, nginx 1.22, Apache 2.4, MariaDB 10.11, OpenSSH 9.2,
Go 1.19, Python 3.11).  Each scenario is one function (registered with
@scenario(n)) that builds its own network namespaces (prefix h9-<n>-), runs
the real daemons with the settings production uses against them, captures
with tcpdump or dumpcap, and records the kernel's own reason for every RST
it sends from the tracepoint tcp/tcp_send_reset.  Labels come from the
scenario's design; each label names the kernel reasons its design allows,
and a RST whose traced reason is outside them fails the scenario instead of
being guessed at.

Address plan of scenario n: client side 10.59.n.0/24 and fd59:n::/64,
server side 10.59.(100+n).0/24 and fd59:(100+n)::/64 (routed scenarios), a
third network 10.59.(200+n).0/24 where a scenario needs one.

usage: holdout9.py [--list] [--merge] [NAME ...]   (no NAME: every scenario)
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

holdout_harness.configure(__file__, "holdout9", "h9", "10.59", "fd59")
from holdout_harness import *  # noqa: E402,F401,F403


def tshark_fields(path, flt, *fields):
    p = sh("tshark", "-r", path, "-Y", flt, "-T", "fields", *sum([["-e", f] for f in fields], []),
           "-E", "occurrence=l")
    return [line.split("\t") for line in p.stdout.splitlines()]


_harness_fin_detail = holdout_harness.fin_detail


def fin_detail(path, r):
    """holdout7's correction, copied: the harness's fin_detail takes the
    last data or FIN segment from B before the RST for the one it answers.
    When B's own FIN follows its data (a client that closes at once on the
    server's FIN), that FIN is taken, and it always acknowledges A's FIN.
    Here the segment answered is the one whose acknowledgment number the
    RST carries as its sequence number (reply form, RST without ACK); when
    one is found, `race` or `ignored-fin` is decided from it; otherwise the
    harness decides."""
    a, b = r["src"], r["dst"]
    if r["has_ack"]:
        return _harness_fin_detail(path, r)
    flt = f"tcp.port=={a[1]} && tcp.port=={b[1]} && frame.number < {r['frame']}"
    fin = trig = None
    for sport, f, seq, ack, ln, rst in tshark_fields(path, flt, "tcp.srcport", "tcp.flags.fin",
                                                     "tcp.seq_raw", "tcp.ack_raw", "tcp.len",
                                                     "tcp.flags.reset"):
        if int(sport) == a[1] and f in ("1", "True"):
            fin = int(seq) + int(ln)
        if int(sport) == b[1] and (int(ln) > 0 or f in ("1", "True")) and rst not in ("1", "True") \
                and int(ack) == r["seq"]:
            trig = int(ack)
    if fin is None or trig is None:
        return _harness_fin_detail(path, r)
    return "ignored-fin" if ((trig - (fin + 1)) & 0xffffffff) < 0x80000000 else "race"


holdout_harness.fin_detail = fin_detail

HAPROXY = "/usr/sbin/haproxy"
NGINX = "/usr/sbin/nginx"


def confdir(n, what):
    d = os.path.join(WORK, f"{n}.{what}")
    os.makedirs(d, exist_ok=True)
    os.chmod(d, 0o777)
    return d


def ping(net, who, dst):
    fam = ["-6"] if ":" in dst else []
    net.x(who, "ping", *fam, "-c", "1", "-W", "1", dst, check=False)


def hostport(addr, port):
    return f"[{addr}]:{port}" if ":" in addr else f"{addr}:{port}"


def haproxy(net, who, n, name, cfg, ready):
    d = confdir(n, name)
    path = write(os.path.join(d, "haproxy.cfg"), cfg)
    sh(HAPROXY, "-c", "-f", path)
    return net.start(who, [HAPROXY, "-db", "-f", path], name, ready=ready)


def nginx(net, who, n, name, http_block, ready, main_extra=""):
    """nginx 1.22 from Debian in the foreground, its own prefix in work/n.name/."""
    d = confdir(n, name)
    for sub in ("logs", "tmp"):
        os.makedirs(os.path.join(d, sub), exist_ok=True)
    conf = write(os.path.join(d, "nginx.conf"), f"""
user root;
worker_processes 1;
daemon off;
pid {d}/nginx.pid;
error_log {d}/logs/error.log info;
{main_extra}
events {{ worker_connections 256; }}
http {{
    access_log {d}/logs/access.log;
    client_body_temp_path {d}/tmp/body;
    proxy_temp_path {d}/tmp/proxy;
    fastcgi_temp_path {d}/tmp/fastcgi;
    uwsgi_temp_path {d}/tmp/uwsgi;
    scgi_temp_path {d}/tmp/scgi;
    default_type text/plain;
{http_block}
}}
""")
    net.x(who, NGINX, "-t", "-p", d, "-c", conf)
    p = net.start(who, [NGINX, "-p", d, "-c", conf], name, ready=ready)
    p.conf, p.dir = conf, d
    return p


BACKEND_HTTP = r"""
import http.server, sys, time
class H(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_GET(self):
        body = ("hello from %s %s\n" % (sys.argv[1], self.path)).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, fmt, *a):
        print(time.time(), self.client_address, fmt % a, flush=True)
fam = http.server.ThreadingHTTPServer
if ":" in sys.argv[1]:
    import socket
    class S6(http.server.ThreadingHTTPServer):
        address_family = socket.AF_INET6
    fam = S6
print("listening", flush=True)
fam((sys.argv[1], int(sys.argv[2])), H).serve_forever()
"""


# ------------------------------------------------------------------ 1: HAProxy silent-drop

@scenario(1)
def haproxy_silent_drop_login_bots_client_gives_up_snaplen96_v4(net):
    """HAProxy's `http-request silent-drop` for bots hammering /wp-login.php: the connection vanishes from the proxy host without a packet (TCP_REPAIR), and when the bot's curl and wget give up and close, the proxy host's kernel, whose HAProxy still listens on :80, answers their FINs with RSTs (captured at the client, snaplen 96).

    Routed: a client 10.59.1.1 and a web front 10.59.101.1:80, Debian's
    HAProxy 2.6 (as root, so TCP_REPAIR is allowed) before a Python
    backend on 127.0.0.1:8080.  The front has an anti-abuse rule from the
    usual WordPress hardening advice: `http-request silent-drop if {
    path_beg /wp-login.php /xmlrpc.php }`.  First a normal `curl /` (200).
    Then the bot: `curl --max-time 2 /wp-login.php`; the proxy host's
    kernel acknowledges the request, HAProxy puts the socket in repair mode
    and closes it: no FIN, no RST leaves, and the connection is gone on the
    server host while the client still holds it.  After 2 s curl gives up
    and closes (FIN); the FIN reaches a host that has no connection for it
    and a listener on the port: reply-form RST (TCP_FLAGS, state LISTEN).
    Then `wget --timeout=1 --tries=2 /xmlrpc.php`: the same twice (one RST
    per try, each answering wget's FIN after its 1 s read timeout).
    Captured with tcpdump at the client, snaplen 96.
    """
    n = 1
    routed(net, n)
    srv = a4(100 + n, 1)
    net.py("s", BACKEND_HTTP, "backend", args=("127.0.0.1", 8080), ready=("127.0.0.1", 8080))
    haproxy(net, "s", n, "haproxy", f"""
global
    log stdout format short local0 info
defaults
    mode http
    log global
    option httplog
    timeout connect 2s
    timeout client 30s
    timeout server 30s
frontend www
    bind {srv}:80
    http-request silent-drop if {{ path_beg /wp-login.php /xmlrpc.php }}
    default_backend app
backend app
    server app1 127.0.0.1:8080
""", ready=(srv, 80))
    ping(net, "c", srv)
    fname = "haproxy-silent-drop-login-bots-client-gives-up-snaplen96-v4.pcap"
    net.capture("c", ["c0"], os.path.join(OUT, fname), snaplen=96)
    p = net.start("c", ["curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}\\n", f"http://{srv}/"],
                  "curl-ok")
    wait_exit(p, 10)
    p = net.start("c", ["curl", "-sS", "--max-time", "2", "-o", "/dev/null", "-w", "%{http_code}\\n",
                        "-A", "Mozilla/5.0 (compatible; bot)", f"http://{srv}/wp-login.php"],
                  "curl-bot")
    wait_exit(p, 10)
    p = net.start("c", ["wget", "-O", "/dev/null", "--timeout=1", "--tries=2", "--waitretry=0",
                        f"http://{srv}/xmlrpc.php"], "wget-bot")
    wait_exit(p, 15)
    time.sleep(0.3)
    net.stop_captures()
    note = ("HAProxy's http-request silent-drop made the connection vanish on the proxy host "
            "(TCP_REPAIR: no FIN, no RST); the client, which still held it, gave up after its "
            "timeout and closed; its FIN met no connection and HAProxy's listener on the port "
            "(reply form)")
    return fname, Rules([(srv, 80)], [
        FOLLOWUP(),
        (is_server, L("peer-lost-state", note, {"TCP_FLAGS", "NO_SOCKET"})),
    ])


# ------------------------------------------------------------------ 2: HAProxy tcp-request connection reject

@scenario(2)
def haproxy_tcp_request_connection_reject_blocklist_curl_retry_dumpcap_v6(net):
    """HAProxy's `tcp-request connection reject` for a blocklisted IPv6 network: the proxy accepts the handshake and resets the connection at once (abortive close), and curl's retry meets the same (dumpcap at the server, pcapng).

    One link: a client [fd59:2::1] and an API front [fd59:2::2]:8080
    (HAProxy 2.6 in mode http before a Python backend on [::1]:8081).  The front carries an abuse blocklist evaluated at accept
    time: `tcp-request connection reject if { src -f blocklist.lst }`, the
    list holding fd59:2::/64.  curl 7.88 `--retry 1 --retry-all-errors
    --retry-delay 1` fetches /v2/status: the handshake completes in the
    kernel, HAProxy accepts, matches the source and closes without reading
    (HAProxy closes rejected connections abortively, SO_LINGER 0): a RST
    right after the handshake, TCP_STATE when curl's request had not yet
    arrived, TCP_ABORT_ON_CLOSE when it had (the request unread in the
    socket); the labels follow the traced reason (which of the two
    happens varies from run to run: both were seen).  curl reports "Recv
    failure: Connection reset by peer", waits 1 s and tries once more: the
    same.  Captured with dumpcap at the server (pcapng).
    """
    n = 2
    direct(net, n)
    srv = a6(n, 2)
    d = confdir(n, "haproxy")
    write(os.path.join(d, "blocklist.lst"), f"# abuse feed, updated hourly\n{V6}:{n}::/64\n203.0.113.0/24\n")
    net.py("s", BACKEND_HTTP, "backend", args=("::1", 8081), ready=("::1", 8081))
    haproxy(net, "s", n, "haproxy", f"""
global
    log stdout format short local0 info
defaults
    mode http
    log global
    option httplog
    timeout connect 2s
    timeout client 30s
    timeout server 30s
frontend api
    bind [{srv}]:8080
    tcp-request connection reject if {{ src -f {d}/blocklist.lst }}
    default_backend app
backend app
    server app1 [::1]:8081
""", ready=(srv, 8080))
    ping(net, "c", srv)
    fname = "haproxy-tcp-request-connection-reject-blocklist-curl-retry-dumpcap-v6.pcapng"
    net.capture("s", ["s0"], os.path.join(OUT, fname), tool="dumpcap")
    p = net.start("c", ["curl", "-sS", "--retry", "1", "--retry-all-errors", "--retry-delay", "1",
                        "-o", "/dev/null", "-w", "%{http_code}\\n", f"http://[{srv}]:8080/v2/status"],
                  "curl")
    wait_exit(p, 15)
    net.stop_captures()
    return fname, Rules([(srv, 8080)], [
        FOLLOWUP(),
        (is_server, by_reason({
            "TCP_STATE": L("linger-abort",
                           "HAProxy's tcp-request connection reject (source on the blocklist) closed "
                           "the just-accepted connection abortively (SO_LINGER 0) before the client's "
                           "request arrived", {"TCP_STATE"}, alternatives=["handshake-abort"]),
            "TCP_ABORT_ON_CLOSE": L("unread-recv-buffer",
                                    "HAProxy's tcp-request connection reject (source on the "
                                    "blocklist) closed the just-accepted connection without reading "
                                    "the client's request, which was already in the socket",
                                    {"TCP_ABORT_ON_CLOSE"}, alternatives=["linger-abort"]),
        })),
    ])


# ------------------------------------------------------------------ 3: HAProxy check-ssl against nginx TLS

@scenario(3)
def haproxy_check_ssl_health_checks_nginx_tls13_backend_router_snaplen128_v4(net):
    """HAProxy's `check check-ssl` health checks against an nginx TLS 1.3 backend: each check completes the handshake and HAProxy closes it at once, abortively, nginx's session tickets unread or still to come; the second backend, stopped, refuses its checks (captured on the router between, snaplen 128).

    Routed: HAProxy 2.6 on 10.59.3.1 balances to an nginx 1.22 backend
    10.59.103.1:443 (ssl, TLS 1.3, a certificate for app.lab.test from a
    lab CA) with `server web1 10.59.103.1:443 ssl verify required ca-file
    ca.pem check check-ssl inter 1s`, the usual layer-6 check for a TLS
    backend (no HTTP request: a completed handshake is success), and the
    same for a second backend 10.59.103.2:443 whose nginx is stopped for
    maintenance (nothing listens there: its host answers each check's SYN
    with RST+ACK, NO_SOCKET: closed-port).  Each
    check handshakes and HAProxy closes at once; its check connections are
    closed with SO_LINGER 0 (HAProxy does not leave TIME_WAIT behind for
    checks).  OpenSSL's server sends two TLS 1.3 NewSessionTickets after
    the client's Finished, so the close meets them unread
    (TCP_ABORT_ON_CLOSE) or just before they arrive (TCP_STATE): either
    way a RST from HAProxy's side; a ticket arriving after the RST draws
    a reply-form RST (follow-up).  Captured with tcpdump on the router's
    server-side link, snaplen 128, for about 1.5 s (two rounds of checks).
    """
    n = 3
    routed(net, n)
    cli, srv, srv2 = a4(n, 1), a4(100 + n, 1), a4(100 + n, 2)
    net.addr("s", "s0", f"{srv2}/24")
    ca, crt, key = make_cert("app", "app.lab.test")
    www = confdir(n, "www")
    write(os.path.join(www, "index.html"), "ok\n")
    nginx(net, "s", n, "nginx", f"""
    server {{
        listen {srv}:443 ssl;
        server_name app.lab.test;
        ssl_certificate {crt};
        ssl_certificate_key {key};
        ssl_protocols TLSv1.2 TLSv1.3;
        root {www};
    }}
""", ready=(srv, 443))
    ping(net, "c", srv)
    fname = "haproxy-check-ssl-health-checks-nginx-tls13-backend-router-snaplen128-v4.pcap"
    net.capture("r", ["rs"], os.path.join(OUT, fname), snaplen=128)
    haproxy(net, "c", n, "haproxy", f"""
global
    log stdout format short local0 info
defaults
    mode http
    log global
    timeout connect 2s
    timeout client 30s
    timeout server 30s
    timeout check 2s
frontend www
    bind 127.0.0.1:80
    default_backend web
backend web
    server web1 {srv}:443 ssl sni str(app.lab.test) verify required ca-file {ca} check check-ssl inter 1s
    server web2 {srv2}:443 ssl sni str(app.lab.test) verify required ca-file {ca} check check-ssl inter 1s
""", ready=("127.0.0.1", 80))
    time.sleep(1.2)
    net.stop_captures()
    return fname, Rules([(srv, 443), (srv2, 443)], [
        FOLLOWUP(),
        (is_server, L("closed-port", "the second backend's nginx was stopped for maintenance: its "
                                     "host answered HAProxy's check SYN with RST+ACK", {"NO_SOCKET"})),
        (is_client, by_reason({
            "TCP_STATE": L("linger-abort",
                           "HAProxy's check-ssl health check completed the TLS handshake and closed "
                           "the check connection abortively (SO_LINGER 0) with nothing unread",
                           {"TCP_STATE"}, alternatives=["unread-recv-buffer"]),
            "TCP_ABORT_ON_CLOSE": L("unread-recv-buffer",
                                    "HAProxy's check-ssl health check closed the check connection "
                                    "right after the TLS handshake with nginx's session tickets "
                                    "unread in the socket", {"TCP_ABORT_ON_CLOSE"},
                                    alternatives=["linger-abort"]),
        })),
    ])



# ------------------------------------------------------------------ 4: nginx proxy_connect_timeout, far backends

@scenario(4)
def nginx_proxy_connect_timeout_far_backends_late_synacks_next_upstream_delay_any_v4(net):
    """nginx's proxy_connect_timeout (200 ms) is shorter than the round trip to its cross-region backends (300 ms): nginx gives up on each connect, tries the next upstream, and answers 504; each backend's SYN-ACK arrives after nginx closed the connecting socket and is reset by the proxy host's kernel (tcpdump -i any on the proxy host: both legs).

    A delay line holds every frame 150 ms each way between the proxy host
    10.59.4.1 and a backend host 10.59.4.2 (two backend addresses, .2 and
    .3, Python http.server on 8080: the "us-east" pool seen from a proxy
    in Europe).  nginx 1.22 on the proxy host listens on 127.0.0.1:8080
    with `upstream api { server 10.59.4.2:8080; server 10.59.4.3:8080; }`,
    `proxy_connect_timeout 200ms` (copied from a tuning guide that assumed
    same-datacenter backends) and the default `proxy_next_upstream error
    timeout`.  curl on the proxy host asks /api/orders: nginx's SYN to the
    first backend goes out, 200 ms pass with no SYN-ACK, nginx closes the
    connecting socket (no RST: a SYN_SENT socket leaves silently) and
    tries the second backend, with the same result, then answers 504.  The
    first backend's SYN-ACK arrives at 300 ms and finds no socket: a
    reply-form RST (no ACK flag, seq = the SYN-ACK's ack), NO_SOCKET, from
    the proxy host; the second's the same 200 ms later.  Captured with
    tcpdump -i any on the proxy host (Linux cooked v2): the client leg on
    lo and the upstream leg on c0.
    """
    n = 4
    delayed(net, n, 0.15)
    prox, b1, b2 = a4(n, 1), a4(n, 2), a4(n, 3)
    net.addr("s", "s0", f"{b2}/24")
    net.py("s", BACKEND_HTTP, "backend", args=("0.0.0.0", 8080), ready=("0.0.0.0", 8080))
    ping(net, "c", b1)
    ping(net, "c", b2)
    nginx(net, "c", n, "nginx", f"""
    upstream api {{
        server {b1}:8080;
        server {b2}:8080;
    }}
    server {{
        listen 127.0.0.1:8080;
        location /api/ {{
            proxy_pass http://api;
            proxy_connect_timeout 200ms;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
        }}
    }}
""", ready=("127.0.0.1", 8080))
    fname = "nginx-proxy-connect-timeout-far-backends-late-synacks-next-upstream-delay-any-v4.pcap"
    net.capture("c", ["any"], os.path.join(OUT, fname))
    p = net.start("c", ["curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}\\n",
                        "http://127.0.0.1:8080/api/orders?since=2026-12-01"], "curl")
    wait_exit(p, 10)
    time.sleep(0.6)
    net.stop_captures()
    return fname, Rules([(b1, 8080), (b2, 8080), ("127.0.0.1", 8080)], [
        FOLLOWUP(("NO_SOCKET",), why="another copy of a late SYN-ACK"),
        (is_client, L("connect-timeout",
                      "nginx's proxy_connect_timeout (200 ms) expired before the backend's SYN-ACK "
                      "came back over the 300 ms round trip; nginx closed the connecting socket and "
                      "moved to the next upstream, and the late SYN-ACK met no socket on the proxy "
                      "host", {"NO_SOCKET"})),
    ])


# ------------------------------------------------------------------ 5: nginx reload, keep-alive poller

NGINX_POLLER = r"""
import http.client, sys, time
host, port, total = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
t_end = time.time() + total
c = http.client.HTTPConnection(host, port, timeout=5)
n = 0
while time.time() < t_end:
    try:
        c.request("GET", "/v1/quotes/EURUSD", headers={"User-Agent": "quote-poller/1.4"})
        r = c.getresponse()
        r.read()
        n += 1
        print(time.time(), "ok", n, r.status, flush=True)
    except (ConnectionError, http.client.HTTPException, OSError) as e:
        print(time.time(), "request failed:", repr(e), flush=True)
        c.close()
        c = http.client.HTTPConnection(host, port, timeout=5)
    time.sleep(0.005)
print("done", flush=True)
"""


@scenario(5)
def nginx_reload_old_worker_closes_keepalive_poller_race_delay_v6(net):
    """`nginx -s reload` during a deploy: the old worker closes the idle keep-alive connection of a fast-polling client (Python http.client, one kept connection, 40 ms away each way) while the next request is on its way or about to be sent; the request meets the old worker's closed socket (captured at the client, IPv6).

    nginx 1.22 on [fd59:5::2]:80 serves a quote JSON file (keepalive_timeout
    65 s, the default), 40 ms each way from a poller [fd59:5::1] (a user-
    space delay line: a cross-region client) that sends GET
    /v1/quotes/EURUSD on one http.client connection 5 ms after each answer
    and reconnects after an error.  A deploy pipeline reloads nginx twice,
    1.2 s apart (SIGHUP to the master: new workers start, the old one
    closes its idle keep-alive connections at once and exits; a request it
    is serving is answered and the connection closed after it).  Each
    time, the old worker's FIN and the poller's next request cross or
    nearly cross: when the request left before the FIN arrived, it meets
    the closed socket (FIN_WAIT1): RST, TCP_ABORT_ON_DATA (race); when the
    FIN arrived first, http.client, which does not look at the socket
    before reusing it, writes the request anyway into the half-closed
    connection: RST, TCP_TIMEWAIT_SOCKET (ignored-fin).  The labels follow
    the traced reason; the poller reconnects to the new worker.  Captured
    with tcpdump at the client.
    """
    n = 5
    delayed(net, n, 0.04)
    srv = a6(n, 2)
    www = confdir(n, "www")
    os.makedirs(os.path.join(www, "v1", "quotes"), exist_ok=True)
    write(os.path.join(www, "v1", "quotes", "EURUSD"), '{"pair":"EURUSD","bid":1.0841,"ask":1.0843}\n')
    ng = nginx(net, "s", n, "nginx", f"""
    server {{
        listen [{srv}]:80;
        root {www};
        default_type application/json;
    }}
""", ready=(srv, 80))
    master = int(open(os.path.join(ng.dir, "nginx.pid")).read())
    ping(net, "c", srv)
    fname = "nginx-reload-old-worker-closes-keepalive-poller-race-delay-v6.pcap"
    net.capture("c", ["c0"], os.path.join(OUT, fname))
    cli = net.py("c", NGINX_POLLER, "poller", args=(srv, 80, 3.6))
    wait_log(cli, "ok 5")
    for _ in range(2):
        time.sleep(1.2)
        os.kill(master, signal.SIGHUP)
    wait_exit(cli, 15)
    net.stop_captures()
    return fname, Rules([(srv, 80)], [
        FOLLOWUP(),
        (is_server, by_reason({
            "TCP_ABORT_ON_DATA": DAF(
                "nginx's reload: the old worker closed the idle keep-alive connection (FIN) while "
                "the poller's next request was already on its way; the request crossed the FIN and "
                "met the closed socket", reasons={"TCP_ABORT_ON_DATA"}),
            "TCP_TIMEWAIT_SOCKET": DAF(
                "nginx's reload: the old worker closed the keep-alive connection (FIN, acknowledged "
                "by the client's kernel); http.client reused the connection without looking and "
                "its next request met the closed socket", reasons={"TCP_TIMEWAIT_SOCKET"}),
        })),
    ])


# ------------------------------------------------------------------ 6: MariaDB max_allowed_packet

MARIADB_INSERT = r"""
import os, sys, time, pymysql
conn = pymysql.connect(host=sys.argv[1], port=3306, user="app", password="app-secret",
                       database="shop", connect_timeout=5, read_timeout=5, write_timeout=5)
cur = conn.cursor()
cur.execute("SELECT id, name FROM products WHERE id = 1")
print(time.time(), "row", cur.fetchone(), flush=True)
photo = os.urandom(3 << 20)            # a 3 MB product photo
try:
    cur.execute("UPDATE products SET photo = %s WHERE id = 1", (photo,))
    conn.commit()
    print(time.time(), "updated", flush=True)
except Exception as e:
    print(time.time(), "update failed:", repr(e), flush=True)
"""


@scenario(6)
def mariadb_max_allowed_packet_photo_update_unread_snaplen128_v4(net):
    """MariaDB 10.11 with max_allowed_packet = 1M receives a 3 MB UPDATE (a product photo) from PyMySQL: the server reads the packet header, refuses the packet and closes the connection with the rest of the statement unread; the kernel resets the client mid-upload (captured at the server, snaplen 128).

    Routed: an application host 10.59.6.1 and Debian's MariaDB 10.11 on
    10.59.106.1:3306 (a data directory made at run time with
    mariadb-install-db; max_allowed_packet = 1M, the value many older
    my.cnf files still carry).  The application (python3-pymysql 1.0)
    reads a product row, then sends `UPDATE products SET photo = %s` with
    a 3 MB blob: one MySQL packet of 3 MB.  The server reads the packet
    header, sees a packet over max_allowed_packet, logs "Got a packet
    bigger than 'max_allowed_packet' bytes" and ends the connection while
    most of the statement is still on its way or in its receive buffer:
    the close with unread data sends RST (TCP_ABORT_ON_CLOSE), not FIN.
    Before closing, the server writes its error packet (1153, "Got a
    packet bigger than 'max_allowed_packet' bytes"), so the RST follows an
    error response; PyMySQL, still writing, reports error 2006 "MySQL
    server has gone away (ConnectionResetError)".  Segments of
    the statement still in flight meet the server host, whose mariadbd
    still listens: RSTs from the listener (TCP_FLAGS, follow-ups).
    Captured with tcpdump at the server, snaplen 128.
    """
    n = 6
    routed(net, n)
    srv = a4(100 + n, 1)
    data = os.path.join(WORK, f"{n}.mariadb")
    import shutil
    shutil.rmtree(data, ignore_errors=True)
    sh("mariadb-install-db", "--no-defaults", f"--datadir={data}", "--user=root",
       "--auth-root-authentication-method=socket", "--skip-test-db")
    sock = os.path.join(data, "mysqld.sock")
    net.start("s", ["/usr/sbin/mariadbd", "--no-defaults", f"--datadir={data}", "--user=root",
                    f"--socket={sock}", f"--pid-file={data}/mariadbd.pid", f"--bind-address={srv}",
                    "--port=3306", "--max-allowed-packet=1M", "--skip-name-resolve",
                    "--innodb-buffer-pool-size=32M", "--log-warnings=4"],
              "mariadbd", ready=(srv, 3306), timeout=60)
    net.x("s", "mariadb", "--no-defaults", "-S", sock, "-e",
          "CREATE DATABASE shop; CREATE USER 'app'@'%' IDENTIFIED BY 'app-secret'; "
          "GRANT ALL ON shop.* TO 'app'@'%'; "
          "CREATE TABLE shop.products (id INT PRIMARY KEY, name VARCHAR(64), photo LONGBLOB); "
          "INSERT INTO shop.products VALUES (1, 'espresso cup', NULL);")
    ping(net, "c", srv)
    fname = "mariadb-max-allowed-packet-photo-update-unread-snaplen128-v4.pcap"
    net.capture("s", ["s0"], os.path.join(OUT, fname), snaplen=128)
    cli = net.py("c", MARIADB_INSERT, "app", args=(srv,))
    wait_exit(cli, 20)
    time.sleep(0.3)
    net.stop_captures()
    return fname, Rules([(srv, 3306)], [
        FOLLOWUP(("TCP_FLAGS", "NO_SOCKET"),
                 why="a segment of the oversized statement still in flight met the server host, "
                     "where mariadbd still listens"),
        (is_server, L("unread-recv-buffer",
                      "MariaDB refused a packet over max_allowed_packet (1M: a 3 MB UPDATE with a "
                      "photo) and closed the connection with the rest of the statement unread in its "
                      "socket: the kernel sent RST instead of FIN", {"TCP_ABORT_ON_CLOSE"})),
    ])


# ------------------------------------------------------------------ 7: sshd ClientAliveCountMax

@scenario(7)
def sshd_clientalive_paused_tunnel_client_resumes_router_v6(net):
    """OpenSSH's sshd (ClientAliveInterval 1, ClientAliveCountMax 2) drops an `ssh -N -L` tunnel whose client process is frozen (a paused container: the kernel still acknowledges, the program answers nothing); when the client is resumed it answers the queued keepalive requests into the closed connection (captured on the router between, IPv6).

    Routed over IPv6: a bastion [fd59:107::1]:22 running Debian's OpenSSH
    9.2 sshd (key authentication, `ClientAliveInterval 1`,
    `ClientAliveCountMax 2`: hardening guides ask for 300 and 0-3) and an
    application host [fd59:7::1] that keeps a port forward open with `ssh
    -N -L 15432:127.0.0.1:5432` (OpenSSH 9.2 client).  The client process
    is then frozen (SIGSTOP, as `docker pause` freezes a container): its
    kernel still acknowledges sshd's keepalive@openssh.com requests, but
    nobody answers them.  sshd compares whole seconds, so with an
    interval of 1 its requests go out every 2 s; at the third check, two
    requests unanswered (6 s after the last traffic), it logs "Timeout,
    client not responding" and exits: FIN, which the client's kernel
    acknowledges.  8 s after the freeze the container is unpaused
    (SIGCONT): ssh
    reads the two queued requests, writes its replies (SSH_MSG_REQUEST_
    FAILURE) and only then reads the end of file: the replies meet the
    server's closed socket: RST (TCP_TIMEWAIT_SOCKET), data after an
    acknowledged FIN.  Captured with tcpdump on the router's client-side
    link.
    """
    n = 7
    routed(net, n)
    srv = a6(100 + n, 1)
    d = confdir(n, "ssh")
    os.makedirs("/run/sshd", exist_ok=True)
    hk = os.path.join(d, "ssh_host_ed25519_key")
    ck = os.path.join(d, "id_ed25519")
    for k in (hk, ck):
        if not os.path.exists(k):
            sh("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", k)
        os.chmod(k, 0o600)
    write(os.path.join(d, "authorized_keys"), open(ck + ".pub").read(), 0o600)
    conf = write(os.path.join(d, "sshd_config"), f"""
Port 22
ListenAddress {srv}
HostKey {hk}
PidFile {d}/sshd.pid
AuthorizedKeysFile {d}/authorized_keys
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
AllowTcpForwarding yes
ClientAliveInterval 1
ClientAliveCountMax 2
LogLevel VERBOSE
""")
    net.start("s", ["/usr/sbin/sshd", "-D", "-e", "-f", conf], "sshd", ready=(srv, 22))
    ping(net, "c", srv)
    fname = "sshd-clientalive-paused-tunnel-client-resumes-router-v6.pcap"
    net.capture("r", ["rc"], os.path.join(OUT, fname))
    cli = net.start("c", ["ssh", "-v", "-N", "-L", "15432:127.0.0.1:5432", "-i", ck,
                          "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
                          "-o", "ServerAliveInterval=0", "-o", "BatchMode=yes", f"root@{srv}"],
                    "ssh")
    wait_log(cli, "Authenticated to")
    time.sleep(0.5)
    os.killpg(cli.pid, signal.SIGSTOP)
    time.sleep(8.0)
    os.killpg(cli.pid, signal.SIGCONT)
    wait_exit(cli, 10)
    time.sleep(0.3)
    net.stop_captures()
    return fname, Rules([(srv, 22)], [
        FOLLOWUP(),
        (is_server, DAF("sshd's ClientAliveCountMax (2 requests, 1 s apart, unanswered: the client "
                        "process was frozen) ended the session and closed the connection (FIN, "
                        "acknowledged by the client's kernel); when resumed, ssh answered the queued "
                        "keepalive requests into the closed connection", reasons={"TCP_TIMEWAIT_SOCKET"})),
    ])


# ------------------------------------------------------------------ 8: Apache mod_reqtimeout handshake

APACHE_CONF = """
ServerRoot /etc/apache2
Mutex file:{d}
PidFile {d}/apache2.pid
ServerName www.lab.test
User www-data
Group www-data
ErrorLog {d}/error.log
LogLevel info reqtimeout:debug ssl:info
LoadModule mpm_event_module /usr/lib/apache2/modules/mod_mpm_event.so
LoadModule authz_core_module /usr/lib/apache2/modules/mod_authz_core.so
LoadModule mime_module /usr/lib/apache2/modules/mod_mime.so
LoadModule dir_module /usr/lib/apache2/modules/mod_dir.so
LoadModule socache_shmcb_module /usr/lib/apache2/modules/mod_socache_shmcb.so
LoadModule ssl_module /usr/lib/apache2/modules/mod_ssl.so
LoadModule reqtimeout_module /usr/lib/apache2/modules/mod_reqtimeout.so
TypesConfig /etc/mime.types
LogFormat "%h %l %u %t \\"%r\\" %>s %b" common
CustomLog {d}/access.log common
StartServers 1
ServerLimit 1
ThreadsPerChild 25
MaxRequestWorkers 25
Listen {listen} https
SSLSessionCache shmcb:{d}/ssl_scache(512000)
{extra}
<VirtualHost *:443>
    SSLEngine on
    SSLCertificateFile {crt}
    SSLCertificateKeyFile {key}
    DocumentRoot {www}
    <Directory {www}>
        Require all granted
    </Directory>
</VirtualHost>
"""

PRECONNECT_CLIENT = r"""
import socket, ssl, sys, time
host, port, cafile, wait = sys.argv[1], int(sys.argv[2]), sys.argv[3], float(sys.argv[4])
# like a browser's preconnect: the TCP connection is opened ahead of need ...
s = socket.create_connection((host, port))
print(time.time(), "preconnected", flush=True)
time.sleep(wait)
# ... and used when the page asks for the resource
ctx = ssl.create_default_context(cafile=cafile)
try:
    t = ctx.wrap_socket(s, server_hostname="www.lab.test")
    t.sendall(b"GET /app.js HTTP/1.1\r\nHost: www.lab.test\r\nConnection: close\r\n\r\n")
    data = b""
    while True:
        d = t.recv(4096)
        if not d:
            break
        data += d
    print(time.time(), "answer", data[:60], flush=True)
except Exception as e:
    print(time.time(), "preconnected socket failed:", repr(e), flush=True)
"""


@scenario(8)
def apache_reqtimeout_handshake_closes_preconnected_tls_socket_dumpcap_v4(net):
    """Apache 2.4's mod_reqtimeout `handshake=1` closes a TLS connection on which no ClientHello came within a second; a browser-like client that had preconnected the socket and starts its handshake 2.5 s later sends its ClientHello into the closed connection (dumpcap at the server, pcapng).

    One link: a client 10.59.8.1 and Debian's Apache 2.4 (mpm_event,
    mod_ssl, TLS with a lab CA's certificate for www.lab.test) on
    10.59.8.2:443 with `RequestReadTimeout handshake=1 header=20-40,
    MinRate=500 body=20,MinRate=500` (handshake= is new in 2.4.39, and a
    small value is recommended against idle TLS connections) and
    `AcceptFilter https none`: with Linux's default for Apache, TCP_DEFER_
    ACCEPT, a connection that sends nothing is not even handed to Apache
    for 30 s, and the handshake timeout never starts.  The client
    does what browsers do with `<link rel=preconnect>`: it opens the TCP
    connection ahead of need and starts the TLS handshake only when the
    resource is asked for, here 2.5 s later.  After 1 s without a
    ClientHello Apache's handshake timeout ends the connection: FIN, which
    the client's kernel acknowledges.  The ClientHello then meets the
    closed socket: RST (TCP_TIMEWAIT_SOCKET), data after an acknowledged
    FIN; Python's ssl reports "EOF occurred in violation of protocol" or a
    reset.  Captured with dumpcap at the server (pcapng).
    """
    n = 8
    direct(net, n)
    srv = a4(n, 2)
    ca, crt, key = make_cert("www", "www.lab.test")
    d = confdir(n, "apache")
    www = confdir(n, "www")
    write(os.path.join(www, "app.js"), "console.log('ok');\n")
    conf = write(os.path.join(d, "apache2.conf"), APACHE_CONF.format(
        d=d, listen=f"{srv}:443", crt=crt, key=key, www=www,
        extra="RequestReadTimeout handshake=1 header=20-40,MinRate=500 body=20,MinRate=500\n"
              "AcceptFilter https none"))
    net.start("s", ["/usr/sbin/apache2", "-DFOREGROUND", "-f", conf], "apache", ready=(srv, 443))
    ping(net, "c", srv)
    fname = "apache-reqtimeout-handshake-closes-preconnected-tls-socket-dumpcap-v4.pcapng"
    net.capture("s", ["s0"], os.path.join(OUT, fname), tool="dumpcap")
    cli = net.py("c", PRECONNECT_CLIENT, "client", args=(srv, 443, ca, 2.5))
    wait_exit(cli, 15)
    net.stop_captures()
    return fname, Rules([(srv, 443)], [
        FOLLOWUP(),
        (is_server, DAF("Apache's mod_reqtimeout handshake=1 closed the preconnected TLS connection "
                        "after 1 s without a ClientHello (FIN, acknowledged by the client's kernel); "
                        "the client's ClientHello, 2.5 s after connecting, met the closed socket",
                        reasons={"TCP_TIMEWAIT_SOCKET", "TCP_ABORT_ON_DATA"})),
    ])


# ------------------------------------------------------------------ 9: Go TCP proxy, SetLinger(0)

GO_PROXY = r"""
package main

import (
	"io"
	"log"
	"net"
	"os"
)

// A small TCP relay of the kind teams write in front of a legacy service.
// A reset on either side is passed on as a reset (SetLinger(0)), so that
// the other side sees the failure instead of a clean end of stream.
func main() {
	ln, err := net.Listen("tcp", os.Args[1])
	if err != nil {
		log.Fatal(err)
	}
	log.Println("relay listening on", os.Args[1], "to", os.Args[2])
	for {
		c, err := ln.Accept()
		if err != nil {
			log.Fatal(err)
		}
		go relay(c.(*net.TCPConn), os.Args[2])
	}
}

func relay(c *net.TCPConn, backend string) {
	b0, err := net.Dial("tcp", backend)
	if err != nil {
		log.Println("dial:", err)
		c.SetLinger(0)
		c.Close()
		return
	}
	b := b0.(*net.TCPConn)
	done := make(chan error, 2)
	go func() { _, err := io.Copy(b, c); done <- err }()
	go func() { _, err := io.Copy(c, b); done <- err }()
	err = <-done
	log.Println("relay ended:", c.RemoteAddr(), err)
	if err != nil {
		c.SetLinger(0)
		b.SetLinger(0)
	}
	c.Close()
	b.Close()
}
"""

THUMB_BACKEND = r"""
import socket, sys, time
ls = socket.socket()
ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
ls.bind((sys.argv[1], 7000))
ls.listen(8)
print("listening", flush=True)
c, peer = ls.accept()
f = c.makefile("rb")
print(time.time(), "job", f.readline(), flush=True)
print(time.time(), "decoding (the body stays in the socket until the decoder wants it)", flush=True)
time.sleep(60)
"""

UPLOADER = r"""
import os, socket, sys, time
s = socket.create_connection((sys.argv[1], 6000))
s.sendall(b"PUT /scans/2026-12-08/0042.tiff 4194304\n")
sent = 0
try:
    for i in range(60):
        s.sendall(os.urandom(8192))
        sent += 8192
        time.sleep(0.05)
    print(time.time(), "sent", sent, flush=True)
except OSError as e:
    print(time.time(), "upload failed after", sent, "bytes:", repr(e), flush=True)
"""


def go_build(n, name, src):
    d = confdir(n, f"go-{name}")
    path = write(os.path.join(d, "main.go"), src)
    env = dict(os.environ, GOCACHE=os.path.join(WORK, "gocache"), GOPATH=os.path.join(WORK, "gopath"),
               HOME=WORK, GO111MODULE="off", GOFLAGS="")
    out = os.path.join(d, name)
    sh("go", "build", "-o", out, path, env=env)
    import shutil
    shutil.rmtree(env["GOCACHE"], ignore_errors=True)     # 10 MB of build cache
    return out


@scenario(9)
def go_tcp_relay_setlinger0_passes_on_backend_oom_kill_two_ifaces(net):
    """A Go TCP relay that passes a backend reset on to its client with SetLinger(0): the backend (a scan decoder) is OOM-killed with an upload unread in its socket, its kernel resets the relay's upstream connection, and the relay resets the uploading client (dumpcap on the relay's two links, pcapng).

    Routed through a relay host p: a scanner workstation 10.59.9.1
    uploads a TIFF (a header line, then 8 KB every 50 ms) to a Go 1.19
    relay on 10.59.9.254:6000 (io.Copy both ways; on an error from either
    side it closes both connections with SetLinger(0), so that the other
    side sees a failure rather than a clean end), which forwards to a
    decoder 10.59.109.1:7000 (Python) that reads the header line and
    leaves the body in its socket while it "decodes".  After 1 s the
    decoder is SIGKILLed (as the OOM killer does): its close with the
    body unread sends RST to the relay (TCP_ABORT_ON_CLOSE).  The relay's
    read from the decoder fails with ECONNRESET and it closes the client
    connection with SO_LINGER 0: RST to the scanner, TCP_STATE when the
    client's last chunk had been read, TCP_ABORT_ON_CLOSE when a chunk was
    still unread (the labels follow the traced reason).  Captured with
    dumpcap on the relay host's two interfaces (pcapng), snaplen 128.
    """
    n = 9
    routed(net, n, router="p")
    relay, dec = a4(n, 254), a4(100 + n, 1)
    binpath = go_build(n, "relay", GO_PROXY)
    net.start("p", [binpath, f"{relay}:6000", f"{dec}:7000"], "relay", ready=(relay, 6000))
    b = net.py("s", THUMB_BACKEND, "decoder", args=(dec,), ready="listening")
    ping(net, "c", relay)
    ping(net, "p", dec)
    fname = "go-tcp-relay-setlinger0-passes-on-backend-oom-kill-two-ifaces.pcapng"
    net.capture("p", ["rc", "rs"], os.path.join(OUT, fname), tool="dumpcap", snaplen=128)
    cli = net.py("c", UPLOADER, "uploader", args=(relay,))
    wait_log(b, "decoding")
    time.sleep(1.0)
    net.kill(b)
    wait_exit(cli, 10)
    net.stop_captures()
    os.unlink(binpath)          # the running relay keeps its image; work/ stays small
    return fname, Rules([(relay, 6000), (dec, 7000)], [
        FOLLOWUP(("TCP_FLAGS", "NO_SOCKET")),
        (lambda r: r["src"] == (dec, 7000),
         L("unread-recv-buffer", "the decoder was SIGKILLed (OOM) with the upload's body unread in "
                                 "its socket: the kernel reset the relay's upstream connection",
           {"TCP_ABORT_ON_CLOSE"})),
        (is_server, by_reason({
            "TCP_STATE": L("linger-abort", "the Go relay passed the upstream reset on: it closed the "
                                           "client connection with SetLinger(0), nothing unread",
                           {"TCP_STATE"}),
            "TCP_ABORT_ON_CLOSE": L("unread-recv-buffer",
                                    "the Go relay passed the upstream reset on: it closed the client "
                                    "connection (SetLinger(0)) with the client's last chunk unread",
                                    {"TCP_ABORT_ON_CLOSE"}, alternatives=["linger-abort"]),
        })),
    ])


# ------------------------------------------------------------------ 10: Go ReadTimeout, slow upload

GO_UPLOAD_API = r"""
package main

import (
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"time"
)

func main() {
	mux := http.NewServeMux()
	mux.HandleFunc("/v1/backups/", func(w http.ResponseWriter, r *http.Request) {
		n, err := io.Copy(io.Discard, r.Body)
		if err != nil {
			log.Println("upload of", r.URL.Path, "failed after", n, "bytes:", err)
			http.Error(w, "upload failed", http.StatusBadRequest)
			return
		}
		fmt.Fprintf(w, "stored %d bytes\n", n)
	})
	srv := &http.Server{
		Addr:         os.Args[1],
		Handler:      mux,
		ReadTimeout:  2 * time.Second, // "always set timeouts on a Go server"
		WriteTimeout: 10 * time.Second,
		IdleTimeout:  60 * time.Second,
	}
	log.Println("listening on", os.Args[1])
	log.Fatal(srv.ListenAndServe())
}
"""


BACKUP_AGENT = r"""
import os, sys, time, requests
def body():                      # the dump is streamed as it is produced: 16 KB every 100 ms
    for i in range(40):
        yield os.urandom(16384)
        time.sleep(0.1)
try:
    r = requests.put(sys.argv[1], data=body(), timeout=10,
                     headers={"Content-Type": "application/zstd", "User-Agent": "site-backup/2.3"})
    print(time.time(), "answer", r.status_code, r.text.strip(), flush=True)
except requests.RequestException as e:
    print(time.time(), "backup upload failed:", repr(e), flush=True)
"""


@scenario(10)
def go_http_readtimeout_cuts_slow_upload_python_requests_nano_v6(net):
    """A Go 1.19 net/http API with ReadTimeout 2 s (whole request, body included) receives a backup streamed by python-requests at 160 KB/s: at 2 s the body read fails, the handler answers 400 and the server closes, but requests goes on writing the body and never reads the answer: its next chunk meets the closed socket (captured at the client, nanosecond timestamps, snaplen 96, IPv6).

    One link: a client [fd59:10::1] and a Go API on [fd59:10::2]:8080
    whose http.Server sets ReadTimeout 2 s, WriteTimeout 10 s and
    IdleTimeout 60 s, as blog posts on Go servers advise (ReadTimeout
    covers the whole request, body included).  A backup agent (python3-
    requests 2.28, `requests.put(url, data=generator)`: chunked transfer
    encoding) streams a database dump as it is produced, 16 KB every
    100 ms, about 4 s for the whole.  At 2 s the connection's read
    deadline passes, the handler's read fails with "i/o timeout", it
    answers 400 and net/http closes the connection (FIN).  requests reads
    no answer before the body is sent, so it writes its next chunk into
    the closed connection: RST (TCP_TIMEWAIT_SOCKET when the client's
    kernel had acknowledged the FIN, TCP_ABORT_ON_DATA when the chunk
    crossed it; or TCP_ABORT_ON_CLOSE if a chunk was already unread in
    Go's socket when it closed); the labels follow the traced reason.  The
    agent reports a ConnectionError (broken pipe or reset), never the 400.
    Captured with
    tcpdump at the client, nanosecond timestamps, snaplen 96.
    """
    n = 10
    direct(net, n)
    srv = a6(n, 2)
    binpath = go_build(n, "api", GO_UPLOAD_API)
    net.start("s", [binpath, f"[{srv}]:8080"], "api", ready=(srv, 8080))
    ping(net, "c", srv)
    fname = "go-http-readtimeout-cuts-slow-upload-python-requests-nano-v6.pcap"
    net.capture("c", ["c0"], os.path.join(OUT, fname), snaplen=96,
                extra=("--time-stamp-precision=nano",))
    p = net.py("c", BACKUP_AGENT, "agent", args=(f"http://[{srv}]:8080/v1/backups/site-42/2026-12-08.tar.zst",))
    wait_exit(p, 20)
    time.sleep(0.3)
    net.stop_captures()
    os.unlink(binpath)
    return fname, Rules([(srv, 8080)], [
        FOLLOWUP(("TCP_FLAGS", "NO_SOCKET"),
                 why="a later chunk of the upload met the server host, where the Go API still listens"),
        (is_server, by_reason({
            "TCP_ABORT_ON_CLOSE": L(
                "unread-recv-buffer",
                "Go's http.Server ReadTimeout (2 s, the whole request) expired during a slow upload; "
                "the handler answered 400 and net/http closed the connection with upload data "
                "unread in its socket: the kernel sent RST", {"TCP_ABORT_ON_CLOSE"}),
            "TCP_ABORT_ON_DATA": DAF(
                "Go's http.Server ReadTimeout expired during a slow upload; net/http answered 400 and "
                "closed the connection (FIN); the next chunk of the upload met the closed socket",
                reasons={"TCP_ABORT_ON_DATA"}),
            "TCP_TIMEWAIT_SOCKET": DAF(
                "Go's http.Server ReadTimeout expired during a slow upload; net/http answered 400 and "
                "closed the connection (FIN); the next chunk of the upload met the closed socket",
                reasons={"TCP_TIMEWAIT_SOCKET"}),
        })),
    ])



# ------------------------------------------------------------------ 11: HAProxy clitcpka, vanished push client

PUSH_BACKEND = r"""
import socket, sys, threading, time
ls = socket.socket(socket.AF_INET6)
ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
ls.bind((sys.argv[1], 5222))
ls.listen(8)
print("listening", flush=True)
def serve(c, peer):
    f = c.makefile("rb")
    print(time.time(), "hello", f.readline(), flush=True)
    c.sendall(b"OK session 7f3a subscribed to 3 topics\n")
    d = c.recv(1024)                     # nothing to push for now: wait for the client
    print(time.time(), "recv", d, flush=True)
    c.close()
while True:
    c, peer = ls.accept()
    threading.Thread(target=serve, args=(c, peer), daemon=True).start()
"""

PUSH_CLIENT = r"""
import socket, sys, time
s = socket.create_connection((sys.argv[1], 5222))
s.sendall(b"HELLO device=android-4411 topics=orders,chat,promo\n")
print(time.time(), "got", s.recv(1024), flush=True)
time.sleep(60)
"""


@scenario(11)
def haproxy_clitcpka_push_gateway_phone_vanished_keepalive_router_v6(net):
    """HAProxy in TCP mode in front of a push service, with long tunnel timeouts and client-side TCP keepalive tuned by its own options (`option clitcpka`, clitcpka-idle 2s, -intvl 1s, -cnt 2): a phone that lost coverage stops answering, and HAProxy's kernel gives up and resets the connection (captured on the router between, IPv6).

    Routed over IPv6: a phone [fd59:11::1] holds a long-lived connection
    to a push gateway: Debian's HAProxy 2.6 on [fd59:111::1]:5222 (mode
    tcp, `timeout client 1h`, `timeout server 1h`, and to clean up dead
    mobile clients sooner than the idle timeout `option clitcpka`,
    `clitcpka-idle 2s`, `clitcpka-intvl 1s`, `clitcpka-cnt 2`: HAProxy sets
    TCP_KEEPIDLE/KEEPINTVL/KEEPCNT on the client socket) before a push
    service on [::1]:5222 (a few lines of Python).  The phone says HELLO,
    gets its session line, and then loses coverage: from 0.5 s on the
    router drops everything from and to the phone (an nftables forward
    drop: the radio link is gone, the phone's host is not told).  After 2 s
    of idleness HAProxy's kernel sends a keepalive probe (seq = next - 1,
    no data), a second one 1 s later, neither answered (the router drops
    them); 1 s after the second it gives up: RST+ACK
    (TCP_KEEPALIVE_TIMEOUT) toward the phone,
    also dropped beyond the router.  HAProxy then closes the server side
    cleanly (FIN on lo, not captured).  Captured with tcpdump on the
    router's server-side link (rs): the probes and the RST are seen there
    before the router drops them.
    """
    n = 11
    routed(net, n)
    srv = a6(100 + n, 1)
    net.py("s", PUSH_BACKEND, "push", args=("::1",), ready="listening")
    haproxy(net, "s", n, "haproxy", f"""
global
    log stdout format short local0 info
defaults
    mode tcp
    log global
    option tcplog
    timeout connect 2s
    timeout client 1h
    timeout server 1h
frontend push
    bind [{srv}]:5222
    option clitcpka
    clitcpka-idle 2s
    clitcpka-intvl 1s
    clitcpka-cnt 2
    default_backend pushsvc
backend pushsvc
    server push1 [::1]:5222
""", ready=(srv, 5222))
    ping(net, "c", srv)
    fname = "haproxy-clitcpka-push-gateway-phone-vanished-keepalive-router-v6.pcap"
    net.capture("r", ["rs"], os.path.join(OUT, fname))
    cli = net.py("c", PUSH_CLIENT, "phone", args=(srv,))
    wait_log(cli, "got")
    time.sleep(0.5)
    net.nft("r", f"""
table inet coverage {{
  chain radio {{
    type filter hook forward priority 0; policy accept;
    ip6 saddr {V6}:{n}::/64 drop
    ip6 daddr {V6}:{n}::/64 drop
  }}
}}
""")
    time.sleep(5.5)
    net.stop_captures()
    return fname, Rules([(srv, 5222)], [
        FOLLOWUP(),
        (is_server, L("keepalive-timeout",
                      "HAProxy's client-side TCP keepalive (option clitcpka, idle 2 s, interval 1 s, "
                      "count 2) went unanswered: the phone had lost coverage; the kernel gave up and "
                      "reset the connection", {"TCP_KEEPALIVE_TIMEOUT"})),
    ])


if __name__ == "__main__":
    main()
