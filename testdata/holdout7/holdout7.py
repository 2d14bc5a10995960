#!/usr/bin/python3
"""Seventh blind hold-out set: real Linux TCP RST captures for rstdiag,
on the theme "what application developers hit".

Each scenario is one function (registered with @scenario(n)) that builds its
own network namespaces (prefix h7-<n>-), runs real programs in them (Debian
packages, or a few lines of Python, Node 20 or Java 17 written the way an
application developer writes them), captures with tcpdump or dumpcap, and
records the kernel's own reason for every RST it sends from the tracepoint
tcp/tcp_send_reset.  Labels come from the scenario's design; each label
names the kernel reasons its design allows, and a RST whose traced reason
is outside them fails the scenario instead of being guessed at.

Address plan of scenario n: client side 10.57.n.0/24 and fd57:n::/64,
server side 10.57.(100+n).0/24 and fd57:(100+n)::/64 (routed scenarios).

usage: holdout7.py [--list] [--merge] [NAME ...]   (no NAME: every scenario)
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

holdout_harness.configure(__file__, "holdout7", "h7", "10.57", "fd57")
from holdout_harness import *  # noqa: E402,F401,F403

# holdout5's correction of the duplicate detection is the harness's own now
# (holdout_harness.match_events).

_harness_fin_detail = holdout_harness.fin_detail


def fin_detail(path, r):
    """The harness's fin_detail takes the last data or FIN segment from B
    before the RST for the one it answers.  When B's own FIN follows its
    data (a client that closes at once on the server's FIN), that FIN is
    taken, and it always acknowledges A's FIN.  Here the segment answered
    is the one whose acknowledgment number the RST carries as its sequence
    number (reply form, RST without ACK); when one is found, `race` or
    `ignored-fin` is decided from it; otherwise the harness decides."""
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

GUNICORN = "/usr/bin/gunicorn"
TINYPROXY = "/usr/bin/tinyproxy"
PGBIN = "/usr/lib/postgresql/15/bin"


def confdir(n, what):
    d = os.path.join(WORK, f"{n}.{what}")
    os.makedirs(d, exist_ok=True)
    os.chmod(d, 0o777)
    return d


def node(net, who, n, name, src, args=(), ready=None):
    """Runs a Node 20 script (written to work/n.name.js) in who's namespace."""
    path = write(os.path.join(WORK, f"{n}.{name}.js"), src)
    return net.start(who, [NODE, path, *args], name, ready=ready)


def java(net, who, n, cls, src, args=(), ready=None, props=()):
    """Compiles one Java 17 class into work/n.java/ and runs it."""
    d = javac(n, cls, src)
    return net.start(who, ["java", *props, "-cp", d, cls, *args], cls, ready=ready)


def tshark_fields(path, flt, *fields):
    p = sh("tshark", "-r", path, "-Y", flt, "-T", "fields", *sum([["-e", f] for f in fields], []),
           "-E", "occurrence=l")
    return [line.split("\t") for line in p.stdout.splitlines()]


def add_comment(path, comment):
    """Adds a capture-file comment (pcapng SHB) with editcap."""
    tmp = path + ".tmp.pcapng"
    sh("editcap", "--capture-comment", comment, path, tmp)
    os.replace(tmp, path)


# ------------------------------------------------------------------ 1: gunicorn worker timeout

@scenario(1)
def gunicorn_worker_timeout_unread_upload_v4(net):
    """gunicorn's worker --timeout kills a sync worker stuck in a slow view before it read the upload's body; the worker exits with the body unread in its socket and the kernel resets the client's connection (captured at the server).

    Debian's gunicorn 20.1 serves a small Flask-less WSGI app on
    10.57.1.2:8000 with one sync worker and `--timeout 1` (the default is
    30 s).  The view for `POST /api/v1/import` first calls a slow
    dependency (a 4 s sleep, as a blocked database call) and would read the
    request body afterwards.  A client (python3-requests 2.28) uploads a
    48 KB CSV to it.  The body arrives and is acknowledged by the server's
    kernel, but the worker has read only the headers (and what came with
    them).  The arbiter sees no heartbeat from the worker for more than 1 s
    and aborts it (SIGABRT, "WORKER TIMEOUT"); the worker process exits with
    the body unread in the socket's receive queue, so its kernel closes the
    connection with RST instead of FIN (TCP_ABORT_ON_CLOSE).  The client's
    requests raises ConnectionError (connection reset by peer).  Captured at
    the server with tcpdump.
    """
    n = 1
    direct(net, n)
    srv = a4(n, 2)
    d = confdir(n, "gunicorn")
    write(os.path.join(d, "importer.py"), """
import time
def app(environ, start_response):
    if environ["PATH_INFO"] == "/api/v1/import":
        time.sleep(4)                      # the slow dependency
        body = environ["wsgi.input"].read()
        out = ("imported %d bytes\\n" % len(body)).encode()
    else:
        out = b"ok\\n"
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(out)))])
    return [out]
""")
    net.start("s", [GUNICORN, "--chdir", d, "--bind", f"{srv}:8000", "--workers", "1",
                    "--worker-class", "sync", "--timeout", "1", "--graceful-timeout", "1",
                    "importer:app"], "gunicorn", ready=(srv, 8000))
    time.sleep(1.0)
    net.x("c", "ping", "-c", "1", "-W", "1", srv, check=False)
    fname = "gunicorn-worker-timeout-unread-upload-v4.pcap"
    net.capture("s", ["s0"], os.path.join(OUT, fname))
    cli = net.py("c", f"""
import requests
rows = "".join("%d,customer-%d,%d.%02d\\n" % (i, i, i * 7, i % 100) for i in range(3000))
body = rows.encode()[:48000]
try:
    r = requests.post("http://{srv}:8000/api/v1/import", data=body,
                      headers={{"Content-Type": "text/csv"}}, timeout=10)
    print(r.status_code, r.text, flush=True)
except Exception as e:
    print("upload failed:", repr(e), flush=True)
""", "client")
    wait_exit(cli, 20)
    net.stop_captures()
    return fname, Rules([(srv, 8000)], [
        FOLLOWUP(),
        (is_server, L("unread-recv-buffer",
                      "gunicorn's arbiter aborted the sync worker after --timeout 1 while its view "
                      "slept before reading the 48 KB upload; the worker exited with the body unread "
                      "in the receive queue, so the kernel reset the connection instead of a FIN",
                      {"TCP_ABORT_ON_CLOSE"})),
    ])


# ------------------------------------------------------------------ 2: Java HttpClient request timeout

SLOW_HTTP_V6 = r"""
import http.server, socket, sys, time
class H(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_GET(self):
        delay = float(sys.argv[3]) if self.path.startswith("/reports") else 0
        time.sleep(delay)
        body = b'{"report":"daily","rows":1284}\n'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        print(time.time(), "answered", self.path, "after", delay, flush=True)
class S(http.server.ThreadingHTTPServer):
    address_family = socket.AF_INET6 if ":" in sys.argv[1] else socket.AF_INET
print("listening", flush=True)
S((sys.argv[1], int(sys.argv[2])), H).serve_forever()
"""

JAVA_TIMEOUT = r"""
import java.net.URI;
import java.net.http.*;
import java.time.Duration;

public class ReportClient {
    public static void main(String[] a) throws Exception {
        HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest req = HttpRequest.newBuilder(URI.create(a[0]))
            .timeout(Duration.ofSeconds(1)).header("Accept", "application/json").GET().build();
        long t0 = System.nanoTime();
        try {
            HttpResponse<String> r = client.send(req, HttpResponse.BodyHandlers.ofString());
            System.out.println(r.statusCode() + " " + r.body());
        } catch (HttpTimeoutException e) {
            System.out.println("timed out after " + (System.nanoTime() - t0) / 1000000 + " ms: " + e);
        }
        System.out.println("done");
        Thread.sleep(4000);     // the service goes on running
    }
}
"""


@scenario(2)
def java_httpclient_request_timeout_late_answer_v6_dumpcap(net):
    """Java 17's java.net.http.HttpClient with HttpRequest.timeout(1 s) gives up on a slow report endpoint and closes its connection; the server's answer 2.5 s after the request meets the client's closed socket (captured at the client with dumpcap, IPv6).

    A report service [fd57:2::2]:8080 (Python's http.server, threads,
    HTTP/1.1) takes 2.5 s to answer `GET /reports/daily`.  The calling
    service uses Java 17's HttpClient (HTTP/1.1 forced, as many set it for
    plain-text backends) with a per-request timeout of 1 s.  The request
    is sent and acknowledged; after 1 s the client throws
    HttpTimeoutException and HttpClient closes the connection (a FIN:
    nothing is unread), which the server's kernel acknowledges.  The
    server's thread, unaware, writes its 200 answer at 2.5 s into the
    half-closed connection; the client's orphaned socket (FIN_WAIT2, the
    JVM still runs) answers with a RST (TCP_TIMEWAIT_SOCKET).  Captured at
    the client with dumpcap (pcapng).
    """
    n = 2
    direct(net, n)
    srv = a6(n, 2)
    net.py("s", SLOW_HTTP_V6, "server", args=(srv, 8080, 2.5), ready="listening")
    net.x("c", "ping", "-6", "-c", "1", "-W", "1", srv, check=False)
    d = javac(n, "ReportClient", JAVA_TIMEOUT)
    fname = "java-httpclient-request-timeout-late-answer-v6-dumpcap.pcapng"
    net.capture("c", ["c0"], os.path.join(OUT, fname), tool="dumpcap")
    cli = net.start("c", ["java", "-cp", d, "ReportClient", f"http://[{srv}]:8080/reports/daily"],
                    "client")
    wait_exit(cli, 30)
    net.stop_captures()
    return fname, Rules([(srv, 8080)], [
        FOLLOWUP(),
        (is_client, DAF("Java's HttpClient gave up after HttpRequest.timeout(1 s) and closed the "
                        "connection (FIN, acknowledged); the report service's answer, written 2.5 s "
                        "after the request, met the client's closed socket; alternative "
                        "response-timeout: the client's FIN came after 1 s of silence following an "
                        "acknowledged, unanswered request, i.e. the client closed because the "
                        "answer was late, which the wire shows but data-after-fin does not name",
                        alternatives=["response-timeout"])),
    ])


# ------------------------------------------------------------------ 3: Node fetch abort mid-download

EXPORT_SERVER = r"""
import http.server, os, socket, sys
body = os.urandom(8 << 20)
class H(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except OSError as e:
            print("write failed:", repr(e), flush=True)
class S(http.server.ThreadingHTTPServer):
    address_family = socket.AF_INET6 if ":" in sys.argv[1] else socket.AF_INET
print("listening", flush=True)
S((sys.argv[1], int(sys.argv[2])), H).serve_forever()
"""

NODE_FETCH_ABORT = r"""
const url = process.argv[2];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
(async () => {
  let got = 0;
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(1500) });
    console.log('status', res.status, res.headers.get('content-length'));
    const reader = res.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      got += value.length;
      await sleep(200);            // each chunk goes through a slow transform
    }
    console.log('complete', got);
  } catch (e) {
    console.log('fetch failed after', got, 'bytes:', e.name, e.message);
  }
  await sleep(3000);
  console.log('exit');
})();
"""


@scenario(3)
def node_fetch_abortsignal_timeout_slow_reader_snaplen96_v4(net):
    """Node 20's fetch() with AbortSignal.timeout(1500) downloads an 8 MB export and processes it slowly; when the signal fires, undici destroys the socket with response data still unread in the kernel and the client's kernel resets the connection (captured at the client, snaplen 96).

    An export service on 10.57.3.2:8080 (Python's http.server) answers
    `GET /exports/orders.bin` with 8 MB.  The client is a Node 20 script
    using the built-in fetch() (undici) with `signal:
    AbortSignal.timeout(1500)`, meant as a whole-request deadline; it
    reads the body with a stream reader and spends 200 ms on every chunk
    (a slow transform).  undici stops reading the socket when its body
    queue is full, the client's receive buffer fills and its window
    closes; the server's kernel holds the rest.  At 1.5 s the signal
    aborts the fetch and undici destroys the socket with data unread in
    the receive queue: RST+ACK instead of FIN (TCP_ABORT_ON_CLOSE).
    Segments the server had in flight may draw follow-up RSTs from no
    socket (NO_SOCKET; none in the kept run).  Right after the abort
    undici's pool opens a fresh connection it never uses (no request; a
    FIN when the script exits 3 s later).  Captured at the client with
    snaplen 96.
    """
    n = 3
    direct(net, n)
    srv = a4(n, 2)
    net.py("s", EXPORT_SERVER, "server", args=(srv, 8080), ready="listening")
    net.x("c", "ping", "-c", "1", "-W", "1", srv, check=False)
    fname = "node-fetch-abortsignal-timeout-slow-reader-snaplen96-v4.pcap"
    net.capture("c", ["c0"], os.path.join(OUT, fname), snaplen=96)
    cli = node(net, "c", n, "client", NODE_FETCH_ABORT, args=(f"http://{srv}:8080/exports/orders.bin",))
    wait_exit(cli, 20)
    net.stop_captures()
    return fname, Rules([(srv, 8080)], [
        FOLLOWUP(("NO_SOCKET",)),
        (is_client, L("unread-recv-buffer",
                      "fetch()'s AbortSignal.timeout(1500) fired while the slow reader had left "
                      "response data in the socket's receive queue (window closed); undici "
                      "destroyed the socket and the kernel sent RST instead of FIN",
                      {"TCP_ABORT_ON_CLOSE"})),
    ])


# ------------------------------------------------------------------ 4: tinyproxy idle CONNECT tunnel

TLS_HTTP = r"""
import http.server, socket, ssl, sys
class H(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_GET(self):
        body = b'{"balance":"1024.50","currency":"EUR"}\n'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
class S(http.server.ThreadingHTTPServer):
    address_family = socket.AF_INET6 if ":" in sys.argv[1] else socket.AF_INET
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(sys.argv[3], sys.argv[4])
srv = S((sys.argv[1], int(sys.argv[2])), H)
srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
print("listening", flush=True)
srv.serve_forever()
"""


@scenario(4)
def tinyproxy_idle_timeout_connect_tunnel_https_dumpcap_any_v4(net):
    """tinyproxy's Timeout closes an idle HTTPS CONNECT tunnel; the client's next request on its kept TLS connection meets the proxy's closed socket (captured on the proxy host with dumpcap -i any: both legs, Linux cooked v1 in pcapng).

    A corporate-style forward proxy: Debian's tinyproxy 1.11 on the proxy
    host 10.57.4.254:8888 (`Timeout 1`: the default is 600 s) between a
    client network 10.57.4.0/24 and an API server 10.57.104.1:443 (Python's
    http.server over ssl, HTTP/1.1 keep-alive, a certificate for
    api.lab.test signed by a lab CA).  The client (Python http.client
    HTTPSConnection with set_tunnel, as requests and SDKs use a proxy)
    sends CONNECT, then `GET /v1/accounts/42/balance` through the tunnel,
    keeps the connection and idles 3 s before `GET
    /v1/accounts/42/transactions`.  After 1 s without traffic tinyproxy
    ends the relay and closes both of its sockets (FIN to the client,
    acknowledged by the client's kernel; FIN to the server).  The client's
    next TLS record meets the proxy's closed socket: RST from the proxy
    (TCP_TIMEWAIT_SOCKET).  Captured on the proxy host with `dumpcap -i
    any`.
    """
    n = 4
    routed(net, n, router="p")
    proxy, srv = a4(n, 254), a4(100 + n, 1)
    ca, crt, key = make_cert("api", "api.lab.test")
    net.py("s", TLS_HTTP, "server", args=(srv, 443, crt, key), ready="listening")
    d = confdir(n, "tinyproxy")
    conf = write(os.path.join(d, "tinyproxy.conf"), f"""
User nobody
Group nogroup
Port 8888
Listen {proxy}
Timeout 1
LogLevel Info
MaxClients 20
Allow {a4(n, 0)}/24
ConnectPort 443
""")
    # the proxy resolves api.lab.test from its own hosts file (a private mount
    # namespace binds work/4.tinyproxy/hosts over /etc/hosts for tinyproxy only)
    hosts = write(os.path.join(d, "hosts"), f"127.0.0.1 localhost\n{srv} api.lab.test\n")
    net.start("p", ["unshare", "-m", "sh", "-c", f"mount --bind {hosts} /etc/hosts && "
                    f"exec {TINYPROXY} -d -c {conf}"], "tinyproxy", ready=(proxy, 8888))
    net.x("c", "ping", "-c", "1", "-W", "1", srv, check=False)
    fname = "tinyproxy-idle-timeout-connect-tunnel-https-dumpcap-any-v4.pcapng"
    net.capture("p", ["any"], os.path.join(OUT, fname), tool="dumpcap")
    cli = net.py("c", f"""
import http.client, ssl, time
ctx = ssl.create_default_context(cafile="{ca}")
c = http.client.HTTPSConnection("{proxy}", 8888, context=ctx, timeout=5)
c.set_tunnel("api.lab.test", 443)
c.request("GET", "/v1/accounts/42/balance"); r = c.getresponse(); print(r.status, r.read(), flush=True)
time.sleep(3)
try:
    c.request("GET", "/v1/accounts/42/transactions"); r = c.getresponse(); print(r.status, r.read(), flush=True)
except Exception as e:
    print("second request:", repr(e), flush=True)
""", "client", env=dict(os.environ))
    wait_exit(cli, 20)
    net.stop_captures()
    return fname, Rules([(proxy, 8888), (srv, 443)], [
        FOLLOWUP(),
        (lambda r: r["src"] == (proxy, 8888),
         DAF("tinyproxy's Timeout 1 ended the idle CONNECT tunnel and closed its client socket (FIN, "
             "acknowledged by the client's kernel); the client's next TLS record, 3 s after the "
             "first answer, met the proxy's closed socket")),
    ])


# ------------------------------------------------------------------ 5: PostgreSQL idle in transaction

def start_postgres(net, n, who, listen, conf=()):
    """PostgreSQL 15: a cluster made at run time with initdb in work/n.pg
    (removed by the harness afterwards), listening on `listen`, trust for
    the lab's networks, run as postgres in who's namespace."""
    import shutil
    pg = os.path.join(WORK, f"{n}.pg")
    shutil.rmtree(pg, ignore_errors=True)
    os.makedirs(pg)
    sh("chown", "postgres:postgres", pg)
    sh("setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups", f"{PGBIN}/initdb", "-D", pg,
       "-U", "app", "-A", "trust", "--no-sync", cwd="/tmp")
    with open(os.path.join(pg, "pg_hba.conf"), "a") as f:
        f.write(f"host all all {V4}.0.0/16 trust\nhost all all {V6}::/16 trust\n")
    args = ["-c", f"listen_addresses={listen}", "-k", pg, "-c", "fsync=off"]
    for c in conf:
        args += ["-c", c]
    return net.start(who, [f"{PGBIN}/postgres", "-D", pg, *args], "postgres", user="postgres",
                     ready="database system is ready to accept connections", timeout=30)


@scenario(5)
def postgres_idle_in_transaction_timeout_psycopg2_v6_sll2(net):
    """PostgreSQL's idle_in_transaction_session_timeout ends a psycopg2 session that left its implicit transaction open; the application's next query meets the closed socket (captured at the database host with tcpdump -i any -y LINUX_SLL2, IPv6).

    PostgreSQL 15 (a cluster made at run time with initdb) on
    [fd57:5::2]:5432 with `idle_in_transaction_session_timeout = 1s` (the
    default 0 never ends a session; DBAs set it against sessions that hold
    locks).  A Python service uses python3-psycopg2 2.9 the usual way:
    psycopg2 opens a transaction implicitly at the first execute, and the
    code reads a row and never commits (it thinks a SELECT needs no
    commit).  The session sits "idle in transaction"; after 1 s the server
    sends a FATAL ErrorResponse ("terminating connection due to
    idle-in-transaction timeout") and closes (FIN, acknowledged by the
    client's kernel; psycopg2 reads nothing while the application waits).
    2.5 s after the first query the application runs the next one, which
    meets the server's closed socket: RST (TCP_TIMEWAIT_SOCKET).  Captured
    at the database host with `tcpdump -i any -y LINUX_SLL2`.
    """
    n = 5
    direct(net, n)
    srv = a6(n, 2)
    start_postgres(net, n, "s", srv, ["idle_in_transaction_session_timeout=1s"])
    net.x("c", "ping", "-6", "-c", "1", "-W", "1", srv, check=False)
    fname = "postgres-idle-in-transaction-timeout-psycopg2-v6-sll2.pcap"
    net.capture("s", ["any"], os.path.join(OUT, fname), extra=("-y", "LINUX_SLL2"),
                filt="tcp port 5432")
    cli = net.py("c", f"""
import time, psycopg2
conn = psycopg2.connect(host="{srv}", port=5432, user="app", dbname="postgres",
                        sslmode="disable", application_name="billing-worker")
cur = conn.cursor()
cur.execute("select now(), current_user")
print(cur.fetchone(), flush=True)
time.sleep(2.5)                      # no commit: the session is idle in transaction
try:
    cur.execute("select count(*) from pg_class")
    print(cur.fetchone(), flush=True)
except Exception as e:
    print("second query:", type(e).__name__, str(e).strip(), flush=True)
""", "client")
    wait_exit(cli, 20)
    net.stop_captures()
    return fname, Rules([(srv, 5432)], [
        FOLLOWUP(),
        (is_server, DAF("idle_in_transaction_session_timeout (1 s) ended the psycopg2 session left "
                        "idle in its implicit transaction (FATAL message, then FIN, acknowledged); "
                        "the next query 2.5 s after the first met the closed socket")),
    ])


# ------------------------------------------------------------------ 6: Node server crashes mid-upload

NODE_CRASHING_UPLOAD = r"""
const http = require('http');
const [host, port] = [process.argv[2], +process.argv[3]];
const scanner = { scan: (cb) => setTimeout(() => cb(null, undefined), 500) };  // a stubbed dependency
http.createServer((req, res) => {
  if (req.url.startsWith('/api/v2/media')) {
    req.pause();                                  // wait for the scanner before taking the body
    console.log(Date.now() / 1000, 'upload started', req.headers['content-type']);
    scanner.scan((err, verdict) => {
      // the bug: the stub answers undefined, and verdict.clean throws outside any try
      if (!verdict.clean) { res.statusCode = 422; return res.end('rejected\n'); }
      req.resume(); req.on('end', () => res.end('stored\n'));
    });
    return;
  }
  res.end('ok\n');
}).listen(port, host, () => console.log('listening'));
"""


@scenario(6)
def node_server_uncaught_exception_mid_chunked_upload_router_nano_v4(net):
    """A Node 20 HTTP server crashes on an uncaught TypeError while a mobile-style client streams a chunked upload to it; the dying process leaves the paused request's body unread and its kernel resets the connection (captured on the router, nanosecond pcap, snaplen 200).

    Routed: the client 10.57.6.1 streams a photo upload (python3-requests
    with a generator body: chunked transfer encoding, 16 KB every 100 ms,
    as a phone app streams from its camera roll) to a Node 20 http server
    at 10.57.106.1:3000, `POST /api/v2/media`.  The handler pauses the
    request while a (stubbed) virus scanner is consulted; the scanner's
    callback 0.5 s later dereferences an undefined verdict, the TypeError
    is uncaught and Node exits (code 1, no process manager restarts it).
    The socket is closed by the exiting process with upload data unread
    (Node had stopped reading the paused request): RST+ACK instead of FIN
    (TCP_ABORT_ON_CLOSE).  requests raises ConnectionError (reset by
    peer) in the middle of the upload.  (A chunk still in flight after the
    RST would meet no socket and nothing listening on 3000: a NO_SOCKET
    follow-up; in the kept run the client had nothing in flight.)  Captured
    on the router's server-side link with nanosecond timestamps and
    snaplen 200.
    """
    n = 6
    routed(net, n)
    srv = a4(100 + n, 1)
    node(net, "s", n, "server", NODE_CRASHING_UPLOAD, args=(srv, 3000), ready="listening")
    net.x("c", "ping", "-c", "1", "-W", "1", srv, check=False)
    fname = "node-server-uncaught-exception-mid-chunked-upload-router-nano-v4.pcap"
    net.capture("r", ["rs"], os.path.join(OUT, fname), snaplen=200,
                extra=("--time-stamp-precision=nano",))
    cli = net.py("c", f"""
import os, time, requests
def photo():
    for i in range(30):
        yield os.urandom(16384)
        time.sleep(0.1)
try:
    r = requests.post("http://{srv}:3000/api/v2/media?name=IMG_2041.HEIC", data=photo(),
                      headers={{"Content-Type": "image/heic"}}, timeout=10)
    print(r.status_code, r.text, flush=True)
except Exception as e:
    print("upload failed:", repr(e), flush=True)
""", "client")
    wait_exit(cli, 20)
    net.stop_captures()
    return fname, Rules([(srv, 3000)], [
        FOLLOWUP(("NO_SOCKET",), why="the server process had died and nothing listened on 3000"),
        (is_server, L("unread-recv-buffer",
                      "the Node server died on an uncaught TypeError while the paused upload's "
                      "body sat unread in its socket; the exiting process's socket was reset "
                      "instead of closed with a FIN", {"TCP_ABORT_ON_CLOSE"})),
    ])


# ------------------------------------------------------------------ 7: Node graceful shutdown race

NODE_GRACEFUL = r"""
const http = require('http');
const [host, port] = [process.argv[2], +process.argv[3]];
let n = 0;
const server = http.createServer((req, res) => {
  n++;
  res.setHeader('Content-Type', 'application/json');
  res.end(JSON.stringify({ sku: 'A-1001', price: 19.99, served: n }) + '\n');
});
server.listen(port, host, () => console.log('listening'));
process.on('SIGTERM', () => {
  // the usual graceful shutdown: stop accepting, let Node close idle keep-alive
  // connections (Node 19+ does so in server.close()), exit when done
  console.log(Date.now() / 1000, 'SIGTERM after', n, 'requests: closing');
  server.close(() => { console.log(Date.now() / 1000, 'closed'); process.exit(0); });
});
"""

NODE_AGENT_POLLER = r"""
const http = require('http');
const [host, port] = [process.argv[2], +process.argv[3]];
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
let i = 0;
function once() {
  const req = http.get({ host, port, path: '/api/v1/price/A-1001', agent }, (res) => {
    let body = '';
    res.on('data', (d) => (body += d));
    res.on('end', () => {
      if (++i % 10 === 0) console.log(Date.now() / 1000, 'ok', i);
      setTimeout(once, 10);          // poll the price again
    });
  });
  req.on('error', (e) => {
    console.log(Date.now() / 1000, 'request', i + 1, 'failed:', e.code, e.message);
    setTimeout(() => process.exit(0), 1500);
  });
}
once();
"""


@scenario(7)
def node_graceful_shutdown_closes_idle_keepalive_race_delay_v6(net):
    """A Node 20 server's graceful shutdown (server.close() on SIGTERM, which closes idle keep-alive connections since Node 19) sends its FIN while a polling Node client's next request on the kept connection is already on the way: the request crosses the FIN and the exiting server's socket resets it (captured at the client, IPv6, 50 ms each way).

    A price service, a Node 20 http server on [fd57:7::2]:8080, and a
    Node 20 client that polls it through an http.Agent with keepAlive
    (one socket, a new request 10 ms after each answer), 50 ms away each
    way (a user-space delay line: a mobile or cross-region path).  A
    rolling deploy sends the server SIGTERM; its handler calls
    server.close(): the listener stops and, as Node 19+ does, the idle
    keep-alive connection is closed at once (FIN).  The client had
    already sent its next request (the connection was idle only on the
    server's side), so the request and the FIN cross.  The request arrives
    at a socket that is closed (FIN not yet acknowledged: FIN_WAIT1,
    orphaned when the process exited): RST (TCP_ABORT_ON_DATA), and the
    client sees ECONNRESET.  If instead the FIN had reached the client
    before its next request (a 10 ms window in a 110 ms cycle), the agent
    would have dropped the socket and the new connection's SYN would have
    been refused by the host whose listener had closed (RST+ACK,
    NO_SOCKET: closed-port); the labels allow both, by the traced reason.
    Captured at the client with tcpdump.
    """
    n = 7
    delayed(net, n, 0.05)
    srv = a6(n, 2)
    sp = node(net, "s", n, "server", NODE_GRACEFUL, args=(srv, 8080), ready="listening")
    net.x("c", "ping", "-6", "-c", "1", "-W", "2", srv, check=False)
    fname = "node-graceful-shutdown-closes-idle-keepalive-race-delay-v6.pcap"
    net.capture("c", ["c0"], os.path.join(OUT, fname))
    cli = node(net, "c", n, "client", NODE_AGENT_POLLER, args=(srv, 8080))
    wait_log(cli, "ok 20")
    time.sleep(0.137)
    os.kill(sp.pid, signal.SIGTERM)
    wait_exit(cli, 20)
    net.stop_captures()
    return fname, Rules([(srv, 8080)], [
        FOLLOWUP(),
        (is_server, by_reason({
            "TCP_ABORT_ON_DATA": DAF(
                "the Node server's graceful shutdown (server.close() on SIGTERM) closed the idle "
                "keep-alive connection while the client's next request was already on its way; "
                "the request crossed the FIN and met the exiting server's closed socket",
                reasons={"TCP_ABORT_ON_DATA"}),
            "TCP_TIMEWAIT_SOCKET": DAF(
                "the Node server's graceful shutdown closed the idle keep-alive connection; the "
                "client's next request met the closed socket", reasons={"TCP_TIMEWAIT_SOCKET"}),
            "NO_SOCKET": L("closed-port",
                           "the server's listener had closed in its graceful shutdown; the client's "
                           "agent, told by the FIN, opened a new connection, refused", {"NO_SOCKET"}),
        })),
    ])


# ------------------------------------------------------------------ 8: localhost resolves to ::1 first

DEBIAN_HOSTS = """127.0.0.1	localhost
127.0.1.1	devbox
::1		localhost ip6-localhost ip6-loopback
ff02::1		ip6-allnodes
ff02::2		ip6-allrouters
"""

NODE_LOCALHOST_FETCH = r"""
(async () => {
  const r = await fetch('http://localhost:5000/api/health');
  console.log('fetch', r.status, (await r.text()).trim());
})().catch((e) => console.log('fetch failed:', e.cause ? e.cause.code : e.message));
"""


@scenario(8, extra_blocks=("127.0.0.1", "::1"))
def node_fetch_localhost_ipv6_first_backend_on_127_lo(net):
    """A developer's box: the Python backend listens on 127.0.0.1:5000 only, and both Node 20's fetch('http://localhost:5000') and python3-requests try ::1 first (the Debian hosts file names localhost for both); ::1:5000 refuses, each falls back to 127.0.0.1 (captured on lo with tcpdump).

    One namespace, a developer's laptop or one container: a small API
    (Python's http.server, as `flask run` binds by default) on
    127.0.0.1:5000, IPv4 only.  The frontend dev server (Node 20) calls
    fetch('http://localhost:5000/api/health').  The hosts file is
    Debian's default, naming localhost both 127.0.0.1 and ::1 (the
    programs see it through a private mount namespace), and since Node
    17 the resolver's order is kept as the system gives it: ::1 first.
    Node 20's autoSelectFamily connects to [::1]:5000 first: nothing
    listens there, the kernel answers the SYN with RST+ACK (NO_SOCKET),
    and Node tries 127.0.0.1, which works.  Then a Python script with
    python3-requests does the same (getaddrinfo gives ::1 first, urllib3
    tries the addresses in turn): a second refusal on [::1]:5000, then
    success.  Captured with tcpdump on lo (Ethernet link type, zero
    addresses).
    """
    n = 8
    net.add("h")
    net.py("h", """
import http.server
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = b'{"status":"up"}\\n'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
print("listening", flush=True)
http.server.ThreadingHTTPServer(("127.0.0.1", 5000), H).serve_forever()
""", "api", ready="listening")
    hosts = write(os.path.join(WORK, f"{n}.hosts"), DEBIAN_HOSTS)
    js = write(os.path.join(WORK, f"{n}.frontend.js"), NODE_LOCALHOST_FETCH)
    pyc = write(os.path.join(WORK, f"{n}.script.py"), """
import requests
r = requests.get("http://localhost:5000/api/health", timeout=5)
print("requests", r.status_code, r.text.strip(), flush=True)
""")
    fname = "node-fetch-localhost-ipv6-first-backend-on-127-lo.pcap"
    net.capture("h", ["lo"], os.path.join(OUT, fname))
    cli = net.start("h", ["unshare", "-m", "sh", "-c",
                          f"mount --bind {hosts} /etc/hosts && {NODE} {js} && sleep 1 && "
                          f"{PY} {pyc}"], "clients")
    wait_exit(cli, 20)
    net.stop_captures()
    return fname, Rules([("127.0.0.1", 5000), ("::1", 5000)], [
        FOLLOWUP(("NO_SOCKET",)),
        (lambda r: r["src"] == ("::1", 5000),
         L("closed-port", "localhost resolved to ::1 first; the backend listens on 127.0.0.1 only, "
                          "so the kernel refused the SYN to [::1]:5000 and the client fell back to "
                          "127.0.0.1", {"NO_SOCKET"})),
    ])


# ------------------------------------------------------------------ 9: Java HttpClient connectTimeout

JAVA_CONNECT = r"""
import java.net.URI;
import java.net.http.*;
import java.time.Duration;

public class SyncClient {
    static void attempt(String url, int ms) throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofMillis(ms)).build();
        HttpRequest req = HttpRequest.newBuilder(URI.create(url)).GET().build();
        long t0 = System.nanoTime();
        try {
            HttpResponse<String> r = client.send(req, HttpResponse.BodyHandlers.ofString());
            System.out.println("connectTimeout " + ms + " ms: " + r.statusCode() + " " + r.body().trim());
        } catch (HttpConnectTimeoutException e) {
            System.out.println("connectTimeout " + ms + " ms: gave up after "
                               + (System.nanoTime() - t0) / 1000000 + " ms: " + e.getMessage());
        }
    }
    public static void main(String[] a) throws Exception {
        attempt(a[0], 1000);          // the SDK's default
        Thread.sleep(1500);
        attempt(a[0], 4000);          // the retry policy's longer second try
        Thread.sleep(1500);
    }
}
"""


@scenario(9)
def java_httpclient_connect_timeout_satellite_path_server_dumpcap_v4(net):
    """Java 17's HttpClient with connectTimeout(1 s) over a 1.2 s round trip (a satellite-like path): the client gives up before the SYN-ACK arrives, and its kernel answers the late SYN-ACK with a RST; the retry with 4 s succeeds (captured at the server with dumpcap).

    A field device's sync client (Java 17, java.net.http.HttpClient,
    HTTP/1.1, connectTimeout 1 s as its SDK sets it) calls
    http://10.57.9.2:8080/api/v1/sync over a path of 0.6 s each way (a
    user-space delay line: a geostationary-satellite or congested mobile
    link).  The SYN reaches the server after 0.6 s and its SYN-ACK goes
    back at once, but the client gives up at 1 s (HttpConnectTimeoutException;
    closing a connecting socket sends nothing), and the SYN-ACK reaches the
    client at 1.2 s and finds no socket: RST (NO_SOCKET).  A SYN-ACK
    retransmitted by the server before the RST reached it would draw a
    second RST, a follow-up.  1.5 s later the application retries with a
    4 s connect timeout, which works.  Captured at the server with dumpcap
    (pcapng): there the SYN-ACK leaves at once and the RST comes 1.2 s
    later, the only hint that the client was far away and impatient.
    """
    n = 9
    delayed(net, n, 0.6)
    srv = a4(n, 2)
    net.py("s", SLOW_HTTP_V6, "server", args=(srv, 8080, 0), ready="listening")
    net.x("c", "ping", "-c", "1", "-W", "3", srv, check=False)
    d = javac(n, "SyncClient", JAVA_CONNECT)
    fname = "java-httpclient-connect-timeout-satellite-path-server-dumpcap-v4.pcapng"
    net.capture("s", ["s0"], os.path.join(OUT, fname), tool="dumpcap")
    cli = net.start("c", ["java", "-cp", d, "SyncClient", f"http://{srv}:8080/api/v1/sync"], "client")
    wait_exit(cli, 30)
    net.stop_captures()
    return fname, Rules([(srv, 8080)], [
        FOLLOWUP(("NO_SOCKET",), why="another copy of the late SYN-ACK"),
        (is_client, L("connect-timeout",
                      "Java's HttpClient gave up connecting after connectTimeout(1 s) on a 1.2 s "
                      "round trip; the server's SYN-ACK arrived afterwards and found no socket",
                      {"NO_SOCKET"})),
    ])


# ------------------------------------------------------------------ 10: Java push server keepalive

JAVA_PUSH = r"""
import java.io.*;
import java.net.*;
import jdk.net.ExtendedSocketOptions;

public class PushServer {
    public static void main(String[] a) throws Exception {
        ServerSocket ss = new ServerSocket();
        ss.bind(new InetSocketAddress(a[0], Integer.parseInt(a[1])));
        System.out.println("listening");
        Socket s = ss.accept();
        // dead-peer detection the way the JDK offers it since 11
        s.setKeepAlive(true);
        s.setOption(ExtendedSocketOptions.TCP_KEEPIDLE, 1);
        s.setOption(ExtendedSocketOptions.TCP_KEEPINTERVAL, 1);
        s.setOption(ExtendedSocketOptions.TCP_KEEPCOUNT, 2);
        BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream()));
        Writer out = new OutputStreamWriter(s.getOutputStream());
        System.out.println("client says " + in.readLine());
        out.write("SUBSCRIBED device=phone-7 topics=orders\n"); out.flush();
        out.write("PUSH order 20417 shipped\n"); out.flush();
        long t0 = System.nanoTime();
        try {
            String line = in.readLine();
            System.out.println("read " + line);
        } catch (IOException e) {
            System.out.println("read failed after " + (System.nanoTime() - t0) / 1000000 + " ms: " + e);
        }
    }
}
"""


@scenario(10)
def java_push_server_keepalive_options_phone_vanished_v6(net):
    """A Java 17 push server sets SO_KEEPALIVE with jdk.net.ExtendedSocketOptions (idle 1 s, interval 1 s, count 2) on a phone's connection; the phone's network disappears, the probes go unanswered and the server's kernel resets the connection (captured at the server, IPv6).

    Routed over IPv6: a push server (Java 17, a plain ServerSocket with a
    line protocol) on [fd57:110::1]:7070; a phone [fd57:10::1] connects,
    sends `HELLO device=phone-7 app=shop/4.2`, gets `SUBSCRIBED ...` and one
    `PUSH ...` line, and then nothing is sent either way (orders are rare).
    On the accepted socket the server set SO_KEEPALIVE and, with the JDK's
    ExtendedSocketOptions, TCP_KEEPIDLE 1 s, TCP_KEEPINTERVAL 1 s and
    TCP_KEEPCOUNT 2.  The phone loses its network (the router's link
    toward it goes down: a lift, a tunnel, flight mode) without a word.
    1 s after the last data the server's kernel sends a keepalive probe,
    then another 1 s later, both unanswered (the router has no route to
    the phone any more), then gives up with a RST+ACK
    (TCP_KEEPALIVE_TIMEOUT) and the blocked read throws "Connection timed
    out".  Captured at the server with tcpdump.
    """
    n = 10
    routed(net, n)
    srv = a6(100 + n, 1)
    d = javac(n, "PushServer", JAVA_PUSH)
    net.start("s", ["java", "-cp", d, "PushServer", srv, 7070], "server", ready="listening",
              timeout=30)
    net.x("c", "ping", "-6", "-c", "1", "-W", "1", srv, check=False)
    fname = "java-push-server-keepalive-options-phone-vanished-v6.pcap"
    net.capture("s", ["s0"], os.path.join(OUT, fname))
    cli = net.py("c", f"""
import socket, time
s = socket.create_connection(("{srv}", 7070))
s.sendall(b"HELLO device=phone-7 app=shop/4.2\\n")
f = s.makefile("rb")
print(f.readline(), flush=True)
print(f.readline(), flush=True)
print("subscribed", flush=True)
time.sleep(8)
""", "phone")
    wait_log(cli, "subscribed")
    time.sleep(0.3)
    sh("ip", "-n", net.ns("r"), "link", "set", "rc", "down")
    time.sleep(5)
    net.stop_captures()
    return fname, Rules([(srv, 7070)], [
        FOLLOWUP(),
        (is_server, L("keepalive-timeout",
                      "the Java push server's keepalive (TCP_KEEPIDLE 1 s, TCP_KEEPINTERVAL 1 s, "
                      "TCP_KEEPCOUNT 2 through jdk.net.ExtendedSocketOptions) went unanswered after "
                      "the phone's network disappeared, and its kernel gave up with a RST",
                      {"TCP_KEEPALIVE_TIMEOUT"})),
    ])


# ------------------------------------------------------------------ 11: wrong scheme both ways

NODE_PLAIN_API = r"""
const http = require('http');
http.createServer((req, res) => {
  res.setHeader('Content-Type', 'application/json');
  res.end('{"ok":true}\n');
}).on('clientError', (err, socket) => {
  console.log(Date.now() / 1000, 'clientError', err.code, err.rawPacket ? err.rawPacket.length : 0);
  // what Node does by default: a 400 and the socket's end
  if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
}).listen(+process.argv[3], process.argv[2], () => console.log('listening'));
"""


@scenario(11)
def wrong_scheme_curl_http_to_openssl_tls_and_requests_https_to_node_router_v6(net):
    """The wrong scheme both ways: curl sends plain HTTP to an openssl s_server TLS port, which reads the request, gives up and closes cleanly (FIN, no RST); python3-requests sends a TLS ClientHello to a Node 20 plain-HTTP port, Node answers 400 and ends the socket, and the client's TLS layer gives up on the answer's first five bytes and closes with the rest unread (RST) (captured on the router, IPv6).

    Routed over IPv6: a server host [fd57:111::1] runs `openssl s_server
    -www` on port 4433 (OpenSSL 3.0, a certificate for api.lab.test
    signed by the lab CA) and a Node 20 http server on 8080 (plain HTTP;
    its clientError handler does what Node's default does: writes `400
    Bad Request` and ends the socket).  A developer's machine
    [fd57:11::1] makes the two classic mistakes.  First `curl
    http://[...]:4433/api/status`: s_server reads the whole request (its
    buffering reads more than the 5-byte record header), its TLS layer
    rejects "GET /" (an HTTP request, not TLS), and s_server closes the
    connection with nothing unread: a FIN, no RST (curl: "Empty reply from
    server").  That flow is left in as the contrast.  Then a Python script calls
    `requests.get("https://[...]:8080/api/status")`: Node's HTTP parser
    meets the ClientHello, answers 400 and ends the socket (its FIN may
    come before the client's RST or never leave); the client's ssl
    module reads the answer's first 5 bytes ("HTTP/"), fails with "wrong
    version number", and the socket is closed with the rest of the 400
    unread: RST+ACK from the client (TCP_ABORT_ON_CLOSE).  Captured on the
    router's server-side link.
    """
    n = 11
    routed(net, n)
    srv = a6(100 + n, 1)
    ca, crt, key = make_cert("api", "api.lab.test")
    net.start("s", ["openssl", "s_server", "-accept", f"[{srv}]:4433", "-cert", crt, "-key", key,
                    "-www", "-quiet"], "s_server", ready=(srv, 4433))
    node(net, "s", n, "plainapi", NODE_PLAIN_API, args=(srv, 8080), ready="listening")
    net.x("c", "ping", "-6", "-c", "1", "-W", "1", srv, check=False)
    fname = "wrong-scheme-curl-http-to-openssl-tls-and-requests-https-to-node-router-v6.pcap"
    net.capture("r", ["rs"], os.path.join(OUT, fname))
    p = net.start("c", ["sh", "-c", f"curl -sS -m 5 http://[{srv}]:4433/api/status; echo curl exit $?"],
                  "curl")
    wait_exit(p, 15)
    time.sleep(0.5)
    cli = net.py("c", f"""
import requests
try:
    r = requests.get("https://[{srv}]:8080/api/status", verify="{ca}", timeout=5)
    print(r.status_code, flush=True)
except Exception as e:
    print("requests failed:", repr(e), flush=True)
""", "requests")
    wait_exit(cli, 15)
    net.stop_captures()
    return fname, Rules([(srv, 4433), (srv, 8080)], [
        FOLLOWUP(),
        (lambda r: r["dst"] == (srv, 8080),
         L("unread-recv-buffer", "the client's TLS layer read the first 5 bytes of Node's plain "
                                 "'400 Bad Request' as a TLS record header, failed (wrong version "
                                 "number) and the socket was closed with the rest of the answer "
                                 "unread: RST instead of FIN", {"TCP_ABORT_ON_CLOSE"})),
    ])


# ------------------------------------------------------------------ 12: Twisted Agent timeout abort

TWISTED_CRAWLER = r"""
import sys, time
from twisted.internet import reactor, defer
from twisted.web.client import Agent, HTTPConnectionPool, readBody
from twisted.web.http_headers import Headers

pool = HTTPConnectionPool(reactor, persistent=True)
agent = Agent(reactor, pool=pool)

@defer.inlineCallbacks
def crawl():
    for path in ("/catalog/page/1", "/reports/slow-page"):
        url = ("http://%s:8080%s" % (sys.argv[1], path)).encode()
        d = agent.request(b"GET", url, Headers({b"User-Agent": [b"price-crawler/0.9 (Twisted)"]}))
        d.addTimeout(1.0, reactor)      # the crawler's download timeout, as Scrapy's DOWNLOAD_TIMEOUT
        t0 = time.time()
        try:
            r = yield d
            body = yield readBody(r)
            print(path, r.code, len(body), flush=True)
        except Exception as e:
            print(path, "failed after %.2f s: %r" % (time.time() - t0, e), flush=True)
    yield defer.Deferred(lambda d: None).addTimeout(3.0, reactor).addErrback(lambda f: None)
    reactor.stop()

reactor.callWhenRunning(crawl)
reactor.run()
"""


@scenario(12)
def twisted_agent_download_timeout_abort_router_two_ifaces_v4(net):
    """A Twisted crawler (Agent with a persistent pool, a 1 s download timeout by Deferred.addTimeout, as Scrapy's DOWNLOAD_TIMEOUT works) cancels a request the server is slow to answer; Twisted cancels by abortConnection(), SO_LINGER 0, so the client's kernel resets the kept connection (captured on the router's two links with dumpcap: every packet twice).

    Routed: a crawler 10.57.12.1 and a web server 10.57.112.1:8080
    (Python's http.server, threads, HTTP/1.1 keep-alive) whose
    /catalog/page/1 answers at once and whose /reports/slow-page takes
    2.5 s.  The crawler uses Debian's python3-twisted 22.4: Agent with an
    HTTPConnectionPool(persistent=True), so both requests go over one kept
    connection, and a 1 s timeout on each request's Deferred.  The first
    page comes back at once; the second is sent, acknowledged by the
    server's kernel, and unanswered after 1 s: the timeout cancels the
    Deferred, and HTTP11ClientProtocol cancels a request waiting for its
    response with transport.abortConnection(), which sets SO_LINGER {1, 0}
    and closes: RST+ACK from the client (TCP_STATE), nothing unread.  The
    server's answer at 2.5 s is never sent (its socket was reset).
    Captured with dumpcap on the router's two interfaces (rc, rs): each
    packet appears twice, with TTL 64 on the sender's side and 63 after
    the router; the RST's second copy is labelled as a duplicate.
    """
    n = 12
    routed(net, n)
    srv = a4(100 + n, 1)
    net.py("s", SLOW_HTTP_V6, "server", args=(srv, 8080, 2.5), ready="listening")
    net.x("c", "ping", "-c", "1", "-W", "1", srv, check=False)
    fname = "twisted-agent-download-timeout-abort-router-two-ifaces-v4.pcapng"
    net.capture("r", ["rc", "rs"], os.path.join(OUT, fname), tool="dumpcap")
    cli = net.py("c", TWISTED_CRAWLER, "crawler", args=(srv,))
    wait_exit(cli, 20)
    net.stop_captures()
    return fname, Rules([(srv, 8080)], [
        FOLLOWUP(),
        (is_client, L("response-timeout",
                      "the Twisted crawler's 1 s download timeout cancelled a request the server "
                      "had acknowledged but not answered; Twisted cancels by abortConnection() "
                      "(SO_LINGER 0), so the client's kernel reset the kept connection",
                      {"TCP_STATE"})),
    ])


# ------------------------------------------------------------------ 13: firewall idle timeout, v6

@scenario(13)
def firewall_idle_timeout_kills_pooled_psycopg2_connection_v6(net):
    """A stateful IPv6 firewall between an application and its PostgreSQL forgets an idle pooled connection after 2 s and rejects its next query with a RST in the database's name (captured at the application host, IPv6).

    Routed over IPv6: an application host [fd57:13::1] with a pooled
    psycopg2 connection (autocommit, as a pool keeps it) to PostgreSQL 15
    on [fd57:113::1]:5432, through a firewall (the router) that allows
    only tracked flows: `ct state established,related accept`, new
    connections to 5432 accepted, and `ct state invalid reject with tcp
    reset`; its idle timeout for established TCP flows is short
    (net.netfilter.nf_conntrack_tcp_timeout_established = 2, as a cloud
    firewall or NAT gateway with an aggressive idle timeout) and it does
    not pick up mid-stream flows (nf_conntrack_tcp_loose = 0).  The
    application runs a query, idles 4 s (the pool keeps the connection),
    and runs the next one.  The firewall has forgotten the flow: the
    query's segment is invalid and the firewall answers it with a RST in
    the server's name (nftables reject: no kernel socket, no
    tcp_send_reset event; hop limit 64 where the server's packets arrive
    with 63).  PostgreSQL never sees the query; psycopg2 raises
    OperationalError.  Captured at the application host.
    """
    n = 13
    routed(net, n)
    srv = a6(100 + n, 1)
    net.sysctl("r", "net.netfilter.nf_conntrack_tcp_loose", 0)
    net.nft("r", f"""
table inet fw {{
  chain forward {{
    type filter hook forward priority 0; policy drop;
    ct state established,related accept
    ct state invalid reject with tcp reset
    ip6 daddr {srv} tcp dport 5432 ct state new accept
    icmpv6 type {{ echo-request, echo-reply, nd-neighbor-solicit, nd-neighbor-advert }} accept
  }}
}}
""")
    net.sysctl("r", "net.netfilter.nf_conntrack_tcp_timeout_established", 2)
    start_postgres(net, n, "s", srv)
    net.x("c", "ping", "-6", "-c", "1", "-W", "1", srv, check=False)
    fname = "firewall-idle-timeout-kills-pooled-psycopg2-connection-v6.pcap"
    net.capture("c", ["c0"], os.path.join(OUT, fname))
    cli = net.py("c", f"""
import time, psycopg2
conn = psycopg2.connect(host="{srv}", port=5432, user="app", dbname="postgres",
                        sslmode="disable", application_name="orders-api", connect_timeout=5)
conn.autocommit = True
cur = conn.cursor()
cur.execute("select 1 as ready")
print(cur.fetchone(), flush=True)
time.sleep(4)                        # the pool keeps the connection between requests
try:
    cur.execute("select count(*) from pg_class")
    print(cur.fetchone(), flush=True)
except Exception as e:
    print("second query:", type(e).__name__, str(e).strip(), flush=True)
""", "client")
    wait_exit(cli, 20)
    net.stop_captures()
    return fname, Rules([(srv, 5432)], [
        FOLLOWUP((None,), why="the firewall rejected another segment of the forgotten flow"),
        (is_server, L("idle-timeout",
                      "the firewall's conntrack entry for the idle pooled connection expired after "
                      "2 s (tcp_loose 0: no pick-up mid-stream), so the next query was invalid and "
                      "the firewall rejected it with a RST in the server's name (hop limit 64 where "
                      "the server's packets arrive with 63)", {None}, origin="middlebox")),
    ])


# ------------------------------------------------------------------ 14: Node maxConnections

NODE_MAXCONN = r"""
const http = require('http');
const server = http.createServer((req, res) => {
  res.setHeader('Content-Type', 'application/json');
  res.end('{"quote":"EURUSD","bid":1.0842}\n');
});
server.maxConnections = 2;            // "protect the service": at most two sockets
server.on('drop', (d) => console.log(Date.now() / 1000, 'dropped', d.remoteAddress, d.remotePort));
server.listen(+process.argv[3], process.argv[2], () => console.log('listening'));
"""


@scenario(14)
def node_server_maxconnections_drops_third_client_snaplen128_v4(net):
    """A Node 20 http server with server.maxConnections = 2 closes a third connection the moment it accepts it, with the client's request already in its receive queue: RST instead of FIN (captured at the client, snaplen 128).

    A quote service, a Node 20 http server on 10.57.14.2:8080 with
    `server.maxConnections = 2` (set to protect it from overload).  A
    client service keeps a pool of HTTP/1.1 keep-alive connections
    (Python http.client) and opens them one by one as load grows: the
    first two connect, ask `GET /v1/quote/EURUSD` and stay open.  The
    third connects (the kernel completes the handshake, the listener has
    room) and sends its request at once; when Node's accept callback runs
    it finds two connections open, emits 'drop' and closes the new handle
    without reading.  The request is already in the socket's receive
    queue, so the kernel sends RST+ACK instead of FIN
    (TCP_ABORT_ON_CLOSE); the client sees ECONNRESET on a request that
    never reached the application.  Captured at the client with snaplen
    128.
    """
    n = 14
    direct(net, n)
    srv = a4(n, 2)
    node(net, "s", n, "server", NODE_MAXCONN, args=(srv, 8080), ready="listening")
    net.x("c", "ping", "-c", "1", "-W", "1", srv, check=False)
    fname = "node-server-maxconnections-drops-third-client-snaplen128-v4.pcap"
    net.capture("c", ["c0"], os.path.join(OUT, fname), snaplen=128)
    cli = net.py("c", f"""
import http.client, time
pool = []
for i in range(3):
    c = http.client.HTTPConnection("{srv}", 8080, timeout=5)
    try:
        c.request("GET", "/v1/quote/EURUSD", headers={{"X-Request-Id": "req-%d" % (i + 1)}})
        r = c.getresponse(); print(i + 1, r.status, r.read(), flush=True)
    except Exception as e:
        print(i + 1, "failed:", repr(e), flush=True)
    pool.append(c)
    time.sleep(0.3)
time.sleep(0.5)
""", "client")
    wait_exit(cli, 20)
    net.stop_captures()
    return fname, Rules([(srv, 8080)], [
        FOLLOWUP(),
        (is_server, L("unread-recv-buffer",
                      "Node's server.maxConnections (2) was reached: its accept callback closed the "
                      "third connection's handle at once, with the client's request already unread "
                      "in the receive queue, so the kernel reset it instead of a FIN; alternative "
                      "handshake-abort: the server refused the connection at admission, within a "
                      "millisecond of the handshake, before its application read or sent a byte, "
                      "which on the wire looks like a reset during connection setup",
                      {"TCP_ABORT_ON_CLOSE"}, alternatives=["handshake-abort"])),
    ])


if __name__ == "__main__":
    main()
