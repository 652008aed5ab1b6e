#!/usr/bin/env python3
"""Routing-solver benchmark (issues 7, 11, 12): runs the solver over the shared CVRP (X)
and Solomon VRPTW sets and the four rich PyVRP-dialect families (HFVRP, MDVRPTW, PCVRPTW,
MTVRPTWR, each with its README rounding), judges every solution (checker.py for CVRP and
Solomon, PyVRP's own evaluator through pyvrp_check.py for the rich sets) and prints per
instance n, best known, ours, gap %, feasibility and iterations per second, and per family
the mean gap, the mean cost ratio to PyVRP and iterations per second.

usage: bench/solver/run.py [--bin PATH] [--budget 10] [--seed 1] [--sets cvrp,vrptw,HFVRP,...]
                           [--only NAMES] [--big] [--jobs 1] [--markdown FILE] [--peers CACHE.jsonl]

--bin      ruralpost-solve (or ruralpost) binary (default: build ruralpost-solve:
           swift build -c release --scratch-path .build-release --product ruralpost-solve)
--big      also run X-n1001-k43 at 60 s (reported apart, not in the CVRP mean)
--peers    also run PyVRP on the same files and budget, side by side: pyvrp_peer.py for the
           rich sets (results cached in CACHE.jsonl by instance, budget, seed) and
           bench-peers.sh for CVRP/Solomon (CACHE.jsonl.classic)
PEERS_PY   the Python with pyvrp (default /work/venv-peers/bin/python); needed for the rich sets
--markdown write the tables as Markdown to FILE
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


RICH = {"HFVRP": "exact", "MDVRPTW": "exact", "PCVRPTW": "dimacs", "MTVRPTWR": "dimacs"}  # README's rounding
PEERS_PY = os.environ.get("PEERS_PY", "/work/venv-peers/bin/python")


def command(binary):
    """`ruralpost-solve FILE ...` or `ruralpost solve FILE ...`: the same code."""
    return [binary] if os.path.basename(binary) != "ruralpost" else [binary, "solve"]


def iterations_of(stdout):
    m = re.search(r"(\d+) iterations in ([\d.]+) s", stdout)
    return (int(m.group(1)), float(m.group(2))) if m else (None, None)


EXTRA = []  # --solver-args, appended to every solver command


def run_one(binary, path, budget, seed, rounding=None):
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "out.sol")
        args = command(binary) + [path, "--time-limit", str(budget), "--seed", str(seed), "--out", out]
        if rounding:
            args += ["--round", rounding]
        args += EXTRA
        start = time.monotonic()
        proc = subprocess.run(args, capture_output=True, text=True, timeout=budget + 120)
        wall = time.monotonic() - start
        iters, secs = iterations_of(proc.stdout)
        ips = iters / secs if iters is not None and secs else None
        name = os.path.basename(path).rsplit(".", 1)[0]
        if rounding:  # rich family: PyVRP's own reader and evaluator judge the solution
            n = int(re.search(r"DIMENSION\s*:\s*(\d+)", open(path).read()).group(1))
            if proc.returncode != 0 or not os.path.exists(out):
                return dict(name=name, n=n, cost=None, feasible=False, wall=wall, ips=ips,
                            why=[proc.stderr.strip()[-200:]])
            chk = subprocess.run([PEERS_PY, os.path.join(SHARED, "tools", "pyvrp_check.py"), path, out,
                                  "--round", rounding], capture_output=True, text=True)
            res = json.loads(chk.stdout.strip().splitlines()[-1])
            return dict(name=name, n=n, cost=res.get("cost"), feasible=res["feasible"] and res.get("complete", False),
                        wall=wall, ips=ips, bks=res.get("bks"), why=res.get("why", []))
        inst = checker.load(path)
        if proc.returncode != 0 or not os.path.exists(out):
            return dict(name=inst.name, n=inst.n - 1, cost=None, feasible=False, wall=wall, ips=ips,
                        why=[proc.stderr.strip()[-200:]])
        res = checker.check(inst, checker.read_sol(out))
        return dict(name=inst.name, n=inst.n - 1, cost=res["cost"], feasible=res["feasible"], wall=wall, ips=ips,
                    vehicles=res["vehicles"], why=res["why"])


def pyvrp_rich(path, budget, seed, rounding, cache):
    """PyVRP on the same file, one thread, judged by the same checker; cached in `cache`
    (JSON lines) by instance, budget and seed so that reruns of ours reuse it."""
    name = os.path.basename(path).rsplit(".", 1)[0]
    key = f"{name}|{budget}|{seed}"
    rows = {}
    if os.path.exists(cache):
        for line in open(cache):
            if line.strip():
                row = json.loads(line)
                rows[row["key"]] = row
    if key in rows:
        return rows[key]
    with tempfile.TemporaryDirectory() as tmp:
        sol = os.path.join(tmp, "peer.sol")
        p = subprocess.run([PEERS_PY, os.path.join(SHARED, "tools", "pyvrp_peer.py"), path, str(budget),
                            "--round", rounding, "--seed", str(seed), "--out", sol],
                           capture_output=True, text=True, timeout=budget * 3 + 120)
        try:
            res = json.loads(p.stdout.strip().splitlines()[-1])
            chk = subprocess.run([PEERS_PY, os.path.join(SHARED, "tools", "pyvrp_check.py"), path, sol,
                                  "--round", rounding], capture_output=True, text=True)
            c = json.loads(chk.stdout.strip().splitlines()[-1])
            row = dict(key=key, cost=c.get("cost"), feasible=c["feasible"] and c.get("complete", False),
                       ips=res["iterations"] / max(1e-9, res["seconds"]))
        except Exception as e:  # noqa: BLE001
            row = dict(key=key, cost=None, feasible=False, ips=None, why=str(e) + p.stderr[-200:])
    with open(cache, "a") as f:
        f.write(json.dumps(row) + "\n")
    return row


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
    subprocess.run(["swift", "build", "-c", "release", "--scratch-path", ".build-release", "--product", "ruralpost-solve"],
                   cwd=REPO, check=True)
    return os.path.join(REPO, ".build-release", "release", "ruralpost-solve")


def load():
    """The machine's 1-minute load average (the solver's iteration rates depend on it)."""
    return f"{os.getloadavg()[0]:.2f}"


def fmt(x, spec=".2f"):
    return "" if x is None else format(x, spec)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin")
    ap.add_argument("--budget", type=float, default=10)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--sets", default="cvrp,vrptw," + ",".join(RICH))
    ap.add_argument("--only", help="comma-separated instance names")
    ap.add_argument("--big", action="store_true")
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--markdown")
    ap.add_argument("--solver-args", default="", help="extra solver arguments, e.g. '--algorithm hgs'")
    ap.add_argument("--peers", help="JSON-lines cache of PyVRP's runs (rich sets) and bench-peers.sh output (cvrp, vrptw)")
    a = ap.parse_args()
    binary = a.bin or build()
    EXTRA.extend(a.solver_args.split())
    budget = int(a.budget) if a.budget == int(a.budget) else a.budget
    lines = []

    def emit(s=""):
        print(s, flush=True)
        lines.append(s)

    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True).stdout.strip()
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=REPO, capture_output=True, text=True).stdout.strip()
    emit(f"Machine: {os.cpu_count()} cores, {platform.machine()}, {platform.system()}; "
         f"budget {budget} s per instance, one thread, seed {a.seed}; binary {os.path.relpath(binary, REPO)}; "
         f"commit {commit}{' + local changes' if dirty else ''}{'; solver args ' + a.solver_args if a.solver_args else ''}; "
         f"load average {load()} at the start")
    summary = {}
    ours = {}
    classic_peers = {}
    for s in a.sets.split(","):
        rich = s in RICH
        folder = os.path.join(SHARED, "bench", "rich", s) if rich else os.path.join(SHARED, "bench", s)
        files = sorted(f for f in os.listdir(folder) if f.endswith((".vrp", ".txt")))
        files = [f for f in files if not f.startswith(BIG)]
        if a.only:
            files = [f for f in files if f.rsplit(".", 1)[0] in a.only.split(",")]
        if not files:
            continue
        paths = [os.path.join(folder, f) for f in files]
        peer_rows = {}
        if a.peers and not rich:
            with tempfile.TemporaryDirectory() as tmp:
                for p in paths + ([os.path.join(folder, "BKS.json")] if os.path.exists(os.path.join(folder, "BKS.json")) else []):
                    os.symlink(p, os.path.join(tmp, os.path.basename(p)))
                subprocess.run([os.path.join(SHARED, "tools", "bench-peers.sh"), tmp, str(budget), a.peers + ".classic", "pyvrp"],
                               env=dict(os.environ, PEERS_PY=PEERS_PY))
            for line in open(a.peers + ".classic"):
                if line.strip():
                    row = json.loads(line)
                    if row.get("solver") == "pyvrp":
                        classic_peers[row["instance"]] = row
        emit()
        emit(f"### {s} ({len(paths)} instances{', rounding ' + RICH[s] if rich else ''})")
        emit()
        emit("| instance | n | best known | ours | gap % | feasible | iter/s | PyVRP | ours/PyVRP - 1 % | PyVRP iter/s |")
        emit("|---|---:|---:|---:|---:|:-:|---:|---:|---:|---:|")
        with cf.ThreadPoolExecutor(max_workers=a.jobs) as ex:
            results = list(ex.map(lambda p: (p, run_one(binary, p, budget, a.seed, RICH.get(s))), paths))
        gaps, ratios, ipss, pipss, feas = [], [], [], [], 0
        for p, r in results:
            bk = r.get("bks") if rich else best_known(p)
            ours[r["name"]] = (s, r, bk)
            gap = None if r["cost"] is None or not bk or not r["feasible"] else 100.0 * (r["cost"] - bk) / bk
            if gap is not None:
                gaps.append(gap)
            feas += r["feasible"]
            if r["ips"] is not None:
                ipss.append(r["ips"])
            peer = None
            if a.peers:
                if rich:
                    peer = pyvrp_rich(p, budget, a.seed, RICH[s], a.peers)
                else:
                    c = classic_peers.get(r["name"])
                    peer = dict(cost=c.get("cost"), feasible=c.get("feasible"), ips=None) if c else None
            ratio = None
            if peer and peer.get("feasible") and peer.get("cost") and r["feasible"] and r["cost"] is not None:
                ratio = 100.0 * (r["cost"] / peer["cost"] - 1)
                ratios.append(ratio)
            if peer and peer.get("ips"):
                pipss.append(peer["ips"])
            emit(f"| {r['name']} | {r['n']} | {bk} | {r['cost']} | {fmt(gap)} | "
                 f"{'yes' if r['feasible'] else 'NO ' + '; '.join(map(str, r['why']))} | {fmt(r['ips'], '.0f')} | "
                 f"{'' if not peer else peer.get('cost') if peer.get('feasible') else 'infeasible'} | {fmt(ratio)} | "
                 f"{fmt(peer.get('ips') if peer else None, '.0f')} |")
        mean = sum(gaps) / len(gaps) if gaps else float("nan")
        summary[s] = (mean, feas, len(paths))
        emit()
        text = f"**{s}: mean gap {mean:.2f} %, feasible {feas}/{len(paths)}"
        if ratios:
            text += f", ours vs PyVRP mean {sum(ratios) / len(ratios):+.2f} % (worst {max(ratios):+.2f} %, {len(ratios)} pairs)"
        if a.peers and not rich:
            pg = []
            for p, r in results:
                c = classic_peers.get(r["name"])
                bk = best_known(p)
                if c and c.get("feasible") and c.get("cost") and bk:
                    pg.append(100.0 * (c["cost"] - bk) / bk)
            if pg:
                text += f", PyVRP mean gap {sum(pg) / len(pg):.2f} %"
        text += f", longest wall {max(r['wall'] for _, r in results):.1f} s, load average {load()} at the end"
        if ipss:
            text += f", iterations/s ours {sum(ipss) / len(ipss):.0f}"
        if pipss:
            text += f" vs PyVRP {sum(pipss) / len(pipss):.0f}"
        emit(text + "**")
    if a.big:
        p = os.path.join(SHARED, "bench", "cvrp", BIG + ".vrp")
        r = run_one(binary, p, 60, a.seed)
        bk = best_known(p)
        gap = 100.0 * (r["cost"] - bk) / bk if r["cost"] else float("nan")
        emit()
        emit(f"{BIG} at 60 s: cost {r['cost']} (best known {bk}, gap {gap:.2f} %), "
             f"feasible {'yes' if r['feasible'] else 'NO'}, wall {r['wall']:.1f} s, {fmt(r['ips'], '.0f')} iterations/s, "
             f"load average {load()}")
        if a.peers:
            peer = pyvrp_rich(p, 60, a.seed, "round", a.peers)
            if peer.get("cost"):
                emit(f"PyVRP at 60 s: cost {peer['cost']} (gap {100.0 * (peer['cost'] - bk) / bk:.2f} %), "
                     f"ours/PyVRP - 1 = {100.0 * (r['cost'] / peer['cost'] - 1):+.2f} %, {fmt(peer.get('ips'), '.0f')} iterations/s")
    if a.markdown:
        with open(a.markdown, "w") as f:
            f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
