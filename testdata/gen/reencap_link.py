#!/usr/bin/python3
"""Re-encapsulate real Linux raw-IP captures in link types Linux cannot
capture here, then check each result against tshark's own dissection.

usage: reencap_link.py OUTDIR IN.pcap [IN2.pcap ...]

Inputs are classic pcap with linktype RAW (101), IPV4 (228) or IPV6 (229),
as read by reencap_null.py; their records are merged in timestamp order.
Every IP packet keeps its bytes and its time and gets the link header of
each type below; OUTDIR/link-<name>.pcap is written for each (little-endian,
microsecond classic pcap). Formats, as tcpdump and Wireshark read them:

  wlan-radiotap  127 radiotap (flags, rate, channel, signal, antenna) +
                     802.11 data, ToDS from the client, FromDS from the
                     server, + LLC/SNAP
  wlan-qos       127 radiotap + 802.11 QoS data; every third packet with the
                     Order bit and an HT control field, every fifth with
                     ToDS and FromDS (four addresses)
  wlan-protected 105 plain 802.11 data + LLC/SNAP, with a beacon, a null-data
                     frame and two Protected (CCMP) data frames added after
                     the first packet: rstdiag counts those as non_ip and
                     encrypted
  ppi            192 PPI with an 802.11-Common field, naming 802.11 (105)
  ppp              9 FF 03 + protocol 0x0021 / 0x0057
  ppp-serial      50 the same in HDLC framing
  ppp-ether       51 PPPoE session header (RFC 2516) + protocol
  pppoe-qinq       1 Ethernet, 802.1ad S-tag 100, 802.1Q C-tag 200,
                     Ethertype 0x8864, PPPoE session, protocol
  chdlc          104 Cisco HDLC 0F 00 + Ethertype
  fddi            10 frame control 0x50, two addresses, LLC/SNAP
  nflog          239 family, version 0, resource id; TLVs little-endian:
                     packet header, prefix "rstdiag", payload (type 9)
  pflog          117 a 61-byte pf header padded to 64, family 2 / 24
  ipnet          226 the 24-byte Solaris ipnet header, family 2 / 26
  pktap          258 a 108-byte Apple PKTAP header naming Ethernet (1), then
                     Ethernet

Then, unless --no-check: tshark must list the same RSTs in each output as
in the inputs (`tcp.flags.reset==1 && !icmp && !icmpv6`, compared by time,
addresses, ports and raw sequence number, since added frames shift frame
numbers), must find TCP in as many frames, and must flag nothing malformed.
"""
import os
import struct
import subprocess
import sys

MAC_C = bytes.fromhex("020000770001")   # the client's side
MAC_S = bytes.fromhex("020000770002")   # the server's side
MAC_AP = bytes.fromhex("0200007700aa")  # the access point (BSSID)


def read_pcap(path):
    with open(path, "rb") as f:
        data = f.read()
    e = "<" if struct.unpack("<I", data[:4])[0] in (0xA1B2C3D4, 0xA1B23C4D) else ">"
    magic, _, _, _, _, snap, lt = struct.unpack(e + "IHHiIII", data[:24])
    nsec = magic == 0xA1B23C4D
    if (lt & 0xFFFF) not in (101, 228, 229):
        raise SystemExit("%s: linktype %d is not raw IP" % (path, lt))
    off, recs = 24, []
    while off + 16 <= len(data):
        sec, frac, incl, orig = struct.unpack(e + "IIII", data[off:off + 16])
        body = data[off + 16:off + 16 + incl]
        if len(body) < incl:
            break
        recs.append((sec * 1_000_000_000 + (frac if nsec else frac * 1000), body, orig))
        off += 16 + incl
    return recs, snap


def from_client(ip):
    """The test client holds the lower address (10.77.x.1, fd77:..::1)."""
    if ip[0] >> 4 == 4:
        return ip[12:16] < ip[16:20]
    return ip[8:24] < ip[24:40]


def v6(ip):
    return ip[0] >> 4 == 6


def ethertype(ip):
    return 0x86DD if v6(ip) else 0x0800


def snap(ip):
    return bytes([0xAA, 0xAA, 0x03, 0, 0, 0]) + struct.pack(">H", ethertype(ip))


def ppp_proto(ip):
    return struct.pack(">H", 0x0057 if v6(ip) else 0x0021)


def wlan_header(ip, n, qos=False, htc=False, four=False, protected=False, fc=None):
    """802.11 data MAC header: frame control (little-endian byte pair),
    duration, addresses, sequence control, [addr4], [QoS control], [HT control]."""
    client = from_client(ip)
    flags = 0x01 if client else 0x02            # ToDS from the station, FromDS to it
    if four:
        flags = 0x03
    if htc:
        flags |= 0x80
    if protected:
        flags |= 0x40
    if fc is None:
        fc = 0x88 if qos else 0x08
    src, dst = (MAC_C, MAC_S) if client else (MAC_S, MAC_C)
    if four:
        a1, a2, a3, a4 = MAC_AP, MAC_AP, dst, src
    elif client:
        a1, a2, a3, a4 = MAC_AP, src, dst, b""
    else:
        a1, a2, a3, a4 = dst, MAC_AP, src, b""
    h = bytes([fc, flags]) + struct.pack("<H", 44) + a1 + a2 + a3
    h += struct.pack("<H", (n & 0xFFF) << 4) + a4
    if fc & 0x80 and fc >> 2 & 3 == 2:
        h += struct.pack("<H", 0)               # QoS control: TID 0, no A-MSDU
        if htc:
            h += struct.pack("<I", 0)           # HT control (HT variant, all zero)
    return h


