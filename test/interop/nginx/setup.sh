#!/usr/bin/env bash
# Installs nginx from Debian for the grok pattern tests (the access and error logs it writes
# are parsed by NGINX_ACCESS and NGINX_ERRORLOG). Idempotent; the Debian service never starts.
set -euo pipefail
source "$(dirname "$0")/../lib/debian.sh"
[ -x /usr/sbin/nginx ] || install_debian_packages nginx
/usr/sbin/nginx -v
