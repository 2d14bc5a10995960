#!/usr/bin/env python3
"""Validates every JSON line of every golden output against the output
contract of ../shared/TAXONOMY.md (as documented in the man page's JSON
section): field names, types and value sets, the summary last, and the
counts agreeing. Unknown fields fail too, and every field name must be
documented in man/rstdiag.1, so the schema, the code and the man page
cannot drift apart.

usage: json_schema.py TESTDATA_DIR MAN_PAGE
"""
import glob
import json
import os
import re
import sys

CAUSES = {"closed-port", "connect-timeout", "handshake-abort", "timewait-reuse",
          "data-after-fin", "unread-recv-buffer", "linger-abort", "peer-lost-state",
          "idle-timeout", "injected", "keepalive-timeout", "retransmit-timeout",
          "response-timeout", "invalid-segment", "reset-followup", "unknown"}
ROLES = {"client", "server", "unknown"}
HALF_STATES = {"unseen", "syn-sent", "syn-ack-sent", "open", "fin-sent", "fin-acked", "reset"}

# Type tags: a Python type, a set of allowed values, a nested schema (dict),
# ("array", item), ("null", inner) for "inner or null", or a predicate.
INT = int
NUM = (int, float)
STR = str
BOOL = bool


def nullable(t):
    return ("null", t)


def array(t):
    return ("array", t)


def port(v):
    return isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= 65535


def frame(v):
    return isinstance(v, int) and not isinstance(v, bool) and v >= 1


def u32(v):
    return isinstance(v, int) and not isinstance(v, bool) and 0 <= v < 2 ** 32


HALF = {
    "state": HALF_STATES, "packets": INT, "bytes": INT,
    "?next_seq": u32, "?next_seq_rel": u32, "?ack": u32, "?ttl_range": array(INT),
    "?fin_frame": frame, "?rst_frame": frame,
    "retransmissions": INT, "keepalives": INT, "zero_windows": INT,
}

