"""Socket helpers for lab scenario programs.

Each scenario runs small Python programs inside its network namespaces
(`ip netns exec NS python3 -c CODE`); CODE starts with `from peer import *`.
The helpers keep those programs short and make the intent of each step
plain: listen, connect, send an HTTP-like request, close abortively...
A program says `ready()` once it is listening, so the lab can go on.
"""
import os
import socket
import struct
import sys
import time

__all__ = ["socket", "time", "sys", "os", "struct", "ready", "family", "listen", "connect",
           "linger0", "http_request", "http_response", "recv_some", "drain",
           "keepalive", "user_timeout", "log", "wait_listening", "delay_line"]


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def ready():
    """Tells the lab this program is listening (it waits for this line)."""
    print("ready", flush=True)


def family(addr):
    return socket.AF_INET6 if ":" in addr else socket.AF_INET


def listen(addr, port, backlog=16, reuse=True):
    s = socket.socket(family(addr), socket.SOCK_STREAM)
    if reuse:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((addr, port))
    s.listen(backlog)
    return s


def wait_listening(addr, port, timeout=10.0):
    """Until a server started as its own process accepts connections."""
    end = time.time() + timeout
    while True:
        try:
            socket.create_connection((addr, port), timeout=0.5).close()
            return
        except OSError:
            if time.time() > end:
                raise
            time.sleep(0.05)


def connect(addr, port, timeout=5.0, bind_port=None, bind_addr=None):
    s = socket.socket(family(addr), socket.SOCK_STREAM)
    if bind_port is not None:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind((bind_addr or ("::" if ":" in addr else "0.0.0.0"), bind_port))
    s.settimeout(timeout)
    s.connect((addr, port))
    return s


def linger0(s):
    """SO_LINGER on with timeout 0: close() sends RST instead of FIN."""
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))


def keepalive(s, idle, intvl, cnt):
    s.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPIDLE, idle)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPINTVL, intvl)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPCNT, cnt)


def user_timeout(s, ms):
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_USER_TIMEOUT, ms)


def http_request(path="/", host="lab", extra=""):
    return (f"GET {path} HTTP/1.1\r\nHost: {host}\r\n{extra}\r\n").encode()


def http_response(body=b"ok\n", extra="Connection: keep-alive\r\nKeep-Alive: timeout=1\r\n"):
    return (f"HTTP/1.1 200 OK\r\nContent-Length: {len(body)}\r\n{extra}\r\n").encode() + body


def recv_some(s, n=65536, timeout=2.0):
    """One recv with a timeout; b"" on EOF, None on timeout or reset."""
    s.settimeout(timeout)
    try:
        return s.recv(n)
    except (socket.timeout, ConnectionResetError):
        return None


def drain(s, timeout=1.0):
    """Reads until EOF, reset or silence; returns the bytes read."""
    out = b""
    while True:
        d = recv_some(s, timeout=timeout)
        if not d:
            return out
        out += d


# ---------------------------------------------------------------- delay line
#
# This kernel has no netem (and no sch_fq to honour a tc-bpf departure time),
# so a fixed path delay is made in user space: a namespace between client and
# server holds both veth ends and copies every Ethernet frame from one to the
# other `delay` seconds after it arrived, in order, as a wire would.

SOL_PACKET, PACKET_AUXDATA, PACKET_IGNORE_OUTGOING = 263, 8, 23
TP_STATUS_CSUMNOTREADY = 8


