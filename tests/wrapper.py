"""How the tests start rstdiag: with RSTDIAG_WRAPPER in front when it is set
(meson test --setup valgrind sets it to a valgrind command line)."""
import os
import shlex


def rstdiag_command(rstdiag):
    return shlex.split(os.environ.get("RSTDIAG_WRAPPER", "")) + [rstdiag]
