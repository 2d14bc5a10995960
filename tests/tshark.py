#!/usr/bin/env python3
"""The RSTs tshark sees in a capture: the reference the tests compare
rstdiag's frame numbers with.

tshark costs about 0.8 s a call, so only the slow suite `tshark` runs it
(tests/tshark_check.py --tshark); everything else reads the lists it
wrote, committed beside each capture as CAPTURE.rst-frames (one frame
number a line). After a capture is added or regenerated, rewrite the lists
with tshark itself, never from rstdiag's output:

    tests/tshark.py --write TESTDATA
"""
import glob
import os
import subprocess
import sys

# An ICMP error quotes the start of the segment it answers, and tshark
# dissects that quoted TCP header as tcp.*: a quoted RST is not a RST on
# the wire, and rstdiag (rightly) counts the ICMP packet as non-TCP.
FILTER = "tcp.flags.reset==1 && !icmp && !icmpv6"


# Captures as tshark and rstdiag read them: gzipped too (holdout5 has one).
CAPTURE_SUFFIXES = (".pcap", ".pcapng", ".pcap.gz", ".pcapng.gz")


def captures(testdata):
    """Every capture under testdata/, each with (or owing) a list."""
    return sorted(f for f in glob.glob(os.path.join(testdata, "**", "*"), recursive=True)
                  if f.endswith(CAPTURE_SUFFIXES))


def lists(testdata):
    """Every committed list, to find those whose capture is gone."""
    return sorted(glob.glob(os.path.join(testdata, "**", "*.rst-frames"), recursive=True))


def list_path(capture):
    return capture + ".rst-frames"


def reset_frames(path):
    """Frame numbers of every segment with RST set, as Wireshark numbers
    them: tshark run now. On a damaged file, what it printed before it
    stopped (its exit status says only that it stopped)."""
    p = subprocess.run(["tshark", "-n", "-r", path, "-Y", FILTER,
                        "-T", "fields", "-e", "frame.number"],
                       capture_output=True, text=True, timeout=120)
    return [int(x) for x in p.stdout.split()]


def committed_frames(path):
    """The list committed beside the capture, or None when there is none."""
    try:
        with open(list_path(path)) as f:
            return [int(x) for x in f.read().split()]
    except FileNotFoundError:
        return None


def format_list(frames):
    return "".join(f"{n}\n" for n in frames)


def main():
    if len(sys.argv) != 3 or sys.argv[1] != "--write":
        sys.exit("usage: tshark.py --write TESTDATA")
    for path in captures(sys.argv[2]):
        frames = reset_frames(path)
        with open(list_path(path), "w") as f:
            f.write(format_list(frames))
        print(f"{os.path.relpath(path, sys.argv[2])}: {len(frames)} RSTs")


if __name__ == "__main__":
    main()
