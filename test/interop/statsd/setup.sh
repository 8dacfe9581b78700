#!/usr/bin/env bash
# Installs Etsy's statsd daemon from npm into a private folder, for the statsd output's test
# (which runs it in the foreground with its graphite backend pointed at a socket of the test).
# Idempotent.
set -euo pipefail
DIR="${SLUICE_STATSD_DIR:-$HOME/.cache/sluice-test/statsd}"
if [ -f "$DIR/node_modules/statsd/stats.js" ]; then
  exit 0
fi
mkdir -p "$DIR"
cd "$DIR"
[ -f package.json ] || echo '{"name":"sluice-statsd-test","private":true}' > package.json
npm install --no-audit --no-fund --silent statsd@0.9.0
test -f node_modules/statsd/stats.js
