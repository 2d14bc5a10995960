#!/usr/bin/env python3
"""Writes the malformed-capture corpus (issue 8) into this directory.

    python3 testdata/malformed/make.py [DIR]  # rewrites *.pcap, *.pcapng, MANIFEST.json

(DIR defaults to this directory; tests/malformed.py writes to a temporary
one and compares, so the committed files cannot drift from this script.)

Deterministic and stdlib only. Every input starts from well-formed TCP
traffic built here (Ethernet, IPv4/IPv6, handshakes, data, FIN closes and
a few RSTs, with correct checksums so Wireshark finds nothing to complain
about), then damages one thing: the container (pcap or pcapng), a record's
lengths, the IP or TCP headers, or the TCP conversation itself.

MANIFEST.json says, for each input, what it checks and what rstdiag must
do with it. Those expectations come from the design of each scenario
below (which frames are RSTs, where the damage is, what libpcap does with
it), never from rstdiag's output:

  status     the exit status (man page EXIT STATUS)
  warnings   names that must be in the JSON summary's "warnings" with a count > 0
  resets     the frames rstdiag must report as resets, exactly these
  tshark     "all": every RST tshark lists must be reported;
             "none": tshark cannot read the file as a capture (it refuses it,
             or shows it as some other kind of file: no TCP);
             {"upto": N}: libpcap stops at frame N+1 while tshark reads on: only
             tshark's RSTs up to frame N can be reported (the rest is named in
             the damage message and the exit status)
  summary    (optional) values the JSON summary must have, e.g. skipped counts
"""
import json
import os
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
T0 = 1700000000 * 10**9   # 2023-11-14, in ns

DLT_EN10MB, DLT_RAW, DLT_USER0 = 1, 101, 147


# ---------------------------------------------------------------- packets

def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def ip4(a):
    return bytes(int(x) for x in a.split("."))


def ip6(a):
    head, _, tail = a.partition("::")
    h = [int(x, 16) for x in head.split(":") if x]
    t = [int(x, 16) for x in tail.split(":") if x]
    return struct.pack("!8H", *(h + [0] * (8 - len(h) - len(t)) + t))


def tcp(src, dst, sport, dport, seq, ack, flags, payload=b"", opts=b"", win=64240,
        doff=None, pseudo_len=None):
    """A TCP segment with a correct checksum over the IPv4 or IPv6 pseudo header.
    doff overrides the data offset (in 32-bit words) for damaged headers."""
    opts += b"\0" * (-len(opts) % 4)
    off = doff if doff is not None else (20 + len(opts)) // 4
    hdr = struct.pack("!HHIIBBHHH", sport, dport, seq & 0xffffffff, ack & 0xffffffff,
                      off << 4, flags, win, 0, 0) + opts
    seg = hdr + payload
    n = len(seg) if pseudo_len is None else pseudo_len
    if len(src) == 4:
        ph = src + dst + struct.pack("!BBH", 0, 6, n)
    else:
        ph = src + dst + struct.pack("!IxxxB", n, 6)
    c = csum(ph + seg)
    return seg[:16] + struct.pack("!H", c) + seg[18:]


def ipv4(src, dst, payload, ident=0, ttl=64, proto=6, ihl=None, total=None, opts=b""):
    """ihl (in words) and total override the lengths for damaged headers."""
    h_ihl = ihl if ihl is not None else 5 + len(opts) // 4
    tot = total if total is not None else 20 + len(opts) + len(payload)
    h = struct.pack("!BBHHHBBH4s4s", 0x40 | h_ihl, 0, tot, ident, 0x4000, ttl, proto, 0,
                    src, dst) + opts
    h = h[:10] + struct.pack("!H", csum(h)) + h[12:]
    return h + payload


def ipv6(src, dst, payload, nh=6, hlim=64, plen=None):
    n = len(payload) if plen is None else plen
    return struct.pack("!IHBB16s16s", 0x60000000, n, nh, hlim, src, dst) + payload


def ether(payload, ethertype):
    return (b"\x02\x00\x00\x00\x00\x02" + b"\x02\x00\x00\x00\x00\x01" +
            struct.pack("!H", ethertype) + payload)


def eth_ip(ip):
    return ether(ip, 0x86DD if ip[0] >> 4 == 6 else 0x0800)


FIN, SYN, RST, PSH, ACK, URG, ECE, CWR = 1, 2, 4, 8, 16, 32, 64, 128

SYN_OPTS = (struct.pack("!BBH", 2, 4, 1460) + b"\x04\x02" +
            struct.pack("!BBII", 8, 10, 1000, 0) + b"\x01" + struct.pack("!BBB", 3, 3, 7))


