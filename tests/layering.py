#!/usr/bin/env python3
"""The architecture's layers, held by the includes of src/.

Data flows capture -> decode -> track -> judge -> report (STYLE.md). A file
may include the headers of its own layer and of the layers before it, never
of a layer after it: the decoders know nothing of flows, tracking records
facts without knowing how they are judged, and the judge decides without
knowing how a verdict is worded (STYLE.md, "Deciding and saying apart").
Wiring and utility files may include anything and be included by anything.
Libraries are held to one place each: libpcap to the capture layer (and
options.c, whose --version prints pcap_lib_version()), cJSON to the
files that write and read JSON Lines (report_json.c, report_merge.c,
report_from_json.c), the decompressors to decompress.c.

Every file in src/ must be in LAYERS: a new file fails this test until it
is placed. Only direct #include lines are read.

usage: layering.py SRC_DIR
"""
import fnmatch
import os
import re
import sys

# Layers in data order; each pattern (fnmatch) names files in src/.
LAYERS = {
    "capture": ["capture.[ch]", "live.[ch]", "decompress.[ch]", "pcapng.[ch]", "netmon.[ch]", "read_buf.[ch]",
                "source.h", "kernel_reasons.[ch]"],
    "decode": ["decode.h", "decode_*.c", "packet.h", "http.[ch]", "tls.[ch]",
               "tls_reasm.[ch]", "first_bytes.[ch]",
               "rst_payload.[ch]"],
    "track": ["flow_table.[ch]", "tcp_track.[ch]", "flow.[ch]", "tunnel_table.[ch]",
              "host_table.[ch]", "stray_acks.[ch]", "nat_twin.[ch]", "late_segments.[ch]", "rst_bursts.[ch]", "incidents.[ch]", "shard.[ch]", "slab.[ch]"],
    "judge": ["classify.[ch]", "addr_scope.h", "cause.[ch]", "idle_defaults.[ch]", "service.[ch]", "verdict_queue.[ch]",
              "stats.[ch]"],
    "report": ["report*.[ch]", "explain.[ch]", "server_insights.[ch]", "pcapng_write.[ch]",
               "ladder.[ch]", "json_write.[ch]", "text_format.[ch]"],
}
ORDER = list(LAYERS)
# pipeline connects the stages, second_read (-w, --diagram) the second read
# of the inputs with the report's comments, and live_fanout (--fanout) forks
# live workers and merges their output; main, options and msg are the command
# line; the rest are helpers every layer uses (config.h is generated; rd.h,
# the bounds-checked reader, reads packet headers in decode, and pcapng
# blocks and Network Monitor frames in capture).
UNLAYERED = ["main.c", "options.[ch]", "msg.[ch]", "pipeline.[ch]", "second_read.[ch]",
             "live_fanout.[ch]",
             "xalloc.h", "seq.h", "prefetch.h",
             "rd.h", "config.h"]

# System headers allowed only in some files. <pcap/dlt.h> is not among
# them: it is the list of link-type numbers decode_link.c dispatches on,
# and declares no libpcap function.
LIBRARIES = {
    "libpcap": (re.compile(r"^pcap(\.h|/(?!dlt\.h$).*)$"), ["capture.[ch]", "live.[ch]",
                                                          "options.c"]),
    "cJSON": (re.compile(r"^cjson/|^cJSON\.h$"), ["report_json.c", "report_merge.c",
                                                      "report_from_json.c"]),
    "zlib, zstd, lz4": (re.compile(r"^(zlib|zstd|lz4|lz4frame)\.h$"), ["decompress.c"]),
}

INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]', re.M)


def matches(name, patterns):
    return any(fnmatch.fnmatchcase(name, p) for p in patterns)


def layer_of(name):
    """The layer's index in ORDER, None for wiring and utility, or KeyError."""
    for i, layer in enumerate(ORDER):
        if matches(name, LAYERS[layer]):
            return i
    if matches(name, UNLAYERED):
        return None
    raise KeyError(name)


def main():
    src = sys.argv[1]
    files = sorted(f for f in os.listdir(src) if f.endswith((".c", ".h")))
    problems = []
    for name in files:
        try:
            layer_of(name)
        except KeyError:
            problems.append(f"{name}: in no layer; place it in LAYERS or UNLAYERED "
                            "(tests/layering.py)")
    includes = 0
    for name in files:
        with open(os.path.join(src, name)) as f:
            text = f.read()
        for kind, header in INCLUDE.findall(text):
            includes += 1
            if kind == "<":
                for lib, (pattern, allowed) in LIBRARIES.items():
                    if pattern.search(header) and not matches(name, allowed):
                        problems.append(f"{name}: includes <{header}>; {lib} belongs in "
                                        f"{', '.join(allowed)} only")
                continue
            try:
                mine, theirs = layer_of(name), layer_of(header)
            except KeyError:
                continue    # a file of src/ in no layer: reported above
            if mine is not None and theirs is not None and theirs > mine:
                problems.append(f'{name} ({ORDER[mine]}): includes "{header}" '
                                f"({ORDER[theirs]}), a later layer")
    for p in problems:
        print("FAIL", p)
    print(f"layering: {len(files)} files, {includes} includes, {len(problems)} problems")
    return 1 if problems or not files or not includes else 0


if __name__ == "__main__":
    sys.exit(main())
