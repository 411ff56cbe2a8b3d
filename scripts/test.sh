#!/usr/bin/env bash
# The whole suite: type check, lint, then every test file (uvu + sinon through tsx).
# Ends with one line: "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
exec node --import tsx scripts/run-tests.ts "$@"
