#!/usr/bin/env python3
"""Writes split-ch.pcap: TLS connections whose ClientHello is larger than one
segment, as post-quantum key shares (X25519MLKEM768: a 1216-byte share) make
them in current browsers. Each flow: SYN, SYN/ACK, ACK, the ClientHello cut
into MSS-sized segments, a ServerHello. Variants: SNI before the big key
share (SNI in segment 1), SNI after it (SNI in segment 2), MSS 536 (three
segments), and segment 2 arriving before segment 1."""
import struct, random
random.seed(7)

def csum(b):
    if len(b) % 2: b += b'\0'
    s = sum(struct.unpack('!%dH' % (len(b)//2), b))
    while s >> 16: s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff

def ipv4(src, dst, payload):
    h = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20+len(payload), 1, 0x4000, 64, 6, 0, bytes(src), bytes(dst))
    h = h[:10] + struct.pack('!H', csum(h)) + h[12:]
    return h + payload

def tcp(src, dst, sp, dp, seq, ack, flags, data=b''):
    h = struct.pack('!HHIIBBHHH', sp, dp, seq, ack, 5 << 4, flags, 64240, 0, 0)
    ph = bytes(src) + bytes(dst) + struct.pack('!BBH', 0, 6, len(h)+len(data))
    c = csum(ph + h + data)
    return h[:16] + struct.pack('!H', c) + h[18:] + data

def eth(ipb): return b'\x02\0\0\0\0\x02' + b'\x02\0\0\0\0\x01' + b'\x08\x00' + ipb

def ext(t, body): return struct.pack('!HH', t, len(body)) + body

def client_hello(sni, sni_first):
    name = sni.encode()
    e_sni = ext(0, struct.pack('!HBH', len(name)+3, 0, len(name)) + name)
    e_alpn = ext(16, struct.pack('!H', 12) + b'\x02h2\x08http/1.1')
    e_sv = ext(43, b'\x04\x03\x04\x03\x03')
    e_groups = ext(10, struct.pack('!HHHH', 6, 0x11ec, 0x001d, 0x0017))
    ks = struct.pack('!HH', 0x11ec, 1216) + bytes(random.getrandbits(8) for _ in range(1216))
    ks += struct.pack('!HH', 0x001d, 32) + bytes(32)
    e_ks = ext(51, struct.pack('!H', len(ks)) + ks)
    e_sig = ext(13, struct.pack('!HHHH', 6, 0x0403, 0x0804, 0x0401))
    e_ech = ext(0xfe0d, bytes(250))  # GREASE ECH, as Chrome sends
    exts = [e_groups, e_sig, e_sv, e_alpn] + ([e_sni, e_ks, e_ech] if sni_first else [e_ks, e_ech, e_sni])
    exts = b''.join(exts)
    body = b'\x03\x03' + bytes(32) + b'\x20' + bytes(32) + struct.pack('!H', 6) + b'\x13\x01\x13\x02\xc0\x2b' + b'\x01\x00'
    body += struct.pack('!H', len(exts)) + exts
    hs = b'\x01' + struct.pack('!I', len(body))[1:] + body
    return b'\x16\x03\x01' + struct.pack('!H', len(hs)) + hs

def server_hello():
    exts = ext(43, b'\x03\x04') + ext(16, struct.pack('!H', 3) + b'\x02h2')
    body = b'\x03\x03' + bytes(32) + b'\x20' + bytes(32) + b'\x13\x01\x00' + struct.pack('!H', len(exts)) + exts
    hs = b'\x02' + struct.pack('!I', len(body))[1:] + body
    return b'\x16\x03\x03' + struct.pack('!H', len(hs)) + hs

pkts = []
t = [1700000000.0]
def put(b):
    t[0] += 0.001
    pkts.append((t[0], b))

variants = [('sni-first.example.com', True, 1460, False),
            ('sni-after-keyshare.example.com', False, 1460, False),
            ('three-segments.example.com', False, 536, False),
            ('reordered.example.com', False, 1460, True)]
for i, (sni, first, mss, reorder) in enumerate(variants):
    c, s = [10, 0, 0, 1], [10, 0, 1, 1]
    cp, sp = 40000 + i, 443
    ci, si = 1000 * (i + 1), 900000 * (i + 1)
    put(eth(ipv4(c, s, tcp(c, s, cp, sp, ci, 0, 0x02))))
    put(eth(ipv4(s, c, tcp(s, c, sp, cp, si, ci+1, 0x12))))
    put(eth(ipv4(c, s, tcp(c, s, cp, sp, ci+1, si+1, 0x10))))
    ch = client_hello(sni, first)
    segs = []
    off = 0
    while off < len(ch):
        d = ch[off:off+mss]
        segs.append(eth(ipv4(c, s, tcp(c, s, cp, sp, ci+1+off, si+1, 0x18, d))))
        off += len(d)
    if reorder: segs[0], segs[1] = segs[1], segs[0]
    for sg in segs: put(sg)
    sh = server_hello()
    put(eth(ipv4(s, c, tcp(s, c, sp, cp, si+1, ci+1+len(ch), 0x18, sh))))

with open('split-ch.pcap', 'wb') as f:
    f.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
    for ts, b in pkts:
        f.write(struct.pack('<IIII', int(ts), int((ts % 1) * 1e6), len(b), len(b)) + b)
print('ClientHello length', len(client_hello('x', True)))
