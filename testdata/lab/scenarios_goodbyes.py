"""Lab scenarios: goodbyes that meet a closed socket. One side closes, and
the other answers the close with its protocol's own last words (SMTP's QUIT
after a 421, XMPP's closing stream tag): the words reach a socket that is
already gone, and its kernel resets them. Nothing was lost; the RST is the
protocol's goodbye arriving after the close.

The SMTP and XMPP servers are a few lines of Python speaking the
protocol's opening (a greeting, an EHLO reply) and closing as a real server
does; the clients answer the close as mail and chat clients do. The HTTP/2
scenario is Debian's nginx ending an idle connection with its own goodbye
(GOAWAY, close_notify, FIN) and a client that writes on it anyway. Each
scenario checks what the programs saw, so a changed kernel or library is
noticed, not labelled."""
import os

from lab import expect, label, nginx_tls, scenario, sh


def peer_quit_labeller(reason):
    """The server closed first; the client's goodbye, sent on reading the
    close, met its closed socket: data-after-fin, peer-quit. `reason` is
    where the goodbye found the server's socket, which the design's timing
    decides: sent within the client's delayed ACK of the FIN, the goodbye
    itself acknowledged it, the socket was still FIN_WAIT1 and
    tcp_rcv_state_process resets data arriving after the close
    (TCP_ABORT_ON_DATA); sent after a bare ACK of the FIN, it meets the
    orphan's FIN_WAIT2 mini-socket (TCP_TIMEWAIT_SOCKET). Any later RST
    finds no socket."""
    def labeller(rsts):
        expect(rsts[0], "server", reason)
        for r in rsts[1:]:
            expect(r, "server", ["TCP_FLAGS", "NO_SOCKET"])
        return ([label("data-after-fin", "peer-quit")] +
                [label("reset-followup") for _ in rsts[1:]])
    return labeller


# The client's socket state (tcpi_state, the first byte of TCP_INFO): it
# read the server's end of stream, so its recv says b"" whether or not the
# RST came; after the RST the socket is TCP_CLOSE (7), before it CLOSE_WAIT.
TCP_STATE = """
def tcp_state(c):
    st = c.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 1)[0]
    return {7: "TCP_CLOSE", 8: "TCP_CLOSE_WAIT"}.get(st, str(st))
"""


# ---------------------------------------------------------------- SMTP: QUIT after 421

SMTP_IDLE_TIMEOUT = 2.0


@scenario("smtp-server-timeout-quit-v4", "an SMTP server (a few lines of Python) greets the "
          "client (220), answers its EHLO (250) and waits; the client sends nothing more, and "
          "after 2 s idle the server ends the session as RFC 5321 3.8 allows after a timeout: "
          "'421 4.4.2 Idle timeout', then close() (nothing unread, so FIN); the client reads "
          "the 421 and the end of the stream and at once ends its session with QUIT, as some "
          "mail clients do even then; the QUIT, which acknowledges the server's FIN, meets the "
          "server's closed socket, whose kernel resets it")
