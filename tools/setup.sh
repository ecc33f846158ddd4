#!/usr/bin/env bash
# Installs every Debian package kvgate needs to build, test, fuzz and benchmark.
# Idempotent: installs only what is missing. Works as root or through sudo.
# Usage: tools/setup.sh            (all packages)
#        KVGATE_SETUP_MINIMAL=1 tools/setup.sh   (build + run only, no reference servers)
set -euo pipefail

build_pkgs=(build-essential cmake ninja-build pkg-config git
            libuv1-dev libhiredis-dev libnats-dev libxxhash-dev libssl-dev libsodium-dev
            libcrypt-dev
            catch2 nlohmann-json3-dev libcli11-dev
            liblua5.1-0-dev lua-cjson-dev lua-bitop-dev
            libssl-dev)
test_pkgs=(clang libclang-rt-14-dev clang-format clang-tidy
           redis-server redis-tools nats-server python3 procps
           python3-redis
           # tests/frameworks: real frameworks against kvgate and redis-server
           python3-celery python3-django python3-django-redis python3-rq
           ruby ruby-redis ruby-sidekiq)

pkgs=("${build_pkgs[@]}")
if [[ -z "${KVGATE_SETUP_MINIMAL:-}" ]]; then
  pkgs+=("${test_pkgs[@]}")
fi

missing=()
for p in "${pkgs[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

as_root() {
  if [[ $(id -u) -eq 0 ]]; then "$@"; else sudo "$@"; fi
}

# Debian's redis-server package starts a service on 6379 (kvgate's default Redis port).
# policy-rc.d 101 stops maintainer scripts from starting services during this install.
stop_reference_services() {
  for svc in redis-server nats-server; do
    if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet "$svc" 2>/dev/null; then
      as_root systemctl stop "$svc" || true
      as_root systemctl disable "$svc" >/dev/null 2>&1 || true
    fi
    if command -v service >/dev/null 2>&1; then
      as_root service "$svc" stop >/dev/null 2>&1 || true
    fi
  done
  # A service started outside systemd (containers): stop the packaged daemons only.
  for pidfile in /run/redis/redis-server.pid /var/run/redis/redis-server.pid; do
    if [[ -f $pidfile ]]; then as_root kill "$(cat "$pidfile")" 2>/dev/null || true; fi
  done
}

if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  policy=/usr/sbin/policy-rc.d
  created_policy=0
  if [[ ! -e $policy ]]; then
    printf '#!/bin/sh\nexit 101\n' | as_root tee "$policy" >/dev/null
    as_root chmod +x "$policy"
    created_policy=1
  fi
  export DEBIAN_FRONTEND=noninteractive
  as_root apt-get update -qq || true
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
  if ((created_policy)); then as_root rm -f "$policy"; fi
else
  echo "setup: all packages present"
fi
stop_reference_services

# tests/frameworks/node: the npm frameworks (bull, bullmq, redlock) at package-lock.json's versions.
# The image's nodejs brings npm; a machine without node gets Debian's nodejs and npm.
if [[ -z "${KVGATE_SETUP_MINIMAL:-}" ]]; then
  if ! command -v npm >/dev/null 2>&1; then
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      nodejs npm
  fi
  node_dir="$(dirname "$0")/../tests/frameworks/node"
  if [[ ! -f $node_dir/node_modules/.package-lock.json ||
        $node_dir/package-lock.json -nt $node_dir/node_modules/.package-lock.json ]]; then
    echo "setup: npm ci in tests/frameworks/node"
    (cd "$node_dir" && npm ci --no-audit --no-fund --loglevel=error)
  fi
fi
