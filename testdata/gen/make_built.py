#!/usr/bin/python3
"""Hand-built captures of what the Linux lab cannot produce (stdlib only).

    make_built.py            writes testdata/built/*.pcap and labels.json

Each is derived from a real lab capture (testdata/lab/) by one documented
transformation, and labelled from the lab's own labels and that
transformation, never from rstdiag's output. labels.json has the lab's
schema (tests/lab_score.py scores both), plus for each capture "source":
the documented behaviour it imitates.

  span-*     every frame captured twice, the copy 12 us after the first,
             as a switch's SPAN session monitoring both directions of a
             port delivers each packet once on ingress and once on egress
             (Cisco, "Configuring SPAN and RSPAN": "the same packet may be
             sent twice to the destination port"). The copies carry the
             same IP ID, TTL and numbers. Labels: the original RSTs keep
             their labels (frame 2n-1 for frame n); each copy of a RST is a
             reset-followup, detail duplicate. Where the RST has IP ID 0
             (Linux's RST without a socket) the ID cannot tell its copy from
             a second RST answering another segment in flight, but the
             capture can: it held the peer's segment before the RST twice
             and the RST once, and a capture that doubles packets doubles
             each.
  oneway-*   only the frames the capture point's own host sent (the
             lab's client), as a capture sees a connection whose other
             direction takes another path (asymmetric routing past a tap
             or a SPAN of one direction), or tcpdump -Q out. Labels: the
             kept side's RSTs keep theirs, renumbered; the other side's
             are not in the capture.
  rst-data-* the lab's nat-idle-expiry-v4, whose router resets the idle
             flow it forgot, with the reason that router would write in
             its RST's data by draft-boucadair-tcpm-rst-diagnostic-payload:
             reason code 14 "Connection Timeout" (the draft's example of a
             NAT whose mapping expired) in the compact form (magic 0x33AA,
             code, enterprise 0) and in the CBOR form ([12345, {1: 14}]),
             and the free-description form (magic 0xF317) and a load
             balancer's bare text (F5 BIG-IP's reset cause, which its
             tm.rstcause.pkt setting writes), which name the reason in
             words. The label is the lab's.
  freebsd-*  the lab's client-linger0-after-response-v4 with its client's
             SYN options in FreeBSD's order, as that client would send
             them (tcp_output.c, tcp_addoptions: "the optimal order for a
             SYN/SYN-ACK segment is: MSS (4) + NOP (1) + Window scale (3) +
             SACK permitted (2) + Timestamps (10)"), the same 20 bytes of
             options and values, TTL 64 as FreeBSD's. The client reads the
             response and closes with a zero linger: FreeBSD's
             tcp_disconnect drops the connection with a RST (tcp_drop) as
             Linux does, and would have sent a FIN had the response been
             left unread (it drains the receive buffer). Label: the lab's,
             linger-abort, with no runner-up.
"""
import json
import os
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "fuzz"))
import pcapio  # noqa: E402  (the project's pcap reader and writer)
LAB = os.path.join(HERE, "..", "lab")
OUT = os.path.join(HERE, "..", "built")

SPAN_SOURCES = ["ignored-fin-v4", "pipelined-unread-v4", "linger0-server-v4",
                "injected-rst-keyword-v4", "retransmit-abort-v4", "closed-port-v4"]
SPAN_COPY_NS = 12_000
SPAN_SOURCE = ("Cisco, Configuring SPAN and RSPAN (Catalyst): a session monitoring both "
               "directions of a port sends each packet twice")
ONEWAY_SOURCES = ["response-timeout-linger-v4"]
ONEWAY_SOURCE = ("asymmetric routing: the other direction takes another path past the capture "
                 "point (RFC 4953 ch. 2's asymmetric paths; tcpdump -Q out captures the same)")


def span(name, lab_labels):
    recs = pcapio.read(os.path.join(LAB, name + ".pcap"))
    out = []
    for i, r in enumerate(recs):
        # Each copy right behind its original, never after the next one
        # (the lab's frames may share a microsecond; so may copies).
        nxt = recs[i + 1].ts_ns if i + 1 < len(recs) else r.ts_ns + SPAN_COPY_NS
        copy_ts = min(r.ts_ns + SPAN_COPY_NS, max(nxt, r.ts_ns))
        out += [r, pcapio.Record(r.linktype, copy_ts, r.data, r.orig_len)]
    fname = f"span-{name}.pcap"
    with open(os.path.join(OUT, fname), "wb") as f:
        f.write(pcapio.pcap(out, nano=True))
    src = lab_labels[name + ".pcap"]
    resets = []
    for r in src["resets"]:
        first = dict(r, frame=2 * r["frame"] - 1)
        copy = dict(sender=r["sender"], kernel=None, cause="reset-followup",
                    detail="duplicate", alternatives=[], origin=r["origin"],
                    note=f"the SPAN copy of frame {2 * r['frame'] - 1}")
        resets += [first, dict(copy, frame=2 * r["frame"])]
    return dict(file=fname, scenario="span-" + name, capture_point=src["capture_point"],
                description=f"{name} (the lab's) with every frame captured twice, the copy "
                            f"{SPAN_COPY_NS // 1000} us later", source=SPAN_SOURCE,
                resets=resets, kernel_resets_not_captured=[])


