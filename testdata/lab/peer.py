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

__all__ = ["socket", "time", "sys", "os", "struct", "ready", "listen", "connect",
           "linger0", "http_request", "http_response", "recv_some", "drain",
           "keepalive", "user_timeout", "log", "wait_listening"]


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
