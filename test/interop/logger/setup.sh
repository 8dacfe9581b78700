#!/usr/bin/env bash
# util-linux's logger (Debian package bsdutils), the syslog sender whose RFC 3164 and RFC 5424
# lines the grok tests parse with SYSLOGLINE and SYSLOG5424LINE. Idempotent.
set -euo pipefail
source "$(dirname "$0")/../lib/debian.sh"
command -v logger >/dev/null 2>&1 || install_debian_packages bsdutils
logger --version | sed -n 1p
