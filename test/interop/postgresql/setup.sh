#!/usr/bin/env bash
# Installs PostgreSQL from Debian for the grok pattern tests (a throw-away cluster in a temp
# dir writes its log to stderr, parsed by POSTGRESQL). Idempotent: an installed server is kept.
set -euo pipefail
source "$(dirname "$0")/../lib/debian.sh"
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || install_debian_packages postgresql
command -v runuser >/dev/null 2>&1 || install_debian_packages util-linux
ls /usr/lib/postgresql/*/bin/initdb | sed -n 1p
