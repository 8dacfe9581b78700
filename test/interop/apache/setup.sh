#!/usr/bin/env bash
# Installs Apache httpd from Debian for the grok pattern tests (its access and error logs are
# parsed by the HTTPD_* patterns). Idempotent; the Debian service never starts.
set -euo pipefail
source "$(dirname "$0")/../lib/debian.sh"
[ -x /usr/sbin/apache2 ] || install_debian_packages apache2
/usr/sbin/apache2 -v | sed -n 1p
