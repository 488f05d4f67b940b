#!/usr/bin/env bash
# Installs the Debian 12 packages Vitrine needs to build, test and run, idempotently:
# nothing is done when every package is already present; sudo is used when not root.
set -euo pipefail

pkgs=(
  # toolchain
  build-essential cmake pkg-config git clang-format
  # engine libraries
  libsdl2-dev libglew-dev libpng-dev libjpeg62-turbo-dev libyaml-dev libjansson-dev
  libopenal-dev nettle-dev zlib1g-dev
  # images beyond PNG and JPEG: WebP, TIFF, and EXIF orientation
  libwebp-dev libtiff-dev libexif-dev
  # play as a systemd service: sd_notify (READY, STATUS, WATCHDOG); the unit's check in tests
  libsystemd-dev systemd
  # PNG frames: libdeflate compresses their image data (libpng writes the format)
  libdeflate-dev
  # text: fonts found by family, shaping, bidi, line breaking, hyphenation
  libfreetype-dev libharfbuzz-dev libfontconfig-dev libfribidi-dev libunibreak-dev libhyphen-dev
  hyphen-fr
  # fonts the demo and the text tests use (Latin, Greek, Cyrillic, Arabic, Hebrew, CJK)
  fonts-dejavu-core fonts-noto-core fonts-noto-cjk
  # sound: decoding WAV, FLAC, Ogg Vorbis and Opus
  libsndfile1-dev
  # films: FFmpeg's demuxers, decoders, pixel and sample conversion; ffmpeg makes test clips
  libavformat-dev libavcodec-dev libavutil-dev libswscale-dev libswresample-dev ffmpeg
  # HAP films: their Snappy-compressed DXT frames, uploaded to the GPU as they are
  libsnappy-dev
  # headless GL for tests and offline renders (Mesa llvmpipe, EGL and Xvfb)
  libgl1-mesa-dri libegl-mesa0 libegl1 xvfb xauth
  # opening hours: the time-zone database
  tzdata
  # tests: JSON Schema validation of the documented examples
  python3 python3-jsonschema python3-yaml
)
# Optional: clang and its runtime give the libFuzzer targets (skipped when absent); Slurm with
# munge and GNU parallel run the render farm's tools in tests (skipped when absent).
optional=(clang libclang-rt-14-dev slurm-wlm munge parallel)

missing=()
for p in "${pkgs[@]}" "${optional[@]}"; do
  st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [ "$st" = "install ok installed" ] || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#pkgs[@]} packages present"
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "install-deps: done"
