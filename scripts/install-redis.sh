#!/usr/bin/env bash
# Installs redis-server from Debian's packages: ./cohort bench runs the legacy Redis design side by side with
# Cohort against a real redis-server it starts on a free loopback port. Needs root (or sudo).
set -euo pipefail
if command -v redis-server >/dev/null 2>&1; then
    echo "redis-server already installed: $(redis-server --version)"
    exit 0
fi
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || { echo "install-redis: needs root or sudo" >&2; exit 1; }
    sudo_cmd=(sudo)
fi
"${sudo_cmd[@]+"${sudo_cmd[@]}"}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]+"${sudo_cmd[@]}"}" apt-get install -y -qq redis-server >/dev/null
# Debian's package may start a system service on 6379; the harness starts its own on a free port instead.
if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet redis-server 2>/dev/null; then
    "${sudo_cmd[@]+"${sudo_cmd[@]}"}" systemctl stop redis-server || true
fi
echo "installed: $(redis-server --version)"
