"""Lab scenarios: refused connections, closes that lose data, abortive closes."""
import json
import os
import tempfile
import time

from lab import one_incident, expect, label, scenario, sh


def closed_port(lab, v6):
    lab.topology(v6=v6)
    lab.capture("client", fmt="pcapng" if v6 else "pcap")
    lab.run("client", f"""
try:
    connect({lab.addr('server')!r}, 9)
except ConnectionRefusedError:
    pass
""").wait()

    def labeller(rsts):
        for r in rsts:
            expect(r, "server", "NO_SOCKET")
        return [label("closed-port") for _ in rsts]
    return labeller


@scenario("closed-port-v4", "connect() to a port nothing listens on; the server's kernel "
          "answers the SYN with RST+ACK")
def closed_port_v4(lab):
    return closed_port(lab, False)


@scenario("closed-port-v6", "the same over IPv6, captured with dumpcap as pcapng", fmt="pcapng")
def closed_port_v6(lab):
    return closed_port(lab, True)


def ignored_fin_exchange(lab, idle_first=0.0, close_at_once=False):
    """The client's requests on one keep-alive connection, the second after
    the server closed it; idle_first: the client's wait before it connects.
    After the second request the client reads (the server's FIN is already
    there, so the read ends at once) and its script ends, closing; with
    close_at_once it closes without the read, so that on a slow path its
    FIN surely leaves before the RST comes back (lab-regen counts the RSTs:
    in ci73 a busy machine's delay left the radio scenario's FIN out)."""
    srv = lab.run("server", f"""
s = listen({lab.addr('server')!r}, 80)
ready()
c, _ = s.accept()
c.recv(4096)
c.sendall(http_response())
time.sleep(1.0)           # the server's keep-alive idle timeout
c.close()
time.sleep(1.5)
""", wait_ready=True)
    lab.run("client", f"""
time.sleep({idle_first!r})
c = connect({lab.addr('server')!r}, 80)
c.sendall(http_request("/first"))
recv_some(c)
time.sleep(1.5)           # idle in the pool; the server's FIN arrives meanwhile
c.sendall(http_request("/second"))
{"c.close()" if close_at_once else "recv_some(c)"}
""").wait()
    srv.wait()

    def labeller(rsts):
        expect(rsts[0], "server", "TCP_TIMEWAIT_SOCKET")
        out = [label("data-after-fin", "ignored-fin")]
        for r in rsts[1:]:
            out.append(label("reset-followup"))
        return out
    return labeller


@scenario("ignored-fin-v4", "HTTP/1.1 keep-alive: the server closes the idle connection after "
          "1 s; the client acknowledges the FIN but sends its next request 0.5 s later anyway")
def ignored_fin(lab):
    lab.topology()
    lab.capture("client")
    return ignored_fin_exchange(lab)


def static_neighbours(lab):
    """Each side's neighbour entry for the other, set by hand, so that no
    neighbour discovery crosses the wire before the connection's first
    packet: that packet is then the one that wakes the radio, as on a
    phone whose neighbour entries are the access point's."""
    mac = {}
    for who in ("client", "server"):
        out = sh("ip", "-n", lab.ns[who], "-j", "link", "show", lab.iface(who)).stdout
        mac[who] = json.loads(out)[0]["address"]
    for who, other in (("client", "server"), ("server", "client")):
        sh("ip", "-n", lab.ns[who], "neigh", "replace", lab.addr(other), "lladdr", mac[other],
           "dev", lab.iface(who), "nud", "permanent")


@scenario("radio-wake-ignored-fin-v6", "the same seen from a phone: 10 ms each way through one "
          "router, and a radio that holds the first frame after 1 s of silence 0.2 s longer. "
          "The handshake wakes it (the SYN-ACK comes 0.22 s after the SYN), later answers take "
          "20 ms, and the server's FIN_WAIT2 socket resets the second request 20 ms after it: "
          "far under half the handshake's leg, yet the server's own")
def radio_wake_ignored_fin_v6(lab):
    lab.topology(v6=True, delay=0.010, wake=(1.0, 0.2), hops=1)
    static_neighbours(lab)
    lab.capture("client")
    # 2 s: the radio goes idle after the interfaces' own multicast listener
    # reports, and the SYN wakes it.
    return ignored_fin_exchange(lab, idle_first=2.0, close_at_once=True)


