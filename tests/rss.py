"""Resident memory as the memory tests measure it."""
import statistics
import subprocess


def peak_kib(peakrss, cmd, runs=3):
    """The median over runs of cmd's own peak RSS in KiB (bench/peakrss);
    single runs vary by about 200 KiB. cmd must exit 0."""
    out = [subprocess.run([peakrss] + cmd, check=True, capture_output=True,
                          text=True).stdout.split() for _ in range(runs)]
    assert all(r[2] == "0" for r in out), out
    return statistics.median(int(r[1]) for r in out)


def anon_kib(pid):
    """A running process's resident anonymous KiB now: what it allocated
    (the flow table, buffers), without its file-backed pages. A live
    capture's packet ring is a mapping of the capture socket, so file-backed:
    how much of it is resident follows how far behind the kernel's writer
    the reader fell, which a loaded machine decides, not rstdiag; the shared
    libraries' resident pages follow which code ran and the page cache."""
    with open(f"/proc/{pid}/status") as f:
        fields = dict(line.split(":", 1) for line in f)
    return int(fields["RssAnon"].split()[0])