RESET = {
    "type": {"reset"}, "file": STR, "interface": nullable(STR), "frame": frame, "file_frame": frame, "ts": NUM, "rel": NUM,
    "src": STR, "sport": port, "dst": STR, "dport": port, "ip_version": {4, 6},
    "tunnel": nullable({
        "path": STR,
        "layers": array({
            "kind": {"ip-in-ip", "gre", "gretap", "erspan", "vxlan", "geneve", "gtp-u",
                     "teredo", "mpls"},
            "?vni": u32, "?teid": u32, "?label": u32, "?key": u32, "?session": u32,
            "?src": STR, "?dst": STR,
        }),
    }),
    "flags": lambda v: isinstance(v, str) and "RST" in v.split("+"),
    "seq": u32, "ack": u32, "ttl": INT, "?ip_id": INT, "payload_len": INT,
    "sender": ROLES, "role_guessed": BOOL, "origin": {"endpoint", "middlebox", "unknown"},
    "mptcp": nullable({"option": {"MP_FASTCLOSE", "MP_TCPRST"}, "?reason": nullable(STR),
                       "?reason_code": INT, "?transient": BOOL}),
    "nat": nullable({"kind": {"untranslated", "remapped", "after-reset", "moved"}, "frame": nullable(frame),
                     "replaced": BOOL,
                     "address": STR, "port": port}),
    "burst": nullable({"connections": INT, "first_frame": frame, "last_frame": frame,
                       "span_s": NUM}),
    "origin_evidence": STR, "origin_by": {"ttl", "timing", "went_on", "host_profile", "payload", "capture_host",
                                       "raw_syn", "none"},
    "peer_relay": BOOL,
    "service": nullable(STR),
    "?kernel_reason": nullable(STR), "?kernel_state": nullable(STR),
    "rst_payload": nullable({
        "format": {"diag-compact", "diag-text", "text", "binary"}, "code": nullable(INT),
        "enterprise": nullable(INT), "cause": nullable(STR), "text": nullable(STR),
    }),
    "peer_accepted": nullable({"frame": frame, "port": port, "after_rst_s": NUM}),
    "port_accepted": nullable({"frame": frame, "after_rst_s": NUM, "other_address": BOOL}),
    "race_won": nullable({"frame": frame, "after_syn_s": NUM}),
    "stuck_oversize": nullable({"by_sender": BOOL, "len": INT, "acked_bytes": INT}),
    "goodbye": nullable({"kind": {"postgresql-idle-in-transaction-timeout",
                                  "postgresql-idle-session-timeout", "postgresql-admin-shutdown",
                                  "mysql-inactivity-timeout"}, "by_sender": BOOL}),
    "graceful_closes": nullable(lambda v: isinstance(v, int) and 2 <= v <= 31),
    "probed_ports": nullable(lambda v: isinstance(v, int) and 3 <= v <= 255),
    "refusal": nullable({"ssh-maxstartups", "reply-421", "redis-maxclients",
                         "mysql-too-many-connections", "postgresql-too-many-connections"}),
    "sender_host": nullable({
        "connections": INT, "ttls": array(lambda v: isinstance(v, int) and 1 <= v <= 255),
        "initial_ttl": nullable({64, 128, 255}),
        "stack": nullable({"linux", "windows", "macos", "freebsd"}),
        "ip_id": nullable({"zero", "global", "per-connection", "random"}),
    }), "form": {"reply", "active", "other"}, "cause": CAUSES,
    "detail": nullable(STR), "confidence": {"high", "medium", "low"},
    "alternatives": array({"cause": CAUSES, "why": lambda v: isinstance(v, str) and len(v) > 20}),
    "trigger_frame": nullable(frame), "trigger_len": nullable(INT), "trigger_resent": nullable(BOOL),
    "trigger_after_rst": nullable(BOOL), "followup_of": nullable(frame),
    "seq_at_peer": nullable({"next", "fin", "below", "ahead"}),
    "followup_seq_at_peer": nullable({"next", "fin", "below", "ahead"}),
    "followup_taken_later": nullable(BOOL),
    "rtt_s": nullable(NUM), "idle_before_s": nullable(NUM), "max_gap_s": NUM,
    "trigger_gap_s": nullable(NUM),
    "request": nullable({
        "frame": frame, "method": nullable(STR), "target": nullable(STR),
        "reached_peer": {"no", "maybe", "yes"}, "retry_safe": BOOL,
        "connection": nullable({"keep-alive", "close"}),
        "body_due": nullable(INT),
    }),
    "tls": nullable({
        "sni": nullable(STR), "alpn": array({"h2", "http/1.1", "other"}), "alpn_chosen": BOOL,
        "version": nullable({"ssl3", "1.0", "1.1", "1.2", "1.3"}),
        "offered": nullable({"ssl3", "1.0", "1.1", "1.2", "1.3"}),
        "stage": {"client-hello", "server-hello", "established"},
        "alert": nullable(STR), "alert_code": nullable(lambda v: isinstance(v, int) and 0 <= v <= 255),
        "alert_from": nullable(ROLES), "record_len": nullable(INT),
    }),
    "response": nullable({
        "status": lambda v: isinstance(v, int) and 100 <= v <= 999,
        "sender": ROLES, "connection": nullable({"keep-alive", "close"}),
        "keepalive_timeout_s": nullable(INT), "session_timeout_s": nullable(INT),
    }),
    "handshake": {"complete", "syn+syn-ack", "syn", "syn-ack", "not-seen"},
    "incarnation": INT,
    "before": lambda v: isinstance(v, dict) and len(v) == 2 and
    set(v) in ({"client", "server"}, {"sender", "peer"}),
    "evidence": array({"frame": frame, "rel": NUM, "what": STR}),
    "explanation": lambda v: isinstance(v, str) and len(v) > 20,
    "advice": STR,
}