class Conv:
    """One TCP connection between a client and a server, segment by segment.
    Each method returns the IP packet and moves the sequence numbers on."""

    def __init__(self, client, server, cport, sport, cisn=1000, sisn=5000):
        self.v6 = ":" in client
        self.addr = [ip6(client) if self.v6 else ip4(client),
                     ip6(server) if self.v6 else ip4(server)]
        self.port = [cport, sport]
        self.nxt = [cisn, sisn]
        self.ipid = [0x1000, 0x2000]
        self.ttl = [64, 64]

    def ip(self, side, seg, **ipkw):
        src, dst = self.addr[side], self.addr[1 - side]
        if self.v6:
            return ipv6(src, dst, seg, hlim=self.ttl[side], **ipkw)
        self.ipid[side] += 1
        return ipv4(src, dst, seg, ident=self.ipid[side], ttl=self.ttl[side], **ipkw)

    def seg(self, side, flags, payload=b"", seq=None, ack=None, opts=b"", advance=True,
            ipkw=None, **tcpkw):
        """side 0 = client, 1 = server. seq/ack default to the tracked ones."""
        s = self.nxt[side] if seq is None else seq
        a = self.nxt[1 - side] if ack is None else ack
        t = tcp(self.addr[side], self.addr[1 - side], self.port[side], self.port[1 - side],
                s, a, flags, payload, opts, **tcpkw)
        if advance and seq is None and not flags & RST:
            self.nxt[side] += len(payload) + bool(flags & SYN) + bool(flags & FIN)
        return self.ip(side, t, **(ipkw or {}))

    def handshake(self):
        return [self.seg(0, SYN, opts=SYN_OPTS),
                self.seg(1, SYN | ACK, opts=SYN_OPTS),
                self.seg(0, ACK)]

    def exchange(self, request=b"GET / HTTP/1.1\r\nHost: x\r\n\r\n",
                 response=b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"):
        return [self.seg(0, PSH | ACK, request), self.seg(1, ACK),
                self.seg(1, PSH | ACK, response), self.seg(0, ACK)]

    def close(self, side=0):
        return [self.seg(side, FIN | ACK), self.seg(1 - side, FIN | ACK),
                self.seg(side, ACK)]

    def rst(self, side, flags=RST | ACK, payload=b""):
        return self.seg(side, flags, payload)


# ---------------------------------------------------------------- timeline

class Trace:
    """Frames in capture order: (ts_ns, frame bytes, caplen, orig len). The
    lengths are None for "as the bytes say"; rst lists the RST frames (1-based)."""

    def __init__(self, start=T0, step_ms=1):
        self.ts = start
        self.step = step_ms * 10**6
        self.frames = []
        self.rst = []

    def add(self, ip_or_frame, gap_ms=None, link=True, caplen=None, wirelen=None,
            is_rst=None, ts=None):
        self.ts = ts if ts is not None else self.ts + (self.step if gap_ms is None
                                                       else int(gap_ms * 10**6))
        frame = eth_ip(ip_or_frame) if link else ip_or_frame
        self.frames.append([self.ts, frame, caplen, wirelen])
        if is_rst is None:
            is_rst = rst_flag(ip_or_frame if link else frame, link)
        if is_rst:
            self.rst.append(len(self.frames))
        return len(self.frames)

    def extend(self, pkts, **kw):
        return [self.add(p, **kw) for p in pkts]


def rst_flag(ip, link):
    """Does this well-formed IP packet carry a TCP RST? (for the design lists)"""
    if ip[0] >> 4 == 4:
        return ip[9] == 6 and ip[(ip[0] & 15) * 4 + 13] & RST != 0
    return ip[6] == 6 and ip[40 + 13] & RST != 0


def base_traffic(tr, v4=True, v6=True, seed=0):
    """Well-formed traffic with three kinds of RST and a clean close:
    a keep-alive exchange closed with FINs, a linger abort by the server,
    a SYN to a closed port (reply-form RST+ACK), and over IPv6 an
    exchange the client aborts. Returns nothing; frames go to tr."""
    p = 40000 + seed * 100
    if v4:
        a = Conv("10.0.0.1", "10.0.0.2", p + 1, 80, 1000, 5000)
        tr.extend(a.handshake() + a.exchange() + a.close(0))
        b = Conv("10.0.0.1", "10.0.0.2", p + 2, 80, 2000, 6000)
        tr.extend(b.handshake() + b.exchange())
        tr.add(b.rst(1), gap_ms=200)
        c = Conv("10.0.0.1", "10.0.0.3", p + 3, 8080, 3000, 0)
        syn = c.seg(0, SYN, opts=SYN_OPTS)
        tr.add(syn)
        tr.add(c.seg(1, RST | ACK, seq=0))
    if v6:
        d = Conv("fd00::1", "fd00::2", p + 4, 443, 4000, 7000)
        tr.extend(d.handshake() + d.exchange(b"POST /x HTTP/1.1\r\nHost: y\r\n\r\n"))
        tr.add(d.rst(0), gap_ms=50)


# ---------------------------------------------------------------- containers

def pcap_bytes(tr, linktype=DLT_EN10MB, snaplen=65535):
    out = [struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, snaplen, linktype)]
    for ts, frame, caplen, wirelen in tr.frames:
        cl = len(frame) if caplen is None else caplen
        wl = len(frame) if wirelen is None else wirelen
        sec, ns = divmod(ts, 10**9)
        out.append(struct.pack("<IIII", sec, ns // 1000, cl, wl) + frame[:cl])
    return b"".join(out)


def block(e, btype, body, total=None, trailer=None):
    n = 12 + len(body) + (-len(body) % 4)
    body += b"\0" * (-len(body) % 4)
    return (struct.pack(e + "II", btype, n if total is None else total) + body +
            struct.pack(e + "I", n if trailer is None else trailer))


def shb(e):
    return block(e, 0x0A0D0D0A, struct.pack(e + "IHHq", 0x1A2B3C4D, 1, 0, -1))


def idb(e, linktype=DLT_EN10MB, snaplen=65535):
    return block(e, 1, struct.pack(e + "HHI", linktype, 0, snaplen))


def epb(e, ts, frame, iface=0, caplen=None, wirelen=None, **kw):
    us = ts // 1000
    cl = len(frame) if caplen is None else caplen
    wl = len(frame) if wirelen is None else wirelen
    return block(e, 6, struct.pack(e + "IIIII", iface, us >> 32, us & 0xffffffff, cl, wl) +
                 frame, **kw)


def pcapng_packets(e, tr, iface=0):
    return [epb(e, ts, f, iface, cl, wl) for ts, f, cl, wl in tr.frames]


# ---------------------------------------------------------------- scenarios

CORPUS = []   # (file name, bytes, manifest entry)


def emit(name, data, what, status, warnings=(), resets=(), tshark="all", summary=None):
    m = {"file": name, "what": what, "status": status, "warnings": sorted(warnings),
         "resets": list(resets), "tshark": tshark}
    if summary:
        m["summary"] = summary
    CORPUS.append((name, data, m))


def base_trace():
    tr = Trace()
    base_traffic(tr)
    return tr


def record_offsets(data):
    """Start of each record in a pcap file (little-endian, as pcap_bytes writes)."""
    offs, o = [], 24
    while o < len(data):
        offs.append(o)
        o += 16 + struct.unpack_from("<I", data, o + 8)[0]
    return offs


def pcap_container():
    tr = base_trace()
    whole = pcap_bytes(tr)
    # The base is well formed: the reference for the rest.
    emit("base.pcap", whole, "the well-formed base traffic every damaged input starts from",
         0, resets=tr.rst)

    emit("pcap-cut-file-header.pcap", whole[:14],
         "pcap cut inside its 24-byte file header: not a capture rstdiag can open",
         1, tshark="none")

    offs = record_offsets(whole)
    # Cut after the first two RSTs, inside the next record's 16-byte header.
    k = tr.rst[1]          # frames 1..k are whole
    emit("pcap-cut-record-header.pcap", whole[:offs[k] + 9],
         f"pcap cut 9 bytes into the record header of frame {k + 1}",
         3, ["capture_damaged"], [f for f in tr.rst if f <= k])
    emit("pcap-cut-record-data.pcap", whole[:offs[k] + 16 + 20],
         f"pcap cut 20 bytes into the data of frame {k + 1}",
         3, ["capture_damaged"], [f for f in tr.rst if f <= k])

    # caplen above the file's snaplen: a 1454-byte response in a file whose
    # header says snaplen 200. libpcap hands out the first 200 bytes and
    # skips the rest (Wireshark shows all of it): the headers are whole, so
    # the segment is analysed, with its payload counted as cut. Nothing
    # tells this apart from a record the snaplen really cut: no warning.
    t2 = Trace()
    a = Conv("10.0.1.1", "10.0.1.2", 41000, 80, 100, 900)
    t2.extend(a.handshake() + [a.seg(0, PSH | ACK, b"GET /big HTTP/1.1\r\n\r\n")])
    big = t2.add(a.seg(1, PSH | ACK, b"HTTP/1.1 200 OK\r\n\r\n" + b"x" * 1381))
    t2.add(a.seg(0, ACK))
    t2.add(a.rst(0), gap_ms=20)
    emit("pcap-caplen-over-snaplen.pcap", pcap_bytes(t2, snaplen=200),
         f"frame {big}: caplen 1454 above the file's snaplen 200 (then a client RST)",
         0, [], t2.rst, summary={"payload_truncated": 1, "tcp_packets": 7})
    # In pcapng libpcap refuses such a block and stops reading; Wireshark
    # reads the whole block and on, and so does rstdiag's reader.
    e = "<"
    emit("pcapng-caplen-over-snaplen.pcapng",
         shb(e) + idb(e, snaplen=200) + b"".join(pcapng_packets(e, t2)),
         f"frame {big}: caplen 1454 above the interface's snaplen 200 (then a client RST)",
         0, [], t2.rst, summary={"tcp_packets": 7})

    # caplen above the original length: the RST's record says 60 bytes
    # captured (Ethernet padding) of a 54-byte frame; another data frame
    # says caplen 120, len 80.
    t3 = Trace()
    b = Conv("10.0.1.1", "10.0.1.2", 41001, 80, 100, 900)
    t3.extend(b.handshake())
    t3.add(b.seg(0, PSH | ACK, b"GET /a HTTP/1.1\r\n\r\n"), wirelen=60)
    t3.extend([b.seg(1, ACK), b.seg(1, PSH | ACK, b"HTTP/1.1 204 No Content\r\n\r\n")])
    rst = b.rst(0)
    t3.add(rst + b"\0" * 6, wirelen=54 + 0)   # frame = 14 + 40 bytes, plus 6 of padding
    emit("pcap-caplen-over-len.pcap", pcap_bytes(t3),
         "records whose caplen exceeds the original length (a data frame, and a RST "
         "padded to 60 bytes with len 54)",
         0, ["record_length_invalid"], t3.rst, summary={"tcp_packets": 7})

    # Zero-length records: caplen 0 and len 0, and caplen 0 of a 66-byte frame.
    t4 = Trace()
    c = Conv("10.0.1.1", "10.0.1.2", 41002, 80, 100, 900)
    t4.extend(c.handshake())
    t4.add(b"", link=False, is_rst=False)
    t4.extend(c.exchange())
    t4.add(c.seg(1, ACK), caplen=0, is_rst=False)   # a pure ACK, nothing captured
    t4.add(b"", link=False, is_rst=False)
    t4.add(c.rst(1), gap_ms=100)
    emit("pcap-zero-length.pcap", pcap_bytes(t4),
         "records with caplen 0 and len 0, and one with caplen 0 of a 54-byte frame",
         0, ["record_length_invalid", "headers_truncated"], t4.rst,
         summary={"skipped": {"invalid": 2, "truncated": 1}, "tcp_packets": 8})

    # An unknown link type: DLT_USER0 (147) around well-formed Ethernet frames.
    emit("pcap-unknown-link-type.pcap", pcap_bytes(tr, linktype=DLT_USER0),
         "the base traffic under link type USER0 (147), which rstdiag cannot decode",
         1, tshark="all")


def pcapng_container():
    e = "<"
    tr = base_trace()
    pk = pcapng_packets(e, tr)
    head = shb(e) + idb(e)
    whole = head + b"".join(pk)
    emit("base.pcapng", whole, "the base traffic as pcapng", 0, resets=tr.rst)

    k = tr.rst[1]
    cut = len(head) + sum(len(b) for b in pk[:k]) + 30
    emit("pcapng-cut-block.pcapng", whole[:cut],
         f"pcapng cut 30 bytes into the Enhanced Packet Block of frame {k + 1}",
         3, ["capture_damaged"], [f for f in tr.rst if f <= k])
    emit("pcapng-cut-section-header.pcapng", whole[:20],
         "pcapng cut inside its Section Header Block", 1, tshark="none")

    # Unknown block types are skipped (pcapng spec 3.1): an unregistered
    # type, one of the "local use" types (high bit set), and a Name
    # Resolution and an Interface Statistics Block that libpcap ignores.
    # (Not 0x00000BAD or 0x40000BAD: those are Custom Blocks, which
    # Wireshark counts as frames and libpcap skips, so the numbering differs.)
    unknown = [block(e, 0x00000123, b"what is this?"),
               block(e, 0x80000123, struct.pack(e + "I", 42)),
               block(e, 4, struct.pack(e + "HH", 0, 0)),    # NRB with only nrb_record_end
               block(e, 5, struct.pack(e + "IIIHH", 0, 0, 0, 0, 0))]
    mixed = [head]
    for i, b in enumerate(pk):
        mixed.append(b)
        if i % 6 == 2:
            mixed.append(unknown[(i // 6) % len(unknown)])
    mixed.insert(1, unknown[0])
    emit("pcapng-unknown-blocks.pcapng", b"".join(mixed),
         "unknown block types (0x123, a local-use 0x80000123) and NRB/ISB blocks between "
         "packets: skipped", 0, resets=tr.rst)

    # Bad block lengths, each on the block after the second RST.
    def with_block(bad):
        return head + b"".join(pk[:k]) + bad + b"".join(pk[k + 1:])
    ts, f, _, _ = tr.frames[k]
    good = epb(e, ts, f)
    emit("pcapng-block-length-unaligned.pcapng", with_block(epb(e, ts, f, total=len(good) + 2)),
         f"frame {k + 1}'s block length is not a multiple of 4",
         3, ["capture_damaged"], [x for x in tr.rst if x <= k], {"upto": k})
    emit("pcapng-block-length-short.pcapng",
         with_block(struct.pack(e + "II", 6, 8) + good[8:]),
         f"frame {k + 1}'s block length is 8, below the 12-byte minimum",
         3, ["capture_damaged"], [x for x in tr.rst if x <= k], {"upto": k})
    emit("pcapng-block-trailer-mismatch.pcapng",
         with_block(epb(e, ts, f, trailer=len(good) + 4)),
         f"frame {k + 1}'s trailing block length differs from its leading one",
         3, ["capture_damaged"], [x for x in tr.rst if x <= k], {"upto": k})

    # An EPB naming interface 3 where only interface 0 exists.
    emit("pcapng-interface-out-of-range.pcapng", with_block(epb(e, ts, f, iface=3)),
         f"frame {k + 1}'s Enhanced Packet Block names interface 3 of 1",
         3, ["capture_damaged"], [x for x in tr.rst if x <= k])

    # Several sections with one byte order and link type: libpcap reads on.
    t1, t2, t3 = Trace(), Trace(T0 + 10**9), Trace(T0 + 2 * 10**9)
    base_traffic(t1, v6=False, seed=1)
    base_traffic(t2, v4=False, seed=2)
    base_traffic(t3, v6=False, seed=3)
    secs = [shb(e) + idb(e) + b"".join(pcapng_packets(e, t)) for t in (t1, t2, t3)]
    n1, n2 = len(t1.frames), len(t2.frames)
    rsts = t1.rst + [n1 + x for x in t2.rst] + [n1 + n2 + x for x in t3.rst]
    emit("pcapng-three-sections.pcapng", b"".join(secs),
         "three sections, same byte order and link type", 0, resets=rsts)

    # A second section in the other byte order: libpcap 1.10 refuses to
    # switch byte order mid-file and stops there; Wireshark reads on, and
    # so does rstdiag's own reader.
    be = shb(">") + idb(">") + b"".join(pcapng_packets(">", t2))
    emit("pcapng-byte-order-change.pcapng", secs[0] + be,
         "a little-endian section, then a big-endian one",
         0, [], t1.rst + [n1 + x for x in t2.rst])
    # ... the big-endian section alone reads fine.
    emit("pcapng-big-endian.pcapng", be, "one big-endian section", 0, resets=t2.rst)

    # A second section whose interface has another link type (raw IP):
    # libpcap gives a file a single link type and stops there; Wireshark,
    # and rstdiag's own reader, read each interface with its own.
    raw = Trace(T0 + 10**9)
    r = Conv("10.0.2.1", "10.0.2.2", 42000, 22, 10, 20)
    raw.extend(r.handshake() + r.exchange(b"SSH-2.0-x\r\n", b"SSH-2.0-y\r\n"), link=False)
    raw.add(r.rst(1), link=False)
    sec_raw = shb(e) + idb(e, DLT_RAW) + b"".join(pcapng_packets(e, raw))
    emit("pcapng-sections-link-types.pcapng", secs[0] + sec_raw,
         "an Ethernet section, then a raw-IP section",
         0, [], t1.rst + [n1 + x for x in raw.rst])
    # Two interfaces of different link types in one section, packets on both
    # (as dumpcap -i eth0 -i any writes): libpcap refuses the second
    # interface before the first packet.
    two = shb(e) + idb(e) + idb(e, DLT_RAW) + b"".join(pcapng_packets(e, t1)) + \
        b"".join(pcapng_packets(e, raw, iface=1))
    emit("pcapng-interfaces-link-types.pcapng", two,
         "one section, an Ethernet and a raw-IP interface, packets on both",
         0, [], t1.rst + [n1 + x for x in raw.rst])

    emit("pcapng-unknown-link-type.pcapng", shb(e) + idb(e, DLT_USER0) + b"".join(pk),
         "the base traffic on an interface of link type USER0 (147)", 1, tshark="all")


def ip_damage():
    # IPv4 header length below 20: IHL 4 on a RST (and IHL 0 on a data segment).
    tr = Trace()
    a = Conv("10.0.3.1", "10.0.3.2", 43000, 80, 100, 900)
    tr.extend(a.handshake() + a.exchange())
    tr.add(a.seg(0, ACK, ipkw={"ihl": 0}), is_rst=False)
    bad = a.seg(1, RST | ACK, ipkw={"ihl": 4})
    tr.add(bad, is_rst=False)
    tr.add(a.rst(1), gap_ms=5)
    emit("ipv4-ihl-below-20.pcap", pcap_bytes(tr),
         "IPv4 IHL 0 on an ACK and IHL 4 on a RST (not decodable, as for Wireshark), "
         "then a good RST", 0, ["headers_invalid"], tr.rst, summary={"skipped": {"invalid": 2}})

    # IHL above the packet: IHL 15 (60 bytes) in a 40-byte datagram, and
    # IHL 15 with total length 60 on a 54-byte frame.
    tr = Trace()
    a = Conv("10.0.3.1", "10.0.3.2", 43001, 80, 100, 900)
    tr.extend(a.handshake() + a.exchange())
    tr.add(a.seg(1, RST | ACK, ipkw={"ihl": 15}), is_rst=False)
    tr.add(a.seg(1, RST | ACK, ipkw={"ihl": 15, "total": 60}), is_rst=False)
    tr.add(a.rst(1))
    emit("ipv4-ihl-over-packet.pcap", pcap_bytes(tr),
         "IPv4 IHL 15 (60 bytes) on two 40-byte RSTs, one with total length 40 and one "
         "claiming 60, then a good RST", 0, ["headers_invalid"], tr.rst,
         summary={"skipped": {"invalid": 2}})

    # Total length shorter than the header (12), and shorter than IP + TCP (30).
    tr = Trace()
    a = Conv("10.0.3.1", "10.0.3.2", 43002, 80, 100, 900)
    tr.extend(a.handshake() + a.exchange())
    tr.add(a.seg(0, RST | ACK, ipkw={"total": 12}), is_rst=False)
    tr.add(a.seg(0, RST | ACK, ipkw={"total": 30}), is_rst=False)
    tr.add(a.rst(0))
    emit("ipv4-total-length-short.pcap", pcap_bytes(tr),
         "IPv4 total length 12 (below the 20-byte header) and 30 (no room for TCP) on "
         "RSTs, then a good RST", 0, ["headers_invalid"], tr.rst,
         summary={"skipped": {"invalid": 2}})

    # IPv6 extension chains that overrun: a hop-by-hop header claiming 88
    # bytes in a 48-byte payload; destination options then a routing header
    # running past the frame end; a fragment header cut in half; and a chain
    # of 20 destination-option headers (legal, walked to the RST behind it).
    tr = Trace()
    d = Conv("fd00::1", "fd00::2", 43003, 443, 100, 900)
    tr.extend(d.handshake() + d.exchange())
    src, dst = d.addr

    def seg6(side, flags):
        return tcp(d.addr[side], d.addr[1 - side], d.port[side], d.port[1 - side],
                   d.nxt[side], d.nxt[1 - side], flags)
    rst6 = seg6(1, RST | ACK)
    hbh = struct.pack("!BB6x", 6, 10)           # says 88 bytes
    tr.add(ipv6(dst, src, hbh + rst6, nh=0), is_rst=False)
    dest = struct.pack("!BB6x", 43, 0)
    rt = struct.pack("!BBBB4x", 6, 6, 0, 0)      # routing header of 56 bytes
    tr.add(ipv6(dst, src, dest + rt + rst6, nh=60), is_rst=False)
    frag = struct.pack("!BB", 6, 0)              # 2 of its 8 bytes
    tr.add(ipv6(dst, src, frag, nh=44), is_rst=False)
    chain = b"".join(struct.pack("!BB6x", 60 if i < 19 else 6, 0) for i in range(20))
    tr.add(ipv6(dst, src, chain + rst6, nh=60), is_rst=True)
    # A legal chain (hop-by-hop, destination options) before a good RST.
    ok = struct.pack("!BB6x", 60, 0) + struct.pack("!BB6x", 6, 0)
    tr.add(ipv6(dst, src, ok + rst6, nh=0), is_rst=True)
    emit("ipv6-ext-overrun.pcap", pcap_bytes(tr),
         "IPv6 extension headers: hop-by-hop claiming 88 bytes of 48, a routing header "
         "running past the datagram, a fragment header cut short, a chain of 20 "
         "headers ending in a RST (long but legal); then a good RST behind a short chain",
         0, ["headers_invalid"], tr.rst, summary={"skipped": {"invalid": 3, "unparsed": 0}})


def tcp_damage():
    # Data offset below 5 (4 and 0) on RSTs, then a good RST.
    tr = Trace()
    a = Conv("10.0.4.1", "10.0.4.2", 44000, 80, 100, 900)
    tr.extend(a.handshake() + a.exchange())
    tr.add(a.seg(1, RST | ACK, doff=4), is_rst=False)
    tr.add(a.seg(1, RST | ACK, doff=0), is_rst=False)
    tr.add(a.rst(1))
    emit("tcp-offset-below-5.pcap", pcap_bytes(tr),
         "TCP data offset 4 and 0 on RSTs, then a good RST", 0, ["headers_invalid"], tr.rst,
         summary={"skipped": {"invalid": 2}})

    # Data offset past the segment: 15 (60 bytes) in a 20-byte segment, and
    # 8 (32 bytes) in a 24-byte one.
    tr = Trace()
    a = Conv("10.0.4.1", "10.0.4.2", 44001, 80, 100, 900)
    tr.extend(a.handshake() + a.exchange())
    # Wireshark shows these RSTs' flags: they must be reported.
    tr.add(a.seg(1, RST | ACK, doff=15), is_rst=True)
    tr.add(a.seg(1, RST | ACK, doff=8, opts=b"\x01\x01\x01\x00"), is_rst=True)
    tr.add(a.rst(1))
    emit("tcp-offset-past-data.pcap", pcap_bytes(tr),
         "TCP data offset 15 in a 20-byte RST and 8 in a 24-byte RST, then a good RST",
         0, ["headers_invalid"], tr.rst, summary={"skipped": {"invalid": 0}})

    # Options of length 0, of length 1, and overrunning the header, on a
    # SYN, a data segment and a RST: the segments themselves still count.
    tr = Trace()
    a = Conv("10.0.4.1", "10.0.4.2", 44002, 80, 100, 900)
    tr.add(a.seg(0, SYN, opts=struct.pack("!BBH", 2, 4, 1460) + b"\x1e\x00\x00\x00"))
    tr.add(a.seg(1, SYN | ACK, opts=b"\x01\x08\x01\x00"))
    tr.add(a.seg(0, ACK))
    tr.add(a.seg(0, PSH | ACK, b"GET / HTTP/1.1\r\n\r\n", opts=b"\x01\x01\x02\x0a"))
    tr.add(a.seg(1, ACK, opts=b"\x08\x0a\x00\x00\x00\x01\x00\x00\x00\x00\x05\x00"))
    tr.add(a.seg(1, RST | ACK, opts=b"\x05\x12\x00\x00\x00\x00\x00\x00"))
    emit("tcp-options-malformed.pcap", pcap_bytes(tr),
         "TCP options of length 0 (SYN), of length 1 (SYN-ACK), an MSS of length 10 "
         "overrunning 4 option bytes (data), a zero-length option after a timestamp "
         "(ACK), a SACK of length 18 in 8 bytes (RST): all still analysed",
         0, ["tcp_options_malformed"], tr.rst)

    # RST with payload (RFC 9293 3.5.3 allows diagnostic text in a RST).
    tr = Trace()
    a = Conv("10.0.4.1", "10.0.4.2", 44003, 80, 100, 900)
    tr.extend(a.handshake() + a.exchange())
    tr.add(a.rst(1, RST | ACK, b"connection reset by policy"), gap_ms=30)
    c = Conv("10.0.4.1", "10.0.4.3", 44004, 25, 100, 0)
    tr.add(c.seg(0, SYN, opts=SYN_OPTS))
    tr.add(c.seg(1, RST | ACK, b"550 closed", seq=0))
    emit("tcp-rst-payload.pcap", pcap_bytes(tr),
         "a RST+ACK with 26 bytes of text ending a connection, a closed port's RST with "
         "10 bytes", 0, [], tr.rst)


def conversation_damage():
    # Every flag combination that carries a RST, and two that carry none of
    # the usual ones, each on its own live connection after its exchange.
    tr = Trace()
    combos = [("SYN+FIN+RST", SYN | FIN | RST), ("SYN+RST", SYN | RST),
              ("FIN+RST", FIN | RST | ACK), ("all 8 flags", 0xff), ("no flags", 0),
              ("SYN+FIN", SYN | FIN), ("RST+PSH+URG", RST | PSH | URG | ACK)]
    for i, (_, flags) in enumerate(combos):
        a = Conv("10.0.5.1", "10.0.5.2", 45000 + i, 80, 100 + i * 1000, 900 + i * 1000)
        tr.extend(a.handshake() + a.exchange())
        tr.add(a.seg(i % 2, flags, advance=False), gap_ms=10)
        tr.add(a.seg(1 - i % 2, ACK), gap_ms=1)
    emit("tcp-flag-combinations.pcap", pcap_bytes(tr),
         "on live connections: " + ", ".join(n for n, _ in combos) +
         ", each followed by the peer's ACK",
         0, ["tcp_flags_invalid"], tr.rst)

    # Out-of-window and duplicated segments, a duplicated RST.
    tr = Trace()
    a = Conv("10.0.5.1", "10.0.5.2", 45100, 80, 100, 900)
    tr.extend(a.handshake())
    req = a.seg(0, PSH | ACK, b"GET /1 HTTP/1.1\r\n\r\n")
    tr.add(req)
    tr.add(req)                                         # duplicated data
    tr.extend([a.seg(1, ACK), a.seg(1, PSH | ACK, b"HTTP/1.1 200 OK\r\n\r\n")])
    tr.add(a.seg(0, ACK, b"far", seq=a.nxt[0] + 10**6))    # data a million bytes ahead
    tr.add(a.seg(1, ACK, ack=a.nxt[0] + 10**6))         # acking data never sent
    tr.add(a.seg(1, RST, seq=a.nxt[1] + 3 * 10**6))     # blind RST outside the window
    tr.add(a.seg(0, ACK))
    rst = a.rst(0)
    tr.add(rst, gap_ms=40)
    tr.add(rst, gap_ms=0)                               # the same RST twice
    b = Conv("10.0.5.1", "10.0.5.2", 45101, 80, 100, 900)
    tr.extend(b.handshake())
    syn = b.seg(0, SYN, opts=SYN_OPTS, seq=100)
    tr.add(syn)                                         # a SYN retransmitted late
    tr.extend(b.exchange() + b.close(1))
    emit("tcp-out-of-window.pcap", pcap_bytes(tr),
         "a duplicated data segment, data 10^6 bytes ahead, an ACK of unsent data, a RST "
         "3*10^6 outside the window, the same RST twice, a late duplicate SYN",
         0, [], tr.rst)

    # Time going backwards: the trace jumps 10 s back mid-connection, then on.
    tr = Trace()
    a = Conv("10.0.5.1", "10.0.5.2", 45200, 80, 100, 900)
    tr.extend(a.handshake())
    tr.add(a.seg(0, PSH | ACK, b"GET / HTTP/1.1\r\n\r\n"), gap_ms=-10000)
    tr.extend([a.seg(1, ACK), a.seg(1, PSH | ACK, b"HTTP/1.1 200 OK\r\n\r\n")])
    tr.add(a.rst(0), gap_ms=-5)
    b = Conv("10.0.5.1", "10.0.5.2", 45201, 80, 100, 900)
    tr.extend(b.handshake() + b.exchange())
    tr.add(b.rst(1), ts=T0 - 3600 * 10**9)             # an hour before the first frame
    emit("time-backwards.pcap", pcap_bytes(tr),
         "packet times jump 10 s back mid-connection, a RST 5 ms before the segment it "
         "follows, and a RST an hour before the first frame",
         0, ["time_backwards"], tr.rst)


def capture_loss():
    # A segment the capture lost: the server's response in two segments,
    # the first never captured though the client acknowledged it, as a
    # capturing host that drops packets leaves a trace.
    tr = Trace()
    a = Conv("10.0.5.1", "10.0.5.2", 45300, 80, 100, 900)
    tr.extend(a.handshake())
    tr.add(a.seg(0, PSH | ACK, b"GET / HTTP/1.1\r\n\r\n"))
    tr.add(a.seg(1, ACK))
    a.seg(1, ACK, b"HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\n")    # sent, not captured
    tr.add(a.seg(0, ACK))                              # the client acknowledges it
    tr.add(a.seg(1, PSH | ACK, b"okok"))               # the next one, past the gap
    tr.add(a.seg(0, ACK))
    tr.add(a.rst(0), gap_ms=40)
    emit("capture-gap.pcap", pcap_bytes(tr),
         "the server's response in two segments, the first acknowledged by the client but "
         "never captured",
         0, ["capture_gaps"], tr.rst)


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else HERE
    pcap_container()
    pcapng_container()
    ip_damage()
    tcp_damage()
    conversation_damage()
    capture_loss()
    for old in os.listdir(out):
        if old.endswith((".pcap", ".pcapng")):
            os.remove(os.path.join(out, old))
    for name, data, _ in CORPUS:
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)
    with open(os.path.join(out, "MANIFEST.json"), "w") as f:
        json.dump([m for _, _, m in CORPUS], f, indent=1)
        f.write("\n")
    print(f"{len(CORPUS)} inputs written to {out}")


if __name__ == "__main__":
    main()
