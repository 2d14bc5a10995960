#!/usr/bin/env python3
"""Scores rstdiag against the lab's labels (testdata/lab/labels.json).

Three fields of each labelled RST are scored: the cause (rstdiag's --json
cause must equal the label's or one of its alternatives), the sender
(client or server) and the origin (endpoint or middlebox). Prints
per-cause counts, each field's accuracy and every miss.

The origin of a RST whose sender's address sent no other TCP segment in
the capture (a closed port's lone refusal, a capture that begins at the
RST) is not on the wire: no TTL, IP ID or option of that host shows, and
an endpoint's kernel and a firewall's reject build the same packet (Linux
tcp_v4_send_reset and nf_reject_ipv4's nf_send_reset: ID 0, DF, the
route's TTL, seq from the ack). The scorer reads that from the capture
itself, not from rstdiag. For such a RST the right answer is "unknown"; any
other is a guess and fails the run. Fails if:
  - rstdiag does not report exactly the labelled RST frames of a capture
    (every RST is labelled, and every RST must get a record), or
  - a field's accuracy falls below its floor in testdata/lab/accuracy-floor.
    A floor starts at what the tool achieved when it was set and is only
    ever raised, or
  - a RST whose cause is right gets the wrong detail (race / ignored-fin,
    probe): details are few and exact, so none may be wrong, or
  - rstdiag names an origin the wire cannot show (above).
"""
import collections
import gzip
import json
import os
import struct
import subprocess
import sys

FIELDS = ("cause", "sender", "origin")


def tcp_sources(path):
    """The IP source address (bytes) and whether it is a RST, for each
    frame in order; (None, False) for a frame that is not TCP over IP
    without extension headers. pcap and pcapng; Ethernet (with VLAN tags),
    Linux cooked v1 and v2, and raw IP."""
    data = open(path, "rb").read()
    if data[:2] == b"\x1f\x8b":     # gzip, as tshark reads it (holdout5)
        data = gzip.decompress(data)
    frames = []   # (linktype, bytes)
    magic = data[:4]
    if magic == b"\x0a\x0d\x0d\x0a":
        off, links, end = 0, [], "<"
        while off + 12 <= len(data):
            btype, blen = struct.unpack_from(end + "II", data, off)
            if btype == 0x0A0D0D0A:
                end = "<" if data[off + 8:off + 12] == b"\x4d\x3c\x2b\x1a" else ">"
                btype, blen = struct.unpack_from(end + "II", data, off)
                links = []
            elif btype == 1:
                links.append(struct.unpack_from(end + "H", data, off + 8)[0])
            elif btype == 6:
                iface, _, _, caplen = struct.unpack_from(end + "IIII", data, off + 8)
                frames.append((links[iface], data[off + 28:off + 28 + caplen]))
            elif btype == 3:
                frames.append((links[0], data[off + 12:off + blen - 4]))
            if blen < 12:
                break
            off += blen
    else:
        end = "<" if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1") else ">"
        link = struct.unpack_from(end + "I", data, 20)[0] & 0x0FFFFFFF
        off = 24
        while off + 16 <= len(data):
            caplen = struct.unpack_from(end + "I", data, off + 8)[0]
            frames.append((link, data[off + 16:off + 16 + caplen]))
            off += 16 + caplen
    out = []
    for link, b in frames:
        if link == 1:
            et, at = struct.unpack_from(">H", b, 12)[0] if len(b) >= 14 else 0, 14
            while et in (0x8100, 0x88A8) and len(b) >= at + 4:
                et, at = struct.unpack_from(">H", b, at + 2)[0], at + 4
        elif link == 113:
            et, at = struct.unpack_from(">H", b, 14)[0] if len(b) >= 16 else 0, 16
        elif link == 276:
            et, at = struct.unpack_from(">H", b, 0)[0] if len(b) >= 20 else 0, 20
        elif link in (101, 228, 229):
            et, at = {4: 0x0800, 6: 0x86DD}.get(b[0] >> 4 if b else 0, 0), 0
        else:
            et, at = 0, 0
        et, at = inner_ip(b, et, at)
        if et == 0x0800 and len(b) >= at + 20 and b[at + 9] == 6:
            src, tcp = b[at + 12:at + 16], at + (b[at] & 15) * 4
        elif et == 0x86DD and len(b) >= at + 40 and b[at + 6] == 6:
            src, tcp = b[at + 8:at + 24], at + 40
        else:
            src, tcp = None, 0
        rst = src is not None and len(b) >= tcp + 14 and bool(b[tcp + 13] & 4)
        out.append((src if len(b) >= tcp + 14 else None, rst))
    return out


