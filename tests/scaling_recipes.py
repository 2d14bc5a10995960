#!/usr/bin/env python3
"""docs/scaling.md's recipes, run here as plain processes.

A ring of four rotated files is made from the lab's captures (each file a
few of them, their times moved one after another). Then:
  - docs/scaling/shard-all.sh (GNU parallel when installed, else xargs -P)
    with 3 shards must write exactly what `rstdiag --json RING...` writes;
  - the Slurm array's task script, run for each task id with the variables
    Slurm sets, then the merge script, the same;
  - the Kubernetes Indexed Job's two commands (the lines after
    "# rstdiag-step:" in the manifests), run for each completion index
    with the variables the manifests and Kubernetes set, the same;
  - docs/scaling/per-file.sh gives every RST of the ring a record (it cuts
    connections at file boundaries, so only the set of RSTs is checked).

usage: scaling_recipes.py RSTDIAG SOURCE_ROOT
"""
import glob
import json
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fuzz"))
import pcapio  # noqa: E402

from checks import check, failures  # noqa: E402


def make_ring(root, tmp):
    """Four pcap files: lab captures back to back, 100 s apart."""
    caps = sorted(glob.glob(os.path.join(root, "testdata", "lab", "*.pcap")))
    groups = [caps[i::4][:4] for i in range(4)]
    paths, t = [], 1_800_000_000 * 10**9
    for i, group in enumerate(groups):
        out = []
        for cap in group:
            recs = pcapio.read(cap)
            if not recs or len({r.linktype for r in recs}) != 1 or recs[0].linktype != 1:
                continue
            base = recs[0].ts_ns
            for r in recs:
                out.append(pcapio.Record(r.linktype, t + r.ts_ns - base, r.data, r.orig_len))
            t = out[-1].ts_ns + 100 * 10**9
        path = os.path.join(tmp, f"ring-{i}.pcap")
        with open(path, "wb") as f:
            f.write(pcapio.pcap(out, nano=True))
        paths.append(path)
    return paths


def sh(cmd, env, cwd=None):
    return subprocess.run(["bash", "-c", cmd], env=env, cwd=cwd, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, timeout=600)


def step(manifest, name):
    """The shell command after "# rstdiag-step: NAME" in a manifest."""
    text = open(manifest).read()
    m = re.search(r"# rstdiag-step: " + name + r"\n\s*- (.*)\n", text)
    assert m, f"{manifest}: no step {name}"
    return m.group(1)


def main():
    rstdiag, root = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    docs = os.path.join(root, "docs", "scaling")
    bindir = os.path.dirname(rstdiag)
    with tempfile.TemporaryDirectory(prefix="rstdiag-recipes-") as tmp:
        caps = os.path.join(tmp, "captures")
        os.mkdir(caps)
        # Records name their file as given: every recipe is given the same names.
        ring = make_ring(root, caps)
        one = subprocess.run([rstdiag, "--json"] + ring, stdout=subprocess.PIPE, check=True).stdout
        resets = one.count(b'"type":"reset"')
        env = dict(os.environ, RSTDIAG=rstdiag, PATH=bindir + ":" + os.environ["PATH"])

        out = os.path.join(tmp, "shard-all.jsonl")
        r = sh(f"'{docs}/shard-all.sh' 3 '{out}' " + " ".join(f"'{p}'" for p in ring), env)
        got = open(out, "rb").read() if os.path.exists(out) else b""
        runner = "GNU parallel" if subprocess.run(["bash", "-c", "parallel --version"],
                                                  capture_output=True).returncode == 0 else "xargs"
        check(f"shard-all.sh, 3 shards by {runner}: one run's output ({resets} resets)",
              r.returncode == 0 and got == one, r.stderr.decode()[-300:])

        slurm_out = os.path.join(tmp, "slurm")
        for k in range(4):
            e = dict(env, SLURM_ARRAY_TASK_ID=str(k), SLURM_ARRAY_TASK_COUNT="4",
                     CAPTURES=caps, OUT=slurm_out)
            r = sh(f"bash '{docs}/slurm-shard.sbatch'", e)
            check(f"Slurm task {k} of 4", r.returncode == 0, r.stderr.decode()[-300:], quiet=True)
        r = sh(f"bash '{docs}/slurm-merge.sbatch'", dict(env, OUT=slurm_out))
        got = open(os.path.join(slurm_out, "resets.jsonl"), "rb").read() if r.returncode == 0 else b""
        check("Slurm array and merge: one run's output", got == one, r.stderr.decode()[-300:])

        k8s_out = os.path.join(tmp, "k8s")
        shard_cmd = step(os.path.join(docs, "k8s-job.yaml"), "shard")
        merge_cmd = step(os.path.join(docs, "k8s-merge-job.yaml"), "merge")
        for k in range(4):
            e = dict(env, JOB_COMPLETION_INDEX=str(k), SHARDS="4", CAPTURES=caps, OUT=k8s_out)
            r = sh(shard_cmd, e)
            check(f"Kubernetes index {k} of 4", r.returncode == 0, r.stderr.decode()[-300:],
                  quiet=True)
        r = sh(merge_cmd, dict(env, OUT=k8s_out))
        got = open(os.path.join(k8s_out, "resets.jsonl"), "rb").read() if r.returncode == 0 else b""
        check("Kubernetes Indexed Job and merge: one run's output", got == one,
              r.stderr.decode()[-300:])

        out = os.path.join(tmp, "per-file.jsonl")
        r = sh(f"'{docs}/per-file.sh' '{out}' " + " ".join(f"'{p}'" for p in ring), env)
        lines = open(out).read().splitlines() if os.path.exists(out) else []
        recs = [json.loads(x) for x in lines]
        frames = sorted((o["file"], o["frame"]) for o in recs if o["type"] == "reset")
        want = sorted((o["file"], o["frame"]) for o in map(json.loads, one.splitlines())
                      if o["type"] == "reset")
        check("per-file.sh: every RST has a record", r.returncode == 0 and frames == want,
              f"{len(frames)} of {len(want)}; {r.stderr.decode()[-200:]}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
