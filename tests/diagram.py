#!/usr/bin/env python3
"""--diagram and --mermaid (issue 21, parts 1 and 2).

usage: diagram.py RSTDIAG TESTDATA [--tshark] [--mermaid MMDC]

Always (fast tier), on the captures below, read with --all so that every
reset is shown in full, the diagram under each reset:
  - ends with that RST, marked, and shows every evidence frame the JSON
    record lists before it, marked;
  - has its frames in order, at most LADDER_HEAD + N + the evidence;
  - is ASCII with --ascii and under LC_ALL=C, box drawing under a UTF-8
    locale, and has no colour when not on a terminal;
  - keeps N packets before the RST with --diagram-packets N.
--tshark: every arrow agrees with tshark on the frame's flags, relative
sequence and acknowledgement numbers, length and direction, and the packets
shown plus those counted as not shown are the frames of the RST's TCP
stream up to it, as tshark splits the capture.
--mermaid: every --mermaid block renders with the mermaid CLI (mmdc, in
headless Chromium), which fails on any syntax error.
"""
import json
import os
import re
import subprocess
import sys
import tempfile

from checks import check, failures

from wrapper import rstdiag_command

CAPTURES = [
    "lab/tls13-keepalive-race-v4.pcap",
    "lab/urllib3-pool-race-v4.pcap",
    "lab/nginx-keepalive-timeout-v4.pcap",
    "lab/client-closes-mid-download-v4.pcap",   # long: most packets not shown
    "lab/capture-starts-late-v4.pcap",          # midstream: Wireshark's relative numbers
    "lab/closed-port-v6.pcapng",
    "lab/tls-client-rejects-cert-v4.pcap",
    "two-interfaces.pcapng",
    "tunnel-vxlan.pcap",
    "lab/keepalive-timeout-v4.pcap",
]
HEAD = 3
ARROW = re.compile(r"^    #(\d+) +([0-9.]+)  (.*?)(  (the RST|evidence))?$")
FLAGS = {"SYN": 0x02, "FIN": 0x01, "RST": 0x04, "PSH": 0x08, "URG": 0x20, "ECE": 0x40,
         "CWR": 0x80, "ACK": 0x10}


def run(args, env=None):
    e = dict(os.environ)
    e.update(env or {})
    return subprocess.run(args, capture_output=True, text=True, env=e)


def diagrams(text):
    """{rst frame: [lines of its diagram]} from a text report."""
    out, cur, frame = {}, None, None
    for line in text.splitlines():
        m = re.match(r"^RST #(\d+)", line)
        if m:
            frame, cur = int(m.group(1)), None
            continue
        if line.strip() == "diagram" and frame is not None:
            cur = out.setdefault(frame, [])
            continue
        if cur is not None:
            if line.startswith("    "):
                cur.append(line)
            else:
                cur = None
    return out


def arrows(lines, utf8):
    """(frame, arrow text, mark, from client) of each arrow line."""
    out = []
    dash, right, left = ("\u2500", "\u25b6", "\u25c0") if utf8 else ("-", ">", "<")
    for line in lines:
        m = ARROW.match(line)
        if not m:
            continue
        body = m.group(3)
        from_client = body.startswith(dash)
        text = body.strip(dash + right + left + " ")
        out.append((int(m.group(1)), text, m.group(5) or "", from_client))
    return out


