#!/usr/bin/env python3
"""Independent checker and exact MILP for the order-splitting engine (issue 3).

Shares nothing with the Swift code but the cost model of docs/splitting.md:
haversine with R = 6371.0088 km, first zone with maxKm >= distance, chargeable kg
max(1, ceil(g / 1000)), parcel price handling + firstKg + (kg - 1) * additionalKg,
parcels <= parcelMaxGrams, cold-chain SKUs only from cold-chain warehouses,
backorderFen per unfilled unit, at most maxWarehouses per order.

The MILP models the packing itself (it does not trust the engine's packer):
  y[o,w,p,s] units of SKU s in parcel p from warehouse w for order o (integer)
  open[o,w,p] binary, kg[o,w,p] integer >= grams / 1000 and >= open, u[o,s] unfilled
  cost = sum (P - A) * open + A * kg + B * u        (P = handling + firstKg, A = addKg)
with parcels per (o, w) capped at floor(2 W / C) + 1, which is safe when P >= A: two
parcels each at most half full can always merge without raising the price.
"""
import math

import highspy
import numpy as np

R_KM = 6371.0088


def haversine(a_lat, a_lon, b_lat, b_lon):
    to = math.pi / 180
    dlat = (b_lat - a_lat) * to
    dlon = (b_lon - a_lon) * to
    h = math.sin(dlat / 2) ** 2 + math.cos(a_lat * to) * math.cos(b_lat * to) * math.sin(dlon / 2) ** 2
    return 2 * R_KM * math.asin(min(1.0, math.sqrt(h)))


def zone_of(tariff, km):
    zones = sorted(tariff["zones"], key=lambda z: z["maxKm"])
    for i, z in enumerate(zones):
        if z["maxKm"] >= km:
            return i
    return None


