#!/usr/bin/env python3
"""Compressed captures: a gzip, zstd or lz4 copy of a capture gives the
report the plain capture gives, byte for byte (text and --json, stdout,
stderr and exit status), from a path and from standard input; several
gzip members, zstd frames or lz4 frames read as one; cut or corrupt
compressed data reports what was read, then one line, exit 3; compressed
bytes that are not a capture are exit 1.

The copies are made here, in a temporary directory, with the real gzip,
zstd and lz4 tools rather than committed: what is tested is what those
tools write today (their defaults: checksums, block sizes, content size),
and nothing has to be rebuilt when a capture in testdata/ is. Skipped
(exit 77) when a tool is missing; .ci/setup --test installs them.
A compressed copy keeps the plain file's name, in a directory of its
own, so even the file names in the report are the same, and nothing but
the magic bytes can tell rstdiag it is compressed.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

import checks
from checks import check, failures
from wrapper import rstdiag_command

SKIP = 77
OK, INPUT, DAMAGED = 0, 1, 3
# Each tool's command to compress stdin to stdout, as a user would run it.
# lz4: 64 KiB blocks (-B4, instead of 4 MiB) so a cut copy still holds
# whole blocks, and so frames read in pieces are tested.
TOOLS = {"gzip": ["gzip", "-c"], "zstd": ["zstd", "-q", "-c"], "lz4": ["lz4", "-q", "-B4", "-c"]}
CAPTURES = ["eth.pcap", "two-interfaces.pcapng", "sll.pcap", "lab/closed-port-v6.pcapng",
            "lab/timewait-reuse-v4.pcap"]


def compress(tool, data):
    return subprocess.run(TOOLS[tool], input=data, capture_output=True, check=True).stdout


def run(args, cwd=None, stdin=None):
    return subprocess.run(rstdiag_command(RSTDIAG) + args, cwd=cwd, input=stdin,
                          capture_output=True, timeout=300,
                          env=dict(os.environ, NO_COLOR="1", TZ="UTC"))


def same(name, got, want):
    problems = []
    for what in ("returncode", "stdout", "stderr"):
        if getattr(got, what) != getattr(want, what):
            problems.append(f"{what} differs: {getattr(got, what)!r:.300} against "
                            f"{getattr(want, what)!r:.300}")
    check(name, not problems, "; ".join(problems))


def damaged(name, p, tool, reason):
    """The report of what was read, then one line naming the compression:
    exit 3, and the frame it names is the last one counted."""
    err = p.stderr.decode(errors="replace")
    out = p.stdout.decode(errors="replace")
    m = re.fullmatch(r"rstdiag: [^:]+: " + tool + r": " + reason +
                     r" \(after frame (\d+); the report covers the frames before it\)\n", err)
    packets = re.search(r"^  (\d+) packets, ", out, re.M)
    check(name, p.returncode == DAMAGED and m and packets and int(m.group(1)) > 0 and
          packets.group(1) == m.group(1) and "warning capture_damaged" in out,
          (p.returncode, err, out[:300]))


def main():
    global RSTDIAG
    RSTDIAG, testdata = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    missing = [t for t in TOOLS if not shutil.which(t)]
    if missing:
        print(f"{', '.join(missing)} not installed: skipped (bash .ci/setup --test)")
        return SKIP
    tmp = tempfile.mkdtemp(prefix="rstdiag-compressed-")
    try:
        return tests(testdata, tmp)
    finally:
        shutil.rmtree(tmp)


def tests(testdata, tmp):
    for tool in TOOLS:
        os.makedirs(os.path.join(tmp, tool))

    # The same report, from a path and from stdin, for each format.
    for cap in CAPTURES:
        folder, name = os.path.split(os.path.join(testdata, cap))
        plain = open(os.path.join(folder, name), "rb").read()
        for tool in TOOLS:
            packed = compress(tool, plain)
            with open(os.path.join(tmp, tool, name), "wb") as f:
                f.write(packed)
            for opts in ([], ["--json"]):
                same(f"{tool} {cap} {' '.join(opts) or 'text'}",
                     run(opts + [name], cwd=os.path.join(tmp, tool)), run(opts + [name], cwd=folder))
                same(f"{tool} {cap} {' '.join(opts) or 'text'} from stdin",
                     run(opts + ["-"], stdin=packed), run(opts + ["-"], stdin=plain))

    # Several members or frames, cut mid-record: read to the end as one.
    eth = open(os.path.join(testdata, "eth.pcap"), "rb").read()
    want = run(["--json", "-"], stdin=eth)
    for tool in TOOLS:
        pieces = [eth[:1000], eth[1000:5003], eth[5003:]]
        joined = b"".join(compress(tool, p) for p in pieces)
        same(f"{tool}: three members/frames, one capture", run(["--json", "-"], stdin=joined), want)
    # An empty member between two (gzip -c /dev/null >> x) changes nothing.
    joined = compress("gzip", eth[:1000]) + compress("gzip", b"") + compress("gzip", eth[1000:])
    same("gzip: an empty member in between", run(["--json", "-"], stdin=joined), want)

    # Cut and corrupt: a capture of many blocks (bench/gencap), cut in the
    # middle of the compressed data, or with a byte of it changed.
    gencap = os.path.join(os.path.dirname(RSTDIAG), "bench", "gencap")
    big = os.path.join(tmp, "big.pcap")
    subprocess.run([gencap, "-n", "8000", "-o", big], check=True, capture_output=True)
    big_plain = open(big, "rb").read()
    for tool in TOOLS:
        packed = compress(tool, big_plain)
        cut = os.path.join(tmp, tool, "cut.pcap")
        with open(cut, "wb") as f:
            f.write(packed[:len(packed) // 2])
        damaged(f"{tool}: cut in the middle", run([cut]), tool, "compressed data cut short")
        damaged(f"{tool}: cut in the middle, from stdin", run(["-"], stdin=packed[:len(packed) // 2]),
                tool, "compressed data cut short")
        p = run(["--json", cut])
        check(f"{tool}: cut, --json summary warns", p.returncode == DAMAGED and
              b'"warnings":[{"name":"capture_damaged"' in p.stdout.splitlines()[-1], p.stdout[-300:])
        # A changed byte: the decoder or the checksum at the end of the
        # member or frame says so (gzip's CRC-32, zstd's and lz4's content
        # checksums), or the garbage decoded before that breaks the
        # capture first. Frames of garbage may have drawn warnings; the
        # last line names the compression, and the exit is 3.
        bad = bytearray(packed)
        bad[len(bad) // 2] ^= 0x55
        p = run(["-"], stdin=bytes(bad))
        lines = p.stderr.decode(errors="replace").splitlines()
        check(f"{tool}: a corrupt byte", p.returncode == DAMAGED and lines and
              re.fullmatch(r"rstdiag: -: " + tool + r": .*\(after frame \d+; the report covers "
                           r"the frames before it\)", lines[-1]) and
              all(l.startswith("rstdiag: warning: ") for l in lines[:-1]) and
              b" packets, " in p.stdout, (p.returncode, lines[-3:]))

    # Compressed, but not a capture inside, or cut before its header is
    # whole: exit 1, as for the plain file.
    for tool in TOOLS:
        p = run(["-"], stdin=compress(tool, b"this is not a capture file\n" * 10))
        check(f"{tool}: not a capture inside", p.returncode == INPUT and
              p.stderr == f"rstdiag: stdin: {tool}: unknown file format\n".encode(), p.stderr)
        p = run(["-"], stdin=compress(tool, eth)[:12])
        check(f"{tool}: cut inside the capture header", p.returncode == INPUT and
              p.stderr == f"rstdiag: stdin: {tool}: compressed data cut short\n".encode(), p.stderr)
    # Only the magic bytes decide: a plain capture named .gz is read as it is.
    named = os.path.join(tmp, "plain.pcap.gz")
    shutil.copyfile(os.path.join(testdata, "eth.pcap"), named)
    check("a plain capture named .gz", run([named]).returncode == OK)

    print(f"compressed: {checks.ran} checks, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
