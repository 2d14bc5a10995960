"""Lab scenarios over TLS: real, unmodified Debian software (nginx with its
ssl module, Python's ssl module as /usr/bin/python3 has it, Debian's
OpenSSL 3.0 under both) and certificates made with the openssl command at
run time, in the scenario's work folder; a middlebox filtering by server
name is Debian's iptables (its nftables backend, the kernel's xt_string
match) on the router. Each scenario checks what the programs themselves
saw (the TLS version and ALPN agreed, nginx's error log, the exception the
client got), so a changed library is noticed, not labelled.

The certificates: a CA ("rstdiag lab CA") signs one server certificate
(P-256 key, subjectAltName = the server's name); a second CA that signed
nothing is what a misconfigured client trusts.
"""
import os

from lab import expect, label, nginx_tls, one_incident, scenario, sh

SERVER_NAME = "api.lab.test"
BLOCKED_NAME = "blocked.lab.test"
PYTHON = "/usr/bin/python3"     # Debian's Python and its ssl module; the lab's may be another


def make_certs(d, name):
    """In folder d: ca.crt (the CA that signs srv.crt for `name`), srv.key,
    and other-ca.crt, a CA that signed nothing. Returns the paths."""
    def openssl(*args):
        sh("openssl", *args)
    for ca, cn in (("ca", "rstdiag lab CA"), ("other-ca", "rstdiag lab other CA")):
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                "-nodes", "-keyout", f"{d}/{ca}.key", "-out", f"{d}/{ca}.crt", "-days", "2",
                "-subj", f"/CN={cn}")
    openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
            "-keyout", f"{d}/srv.key", "-out", f"{d}/srv.csr", "-subj", f"/CN={name}")
    with open(f"{d}/srv.ext", "w") as f:
        f.write(f"subjectAltName = DNS:{name}\nbasicConstraints = CA:FALSE\n"
                f"keyUsage = digitalSignature\nextendedKeyUsage = serverAuth\n")
    openssl("x509", "-req", "-in", f"{d}/srv.csr", "-CA", f"{d}/ca.crt", "-CAkey",
            f"{d}/ca.key", "-CAcreateserial", "-out", f"{d}/srv.crt", "-days", "2",
            "-extfile", f"{d}/srv.ext")
    os.chmod(d, 0o755)      # nginx's workers run as nobody; the master reads the key
    return dict(ca=f"{d}/ca.crt", other_ca=f"{d}/other-ca.crt", crt=f"{d}/srv.crt",
                key=f"{d}/srv.key")


def python_client(lab, code, who="client"):
    """Runs `code` with Debian's /usr/bin/python3 in the client namespace;
    returns the Proc (its output: the code's stdout, stderr and exit)."""
    return lab.run(who, f"""
import subprocess
p = subprocess.run([{PYTHON!r}, "-c", {code!r}], capture_output=True, text=True)
print(p.stdout)
print(p.stderr)
print("exit", p.returncode)
""")


def python_server(lab, code):
    """Runs `code` with Debian's /usr/bin/python3 in the server namespace,
    said ready once its first line is printed (it listens then: a client
    that came sooner would draw a refusal first); returns the Proc (its
    output: the code's stdout, stderr and exit)."""
    return lab.run("server", f"""
import subprocess
p = subprocess.Popen([{PYTHON!r}, "-u", "-c", {code!r}], stdout=subprocess.PIPE,
                     stderr=subprocess.PIPE, text=True)
first = p.stdout.readline()
ready()
out, err = p.communicate(timeout=20)
print(first + out)
print(err)
print("exit", p.returncode)
""", wait_ready=True)


def tls_client_code(addr, name, cafile, body):
    """A Python ssl client: verifies the server against `cafile`, sends SNI
    `name`, offers ALPN http/1.1; `body` runs with the TLS socket `s`."""
    return f'''
import socket, ssl, sys, time
print("openssl", ssl.OPENSSL_VERSION)
ctx = ssl.create_default_context(cafile={cafile!r})
ctx.set_alpn_protocols(["http/1.1"])
def request(path):
    return ("GET " + path + " HTTP/1.1\\r\\nHost: {name}\\r\\n\\r\\n").encode()
raw = socket.create_connection(({addr!r}, 443), timeout=5)
''' + body


