#!/usr/bin/env bash
# One idempotent setup for a Debian 12 / Raspberry Pi OS 64-bit machine:
# the Debian packages kaoreader drives (through sudo when not root), then the npm packages.
# Quick when everything is already there: it only checks dpkg and a lock-file stamp.
set -euo pipefail
cd "$(dirname "$0")/.."

DEBIAN_PACKAGES=(
  pcscd libpcsclite-dev vsmartcard-vpcd opensc   # PC/SC daemon, virtual reader, peer JPKI driver
  mosquitto mosquitto-clients                     # the facility broker (tests start their own)
  postgresql                                      # facility database for groups (tests start a private cluster)
  ffmpeg                                          # streaming camera capture
  fonts-noto-cjk fonts-noto-core espeak-ng        # screen text (CJK; Thai, Devanagari, Latin), voice guidance
  libopenjp2-tools                                # JPEG 2000 for the virtual card's chip photo
  iproute2 openssl                                # network fault injection, certificates
  fuse3 python3-fusepy                            # crashfs: power-cut tests record every write and sync (hardware-sim/power-cut)
  libjemalloc2                                    # the daemon's malloc (LD_PRELOAD; RSS levels off, see docs/benchmarks/visit.md)
  chromium                                        # the QA console's browser test and bench (headless, driven by playwright-core)
  python3 make g++ pkg-config libudev-dev libusb-1.0-0-dev  # native addons (pcsclite, rpio, node-hid)
)

missing=()
for p in "${DEBIAN_PACKAGES[@]}"; do
  case "$p" in \#*) continue ;; esac
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}" >&2
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi

# npm packages: reinstall only when the lock file changed since the last install.
stamp=node_modules/.kaoreader-lock.sha256
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "setup: installing npm packages (npm ci)" >&2
  npm ci --no-fund --no-audit --loglevel=error >&2
  echo "$want" > "$stamp"
fi

# Face models: converted from the npm weights into var/models (checksummed; quick when intact).
node --import tsx scripts/build-face-models.ts
