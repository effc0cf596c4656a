#!/usr/bin/env bash
# Installs the Debian font packages the glyph CNN renders its training data from
# (learningpaths/demos/glyphs.py; licences in learningpaths/demos/data/README.md). Needs root or sudo.
set -euo pipefail
PACKAGES=(fonts-dejavu-core fonts-liberation fonts-freefont-ttf fonts-urw-base35)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} = 0 ] && exit 0
SUDO=""
[ "$(id -u)" = 0 ] || SUDO="sudo"
echo "Installing ${missing[*]} from Debian's packages..."
$SUDO apt-get update -q
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q "${missing[@]}"
