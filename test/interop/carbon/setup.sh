#!/usr/bin/env bash
# Installs carbon-cache (Debian's graphite-carbon) and whisper's tools for the graphite output's
# test: the test runs carbon-cache in the foreground with its own config and storage in a temp
# dir (the Debian service never starts), then reads the whisper file back with whisper-fetch.
# Idempotent; waits for another apt run holding the dpkg lock rather than failing.
set -euo pipefail
source "$(dirname "$0")/../lib/debian.sh"
if [ ! -x /usr/bin/carbon-cache ] || ! command -v whisper-fetch >/dev/null; then
  for attempt in 1 2 3 4 5 6 7 8 9 10; do
    install_debian_packages graphite-carbon python3-whisper && break
    echo "carbon setup: apt busy or failed (attempt $attempt), retrying in 15 s" >&2
    sleep 15
  done
fi
/usr/bin/carbon-cache --help >/dev/null
command -v whisper-fetch >/dev/null || command -v whisper-fetch.py >/dev/null
