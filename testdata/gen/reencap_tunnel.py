#!/usr/bin/python3
"""Hand-built tunnel captures, for the tunnels Linux cannot make here:
real Linux RSTs (raw-IP captures) re-encapsulated as each format's spec
says, then checked against tshark's own dissection.

usage: reencap_tunnel.py OUTDIR IN.pcap [IN2.pcap ...]

Inputs are classic pcap with linktype RAW (101), IPV4 (228) or IPV6 (229),
as reencap_link.py reads them, merged in timestamp order. Each IP packet
keeps its bytes and time and is carried in Ethernet + outer IPv4 + UDP and:

  gtpu    GTP-U (3GPP TS 29.281 5.1): version 1, PT 1, G-PDU (255), a TEID
          per direction as each endpoint assigns its own (uplink 0x1000 from
          the eNodeB 198.51.100.10 to the gateway 198.51.100.20, downlink
          0x2000), UDP 2152 both ways; every third packet also carries a
          sequence number and a PDU session container extension header
          (type 0x85, 4 bytes; TS 38.415), so the E and S flags are used.
          IPv4 and IPv6 inside, as a PDN of type IPv4v6 carries.
  teredo  Teredo (RFC 4380 5.1.1): IPv6 only, between the client
          203.0.113.5:40000 and the relay 192.0.2.50:3544; the relay's
          packets to the client carry an origin indication (0x0000, the
          port and address obfuscated by XOR with 0xff).

  gre     GRE (RFC 2784) with a key (RFC 2890), IP inside
  gretap  GRE carrying Ethernet (0x6558)
  erspan2 ERSPAN type II (GRE 0x88be, sequence number, session 42)
  erspan3 ERSPAN type III (GRE 0x22eb, session 43)
  geneve  Geneve (RFC 8926) with one option, VNI 77, Ethernet inside
  mpls    an MPLS stack on Ethernet: a transport label and a VPN label, other
          labels each way, as label switching assigns them
  ipip    IPv4 in IPv4 and IPv6 in IPv4 (4in4, 6in4)

These are hand-built because this kernel has none of them (no loadable
modules; Geneve, GRE, ERSPAN, ipip, sit and MPLS routing not built in).

A hand-built capture is marked by its name (tunnel-built-*.pcap) and this
script; the others in testdata/tunnel-*.pcap are real Linux tunnels
(make-tunnel-captures.sh). Unless --no-check: tshark must find the same
inner RSTs (time, inner addresses, ports, raw sequence number) and TCP in
as many frames as the source, and flag nothing malformed.
"""
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from reencap_link import RST, RST_FIELDS, from_client, read_pcap, tshark_fields, v6, write  # noqa: E402

MAC_A = bytes.fromhex("020000780001")
MAC_B = bytes.fromhex("020000780002")


def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    s = (s >> 16) + (s & 0xFFFF)
    s += s >> 16
    return ~s & 0xFFFF


def ipv4(src, dst, proto, payload, ident):
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), ident & 0xFFFF, 0x4000, 64,
                     proto, 0, bytes(src), bytes(dst))
    return ip[:10] + struct.pack("!H", csum(ip)) + ip[12:] + payload


def eth(ethertype, payload):
    return MAC_A + MAC_B + struct.pack("!H", ethertype) + payload


def outer(src, dst, sport, dport, payload, ident):
    udp = struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload
    return eth(0x0800, ipv4(src, dst, 17, udp, ident))


def inner_eth(ip):
    """The packet as the tunnelled Ethernet segment carries it."""
    return (MAC_B + MAC_A if from_client(ip) else MAC_A + MAC_B) + \
        struct.pack("!H", 0x86DD if v6(ip) else 0x0800) + ip


def ends(ip, a, b):
    return (a, b) if from_client(ip) else (b, a)


ENB, GW = [198, 51, 100, 10], [198, 51, 100, 20]
CLIENT, RELAY = [203, 0, 113, 5], [192, 0, 2, 50]


def gtpu(ip, n):
    up = from_client(ip)
    teid = 0x1000 if up else 0x2000
    if n % 3 == 0:
        # E and S: sequence number, N-PDU number, next type 0x85; then the
        # PDU session container (length 1: 4 bytes), next type 0.
        ext = struct.pack("!HBB", n, 0, 0x85) + bytes([1, 0x10 if up else 0x00, 9, 0])
        hdr = struct.pack("!BBHI", 0x36, 255, len(ext) + len(ip), teid) + ext
    else:
        hdr = struct.pack("!BBHI", 0x30, 255, len(ip), teid)
    src, dst = (ENB, GW) if up else (GW, ENB)
    return outer(src, dst, 2152, 2152, hdr + ip, n)


def teredo(ip, n):
    if from_client(ip):
        return outer(CLIENT, RELAY, 40000, 3544, ip, n)
    origin = struct.pack("!HH4s", 0, 40000 ^ 0xFFFF, bytes(b ^ 0xFF for b in CLIENT))
    return outer(RELAY, CLIENT, 3544, 40000, origin + ip, n)


GRE_A, GRE_B = [198, 51, 100, 1], [198, 51, 100, 2]


