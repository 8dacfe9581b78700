#!/usr/bin/env bash
# Installs the real Python `statsd` client (the one django-statsd sends with) into a private
# virtualenv for the statsd input's tests. Idempotent: a venv that already imports it is kept.
set -euo pipefail
VENV="${SLUICE_STATSD_CLIENT_VENV:-$HOME/.cache/sluice-test/statsd-client-venv}"
if [ -x "$VENV/bin/python" ] && "$VENV/bin/python" -c 'import statsd' 2>/dev/null; then
  exit 0
fi
if ! python3 -m venv --help >/dev/null 2>&1 || ! python3 -c 'import ensurepip' >/dev/null 2>&1; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3-venv >/dev/null
fi
rm -rf "$VENV"
python3 -m venv "$VENV"
"$VENV/bin/pip" install --quiet --disable-pip-version-check 'statsd==4.0.1'
"$VENV/bin/python" -c 'import statsd'
