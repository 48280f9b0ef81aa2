#!/usr/bin/env bash
# Installs the Debian packages Threshold needs that are missing: quick (no apt) when all are present.
# Usage: scripts/debian_packages.sh PACKAGE...   (make install asks for WeasyPrint's libraries and fonts,
# make test for chromium too). Runs apt-get as root, or through sudo when there is one.
set -euo pipefail
missing=()
for package in "$@"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0
command -v apt-get >/dev/null || { echo "Threshold needs these Debian packages (or their equivalents): ${missing[*]}" >&2; exit 1; }
if [ "$(id -u)" -eq 0 ]; then as_root=(); elif command -v sudo >/dev/null; then as_root=(sudo); else
  echo "Install these Debian packages as root, then run make again: ${missing[*]}" >&2; exit 1
fi
echo "Installing Debian packages: ${missing[*]}"
"${as_root[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
