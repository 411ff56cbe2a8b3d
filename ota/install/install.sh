#!/bin/sh
# Installs a kaoreader release on a Raspberry Pi (Raspberry Pi OS / Debian 12, 64-bit) as
# root, or into an image folder (--root DIR) while an SD card image is built. One command from a
# bare Pi to a reader showing its pairing screen (docs/raspberry-pi.md):
#
#   sudo sh kaoreader-install.sh kaoreader-1.0.0-linux-arm64.tar.gz --trust 1.root.json
#
# It installs the Debian packages the reader drives, creates the service user and its folders
# (systemd-sysusers, systemd-tmpfiles), unpacks the release into /opt/kaoreader/releases/<v>
# (root's, read-only to the daemon), points current and committed at it, installs the start
# guard, the hardened units, the udev and polkit rules and a first /etc/kaoreader/config.yaml
# (never overwritten), provisions the update repository's root of trust for the daemon and the
# installer, and enables the units. A reader that is already installed keeps its state.
set -eu

usage() {
  echo "usage: install.sh RELEASE.tar.gz [--trust ROOT.json] [--root DIR] [--no-apt] [--no-start]" >&2
  exit 2
}

TARBALL=""
TRUST=""
ROOT=""
APT=1
START=1
while [ $# -gt 0 ]; do
  case "$1" in
    --trust) TRUST=${2:?}; shift 2 ;;
    --root) ROOT=${2:?}; shift 2 ;;
    --no-apt) APT=0; shift ;;
    --no-start) START=0; shift ;;
    -h | --help) usage ;;
    -*) usage ;;
    *) [ -z "$TARBALL" ] || usage; TARBALL=$1; shift ;;
  esac
done
[ -n "$TARBALL" ] && [ -f "$TARBALL" ] || usage
[ "$(id -u)" -eq 0 ] || { echo "install.sh: run as root (sudo)" >&2; exit 1; }
if [ -n "$ROOT" ]; then ROOT=$(cd "$ROOT" && pwd); APT=0; START=0; mkdir -p "$ROOT/etc"; fi

say() { echo "install.sh: $*" >&2; }

# The release: its manifest is the first entry of the tarball.
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
tar -xzf "$TARBALL" -C "$WORK" manifest.json
VERSION=$(sed -n 's/^ "version": "\([0-9]\{1,9\}\.[0-9]\{1,9\}\.[0-9]\{1,9\}\)",$/\1/p' "$WORK/manifest.json" | head -n 1)
ARCH=$(sed -n 's/^ "arch": "\(linux-[a-z0-9]*\)",$/\1/p' "$WORK/manifest.json" | head -n 1)
[ -n "$VERSION" ] && [ -n "$ARCH" ] || { say "$TARBALL has no kaoreader manifest"; exit 1; }
if [ -z "$ROOT" ]; then
  case "$(uname -m)" in aarch64) HOST=linux-arm64 ;; x86_64) HOST=linux-x64 ;; *) HOST=unknown ;; esac
  [ "$HOST" = "$ARCH" ] || { say "release $VERSION is for $ARCH, this machine is $HOST"; exit 1; }
fi
say "installing kaoreader $VERSION ($ARCH)${ROOT:+ into $ROOT}"

# Debian packages the reader drives (the release brings its own Node.js and addons).
if [ "$APT" -eq 1 ]; then
  PACKAGES="pcscd libccid libpcsclite1 ffmpeg fontconfig fonts-noto-cjk fonts-noto-core espeak-ng libjemalloc2 gpiod libudev1 libusb-1.0-0"
  # Raspberry Pi OS: the camera modules' libcamera tools
  if apt-cache show rpicam-apps > /dev/null 2>&1; then PACKAGES="$PACKAGES rpicam-apps"; fi
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $PACKAGES
fi

SRC="$WORK/src"
mkdir -p "$SRC"
tar -xzf "$TARBALL" -C "$SRC" ota/install ota/systemd
install -D -m 0644 "$SRC/ota/install/sysusers.conf" "$ROOT/usr/lib/sysusers.d/kaoreader.conf"
install -D -m 0644 "$SRC/ota/install/tmpfiles.conf" "$ROOT/usr/lib/tmpfiles.d/kaoreader.conf"
if [ -n "$ROOT" ]; then
  systemd-sysusers --root="$ROOT" "$ROOT/usr/lib/sysusers.d/kaoreader.conf"
  systemd-tmpfiles --root="$ROOT" --create "$ROOT/usr/lib/tmpfiles.d/kaoreader.conf"
