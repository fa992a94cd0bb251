#!/usr/bin/env bash
# Installs what bench/run.sh needs (wrk, nginx-light, procps, iproute2 on top of the build
# dependencies), and only what is missing. Delegates to the project's installer so there is one
# package list; apt-get runs with sudo when not root.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"

if [[ -x "$root/scripts/install-deps.sh" ]]; then
  exec "$root/scripts/install-deps.sh" --bench
fi

# Fallback when the project installer is absent: the bench tools only.
missing=()
command -v wrk >/dev/null || missing+=(wrk)
command -v nginx >/dev/null || [[ -x /usr/sbin/nginx ]] || missing+=(nginx-light)
command -v ss >/dev/null || missing+=(iproute2)
command -v curl >/dev/null || missing+=(curl)
[[ ${#missing[@]} -eq 0 ]] && exit 0
sudo=""
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "bench/install.sh: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  sudo="sudo"
fi
echo "bench/install.sh: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
