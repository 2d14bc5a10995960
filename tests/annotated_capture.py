#!/usr/bin/env python3
"""-w OUT.pcapng as Wireshark reads it (issue 21, part 3).

For each capture below, rstdiag --json names every RST and its cause, and
rstdiag -w writes the annotated copy. tshark, not rstdiag, then checks:
  - every packet written is the input's packet, bytes, lengths, time and
    interface name unchanged, and in the input's order;
  - exactly the packets of the TCP connections that had a RST are written,
    as tshark splits the input into connections (tcp.stream; these
    captures are ones where Wireshark's split and a new connection on a
    reused tuple agree);
  - `tshark -Y 'frame.comment contains "rstdiag: CAUSE"'` finds each RST
    of that cause, and each RST's comment names its input and frame;
  - with --evidence-only, exactly the commented packets are written: the
    RSTs and their evidence frames.
And the command line refuses -w with standard input, with -i, and onto one
of its inputs.

usage: annotated_capture.py RSTDIAG TESTDATA
"""
import json
import os
import re
import subprocess
import sys
import tempfile

from checks import check, failures

CAPTURES = [
    "lab/tls13-keepalive-race-v4.pcap",     # a race and two follow-ups
    "lab/urllib3-pool-race-v4.pcap",
    "lab/closed-port-v6.pcapng",            # IPv6, pcapng input
    "two-interfaces.pcapng",                # two interfaces: two interface blocks
    "two-linktypes.pcapng",                 # Ethernet and another link type
    "tunnel-vxlan.pcap",                    # VXLAN: the outer headers are written too
    "tunnel-built-gre.pcap",
    "raw.pcap",                             # LINKTYPE_RAW 101, DLT_RAW 12 on Linux
    "sll2.pcap",
    "lab/keepalive-after-close-v4.pcap",
]


def tshark(path, fields, yfilter=None):
    cmd = ["tshark", "-n", "-r", path, "-T", "fields", "-E", "occurrence=f"]
    if yfilter:
        cmd += ["-Y", yfilter]
    for f in fields:
        cmd += ["-e", f]
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        raise RuntimeError(f"tshark {path}: {p.stderr.strip()}")
    return [line.split("\t") for line in p.stdout.splitlines()]


def packets(path):
    """(time, wire length, captured length, interface name) and the bytes
    of each packet, as tshark reads them."""
    rows = tshark(path, ["frame.time_epoch", "frame.len", "frame.cap_len",
                         "frame.interface_name"])
    p = subprocess.run(["tshark", "-n", "-r", path, "-T", "json", "-x", "-j", "frame"],
                       capture_output=True, text=True)
    raw = [pkt["_source"]["layers"]["frame_raw"][0] for pkt in json.loads(p.stdout or "[]")]
    # tshark 4.0 names an interface block without if_name "unknown", and
    # a pcap file's packets not at all: both have none.
    return [(t, int(l), int(c), "" if name == "unknown" else name)
            for t, l, c, name in rows], raw


