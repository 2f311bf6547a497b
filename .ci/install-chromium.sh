#!/usr/bin/env bash
# Install Debian's Chromium for the browser end-to-end test (test/e2e/), unless it is already
# there. Idempotent and quiet: prints one line when it installs, nothing when it has nothing to
# do, and the apt log only when apt fails.
set -euo pipefail

if command -v chromium >/dev/null 2>&1; then
  exit 0
fi

sudo=''
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    sudo='sudo'
  else
    echo 'install-chromium: chromium is missing and this user cannot run apt-get (not root, no sudo)' >&2
    exit 1
  fi
fi

echo 'install-chromium: installing Debian chromium for the browser test…'
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
if ! {
  $sudo apt-get update -qq &&
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium
} >"$log" 2>&1; then
  cat "$log" >&2
  echo 'install-chromium: apt-get failed (see above)' >&2
  exit 1
fi

if ! command -v chromium >/dev/null 2>&1; then
  echo 'install-chromium: apt-get succeeded but `chromium` is still not on PATH' >&2
  exit 1
fi
