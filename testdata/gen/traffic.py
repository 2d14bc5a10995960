#!/usr/bin/python3
"""Test-traffic generator for rstdiag captures (stdlib only).

Run inside network namespaces with `ip netns exec`:

  traffic.py server --ready FILE [--ipopts] [--ext6]
      Listens (0.0.0.0 and ::) on
        8001 "fin"       request/response, server closes after response (FIN both ways)
        8002 "linger"    reads request, sends response, close() with SO_LINGER {1,0} -> RST
        8003 "unread"    reads only 100 bytes of the client's data, then close() -> RST
        8004 "keepalive" sends a keep-alive response, closes (FIN) after 0.3 s idle;
                         the client's next request then gets a RST
        9000/udp         echoes 100 bytes back
      Nothing listens on TCP 8000 or UDP 9009.

  traffic.py client --dst4 A [--dst6 B] [--scen4 LIST] [--scen6 LIST]
                    [--ipopts] [--ext6] [--extra LIST] [--sport N]
      LIST is comma separated from: refused,fin,linger,unread,keepalive
      --extra: frag4,frag6 (3000-byte UDP datagram -> IP fragments),
               udpclosed4,udpclosed6 (UDP to closed port -> ICMP unreachable),
               ping4,ping6 (one ICMP echo via raw socket)
      --sport: bind every connection to this source port (to give several
               connections the same 4-tuple, each in its own namespace)
"""
import argparse
import os
import socket
import struct
import sys
import threading
import time

PORTS = {"refused": 8000, "fin": 8001, "linger": 8002, "unread": 8003, "keepalive": 8004}
UDP_ECHO, UDP_CLOSED = 9000, 9009

IP_OPTIONS = 4
IPV6_HOPOPTS = 54
IPV6_DSTOPTS = 59

# IPv4 options: NOP,NOP,NOP,EOL (4 bytes) and Record-Route with 2 empty slots
# (type 7, len 11, pointer 4) padded with EOL to 12 bytes.
IPOPT_NOP = bytes([1, 1, 1, 0])
IPOPT_RR = bytes([7, 11, 4] + [0] * 8 + [0])
# IPv6 extension header with a single PadN option: next-hdr (filled in by the
# kernel), hdr-ext-len 0 (=8 bytes), PadN type 1 len 4, four zero bytes.
EXT6_PADN = bytes([0, 0, 1, 4, 0, 0, 0, 0])


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def set_opts(s, family, idx, ipopts, ext6, server=False):
    if family == socket.AF_INET and ipopts:
        s.setsockopt(socket.IPPROTO_IP, IP_OPTIONS, IPOPT_NOP if idx % 2 == 0 else IPOPT_RR)
    if family == socket.AF_INET6 and ext6:
        if server:
            s.setsockopt(socket.IPPROTO_IPV6, IPV6_DSTOPTS, EXT6_PADN)
        else:
            s.setsockopt(socket.IPPROTO_IPV6,
                         IPV6_HOPOPTS if idx % 2 == 0 else IPV6_DSTOPTS, EXT6_PADN)


def recv_request(c, limit=4096):
    data = b""
    while b"\r\n\r\n" not in data and len(data) < limit:
        chunk = c.recv(limit)
        if not chunk:
            break
        data += chunk
    return data


def handle(kind, c):
    try:
        if kind == "fin":
            recv_request(c)
            c.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello")
            c.close()
        elif kind == "linger":
            recv_request(c)
            c.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nabort")
            time.sleep(0.05)
            c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            c.close()
        elif kind == "unread":
            c.recv(100)
            time.sleep(0.2)          # let the rest of the client's data arrive
            c.close()                # unread data in receive queue -> RST
        elif kind == "keepalive":
            recv_request(c)
            c.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: keep-alive\r\n\r\nok")
            time.sleep(0.3)          # idle timeout
            c.close()                # FIN; a later request is answered by RST
    except OSError as e:
        log("server", kind, e)
        c.close()


def serve_tcp(kind, ls):
    while True:
        c, _ = ls.accept()
        threading.Thread(target=handle, args=(kind, c), daemon=True).start()


def serve_udp(us):
    while True:
        data, peer = us.recvfrom(65535)
        us.sendto(b"u" * 100, peer)


