#!/usr/bin/env python3
"""Microsoft Network Monitor captures (src/netmon.c), read as Wireshark
reads them.

Real files: Wireshark's own writer converts the Ethernet captures of
testdata/ and testdata/lab/ here, at test time (editcap -F netmon2 writes
format 2.0, editcap -F netmon1 format 1.1): rstdiag gives the converted
file the report it gives the original (the "file" and "inputs" fields
aside), from a path, from stdin and gzip-compressed, and tshark, reading
the converted file, puts each RST at rstdiag's frame number and time.

Versions 2.1 to 2.3, which editcap cannot write, are built here by hand
from the layout wiretap/netmon.c describes (file header, per-frame
trailers with a network type, 2.3's UTC FILETIME, the frame table), with
frames Wireshark numbers without a packet (an ETW event, a filter
string), frames it skips unnumbered (the adapters' list), raw IP and
frames rstdiag cannot decode among Ethernet ones: tshark must number,
time and decode them as rstdiag does. Then damaged files: exit 3, the
report of what was read, one line naming the file and where it stopped.

Everything runs with TZ set to a zone with daylight saving time (a POSIX
rule, so no time zone database is needed): a 2.0 file's start time is
local time, which editcap writes and tshark and rstdiag read in the same
zone. Skipped (exit 77) without editcap or tshark (.ci/setup --test
installs tshark, and with it editcap).
"""
import datetime
import gzip
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile

import checks
from checks import check, each_input, failures
from wrapper import rstdiag_command, slow_runs

SKIP = 77
OK, INPUT, DAMAGED = 0, 1, 3
TZ = "EST5EDT,M3.2.0,M11.1.0"
ENV = dict(os.environ, NO_COLOR="1", TZ=TZ)
# An ICMP error quotes the segment it answers; tshark dissects the quote
# as tcp.* (tests/tshark.py FILTER), rstdiag counts the packet as non-TCP.
TSHARK_FIELDS = ["frame.number", "frame.time_epoch", "frame.encap_type", "tcp.flags.reset",
                 "icmp.type", "icmpv6.type"]
# wiretap/netmon.c: the file header, padded to 128 bytes; 0xFFE0 (an ETW
# event) and 0xFFFF (a filter) are numbered, 0xFFFD (the adapters) is not.
HEADER_SIZE = 128
NET_ETHERNET, NET_TOKEN_RING, NET_NATIVE_80211 = 1, 2, 6
NET_PCAP_RAW = 0xE000 + 101
NET_NETEVENT, NET_NETWORK_INFO, NET_FILTER = 0xFFE0, 0xFFFD, 0xFFFF
FILETIME_UNIX = 11644473600 * 10**7     # 100 ns units from 1601 to 1970


def rstdiag(args, stdin=None, cwd=None):
    return subprocess.run(rstdiag_command(RSTDIAG) + args, input=stdin, cwd=cwd,
                          capture_output=True, timeout=300, env=ENV)


def report(p, path=None):
    """The reset records without "file", and the summary without
    "inputs"; times as the text rstdiag wrote; path, where a warning
    names it, as X."""
    resets, summary = [], None
    out = p.stdout.replace(path.encode(), b"X") if path else p.stdout
    for line in out.decode().splitlines():
        rec = json.loads(line, parse_float=str)
        if rec["type"] == "reset":
            rec.pop("file")
            resets.append(rec)
        elif rec["type"] == "summary":
            rec.pop("inputs")
            summary = rec
    return resets, summary


def tshark(path):
    """Every frame tshark reads: number, time, encapsulation, RST on the wire."""
    p = subprocess.run(["tshark", "-n", "-r", path, "-T", "fields"] +
                       [a for f in TSHARK_FIELDS for a in ("-e", f)],
                       capture_output=True, text=True, timeout=120, env=ENV)
    frames = []
    for line in p.stdout.splitlines():
        number, ts, encap, rst, icmp, icmp6 = (line.split("\t") + [""] * 6)[:6]
        frames.append({"frame": int(number), "ts": ts, "encap": int(encap),
                       "rst": "1" in rst.split(",") and not icmp and not icmp6})
    return frames, p.returncode


def agrees_with_tshark(name, path, p):
    """rstdiag's RSTs (--nano) are tshark's, at the same frames and times."""
    frames, _ = tshark(path)
    resets, _ = report(p)
    want = [(f["frame"], f["ts"]) for f in frames if f["rst"]]
    got = [(r["frame"], r["ts"]) for r in resets]
    return check(name, want and got == want, f"tshark {want[:5]}, rstdiag {got[:5]}")


