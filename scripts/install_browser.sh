#!/usr/bin/env bash
# Installs Debian's headless Chromium and its driver for the browser tests (needs root or sudo).
set -euo pipefail
SUDO=""
[ "$(id -u)" = 0 ] || SUDO="sudo"
echo "Installing chromium and chromium-driver from Debian's packages..."
$SUDO apt-get update -q
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q chromium chromium-driver
