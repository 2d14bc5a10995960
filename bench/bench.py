#!/usr/bin/env python3
"""The benchmark: rstdiag against a bare libpcap loop, tcpdump, tshark and
tcptrace on the same generated captures, measured in the same run.

usage: bench.py BUILD_DIR DATA_DIR [--runs N] [--quick] [--floods-only]
                [--flood-sizes N,...] [--flood-kinds KIND,...]

Captures (bench/gencap, full payloads, 8 servers, 20 % IPv6, 3 % reset):
  1M and 5M packets at 2000 concurrent connections (time and memory against
  packets), and 1M packets at 500, 8000 and 32000 concurrent connections
  (memory against connections). --quick: 200k and 1M packets only.
Floods (bench/gencap -f), at the same packet counts: a SYN flood without
and with closed-port RSTs (every tenth SYN), a SYN scan of 1024 ports of
host after host (every SYN refused), a half-open flood and a reset storm
(every connection reset by a middlebox), against the same tools but
tcptrace. --floods-only: those alone.

Each capture is locked in the page cache while it is measured
(bench/holdcache: some machines reclaim page cache left untouched for half a
minute).
Each command runs once as a warm-up, then N times (default 5),
the tools taking turns so drift in the machine's speed falls on all of
them alike; tshark runs 3 times at the end, alone (its 7 GiB on 5M would
press on memory and slow the tool after it). The bare loop runs twice: as
plain libpcap, and with the 64 KiB stdio buffer rstdiag gives libpcap. Reported: the median wall
time, the median user and system CPU time, packets per second, the peak resident memory
(bench/peakrss), and rstdiag's throughput as a ratio to each tool's.
"""
import argparse
import contextlib
import datetime
import os
import platform
import statistics
import subprocess
import sys
import time

CONCURRENT = 2000
# gencap -f shapes and their packets per connection (gencap.c, flood()).
FLOODS = [("syn", 1.0), ("syn-rst", 1.1), ("scan", 2.0), ("half-open", 5.0), ("reset-storm", 6.0)]


def gen(build, data, packets, concurrent):
    path = os.path.join(data, f"gen-{packets // 1000}k-c{concurrent}.pcap")
    if not os.path.exists(path):
        print(f"generating {path}", file=sys.stderr)
        subprocess.run([os.path.join(build, "bench", "gencap"), "-n", str(packets),
                        "-c", str(concurrent), "-o", path + ".tmp"], check=True)
        os.rename(path + ".tmp", path)
    return path


def gen_flood(build, data, packets, kind, per_conn):
    conns = int(packets / per_conn)
    path = os.path.join(data, f"flood-{kind}-{packets // 1000}k.pcap")
    if not os.path.exists(path):
        print(f"generating {path}", file=sys.stderr)
        subprocess.run([os.path.join(build, "bench", "gencap"), "-f", kind, "-n", str(conns),
                        "-o", path + ".tmp"], check=True)
        os.rename(path + ".tmp", path)
    return path


def tools(build):
    rstdiag = os.path.join(build, "rstdiag")
    return [
        ("bare libpcap loop", lambda f: [os.path.join(build, "bench", "bareloop"), f]),
        ("bare loop, 64 KiB buffer", lambda f: [os.path.join(build, "bench", "bareloop"),
                                                "-b", "65536", f]),
        ("rstdiag", lambda f: [rstdiag, f]),
        ("rstdiag --json", lambda f: [rstdiag, "--json", f]),
        # -S: absolute sequence numbers. For relative ones tcpdump keeps
        # every connection in a chained table of 919 buckets, which a
        # flood makes quadratic: 106 s for a 1M-packet reset storm
        # without -S, 14 min and counting for a 5M SYN flood's RSTs.
        ("tcpdump RST filter", lambda f: ["tcpdump", "-n", "-S", "-r", f,
                                          "tcp[tcpflags] & tcp-rst != 0"]),
        ("tcptrace -n", lambda f: ["tcptrace", "-n", f]),
        ("tshark -Y reset", lambda f: ["tshark", "-n", "-r", f, "-Y", "tcp.flags.reset==1"]),
    ]


def run_once(build, argv):
    """Wall seconds, peak RSS (KiB), and user and system CPU seconds of one
    run, measured by bench/peakrss."""
    out = subprocess.run([os.path.join(build, "bench", "peakrss")] + argv, check=True,
                         capture_output=True, text=True).stdout.split()
    wall, rss, status = float(out[0]), int(out[1]), int(out[2])
    if status != 0:
        raise SystemExit(f"bench: {' '.join(argv)} failed with status {status}")
    return wall, rss, float(out[3]), float(out[4])