def smtp_server_timeout_quit(lab):
    lab.topology()
    lab.capture("client")
    srv = lab.run("server", f"""
s = listen({lab.addr('server')!r}, 25)
ready()
c, _ = s.accept()
c.sendall(b"220 mail.lab.test ESMTP\\r\\n")
got = b""
while not got.endswith(b"\\r\\n"):
    more = c.recv(4096)
    if not more:
        break
    got += more
print("server got", got)
c.sendall(b"250-mail.lab.test\\r\\n250 8BITMIME\\r\\n")
c.settimeout({SMTP_IDLE_TIMEOUT})
try:
    print("server got late", c.recv(4096))      # nothing: the design's idle client
except socket.timeout:
    print("server idle timeout")
c.sendall(b"421 4.4.2 Idle timeout\\r\\n")
c.close()                                       # normal close: FIN, nothing unread
time.sleep(1.5)
""", wait_ready=True)
    cli = lab.run("client", TCP_STATE + f"""
c = connect({lab.addr('server')!r}, 25, timeout=5.0)
got = b""
def line():
    global got
    while b"\\r\\n" not in got:
        more = c.recv(4096)
        if not more:
            return None
        got += more
    l, _, got = got.partition(b"\\r\\n")
    return l
print("greeting", line())
c.sendall(b"EHLO client.lab.test\\r\\n")
while True:                                     # the EHLO reply, 250- ... 250 ...
    l = line()
    if l is None or l[3:4] == b" ":
        break
print("ehlo", l)
print("then", line())                           # blocks: the server's 421, 2 s later
print("eof", got or c.recv(4096))               # and its FIN: the end of the stream
c.sendall(b"QUIT\\r\\n")                         # the client's goodbye, at once
time.sleep(0.3)
print("after quit", tcp_state(c))             # CLOSE once the server's RST came
c.close()
time.sleep(0.3)
""")
    out = cli.wait(timeout=30)
    sout = srv.wait(timeout=30)
    # The design, as both sides saw it: the EHLO answered, the server's idle
    # timeout, the client's 421 and end of stream, and its QUIT reset.
    if ("server idle timeout" not in sout or "ehlo b'250 8BITMIME'" not in out or
            "then b'421 4.4.2 Idle timeout'" not in out or "eof b''" not in out or
            "after quit TCP_CLOSE" not in out):
        raise RuntimeError(f"the session did not end as designed: {out} / {sout}")
    # The client's stack had received data (the greeting, the EHLO reply),
    # so its ACK of the FIN is delayed 40 ms or more (TCP_ATO_MIN; tcp_fin
    # turns on pingpong mode, so no quick ACK; the EHLO reply's ACK came 44
    # ms after it): the QUIT, sent within a millisecond, carries that ACK
    # and meets the FIN_WAIT1 socket.
    return peer_quit_labeller("TCP_ABORT_ON_DATA")


# ---------------------------------------------------------------- XMPP: </stream:stream> after the FIN

XMPP_HEADER = ("<?xml version='1.0'?><stream:stream to='example.com' xmlns='jabber:client' "
               "xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>")
XMPP_CLOSE = "</stream:stream>"
XMPP_CLOSE_AFTER = 0.2      # the client's closing tag, after the end of stream (see below)


@scenario("xmpp-server-closes-stream-v4", "an XMPP client opens its stream (the XML "
          "declaration and the stream:stream header to example.com, jabber:client); the "
          "server (a few lines of Python) reads the header and closes the TCP connection 0.3 s "
          "later without any reply (FIN, nothing unread), as the corpus's jabber capture shows "
          "a server doing on a fresh stream; the client's stack acknowledges the FIN, and 0.2 s "
          "after reading the end of the stream the client closes its own stream with exactly "
          "'</stream:stream>', as RFC 6120 4.4 asks of the side that sees the other's close; "
          "the tag meets the server's closed socket, whose kernel resets it")
def xmpp_server_closes_stream(lab):
    lab.topology()
    lab.capture("client")
    header = XMPP_HEADER.encode()
    srv = lab.run("server", f"""
s = listen({lab.addr('server')!r}, 5222)
ready()
c, _ = s.accept()
got = b""
while len(got) < {len(header)}:
    more = c.recv(4096)
    if not more:
        break
    got += more
print("server got", got == {header!r})
time.sleep(0.3)
c.close()                                       # no reply: FIN, nothing unread
time.sleep(1.5)
""", wait_ready=True)
    cli = lab.run("client", TCP_STATE + f"""
c = connect({lab.addr('server')!r}, 5222, timeout=5.0)
c.sendall({header!r})
print("eof", c.recv(4096))                      # the server's FIN, no stream header
time.sleep({XMPP_CLOSE_AFTER})                  # its event loop's next turn
c.sendall({XMPP_CLOSE.encode()!r})              # RFC 6120 4.4: close our stream too
time.sleep(0.3)
print("after close tag", tcp_state(c))        # CLOSE once the server's RST came
c.close()
time.sleep(0.3)
""")
    out = cli.wait(timeout=30)
    sout = srv.wait(timeout=30)
    if ("server got True" not in sout or "eof b''" not in out or
            "after close tag TCP_CLOSE" not in out):
        raise RuntimeError(f"the stream did not end as designed: {out} / {sout}")
    # Sent at once, the tag raced the client's own ACK of the FIN: that ACK
    # left 0.5 to 4 ms after the FIN in two runs of four (the tag then met
    # a FIN_WAIT2 mini-socket, TCP_TIMEWAIT_SOCKET) and not before the tag
    # in the others (TCP_ABORT_ON_DATA). The stack had received no data
    # before the FIN, so its delayed-ACK timeout had never been set
    # (icsk_ack.ato is set on the first data received), unlike the SMTP
    # client's 40 ms. Sent 0.2 s after the end of stream, the tag always
    # comes after the ACK and meets the orphan's FIN_WAIT2 mini-socket.
    return peer_quit_labeller("TCP_TIMEWAIT_SOCKET")


