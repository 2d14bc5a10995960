"""Lab scenarios: resets around the handshake (a late SYN-ACK after a
connect timeout, accept-queue overflow, a listener closed with a child
queued, TIME_WAIT reuse, an impossible ACK to a half-open connection)."""
import os
import shutil
import time

from lab import one_incident, expect, label, scenario


# Router rule of the connect-timeout scenarios: server->client SYN-ACKs are
# lost on the path while it exists (a slow or congested path, without netem).
DROP_SYNACK = """
table inet rl_hs {
  chain forward {
    type filter hook forward priority 0; policy accept;
    tcp flags & (syn | ack) == (syn | ack) drop
  }
}
"""


def connect_timeout(lab, v6, timeout, unblock_after, linger):
    lab.topology(routed=True, v6=v6)
    fmt = "pcapng" if v6 else "pcap"
    lab.capture("server" if v6 else "client", fmt=fmt)
    lab.run("server", f"""
s = listen({lab.addr('server')!r}, 8443)
ready()
time.sleep(30)            # never accepts: the lab ends it
""", wait_ready=True)
    lab.nft("router", DROP_SYNACK)
    cli = lab.run("client", f"""
ready()
try:
    connect({lab.addr('server')!r}, 8443, timeout={timeout})
    log("connected?!")
    sys.exit(1)
except socket.timeout:
    pass                  # connect() closes the SYN_SENT socket: no RST for that
time.sleep({linger - timeout})   # the process lives on; the late SYN-ACK arrives meanwhile
""", wait_ready=True)
    time.sleep(unblock_after)
    lab.undrop("router", "rl_hs")
    cli.wait()

    return one_incident("client", "NO_SOCKET", "connect-timeout")


@scenario("connect-timeout-late-synack-v4", "the client gives up connect() after 0.8 s (one "
          "SYN sent) and closes; the server's SYN-ACKs are lost on the path (dropped at a "
          "router until 1.5 s), so its retransmission at 3 s finds no socket: the client's "
          "kernel answers it with RST")
def connect_timeout_v4(lab):
    return connect_timeout(lab, False, 0.8, 1.5, 3.6)


@scenario("connect-timeout-late-synack-v6", "the same over IPv6 with a 1.5 s connect timeout "
          "(the SYN retransmitted at 1 s), SYN-ACKs dropped until 2.6 s, so the one let "
          "through comes at 3 or 4 s; captured at the server with dumpcap as pcapng",
          capture_point="server", fmt="pcapng")
def connect_timeout_v6(lab):
    return connect_timeout(lab, True, 1.5, 2.6, 4.6)


# Router rule of the accept-overflow scenario: the bare ACKs that would
# complete the handshakes from client ports 41001 and 41002 are lost on the
# path while it exists, so both stay half-open (SYN_RECV) at the server.
DROP_BARE_ACK = """
table inet rl_hs {
  chain forward {
    type filter hook forward priority 0; policy accept;
    tcp sport { 41001, 41002 } tcp flags & (syn | ack | fin | rst | psh) == ack drop
  }
}
"""


@scenario("accept-overflow-abort-v4", "tcp_abort_on_overflow=1, listen backlog 1 (2 queued "
          "children at most), and a server too busy to accept: one connection is queued, two "
          "more are half-open (their final ACKs lost on the path); the server's SYN-ACK "
          "retransmissions at 1 s draw new ACKs, the first fills the queue and the second "
          "handshake is reset by the listener")
def accept_overflow(lab):
    lab.topology(routed=True)
    lab.capture("client")
    lab.sysctl("server", "net.ipv4.tcp_abort_on_overflow", "1")
    lab.nft("router", DROP_BARE_ACK)
    srv = lab.run("server", f"""
s = listen({lab.addr('server')!r}, 80, backlog=1)
ready()
time.sleep(2.0)           # busy: nothing accepted meanwhile
for _ in range(2):        # the two queued connections, served at last
    c, _ = s.accept()
    c.recv(4096)
    c.sendall(http_response(extra="Connection: close\\r\\n"))
    c.close()
time.sleep(0.5)
""", wait_ready=True)
    cli = lab.run("client", f"""
ready()
a = connect({lab.addr('server')!r}, 80)                    # completes: queued
time.sleep(0.1)
b = connect({lab.addr('server')!r}, 80, bind_port=41001)   # half-open at the server
time.sleep(0.2)
c = connect({lab.addr('server')!r}, 80, bind_port=41002)   # half-open at the server
time.sleep(1.5)           # SYN-ACK retransmissions: b completes into the queue, c overflows
assert recv_some(c, timeout=0.1) is None   # c was reset
for s in (a, b):
    s.sendall(http_request())
    drain(s, timeout=1.5)
    s.close()
""", wait_ready=True)
    time.sleep(0.6)       # before the SYN-ACK retransmissions (1.0 s after each SYN)
    lab.undrop("router", "rl_hs")
    cli.wait()
    srv.wait()

    return one_incident("server", "INVALID_SYN", "handshake-abort")


