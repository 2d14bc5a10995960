"""Lab scenarios: timeouts and lost state (keepalive, retransmission and
response timeouts, late answers, a server that forgot the connection),
aborts of a download or of unacknowledged data, and the stray RSTs that
follow a reset. What the kernel did in each is in notes/timeouts.md."""
import time

from lab import one_incident, expect, label, scenario


def drop_all(lab, who):
    """The host vanishes: nothing in or out (a pulled cable, a dead host)."""
    lab.nft(who, """
table inet labdrop {
  chain i { type filter hook input priority 0; policy drop; }
  chain o { type filter hook output priority 0; policy drop; }
}
""")


def drop_input_from(lab, who, addr):
    """Who's host drops everything arriving from addr (what it sends still leaves)."""
    lab.nft(who, f"""
table inet labdrop {{
  chain i {{ type filter hook input priority 0; ip saddr {addr} drop; }}
}}
""")


# ------------------------------------------------------------------ keepalive

@scenario("keepalive-timeout-v4", "the server sets keepalive 1 s/1 s/2 probes; after a "
          "request and its answer the client vanishes (nothing in or out); the server's "
          "two probes go unanswered and it aborts with RST", capture_point="server")
def keepalive_timeout(lab):
    lab.topology()
    lab.capture("server")
    srv = lab.run("server", f"""
s = listen({lab.addr('server')!r}, 6379)
ready()
c, _ = s.accept()
keepalive(c, 1, 1, 2)
c.recv(4096)
c.sendall(b"+PONG\\r\\n")
c.settimeout(10)
try:
    c.recv(4096)          # blocks until the keepalive gives up
except (TimeoutError, ConnectionResetError, OSError) as e:
    log("server:", e)
""", wait_ready=True)
    cli = lab.run("client", f"""
c = connect({lab.addr('server')!r}, 6379)
c.sendall(b"PING\\r\\n")
c.recv(4096)
ready()
time.sleep(5.0)           # vanished: anything it sends or gets is dropped
""", wait_ready=True)
    drop_all(lab, "client")
    srv.wait()
    cli.wait()

    return one_incident("server", "TCP_KEEPALIVE_TIMEOUT", "keepalive-timeout")


# ------------------------------------------------------------------ retransmission give-up

@scenario("retransmit-timeout-v4", "the server's host drops everything from the client; the "
          "client's request is retransmitted until TCP_USER_TIMEOUT (1.5 s) kills the socket "
          "silently (no RST); the drop is lifted and the server's late message draws a RST "
          "from the client's kernel, which no longer has the connection")
def retransmit_timeout(lab):
    lab.topology()
    lab.capture("client")
    srv = lab.run("server", f"""
s = listen({lab.addr('server')!r}, 8080)
ready()
c, _ = s.accept()
time.sleep(3.5)           # the request never arrives; the server pushes a message anyway
c.sendall(b"event: hello\\n\\n")
try:
    c.recv(4096)
except ConnectionResetError as e:
    log("server:", e)
""", wait_ready=True)
    cli = lab.run("client", f"""
c = connect({lab.addr('server')!r}, 8080)
user_timeout(c, 1500)
ready()
time.sleep(0.3)           # the lab cuts the path meanwhile
c.sendall(http_request("/events"))
c.settimeout(5)
try:
    c.recv(4096)
except OSError as e:
    log("client:", e)     # ETIMEDOUT, about 2 s after the write
c.close()
""", wait_ready=True)
    drop_input_from(lab, "server", lab.addr("client"))
    cli.wait()
    lab.undrop("server")
    srv.wait()

    def labeller(rsts):
        expect(rsts[0], "client", "NO_SOCKET")
        return [label("peer-lost-state", note="Linux sends no RST on retransmission give-up")] + \
            [label("reset-followup") for _ in rsts[1:]]
    return labeller


@scenario("retransmit-abort-v4", "the server's host drops everything from the client; the "
          "client's request goes unacknowledged through its retransmissions and after 2.5 s "
          "the client application gives up and aborts (SO_LINGER 0): the wire of a stack that "
          "resets when its retransmissions run out (Windows, many appliances)")
def retransmit_abort(lab):
    lab.topology()
    lab.capture("client")
    srv = lab.run("server", f"""
s = listen({lab.addr('server')!r}, 8080)
ready()
c, _ = s.accept()
time.sleep(4)             # never hears the request; its close meets no socket
c.close()
""", wait_ready=True)
    cli = lab.run("client", f"""
c = connect({lab.addr('server')!r}, 8080)
ready()
time.sleep(0.3)           # the lab cuts the path meanwhile
c.sendall(http_request("/report"))
time.sleep(2.5)           # retransmitted at about 0.2, 0.6 and 1.4 s, never acknowledged
linger0(c)
c.close()
""", wait_ready=True)
    drop_input_from(lab, "server", lab.addr("client"))
    cli.wait()
    srv.wait()

    def labeller(rsts):
        expect(rsts[0], "client", "TCP_STATE")
        expect(rsts[1], "client", "NO_SOCKET")
        return [label("retransmit-timeout",
                      note="an application abort after unacknowledged retransmissions: "
                           "Linux itself gives up silently")] + \
            [label("reset-followup") for _ in rsts[1:]]
    return labeller


