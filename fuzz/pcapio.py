"""pcapio: the little of pcap and pcapng the corpus scripts need.

Reads classic pcap (either byte order, micro- or nanosecond magic) and
pcapng (every section, either byte order; EPB, SPB and the obsolete PB),
and writes both, so the seed corpora are built from testdata/ by script.
No dependencies beyond the standard library: CI has no scapy.
"""
import struct

PCAP_MAGIC_US = 0xA1B2C3D4
PCAP_MAGIC_NS = 0xA1B23C4D
SHB, IDB, PB, SPB, NRB, ISB, EPB = 0x0A0D0D0A, 1, 2, 3, 4, 5, 6
BYTE_ORDER_MAGIC = 0x1A2B3C4D


class Record:
    def __init__(self, linktype, ts_ns, data, orig_len):
        self.linktype = linktype
        self.ts_ns = ts_ns
        self.data = data
        self.orig_len = orig_len


def _read_pcap(buf):
    e = "<" if struct.unpack("<I", buf[:4])[0] in (PCAP_MAGIC_US, PCAP_MAGIC_NS) else ">"
    magic, _, _, _, _, _, linktype = struct.unpack(e + "IHHiIII", buf[:24])
    scale = 1 if magic == PCAP_MAGIC_NS else 1000
    off, out = 24, []
    while off + 16 <= len(buf):
        sec, frac, incl, orig = struct.unpack(e + "IIII", buf[off:off + 16])
        data = buf[off + 16:off + 16 + incl]
        if len(data) < incl:
            break   # cut mid-record: keep what is whole
        out.append(Record(linktype & 0xFFFF, sec * 1_000_000_000 + frac * scale, data, orig))
        off += 16 + incl
    return out


def _tsresol(options, e):
    """Timestamp units per second of an IDB (option if_tsresol; default 10^6)."""
    off = 0
    while off + 4 <= len(options):
        code, n = struct.unpack(e + "HH", options[off:off + 4])
        if code == 0:
            break
        if code == 9 and n >= 1:
            v = options[off + 4]
            return 2 ** (v & 0x7F) if v & 0x80 else 10 ** v
        off += 4 + n + (-n % 4)
    return 1_000_000


def _read_pcapng(buf):
    off, out, e, ifaces = 0, [], "<", []
    while off + 12 <= len(buf):
        btype = struct.unpack("<I", buf[off:off + 4])[0]
        if btype == SHB:
            bom = struct.unpack("<I", buf[off + 8:off + 12])[0]
            e = "<" if bom == BYTE_ORDER_MAGIC else ">"
            ifaces = []
        btype, blen = struct.unpack(e + "II", buf[off:off + 8])
        if blen < 12 or off + blen > len(buf):
            break
        body = buf[off + 8:off + blen - 4]
        if btype == IDB:
            ifaces.append((struct.unpack(e + "HHI", body[:8])[0], _tsresol(body[8:], e)))
        elif btype in (EPB, PB):
            if btype == EPB:
                iface, hi, lo, incl, orig = struct.unpack(e + "IIIII", body[:20])
            else:
                iface, _, hi, lo, incl, orig = struct.unpack(e + "HHIIII", body[:20])
            if iface < len(ifaces):
                linktype, per_s = ifaces[iface]
                ts = ((hi << 32) | lo) * 1_000_000_000 // per_s
                out.append(Record(linktype, ts, body[20:20 + incl], orig))
        elif btype == SPB and ifaces:
            orig = struct.unpack(e + "I", body[:4])[0]
            out.append(Record(ifaces[0][0], 0, body[4:4 + orig], orig))
        off += blen
    return out


def read(path):
    """Every whole record of a pcap or pcapng file, each with its link type."""
    with open(path, "rb") as f:
        buf = f.read()
    if struct.unpack("<I", buf[:4])[0] == SHB:
        return _read_pcapng(buf)
    return _read_pcap(buf)