@scenario("listener-closed-queued-v4", "a client connects and sends its request; the "
          "connection waits in the accept queue, and the server closes its listening socket "
          "without accepting it: the queued child is reset")
def listener_closed(lab):
    lab.topology()
    lab.capture("client")
    srv = lab.run("server", f"""
s = listen({lab.addr('server')!r}, 8080)
ready()
# A listening socket polls readable once a connection waits in its accept
# queue; a fixed sleep lost the race to the client's start on a busy CI
# machine. The request follows the handshake at once.
import select
assert select.select([s], [], [], 10)[0], "no connection queued"
time.sleep(0.3)           # the client's request is queued too now
s.close()
time.sleep(0.5)
""", wait_ready=True)
    lab.run("client", f"""
c = connect({lab.addr('server')!r}, 8080)
c.sendall(http_request("/job"))
assert recv_some(c, timeout=2) is None     # reset
""").wait()
    srv.wait()

    def labeller(rsts):
        expect(rsts[0], "server", "TCP_STATE")
        # The queued child had an unread request: on the wire this is an
        # active RST after unanswered data, as a close with data unread.
        return [label("handshake-abort", alternatives=["unread-recv-buffer"])] + \
            [label("reset-followup") for _ in rsts[1:]]
    return labeller


@scenario("timewait-reuse-v4", "timestamps off; the client sends 8 MB from port 40000, the "
          "server closes first and holds TIME_WAIT; the client reconnects at once from the same "
          "port with an ISN below the old rcv_nxt: TIME_WAIT answers with a stale ACK, the new "
          "client (SYN_SENT) resets it, which frees the tuple, and its fast SYN retransmission "
          "connects")
def timewait_reuse(lab):
    lab.topology()
    for who in ("client", "server"):
        lab.sysctl(who, "net.ipv4.tcp_timestamps", "0")
    lab.capture("client", snaplen=128)
    srv = lab.run("server", f"""
s = listen({lab.addr('server')!r}, 9000)
ready()
c, _ = s.accept()
n = 0
while n < 8 << 20:
    d = c.recv(1 << 20)
    assert d
    n += len(d)
c.close()                 # the server closes first: TIME_WAIT here
c, _ = s.accept()         # the reconnection, once it gets through
c.recv(4096)
c.sendall(b"ok\\n")
drain(c)
c.close()
""", wait_ready=True)
    # The ISN grows 1 per 64 ns (15.6M/s); the old rcv_nxt is 8 MB past the
    # old ISN, so the new SYN is below it if it leaves within ~0.5 s.
    lab.run("client", f"""
c = connect({lab.addr('server')!r}, 9000, bind_port=40000)
c.sendall(bytes(8 << 20))
assert drain(c) == b""
c.close()
time.sleep(0.02)          # the server's ACK of our FIN: the old tuple is free here
c = connect({lab.addr('server')!r}, 9000, timeout=2.5, bind_port=40000)
c.sendall(b"hello\\n")
assert recv_some(c) == b"ok\\n"
c.close()
""").wait()
    srv.wait()

    return one_incident("client", "TCP_INVALID_ACK_SEQUENCE", "timewait-reuse")


@scenario("client-restart-challenge-ack-v4", "the client closes its connection from port "
          "40001 but nothing it sends leaves its host (its own nftables drops it) and its "
          "orphaned socket gives up silently (tcp_orphan_retries=1), as when a client host "
          "restarts or a NAT reuses the port; 2 s later it connects again from the same port: "
          "the server, which still holds the old connection, answers the new SYN "
          "with an RFC 5961 challenge ACK, the client (SYN_SENT) resets it, which frees the "
          "server's stale connection, and the client's SYN retransmission connects")
