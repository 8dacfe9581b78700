#!/usr/bin/env bash
# The python_syslog interop test drives the system's python3 with its standard library only
# (logging.handlers.SysLogHandler): nothing to install where python3 is present. Idempotent.
set -euo pipefail
if ! command -v python3 >/dev/null 2>&1; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3 >/dev/null
fi
python3 -c 'import logging.handlers' && python3 --version
