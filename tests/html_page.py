#!/usr/bin/env python3
"""--html FILE (issue 21, part 4): one self-contained page.

usage: html_page.py RSTDIAG TESTDATA [--chromium]

On the captures below, with rstdiag --json naming every reset:
  - the page is well formed (every element closed, in order) and fetches
    nothing: no script, link, img, iframe, object or embed element, no src
    or href attribute, no url( or @import in its style;
  - its table counts each cause as the JSON summary does, and its timeline
    (inline SVG) adds up, per cause, to the same counts;
  - it shows in full, with a diagram ending at the RST, exactly the
    resets the text report does (the first 3 of each cause that is not
    benign; every one with --all), each with the Wireshark display filter
    of its connection;
  - the Servers section names every endpoint of the JSON summary (10 at most);
  - an unwritable FILE gives the report, one line and exit status 4.
--chromium: headless Chromium loads each page, with no network, and its DOM
has the same incidents.
"""
import html.parser
import json
import os
import re
import subprocess
import sys
import tempfile

from checks import check, failures

from wrapper import rstdiag_command

CAPTURES = [
    ["lab/tls13-keepalive-race-v4.pcap", "lab/urllib3-pool-race-v4.pcap"],
    ["lab/closed-port-v6.pcapng"],
    ["two-interfaces.pcapng"],
    ["lab/accept-overflow-deferred-v4.pcap", "lab/injected-rst-burst-v4.pcap",
     "lab/nginx-keepalive-timeout-v4.pcap", "lab/redis-idle-timeout-v4.pcap"],
]
VOID = {"meta", "br", "hr", "input", "img", "link", "wbr", "col", "area", "base", "source"}
FORBIDDEN = {"script", "link", "img", "iframe", "object", "embed", "audio", "video", "source"}
BENIGN = lambda r: r["cause"] == "reset-followup" or (r["cause"], r["detail"]) in (
    ("linger-abort", "probe"), ("connect-timeout", "abandoned"),
    ("data-after-fin", "close-notify"), ("data-after-fin", "quit-reply"),
    ("data-after-fin", "peer-quit"))


