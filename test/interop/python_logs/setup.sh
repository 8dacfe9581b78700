#!/usr/bin/env bash
# Installs gunicorn, Celery and Django from PyPI into a private virtualenv, for the grok
# pattern tests on the lines they write (access log, worker log, runserver). Idempotent.
set -euo pipefail
VENV="${SLUICE_PYTHON_LOGS_VENV:-$HOME/.cache/sluice-test/python-logs-venv}"
if [ -x "$VENV/bin/python" ] && "$VENV/bin/python" -c 'import gunicorn, celery, django' 2>/dev/null; then
  exit 0
fi
if ! python3 -m venv --help >/dev/null 2>&1 || ! python3 -c 'import ensurepip' >/dev/null 2>&1; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3-venv >/dev/null
fi
rm -rf "$VENV"
python3 -m venv "$VENV"
"$VENV/bin/pip" install --quiet --disable-pip-version-check 'gunicorn>=22,<24' 'celery>=5.3,<5.6' 'django>=4.2,<5.3'
"$VENV/bin/python" -c 'import gunicorn, celery, django'
