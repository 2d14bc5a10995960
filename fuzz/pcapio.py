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