@scenario("linger0-server-v4", "the server answers a request, then closes with SO_LINGER "
          "{1, 0}: an abortive close with nothing unread")
def linger0_server(lab):
    lab.topology()
    lab.capture("client")
    srv = lab.run("server", f"""
s = listen({lab.addr('server')!r}, 8080)
ready()
c, _ = s.accept()
c.recv(4096)
c.sendall(http_response(extra="Connection: close\\r\\n"))
time.sleep(0.2)           # let the response be acknowledged: nothing is lost
linger0(c)
c.close()
""", wait_ready=True)
    lab.run("client", f"""
c = connect({lab.addr('server')!r}, 8080)
c.sendall(http_request("/status"))
drain(c)
""").wait()
    srv.wait()

    return one_incident("server", "TCP_STATE", "linger-abort")


@scenario("pipelined-unread-v4", "the client pipelines three requests; the server reads only "
          "the first, answers it and closes with the others unread (RFC 2525 2.17)")
def pipelined_unread(lab):
    lab.topology()
    lab.capture("client")
    srv = lab.run("server", f"""
s = listen({lab.addr('server')!r}, 80)
ready()
c, _ = s.accept()
time.sleep(0.2)           # all three requests are in the receive queue now
first = c.recv(len(http_request("/a")))
c.sendall(http_response(extra="Connection: close\\r\\n"))
c.close()
""", wait_ready=True)
    lab.run("client", f"""
c = connect({lab.addr('server')!r}, 80)
c.sendall(http_request("/a") + http_request("/b") + http_request("/c"))
drain(c)
""").wait()
    srv.wait()

    return one_incident("server", "TCP_ABORT_ON_CLOSE", "unread-recv-buffer")


@scenario("shutdown-then-unread-v4", "issue 19 class 7: the client sends its request and shuts "
          "down its side (FIN); the server answers and closes; the client closes without "
          "reading the answer: its kernel resets at the sequence number after its FIN "
          "(tcp_close, data unread)")
def shutdown_then_unread(lab):
    lab.topology()
    lab.capture("client")
    srv = lab.run("server", f"""
s = listen({lab.addr('server')!r}, 8080)
ready()
c, _ = s.accept()
c.recv(4096)
c.sendall(http_response(extra="Connection: close\\r\\n"))
time.sleep(0.3)
c.close()
""", wait_ready=True)
    lab.run("client", f"""
c = connect({lab.addr('server')!r}, 8080)
c.sendall(http_request("/report"))
c.shutdown(socket.SHUT_WR)
time.sleep(0.2)           # the answer arrives; the client never reads it
c.close()
time.sleep(0.3)
""").wait()
    srv.wait()
    return one_incident("client", "TCP_ABORT_ON_CLOSE", "unread-recv-buffer",
                        alternatives=["linger-abort"])


@scenario("fin-wait2-expired-v4", "issue 19 class 7: tcp_fin_timeout=1 on the server; it "
          "answers and closes (FIN, acknowledged); the client keeps its half open for 2.5 s, "
          "then closes: its FIN meets no socket, since the server's FIN_WAIT2 expired, and is "
          "reset. Both sides had closed with every byte delivered: a follow-up of the close")
def fin_wait2_expired(lab):
    lab.topology()
    lab.capture("client")
    lab.sysctl("server", "net.ipv4.tcp_fin_timeout", "1")
    srv = lab.run("server", f"""
s = listen({lab.addr('server')!r}, 8080)
ready()
c, _ = s.accept()
c.recv(4096)
c.sendall(http_response(extra="Connection: close\\r\\n"))
c.close()
time.sleep(3.5)
""", wait_ready=True)
    lab.run("client", f"""
c = connect({lab.addr('server')!r}, 8080)
c.sendall(http_request("/once"))
drain(c, timeout=1.0)     # reads the answer and the server's FIN
time.sleep(2.5)
c.close()
time.sleep(0.5)
""").wait()
    srv.wait()
    # The FIN meets no connection; the listener, still open, answers it
    # (TCP_FLAGS, state LISTEN: TAXONOMY's kernel notes).
    return one_incident("server", ["TCP_FLAGS", "NO_SOCKET"], "reset-followup",
                        detail="after-close")