@contextlib.contextmanager
def held_in_cache(build, path):
    """The capture read into the page cache and kept there while tools are
    timed on it (bench/holdcache), so that every run reads memory."""
    p = subprocess.Popen([os.path.join(build, "bench", "holdcache"), path],
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    line = p.stdout.readline()
    if not line.startswith("held "):
        p.kill()
        raise SystemExit(f"bench: could not hold {path} in the page cache")
    try:
        yield
    finally:
        p.stdin.close()
        p.wait()


def measure(build, path, packets, runs, names=None):
    chosen = [(n, f) for n, f in tools(build) if names is None or n in names]
    light = [(n, f) for n, f in chosen if not n.startswith("tshark")]
    heavy = [(n, f) for n, f in chosen if n.startswith("tshark")]
    results = {n: [] for n, _ in chosen}
    for n, f in light:
        run_once(build, f(path))                # warm-up (page cache, binaries)
    for _ in range(runs):
        for n, f in light:                      # taking turns
            results[n].append(run_once(build, f(path)))
    # tshark last and alone: its gigabytes would press on memory (other
    # files' cache, the allocator's pages) and slow whichever tool ran next.
    for n, f in heavy:
        for _ in range(min(runs, 3)):
            results[n].append(run_once(build, f(path)))
    table = {}
    for n, rs in results.items():
        wall = statistics.median(r[0] for r in rs)
        # System time shows what the machine added: on a VM whose balloon
        # reports free pages to the host, a run that touches memory freed
        # more than about 2 s before waits for the host to back it again
        # (README, floods).
        table[n] = dict(wall=wall, pps=packets / wall, rss_mib=max(r[1] for r in rs) / 1024,
                        user=statistics.median(r[2] for r in rs),
                        sys=statistics.median(r[3] for r in rs), runs=len(rs))
    return table


def fmt_table(title, packets, size_mb, table):
    ours = table.get("rstdiag", {}).get("pps")
    ours_json = table.get("rstdiag --json", {}).get("pps")
    lines = [f"#### {title}: {packets / 1e6:g}M packets, {size_mb:.0f} MB", "",
             "| tool | median wall | user | system | packets/s | peak RSS | "
             "rstdiag text / tool | rstdiag --json / tool | runs |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for n, r in table.items():
        ratio = f"{ours / r['pps']:.2f}" if ours else ""
        ratio_j = f"{ours_json / r['pps']:.2f}" if ours_json else ""
        lines.append(f"| {n} | {r['wall']:.3f} s | {r['user']:.3f} s | {r['sys']:.3f} s | "
                     f"{r['pps'] / 1e6:.2f} M | "
                     f"{r['rss_mib']:.1f} MiB | {ratio} | {ratio_j} | {r['runs']} |")
    return "\n".join(lines) + "\n"


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("build")
    ap.add_argument("data")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--floods-only", action="store_true")
    ap.add_argument("--flood-sizes", help="packet counts of the floods, comma-separated")
    ap.add_argument("--flood-kinds", help="flood shapes to measure, comma-separated")
    a = ap.parse_args()
    os.makedirs(a.data, exist_ok=True)
    sizes = [200_000, 1_000_000] if a.quick else [1_000_000, 5_000_000]
    conc = [] if a.quick else [500, 8000, 32000]

    out = [f"### Benchmark, {datetime.date.today()}", "",
           f"{cpu_model()}, {os.cpu_count()} cores, "
           f"{os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB; "
           f"captures by `bench/gencap` ({CONCURRENT} concurrent connections unless said), "
           f"read from the page cache (held there during the runs by `bench/holdcache`).", ""]
    scaling = []
    for n in sizes:
        if a.floods_only:
            break
        path = gen(a.build, a.data, n, CONCURRENT)
        mb = os.path.getsize(path) / 1e6
        with held_in_cache(a.build, path):
            table = measure(a.build, path, n, a.runs)
        out.append(fmt_table(f"{CONCURRENT} concurrent", n, mb, table))
        scaling.append((n, CONCURRENT, table["rstdiag"]))
        print(out[-1], file=sys.stderr)
    flood_sizes = [int(x) for x in a.flood_sizes.split(",")] if a.flood_sizes else sizes
    kinds = a.flood_kinds.split(",") if a.flood_kinds else [k for k, _ in FLOODS]
    for n in flood_sizes:
        for kind, per_conn in [(k, p) for k, p in FLOODS if k in kinds]:
            path = gen_flood(a.build, a.data, n, kind, per_conn)
            mb = os.path.getsize(path) / 1e6
            # tcptrace keeps every connection it ever saw: a 5M-SYN flood
            # takes it many minutes and gigabytes, and says nothing new.
            with held_in_cache(a.build, path):
                table = measure(a.build, path, n, a.runs,
                                names={t for t, _ in tools(a.build)} - {"tcptrace -n"})
            out.append(fmt_table(f"flood: {kind}", n, mb, table))
            print(out[-1], file=sys.stderr)
    for c in ([] if a.floods_only else conc):
        n = sizes[0]
        path = gen(a.build, a.data, n, c)
        with held_in_cache(a.build, path):
            table = measure(a.build, path, n, a.runs, names={"rstdiag"})
        scaling.append((n, c, table["rstdiag"]))
    out += [] if a.floods_only else [
            "#### rstdiag (text) against packets and concurrent connections", "",
            "| packets | concurrent | median wall | ns/packet | peak RSS |",
            "|---:|---:|---:|---:|---:|"]
    for n, c, r in sorted(scaling, key=lambda s: (s[1], s[0])):
        out.append(f"| {n / 1e6:g}M | {c} | {r['wall']:.3f} s | {r['wall'] / n * 1e9:.0f} | "
                   f"{r['rss_mib']:.1f} MiB |")
    text = "\n".join(out) + "\n"
    print(text)
    with open(os.path.join(a.data, "results.md"), "w") as f:
        f.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
