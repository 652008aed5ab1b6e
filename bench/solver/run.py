#!/usr/bin/env python3
"""Routing-solver benchmark (issue 7): runs `ruralpost solve` over the shared CVRP (X)
and Solomon VRPTW sets, checks every solution with shared/tools/checker.py, and prints
per instance n, best known, ours, gap % and feasibility, plus the mean gap per set.

usage: bench/solver/run.py [--bin PATH] [--budget 10] [--seed 1] [--sets cvrp,vrptw]
                           [--big] [--jobs 1] [--markdown FILE] [--peers OUT.jsonl]

--bin      ruralpost binary (default: build it: swift build -c release
           --scratch-path .build-release --product ruralpost)
--big      also run X-n1001-k43 at 60 s (reported apart, not in the CVRP mean)
--peers    also run shared/tools/bench-peers.sh into OUT.jsonl (needs pyvrp etc.; PEERS_PY
           names the Python that has them) and print ours next to each peer
--markdown write the table as Markdown to FILE
"""
import argparse
import concurrent.futures as cf
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
SHARED = os.path.normpath(os.path.join(REPO, "..", "shared"))
sys.path.insert(0, os.path.join(SHARED, "tools"))
import checker  # noqa: E402

BIG = "X-n1001-k43"


def best_known(path):
    name = os.path.basename(path).rsplit(".", 1)[0]
    if path.endswith(".vrp"):
        sol = path[:-4] + ".sol"
        if os.path.exists(sol):
            m = re.search(r"Cost\s+([\d.]+)", open(sol).read())
            if m:
                return float(m.group(1))
        return None
    bks = json.load(open(os.path.join(os.path.dirname(path), "BKS.json")))
    return bks.get(name, {}).get("best_known_distance")


def run_one(binary, path, budget, seed):
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "out.sol")
        start = time.monotonic()
        proc = subprocess.run(
            [binary, "solve", path, "--time-limit", str(budget), "--seed", str(seed), "--out", out],
            capture_output=True, text=True, timeout=budget + 120)
        wall = time.monotonic() - start
        inst = checker.load(path)
        if proc.returncode != 0 or not os.path.exists(out):
            return dict(name=inst.name, n=inst.n - 1, cost=None, feasible=False, wall=wall,
                        why=[proc.stderr.strip()[-200:]])
        res = checker.check(inst, checker.read_sol(out))
        return dict(name=inst.name, n=inst.n - 1, cost=res["cost"], feasible=res["feasible"], wall=wall,
                    vehicles=res["vehicles"], why=res["why"])


def side_by_side(peers_file, ours, emit):
    """Ours next to each peer, instance by instance, from bench-peers.sh's JSON lines
    (costs recomputed by checker.py, so every column is judged the same way)."""
    peers = {}
    for line in open(peers_file):
        line = line.strip()
        if line:
            row = json.loads(line)
            peers[(row["instance"], row["solver"])] = row
    solvers = sorted({solver for _, solver in peers})
    for s in sorted({v[0] for v in ours.values()}):
        names = sorted((n for n, v in ours.items() if v[0] == s), key=lambda n: (ours[n][1]["n"], n))
        emit()
        emit(f"### {s}: ours and peers, gap % to best known (infeasible: x)")
        emit()
        emit("| instance | n | ours | " + " | ".join(solvers) + " |")
        emit("|---|---:|---:|" + "---:|" * len(solvers))
        totals = {k: [] for k in ["ours"] + solvers}

        def gap(cost, feasible, bk):
            return None if not feasible or cost is None or not bk else 100.0 * (cost - bk) / bk

        for n in names:
            _, r, bk = ours[n]
            cells = [gap(r["cost"], r["feasible"], bk)]
            cells += [gap(peers.get((n, v), {}).get("cost"), peers.get((n, v), {}).get("feasible"), bk) for v in solvers]
            for k, g in zip(["ours"] + solvers, cells):
                totals[k].append(g)
            emit(f"| {n} | {r['n']} | " + " | ".join("x" if g is None else f"{g:.2f}" for g in cells) + " |")
        both = [i for i in range(len(names)) if all(totals[k][i] is not None for k in totals)]
        emit()
        emit(f"**{s}, mean gap over the {len(both)} instances every solver solved feasibly: " + ", ".join(
            f"{k} {sum(totals[k][i] for i in both) / len(both):.2f} %" if both else f"{k} -" for k in totals) + "**")


