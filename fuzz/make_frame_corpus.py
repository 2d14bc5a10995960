#!/usr/bin/env python3
"""Builds fuzz/corpus/frame/ (fuzz_frame's seeds) from the captures in testdata/
(and its lab/, malformed/ and built/rst-data-*: RSTs that carry their reason).

Each seed is one captured frame in fuzz_frame's layout: a byte naming the
link type by its position in src/decode_link.c's link_types table (read
from that file, so a new entry cannot put the two out of step), two
big-endian bytes saying how many bytes snaplen cut off, then the frame.
Per capture it keeps frames of distinct lengths (different options,
headers and payloads), and also a few copies cut inside their headers, as
snaplen would cut them. Output is the same on every run.

usage: fuzz/make_frame_corpus.py   (from anywhere; rewrites the directory)
"""
import glob
import os
import re
import shutil
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import pcapio  # noqa: E402

# File link types (LINKTYPE_*) -> the DLT_* name libpcap hands rstdiag.
LINKTYPE_DLT = {0: "NULL", 1: "EN10MB", 9: "PPP", 10: "FDDI", 12: "RAW", 50: "PPP_SERIAL",
                51: "PPP_ETHER", 101: "RAW", 104: "C_HDLC", 105: "IEEE802_11", 108: "LOOP",
                113: "LINUX_SLL", 117: "PFLOG", 127: "IEEE802_11_RADIO", 149: "USER2",
                192: "PPI", 226: "IPNET", 228: "IPV4", 229: "IPV6", 239: "NFLOG",
                258: "PKTAP", 276: "LINUX_SLL2"}
PER_CAPTURE = 12    # frames of distinct lengths kept from each capture
CUT_EVERY = 4       # of those, every 4th also gets a header-cut copy
CUT_AT = (14, 34, 54)   # inside Ethernet, IP and TCP headers, give or take the link


def link_order():
    src = open(os.path.join(ROOT, "src", "decode_link.c")).read()
    table = src[src.index("link_types[] = {"):]
    table = table[:table.index("};")]
    return re.findall(r"\{\s*DLT_(\w+),", table)


def seed(index, cut, frame):
    return struct.pack(">BH", index, min(cut, 0xFFFF)) + frame


def main():
    order = link_order()
    out = os.path.join(HERE, "corpus", "frame")
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    captures = sorted(glob.glob(os.path.join(ROOT, "testdata", "*.pcap*")) +
                      glob.glob(os.path.join(ROOT, "testdata", "lab", "*.pcap*")) +
                      glob.glob(os.path.join(ROOT, "testdata", "built", "rst-data-*.pcap")) +
                      glob.glob(os.path.join(ROOT, "testdata", "malformed", "*.pcap*")))
    n = 0
    for path in captures:
        if path.endswith(".rst-frames"):
            continue
        base = os.path.basename(path).split(".")[0]
        lengths, kept = set(), 0
        try:
            records = pcapio.read(path)
        except (struct.error, IndexError):
            continue    # too damaged to hold a frame (testdata/malformed)
        for num, r in enumerate(records, 1):
            name = LINKTYPE_DLT.get(r.linktype)
            if name not in order or len(r.data) in lengths:
                continue
            lengths.add(len(r.data))
            idx = order.index(name)
            cut = max(r.orig_len - len(r.data), 0)
            files = {f"{base}-{num}": seed(idx, cut, r.data)}
            if kept % CUT_EVERY == 0:
                at = CUT_AT[kept // CUT_EVERY % len(CUT_AT)]
                if at < len(r.data):
                    files[f"{base}-{num}-cut{at}"] = seed(idx, cut + len(r.data) - at, r.data[:at])
            for fname, body in files.items():
                with open(os.path.join(out, fname), "wb") as f:
                    f.write(body)
                n += 1
            kept += 1
            if kept == PER_CAPTURE:
                break
    print(f"{n} frames in {os.path.relpath(out, ROOT)}")


if __name__ == "__main__":
    main()
