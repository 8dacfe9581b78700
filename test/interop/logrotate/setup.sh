#!/usr/bin/env bash
# Installs Debian's logrotate for the file input's rotation tests (run with -f and a state file
# of the test's own; the package's cron job and timer never run here). Idempotent.
set -euo pipefail
source "$(dirname "$0")/../lib/debian.sh"
command -v logrotate >/dev/null 2>&1 || install_debian_packages logrotate
logrotate --version 2>&1 | sed -n 1p
