"""Order-intake soak: many concurrent order attempts against scarce stock while the
server is SIGKILLed and PostgreSQL restarted under it; clients retry with their
idempotency keys. At the end the database is checked against what the clients were
told, and one line is printed:

  attempts=N acknowledged=N missing=N oversold=N duplicates=N inventory=clean|broken p99_ms=N

- acknowledged: attempts that got 201 (first answer or a replay);
- missing: acknowledged orders not in the database (or with another idempotency key);
- oversold: units allocated beyond what was received, summed over warehouse x SKU;
- duplicates: attempts with more than one effect (more than one order carries the
  attempt's reference, or two answers for one key named different orders), plus
  attempts refused in the end although an order of theirs exists;
- inventory: `ruralpost inventory check` (ledger = stock levels, reservations = live
  shipments);
- p99_ms: 99th percentile latency of answered HTTP requests (any status).

Traffic goes only to 127.0.0.1. Run through bench/soak.sh.
"""

import argparse
import asyncio
import json
import os
import random
import signal
import subprocess
import sys
import time

import aiohttp

ADMIN_HEADERS = {}


def log(message):
    print(f"soak {time.strftime('%H:%M:%S')}: {message}", file=sys.stderr, flush=True)


class Cluster:
    """The embedded PostgreSQL the first server started, driven with pg_ctl."""

    def __init__(self, data_dir):
        self.data_dir = data_dir
        versions = sorted(os.listdir("/usr/lib/postgresql"), key=lambda v: int(v) if v.isdigit() else 0)
        self.bin = f"/usr/lib/postgresql/{versions[-1]}/bin"

    def pg_ctl(self, *args):
        command = [f"{self.bin}/pg_ctl", "-D", self.data_dir, *args]
        if os.geteuid() == 0:
            command = ["/usr/sbin/runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def stop(self):
        self.pg_ctl("-m", "fast", "-w", "stop")

    def start(self):
        # postmaster.opts keeps the port and options of the first start.
        opts = open(os.path.join(self.data_dir, "postmaster.opts")).read().split(None, 1)[1]
        self.pg_ctl("-l", os.path.join(self.data_dir, "server.log"), "-o", _server_options(opts), "-w", "-t", "60", "start")

    @property
    def port(self):
        return int(open(os.path.join(self.data_dir, "postmaster.pid")).read().split("\n")[3])

    def psql(self, sql):
        result = subprocess.run(
            ["psql", "-X", "-A", "-t", "-q", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", str(self.port),
             "-U", "ruralpost", "-d", "ruralpost", "-c", sql],
            check=True, capture_output=True, text=True)
        return [line.split("|") for line in result.stdout.splitlines() if line]


def _server_options(opts):
    """The `-o` string for pg_ctl from postmaster.opts ("-D" "dir" "-c" "x=y" ...)."""
    parts = [p.strip('"') for p in opts.split()]
    kept, skip = [], False
    for i, part in enumerate(parts):
        if skip:
            skip = False
            continue
        if part == "-D":
            skip = True
            continue
        kept.append(part)
    return " ".join(kept)


class Server:
    """`ruralpost serve` as a child process that can be killed and started again."""

    def __init__(self, binary, port, data_dir, log_path, connections):
        self.binary, self.port, self.data_dir, self.log_path = binary, port, data_dir, log_path
        self.connections = connections
        self.process = None
        self.starts = 0

    def start(self):
        env = dict(os.environ)
        env.pop("DATABASE_URL", None)
        with open(self.log_path, "a") as out:
            self.process = subprocess.Popen(
                [self.binary, "serve", "--port", str(self.port), "--data-dir", self.data_dir,
                 "--log-level", "warning", "--db-connections", str(self.connections)],
                stdout=out, stderr=subprocess.STDOUT, env=env)
        self.starts += 1

    def kill(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait()

    def terminate(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()

    async def wait_healthy(self, session, timeout=120):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                async with session.get(f"http://127.0.0.1:{self.port}/readyz", timeout=aiohttp.ClientTimeout(total=2)) as r:
                    if r.status == 200:
                        return
            except (aiohttp.ClientError, asyncio.TimeoutError):
                pass
            if self.process.poll() is not None:
                raise SystemExit(f"soak: the server exited with {self.process.returncode}; see {self.log_path}")
            await asyncio.sleep(0.1)
        raise SystemExit("soak: the server did not become ready")


class Stats:
    def __init__(self):
        self.latencies = []  # seconds, answered requests
        self.requests = 0
        self.statuses = {}
        self.transport_errors = 0
        self.done = 0
        self.acknowledged = {}  # key -> order id
        self.conflicting_ids = set()  # keys answered with two different order ids
        self.refused = {}  # key -> final non-201 status
        self.unanswered = set()


def order_body(rng, key, scarce, plenty):
    lines = []
    if rng.random() < 0.7:
        lines.append({"sku": rng.choice(scarce), "qty": rng.randint(1, 3)})
    for sku in rng.sample(plenty, rng.randint(1, 2)):
        lines.append({"sku": sku, "qty": rng.randint(1, 3)})
    return {
        "merchant": "SOAK", "externalRef": key, "channel": "online",
        "recipient": {"name": "Wang Fang", "phone": "13800001234"},
        "delivery": {"mode": "pickup", "pickupPoint": "PP-SOAK"},
        "lines": lines, "allowPartial": rng.random() < 0.5,
    }


async def attempt(session, base, key, body, stats, deadline_s):
    """One logical order: POST until a definitive answer, always with the same key and body."""
    data = json.dumps(body).encode()
    headers = {"Content-Type": "application/json", "Idempotency-Key": key, **ADMIN_HEADERS}
    deadline = time.monotonic() + deadline_s
    delay = 0.05
    while time.monotonic() < deadline:
        started = time.monotonic()
        try:
            async with session.post(f"{base}/v1/orders", data=data, headers=headers,
                                    timeout=aiohttp.ClientTimeout(total=10)) as response:
                text = await response.read()
                stats.latencies.append(time.monotonic() - started)
                stats.requests += 1
                stats.statuses[response.status] = stats.statuses.get(response.status, 0) + 1
                if response.status == 201:
                    order_id = json.loads(text)["id"]
                    previous = stats.acknowledged.setdefault(key, order_id)
                    if previous != order_id:
                        stats.conflicting_ids.add(key)
                    return
                if response.status in (400, 401, 403, 404, 413, 415, 422) or (
                        response.status == 409 and _is_final_conflict(text)):
                    stats.refused[key] = response.status
                    return
                # 409 concurrent update, 500, 502, 503, 504: try again with the same key.
        except (aiohttp.ClientError, asyncio.TimeoutError, ConnectionError):
            stats.requests += 1
            stats.transport_errors += 1
        await asyncio.sleep(delay * (0.5 + random.random()))
        delay = min(delay * 2, 1.0)
    stats.unanswered.add(key)


def _is_final_conflict(text):
    try:
        error = json.loads(text)["error"]
    except (ValueError, KeyError, TypeError):
        return False
    return error.get("field") in ("lines", "merchant")


async def chaos(server, cluster, session, stats, total, kills, restarts, outage_s):
    """Kills the server and restarts PostgreSQL at evenly spread points of progress."""
    count = kills + restarts
    restart_at = {round((j + 1) * (count + 1) / (restarts + 1)) - 1 for j in range(restarts)}
    plan = [((i + 1) * total // (count + 1), "pg" if i in restart_at else "kill") for i in range(count)]
    done_kills = done_restarts = 0
    for at, kind in plan:
        while stats.done < at:
            await asyncio.sleep(0.05)
        if kind == "kill":
            server.kill()
            done_kills += 1
            server.start()
            log(f"SIGKILL {done_kills} at {stats.done} attempts; server restarted")
            await server.wait_healthy(session)
        else:
            cluster.stop()
            done_restarts += 1
            log(f"PostgreSQL stopped ({done_restarts}) at {stats.done} attempts, down for {outage_s} s")
            await asyncio.sleep(outage_s)
            cluster.start()
            log("PostgreSQL started again")
    return done_kills, done_restarts


async def run(args):
    rng = random.Random(args.seed)
    base = f"http://127.0.0.1:{args.port}"
    stats = Stats()
    server = Server(args.binary, args.port, args.data_dir, args.server_log, args.db_connections)
    cluster = Cluster(args.data_dir)
    scarce = [f"SCARCE-{i}" for i in range(1, args.scarce_skus + 1)]
    plenty = [f"PLENTY-{i}" for i in range(1, args.plenty_skus + 1)]
    connector = aiohttp.TCPConnector(limit=args.concurrency, force_close=False)
    async with aiohttp.ClientSession(connector=connector) as session:
        server.start()
        await server.wait_healthy(session)
        ADMIN_HEADERS["Authorization"] = "Bearer " + subprocess.run(
            [args.binary, "keys", "create", "--role", "admin", "--name", "soak", "--data-dir", args.data_dir, "--log-level", "error"],
            check=True, capture_output=True, text=True).stdout.strip()
        await seed(session, base, scarce, plenty, args)
        log(f"{args.attempts} attempts, {args.concurrency} concurrent, {args.kills} kills, {args.pg_restarts} PostgreSQL restarts")

        queue = asyncio.Queue()
        for n in range(args.attempts):
            key = f"soak-{args.seed}-{n}"
            queue.put_nowait((key, order_body(rng, key, scarce, plenty)))

        async def worker():
            while True:
                try:
                    key, body = queue.get_nowait()
                except asyncio.QueueEmpty:
                    return
                await attempt(session, base, key, body, stats, args.attempt_deadline)
                stats.done += 1

        async def progress():
            while True:
                await asyncio.sleep(15)
                log(f"{stats.done} attempts done, {len(stats.acknowledged)} acknowledged, {stats.requests} requests")

        started = time.monotonic()
        reporter = asyncio.create_task(progress())
        chaos_task = asyncio.create_task(chaos(server, cluster, session, stats, args.attempts, args.kills, args.pg_restarts, args.outage))
        await asyncio.gather(*(worker() for _ in range(args.concurrency)))
        kills, restarts = await chaos_task
        reporter.cancel()
        elapsed = time.monotonic() - started
    server.terminate()
    if not os.path.exists(os.path.join(args.data_dir, "postmaster.pid")):
        cluster.start()  # the last server owned the cluster and stopped it
    return stats, kills, restarts, elapsed, cluster, scarce


async def seed(session, base, scarce, plenty, args):
    async def post(path, body):
        async with session.post(base + path, json=body, headers=ADMIN_HEADERS) as r:
            if r.status not in (200, 201):
                raise SystemExit(f"soak: seeding {path} answered {r.status}: {await r.text()}")
            return await r.json()
    await post("/v1/tariffs", {"code": "STD", "name": "Standard", "handlingFen": 150, "parcelMaxGrams": 20000, "isDefault": True,
                               "zones": [{"maxKm": 30, "firstKgFen": 600, "additionalKgFen": 150},
                                         {"maxKm": 300, "firstKgFen": 1000, "additionalKgFen": 400}]})
    warehouses = []
    for w in (1, 2, 3):
        warehouses.append(await post("/v1/warehouses", {"code": f"WH{w}", "name": f"Warehouse {w}", "kind": "regional",
                                                         "lat": 28 + w / 10, "lon": 109 + w / 10, "dailyCapacity": 100000000}))
    merchant = await post("/v1/merchants", {"code": "SOAK", "name": "Soak cooperative"})
    depot = await post("/v1/depots", {"code": "D-SOAK", "name": "Depot", "lat": 28.5, "lon": 109.5})
    centre = await post("/v1/service-centres", {"code": "SC-SOAK", "name": "Centre"})
    await post("/v1/pickup-points", {"code": "PP-SOAK", "name": "Station", "kind": "village_station", "lat": 28.6, "lon": 109.6,
                                     "serviceCentreId": centre["id"], "depotId": depot["id"],
                                     "openingHours": {"mon": [["08:00", "18:00"]]}, "slotCapacity": 100, "holdDays": 5})
    for i, code in enumerate(scarce + plenty):
        await post("/v1/skus", {"code": code, "merchantId": merchant["id"], "name": code, "grams": 300 + (i * 137) % 4000,
                                "cm3": 2000, "category": "general"})
    for code in scarce:
        # Scarce: only two warehouses hold it, far fewer units than attempts ask for.
        for warehouse in warehouses[:2]:
            await post(f"/v1/warehouses/{warehouse['id']}/inventory/receive", {"sku": code, "qty": args.scarce_units, "reason": "soak"})
    for code in plenty:
        for warehouse in warehouses:
            await post(f"/v1/warehouses/{warehouse['id']}/inventory/receive", {"sku": code, "qty": 10000000, "reason": "soak"})


def verify(stats, cluster, args):
    """Compares what clients were told with what the database holds."""
    acked = stats.acknowledged
    rows = cluster.psql("SELECT o.id, o.external_ref FROM orders o JOIN merchants m ON m.id = o.merchant_id WHERE m.code = 'SOAK'")
    by_ref = {}
    ids = {}
    for order_id, ref in rows:
        by_ref.setdefault(ref, []).append(int(order_id))
        ids[int(order_id)] = ref
    missing = sum(1 for key, order_id in acked.items() if ids.get(order_id) != key)
    duplicates = {ref for ref, orders in by_ref.items() if len(orders) > 1} | stats.conflicting_ids
    ghosts = {key for key in stats.refused if key in by_ref}
    oversold_rows = cluster.psql("""
        WITH received AS (
            SELECT warehouse_id, sku_id, sum(delta_on_hand) AS qty FROM inventory_movements
            WHERE kind = 'receive' GROUP BY warehouse_id, sku_id),
        allocated AS (
            SELECT sh.warehouse_id, si.sku_id, sum(si.qty) AS qty FROM shipments sh
            JOIN shipment_items si ON si.shipment_id = sh.id
            WHERE sh.kind = 'outbound' AND sh.status <> 'cancelled' GROUP BY sh.warehouse_id, si.sku_id)
        SELECT coalesce(sum(greatest(a.qty - coalesce(r.qty, 0), 0)), 0)
        FROM allocated a LEFT JOIN received r USING (warehouse_id, sku_id)""")
    oversold = int(oversold_rows[0][0])
    check = subprocess.run([args.binary, "inventory", "check", "--data-dir", args.data_dir, "--log-level", "error"],
                           capture_output=True, text=True)
    if check.returncode != 0:
        log(check.stdout + check.stderr)
    scarce_left = cluster.psql("""
        SELECT coalesce(sum(i.on_hand - i.reserved), 0) FROM inventory i JOIN skus s ON s.id = i.sku_id WHERE s.code LIKE 'SCARCE-%'""")
    return missing, oversold, duplicates | ghosts, ghosts, check.returncode == 0, int(scarce_left[0][0])


def percentile(values, p):
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", required=True)
    parser.add_argument("--data-dir", required=True)
    parser.add_argument("--server-log", required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--attempts", type=int, default=100000)
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--pg-restarts", type=int, default=3)
    parser.add_argument("--outage", type=float, default=3.0, help="seconds PostgreSQL stays down per restart")
    parser.add_argument("--scarce-skus", type=int, default=5)
    parser.add_argument("--scarce-units", type=int, default=1000, help="units of each scarce SKU per warehouse (2 warehouses)")
    parser.add_argument("--plenty-skus", type=int, default=50)
    parser.add_argument("--db-connections", type=int, default=16)
    parser.add_argument("--attempt-deadline", type=float, default=180.0, help="seconds one attempt keeps retrying")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    stats, kills, restarts, elapsed, cluster, scarce = asyncio.run(run(args))
    missing, oversold, duplicates, ghosts, clean, scarce_left = verify(stats, cluster, args)
    p99 = percentile(stats.latencies, 99) * 1000
    log(f"{elapsed:.0f} s, {stats.requests} requests ({stats.transport_errors} without an answer, retried), "
        f"statuses {dict(sorted(stats.statuses.items()))}; {kills} kills, {restarts} PostgreSQL restarts; "
        f"refused {len(stats.refused)}, unanswered {len(stats.unanswered)}, refused-but-written {len(ghosts)}; "
        f"scarce units left {scarce_left}; p50 {percentile(stats.latencies, 50) * 1000:.0f} ms")
    print(f"attempts={args.attempts} acknowledged={len(stats.acknowledged)} missing={missing} oversold={oversold} "
          f"duplicates={len(duplicates)} inventory={'clean' if clean else 'broken'} p99_ms={p99:.0f}", flush=True)
    ok = (missing == 0 and oversold == 0 and not duplicates and clean and not stats.unanswered
          and kills >= min(args.kills, 20) and restarts >= min(args.pg_restarts, 3))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
