#!/usr/bin/env bash
# Installs the real syslog senders the interop tests drive, from Debian: rsyslog (with its
# GnuTLS driver, for RFC 5425) and util-linux's `logger` (package bsdutils). Idempotent.
set -euo pipefail
missing=()
command -v rsyslogd >/dev/null 2>&1 || missing+=(rsyslog)
[ -e /usr/lib/x86_64-linux-gnu/rsyslog/lmnsd_gtls.so ] || ls /usr/lib/*/rsyslog/lmnsd_gtls.so >/dev/null 2>&1 || missing+=(rsyslog-gnutls)
command -v logger >/dev/null 2>&1 || missing+=(bsdutils)
if [ "${#missing[@]}" -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
rsyslogd -v | sed -n 1p