# ---------------------------------------------------------------- HTTP/2 over TLS
#
# No scenario here has a client's goodbye answered by nginx's: nginx 1.22
# does not answer a client's close with a GOAWAY or a close_notify. curl
# 7.88.1 --http2 ends its connection with a bare FIN (no close_notify, no
# GOAWAY); a client that sends GOAWAY, close_notify and FIN, or
# close_notify and FIN, gets nginx's bare FIN back: the end of stream sets
# c->error (ngx_http_v2_read_handler), so ngx_http_v2_finalize_connection
# sends no GOAWAY and ngx_ssl_shutdown shuts down quietly. Nothing meets a
# closed socket, and no RST comes (three designs tried, 2026-12-05).

H2_NAME = "api.lab.test"


def make_cert(d, name):
    """A self-signed P-256 certificate for `name` in folder d (the h2 client
    does not verify it, as curl -k would not)."""
    sh("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
       "-nodes", "-keyout", f"{d}/srv.key", "-out", f"{d}/srv.crt", "-days", "2",
       "-subj", f"/CN={name}", "-addext", f"subjectAltName = DNS:{name}")
    os.chmod(d, 0o755)      # nginx's workers run as nobody; the master reads the key
    return dict(crt=f"{d}/srv.crt", key=f"{d}/srv.key")


def nginx_h2(lab, cert, extra="", run_for=5.0):
    """Debian's nginx 1.22 serving HTTP/2 over TLS (listen ... ssl http2, as
    1.22 spells it) for H2_NAME: lab.nginx_tls with h2 on."""
    return nginx_tls(lab, cert, H2_NAME, extra=extra, run_for=run_for, listen="ssl http2")


PYTHON = "/usr/bin/python3"     # Debian's Python and its ssl module; the lab's may be another

