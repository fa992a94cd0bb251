# bench/lib.sh: shell helpers shared by bench/run.sh and bench/soak.sh. Sourced, not run.
#
# The sourcing script owns its state and sets it before using these:
#   pids=()      every background process it started (cleanup stops them)
#   watchdog=""  set by start_watchdog
#   work=DIR     its scratch directory (cleanup removes it)
#   MX_URL       the mxemu under test, for mx, advance_clock, create_connected_member
# and installs the traps itself: trap cleanup EXIT; trap '...; exit 130' INT TERM.
# LOG_TAG (default "bench") prefixes every message.
# shellcheck shell=bash disable=SC2034,SC2154  # globals set here for, or by, the sourcing script

AUTH_USER="mxemu-client-id:mxemu-api-key"
AUTH_B64="$(printf '%s' "$AUTH_USER" | base64)"
ACCEPT="Accept: application/vnd.mx.api.v1+json"
MXBANK_CREDENTIALS='"institution_code":"mxbank","credentials":[{"guid":"CRD-9f61fb4c-912c-bd1e-b175-ccc7f0275cc1","value":"mxuser"},{"guid":"CRD-e3d7ea81-aac7-05e9-fbdd-4b493c6e474d","value":"password"}]'

log() { printf '%s: %s\n' "${LOG_TAG:-bench}" "$*" >&2; }
die() { log "$*"; exit 1; }

# ------------------------------------------------------------------ processes and cleanup
alive() {  # a running (not zombie) process
  local state
  state="$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null || true)"
  [[ -n "$state" && "$state" != Z ]]
}

# stop_pid PID: TERM, then KILL after 6 s (mxemu waits up to its 5 s keep-alive timeout for
# idle clients). Only our own pids. Sets STOP_STATUS to the exit status, or "killed".
STOP_STATUS=""
stop_pid() {
  local pid="$1" rc=0
  STOP_STATUS=""
  if alive "$pid"; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 60); do
      alive "$pid" || break
      sleep 0.1
    done
    if alive "$pid"; then
      kill -KILL "$pid" 2>/dev/null || true
      wait "$pid" 2>/dev/null || true
      STOP_STATUS="killed"
      return 0
    fi
  fi
  wait "$pid" 2>/dev/null || rc=$?
  STOP_STATUS="$rc"
}

forget_pid() {  # drop a pid we waited for, so cleanup never signals a recycled pid
  local keep=() p
  for p in "${pids[@]}"; do [[ "$p" != "$1" ]] && keep+=("$p"); done
  pids=("${keep[@]}")
}

stop_and_forget() {
  stop_pid "$1"
  forget_pid "$1"
}

cleanup() {
  local rc=$?
  set +e
  for pid in "${pids[@]}"; do stop_pid "$pid"; done
  [[ -n "$watchdog" ]] && stop_pid "$watchdog"
  rm -rf "$work"
  exit "$rc"
}

# start_watchdog SECONDS: TERMs this script after SECONDS (its EXIT trap then stops the rest).
start_watchdog() {
  local budget="$1" main_pid=$$ tag="${LOG_TAG:-bench}"
  (
    trap 'kill "$sp" 2>/dev/null; exit 0' TERM
    sleep "$budget" & sp=$!
    wait "$sp"
    echo "$tag: time budget of ${budget}s exceeded, aborting" >&2
    kill -TERM "$main_pid"
  ) &
  watchdog=$!
}

# ------------------------------------------------------------------ servers and the API
# Waits (<= 5 s) for "http://127.0.0.1:PORT" in a file; prints the URL.
wait_for_url() {
  local file="$1" url=""
  for _ in $(seq 100); do
    url="$(grep -o -m1 'http://127\.0\.0\.1:[0-9]*' "$file" 2>/dev/null || true)"
    [[ -n "$url" ]] && { echo "$url"; return 0; }
    sleep 0.05
  done
  die "no URL in $file: $(cat "$file")"
}