@scenario("retransmit-abort-server-alive-v4", "the server's host drops one connection's "
          "segments (its client port, as a box that lost that flow's state drops them) and "
          "nothing else; the client's request on it goes unacknowledged through its "
          "retransmissions, a second connection to the same server meanwhile opens and closes "
          "normally, and after 2.5 s the client application aborts the first (SO_LINGER 0): "
          "the server was up, only the connection was lost")
def retransmit_abort_server_alive(lab):
    lab.topology()
    lab.capture("client")
    srv = lab.run("server", f"""
s = listen({lab.addr('server')!r}, 8080)
ready()
c, _ = s.accept()
d, _ = s.accept()
d.recv(4096)
d.sendall(http_response())
d.close()
time.sleep(4)             # never hears the first connection's request
c.close()
""", wait_ready=True)
    cli = lab.run("client", f"""
c = connect({lab.addr('server')!r}, 8080, bind_port=40701)
ready()
time.sleep(0.3)           # the lab drops this connection's segments meanwhile
c.sendall(http_request("/report"))
time.sleep(1.0)
d = connect({lab.addr('server')!r}, 8080, bind_port=40702)
d.sendall(http_request("/other"))
recv_some(d)
d.close()
time.sleep(1.5)           # the first request retransmitted, never acknowledged
linger0(c)
c.close()
""", wait_ready=True)
    lab.nft("server", f"""
table inet labdrop {{
  chain i {{ type filter hook input priority 0; ip saddr {lab.addr('client')} tcp sport 40701 drop; }}
}}
""")
    cli.wait()
    srv.wait()

    def labeller(rsts):
        expect(rsts[0], "client", "TCP_STATE")
        return [label("retransmit-timeout",
                      note="an application abort after unacknowledged retransmissions, the "
                           "server's host accepting another connection meanwhile")] + \
            [label("reset-followup") for _ in rsts[1:]]
    return labeller


@scenario("capture-starts-late-v4", "the capture starts after the connection's handshake and "
          "its only exchange; the server then aborts it (SO_LINGER 0), so the RST is the "
          "first packet of the connection in the capture and nothing shows why")
def capture_starts_late(lab):
    lab.topology()
    srv = lab.run("server", f"""
s = listen({lab.addr('server')!r}, 8080)
ready()
c, _ = s.accept()
c.recv(4096)
c.sendall(http_response())
time.sleep(1.5)           # the lab starts capturing meanwhile
linger0(c)
c.close()
""", wait_ready=True)
    cli = lab.run("client", f"""
c = connect({lab.addr('server')!r}, 8080)
c.sendall(http_request("/"))
c.recv(4096)
ready()
time.sleep(3)
""", wait_ready=True)
    lab.capture("client")
    cli.wait()
    srv.wait()
    return one_incident("server", "TCP_STATE", "unknown", alternatives=["linger-abort"],
                        note="the kernel aborted on SO_LINGER 0, but the capture holds "
                             "nothing before the RST to show it")


# ------------------------------------------------------------------ response timeout

def response_timeout(lab, v6):
    lab.topology(v6=v6)
    lab.capture("server" if v6 else "client", fmt="pcapng" if v6 else "pcap")
    srv = lab.run("server", f"""
s = listen({lab.addr('server')!r}, 8080)
ready()
c, _ = s.accept()
c.recv(4096)              # read the request, never answer it
time.sleep(2.0)
try:
    c.recv(4096)
except ConnectionResetError as e:
    log("server:", e)
""", wait_ready=True)
    lab.run("client", f"""
c = connect({lab.addr('server')!r}, 8080)
c.sendall(http_request("/slow"))
if recv_some(c, timeout=1.0) is None:   # the client's response timeout
    linger0(c)
    c.close()
""").wait()
    srv.wait()

    return one_incident("client", "TCP_STATE", "response-timeout")


@scenario("response-timeout-linger-v4", "the server acknowledges a request but never answers; "
          "after 1 s the client gives up and closes with SO_LINGER 0")
def response_timeout_v4(lab):
    return response_timeout(lab, False)


@scenario("response-timeout-linger-v6", "the same over IPv6, captured at the server with "
          "dumpcap", capture_point="server", fmt="pcapng")
def response_timeout_v6(lab):
    return response_timeout(lab, True)


# ------------------------------------------------------------------ late response