else
  systemd-sysusers /usr/lib/sysusers.d/kaoreader.conf
  systemd-tmpfiles --create /usr/lib/tmpfiles.d/kaoreader.conf
fi

# The release, unpacked beside any other (a directory exists only once complete).
BASE="$ROOT/opt/kaoreader"
REL="$BASE/releases/$VERSION"
if [ ! -f "$REL/manifest.json" ]; then
  rm -rf "$BASE/releases/.partial-$VERSION"
  mkdir -p "$BASE/releases/.partial-$VERSION"
  tar -xzf "$TARBALL" -C "$BASE/releases/.partial-$VERSION" --no-same-owner --no-same-permissions
  chmod -R u+rwX,go+rX,go-w "$BASE/releases/.partial-$VERSION"
  mv "$BASE/releases/.partial-$VERSION" "$REL"
fi
for LINK in current committed; do
  ln -sfn "releases/$VERSION" "$BASE/.$LINK.tmp"
  mv -T -f "$BASE/.$LINK.tmp" "$BASE/$LINK"
done
install -m 0755 "$REL/ota/systemd/start-guard.sh" "$BASE/bin/kaoreader-start-guard"
# `kaoreader …` on the command line runs the current release on its own runtime.
mkdir -p "$ROOT/usr/local/bin"
printf '#!/bin/sh\n# kaoreader on the current release and its own Node.js (installed by kaoreader-install.sh)\nexec /opt/kaoreader/current/runtime/bin/node /opt/kaoreader/current/bin/kaoreader.js "$@"\n' > "$ROOT/usr/local/bin/kaoreader"
chmod 0755 "$ROOT/usr/local/bin/kaoreader"

# Units, device rules, PC/SC permission, configuration, trust.
for UNIT in kaoreader.service kaoreader-installer.service kaoreader-installer.path; do
  install -D -m 0644 "$SRC/ota/systemd/$UNIT" "$ROOT/etc/systemd/system/$UNIT"
done
install -D -m 0644 "$SRC/ota/install/60-kaoreader.rules" "$ROOT/etc/udev/rules.d/60-kaoreader.rules"
install -D -m 0644 "$SRC/ota/install/60-kaoreader-pcsc.rules" "$ROOT/etc/polkit-1/rules.d/60-kaoreader-pcsc.rules"
[ -f "$ROOT/etc/kaoreader/config.yaml" ] || install -D -m 0644 "$SRC/ota/install/config.yaml" "$ROOT/etc/kaoreader/config.yaml"
if [ -n "$TRUST" ]; then
  install -D -m 0644 "$TRUST" "$BASE/ota/tuf/root.json"
  install -D -m 0600 "$TRUST" "$ROOT/var/lib/kaoreader/ota/tuf/root.json"
  KUID=$(sed -n 's/^kaoreader:[^:]*:\([0-9]*\):\([0-9]*\):.*/\1:\2/p' "$ROOT/etc/passwd")
  chown "$KUID" "$ROOT/var/lib/kaoreader/ota/tuf/root.json"
fi

# Secrets stay out of swap: the daemon's unit sets MemorySwapMax=0; Raspberry Pi OS's swap file
# is turned off as well (docs/raspberry-pi.md "Swap").
if [ -n "$ROOT" ]; then
  systemctl --root="$ROOT" enable kaoreader.service kaoreader-installer.path
  [ ! -e "$ROOT/lib/systemd/system/dphys-swapfile.service" ] || systemctl --root="$ROOT" disable dphys-swapfile.service
else
  if systemctl list-unit-files dphys-swapfile.service > /dev/null 2>&1; then
    dphys-swapfile swapoff 2> /dev/null || true
    systemctl disable --now dphys-swapfile.service 2> /dev/null || true
  fi
  udevadm control --reload-rules
  udevadm trigger
  systemctl daemon-reload
  systemctl enable kaoreader.service kaoreader-installer.path
  if [ "$START" -eq 1 ]; then systemctl restart kaoreader-installer.path kaoreader.service; fi
fi
say "done: kaoreader $VERSION; 'kaoreader doctor' and 'journalctl -u kaoreader' show how it runs"
