#!/usr/bin/env python3
"""rstdiag -i --kernel-reasons against the kernel's own tracepoint (root).

live.py's namespaces and traffic (a closed port, a data-after-fin, an
unread-recv-buffer reset; every RST is sent by this machine's kernel, one
namespace or the other). While rstdiag runs with --kernel-reasons, this
test reads tcp/tcp_send_reset from its own tracefs instance, as the lab
does, and every reset record's kernel_reason and kernel_state must be the
event this test saw for the same 4-tuple; the summary must count them all
joined, and every cause must fit its reason. Then: --kernel-reasons
without -i is a usage error, and without root one warning line, and the
capture goes on.

usage: live_kernel.py BUILD/rstdiag
"""
import json
import os
import re
import signal
import subprocess
import sys
import time

import checks
from checks import check, failures
from live import CLIENT, PAIR, SERVER
from veth_pair import sh

TRACEFS = "/sys/kernel/tracing"
EVENT = re.compile(r"tcp_send_reset: .*?src=(\S+) dest=(\S+) state=(\S+) reason=(\S+)")


class Tracer:
    """This test's own tracefs instance: the oracle."""

    def __init__(self):
        self.dir = os.path.join(TRACEFS, "instances", f"rstdiag_test_{os.getpid()}")
        os.mkdir(self.dir)
        with open(os.path.join(self.dir, "events/tcp/tcp_send_reset/enable"), "w") as f:
            f.write("1")

    def events(self):
        out = []
        with open(os.path.join(self.dir, "trace")) as f:
            for line in f:
                m = EVENT.search(line)
                if m:
                    out.append(m.groups())
        return out

    def close(self):
        with open(os.path.join(self.dir, "events/tcp/tcp_send_reset/enable"), "w") as f:
            f.write("0")
        os.rmdir(self.dir)


def hostport(addr, port):
    return f"[{addr}]:{port}" if ":" in addr else f"{addr}:{port}"


def main():
    rstdiag = os.path.abspath(sys.argv[1])
    if os.geteuid() != 0:
        print("live_kernel: needs root (network namespaces, tracefs)")
        return 77
    if not os.path.isfile(os.path.join(TRACEFS, "events/tcp/tcp_send_reset/format")) or \
            "reason" not in open(os.path.join(TRACEFS, "events/tcp/tcp_send_reset/format")).read():
        print("live_kernel: this kernel's tcp_send_reset has no reason field (Linux 6.10+)")
        return 77
    p = sh(rstdiag, "--kernel-reasons", "x.pcap", check=False)
    check("--kernel-reasons without -i: a usage error",
          p.returncode == 2 and "for live mode" in p.stderr, p.stderr)

    tracer = Tracer()
    try:
        with PAIR:
            srv = PAIR.python(PAIR.ns_s, SERVER)
            assert srv.stdout.readline().strip() == "ready"
            live = PAIR.run(PAIR.ns_c, [rstdiag, "-i", PAIR.c_if, "--json", "--kernel-reasons"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            # Without root: one line, and the capture goes on (-Z root keeps
            # the capability to open the device, not tracefs).
            unpriv = PAIR.run(PAIR.ns_c, ["setpriv", "--reuid=65534", "--regid=65534",
                                          "--clear-groups", "--inh-caps=+net_raw",
                                          "--ambient-caps=+net_raw", rstdiag, "-i", PAIR.c_if,
                                          "--json", "--kernel-reasons", "-Z", "nobody"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            time.sleep(1.0)
            PAIR.python(PAIR.ns_c, CLIENT).wait(timeout=30)
            srv.wait(timeout=30)
            time.sleep(1.0)
            for proc in (live, unpriv):
                proc.send_signal(signal.SIGTERM)
            out, err = live.communicate(timeout=10)
            u_out, u_err = unpriv.communicate(timeout=10)
        events = tracer.events()
    finally:
        tracer.close()

    records = [json.loads(line) for line in out.splitlines()]
    resets = [r for r in records if r["type"] == "reset"]
    summary = records[-1] if records else {}
    check("some resets", len(resets) >= 3, (resets, err))
    oracle = {}
    for src, dst, state, reason in events:
        oracle.setdefault((src, dst), []).append((reason, state))
    for r in resets:
        key = (hostport(r["src"], r["sport"]), hostport(r["dst"], r["dport"]))
        want = oracle.get(key, [])
        got = (r.get("kernel_reason"), r.get("kernel_state"))
        check(f"#{r['frame']} ({r['cause']}): the kernel's own reason",
              bool(want) and got == want.pop(0), (got, key, events))
    k = summary.get("kernel_reasons", {})
    check("summary: every reset joined, every cause fits its reason",
          k.get("joined") == len(resets) and k.get("fits") == len(resets), (k, resets))
    check("no root: one warning, and the capture goes on",
          u_err.count("--kernel-reasons:") == 1 and '"type":"summary"' in u_out and
          unpriv.returncode == 0, (u_err, unpriv.returncode))
    print(f"live_kernel: {checks.ran} checks, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