@scenario("early-413-unread-body-v4", "issue 19 class 2: the client POSTs a 64 KB body it "
          "declared with Content-Length, in slow pieces; the server reads the headers, answers "
          "413 with Connection: close at once and closes while the body is still arriving: "
          "the unread body makes its close a RST")
def early_413(lab):
    lab.topology()
    lab.capture("client", snaplen=256)
    srv = lab.run("server", f"""
s = listen({lab.addr('server')!r}, 8080)
ready()
c, _ = s.accept()
c.recv(1024)              # the headers (and perhaps a little body)
c.sendall(b"HTTP/1.1 413 Payload Too Large\\r\\nContent-Length: 0\\r\\nConnection: close\\r\\n\\r\\n")
time.sleep(0.15)          # more of the body arrives meanwhile
c.close()
""", wait_ready=True)
    lab.run("client", f"""
c = connect({lab.addr('server')!r}, 8080)
c.sendall(b"POST /upload HTTP/1.1\\r\\nHost: lab\\r\\nContent-Length: 65536\\r\\n\\r\\n")
try:
    for _ in range(16):
        c.sendall(b"x" * 4096)
        time.sleep(0.02)
except OSError:
    pass
recv_some(c, timeout=0.5)
""").wait()
    srv.wait()
    return one_incident("server", "TCP_ABORT_ON_CLOSE", "unread-recv-buffer")


@scenario("client-linger0-after-response-v4", "issue 19 class 3: the client reads a complete "
          "response (Content-Length), stays idle 0.3 s, many round trips, and closes with "
          "SO_LINGER {1, 0}: a deliberate abort with nothing unread")
def client_linger0_after_response(lab):
    lab.topology()
    lab.capture("client")
    srv = lab.run("server", f"""
s = listen({lab.addr('server')!r}, 8080)
ready()
c, _ = s.accept()
c.recv(4096)
c.sendall(http_response())
recv_some(c, timeout=1.5)
""", wait_ready=True)
    lab.run("client", f"""
c = connect({lab.addr('server')!r}, 8080)
c.sendall(http_request("/item"))
data = b""
while b"ok" not in data:
    data += c.recv(4096)
time.sleep(0.3)
linger0(c)
c.close()
""").wait()
    srv.wait()
    return one_incident("client", "TCP_STATE", "linger-abort")


@scenario("mptcp-fastclose-v4", "issue 19 class 14: client and server use MPTCP sockets "
          "(IPPROTO_MPTCP); after an exchange the client closes with SO_LINGER {1, 0}: Linux "
          "ends the MPTCP connection with MP_FASTCLOSE, carried in a RST on the subflow "
          "(RFC 8684 3.5)")
def mptcp_fastclose(lab):
    lab.topology()
    lab.capture("client")
    srv = lab.run("server", f"""
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM, 262)   # IPPROTO_MPTCP
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(({lab.addr('server')!r}, 8080))
s.listen(4)
ready()
c, _ = s.accept()
c.recv(4096)
c.sendall(http_response())
recv_some(c, timeout=1.5)
""", wait_ready=True)
    lab.run("client", f"""
c = socket.socket(socket.AF_INET, socket.SOCK_STREAM, 262)   # IPPROTO_MPTCP
c.settimeout(5)
c.connect(({lab.addr('server')!r}, 8080))
c.sendall(http_request("/item"))
data = b""
while b"ok" not in data:
    data += c.recv(4096)
time.sleep(0.2)
linger0(c)
c.close()
time.sleep(0.3)
""").wait()
    srv.wait()

    def labeller(rsts):
        out = []
        for i, r in enumerate(rsts):
            got = r["kernel"]["reason"] if r["kernel"] else None
            if i == 0:
                expect(r, "client", got)       # printed below; any MPTCP reason
                out.append(label("linger-abort", detail="mp-fastclose",
                                 note=f"kernel reason {got}"))
            else:
                out.append(label("reset-followup"))
        return out
    return labeller


@scenario("server-aborts-idle-v4", "issue 19 class 15: a client connects and sends nothing; "
          "the server accepts, waits 1.5 s for a request that does not come and aborts the "
          "connection with SO_LINGER {1, 0}: an established connection, not the handshake")