def _fold(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return s


def _fill_checksum(f):
    """Fills the TCP or UDP checksum a sender left to offload: the veth peer
    would have trusted it, but a frame sent again from a packet socket is
    checked by the receiver."""
    et, o = f[12:14], 14
    if et == b"\x08\x00":
        ihl, proto = (f[o] & 15) * 4, f[o + 9]
        end = o + struct.unpack("!H", f[o + 2:o + 4])[0]
        l4 = o + ihl
        pseudo = f[o + 12:o + 20] + struct.pack("!BBH", 0, proto, end - l4)
    elif et == b"\x86\xdd":
        proto, l4 = f[o + 6], o + 40
        end = l4 + struct.unpack("!H", f[o + 4:o + 6])[0]
        pseudo = f[o + 8:o + 40] + struct.pack("!I3xB", end - l4, proto)
    else:
        return f
    at = {6: 16, 17: 6}.get(proto)
    if at is None:
        return f
    seg = bytearray(f[l4:end])
    seg[at:at + 2] = b"\0\0"
    c = ~_fold(pseudo + bytes(seg)) & 0xffff
    seg[at:at + 2] = struct.pack("!H", c or (0xffff if proto == 17 else 0))
    return f[:l4] + bytes(seg) + f[end:]


def _hop(f):
    """The frame as a router passes it on: a TCP packet's IPv4 TTL (its
    header checksum computed again) or IPv6 hop limit one lower. Other
    packets stay as they are: neighbour discovery must arrive with hop
    limit 255 (RFC 4861 7.1.1), and the line stands for one link there."""
    et = f[12:14]
    if et == b"\x08\x00" and f[23] == 6 and f[22] > 1:
        b = bytearray(f)
        b[22] -= 1
        b[24:26] = b"\0\0"
        b[24:26] = struct.pack("!H", ~_fold(bytes(b[14:14 + (b[14] & 15) * 4])) & 0xffff)
        return bytes(b)
    if et == b"\x86\xdd" and f[20] == 6 and f[21] > 1:
        return f[:21] + bytes([f[21] - 1]) + f[22:]
    return f


def delay_line(a, b, delay, wake=None, hops=0):
    """Forwards every frame arriving on interface a out of b, and the
    reverse, `delay` seconds later (first in, first out: the delay is the
    same for every frame). Runs until killed.

    wake (idle_s, extra_s): a radio's promotion delay. A frame that comes
    after the line carried nothing for idle_s waits extra_s more, and the
    frames behind it wait for it (an LTE radio idle after its tail timer
    takes about 0.26 s to promote, and the first packet of a burst waits
    for it: Huang et al., "A Close Examination of Performance and Power
    Characteristics of 4G LTE Networks", MobiSys 2012, table 3; Wi-Fi
    power save likewise holds a sleeping station's frames until its next
    beacon wake-up, IEEE 802.11 11.2). hops=1: the line is also a router
    (_hop)."""
    import collections
    import select
    socks = {}
    for i in (a, b):
        s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(3))   # ETH_P_ALL
        s.setsockopt(SOL_PACKET, PACKET_IGNORE_OUTGOING, 1)   # not what it sends itself
        s.setsockopt(SOL_PACKET, PACKET_AUXDATA, 1)           # checksum still to fill?
        s.bind((i, 0))
        s.setblocking(False)
        socks[i] = s
    other = {a: b, b: a}
    line = collections.deque()     # (due, out interface, frame), due in order
    last_in = time.monotonic()     # idle from its start (a first frame wake[0] later wakes it)
    ready()
    while True:
        wait = max(0.0, line[0][0] - time.monotonic()) if line else None
        readable, _, _ = select.select(list(socks.values()), [], [], wait)
        for s in readable:
            while True:
                try:
                    frame, anc, _, addr = s.recvmsg(65536, socket.CMSG_SPACE(20))
                except BlockingIOError:
                    break
                now = time.monotonic()
                if addr[0] not in other or addr[2] == socket.PACKET_OUTGOING:
                    continue
                for level, kind, data in anc:
                    if level == SOL_PACKET and kind == PACKET_AUXDATA and \
                            struct.unpack("I", data[:4])[0] & TP_STATUS_CSUMNOTREADY:
                        frame = _fill_checksum(frame)
                if len(frame) > 1514:
                    log(f"delay_line: {len(frame)}-byte frame on {addr[0]} (GSO?) not sent")
                    continue
                due = now + delay
                if wake and now - last_in >= wake[0]:
                    due += wake[1]
                last_in = now
                if line and line[-1][0] > due:
                    due = line[-1][0]      # behind a frame still waiting for the radio
                if hops:
                    frame = _hop(frame)
                line.append((due, other[addr[0]], frame))
        now = time.monotonic()
        while line and line[0][0] <= now:
            _, out, frame = line.popleft()
            socks[out].send(frame)
