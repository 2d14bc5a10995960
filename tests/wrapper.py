"""How the tests start rstdiag: with RSTDIAG_WRAPPER in front when it is set
(meson test --setup valgrind sets it to a valgrind command line); and
whether each run is slow: under valgrind, or a sanitized build
(RSTDIAG_SANITIZED, which tests/run-all.sh sets for its sanitizer tiers)."""
import os
import shlex


def rstdiag_command(rstdiag):
    return shlex.split(os.environ.get("RSTDIAG_WRAPPER", "")) + [rstdiag]


def slow_runs():
    """Each rstdiag run costs a second or more (valgrind) or ten times a
    plain one's startup (AddressSanitizer and its leak check, about 0.1 s):
    a test that starts thousands keeps the variants that differ in what
    they exercise, not in how the same code is called."""
    return bool(os.environ.get("RSTDIAG_WRAPPER") or os.environ.get("RSTDIAG_SANITIZED"))
