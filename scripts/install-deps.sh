#!/usr/bin/env bash
# Installs the Debian 12 packages mxemu needs to build and test, and only those missing.
# Usage: scripts/install-deps.sh [--bench|--sanitize]   (--bench adds wrk for bench/; --sanitize
# adds clang and its sanitizer and libFuzzer runtimes for scripts/sanitize.sh)
set -euo pipefail

packages=(g++ cmake ninja-build pkg-config libboost-dev nlohmann-json3-dev libcpp-httplib-dev
          libgtest-dev libgmock-dev libsqlite3-dev libjemalloc-dev curl ccache jq nginx-light
          chromium nodejs npm)  # the browser tests (tests/browser/, docs/widget.md)
case "${1:-}" in
  --bench) packages+=(wrk procps iproute2) ;;
  --sanitize) packages+=(clang libclang-rt-14-dev) ;;  # libFuzzer and clang's sanitizer runtimes
esac

missing=()
for p in "${packages[@]}"; do
  # A Node.js that did not come from Debian (e.g. NodeSource's, which bundles npm) conflicts with
  # Debian's nodejs/npm packages: use it as it is.
  if [[ "$p" == nodejs || "$p" == npm ]] && command -v node >/dev/null && command -v npm >/dev/null; then
    continue
  fi
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

# The browser tests' npm packages (playwright-core, MX's widget SDK and message definitions),
# pinned by tests/browser/package-lock.json.
npm_ci() {
  local dir
  dir="$(cd "$(dirname "$0")/.." && pwd)/tests/browser"
  if command -v npm >/dev/null && [[ ! -d "$dir/node_modules/playwright-core" ]]; then
    (cd "$dir" && npm ci --no-audit --no-fund)
  fi
}

if [[ ${#missing[@]} -eq 0 ]]; then
  npm_ci
  exit 0
fi

sudo=""
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "install-deps: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  sudo="sudo"
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
# Debian starts an installed nginx as a service on port 80; the scaling test runs its own on
# loopback, so a service this script brought in is stopped and disabled again.
if [[ " ${missing[*]} " == *" nginx-light "* && -d /run/systemd/system ]]; then
  $sudo systemctl disable --now nginx >/dev/null 2>&1 || true
fi
npm_ci