def ipv4_src(lt, frame):
    """The IPv4 source of an Ethernet (1) or raw-IP (101) frame; None otherwise."""
    off = {1: 14, 101: 0}.get(lt)
    if off is None or len(frame) < off + 20 or frame[off] >> 4 != 4:
        return None
    return frame[off + 12:off + 16]


def oneway(name, lab_labels):
    recs = pcapio.read(os.path.join(LAB, name + ".pcap"))
    # The capture point's host: the sender of the first SYN (the lab's client).
    first_syn = next(r for r in recs if ipv4_src(r.linktype, r.data) is not None)
    host = ipv4_src(first_syn.linktype, first_syn.data)
    kept = [(i + 1, r) for i, r in enumerate(recs) if ipv4_src(r.linktype, r.data) == host]
    fname = f"oneway-{name}.pcap"
    with open(os.path.join(OUT, fname), "wb") as f:
        f.write(pcapio.pcap([r for _, r in kept], nano=True))
    new_frame = {old: n + 1 for n, (old, _) in enumerate(kept)}
    src = lab_labels[name + ".pcap"]
    resets = [dict(r, frame=new_frame[r["frame"]]) for r in src["resets"]
              if r["frame"] in new_frame]
    return dict(file=fname, scenario="oneway-" + name, capture_point=src["capture_point"],
                description=f"{name} (the lab's) with only the frames its client sent",
                source=ONEWAY_SOURCE, resets=resets, kernel_resets_not_captured=[])


RST_DATA_SOURCE = "nat-idle-expiry-v4"
RST_DATA = {
    "compact": (bytes.fromhex("33aa000e00000000"),
                "draft-boucadair-tcpm-rst-diagnostic-payload, its early compact form (magic "
                "0x33AA, a 16-bit reason code, a 32-bit enterprise number): code 14 (Connection "
                "Timeout), enterprise 0"),
    "cbor": (bytes.fromhex("821930 39a1010e".replace(" ", "")),
             "draft-boucadair-tcpm-rst-diagnostic-payload (CBOR form): [12345, {1: 14}], its "
             "example of a NAT whose mapping expired"),
    "text": (b"\xf3\x17NAT mapping expired",
             "draft-boucadair-tcpm-rst-diagnostic-payload, its early free-description form: "
             "magic 0xF317, then UTF-8 text"),
    "appliance": (b"Flow expired (sweeper)",
                  "F5 BIG-IP's reset cause text, which its tm.rstcause.pkt setting writes into "
                  "the RST's data"),
}


