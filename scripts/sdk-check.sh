#!/usr/bin/env bash
# MX's official Node SDK (mx-platform-node, pinned by tests/sdk/package-lock.json), unmodified,
# against a freshly started emulator on a free loopback port: tests/sdk/*.js. Evidence for the
# operations those files name; not part of CI (the build and CI take npm packages for the
# browser tests only), so it installs the SDK into tests/sdk/node_modules when run.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release --target mxemu
(cd tests/sdk && { [[ -d node_modules/mx-platform-node ]] || npm ci --no-audit --no-fund; })
# The v20250224 SDK (mx-platform-node 3.x) for the operations only that version has. A registry
# without 3.x can be bypassed: MX_PLATFORM_NODE_V3=path/to/mx-platform-node-3.0.0.tgz (a package
# built from MX's repository, v20250224/, with its own `npm pack`).
(cd tests/sdk/v20250224 && { [[ -d node_modules/mx-platform-node ]] ||
  npm install --no-save --no-audit --no-fund "${MX_PLATFORM_NODE_V3:-mx-platform-node@3.0.0}"; })

log="$(mktemp)"
build/release/mock_server/mxemu --port 0 >"$log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null; rm -f "$log"' EXIT
url=""
for _ in $(seq 100); do
  url="$(grep -o 'http://127.0.0.1:[0-9]*' "$log" | head -1 || true)"
  [[ -n "$url" ]] && break
  sleep 0.1
done
[[ -n "$url" ]] || { cat "$log"; echo "sdk-check: the emulator did not start" >&2; exit 1; }
status=0
for f in tests/sdk/*.js tests/sdk/v20250224/*.js; do
  [[ "$f" == */harness.js ]] && continue
  echo "== $f"
  MXEMU_URL="$url" node "$f" || status=1
done
exit "$status"