class Page(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.problems = [], []
        self.rects, self.sections, self.rows = [], {}, []
        self.cur_section = None
        self.in_pre = None
        self.text = {"diagram": "", "servers": "", "filter": ""}
        self.cur_filter = None
        self.h2 = None
        self.style = ""
        self.in_style = False
        self.cells = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in FORBIDDEN:
            self.problems.append(f"<{tag}> element")
        for k in ("src", "href", "xlink:href", "srcset", "action", "data"):
            if k in a:
                self.problems.append(f"{tag} {k}={a[k]}")
        if tag == "rect":
            self.rects.append((a.get("data-cause"), int(a.get("data-count", 0))))
        if tag == "section":
            self.cur_section = a.get("id")
            self.sections[self.cur_section] = {"diagram": "", "filter": ""}
        if tag == "pre" and self.cur_section and a.get("class") == "diagram":
            self.in_pre = "diagram"
        if tag == "code" and a.get("class") == "filter":
            self.cur_filter = True
        if tag == "style":
            self.in_style = True
        if tag == "tr":
            self.cells = []
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        if tag in FORBIDDEN:
            self.problems.append(f"<{tag}> element")

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
            return
        self.stack.pop()
        if tag == "section":
            self.cur_section = None
        if tag == "pre":
            self.in_pre = None
        if tag == "code":
            self.cur_filter = None
        if tag == "style":
            self.in_style = False
        if tag == "tr" and self.cells:
            self.rows.append(self.cells)
            self.cells = None

    def handle_data(self, data):
        if self.in_style:
            self.style += data
        if self.in_pre == "diagram":
            self.sections[self.cur_section]["diagram"] += data
        if self.cur_filter and self.cur_section:
            self.sections[self.cur_section]["filter"] += data
        if self.cells is not None and self.stack and self.stack[-1] == "td":
            self.cells.append(data)


def main():
    rstdiag, testdata = rstdiag_command(sys.argv[1]), sys.argv[2]
    chromium = "--chromium" in sys.argv

    with tempfile.TemporaryDirectory() as d:
        for rels in CAPTURES:
            paths = [os.path.join(testdata, r) for r in rels]
            name = "+".join(os.path.basename(r) for r in rels)
            for all_ in (False, True):
                page_path = os.path.join(d, "page.html")
                args = rstdiag + ["--json", "--html", page_path] + (["--all"] if all_ else [])
                p = subprocess.run(args + paths, capture_output=True, text=True)
                recs = [json.loads(l) for l in p.stdout.splitlines()]
                resets = [r for r in recs if r["type"] == "reset"]
                summary = recs[-1]
                check(f"{name}{' --all' if all_ else ''}: exit {p.returncode}, page written",
                      p.returncode in (0, 3) and os.path.exists(page_path))
                text = open(page_path, encoding="utf-8").read()
                page = Page()
                page.feed(text)
                page.close()
                style = page.style.lower()
                check(f"{name}: well formed, nothing fetched {page.problems[:3]} {page.stack}",
                      not page.problems and not page.stack and "url(" not in style and
                      "@import" not in style and "http:" not in text and "https:" not in text)
                table = {r[0]: int(r[1]) for r in page.rows if len(r) > 2}
                check(f"{name}: the table's counts are the summary's {table}",
                      table == summary["by_cause"])
                bars = {}
                for cause, n in page.rects:
                    bars[cause] = bars.get(cause, 0) + n
                check(f"{name}: the timeline adds up per cause", bars == summary["by_cause"])
                # Which resets the page shows in full, and their filters.
                want, seen = [], {}
                for r in resets:
                    if all_ or (not BENIGN(r) and seen.get(r["cause"], 0) < 3):
                        seen[r["cause"]] = seen.get(r["cause"], 0) + 1
                        want.append(r)
                ids = {f"rst-{paths.index(r['file']) if r['file'] in paths else 0}-{r['frame']}": r
                       for r in want}
                check(f"{name}: the {len(ids)} incidents in full ({len(page.sections)})",
                      sorted(page.sections) == sorted(ids))
                bad = []
                for sid, r in ids.items():
                    s = page.sections.get(sid)
                    f = "ip.addr" if r["ip_version"] == 4 else "ipv6.addr"
                    filt = (f"{f}=={r['src']} && {f}=={r['dst']} && tcp.port=={r['sport']} && "
                            f"tcp.port=={r['dport']}")
                    arrows = [l for l in (s or {}).get("diagram", "").splitlines()
                              if l.startswith("#")]
                    if (not s or s["filter"] != filt or not arrows or
                            not arrows[-1].startswith(f"#{r['frame']} ") or
                            "the RST" not in arrows[-1]):
                        bad.append(sid)
                check(f"{name}: each incident's filter and diagram ending at its RST {bad[:3]}", not bad)
                eps = [e["endpoint"] for e in summary["endpoints"]][:10]
                check(f"{name}: the Servers section names {len(eps)} endpoints", all(e in text for e in eps))
                if chromium:
                    dom = subprocess.run(
                        ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                         "--disable-background-networking", "--disable-component-update",
                         "--disable-sync", f"--user-data-dir={d}/chromium",
                         "--host-resolver-rules=MAP * ~NOTFOUND", "--dump-dom",
                         "file://" + page_path], capture_output=True, text=True, timeout=120).stdout
                    got = set(re.findall(r'<section class="incident" id="([^"]+)"', dom))
                    check(f"{name}: Chromium's DOM has the {len(ids)} incidents", got == set(ids))
        one = os.path.join(testdata, CAPTURES[0][0])
        p = subprocess.run(rstdiag + ["--html", os.path.join(d, "no", "such.html"), one],
                           capture_output=True, text=True)
        check(f"--html into a missing directory: the report, one line, exit 4 ({p.returncode})",
              p.returncode == 4 and len(p.stderr.strip().splitlines()) == 1 and "RST #" in p.stdout)
        p = subprocess.run(rstdiag + ["--html", os.path.join(d, "x.html"), "-"],
                           capture_output=True, text=True, stdin=subprocess.DEVNULL)
        check(f"--html with standard input: a one-line usage error ({p.returncode})",
              p.returncode == 2 and len(p.stderr.strip().splitlines()) == 1)
    print(f"html: {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
