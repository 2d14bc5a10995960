"""Whether a record's words filled the buffer they were written in.

explain.c writes each text into a fixed buffer of struct explanation
(src/explain.h), and text_vappend cuts what does not fit without a word:
a text as long as its buffer's room was cut mid-sentence, which a record
must never be. The sizes are read from explain.h, so the check follows
them. Used by golden.py (testdata) and corpus_readings.py (the corpus).
"""
import os
import re

HEADER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src", "explain.h")


def rooms(header=HEADER):
    """Each buffer's room for text (its size less the NUL), by name."""
    text = open(header).read()
    size = {m.group(1): int(m.group(2))
            for m in re.finditer(r"char (\w+)(?:\[\w+\])?\[(\d+)\];", text)}
    return {k: size[k] - 1 for k in ("why", "advice", "origin", "runner_up", "what")}


def cut_texts(record, room):
    """The names of record's texts that fill their buffer's room."""
    texts = [("explanation", record.get("explanation"), room["why"]),
             ("advice", record.get("advice"), room["advice"]),
             ("origin_evidence", record.get("origin_evidence"), room["origin"])]
    texts += [("alternatives.why", a.get("why"), room["runner_up"])
              for a in record.get("alternatives") or []]
    texts += [("evidence.what", e.get("what"), room["what"])
              for e in record.get("evidence") or []]
    return [name for name, s, n in texts if s and len(s.encode()) >= n]
