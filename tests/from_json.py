#!/usr/bin/env python3
"""--from-json: the text report of JSON Lines is one run's text report (issue 23).

For every capture given (or in the folders given, and theirs):
  - `rstdiag --json CAP | rstdiag --from-json -` writes byte for byte what
    `rstdiag CAP` writes, plain, with -v --all, and with --color=always;
  - the JSON of N shards (--shard K/N), read together with --from-json,
    writes what one run writes. Where packet times go backwards the merge
    puts records in time order and one run in frame order: then the same
    lines, in another order.
Then several files in one run (each RST names its file), and the refusals:
options that need the packets, a record this version cannot read (exit 3,
the rest still reported), a file that cannot be opened (exit 1).

usage: from_json.py RSTDIAG N CAPTURE_OR_DIR...
"""
import os
import subprocess
import sys
import tempfile

import checks
from checks import check, failures
from shard_merge import captures, many_inputs, run
from wrapper import slow_runs

OK, INPUT, USAGE, DAMAGED = 0, 1, 2, 3


def first_difference(a, b):
    x, y = a.decode(errors="replace").splitlines(), b.decode(errors="replace").splitlines()
    for i, (p, q) in enumerate(zip(x, y)):
        if p != q:
            return f"line {i + 1}: {p[:80]!r} / {q[:80]!r}"
    return f"{len(x)} lines from one run, {len(y)} from JSON"


def check_capture(rstdiag, n, cap, tmp):
    name = os.path.basename(cap)
    js = run(rstdiag, ["--json", cap])
    if not js.stdout:
        # Not a capture: nothing to render, and --from-json says the input
        # has no summary (exit 3) rather than writing a report of nothing.
        r = run(rstdiag, ["--from-json", "-"], stdin=js.stdout)
        check(f"{name}: no JSON, no report (exit 3)", r.returncode == DAMAGED and not r.stdout,
              f"exit {r.returncode}", quiet=True)
        return
    variants = ([], ["-v", "--all"], ["--color=always", "-v"])
    if slow_runs():
        # Under valgrind or the sanitizers: the one that renders every
        # field (the full tier checks all three on every capture).
        variants = variants[1:2]
    for opts in variants:
        text = run(rstdiag, opts + [cap])
        back = run(rstdiag, ["--from-json"] + opts + ["-"], stdin=js.stdout)
        check(f"{name}: --from-json {' '.join(opts)} = the text report", text.stdout ==
              back.stdout and back.returncode == OK, first_difference(text.stdout, back.stdout)
              + f"; exit {back.returncode} {back.stderr.decode()[:200]}", quiet=True)
    parts = []
    for k in range(n):
        part = os.path.join(tmp, f"shard{k}.jsonl")
        with open(part, "wb") as f:
            f.write(run(rstdiag, ["--json", "--shard", f"{k}/{n}", cap]).stdout)
        parts.append(part)
    text = run(rstdiag, ["-v", cap])
    back = run(rstdiag, ["--from-json", "-v"] + parts)
    times = [line for line in js.stdout.splitlines()[:-1]]
    ordered = [t.split(b'"ts":')[1].split(b",")[0] for t in times]
    if ordered == sorted(ordered, key=float):
        same = text.stdout == back.stdout
    else:
        same = sorted(text.stdout.splitlines()) == sorted(back.stdout.splitlines())
    check(f"{name}: {n} shards' JSON, --from-json -v = one run's text", same and
          back.returncode == OK, first_difference(text.stdout, back.stdout) +
          f"; exit {back.returncode} {back.stderr.decode()[:200]}", quiet=True)


def check_several(rstdiag, caps, tmp):
    """One run over several files: each RST names its file, as one run's text."""
    some = [c for c in caps if run(rstdiag, ["--json", c]).stdout.count(b'"type":"reset"')][:3]
    if len(some) < 2:
        return
    text = run(rstdiag, ["-v"] + some)
    back = run(rstdiag, ["--from-json", "-v", "-"], stdin=run(rstdiag, ["--json"] + some).stdout)
    check(f"{len(some)} files in one run: --from-json = the text report", text.stdout ==
          back.stdout and b" in " in back.stdout, first_difference(text.stdout, back.stdout))


