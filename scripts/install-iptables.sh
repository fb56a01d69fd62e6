#!/usr/bin/env bash
# Installs Debian's iptables: the network-namespace system test (NetworkNamespacePartitionTest) cuts links between
# the hosts it creates with iptables rules inside each namespace. Idempotent; needs root (or sudo). Prints the path
# of iptables on its last line.
set -euo pipefail
export PATH="$PATH:/usr/sbin:/sbin"
if path=$(command -v iptables 2>/dev/null); then
    echo "$path"
    exit 0
fi
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || { echo "install-iptables: needs root or sudo" >&2; exit 1; }
    sudo_cmd=(sudo)
fi
"${sudo_cmd[@]+"${sudo_cmd[@]}"}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]+"${sudo_cmd[@]}"}" apt-get install -y -qq --no-install-recommends \
    iptables >/dev/null
command -v iptables
