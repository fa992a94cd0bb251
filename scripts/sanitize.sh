#!/usr/bin/env bash
# The sanitizer half of CI (.ci/run calls both halves after the README's test command):
#   1. clang with AddressSanitizer + UndefinedBehaviorSanitizer: every test, and a short run of
#      each libFuzzer target from its committed corpus (ctest label `fuzz`; docs/fuzzing.md);
#   2. ThreadSanitizer (g++): the http and client suites, whose tests run threads (the HTTP
#      server, the webhook dispatcher, tenants served concurrently, the client's webhook server).
# Usage: scripts/sanitize.sh [asan|tsan]   (both by default)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --sanitize
which="${1:-all}"
if [[ "$which" == all || "$which" == asan ]]; then
  cmake --workflow --preset sanitize
fi
if [[ "$which" == all || "$which" == tsan ]]; then
  cmake --workflow --preset tsan
fi
