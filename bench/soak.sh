#!/usr/bin/env bash
# Soak of order intake under failures (not a test: it runs for minutes). 100,000 order
# attempts from 64 concurrent clients against scarce stock, the server SIGKILLed 20 times
# and PostgreSQL stopped and started 3 times during the run, clients retrying with their
# idempotency keys; then the database is checked against what the clients were told.
# Ends with one line:
#   attempts=N acknowledged=N missing=N oversold=N duplicates=N inventory=clean|broken p99_ms=N
# and exits non-zero unless missing, oversold and duplicates are 0 and inventory is clean.
# Usage: bench/soak.sh [path/to/ruralpost] (default: builds the release binary)
# Env: ATTEMPTS (100000), CONCURRENCY (64), KILLS (20), PG_RESTARTS (3), OUTAGE (3 s),
#      SCARCE_UNITS (1000 per warehouse), DB_CONNECTIONS (16), PORT (a free one), SEED (1)
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x /opt/swift/usr/bin/swift ] && export PATH="/opt/swift/usr/bin:$PATH"
if [ -n "${1:-}" ]; then BIN=$1; else
  swift build -c release --product ruralpost >&2
  BIN=$(swift build -c release --show-bin-path)/ruralpost
fi
command -v psql >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-client >/dev/null; }
VENV=.build/bench-venv
if ! cmp -s bench/soak/requirements.txt "$VENV/.requirements" 2>/dev/null; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q --disable-pip-version-check -r bench/soak/requirements.txt >&2
  cp bench/soak/requirements.txt "$VENV/.requirements"
fi

WORK=$(mktemp -d /tmp/rp-soak.XXXXXX); chmod 755 "$WORK"
DATA=$WORK/pgdata
cleanup() {
  # soak.py stops its server; stop the cluster the servers shared, then remove it all.
  if [ -f "$DATA/postmaster.pid" ]; then
    PGCTL=$(ls /usr/lib/postgresql/*/bin/pg_ctl | sort -V | tail -1)
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$PGCTL" -D "$DATA" -m fast -w stop >/dev/null 2>&1 || true
    else "$PGCTL" -D "$DATA" -m fast -w stop >/dev/null 2>&1 || true; fi
  fi
  if [ -n "${KEEP_LOG:-}" ]; then cp "$WORK/server.log" "$KEEP_LOG" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT
PORT=${PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
echo "soak: $(uname -m), $(nproc) cores, commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown), binary $BIN" >&2
"$VENV/bin/python" bench/soak/soak.py --binary "$BIN" --data-dir "$DATA" --server-log "$WORK/server.log" --port "$PORT" \
  --attempts "${ATTEMPTS:-100000}" --concurrency "${CONCURRENCY:-64}" --kills "${KILLS:-20}" --pg-restarts "${PG_RESTARTS:-3}" \
  --outage "${OUTAGE:-3}" --scarce-units "${SCARCE_UNITS:-1000}" --db-connections "${DB_CONNECTIONS:-16}" --seed "${SEED:-1}"
