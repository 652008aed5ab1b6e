#!/usr/bin/env python3
"""Order-splitting benchmark (issue 3). Prints the figures of docs/benchmarks.md.

    python3 -m venv .venv && .venv/bin/pip install highspy numpy
    .venv/bin/python bench.py --ruralpost ../../.build-release-split/release/ruralpost

Steps (each printed as it finishes):
  1. exactness: 1,000 generated orders (10 counties x 100 orders, 3-10 warehouses) in
     sequential mode; every plan checked independently (stock, cold chain, parcel
     limit, zones, prices, units); each order re-solved as a MILP with HiGHS against
     the stock left by the orders before it; the greedy rule chain on the same orders.
  2. latency: 3 x 20,000 orders through splitOne one by one (the API's path): p50/p99
     of wall-clock and of thread CPU time (the machine is shared: wall has preemption).
  3. throughput: 100,000 orders in sequential mode: orders/s.
  4. batch: the same 100,000 orders as one wave: wall time, cost vs sequential, bound.
  5. small waves (20-50 orders): batch vs the wave's MILP optimum vs sequential.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import generate  # noqa: E402
import greedy  # noqa: E402
import splitcheck as sc  # noqa: E402


def run_split(binary, doc, mode="sequential", latency=False, extra=()):
    with tempfile.TemporaryDirectory() as d:
        inp, out, lat = os.path.join(d, "in.json"), os.path.join(d, "out.json"), os.path.join(d, "lat.json")
        with open(inp, "w") as f:
            json.dump(doc, f)
        cmd = [binary, "split", "--input", inp, "--mode", mode, "--out", out, *extra]
        if latency:
            cmd += ["--latency-out", lat]
        t = time.time()
        p = subprocess.run(cmd, capture_output=True, text=True)
        wall = time.time() - t
        if p.returncode != 0:
            raise SystemExit(f"{cmd}: exit {p.returncode}: {p.stderr}")
        engine = None
        for line in p.stderr.splitlines():
            if "engine" in line:
                engine = float(line.split("engine")[1].split()[0])
        with open(out) as f:
            result = json.load(f)
        lats = None
        if latency:
            with open(lat) as f:
                lats = json.load(f)
        return result, wall, engine, lats


def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


def exactness(binary, seeds, per):
    rows = []
    total = dict(orders=0, match=0, errors=0, engine=0, milp=0, greedy=0, unproven=0, milp_time=0.0)
    for seed in seeds:
        doc = generate.generate(seed, per)
        out, _, _, _ = run_split(binary, doc)
        errors, before = sc.check_plans(doc, out)
        g = greedy.run(doc)
        match = 0
        milp_sum = 0
        t = time.time()
        for i, (o, p) in enumerate(zip(doc["orders"], out["orders"])):
            opt, _, status = sc.solve_wave(doc, [o], before[i])
            if status != "Optimal":
                print(f"  {o['id']}: MILP status {status}", flush=True)
            milp_sum += opt
            if opt == p["costFen"]:
                match += 1
            else:
                print(f"  MISMATCH seed {seed} {o['id']}: engine {p['costFen']} MILP {opt}", flush=True)
        total["milp_time"] += time.time() - t
        eng = out["totalCostFen"]
        total["orders"] += len(doc["orders"])
        total["match"] += match
        total["errors"] += len(errors)
        total["engine"] += eng
        total["milp"] += milp_sum
        total["greedy"] += sum(g)
        total["unproven"] += len(doc["orders"]) - out["exactOrders"]
        for e in errors[:5]:
            print("  CHECK", e, flush=True)
        rows.append((seed, len(doc["warehouses"]), eng, milp_sum, sum(g), match, len(errors)))
        print(f"  seed {seed}: {len(doc['warehouses'])} warehouses, engine {eng}, MILP {milp_sum}, greedy {sum(g)}, "
              f"match {match}/{len(doc['orders'])}, check errors {len(errors)}", flush=True)
    return total, rows


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--ruralpost", required=True, help="path to the ruralpost binary (release build)")
    ap.add_argument("--steps", default="1,2,3,4,5")
    ap.add_argument("--orders", type=int, default=100_000, help="orders for throughput and the big batch")
    ap.add_argument("--wave-time", type=float, default=15.0, help="batch --time-limit for the big wave")
    ap.add_argument("--milp-time", type=float, default=300.0, help="HiGHS time limit per small wave")
    a = ap.parse_args()
    steps = set(a.steps.split(","))
    binary = os.path.abspath(a.ruralpost)
    print(f"machine: {os.cpu_count()} cores; binary {binary}", flush=True)

    if "1" in steps:
        print("1. exactness: 1,000 orders, sequential, vs MILP (HiGHS) and greedy", flush=True)
        t, _ = exactness(binary, range(101, 111), 100)
        print(f"   RESULT orders {t['orders']}, equal to MILP optimum {t['match']} "
              f"({100 * t['match'] / t['orders']:.1f} %), independent check errors {t['errors']}, "
              f"not proven by the engine {t['unproven']}", flush=True)
        print(f"   RESULT cost: engine {t['engine']} fen, MILP {t['milp']} fen, greedy {t['greedy']} fen "
              f"(+{100 * (t['greedy'] - t['engine']) / t['engine']:.2f} % vs engine); MILP time {t['milp_time']:.0f} s",
              flush=True)
        # Shipping cost only (backorders are the same units for both whenever stock decides).
    big = None
    if steps & {"2", "3", "4"}:
        big = generate.generate(7, a.orders, n_warehouses=8, stock_scale=max(1.0, a.orders / 250))
    if "2" in steps:
        for seed, nw in [(7, 8), (11, 10), (12, 5)]:
            doc = generate.generate(seed, 20_000, n_warehouses=nw, stock_scale=80)
            out, wall, engine, lats = run_split(binary, doc, latency=True)
            w, c = lats["wallMicros"], lats["cpuMicros"]
            print(f"2. latency (splitOne per order, 20,000 orders, seed {seed}, {nw} warehouses): wall p50 {pct(w, 50):.1f} us, "
                  f"p99 {pct(w, 99):.1f} us, max {max(w):.0f} us; thread CPU p50 {pct(c, 50):.1f} us, p99 {pct(c, 99):.1f} us, "
                  f"max {max(c):.0f} us; mean {statistics.mean(w):.1f} us; proven optimal {out['exactOrders']}/{len(doc['orders'])}",
                  flush=True)
    seq_total = None
    if "3" in steps:
        out, wall, engine, _ = run_split(binary, big)
        seq_total = out["totalCostFen"]
        print(f"3. sequential throughput ({len(big['orders'])} orders): engine {engine:.2f} s = "
              f"{len(big['orders']) / engine:,.0f} orders/s (process wall {wall:.1f} s incl. JSON); "
              f"total {seq_total} fen; proven optimal {out['exactOrders']}", flush=True)
    if "4" in steps:
        out, wall, engine, _ = run_split(binary, big, mode="batch", extra=["--time-limit", str(a.wave_time)])
        msg = f"4. batch ({len(big['orders'])} orders): engine {engine:.1f} s, process wall {wall:.1f} s; total {out['totalCostFen']} fen"
        # Batch serves key accounts first, so compare with sequential in that order too.
        by_priority = dict(big, orders=sorted(big["orders"], key=lambda o: -o.get("priority", 0)))
        prio, _, _, _ = run_split(binary, by_priority)
        p_total = prio["totalCostFen"]
        msg += f" (sequential in priority order {p_total}, {100 * (out['totalCostFen'] - p_total) / p_total:+.3f} %"
        if seq_total:
            msg += f"; sequential in file order {seq_total}, {100 * (out['totalCostFen'] - seq_total) / seq_total:+.3f} %"
        msg += ")"
        lb = out["lowerBoundFen"]
        msg += f"; lower bound {lb} fen, gap {100 * (out['totalCostFen'] - lb) / max(1, lb):.3f} %"
        errors, _ = sc.check_plans(big, out)
        msg += f"; check errors {len(errors)}"
        print(msg, flush=True)
    if "5" in steps:
        print("5. small waves: batch vs MILP optimum vs sequential", flush=True)
        for seed, n in [(201, 20), (202, 30), (203, 40), (204, 50), (205, 50), (206, 50), (207, 50), (208, 30)]:
            doc = generate.generate(seed, n)
            for o in doc["orders"]:
                o["priority"] = 0  # one class: the MILP minimises the plain total
            seq, _, _, _ = run_split(binary, doc)
            bat, _, beng, _ = run_split(binary, doc, mode="batch", extra=["--time-limit", "5"])
            errors, _ = sc.check_plans(doc, bat)
            stock = {w["id"]: dict(w["stock"]) for w in doc["warehouses"]}
            t = time.time()
            opt, bound, status = sc.solve_wave(doc, doc["orders"], stock, time_limit=a.milp_time)
            mt = time.time() - t
            gap = 100 * (bat["totalCostFen"] - opt) / opt
            print(f"   RESULT wave seed {seed}: {n} orders, {len(doc['warehouses'])} warehouses: batch {bat['totalCostFen']} "
                  f"({beng:.1f} s), sequential {seq['totalCostFen']}, MILP {opt} ({status}, bound {bound:.0f}, {mt:.0f} s), "
                  f"batch vs MILP {gap:+.3f} %, batch <= sequential {bat['totalCostFen'] <= seq['totalCostFen']}, "
                  f"check errors {len(errors)}", flush=True)


if __name__ == "__main__":
    main()
