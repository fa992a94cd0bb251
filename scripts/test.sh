#!/usr/bin/env bash
# Installs what is missing, builds everything (optimised, warnings as errors) and runs every
# test: unit, in-process API, loopback and scenario tests, through ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake --workflow --preset ci
