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


def rss_kib(pid):
    """A running process's resident KiB now, and its peak so far."""
    with open(f"/proc/{pid}/status") as f:
        fields = dict(line.split(":", 1) for line in f)
    return int(fields["VmRSS"].split()[0]), int(fields["VmHWM"].split()[0])