def closed_server_labeller(detail):
    """nginx had closed: its first RST answers the client's data after its
    FIN (`detail` of data-after-fin) from its FIN_WAIT2 mini-socket, and
    any later ones find no socket."""
    def labeller(rsts):
        expect(rsts[0], "server", "TCP_TIMEWAIT_SOCKET")
        for r in rsts[1:]:
            expect(r, "server", ["TCP_FLAGS", "NO_SOCKET"])
        return ([label("data-after-fin", detail)] +
                [label("reset-followup") for _ in rsts[1:]])
    return labeller


# ---------------------------------------------------------------- keep-alive over TLS

TLS_REUSE_AFTER = 2.5


@scenario("tls-keepalive-timeout-v4", "Debian's nginx serving HTTPS (listen ... ssl, a "
          "certificate for api.lab.test signed by a CA made at run time), unmodified but for "
          "one documented knob (keepalive_timeout 1s; the default is 75 s); a Python ssl "
          "client (SNI api.lab.test, ALPN http/1.1, verifying against that CA) makes a request "
          "over TLS 1.2 (nginx 1.22's default protocols stop there; the client offers 1.3), "
          "keeps the connection and sends its next request 2.5 s later; nginx had closed it "
          "1 s after its answer (a close_notify alert, a type-21 record with encrypted "
          "content, then FIN, both acknowledged), and the request's application-data record "
          "meets nginx's closed socket")
def tls_keepalive_timeout(lab):
    lab.topology()
    certs = make_certs(lab.workdir, SERVER_NAME)
    lab.capture("client")
    srv = nginx_tls(lab, certs, SERVER_NAME, extra="    keepalive_timeout 1s;",  # the knob
                    run_for=TLS_REUSE_AFTER + 3.0)
    cli = python_client(lab, tls_client_code(lab.addr("server"), SERVER_NAME, certs["ca"], f'''
s = ctx.wrap_socket(raw, server_hostname="{SERVER_NAME}")
print("tls", s.version(), s.selected_alpn_protocol())
s.sendall(request("/first"))
print("first", s.recv(4096).split(b"\\r\\n")[0])
time.sleep({TLS_REUSE_AFTER})   # nginx's keepalive_timeout (1 s) closes it meanwhile
try:
    s.sendall(request("/second"))
    print("second", s.recv(4096))
except OSError as e:
    print("second failed", repr(e))
time.sleep(0.3)
s.close()
'''))
    out = cli.wait(timeout=30)
    errors = srv.wait(timeout=30)
    # The design, as the client saw it: TLS 1.2 with http/1.1, the first
    # request answered, the second not (a reset, or the close_notify that
    # was waiting unread: b"").
    if ("tls TLSv1.2 http/1.1" not in out or "first b'HTTP/1.1 200 OK'" not in out or
            not ("second failed" in out or "second b''" in out) or "exit 0" not in out):
        raise RuntimeError(f"the client did not reuse its TLS connection as designed: "
                           f"{out} / {errors}")

    # nginx's FIN was acknowledged by the client's stack 1.5 s before the
    # request: its orphaned socket (a TIME_WAIT mini-socket) answers it.
    return closed_server_labeller("ignored-fin")


@scenario("tls-close-notify-reply-v4", "tls-keepalive-timeout-v4's nginx (keepalive_timeout "
          "1s, the one knob) and Python ssl client, but the client does not reuse the "
          "connection: it reads nginx's idle close (close_notify, then FIN, both acknowledged) "
          "as the end of the stream and closes the TLS session politely, with its own "
          "close_notify (SSLSocket.unwrap, OpenSSL's SSL_shutdown), as RFC 8446 6.1 asks; that "
          "alert meets nginx's closed socket")
