#!/usr/bin/env python3
"""The man page documents every option in --help, every cause id, every
warning name and every exit status, so the three cannot drift apart."""
import os
import re
import shutil
import subprocess
import sys


def main():
    rstdiag, src, man = sys.argv[1], sys.argv[2], sys.argv[3]
    if shutil.which("man"):
        page = subprocess.run(["man", "-l", man], capture_output=True, text=True,
                              env=dict(os.environ, MANWIDTH="200", MAN_KEEP_FORMATTING="0"))
        text = re.sub(r".\x08", "", page.stdout)
    else:
        text = re.sub(r"\\-", "-", re.sub(r"\\f[BIRP]", "", open(man).read()))
    help_text = subprocess.run([rstdiag, "--help"], capture_output=True, text=True).stdout
    options = set(re.findall(r"(?<![\w-])(--[a-z][a-z-]+|-[a-zA-Z])\b", help_text))
    causes = re.findall(r'\[CAUSE_\w+\] = \{ "([a-z-]+)"', open(os.path.join(src, "cause.c")).read())
    warnings = re.findall(r'\[WARN_\w+\] = "([a-z_]+)"', open(os.path.join(src, "stats.c")).read())
    statuses = re.findall(r"EXIT_\w+ = (\d+)", open(os.path.join(src, "msg.h")).read())
    missing = []
    for o in sorted(options):
        if not re.search(r"(?<![\w-])" + re.escape(o) + r"(?![\w-])", text):
            missing.append("option " + o)
    for c in causes:
        if c not in text:
            missing.append("cause " + c)
    for w in warnings:
        if w not in text:
            missing.append("warning " + w)
    m = re.search(r"^EXIT STATUS\n(.*?)\n[A-Z][A-Z ]+\n", text, re.S | re.M)
    for s in statuses:
        if not m or not re.search(r"^\s*" + s + r"\b", m.group(1), re.M):
            missing.append("exit status " + s)
    checked = len(options) + len(causes) + len(warnings) + len(statuses)
    for x in missing:
        print("man page lacks", x)
    print(f"man page: {checked} items checked, {len(missing)} missing")
    return 1 if missing or len(options) < 5 or len(causes) < 16 else 0


if __name__ == "__main__":
    sys.exit(main())