def kg(grams):
    return max(1, -(-grams // 1000))


def parcel_price(tariff, grams, zone):
    z = sorted(tariff["zones"], key=lambda z: z["maxKm"])[zone]
    return tariff["handlingFen"] + z["firstKgFen"] + (kg(grams) - 1) * z["additionalKgFen"]


def merged_lines(order):
    q = {}
    for l in order["lines"]:
        q[l["sku"]] = q.get(l["sku"], 0) + l["qty"]
    return q


# ---------------------------------------------------------------------------
# Independent feasibility and cost check of the engine's output.
# ---------------------------------------------------------------------------

def check_plans(doc, out, stock=None):
    """Checks every plan in order against a running stock. Returns (errors, stock_before_each_order)."""
    tariff, pol = doc["tariff"], doc["policy"]
    skus = {s["id"]: s for s in doc["skus"]}
    whs = {w["id"]: w for w in doc["warehouses"]}
    stock = stock if stock is not None else {w["id"]: dict(w["stock"]) for w in doc["warehouses"]}
    errors, before = [], []
    total = 0
    for order, plan in zip(doc["orders"], out["orders"]):
        before.append({w: dict(s) for w, s in stock.items()})
        e = lambda msg: errors.append(f"{order['id']}: {msg}")
        if plan["id"] != order["id"]:
            e(f"plan id {plan['id']}")
        q = merged_lines(order)
        shipped = {}
        cost = 0
        if len(plan["shipments"]) > pol["maxWarehouses"]:
            e(f"{len(plan['shipments'])} warehouses > maxWarehouses")
        seen = set()
        for sh in plan["shipments"]:
            w = whs.get(sh["warehouse"])
            if w is None or sh["warehouse"] in seen:
                e(f"bad or repeated warehouse {sh['warehouse']}")
                continue
            seen.add(sh["warehouse"])
            z = zone_of(tariff, haversine(w["lat"], w["lon"], order["lat"], order["lon"]))
            if z is None:
                e(f"{w['id']} beyond the last zone")
                continue
            if not sh["parcels"]:
                e(f"{w['id']}: empty shipment")
            for p in sh["parcels"]:
                g = 0
                for sku, n in p["items"].items():
                    if n <= 0:
                        e(f"non-positive units {sku}")
                    if skus[sku]["coldChain"] and not w["coldChain"]:
                        e(f"cold-chain {sku} from {w['id']}")
                    g += skus[sku]["grams"] * n
                    shipped[sku] = shipped.get(sku, 0) + n
                    stock[w["id"]][sku] = stock[w["id"]].get(sku, 0) - n
                    if stock[w["id"]][sku] < 0:
                        e(f"oversold {sku} at {w['id']}")
                if g != p["grams"]:
                    e(f"parcel grams {p['grams']} != {g}")
                if g > tariff["parcelMaxGrams"] or g <= 0:
                    e(f"parcel of {g} g")
                if p["zone"] != z:
                    e(f"zone {p['zone']} != {z}")
                price = parcel_price(tariff, g, z)
                if p["costFen"] != price:
                    e(f"parcel cost {p['costFen']} != {price}")
                cost += price
        unfilled = plan["unfilled"]
        for sku, n in q.items():
            if shipped.get(sku, 0) + unfilled.get(sku, 0) != n:
                e(f"{sku}: shipped {shipped.get(sku, 0)} + unfilled {unfilled.get(sku, 0)} != {n}")
        for sku in set(shipped) | set(unfilled):
            if sku not in q:
                e(f"{sku} not ordered")
        units_unfilled = sum(unfilled.values())
        if not pol["allowPartial"] and units_unfilled and plan["shipments"]:
            e("partial fill although allowPartial is false")
        cost += units_unfilled * pol["backorderFen"]
        if cost != plan["costFen"]:
            e(f"costFen {plan['costFen']} != recomputed {cost}")
        total += cost
    if total != out["totalCostFen"]:
        errors.append(f"totalCostFen {out['totalCostFen']} != {total}")
    return errors, before


# ---------------------------------------------------------------------------
# Exact MILP (HiGHS) for one order or a whole wave.
# ---------------------------------------------------------------------------

class Model:
    def __init__(self):
        self.cost, self.lb, self.ub, self.integer = [], [], [], []
        self.rows = []  # (lower, upper, [(col, val)])

    def var(self, cost, lb, ub, integer=True):
        self.cost.append(float(cost))
        self.lb.append(float(lb))
        self.ub.append(float(ub))
        self.integer.append(integer)
        return len(self.cost) - 1

    def row(self, lower, upper, terms):
        self.rows.append((float(lower), float(upper), terms))

    def solve(self, time_limit=120.0, gap=0.0):
        h = highspy.Highs()
        h.setOptionValue("output_flag", False)
        h.setOptionValue("time_limit", float(time_limit))
        h.setOptionValue("mip_rel_gap", gap)
        h.setOptionValue("mip_abs_gap", 0.5)
        h.setOptionValue("threads", 1)
        n = len(self.cost)
        inf = highspy.kHighsInf
        h.addCols(n, np.array(self.cost), np.array(self.lb), np.array([u if u < 1e300 else inf for u in self.ub]),
                  0, np.array([], dtype=np.int32), np.array([], dtype=np.int32), np.array([]))
        starts, idx, vals, lo, up = [], [], [], [], []
        for lower, upper, terms in self.rows:
            starts.append(len(idx))
            for c, v in terms:
                idx.append(c)
                vals.append(float(v))
            lo.append(lower if lower > -1e300 else -inf)
            up.append(upper if upper < 1e300 else inf)
        if self.rows:
            h.addRows(len(self.rows), np.array(lo), np.array(up), len(idx), np.array(starts, dtype=np.int32),
                      np.array(idx, dtype=np.int32), np.array(vals))
        ints = [i for i in range(n) if self.integer[i]]
        if ints:
            h.changeColsIntegrality(len(ints), np.array(ints, dtype=np.int32),
                                    np.array([highspy.HighsVarType.kInteger] * len(ints)))
        h.run()
        status = h.getModelStatus()
        info = h.getInfo()
        if status == highspy.HighsModelStatus.kInfeasible:
            return None, None, "infeasible"
        obj = info.objective_function_value
        bound = info.mip_dual_bound
        return obj, bound, h.modelStatusToString(status)


def solve_wave(doc, orders, stock, time_limit=120.0, gap=0.0):
    """Least total cost of `orders` against `stock` ({wh: {sku: units}}).

    Returns (optimum or best found, dual bound, status)."""
    tariff, pol = doc["tariff"], doc["policy"]
    C = tariff["parcelMaxGrams"]
    skus = {s["id"]: s for s in doc["skus"]}
    zones = sorted(tariff["zones"], key=lambda z: z["maxKm"])
    B = pol["backorderFen"]
    m = Model()
    use = {}  # (w, s) -> [(col)] for the shared stock rows
    for o_i, order in enumerate(orders):
        q = merged_lines(order)
        total_units = sum(q.values())
        fill = None
        if not pol["allowPartial"]:
            # Either every unit ships or none does (the engine's "not fillable" plan).
            fill = m.var(-B * total_units, 0, 1)
        ship = {s: [] for s in q}
        zvars = []
        for w in doc["warehouses"]:
            z = zone_of(tariff, haversine(w["lat"], w["lon"], order["lat"], order["lon"]))
            if z is None:
                continue
            elig = [s for s in q if stock[w["id"]].get(s, 0) > 0 and (w["coldChain"] or not skus[s]["coldChain"])]
            if not elig:
                continue
            P = tariff["handlingFen"] + zones[z]["firstKgFen"]
            A = zones[z]["additionalKgFen"]
            assert P >= A, "the parcel-count cap needs handling + firstKg >= additionalKg"
            cap_units = {s: min(q[s], stock[w["id"]][s]) for s in elig}
            wmax = sum(skus[s]["grams"] * cap_units[s] for s in elig)
            pmax = min(sum(cap_units.values()), (2 * wmax) // C + 1)
            zw = m.var(0, 0, 1)
            zvars.append(zw)
            prev_open = None
            per_sku = {s: [] for s in elig}
            for p in range(pmax):
                op = m.var(P - A, 0, 1)
                k = m.var(A, 0, -(-C // 1000))
                ys = []
                for s in elig:
                    y = m.var(0, 0, cap_units[s])
                    ys.append((s, y))
                    per_sku[s].append(y)
                    ship[s].append(y)
                # weight <= C * open ; 1000 kg >= weight ; kg >= open ; open <= z
                m.row(-1e301, 0, [(y, skus[s]["grams"]) for s, y in ys] + [(op, -C)])
                m.row(-1e301, 0, [(y, skus[s]["grams"]) for s, y in ys] + [(k, -1000)])
                m.row(0, 1e301, [(k, 1), (op, -1)])
                m.row(-1e301, 0, [(op, 1), (zw, -1)])
                if prev_open is not None:
                    m.row(-1e301, 0, [(op, 1), (prev_open, -1)])
                prev_open = op
            for s in elig:
                use.setdefault((w["id"], s), []).extend(per_sku[s])
        if zvars:
            m.row(-1e301, pol["maxWarehouses"], [(zv, 1) for zv in zvars])
        for s, n in q.items():
            if pol["allowPartial"]:
                u = m.var(B, 0, n)
                m.row(n, n, [(y, 1) for y in ship[s]] + [(u, 1)])
            else:
                # shipped = n * fill
                m.row(0, 0, [(y, 1) for y in ship[s]] + [(fill, -n)])
        if not pol["allowPartial"]:
            # constant B * units, minus B * units when filled (objective offset added below)
            pass
    for (w, s), cols in use.items():
        m.row(-1e301, stock[w][s], [(c, 1) for c in cols])
    obj, bound, status = m.solve(time_limit, gap)
    offset = 0
    if not pol["allowPartial"]:
        offset = B * sum(sum(merged_lines(o).values()) for o in orders)
    if obj is None:
        return None, None, status
    return round(obj + offset), bound + offset, status