def tls_close_notify_reply(lab):
    lab.topology()
    certs = make_certs(lab.workdir, SERVER_NAME)
    lab.capture("client")
    srv = nginx_tls(lab, certs, SERVER_NAME, extra="    keepalive_timeout 1s;",  # the knob
                    run_for=TLS_REUSE_AFTER + 3.0)
    cli = python_client(lab, tls_client_code(lab.addr("server"), SERVER_NAME, certs["ca"], f'''
s = ctx.wrap_socket(raw, server_hostname="{SERVER_NAME}")
print("tls", s.version(), s.selected_alpn_protocol())
s.sendall(request("/first"))
print("first", s.recv(4096).split(b"\\r\\n")[0])
print("eof", s.recv(4096))      # nginx's close_notify after its keepalive_timeout (1 s)
time.sleep(0.2)                 # nginx's FIN is acknowledged first, on its own
plain = s.unwrap()              # our close_notify: the server's already came, so no wait
print("unwrapped")
time.sleep(0.3)
plain.close()
time.sleep(0.3)
'''))
    out = cli.wait(timeout=30)
    errors = srv.wait(timeout=30)
    # The design, as the client saw it: TLS 1.2 with http/1.1, the answer,
    # then the end of the stream (nginx's close_notify) and a clean unwrap.
    if ("tls TLSv1.2 http/1.1" not in out or "first b'HTTP/1.1 200 OK'" not in out or
            "eof b''" not in out or "unwrapped" not in out or "exit 0" not in out):
        raise RuntimeError(f"the client did not close its TLS session as designed: "
                           f"{out} / {errors}")

    # nginx's FIN was acknowledged 0.2 s before: its orphaned socket,
    # a FIN_WAIT2 mini-socket by then, resets the client's close_notify,
    # the only data after its FIN. (Sent at once, the alert carried the
    # FIN's ACK itself and met the full socket: TCP_ABORT_ON_DATA.)
    return closed_server_labeller("close-notify")


# ---------------------------------------------------------------- SNI filter

@scenario("tls-sni-filter-v4", "routed: the router filters by server name with iptables "
          "(-m string --string blocked.lab.test --algo bm -j REJECT --reject-with tcp-reset, "
          "the common recipe; Debian's iptables drives nftables); a Python ssl client connects "
          "to nginx serving HTTPS with SNI blocked.lab.test: its ClientHello, the name in "
          "clear, is rejected with a RST in the server's name and never reaches nginx; nginx, "
          "stopped 2 s later, closes the connection it still holds and its FIN meets the "
          "client's closed socket")
def tls_sni_filter(lab):
    lab.topology(routed=True)
    certs = make_certs(lab.workdir, BLOCKED_NAME)
    lab.nsx("router", "iptables", "-A", "FORWARD", "-p", "tcp", "--dport", "443", "-m", "string",
            "--string", BLOCKED_NAME, "--algo", "bm", "-j", "REJECT", "--reject-with",
            "tcp-reset")
    lab.capture("client")
    srv = nginx_tls(lab, certs, BLOCKED_NAME, run_for=2.0)
    cli = python_client(lab, tls_client_code(lab.addr("server"), BLOCKED_NAME, certs["ca"], f'''
try:
    s = ctx.wrap_socket(raw, server_hostname="{BLOCKED_NAME}")
    print("tls", s.version())
except OSError as e:
    print("handshake failed", repr(e))
time.sleep(2.5)         # nginx's FIN comes while the client is still here
'''))
    out = cli.wait(timeout=30)
    errors = srv.wait(timeout=30)
    hits = lab.nsx("router", "iptables", "-L", "FORWARD", "-v", "-x", "-n").stdout
    # The design: the handshake was reset, by the router's rule (one hit).
    if "handshake failed ConnectionResetError" not in out or "exit 0" not in out:
        raise RuntimeError(f"the client's handshake was not reset as designed: {out} / {errors}")
    rule = [ln for ln in hits.splitlines() if "REJECT" in ln]
    if not rule or rule[0].split()[0] != "1":
        raise RuntimeError(f"the router's rule did not fire once: {hits}")

    def labeller(rsts):
        # The router's REJECT sends the RST (no tcp_send_reset event); the
        # client's kernel, which no longer has the connection, answers
        # nginx's later FIN.
        expect(rsts[0], "server", None)
        out = [label("injected", origin="middlebox",
                     note="iptables -m string match of the ClientHello's server name + REJECT "
                          "--reject-with tcp-reset on the router; the hello never reached nginx")]
        for r in rsts[1:]:
            expect(r, "client", "NO_SOCKET")
            out.append(label("reset-followup"))
        return out
    return labeller


# ---------------------------------------------------------------- certificate rejected