def client_restart_challenge_ack(lab):
    lab.topology()
    lab.sysctl("client", "net.ipv4.tcp_orphan_retries", "1")
    lab.capture("client")
    srv = lab.run("server", f"""
s = listen({lab.addr('server')!r}, 9000)
ready()
c, _ = s.accept()
c.recv(4096)
c.sendall(b"ok\\n")
c2, _ = s.accept()        # the reconnection; the first connection is reset meanwhile
c2.recv(4096)
c2.sendall(b"ok again\\n")
drain(c2)
c2.close()
""", wait_ready=True)
    cli = lab.run("client", f"""
c = connect({lab.addr('server')!r}, 9000, bind_port=40001)
c.sendall(b"hello\\n")
assert recv_some(c) == b"ok\\n"
ready()
time.sleep(0.5)           # the lab drops everything we send meanwhile
c.close()                 # the FIN is dropped; the orphan dies after one retransmission
time.sleep(1.5)           # the lab lifts the drop meanwhile
c = connect({lab.addr('server')!r}, 9000, timeout=4, bind_port=40001)
c.sendall(b"hello again\\n")
assert recv_some(c) == b"ok again\\n"
c.close()
""", wait_ready=True)
    lab.nft("client", """
table inet labdrop {
  chain o { type filter hook output priority 0; meta l4proto tcp drop; }
}
""")
    time.sleep(1.5)
    lab.undrop("client")
    cli.wait()
    srv.wait()
    return one_incident("client", "TCP_INVALID_ACK_SEQUENCE", "timewait-reuse",
                        detail="challenge-ack")


# Router rule of the SYN_RECV scenario: only the first bare ACK from client
# port 41003 (the handshake's last) is lost on the path.
DROP_FIRST_BARE_ACK = """
table inet rl_hs {
  set once { type ipv4_addr; flags dynamic; }
  chain forward {
    type filter hook forward priority 0; policy accept;
    tcp sport 41003 tcp flags & (syn | ack | fin | rst | psh) == ack ip saddr != @once add @once { ip saddr } drop
  }
}
"""


@scenario("synrecv-ack-unsent-v4", "the client's last handshake ACK is lost, so the server "
          "holds the connection half-open (SYN_RECV); a segment from the client's address and "
          "port then acknowledges 1000 bytes the server never sent (crafted with a raw socket): "
          "the listener answers it with RST; the client's stack, which thinks it is connected, "
          "answers that in-window, inexact RST with a challenge ACK, which completes the "
          "handshake")
def synrecv_ack_unsent(lab):
    lab.topology(routed=True)
    lab.capture("client")
    lab.nft("router", DROP_FIRST_BARE_ACK)
    srv = lab.run("server", f"""
s = listen({lab.addr('server')!r}, 80)
ready()
c, _ = s.accept()
c.recv(4096)
c.sendall(http_response(extra="Connection: close\\r\\n"))
c.close()
time.sleep(0.3)
""", wait_ready=True)
    lab.run("client", f"""
def csum(b):
    if len(b) % 2:
        b += b"\\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff

me, srv = {lab.addr('client')!r}, {lab.addr('server')!r}
raw = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_TCP)   # sees incoming TCP
c = connect(srv, 80, bind_port=41003)
while True:               # the server's SYN-ACK: its ISN and ours
    p = raw.recv(2048)
    o = (p[0] & 15) * 4
    sport, dport, seq, ack, _, flags = struct.unpack("!HHIIBB", p[o:o + 14])
    if (sport, dport) == (80, 41003) and flags & 0x12 == 0x12:
        break
time.sleep(0.2)
# ACK of 1000 bytes the server never sent, from our address and port
hdr = struct.pack("!HHIIBBHHH", 41003, 80, ack, (seq + 1 + 1000) & 0xffffffff, 5 << 4, 0x10,
                  63, 0, 0)
pseudo = socket.inet_aton(me) + socket.inet_aton(srv) + struct.pack("!BBH", 0, 6, len(hdr))
hdr = hdr[:16] + struct.pack("!H", csum(pseudo + hdr)) + hdr[18:]
raw.sendto(hdr, (srv, 0))
time.sleep(0.2)           # the listener's RST, our challenge ACK: connected at last
c.sendall(http_request())
assert drain(c).startswith(b"HTTP/1.1 200")
c.close()
""").wait()
    srv.wait()

    return one_incident("server", "TCP_FLAGS", "invalid-segment")


