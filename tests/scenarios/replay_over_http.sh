#!/usr/bin/env bash
# The scenario suite over HTTP: one mxemu on a free loopback port (manual clock, started before
# every scenario's start), `mxemu-replay --target URL --jobs 4`, each scenario in its own tenant.
#
# Usage: replay_over_http.sh MXEMU MXEMU_REPLAY SCENARIO_DIR JUNIT_FILE
# Exits with mxemu-replay's code. The server is stopped on exit; every wait is bounded.
set -euo pipefail

MXEMU="${1:?usage}"; REPLAY="${2:?usage}"; DIR="${3:?usage}"; JUNIT="${4:?usage}"
work="$(mktemp -d)"
pid=""
cleanup() {
  [[ -n "$pid" ]] && kill "$pid" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

"$MXEMU" --port 0 --clock manual --start-time 2024-01-01T00:00:00Z --log-level warning \
  >"$work/out" 2>"$work/err" &
pid=$!
url=""
for _ in $(seq 200); do
  url="$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$work/out" | head -1 || true)"
  [[ -n "$url" ]] && break
  sleep 0.05
done
[[ -n "$url" ]] || { echo "mxemu did not start: $(cat "$work/err")" >&2; exit 3; }
start=$(date +%s%N)
"$REPLAY" "$DIR" --target "$url" --jobs 4 --junit "$JUNIT"
echo "wall time over HTTP, 4 jobs: $(( ($(date +%s%N) - start) / 1000000 )) ms"
