#!/usr/bin/env python3
"""Verdicts that must not move when the same packets are captured otherwise.

Every pcap of the lab is rewritten three ways a real capture differs from
the lab's, and each RST's verdict read again:

- span: every frame twice, the copy 7 us later, as a SPAN session that
  monitors both directions of a switch port delivers it (testdata/built's
  README). The first copy of each RST keeps the verdict of the original
  (cause, detail, confidence), at frame 2N-1. Not for a capture on every
  interface (Linux cooked), which holds a routed packet twice already.
- vlan: an 802.1Q tag (VLAN 42) in every Ethernet frame, as a trunk port
  captures it: the same verdicts at the same frames.
- snap: every frame cut to 96, 128 and 200 bytes, as `tcpdump -s N`
  captures (96 was tcpdump's default for years; each keeps the headers
  and the start of each payload). Less of the payload may cost a detail
  or confidence, never the truth: the RST keeps its cause, or names the
  original among its alternatives, or is the original's own runner-up
  (what the cut hid decided between the two), or says unknown. A RST
  whose headers (a tunnel's too) end past the cut is no TCP segment to
  tshark either, and is not looked for. Nor may a verdict
  grow surer on less, nor a cause the cut changed be high: the full
  capture's verdict is a rival it cannot rule out.

- late: the capture begins 1, 2, 3, 5 or 8 frames before each RST that
  is no follow-up, as one started in the middle of a connection does.
  Without the history the verdict may change, but a high one must be the
  full capture's cause: high means no plausible rival, and the full
  capture's verdict is one.

- oneway: only the frames the RST's sender's address sent, as a capture
  of one direction sees them (asymmetric routing past a tap, `tcpdump src
  host`, `-Q out`), for each RST that is no follow-up. With the peer
  unseen the verdict may change, but a high one must be the full
  capture's cause, as for a late start.

The labels are the lab's own verdicts, read by rstdiag itself: this test
checks that the verdicts do not depend on how the packets were captured,
not that they are right (lab_score.py does that).

With --corpus, the same on the pcaps of a folder and its folders of at
most 20 000 frames each (the public captures of ../shared/corpus, whose
RSTs no lab made), several at once.

usage: metamorphic.py RSTDIAG LAB_DIR
       metamorphic.py RSTDIAG --corpus DIR
"""
import glob
import json
import os
import struct
import subprocess
import sys
import tempfile

from checks import each_capture

CONFIDENCE = ["low", "medium", "high"]
SNAPLENS = (96, 128, 200)
LATE_STARTS = (1, 2, 3, 5, 8)


def read_pcap(path):
    """(header bytes, byte order, nanosecond, link type, [ [ts, frac, data, wirelen] ])."""
    with open(path, "rb") as f:
        d = f.read()
    magic = d[:4]
    if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1"):
        e = "<"
    elif magic in (b"\xa1\xb2\xc3\xd4", b"\xa1\xb2\x3c\x4d"):
        e = ">"
    else:
        return None
    nano = magic in (b"\x4d\x3c\xb2\xa1", b"\xa1\xb2\x3c\x4d")
    link = struct.unpack(e + "I", d[20:24])[0]
    pkts, off = [], 24
    while off + 16 <= len(d):
        ts, frac, incl, wire = struct.unpack(e + "IIII", d[off:off + 16])
        pkts.append([ts, frac, d[off + 16:off + 16 + incl], wire])
        off += 16 + incl
    return d[:24], e, nano, link, pkts


def write_pcap(path, header, e, pkts):
    with open(path, "wb") as f:
        f.write(header)
        for ts, frac, data, wire in pkts:
            f.write(struct.pack(e + "IIII", ts, frac, len(data), wire) + data)


def later(ts, frac, us, nano):
    frac += us * (1000 if nano else 1)
    one = 10**9 if nano else 10**6
    return (ts + 1, frac - one) if frac >= one else (ts, frac)


