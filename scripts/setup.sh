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
  systemd                                         # systemd-analyze: the units' verify and security checks
  gpiod                                           # gpioset: GPIO outputs on a Pi 5 (and its argument check against the real tool)
)
# Releases for the other architecture: its addons cross-built with Debian's toolchain against that
# arch's multiarch libraries, and the arm64 release run under qemu-user (docs/raspberry-pi.md).
case "$(uname -m)" in
  x86_64) FOREIGN=arm64; DEBIAN_PACKAGES+=(crossbuild-essential-arm64 qemu-user-static) ;;
  aarch64) FOREIGN=amd64; DEBIAN_PACKAGES+=(crossbuild-essential-amd64) ;;
  *) echo "setup: unsupported machine $(uname -m)" >&2; exit 1 ;;
esac
DEBIAN_PACKAGES+=("libpcsclite-dev:$FOREIGN" "libstdc++6:$FOREIGN" "libudev1:$FOREIGN" "libusb-1.0-0:$FOREIGN")  # link and load the addons

missing=()
for p in "${DEBIAN_PACKAGES[@]}"; do
  case "$p" in \#*) continue ;; esac
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}" >&2
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  dpkg --print-foreign-architectures | grep -qx "$FOREIGN" || $SUDO dpkg --add-architecture "$FOREIGN"
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi

# npm packages: reinstall only when the lock file changed since the last install. The project's
# runtime (node-linux-<cpu>, see runtime.sh) comes with them; the install scripts then run on
# that runtime, so node-gyp builds every native addon for its ABI against its own headers.
source scripts/runtime.sh
stamp=node_modules/.kaoreader-lock.sha256
want="$(sha256sum package-lock.json | cut -d' ' -f1) $KAO_CPU"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "setup: installing npm packages (npm ci), then building native addons for the project's runtime" >&2
  npm ci --ignore-scripts --no-fund --no-audit --loglevel=error >&2
  [ -x "$KAO_NODE" ] || { echo "setup: npm ci did not install $KAO_NODE" >&2; exit 1; }
  # build_from_source: an addon that would first try to download a prebuilt binary (better-sqlite3's
  # prebuild-install, from GitHub) builds here at once: setup needs no network but npm's and Debian's.
  PATH="$KAO_RUNTIME_DIR/bin:$PATH" npm_config_nodedir="$KAO_RUNTIME_DIR" npm_config_build_from_source=true npm rebuild --no-fund --no-audit --loglevel=error >&2
  echo "$want" > "$stamp"
fi

# Face models: converted from the npm weights into var/models (checksummed; quick when intact).
"$KAO_NODE" --import tsx scripts/build-face-models.ts
