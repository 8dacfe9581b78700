#!/usr/bin/env bash
# Installs the real Python `statsd` client (the one django-statsd sends with) into a private
# virtualenv for the statsd input's tests. Idempotent: a venv that already imports it is kept.
set -euo pipefail
source "$(dirname "$0")/../lib/python.sh"
python_venv "${SLUICE_STATSD_CLIENT_VENV:-$HOME/.cache/sluice-test/statsd-client-venv}" "statsd" 'statsd==4.0.1'
