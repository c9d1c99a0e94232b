#!/bin/sh
# Installs Debian's Chromium for the sample app's browser test (BrowserFlowTests / e2e.mjs).
# Idempotent: exits 0 at once when /usr/bin/chromium is already there; runs apt-get update only
# when the package is not known to apt yet (or the first install attempt fails). Needs root or
# sudo. Playwright's own browser download is never used: e2e.mjs runs /usr/bin/chromium.
#
#   sample-app/src/test/browser/install-chromium.sh
set -eu

if [ -x /usr/bin/chromium ]; then
    echo "chromium already installed: $(/usr/bin/chromium --version 2>/dev/null || echo /usr/bin/chromium)"
    exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
    SUDO=""
elif command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
else
    echo "install-chromium.sh: must run as root (or with sudo available)" >&2
    exit 1
fi

export DEBIAN_FRONTEND=noninteractive
install() {
    $SUDO apt-get install -y --no-install-recommends chromium
}

if apt-cache policy chromium 2>/dev/null | grep -q 'Candidate: [0-9]'; then
    install || { $SUDO apt-get update && install; }
else
    $SUDO apt-get update
    install
fi

/usr/bin/chromium --version
