# Shared by the bench scripts: build or take the ruralpost binary, start a server on a
# fresh embedded database, create an admin key, and call the API.
# Sets BIN, WORK, DATA, PORT, SERVER, KEY; defines api() and stops everything on exit.

ruralpost_binary() {
  if [ -n "${1:-}" ]; then BIN=$1; return; fi
  swift build -c release --product ruralpost >&2
  BIN=$(swift build -c release --show-bin-path)/ruralpost
}

start_server() {
  WORK=$(mktemp -d /tmp/rp-bench.XXXXXX); chmod 755 "$WORK"
  # BENCH_PORT picks the server port (when several sessions share the machine).
  DATA="$WORK/pgdata"; PORT=${BENCH_PORT:-$((20000 + RANDOM % 20000))}
  trap 'stop_server' EXIT
  unset DATABASE_URL
  "$BIN" serve --port "$PORT" --data-dir "$DATA" --log-level error ${SERVE_ARGS:-} >"$WORK/server.log" 2>&1 &
  SERVER=$!
  for _ in $(seq 1 300); do curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break; sleep 0.2; done
  curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null || { cat "$WORK/server.log" >&2; exit 1; }
  KEY=$("$BIN" keys create --role admin --name bench --data-dir "$DATA" 2>/dev/null)
}

stop_server() {
  if [ -n "${SERVER:-}" ]; then kill "$SERVER" 2>/dev/null; wait "$SERVER" 2>/dev/null || true; fi
  rm -rf "$WORK"
}

api() {
  curl -fsS -X POST "http://127.0.0.1:$PORT$1" -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' -d "$2" >/dev/null
}
