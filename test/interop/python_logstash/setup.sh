#!/usr/bin/env bash
# Installs the real python-logstash handlers (and structlog) into a private virtualenv for the
# interop tests. Idempotent: a venv that already imports both is kept.
set -euo pipefail
VENV="${SLUICE_PYTHON_LOGSTASH_VENV:-$HOME/.cache/sluice-test/python-logstash-venv}"
if [ -x "$VENV/bin/python" ] && "$VENV/bin/python" -c 'import logstash, structlog' 2>/dev/null; then
  exit 0
fi
if ! python3 -m venv --help >/dev/null 2>&1 || ! python3 -c 'import ensurepip' >/dev/null 2>&1; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3-venv >/dev/null
fi
rm -rf "$VENV"
python3 -m venv "$VENV"
"$VENV/bin/pip" install --quiet --disable-pip-version-check 'python-logstash==0.4.8' 'structlog>=24,<26'
"$VENV/bin/python" -c 'import logstash, structlog'
