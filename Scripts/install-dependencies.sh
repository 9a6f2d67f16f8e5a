#!/usr/bin/env bash
# Installs what building needs on a Debian/Ubuntu machine with Swift 6.3: the C libraries and
# protoc-c from apt. With --tests also what the tests use: openssl and curl (test servers and
# raw requests), chromium (screenshots of the HTML waterfall) and the rotel collector (PyPI).
set -euo pipefail

apt_packages=(libprotobuf-c-dev libcurl4-openssl-dev zlib1g-dev protobuf-c-compiler pkg-config)
for_tests=false
if [ "${1:-}" = "--tests" ]; then
  for_tests=true
  apt_packages+=(openssl curl chromium)
fi

missing=()
for package in "${apt_packages[@]}"; do
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "error: missing ${missing[*]} and apt-get is not available; install them with your package manager" >&2
    exit 1
  fi
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "installing ${missing[*]}"
  $sudo apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if ! command -v swift >/dev/null 2>&1; then
  echo "error: swift not found; install Swift 6.3 (https://www.swift.org/install) and put it on PATH" >&2
  exit 1
fi

[ "$for_tests" = true ] || exit 0

if ! command -v python3 >/dev/null 2>&1; then
  echo "error: python3 not found; it is needed to install the rotel collector (apt-get install python3-pip)" >&2
  exit 1
fi
if ! python3 -c "import rotel" >/dev/null 2>&1; then
  echo "installing rotel (pip)"
  python3 -m pip install --quiet rotel || {
    echo "error: could not install rotel with pip; the tests need it (pip install rotel)" >&2
    exit 1
  }
fi