ENDPOINT = {
    "endpoint": lambda v: isinstance(v, str) and re.fullmatch(r"(\d+\.){3}\d+:\d+|\[[0-9a-f:.]+\]:\d+", v),
    "service": nullable(STR), "sni": nullable(STR), "sni_several": BOOL,
    "resets": INT, "by_cause": lambda v: isinstance(v, dict) and set(v) <= CAUSES,
    "idle_close_s": nullable(NUM), "idle_close_seen": INT, "idle_close_consistent": BOOL,
    "matches": array(STR), "keepalive_header_s": nullable(INT), "requests_after_close": INT,
    "middlebox_idle_s": nullable(NUM), "middlebox_idle_seen": INT,
    "middlebox_idle_consistent": BOOL, "middlebox_matches": array(STR),
    "http_seen": BOOL,
    "app": nullable({"ssh", "smtp", "ftp", "imap", "pop3", "postgresql", "mysql", "redis",
                     "mongodb", "xmpp", "http-tunnel"}),
    # [key, milliseconds] pairs, at most 64, in key order (server_insights.h)
    "idle_close_sample": lambda v: is_sample(v),
    "middlebox_idle_sample": lambda v: is_sample(v),
}


def is_sample(v):
    return (isinstance(v, list) and len(v) <= 64 and
            all(isinstance(p, list) and len(p) == 2 and all(isinstance(x, int) for x in p)
                for p in v) and v == sorted(v))

SUMMARY = {
    "type": {"summary"}, "shard": nullable({"index": INT, "count": INT}),
    "inputs": lambda v: isinstance(v, list) and all(isinstance(x, str) for x in v),
    "packets": INT, "filtered_out": INT, "tcp_packets": INT,
    "flows": INT, "flows_peak": INT, "flows_evicted": INT, "resets": INT,
    "?kernel_reasons": {"joined": INT, "fits": INT, "by_cause": lambda v: isinstance(v, dict)
                        and set(v) <= CAUSES},
    "by_cause": lambda v: isinstance(v, dict) and set(v) <= CAUSES and
    all(isinstance(n, int) and n > 0 for n in v.values()),
    "skipped": {"non_ip": INT, "non_tcp": INT, "fragment": INT, "truncated": INT,
                "invalid": INT, "unparsed": INT, "encrypted": INT},
    "payload_truncated": INT, "tls_hellos_joined": INT, "tls_hellos_cut": INT,
    "duplicates": INT, "first_ts": nullable(NUM), "last_ts": nullable(NUM),
    "capture_point": {"client", "server", "middle", "unknown"},
    "?capture": {"received": INT, "dropped": INT, "if_dropped": INT},
    "capture_point_evidence": STR,
    "capture_point_votes": {"unknown": INT, "client": INT, "server": INT, "middle": INT},
    "handshake_sums_ns": {"syn_to_synack": INT, "synack_to_ack": INT},
    "endpoints": array(ENDPOINT),
    "warnings": array({"name": {"capture_damaged", "flows_evicted", "time_backwards",
                                "headers_truncated", "endpoints_full", "kernel_drops",
                                "record_length_invalid", "headers_invalid",
                                "tcp_options_malformed", "tcp_flags_invalid", "tunnels_full",
                                "link_type_unsupported", "tcp_relay",
                                "time_jump", "generated_packets"},
                       "count": INT, "message": STR,
                       "at": nullable({"input": INT, "frame": INT})}),
}