@scenario("tls-client-rejects-cert-v4", "Debian's nginx serving HTTPS for api.lab.test with "
          "a certificate signed by the lab's CA; a Python ssl client (SNI api.lab.test, "
          "verification on, as ssl.create_default_context sets it) trusts another CA: it reads "
          "the server's flight (TLS 1.2, nginx 1.22's default protocols: ServerHello, "
          "Certificate, ServerKeyExchange and ServerHelloDone, one record each), once all of "
          "it has arrived, a record at a time up to the certificate, fails to verify it, sends a fatal unknown_ca alert and closes with the "
          "rest of the flight unread in its receive buffer: its kernel sends RST, not FIN")
def tls_client_rejects_cert(lab):
    lab.topology()
    certs = make_certs(lab.workdir, SERVER_NAME)
    lab.capture("client")
    srv = nginx_tls(lab, certs, SERVER_NAME, run_for=2.0)
    # The client reads the flight only once all of it is in its receive
    # buffer (seen with MSG_PEEK, which reads nothing), then a record at a
    # time as OpenSSL's socket reader does, through a memory BIO: the
    # unread rest is there whatever the order its segments came in. Reading
    # as they came, the client once verified and closed before the rest
    # arrived, sent FIN, and the late records met a closed socket (a RST
    # for NO_SOCKET: lab-regen failed on 66fb5ea).
    cli = python_client(lab, tls_client_code(lab.addr("server"), SERVER_NAME,
                                             certs["other_ca"], f'''
def flight_complete(b):
    """True once b holds a whole TLS record carrying ServerHelloDone (14)."""
    i = 0
    while i + 5 <= len(b):
        n = int.from_bytes(b[i + 3:i + 5], "big")
        if i + 5 + n > len(b):
            return False
        if b[i] == 22 and n > 0 and b[i + 5] == 14:
            return True
        i += 5 + n
    return False
def recv_exactly(n):
    b = b""
    while len(b) < n:
        more = raw.recv(n - len(b))
        if not more:
            raise EOFError
        b += more
    return b
incoming, outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
tls = ctx.wrap_bio(incoming, outgoing, server_hostname="{SERVER_NAME}")
try:
    tls.do_handshake()
except ssl.SSLWantReadError:
    pass
raw.sendall(outgoing.read())    # the ClientHello
deadline = time.time() + 5
while not flight_complete(raw.recv(65536, socket.MSG_PEEK)) and time.time() < deadline:
    time.sleep(0.01)
try:
    while True:
        header = recv_exactly(5)
        incoming.write(header + recv_exactly(int.from_bytes(header[3:5], "big")))
        try:
            tls.do_handshake()
            print("tls", tls.version())
            break
        except ssl.SSLWantReadError:
            pass
except ssl.SSLCertVerificationError as e:
    print("handshake failed", e.verify_message)
raw.sendall(outgoing.read())    # the alert
raw.close()
time.sleep(1.0)
'''))
    out = cli.wait(timeout=30)
    errors = srv.wait(timeout=30)
    # The design, as both sides saw it: the client could not verify the
    # certificate's issuer, and nginx got its unknown_ca alert.
    if ("handshake failed unable to get local issuer certificate" not in out or
            "exit 0" not in out or "alert unknown ca" not in errors):
        raise RuntimeError(f"the client did not reject the certificate as designed: "
                           f"{out} / {errors}")

    def labeller(rsts):
        # The client's close() with the rest of the server's flight unread
        # (OpenSSL reads a record at a time and stopped at the certificate):
        # the kernel's TCP_ABORT_ON_CLOSE, the design's unread data. No
        # alternative: nothing in the design aborts with a zero linger.
        expect(rsts[0], "client", "TCP_ABORT_ON_CLOSE")
        return ([label("unread-recv-buffer")] +
                [label("reset-followup") for _ in rsts[1:]])
    return labeller


# ---------------------------------------------------------------- a closing alert left unread

@scenario("tls-close-notify-unread-v4", "a Python ssl server (Debian's python3 and OpenSSL "
          "3.0, the lab's certificate for api.lab.test, TLS 1.2 as nginx 1.22 speaks it) "
          "answers a request and at once ends its TLS session with close_notify "
          "(SSLSocket.unwrap, OpenSSL's SSL_shutdown), keeping its side of TCP open; the Python "
          "ssl client reads the whole response (Content-Length) and, 0.2 s later, the alert "
          "acknowledged by its stack but never read, closes its socket without a close_notify "
          "of its own, as a TLS client that has what it wanted may (RFC 8446 6.1 does not ask "
          "it to wait for the server's): Linux's tcp_close finds the alert's record unread and "
          "resets (RFC 2525 2.17)")
