"""Lab scenarios: RSTs a middlebox puts on the wire in an endpoint's name
(a NAT/firewall that forgot an idle flow, a keyword firewall, an injecting
censor), and the keep-alive race seen through link types a middlebox or a
capture host adds (802.1Q VLAN tags, Linux cooked captures on "any").

The router namespace does the middlebox work: nftables `reject with tcp
reset` (which never fires the tcp_send_reset tracepoint: its RSTs have no
kernel reason) or a Python program on a raw AF_PACKET socket.
"""
import os
import time

from lab import expect, label, scenario, sh

HERE = os.path.dirname(os.path.abspath(__file__))
VLAN_SRC = os.path.join(HERE, "..", "gen", "vlan_tc.c")

# A response whose Keep-Alive header does not claim an idle timeout the
# server does not have (the middlebox, not the server, forgets the flow).
LONG_KEEPALIVE = "Connection: keep-alive\r\nKeep-Alive: timeout=60\r\n"


# ---------------------------------------------------------------- helpers

def vlan_tags(lab, ifaces, vid_section="tc/push_q42"):
    """Puts 802.1Q tag 42 on every frame of the given (who, iface) veth ends
    with tc-bpf (push on egress, pop on ingress), so captures on those
    veths see tagged frames while the TCP stacks run untagged. The kernel
    has no 8021q module; the programs are testdata/gen/vlan_tc.c, compiled
    at scenario time into the scenario's work folder."""
    obj = os.path.join(lab.workdir, "vlan_tc.o")
    if not os.path.exists(obj):
        triple = sh("gcc", "-dumpmachine").stdout.strip()
        sh("clang", "-O2", "-g0", "-target", "bpf", f"-I/usr/include/{triple}",
           "-c", VLAN_SRC, "-o", obj)
    for who, i in ifaces:
        lab.nsx(who, "tc", "qdisc", "add", "dev", i, "clsact")
        lab.nsx(who, "tc", "filter", "add", "dev", i, "egress", "bpf", "da", "obj", obj,
                "sec", vid_section)
        lab.nsx(who, "tc", "filter", "add", "dev", i, "ingress", "bpf", "da", "obj", obj,
                "sec", "tc/pop_all")


def forgetful_router(lab, timeout=2):
    """The router tracks TCP flows with conntrack, forgets them after
    `timeout` s of idleness, never re-learns a flow mid-stream (loose pickup
    off) and answers any non-SYN segment of an unknown flow with a RST in
    the destination's name, like a NAT or stateful firewall whose state
    expired."""
    lab.nft("router", """
table inet mb {
    chain forward {
        type filter hook forward priority filter; policy accept;
        ct state established,related accept
        tcp flags & (fin | syn | rst | ack) == syn ct state new accept
        meta l4proto tcp reject with tcp reset
    }
}
""")
    lab.sysctl("router", "net.netfilter.nf_conntrack_tcp_loose", "0")
    lab.sysctl("router", "net.netfilter.nf_conntrack_tcp_timeout_established", str(timeout))


# ---------------------------------------------------------------- NAT idle expiry

def nat_idle_expiry(lab, v6, at):
    lab.topology(routed=True, v6=v6)
    forgetful_router(lab)
    if at == "router":
        lab.capture("router", fmt="pcapng")     # on rc, the client-side interface
    else:
        lab.capture("client")
    srv = lab.run("server", f"""
s = listen({lab.addr('server')!r}, 80)
ready()
c, _ = s.accept()
c.recv(4096)
c.sendall(http_response(extra={LONG_KEEPALIVE!r}))
recv_some(c, timeout=5.0)   # the second request never arrives: the router rejects it
""", wait_ready=True)
    lab.run("client", f"""
c = connect({lab.addr('server')!r}, 80)
c.sendall(http_request("/first"))
recv_some(c)
time.sleep(3.5)             # idle in the pool; the router forgets the flow after 2 s
c.sendall(http_request("/second"))
recv_some(c)
""").wait()
    srv.wait()

    def labeller(rsts):
        expect(rsts[0], "server", None)
        return [label("idle-timeout", origin="middlebox",
                      note="nftables reject with tcp reset on the router after conntrack "
                           "forgot the flow (established timeout 2 s, loose pickup off)")]
    return labeller


