#!/usr/bin/env bash
# Sourced by the setup.sh of the Python clients the tests drive: a private virtualenv holding
# the given PyPI packages, kept while it still imports the given modules.
# Usage: python_venv VENV "mod1, mod2" 'pkg==1.0' 'other>=2'
source "$(dirname "${BASH_SOURCE[0]}")/debian.sh"
python_venv() {
  local venv="$1" modules="$2"
  shift 2
  if [ -x "$venv/bin/python" ] && "$venv/bin/python" -c "import $modules" 2>/dev/null; then
    return 0
  fi
  if ! python3 -m venv --help >/dev/null 2>&1 || ! python3 -c 'import ensurepip' >/dev/null 2>&1; then
    install_debian_packages python3-venv
  fi
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "$@"
  "$venv/bin/python" -c "import $modules"
}
