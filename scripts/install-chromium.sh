#!/usr/bin/env bash
# Installs Debian's headless-capable Chromium: the system test of the gateway's chat page drives it over the
# DevTools protocol. Idempotent; needs root (or sudo). Prints the path of the browser on its last line.
set -euo pipefail
for candidate in chromium chromium-browser; do
    if path=$(command -v "$candidate" 2>/dev/null); then
        echo "$path"
        exit 0
    fi
done
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || { echo "install-chromium: needs root or sudo" >&2; exit 1; }
    sudo_cmd=(sudo)
fi
"${sudo_cmd[@]+"${sudo_cmd[@]}"}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]+"${sudo_cmd[@]}"}" apt-get install -y -qq --no-install-recommends \
    chromium >/dev/null
command -v chromium
