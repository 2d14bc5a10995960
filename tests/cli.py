#!/usr/bin/env python3
"""Command-line behaviour: each bad input gets one clear stderr line and
its documented exit status (man page EXIT STATUS); good uses work, with
stdin, filters, several files, colour rules and write errors.
"""
import json
import os
import re
import struct
import subprocess
import sys
import shutil
import signal
import tempfile
import threading

import checks
from checks import check, failures
from wrapper import rstdiag_command

OK, INPUT, USAGE, DAMAGED, OUTPUT = 0, 1, 2, 3, 4


def run(args, stdin=None, env_extra=None, stdout=subprocess.PIPE, wrapped=True):
    """rstdiag with args; wrapped=False leaves RSTDIAG_WRAPPER (valgrind) out."""
    env = dict(os.environ)
    env.pop("NO_COLOR", None)
    env.update(env_extra or {})
    argv = (rstdiag_command(RSTDIAG) if wrapped else [RSTDIAG]) + args
    return subprocess.run(argv, input=stdin, stdout=stdout, stderr=subprocess.PIPE, env=env,
                          timeout=60)


def expect(name, p, status, err=None, out=None, one_line=True):
    stderr = p.stderr.decode(errors="replace")
    stdout = p.stdout.decode(errors="replace") if p.stdout is not None else ""
    problems = []
    if p.returncode != status:
        problems.append(f"exit {p.returncode}, expected {status}")
    if err is not None and not re.search(err, stderr):
        problems.append(f"stderr {stderr!r} does not match {err!r}")
    if one_line and status in (INPUT, USAGE) and stderr.count("\n") != 1:
        problems.append(f"stderr is not one line: {stderr!r}")
    if status in (INPUT, USAGE) and not stderr.startswith("rstdiag: "):
        problems.append(f"stderr does not start with 'rstdiag: ': {stderr!r}")
    if out is not None and not re.search(out, stdout, re.S):
        problems.append(f"stdout does not match {out!r}: {stdout[:300]!r}")
    check(name, not problems, "; ".join(problems))


def pcap_header(linktype, magic=0xa1b2c3d4, snaplen=65535):
    return struct.pack("<IHHiIII", magic, 2, 4, 0, 0, snaplen, linktype)