def server_aborts_idle(lab):
    lab.topology()
    lab.capture("client")
    srv = lab.run("server", f"""
s = listen({lab.addr('server')!r}, 8080)
ready()
c, _ = s.accept()
time.sleep(1.5)
linger0(c)
c.close()
""", wait_ready=True)
    lab.run("client", f"""
c = connect({lab.addr('server')!r}, 8080)
recv_some(c, timeout=2.5)
""").wait()
    srv.wait()
    return one_incident("server", "TCP_STATE", "linger-abort", detail="probe")


@scenario("keepalive-after-close-v4", "issue 19 class 10: tcp_fin_timeout=1 on the server; it "
          "answers and closes (FIN, acknowledged); the client never closes its side but has "
          "TCP keepalive on (idle 3 s): its probe meets no connection on the server and is "
          "reset. The server had closed; the client kept a half-closed socket")
def keepalive_after_close(lab):
    lab.topology()
    lab.capture("client")
    lab.sysctl("server", "net.ipv4.tcp_fin_timeout", "1")
    srv = lab.run("server", f"""
s = listen({lab.addr('server')!r}, 8080)
ready()
c, _ = s.accept()
c.recv(4096)
c.sendall(http_response(extra="Connection: close\\r\\n"))
c.close()
time.sleep(5.0)
""", wait_ready=True)
    lab.run("client", f"""
c = connect({lab.addr('server')!r}, 8080)
keepalive(c, 3, 1, 3)
c.sendall(http_request("/once"))
drain(c, timeout=1.0)     # the answer and the server's FIN; the socket stays open
time.sleep(4.5)
""").wait()
    srv.wait()
    return one_incident("server", ["TCP_FLAGS", "NO_SOCKET"], "reset-followup",
                        detail="after-close")


@scenario("final-message-then-abort-v4", "issue 19 class 8: the client asks, the server answers, "
          "the client sends a last message that needs no answer (a logoff, as LDAP's unbind or "
          "SMB's logoff); the server reads it and closes with SO_LINGER {1, 0}, as Windows "
          "servers do: a deliberate abort, nothing unread")
def final_message_then_abort(lab):
    lab.topology()
    lab.capture("client")
    srv = lab.run("server", f"""
s = listen({lab.addr('server')!r}, 389)
ready()
c, _ = s.accept()
c.recv(4096)
c.sendall(b"RESULT ok\\r\\n")
data = b""
while b"UNBIND" not in data:
    data += c.recv(4096)
time.sleep(0.05)
linger0(c)
c.close()
""", wait_ready=True)
    lab.run("client", f"""
c = connect({lab.addr('server')!r}, 389)
c.sendall(b"SEARCH x\\r\\n")
c.recv(4096)
c.sendall(b"UNBIND\\r\\n")
recv_some(c, timeout=1.0)
""").wait()
    srv.wait()
    return one_incident("server", "TCP_STATE", "linger-abort")


@scenario("goodbye-unread-after-graceful-closes-v4", "a peer-to-peer client (devp2p-like: "
          "HELLO, then BYE to end) opens three connections to one server; it ends the first two "
          "itself, reading all and sending BYE before close(), and the server answers each FIN "
          "with its own (two graceful closes); on the third the server says BYE and closes "
          "first, and the client, not reading, sends its own BYE 0.2 s later and closes with "
          "the server's BYE unread: its kernel resets instead of closing (RFC 2525 2.17), as "
          "the corpus's ethereum.pcap 1314 shows a macOS client doing; over a path of 10 ms "
          "each way, so the client's RST leaves before the server's closed socket can answer "
          "the client's BYE")