free_port() {  # a loopback port below the ephemeral range that no socket uses (nginx cannot pick one)
  local low p
  low="$(awk '{print $1}' /proc/sys/net/ipv4/ip_local_port_range)"
  (( low > 11000 )) || low=32768
  for _ in $(seq 50); do
    p=$((10000 + RANDOM % (low - 10000)))
    [[ -z "$(ss -Htan "( sport = :$p )")" ]] && { echo "$p"; return 0; }
  done
  die "no free port found"
}

mx() {  # mx METHOD PATH [JSON]: an authenticated API call to mxemu; prints the body
  local method="$1" path="$2" body="${3:-}"
  if [[ -n "$body" ]]; then
    curl -sS --max-time 10 -u "$AUTH_USER" -H "$ACCEPT" -H 'Content-Type: application/json' \
      -X "$method" -d "$body" "$MX_URL$path"
  else
    curl -sS --max-time 10 -u "$AUTH_USER" -H "$ACCEPT" -X "$method" "$MX_URL$path"
  fi
}

advance_clock() {
  curl -sS --max-time 10 -o /dev/null -X POST -H 'Content-Type: application/json' \
    -d "{\"seconds\":$1}" "$MX_URL/_emulator/clock/advance"
}

json_field() {  # json_field NAME: the first "NAME":"value" string in stdin
  grep -o -m1 "\"$1\":\"[^\"]*\"" | head -1 | cut -d'"' -f4
}

create_connected_member() {  # create_connected_member USER_ID: prints "USER_GUID MEMBER_GUID"
  local user member
  user="$(mx POST /users "{\"user\":{\"id\":\"$1\"}}" | json_field guid)"
  [[ "$user" == USR-* ]] || die "could not create user $1"
  member="$(mx POST "/users/$user/members" "{\"member\":{$MXBANK_CREDENTIALS}}" | json_field guid)"
  [[ "$member" == MBR-* ]] || die "could not create a member for $user"
  echo "$user $member"
}

# write_pool_lua FILE "USER_GUID MEMBER_GUID"...: the pool file bench/lua/mixed.lua reads
# (MXEMU_BENCH_POOL).
write_pool_lua() {
  local file="$1" entry u m
  shift
  {
    echo "return {"
    for entry in "$@"; do
      read -r u m <<<"$entry"
      echo "  {u = \"$u\", m = \"$m\"},"
    done
    echo "}"
  } >"$file"
}

# ------------------------------------------------------------------ measurements
to_ms() {  # wrk's "123.45us" / "1.23ms" / "1.02s" / "1.5m" -> milliseconds
  awk -v v="$1" 'BEGIN {
    n = v + 0
    if (v ~ /us$/) n = n / 1000; else if (v ~ /ms$/) n = n; else if (v ~ /m$/) n = n * 60000;
    else if (v ~ /s$/) n = n * 1000;
    printf "%.3f", n }'
}

# wrk_stats FILE: reads one `wrk --latency` output. Sets WRK_RPS, WRK_P50 and WRK_P99 (ms),
# WRK_ERRS (socket errors: connect + read + write + timeout; 0 if none), WRK_NON2XX (0 if none)
# and WRK_REQUESTS (empty if wrk printed no total).
wrk_stats() {
  local out="$1"
  WRK_RPS="$(awk '/^Requests\/sec:/ {printf "%.0f", $2}' "$out")"
  WRK_P50="$(to_ms "$(awk '$1 == "50%" {print $2}' "$out")")"
  WRK_P99="$(to_ms "$(awk '$1 == "99%" {print $2}' "$out")")"
  WRK_ERRS="$(awk '/Socket errors:/ {gsub(",", ""); print $4 + $6 + $8 + $10}' "$out")"
  WRK_ERRS="${WRK_ERRS:-0}"
  WRK_NON2XX="$(awk '/Non-2xx or 3xx responses:/ {print $5}' "$out")"
  WRK_NON2XX="${WRK_NON2XX:-0}"
  WRK_REQUESTS="$(awk '/requests in/ {print $1}' "$out")"
}

rss_kb() { awk "/^$2:/ {print \$2}" "/proc/$1/status"; }
