"""The rule chain common commerce platforms use, as a baseline: fewest warehouses,
then nearest. For each order: the smallest k <= maxWarehouses for which some k
warehouses fill the order completely (else the k = maxWarehouses set filling most
units), nearest set first (sum of distances); each line from the nearest warehouse
of the set that has it; parcels packed first-fit decreasing. Same tariff and checks."""
import itertools

import splitcheck as sc


def ffd_cost(tariff, zone, units_grams):
    cap = tariff["parcelMaxGrams"]
    loads = []
    for g in sorted(units_grams, reverse=True):
        for i, l in enumerate(loads):
            if l + g <= cap:
                loads[i] += g
                break
        else:
            loads.append(g)
    return sum(sc.parcel_price(tariff, l, zone) for l in loads)


def run(doc):
    """Sequential greedy over doc's orders. Returns per-order costs."""
    tariff, pol = doc["tariff"], doc["policy"]
    skus = {s["id"]: s for s in doc["skus"]}
    stock = {w["id"]: dict(w["stock"]) for w in doc["warehouses"]}
    costs = []
    for order in doc["orders"]:
        q = sc.merged_lines(order)
        cands = []
        for w in doc["warehouses"]:
            km = sc.haversine(w["lat"], w["lon"], order["lat"], order["lon"])
            z = sc.zone_of(tariff, km)
            if z is not None:
                cands.append((km, w, z))
        cands.sort(key=lambda c: c[0])

        def allocate(combo):
            alloc, filled = {}, 0
            for sku, n in q.items():
                left = n
                for km, w, z in combo:  # nearest first
                    if left == 0:
                        break
                    if skus[sku]["coldChain"] and not w["coldChain"]:
                        continue
                    take = min(left, stock[w["id"]].get(sku, 0))
                    if take > 0:
                        alloc.setdefault(w["id"], {})[sku] = take
                        left -= take
                        filled += take
            return alloc, filled

        total = sum(q.values())
        choice = None
        for k in range(1, min(pol["maxWarehouses"], len(cands)) + 1):
            best = None
            for combo in itertools.combinations(cands, k):
                alloc, filled = allocate(combo)
                key = (-filled, sum(c[0] for c in combo))
                if best is None or key < best[0]:
                    best = (key, alloc, filled, combo)
            if best and (best[2] == total or k == min(pol["maxWarehouses"], len(cands))):
                choice = best
                break
        if choice is None or (not pol["allowPartial"] and choice[2] < total):
            costs.append(total * pol["backorderFen"])
            continue
        _, alloc, filled, combo = choice
        cost = (total - filled) * pol["backorderFen"]
        zone = {c[1]["id"]: c[2] for c in combo}
        for wid, items in alloc.items():
            grams = []
            for sku, n in items.items():
                grams += [skus[sku]["grams"]] * n
                stock[wid][sku] -= n
            cost += ffd_cost(tariff, zone[wid], grams)
        costs.append(cost)
    return costs