def check_refusals(rstdiag, cap, tmp):
    js = run(rstdiag, ["--json", cap]).stdout
    path = os.path.join(tmp, "run.jsonl")
    with open(path, "wb") as f:
        f.write(js)
    for bad in (["-w", os.path.join(tmp, "x.pcapng")], ["--diagram"], ["--html", "x.html"],
                ["-c", "1"], ["--json"], ["--merge"], ["-i", "lo"]):
        r = run(rstdiag, ["--from-json"] + bad + [path])
        check(f"--from-json {bad[0]}: refused, exit 2", r.returncode == USAGE and not r.stdout,
              f"exit {r.returncode}")
    if not os.environ.get("RSTDIAG_WRAPPER"):
        many_inputs(rstdiag, "--from-json", js, tmp)
    r = run(rstdiag, ["--from-json"])
    check("--from-json without files: exit 2", r.returncode == USAGE, f"exit {r.returncode}")
    r = run(rstdiag, ["--from-json", os.path.join(tmp, "no-such.jsonl"), path])
    check("--from-json: a file that cannot be opened: exit 1, the rest reported",
          r.returncode == INPUT and r.stdout == run(rstdiag, [cap]).stdout, f"exit {r.returncode}")
    # A run cut short (no summary): its records are still reported, the
    # heading says what is not counted, exit 3.
    r = run(rstdiag, ["--from-json", "-"], stdin=b"".join(js.splitlines(keepends=True)[:-1]))
    text = run(rstdiag, [cap]).stdout
    blocks = lambda out: [l for l in out.splitlines() if l.startswith(b"RST #")]
    check("a run cut short: its records reported as the text report's, the heading says the "
          "counts are missing, exit 3", r.returncode == DAMAGED and blocks(r.stdout) ==
          blocks(text) and b"summaries are missing" in r.stdout and
          r.stdout.startswith(b"rstdiag: " + cap.encode() + b"\n"),
          f"exit {r.returncode}: {r.stdout[:300]!r}")
    # A record of a --kernel-reasons run: the kernel's reason comes back
    # as the text report's "kernel" line.
    lines = js.splitlines(keepends=True)
    joined = lines[0].replace(b'"form":', b'"kernel_reason":"NO_SOCKET",'
                              b'"kernel_state":"TCP_CLOSE","form":', 1)
    r = run(rstdiag, ["--from-json", "-"], stdin=b"".join([joined] + lines[1:]))
    check("a record with the kernel's reason: its kernel line", r.returncode == OK and
          b"  kernel    NO_SOCKET, socket TCP_CLOSE\n" in r.stdout,
          f"exit {r.returncode}: {r.stderr[:200]}")
    # A record of another version (a cause this one does not know): said,
    # counted, left out; the others are reported, exit 3.
    lines = js.splitlines(keepends=True)
    odd = lines[0].replace(b'"cause":"', b'"cause":"no-such-', 1)
    second = b"#" + lines[1].split(b'"frame":')[1].split(b",")[0]
    r = run(rstdiag, ["--from-json", "-"], stdin=b"".join([odd, odd] + lines[1:]))
    check("a record this version cannot read: exit 3, said once with the count, the rest "
          "reported", r.returncode == DAMAGED and r.stderr.count(b"cannot read back") == 2 and
          b"1 more records" in r.stderr and second in r.stdout,
          f"exit {r.returncode}: {r.stderr.decode()[:300]}")


def main():
    rstdiag, n = sys.argv[1], int(sys.argv[2])
    caps = captures(sys.argv[3:])
    if os.environ.get("RSTDIAG_WRAPPER"):
        caps = caps[::16]   # under valgrind: a sample, in 2 shards
        n = 2
    if not caps:
        print("from_json: no captures (../shared/corpus absent?): skipped")
        return 77
    with tempfile.TemporaryDirectory(prefix="rstdiag-from-json-") as tmp:
        checks.each_capture(lambda cap, folder: check_capture(rstdiag, n, cap, folder), caps, tmp)
        check_several(rstdiag, caps, tmp)
        with_resets = [c for c in caps if run(rstdiag, ["--json", c]).stdout.count(
            b'"type":"reset"') >= 2]
        if with_resets:
            check_refusals(rstdiag, with_resets[0], tmp)
    print(f"from_json: {len(caps)} captures, {checks.ran} checks, {len(failures)} failed")
    return 1 if failures or checks.ran < 2 else 0


if __name__ == "__main__":
    sys.exit(main())
