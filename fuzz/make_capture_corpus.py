#!/usr/bin/env python3
"""Builds fuzz/corpus/capture/ (fuzz_capture's seeds) from testdata/.

Every capture in testdata/ and its lab/, malformed/ and fuzz-regress/ as
it is (all small; the last two are damaged on purpose), plus a
few files written here in the forms testdata lacks, so the fuzzer starts
from every path libpcap has into rstdiag: pcap in big-endian order, with
nanosecond magic and with records snaplen cut; pcapng in big-endian order,
with simple packet blocks, with if_tsresol, with blocks rstdiag never
uses (name resolution, statistics, unknown), with two sections of the
same and of opposite byte order, and with two named interfaces of other
link types and time units between Custom Blocks; Microsoft Network
Monitor files (src/netmon.c) of format 1.1, 2.0, 2.1 with metadata
frames and raw IP among Ethernet ones, 2.3 with UTC stamps, gzipped, and
cut mid-frame; and compressed copies (gzip, two gzip
members, zstd, lz4 with block checksums, a cut gzip) so the fuzzer starts
inside each decompressor too. Output is the same on every run (gzip with
no name and time; zstd and lz4 through their tools, as tests/compressed.py).

usage: fuzz/make_capture_corpus.py   (from anywhere; rewrites the directory)
"""
import glob
import gzip
import os
import shutil
import struct
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import pcapio as pio  # noqa: E402

FRAMES = 24   # frames per written variant: enough for a handshake, data and RSTs


def td(*parts):
    return os.path.join(ROOT, "testdata", *parts)


def cut(records, snaplen):
    return [pio.Record(r.linktype, r.ts_ns, r.data[:snaplen], r.orig_len) for r in records]


def gz(data):
    return gzip.compress(data, mtime=0)


def tool(cmd, data):
    return subprocess.run(cmd, input=data, capture_output=True, check=True).stdout


def compressed(eth_pcap, eth_pcapng, sll_pcap):
    yield "eth.pcap.gz", gz(eth_pcap)
    # Two members, the cut mid-record: read as one file (RFC 1952 2.2).
    yield "eth-two-members.pcap.gz", gz(eth_pcap[:700]) + gz(eth_pcap[700:])
    yield "eth-cut.pcap.gz", gz(eth_pcap)[:500]
    yield "eth-be.pcapng.zst", tool(["zstd", "-q", "-c", "--no-check"], eth_pcapng)
    # Two zstd frames, the second with a checksum.
    yield "sll-two-frames.pcap.zst", (tool(["zstd", "-q", "-c", "--no-check"], sll_pcap[:500]) +
                                      tool(["zstd", "-q", "-c"], sll_pcap[500:]))
    # lz4: 64 KiB blocks, block checksums (-BX), linked blocks (-BD).
    yield "sll.pcap.lz4", tool(["lz4", "-q", "-c", "-B4", "-BX", "-BD"], sll_pcap)