def goodbye_unread_after_graceful_closes(lab):
    lab.topology(delay=0.01)
    lab.capture("client")
    srv = lab.run("server", f"""
s = listen({lab.addr('server')!r}, 30303)
ready()
for k in range(3):
    c, _ = s.accept()
    c.recv(64)                    # HELLO
    c.sendall(b"HELLO server\\n")
    if k < 2:
        drain(c, timeout=2.0)     # the client's BYE, then its FIN
    else:
        time.sleep(0.05)
        c.sendall(b"BYE too-many-peers\\n")
    c.close()
time.sleep(1.0)
""", wait_ready=True)
    lab.run("client", f"""
for k in range(3):
    c = connect({lab.addr('server')!r}, 30303)
    c.sendall(b"HELLO client\\n")
    c.recv(64)                    # the server's HELLO, read
    if k < 2:
        c.sendall(b"BYE done\\n")
        c.close()                 # nothing unread: a FIN
        time.sleep(0.1)
    else:
        time.sleep(0.2)           # the server's BYE and FIN arrive, not read
        c.sendall(b"BYE done\\n")
        c.close()                 # its BYE unread: a RST
""").wait()
    srv.wait()

    def labeller(rsts):
        if len(rsts) != 2:
            raise RuntimeError(f"expected the client's RST and the server's: {rsts}")
        expect(rsts[0], "client", "TCP_ABORT_ON_CLOSE")
        # The client's BYE reached the server's closed socket before the
        # client's RST did: its own reply, the BYE having acknowledged the
        # server's FIN.
        expect(rsts[1], "server", ["TCP_TIMEWAIT_SOCKET", "TCP_ABORT_ON_DATA"])
        return [label("unread-recv-buffer", alternatives=["linger-abort"],
                      note="the third connection; the first two closed gracefully"),
                label("data-after-fin", "ignored-fin",
                      note="the client's BYE met the server's closed socket")]
    return labeller


@scenario("nginx-keepalive-timeout-v4", "issue 19's wider lab: Debian's nginx, unmodified, "
          "with one documented knob (keepalive_timeout 1s; the default is 75 s); a client "
          "keeps the connection in its pool and reuses it 1.5 s later, after nginx closed it "
          "for idleness: the request meets nginx's closed socket")
def nginx_keepalive_timeout(lab):
    lab.topology()
    lab.capture("client")
    srv = lab.run("server", f"""
import subprocess, tempfile
d = tempfile.mkdtemp()
with open(d + "/nginx.conf", "w") as f:
    f.write('''
pid {{d}}/nginx.pid;
error_log {{d}}/error.log;
events {{ }}
http {{
    access_log off;
    keepalive_timeout 1s;
    client_body_temp_path {{d}}/body;
    server {{
        listen {lab.addr('server')}:8080;
        location / {{ return 200 "ok\\\\n"; }}
    }}
}}
'''.replace("{{d}}", d))
p = subprocess.Popen(["nginx", "-p", d, "-c", d + "/nginx.conf", "-g", "daemon off;"],
                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
wait_listening({lab.addr('server')!r}, 8080)
ready()
time.sleep(3.0)
p.terminate()
p.wait()
""", wait_ready=True)
    lab.run("client", f"""
c = connect({lab.addr('server')!r}, 8080)
c.sendall(http_request("/first"))
recv_some(c)
time.sleep(1.5)           # nginx's keepalive_timeout (1 s) has closed it meanwhile
try:
    c.sendall(http_request("/second"))
    recv_some(c, timeout=1.0)
except OSError:
    pass
""").wait()
    srv.wait()
    return one_incident("server", ["TCP_TIMEWAIT_SOCKET", "TCP_ABORT_ON_DATA", "NO_SOCKET"],
                        "data-after-fin", detail="ignored-fin")


def redis_server(lab, knobs, seconds):
    """The server's code: Debian's redis-server on port 6379, with no
    persistence and the documented knobs given, for that many seconds."""
    return f"""
import subprocess, tempfile
d = tempfile.mkdtemp()
p = subprocess.Popen(["redis-server", "--bind", {lab.addr('server')!r}, "--port", "6379",
                      *{knobs!r}, "--save", "", "--appendonly", "no", "--dir", d,
                      "--protected-mode", "no", "--daemonize", "no"],
                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
wait_listening({lab.addr('server')!r}, 6379)
ready()
time.sleep({seconds})
p.terminate()
p.wait()
"""


@scenario("redis-idle-timeout-v4", "issue 19's wider lab: Debian's redis-server, unmodified "
          "but for one documented knob (timeout 1: close a client idle 1 s; the default 0 "
          "never does); a client keeps its connection in a pool and sends its next command "
          "1.5 s later, after Redis closed it")