def tls_close_notify_unread(lab):
    lab.topology()
    certs = make_certs(lab.workdir, SERVER_NAME)
    lab.capture("client")
    # Debian's python3 serves (its ssl module and OpenSSL), started from the
    # lab's runner, which says ready once it listens: a client that came
    # sooner would draw a refusal first.
    server_code = f'''
import socket, ssl, time
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.maximum_version = ssl.TLSVersion.TLSv1_2
ctx.load_cert_chain({certs["crt"]!r}, {certs["key"]!r})
ls = socket.socket()
ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
ls.bind(({lab.addr("server")!r}, 443))
ls.listen(4)
print("listening")
ls.settimeout(10)
raw, _ = ls.accept()
s = ctx.wrap_socket(raw, server_side=True)
print("tls", s.version())
s.recv(4096)
s.sendall(b"HTTP/1.1 200 OK\\r\\nContent-Length: 3\\r\\n\\r\\nok\\n")
time.sleep(0.05)        # the response and the alert in segments of their own
s.settimeout(3)
try:
    s.unwrap()          # close_notify; then waits for the client's, which never comes
    print("unwrap returned")
except OSError as e:
    print("unwrap", type(e).__name__)
time.sleep(0.5)
'''
    srv = python_server(lab, server_code)
    cli = python_client(lab, f'''
import socket, ssl, time
ctx = ssl.create_default_context(cafile={certs["ca"]!r})
raw = socket.create_connection(({lab.addr("server")!r}, 443), timeout=5)
s = ctx.wrap_socket(raw, server_hostname="{SERVER_NAME}")
print("tls", s.version())
s.sendall(b"GET / HTTP/1.1\\r\\nHost: {SERVER_NAME}\\r\\n\\r\\n")
data = b""
while not data.endswith(b"ok\\n"):
    data += s.recv(4096)
print("response", data.split(b"\\r\\n")[0])
time.sleep(0.2)         # the server's close_notify arrives and is acknowledged, unread
s.close()               # no SSL_shutdown: no alert of its own
time.sleep(0.5)
''')
    out = cli.wait(timeout=30)
    errors = srv.wait(timeout=30)
    # The design, as both saw it: TLS 1.2, the response read whole, and the
    # server's wait for the client's close_notify ended by the reset.
    if ("tls TLSv1.2" not in out or "response b'HTTP/1.1 200 OK'" not in out or
            "exit 0" not in out or "unwrap ConnectionResetError" not in errors):
        raise RuntimeError(f"the TLS session did not end as designed: {out} / {errors}")

    def labeller(rsts):
        # The client's close() with the server's close_notify unread:
        # TCP_ABORT_ON_CLOSE. The runner-up a zero linger, which the wire
        # cannot tell from it.
        expect(rsts[0], "client", "TCP_ABORT_ON_CLOSE")
        return ([label("unread-recv-buffer", alternatives=("linger-abort",))] +
                [label("reset-followup") for _ in rsts[1:]])
    return labeller


# ---------------------------------------------------------------- TLS 1.3 tickets

TICKETS_DELAY = 0.05        # each way: a 100 ms round trip
TICKETS_CLOSE_AFTER = 0.15
TICKETS_ANSWER_AFTER = 0.4


@scenario("tls13-second-ticket-meets-closed-client-v4", "a Python ssl server (Debian's "
          "python3 and OpenSSL 3.0, TLS 1.3) sends its default two NewSessionTickets, one as "
          "its handshake ends and the other as it first reads the client's application data, "
          "and answers only 0.4 s after that; over a 100 ms round trip the Python ssl client "
          "sends one request, reads the first ticket, and closes 150 ms after its handshake "
          "without waiting for the answer or sending a close_notify (its FIN): the second "
          "ticket, written as the server read the request, acknowledges the request but not "
          "the FIN, which it crossed, and meets the client's closed socket, which resets; the "
          "answer then finds the connection reset. A ticket is encrypted application data "
          "on the wire (RFC 8446 4.6.1), its size alone like a short answer's")
