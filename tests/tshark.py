"""The RSTs tshark sees in a capture: the reference the test scripts
compare rstdiag's frame numbers with."""
import subprocess


def reset_frames(path):
    """Frame numbers of every segment with RST set, as Wireshark numbers them."""
    p = subprocess.run(["tshark", "-n", "-r", path, "-Y", "tcp.flags.reset==1",
                        "-T", "fields", "-e", "frame.number"],
                       capture_output=True, text=True, timeout=120)
    return [int(x) for x in p.stdout.split()]
