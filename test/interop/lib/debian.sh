#!/usr/bin/env bash
# Sourced by the setup.sh of the programs the tests run: installs Debian packages without
# letting their services start (policy-rc.d exit 101). test/setup.sh installs every folder's
# `debian-packages` at once before the setups run in parallel; this is for a setup.sh run alone.
# apt and dpkg take one lock: calls from setups running side by side wait for each other.
# Usage: install_debian_packages pkg...
install_debian_packages() {
  export DEBIAN_FRONTEND=noninteractive
  local missing=() pkg
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  [ "${#missing[@]}" -gt 0 ] || return 0
  (
    flock 9
    apt-get update -qq
    local own_policy=0 status=0
    if [ ! -e /usr/sbin/policy-rc.d ]; then
      printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
      own_policy=1
    fi
    apt-get install -y -qq --no-install-recommends -o DPkg::Lock::Timeout=300 "${missing[@]}" >/dev/null || status=$?
    if [ "$own_policy" = 1 ]; then rm -f /usr/sbin/policy-rc.d; fi
    exit "$status"
  ) 9>/tmp/sluice-test-apt.lock
}
