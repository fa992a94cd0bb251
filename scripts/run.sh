#!/usr/bin/env bash
# Installs what is missing, builds the emulator and mxctl (optimised) and starts the emulator on
# its defaults: http://127.0.0.1:8089, client_id mxemu-client-id, api_key mxemu-api-key. Extra
# arguments go to mxemu (try --help).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release --target mxemu mxctl
exec build/release/mock_server/mxemu "$@"