def radiotap():
    # it_present: Flags(1) Rate(2) Channel(3) dBm signal(5) Antenna(11)
    present = 1 << 1 | 1 << 2 | 1 << 3 | 1 << 5 | 1 << 11
    fields = struct.pack("<BBHHbB", 0x00, 0x6C, 2437, 0x00A0, -42, 1)
    return struct.pack("<BBHI", 0, 0, 8 + len(fields), present) + fields


def ppi():
    # 802.11-Common field (type 2, 20 bytes): TSFT, flags, rate, channel
    # frequency and flags, FHSS hopset and pattern, signal, noise.
    common = struct.pack("<QHHHHBBbb", 0, 0, 108, 2437, 0x00A0, 0, 0, -42, -95)
    field = struct.pack("<HH", 2, len(common)) + common
    return struct.pack("<BBHI", 0, 0, 8 + len(field), 105) + field


def pppoe(ip):
    body = ppp_proto(ip) + ip
    return struct.pack(">BBHH", 0x11, 0x00, 0x1234, len(body)) + ppp_proto(ip)


def nflog(ip):
    def tlv(t, v):
        return struct.pack("<HH", 4 + len(v), t) + v + b"\0" * (-len(v) % 4)
    hdr = struct.pack("BBH", 10 if v6(ip) else 2, 0, 0)   # resource id 0 (big-endian)
    pkt_hdr = struct.pack(">HBB", ethertype(ip), 3, 0)    # hw_protocol, hook (FORWARD)
    # The payload TLV's value is the packet; its header only, then the bytes.
    return hdr + tlv(1, pkt_hdr) + tlv(10, b"rstdiag\0") + struct.pack("<HH", 4 + len(ip), 9)


def nflog_trailer(ip):
    return b"\0" * (-len(ip) % 4)


def pflog(ip):
    # length, af, action (pass), reason (match), ifname, ruleset, rulenr,
    # subrulenr, uid, pid, rule_uid, rule_pid, dir (1 in, 2 out), pad.
    af = 24 if v6(ip) else 2
    h = struct.pack(">BBBB16s16sIIIIIIB3x", 61, af, 0, 0, b"em0", b"", 3, 0xFFFFFFFF,
                    0xFFFFFFFF, 0, 0xFFFFFFFF, 0, 1 if from_client(ip) else 2)
    assert len(h) == 64
    return h


def ipnet(ip):
    # version 1, family, hook (IPNET_HOOK_INBOUND 1 / OUTBOUND 2), length,
    # ifindex, group ifindex, zone ids.
    return struct.pack(">BBHIIIII", 1, 26 if v6(ip) else 2, 2 if from_client(ip) else 1,
                       len(ip), 2, 0, 0, 0)


def ethernet(ip, tags=b"", etype=None):
    src, dst = (MAC_C, MAC_S) if from_client(ip) else (MAC_S, MAC_C)
    return dst + src + tags + struct.pack(">H", etype if etype else ethertype(ip))


def pktap(ip):
    h = struct.pack("<III24sIIIII20sIHHI20s", 108, 1, 1, b"en0", 0, 30 if v6(ip) else 2,
                    14, 0, 4242, b"curl", 0, 6, 0, 4242, b"curl")
    assert len(h) == 108
    return h + ethernet(ip)


QINQ = struct.pack(">HHHH", 0x88A8, 100, 0x8100, 200)

# name -> (linktype, header(ip, n), trailer(ip))
LINKS = {
    "wlan-radiotap": (127, lambda ip, n: radiotap() + wlan_header(ip, n) + snap(ip), None),
    "wlan-qos": (127, lambda ip, n: radiotap() + wlan_header(
        ip, n, qos=True, htc=n % 3 == 0, four=n % 5 == 0) + snap(ip), None),
    "wlan-protected": (105, lambda ip, n: wlan_header(ip, n) + snap(ip), None),
    "ppi": (192, lambda ip, n: ppi() + wlan_header(ip, n, qos=True) + snap(ip), None),
    "ppp": (9, lambda ip, n: b"\xff\x03" + ppp_proto(ip), None),
    "ppp-serial": (50, lambda ip, n: b"\xff\x03" + ppp_proto(ip), None),
    "ppp-ether": (51, lambda ip, n: pppoe(ip), None),
    "pppoe-qinq": (1, lambda ip, n: ethernet(ip, QINQ, 0x8864) + pppoe(ip), None),
    "chdlc": (104, lambda ip, n: b"\x0f\x00" + struct.pack(">H", ethertype(ip)), None),
    "fddi": (10, lambda ip, n: b"\x50" + ethernet(ip)[:12] + snap(ip), None),
    "nflog": (239, lambda ip, n: nflog(ip), nflog_trailer),
    "pflog": (117, lambda ip, n: pflog(ip), None),
    "ipnet": (226, lambda ip, n: ipnet(ip), None),
    "pktap": (258, lambda ip, n: pktap(ip), None),
}


