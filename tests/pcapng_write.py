#!/usr/bin/env python3
"""The pcapng writer's comments as Wireshark reads them: tshark finds each
packet comment at its frame and the interface's name, and the packets'
lengths are those written.

usage: pcapng_write.py BUILD/tests/test_pcapng_write
"""
import os
import subprocess
import sys
import tempfile


def main():
    writer = sys.argv[1]
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "out.pcapng")
        subprocess.run([writer, path], check=True, capture_output=True)
        p = subprocess.run(["tshark", "-n", "-r", path, "-T", "fields", "-e", "frame.number",
                            "-e", "frame.comment", "-e", "frame.len", "-e", "frame.cap_len",
                            "-e", "frame.interface_name"],
                           capture_output=True, text=True)
        rows = [line.split("\t") for line in p.stdout.splitlines()]
        found = subprocess.run(["tshark", "-n", "-r", path, "-Y",
                                'frame.comment contains "data-after-fin"', "-T", "fields",
                                "-e", "frame.number"], capture_output=True, text=True).stdout.split()
    want = [["1", "rstdiag: data-after-fin (race): GET /x crossed the FIN", "60", "60", "eth0"],
            ["2", "", "1514", "61", "eth0"],
            ["3", "rstdiag: evidence for #3: server FIN (café)", "63", "63", "eth0"]]
    ok = p.returncode == 0 and rows == want and found == ["1"]
    print(("ok  " if ok else "FAIL") + f" tshark reads the comments: {rows} {found} {p.stderr.strip()}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
