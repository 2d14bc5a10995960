#!/usr/bin/env python3
"""Golden tests: run rstdiag on the captures in testdata/ and compare its
stdout (and exit status, and stderr where a .err file exists) with the
expected files in testdata/golden/.

testdata/TESTLIST has one test a line:  NAME STATUS PIN ARGS...
ARGS are passed to rstdiag with testdata/ as the working directory. PIN
says what of stdout is pinned:
  all    every byte, wording included (a few chosen text and JSON outputs);
  facts  the JSON Lines' facts: every field but the prose ones (PROSE), so
         the lab's goldens hold what rstdiag decided, and rewording a
         sentence (STYLE.md: the words come from the facts, in the
         reporting layer) changes no facts golden.
The golden files hold the whole output either way; prose is left out of
both sides when they are compared.

After a deliberate change of the output, regenerate with
    tests/golden.py --update BUILD/rstdiag testdata
and review the diff before committing it (as tcpdump's update-test.sh).
--update writes what is compared: an "all" golden that differs in any
byte, a "facts" golden only when its facts differ (its prose then comes
along), so a reworded sentence rewrites only the "all" goldens.
"""
import difflib
import json
import os
import subprocess
import sys

from wrapper import rstdiag_command
import words_room

# Words written from the facts beside them: each names the field holding
# prose, in a reset record, a summary, or one of their lists' items.
PROSE = {
    "reset": {"explanation", "advice", "origin_evidence"},
    "reset.evidence[]": {"what"},
    "summary": {"capture_point_evidence"},
    "summary.warnings[]": {"message"},
}


def without_prose(value, where):
    if isinstance(value, dict):
        return {k: without_prose(v, f"{where}.{k}") for k, v in value.items()
                if k not in PROSE.get(where, ())}
    if isinstance(value, list):
        return [without_prose(v, where + "[]") for v in value]
    return value


def facts(text):
    """The JSON Lines of text, prose left out; ValueError if not JSON."""
    records = []
    for line in text.splitlines():
        rec = json.loads(line)
        records.append(without_prose(rec, rec.get("type", "?")))
    return records


def differences(want, got, path=""):
    """Where two parsed JSON values differ, as 'path: want -> got' lines."""
    if isinstance(want, dict) and isinstance(got, dict):
        out = []
        for k in list(want) + [k for k in got if k not in want]:
            out += differences(want.get(k, "(absent)"), got.get(k, "(absent)"), f"{path}.{k}")
        return out
    if isinstance(want, list) and isinstance(got, list) and len(want) == len(got):
        return [d for i, (w, g) in enumerate(zip(want, got))
                for d in differences(w, g, f"{path}[{i}]")]
    return [] if want == got else [f"{path or '.'}: {json.dumps(want)} -> {json.dumps(got)}"]


def stdout_problem(pin, want, got):
    """Why got's stdout is not the golden want, or None."""
    if pin == "all":
        if got == want:
            return None
        diff = difflib.unified_diff(want.splitlines(True), got.splitlines(True),
                                    "expected", "got")
        return "stdout differs:\n" + "".join(list(diff)[:80])
    try:
        want_facts = facts(want)
    except ValueError as e:
        return f"the golden file is not JSON Lines: {e}"
    try:
        got_facts = facts(got)
    except ValueError as e:
        return f"stdout is not JSON Lines: {e}: {got[:300]!r}"
    if len(want_facts) != len(got_facts):
        return f"{len(got_facts)} records, expected {len(want_facts)}"
    diffs = differences(want_facts, got_facts)
    return None if not diffs else "facts differ:\n    " + "\n    ".join(diffs[:40])


def words_cut(stdout, room):
    """A problem for each JSON record whose words filled their buffer."""
    problems = []
    for line in stdout.splitlines():
        if not line.startswith('{"type":"reset"'):
            continue
        rec = json.loads(line)
        for name in words_room.cut_texts(rec, room):
            problems.append(f"frame {rec.get('frame')}: its {name} fills its buffer: cut")
    return problems


def main():
    args = sys.argv[1:]
    update = False
    if args and args[0] == "--update":
        update = True
        args = args[1:]
    rstdiag, testdata = os.path.abspath(args[0]), os.path.abspath(args[1])
    golden = os.path.join(testdata, "golden")
    env = dict(os.environ, NO_COLOR="1", TZ="UTC")
    failed = run = updated = 0
    room = words_room.rooms()
    with open(os.path.join(testdata, "TESTLIST")) as f:
        lines = [l.split() for l in f if l.strip() and not l.startswith("#")]
    for name, status, pin, *argv in lines:
        run += 1
        if pin not in ("all", "facts"):
            failed += 1
            print(f"FAIL {name}: PIN is {pin!r}, not all or facts (testdata/TESTLIST)")
            continue
        p = subprocess.run(rstdiag_command(rstdiag) + argv, cwd=testdata, env=env,
                           capture_output=True, text=True, timeout=60)
        out_path = os.path.join(golden, name + ".out")
        err_path = os.path.join(golden, name + ".err")
        want = open(out_path).read() if os.path.exists(out_path) else None
        want_err = open(err_path).read() if os.path.exists(err_path) else ""
        if update:
            if want is None or stdout_problem(pin, want, p.stdout):
                with open(out_path, "w") as o:
                    o.write(p.stdout)
                updated += 1
            if p.stderr != want_err:
                if p.stderr:
                    with open(err_path, "w") as o:
                        o.write(p.stderr)
                else:
                    os.remove(err_path)
                updated += 1
            continue
        problems = []
        if p.returncode != int(status):
            problems.append(f"exit status {p.returncode}, expected {status}")
        if want is None:
            problems.append(f"no {os.path.relpath(out_path, testdata)}")
        else:
            problem = stdout_problem(pin, want, p.stdout)
            if problem:
                problems.append(problem)
        if p.stderr != want_err:
            problems.append(f"stderr differs: got {p.stderr!r}, expected {want_err!r}")
        problems += words_cut(p.stdout, room)
        if problems:
            failed += 1
            print(f"FAIL {name}: " + "\n  ".join(problems))
        else:
            print(f"ok   {name} ({pin})")
    if update:
        print(f"golden: {run} tests, {updated} files written")
        return 0
    print(f"golden: {run} tests, {failed} failed")
    return 1 if failed or run == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