def verdicts(rstdiag, path):
    out = subprocess.run([rstdiag, "--json", path], capture_output=True, text=True,
                         check=False).stdout
    recs = {}
    for line in out.splitlines():
        r = json.loads(line)
        if r.get("type") == "reset":
            recs[r["frame"]] = r
    return recs


def key(r):
    return (r["cause"], r.get("detail"), r["confidence"])


CORPUS_MAX_FRAMES = 20000


def high_elsewhere(rstdiag, path, header, e, pkts, frame, o, what):
    """pkts written to path and read: 1 (and a FAIL line) when the RST at
    frame has no record, or a high one whose cause is not o's, else 0.
    Less of the capture may change a verdict, never to a sure other one."""
    write_pcap(path, header, e, pkts)
    g = verdicts(rstdiag, path).get(frame)
    if g is None or (g["confidence"] == "high" and g["cause"] != o["cause"]):
        print(f"FAIL {what}: {key(o)} -> {key(g) if g else 'no record'}")
        return 1
    return 0


def late_start(rstdiag, tmp, name, header, e, pkts, orig):
    """The late start's checks of one capture: (checked, failed)."""
    checked = failed = 0
    for frame, o in sorted(orig.items()):
        if o["cause"] == "reset-followup":
            continue
        for k in LATE_STARTS:
            start = frame - 1 - k
            if start <= 0:
                continue
            checked += 1
            failed += high_elsewhere(rstdiag, os.path.join(tmp, f"late-{name}"), header, e,
                                     pkts[start:], frame - start, o,
                                     f"late {name} frame {frame}, capture from {k} frames "
                                     f"before")
    return checked, failed


def ip_src(link, data):
    """The outer IP source address of a frame (Ethernet with its VLAN tags,
    raw IP, Linux cooked v1 and v2, BSD loopback), or None."""
    if link == 1:
        et, at = (struct.unpack_from(">H", data, 12)[0], 14) if len(data) >= 14 else (0, 0)
        while et in (0x8100, 0x88A8) and len(data) >= at + 4:
            et, at = struct.unpack_from(">H", data, at + 2)[0], at + 4
    elif link == 113:
        et, at = (struct.unpack_from(">H", data, 14)[0], 16) if len(data) >= 16 else (0, 0)
    elif link == 276:
        et, at = (struct.unpack_from(">H", data, 0)[0], 20) if len(data) >= 20 else (0, 0)
    elif link in (101, 228, 229, 0, 108):
        at = 4 if link in (0, 108) else 0
        v = data[at] >> 4 if len(data) > at else 0
        et = {4: 0x0800, 6: 0x86DD}.get(v, 0)
    else:
        return None
    if et == 0x0800 and len(data) >= at + 20:
        return data[at + 12:at + 16]
    if et == 0x86DD and len(data) >= at + 40:
        return data[at + 8:at + 24]
    return None


def one_way(rstdiag, tmp, name, header, e, link, pkts, orig):
    """The one-way checks of one capture: (checked, failed)."""
    checked = failed = 0
    srcs = [ip_src(link, d) for _, _, d, _ in pkts]
    for frame, o in sorted(orig.items()):
        src = srcs[frame - 1]
        if o["cause"] == "reset-followup" or src is None:
            continue
        kept = [i for i, s in enumerate(srcs) if s == src]
        if len(kept) == len(pkts):
            continue    # nothing of the peer's to leave out
        checked += 1
        failed += high_elsewhere(rstdiag, os.path.join(tmp, f"oneway-{name}"), header, e,
                                 [pkts[i] for i in kept], kept.index(frame - 1) + 1, o,
                                 f"oneway {name} frame {frame}")
    return checked, failed