def redis_idle_timeout(lab):
    lab.topology()
    lab.capture("client")
    srv = lab.run("server", redis_server(lab, ["--timeout", "1"], 4.0), wait_ready=True)
    lab.run("client", f"""
c = connect({lab.addr('server')!r}, 6379)
c.sendall(b"PING\\r\\n")
recv_some(c)
time.sleep(2.5)           # Redis's timeout (1 s; its check runs ten times a second)
try:
    c.sendall(b"GET key\\r\\n")
    recv_some(c, timeout=1.0)
except OSError:
    pass
""").wait()
    srv.wait()
    return one_incident("server", ["TCP_TIMEWAIT_SOCKET", "TCP_ABORT_ON_DATA", "NO_SOCKET"],
                        "data-after-fin", detail="ignored-fin")


@scenario("redis-maxclients-refusal-v4", "Debian's redis-server, unmodified but for one "
          "documented knob (maxclients 1: a second client is over the limit); one client "
          "holds the only slot, a second connects, and Redis's acceptCommonHandler writes "
          "\"-ERR max number of clients reached\" and closes it at once; that client, not "
          "reading, sends its first command 0.3 s later, after the FIN: the server's closed "
          "socket resets it")
def redis_maxclients_refusal(lab):
    lab.topology()
    lab.capture("client")
    srv = lab.run("server", redis_server(lab, ["--maxclients", "1"], 3.0), wait_ready=True)
    lab.run("client", f"""
held = connect({lab.addr('server')!r}, 6379)
held.sendall(b"PING\\r\\n")
recv_some(held)
time.sleep(0.2)
c = connect({lab.addr('server')!r}, 6379)
time.sleep(0.3)           # the refusal and its FIN come at once; this client writes later
try:
    c.sendall(b"PING\\r\\n")
    recv_some(c, timeout=1.0)
except OSError:
    pass
time.sleep(0.5)
held.close()
""").wait()
    srv.wait()
    return one_incident("server", ["TCP_TIMEWAIT_SOCKET", "TCP_ABORT_ON_DATA", "NO_SOCKET"],
                        "data-after-fin", detail="ignored-fin")


@scenario("ss-kill-idle-v4", "an operator kills an established, idle connection with ss -K "
          "(SOCK_DESTROY, run in the client's namespace): after one request and its answer the "
          "connection sits idle 0.5 s, then ss -K dst SERVER dport = :8080 destroys the client's "
          "socket; the kernel's tcp_abort (net/ipv4/tcp.c) sends an active RST and the "
          "application's next recv fails with ECONNABORTED: a deliberate abort, nothing unread "
          "(TAXONOMY lists ss -K under linger-abort)")
def ss_kill_idle(lab):
    lab.topology()
    lab.capture("client")
    srv = lab.run("server", f"""
s = listen({lab.addr('server')!r}, 8080)
ready()
c, _ = s.accept()
c.recv(4096)
c.sendall(http_response())
log("server saw", recv_some(c, timeout=3.0))   # the RST: None
""", wait_ready=True)
    cli = lab.run("client", f"""
c = connect({lab.addr('server')!r}, 8080)
c.sendall(http_request("/item"))
data = b""
while b"ok" not in data:
    data += c.recv(4096)
ready()
c.settimeout(3.0)
try:
    c.recv(4096)
    print("no error")
except OSError as e:
    print("recv:", e.errno)
""", wait_ready=True)
    time.sleep(0.5)
    killed = lab.nsx("client", "ss", "-K", "-t", "dst", lab.addr("server"), "dport", "=",
                     ":8080").stdout
    out = cli.wait()
    srv.wait()
    # The design: ss destroyed exactly one socket, and the application saw
    # ECONNABORTED (103), the error tcp_abort sets.
    if "recv: 103" not in out or killed.count(lab.addr("server")) != 1:
        raise RuntimeError(f"ss -K did not abort the connection: {killed!r} / {out!r}")
    return one_incident("client", "TCP_STATE", "linger-abort")


ORPHANS = "/proc/sys/net/ipv4/tcp_max_orphans"


@scenario("orphan-limit-reset-v4", "the kernel resets closed sockets for want of orphans "
          "(net.ipv4.tcp_max_orphans, a global sysctl, set to 0 in the root namespace until "
          "the scenario's orphan is gone, a few seconds): the server writes to a client that "
          "does not read until the window is shut and closes that connection, an orphan in "
          "FIN_WAIT1 holding unsent data; 0.3 s later (the kernel counts orphans every 100 ms) "
          "the limit drops to 0 and the server closes a second, idle connection at once: "
          "tcp_close sends its FIN and at once a RST (tcp_check_oom); the orphan is reset at "
          "its next zero-window probe (tcp_out_of_resources). Both TCP_ABORT_ON_MEMORY, as "
          "'TCP: too many orphaned sockets' in the kernel log. No TAXONOMY cause is the "
          "kernel's own abort: both are labelled linger-abort, an abort of a closed "
          "connection with nothing unread", alone=True)
