#!/usr/bin/env bash
# Installs HAProxy from Debian for the grok pattern tests (its HTTP and TCP log lines, sent to
# a UDP socket the test opens, are parsed by HAPROXYHTTP and HAPROXYTCP). Idempotent.
set -euo pipefail
source "$(dirname "$0")/../lib/debian.sh"
[ -x /usr/sbin/haproxy ] || install_debian_packages haproxy
/usr/sbin/haproxy -v | sed -n 1p
