#!/bin/sh
# kaoreader start guard (ExecStartPre, run with full privileges). Counts starts of a release on
# trial and, after MAX_ATTEMPTS failed starts, points `current` back at the previous release
# (temporary link renamed over `current`, then sync) and leaves a note the agent reports. An
# intentional restart (marker file written by the daemon) is not counted. Plain POSIX sh +
# coreutils, so it works even when the release on trial is broken. Versions are checked to be
# MAJOR.MINOR.PATCH before they name a link, so a trial file can only ever point `current` at
# releases/<version>. Usage: start-guard.sh BASE MAX_ATTEMPTS STATE_DIR
# The trial and rollback files are the installer's, in BASE/ota; the intentional-restart marker is
# the daemon's, in STATE_DIR/ota (the daemon's state folder, reader.stateDir: /var/lib/kaoreader).
set -eu
BASE=${1:?usage: start-guard.sh BASE MAX_ATTEMPTS STATE_DIR}
MAX=${2:?usage: start-guard.sh BASE MAX_ATTEMPTS STATE_DIR}
STATE=${3:?usage: start-guard.sh BASE MAX_ATTEMPTS STATE_DIR}
OTA="$BASE/ota"
INTENT="$STATE/ota/restart-intentional"
if [ -e "$INTENT" ]; then
  rm -f "$INTENT"
  exit 0
fi
[ -f "$OTA/trial" ] || exit 0
read -r VERSION FROM ATTEMPTS < "$OTA/trial" || exit 0
semver() { expr "$1" : '[0-9]\{1,9\}\.[0-9]\{1,9\}\.[0-9]\{1,9\}$' > /dev/null; }
semver "${VERSION:-}" && semver "${FROM:-}" || exit 0
case "${ATTEMPTS:-0}" in *[!0-9]*) ATTEMPTS=0 ;; esac
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
