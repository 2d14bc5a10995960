#!/usr/bin/env python3
"""Reads meson's testlog.json files and prints the one closing line CI
reads, exactly "N passed, N failed" (skips, if any, on a line before it);
exits 1 if anything failed.
A missing log (a build that failed) counts as one failure."""
import json
import sys

passed = failed = skipped = 0
for path in sys.argv[1:]:
    try:
        lines = open(path).read().splitlines()
    except OSError:
        print(f"no test log at {path}")
        failed += 1
        continue
    for line in lines:
        result = json.loads(line)["result"]
        if result in ("OK", "EXPECTEDFAIL"):
            passed += 1
        elif result == "SKIP":
            skipped += 1
        else:
            failed += 1
if skipped:
    print(f"{skipped} skipped")
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed or passed == 0 else 0)