def editcap(src, dst, fmt="netmon2"):
    subprocess.run(["editcap", "-F", fmt, src, dst], check=True, capture_output=True, env=ENV)


def ethernet_captures(testdata):
    """The microsecond pcap files of link type Ethernet: what editcap can
    write as Network Monitor without losing a digit of their times. The
    one cut mid-record is left out (editcap stops at the cut)."""
    caps = []
    for folder in ("", "lab"):
        d = os.path.join(testdata, folder)
        for name in sorted(os.listdir(d)):
            path = os.path.join(d, name)
            if not name.endswith(".pcap") or name == "cut-mid-record.pcap":
                continue
            with open(path, "rb") as f:
                head = f.read(24)
            if len(head) == 24 and struct.unpack("<I", head[:4])[0] == 0xA1B2C3D4 and \
                    struct.unpack("<I", head[20:])[0] == 1:
                caps.append(os.path.join(folder, name))
    return caps


def converted(testdata, tmp, cap):
    """The capture against its editcap conversion: the same report."""
    src = os.path.join(testdata, cap)
    dst = os.path.join(tmp, cap.replace("/", "_")[:-5] + ".cap")
    editcap(src, dst)
    for opts in (["--json"], ["--json", "--nano"]):
        want, got = rstdiag(opts + [src]), rstdiag(opts + [dst])
        check(f"{cap} as Network Monitor 2.0 {' '.join(opts)}",
              got.returncode == want.returncode and got.stderr.replace(dst.encode(), b"X") ==
              want.stderr.replace(src.encode(), b"X") and report(got, dst) == report(want, src),
              (got.returncode, want.returncode, got.stderr[-300:], want.stderr[-300:]),
              quiet=True)
    return dst


def pcap_frames(path):
    """(time in µs, Ethernet frame) of each record of a microsecond pcap."""
    data = open(path, "rb").read()
    frames, at = [], 24
    while at + 16 <= len(data):
        sec, usec, incl, _ = struct.unpack_from("<IIII", data, at)
        frames.append((sec * 10**6 + usec, data[at + 16:at + 16 + incl]))
        at += 16 + incl
    return frames


