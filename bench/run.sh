#!/usr/bin/env bash
# bench/run.sh: mxemu's benchmark suite (what it measures and the targets: docs/benchmarks.md).
#
#   bench/install.sh        # once: wrk, nginx-light (and the build dependencies) if missing
#   bench/run.sh            # builds, measures, prints a table, writes bench/results/latest.md
#
# Environment knobs: BENCH_DURATION (s per wrk load, default 10), BENCH_WARMUP (s, default 2),
# BENCH_SKIP_BUILD=1 (reuse the binaries), BENCH_BUILD_DIR (default build/bench),
# BENCH_BUDGET (s after the build before the watchdog aborts the run, default 285),
# BENCH_STORE_SIZES (default 1000,1000000).
#
# Loopback only: every server binds 127.0.0.1 and every load targets it. Every process the
# script starts is stopped on exit (trap EXIT), and every step is bounded in time.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
# shellcheck source=bench/lib.sh
. "$here/lib.sh"  # log, die, process control, mx, to_ms, wrk_stats, rss_kb, ...
DURATION="${BENCH_DURATION:-10}"
WARMUP="${BENCH_WARMUP:-2}"
BUDGET="${BENCH_BUDGET:-360}"
BENCH_BUILD="${BENCH_BUILD_DIR:-$root/build/bench}"
STORE_SIZES="${BENCH_STORE_SIZES:-1000,1000000}"
MXEMU="$root/build/release/mock_server/mxemu"
BARE="$BENCH_BUILD/bare_server"
PROBE="$BENCH_BUILD/startup_probe"
STORE_BENCH="$BENCH_BUILD/store_bench"
TENANT_LOAD="$BENCH_BUILD/tenant_load"
MXEMU_GLIBC="$root/build/release-glibc/mock_server/mxemu"  # the allocator A/B's other side
TENANTS="${BENCH_TENANTS:-100}"
NGINX="$(command -v nginx || echo /usr/sbin/nginx)"

POOL_SIZE=8           # users with a connected member, pre-created for the mixed load
CREATE_CAP=20         # users (and members) each wrk thread may create in the mixed load

# Targets (docs/benchmarks.md).
T_RATIO_BARE=0.25
T_P99_MS=5
T_MIXED_P99_MS=10    # the mixed workload (lua/mixed.lua), issue 7
T_UNSERVED=0
T_STARTUP_MS=50
T_RSS_MB=40
T_STORE_RATIO=2

for tool in wrk curl ss awk base64; do
  command -v "$tool" >/dev/null || die "$tool is missing: run bench/install.sh"
done
[[ -x "$NGINX" ]] || die "nginx is missing: run bench/install.sh"

# ------------------------------------------------------------------ processes and cleanup
pids=()        # every background process this script started
watchdog=""
work="$(mktemp -d /tmp/mxemu-bench.XXXXXX)"
chmod 755 "$work"  # nginx workers run as nobody when started by root

trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT TERM

# ------------------------------------------------------------------ build
if [[ "${BENCH_SKIP_BUILD:-0}" != 1 ]]; then
  log "building mxemu (release preset) and the bench tools ($BENCH_BUILD)"
  (cd "$root" && cmake --preset release >/dev/null && cmake --build --preset release --target mxemu >/dev/null)
  (cd "$root" && cmake --preset release -B build/release-glibc -DMXEMU_JEMALLOC=OFF >/dev/null &&
     cmake --build build/release-glibc --target mxemu >/dev/null)
  cmake -S "$here" -B "$BENCH_BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  cmake --build "$BENCH_BUILD" >/dev/null
fi
for bin in "$MXEMU" "$MXEMU_GLIBC" "$BARE" "$PROBE" "$STORE_BENCH" "$TENANT_LOAD"; do
  [[ -x "$bin" ]] || die "$bin is missing (run without BENCH_SKIP_BUILD=1)"
done

# From here on the run is bounded: the watchdog TERMs the script after BUDGET seconds.
start_watchdog "$BUDGET"
run_start=$(date +%s)

