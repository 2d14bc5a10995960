"""What the test scripts share: named checks, counted, with the failures
kept for the script's exit status; and a way to run one check function
over many inputs on every core."""
import os
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor

failures = []
ran = 0
_lock = threading.Lock()


def check(name, ok, detail="", quiet=False):
    """Counts one check and prints it ("ok" lines only unless quiet); a
    failure is kept and printed with its detail. Returns ok. Safe to call
    from the threads of each_input."""
    global ran
    with _lock:
        ran += 1
        if ok:
            if not quiet:
                print(f"ok   {name}")
        else:
            failures.append(name)
            print(f"FAIL {name}: {detail}")
    return bool(ok)


def each_input(fn, items):
    """fn(item) for every item, as many at once as there are cores; the
    results in the items' order. For checks that spend their time in
    rstdiag's processes (a sanitized or valgrind run of every capture in
    testdata takes minutes), so Python's threads only wait on them. An
    exception in fn is raised here."""
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        return list(pool.map(fn, items))


def each_capture(fn, caps, tmp):
    """each_input over captures: fn(cap, folder), each with a folder of its
    own under tmp for the files it writes (shard files have fixed names)."""
    return each_input(lambda cap: fn(cap, tempfile.mkdtemp(dir=tmp)), caps)