def check_capture(rstdiag, tmp, src, max_frames=None):
    """Every transform of one pcap: (checked, failed); (0, 0) for a file
    that is no pcap, or has more than max_frames frames."""
    parsed = read_pcap(src)
    if not parsed or (max_frames and len(parsed[4]) > max_frames):
        return 0, 0
    checked = failed = 0
    header, e, nano, link, pkts = parsed
    name = os.path.basename(src)
    orig = verdicts(rstdiag, src)
    variants = {}
    span = []
    for ts, frac, data, wire in pkts:
        span.append([ts, frac, data, wire])
        span.append([*later(ts, frac, 7, nano), data, wire])
    # A capture on every interface (Linux cooked) holds a routed
    # packet twice already, and no SPAN port delivers such a one.
    if link not in (113, 276):      # DLT_LINUX_SLL, DLT_LINUX_SLL2
        variants["span"] = (span, lambda n: 2 * n - 1)
    if link == 1:       # DLT_EN10MB
        variants["vlan"] = ([[ts, frac, d[:12] + b"\x81\x00\x00\x2a" + d[12:], w + 4]
                             for ts, frac, d, w in pkts], lambda n: n)
    for snap in SNAPLENS:
        variants[f"snap{snap}"] = ([[ts, frac, d[:snap], w] for ts, frac, d, w in pkts],
                                   lambda n: n)
    for kind, (out_pkts, frame_of) in variants.items():
        path = os.path.join(tmp, f"{kind}-{name}")
        write_pcap(path, header, e, out_pkts)
        got = verdicts(rstdiag, path)
        for frame, o in sorted(orig.items()):
            checked += 1
            g = got.get(frame_of(frame))
            if kind.startswith("snap") and g is None and \
                    len(pkts[frame - 1][2]) - o["payload_len"] > int(kind[4:]):
                continue    # its headers (a tunnel's too) end past the cut
            if not kind.startswith("snap"):
                ok = g is not None and key(g) == key(o)
            else:
                alts = [a["cause"] for a in g.get("alternatives", [])] if g else []
                o_alts = [a["cause"] for a in o.get("alternatives", [])]
                ok = g is not None and (
                    g["cause"] in (o["cause"], "unknown") or
                    o["cause"] in alts or g["cause"] in o_alts) and (
                    CONFIDENCE.index(g["confidence"]) <=
                    CONFIDENCE.index(o["confidence"]) if g["cause"] == o["cause"]
                    else g["confidence"] != "high")
            if not ok:
                failed += 1
                print(f"FAIL {kind} {name} frame {frame}: {key(o)} -> "
                      f"{key(g) if g else 'no record'}")
    c, f = late_start(rstdiag, tmp, name, header, e, pkts, orig)
    c2, f2 = one_way(rstdiag, tmp, name, header, e, link, pkts, orig)
    return checked + c + c2, failed + f + f2


def main():
    if sys.argv[2] == "--corpus":
        return corpus(sys.argv[1], sys.argv[3])
    rstdiag, lab = sys.argv[1], sys.argv[2]
    failed = checked = 0
    with tempfile.TemporaryDirectory() as tmp:
        for src in sorted(glob.glob(os.path.join(lab, "*.pcap"))):
            c, f = check_capture(rstdiag, tmp, src)
            checked += c
            failed += f
    print(f"metamorphic: {checked} verdicts checked, {failed} moved")
    return 1 if failed or not checked else 0


def corpus(rstdiag, folder):
    """Every transform of every pcap under folder of at most
    CORPUS_MAX_FRAMES frames, on every core; skipped (77) if none."""
    caps = sorted(glob.glob(os.path.join(folder, "**", "*.pcap"), recursive=True))
    if not caps:
        print(f"metamorphic: no pcaps under {folder} (../shared/corpus absent?): skipped")
        return 77
    failed = checked = 0
    with tempfile.TemporaryDirectory() as tmp:
        for c, f in each_capture(lambda src, folder: check_capture(rstdiag, folder, src,
                                                                   CORPUS_MAX_FRAMES), caps, tmp):
            checked += c
            failed += f
    print(f"metamorphic: {len(caps)} pcaps, {checked} verdicts checked, {failed} moved")
    return 1 if failed or not checked else 0


if __name__ == "__main__":
    sys.exit(main())