@scenario("nat-idle-expiry-v4", "routed: the router's conntrack forgets an idle keep-alive "
          "connection after 2 s; the client's next request, 3.5 s later, is rejected by the "
          "router's nftables with a RST in the server's name (TTL 64 against the server's 63)")
def nat_idle_expiry_v4(lab):
    return nat_idle_expiry(lab, False, "client")


@scenario("nat-idle-expiry-v6-router", "the same over IPv6, captured with dumpcap in the "
          "router on its client-side interface (the RST leaves with hop limit 64, the "
          "forwarded server packets with 63)", capture_point="middle", fmt="pcapng")
def nat_idle_expiry_v6_router(lab):
    return nat_idle_expiry(lab, True, "router")


# ---------------------------------------------------------------- keyword firewall

@scenario("firewall-keyword-reject-v4", "routed: the router's nftables matches the keyword "
          "\"forbidden\" in the payload of the client's second request and rejects it with a "
          "RST in the server's name; the server never sees the request and later closes its "
          "idle connection")
def firewall_keyword_reject(lab):
    lab.topology(routed=True)
    # "GET /forbidden HTTP/1.1": the keyword is at payload offset 5 (bit 40).
    kw = "0x" + b"forbidden".hex()
    lab.nft("router", f"""
table inet mb {{
    chain forward {{
        type filter hook forward priority filter; policy accept;
        tcp dport 80 @ih,40,72 {kw} reject with tcp reset
    }}
}}
""")
    lab.capture("client")
    srv = lab.run("server", f"""
s = listen({lab.addr('server')!r}, 80)
ready()
c, _ = s.accept()
c.recv(4096)
c.sendall(http_response())
got = recv_some(c, timeout=1.0)   # keep-alive idle timeout: nothing more arrives
c.close()
time.sleep(1.0)
""", wait_ready=True)
    lab.run("client", f"""
c = connect({lab.addr('server')!r}, 80)
c.sendall(http_request("/index.html"))
recv_some(c)
time.sleep(0.3)
c.sendall(http_request("/forbidden"))
recv_some(c)
time.sleep(1.5)
""").wait()
    srv.wait()

    def labeller(rsts):
        expect(rsts[0], "server", None)
        out = [label("injected", origin="middlebox",
                     note="nftables payload match + reject with tcp reset on the router; "
                          "the request never reached the server")]
        for r in rsts[1:]:
            # the server's FIN after its idle timeout meets the client's closed socket
            expect(r, "client", "NO_SOCKET")
            out.append(label("reset-followup"))
        return out
    return labeller


# ---------------------------------------------------------------- injecting censor

INJECTOR = r"""
import random
IFACE, CLIENT, SERVER = %r, %r, %r
ETH_P_ALL = 3

def csum(b):
    if len(b) %% 2:
        b += b"\0"
    s = sum(struct.unpack("!%%dH" %% (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return (~s) & 0xffff

def ip4(a):
    return socket.inet_aton(a)

s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
s.bind((IFACE, 0))
s.settimeout(10)
ready()
while True:
    f, addr = s.recvfrom(65535)
    if addr[2] == socket.PACKET_OUTGOING or f[12:14] != b"\x08\x00":
        continue
    ip = f[14:]
    ihl = (ip[0] & 15) * 4
    if ip[9] != 6 or ip[12:16] != ip4(CLIENT) or ip[16:20] != ip4(SERVER):
        continue
    tot = struct.unpack("!H", ip[2:4])[0]
    tcp = ip[ihl:tot]
    sport, dport, seq, ack = struct.unpack("!HHII", tcp[:12])
    doff = (tcp[12] >> 4) * 4
    payload = tcp[doff:]
    if dport != 80 or b"forbidden" not in payload:
        continue
    break
time.sleep(0.005)          # the censor sits a few hops away
# The forged RST: the server's address and port, seq = what the client
# expects next from the server (the request's ack), RST+ACK acknowledging
# the request; TTL 50 and a random IP ID, unlike the server's packets.
th = struct.pack("!HHIIBBHHH", dport, sport, ack, (seq + len(payload)) & 0xffffffff,
                 5 << 4, 0x14, 0, 0, 0)
pseudo = ip4(SERVER) + ip4(CLIENT) + struct.pack("!BBH", 0, 6, len(th))
th = th[:16] + struct.pack("!H", csum(pseudo + th)) + th[18:]
iph = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(th), random.randint(1, 0xffff), 0,
                  50, 6, 0, ip4(SERVER), ip4(CLIENT))
iph = iph[:10] + struct.pack("!H", csum(iph)) + iph[12:]
eth = f[6:12] + f[0:6] + b"\x08\x00"
s.send(eth + iph + th)
log("injected", hex(ack))
"""


