#!/usr/bin/python3
"""Labels for a tunnel capture: per RST, the inner 4-tuple, the sender and
the kernel's own reason (stdlib only).

    tunnel_labels.py CAPTURE TRACE --client A[,A6] --server B[,B6] > LABELS.json

TRACE is the text of a tracefs instance with tcp/tcp_send_reset enabled,
saved after the capture (make-tunnel-captures.sh). The RSTs are tshark's,
dissected through the tunnel; each is paired with the kernel event that
sent it by lab.py's match_kernel (same 4-tuple, in order), so its parser
and pairing are the lab's. The cause comes from the scenario's design
(traffic.py's server port), checked against the sender and reason, as
lab.py's one_incident does: the first RST of a connection (inner 4-tuple
and tunnel) is the incident, later ones follow it up. Never from rstdiag's
output. Exits non-zero when a RST does not fit its design.
"""
import argparse
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "lab"))
sys.path.insert(0, os.path.join(HERE, "..", "..", "tests"))
import lab      # noqa: E402  (TRACE_RE, split_hostport, match_kernel)
import tshark   # noqa: E402  (FILTER)

# traffic.py's server port -> (cause, sender, kernel reasons it may give)
DESIGN = {
    8000: ("closed-port", "server", ("NO_SOCKET",)),
    8002: ("linger-abort", "server", ("TCP_STATE", "TCP_ABORT_ON_LINGER")),
    8004: ("data-after-fin", "server", ("TCP_ABORT_ON_DATA", "TCP_TIMEWAIT_SOCKET")),
}

FIELDS = ["frame.number", "frame.protocols", "ip.src", "ip.dst", "ipv6.src", "ipv6.dst",
          "tcp.srcport", "tcp.dstport", "vxlan.vni"]


def trace_events(path):
    out = []
    with open(path) as f:
        for line in f:
            m = lab.TRACE_RE.search(line)
            if m:
                out.append(dict(src=lab.split_hostport(m.group(1)),
                                dst=lab.split_hostport(m.group(2)),
                                state=m.group(3), reason=m.group(4)))
    return out


def addresses(protocols, ip, ip6):
    """The IP layers' (src, dst) from outer to inner, in frame.protocols order."""
    ip, ip6 = list(ip), list(ip6)
    out = []
    for p in protocols.split(":"):
        if p == "ip" and ip:
            out.append(ip.pop(0))
        elif p == "ipv6" and ip6:
            out.append(ip6.pop(0))
    return out


def capture_rsts(path):
    cmd = ["tshark", "-n", "-r", path, "-Y", tshark.FILTER, "-T", "fields",
           "-E", "occurrence=a", "-E", "aggregator=,"]
    for f in FIELDS:
        cmd += ["-e", f]
    p = subprocess.run(cmd, capture_output=True, text=True, check=True, timeout=120)
    out = []
    for line in p.stdout.splitlines():
        v = dict(zip(FIELDS, line.split("\t")))
        split = lambda k: [x for x in v[k].split(",") if x]
        ip = list(zip(split("ip.src"), split("ip.dst")))
        ip6 = list(zip(split("ipv6.src"), split("ipv6.dst")))
        layers = addresses(v["frame.protocols"], ip, ip6)
        if len(layers) < 2:
            raise SystemExit(f"{path}: frame {v['frame.number']}: RST not inside a tunnel")
        (osrc, odst), (src, dst) = layers[0], layers[-1]
        out.append(dict(frame=int(v["frame.number"]), src=src, sport=int(v["tcp.srcport"]),
                        dst=dst, dport=int(v["tcp.dstport"]),
                        tunnel=dict(protocols=v["frame.protocols"], outer_src=osrc, outer_dst=odst,
                                    vni=int(v["vxlan.vni"]) if v["vxlan.vni"] else None)))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("capture")
    ap.add_argument("trace")
    ap.add_argument("--client", required=True, help="the client's inner addresses")
    ap.add_argument("--server", required=True, help="the server's inner addresses")
    args = ap.parse_args()
    roles = {a: "client" for a in args.client.split(",")}
    roles.update({a: "server" for a in args.server.split(",")})
    rsts = capture_rsts(args.capture)
    mine = tuple(roles)
    events = [e for e in trace_events(args.trace) if e["src"][0] in mine]
    unmatched = lab.match_kernel(rsts, events)
    seen = set()
    resets = []
    for r in rsts:
        r["sender"] = roles.get(r["src"], "other")
        port = r["dport"] if r["sender"] == "client" else r["sport"]
        t = r["tunnel"]
        conn = (frozenset([(r["src"], r["sport"]), (r["dst"], r["dport"])]),
                frozenset([t["outer_src"], t["outer_dst"]]), t["vni"])
        reason = r["kernel"]["reason"] if r["kernel"] else None
        if conn in seen:
            cause = "reset-followup"
        else:
            seen.add(conn)
            cause, sender, reasons = DESIGN[port]
            if r["sender"] != sender or reason not in reasons:
                raise SystemExit(f"{args.capture}: frame {r['frame']}: expected a RST from the "
                                 f"{sender} with reason {reasons}, got one from the "
                                 f"{r['sender']} with {reason}")
        resets.append(dict(frame=r["frame"], src=f"{r['src']}:{r['sport']}",
                           dst=f"{r['dst']}:{r['dport']}", sender=r["sender"],
                           kernel=r["kernel"], cause=cause, tunnel=t))
    json.dump(dict(generated_by="testdata/gen/make-tunnel-captures.sh",
                   file=os.path.basename(args.capture), resets=resets,
                   kernel_resets_not_captured=[
                       dict(src="%s:%d" % e["src"], dst="%s:%d" % e["dst"],
                            reason=e["reason"], state=e["state"]) for e in unmatched]),
              sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
