#!/usr/bin/env bash
# Installs the build, test and benchmark dependencies from Debian packages.
# Idempotent; skips apt entirely when everything is already present.
set -euo pipefail
packages=(build-essential cmake pkg-config libcpp-httplib-dev libsimdjson-dev libsqlite3-dev
          libssl-dev libcrypt-dev libargon2-dev argon2 doctest-dev nodejs npm apache2-utils whois nginx-light openssl sqlite3
          libsystemd-dev prometheus-cpp-dev python3 clang libclang-rt-14-dev
          postgresql postgresql-contrib libpq-dev)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# Node may come from outside Debian (e.g. a preinstalled toolchain); accept it.
if command -v node >/dev/null && command -v npm >/dev/null; then
  filtered=()
  for p in "${missing[@]}"; do [[ "$p" == nodejs || "$p" == npm ]] || filtered+=("$p"); done
  missing=("${filtered[@]}")
fi
if ((${#missing[@]})); then
  SUDO=""; [[ $(id -u) -eq 0 ]] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}"
fi