def main():
    rstdiag, testdata = sys.argv[1], sys.argv[2]

    with tempfile.TemporaryDirectory() as d:
        for rel in CAPTURES:
            path = os.path.join(testdata, rel)
            recs = [json.loads(l) for l in subprocess.run(
                [rstdiag, "--json", path], capture_output=True, text=True).stdout.splitlines()]
            resets = {r["frame"]: r["cause"] for r in recs if r["type"] == "reset"}
            out = os.path.join(d, "out.pcapng")
            ev = os.path.join(d, "evidence.pcapng")
            p = subprocess.run([rstdiag, "-w", out, path], capture_output=True, text=True)
            q = subprocess.run([rstdiag, "-w", ev, "--evidence-only", path],
                               capture_output=True, text=True)
            check(f"{rel}: -w exits 0 {p.returncode} {q.returncode} {p.stderr.strip()}",
                  p.returncode == 0 and q.returncode == 0 and os.path.exists(out))
            if p.returncode:
                continue

            # Which input frames are the connections that had a RST (tshark's split).
            rows = tshark(path, ["frame.number", "tcp.stream", "tcp.flags.reset"])
            stream = {int(r[0]): r[1] for r in rows}
            rst_streams = {stream[f] for f in resets}
            want = [int(r[0]) for r in rows if r[1] and r[1] in rst_streams]
            check(f"{rel}: tshark puts the {len(resets)} RSTs in TCP streams",
                  set(resets) <= set(want) and all(stream[f] for f in resets))

            in_meta, in_bytes = packets(path)
            out_meta, out_bytes = packets(out)
            expect = [(in_meta[f - 1], in_bytes[f - 1]) for f in want]
            got = list(zip(out_meta, out_bytes))
            check(f"{rel}: {len(got)} packets written, the {len(expect)} of the RSTs' "
                  "connections, bytes, lengths, times and interface names unchanged, in order",
                  got == expect)

            # Comments: one RST a cause, found by the display filter.
            comments = tshark(out, ["frame.number", "tcp.flags.reset", "frame.comment"])
            src_frame = {}
            for i, (n, rst, c) in enumerate(comments):
                m = re.match(r"rstdiag: ([a-z-]+)[ ,(].*?\[([^\]]*), frame (\d+)\]", c)
                if m and rst in ("1", "True"):
                    src_frame[int(m.group(3))] = (m.group(1), m.group(2))
            check(f"{rel}: each RST's comment gives its cause, input and frame "
                  f"({len(src_frame)} of {len(resets)})",
                  sorted(src_frame) == sorted(resets) and
                  all(src_frame[f][0] == resets[f] and src_frame[f][1] == path for f in resets))
            for cause in sorted(set(resets.values())):
                found = tshark(out, ["frame.number"],
                               f'tcp.flags.reset == 1 && frame.comment contains "rstdiag: {cause}"')
                n = sum(1 for c in resets.values() if c == cause)
                check(f"{rel}: -Y 'frame.comment contains \"rstdiag: {cause}\"' "
                      f"finds its {n} RSTs ({len(found)})", len(found) == n)

            # --evidence-only: the commented packets, and only those.
            ev_rows = tshark(ev, ["frame.number", "frame.comment"])
            commented = [c for _, _, c in comments if c]
            check(f"{rel}: --evidence-only writes the {len(commented)} commented packets "
                  f"({len(ev_rows)})",
                  [c for _, c in ev_rows] == commented and all(c for _, c in ev_rows))

        # -c 1: only the first reported RST's connection is written.
        path = os.path.join(testdata, "lab/accept-overflow-deferred-v4.pcap")
        first = json.loads(subprocess.run([rstdiag, "--json", "-c", "1", path],
                                          capture_output=True, text=True).stdout.splitlines()[0])
        out = os.path.join(d, "c1.pcapng")
        subprocess.run([rstdiag, "-c", "1", "-w", out, path], capture_output=True)
        rows = tshark(path, ["frame.number", "tcp.stream"])
        stream = {int(r[0]): r[1] for r in rows}
        want = [f for f, s in stream.items() if s == stream[first["frame"]]]
        got = len(tshark(out, ["frame.number"]))
        check(f"-c 1: only the first RST's connection is written ({got} of {len(want)} packets)",
              got == len(want) and len({s for s in stream.values() if s}) > 1)

        # The command line's refusals: usage errors, nothing written.
        one = os.path.join(testdata, CAPTURES[0])
        for args, what in (([ "-w", os.path.join(d, "x.pcapng"), "-"], "standard input"),
                           (["-w", one, one], "onto its own input"),
                           (["-w", "-", one], "to standard output"),
                           (["--evidence-only", one], "--evidence-only without -w"),
                           (["-i", "lo", "-w", os.path.join(d, "y.pcapng")], "live")):
            p = subprocess.run([rstdiag] + args, capture_output=True, text=True, stdin=subprocess.DEVNULL)
            lines = p.stderr.strip().splitlines()
            check(f"-w {what}: usage error, one line: {p.returncode} {lines}",
                  p.returncode == 2 and len(lines) == 1 and not os.path.exists(os.path.join(d, "x.pcapng")))
        unwritable = os.path.join(d, "no", "such", "dir.pcapng")
        p = subprocess.run([rstdiag, "-w", unwritable, one], capture_output=True, text=True)
        check(f"-w into a missing directory: the report, then exit 4 and one line: "
              f"{p.returncode} {p.stderr.strip()}",
              p.returncode == 4 and len(p.stderr.strip().splitlines()) == 1 and
              "reset" in p.stdout.lower())
    print(f"annotated_capture: {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
