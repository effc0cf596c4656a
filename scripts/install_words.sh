#!/usr/bin/env bash
# Installs Debian's Dutch and English word lists (/usr/share/dict/dutch, american-english) for the
# word-inventing transformer (learningpaths/demos/words.py; needs root or sudo).
set -euo pipefail
SUDO=""
[ "$(id -u)" = 0 ] || SUDO="sudo"
echo "Installing wdutch and wamerican from Debian's packages..."
$SUDO apt-get update -q
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q wdutch wamerican