results="$here/results"
raw="$results/raw"
mkdir -p "$raw"
rm -f "$raw"/*
load_start="$(cut -d' ' -f1-3 /proc/loadavg)"
date_utc="$(date -u +%Y-%m-%dT%H:%M:%SZ)"

# ------------------------------------------------------------------ helpers
listen_overflows() {
  awk '/^TcpExt:/ { if (!h) { for (i = 1; i <= NF; i++) k[i] = $i; h = 1 }
                    else { for (i = 1; i <= NF; i++) if (k[i] == "ListenOverflows") print $i } }' \
    /proc/net/netstat
}

# Client-side sockets to PORT: "<established> <established with zero bytes received> <syn-sent>".
# A wrk connection with no byte received 80 % into the run was never served (wrk cannot tell).
sample_unserved() {
  local port="$1" est zero syn
  read -r est zero < <(ss -Htni state established "( dport = :$port )" | awk '
    /^[^ \t]/ { n++ } /^[ \t]/ { if ($0 !~ /bytes_received:[1-9]/) z++ }
    END { print n + 0, z + 0 }')
  syn="$(ss -Htn state syn-sent "( dport = :$port )" | wc -l)"
  echo "$est $zero $syn"
}

cpu_ticks() {  # cpu_ticks PID...: utime + stime of the processes (clock ticks)
  local total=0 pid t
  for pid in "$@"; do
    t="$(awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null || echo 0)"
    total=$((total + t))
  done
  echo "$total"
}
CLK_TCK="$(getconf CLK_TCK)"

declare -A RPS P50 P99 ERRS NON2XX UNSERVED ESTAB CPU_US ROUND_FIGURES
order=()
ROUNDS="${BENCH_ROUNDS:-3}"

# run_load LABEL CONNS URL [wrk args...]: warm-up, then a measured wrk run with ss sampling.
# LOAD_PIDS (global): the server's processes, for its CPU time per request.
run_load() {
  local label="$1" conns="$2" url="$3"; shift 3
  local port="${url##*:}"; port="${port%%/*}"
  local out="$raw/$label.txt"
  local -a headers=(-H "Authorization: Basic $AUTH_B64" -H "$ACCEPT")
  if [[ "$WARMUP" -gt 0 ]]; then
    timeout $((WARMUP + 15)) wrk -t2 -c"$conns" -d"${WARMUP}s" "${headers[@]}" "$@" "$url" >/dev/null 2>&1 || true
  fi
  local lo_before; lo_before="$(listen_overflows)"
  local cpu_before; cpu_before="$(cpu_ticks $LOAD_PIDS)"
  { echo "# $label: c=$conns $url  loadavg: $(cut -d' ' -f1-3 /proc/loadavg)"; } >"$out"
  timeout $((DURATION + 20)) wrk -t2 -c"$conns" -d"${DURATION}s" --timeout 5s --latency \
    "${headers[@]}" "$@" "$url" >>"$out" 2>&1 &
  local wrk_pid=$!
  pids+=("$wrk_pid")
  # Sample at 50 % and 80 % of the run; the 80 % sample decides (a connection still at zero
  # bytes after 8 of 10 s was never served), the 50 % one is kept for the record.
  local s50 s80
  sleep "$(awk -v d="$DURATION" 'BEGIN { print d * 0.5 }')"
  s50="$(sample_unserved "$port")"
  sleep "$(awk -v d="$DURATION" 'BEGIN { print d * 0.3 }')"
  s80="$(sample_unserved "$port")"
  wait "$wrk_pid" || log "wrk exited with $? for $label"
  forget_pid "$wrk_pid"
  local lo_after; lo_after="$(listen_overflows)"
  local cpu_after; cpu_after="$(cpu_ticks $LOAD_PIDS)"
  echo "# ss client sockets [established zero-bytes syn-sent] at 50%: $s50; at 80%: $s80" >>"$out"
  echo "# TcpExt ListenOverflows during the run (whole host): $((lo_after - lo_before))" >>"$out"

  local est zero syn
  read -r est zero syn <<<"$s80"
  wrk_stats "$out"
  RPS[$label]="$WRK_RPS"
  P50[$label]="$WRK_P50"
  P99[$label]="$WRK_P99"
  ERRS[$label]="$WRK_ERRS"
  NON2XX[$label]="$WRK_NON2XX"
  UNSERVED[$label]=$((zero + syn))
  local requests="$WRK_REQUESTS"
  CPU_US[$label]="$(awk -v t=$((cpu_after - cpu_before)) -v hz="$CLK_TCK" -v n="${requests:-0}" \
    'BEGIN { if (n > 0) printf "%.1f", t * 1e6 / hz / n; else print "n/a" }')"
  echo "# server CPU: $((cpu_after - cpu_before)) ticks ($CLK_TCK/s) for ${requests:-0} requests = ${CPU_US[$label]} us/request" >>"$out"
  ESTAB[$label]="$est"
  order+=("$label")
  log "$(printf '%-14s c=%-3s %8s req/s  p50 %7s ms  p99 %8s ms  unserved %s/%s  errors %s  non-2xx %s  cpu %s us/req' \
    "$label" "$conns" "${RPS[$label]}" "${P50[$label]}" "${P99[$label]}" "${UNSERVED[$label]}" \
    "$conns" "${ERRS[$label]}" "${NON2XX[$label]}" "${CPU_US[$label]}")"
}

median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# run_rounds LABEL CONNS URL [wrk args...]: run_load ROUNDS times. LABEL then holds the median
# of the rounds' req/s and, separately, of their p50, p99 and CPU per request; errors add up and
# the unserved count is the largest. One 10-s run on this 2-core VM swings by up to 1.6x from
# run to run (the 2026-12-07 runs), so a target read on a single run reads the machine. Each
# round's wrk output is kept as LABEL.rN.txt and its figures in ROUND_FIGURES.
run_rounds() {
  local label="$1"; shift
  local -a rps=() p50=() p99=() cpu=()
  local errs=0 non2xx=0 unserved=0 i
  for ((i = 1; i <= ROUNDS; i++)); do
    run_load "$label" "$@"
    unset 'order[${#order[@]}-1]'
    cp "$raw/$label.txt" "$raw/$label.r$i.txt"
    rps+=("${RPS[$label]}"); p50+=("${P50[$label]}"); p99+=("${P99[$label]}"); cpu+=("${CPU_US[$label]}")
    errs=$((errs + ${ERRS[$label]:-0})); non2xx=$((non2xx + ${NON2XX[$label]:-0}))
    ((${UNSERVED[$label]} > unserved)) && unserved="${UNSERVED[$label]}"
  done
  RPS[$label]="$(median "${rps[@]}")"; P50[$label]="$(median "${p50[@]}")"
  P99[$label]="$(median "${p99[@]}")"; CPU_US[$label]="$(median "${cpu[@]}")"
  ERRS[$label]="$errs"; NON2XX[$label]="$non2xx"; UNSERVED[$label]="$unserved"
  ROUND_FIGURES[$label]="req/s ${rps[*]}; p99 ${p99[*]} ms"
  order+=("$label")
}

start_nginx() {  # start_nginx WORKERS: serves $work/status.json on a free port; sets NGINX_URL
  local workers="$1" dir="$work/nginx$1" port attempt
  mkdir -p "$dir/tmp"
  chmod 755 "$dir"
  for attempt in 1 2 3; do  # a port can be taken between free_port and bind: retry
    port="$(free_port)"
    cat >"$dir/nginx.conf" <<EOF
worker_processes $workers;
daemon off;
master_process on;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $dir/tmp/body;
  proxy_temp_path $dir/tmp/proxy;
  fastcgi_temp_path $dir/tmp/fastcgi;
  uwsgi_temp_path $dir/tmp/uwsgi;
  scgi_temp_path $dir/tmp/scgi;
  sendfile on;
  tcp_nodelay on;
  keepalive_requests 10000;
  keepalive_timeout 5s;
  server_tokens off;
  etag off;
  types { }
  default_type "$STATUS_CONTENT_TYPE";
  server {
    listen 127.0.0.1:$port backlog=4096;
    location = $MEMBER_PATH { root $work; try_files /member.json =404; }
    location / { root $work; try_files /status.json =404; }
  }
}
EOF
    "$NGINX" -p "$dir" -c "$dir/nginx.conf" -e "$dir/error.log" >"$dir/stdout" 2>&1 &
    NGINX_PID=$!
    pids+=("$NGINX_PID")
    for _ in $(seq 100); do
      if curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$port/"; then
        NGINX_URL="http://127.0.0.1:$port"
        return 0
      fi
      kill -0 "$NGINX_PID" 2>/dev/null || break
      sleep 0.05
    done
    log "nginx (attempt $attempt) did not start on port $port: $(tail -1 "$dir/error.log" 2>/dev/null)"
    stop_and_forget "$NGINX_PID"
  done
  die "nginx did not start"
}

# ------------------------------------------------------------------ 1. start-to-first-response
log "start-to-first-response (5 runs of: exec mxemu --port 0 --log-level off -> first 2xx to GET /users)"
timeout 60 "$PROBE" --runs 5 --path /users -- "$MXEMU" --port 0 --log-level off >"$raw/startup.txt"
STARTUP_MS="$(awk '/median_ms=/ { sub("median_ms=", "", $2); print $2 }' "$raw/startup.txt")"
STARTUP_MAX_MS="$(awk '/max_ms=/ { sub("max_ms=", "", $4); print $4 }' "$raw/startup.txt")"
log "startup: median ${STARTUP_MS} ms, max ${STARTUP_MAX_MS} ms"

# ------------------------------------------------------------------ 2. mxemu with a connected member
"$MXEMU" --port 0 --log-level off >"$work/mxemu.out" 2>&1 &
MX_PID=$!
pids+=("$MX_PID")
MX_URL="$(wait_for_url "$work/mxemu.out")"
log "mxemu pid $MX_PID at $MX_URL"
RSS_IDLE_KB="$(rss_kb "$MX_PID" VmRSS)"

pair="$(create_connected_member bench-status)"
read -r USER_GUID MEMBER_GUID <<<"$pair"
pool_entries=()
for i in $(seq "$POOL_SIZE"); do
  pair="$(create_connected_member "bench-pool-$i")"
  pool_entries+=("$pair")
done
advance_clock 10  # the 4 s jobs finish; the ticker applies them within 200 ms
STATUS_PATH="/users/$USER_GUID/members/$MEMBER_GUID/status"
connected=""
for _ in $(seq 50); do
  body="$(mx GET "$STATUS_PATH")"
  if [[ "$body" == *'"connection_status":"CONNECTED"'* && "$body" == *'"is_being_aggregated":false'* ]]; then
    connected=1
    break
  fi
  sleep 0.1
done
[[ -n "$connected" ]] || die "member did not connect: $body"
curl -sS --max-time 10 -u "$AUTH_USER" -H "$ACCEPT" -D "$work/status.headers" -o "$work/status.json" "$MX_URL$STATUS_PATH"
chmod 644 "$work/status.json"
STATUS_CONTENT_TYPE="$(awk -F': ' 'tolower($1) == "content-type" { sub("\r", "", $2); print $2 }' "$work/status.headers")"
STATUS_BYTES="$(stat -c %s "$work/status.json")"
cp "$work/status.json" "$raw/status.json"
# GET member (the record itself): the same comparison with nginx serving its bytes.
MEMBER_PATH="/users/$USER_GUID/members/$MEMBER_GUID"
curl -sS --max-time 10 -u "$AUTH_USER" -H "$ACCEPT" -D "$work/member.headers" -o "$work/member.json" "$MX_URL$MEMBER_PATH"
chmod 644 "$work/member.json"
MEMBER_CONTENT_TYPE="$(awk -F': ' 'tolower($1) == "content-type" { sub("\r", "", $2); print $2 }' "$work/member.headers")"
[[ "$MEMBER_CONTENT_TYPE" == "$STATUS_CONTENT_TYPE" ]] || die "member and status differ in Content-Type"
MEMBER_BYTES="$(stat -c %s "$work/member.json")"
cp "$work/member.json" "$raw/member.json"
log "member status: $STATUS_BYTES bytes, $STATUS_CONTENT_TYPE"
write_pool_lua "$work/pool.lua" "${pool_entries[@]}"
RSS_SETUP_KB="$(rss_kb "$MX_PID" VmRSS)"
STATE_SETUP="$(curl -sS --max-time 5 "$MX_URL/_emulator/state")"

# ------------------------------------------------------------------ 3. the baselines
"$BARE" --port 0 --body "$work/status.json" --content-type "$STATUS_CONTENT_TYPE" >"$work/bare.out" 2>&1 &
BARE_PID=$!
pids+=("$BARE_PID")
BARE_URL="$(wait_for_url "$work/bare.out")"
cmp -s <(curl -sS --max-time 5 "$BARE_URL$STATUS_PATH") "$work/status.json" || die "bare_server does not serve the captured bytes"

# ------------------------------------------------------------------ 4. member status at 16 and 256
LOAD_PIDS="$MX_PID" run_rounds "mxemu-member-c16" 16 "$MX_URL$MEMBER_PATH"
for conns in 16 256; do
  LOAD_PIDS="$MX_PID" run_load "mxemu-c$conns" "$conns" "$MX_URL$STATUS_PATH"
  LOAD_PIDS="$BARE_PID" run_load "bare-c$conns" "$conns" "$BARE_URL$STATUS_PATH"
done
RSS_AFTER_STATUS_KB="$(rss_kb "$MX_PID" VmRSS)"
stop_and_forget "$BARE_PID"

for workers in 1 2; do
  start_nginx "$workers"
  cmp -s <(curl -sS --max-time 5 "$NGINX_URL$STATUS_PATH") "$work/status.json" || die "nginx does not serve the captured bytes"
  cmp -s <(curl -sS --max-time 5 "$NGINX_URL$MEMBER_PATH") "$work/member.json" || die "nginx does not serve the member's bytes"
  LOAD_PIDS="$NGINX_PID $(pgrep -P "$NGINX_PID" | tr '\n' ' ')" \
    run_rounds "nginx${workers}w-member-c16" 16 "$NGINX_URL$MEMBER_PATH"
  for conns in 16 256; do
    LOAD_PIDS="$NGINX_PID $(pgrep -P "$NGINX_PID" | tr '\n' ' ')" \
      run_load "nginx${workers}w-c$conns" "$conns" "$NGINX_URL$STATUS_PATH"
  done
  stop_and_forget "$NGINX_PID"
done

# ------------------------------------------------------------------ 5. mixed workload
export MXEMU_BENCH_POOL="$work/pool.lua" MXEMU_BENCH_CREATE_CAP="$CREATE_CAP" MXEMU_BENCH_AUTH="$AUTH_B64"
WARMUP_SAVED="$WARMUP"; WARMUP=0  # a warm-up would spend the create budget
LOAD_PIDS="$MX_PID" run_load "mixed-c16" 16 "$MX_URL" -s "$here/lua/mixed.lua"
WARMUP="$WARMUP_SAVED"
MIXED_CODES="$(awk '/^mixed_status_codes/ { $1 = ""; sub(/^ /, ""); print }' "$raw/mixed-c16.txt")"
log "mixed status codes: $MIXED_CODES"
STATE="$(curl -sS --max-time 5 "$MX_URL/_emulator/state")"
echo "$STATE" >"$raw/state-after.json"

# ------------------------------------------------------------------ 6. RSS
# Right after the last load, and settled: 2 s later, once jemalloc's 1-s decay (which mxemu's
# ticker drives while the server is idle) has given the load's freed pages back. The target is
# read on the settled figure; both are reported.
RSS_LOADED_KB="$(rss_kb "$MX_PID" VmRSS)"
sleep 2
RSS_AFTER_KB="$(rss_kb "$MX_PID" VmRSS)"
RSS_PEAK_KB="$(rss_kb "$MX_PID" VmHWM)"
THREADS_MX="$(awk '/^Threads:/ {print $2}' "/proc/$MX_PID/status")"
log "mxemu RSS: idle $((RSS_IDLE_KB / 1024)) MB, right after the loads $((RSS_LOADED_KB / 1024)) MB, settled $((RSS_AFTER_KB / 1024)) MB, peak $((RSS_PEAK_KB / 1024)) MB ($THREADS_MX threads)"
stop_and_forget "$MX_PID"
MX_EXIT="$STOP_STATUS"
[[ "$MX_EXIT" == 0 ]] || log "mxemu did not exit cleanly on SIGTERM: status $MX_EXIT"

# ------------------------------------------------------------------ 6a. allocator A/B
# The same sources linked with glibc's malloc (two arenas, as main.cpp sets them without
# jemalloc), the same member loaded, GET member at 16 connections.
"$MXEMU_GLIBC" --port 0 --log-level off >"$work/mxemu-glibc.out" 2>&1 &
MXG_PID=$!
pids+=("$MXG_PID")
MXG_URL="$(wait_for_url "$work/mxemu-glibc.out")"
MX_URL_SAVED="$MX_URL"; MX_URL="$MXG_URL"
pair="$(create_connected_member bench-status)"
advance_clock 10
MX_URL="$MX_URL_SAVED"
read -r GU GM <<<"$pair"
for _ in $(seq 50); do
  curl -sS --max-time 5 -u "$AUTH_USER" -H "$ACCEPT" "$MXG_URL/users/$GU/members/$GM" |
    grep -q '"is_being_aggregated":false' && break
  sleep 0.1
done
LOAD_PIDS="$MXG_PID" run_rounds "mxemu-glibc-member-c16" 16 "$MXG_URL/users/$GU/members/$GM"
stop_and_forget "$MXG_PID"

# ------------------------------------------------------------------ 6b. many tenants at once
# TENANTS tenants of one fresh mxemu, each running an MX client's create/poll/aggregate loop on
# its own connection for DURATION s (bench/tenant_load.cpp). RSS: fresh, with the tenants
# created and idle (per tenant = the difference / TENANTS), and after the load.
"$MXEMU" --port 0 --log-level off >"$work/mxemu-tenants.out" 2>&1 &
MXT_PID=$!
pids+=("$MXT_PID")
MXT_URL="$(wait_for_url "$work/mxemu-tenants.out")"
RSS_T_FRESH_KB="$(rss_kb "$MXT_PID" VmRSS)"
timeout 60 "$TENANT_LOAD" setup --url "$MXT_URL" --tenants "$TENANTS" >"$raw/tenants-setup.txt"
RSS_T_IDLE_KB="$(rss_kb "$MXT_PID" VmRSS)"
cpu_before="$(cpu_ticks "$MXT_PID")"
timeout $((DURATION + 60)) "$TENANT_LOAD" load --url "$MXT_URL" --tenants "$TENANTS" \
  --seconds "$DURATION" >"$raw/tenants-load.txt" || log "tenant_load reported failed tenants"
cpu_after="$(cpu_ticks "$MXT_PID")"
RSS_T_AFTER_KB="$(rss_kb "$MXT_PID" VmRSS)"
T_LINE="$(cat "$raw/tenants-load.txt")"
tfield() { grep -o "$1=[^ ]*" <<<"$T_LINE" | cut -d= -f2; }
T_RPS="$(tfield rps)"; T_P50="$(tfield p50_ms)"; T_P99="$(tfield p99_ms)"; T_MAX="$(tfield max_ms)"
T_REQ="$(tfield requests)"; T_FAILED="$(tfield failed_tenants)"; T_CODES="$(grep -o 'codes=.*' <<<"$T_LINE" | cut -d= -f2-)"
T_CPU_US="$(awk -v t=$((cpu_after - cpu_before)) -v hz="$CLK_TCK" -v n="${T_REQ:-0}" \
  'BEGIN { if (n > 0) printf "%.1f", t * 1e6 / hz / n; else print "n/a" }')"
log "$TENANTS tenants: $T_RPS req/s p50 $T_P50 ms p99 $T_P99 ms; RSS fresh $((RSS_T_FRESH_KB / 1024)) MB, idle tenants $((RSS_T_IDLE_KB / 1024)) MB, after $((RSS_T_AFTER_KB / 1024)) MB"
stop_and_forget "$MXT_PID"

# ------------------------------------------------------------------ 6c. detector self-check
# The unserved count must be able to see starvation: mxemu with 8 worker threads under 64
# keep-alive connections leaves 56 of them without a byte while wrk still reports a healthy run.
"$MXEMU" --port 0 --log-level off --threads 8 >"$work/mxemu8.out" 2>&1 &
MX8_PID=$!
pids+=("$MX8_PID")
MX8_URL="$(wait_for_url "$work/mxemu8.out")"
timeout 20 wrk -t2 -c64 -d4s -H "Authorization: Basic $AUTH_B64" -H "$ACCEPT" "$MX8_URL/users" >"$raw/selfcheck-threads8-c64.txt" 2>&1 &
wrk_pid=$!
pids+=("$wrk_pid")
sleep 3.2
read -r SC_EST SC_ZERO SC_SYN <<<"$(sample_unserved "${MX8_URL##*:}")"
wait "$wrk_pid" || true
forget_pid "$wrk_pid"
SELFCHECK_RPS="$(awk '/^Requests\/sec:/ {printf "%.0f", $2}' "$raw/selfcheck-threads8-c64.txt")"
SELFCHECK_UNSERVED=$((SC_ZERO + SC_SYN))
echo "# ss at 80%: established $SC_EST, zero bytes $SC_ZERO, syn-sent $SC_SYN" >>"$raw/selfcheck-threads8-c64.txt"
log "detector self-check (mxemu --threads 8, 64 conns): $SELFCHECK_UNSERVED unserved (expected 56) while wrk reports $SELFCHECK_RPS req/s"
stop_and_forget "$MX8_PID"

# ------------------------------------------------------------------ 7. store microbenchmark
log "store_bench (sizes $STORE_SIZES)"
timeout 150 "$STORE_BENCH" --sizes "$STORE_SIZES" --min-ms 200 >"$raw/store_bench.txt"
store_ns() { awk -v s="size=$1" -v c="case=$2" '$2 == s && $3 == c { sub("ns_per_call=", "", $4); print $4 }' "$raw/store_bench.txt"; }
store_ratio() { awk -v c="case=$1" '$2 == "ratio" && $3 == c { sub("ratio=", "", $5); print $5 }' "$raw/store_bench.txt"; }
STORE_LO="${STORE_SIZES%%,*}"
STORE_HI="${STORE_SIZES##*,}"

load_end="$(cut -d' ' -f1-3 /proc/loadavg)"
elapsed=$(( $(date +%s) - run_start ))

# ------------------------------------------------------------------ report
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
# verdict A OP B with OP one of le, ge: PASS or MISS (numbers compared by awk; empty = MISS)
verdict() {
  if [[ -n "$1" && "$1" != n/a ]] && awk -v a="$1" -v op="$2" -v b="$3" \
      'BEGIN { exit !((op == "le" && a + 0 <= b + 0) || (op == "ge" && a + 0 >= b + 0)) }'; then
    echo PASS
  else
    echo MISS
  fi
}
mb() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }

R16_BARE="$(ratio "${RPS[mxemu-c16]}" "${RPS[bare-c16]}")"
RM_NG1="$(ratio "${RPS[mxemu-member-c16]}" "${RPS[nginx1w-member-c16]}")"
RM_NG2="$(ratio "${RPS[mxemu-member-c16]}" "${RPS[nginx2w-member-c16]}")"
RM_GLIBC="$(ratio "${RPS[mxemu-member-c16]}" "${RPS[mxemu-glibc-member-c16]}")"
R16_NG1="$(ratio "${RPS[mxemu-c16]}" "${RPS[nginx1w-c16]}")"
R16_NG2="$(ratio "${RPS[mxemu-c16]}" "${RPS[nginx2w-c16]}")"
R256_BARE="$(ratio "${RPS[mxemu-c256]}" "${RPS[bare-c256]}")"
R256_NG1="$(ratio "${RPS[mxemu-c256]}" "${RPS[nginx1w-c256]}")"
R256_NG2="$(ratio "${RPS[mxemu-c256]}" "${RPS[nginx2w-c256]}")"
BARE16_VS_NG1="$(ratio "${RPS[bare-c16]}" "${RPS[nginx1w-c16]}")"

{
  echo "# mxemu benchmark results"
  echo
  echo "- date: $date_utc; host: $(nproc) cores, $(uname -sr); wall time of the measured part: ${elapsed} s"
  echo "- load average (1/5/15 min): $load_start at start, $load_end at end"
  echo "- loads: wrk 2 threads, ${DURATION} s each after a ${WARMUP} s warm-up (none for the mixed load); loopback"
  echo "- member status body: $STATUS_BYTES bytes, \`$STATUS_CONTENT_TYPE\`, the same bytes from all three servers"
  echo
  echo "## Member status and mixed load"
  echo
  echo "| load | server | conns | req/s | p50 ms | p99 ms | unserved | socket errors | non-2xx | server CPU us/req |"
  echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"
  for label in "${order[@]}"; do
    server="${label%-c*}"; conns="${label##*-c}"
    load="GET status"; [[ "$server" == mixed ]] && { load="mixed"; server="mxemu"; }
    [[ "$server" == *-member ]] && { load="GET member"; server="${server%-member}"; }
    echo "| $load | $server | $conns | ${RPS[$label]} | ${P50[$label]} | ${P99[$label]} | ${UNSERVED[$label]} of $conns (${ESTAB[$label]} estab) | ${ERRS[$label]} | ${NON2XX[$label]} | ${CPU_US[$label]} |"
  done
  echo
  echo "Ratios (req/s): at 16 conns mxemu/bare $R16_BARE, mxemu/nginx-1w $R16_NG1, mxemu/nginx-2w $R16_NG2;"
  echo "at 256 conns mxemu/bare $R256_BARE, mxemu/nginx-1w $R256_NG1, mxemu/nginx-2w $R256_NG2."
  echo "bare/nginx-1w at 16: $BARE16_VS_NG1."
  echo "GET member at 16 conns, the median of $ROUNDS rounds each (rows above); the rounds:"
  for label in mxemu-member-c16 nginx1w-member-c16 nginx2w-member-c16 mxemu-glibc-member-c16; do
    echo "- $label: ${ROUND_FIGURES[$label]:-}"
  done
  echo
  echo "GET member ($MEMBER_BYTES bytes) at 16 conns: mxemu/nginx-1w $RM_NG1 ($(verdict "$RM_NG1" ge 0.40) of >= 0.40), mxemu/nginx-2w $RM_NG2;"
  echo "mxemu p99 ${P99[mxemu-member-c16]} ms ($(verdict "${P99[mxemu-member-c16]}" le 2) of <= 2 ms); jemalloc/glibc (the allocator A/B) $RM_GLIBC."
  echo
  echo "## $TENANTS tenants at once"
  echo
  echo "Each tenant on its own keep-alive connection runs create user + member, then polls status,"
  echo "aggregates, reads the member and lists transactions for ${DURATION} s (bench/tenant_load.cpp)."
  echo
  echo "- $T_REQ requests, $T_RPS req/s, p50 $T_P50 ms, p99 $T_P99 ms, max $T_MAX ms; status codes: $T_CODES; tenants that failed to start: $T_FAILED; server CPU $T_CPU_US us/request"
  echo "- VmRSS: fresh $(mb "$RSS_T_FRESH_KB") MB; $TENANTS idle tenants $(mb "$RSS_T_IDLE_KB") MB ($(awk -v a="$RSS_T_IDLE_KB" -v b="$RSS_T_FRESH_KB" -v n="$TENANTS" 'BEGIN { printf "%.0f", (a - b) / n }') KB per idle tenant); after the load $(mb "$RSS_T_AFTER_KB") MB"
  echo
  echo "Unserved = client sockets to the server still at zero bytes received (ss) 80 % into the run, plus"
  echo "SYN-SENT ones. Self-check of the method: mxemu --threads 8 under 64 connections -> $SELFCHECK_UNSERVED unserved"
  echo "(56 expected) while wrk reported $SELFCHECK_RPS req/s."
  echo
  echo "Mixed load status codes: $MIXED_CODES (emulator state after: \`$STATE\`)"
  echo
  echo "## Startup and memory"
  echo
  echo "- start-to-first-response: median $STARTUP_MS ms, max $STARTUP_MAX_MS ms (5 runs)"
  count() { grep -o "\"$1\":[0-9]*" <<<"$2" | cut -d: -f2; }
  echo "- stored after setup: $(count users "$STATE_SETUP") users, $(count members "$STATE_SETUP") members, $(count transactions "$STATE_SETUP") transactions; after the mixed load: $(count users "$STATE") users, $(count members "$STATE") members, $(count transactions "$STATE") transactions"
  echo "- mxemu exit status on SIGTERM after the loads: $MX_EXIT"
  echo "- mxemu VmRSS: idle $(mb "$RSS_IDLE_KB") MB, after setup $(mb "$RSS_SETUP_KB") MB, after the status loads $(mb "$RSS_AFTER_STATUS_KB") MB, right after all loads $(mb "$RSS_LOADED_KB") MB, 2 s later $(mb "$RSS_AFTER_KB") MB; peak (VmHWM) $(mb "$RSS_PEAK_KB") MB; $THREADS_MX threads"
  echo
  echo "## Store: list_transactions, ns per call"
  echo
  echo "| listing | $STORE_LO stored | $STORE_HI stored | ratio |"
  echo "|---|---:|---:|---:|"
  for c in page1 middle dated upsert100; do
    echo "| $c | $(store_ns "$STORE_LO" "$c") | $(store_ns "$STORE_HI" "$c") | $(store_ratio "$c") |"
  done
  echo
  echo "page1: first page (25) of the user's transactions; middle: a page in the middle of the list"
  echo "(64 pages rotated); dated: page 1 of a one-month from_date/to_date window (64 windows rotated);"
  echo "upsert100 (informational, no target): upsert_transactions of 100 new transactions of the last week."
  echo "Fill time: $(awk '/filled_in_ms/ { printf "%s %s; ", $2, $3 }' "$raw/store_bench.txt")"
  echo
  echo "## Targets"
  echo
  echo "| target | measured | verdict |"
  echo "|---|---|---|"
  echo "| member status at 16 conns >= $T_RATIO_BARE x bare httplib | $R16_BARE x | $(verdict "$R16_BARE" ge "$T_RATIO_BARE") |"
  echo "| member status p99 at 16 conns <= $T_P99_MS ms | ${P99[mxemu-c16]} ms (same run: bare ${P99[bare-c16]}, nginx-1w ${P99[nginx1w-c16]}, nginx-2w ${P99[nginx2w-c16]}) | $(verdict "${P99[mxemu-c16]}" le "$T_P99_MS") |"
  echo "| GET member at 16 conns >= 0.40 x nginx-1w (issue 8) | $RM_NG1 x | $(verdict "$RM_NG1" ge 0.40) |"
  echo "| GET member p99 at 16 conns <= 2 ms (issue 8) | ${P99[mxemu-member-c16]} ms (nginx-1w ${P99[nginx1w-member-c16]}) | $(verdict "${P99[mxemu-member-c16]}" le 2) |"
  echo "| mixed load p99 at 16 conns <= $T_MIXED_P99_MS ms (issue 7) | ${P99[mixed-c16]} ms (GET member alone: ${P99[mxemu-member-c16]}) | $(verdict "${P99[mixed-c16]}" le "$T_MIXED_P99_MS") |"
  echo "| no connection unserved at 256 | ${UNSERVED[mxemu-c256]} | $(verdict "${UNSERVED[mxemu-c256]}" le "$T_UNSERVED") |"
  echo "| start-to-first-response <= $T_STARTUP_MS ms (median) | $STARTUP_MS ms | $(verdict "$STARTUP_MS" le "$T_STARTUP_MS") |"
  echo "| RSS <= $T_RSS_MB MB after the loads (2 s after the last) | $(mb "$RSS_AFTER_KB") MB (right after: $(mb "$RSS_LOADED_KB") MB; after the status loads alone: $(mb "$RSS_AFTER_STATUS_KB") MB) | $(verdict "$RSS_AFTER_KB" le "$((T_RSS_MB * 1024))") |"
  for c in page1 middle dated; do
    r="$(store_ratio "$c")"
    echo "| transaction page cost independent of stored count ($c, ${STORE_HI}/${STORE_LO} <= ${T_STORE_RATIO}x) | ${r} x | $(verdict "$r" le "$T_STORE_RATIO") |"
  done
  echo
  echo "Raw outputs: bench/results/raw/ (wrk output with ss samples per load, startup_probe, store_bench)."
} >"$results/latest.md"

echo
cat "$results/latest.md"