def censored_request(lab, injector):
    """Routed: the injector program runs on the router while the client
    asks for /forbidden and a slow server answers 0.2 s later."""
    lab.topology(routed=True)
    lab.capture("client")
    inj = lab.run("router", injector % ("rc", lab.addr("client"), lab.addr("server")),
                  wait_ready=True)
    srv = lab.run("server", f"""
s = listen({lab.addr('server')!r}, 80)
ready()
c, _ = s.accept()
c.recv(4096)
time.sleep(0.2)           # a slow backend: the forged RST wins the race
try:
    c.sendall(http_response())
    recv_some(c, timeout=1.0)
except OSError:
    pass
""", wait_ready=True)
    lab.run("client", f"""
c = connect({lab.addr('server')!r}, 80)
c.sendall(http_request("/forbidden"))
recv_some(c)
time.sleep(0.5)
""").wait()
    srv.wait()
    inj.wait()


@scenario("injected-rst-keyword-v4", "routed: a censor on the router watches the client's "
          "traffic on a raw socket and, seeing \"forbidden\" in a request, forges a RST to "
          "the client in the server's name (TTL 50, random IP ID); the request still reaches "
          "the server, whose answer 0.2 s later meets the client's closed socket")
def injected_rst_keyword(lab):
    censored_request(lab, INJECTOR)

    def labeller(rsts):
        expect(rsts[0], "server", None)
        out = [label("injected", origin="middlebox",
                     note="forged by a raw-socket program on the router: TTL 50, random IP ID; "
                          "the server acknowledged the request and answered it later")]
        for r in rsts[1:]:
            expect(r, "client", "NO_SOCKET")
            out.append(label("reset-followup"))
        return out
    return labeller


# ---------------------------------------------------------------- keep-alive race

def keepalive_race(lab, v6, vlan):
    lab.topology(v6=v6)
    if vlan:
        vlan_tags(lab, [("client", "c0"), ("server", "s0")])
        lab.capture("server")
    else:
        lab.capture("client", iface="any")
    # The server's FIN is "in flight" while the client writes its next
    # request: the client's stack does not get it (dropped at its input,
    # after the capture taps), so the request does not acknowledge it.
    lab.nft("client", """
table inet race {
    chain in {
        type filter hook input priority filter; policy accept;
        tcp sport 80 tcp flags & fin == fin drop
    }
}
""")
    srv = lab.run("server", f"""
s = listen({lab.addr('server')!r}, 80)
ready()
c, _ = s.accept()
c.recv(4096)
c.sendall(http_response())
time.sleep(1.0)           # the server's keep-alive idle timeout
c.close()
time.sleep(1.0)
""", wait_ready=True)
    lab.run("client", f"""
c = connect({lab.addr('server')!r}, 80)
c.sendall(http_request("/first"))
recv_some(c)
time.sleep(1.2)           # reused from the pool just after the server's FIN left
c.sendall(http_request("/second"))
recv_some(c)
""").wait()
    lab.nsx("client", "nft", "delete", "table", "inet", "race")
    srv.wait()

    def labeller(rsts):
        expect(rsts[0], "server", "TCP_ABORT_ON_DATA")
        out = [label("data-after-fin", "race")]
        for r in rsts[1:]:
            out.append(label("reset-followup"))
        return out
    return labeller


