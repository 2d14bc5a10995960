#!/usr/bin/env python3
"""Golden tests: run rstdiag on the captures in testdata/ and compare its
stdout (and exit status, and stderr where a .err file exists) with the
expected files in testdata/golden/.

testdata/TESTLIST has one test a line:  NAME STATUS ARGS...
ARGS are passed to rstdiag with testdata/ as the working directory.

After a deliberate change of the output format, regenerate with
    tests/golden.py --update BUILD/rstdiag testdata
and review the diff before committing it (as tcpdump's update-test.sh).
"""
import difflib
import os
import subprocess
import sys

from wrapper import rstdiag_command


def main():
    args = sys.argv[1:]
    update = False
    if args and args[0] == "--update":
        update = True
        args = args[1:]
    rstdiag, testdata = os.path.abspath(args[0]), os.path.abspath(args[1])
    golden = os.path.join(testdata, "golden")
    env = dict(os.environ, NO_COLOR="1", TZ="UTC")
    failed = run = 0
    with open(os.path.join(testdata, "TESTLIST")) as f:
        lines = [l.split() for l in f if l.strip() and not l.startswith("#")]
    for name, status, *argv in lines:
        run += 1
        p = subprocess.run(rstdiag_command(rstdiag) + argv, cwd=testdata, env=env,
                           capture_output=True, text=True, timeout=60)
        out_path = os.path.join(golden, name + ".out")
        err_path = os.path.join(golden, name + ".err")
        if update:
            with open(out_path, "w") as o:
                o.write(p.stdout)
            if p.stderr:
                with open(err_path, "w") as o:
                    o.write(p.stderr)
            elif os.path.exists(err_path):
                os.remove(err_path)
            continue
        problems = []
        if p.returncode != int(status):
            problems.append(f"exit status {p.returncode}, expected {status}")
        with open(out_path) as o:
            want = o.read()
        if p.stdout != want:
            diff = difflib.unified_diff(want.splitlines(True), p.stdout.splitlines(True),
                                        "expected", "got")
            problems.append("stdout differs:\n" + "".join(list(diff)[:80]))
        want_err = open(err_path).read() if os.path.exists(err_path) else ""
        if p.stderr != want_err:
            problems.append(f"stderr differs: got {p.stderr!r}, expected {want_err!r}")
        if problems:
            failed += 1
            print(f"FAIL {name}: " + "\n  ".join(problems))
        else:
            print(f"ok   {name}")
    print(f"golden: {run} tests, {failed} failed")
    return 1 if failed or run == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
