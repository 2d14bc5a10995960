"""What the test scripts share: named checks, counted, with the failures
kept for the script's exit status."""

failures = []
ran = 0


def check(name, ok, detail="", quiet=False):
    """Counts one check and prints it ("ok" lines only unless quiet); a
    failure is kept and printed with its detail. Returns ok."""
    global ran
    ran += 1
    if ok:
        if not quiet:
            print(f"ok   {name}")
    else:
        failures.append(name)
        print(f"FAIL {name}: {detail}")
    return bool(ok)
