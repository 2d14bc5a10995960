#!/usr/bin/python3
"""Userspace IP-in-nothing "tunnel" between two network namespaces.

The test kernel has no ipip/sit/ip6tnl support, so raw-IP captures are taken on
TUN devices instead: this creates TUN device NAME_A (IFF_TUN|IFF_NO_PI) in
namespace NS_A and NAME_B in NS_B and copies every IP packet read from one to
the other.  Capturing on either TUN device gives LINKTYPE_RAW (101).

usage: tunrelay.py NS_A NAME_A NS_B NAME_B READY_FILE
The devices disappear when this process exits (they are not persistent).
"""
import ctypes
import fcntl
import os
import select
import signal
import struct
import sys

TUNSETIFF = 0x400454CA
IFF_TUN, IFF_NO_PI = 0x0001, 0x1000
CLONE_NEWNET = 0x40000000
libc = ctypes.CDLL(None, use_errno=True)


def setns(ns):
    fd = os.open("/run/netns/" + ns, os.O_RDONLY)
    if libc.setns(fd, CLONE_NEWNET) != 0:
        raise OSError(ctypes.get_errno(), "setns " + ns)
    os.close(fd)


def open_tun(name):
    fd = os.open("/dev/net/tun", os.O_RDWR)
    fcntl.ioctl(fd, TUNSETIFF, struct.pack("16sH22x", name.encode(), IFF_TUN | IFF_NO_PI))
    return fd


def main():
    ns_a, name_a, ns_b, name_b, ready = sys.argv[1:6]
    signal.signal(signal.SIGTERM, lambda *a: sys.exit(0))
    setns(ns_a)
    fa = open_tun(name_a)
    setns(ns_b)
    fb = open_tun(name_b)
    with open(ready, "w") as f:
        f.write("ready\n")
    peer = {fa: fb, fb: fa}
    while True:
        r, _, _ = select.select([fa, fb], [], [])
        for fd in r:
            try:
                pkt = os.read(fd, 65536)
                os.write(peer[fd], pkt)
            except OSError:
                pass


if __name__ == "__main__":
    main()