def extra_wlan_frames(ts, ip):
    """For wlan-protected: a beacon, a null-data frame and two CCMP-protected
    data frames (8-byte CCMP header, ciphertext, 8-byte MIC), 1 us apart."""
    beacon = bytes([0x80, 0x00, 0, 0]) + b"\xff" * 6 + MAC_AP + MAC_AP + b"\0\0"
    beacon += struct.pack("<QHH", 0, 100, 0x0411) + b"\x00\x07rstdiag"
    null = wlan_header(ip, 1, fc=0x48)
    frames = [beacon, null]
    for k in range(2):
        ccmp = bytes([k + 1, 0, 0, 0x20, 0, 0, 0, 0])   # PN, Ext IV, key id 0
        body = bytes((37 * i + 11 * k) & 0xFF for i in range(60))
        frames.append(wlan_header(ip, 2 + k, protected=True) + ccmp + body + b"\x5a" * 8)
    return [(ts + 1000 * (i + 1), f, len(f)) for i, f in enumerate(frames)]


def write(path, lt, recs, snap):
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, snap, lt))
        for ts, body, orig in recs:
            f.write(struct.pack("<IIII", ts // 1_000_000_000, (ts % 1_000_000_000) // 1000,
                                len(body), orig))
            f.write(body)


def build(name, recs, snap):
    lt, head, tail = LINKS[name]
    out = []
    for n, (ts, ip, orig) in enumerate(recs):
        h = head(ip, n)
        t = tail(ip) if tail else b""
        out.append((ts, h + ip + t, orig + len(h) + len(t)))
        if name == "wlan-protected" and n == 0:
            out += extra_wlan_frames(ts, ip)
    return lt, out, snap + 200


def tshark_fields(path, dfilter, fields, last=False):
    """Each matching frame's fields; last: only the last occurrence of each
    (behind a tunnel, the inner packet's)."""
    args = ["tshark", "-n", "-r", path, "-Y", dfilter, "-T", "fields"]
    if last:
        args += ["-E", "occurrence=l"]
    for f in fields:
        args += ["-e", f]
    p = subprocess.run(args, capture_output=True, text=True, timeout=120)
    if p.returncode != 0:
        raise SystemExit("%s: tshark failed: %s" % (path, p.stderr.strip()))
    return p.stdout.splitlines()


RST = "tcp.flags.reset==1 && !icmp && !icmpv6"
RST_FIELDS = ["frame.time_epoch", "ip.src", "ipv6.src", "tcp.srcport", "tcp.dstport",
              "tcp.seq_raw"]


def check(outputs, inputs):
    want = sorted(l for p in inputs for l in tshark_fields(p, RST, RST_FIELDS))
    want_tcp = sum(len(tshark_fields(p, "tcp", ["frame.number"])) for p in inputs)
    failed = 0
    for path in outputs:
        got = sorted(tshark_fields(path, RST, RST_FIELDS))
        tcp = len(tshark_fields(path, "tcp", ["frame.number"]))
        bad = tshark_fields(path, "_ws.malformed || _ws.expert.severity == error",
                            ["frame.number"])
        problems = []
        if got != want:
            problems.append("RSTs differ: %d vs %d in the source" % (len(got), len(want)))
        if tcp != want_tcp:
            problems.append("tshark finds TCP in %d frames, the source %d" % (tcp, want_tcp))
        if bad:
            problems.append("malformed or error frames: " + " ".join(bad[:10]))
        print("%s %s: %d RSTs, %d TCP frames%s" % ("FAIL" if problems else "ok  ",
              os.path.basename(path), len(got), tcp, "; " + "; ".join(problems) if problems else ""))
        failed += bool(problems)
    return failed


def main():
    argv = sys.argv[1:]
    do_check = "--no-check" not in argv
    argv = [a for a in argv if a != "--no-check"]
    outdir, inputs = argv[0], argv[1:]
    recs, snap = [], 0
    for p in inputs:
        r, s = read_pcap(p)
        recs += r
        snap = max(snap, s)
    recs.sort(key=lambda r: r[0])
    outputs = []
    for name in LINKS:
        lt, out, s = build(name, recs, snap)
        path = os.path.join(outdir, "link-%s.pcap" % name)
        write(path, lt, out, s)
        outputs.append(path)
    if do_check and check(outputs, inputs):
        sys.exit(1)


if __name__ == "__main__":
    main()