@scenario("keepalive-race-vlan-v4", "the server closes an idle keep-alive connection after "
          "1 s; its FIN crosses the client's next request (the request does not acknowledge "
          "it) and the orphaned FIN_WAIT1 socket answers the data with RST; captured at the "
          "server on a veth carrying 802.1Q tag 42", capture_point="server")
def keepalive_race_vlan_v4(lab):
    return keepalive_race(lab, False, True)


@scenario("keepalive-race-any-v6", "the same race over IPv6, captured with tcpdump on "
          "interface any in the client namespace (Linux cooked v2)")
def keepalive_race_any_v6(lab):
    return keepalive_race(lab, True, False)


# The same censor, sending a burst: three RSTs microseconds apart with
# sequence numbers spread over the window (the first exact, the others a
# segment and two further on), all with the censor's TTL, as the
# injectors that blanket a window do.
INJECTOR_BURST = INJECTOR.replace('''s.send(eth + iph + th)
log("injected", hex(ack))''', '''for k in range(3):
    fseq = (ack + 1460 * k) & 0xffffffff
    th = struct.pack("!HHIIBBHHH", dport, sport, fseq, (seq + len(payload)) & 0xffffffff,
                     5 << 4, 0x14, 0, 0, 0)
    th = th[:16] + struct.pack("!H", csum(pseudo + th)) + th[18:]
    iph = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(th), random.randint(1, 0xffff), 0,
                      50, 6, 0, ip4(SERVER), ip4(CLIENT))
    iph = iph[:10] + struct.pack("!H", csum(iph)) + iph[12:]
    s.send(eth + iph + th)
log("injected a burst at", hex(ack))''')


@scenario("injected-rst-burst-v4", "issue 19 class 4: routed; the censor on the router forges "
          "three RSTs in the server's name microseconds apart, with spread sequence numbers "
          "and its own TTL (50); the first kills the client's connection, the others meet no "
          "socket; the server's answer then meets the client's closed socket")
def injected_rst_burst(lab):
    censored_request(lab, INJECTOR_BURST)

    def labeller(rsts):
        out = []
        for i, r in enumerate(rsts[:3]):
            expect(r, "server", None)
            note = "forged by the router's censor, TTL 50, in a burst of three"
            out.append(label("injected" if i == 0 else "reset-followup", origin="middlebox",
                             note=note))
        for r in rsts[3:]:
            expect(r, "client", "NO_SOCKET")
            out.append(label("reset-followup"))
        return out
    return labeller


# The censor refuses connections: seeing a client's SYN to port 80, it
# forges the refusal a closed port would send (RST+ACK, seq 0, ack = the
# SYN's seq + 1) in the server's name, with its own TTL.
SYN_REFUSER = INJECTOR.replace('''    if dport != 80 or b"forbidden" not in payload:
        continue
    break
time.sleep(0.005)          # the censor sits a few hops away''', '''    if dport != 80 or tcp[13] & 0x12 != 0x02:
        continue
    payload = b""
    ack = 0
    break''').replace('''th = struct.pack("!HHIIBBHHH", dport, sport, ack, (seq + len(payload)) & 0xffffffff,''',
                  '''th = struct.pack("!HHIIBBHHH", dport, sport, 0, (seq + 1) & 0xffffffff,''')

# While it is installed, the server's SYN-ACKs are lost on the way back:
# the forged refusal reaches the client first, the real SYN-ACK later.
DROP_SYNACK = """
table inet rl_sa {
  chain forward {
    type filter hook forward priority 0; policy accept;
    tcp sport 80 tcp flags & (syn | ack) == syn | ack drop
  }
}
"""


@scenario("forged-refusal-then-synack-v4", "issue 19 class 13: routed; a censor on the "
          "router forges a closed port's refusal (RST+ACK, TTL 50) of the client's SYN; the "
          "server's real SYN-ACK, delayed on the path, arrives after it and the client, whose "
          "attempt the forgery ended, resets it")
