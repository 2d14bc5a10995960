"""Lab scenarios behind a relay that terminates TCP: slirp4netns (Debian's
package, libslirp 4.7) gives the client namespace its network through a
tap device and makes each of the client's connections itself, with its
own sockets in the server namespace. It is the user-mode networking of
QEMU and of rootless Podman and Docker, and the same engine (slirp) as
VirtualBox's NAT, behind which the corpus's ndpi/gnutella.pcap was
captured; a phone's VPN app that captures (waze.pcap, webex.pcap)
relays the same way.

What the client's capture shows of the far side is the relay's: every
packet from every far address is libslirp's, numbered on one IPv4 ID
counter (ip_output.c: ip->ip_id = htons(slirp->ip_id++)), and a RST from
a far address is libslirp's too, sent when its own socket to that
address failed: refused (connect's ECONNREFUSED) or reset. No kernel
traces those RSTs: the far kernel's RST went to the relay's socket, on
another connection (kernel_resets_not_captured in labels.json).
"""
import os

from lab import expect, label, scenario, sh

FAR_HOSTS = 8       # addresses served in turn before the incidents
ROUNDS = 2
BIG = 440_000       # the last request's download: some 300 of the relay's segments


def slirp_topology(lab, far=None):
    """The client namespace on slirp4netns's tap0 (10.N.1.100, its gateway
    10.N.1.2), slirp4netns in the server namespace, whose loopback holds
    the far addresses (by default 10.N.2.1 .. 10.N.2.10). Returns the
    client's address."""
    for who in ("client", "server"):
        lab._mkns(who)
    n = lab.net
    if far is None:
        far = [f"10.{n}.2.{h}" for h in range(1, FAR_HOSTS + 3)]
    for a in far:
        lab.nsx("server", "ip", "addr", "add", f"{a}/32", "dev", "lo")
    # slirp4netns exits when the pipe's other end closes (-e): with the
    # program that started it, which the lab kills at the end.
    lab.run("server", f"""
import subprocess
exit_r, exit_w = os.pipe()
ready_r, ready_w = os.pipe()
p = subprocess.Popen(["slirp4netns", "--configure", "--mtu", "1500", "--cidr", "10.{n}.1.0/24",
                      "--disable-host-loopback", "--disable-dns", "-e", str(exit_r),
                      "-r", str(ready_w), "--netns-type=path", "/run/netns/{lab.ns['client']}",
                      "tap0"], pass_fds=(exit_r, ready_w),
                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
os.close(exit_r)
os.close(ready_w)
if os.read(ready_r, 1) != b"1":
    sys.exit("slirp4netns did not configure tap0")
ready()
p.wait()
""", wait_ready=True)
    guest = f"10.{n}.1.100"
    lab.public[guest] = "client"
    for a in far:
        lab.public[a] = "server"
    return guest


@scenario("slirp-relay-v4", "the client behind slirp4netns, which terminates its TCP and "
          "relays it with its own sockets (QEMU's user-mode networking, VirtualBox's NAT "
          "engine): after 16 requests to 8 far addresses, the last a 440 KB download, a "
          "ninth address answers one request, then reads the next and closes with SO_LINGER "
          "0; then a closed port on the first; both relayed to the client as slirp4netns's "
          "own RSTs, on the one IPv4 ID counter it numbers every far address with")