def orphan_limit_reset(lab):
    lab.topology()
    lab.capture("client")
    go, done = tempfile.mktemp(prefix="rstdiag-orphan-go-"), tempfile.mktemp(prefix="rstdiag-orphan-done-")
    srv = lab.run("server", f"""
s = listen({lab.addr('server')!r}, 8080)
ready()
a, _ = s.accept()
b, _ = s.accept()
a.recv(4096)
b.recv(4096)
b.sendall(http_response())
a.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4096)   # a capture of tens of KB
a.sendall(b"HTTP/1.1 200 OK\\r\\nContent-Length: 100000000\\r\\n\\r\\n")
a.setblocking(False)
try:
    while True:
        a.send(b"z" * 65536)
except BlockingIOError:
    pass
time.sleep(0.1)
a.close()                 # an orphan, under the usual limit: kept
print("orphaned", flush=True)
end = time.time() + 10
while not os.path.exists({go!r}) and time.time() < end:
    time.sleep(0.001)
b.close()                 # the limit is 0 now: FIN, then RST
""", wait_ready=True)
    cli = lab.run("client", f"""
a = socket.socket(family({lab.addr('server')!r}), socket.SOCK_STREAM)
a.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)  # set before the handshake
a.connect(({lab.addr('server')!r}, 8080))
b = connect({lab.addr('server')!r}, 8080)
a.sendall(http_request("/stream"))
b.sendall(http_request("/item"))
recv_some(b)
end = time.time() + 40    # a is never read; kept open until the orphan is reset
while not os.path.exists({done!r}) and time.time() < end:
    time.sleep(0.05)
""")
    old = open(ORPHANS).read().strip()
    try:
        if srv.p.stdout.readline().strip() != "orphaned":
            raise RuntimeError("the server did not leave an orphan")
        time.sleep(0.3)       # the kernel's orphan count (tcp_orphan_cache) takes it in
        with open(ORPHANS, "w") as f:
            f.write("0")
        open(go, "w").close()
        srv.wait()
        # The orphan is reset at its next zero-window probe, backed off
        # to a few seconds at most by now: wait for it before the limit
        # is restored, so every run resets both.
        end = time.time() + 30
        while "8080" in lab.nsx("server", "ss", "-tnH", "state", "fin-wait-1").stdout:
            if time.time() > end:
                raise RuntimeError("the orphan was not reset")
            time.sleep(0.1)
    finally:
        with open(ORPHANS, "w") as f:
            f.write(old)
        open(done, "w").close()
    cli.wait(timeout=60)
    for path in (go, done):
        os.unlink(path)

    def labeller(rsts):
        for r in rsts[:2]:
            expect(r, "server", "TCP_ABORT_ON_MEMORY")
        return ([label("linger-abort", note="kernel reason TCP_ABORT_ON_MEMORY")
                 for _ in rsts[:2]] + [label("reset-followup") for _ in rsts[2:]])
    return labeller


def expect_sigkill(srv):
    """Waits for a server program that kills itself; the design needs it
    to have died of SIGKILL, not exited."""
    srv.p.wait()
    if srv.p.returncode != -9:
        raise RuntimeError(f"server exited with {srv.p.returncode}, not SIGKILL")


@scenario("server-killed-unread-v4", "the backend crashes with a request unread: the server "
          "accepts, the client sends its request, and the server process dies of SIGKILL "
          "0.3 s later before reading it; the kernel closes the process's sockets (tcp_close, "
          "net/ipv4/tcp.c), and the unread request in the receive queue makes that close a RST "
          "(RFC 2525 2.17), not a FIN")