# A minimal HTTP/2 client over Python's ssl module (through memory BIOs, so
# the program decides when each byte goes out and reads whatever the socket
# holds): ALPN h2 only, the connection preface and an empty SETTINGS, then
# GETs whose headers are HPACK-coded from the static table (:method GET 2,
# :scheme https 7, :path / 4) and :authority as a literal (name index 1).
H2_CLIENT = """
import socket, ssl, time
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
ctx.check_hostname = False
ctx.verify_mode = ssl.CERT_NONE          # the self-signed certificate, as curl -k
ctx.set_alpn_protocols(["h2"])
raw = socket.create_connection((ADDR, 443), timeout=5)
incoming, outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
tls = ctx.wrap_bio(incoming, outgoing, server_hostname=NAME)
def flush():
    data = outgoing.read()
    if data:
        raw.sendall(data)
def pump():
    data = raw.recv(65536)
    if data:
        incoming.write(data)
    return bool(data)
while True:
    try:
        tls.do_handshake()
        break
    except ssl.SSLWantReadError:
        flush()
        pump()
flush()
print("tls", tls.version(), tls.selected_alpn_protocol())
NAMES = {0: "DATA", 1: "HEADERS", 3: "RST_STREAM", 4: "SETTINGS", 6: "PING", 7: "GOAWAY",
         8: "WINDOW_UPDATE"}
buf = b""
def frame(kind, flags, sid, payload=b""):
    return len(payload).to_bytes(3, "big") + bytes([kind, flags]) + sid.to_bytes(4, "big") + payload
def send(data):
    tls.write(data)
    flush()
def read_frame():
    global buf
    while True:
        if len(buf) >= 9:
            n = int.from_bytes(buf[:3], "big")
            if len(buf) >= 9 + n:
                f, buf = buf[:9 + n], buf[9 + n:]
                return f[3], f[4], int.from_bytes(f[5:9], "big") & 0x7fffffff, f[9:]
        try:
            data = tls.read(65536)
        except ssl.SSLWantReadError:
            if not pump():
                return None             # the end of stream without close_notify
            continue
        if not data:
            return "close_notify"       # the peer's, read: b"" from now on
        buf += data
def get(sid):
    block = b"\\x82\\x87\\x84\\x41" + bytes([len(NAME)]) + NAME.encode()
    send(frame(1, 0x5, sid, block))          # HEADERS, END_STREAM | END_HEADERS
    seen = []
    while True:
        f = read_frame()
        if f is None or f == "close_notify":
            seen.append(str(f))
            return seen
        kind, flags, fsid, payload = f
        seen.append(NAMES.get(kind, str(kind)))
        if kind == 4 and not flags & 1:
            send(frame(4, 1, 0))             # SETTINGS ACK
        if fsid == sid and kind in (0, 1) and flags & 1:
            return seen
send(b"PRI * HTTP/2.0\\r\\n\\r\\nSM\\r\\n\\r\\n" + frame(4, 0, 0))
"""


def h2_client(lab, body):
    """Runs H2_CLIENT then `body` with Debian's /usr/bin/python3 in the
    client namespace; returns the Proc."""
    code = (f"ADDR, NAME = {lab.addr('server')!r}, {H2_NAME!r}\n" + H2_CLIENT + body)
    return lab.run("client", f"""
import subprocess
p = subprocess.run([{PYTHON!r}, "-c", {code!r}], capture_output=True, text=True)
print(p.stdout)
print(p.stderr)
print("exit", p.returncode)
""")


H2_IDLE_TIMEOUT = 2.0      # keepalive_timeout, the one knob (the default is 75 s)


def h2_idle_reuse(lab, reuse_after):
    """nginx (keepalive_timeout 2s) and the h2 client: one request, then
    the next on the same connection `reuse_after` seconds after the answer,
    written before anything is read."""
    lab.topology()
    cert = make_cert(lab.workdir, H2_NAME)
    lab.capture("client")
    srv = nginx_h2(lab, cert, extra=f"    keepalive_timeout {H2_IDLE_TIMEOUT:g}s;",  # the knob
                   run_for=reuse_after + 3.0)
    cli = h2_client(lab, f"""
print("first", get(1))
time.sleep({reuse_after})           # nginx's idle timeout (2 s) ends the connection meanwhile
try:
    print("second", get(3))         # written first, then read: GOAWAY, close_notify
except OSError as e:
    print("second failed", repr(e))
time.sleep(0.5)
raw.close()
""")
    out = cli.wait(timeout=30)
    errors = srv.wait(timeout=30)
    # The design, as the client saw it: h2 over TLS 1.2, the first request
    # answered (HEADERS, then DATA with END_STREAM), the second met nginx's
    # goodbye (GOAWAY and close_notify read after it was written, or the RST
    # first).
    if ("tls TLSv1.2 h2" not in out or "'HEADERS', 'DATA']" not in out.split("first", 1)[-1] or
            not ("second ['GOAWAY', 'close_notify']" in out or
                 "second failed ConnectionResetError" in out) or "exit 0" not in out):
        raise RuntimeError(f"the client did not reuse its h2 connection as designed: "
                           f"{out} / {errors}")