def main():
    global RSTDIAG
    RSTDIAG, testdata = sys.argv[1], sys.argv[2]
    eth = os.path.join(testdata, "eth.pcap")
    cut = os.path.join(testdata, "cut-mid-record.pcap")
    tmp = tempfile.mkdtemp(prefix="rstdiag-cli-")
    empty = os.path.join(tmp, "empty.pcap")
    open(empty, "wb").close()
    text = os.path.join(tmp, "notes.txt")
    with open(text, "w") as f:
        f.write("this is not a capture file\n" * 10)
    short_hdr = os.path.join(tmp, "short-header.pcap")
    with open(short_hdr, "wb") as f:
        f.write(open(eth, "rb").read()[:10])
    token_ring = os.path.join(tmp, "token-ring.pcap")
    with open(token_ring, "wb") as f:   # DLT_IEEE802 (6, Token Ring), one 24-byte frame
        f.write(pcap_header(6) + struct.pack("<IIII", 1, 0, 24, 24) + bytes(24))
    unreadable = os.path.join(tmp, "secret.pcap")
    with open(unreadable, "wb") as f:
        f.write(open(eth, "rb").read())
    os.chmod(unreadable, 0)

    # A clock set during the capture (or files joined): every packet after
    # the first two days later; a warning, and the run goes on.
    jump = os.path.join(tmp, "jump.pcap")
    data = open(eth, "rb").read()
    out, off, n = bytearray(data[:24]), 24, 0
    while off + 16 <= len(data):
        sec, usec, incl, orig = struct.unpack_from("<IIII", data, off)
        out += struct.pack("<IIII", sec + (172800 if n else 0), usec, incl, orig)
        out += data[off + 16:off + 16 + incl]
        off += 16 + incl
        n += 1
    with open(jump, "wb") as f:
        f.write(out)
    expect("time jump", run([jump]), OK,
           r"jump\.pcap: packet times jump 17280\d s forward at frame 2 \(a clock set", one_line=False)
    expect("time jump json", run(["--json", jump]), OK, None,
           r'"warnings":\[[^]]*"name":"time_jump"', one_line=False)

    # Bad inputs: one line, exit 1, the file named.
    expect("missing file", run([os.path.join(tmp, "nope.pcap")]), INPUT,
           r"nope\.pcap: No such file or directory")
    expect("directory", run([tmp]), INPUT, r"Is a directory")
    expect("empty file", run([empty]), INPUT, r"empty\.pcap: empty file, not a pcap or pcapng capture")
    expect("text file", run([text]), INPUT, r"notes\.txt: unknown file format")
    expect("truncated header", run([short_hdr]), INPUT, r"short-header\.pcap: .*truncated")
    expect("unsupported link type", run([token_ring]), INPUT,
           r"token-ring\.pcap: unsupported link type IEEE802 \(6\); rstdiag reads EN10MB, "
           r"LINUX_SLL, .*, PKTAP, USER2$")
    if os.geteuid() != 0:
        expect("no permission", run([unreadable]), INPUT, r"Permission denied")
    else:   # root reads anything; check as nobody (setpriv: util-linux, .ci/setup --test)
        p = subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                            RSTDIAG, unreadable], capture_output=True, timeout=60)
        expect("no permission", p, INPUT, r"secret\.pcap: Permission denied")
    expect("stdin not a capture", run(["-"], stdin=b"hello\n"), INPUT, r"^rstdiag: stdin: ")
    # Other tools' capture formats, named by their first bytes (wiretap's
    # magics), with editcap's conversion; a file, and the same on stdin.
    # Network Monitor's (GMBU, RTSS) are read (src/netmon.c, tests/netmon.py):
    # a header of zeros is a version neither rstdiag nor Wireshark reads.
    for magic in (b"GMBU", b"RTSS"):
        other = os.path.join(tmp, "netmon.cap")
        with open(other, "wb") as f:
            f.write(magic + bytes(128))
        expect(f"{magic.decode()} read, version 0.0 refused", run([other]), INPUT,
               r"netmon\.cap: a Network Monitor capture of format version 0\.0, which neither "
               r"rstdiag nor Wireshark reads$")
    # A real one, eth.pcap as editcap -F netmon2 wrote it (committed:
    # the slow suite's netmon.py runs editcap and tshark themselves): the
    # same records as the pcap's, but for the file's name.
    def records(path):
        p = run(["--json", path])
        return p.returncode, [re.sub(r'"file":"[^"]*"', "", l) for l in
                              p.stdout.decode().splitlines() if '"type":"reset"' in l]
    got, want = records(os.path.join(testdata, "eth-netmon2.cap")), records(eth)
    check("Network Monitor 2.0 file: the pcap's records", got == want and want[1],
          f"{got[0]}, {len(got[1])} records against {len(want[1])}")
    for magic, name in ((b"snoop\0\0\0", "snoop"), (b"XCp\0", "NetXray or Windows Sniffer"),
                        (b"TRSNIFF data    \x1a", "Sniffer"),
                        (b"ObserverPktBufferVersion=15.00", "Network Instruments Observer"),
                        (b"btsnoop\0", "Bluetooth btsnoop")):
        other = os.path.join(tmp, "other.cap")
        with open(other, "wb") as f:
            f.write(magic + bytes(128))
        expect(f"{name} capture", run([other]), INPUT,
               rf"other\.cap: an? {re.escape(name)} .*, which rstdiag does not read .*"
               rf"editcap -F pcapng .*other\.cap OUT\.pcapng\)$")
        expect(f"{name} capture on stdin", run(["-"], stdin=magic + bytes(128)), INPUT,
               rf"^rstdiag: stdin: an? {re.escape(name)} .*editcap -F pcapng IN OUT\.pcapng\)$")

    # Usage errors: one line, exit 2, a pointer to --help.
    expect("no operands", run([]), USAGE, r"no capture to read.*try 'rstdiag --help'")
    expect("unknown long option", run(["--frobnicate", eth]), USAGE,
           r"unknown option --frobnicate \(try 'rstdiag --help'\)")
    expect("unknown short option", run(["-y", eth]), USAGE, r"unknown option -y")
    expect("missing argument", run([eth, "-r"]), USAGE, r"option -r needs an argument")
    expect("bad --max-flows", run(["--max-flows", "lots", eth]), USAGE, r"--max-flows: 'lots'")
    for bad in ("4/4", "1", "a/2", "0/0", "0/1025", "-1/2"):
        expect(f"bad --shard {bad}", run(["--shard", bad, eth]), USAGE,
               r"--shard: '.*' is not K/N with 0 <= K < N <= 1024")
    expect("--shard live", run(["--shard", "0/2", "-i", "lo"]), USAGE,
           r"--shard and --interleave are for files")
    expect("--interleave with -w", run(["--interleave", "-w", "/tmp/x.pcapng", eth, eth]), USAGE,
           r"-w reads the files a second time in the order given, not interleaved")
    expect("--merge without files", run(["--merge"]), USAGE, r"--merge: give the JSON Lines")
    expect("--fanout with -c", run(["-i", "lo", "--fanout", "2", "-c", "5"]), USAGE,
           r"--fanout: neither -c nor --kernel-reasons")
    expect("--fanout of a file", run(["--fanout", "2", eth]), USAGE, r"for live mode \(-i\)")
    expect("--fanout 1", run(["-i", "lo", "--json", "--fanout", "1"]), USAGE,
           r"--fanout: '1' is not a number of workers from 2 to 64")
    expect("--merge with a capture option", run(["--merge", "-v", eth]), USAGE,
           r"--merge reads JSON Lines and writes JSON Lines")
    expect("--merge of a capture", run(["--merge", eth]), DAMAGED,
           r"line 1: not a reset record or a summary", one_line=False)
    expect("zero --max-flows", run(["--max-flows", "0", eth]), USAGE, r"--max-flows")
    expect("bad --color", run(["--color=sometimes", eth]), USAGE, r"--color: 'sometimes'")
    expect("bad filter", run([eth, "tcp", "port", "eighty"]), USAGE,
           r"bad filter expression 'tcp port eighty': .*try 'rstdiag --help'")
    expect("missing file then filter", run([eth, "missing.pcap"]), USAGE,
           r"bad filter expression 'missing\.pcap'")

    # Help and version go to stdout and succeed.
    expect("--help", run(["--help"]), OK, out=r"Usage: rstdiag .*--json.*--max-flows.*Exit status")
    expect("-h", run(["-h"]), OK, out=r"Usage: rstdiag")
    expect("--version", run(["--version"]), OK, out=r"^rstdiag \d+\.\d+\.\d+\nlibpcap version")

    # Good uses.
    base = run(["--json", eth])
    expect("json file", base, OK, out=r'"type":"reset".*"type":"summary"')
    lines = base.stdout.decode().splitlines()
    types = [json.loads(l)["type"] for l in lines]
    check("json lines parse", types and types[-1] == "summary" and
          all(t == "reset" for t in types[:-1]), types)
    piped = run(["--json", "-"], stdin=open(eth, "rb").read())
    def without_file(text):
        return [{k: v for k, v in json.loads(l).items() if k not in ("file", "inputs")}
                for l in text.splitlines()]
    check("stdin", piped.returncode == 0 and
          without_file(piped.stdout.decode()) == without_file(base.stdout.decode()),
          piped.stderr)
    expect("-r with filter", run(["--json", "-r", eth, "tcp", "and", "port", "8000"]), OK,
           out=r'"filtered_out":[1-9]')
    filtered = [json.loads(l) for l in run(["--json", eth, "port", "8000"]).stdout.decode().splitlines()]
    all_frames = [json.loads(l)["frame"] for l in lines if '"reset"' in l]
    kept = [r["frame"] for r in filtered if r["type"] == "reset"]
    ok = kept and set(kept) < set(all_frames) and all(
        r["sport"] == 8000 or r["dport"] == 8000 for r in filtered if r["type"] == "reset")
    check("filter keeps frame numbers", ok, f"all {all_frames}, filtered {kept}")

    two = run(["--json", eth, eth])
    recs = [json.loads(l) for l in two.stdout.decode().splitlines()]
    summ = recs[-1]
    single = json.loads(lines[-1])
    check("two files", two.returncode == 0 and summ["packets"] == 2 * single["packets"] and
          summ["resets"] == 2 * single["resets"], summ)
    expect("one missing among files", run(["-r", eth, "-r", os.path.join(tmp, "gone.pcap")]),
           INPUT, r"gone\.pcap: No such file", out=r"(?s)71 packets, 58 TCP segments.*Resets by cause")

    # -c: the first N resets, and the summary counts only those.
    first2 = [json.loads(l) for l in run(["--json", "-c", "2", eth]).stdout.decode().splitlines()]
    check("-c 2", [r["frame"] for r in first2[:-1]] == all_frames[:2] and
          first2[-1]["resets"] == 2, first2[-1])
    expect("live options without -i", run(["--duration", "5", eth]), USAGE, r"for live mode \(-i\)")

    # A full flow table forgets the stalest connections but never a RST.
    small = run(["--json", "--max-flows", "2", eth])
    srecs = [json.loads(l) for l in small.stdout.decode().splitlines()]
    ssum = srecs[-1]
    check("eviction keeps every RST",
          small.returncode == 0 and ssum["flows_peak"] == 2 and ssum["flows_evicted"] > 0 and
          [r["frame"] for r in srecs[:-1]] == all_frames and
          [w["name"] for w in ssum["warnings"]] == ["flows_evicted"] and
          small.stderr.decode().count("--max-flows") == 1,
          (ssum, small.stderr))

    # --close-timeout: a finished connection is remembered that long, no longer.
    # The linger abort is frame 16; follow-ups come 0.25, 0.46, 0.66, 1.09, 1.92 s later.
    stray = os.path.join(testdata, "lab", "stray-after-rst-v4.pcap")
    def causes(extra):
        out = run(["--json"] + extra + [stray]).stdout.decode().splitlines()
        return [(r["frame"], r["cause"], r.get("followup_of"))
                for r in map(json.loads, out) if r["type"] == "reset"]
    # 26 comes after 16 is forgotten and starts a new entry, which 28 follows up.
    followups = [(f, of) for f, c, of in causes(["--close-timeout", "1"]) if c == "reset-followup"]
    check("--close-timeout 1", followups == [(20, 16), (22, 16), (24, 16), (28, 26)], followups)
    forgot = causes(["--close-timeout", "0"])
    check("--close-timeout 0", [f for f, _, _ in forgot] == [16, 20, 22, 24, 26, 28] and
          "reset-followup" not in [c for _, c, _ in forgot], forgot)
    expect("--close-timeout x", run(["--close-timeout", "x", eth]), USAGE, r"--close-timeout")

    # Damaged capture: the report of what was read, then one line, exit 3.
    expect("cut mid-record", run([cut]), DAMAGED,
           r"cut-mid-record\.pcap: truncated dump file.*after frame \d+",
           out=r"(?s)68 packets, 55 TCP segments.*Resets by cause.*warning capture_damaged")
    expect("cut mid-record json", run(["--json", cut]), DAMAGED,
           out=r'"warnings":\[\{"name":"capture_damaged"')

    # Text report: grouped by cause, the first examples in full, --all and -v.
    lab = os.path.join(testdata, "lab")
    ports = [eth, os.path.join(lab, "closed-port-v4.pcap"), os.path.join(lab, "closed-port-v6.pcapng")]
    grouped = run(ports).stdout.decode()
    check("examples per cause", grouped.count("cause     closed-port") == 3 and
          re.search(r"closed-port: 4 resets.*\n  \.\.\. and 1 more: #5 in .*closed-port-v6\.pcapng "
                    r"\(--all shows every one\)", grouped, re.S) and
          "evidence" not in grouped, grouped[:3000])
    every = run(["--all"] + ports).stdout.decode()
    check("--all", every.count("cause     closed-port") == 4 and "... and" not in every,
          every[:3000])
    # Without RSTDIAG_WRAPPER: valgrind itself cannot start without a usable
    # TMPDIR, and reads the same environment as rstdiag.
    expect("--all without a temporary directory",
           run(["--all", eth], env_extra={"TMPDIR": os.path.join(tmp, "none")}, wrapped=False),
           OUTPUT, r"^rstdiag: --all: cannot create a temporary file")
    verbose = run(["-v", eth]).stdout.decode()
    check("-v", verbose.count("\n  evidence  #") == single["resets"] and
          verbose.count("\n  form      ") == single["resets"], verbose[:2000])
    order = [m.group(1) for m in re.finditer(r"^(\S+): \d+ resets?: ", grouped, re.M)]
    check("groups by count", order == ["closed-port", "data-after-fin", "linger-abort",
                                       "unread-recv-buffer"], order)

    # Colour: never on a pipe, never with NO_COLOR, on request otherwise.
    expect("no colour on a pipe", run([eth]), OK, out=r"^(?!.*\x1b\[)")
    expect("--color=always", run(["--color=always", eth]), OK, out=r"\x1b\[1mRST #")
    expect("NO_COLOR wins", run(["--color=always", eth], env_extra={"NO_COLOR": "1"}), OK,
           out=r"^(?!.*\x1b\[)")

    # Output errors have their own status.
    with open("/dev/full", "w") as full:
        expect("write error", run([eth], stdout=full), OUTPUT, r"standard output: No space left")

    # A reader that stops early (| head -1) ends rstdiag quietly, by SIGPIPE
    # as tcpdump, without an error line, and at once: fed the capture on
    # standard input, rstdiag is gone before the feeder has written it all
    # (the records are written by a thread of their own, src/report_async.h,
    # which must not hold the signal back until the summary).
    gencap = os.path.join(os.path.dirname(RSTDIAG), "bench", "gencap")
    with tempfile.TemporaryDirectory(prefix="rstdiag-cli-") as tmp:
        many = os.path.join(tmp, "many-resets.pcap")
        subprocess.run([gencap, "-n", "100000", "-r", "60", "-o", many], check=True)
        reader = subprocess.Popen(rstdiag_command(RSTDIAG) + ["--json", "-"],
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE)
        fed = {"all": False}

        def feed():
            try:
                with open(many, "rb") as f:
                    shutil.copyfileobj(f, reader.stdin)
                reader.stdin.close()
                fed["all"] = True
            except BrokenPipeError:
                pass
        feeder = threading.Thread(target=feed)
        feeder.start()
        first = reader.stdout.readline()
        reader.stdout.close()
        err = reader.stderr.read()
        reader.wait(timeout=60)
        feeder.join(timeout=60)
        check("| head -1: the first record, then a quiet end by SIGPIPE",
              json.loads(first)["type"] == "reset" and err == b"" and
              reader.returncode == -signal.SIGPIPE, (reader.returncode, err[:200]))
        check("| head -1: rstdiag stopped reading before the end of its input",
              not fed["all"], os.path.getsize(many))
        whole = run(["--json", many])
        check("that capture has more output than a pipe holds",
              whole.returncode == 0 and len(whole.stdout) > 1 << 20, len(whole.stdout))
    piped = subprocess.run("set -o pipefail; tcpdump -r '%s' -w - 2>/dev/null | %s --json -"
                           % (eth, " ".join(rstdiag_command(RSTDIAG))), shell=True,
                           executable="/bin/bash", capture_output=True, timeout=60)
    direct = run(["--json", eth])
    frames = [json.loads(l)["frame"] for l in direct.stdout.splitlines()[:-1]]
    check("tcpdump -w - | rstdiag -: the same resets as from the file",
          piped.returncode == 0 and piped.stderr == b"" and frames and
          [json.loads(l)["frame"] for l in piped.stdout.splitlines()[:-1]] == frames,
          (piped.returncode, piped.stderr[:200]))

    print(f"cli: {checks.ran} checks, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