def tls13_second_ticket_meets_closed_client(lab):
    lab.topology(delay=TICKETS_DELAY)
    certs = make_certs(lab.workdir, SERVER_NAME)
    lab.capture("client")
    server_code = f'''
import socket, ssl, time
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain({certs["crt"]!r}, {certs["key"]!r})
ls = socket.socket()
ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
ls.bind(({lab.addr("server")!r}, 443))
ls.listen(4)
print("listening")
ls.settimeout(10)
raw, _ = ls.accept()
s = ctx.wrap_socket(raw, server_side=True)
print("tls", s.version())
s.recv(4096)
time.sleep({TICKETS_ANSWER_AFTER!r})
try:
    s.sendall(b"HTTP/1.1 200 OK\\r\\nContent-Length: 3\\r\\n\\r\\nok\\n")
    print("answered")
except OSError as e:        # the client's reset came first
    print("answer failed", type(e).__name__)
time.sleep(0.5)
'''
    srv = python_server(lab, server_code)
    cli = python_client(lab, f'''
import socket, ssl, time
ctx = ssl.create_default_context(cafile={certs["ca"]!r})
raw = socket.create_connection(({lab.addr("server")!r}, 443), timeout=5)
s = ctx.wrap_socket(raw, server_hostname="{SERVER_NAME}")
done = time.monotonic()
print("tls", s.version())
s.sendall(b"GET / HTTP/1.1\\r\\nHost: {SERVER_NAME}\\r\\n\\r\\n")
time.sleep(max(0, done + {TICKETS_CLOSE_AFTER!r} - time.monotonic()))
s.setblocking(False)
try:                    # reads the first ticket, which leaves nothing unread
    s.recv(4096)
    print("data came")
except ssl.SSLWantReadError:
    print("tickets read, no answer yet")
s.close()               # no SSL_shutdown: its FIN, no alert
time.sleep(1.0)
''')
    out = cli.wait(timeout=30)
    errors = srv.wait(timeout=30)
    if ("tls TLSv1.3" not in out or "tickets read, no answer yet" not in out or
            "exit 0" not in out or "answer failed" not in errors):
        raise RuntimeError(f"the client did not close before the answer as designed: "
                           f"{out} / {errors}")

    def labeller(rsts):
        # The second ticket reaches the client's closed socket (its
        # orphaned FIN_WAIT2, a timewait socket by then), which resets;
        # the ticket did not acknowledge the FIN: the two crossed.
        expect(rsts[0], "client", ["TCP_TIMEWAIT_SOCKET", "TCP_ABORT_ON_DATA"])
        return ([label("data-after-fin", "race")] +
                [label("reset-followup") for _ in rsts[1:]])
    return labeller


# ---------------------------------------------------------------- TLS 1.3 keep-alive

# nginx 1.22's default ssl_protocols stop at TLSv1.2, so a TLS 1.3 session
# takes a second documented knob beside keepalive_timeout. (openssl s_server,
# whose default is TLS 1.3, has no keep-alive idle close to race: with -www it
# answers one request and closes at once.)
TLS13_KNOBS = ("    ssl_protocols TLSv1.2 TLSv1.3;    # knob 1: 1.22's default stops at 1.2\n"
               "    keepalive_timeout 1s;             # knob 2: the default is 75 s")
TLS13_DELAY = 0.2
TLS13_REUSE_AFTER = 0.8


def tls13_check(out, errors, second_ok):
    """The design as the client saw it: TLS 1.3 with http/1.1, the first
    request answered, the second not (`second_ok` says how it may end)."""
    if ("tls TLSv1.3 http/1.1" not in out or "first b'HTTP/1.1 200 OK'" not in out or
            not any(s in out for s in second_ok) or "exit 0" not in out):
        raise RuntimeError(f"the client did not reuse its TLS 1.3 connection as designed: "
                           f"{out} / {errors}")


@scenario("tls13-keepalive-race-v4", "Debian's nginx serving HTTPS for api.lab.test with two "
          "documented knobs (ssl_protocols TLSv1.2 TLSv1.3, since nginx 1.22's default stops "
          "at TLS 1.2; keepalive_timeout 1s, the default being 75 s), over a path that delays "
          "every packet 200 ms each way; a Python ssl client (TLS 1.3, SNI, ALPN http/1.1) "
          "sends its second request on the kept connection 0.8 s after the first answer, "
          "while nginx's close (close_notify, in TLS 1.3 an application-data record of 19 "
          "bytes, then FIN) is on its way to it: the request's record reaches nginx 0.2 s "
          "after it closed, and nginx's orphaned socket resets it")
