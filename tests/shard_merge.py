#!/usr/bin/env python3
"""--shard K/N and --merge give one run's output (issue 23).

For every capture given (or in the folders given, and theirs), the N
shards' JSON Lines merged with --merge must be byte for byte what one
--json run writes: the same reset records, in time order, and the same
summary. (Where packet times go backwards, one run writes its records in
frame order and --merge in time order: then the same records and summary.)
Each shard's records are checked against the hash as the man page
documents it (FNV-1a 64 over the IP version, the lower endpoint's address
and big-endian port, the higher's, the tunnel context), computed here from
the record's own addresses and ports: a record outside a tunnel must be in
the shard that hash names. Then --merge's refusals: a shard missing or
twice, a line that is no record, an input without its summary, each with
its exit status; and standard input.

usage: shard_merge.py RSTDIAG N CAPTURE_OR_DIR...
       shard_merge.py RSTDIAG N --gencap GENCAP "GENCAP ARGS"...
                      (bench/gencap captures made here, one per quoted
                      argument list: "-n 5000000 -c 2000", "-f scan -n 100000")
"""
import glob
import ipaddress
import json
import os
import resource
import subprocess
import sys
import tempfile

import checks
from checks import check, failures
from wrapper import rstdiag_command
import tshark

OK, INPUT, USAGE, DAMAGED = 0, 1, 2, 3


def run(rstdiag, args, stdin=None, max_files=None):
    """max_files: the limit on open files to run it with."""
    def limit():
        hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
        resource.setrlimit(resource.RLIMIT_NOFILE, (max_files, hard))
    return subprocess.run(rstdiag_command(rstdiag) + args, input=stdin,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=1800,
                          preexec_fn=limit if max_files else None)


def many_inputs(rstdiag, mode, one_run, tmp, n=150, max_files=48):
    """n copies of one run's JSON Lines, all overlapping in time (the worst
    case), under a limit of max_files open files: the same output as
    without the limit, exit 0 (report_merge.c opens inputs as needed)."""
    copies = []
    for i in range(n):
        copies.append(os.path.join(tmp, f"copy{i}.jsonl"))
        with open(copies[-1], "wb") as f:
            f.write(one_run)
    free = run(rstdiag, [mode] + copies)
    tight = run(rstdiag, [mode] + copies, max_files=max_files)
    check(f"{mode}: {n} inputs under a limit of {max_files} open files: as without it, exit 0",
          tight.returncode == OK and free.returncode == OK and tight.stdout == free.stdout and
          free.stdout and not tight.stderr, f"exit {tight.returncode}: {tight.stderr[:200]}")
    for c in copies:
        os.unlink(c)


def captures(paths):
    """The captures named, and those in the folders named (and theirs)."""
    out = []
    for p in paths:
        if os.path.isdir(p):
            out += sorted(f for f in glob.glob(os.path.join(p, "**", "*"), recursive=True)
                          if f.endswith(tshark.CAPTURE_SUFFIXES) and "/golden/" not in f)
        else:
            out.append(p)
    return out


def first_difference(whole, merged):
    """Where two JSON Lines outputs part, for the failure's detail."""
    a, b = whole.decode().splitlines(), merged.decode().splitlines()
    if len(a) != len(b):
        return f"{len(a)} lines from one run, {len(b)} merged"
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y:
            ox, oy = json.loads(x), json.loads(y)
            keys = [k for k in ox if ox.get(k) != oy.get(k)]
            return f"line {i + 1} ({ox.get('type')} frame {ox.get('frame')}): {keys[:5]}"
    return "?"


def documented_shard(rec, n):
    """The shard of a record's connection by the man page's hash (outside
    a tunnel: context 0)."""
    ends = sorted((ipaddress.ip_address(rec[a]).packed, rec[p])
                  for a, p in (("src", "sport"), ("dst", "dport")))
    data = bytes([rec["ip_version"]])
    for addr, port in ends:
        data += addr + port.to_bytes(2, "big")
    data += (0).to_bytes(2, "big")
    h = 14695981039346656037
    for b in data:
        h = ((h ^ b) * 1099511628211) % (1 << 64)
    return h % n


def misplaced_records(parts, n):
    """(records outside a tunnel checked, those in another shard than the
    documented hash names)."""
    seen, wrong = 0, []
    for k, part in enumerate(parts):
        with open(part, "rb") as f:
            for line in f:
                if not line.startswith(b'{"type":"reset"'):
                    continue
                rec = json.loads(line)
                if rec["tunnel"] is not None:
                    continue
                seen += 1
                if documented_shard(rec, n) != k:
                    wrong.append(f"frame {rec['frame']} in shard {k}")
    return seen, wrong


def shard_and_merge(rstdiag, n, cap, tmp):
    """The merged output of n shards of cap, with each shard's exit status."""
    parts, statuses = [], []
    for k in range(n):
        part = os.path.join(tmp, f"shard{k}.jsonl")
        r = run(rstdiag, ["--json", "--shard", f"{k}/{n}", cap])
        statuses.append(r.returncode)
        with open(part, "wb") as f:
            f.write(r.stdout)
        parts.append(part)
    return run(rstdiag, ["--merge"] + parts), parts, statuses