def build():
    subprocess.run(["swift", "build", "-c", "release", "--scratch-path", ".build-release", "--product", "ruralpost"],
                   cwd=REPO, check=True)
    return os.path.join(REPO, ".build-release", "release", "ruralpost")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin")
    ap.add_argument("--budget", type=float, default=10)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--sets", default="cvrp,vrptw")
    ap.add_argument("--only", help="comma-separated instance names")
    ap.add_argument("--big", action="store_true")
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--markdown")
    ap.add_argument("--peers")
    a = ap.parse_args()
    binary = a.bin or build()
    budget = int(a.budget) if a.budget == int(a.budget) else a.budget
    lines = []

    def emit(s=""):
        print(s, flush=True)
        lines.append(s)

    emit(f"Machine: {os.cpu_count()} cores, {platform.machine()}, {platform.system()}; "
         f"budget {budget} s per instance, one thread, seed {a.seed}; binary {os.path.relpath(binary, REPO)}")
    summary = {}
    ours = {}
    for s in a.sets.split(","):
        folder = os.path.join(SHARED, "bench", s)
        files = sorted(f for f in os.listdir(folder) if f.endswith((".vrp", ".txt")))
        files = [f for f in files if not f.startswith(BIG)]
        if a.only:
            files = [f for f in files if f.rsplit(".", 1)[0] in a.only.split(",")]
        paths = [os.path.join(folder, f) for f in files]
        emit()
        emit(f"### {s} ({len(paths)} instances)")
        emit()
        emit("| instance | n | best known | ours | gap % | feasible | wall s |")
        emit("|---|---:|---:|---:|---:|:-:|---:|")
        with cf.ThreadPoolExecutor(max_workers=a.jobs) as ex:
            results = list(ex.map(lambda p: (p, run_one(binary, p, budget, a.seed)), paths))
        gaps, feas = [], 0
        for p, r in results:
            ours[r["name"]] = (s, r, best_known(p))
            bk = best_known(p)
            gap = None if r["cost"] is None or not bk else 100.0 * (r["cost"] - bk) / bk
            if gap is not None:
                gaps.append(gap)
            feas += r["feasible"]
            emit(f"| {r['name']} | {r['n']} | {bk} | {r['cost']} | {'' if gap is None else f'{gap:.2f}'} | "
                 f"{'yes' if r['feasible'] else 'NO ' + '; '.join(r['why'])} | {r['wall']:.1f} |")
        mean = sum(gaps) / len(gaps) if gaps else float("nan")
        summary[s] = (mean, feas, len(paths))
        emit()
        emit(f"**{s}: mean gap {mean:.2f} %, feasible {feas}/{len(paths)}**")
    if a.big:
        p = os.path.join(SHARED, "bench", "cvrp", BIG + ".vrp")
        r = run_one(binary, p, 60, a.seed)
        bk = best_known(p)
        gap = 100.0 * (r["cost"] - bk) / bk if r["cost"] else float("nan")
        emit()
        emit(f"{BIG} at 60 s: cost {r['cost']} (best known {bk}, gap {gap:.2f} %), "
             f"feasible {'yes' if r['feasible'] else 'NO'}, wall {r['wall']:.1f} s")
    if a.peers:
        for s in a.sets.split(","):
            with tempfile.TemporaryDirectory() as tmp:
                # The peers run over a folder: link just the instances this run solved.
                for name, (kind, _, _) in ours.items():
                    if kind == s:
                        for f in os.listdir(os.path.join(SHARED, "bench", s)):
                            if f.rsplit(".", 1)[0] == name or f == "BKS.json":
                                target = os.path.join(tmp, f)
                                if not os.path.exists(target):
                                    os.symlink(os.path.join(SHARED, "bench", s, f), target)
                subprocess.run([os.path.join(SHARED, "tools", "bench-peers.sh"), tmp, str(budget), a.peers])
        side_by_side(a.peers, ours, emit)
    if a.markdown:
        with open(a.markdown, "w") as f:
            f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
