#!/usr/bin/env bash
# bench/soak.sh: a loopback soak of mxemu under the mixed MX workload, with webhooks on (issue 7;
# what it runs and how to read it: docs/benchmarks.md, "Soak").
#
#   bench/soak.sh                                  # 10 min: 10 segments of 60 s at 64 connections
#   SOAK_SECONDS=120 SOAK_SEGMENT=30 bench/soak.sh  # a short check
#
# Environment knobs: SOAK_SECONDS (default 600), SOAK_SEGMENT (s per wrk run, default 60; at
# least 3 segments), SOAK_CONNECTIONS (default 64), SOAK_CREATE_CAP (users each wrk thread
# creates per segment, default 20), SOAK_RECEIVER (auto, mxctl or nginx; default auto: mxctl
# if SOAK_MXCTL is built, else nginx), SOAK_MXCTL (default build/release/client/mxctl),
# SOAK_MXEMU_ARGS (extra mxemu flags, for diagnosis), SOAK_WARMUP (s, default 5; 0: none) and
# SOAK_WARMUP_CONNECTIONS (default 256), SOAK_BUDGET (watchdog, s; default the soak + 30 s per
# segment + the warm-up + 150), BENCH_SKIP_BUILD=1 (never build mxemu).
#
# Exit status: 0 every check passed, 3 a check missed, anything else: the soak did not complete.
# Loopback only; every process it starts is stopped on exit (trap EXIT); every step is bounded.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
LOG_TAG=soak
# shellcheck source=bench/lib.sh
. "$here/lib.sh"

TOTAL="${SOAK_SECONDS:-600}"
SEGMENT="${SOAK_SEGMENT:-60}"
CONNS="${SOAK_CONNECTIONS:-64}"
CREATE_CAP="${SOAK_CREATE_CAP:-20}"
RECEIVER="${SOAK_RECEIVER:-auto}"
MXCTL="${SOAK_MXCTL:-$root/build/release/client/mxctl}"
read -r -a MXEMU_ARGS <<<"${SOAK_MXEMU_ARGS:-}"
MXEMU="$root/build/release/mock_server/mxemu"
NGINX="$(command -v nginx || echo /usr/sbin/nginx)"
POOL_SIZE=8       # connected members polled by every segment, as in bench/run.sh's mixed load
SETTLE=2          # s between deleting a segment's users and reading VmRSS (jemalloc's decay is ~1 s)
WARMUP="${SOAK_WARMUP:-5}"              # s of mixed load (no creates) at WARMUP_CONNS before segment 1
WARMUP_CONNS="${SOAK_WARMUP_CONNECTIONS:-256}"  # mxemu's default --threads: every worker serves once

# The tool's own definition of a pass (docs/benchmarks.md, "Soak").
T_SLOPE_MB_MIN=0.5  # |RSS slope| over the segments after the first
T_P99_RATIO=2       # max p99 <= T_P99_RATIO x median p99 over all segments

for v in "$TOTAL" "$SEGMENT" "$CONNS" "$CREATE_CAP" "$WARMUP" "$WARMUP_CONNS"; do
  [[ "$v" =~ ^[0-9]+$ ]] || die "the SOAK_* knobs are whole numbers (got '$v')"
done
(( SEGMENT >= 5 )) || die "SOAK_SEGMENT must be at least 5 s"
NSEG=$((TOTAL / SEGMENT))
(( NSEG >= 3 )) || die "SOAK_SECONDS / SOAK_SEGMENT must give at least 3 segments (the first is warm-up)"
BUDGET="${SOAK_BUDGET:-$((NSEG * SEGMENT + 30 * NSEG + WARMUP + 150))}"

for tool in wrk curl ss awk base64; do
  command -v "$tool" >/dev/null || die "$tool is missing: run bench/install.sh"
done
case "$RECEIVER" in
  auto) if [[ -x "$MXCTL" ]]; then RECEIVER=mxctl; else RECEIVER=nginx; fi ;;
  mxctl) [[ -x "$MXCTL" ]] || die "$MXCTL is missing (cmake --build build/release --target mxctl)" ;;
  nginx) ;;
  *) die "SOAK_RECEIVER is auto, mxctl or nginx" ;;
