#!/usr/bin/env python3
"""Prints the scenario table of README.md from labels.json (run after lab.py)."""
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
caps = json.load(open(os.path.join(HERE, "labels.json")))["captures"]
print("| capture | point | RSTs: sender, kernel reason → label | what it does |")
print("|---|---|---|---|")
for c in caps:
    rsts = "; ".join(
        f"#{r['frame']} {r['sender']}, {r['kernel']['reason'] if r['kernel'] else 'no kernel event'}"
        f" → **{r['cause']}**{'/' + r['detail'] if r['detail'] else ''}"
        f"{' (or ' + ', '.join(r['alternatives']) + ')' if r['alternatives'] else ''}"
        for r in c["resets"])
    print(f"| `{c['file']}` | {c['capture_point']} | {rsts} | {c['description']} |")
