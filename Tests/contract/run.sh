#!/usr/bin/env bash
# Contract test: does the server do what docs/openapi.yaml says?
#
# Starts the real `ruralpost serve` on a fresh embedded PostgreSQL, seeds the master data
# the document's examples name, creates a key of every role, and runs schemathesis
# (pinned in requirements.txt, installed into .build/contract-venv on first use) with all
# checks (schemathesis.toml), every phase including the stateful one, for each key in turn
# (after a quick walk of the document, nul_free.py, for strings it lets hold a NUL). Any failure
# fails the run; the seed is printed so that it can be replayed:
#
#   Tests/contract/run.sh                       # default: 50 examples per operation, random seed
#   SEED=1234 EXAMPLES=100 Tests/contract/run.sh
#   ROLES="admin planner" Tests/contract/run.sh # only these keys
#
# Env: RURALPOST_BIN (default: the debug build's ruralpost, built if missing),
#      CONTRACT_PORT (default: a free loopback port), SEED, EXAMPLES (50), ROLES,
#      WORKERS (1: Python 3.11's ast module is not thread-safe under hypothesis), SPEC (docs/openapi.yaml),
#      KEEP_REPORTS (a folder to copy the reports and the server log to), LOG_LEVEL (warning).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
cd "$ROOT"
[ -x /opt/swift/usr/bin/swift ] && export PATH="/opt/swift/usr/bin:$PATH"

EXAMPLES=${EXAMPLES:-50}
SEED=${SEED:-$(python3 -c 'import random; print(random.randrange(1, 2**31))')}
ROLES=${ROLES:-admin operator service_centre planner}
WORKERS=${WORKERS:-1}
SPEC=${SPEC:-$ROOT/docs/openapi.yaml}

# ---- tools: the ruralpost binary and a virtual environment with pinned schemathesis
if [ -n "${RURALPOST_BIN:-}" ]; then
  BIN=$RURALPOST_BIN
else
  BIN=$(swift build --show-bin-path)/ruralpost
  [ -x "$BIN" ] || swift build --product ruralpost >&2
fi
VENV=$ROOT/.build/contract-venv
STAMP=$VENV/.requirements
if ! cmp -s "$HERE/requirements.txt" "$STAMP" 2>/dev/null; then
  echo "contract: installing $(grep -v '^#' "$HERE/requirements.txt" | tr '\n' ' ')into $VENV" >&2
  python3 -m venv "$VENV" || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null && python3 -m venv "$VENV"; }
  "$VENV/bin/pip" install -q --disable-pip-version-check -r "$HERE/requirements.txt" >&2
  cp "$HERE/requirements.txt" "$STAMP"
fi

# ---- the document itself: every request string NUL-free by its schema (nul_free.py says why)
"$VENV/bin/python" "$HERE/nul_free.py" "$SPEC"

# ---- the server on a fresh embedded database; everything started here stops on exit
WORK=$(mktemp -d /tmp/rp-contract.XXXXXX); chmod 755 "$WORK"
DATA=$WORK/pgdata
SERVER=
cleanup() {
  if [ -n "$SERVER" ] && kill -0 "$SERVER" 2>/dev/null; then
    kill -TERM "$SERVER" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$SERVER" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$SERVER" 2>/dev/null || true
    wait "$SERVER" 2>/dev/null || true
  fi
  # The server stops the cluster it started; make sure of it if the server died.
  if [ -f "$DATA/postmaster.pid" ]; then
    PGCTL=$(ls /usr/lib/postgresql/*/bin/pg_ctl 2>/dev/null | sort -V | tail -1)
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$PGCTL" -D "$DATA" -m fast -w stop >/dev/null 2>&1 || true
    else "$PGCTL" -D "$DATA" -m fast -w stop >/dev/null 2>&1 || true; fi
  fi
  if [ -n "${KEEP_REPORTS:-}" ] && [ -f "$WORK/server.log" ]; then mkdir -p "$KEEP_REPORTS"; cp "$WORK/server.log" "$KEEP_REPORTS/"; fi
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

PORT=${CONTRACT_PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
BASE=http://127.0.0.1:$PORT
unset DATABASE_URL
"$BIN" serve --port "$PORT" --data-dir "$DATA" --log-level "${LOG_LEVEL:-warning}" >"$WORK/server.log" 2>&1 &
SERVER=$!
for _ in $(seq 1 600); do
  curl -fsS "$BASE/readyz" >/dev/null 2>&1 && break
  kill -0 "$SERVER" 2>/dev/null || break
  sleep 0.2
done
curl -fsS "$BASE/readyz" >/dev/null 2>&1 || { echo "contract: the server did not become ready" >&2; cat "$WORK/server.log" >&2; exit 1; }

key() { "$BIN" keys create --data-dir "$DATA" --log-level error --name "contract $1" --role "$@" 2>/dev/null; }
declare -A KEYS
KEYS[admin]=$(key admin)
"$VENV/bin/python" "$HERE/seed.py" "$BASE" "${KEYS[admin]}"
KEYS[operator]=$(key operator)
KEYS[service_centre]=$(key service_centre --scope service_centre:SC-HONGCUN)
KEYS[planner]=$(key planner)

# ---- schemathesis, once per key
echo "contract: schemathesis $("$VENV/bin/schemathesis" --version | awk '{print $NF}') against $BASE, $EXAMPLES examples per operation, seed $SEED" >&2
passed=0; failed=0; failed_roles=
for role in $ROLES; do
  echo "contract: --- role $role (replay: SEED=$SEED EXAMPLES=$EXAMPLES ROLES=$role $0)" >&2
  mkdir -p "$WORK/reports/$role"
  set +e
  (cd "$HERE" && PYTHONPATH="$HERE" SCHEMATHESIS_HOOKS=hooks "$VENV/bin/schemathesis" --config-file "$HERE/schemathesis.toml" run "$SPEC" \
    --url "$BASE" -H "Authorization: Bearer ${KEYS[$role]}" \
    --phases examples,coverage,fuzzing,stateful --max-examples "$EXAMPLES" --seed "$SEED" \
    --workers "$WORKERS" --request-timeout 30 \
    --report junit,ndjson --report-dir "$WORK/reports/$role" >"$WORK/reports/$role/output.txt" 2>&1)
  status=$?
  set -e
  tail -n 60 "$WORK/reports/$role/output.txt" >&2
  if [ "$status" = 0 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); failed_roles="$failed_roles $role"; fi
  if [ -n "${KEEP_REPORTS:-}" ]; then mkdir -p "$KEEP_REPORTS"; cp -r "$WORK/reports/$role" "$KEEP_REPORTS/"; fi
done
if ! kill -0 "$SERVER" 2>/dev/null; then
  echo "contract: the server died during the run" >&2; tail -n 50 "$WORK/server.log" >&2; failed=$((failed + 1))
fi
if grep -q '"level":"error"\|error:' "$WORK/server.log" 2>/dev/null; then
  echo "contract: server log errors (first 20 lines):" >&2; grep -m 20 'error' "$WORK/server.log" >&2 || true
fi
echo "contract (seed $SEED, $EXAMPLES examples):$([ -n "$failed_roles" ] && echo " failed for$failed_roles;") $passed passed, $failed failed" >&2
[ "$failed" = 0 ]