def slirp_relay(lab):
    slirp_topology(lab)
    n = lab.net
    # Address FAR_HOSTS sends a download once; address FAR_HOSTS + 1
    # answers its first request and resets its second.
    lab.run("server", f"""
import threading
def serve(addr, h):
    s = listen(addr, 80)
    served = 0
    while True:
        c, _ = s.accept()
        c.recv(4096)
        served += 1
        if h == {FAR_HOSTS + 1} and served == 2:
            linger0(c)
        else:
            body = b"x" * {BIG} if h == {FAR_HOSTS} and served == {ROUNDS} else b"ok\\n"
            c.sendall(http_response(body, extra="Connection: close\\r\\n"))
        c.close()
for h in range(1, {FAR_HOSTS + 2}):
    threading.Thread(target=serve, args=(f"10.{n}.2.{{h}}", h), daemon=True).start()
time.sleep(0.2)
ready()
time.sleep(10)
""", wait_ready=True)
    lab.capture("client", iface="tap0", snaplen=96)
    cli = lab.run("client", f"""
def get(addr, port=80):
    try:
        c = connect(addr, port)
        c.sendall(http_request("/"))
        while c.recv(65536):
            pass
        c.close()
        log(addr, port, "answered")
    except OSError as e:
        log(addr, port, e)
for r in range({ROUNDS}):
    for h in range(1, {FAR_HOSTS + 1}):
        get(f"10.{n}.2.{{h}}")      # the last: a download, the relay's counter runs on
get("10.{n}.2.{FAR_HOSTS + 1}")     # answered
time.sleep(0.1)
get("10.{n}.2.{FAR_HOSTS + 1}")     # read, then SO_LINGER 0
time.sleep(0.1)
get("10.{n}.2.1", 81)               # an address served before; nothing on port 81
time.sleep(0.3)
""")
    err = cli.p.communicate(timeout=30)[1]
    if "Connection reset by peer" not in err or "Connection refused" not in err:
        raise RuntimeError(f"the client did not see the reset and the refusal: {err}")

    def labeller(rsts):
        if len(rsts) != 2:
            raise RuntimeError(f"expected 2 RSTs, got {len(rsts)}")
        for r in rsts:
            expect(r, "server", None)
        return [
            label("linger-abort", alternatives=["unread-recv-buffer"], origin="middlebox",
                  note="slirp4netns's RST, after the far server read the request and closed "
                       "with SO_LINGER 0 (its kernel's RST, reason TCP_STATE, reset the "
                       "relay's socket); from the client's side the request was acknowledged "
                       "and unanswered, which unread data would show the same way"),
            label("closed-port", origin="middlebox",
                  note="slirp4netns's RST after its connect() to the far address was refused "
                       "(the far kernel's NO_SOCKET RST went to the relay); its IPv4 ID runs "
                       "on the relay's one counter"),
        ]
    return labeller


# A public address (a GeoIP test fixture's; RFC 5737's documentation
# ranges are made-up traffic's, which rstdiag does not read as public),
# only inside the server namespace: slirp4netns connects to it there.
PUBLIC_FAR = "81.2.69.160"


@scenario("slirp-relay-public-v4", "the client (private 10.N.1.100) behind slirp4netns "
          "talks to one public address: the server reads its second request and closes "
          "with SO_LINGER 0, which reaches the client as slirp4netns's own RST. One far "
          "address gives no shared IPv4 ID counter to read; the far side's packets arrive "
          "at the TTL libslirp sends with (64), from a public address to a private one, "
          "which only a NAT router (lowering the TTL) could join otherwise")
def slirp_relay_public(lab):
    slirp_topology(lab, far=[PUBLIC_FAR])
    lab.run("server", f"""
s = listen("{PUBLIC_FAR}", 80)
ready()
c, _ = s.accept()
c.recv(4096)
c.sendall(http_response(b"ok\\n"))
c.recv(4096)
linger0(c)
c.close()
time.sleep(2)
""", wait_ready=True)
    lab.capture("client", iface="tap0", snaplen=128)
    cli = lab.run("client", f"""
c = connect("{PUBLIC_FAR}", 80)
c.sendall(http_request("/"))
c.recv(65536)
time.sleep(0.1)
c.sendall(http_request("/next"))
try:
    while c.recv(65536):
        pass
    log("closed")
except OSError as e:
    log(e)
time.sleep(0.3)
""")
    err = cli.p.communicate(timeout=30)[1]
    if "Connection reset by peer" not in err:
        raise RuntimeError(f"the client did not see the reset: {err}")

    def labeller(rsts):
        if len(rsts) != 1:
            raise RuntimeError(f"expected 1 RST, got {len(rsts)}")
        expect(rsts[0], "server", None)
        return [label("linger-abort", alternatives=["unread-recv-buffer"], origin="middlebox",
                      note="slirp4netns's RST, after the far server read the second request "
                           "and closed with SO_LINGER 0 (its kernel's RST reset the relay's "
                           "socket); the far side's packets, from a public address to the "
                           "client's private one, arrive at the TTL they were sent with")]
    return labeller