def h2_idle_labeller(reason, note=""):
    """The client wrote on the connection nginx had ended (GOAWAY,
    close_notify, FIN, all acknowledged by the client's stack, 1 s or more
    before): data-after-fin, ignored-fin; `reason` is how nginx's socket
    answered."""
    def labeller(rsts):
        expect(rsts[0], "server", reason)
        for r in rsts[1:]:
            expect(r, "server", ["TCP_FLAGS", "NO_SOCKET"])
        return ([label("data-after-fin", "ignored-fin", note=note)] +
                [label("reset-followup") for _ in rsts[1:]])
    return labeller


@scenario("h2-idle-goaway-v4", "Debian's nginx 1.22 serving HTTP/2 over TLS (listen ... ssl "
          "http2, a self-signed certificate made at run time), unmodified but for one "
          "documented knob (keepalive_timeout 2s, which in 1.22 is also HTTP/2's idle "
          "timeout; the default is 75 s); a Python ssl client speaking h2 (ALPN h2 only, TLS "
          "1.2) makes one request, keeps the connection as a pool does and, 3 s after the "
          "answer, sends its next request on it before reading anything; nginx had ended the "
          "idle connection 2 s after its answer: a GOAWAY frame (one TLS record, 46 bytes), "
          "close_notify, then FIN (shutdown for writing: its lingering close), all "
          "acknowledged by the client's stack; the request, which acknowledges the FIN, "
          "reaches nginx 1 s into its lingering close, and nginx closes the socket without "
          "reading it: the unread request makes that close a RST")
def h2_idle_goaway(lab):
    h2_idle_reuse(lab, 3.0)
    # nginx's idle close is a lingering close (ngx_http_v2_lingering_close:
    # GOAWAY, SSL_shutdown's close_notify, shutdown(SHUT_WR), then reading
    # for up to lingering_timeout, 5 s, before close). The request came 1 s
    # into it, and nginx closed at once without reading it (its debug log:
    # "http2 lingering close handler", then "close http connection", no
    # "lingering read"; the read event's timedout flag, set by the
    # keep-alive timer, is presumably still on), so the kernel sent a RST
    # for the unread data (TCP_ABORT_ON_CLOSE, an active RST: seq after
    # nginx's FIN, ACK of the request). The design is the client's write on
    # a connection the server had ended: nginx's FIN first, then the
    # client's data acknowledging it, then the RST answering it, so
    # data-after-fin (TAXONOMY's unread-recv-buffer has no FIN before).
    return h2_idle_labeller("TCP_ABORT_ON_CLOSE",
                            note="nginx's h2 lingering close: the socket shut for writing after "
                                 "GOAWAY and close_notify, then closed with the client's request "
                                 "unread (TCP_ABORT_ON_CLOSE)")


@scenario("h2-idle-goaway-after-linger-v4", "Debian's nginx 1.22 serving HTTP/2 over TLS "
          "(listen ... ssl http2, a self-signed certificate made at run time), unmodified but "
          "for one documented knob (keepalive_timeout 2s, which in 1.22 is also HTTP/2's idle "
          "timeout; the default is 75 s); a Python ssl client speaking h2 (ALPN h2 only, TLS "
          "1.2) makes one request, keeps the connection as a pool does and, 8 s after the "
          "answer, sends its next request on it before reading anything; nginx had ended the "
          "idle connection 2 s after its answer (a GOAWAY frame in one TLS record of 46 bytes, "
          "close_notify, then FIN, all acknowledged by the client's stack) and closed its "
          "socket when its lingering close ran out (lingering_timeout, 5 s by default), so the "
          "request, which acknowledges the FIN, meets nginx's closed socket")
def h2_idle_goaway_after_linger(lab):
    h2_idle_reuse(lab, 8.0)
    # By then nginx had closed the socket (nothing unread), so the orphan,
    # its FIN acknowledged, is a FIN_WAIT2 mini-socket: TCP_TIMEWAIT_SOCKET.
    return h2_idle_labeller("TCP_TIMEWAIT_SOCKET")
