#!/usr/bin/env bash
# Installs gunicorn, Celery and Django from PyPI into a private virtualenv, for the grok
# pattern tests on the lines they write (access log, worker log, runserver). Idempotent.
set -euo pipefail
source "$(dirname "$0")/../lib/python.sh"
python_venv "${SLUICE_PYTHON_LOGS_VENV:-$HOME/.cache/sluice-test/python-logs-venv}" "gunicorn, celery, django" 'gunicorn>=22,<24' 'celery>=5.3,<5.6' 'django>=4.2,<5.3'
