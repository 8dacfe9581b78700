#!/usr/bin/env bash
# Installs Debian's chromium for the status page test (test/e2e/status_page.test.ts drives it
# headless over its DevTools protocol) and tmux for `sluice top` under a real terminal. Idempotent.
set -euo pipefail
source "$(dirname "$0")/../lib/debian.sh"
command -v chromium >/dev/null || install_debian_packages chromium
command -v tmux >/dev/null || install_debian_packages tmux
chromium --version