def inner_ip(b, et, at):
    """The (Ethertype, offset) of the packet a GRE (RFC 2784, 2890),
    VXLAN (RFC 7348, UDP 4789) or IP-in-IP tunnel carries, so the hold-out set's
    tunnelled captures are read by their inner addresses; else as given."""
    for _ in range(4):
        if et == 0x0800 and len(b) >= at + 20:
            proto, nxt = b[at + 9], at + (b[at] & 15) * 4
        elif et == 0x86DD and len(b) >= at + 40:
            proto, nxt = b[at + 6], at + 40
        else:
            return et, at
        if proto in (4, 41):     # IPv4 or IPv6 in IP (RFC 2003, RFC 4213's 6in4)
            et, at = 0x0800 if proto == 4 else 0x86DD, nxt
        elif proto == 47 and len(b) >= nxt + 4:
            flags, inner = struct.unpack_from(">HH", b, nxt)
            nxt += 4 + 4 * (bool(flags & 0x8000) + bool(flags & 0x2000) + bool(flags & 0x1000))
            if inner == 0x6558 and len(b) >= nxt + 14:      # Ethernet in GRE
                inner, nxt = struct.unpack_from(">H", b, nxt + 12)[0], nxt + 14
            et, at = inner, nxt
        elif proto == 17 and len(b) >= nxt + 30 and struct.unpack_from(">H", b, nxt + 2)[0] == 4789:
            et, at = struct.unpack_from(">H", b, nxt + 28)[0], nxt + 30
        else:
            return et, at
    return et, at


def origin_on_wire(sources, frame):
    """Whether the capture holds a TCP segment other than a RST from the
    address of the RST at `frame` (1-based), before or after it: the
    judge reads the sender's own packets up to its settle time later."""
    src = sources[frame - 1][0]
    return src is not None and any(s == src and not rst for s, rst in sources)

def main():
    rstdiag, labdir = sys.argv[1], sys.argv[2]
    labels = json.load(open(os.path.join(labdir, "labels.json")))["captures"]
    with open(os.path.join(labdir, "accuracy-floor")) as f:
        floors = {field: float(v) for field, v in
                  (l.split()[:2] for l in f if l.strip() and not l.startswith("#"))}
    per_cause = collections.defaultdict(lambda: [0, 0])
    misses, broken, guesses = [], [], []
    total = detail_total = detail_ok = 0
    correct = dict.fromkeys(FIELDS, 0)
    unknown = {"sender": 0, "origin": 0}   # rstdiag could not tell
    not_on_wire = 0                          # origins the capture cannot show
    for cap in labels:
        path = os.path.join(labdir, cap["file"])
        p = subprocess.run([rstdiag, "--json", path], capture_output=True, text=True, timeout=120)
        recs = {r["frame"]: r for r in map(json.loads, p.stdout.splitlines()) if r["type"] == "reset"}
        want = [r["frame"] for r in cap["resets"]]
        if p.returncode != 0 or sorted(recs) != want:
            broken.append(f"{cap['file']}: exit {p.returncode}, rstdiag frames {sorted(recs)}, "
                          f"labelled {want}")
            continue
        sources = tcp_sources(path)
        for lab in cap["resets"]:
            rec = recs[lab["frame"]]
            total += 1
            for field in ("sender", "origin"):
                unknown[field] += rec[field] == "unknown"
                if field == "origin" and not origin_on_wire(sources, lab["frame"]):
                    not_on_wire += 1
                    correct[field] += rec[field] == "unknown"
                    if rec[field] != "unknown":
                        guesses.append(f"{cap['file']} #{lab['frame']}: origin {rec[field]}, "
                                       "but nothing of its sender precedes it")
                    continue
                correct[field] += rec[field] == lab[field]
                if rec[field] != lab[field]:
                    misses.append(f"{cap['file']} #{lab['frame']}: {field} labelled "
                                  f"{lab[field]}, rstdiag says {rec[field]}")
            got = rec["cause"]
            ok = got == lab["cause"] or got in lab["alternatives"]
            correct["cause"] += ok
            per_cause[lab["cause"]][0] += 1
            per_cause[lab["cause"]][1] += ok
            if ok and lab["detail"] and got == lab["cause"]:
                detail_total += 1
                got_detail = recs[lab["frame"]].get("detail")
                detail_ok += got_detail == lab["detail"]
                if got_detail != lab["detail"]:
                    misses.append(f"{cap['file']} #{lab['frame']}: detail {got_detail}, "
                                  f"labelled {lab['detail']}")
            if not ok:
                misses.append(f"{cap['file']} #{lab['frame']}: labelled {lab['cause']}"
                              f"{'/' + lab['detail'] if lab['detail'] else ''}, rstdiag says {got}")
    print(f"{'cause':22} labelled correct")
    for cause in sorted(per_cause):
        n, ok = per_cause[cause]
        print(f"{cause:22} {n:8} {ok:7}")
    for m in misses:
        print("miss:", m)
    for b in broken:
        print("BROKEN:", b)
    for g in guesses:
        print("GUESS:", g)
    below = []
    for field in FIELDS:
        acc = correct[field] / total if total else 0.0
        floor = floors.get(field)
        said = f", rstdiag said unknown {unknown[field]}" if field in unknown else ""
        if field == "origin":
            said += f", of which {not_on_wire} not on the wire, where unknown is right"
        print(f"lab {field} accuracy: {correct[field]}/{total} = {acc:.3f} (floor "
              f"{'none' if floor is None else f'{floor:.3f}'}{said}) over {len(labels)} captures")
        if floor is None or acc + 1e-9 < floor:
            below.append(field)
        elif acc > floor + 0.005:
            print(f"note: {field} accuracy is above its floor; raise it in "
                  f"testdata/lab/accuracy-floor to {acc:.3f}")
    print(f"details {detail_ok}/{detail_total}")
    if below:
        print(f"FAIL below the floor or without one: {below}")
    if broken or guesses or total == 0 or below or detail_ok < detail_total:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
