#!/usr/bin/env bash
# Installs Debian's docker-compose (v1, Python) for test/deploy.test.ts: `docker-compose config`
# parses and checks both compose files (no Docker engine needed for that). Idempotent.
set -euo pipefail
source "$(dirname "$0")/../lib/debian.sh"
command -v docker-compose >/dev/null || install_debian_packages docker-compose
docker-compose version --short