@scenario("accept-overflow-deferred-v4", "issue 19 class 1: a listener with TCP_DEFER_ACCEPT "
          "(as nginx's 'deferred' sets), listen backlog 1 (2 queued children at most) and "
          "tcp_abort_on_overflow=1, never accepting; three clients connect (their bare ACKs "
          "leave the handshakes pending, as deferred accept does) and send a request each: the "
          "first two complete into the queue, the third overflows it and the listener resets "
          "it, answering that first data")
def accept_overflow_deferred(lab):
    lab.topology()
    lab.capture("client")
    lab.sysctl("server", "net.ipv4.tcp_abort_on_overflow", "1")
    srv = lab.run("server", f"""
s = listen({lab.addr('server')!r}, 80, backlog=1)
s.setsockopt(socket.IPPROTO_TCP, socket.TCP_DEFER_ACCEPT, 5)
ready()
time.sleep(2.0)           # never accepts
""", wait_ready=True)
    lab.run("client", f"""
conns = [connect({lab.addr('server')!r}, 80) for _ in range(3)]
time.sleep(0.2)
for i, c in enumerate(conns):
    c.sendall(http_request(f"/q{{i}}"))
    time.sleep(0.2)
assert recv_some(conns[2], timeout=0.5) is None   # reset by the listener
""").wait()
    srv.wait()

    def labeller(rsts):
        expect(rsts[0], "server", "INVALID_SYN")
        # When the server exits, its listener closes with the two queued
        # children still holding their unread requests: reset, as in
        # listener-closed-queued-v4.
        for r in rsts[1:]:
            expect(r, "server", "TCP_STATE")
        return [label("handshake-abort")] + \
            [label("handshake-abort", alternatives=["unread-recv-buffer"]) for _ in rsts[1:]]
    return labeller


@scenario("syn-scan-raw-v4", "issue 19 class 9: a SYN sent from a raw socket (no socket "
          "of its own, no TCP options, as a SYN scanner crafts it) to a listening port; the "
          "server answers with a SYN-ACK and the scanning host's kernel, which has no socket "
          "for it, resets it")
def syn_scan_raw(lab):
    lab.topology()
    lab.capture("client")
    srv = lab.run("server", f"""
s = listen({lab.addr('server')!r}, 8080)
ready()
time.sleep(1.0)
""", wait_ready=True)
    lab.run("client", f"""
src, dst = socket.inet_aton({lab.addr('client')!r}), socket.inet_aton({lab.addr('server')!r})
hdr = struct.pack("!HHIIBBHHH", 45000, 8080, 1000, 0, 5 << 4, 0x02, 1024, 0, 0)
pseudo = src + dst + struct.pack("!BBH", 0, socket.IPPROTO_TCP, len(hdr))
data = pseudo + hdr
total = sum(struct.unpack("!%dH" % (len(data) // 2), data))
while total >> 16:
    total = (total & 0xffff) + (total >> 16)
hdr = hdr[:16] + struct.pack("!H", ~total & 0xffff) + hdr[18:]
raw = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_TCP)
raw.sendto(hdr, ({lab.addr('server')!r}, 0))
time.sleep(0.3)
""").wait()
    srv.wait()
    return one_incident("client", "NO_SOCKET", "linger-abort", detail="probe")


@scenario("ack-scan-raw-v4", "an ACK scan (as nmap -sA crafts it: a bare ACK from a raw "
          "socket, no socket of its own, no options, window 1024, arbitrary seq and ack) of a "
          "listening port and then of a closed one, no connection on either; Linux answers "
          "both with the same reply-form RST, seq = the probe's ack (RFC 9293 3.10.7.1 and "
          "3.10.7.2): the listener because an ACK is impossible in LISTEN "
          "(tcp_rcv_state_process, net/ipv4/tcp_input.c: TCP_FLAGS), the closed port because "
          "no socket matches (tcp_v4_rcv's no_tcp_socket, net/ipv4/tcp_ipv4.c: NO_SOCKET). "
          "No connection exists: the listener's RST is an invalid segment's, the closed "
          "port's a closed port's, and since the two RSTs are alike (nmap's documentation: "
          "an ACK scan cannot tell open from closed) each accepts the other")
