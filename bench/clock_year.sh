#!/usr/bin/env bash
# bench/clock_year.sh: what a long clock move costs. Each server (manual clock) gets MEMBERS
# connected MX Bank members, then one POST /_emulator/clock/advance of DAYS days, which runs a
# background aggregation per member per day. Times that call for two mxemu binaries,
# alternating, in one run; prints each time and the ratio of the medians (candidate/baseline).
#
#   bench/clock_year.sh BASELINE_MXEMU CANDIDATE_MXEMU
#
# Environment: BENCH_MEMBERS (default 5), BENCH_DAYS (default 365), BENCH_PAIRS (default 3),
# BENCH_BUDGET (s before the watchdog aborts, default 600). Needs curl.
# Loopback only; every process it starts is stopped on exit; every step is bounded.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
export LOG_TAG=clock_year
# shellcheck source=bench/lib.sh
. "$here/lib.sh"  # log, die, cleanup, start_watchdog, create_connected_member, advance_clock
[[ $# -eq 2 ]] || die "usage: bench/clock_year.sh BASELINE_MXEMU CANDIDATE_MXEMU"
MEMBERS="${BENCH_MEMBERS:-5}"
DAYS="${BENCH_DAYS:-365}"
PAIRS="${BENCH_PAIRS:-3}"
for bin in "$@"; do [[ -x "$bin" ]] || die "$bin is not an executable"; done
command -v curl >/dev/null || die "curl is missing"

pids=()
work="$(mktemp -d /tmp/mxemu-bench-year.XXXXXX)"
trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT TERM
start_watchdog "${BENCH_BUDGET:-600}"

# one_run BINARY: sets RUN_SECONDS to the seconds the DAYS-day advance took.
RUN_SECONDS=""
one_run() {
  local out="$work/server.out" pid start end
  "$1" --port 0 --clock manual --start-time 2024-05-20T15:30:00Z --log-level off >"$out" 2>&1 &
  pid=$!
  pids+=("$pid")
  MX_URL="$(wait_for_url "$out")"
  for i in $(seq "$MEMBERS"); do create_connected_member "year$i" >/dev/null; done
  advance_clock 3600  # every member's first job finishes: 90 days of history each
  start="$(date +%s.%N)"
  curl -sS --max-time 300 -o /dev/null -X POST -H 'Content-Type: application/json' \
    -d "{\"days\":$DAYS}" "$MX_URL/_emulator/clock/advance"
  end="$(date +%s.%N)"
  stop_and_forget "$pid"
  RUN_SECONDS="$(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.3f", e - s }')"
}

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

base_times=()
cand_times=()
for p in $(seq "$PAIRS"); do
  one_run "$1"
  b="$RUN_SECONDS"
  one_run "$2"
  c="$RUN_SECONDS"
  log "pair $p: baseline ${b}s, candidate ${c}s"
  base_times+=("$b")
  cand_times+=("$c")
done
bm="$(printf '%s\n' "${base_times[@]}" | median)"
cm="$(printf '%s\n' "${cand_times[@]}" | median)"
echo "clock_year members=$MEMBERS days=$DAYS pairs=$PAIRS baseline_median_s=$bm candidate_median_s=$cm ratio=$(awk -v b="$bm" -v c="$cm" 'BEGIN { printf "%.2f", c / b }')"
