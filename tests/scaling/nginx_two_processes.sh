#!/usr/bin/env bash
# Two mxemu processes behind nginx, routed by a consistent hash of the Authorization header
# (docs/scaling.md): every tenant lives whole in exactly one process and tenants stay apart.
#
# Usage: nginx_two_processes.sh MXEMU_BINARY
# Exit 0 when the layout holds, 1 when it does not, 77 (ctest's skip) when nginx or jq is absent.
# Loopback only; every process it starts is stopped on exit; every wait is bounded.
set -euo pipefail

MXEMU="${1:?usage: $0 MXEMU_BINARY}"
NGINX="$(command -v nginx || echo /usr/sbin/nginx)"
[[ -x "$NGINX" ]] || { echo "SKIP: nginx is not installed (scripts/install-deps.sh installs it)"; exit 77; }
command -v jq >/dev/null || { echo "SKIP: jq is not installed"; exit 77; }

work="$(mktemp -d)"
chmod 755 "$work"  # nginx workers run as nobody when started by root
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

ACCEPT="Accept: application/vnd.mx.api.v1+json"
JSON="Content-Type: application/json"
STATIC=(file-1 file-2 file-3 file-4)  # named in --tenants, known to both processes
DYNAMIC=()                            # created through nginx with their own credentials
for i in $(seq 1 12); do DYNAMIC+=("ci-job-$i"); done

printf '{"tenants":[%s]}\n' "$(for t in "${STATIC[@]}"; do printf '{"client_id":"%s","api_key":"key-%s"},' "$t" "$t"; done | sed 's/,$//')" \
  >"$work/tenants.json"

# start_backend N: an mxemu on a free port (it picks one and prints its URL); sets BACKEND[N].
declare -a BACKEND
start_backend() {
  local n="$1" url=""
  "$MXEMU" --port 0 --clock manual --tenants "$work/tenants.json" --log-level warning \
    >"$work/mxemu$n.out" 2>"$work/mxemu$n.err" &
  pids+=($!)
  for _ in $(seq 200); do
    url="$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$work/mxemu$n.out" | head -1 || true)"
    [[ -n "$url" ]] && break
    sleep 0.05
  done
  [[ -n "$url" ]] || fail "backend $n did not start: $(cat "$work/mxemu$n.err")"
  BACKEND[$n]="$url"
}
start_backend 1
start_backend 2