@scenario("late-response-after-client-close-v4", "the client gives up after 0.5 s and closes "
          "normally (FIN); the server acknowledges the FIN and writes its late response 1 s "
          "later; the client's closed socket answers it with RST")
def late_response(lab):
    lab.topology()
    lab.capture("client")
    srv = lab.run("server", f"""
s = listen({lab.addr('server')!r}, 80)
ready()
c, _ = s.accept()
c.recv(4096)
time.sleep(1.5)           # the slow handler; the client's FIN arrives meanwhile
c.sendall(http_response(b"late\\n"))
time.sleep(0.3)
""", wait_ready=True)
    lab.run("client", f"""
c = connect({lab.addr('server')!r}, 80)
c.sendall(http_request("/report"))
recv_some(c, timeout=0.5)
c.close()
""").wait()
    srv.wait()

    def labeller(rsts):
        expect(rsts[0], "client", "TCP_TIMEWAIT_SOCKET")
        return [label("data-after-fin", "ignored-fin", alternatives=["response-timeout"])] + \
            [label("reset-followup") for _ in rsts[1:]]
    return labeller


# ------------------------------------------------------------------ server forgot

def server_lost_state(lab, point):
    lab.topology(routed=True)
    lab.sysctl("server", "net.ipv4.tcp_orphan_retries", "1")
    lab.capture(point)
    srv = lab.run("server", f"""
s = listen({lab.addr('server')!r}, 5432)
ready()
c, _ = s.accept()
c.recv(4096)
c.sendall(b"R\\x00\\x00\\x00\\x08\\x00\\x00\\x00\\x00")
ready()
time.sleep(0.3)           # the router starts losing the server's packets meanwhile
c.close()                 # FIN (lost); the orphan retransmits it, then gives up
s.close()                 # and the process exits: nothing listens any more
""", wait_ready=True)
    cli = lab.run("client", f"""
c = connect({lab.addr('server')!r}, 5432)
c.sendall(b"\\x00\\x00\\x00\\x08\\x04\\xd2\\x16\\x2f")
c.recv(4096)
time.sleep(4.0)           # idle in the pool; the server's state is gone meanwhile
c.sendall(b"Q\\x00\\x00\\x00\\x0dSELECT 1\\x00")
try:
    c.recv(4096)
except ConnectionResetError as e:
    log("client:", e)
""")
    if srv.p.stdout.readline().strip() != "ready":
        raise RuntimeError("server did not answer")
    lab.nft("router", f"""
table inet labdrop {{
  chain f {{ type filter hook forward priority 0; ip saddr {lab.addr('server')} drop; }}
}}
""")
    srv.wait()
    # The FIN, a tail loss probe 0.2 s later, RTO retransmissions at +0.4 and
    # +0.8 s; the orphan is gone 1.7 s after close(), without a RST.
    time.sleep(2.5)
    lab.undrop("router")
    cli.wait()

    return one_incident("server", "NO_SOCKET", "peer-lost-state")


@scenario("server-lost-state-v4", "the router loses everything the server sends while the "
          "server closes and exits; its orphaned FIN_WAIT1 socket retransmits the FIN and gives "
          "up silently after tcp_orphan_retries=1; the client, which never saw the FIN, writes "
          "4 s after its last exchange and meets a RST")
def server_lost_state_v4(lab):
    return server_lost_state(lab, "client")


@scenario("server-lost-state-at-server-v4", "the same captured at the server, which shows "
          "its FIN sent four times, never acknowledged, then 2.9 s of silence before the "
          "client's data, which acknowledges none of it: the server had given the connection "
          "up (its kernel's NO_SOCKET), which a reader at the client cannot see",
          capture_point="server")
def server_lost_state_at_server_v4(lab):
    return server_lost_state(lab, "server")


# ------------------------------------------------------------------ unread download

@scenario("client-closes-mid-download-v4", "the server sends 200 KB; the client reads the "
          "first part, stops reading until the window closes, then closes with unread data in "
          "its receive buffer (snaplen 128)")
def client_closes_mid_download(lab):
    lab.topology()
    lab.capture("client", snaplen=128)
    srv = lab.run("server", f"""
s = listen({lab.addr('server')!r}, 80)
ready()
c, _ = s.accept()
c.recv(4096)
try:
    c.sendall(http_response(b"x" * 200000))
except (ConnectionResetError, BrokenPipeError) as e:
    log("server:", e)
""", wait_ready=True)
    lab.run("client", f"""
c = connect({lab.addr('server')!r}, 80)
c.sendall(http_request("/big.iso"))
c.recv(1000)
time.sleep(0.5)           # the receive buffer fills; the server sits on a zero window
c.close()
""").wait()
    srv.wait()

    return one_incident("client", "TCP_ABORT_ON_CLOSE", "unread-recv-buffer")


