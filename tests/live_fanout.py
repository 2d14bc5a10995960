#!/usr/bin/env python3
"""-i IFACE --fanout N: workers in one AF_PACKET fanout group, one stream.

A veth pair between two network namespaces; bench/synflood sends SYNs to
closed ports from the client's namespace, and the server's kernel answers
each with a RST. `rstdiag -i --json --fanout 2` listens on the server's end.

Checks (--json): both workers saw traffic (their records name IFACE#0 and IFACE#1);
every RST came out once, judged closed-port on the SYN it answers (so the
SYN reached the same worker: the kernel's hash is the same both ways); one
summary at the end, after SIGTERM, whose counts add the workers' up. And
without --json: a live line per RST naming its worker, then one text report
whose cause table counts every RST.

Measured: kernel drops (pcap_stats, summed over the workers; "captured"
counts the dropped too, as Linux's ps_recv does) against the offered rate
with 1 and 2 workers at the default buffer, printed as a table; nothing
is asserted of the rates. Every SYN here draws a RST and every RST a
record: a reset storm, the heaviest live load per packet.

usage: live_fanout.py BUILD/rstdiag BUILD/bench/synflood
"""
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time

from checks import check, failures
from veth_pair import VethPair, sh

PAIR = VethPair("rstdiag-fan", "rdfc0", "rdfs0", "10.98.0")
PORTS = 8


def flood(synflood, mac, rate, seconds):
    out = sh("ip", "netns", "exec", PAIR.ns_c, synflood, "-i", PAIR.c_if, "-s", PAIR.c_addr,
             "-d", PAIR.s_addr, "-m", mac, "-r", str(int(rate)), "-t", str(seconds),
             "-p", str(PORTS)).stdout
    m = re.match(r"sent (\d+) in ([\d.]+) s: (\d+) pps", out)
    assert m, out
    return int(m.group(1)), int(m.group(3))


def capture(rstdiag, synflood, mac, rate, seconds, workers, buffer_kib=None, text=False,
            summary_only=False):
    """summary_only: read back the last record only (a storm's run has hundreds
    of thousands, and only its summary's counts are wanted)."""
    argv = [rstdiag, "-i", PAIR.s_if] + ([] if text else ["--json"])
    if workers > 1:
        argv += ["--fanout", str(workers)]
    if buffer_kib:
        argv += ["-B", str(buffer_kib)]
    live = PAIR.run(PAIR.ns_s, argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    lines = []
    reader = threading.Thread(target=lambda: lines.extend(live.stdout))
    reader.start()
    time.sleep(1.5)                         # every worker's capture is open
    sent, pps = flood(synflood, mac, rate, seconds)
    time.sleep(1.5)                         # the RSTs settle (0.5 s) and are reported
    live.send_signal(signal.SIGTERM)
    live.wait(timeout=60)
    reader.join(timeout=60)
    err = live.stderr.read()
    records = lines if text else [json.loads(line) for line in lines[-1 if summary_only else 0:]]
    return sent, pps, records, live.returncode, err


def lost(summary):
    c = summary.get("capture", {})
    return c.get("dropped", 0) + c.get("if_dropped", 0)


def main():
    rstdiag, synflood = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    if os.geteuid() != 0:
        print("live-fanout: needs root (network namespaces)")
        return 77
    with PAIR:
        link = json.loads(sh("ip", "-n", PAIR.ns_s, "-j", "link", "show", PAIR.s_if).stdout)
        mac = link[0]["address"]

        # What it does: 2000 SYNs at 20 000 a second, each answered by a RST.
        sent, _, records, status, err = capture(rstdiag, synflood, mac, 20000, 0.1, 2)
        resets = [r for r in records if r["type"] == "reset"]
        summaries = [r for r in records if r["type"] == "summary"]
        check("one summary, last, exit 0 on SIGTERM",
              len(summaries) == 1 and records[-1]["type"] == "summary" and status == 0,
              f"{len(summaries)} summaries, exit {status}, {err[-300:]}")
        files = {r["file"] for r in resets}
        check("both workers had connections", files == {f"{PAIR.s_if}#0", f"{PAIR.s_if}#1"},
              files)
        closed = [r for r in resets if r["cause"] == "closed-port" and r["trigger_frame"]]
        check(f"every SYN's RST, once, as closed-port on its SYN ({sent} sent)",
              len(closed) == len(resets) == sent, f"{len(closed)} of {len(resets)}")
        if summaries:
            s = summaries[0]
            check("the summary adds the workers up", s["resets"] == len(resets) and
                  s["by_cause"].get("closed-port") == len(resets) and
                  s["capture"]["received"] >= 2 * sent and s["shard"] is None,
                  {k: s.get(k) for k in ("resets", "by_cause", "capture")})

        # The text report: the workers' records read back (report_from_json)
        # as live lines naming their worker, then one report of them all.
        sent, _, lines, status, err = capture(rstdiag, synflood, mac, 20000, 0.1, 2, text=True)
        live_lines = [l for l in lines if re.match(r"\d{4}-\d\d-\d\d .* RST #\d+ in ", l)]
        workers = {re.search(r" in (\S+) ", l).group(1) for l in live_lines}
        table = [l for l in lines if re.match(r"  closed-port +\d+ ", l)]
        check(f"text: a live line per RST naming its worker, one report, exit 0 ({sent} sent)",
              len(live_lines) == sent and workers == {f"{PAIR.s_if}#0", f"{PAIR.s_if}#1"} and
              status == 0 and table and int(table[0].split()[1]) == sent and
              any(l.startswith(f"rstdiag: {PAIR.s_if}") for l in lines),
              f"{len(live_lines)} lines, workers {workers}, table {table}, exit {status}, "
              f"{err[-300:]}")

        # Kernel drops against the offered rate, 1 and 2 workers, at the
        # default buffer: a tenth of the generator's rate (no drops so far),
        # a quarter (where one worker first dropped) and all of it. Each
        # run takes 8 to 36 s, most of it reading the records.
        _, alone = flood(synflood, mac, 0, 1.0)
        print(f"live-fanout: the generator alone: {alone} pps (one core); each SYN draws a "
              f"RST, so twice the packets are captured")
        print("live-fanout: buffer | offered pps | workers | captured | kernel drops | share")
        for share in (0.1, 0.25, 1.0):
            for workers, kib in ((1, None), (2, None)):
                sent, pps, records, _, _ = capture(rstdiag, synflood, mac, alone * share, 2.0,
                                                   workers, buffer_kib=kib, summary_only=True)
                s = records[-1] if records and records[-1]["type"] == "summary" else {}
                got = s.get("capture", {}).get("received", 0)
                drops = lost(s)
                print(f"live-fanout: {(str(kib) + ' KiB') if kib else 'default':>9} | "
                      f"{pps:>11} | {workers:>7} | {got:>8} | {drops:>12} | "
                      f"{drops / max(1, got):.1%}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