def tls13_keepalive_race(lab):
    # The timing, as urllib3-pool-race-v4's, with d = 0.2 s each way and
    # t0 = when the client's recv returned the first answer (it left nginx at
    # t0 - d, and nginx's 1 s keep-alive timer started then):
    #   nginx closes (close_notify, FIN): t0 - 0.2 + 1.0 = t0 + 0.8
    #   they reach the client:            t0 + 0.8 + 0.2 = t0 + 1.0
    # The request must leave after t0 + 0.6 (to reach nginx after its close,
    # t0 + 0.8) and before t0 + 1.0 (so that its ack cannot cover the FIN):
    # sending at t0 + 0.8, it reaches nginx at t0 + 1.0, 200 ms after the
    # close, and leaves 200 ms before the FIN arrives: margins of 200 ms on
    # both sides (at least 150 ms asked). The client's ACK of the FIN reaches
    # nginx at t0 + 1.2, so its socket is still FIN_WAIT1 when the request
    # comes: TCP_ABORT_ON_DATA. The RST reaches the client at t0 + 1.2; it
    # closes at t0 + 2.0, on a socket already reset: nothing more is sent.
    # (t0 itself: the handshake's client Finished is followed by the first
    # request only when the server's first records ACK it, Nagle's rule,
    # one round trip later; t0 is measured from the answer, so it holds.)
    lab.topology(delay=TLS13_DELAY)
    certs = make_certs(lab.workdir, SERVER_NAME)
    lab.capture("client")
    srv = nginx_tls(lab, certs, SERVER_NAME, extra=TLS13_KNOBS, run_for=5.0)
    cli = python_client(lab, tls_client_code(lab.addr("server"), SERVER_NAME, certs["ca"], f'''
s = ctx.wrap_socket(raw, server_hostname="{SERVER_NAME}")
print("tls", s.version(), s.selected_alpn_protocol())
s.sendall(request("/first"))
print("first", s.recv(4096).split(b"\\r\\n")[0])
time.sleep({TLS13_REUSE_AFTER})   # t0 + 0.8: see the timing above
s.sendall(request("/second"))
try:
    print("second", s.recv(4096))
except OSError as e:
    print("second failed", repr(e))
time.sleep(1.0)                 # the RST arrives meanwhile
s.close()
'''))
    out = cli.wait(timeout=30)
    errors = srv.wait(timeout=30)
    # The second recv: the close_notify arrives 200 ms before the RST, so
    # Python reads it as EOF (b""); a reset if it were read later.
    tls13_check(out, errors, ("second b''", "second failed ConnectionResetError"))

    def labeller(rsts):
        # The request did not acknowledge nginx's FIN (it left before the FIN
        # arrived), and nginx's orphaned FIN_WAIT1 socket resets data arriving
        # after its close (a reply-form RST, seq = the request's ack). The
        # client's ACKs of the close_notify (at once) and of the FIN (delayed)
        # reach nginx after that RST ended its socket: its listener answers
        # each (TCP_FLAGS, state LISTEN).
        expect(rsts[0], "server", "TCP_ABORT_ON_DATA")
        for r in rsts[1:]:
            expect(r, "server", ["TCP_FLAGS", "NO_SOCKET"])
        return ([label("data-after-fin", "race")] +
                [label("reset-followup") for _ in rsts[1:]])
    return labeller


@scenario("tls13-keepalive-timeout-v4", "tls-keepalive-timeout-v4 over TLS 1.3: Debian's nginx "
          "with the same two knobs as tls13-keepalive-race-v4 (ssl_protocols TLSv1.2 TLSv1.3; "
          "keepalive_timeout 1s), no delay; the Python ssl client (TLS 1.3, SNI, ALPN "
          "http/1.1) sends its next request 2.5 s after the first answer; nginx had closed "
          "1 s after its answer (close_notify, a 19-byte application-data record, then FIN, "
          "both acknowledged), and the request's record meets nginx's closed socket")
