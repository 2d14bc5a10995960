#!/usr/bin/env python3
"""Reads meson's testlog.json files and prints the one closing line CI
reads, exactly "N passed, N failed" (skips, if any, before it: each test
that exited 77 by name, with the last line it printed, which says why);
exits 1 if anything failed.
A missing log (a build that failed) counts as one failure."""
import json
import sys

passed = failed = 0
skipped = []
for path in sys.argv[1:]:
    try:
        lines = open(path).read().splitlines()
    except OSError:
        print(f"no test log at {path}")
        failed += 1
        continue
    for line in lines:
        test = json.loads(line)
        result = test["result"]
        if result in ("OK", "EXPECTEDFAIL"):
            passed += 1
        elif result == "SKIP":
            why = (test.get("stdout") or "").strip().splitlines()
            skipped.append(f"{test['name']} ({path}): {why[-1] if why else 'no reason given'}")
        else:
            failed += 1
for s in skipped:
    print("skipped:", s)
if skipped:
    print(f"{len(skipped)} skipped")
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed or passed == 0 else 0)