def ack_scan_raw(lab):
    lab.topology()
    lab.capture("client")
    srv = lab.run("server", f"""
s = listen({lab.addr('server')!r}, 8080)
ready()
time.sleep(1.0)
""", wait_ready=True)
    lab.run("client", f"""
def csum(b):
    if len(b) % 2:
        b += b"\\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff

me, srv = {lab.addr('client')!r}, {lab.addr('server')!r}
raw = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_TCP)
for dport, seq, ack in ((8080, 0x1f2e3d4c, 0x5a6b7c8d), (8081, 0x2f3e4d5c, 0x6a7b8c9d)):
    hdr = struct.pack("!HHIIBBHHH", 45000, dport, seq, ack, 5 << 4, 0x10, 1024, 0, 0)
    pseudo = socket.inet_aton(me) + socket.inet_aton(srv) + struct.pack("!BBH", 0, 6, len(hdr))
    hdr = hdr[:16] + struct.pack("!H", csum(pseudo + hdr)) + hdr[18:]
    raw.sendto(hdr, (srv, 0))
    time.sleep(0.2)
""").wait()
    srv.wait()

    def labeller(rsts):
        if len(rsts) != 2 or [r["sport"] for r in rsts] != [8080, 8081]:
            raise RuntimeError(f"expected one RST from each port: {rsts}")
        expect(rsts[0], "server", "TCP_FLAGS")     # the listener, state LISTEN
        expect(rsts[1], "server", "NO_SOCKET")
        return [label("invalid-segment", alternatives=["closed-port"],
                      note="a bare ACK to a listening port, no connection"),
                label("closed-port", alternatives=["invalid-segment"],
                      note="a bare ACK to a closed port, no connection")]
    return labeller


# Router rule of the connection-race scenario: the SYN-ACKs of the name's
# first address are held up on the path while it exists.
DROP_FIRST_SYNACK = """
table inet rl_hs {
  chain forward {
    type filter hook forward priority 0; policy accept;
    ip saddr %s tcp flags & (syn | ack) == (syn | ack) drop
  }
}
"""


@scenario("happy-eyeballs-race-lost-v4", "Python's asyncio connects to a name with two "
          "addresses racing them (RFC 8305, happy_eyeballs_delay 0.25 s, the stdlib's "
          "staggered race); the first address's SYN-ACKs are dropped at a router until 0.6 s, "
          "so the second attempt, started 250 ms later, connects at once and asyncio closes "
          "the first, still in SYN_SENT (nothing sent); the server's SYN-ACK sent again at "
          "1 s finds no socket: the client's kernel answers it with RST")
def happy_eyeballs_race_lost_v4(lab):
    lab.topology(routed=True)
    first, second = lab.addr("server"), lab.addr("server").rsplit(".", 1)[0] + ".2"
    lab.nsx("server", "ip", "addr", "add", f"{second}/24", "dev", lab.iface("server"))
    # The name resolves to both addresses, in this order, for the client
    # only: ip netns exec puts /etc/netns/NS/hosts in the place of
    # /etc/hosts (ip-netns(8)).
    etc = f"/etc/netns/{lab.ns['client']}"
    os.makedirs(etc, exist_ok=True)
    with open(f"{etc}/hosts", "w") as f:
        f.write(f"127.0.0.1 localhost\n{first} race.lab\n{second} race.lab\n")
    try:
        lab.capture("client")
        srv = lab.run("server", """
s = listen("0.0.0.0", 8443)
ready()
c, _ = s.accept()
c.recv(1024)
c.sendall(b"pong\\n")
time.sleep(0.2)
c.close()
time.sleep(2.5)           # the refused attempt's SYN-ACKs come and go
""", wait_ready=True)
        lab.nft("router", DROP_FIRST_SYNACK % first)
        cli = lab.run("client", f"""
import asyncio

async def main():
    r, w = await asyncio.open_connection("race.lab", 8443, happy_eyeballs_delay=0.25)
    peer = w.get_extra_info("peername")[0]
    if peer != {second!r}:
        log("the race was won by", peer)
        sys.exit(1)
    w.write(b"ping\\n")
    await r.readline()
    w.close()
    await w.wait_closed()

ready()
asyncio.run(main())
time.sleep(2.5)           # the process lives on while the late SYN-ACK comes
""", wait_ready=True)
        time.sleep(0.6)
        lab.undrop("router", "rl_hs")
        cli.wait()
        srv.wait()
    finally:
        shutil.rmtree(etc, ignore_errors=True)
    return one_incident("client", "NO_SOCKET", "connect-timeout", "abandoned",
                        note="asyncio's losing attempt; its SYN-ACK sent again at 1 s")
