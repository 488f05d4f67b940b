#!/usr/bin/env bash
# Installs Vitrine as a systemd service: fills in tools/vitrine.service.in and writes it
# atomically to /etc/systemd/system/vitrine.service (or --out FILE), then reloads systemd and
# enables the service (not with --out). Exit codes: 0 ok, 64 usage, 66 a file is missing.
#
#   tools/install-service.sh --scene /srv/show/scene.yaml --config /etc/vitrine/config.yaml
#       [--bin /usr/local/bin/vitrine] [--user vitrine] [--video kmsdrm|x11]
#       [--watchdog 30s] [--memory-max 2G] [--out FILE]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
scene= config= bin=$(command -v vitrine || echo /usr/local/bin/vitrine) user=vitrine
video=kmsdrm watchdog=30s memory=2G out=
usage() { sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 64; }
while [ $# -gt 0 ]; do
  case $1 in
    --scene) scene=${2:?}; shift 2 ;;
    --config) config=${2:?}; shift 2 ;;
    --bin) bin=${2:?}; shift 2 ;;
    --user) user=${2:?}; shift 2 ;;
    --video) video=${2:?}; shift 2 ;;
    --watchdog) watchdog=${2:?}; shift 2 ;;
    --memory-max) memory=${2:?}; shift 2 ;;
    --out) out=${2:?}; shift 2 ;;
    *) echo "install-service: unknown option '$1'" >&2; usage ;;
  esac
done
[ -n "$scene" ] && [ -n "$config" ] || { echo "install-service: give --scene and --config" >&2; usage; }
for f in "$scene" "$config"; do
  case $f in /*) ;; *) echo "install-service: '$f' must be an absolute path" >&2; exit 64 ;; esac
  [ -r "$f" ] || { echo "install-service: cannot read '$f'" >&2; exit 66; }
done
[ -x "$bin" ] || { echo "install-service: '$bin' is not an executable; give --bin" >&2; exit 66; }
case $video in kmsdrm|x11|wayland) ;; *) echo "install-service: --video kmsdrm, x11 or wayland" >&2; exit 64 ;; esac
# A path with a space or a % would need systemd quoting: refuse rather than guess.
for v in "$scene" "$config" "$bin" "$user" "$watchdog" "$memory"; do
  case $v in *[[:space:]%\$\\\"\']*) echo "install-service: '$v' has a character the unit cannot hold as is" >&2; exit 64 ;; esac
done
if ! problems=$("$bin" check "$scene" 2>&1); then
  printf '%s\n' "$problems" >&2
  echo "install-service: $scene has problems (above): fix them first" >&2
  exit 65
fi

dest=${out:-/etc/systemd/system/vitrine.service}
tmp=$(mktemp "$(dirname "$dest")/.vitrine.service.XXXXXX")
trap 'rm -f "$tmp"' EXIT
sed -e "s|@SCENE@|$scene|g" -e "s|@CONFIG@|$config|g" -e "s|@BIN@|$bin|g" -e "s|@USER@|$user|g" \
    -e "s|@VIDEO@|$video|g" -e "s|@WATCHDOG@|$watchdog|g" -e "s|@MEMORY@|$memory|g" \
    "$here/vitrine.service.in" > "$tmp"
chmod 644 "$tmp"
mv "$tmp" "$dest"
trap - EXIT
echo "install-service: wrote $dest"
if [ -z "$out" ]; then
  id "$user" >/dev/null 2>&1 ||
    echo "install-service: user '$user' does not exist; create it: useradd --system --create-home $user" >&2
  systemctl daemon-reload
  systemctl enable vitrine.service
  echo "install-service: enabled; start it with: systemctl start vitrine"
fi