def forged_refusal_then_synack(lab):
    lab.topology(routed=True)
    lab.capture("client")
    lab.nft("router", DROP_SYNACK)
    inj = lab.run("router", SYN_REFUSER % ("rc", lab.addr("client"), lab.addr("server")),
                  wait_ready=True)
    srv = lab.run("server", f"""
s = listen({lab.addr('server')!r}, 80)
ready()
time.sleep(3.0)
""", wait_ready=True)
    cli = lab.run("client", f"""
try:
    connect({lab.addr('server')!r}, 80, timeout=2.0)
except OSError as e:
    log("refused:", e)
time.sleep(2.0)
""")
    time.sleep(0.5)
    lab.undrop("router", "rl_sa")      # the SYN-ACK retransmission (1 s) goes through
    cli.wait()
    srv.wait()
    inj.wait()

    def labeller(rsts):
        expect(rsts[0], "server", None)
        out = [label("injected", origin="middlebox",
                     note="forged by the router's censor: TTL 50; the server's own SYN-ACK "
                          "to the same SYN came later")]
        for r in rsts[1:]:
            expect(r, "client", ["NO_SOCKET", "TCP_FLAGS"])
            out.append(label("reset-followup"))
        return out
    return labeller


# A firewall that proxies handshakes (nftables synproxy: it answers the
# client's SYN itself, then opens the connection to the server) and
# rejects what its connection tracking no longer knows with a RST in the
# server's name. Loose pickup off, as synproxy set-ups have it, so a
# segment of a forgotten connection is invalid.
SYNPROXY = """
table ip rl_sp {
  chain pre {
    type filter hook prerouting priority raw; policy accept;
    tcp dport 80 tcp flags syn notrack
  }
  chain forward_sp {
    type filter hook forward priority filter; policy accept;
    tcp dport 80 ct state invalid tcp flags & psh == psh reject with tcp reset
    tcp dport 80 ct state invalid,untracked synproxy mss 1460 wscale 7 timestamp sack-perm
  }
}
"""


@scenario("synproxy-idle-reject-v4", "issue 19 class 11: routed; the router proxies the "
          "handshake (nftables synproxy: its own SYN-ACK, TTL 64 at the client) and the "
          "server's packets arrive with TTL 63; its connection tracking forgets the flow "
          "after 2 s idle, and the client's next request is rejected with a RST in the "
          "server's name from the router (TTL 64: the handshake's TTL, not the server's)")
def synproxy_idle_reject(lab):
    lab.topology(routed=True)
    lab.capture("client")
    lab.sysctl("router", "net.netfilter.nf_conntrack_tcp_loose", "0")
    lab.sysctl("router", "net.netfilter.nf_conntrack_tcp_timeout_established", "2")
    lab.nft("router", SYNPROXY)
    srv = lab.run("server", f"""
s = listen({lab.addr('server')!r}, 80)
ready()
c, _ = s.accept()
c.recv(4096)
c.sendall(http_response(extra="Connection: keep-alive\\r\\n"))
recv_some(c, timeout=6.0)
""", wait_ready=True)
    lab.run("client", f"""
c = connect({lab.addr('server')!r}, 80)
c.sendall(http_request("/first"))
recv_some(c)
time.sleep(4.0)          # the router forgets the flow after 2 s
try:
    c.sendall(http_request("/second"))
    recv_some(c, timeout=1.0)
except OSError:
    pass
""").wait()
    srv.wait()

    def labeller(rsts):
        expect(rsts[0], "server", None)
        out = [label("idle-timeout", origin="middlebox",
                     note="the router's nftables reject after its conntrack entry expired; "
                          "it had proxied the handshake with the same TTL")]
        for r in rsts[1:]:
            out.append(label("reset-followup"))
        return out
    return labeller


# ---------------------------------------------------------------- a rule added mid-stream

@scenario("firewall-block-mid-stream-v4", "routed: a busy keep-alive connection, a request "
          "every 0.4 s, each answered by the server; after the third an operator adds a rule "
          "on the router blocking the client (nftables: ip saddr CLIENT tcp dport 80 reject "
          "with tcp reset, ahead of any conntrack accept), and the fourth request, 0.4 s after "
          "the last answer, is rejected with a RST in the server's name (nft_reject_ipv4, "
          "net/ipv4/netfilter/nf_reject_ipv4.c: TTL 64 against the server's 63, no idle gap: "
          "not a forgotten flow but a new policy); the server never sees the request and "
          "still holds the connection (keep-alive 60 s) when the capture ends")
