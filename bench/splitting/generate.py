#!/usr/bin/env python3
"""Seeded generator of realistic order-splitting instances (a county).

A county seat with 3-10 cloud warehouses (central, regional and micro, some with cold
chain) within ~60 km, a catalogue of farm produce and pantry SKUs with real weights,
stock spread unevenly with some SKUs scarce (a few units in one or two warehouses),
and orders of 1-20 lines (most small) to villages up to ~90 km away.

    python3 generate.py --seed 7 --orders 200 --out /tmp/county7.json
    python3 generate.py --seed 7 --orders 100000 --stock-scale 400 --out big.json

Same seed and arguments = same file. Output: the JSON of docs/splitting.md.
"""
import argparse
import json
import math
import random

# (id, grams, coldChain): typical pack weights of rural e-commerce produce.
CATALOGUE = [
    ("RICE-5KG", 5000, False), ("RICE-10KG", 10000, False), ("RICE-25KG", 25000, False),
    ("FLOUR-2.5KG", 2500, False), ("NOODLES-1KG", 1000, False), ("OIL-5L", 4600, False),
    ("OIL-1.8L", 1700, False), ("EGGS-30", 1900, False), ("APPLE-5KG", 5200, False),
    ("ORANGE-2.5KG", 2600, False), ("KIWI-3KG", 3100, False), ("SWEETPOTATO-10KG", 10200, False),
    ("POTATO-5KG", 5100, False), ("WATERMELON", 7500, False), ("PEANUT-2KG", 2050, False),
    ("WALNUT-1KG", 1050, False), ("HONEY-500G", 650, False), ("TEA-250G", 320, False),
    ("MUSHROOM-DRY-300G", 380, False), ("CHILI-SAUCE", 420, False), ("RED-DATES-1KG", 1080, False),
    ("MILLET-2.5KG", 2550, False), ("CORN-FLOUR-5KG", 5050, False), ("SESAME-OIL-500ML", 560, False),
    ("PORK-1KG", 1150, True), ("CHICKEN-WHOLE", 1600, True), ("FISH-1.5KG", 1700, True),
    ("MILK-CASE", 3200, True), ("DUMPLINGS-FROZEN", 1050, True), ("YOGURT-12", 1800, True),
    ("TOFU-1KG", 1100, True), ("STRAWBERRY-2KG", 2300, True),
]


def point_near(rng, lat, lon, max_km):
    r = max_km * math.sqrt(rng.random())
    a = rng.random() * 2 * math.pi
    dlat = r * math.cos(a) / 111.0
    dlon = r * math.sin(a) / (111.0 * math.cos(math.radians(lat)))
    return round(lat + dlat, 6), round(lon + dlon, 6)


def generate(seed, n_orders, n_warehouses=None, stock_scale=1.0, max_warehouses=None, partial=None):
    rng = random.Random(seed)
    lat0, lon0 = 27.0 + rng.random() * 6, 106.0 + rng.random() * 10
    nw = n_warehouses or rng.randint(3, 10)
    tariff = {
        "handlingFen": rng.choice([50, 80, 100, 150]),
        "parcelMaxGrams": rng.choice([20000, 30000, 30000, 40000]),
        "heavyThresholdGrams": 20000,
        "zones": [
            {"maxKm": 20.0, "firstKgFen": 500 + 50 * rng.randint(0, 4), "additionalKgFen": 100 + 20 * rng.randint(0, 4)},
            {"maxKm": 50.0, "firstKgFen": 800 + 50 * rng.randint(0, 4), "additionalKgFen": 200 + 20 * rng.randint(0, 4)},
            {"maxKm": 100.0, "firstKgFen": 1100 + 50 * rng.randint(0, 4), "additionalKgFen": 300 + 20 * rng.randint(0, 4)},
            {"maxKm": 150.0, "firstKgFen": 1400 + 50 * rng.randint(0, 4), "additionalKgFen": 450 + 20 * rng.randint(0, 4)},
        ],
    }
    cat = [c for c in CATALOGUE if c[1] <= tariff["parcelMaxGrams"]]
    rng.shuffle(cat)
    cat = cat[: rng.randint(16, len(cat))]
    skus = []
    for sid, g, cold in cat:
        skus.append({"id": sid, "grams": max(50, int(g * rng.uniform(0.97, 1.03))), "coldChain": cold})
    # Demand popularity (Zipf-like) and scarcity.
    popularity = [1.0 / (i + 1) ** 0.8 for i in range(len(skus))]
    scarce = set(rng.sample(range(len(skus)), max(2, len(skus) // 5)))

    warehouses = []
    for w in range(nw):
        kind = "central" if w == 0 else rng.choice(["regional", "micro", "micro"])
        lat, lon = point_near(rng, lat0, lon0, 8 if kind == "central" else 60)
        cold = kind == "central" or rng.random() < 0.35
        share = {"central": 0.95, "regional": 0.75, "micro": 0.5}[kind]
        stock = {}
        for i, s in enumerate(skus):
            if s["coldChain"] and not cold:
                continue
            if i in scarce:
                if rng.random() < 0.3:
                    stock[s["id"]] = rng.randint(0, 4)
            elif rng.random() < share:
                base = {"central": 120, "regional": 60, "micro": 25}[kind]
                stock[s["id"]] = int(rng.randint(base // 3, base) * stock_scale)
        warehouses.append({"id": f"WH-{w + 1:02d}-{kind}", "lat": lat, "lon": lon, "coldChain": cold, "stock": stock})

    orders = []
    for o in range(n_orders):
        lat, lon = point_near(rng, lat0, lon0, 90)
        n_lines = min(20, max(1, int(rng.expovariate(1 / 3.5)) + 1))
        ids = set()
        while len(ids) < min(n_lines, len(skus)):
            ids.add(rng.choices(range(len(skus)), weights=popularity)[0])
        lines = []
        for i in sorted(ids):
            g = skus[i]["grams"]
            hi = 6 if g < 1500 else 3 if g < 6000 else 2
            qty = 1 if rng.random() < 0.6 else rng.randint(1, hi)
            lines.append({"sku": skus[i]["id"], "qty": qty})
        priority = 1 if rng.random() < 0.1 else 0
        orders.append({"id": f"O{o + 1:06d}", "lat": lat, "lon": lon, "lines": lines, "priority": priority})

    policy = {
        "maxWarehouses": max_warehouses if max_warehouses is not None else rng.choice([2, 3, 3, 4]),
        "allowPartial": partial if partial is not None else rng.random() < 0.85,
        "backorderFen": rng.choice([5000, 10000, 20000]),
    }
    return {"tariff": tariff, "policy": policy, "warehouses": warehouses, "skus": skus, "orders": orders}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--orders", type=int, default=100)
    ap.add_argument("--warehouses", type=int, default=None, help="3-10 if not given")
    ap.add_argument("--stock-scale", type=float, default=1.0, help="multiply non-scarce stock (big waves)")
    ap.add_argument("--max-warehouses", type=int, default=None)
    ap.add_argument("--partial", choices=["yes", "no"], default=None)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    partial = None if a.partial is None else a.partial == "yes"
    doc = generate(a.seed, a.orders, a.warehouses, a.stock_scale, a.max_warehouses, partial)
    with open(a.out, "w") as f:
        json.dump(doc, f, separators=(",", ":"))


if __name__ == "__main__":
    main()