def gre(ip, n):
    """RFC 2784 with the RFC 2890 key (7) on every packet, checksum bit off."""
    src, dst = ends(ip, GRE_A, GRE_B)
    hdr = struct.pack("!HHI", 0x2000, 0x86DD if v6(ip) else 0x0800, 7)
    return eth(0x0800, ipv4(src, dst, 47, hdr + ip, n))


def gretap(ip, n):
    """Transparent Ethernet bridging (0x6558), as Linux gretap sends it."""
    src, dst = ends(ip, GRE_A, GRE_B)
    return eth(0x0800, ipv4(src, dst, 47, struct.pack("!HH", 0, 0x6558) + inner_eth(ip), n))


def erspan2(ip, n):
    """ERSPAN type II: GRE 0x88be with a sequence number, version 1, session 42."""
    hdr = struct.pack("!HHI", 0x1000, 0x88BE, n) + struct.pack("!II", 0x10000000 | 42, 0)
    return eth(0x0800, ipv4(GRE_A, GRE_B, 47, hdr + inner_eth(ip), n))


def erspan3(ip, n):
    """ERSPAN type III: GRE 0x22eb, version 2, session 43, frame type 0, no subheader."""
    hdr = struct.pack("!HHI", 0x1000, 0x22EB, n) + \
        struct.pack("!IIHH", 0x20000000 | 43, n * 1000, 0, 0)
    return eth(0x0800, ipv4(GRE_A, GRE_B, 47, hdr + inner_eth(ip), n))


def geneve(ip, n):
    """RFC 8926: one 8-byte option (class 0x0103, type 1), VNI 77, Ethernet inside."""
    opt = struct.pack("!HBB", 0x0103, 1, 1) + b"\0" * 4
    hdr = struct.pack("!BBHI", len(opt) // 4, 0, 0x6558, 77 << 8) + opt
    src, dst = ends(ip, GRE_A, GRE_B)
    return outer(src, dst, 40000 + n % 7, 6081, hdr + inner_eth(ip), n)


def mpls(ip, n):
    """RFC 3032: a transport label per direction and a VPN label at the bottom."""
    top, bottom = (1000, 2001) if from_client(ip) else (3000, 4001)
    stack = struct.pack("!II", top << 12 | 64, bottom << 12 | 0x100 | 64)
    return eth(0x8847, stack + ip)


def ipip(ip, n):
    """IPv4 (RFC 2003) or IPv6 (RFC 4213 3.5, 6in4) directly in IPv4."""
    src, dst = ends(ip, GRE_A, GRE_B)
    return eth(0x0800, ipv4(src, dst, 41 if v6(ip) else 4, ip, n))


TUNNELS = {"gtpu": (gtpu, False), "teredo": (teredo, True), "gre": (gre, False),
           "gretap": (gretap, False), "erspan2": (erspan2, False), "erspan3": (erspan3, False),
           "geneve": (geneve, False), "mpls": (mpls, False), "ipip": (ipip, False)}


def inner_rsts(path):
    """The RSTs by time, inner address, ports and sequence number: behind an
    IPv4 tunnel an inner IPv6 packet's last ip.src is the outer one."""
    rows = []
    for line in tshark_fields(path, RST, RST_FIELDS, last=True):
        f = line.split("\t")
        if f[2]:
            f[1] = ""
        rows.append("\t".join(f))
    return sorted(rows)


def check(path, sources):
    want = sorted(l for p in sources for l in inner_rsts(p))
    want_tcp = sum(len(tshark_fields(p, "tcp", ["frame.number"])) for p in sources)
    got = inner_rsts(path)
    tcp = len(tshark_fields(path, "tcp", ["frame.number"]))
    bad = tshark_fields(path, "_ws.malformed || _ws.expert.severity == error", ["frame.number"])
    problems = []
    if got != want:
        problems.append("RSTs differ: %d vs %d in the source" % (len(got), len(want)))
    if tcp != want_tcp:
        problems.append("tshark finds TCP in %d frames, the source %d" % (tcp, want_tcp))
    if bad:
        problems.append("malformed or error frames: " + " ".join(bad[:10]))
    print("%s %s: %d RSTs, %d TCP frames%s" % ("FAIL" if problems else "ok  ",
          os.path.basename(path), len(got), tcp, "; " + "; ".join(problems) if problems else ""))
    return bool(problems)


def main():
    argv = sys.argv[1:]
    do_check = "--no-check" not in argv
    argv = [a for a in argv if a != "--no-check"]
    outdir, inputs = argv[0], argv[1:]
    failed = 0
    for name, (wrap, v6_only) in TUNNELS.items():
        sources, recs, snap = [], [], 0
        for p in inputs:
            r, s = read_pcap(p)
            if v6_only and not all(v6(ip) for _, ip, _ in r):
                continue
            sources.append(p)
            recs += r
            snap = max(snap, s)
        recs.sort(key=lambda r: r[0])
        out = []
        for n, (ts, ip, orig) in enumerate(recs):
            frame = wrap(ip, n)
            out.append((ts, frame, orig + len(frame) - len(ip)))
        path = os.path.join(outdir, "tunnel-built-%s.pcap" % name)
        write(path, 1, out, snap + 200)
        if do_check:
            failed += check(path, sources)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