def server_killed_unread(lab):
    lab.topology()
    lab.capture("client")
    srv = lab.run("server", f"""
s = listen({lab.addr('server')!r}, 8080)
ready()
c, _ = s.accept()
time.sleep(0.3)           # the request arrives; the process never reads it
os.kill(os.getpid(), 9)
""", wait_ready=True)
    lab.run("client", f"""
c = connect({lab.addr('server')!r}, 8080)
c.sendall(http_request("/report"))
log("client got", recv_some(c, timeout=1.5))
""").wait()
    expect_sigkill(srv)
    return one_incident("server", "TCP_ABORT_ON_CLOSE", "unread-recv-buffer")


@scenario("server-killed-mid-upload-v4", "the backend crashes mid-request with nothing unread: "
          "the client POSTs a 16 KB body in 4 KB pieces 0.3 s apart; the server reads the "
          "headers and the first piece and dies of SIGKILL at once; the kernel closes its "
          "socket with nothing unread, so it sends FIN (tcp_close), which the client's stack "
          "acknowledges; the client's next piece meets the orphaned FIN_WAIT2 socket (a "
          "TIME_WAIT mini-socket, tcp_timewait_state_process) and is reset")
def server_killed_mid_upload(lab):
    lab.topology()
    lab.capture("client")
    head = b"POST /upload HTTP/1.1\r\nHost: lab\r\nContent-Length: 16384\r\n\r\n"
    srv = lab.run("server", f"""
s = listen({lab.addr('server')!r}, 8080)
ready()
c, _ = s.accept()
want, got = {len(head) + 4096}, b""
while len(got) < want:     # the headers and the first piece, all that was sent yet
    got += c.recv(want - len(got))
os.kill(os.getpid(), 9)
""", wait_ready=True)
    lab.run("client", f"""
c = connect({lab.addr('server')!r}, 8080)
c.sendall({head!r} + b"x" * 4096)
try:
    for _ in range(3):
        time.sleep(0.3)   # the server's FIN arrives meanwhile; the client does not look
        c.sendall(b"x" * 4096)
except OSError as e:
    log("send:", e)
log("client got", recv_some(c, timeout=0.5))
""").wait()
    expect_sigkill(srv)
    return one_incident("server", "TCP_TIMEWAIT_SOCKET", "data-after-fin", detail="ignored-fin")


@scenario("linger2-negative-half-closed-v4", "an abortive close by TCP_LINGER2 -1 (tcp(7): "
          "the lifetime of an orphaned FIN_WAIT2 socket; negative: none): the client sends its "
          "request and half-closes (shutdown SHUT_WR: FIN, acknowledged, FIN_WAIT2); the "
          "server answers and keeps its side open; the client reads the whole answer, sets "
          "TCP_LINGER2 -1 and closes: tcp_close (net/ipv4/tcp.c) finds the socket in "
          "FIN_WAIT2 with a negative linger2 and resets instead of waiting for the server's "
          "FIN (reason TCP_ABORT_ON_LINGER, which TAXONOMY lists under linger-abort). "
          "Nothing was unread; the RST comes after the client's own FIN, as in "
          "shutdown-then-unread-v4, whose cause the wire cannot rule out")
def linger2_negative_half_closed(lab):
    lab.topology()
    lab.capture("client")
    srv = lab.run("server", f"""
s = listen({lab.addr('server')!r}, 8080)
ready()
c, _ = s.accept()
data = b""
while True:               # the request, up to the client's FIN
    d = c.recv(4096)
    if not d:
        break
    data += d
c.sendall(http_response(extra="Connection: close\\r\\n"))
time.sleep(1.0)           # a slow close: the client's RST comes first
c.close()
""", wait_ready=True)
    lab.run("client", f"""
c = connect({lab.addr('server')!r}, 8080)
c.sendall(http_request("/report"))
c.shutdown(socket.SHUT_WR)
data = b""
while b"ok\\n" not in data:
    data += c.recv(4096)
time.sleep(0.2)           # the whole answer read; the server has not closed its side
c.setsockopt(socket.IPPROTO_TCP, socket.TCP_LINGER2, -1)
c.close()
time.sleep(0.3)
""").wait()
    srv.wait()
    # The wire is shutdown-then-unread-v4's (the client's FIN, the server's data
    # acknowledged, an active RST at the sequence number after the FIN): whether
    # the answer was read does not show, so that scenario's cause is accepted.
    return one_incident("client", "TCP_ABORT_ON_LINGER", "linger-abort",
                        alternatives=["unread-recv-buffer"])