def tls13_keepalive_timeout(lab):
    lab.topology()
    certs = make_certs(lab.workdir, SERVER_NAME)
    lab.capture("client")
    srv = nginx_tls(lab, certs, SERVER_NAME, extra=TLS13_KNOBS, run_for=TLS_REUSE_AFTER + 3.0)
    cli = python_client(lab, tls_client_code(lab.addr("server"), SERVER_NAME, certs["ca"], f'''
s = ctx.wrap_socket(raw, server_hostname="{SERVER_NAME}")
print("tls", s.version(), s.selected_alpn_protocol())
s.sendall(request("/first"))
print("first", s.recv(4096).split(b"\\r\\n")[0])
time.sleep({TLS_REUSE_AFTER})   # nginx's keepalive_timeout (1 s) closes it meanwhile
try:
    s.sendall(request("/second"))
    print("second", s.recv(4096))
except OSError as e:
    print("second failed", repr(e))
time.sleep(0.3)
s.close()
'''))
    out = cli.wait(timeout=30)
    errors = srv.wait(timeout=30)
    tls13_check(out, errors, ("second failed", "second b''"))

    # As in tls-keepalive-timeout-v4: the client's stack acknowledged
    # nginx's FIN 1.5 s before the request, so nginx's orphaned socket (a
    # TIME_WAIT mini-socket) answers it.
    return closed_server_labeller("ignored-fin")


# ---------------------------------------------------------------- the wrong scheme

@scenario("tls-client-to-plain-http-port-v4", "Debian's curl told https://api.lab.test/ "
          "(--resolve to the server's address) where Debian's nginx serves plain HTTP on "
          "port 443 (listen without ssl): nginx cannot parse the ClientHello as a request, "
          "answers 400 Bad Request and closes; curl's OpenSSL reads the answer's first 5 "
          "bytes as a TLS record header, fails (\"wrong version number\", exit 35) and "
          "closes with the rest of the 400 unread: its kernel sends RST, not FIN")
def tls_client_to_plain_http_port(lab):
    lab.topology()
    certs = make_certs(lab.workdir, SERVER_NAME)
    lab.capture("client")
    srv = nginx_tls(lab, certs, SERVER_NAME, run_for=2.0, listen="")
    cli = lab.run("client", f"""
import subprocess
p = subprocess.run(["curl", "-sSv", "--max-time", "5", "--cacert", {certs['ca']!r},
                    "--resolve", "{SERVER_NAME}:443:{lab.addr('server')}",
                    "https://{SERVER_NAME}/"], capture_output=True, text=True)
print(p.stdout)
print(p.stderr)
print("exit", p.returncode)
""")
    out = cli.wait(timeout=30)
    srv.wait(timeout=30)
    # The design, as curl saw it (-v): the handshake failed on the answer's
    # first bytes (exit 35, CURLE_SSL_CONNECT_ERROR).
    if "exit 35" not in out or "wrong version number" not in out:
        raise RuntimeError(f"curl did not fail the handshake as designed: {out}")
    return one_incident("client", "TCP_ABORT_ON_CLOSE", "unread-recv-buffer",
                        note="curl's OpenSSL read a 5-byte record header of nginx's plain "
                             "400 and failed; the rest of the answer was unread at close")


# ---------------------------------------------------------------- nothing on 443

@scenario("tls-closed-port-443-v4", "Debian's curl, configured as an HTTPS client "
          "(https://api.lab.test/, --resolve to the server's address, --cacert the lab's "
          "CA made at run time), connects to the server's port 443 where nothing listens: "
          "the server's kernel answers the SYN with RST+ACK, curl fails to connect (exit 7) "
          "and no ClientHello is ever sent")
def tls_closed_port_443(lab):
    lab.topology()
    certs = make_certs(lab.workdir, SERVER_NAME)
    lab.capture("client")
    cli = lab.run("client", f"""
import subprocess
p = subprocess.run(["curl", "-sSv", "--max-time", "5", "--cacert", {certs['ca']!r},
                    "--resolve", "{SERVER_NAME}:443:{lab.addr('server')}",
                    "https://{SERVER_NAME}/"], capture_output=True, text=True)
print(p.stdout)
print(p.stderr)
print("exit", p.returncode)
""")
    out = cli.wait(timeout=30)
    # The design, as curl saw it (-v): refused at connect (exit 7,
    # CURLE_COULDNT_CONNECT), so TLS never began.
    if ("exit 7" not in out or "port 443 failed: Connection refused" not in out or
            "TLS handshake" in out):
        raise RuntimeError(f"curl was not refused as designed: {out}")

    def labeller(rsts):
        for r in rsts:
            expect(r, "server", "NO_SOCKET")
        return [label("closed-port") for _ in rsts]
    return labeller