def check_capture(rstdiag, n, cap, tmp):
    whole = run(rstdiag, ["--json", cap])
    merged, parts, statuses = shard_and_merge(rstdiag, n, cap, tmp)
    name = os.path.basename(cap)
    resets = sum(1 for line in whole.stdout.splitlines() if line.startswith(b'{"type":"reset"'))
    if not whole.stdout:
        # Not a capture: one run writes nothing, nor do the shards; --merge
        # of runs without a summary says so (exit 3).
        same = merged.stdout == b"" and merged.returncode == DAMAGED
    else:
        lines = whole.stdout.splitlines()
        times = [json.loads(line)["ts"] for line in lines[:-1]]
        if times == sorted(times):
            same = merged.stdout == whole.stdout and merged.returncode == OK
        else:
            # Packet times go backwards: one run writes its records in frame
            # order, --merge in time order; the same records and summary.
            mlines = merged.stdout.splitlines()
            same = (sorted(mlines[:-1]) == sorted(lines[:-1]) and mlines[-1:] == lines[-1:]
                    and merged.returncode == OK)
    check(f"{name}: {n} shards merged = one run ({resets} resets)", same,
          first_difference(whole.stdout, merged.stdout) + f"; merge exit {merged.returncode} "
          + merged.stderr.decode()[:200], quiet=True)
    seen, wrong = misplaced_records(parts, n)
    if seen:
        check(f"{name}: {seen} records in the shard the documented hash names", not wrong,
              ", ".join(wrong[:5]), quiet=True)
    # A shard reports the damage it read, as one run does.
    check(f"{name}: each shard exits as one run ({whole.returncode})",
          all(s == whole.returncode for s in statuses), f"shards {statuses}", quiet=True)
    return parts


def check_refusals(rstdiag, parts, tmp):
    """parts: the shards of a capture with resets (from check_capture)."""
    n = len(parts)
    r = run(rstdiag, ["--merge"] + parts[1:])
    check("a shard missing: exit 3, says how many", r.returncode == DAMAGED and
          b"1 of the" in r.stderr and b"shards are missing" in r.stderr,
          f"exit {r.returncode}: {r.stderr.decode()[:200]}")
    r = run(rstdiag, ["--merge"] + parts + parts[:1])
    check("a shard twice: exit 2, names it", r.returncode == USAGE and
          f"shard 0/{n} is given more than once".encode() in r.stderr,
          f"exit {r.returncode}: {r.stderr.decode()[:200]}")
    cut = os.path.join(tmp, "cut.jsonl")
    with open(parts[0], "rb") as f:
        lines = f.read().splitlines(keepends=True)
    with open(cut, "wb") as f:
        f.writelines(lines[:-1])       # no summary
    r = run(rstdiag, ["--merge", cut] + parts[1:])
    check("an input without its summary: exit 3", r.returncode == DAMAGED and
          b"without a summary" in r.stderr, f"exit {r.returncode}: {r.stderr.decode()[:200]}")
    bad = os.path.join(tmp, "bad.jsonl")
    with open(bad, "wb") as f:
        f.writelines([b"not json\n"] + lines)
    r = run(rstdiag, ["--merge", bad] + parts[1:])
    check("a line that is no record: exit 3, names the line, merges the rest",
          r.returncode == DAMAGED and b"line 1: not a reset record" in r.stderr and
          r.stdout.count(b"\n") == sum(open(p, "rb").read().count(b"\n") for p in parts) - n + 1,
          f"exit {r.returncode}: {r.stderr.decode()[:200]}")
    with open(parts[0], "rb") as f:
        first = f.read()
    r = run(rstdiag, ["--merge", "-"] + parts[1:], stdin=first)
    whole_merge = run(rstdiag, ["--merge"] + parts)
    check("standard input as '-'", r.returncode == OK and r.stdout == whole_merge.stdout,
          f"exit {r.returncode}")
    r = run(rstdiag, ["--merge", "--json"] + parts)
    check("--merge takes no other option: exit 2", r.returncode == USAGE, f"exit {r.returncode}")
    r = run(rstdiag, ["--merge", os.path.join(tmp, "no-such.jsonl")] + parts)
    check("an input that cannot be opened: exit 1", r.returncode == INPUT, f"exit {r.returncode}")
    # Valgrind keeps files of its own open: the limit is for rstdiag alone.
    if not os.environ.get("RSTDIAG_WRAPPER"):
        many_inputs(rstdiag, "--merge", whole_merge.stdout, tmp)
    # Records come out in time order.
    times = [json.loads(line)["ts"] for line in whole_merge.stdout.splitlines()[:-1]]
    check("merged records in time order", times == sorted(times), "out of order")


def main():
    rstdiag, n = sys.argv[1], int(sys.argv[2])
    with tempfile.TemporaryDirectory(prefix="rstdiag-shard-") as tmp:
        if sys.argv[3] == "--gencap":
            gencap, caps = sys.argv[4], []
            for i, args in enumerate(sys.argv[5:]):
                cap = os.path.join(tmp, "gen-" + "".join(c for c in args if c.isalnum()) + ".pcap")
                subprocess.run([gencap] + args.split() + ["-o", cap], check=True)
                caps.append(cap)
        else:
            caps = captures(sys.argv[3:])
            # Under valgrind (meson test --setup valgrind) each run takes
            # seconds: memory errors show on a sample as well as on all.
            if os.environ.get("RSTDIAG_WRAPPER"):
                caps = caps[::8]
        if not caps:
            print("shard_merge: no captures (../shared/corpus absent?): skipped")
            return 77
        all_parts = checks.each_capture(lambda cap, folder: check_capture(rstdiag, n, cap, folder),
                                        caps, tmp)
        # The refusals on the first capture whose shards hold two resets.
        with_resets = [parts for parts in all_parts
                       if sum(b'"type":"reset"' in open(p, "rb").read() for p in parts) >= 2]
        if with_resets:
            check_refusals(rstdiag, with_resets[0], tmp)
    print(f"shard_merge: {len(caps)} captures, {checks.ran} checks, {len(failures)} failed")
    return 1 if failures or checks.ran < 2 else 0


if __name__ == "__main__":
    sys.exit(main())
