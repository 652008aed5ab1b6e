#!/usr/bin/env bash
# Order-intake benchmark: wrk against POST /v1/orders (unique Idempotency-Keys, 2-line
# orders, 32 connections, 60 s) on the embedded database, and pgbench running the same
# SQL transaction directly as the ceiling. Ends with one line:
#   orders_per_s=N p50_ms=N p99_ms=N pgbench_ratio=R
# Usage: bench/orders.sh [path/to/ruralpost] (default: builds the release binary)
# Env: DURATION (60s), CONNECTIONS (32), THREADS (2), SKUS (200)
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-60s}; CONNECTIONS=${CONNECTIONS:-32}; THREADS=${THREADS:-2}; SKUS=${SKUS:-200}
source bench/lib.sh
ruralpost_binary "${1:-}"
command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
command -v pgbench >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-contrib >/dev/null; }
start_server

# Master data: 3 warehouses, one merchant with $SKUS SKUs, deep stock, a pickup point, a tariff.
api /v1/tariffs '{"code":"STD","name":"Standard","handlingFen":150,"parcelMaxGrams":20000,"isDefault":true,"zones":[{"maxKm":30,"firstKgFen":600,"additionalKgFen":150},{"maxKm":300,"firstKgFen":1000,"additionalKgFen":400}]}'
for w in 1 2 3; do
  api /v1/warehouses "{\"code\":\"WH$w\",\"name\":\"Warehouse $w\",\"kind\":\"regional\",\"lat\":28.$w,\"lon\":109.$w,\"dailyCapacity\":10000000}"
done
api /v1/merchants '{"code":"M1","name":"Bench cooperative"}'
api /v1/depots '{"code":"D1","name":"Depot","lat":28.5,"lon":109.5}'
api /v1/service-centres '{"code":"SC1","name":"Centre"}'
api /v1/pickup-points '{"code":"PP1","name":"Station","kind":"village_station","lat":28.6,"lon":109.6,"serviceCentreId":1,"depotId":1,"openingHours":{"mon":[["08:00","18:00"]]},"slotCapacity":100,"holdDays":5}'
{ echo "code,merchant,name,grams,cm3,category"; for i in $(seq 1 "$SKUS"); do echo "S$i,M1,Item $i,$((300 + (i * 137) % 9000)),2000,general"; done; } >"$WORK/skus.csv"
{ echo "warehouse,sku,qty"; for i in $(seq 1 "$SKUS"); do for w in 1 2 3; do echo "WH$w,S$i,10000000"; done; done; } >"$WORK/stock.csv"
"$BIN" import skus "$WORK/skus.csv" --data-dir "$DATA" >&2
"$BIN" import stock "$WORK/stock.csv" --data-dir "$DATA" >&2

# HTTP: wrk with a unique key per request.
cat >"$WORK/orders.lua" <<LUA
local counter = 0
local thread_id = 0
function setup(thread) thread:set("tid", thread_id); thread_id = thread_id + 1 end
function init(args) math.randomseed(os.time() + tid * 7919) end
function request()
  counter = counter + 1
  local a = math.random(1, $SKUS); local b = (a % $SKUS) + 1
  local body = string.format('{"merchant":"M1","channel":"online","recipient":{"name":"Li Wei","phone":"13800001234"},"delivery":{"mode":"pickup","pickupPoint":"PP1"},"lines":[{"sku":"S%d","qty":%d},{"sku":"S%d","qty":1}]}', a, math.random(1, 3), b)
  return wrk.format("POST", "/v1/orders", {["Authorization"] = "Bearer $KEY", ["Content-Type"] = "application/json",
    ["Idempotency-Key"] = string.format("bench-%d-%d-%d", tid, counter, os.time())}, body)
end
done = function(summary, latency, requests)
  io.write(string.format("WRK rps=%.1f p50_ms=%.2f p99_ms=%.2f errors=%d non2xx=%d\n", summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout, summary.errors.status))
end
LUA
echo "wrk: $CONNECTIONS connections, $DURATION" >&2
wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --timeout 10s -s "$WORK/orders.lua" "http://127.0.0.1:$PORT" >"$WORK/wrk.txt" 2>&1 || true
cat "$WORK/wrk.txt" >&2
WRK=$(grep '^WRK' "$WORK/wrk.txt")
RPS=$(echo "$WRK" | sed -E 's/.*rps=([0-9.]+).*/\1/'); P50=$(echo "$WRK" | sed -E 's/.*p50_ms=([0-9.]+).*/\1/'); P99=$(echo "$WRK" | sed -E 's/.*p99_ms=([0-9.]+).*/\1/')

# Ceiling: the same transaction (same statements, same row counts) straight from pgbench.
PGPORT=$(sed -n 4p "$DATA/postmaster.pid")
PGURL="postgresql://ruralpost@127.0.0.1:$PGPORT/ruralpost"
PGBENCH_DURATION=$(echo "$DURATION" | tr -dc 0-9)
pgbench -n -c "$CONNECTIONS" -j "$THREADS" -T "$PGBENCH_DURATION" -f bench/orders/intake.sql -D skus="$SKUS" "$PGURL" >"$WORK/pgbench.txt" 2>&1 || true
cat "$WORK/pgbench.txt" >&2
TPS=$(grep -E '^tps' "$WORK/pgbench.txt" | head -1 | sed -E 's/tps = ([0-9.]+).*/\1/')
RATIO=$(python3 -c "print(f'{float(\"$RPS\") / float(\"$TPS\"):.2f}')")
echo "orders_per_s=$(printf '%.0f' "$RPS") p50_ms=$P50 p99_ms=$P99 pgbench_ratio=$RATIO"
