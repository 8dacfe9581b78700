#!/usr/bin/env bash
# Installs Prometheus from Debian for the metrics filter's test: the test runs the binary itself,
# in the foreground, with its own config and storage in a temp dir (the Debian service never starts).
# Idempotent; waits for another apt run holding the dpkg lock rather than failing.
set -euo pipefail
source "$(dirname "$0")/../lib/debian.sh"
if [ ! -x /usr/bin/prometheus ]; then
  for attempt in 1 2 3 4 5 6 7 8 9 10; do
    install_debian_packages prometheus && break
    echo "prometheus setup: apt busy or failed (attempt $attempt), retrying in 15 s" >&2
    sleep 15
  done
fi
/usr/bin/prometheus --version 2>&1 | head -1