def systemtime(us, tz_offset_s):
    """A SYSTEMTIME of local time (the file header's start): us since the
    epoch in the zone tz_offset_s east of UTC, as year, month, day of
    week, day, hour, minute, second, millisecond."""
    t = datetime.datetime(1970, 1, 1) + datetime.timedelta(microseconds=us + tz_offset_s * 10**6)
    return (t.year, t.month, (t.weekday() + 1) % 7, t.day, t.hour, t.minute, t.second,
            t.microsecond // 1000)


def netmon_file(minor, frames, start, table=None, major=2):
    """A Network Monitor file built from wiretap/netmon.c's layout: a
    128-byte header (magic, minor and major version, network type 1,
    SYSTEMTIME start, frame table offset and length, zeros), each frame a
    record header (2.x: 64-bit microsecond delta, original and captured
    length; 1.x: 32-bit millisecond delta, 16-bit lengths), its bytes and
    the trailer of its version (2.1: network type; 2.2: + process index;
    2.3: + UTC FILETIME and time zone index), then the frame table. frames:
    (delta, bytes, network, FILETIME); table: entries other than the
    frames' offsets."""
    body, offsets = b"", []
    for delta, data, network, filetime in frames:
        offsets.append(HEADER_SIZE + len(body))
        if major == 1:
            body += struct.pack("<IHH", delta, len(data), len(data)) + data
        else:
            body += struct.pack("<QII", delta, len(data), len(data)) + data
        if major == 2 and minor >= 1:
            body += struct.pack("<H", network)
        if major == 2 and minor >= 2:
            body += struct.pack("<I", 0)
        if major == 2 and minor >= 3:
            body += struct.pack("<QB", filetime, 0)
    table = offsets if table is None else table
    header = b"GMBU" + struct.pack("<BBH8H10I", minor, major, NET_ETHERNET, *start,
                                   HEADER_SIZE + len(body), 4 * len(table), *([0] * 8))
    return header.ljust(HEADER_SIZE, b"\0") + body + b"".join(struct.pack("<I", o) for o in table)


def hand_built(testdata, tmp):
    """2.1, 2.2 and 2.3 files: tshark numbers, times and decodes them as
    rstdiag does."""
    src = pcap_frames(os.path.join(testdata, "eth.pcap"))
    first_us = src[0][0]
    # The header's start: local time (EST in November, UTC-5), 1.5 s after
    # the first packet, so the first deltas are negative: 2.x stores them
    # as a 64-bit two's complement count that wiretap multiplies into
    # nanoseconds modulo 2^64.
    start_us = first_us + 1_500_000 - (first_us + 1_500_000) % 1000
    start = systemtime(start_us, -5 * 3600)
    resets_want = None
    for minor in (1, 2, 3):
        frames = [(0, b"adapters", NET_NETWORK_INFO, 0)]
        for i, (us, data) in enumerate(src):
            network = NET_ETHERNET
            if i == 6:
                # Raw IP, as a converted pcap names it: 0xE000 + LINKTYPE_RAW.
                data, network = data[14:], NET_PCAP_RAW
            # 2.3: the UTC stamp, with a 100 ns digit the delta cannot carry.
            delta, filetime = (us - start_us) % 2**64, FILETIME_UNIX + us * 10
            frames.append((delta, data, network, filetime + 7))
            if i == 2:
                frames.append((delta, b"\x00" * 80, NET_NETEVENT, filetime))
            if i == 9:
                frames.append((delta, b"\xaa" * 60, NET_TOKEN_RING, filetime))
                frames.append((delta, b"\xbb" * 60, NET_NATIVE_80211, filetime))
        frames.append((delta, "tcp".encode("utf-16-le"), NET_FILTER, filetime))
        path = os.path.join(tmp, f"v2{minor}.cap")
        with open(path, "wb") as f:
            f.write(netmon_file(minor, frames, start))
        p = rstdiag(["--json", "--nano", path])
        check(f"2.{minor} by hand: read to its end", p.returncode == OK, p.stderr[-300:])
        agrees_with_tshark(f"2.{minor} by hand: tshark's RST frames and times", path, p)
        tframes, status = tshark(path)
        resets, summary = report(p)
        records = [f for f in tframes if f["encap"] in (187, 189)]   # NETMON_NET_NETEVENT, _FILTER
        check(f"2.{minor} by hand: tshark numbers the frames rstdiag does (records too)",
              status == 0 and len(records) == 2 and
              summary["packets"] + len(records) == len(tframes) == len(frames) - 1,
              (status, len(tframes), summary["packets"], len(records)))
        check(f"2.{minor} by hand: the token ring and native 802.11 frames counted unparsed",
              summary["skipped"]["unparsed"] == 2 and
              b"Network Monitor network type 0x0002 is link type IEEE802 (6)" in p.stderr,
              (summary["skipped"], p.stderr[-300:]))
        # The same resets, times and all, in every version but 2.3's
        # extra digit: only the numbers before them moved.
        key = [(r["frame"], r["cause"], r["src"], r["sport"]) for r in resets]
        if resets_want is None:
            resets_want = key
        check(f"2.{minor} by hand: the resets of 2.1", key == resets_want and len(key) == 7,
              (key, resets_want))
    return os.path.join(tmp, "v21.cap")


def damaged(name, p, reason, frame=None):
    """Exit 3, the report of what was read, one line naming the file and
    where it stopped (input_damaged's form)."""
    err = p.stderr.decode(errors="replace")
    out = p.stdout.decode(errors="replace")
    lines = err.splitlines()
    m = re.fullmatch(r"rstdiag: [^:]+\.cap: " + reason + r" \(after frame (\d+); the report "
                     r"covers the frames before it\)", lines[-1] if lines else "")
    check(name, p.returncode == DAMAGED and m and (frame is None or int(m.group(1)) == frame) and
          "warning capture_damaged" in out and
          all(l.startswith("rstdiag: warning: ") for l in lines[:-1]),
          (p.returncode, err[-400:], out[:200]))


def damage(eth_cap, tmp):
    good = open(eth_cap, "rb").read()
    table_off, table_len = struct.unpack_from("<II", good, 24)
    n = table_len // 4
    offsets = list(struct.unpack_from(f"<{n}I", good, table_off))

    def write(name, data):
        path = os.path.join(tmp, name)
        with open(path, "wb") as f:
            f.write(data)
        return path

    # Cut in the middle of frame 30's bytes.
    cut = offsets[29] + 30
    p = rstdiag([write("cut.cap", good[:cut])])
    damaged("cut mid-frame", p, rf"cut short inside the frame record at offset {offsets[29]} "
            r"\(\d+ bytes long\)", 29)
    check("cut mid-frame: the 29 frames before it counted", b"  29 packets, " in p.stdout,
          p.stdout[:200])
    p = rstdiag(["-"], stdin=good[:cut])
    check("cut mid-frame, from stdin", p.returncode == DAMAGED and p.stderr.startswith(
        b"rstdiag: -: cut short inside the frame record"), p.stderr)
    # Cut between frames, and inside the frame table.
    damaged("cut between frames", rstdiag([write("cut2.cap", good[:offsets[40]])]),
            rf"cut short at offset {offsets[40]}, after 40 of the {n} frames the file header "
            r"counts", 40)
    damaged("cut inside the frame table", rstdiag([write("cut3.cap", good[:-2])]),
            rf"cut short inside the frame table at offset {table_off} \({table_len} bytes long\)",
            n)
    # A captured length past Wireshark's bound (262144).
    big = bytearray(good)
    struct.pack_into("<I", big, offsets[9] + 12, 262145)
    damaged("frame length beyond the bound", rstdiag([write("big.cap", bytes(big))]),
            rf"frame record at offset {offsets[9]}: captured length 262145, above the 262144 "
            r"bytes Wireshark reads", 9)
    # The frame table's offset inside the header, before the frames.
    early = bytearray(good)
    struct.pack_into("<I", early, 24, 64)
    damaged("frame table offset before the frames", rstdiag([write("early.cap", bytes(early))]),
            r"the frame table's offset in the file header, 64, lies inside the 128-byte header, "
            r"before the frames", 0)
    odd = bytearray(good)
    struct.pack_into("<I", odd, 28, table_len - 1)
    damaged("frame table length not a multiple of 4", rstdiag([write("odd.cap", bytes(odd))]),
            r"the frame table's length in the file header, \d+ bytes, is not a multiple of its "
            r"4-byte entries", 0)
    # The table disagrees with the frames read in sequence: two entries
    # swapped (Wireshark would read those frames in the other order),
    # said at the end, every frame reported.
    swapped = bytearray(good)
    struct.pack_into("<II", swapped, table_off + 4 * 10, offsets[11], offsets[10])
    swapped_cap = write("swapped.cap", bytes(swapped))
    damaged("frame table out of order", rstdiag([swapped_cap]), rf"the frame table at offset {table_off} does not "
            rf"list the {n} frames at the offsets they lie at one after another from offset "
            r"128; Wireshark, which reads them in the table's order, would number them "
            r"otherwise", n)
    p = rstdiag(["--json", swapped_cap])
    check("frame table out of order: every reset reported",
          len(report(p)[0]) == len(report(rstdiag(["--json", eth_cap]))[0]), p.stdout[-200:])
    # The table counts more frames than lie before it, or a frame runs into it.
    more = bytearray(good)
    struct.pack_into("<I", more, 28, table_len + 8)
    damaged("frame table lists more frames than lie before it",
            rstdiag([write("more.cap", bytes(more) + bytes(8))]),
            rf"the frame table at offset {table_off} lists {n + 2} frames, but only {n} lie "
            r"before it", n)
    into = bytearray(good)
    struct.pack_into("<I", into, offsets[-1] + 12, table_off)
    damaged("a frame runs into the frame table", rstdiag([write("into.cap", bytes(into))]),
            rf"the frame record at offset {offsets[-1]} \(\d+ bytes\) runs into the frame table "
            rf"at offset {table_off}", n - 1)

    # Not damage but refusal (exit 1, one line): versions and network
    # types Wireshark does not read either.
    v3 = bytearray(good)
    v3[5] = 3
    p = rstdiag([write("v3.cap", bytes(v3))])
    check("format version 3.0: refused", p.returncode == INPUT and p.stderr.count(b"\n") == 1 and
          b"format version 3.0, which neither rstdiag nor Wireshark reads" in p.stderr, p.stderr)
    net5 = bytearray(good)
    struct.pack_into("<H", net5, 6, 5)
    p = rstdiag([write("net5.cap", bytes(net5))])
    check("network type 5: refused", p.returncode == INPUT and
          b"network type 5, which neither rstdiag nor Wireshark reads" in p.stderr, p.stderr)
    tr = bytearray(good)
    struct.pack_into("<H", tr, 6, NET_TOKEN_RING)
    p = rstdiag([write("tr.cap", bytes(tr))])
    check("a 2.0 file of token ring: refused as a pcap of it is", p.returncode == INPUT and
          b"tr.cap: unsupported link type IEEE802 (6)" in p.stderr, p.stderr)
    p = rstdiag([write("short.cap", good[:100])])
    check("cut inside the file header: not a capture", p.returncode == INPUT and
          b"cut short inside the Network Monitor file header (100 of its 128 bytes)" in p.stderr,
          p.stderr)


def main():
    global RSTDIAG
    RSTDIAG, testdata = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    missing = [t for t in ("editcap", "tshark") if not shutil.which(t)]
    if missing:
        print(f"{', '.join(missing)} not installed: skipped (bash .ci/setup --test)")
        return SKIP
    tmp = tempfile.mkdtemp(prefix="rstdiag-netmon-")
    try:
        tests(testdata, tmp)
    finally:
        shutil.rmtree(tmp)
    print(f"{checks.ran} checks, {len(failures)} failed")
    return 1 if failures else 0


def tests(testdata, tmp):
    caps = ethernet_captures(testdata)
    # tshark on a few of them: each RST where rstdiag puts it, at its time.
    sample = ["eth.pcap", "eth-vlan.pcap", "tunnel-vxlan.pcap", "lab/timewait-reuse-v4.pcap",
              "lab/orphan-limit-reset-v4.pcap", "lab/slirp-relay-v4.pcap"]
    if slow_runs():     # under the sanitizers or valgrind: those and testdata/'s own
        caps = [c for c in caps if not c.startswith("lab/") or c in sample]
    converted_files = each_input(lambda cap: converted(testdata, tmp, cap), caps)
    check(f"{len(caps)} captures converted by editcap: the same report", len(caps) >= 20)
    by_cap = dict(zip(caps, converted_files))

    def with_tshark(cap):
        agrees_with_tshark(f"{cap} as 2.0: tshark's RST frames and times", by_cap[cap],
                           rstdiag(["--json", "--nano", by_cap[cap]]))
        one = os.path.join(tmp, cap.replace("/", "_") + ".1x.cap")
        editcap(os.path.join(testdata, cap), one, "netmon1")
        agrees_with_tshark(f"{cap} as 1.1 (milliseconds): tshark's RST frames and times", one,
                           rstdiag(["--json", "--nano", one]))
    each_input(with_tshark, sample)

    # From stdin, and compressed: the report of the file itself.
    eth_cap = by_cap["eth.pcap"]
    want = report(rstdiag(["--json", eth_cap]))
    raw = open(eth_cap, "rb").read()
    check("from stdin", report(rstdiag(["--json", "-"], stdin=raw)) == want)
    packed = gzip.compress(raw)
    gz = os.path.join(tmp, "eth.cap.gz")
    with open(gz, "wb") as f:
        f.write(packed)
    check("gzip-compressed", report(rstdiag(["--json", gz])) == want)
    check("gzip-compressed from stdin", report(rstdiag(["--json", "-"], stdin=packed)) == want)
    # A filter, compiled for the file's link type, after numbering.
    p = rstdiag(["--json", eth_cap, "tcp port 8002"])
    check("a filter: the frames' numbers stay the file's",
          [r["frame"] for r in report(p)[0]] == [r["frame"] for r in want[0] if r["sport"] == 8002
                                                  or r["dport"] == 8002], p.stderr)
    # --interleave takes a Network Monitor file's first packet time.
    sll = os.path.join(testdata, "sll.pcap")
    p = rstdiag(["--json", "--interleave", eth_cap, sll])
    check("--interleave with a Network Monitor file", p.returncode == OK and
          len(report(p)[0]) == len(want[0]) + len(report(rstdiag(["--json", sll]))[0]), p.stderr)

    v21 = open(hand_built(testdata, tmp), "rb").read()
    p = rstdiag(["--json", "--nano", "-"], stdin=gzip.compress(v21))
    check("2.1 by hand, gzip-compressed from stdin",
          (p.stderr, report(p)) == (lambda q: (q.stderr, report(q)))(
              rstdiag(["--json", "--nano", "-"], stdin=v21)), p.stderr)
    damage(eth_cap, tmp)


if __name__ == "__main__":
    sys.exit(main())
