#!/usr/bin/env bash
# Stock import benchmark: 100,000 CSV rows (10 warehouses x 10,000 SKUs) through
# `ruralpost import stock` (COPY into staging, validation, ledger rows, upsert).
# Ends with: stock_rows=N seconds=S rows_per_s=R
# Usage: bench/import.sh [path/to/ruralpost]
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
ruralpost_binary "${1:-}"
start_server
WAREHOUSES=10; SKUS=10000
for w in $(seq 1 $WAREHOUSES); do
  api /v1/warehouses "{\"code\":\"WH$w\",\"name\":\"Warehouse $w\",\"kind\":\"regional\",\"lat\":28.$w,\"lon\":109.$w,\"dailyCapacity\":5000}"
done
api /v1/merchants '{"code":"M1","name":"Import cooperative"}'
python3 - "$WORK" "$WAREHOUSES" "$SKUS" <<'PY'
import sys
work, w, s = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
with open(f"{work}/skus.csv", "w") as f:
    f.write("code,merchant,name,grams,cm3,category\n")
    for i in range(1, s + 1):
        f.write(f"S{i},M1,Item {i},{300 + i * 137 % 9000},2000,general\n")
with open(f"{work}/stock.csv", "w") as f:
    f.write("warehouse,sku,qty,reason\n")
    for i in range(1, s + 1):
        for j in range(1, w + 1):
            f.write(f"WH{j},S{i},{1 + (i * j) % 500},opening count\n")
PY
"$BIN" import skus "$WORK/skus.csv" --data-dir "$DATA" >&2
START=$(date +%s.%N)
"$BIN" import stock "$WORK/stock.csv" --data-dir "$DATA" >&2
END=$(date +%s.%N)
ROWS=$((WAREHOUSES * SKUS))
python3 -c "d = $END - $START; print(f'stock_rows=$ROWS seconds={d:.2f} rows_per_s={$ROWS / d:.0f}')"