def netmon_variants(eth, raw6):
    """Network Monitor files (pcapio.netmon, wiretap/netmon.c's layout)."""
    yield "eth-v20.cap", pio.netmon(eth)
    yield "eth-v11.cap", pio.netmon(eth, major=1, minor=1)
    # 2.1: the adapters' list (read past unnumbered), an ETW event and a
    # filter string (numbered records), raw IP as a converted pcap names it.
    meta = pio.Record(0, eth[0].ts_ns, b"\0" * 40, 40)
    mixed = [(meta, pio.NETMON_NETWORK_INFO)]
    for a, b in zip(eth, raw6):
        mixed += [a, pio.Record(101, a.ts_ns, b.data, b.orig_len)]
    mixed[5:5] = [(meta, pio.NETMON_NETEVENT)]
    mixed.append((pio.Record(0, eth[-1].ts_ns, "tcp".encode("utf-16-le"), 6), pio.NETMON_FILTER))
    yield "mixed-v21.cap", pio.netmon(mixed, minor=1)
    yield "eth-v22.cap", pio.netmon(eth, minor=2)
    yield "eth-v23.cap", pio.netmon(eth, minor=3)
    yield "eth-v20.cap.gz", gz(pio.netmon(eth))
    whole = pio.netmon(eth, minor=3)
    yield "eth-v23-cut.cap", whole[:len(whole) // 2]


def variants():
    eth = pio.read(td("eth.pcap"))[:FRAMES]
    sll = pio.read(td("sll.pcap"))[:FRAMES]
    raw6 = pio.read(td("raw6.pcap"))[:FRAMES]
    v6 = pio.read(td("lab", "closed-port-v6.pcapng"))
    yield "eth-be.pcap", pio.pcap(eth, big_endian=True)
    yield "sll-nano.pcap", pio.pcap(sll, nano=True)
    yield "eth-snap60.pcap", pio.pcap(cut(eth, 60), snaplen=60)
    yield from compressed(pio.pcap(eth), pio.shb(">") + pio.idb(1, ">") +
                          b"".join(pio.epb(r, 0, ">") for r in eth), pio.pcap(sll))

    be = ">"
    yield "eth-be.pcapng", (pio.shb(be) + pio.idb(1, be) +
                            b"".join(pio.epb(r, 0, be) for r in eth))
    # SPB: no timestamp, no interface id; its snaplen comes from the IDB.
    yield "sll-spb.pcapng", (pio.shb() + pio.idb(113, snaplen=96) +
                             b"".join(pio.spb(pio.Record(r.linktype, 0, r.data[:96], len(r.data)))
                                      for r in sll))
    # if_tsresol 9: timestamps in nanoseconds (pcapng 4.2 option 9).
    tsres = pio.option(9, b"\x09") + pio.option(0, b"")
    yield "raw6-tsresol.pcapng", (pio.shb() + pio.idb(101, options=tsres) +
                                  b"".join(pio.epb(pio.Record(101, r.ts_ns * 1000, r.data,
                                                              r.orig_len)) for r in raw6))
    nrb = pio.block(pio.NRB, struct.pack("<HH", 1, 8) + bytes([10, 0, 0, 1]) + b"srv\0" +
                    struct.pack("<HH", 0, 0))
    isb = pio.block(pio.ISB, struct.pack("<III", 0, 0, 0))
    unknown = pio.block(0x0BAD1234, b"rstdiag-ignores-this")
    yield "eth-extra-blocks.pcapng", (pio.shb() + pio.idb(1) + nrb + unknown +
                                      b"".join(pio.epb(r) for r in eth) + isb)
    yield "two-sections.pcapng", (pio.shb() + pio.idb(1) + b"".join(pio.epb(r) for r in eth[:8]) +
                                  pio.shb() + pio.idb(1) + b"".join(pio.epb(r) for r in eth[8:]))
    # Two interfaces of different link types, snaplens and time units
    # (if_tsresol 2^-20, if_tsoffset), named, with Custom Blocks between
    # packets: src/pcapng.c reads what libpcap 1.10 refuses.
    names = pio.option(2, b"eth-a") + pio.option(0, b"")
    units = (pio.option(2, b"raw-b") + pio.option(9, b"\x94") +
             pio.option(14, struct.pack("<q", -3600)) + pio.option(0, b""))
    custom = pio.block(0x00000BAD, struct.pack("<I", 32473) + b"seed")
    mixed = [pio.shb(), pio.idb(1, options=names), pio.idb(101, snaplen=200, options=units)]
    for a, b in zip(eth, raw6):
        mixed += [pio.epb(a), custom,
                  pio.epb(pio.Record(101, ((b.ts_ns // 10**9 + 3600) << 20), b.data, b.orig_len),
                          1)]
    yield "two-link-types.pcapng", b"".join(mixed)
    yield from netmon_variants(eth, raw6)
    # Once libpcap gave up at the second section (damaged input); read now.
    yield "two-sections-byte-orders.pcapng", (pio.shb() + pio.idb(v6[0].linktype) +
                                              b"".join(pio.epb(r) for r in v6) +
                                              pio.shb(be) + pio.idb(v6[0].linktype, be) +
                                              b"".join(pio.epb(r, 0, be) for r in v6))


def main():
    out = os.path.join(HERE, "corpus", "capture")
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    n = 0
    for path in sorted(glob.glob(td("*.pcap*")) + glob.glob(td("lab", "*.pcap*")) +
                       glob.glob(td("malformed", "*.pcap*")) +
                       glob.glob(td("fuzz-regress", "*.pcap*"))):
        if not path.endswith(".rst-frames"):
            name = os.path.basename(path)
            folder = os.path.basename(os.path.dirname(path))
            if folder in ("malformed", "fuzz-regress"):
                name = folder + "-" + name
            shutil.copyfile(path, os.path.join(out, name))
            n += 1
    for name, body in variants():
        with open(os.path.join(out, name), "wb") as f:
            f.write(body)
        n += 1
    print(f"{n} captures in {os.path.relpath(out, ROOT)}")


if __name__ == "__main__":
    main()
