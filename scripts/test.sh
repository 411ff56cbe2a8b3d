#!/usr/bin/env bash
# The whole suite: type check, lint, then every test file (uvu + sinon through tsx), on the
# project's runtime (scripts/runtime.sh): the Node.js that releases ship.
# Ends with one line: "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
source scripts/runtime.sh || exit 1
[ -x "$KAO_NODE" ] || { echo "test: $KAO_NODE is missing: run scripts/setup.sh" >&2; echo "0 passed, 1 failed"; exit 1; }
exec "$KAO_NODE" --import tsx scripts/run-tests.ts "$@"
