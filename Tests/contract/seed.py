"""Seeds a fresh RuralPost server with the master data the OpenAPI document's own
examples refer to (merchant M-HUANGSHAN-TEA, SKUs TEA-250G and APPLE-5KG, warehouse
WH-CENTRAL-01, depot DEP-SHEXIAN, pickup point PP-HONGCUN-01, ...), stock, and a few
orders with shipments, so that generated requests that name these objects can succeed.

Usage: seed.py BASE_URL ADMIN_KEY
Only the standard library: it runs before and independently of schemathesis.
"""

import json
import sys
import urllib.error
import urllib.request


def call(base, key, method, path, body=None, headers=None, expect=(200, 201)):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(base + path, data=data, method=method)
    request.add_header("Authorization", f"Bearer {key}")
    if body is not None:
        request.add_header("Content-Type", "application/json")
    for name, value in (headers or {}).items():
        request.add_header(name, value)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            status, text = response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        status, text = error.code, error.read().decode()
    if status not in expect:
        raise SystemExit(f"seed: {method} {path} answered {status}: {text}")
    return json.loads(text) if text else None


def main():
    base, key = sys.argv[1].rstrip("/"), sys.argv[2]

    def post(path, body, **kw):
        return call(base, key, "POST", path, body, **kw)

    post("/v1/tariffs", {
        "code": "ANHUI-2026", "name": "Anhui e-commerce parcels 2026", "handlingFen": 50,
        "parcelMaxGrams": 30000, "heavyThresholdGrams": 20000, "isDefault": True,
        "zones": [{"maxKm": 50, "firstKgFen": 600, "additionalKgFen": 100},
                  {"maxKm": 500, "firstKgFen": 900, "additionalKgFen": 200},
                  {"maxKm": 5000, "firstKgFen": 1500, "additionalKgFen": 600}]})
    central = post("/v1/warehouses", {
        "code": "WH-CENTRAL-01", "name": "Central warehouse Hefei", "kind": "central",
        "lat": 31.82, "lon": 117.23, "dailyCapacity": 5000, "cutoffTime": "16:00"})
    regional = post("/v1/warehouses", {
        "code": "WH-HUANGSHAN", "name": "Huangshan regional warehouse", "kind": "regional",
        "lat": 29.71, "lon": 118.31, "dailyCapacity": 2000})
    merchant = post("/v1/merchants", {
        "code": "M-HUANGSHAN-TEA", "name": "Huangshan Tea Co-op", "dailyQuota": 2000,
        "overQuotaPolicy": "accept_unpromised"})
    for sku in ({"code": "APPLE-5KG", "name": "Dangshan pears, 5 kg box", "grams": 5200, "cm3": 18000, "category": "fresh"},
                {"code": "TEA-250G", "name": "Huangshan Maofeng, 250 g", "grams": 300, "cm3": 1200, "category": "general"}):
        post("/v1/skus", dict(sku, merchantId=merchant["id"]))
    for warehouse in (central, regional):
        for sku in ("APPLE-5KG", "TEA-250G"):
            post(f"/v1/warehouses/{warehouse['id']}/inventory/receive", {"sku": sku, "qty": 100000, "reason": "contract seed"})
    depot = post("/v1/depots", {"code": "DEP-SHEXIAN", "name": "Shexian county depot", "lat": 29.88, "lon": 118.43})
    post("/v1/vehicles", {
        "code": "VAN-SX-01", "depotId": depot["id"], "kind": "small_van", "capacityGrams": 800000,
        "capacityCm3": 4000000, "shiftStart": "07:30", "shiftEnd": "17:00", "fixedCostFen": 15000, "perKmFen": 120})
    centre = post("/v1/service-centres", {"code": "SC-HONGCUN", "name": "Hongcun village service centre", "phone": "0559-5541234"})
    week = {day: [["08:00", "18:00"]] for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
    post("/v1/pickup-points", {
        "code": "PP-HONGCUN-01", "name": "Hongcun post outlet", "kind": "post_outlet", "lat": 30.0, "lon": 117.99,
        "serviceCentreId": centre["id"], "depotId": depot["id"], "openingHours": week, "slotCapacity": 500, "holdDays": 5})
    for n in range(1, 7):
        post("/v1/orders", {
            "merchant": "M-HUANGSHAN-TEA", "externalRef": f"SEED-{n}", "channel": "online",
            "recipient": {"name": "Wang Fang", "phone": "13800138000"},
            "delivery": {"mode": "pickup", "pickupPoint": "PP-HONGCUN-01"},
            "lines": [{"sku": "TEA-250G", "qty": 2}, {"sku": "APPLE-5KG", "qty": 1}]},
            headers={"Idempotency-Key": f"contract-seed-{n}"})
    print("seed: master data, stock and 6 orders written", file=sys.stderr)


if __name__ == "__main__":
    main()