def server(args):
    threads = []
    for fam, addr in ((socket.AF_INET, "0.0.0.0"), (socket.AF_INET6, "::")):
        for kind in ("fin", "linger", "unread", "keepalive"):
            ls = socket.socket(fam, socket.SOCK_STREAM)
            ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            if fam == socket.AF_INET6:
                ls.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
            set_opts(ls, fam, 0, False, args.ext6, server=True)
            ls.bind((addr, PORTS[kind]))
            ls.listen(16)
            threads.append(threading.Thread(target=serve_tcp, args=(kind, ls), daemon=True))
        us = socket.socket(fam, socket.SOCK_DGRAM)
        if fam == socket.AF_INET6:
            us.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
        us.bind((addr, UDP_ECHO))
        threads.append(threading.Thread(target=serve_udp, args=(us,), daemon=True))
    for t in threads:
        t.start()
    with open(args.ready, "w") as f:
        f.write("ready\n")
    while True:
        time.sleep(3600)


def client_conn(kind, dst, idx, args):
    fam = socket.AF_INET6 if ":" in dst else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_STREAM)
    set_opts(s, fam, idx, args.ipopts, args.ext6)
    if args.sport:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("::" if fam == socket.AF_INET6 else "0.0.0.0", args.sport))
    s.settimeout(3)
    try:
        s.connect((dst, PORTS[kind]))
    except ConnectionRefusedError:
        log("client", kind, dst, "refused (RST)")
        s.close()
        return
    try:
        if kind == "fin":
            s.sendall(b"GET /fin HTTP/1.1\r\nHost: test\r\n\r\n")
            while s.recv(4096):
                pass
        elif kind == "linger":
            s.sendall(b"GET /linger HTTP/1.1\r\nHost: test\r\n\r\n")
            while s.recv(4096):
                pass
        elif kind == "unread":
            s.sendall(b"POST /upload HTTP/1.1\r\nHost: test\r\nContent-Length: 1200\r\n\r\n"
                      + b"x" * 1200)
            while s.recv(4096):
                pass
        elif kind == "keepalive":
            s.sendall(b"GET /first HTTP/1.1\r\nHost: test\r\n\r\n")
            s.recv(4096)
            time.sleep(0.6)          # server's FIN arrives meanwhile (not read)
            s.sendall(b"GET /next HTTP/1.1\r\nHost: test\r\n\r\n")
            while s.recv(4096):
                pass
        log("client", kind, dst, "closed normally")
    except OSError as e:
        log("client", kind, dst, e)
    s.close()


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    s = (s >> 16) + (s & 0xffff)
    s += s >> 16
    return ~s & 0xffff


def extra(kind, args):
    v6 = kind.endswith("6")
    fam = socket.AF_INET6 if v6 else socket.AF_INET
    dst = args.dst6 if v6 else args.dst4
    if kind.startswith("frag"):
        s = socket.socket(fam, socket.SOCK_DGRAM)
        s.settimeout(2)
        s.sendto(b"F" * 3000, (dst, UDP_ECHO))
        try:
            s.recvfrom(4096)
        except OSError as e:
            log("udp", e)
        s.close()
    elif kind.startswith("udpclosed"):
        s = socket.socket(fam, socket.SOCK_DGRAM)
        s.sendto(b"nobody home", (dst, UDP_CLOSED))
        s.close()
    elif kind.startswith("ping"):
        if v6:
            s = socket.socket(fam, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
            pkt = struct.pack("!BBHHH", 128, 0, 0, 0x77, 1) + b"rstdiag"   # kernel fills csum
        else:
            s = socket.socket(fam, socket.SOCK_RAW, socket.IPPROTO_ICMP)
            hdr = struct.pack("!BBHHH", 8, 0, 0, 0x77, 1) + b"rstdiag"
            pkt = hdr[:2] + struct.pack("!H", csum(hdr)) + hdr[4:]
        s.sendto(pkt, (dst, 0))
        time.sleep(0.05)
        s.close()
    time.sleep(0.1)


def client(args):
    idx = 0
    for dst, scen in ((args.dst4, args.scen4), (args.dst6, args.scen6)):
        if not dst or not scen:
            continue
        for kind in scen.split(","):
            client_conn(kind, dst, idx, args)
            idx += 1
            time.sleep(0.1)
    if args.extra:
        for kind in args.extra.split(","):
            extra(kind, args)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("role", choices=["server", "client"])
    p.add_argument("--ready")
    p.add_argument("--dst4")
    p.add_argument("--dst6")
    p.add_argument("--scen4", default="refused,fin,linger,unread,keepalive")
    p.add_argument("--scen6", default="")
    p.add_argument("--extra", default="")
    p.add_argument("--ipopts", action="store_true")
    p.add_argument("--ext6", action="store_true")
    p.add_argument("--sport", type=int, default=0)
    args = p.parse_args()
    server(args) if args.role == "server" else client(args)


if __name__ == "__main__":
    main()