def firewall_block_mid_stream(lab):
    lab.topology(routed=True)
    lab.nft("router", """
table inet mb {
    chain forward {
        type filter hook forward priority filter; policy accept;
    }
}
""")
    lab.capture("client")
    srv = lab.run("server", f"""
s = listen({lab.addr('server')!r}, 80)
ready()
c, _ = s.accept()
n = 0
while recv_some(c, timeout=1.5):       # until the requests stop
    n += 1
    c.sendall(http_response(extra={LONG_KEEPALIVE!r}))
print("answered", n, flush=True)
time.sleep(30)            # holds the connection: the lab ends first (no FIN to meet the block)
""", wait_ready=True)
    cli = lab.run("client", f"""
c = connect({lab.addr('server')!r}, 80)
ready()
for i in range(5):
    try:
        c.sendall(http_request("/poll/%d" % i))
        got = recv_some(c)
    except OSError as e:
        got = None
    print("request", i, "answered" if got else "reset")
    if not got:
        break
    time.sleep(0.4)
""", wait_ready=True)
    time.sleep(1.0)           # after the third answer (0.8 s), before the fourth request
    lab.nft("router", f"""
insert rule inet mb forward ip saddr {lab.addr('client')} tcp dport 80 reject with tcp reset
""")
    out = cli.wait()
    answered = srv.p.stdout.readline()
    if "request 2 answered" not in out or "request 3 reset" not in out or \
            "answered 3" not in answered:
        raise RuntimeError(f"the block did not land on the fourth request: {out!r} / {answered!r}")

    def labeller(rsts):
        expect(rsts[0], "server", None)
        out = [label("injected", origin="middlebox",
                     note="nftables reject with tcp reset on the router, from a rule added "
                          "mid-stream; 0.4 s after the last answer, the flow still tracked")]
        for r in rsts[1:]:
            out.append(label("reset-followup"))
        return out
    return labeller


# ---------------------------------------------------------------- a NAT's mapping expires

@scenario("nat-mapping-expiry-push-v4", "routed: an MQTT client reaches a broker at a virtual "
          "address the router translates to the broker's own (nftables dnat to another port, "
          "as a Kubernetes Service or a load balancer does); the router's conntrack forgets "
          "the idle mapping after 2 s (established timeout 2 s, loose pickup on, the "
          "default); the broker's PUBLISH 3 s after the subscription is picked up as a new "
          "flow and reaches the client untranslated, from the broker's own address and port; "
          "the client has no such connection and answers it with a RST, which resets the "
          "broker's side; the client's PINGREQ at its 4 s keep-alive, to the virtual address, "
          "meets the broker's closed socket (net/netfilter/nf_conntrack_proto_tcp.c: tcp_new "
          "takes a mid-stream segment as new when nf_conntrack_tcp_loose is set; "
          "net/netfilter/nf_nat_core.c translates a flow from its first packet)")
