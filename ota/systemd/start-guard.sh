#!/bin/sh
# kaoreader start guard (ExecStartPre). Counts starts of a release on trial and, after
# MAX_ATTEMPTS failed starts, points `current` back at the previous release (temporary link
# renamed over `current`, then sync) and leaves a note the agent reports. An intentional
# restart (marker file written by the daemon) is not counted. Plain POSIX sh + coreutils, so it
# works even when the release on trial is broken. Usage: start-guard.sh BASE [MAX_ATTEMPTS]
set -eu
BASE=${1:?usage: start-guard.sh BASE [MAX_ATTEMPTS]}
MAX=${2:-3}
OTA="$BASE/state/ota"
[ -d "$OTA" ] || exit 0
if [ -e "$OTA/restart-intentional" ]; then
  rm -f "$OTA/restart-intentional"
  exit 0
fi
[ -f "$OTA/trial" ] || exit 0
read -r VERSION FROM ATTEMPTS < "$OTA/trial" || exit 0
[ -n "${VERSION:-}" ] && [ -n "${FROM:-}" ] || exit 0
CURRENT=$(readlink "$BASE/current" || true)
[ "$CURRENT" = "releases/$VERSION" ] || exit 0
ATTEMPTS=$(( ${ATTEMPTS:-0} + 1 ))
if [ "$ATTEMPTS" -gt "$MAX" ]; then
  printf '%s crash-at-start: %s failed starts\n' "$VERSION" "$((ATTEMPTS - 1))" > "$OTA/.rollback.tmp"
  sync "$OTA/.rollback.tmp"
  mv -f "$OTA/.rollback.tmp" "$OTA/rollback"
  rm -f "$BASE/.current.tmp"
  ln -s "releases/$FROM" "$BASE/.current.tmp"
  mv -T -f "$BASE/.current.tmp" "$BASE/current"
  rm -f "$OTA/trial"
  sync -f "$BASE" 2>/dev/null || sync
  exit 0
fi
printf '%s %s %s\n' "$VERSION" "$FROM" "$ATTEMPTS" > "$OTA/.trial.tmp"
sync "$OTA/.trial.tmp"
mv -f "$OTA/.trial.tmp" "$OTA/trial"
sync -f "$OTA" 2>/dev/null || sync
