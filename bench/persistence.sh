#!/usr/bin/env bash
# bench/persistence.sh: the mixed workload (bench/lua/mixed.lua, as in bench/run.sh's "mixed"
# load at 16 connections) against mxemu in memory and with --data-dir, alternating, in one run;
# prints each load and the ratio of req/s with persistence on to off (docs/persistence.md).
#
#   bench/persistence.sh [MXEMU_BINARY]    # default build/release/mock_server/mxemu
#
# Environment: BENCH_DURATION (s per load, default 10), BENCH_PAIRS (off/on pairs, default 2),
# BENCH_BUDGET (s before the watchdog aborts, default 240). Needs wrk and curl (bench/install.sh).
# Loopback only; every process it starts is stopped on exit; every step is bounded.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
MXEMU="${1:-$root/build/release/mock_server/mxemu}"
DURATION="${BENCH_DURATION:-10}"
PAIRS="${BENCH_PAIRS:-2}"
BUDGET="${BENCH_BUDGET:-240}"
AUTH_USER="mxemu-client-id:mxemu-api-key"
AUTH_B64="$(printf '%s' "$AUTH_USER" | base64)"
ACCEPT="Accept: application/vnd.mx.api.v1+json"
MXBANK_CREDENTIALS='"institution_code":"mxbank","credentials":[{"guid":"CRD-9f61fb4c-912c-bd1e-b175-ccc7f0275cc1","value":"mxuser"},{"guid":"CRD-e3d7ea81-aac7-05e9-fbdd-4b493c6e474d","value":"password"}]'
POOL_SIZE=8
CREATE_CAP=20

log() { printf 'bench: %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }
for tool in wrk curl base64 awk; do command -v "$tool" >/dev/null || die "$tool is missing: run bench/install.sh"; done
[[ -x "$MXEMU" ]] || die "$MXEMU is missing: build it (cmake --build --preset release --target mxemu)"

work="$(mktemp -d /tmp/mxemu-bench-persist.XXXXXX)"
pids=()
cleanup() {
  local rc=$?
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
  exit "$rc"
}
trap cleanup EXIT
main_pid=$$
( sleep "$BUDGET"; echo "bench: time budget of ${BUDGET}s exceeded, aborting" >&2; kill -TERM "$main_pid" ) &
pids+=($!)

mx() {
  local method="$1" path="$2" body="${3:-}"
  curl -sS --max-time 10 -u "$AUTH_USER" -H "$ACCEPT" -H 'Content-Type: application/json' \
    -X "$method" ${body:+-d "$body"} "$MX_URL$path"
}
json_field() { grep -o -m1 "\"$1\":\"[^\"]*\"" | head -1 | cut -d'"' -f4; }
to_ms() {
  awk -v v="$1" 'BEGIN { n = v + 0
    if (v ~ /us$/) n = n / 1000; else if (v ~ /ms$/) n = n; else if (v ~ /m$/) n = n * 60000;
    else if (v ~ /s$/) n = n * 1000; printf "%.2f", n }'
}

# run_mixed LABEL [mxemu flags...]: a fresh mxemu, the pool of connected members, one wrk load.
run_mixed() {
  local label="$1"; shift
  "$MXEMU" --port 0 --log-level off "$@" >"$work/$label.out" 2>&1 &
  local pid=$!
  pids+=("$pid")
  MX_URL=""
  for _ in $(seq 100); do
    MX_URL="$(grep -o -m1 'http://127\.0\.0\.1:[0-9]*' "$work/$label.out" || true)"
    [[ -n "$MX_URL" ]] && break
    sleep 0.05
  done
  [[ -n "$MX_URL" ]] || die "mxemu did not start: $(cat "$work/$label.out")"
  echo "return {" >"$work/pool.lua"
  for i in $(seq 0 "$POOL_SIZE"); do
    local u m
    u="$(mx POST /users "{\"user\":{\"id\":\"bench-pool-$i\"}}" | json_field guid)"
    m="$(mx POST "/users/$u/members" "{\"member\":{$MXBANK_CREDENTIALS}}" | json_field guid)"
    [[ "$m" == MBR-* ]] || die "could not create a member"
    echo "  {u = \"$u\", m = \"$m\"}," >>"$work/pool.lua"
  done
  echo "}" >>"$work/pool.lua"
  curl -sS --max-time 10 -o /dev/null -X POST -H 'Content-Type: application/json' \
    -d '{"seconds":10}' "$MX_URL/_emulator/clock/advance"
  local out="$work/$label.wrk"
  MXEMU_BENCH_POOL="$work/pool.lua" MXEMU_BENCH_CREATE_CAP="$CREATE_CAP" MXEMU_BENCH_AUTH="$AUTH_B64" \
    timeout $((DURATION + 20)) wrk -t2 -c16 -d"${DURATION}s" --timeout 5s --latency \
    -H "Authorization: Basic $AUTH_B64" -H "$ACCEPT" -s "$here/lua/mixed.lua" "$MX_URL" >"$out" 2>&1
  local state; state="$(curl -sS --max-time 10 "$MX_URL/_emulator/state")"
  kill -TERM "$pid"
  wait "$pid" || log "$label: mxemu exited with $?"
  RPS[$label]="$(awk '/^Requests\/sec:/ {printf "%.0f", $2}' "$out")"
  P50[$label]="$(to_ms "$(awk '$1 == "50%" {print $2}' "$out")")"
  P99[$label]="$(to_ms "$(awk '$1 == "99%" {print $2}' "$out")")"
  CODES[$label]="$(awk '/^mixed_status_codes/ { $1 = ""; sub(/^ /, ""); print }' "$out")"
  log "$(printf '%-12s %7s req/s  p50 %8s ms  p99 %8s ms  codes %s' "$label" "${RPS[$label]}" \
    "${P50[$label]}" "${P99[$label]}" "${CODES[$label]}")"
  log "$label: stored after: $(grep -o '"members":[0-9]*\|"transactions":[0-9]*\|"users":[0-9]*' <<<"$state" | tr '\n' ' ')"
}

declare -A RPS P50 P99 CODES
log "mixed load, 16 connections, ${DURATION} s each, $PAIRS off/on pairs; $(nproc) cores, loadavg $(cut -d' ' -f1-3 /proc/loadavg)"
for pair in $(seq "$PAIRS"); do
  run_mixed "off-$pair"
  rm -rf "$work/data-$pair"
  run_mixed "on-$pair" --data-dir "$work/data-$pair"
  log "on-$pair: data dir $(du -sh "$work/data-$pair" | cut -f1)"
done
echo
echo "| pair | off req/s | on req/s | on/off | off p99 ms | on p99 ms |"
echo "|---|---:|---:|---:|---:|---:|"
for pair in $(seq "$PAIRS"); do
  ratio="$(awk -v a="${RPS[on-$pair]}" -v b="${RPS[off-$pair]}" 'BEGIN { if (b > 0) printf "%.3f", a / b; else print "n/a" }')"
  echo "| $pair | ${RPS[off-$pair]} | ${RPS[on-$pair]} | $ratio | ${P99[off-$pair]} | ${P99[on-$pair]} |"
done
