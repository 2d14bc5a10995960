"""Lab scenarios: goodbyes that meet a closed socket. One side closes, and
the other answers the close with its protocol's own last words (SMTP's QUIT
after a 421, XMPP's closing stream tag): the words reach a socket that is
already gone, and its kernel resets them. Nothing was lost; the RST is the
protocol's goodbye arriving after the close.

The servers are a few lines of Python speaking the protocol's opening (a
greeting, an EHLO reply) and closing as a real server does; the clients
answer the close as mail and chat clients do. Each scenario checks what the
programs saw, so a changed kernel or library is noticed, not labelled."""
from lab import expect, label, scenario


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
