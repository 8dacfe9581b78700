#!/usr/bin/env bash
# Installs the real python-logstash handlers (and structlog) into a private virtualenv for the
# interop tests. Idempotent: a venv that already imports both is kept.
set -euo pipefail
source "$(dirname "$0")/../lib/python.sh"
python_venv "${SLUICE_PYTHON_LOGSTASH_VENV:-$HOME/.cache/sluice-test/python-logstash-venv}" "logstash, structlog" 'python-logstash==0.4.8' 'structlog>=24,<26'