# ------------------------------------------------------------------ linger aborts

@scenario("linger0-client-unacked-v4", "the server's ACKs are dropped on their way out; the "
          "client writes a request and at once closes with SO_LINGER 0, its data still "
          "unacknowledged")
def linger0_client_unacked(lab):
    lab.topology()
    lab.capture("client")
    srv = lab.run("server", f"""
s = listen({lab.addr('server')!r}, 8080)
ready()
c, _ = s.accept()
try:
    while c.recv(4096):
        pass
except ConnectionResetError as e:
    log("server:", e)
""", wait_ready=True)
    cli = lab.run("client", f"""
c = connect({lab.addr('server')!r}, 8080)
ready()
time.sleep(0.3)           # the lab drops the server's output meanwhile
c.sendall(b"POST /upload HTTP/1.1\\r\\nHost: lab\\r\\nContent-Length: 100\\r\\n\\r\\n" + b"d" * 100)
linger0(c)
c.close()
""", wait_ready=True)
    lab.nft("server", """
table inet labdrop {
  chain o { type filter hook output priority 0; tcp sport 8080 drop; }
}
""")
    cli.wait()
    srv.wait()

    def labeller(rsts):
        expect(rsts[0], "client", "TCP_STATE")
        return [label("linger-abort", note="the client's request was never acknowledged: "
                      "lost with the abort")] + [label("reset-followup") for _ in rsts[1:]]
    return labeller


@scenario("linger0-client-idle-v6", "a health-check style probe over IPv6: the client "
          "connects and at once closes with SO_LINGER 0, no data either way",
          capture_point="server", fmt="pcapng")
def linger0_client_idle(lab):
    lab.topology(v6=True)
    lab.capture("server", fmt="pcapng")
    srv = lab.run("server", f"""
s = listen({lab.addr('server')!r}, 443)
ready()
c, _ = s.accept()
try:
    c.recv(4096)
except ConnectionResetError as e:
    log("server:", e)
""", wait_ready=True)
    lab.run("client", f"""
c = connect({lab.addr('server')!r}, 443)
linger0(c)
c.close()
""").wait()
    srv.wait()

    return one_incident("client", "TCP_STATE", "linger-abort", "probe")


# ------------------------------------------------------------------ stray segments

@scenario("stray-after-rst-v4", "the client streams an upload; after three chunks the server "
          "answers 413, aborts with SO_LINGER 0 and closes its listener (it shuts down); the "
          "router loses the server's RSTs for about 1.5 s, so the client's next chunk and each "
          "of its retransmissions draw another RST; the fifth gets through",
          capture_point="server")
def stray_after_rst(lab):
    lab.topology(routed=True)
    lab.capture("server")
    lab.nft("router", f"""
table inet labdrop {{
  chain f {{ type filter hook forward priority 0;
    ip saddr {lab.addr('server')} tcp flags & rst == rst drop; }}
}}
""")
    srv = lab.run("server", f"""
s = listen({lab.addr('server')!r}, 9000)
ready()
c, _ = s.accept()
got = b""
while len(got) < 3000:     # three chunks, then the server has had enough
    got += c.recv(4096)
c.sendall(b"HTTP/1.1 413 Payload Too Large\\r\\nConnection: close\\r\\n\\r\\n")
time.sleep(0.05)          # acknowledged: nothing lost, nothing unread
linger0(c)
c.close()                 # nothing unread: TCP_STATE
s.close()                 # nothing listens any more: strays meet NO_SOCKET
""", wait_ready=True)
    cli = lab.run("client", f"""
c = connect({lab.addr('server')!r}, 9000)
c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
for i in range(3):
    c.sendall(b"a" * 1000)
    time.sleep(0.1)
ready()
time.sleep(0.2)
c.sendall(b"b" * 1000)    # the server's RST was lost: the client does not know
c.settimeout(5)
try:
    while c.recv(4096):   # the 413, then the wait for the RST that gets through
        pass
except ConnectionResetError as e:
    log("client:", e)
""", wait_ready=True)
    srv.wait()
    # The chunk leaves 0.2 s after `ready`; a tail loss probe 0.2 s later,
    # then RTO retransmissions 0.2, 0.4 and 0.8 s apart: copies at +0.2,
    # +0.4, +0.6, +1.0 and +1.9 s. Lifting the drop at +1.4 s lets the RST to
    # the fifth copy through, with 0.4 s of margin on either side.
    time.sleep(1.4)
    lab.undrop("router")
    cli.wait()

    def labeller(rsts):
        expect(rsts[0], "server", "TCP_STATE")
        out = [label("linger-abort")]
        for r in rsts[1:]:
            expect(r, "server", "NO_SOCKET")
            out.append(label("reset-followup"))
        return out
    return labeller