def pcap(records, big_endian=False, nano=False, snaplen=262144):
    """A classic pcap file of records (all of the first one's link type)."""
    e = ">" if big_endian else "<"
    magic = PCAP_MAGIC_NS if nano else PCAP_MAGIC_US
    scale = 1 if nano else 1000
    out = [struct.pack(e + "IHHiIII", magic, 2, 4, 0, 0, snaplen, records[0].linktype)]
    for r in records:
        frac = r.ts_ns % 1_000_000_000 // scale
        out.append(struct.pack(e + "IIII", r.ts_ns // 1_000_000_000, frac, len(r.data),
                               r.orig_len) + r.data)
    return b"".join(out)


def _pad4(b):
    return b + b"\0" * (-len(b) % 4)


def block(btype, body, e="<"):
    """One pcapng block: type, total length, padded body, total length."""
    body = _pad4(body)
    n = 12 + len(body)
    return struct.pack(e + "II", btype, n) + body + struct.pack(e + "I", n)


def option(code, value, e="<"):
    return struct.pack(e + "HH", code, len(value)) + _pad4(value)


def shb(e="<", options=b""):
    return block(SHB, struct.pack(e + "IHHq", BYTE_ORDER_MAGIC, 1, 0, -1) + options, e)


def idb(linktype, e="<", snaplen=0, options=b""):
    return block(IDB, struct.pack(e + "HHI", linktype, 0, snaplen) + options, e)


def epb(r, iface=0, e="<"):
    ts = r.ts_ns // 1000
    return block(EPB, struct.pack(e + "IIIII", iface, ts >> 32, ts & 0xFFFFFFFF, len(r.data),
                                  r.orig_len) + r.data, e)


def spb(r, e="<"):
    return block(SPB, struct.pack(e + "I", r.orig_len) + r.data, e)


# Microsoft Network Monitor (Wireshark's wiretap/netmon.c): network types
# of a 2.1 and later frame's trailer.
NETMON_ETHERNET, NETMON_PCAP_BASE = 1, 0xE000
NETMON_NETEVENT, NETMON_NETWORK_INFO, NETMON_FILTER = 0xFFE0, 0xFFFD, 0xFFFF


def netmon(frames, minor=0, major=2):
    """A Network Monitor file in wiretap/netmon.c's layout: the 128-byte
    header (magic, minor and major version, network type 1, the first
    frame's time cut to milliseconds as a SYSTEMTIME, here in UTC, the
    frame table's offset and length), each frame's record header (2.x:
    64-bit microsecond delta, 32-bit lengths; 1.x: 32-bit millisecond
    delta, 16-bit lengths), bytes and 2.1/2.2/2.3 trailer (network type,
    process index, UTC FILETIME, time zone index), then the frame table.
    frames: Records, or (Record, network type) for 2.1 and later."""
    import time
    frames = [f if isinstance(f, tuple) else
              (f, NETMON_ETHERNET if f.linktype == 1 else NETMON_PCAP_BASE + f.linktype)
              for f in frames]
    start_ms = frames[0][0].ts_ns // 1_000_000
    t = time.gmtime(start_ms // 1000)
    start = (t.tm_year, t.tm_mon, (t.tm_wday + 1) % 7, t.tm_mday, t.tm_hour, t.tm_min,
             t.tm_sec, start_ms % 1000)
    body, offsets = b"", []
    for r, network in frames:
        offsets.append(128 + len(body))
        delta_ns = r.ts_ns - start_ms * 1_000_000
        if major == 1:
            body += struct.pack("<IHH", delta_ns // 1_000_000 % 2**32, r.orig_len, len(r.data))
        else:
            body += struct.pack("<QII", delta_ns // 1000 % 2**64, r.orig_len, len(r.data))
        body += r.data
        if major == 2 and minor >= 1:
            body += struct.pack("<H", network)
        if major == 2 and minor >= 2:
            body += struct.pack("<I", 0)
        if major == 2 and minor >= 3:
            body += struct.pack("<QB", r.ts_ns // 100 + 116444736000000000, 0)
    header = (b"GMBU" if major == 2 else b"RTSS") + struct.pack(
        "<BBH8H10I", minor, major, NETMON_ETHERNET, *start, 128 + len(body), 4 * len(offsets),
        *([0] * 8))
    return header.ljust(128, b"\0") + body + b"".join(struct.pack("<I", o) for o in offsets)
