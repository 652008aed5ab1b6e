#!/usr/bin/env bash
# Road-network benchmark (issue 13), on a fresh embedded database:
#  1. import time of the test extract (Tests/Fixtures/roads/Helsinki.osm.pbf), 3 runs;
#  2. the demo county's road network (seed 1) and a county day of 300 locations
#     (the depot, every pickup point, home addresses), `roads matrix --no-cache`, 3 runs:
#     seconds for the 300 x 300 matrix (budget: 10 s);
#  3. road km / crow-fly km per leg over every ordered pair of that matrix.
#  4. scaling: the same 300-location matrix on a synthetic 44,700-edge street grid.
# Ends with a line: import_s=... matrix300_s=... ratio_p50=... (machine, commit in the header).
# Usage: bench/roads.sh [path/to/ruralpost]
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -n "${1:-}" ]; then BIN=$1; else
  swift build -c release --product ruralpost >&2
  BIN=$(swift build -c release --show-bin-path)/ruralpost
fi
WORK=$(mktemp -d /tmp/rp-roads-bench.XXXXXX); chmod 755 "$WORK"
DATA="$WORK/pgdata"
trap 'rm -rf "$WORK"' EXIT
unset DATABASE_URL
LOCATIONS=${LOCATIONS:-300}

echo "# machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); commit $(git rev-parse --short HEAD 2>/dev/null || echo '?'); $(date -u +%FT%TZ)"
"$BIN" migrate --data-dir "$DATA" --log-level error >/dev/null

IMPORTS=()
for run in 1 2 3; do
  s=$("$BIN" roads import Tests/Fixtures/roads/Helsinki.osm.pbf --data-dir "$DATA" --log-level error | sed -n 's/^  imported in \([0-9.]*\) s$/\1/p')
  IMPORTS+=("$s")
done
"$BIN" roads show --data-dir "$DATA" --log-level error | head -2 | sed 's/^/# helsinki: /'
echo "helsinki_import_s: ${IMPORTS[*]}"

"$BIN" roads demo-county --seed 1 --orders 4000 --osm "$WORK/county.osm" --locations "$WORK/all.csv"
head -n $((LOCATIONS + 1)) "$WORK/all.csv" > "$WORK/locations.csv"
"$BIN" roads import "$WORK/county.osm" --data-dir "$DATA" --log-level error | sed 's/^/# county: /'
MATRIX=()
for run in 1 2 3; do
  "$BIN" roads matrix "$WORK/locations.csv" --no-cache --out "$WORK/matrix.csv" --data-dir "$DATA" --log-level error 2>"$WORK/matrix.log"
  sed 's/^/# /' "$WORK/matrix.log"
  MATRIX+=("$(sed -n 's/.*matrix \([0-9.]*\) s.*/\1/p' "$WORK/matrix.log")")
done
echo "matrix_${LOCATIONS}_s: ${MATRIX[*]} (budget 10 s)"

# 4. Scaling: a synthetic 150 x 150 street grid (22,500 nodes, ~44,700 edges, every third
#    street one-way, 300 m blocks: a county-sized graph) and 300 random locations on it.
python3 - "$WORK/grid.osm" "$WORK/grid-locations.csv" <<'PY'
import random, sys
n, step = 150, 0.0027  # about 300 m at 28.6 N
random.seed(7)
with open(sys.argv[1], "w") as f:
    f.write('<?xml version="1.0" encoding="UTF-8"?>\n<osm version="0.6">\n')
    for r in range(n):
        for c in range(n):
            f.write(f'<node id="{r * n + c + 1}" version="1" lat="{28.0 + r * step:.7f}" lon="{109.0 + c * step * 1.14:.7f}"/>\n')
    w = 0
    for r in range(n):
        w += 1
        refs = "".join(f'<nd ref="{r * n + c + 1}"/>' for c in range(n))
        one = '<tag k="oneway" v="yes"/>' if r % 3 == 1 else ""
        f.write(f'<way id="{w}" version="1">{refs}<tag k="highway" v="{"tertiary" if r % 10 == 0 else "residential"}"/>{one}</way>\n')
    for c in range(n):
        w += 1
        refs = "".join(f'<nd ref="{r * n + c + 1}"/>' for r in range(n))
        one = '<tag k="oneway" v="-1"/>' if c % 3 == 1 else ""
        f.write(f'<way id="{w}" version="1">{refs}<tag k="highway" v="{"secondary" if c % 10 == 0 else "unclassified"}"/>{one}</way>\n')
    f.write("</osm>\n")
with open(sys.argv[2], "w") as f:
    f.write("code,lat,lon\n")
    for i in range(300):
        f.write(f"G{i},{28.0 + random.uniform(0, (n - 1) * step):.6f},{109.0 + random.uniform(0, (n - 1) * step * 1.14):.6f}\n")
PY
"$BIN" roads import "$WORK/grid.osm" --data-dir "$DATA" --log-level error | sed -n 's/^/# grid: /p' | grep -E "nodes|edges|imported"
GRID=()
for run in 1 2 3; do
  "$BIN" roads matrix "$WORK/grid-locations.csv" --no-cache --out "$WORK/grid-matrix.csv" --data-dir "$DATA" --log-level error 2>"$WORK/grid.log"
  sed 's/^/# grid: /' "$WORK/grid.log"
  GRID+=("$(sed -n 's/.*matrix \([0-9.]*\) s.*/\1/p' "$WORK/grid.log")")
done
echo "grid_matrix_300_s: ${GRID[*]}"

python3 - "$WORK/locations.csv" "$WORK/matrix.csv" "${IMPORTS[*]}" "${MATRIX[*]}" "$LOCATIONS" <<'PY'
import csv, math, sys
locs = {r["code"]: (float(r["lat"]), float(r["lon"])) for r in csv.DictReader(open(sys.argv[1]))}
def crow(a, b):
    (la1, lo1), (la2, lo2) = locs[a], locs[b]
    p = math.pi / 180
    h = math.sin((la2 - la1) * p / 2) ** 2 + math.cos(la1 * p) * math.cos(la2 * p) * math.sin((lo2 - lo1) * p / 2) ** 2
    return 2 * 6371008.8 * math.asin(min(1, math.sqrt(h)))
ratios, short = [], 0
for r in csv.DictReader(open(sys.argv[2])):
    c = crow(r["from"], r["to"])
    if c < 1000:  # a few hundred metres between neighbours: the ratio says little
        short += 1
        continue
    ratios.append(int(r["metres"]) / c)
ratios.sort()
q = lambda f: ratios[min(len(ratios) - 1, int(f * len(ratios)))]
print(f"legs: {len(ratios)} with crow-fly >= 1 km ({short} shorter left out)")
print("road_km/crow_fly_km per leg: " + " ".join(f"p{int(f*100)}={q(f):.2f}" for f in (0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99))
      + f" max={ratios[-1]:.2f} mean={sum(ratios)/len(ratios):.2f}")
for t in (1.5, 2, 3):
    print(f"  share of legs over x{t}: {sum(1 for x in ratios if x > t) / len(ratios) * 100:.1f}%")
imp = [float(x) for x in sys.argv[3].split()]
mat = [float(x) for x in sys.argv[4].split()]
print(f"import_s={min(imp):.2f} matrix{sys.argv[5]}_s={min(mat):.2f} ratio_p50={q(0.5):.2f} ratio_p90={q(0.9):.2f}")
PY
