#!/usr/bin/env bash
# Sourced by the setup.sh of the programs the grok tests run: installs Debian packages
# without letting their services start (policy-rc.d exit 101), once.
# Usage: install_debian_packages pkg...
install_debian_packages() {
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  local own_policy=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
    own_policy=1
  fi
  local status=0
  apt-get install -y -qq --no-install-recommends "$@" >/dev/null || status=$?
  if [ "$own_policy" = 1 ]; then rm -f /usr/sbin/policy-rc.d; fi
  return "$status"
}