def ipv4_checksum(hdr):
    s = sum(struct.unpack("!%dH" % (len(hdr) // 2), hdr))
    s = (s & 0xFFFF) + (s >> 16)
    s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def tcp_checksum_fixed(frame, off):
    """The Ethernet/IPv4/TCP frame with its TCP checksum recomputed over
    RFC 9293 3.1's pseudo-header."""
    ihl = (frame[off] & 0x0F) * 4
    total = struct.unpack("!H", frame[off + 2:off + 4])[0]
    out = bytearray(frame)
    seg = bytearray(out[off + ihl:off + total])
    struct.pack_into("!H", seg, 16, 0)
    pseudo = bytes(out[off + 12:off + 20]) + struct.pack("!BBH", 0, 6, len(seg))
    body = pseudo + bytes(seg) + (b"\0" if len(seg) % 2 else b"")
    struct.pack_into("!H", out, off + ihl + 16, ipv4_checksum(body))
    return bytes(out)


def with_rst_data(frame, data):
    """An Ethernet/IPv4/TCP RST with data appended, its IP length and both
    checksums fixed (the TCP one over RFC 9293 3.1's pseudo-header)."""
    off = 14
    ihl = (frame[off] & 0x0F) * 4
    total = struct.unpack("!H", frame[off + 2:off + 4])[0]
    tcp_end = off + total
    out = bytearray(frame[:tcp_end]) + data
    struct.pack_into("!H", out, off + 2, total + len(data))
    struct.pack_into("!H", out, off + 10, 0)
    struct.pack_into("!H", out, off + 10, ipv4_checksum(bytes(out[off:off + ihl])))
    return tcp_checksum_fixed(bytes(out), off)


def rst_data(kind, lab_labels):
    data, source = RST_DATA[kind]
    recs = pcapio.read(os.path.join(LAB, RST_DATA_SOURCE + ".pcap"))
    src = lab_labels[RST_DATA_SOURCE + ".pcap"]
    (label,) = src["resets"]
    r = recs[label["frame"] - 1]
    recs[label["frame"] - 1] = pcapio.Record(r.linktype, r.ts_ns, with_rst_data(r.data, data),
                                             r.orig_len + len(data))
    fname = f"rst-data-{kind}.pcap"
    with open(os.path.join(OUT, fname), "wb") as f:
        f.write(pcapio.pcap(recs, nano=True))
    return dict(file=fname, scenario="rst-data-" + kind, capture_point=src["capture_point"],
                description=f"{RST_DATA_SOURCE} (the lab's) with its router's RST carrying the "
                            f"reason in its data ({kind})", source=source,
                resets=[dict(label, note=label["note"] + "; the reason in its data")],
                kernel_resets_not_captured=[])


FREEBSD_SOURCE = ("FreeBSD sys/netinet/tcp_output.c, tcp_addoptions (the SYN's option order) "
                  "and tcp_usrreq.c, tcp_disconnect (a close drains unread data and sends a "
                  "FIN; only a zero linger drops the connection with a RST)")
FREEBSD_SOURCES = ["client-linger0-after-response-v4"]


def freebsd_syn_options(opts):
    """Linux's SYN options (MSS, SACK permitted, timestamps, NOP, window
    scale: 20 bytes) in FreeBSD's order, the same values."""
    found, i = {}, 0
    while i < len(opts):
        kind = opts[i]
        if kind == 1:
            i += 1
            continue
        if kind == 0:
            break
        n = opts[i + 1]
        found[kind] = opts[i:i + n]
        i += n
    out = found[2] + b"\x01" + found[3] + found[4] + found[8]
    if len(out) != len(opts):
        raise RuntimeError("the SYN's options are not Linux's 20 bytes")
    return out


def freebsd(name, lab_labels):
    recs = pcapio.read(os.path.join(LAB, name + ".pcap"))
    src = lab_labels[name + ".pcap"]
    out, done = [], False
    for r in recs:
        d = r.data
        off = 14
        if (not done and r.linktype == 1 and len(d) > off + 40 and d[off] >> 4 == 4 and
                d[off + 9] == 6):
            ihl = (d[off] & 0x0F) * 4
            t = off + ihl
            doff = (d[t + 12] >> 4) * 4
            if d[t + 13] & 0x12 == 0x02:       # the client's SYN (no ACK)
                b = bytearray(d)
                b[t + 20:t + doff] = freebsd_syn_options(bytes(d[t + 20:t + doff]))
                b[off + 8] = 64
                struct.pack_into("!H", b, off + 10, 0)
                struct.pack_into("!H", b, off + 10, ipv4_checksum(bytes(b[off:off + ihl])))
                d = tcp_checksum_fixed(bytes(b), off)
                done = True
        out.append(pcapio.Record(r.linktype, r.ts_ns, d, r.orig_len))
    if not done:
        raise RuntimeError(f"{name}: no SYN to rewrite")
    fname = f"freebsd-{name}.pcap"
    with open(os.path.join(OUT, fname), "wb") as f:
        f.write(pcapio.pcap(out, nano=True))
    resets = [dict(r, alternatives=[]) for r in src["resets"]]
    return dict(file=fname, scenario="freebsd-" + name, capture_point=src["capture_point"],
                description=f"{name} (the lab's) with its client's SYN options in FreeBSD's "
                            f"order", source=FREEBSD_SOURCE, resets=resets,
                kernel_resets_not_captured=[])


def main():
    os.makedirs(OUT, exist_ok=True)
    lab_labels = {c["file"]: c for c in json.load(open(os.path.join(LAB, "labels.json")))["captures"]}
    caps = [span(n, lab_labels) for n in SPAN_SOURCES]
    caps += [oneway(n, lab_labels) for n in ONEWAY_SOURCES]
    caps += [rst_data(k, lab_labels) for k in RST_DATA]
    caps += [freebsd(n, lab_labels) for n in FREEBSD_SOURCES]
    with open(os.path.join(OUT, "labels.json"), "w") as f:
        json.dump({"generated_by": "testdata/gen/make_built.py", "captures": caps}, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