esac
[[ "$RECEIVER" != nginx || -x "$NGINX" ]] || die "nginx is missing: run bench/install.sh"

pids=()
watchdog=""
work="$(mktemp -d /tmp/mxemu-soak.XXXXXX)"
chmod 755 "$work"  # nginx workers run as nobody when started by root
trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT TERM

if [[ ! -x "$MXEMU" ]]; then
  [[ "${BENCH_SKIP_BUILD:-0}" != 1 ]] || die "$MXEMU is missing (run without BENCH_SKIP_BUILD=1)"
  log "building mxemu (release preset)"
  (cd "$root" && cmake --preset release >/dev/null && cmake --build build/release --target mxemu >/dev/null)
fi

start_watchdog "$BUDGET"
results="$here/results"
raw="$results/soak-raw"
mkdir -p "$raw"
rm -f "$raw"/*
date_utc="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
load_start="$(cut -d' ' -f1-3 /proc/loadavg)"

# ------------------------------------------------------------------ mxemu and the receiver
"$MXEMU" --port 0 --log-level off "${MXEMU_ARGS[@]}" >"$work/mxemu.out" 2>&1 &
MX_PID=$!
pids+=("$MX_PID")
MX_URL="$(wait_for_url "$work/mxemu.out")"
log "mxemu pid $MX_PID at $MX_URL${MXEMU_ARGS[*]:+ ${MXEMU_ARGS[*]}}"

if [[ "$RECEIVER" == mxctl ]]; then
  # The project's client, as an MX customer runs it: webhooks serve (answers 204), no polling.
  MX_CLIENT_ID="${AUTH_USER%%:*}" MX_API_KEY="${AUTH_USER#*:}" MX_BASE_URL="$MX_URL" \
    MXCTL_DB="$work/mxctl.db" "$MXCTL" webhooks serve --port 0 --path /webhooks/mx --poll-after 0 \
    >"$work/receiver.out" 2>&1 &
  RCV_PID=$!
  pids+=("$RCV_PID")
  HOOK_URL="$(wait_for_url "$work/receiver.out")/webhooks/mx"
else
  # nginx answering 200 to every POST, one access-log line (the status) per delivery.
  mkdir -p "$work/nginx/tmp"
  chmod 755 "$work/nginx"
  for attempt in 1 2 3; do  # a port can be taken between free_port and bind: retry
    port="$(free_port)"
    cat >"$work/nginx/nginx.conf" <<EOF
worker_processes 1;
daemon off;
master_process on;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log warn;
events { worker_connections 1024; }
http {
  log_format hook '\$status';
  access_log $work/nginx/access.log hook;
  client_body_temp_path $work/nginx/tmp/body;
  proxy_temp_path $work/nginx/tmp/proxy;
  fastcgi_temp_path $work/nginx/tmp/fastcgi;
  uwsgi_temp_path $work/nginx/tmp/uwsgi;
  scgi_temp_path $work/nginx/tmp/scgi;
  server {
    listen 127.0.0.1:$port;
    location / { return 200; }
  }
}
EOF
    "$NGINX" -p "$work/nginx" -c "$work/nginx/nginx.conf" -e "$work/nginx/error.log" >"$work/receiver.out" 2>&1 &
    RCV_PID=$!
    pids+=("$RCV_PID")
    HOOK_URL=""
    for _ in $(seq 100); do
      if [[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 -d '{}' "http://127.0.0.1:$port/mx")" == 200 ]]; then
        HOOK_URL="http://127.0.0.1:$port/mx"
        break
      fi
      alive "$RCV_PID" || break
      sleep 0.05
    done
    [[ -n "$HOOK_URL" ]] && break
    log "nginx (attempt $attempt) did not start on port $port: $(tail -1 "$work/nginx/error.log" 2>/dev/null)"
    stop_and_forget "$RCV_PID"
  done
  [[ -n "$HOOK_URL" ]] || die "nginx did not start"
  : >"$work/nginx/access.log"  # drop the probe requests
fi
# Subscribed as MX's dashboard would: the default types (all but MEMBER), through the control API.
curl -sS --max-time 10 -X PUT -H 'Content-Type: application/json' \
  -d "{\"subscriptions\":[{\"url\":\"$HOOK_URL\"}]}" "$MX_URL/_emulator/webhooks" >"$work/subscribe.json"
grep -q "\"url\":\"$HOOK_URL\"" "$work/subscribe.json" || die "webhook subscription failed: $(cat "$work/subscribe.json")"
log "webhooks: $RECEIVER receiver pid $RCV_PID at $HOOK_URL"

# HOOK_* totals from GET /_emulator/webhooks/deliveries?after=HOOK_LAST (the log keeps 10 000
# attempts; ids only grow, so attempts - seen = attempts that fell out of the log unread).
HOOK_LAST=0 HOOK_OK=0 HOOK_FAIL=0 HOOK_UNSEEN=0 HOOK_PENDING=0
poll_deliveries() {  # sets SEG_HOOK_OK, SEG_HOOK_FAIL (attempts since the last call), HOOK_PENDING
  local body ok fail seen max
  body="$(curl -sS --max-time 10 "$MX_URL/_emulator/webhooks/deliveries?after=$HOOK_LAST")"
  echo "$body" >>"$raw/deliveries.json"
  read -r ok fail seen max HOOK_PENDING < <(grep -o '{[^{}]*}' <<<"$body" | awk -v last="$HOOK_LAST" '
    /"outcome":"delivered"/ { ok++ }
    /"outcome":"/ && !/"outcome":"delivered"/ { fail++ }
    /"outcome":"/ { seen++; if (match($0, /"id":[0-9]+/)) { id = substr($0, RSTART + 5, RLENGTH - 5) + 0; if (id > max) max = id } }
    /"due_at":"/ { pending++ }
    END { print ok + 0, fail + 0, seen + 0, (max > last ? max : last), pending + 0 }')
  SEG_HOOK_OK="$ok" SEG_HOOK_FAIL="$fail"
  HOOK_UNSEEN=$((HOOK_UNSEEN + max - HOOK_LAST - seen))
  HOOK_OK=$((HOOK_OK + ok)) HOOK_FAIL=$((HOOK_FAIL + fail)) HOOK_LAST="$max"
}

mb() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
state_count() { grep -o "\"$1\":[0-9]*" <<<"$2" | head -1 | cut -d: -f2; }

# ------------------------------------------------------------------ the pool
pool_entries=()
for i in $(seq "$POOL_SIZE"); do
  pool_entries+=("$(create_connected_member "soak-pool-$i")")
done
advance_clock 10  # the 4 s jobs finish; the ticker applies them within 200 ms
read -r u m <<<"${pool_entries[$((POOL_SIZE - 1))]}"
for _ in $(seq 50); do
  body="$(mx GET "/users/$u/members/$m/status")"
  [[ "$body" == *'"connection_status":"CONNECTED"'* && "$body" == *'"is_being_aggregated":false'* ]] && break
  sleep 0.1
done
[[ "$body" == *'"connection_status":"CONNECTED"'* ]] || die "pool member did not connect: $body"
write_pool_lua "$work/pool.lua" "${pool_entries[@]}"
for _ in $(seq 50); do  # the pool's first aggregations must reach the receiver: webhooks work
  poll_deliveries
  (( HOOK_OK >= POOL_SIZE )) && break
  sleep 0.2
done
(( HOOK_OK >= POOL_SIZE )) || die "only $HOOK_OK of $POOL_SIZE setup webhooks delivered ($HOOK_FAIL failed)"
STATE_SETUP="$(curl -sS --max-time 10 "$MX_URL/_emulator/state")"
RSS_SETUP_KB="$(rss_kb "$MX_PID" VmRSS)"
log "pool of $POOL_SIZE connected members; $HOOK_OK setup webhooks delivered; VmRSS $((RSS_SETUP_KB / 1024)) MB"

# delete_created: deletes the users the mixed load created (ids bench-mix-*) with their members,
# so every segment creates the same users again and the store stays bounded. Prints the count.
delete_created() {
  local page=1 pages=1 body guids=() g
  while (( page <= pages )); do
    body="$(mx GET "/users?page=$page&records_per_page=1000")"
    pages="$(grep -o '"total_pages":[0-9]*' <<<"$body" | cut -d: -f2)"
    pages="${pages:-1}"
    while read -r g; do [[ -n "$g" ]] && guids+=("$g"); done < <(grep -o '{[^{}]*}' <<<"$body" |
      grep '"id":"bench-mix-' | grep -o '"guid":"USR-[^"]*"' | cut -d'"' -f4)
    page=$((page + 1))
  done
  for g in "${guids[@]}"; do
    [[ "$(curl -sS --max-time 10 -o /dev/null -w '%{http_code}' -u "$AUTH_USER" -H "$ACCEPT" \
      -X DELETE "$MX_URL/users/$g")" == 204 ]] || die "DELETE /users/$g failed"
  done
  echo "${#guids[@]}"
}

# run_wrk OUT CONNS SECONDS: the mixed load in the background, VmRSS sampled every second while
# it runs. Sets RSS_MEAN_KB, RSS_SAMPLES, LOAD_T0 and LOAD_T1 (start and end, s since the epoch).
run_wrk() {
  local out="$1" conns="$2" secs="$3" sum=0 n=0 pid
  LOAD_T0=$(date +%s)
  timeout $((secs + 30)) wrk -t2 -c"$conns" -d"${secs}s" --timeout 5s --latency \
    -H "Authorization: Basic $AUTH_B64" -H "$ACCEPT" -s "$here/lua/mixed.lua" "$MX_URL" >>"$out" 2>&1 &
  pid=$!
  pids+=("$pid")
  while alive "$pid"; do
    sleep 1
    alive "$pid" || break
    sum=$((sum + $(rss_kb "$MX_PID" VmRSS))) n=$((n + 1))
  done
  wait "$pid" || log "wrk exited with $? ($out)"
  forget_pid "$pid"
  LOAD_T1=$(date +%s)
  RSS_SAMPLES="$n"
  RSS_MEAN_KB=$((n > 0 ? sum / n : $(rss_kb "$MX_PID" VmRSS)))
}

export MXEMU_BENCH_POOL="$work/pool.lua" MXEMU_BENCH_CREATE_CAP="$CREATE_CAP" MXEMU_BENCH_AUTH="$AUTH_B64"
# ------------------------------------------------------------------ warm-up
# Each segment is a new wrk run: its connections land on workers of mxemu's pool (256 threads)
# that earlier segments may not have used, and a worker's first connection leaves its stack
# pages and allocator cache resident. Serving WARMUP_CONNS connections once first makes every
# worker warm, so the segments' RSS shows what the load keeps, not which workers it reached.
if (( WARMUP > 0 )); then
  echo "# warm-up: c=$WARMUP_CONNS ${WARMUP}s, no creates" >"$raw/warmup.txt"
  MXEMU_BENCH_CREATE_CAP=0 run_wrk "$raw/warmup.txt" "$WARMUP_CONNS" "$WARMUP"
  wrk_stats "$raw/warmup.txt"
  log "warm-up: ${WARMUP} s at $WARMUP_CONNS connections, $WRK_REQUESTS requests, $((WRK_ERRS + WRK_NON2XX)) errors; VmRSS $(($(rss_kb "$MX_PID" VmRSS) / 1024)) MB"
fi

# ------------------------------------------------------------------ the segments
declare -a S_T S_RPS S_P50 S_P99 S_REQ S_NON2XX S_SOCK S_SOCKSUM S_RSS_MEAN S_RSS S_DEL S_TXN S_EVENTS S_HOK S_HFAIL S_HPEND
declare -A CODES
log "$NSEG segments of ${SEGMENT} s, wrk -t2 -c$CONNS, mixed.lua (create cap $CREATE_CAP per thread per segment); budget ${BUDGET} s"
soak_start=$(date +%s)
for seg in $(seq "$NSEG"); do
  out="$raw/segment-$(printf '%02d' "$seg").txt"
  echo "# segment $seg: c=$CONNS ${SEGMENT}s $MX_URL  loadavg: $(cut -d' ' -f1-3 /proc/loadavg)" >"$out"
  run_wrk "$out" "$CONNS" "$SEGMENT"
  S_RSS_MEAN[seg]="$RSS_MEAN_KB"
  S_T[seg]=$(( (LOAD_T0 + LOAD_T1) / 2 - soak_start ))
  echo "# VmRSS under load: mean ${RSS_MEAN_KB} kB of $RSS_SAMPLES samples (1 s apart)" >>"$out"
  wrk_stats "$out"
  [[ -n "$WRK_REQUESTS" ]] || die "segment $seg: no wrk result: $(tail -5 "$out")"
  S_RPS[seg]="$WRK_RPS" S_P50[seg]="$WRK_P50" S_P99[seg]="$WRK_P99" S_REQ[seg]="$WRK_REQUESTS"
  S_NON2XX[seg]="$WRK_NON2XX" S_SOCKSUM[seg]="$WRK_ERRS"
  S_SOCK[seg]="$(awk '/Socket errors:/ {gsub(",", ""); print $4 "/" $6 "/" $8 "/" $10}' "$out")"
  S_SOCK[seg]="${S_SOCK[seg]:-0/0/0/0}"
  read -r -a kvs < <(awk '/^mixed_status_codes/ { $1 = ""; print }' "$out") || true
  for kv in "${kvs[@]}"; do CODES[${kv%%=*}]=$(( ${CODES[${kv%%=*}]:-0} + ${kv#*=} )); done
  S_DEL[seg]="$(delete_created)"
  sleep "$SETTLE"
  S_RSS[seg]="$(rss_kb "$MX_PID" VmRSS)"
  state="$(curl -sS --max-time 10 "$MX_URL/_emulator/state")"
  echo "# after segment $seg and deleting its users: $state" >>"$out"
  S_TXN[seg]="$(state_count transactions "$state")"
  S_EVENTS[seg]="$(state_count last_event_sequence "$state")"
  poll_deliveries
  S_HOK[seg]="$SEG_HOOK_OK" S_HFAIL[seg]="$SEG_HOOK_FAIL" S_HPEND[seg]="$HOOK_PENDING"
  log "$(printf 'segment %2d/%d: %6s req/s  p50 %7s ms  p99 %8s ms  non-2xx %s  socket errors %s  VmRSS mean %s MB, %s MB after deletes  webhooks %s ok %s failed %s pending' \
    "$seg" "$NSEG" "${S_RPS[seg]}" "${S_P50[seg]}" "${S_P99[seg]}" "${S_NON2XX[seg]}" "${S_SOCK[seg]}" \
    "$(mb "${S_RSS_MEAN[seg]}")" "$(mb "${S_RSS[seg]}")" "${S_HOK[seg]}" "${S_HFAIL[seg]}" "${S_HPEND[seg]}")"
done

# ------------------------------------------------------------------ drain, stop, count
for _ in $(seq 50); do  # <= 10 s for deliveries still queued (a retry waits 1 min: not drained)
  poll_deliveries
  (( HOOK_PENDING == 0 )) && break
  sleep 0.2
done
STATE_END="$(curl -sS --max-time 10 "$MX_URL/_emulator/state")"
echo "$STATE_END" >"$raw/state-end.json"
RSS_PEAK_KB="$(rss_kb "$MX_PID" VmHWM)"
THREADS_MX="$(awk '/^Threads:/ {print $2}' "/proc/$MX_PID/status")"
stop_and_forget "$MX_PID"
MX_EXIT="$STOP_STATUS"
stop_and_forget "$RCV_PID"
if [[ "$RECEIVER" == mxctl ]]; then
  RCV_COUNT="$(awk '/^stopped:/ { sub(/^stopped: /, ""); print }' "$work/receiver.out")"
  RCV_COUNT="mxctl: ${RCV_COUNT:-no summary (exit $STOP_STATUS)}"
else
  RCV_COUNT="nginx access log: $(awk '{ n[$1]++ } END { s = ""; for (c in n) s = s c "=" n[c] " "; print s }' \
    "$work/nginx/access.log")"
  RCV_COUNT="${RCV_COUNT% }"
fi
cp "$work/receiver.out" "$raw/receiver.out"
load_end="$(cut -d' ' -f1-3 /proc/loadavg)"

# ------------------------------------------------------------------ summary and report
TOTAL_REQ=0 TOTAL_NON2XX=0 TOTAL_SOCK=0
for seg in $(seq "$NSEG"); do
  TOTAL_REQ=$((TOTAL_REQ + S_REQ[seg])) TOTAL_NON2XX=$((TOTAL_NON2XX + S_NON2XX[seg]))
  TOTAL_SOCK=$((TOTAL_SOCK + S_SOCKSUM[seg]))
done
TOTAL_ERR=$((TOTAL_NON2XX + TOTAL_SOCK))
RSS_FIRST="$(mb "${S_RSS_MEAN[1]}")" RSS_LAST="$(mb "${S_RSS_MEAN[NSEG]}")"
RSS_MAX="$(printf '%s\n' "${S_RSS_MEAN[@]}" | sort -n | tail -1)"
# Least squares of the segments' mean VmRSS under load (MB) on their midpoints (min), segments 2..N.
SLOPE="$(for seg in $(seq 2 "$NSEG"); do echo "${S_T[seg]} ${S_RSS_MEAN[seg]}"; done | awk '
  { x = $1 / 60; y = $2 / 1024; n++; sx += x; sy += y; sxx += x * x; sxy += x * y }
  END { d = n * sxx - sx * sx; if (n >= 2 && d > 0) printf "%.3f", (n * sxy - sx * sy) / d; else print "n/a" }')"
read -r P99_MIN P99_MED P99_MAX < <(printf '%s\n' "${S_P99[@]}" | sort -g | awk '
  { v[NR] = $1 } END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
    printf "%.3f %.3f %.3f\n", v[1], m, v[NR] }')
CODES_LINE="$(for c in $(printf '%s\n' "${!CODES[@]}" | sort -n); do printf '%s=%s ' "$c" "${CODES[$c]}"; done)"
DELETED=0; for seg in $(seq "$NSEG"); do DELETED=$((DELETED + S_DEL[seg])); done

V_ERR=MISS; (( TOTAL_ERR == 0 )) && V_ERR=PASS
V_SLOPE=MISS
[[ "$SLOPE" != n/a ]] && awk -v s="$SLOPE" -v t="$T_SLOPE_MB_MIN" 'BEGIN { exit !(s <= t && -s <= t) }' && V_SLOPE=PASS
V_P99=MISS
awk -v a="$P99_MAX" -v m="$P99_MED" -v r="$T_P99_RATIO" 'BEGIN { exit !(a <= r * m) }' && V_P99=PASS
P99_RATIO="$(awk -v a="$P99_MAX" -v m="$P99_MED" 'BEGIN { if (m > 0) printf "%.2f", a / m; else print "n/a" }')"

{
  echo "# mxemu soak"
  echo
  echo "- date: $date_utc; host: $(nproc) cores, $(uname -sr); load average (1/5/15 min): $load_start at start, $load_end at end"
  echo "- warm-up: $( (( WARMUP > 0 )) && echo "${WARMUP} s of the mixed load without creates at $WARMUP_CONNS connections (every worker thread serves once)" || echo none)"
  echo "- load: $NSEG segments of ${SEGMENT} s, each \`wrk -t2 -c$CONNS -d${SEGMENT}s --timeout 5s --latency -s bench/lua/mixed.lua\`, loopback;"
  echo "  $POOL_SIZE pre-connected MX Bank members; each segment creates up to $((2 * CREATE_CAP)) users with one member each (cap $CREATE_CAP per wrk thread), deleted after it ($DELETED in all)"
  echo "- mxemu: \`build/release/mock_server/mxemu --port 0 --log-level off${MXEMU_ARGS[*]:+ ${MXEMU_ARGS[*]}}\`; webhooks: $RECEIVER receiver at $HOOK_URL, subscribed with PUT /_emulator/webhooks (default types)"
  echo
  echo "| seg | t s | req/s | p50 ms | p99 ms | requests | non-2xx | socket errors c/r/w/t | RSS mean under load MB | RSS after deletes MB | users deleted | transactions | events | webhooks ok | failed | pending |"
  echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  for seg in $(seq "$NSEG"); do
    echo "| $seg | ${S_T[seg]} | ${S_RPS[seg]} | ${S_P50[seg]} | ${S_P99[seg]} | ${S_REQ[seg]} | ${S_NON2XX[seg]} | ${S_SOCK[seg]} | $(mb "${S_RSS_MEAN[seg]}") | $(mb "${S_RSS[seg]}") | ${S_DEL[seg]} | ${S_TXN[seg]} | ${S_EVENTS[seg]} | ${S_HOK[seg]} | ${S_HFAIL[seg]} | ${S_HPEND[seg]} |"
  done
  echo
  echo "t: the segment's midpoint, s since the first segment started. RSS mean under load: VmRSS sampled every second"
  echo "while wrk ran, averaged (the slope's sample). RSS after deletes: VmRSS ${SETTLE} s after the segment's users were deleted"
  echo "(information: it moves with jemalloc's decay). transactions, events: stored transactions and last_event_sequence"
  echo "(GET /_emulator/state) after the deletes. webhooks: delivery attempts logged since the previous row."
  echo
  echo "## Summary"
  echo
  echo "- requests: $TOTAL_REQ; errors: $TOTAL_ERR ($TOTAL_NON2XX non-2xx, $TOTAL_SOCK socket errors); status codes: ${CODES_LINE% }"
  echo "- VmRSS: after setup $(mb "$RSS_SETUP_KB") MB; mean under load: first segment $RSS_FIRST MB, last $RSS_LAST MB, max $(mb "$RSS_MAX") MB; peak (VmHWM) $(mb "$RSS_PEAK_KB") MB; $THREADS_MX threads"
  echo "- RSS slope (least squares over segments 2-$NSEG): $SLOPE MB/min"
  echo "- p99 over segments: min $P99_MIN ms, median $P99_MED ms, max $P99_MAX ms (max/median $P99_RATIO)"
  echo "- webhooks: $HOOK_OK delivery attempts delivered, $HOOK_FAIL failed, $HOOK_UNSEEN not seen (dropped from the 10 000-entry log between polls), $HOOK_PENDING still pending at the end; receiver: $RCV_COUNT"
  echo "- stored after setup: $(state_count users "$STATE_SETUP") users, $(state_count members "$STATE_SETUP") members, $(state_count transactions "$STATE_SETUP") transactions; at the end: $(state_count users "$STATE_END") users, $(state_count members "$STATE_END") members, $(state_count transactions "$STATE_END") transactions, last event $(state_count last_event_sequence "$STATE_END")"
  echo "- mxemu exit status on SIGTERM: $MX_EXIT"
  echo
  echo "| check | measured | verdict |"
  echo "|---|---|---|"
  echo "| no errors (non-2xx + socket errors) | $TOTAL_ERR | $V_ERR |"
  echo "| RSS flat: \|slope\| <= $T_SLOPE_MB_MIN MB/min (segments 2-$NSEG) | $SLOPE MB/min | $V_SLOPE |"
  echo "| p99 stable: max <= $T_P99_RATIO x median | $P99_MAX ms <= $T_P99_RATIO x $P99_MED ms | $V_P99 |"
  echo
  echo "Raw outputs: bench/results/soak-raw/ (wrk output per segment with the emulator state, deliveries log, receiver output)."
} >"$results/soak-latest.md"

echo
cat "$results/soak-latest.md"
[[ "$V_ERR$V_SLOPE$V_P99" == PASSPASSPASS ]] || exit 3