def nat_mapping_expiry_push(lab):
    lab.topology(routed=True)
    vip = f"10.{lab.net}.3.80"
    broker = lab.addr("server")
    lab.dnat[(vip, 1883)] = (broker, 11883)
    lab.nft("router", f"""
table ip lb {{
    chain prerouting {{
        type nat hook prerouting priority dstnat; policy accept;
        ip daddr {vip} tcp dport 1883 dnat to {broker}:11883
    }}
}}
""")
    lab.sysctl("router", "net.netfilter.nf_conntrack_tcp_timeout_established", "2")
    lab.capture("client")
    # MQTT 3.1.1 packets (OASIS mqtt-v3.1.1 section 3): CONNACK, SUBACK, a
    # QoS 0 PUBLISH; the client's CONNECT (keep-alive 4 s), SUBSCRIBE and
    # PINGREQ.
    srv = lab.run("server", f"""
s = listen({broker!r}, 11883)
ready()
c, _ = s.accept()
c.recv(4096)
c.sendall(b"\\x20\\x02\\x00\\x00")
c.recv(4096)
c.sendall(b"\\x90\\x03\\x00\\x01\\x00")
time.sleep(3.0)             # the router forgets the mapping after 2 s idle
c.sendall(b"\\x30\\x0a\\x00\\x06prices42")
recv_some(c, timeout=3.0)   # the client's RST resets this connection
""", wait_ready=True)
    lab.run("client", f"""
c = connect({vip!r}, 1883)
c.sendall(b"\\x10\\x0e\\x00\\x04MQTT\\x04\\x02\\x00\\x04\\x00\\x02c1")
c.recv(4096)
c.sendall(b"\\x82\\x0b\\x00\\x01\\x00\\x06prices\\x00")
c.recv(4096)
time.sleep(4.0)             # the PUBLISH never reaches this socket
try:
    c.sendall(b"\\xc0\\x00")   # PINGREQ at the keep-alive
    recv_some(c, timeout=1.0)
except OSError:
    pass
""").wait()
    srv.wait()

    def labeller(rsts):
        expect(rsts[0], "client", "NO_SOCKET")
        expect(rsts[1], "server", ["NO_SOCKET", "TCP_FLAGS"])
        return [label("idle-timeout",
                      note="the client's kernel answers the broker's PUBLISH, which arrived "
                           "untranslated after the router's conntrack forgot the idle mapping"),
                label("reset-followup",
                      note="the broker's side was reset by the client's RST; its kernel "
                           "answers the PINGREQ")]
    return labeller


@scenario("nat-remap-keepalive-v4", "routed: the client's router masquerades it with random "
          "ports (nftables masquerade random, as carrier NATs pick ports at random, RFC 6056); "
          "its conntrack forgets the idle mapping after 2 s (established timeout 2 s, loose "
          "pickup on, the default); the client reuses its keep-alive connection 3 s after the "
          "first response, and its request is picked up as a new flow and mapped to a new "
          "port; the server, captured at its own interface, has no connection from that port "
          "and its listener answers with a RST, which the NAT's new mapping carries back to "
          "the client's socket; at 5 s the server closes its idle side, and its FIN to the "
          "old port meets the router's own kernel, which answers for its address "
          "(net/netfilter/nf_nat_masquerade.c; nf_nat_core.c picks a random port for "
          "NF_NAT_RANGE_PROTO_RANDOM)", capture_point="server")
def nat_remap_keepalive(lab):
    lab.topology(routed=True)
    lab.nft("router", """
table ip natbox {
    chain postrouting {
        type nat hook postrouting priority srcnat; policy accept;
        oifname "rs" masquerade random
    }
}
""")
    lab.sysctl("router", "net.netfilter.nf_conntrack_tcp_timeout_established", "2")
    lab.public[f"10.{lab.net}.2.254"] = "client"
    lab.capture("server")
    srv = lab.run("server", f"""
s = listen({lab.addr('server')!r}, 80)
ready()
c, _ = s.accept()
c.recv(4096)
c.sendall(http_response(extra={LONG_KEEPALIVE!r}))
recv_some(c, timeout=5.0)   # the second request comes from another port
""", wait_ready=True)
    lab.run("client", f"""
c = connect({lab.addr('server')!r}, 80)
c.sendall(http_request("/first"))
recv_some(c)
time.sleep(3.0)             # idle in the pool; the router forgets the mapping after 2 s
try:
    c.sendall(http_request("/second"))
    recv_some(c)
except OSError:
    pass
""").wait()
    srv.wait()

    def labeller(rsts):
        expect(rsts[0], "server", ["TCP_FLAGS", "NO_SOCKET"])
        expect(rsts[1], "client", "NO_SOCKET")
        return [label("idle-timeout",
                      note="the server's listener answers the client's request, which a NAT "
                           "that forgot the idle mapping sent from a new random port"),
                label("reset-followup", origin="middlebox",
                      note="the router's own kernel, whose address the client's was, answers "
                           "the server's idle-close FIN to the port it no longer maps; the "
                           "client's connection had ended with the first RST")]
    return labeller