def main():
    rstdiag, testdata = rstdiag_command(sys.argv[1]), sys.argv[2]
    want_tshark = "--tshark" in sys.argv
    mmdc = sys.argv[sys.argv.index("--mermaid") + 1] if "--mermaid" in sys.argv else None

    mermaid_blocks = []
    for rel in CAPTURES:
        path = os.path.join(testdata, rel)
        recs = [json.loads(l) for l in run(rstdiag + ["--json", path]).stdout.splitlines()]
        resets = {r["frame"]: r for r in recs if r["type"] == "reset"}
        p = run(rstdiag + ["--all", "--diagram", "--ascii", path])
        d = diagrams(p.stdout)
        check(f"{rel}: a diagram under each of the {len(resets)} resets ({len(d)})",
              p.returncode == 0 and sorted(d) == sorted(resets))
        for frame, lines in sorted(d.items()):
            a = arrows(lines, utf8=False)
            frames = [f for f, _, _, _ in a]
            ev = [e["frame"] for e in resets[frame]["evidence"] if e["frame"] < frame]
            marked = [f for f, _, mark, _ in a if mark == "evidence"]
            ok = (a and a[-1][0] == frame and a[-1][2] == "the RST" and
                  frames == sorted(set(frames)) and all(f in marked for f in ev) and
                  len(a) <= HEAD + 12 + len(ev) and
                  all(line.isascii() for line in lines))
            check(f"{rel} #{frame}: ends with the RST, evidence {ev} marked, "
                      f"{len(a)} arrows in order, ASCII", ok)
            if want_tshark:
                check_tshark(check, path, rel, frame, lines, a)
        # Locale and colour: box drawing only in a UTF-8 locale, never colour off a terminal.
        utf = run(rstdiag + ["--diagram", path], {"LC_ALL": "C.UTF-8"}).stdout
        c = run(rstdiag + ["--diagram", path], {"LC_ALL": "C"}).stdout
        check(f"{rel}: box drawing under C.UTF-8, ASCII under C, no colour off a terminal",
              ("\u2500" in utf or not resets) and c.isascii() and "\033[" not in utf + c)
        few = diagrams(run(rstdiag + ["--all", "--diagram", "--ascii", "--diagram-packets", "2",
                            path]).stdout)
        check(f"{rel}: --diagram-packets 2 keeps 2 before the RST",
              all(len(arrows(l, False)) <= HEAD + 2 + len(resets[f]["evidence"])
                  for f, l in few.items()))
        m = run(rstdiag + ["--all", "--mermaid", path]).stdout
        mermaid_blocks += re.findall(r"```mermaid\n(.*?)```", m, re.S)

    # The command line.
    one = os.path.join(testdata, CAPTURES[0])
    for args, what in ((["--diagram", "-"], "standard input"),
                       (["--diagram", "--json", one], "--json"),
                       (["--ascii", one], "--ascii alone"),
                       (["--diagram", "--diagram-packets", "0", one], "--diagram-packets 0")):
        p = subprocess.run(rstdiag + args, capture_output=True, text=True, stdin=subprocess.DEVNULL)
        check(f"{what}: a one-line usage error ({p.returncode})",
              p.returncode == 2 and len(p.stderr.strip().splitlines()) == 1)

    if mmdc:
        check_mermaid(check, mmdc, mermaid_blocks)
    print(f"diagram: {len(failures)} failed")
    return 1 if failures else 0


def check_tshark(check, path, rel, frame, lines, a):
    """Each arrow against tshark; the arrows and the packets not shown
    against the RST's TCP stream."""
    # The innermost IP header's source: a tunnelled segment's own.
    rows = subprocess.run(["tshark", "-n", "-r", path, "-T", "fields", "-E", "occurrence=l",
                           "-e", "frame.number", "-e", "tcp.stream", "-e", "tcp.flags",
                           "-e", "tcp.seq", "-e", "tcp.ack", "-e", "tcp.len",
                           "-e", "ip.src", "-e", "ipv6.src", "-e", "tcp.srcport"],
                          capture_output=True, text=True).stdout.splitlines()
    t = {int(r.split("\t")[0]): r.split("\t") for r in rows}
    bad = []
    client = lines[0].split()[1] if lines else ""
    for f, text, _, from_client in a:
        r = t[f]
        words = text.split()
        flags = sum(FLAGS[x] for x in words[0].split("+"))
        nums = dict(zip(words[1::2], words[2::2]))
        src = (r[6] or r[7]) + ":" + r[8]
        want_client = client.endswith(src) or client == f"[{r[7]}]:{r[8]}"
        if (flags != int(r[2], 16) or nums.get("seq") != r[3] or
                ((flags & 0x10) and nums.get("ack") != r[4]) or
                nums.get("len", "0") != r[5] or from_client != want_client):
            bad.append((f, text, r[2:9]))
    stream = t[frame][1]
    upto = [f for f, r in t.items() if r[1] == stream and f <= frame]
    shown = len(a)
    hidden = sum(int(m.group(1)) for l in lines
                 for m in [re.search(r"\.\.\. (\d+) packets? not shown", l)] if m)
    check(f"{rel} #{frame}: every arrow as tshark reads its frame {bad[:2]}", not bad)
    check(f"{rel} #{frame}: {shown} shown + {hidden} not shown = the stream's "
          f"{len(upto)} frames up to the RST",
          shown + hidden == len(upto))


def check_mermaid(check, mmdc, blocks):
    config = {"executablePath": "/usr/bin/chromium",
              "args": ["--no-sandbox", "--headless", "--disable-gpu", "--no-first-run",
                       "--disable-background-networking", "--disable-component-update",
                       "--disable-sync"]}
    with tempfile.TemporaryDirectory() as d:
        pp = os.path.join(d, "puppeteer.json")
        json.dump(config, open(pp, "w"))
        # One Markdown file with every block: mmdc renders each to its own SVG.
        md = os.path.join(d, "all.md")
        with open(md, "w") as f:
            for b in blocks:
                f.write("```mermaid\n" + b + "```\n\n")
        p = subprocess.run([mmdc, "-p", pp, "-i", md, "-o", os.path.join(d, "out.md")],
                           capture_output=True, text=True, timeout=600)
        svgs = [x for x in os.listdir(d) if x.endswith(".svg")]
        ok = p.returncode == 0 and len(svgs) == len(blocks) and blocks
        check(f"mermaid: mmdc renders all {len(blocks)} --mermaid blocks ({len(svgs)} SVGs) "
                  f"{p.stderr.strip()[-300:] if p.returncode else ''}", ok)



if __name__ == "__main__":
    sys.exit(main())