def check(value, schema, path, errors, keys):
    if isinstance(schema, tuple) and schema[0] == "null":
        if value is not None:
            check(value, schema[1], path, errors, keys)
        return
    if isinstance(schema, tuple) and schema[0] == "array":
        if not isinstance(value, list):
            errors.append(f"{path}: not an array: {value!r}")
            return
        for i, item in enumerate(value):
            check(item, schema[1], f"{path}[{i}]", errors, keys)
        return
    if isinstance(schema, dict):
        if not isinstance(value, dict):
            errors.append(f"{path}: not an object: {value!r}")
            return
        names = {k.lstrip("?") for k in schema}
        for k, sub in schema.items():
            name = k.lstrip("?")
            if name in value:
                keys.add(name)
                check(value[name], sub, f"{path}.{name}", errors, keys)
            elif not k.startswith("?"):
                errors.append(f"{path}: missing {name}")
        for extra in set(value) - names:
            errors.append(f"{path}: field {extra} is not in the schema")
        return
    if isinstance(schema, set):
        if value not in schema or isinstance(value, bool):
            errors.append(f"{path}: {value!r} is not one of {sorted(map(str, schema))}")
        return
    if isinstance(schema, type) or (isinstance(schema, tuple) and all(isinstance(t, type) for t in schema)):
        if not isinstance(value, schema) or (isinstance(value, bool) and schema is not bool):
            errors.append(f"{path}: {value!r} has the wrong type")
        return
    if not schema(value):
        errors.append(f"{path}: {value!r} is not valid")


def check_stream(name, lines, errors, keys):
    objs = [json.loads(l) for l in lines]
    for i, o in enumerate(objs):
        schema = RESET if o.get("type") == "reset" else SUMMARY
        check(o, schema, f"{name}:{i + 1}", errors, keys)
    resets = [o for o in objs if o.get("type") == "reset"]
    summary = objs[-1]
    if summary.get("type") != "summary" or any(o.get("type") != "reset" for o in objs[:-1]):
        errors.append(f"{name}: the summary must be the last line and the only one")
        return
    if summary["resets"] != len(resets) or sum(summary["by_cause"].values()) != len(resets):
        errors.append(f"{name}: summary counts {summary['resets']} resets, "
                      f"by_cause {sum(summary['by_cause'].values())}, records {len(resets)}")
    for r in resets:
        if (r["cause"] == "reset-followup") != (r["followup_of"] is not None):
            errors.append(f"{name}: frame {r['frame']}: followup_of set iff reset-followup")
        # TAXONOMY: a medium verdict names its runner-up; a high one has no rival.
        want_alt = r["confidence"] == "medium"
        if bool(r["alternatives"]) != want_alt:
            errors.append(f"{name}: frame {r['frame']}: {r['confidence']} verdict with "
                          f"{len(r['alternatives'])} alternatives")
        if any(a["cause"] == r["cause"] for a in r["alternatives"]):
            errors.append(f"{name}: frame {r['frame']}: its own cause as runner-up")
        if r["followup_of"] is not None and r["followup_of"] >= r["frame"]:
            errors.append(f"{name}: frame {r['frame']} follows a later frame")
    by_file = {}
    for r in resets:
        by_file.setdefault(r["file"], []).append(r["frame"])
    for f, frames in by_file.items():
        if frames != sorted(frames):
            errors.append(f"{name}: {f}: resets not in frame order")


def main():
    testdata, man = sys.argv[1], sys.argv[2]
    errors, keys, causes, checked = [], set(), set(), 0
    for path in sorted(glob.glob(os.path.join(testdata, "golden", "*.out"))):
        with open(path) as f:
            lines = [l for l in f.read().splitlines() if l]
        if not lines or not lines[0].startswith("{"):
            continue
        checked += 1
        check_stream(os.path.basename(path), lines, errors, keys)
        causes |= set(json.loads(lines[-1]).get("by_cause", {}))
    man_text = open(man).read()
    # Every field name that occurs must be documented (in bold, as the man page names fields).
    for k in sorted(keys):
        if not re.search(r"^\.B[RI]? \"?" + re.escape(k.replace("-", "\\-")) + r"\b", man_text, re.M) \
                and not re.search(r"^\.BR [^\n]*\b" + re.escape(k) + r"\b", man_text, re.M):
            errors.append(f"field {k} is not documented in the man page")
    missing = CAUSES - causes
    if missing:
        errors.append(f"causes no golden output shows: {sorted(missing)}")
    for e in errors[:60]:
        print("FAIL", e)
    print(f"json_schema: {checked} golden JSON outputs, {len(keys)} field names, "
          f"{len(causes)} causes, {len(errors)} problems")
    return 1 if errors or checked == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