# nginx cannot pick a free port itself: try a few random ones below the ephemeral range.
start_nginx() {
  local port attempt
  mkdir -p "$work/nginx/tmp"
  for attempt in 1 2 3 4 5; do
    port=$((20000 + RANDOM % 10000))
    cat >"$work/nginx/nginx.conf" <<EOF
worker_processes 1;
daemon off;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log warn;
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path $work/nginx/tmp/body;
  proxy_temp_path $work/nginx/tmp/proxy;
  fastcgi_temp_path $work/nginx/tmp/fastcgi;
  uwsgi_temp_path $work/nginx/tmp/uwsgi;
  scgi_temp_path $work/nginx/tmp/scgi;
  upstream mxemu {
    hash \$http_authorization consistent;
    server ${BACKEND[1]#http://};
    server ${BACKEND[2]#http://};
    keepalive 8;
  }
  server {
    listen 127.0.0.1:$port;
    location / {
      proxy_pass http://mxemu;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host \$host:\$server_port;
    }
  }
}
EOF
    "$NGINX" -p "$work/nginx" -c "$work/nginx/nginx.conf" -e "$work/nginx/error.log" \
      >"$work/nginx/stdout" 2>&1 &
    local pid=$!
    for _ in $(seq 100); do
      if curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$port/_emulator/health"; then
        pids+=("$pid")
        FRONT="http://127.0.0.1:$port"
        return 0
      fi
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.05
    done
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  fail "nginx did not start: $(tail -3 "$work/nginx/error.log" 2>/dev/null)"
}
start_nginx

key_of() { echo "key-$1"; }
# call BASE TENANT METHOD PATH [BODY]: prints "STATUS BODY".
call() {
  local base="$1" tenant="$2" method="$3" path="$4" body="${5:-}" args=()
  args=(-s --max-time 10 -u "$tenant:$(key_of "$tenant")" -H "$ACCEPT" -X "$method"
        -w '\n%{http_code}' "$base$path")
  [[ -n "$body" ]] && args+=(-H "$JSON" -d "$body")
  local out
  out="$(curl "${args[@]}")"
  echo "${out##*$'\n'} ${out%$'\n'*}"
}
expect_status() {  # expect_status WANT "STATUS BODY" WHAT
  [[ "${2%% *}" == "$1" ]] || fail "$3: wanted $1, got ${2}"
}

# Tenants created through the front with their own credentials land where they will be served.
for t in "${DYNAMIC[@]}"; do
  r="$(call "$FRONT" "$t" POST /_emulator/tenants "{\"client_id\":\"$t\",\"api_key\":\"$(key_of "$t")\"}")"
  expect_status 201 "$r" "creating $t through nginx"
done

# Each tenant: three users and its own clock offset, all through the front.
declare -A FIRST_USER
i=0
for t in "${STATIC[@]}" "${DYNAMIC[@]}"; do
  i=$((i + 1))
  for u in a b c; do
    r="$(call "$FRONT" "$t" POST /users "{\"user\":{\"id\":\"$t-$u\"}}")"
    expect_status 200 "$r" "creating user $t-$u"
    [[ "$u" == a ]] && FIRST_USER[$t]="$(jq -r .user.guid <<<"${r#* }")"
  done
  r="$(call "$FRONT" "$t" POST /_emulator/clock/advance "{\"hours\":$i}")"
  expect_status 200 "$r" "advancing $t's clock"
done

# Each tenant lives whole in exactly one backend: its three users and its clock are there, the
# other backend has none of them (a dynamic tenant is unknown there: 401).
owned1=0
owned2=0
i=0
for t in "${STATIC[@]}" "${DYNAMIC[@]}"; do
  i=$((i + 1))
  holders=0
  for n in 1 2; do
    r="$(call "${BACKEND[$n]}" "$t" GET /users)"
    status="${r%% *}"
    count=0
    [[ "$status" == 200 ]] && count="$(jq '.users | length' <<<"${r#* }")"
    if [[ "$count" == 3 ]]; then
      holders=$((holders + 1))
      [[ $n == 1 ]] && owned1=$((owned1 + 1)) || owned2=$((owned2 + 1))
      c="$(call "${BACKEND[$n]}" "$t" GET /_emulator/clock)"
      [[ "$(jq .clock.offset_seconds <<<"${c#* }")" == $((i * 3600)) ]] ||
        fail "$t's clock in backend $n is ${c#* }, wanted an offset of $i h"
    elif [[ "$count" != 0 ]]; then
      fail "$t is split: backend $n holds $count of its 3 users"
    fi
  done
  [[ $holders == 1 ]] || fail "$t is held by $holders backends, wanted exactly one"
done
[[ $owned1 -gt 0 && $owned2 -gt 0 ]] ||
  fail "the hash sent every tenant to one backend ($owned1 / $owned2): the test proves nothing"

# Tenants stay apart through the front: another tenant's guid is a 404, unknown credentials 401.
r="$(call "$FRONT" "${DYNAMIC[0]}" GET "/users/${FIRST_USER[${DYNAMIC[1]}]}")"
expect_status 404 "$r" "reading ${DYNAMIC[1]}'s user as ${DYNAMIC[0]}"
r="$(call "$FRONT" "${DYNAMIC[0]}" GET "/users/${FIRST_USER[${DYNAMIC[0]}]}")"
expect_status 200 "$r" "reading ${DYNAMIC[0]}'s own user"
r="$(call "$FRONT" nobody GET /users)"
expect_status 401 "$r" "unknown credentials"

echo "OK: $((${#STATIC[@]} + ${#DYNAMIC[@]})) tenants whole and apart: $owned1 in backend 1, $owned2 in backend 2"
