#!/usr/bin/python3
"""Re-encapsulate raw-IP classic pcap files as DLT_NULL or DLT_LOOP.

usage: reencap_null.py null|loop OUT.pcap IN.pcap [IN2.pcap ...]

Inputs must be classic pcap (any byte order, usec or nsec magic) with linktype
LINKTYPE_RAW (101), LINKTYPE_IPV4 (228) or LINKTYPE_IPV6 (229).  Records of
all inputs are merged in timestamp order.  Each packet gets a 4-byte
address-family header:
  null: linktype 0 (DLT_NULL), family in LITTLE-endian (host order of the
        x86/arm macOS capturing host), AF_INET=2, AF_INET6=30 (macOS value)
  loop: linktype 108 (DLT_LOOP), family in network (big-endian) order,
        AF_INET=2, AF_INET6=24 (OpenBSD value)
Output is a little-endian, microsecond classic pcap.
"""
import struct
import sys


def read_pcap(path):
    with open(path, "rb") as f:
        data = f.read()
    magic_le = struct.unpack("<I", data[:4])[0]
    if magic_le in (0xA1B2C3D4, 0xA1B23C4D):
        e = "<"
    else:
        e = ">"
    magic, vmaj, vmin, _tz, _sig, snap, lt = struct.unpack(e + "IHHiIII", data[:24])
    nsec = magic == 0xA1B23C4D
    if (lt & 0xFFFF) not in (101, 228, 229):
        raise SystemExit("%s: linktype %d is not raw IP" % (path, lt))
    off, recs = 24, []
    while off + 16 <= len(data):
        sec, frac, incl, orig = struct.unpack(e + "IIII", data[off:off + 16])
        body = data[off + 16:off + 16 + incl]
        if len(body) < incl:
            break
        ns = frac if nsec else frac * 1000
        recs.append((sec * 1_000_000_000 + ns, body, orig))
        off += 16 + incl
    return recs, snap


def main():
    mode, out, inputs = sys.argv[1], sys.argv[2], sys.argv[3:]
    recs, snap = [], 0
    for p in inputs:
        r, s = read_pcap(p)
        recs += r
        snap = max(snap, s)
    recs.sort(key=lambda r: r[0])
    if mode == "null":
        lt, fmt, af6 = 0, "<I", 30
    elif mode == "loop":
        lt, fmt, af6 = 108, ">I", 24
    else:
        raise SystemExit("mode must be null or loop")
    with open(out, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, snap + 4, lt))
        for ts, body, orig in recs:
            ver = body[0] >> 4 if body else 4
            af = 2 if ver == 4 else af6
            hdr = struct.pack(fmt, af)
            f.write(struct.pack("<IIII", ts // 1_000_000_000, (ts % 1_000_000_000) // 1000,
                                len(body) + 4, orig + 4))
            f.write(hdr + body)


if __name__ == "__main__":
    main()
