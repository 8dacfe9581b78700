#!/usr/bin/env bash
# syslog-ng for the interop tests, from Debian, without installing it: Debian's syslog-ng
# conflicts with rsyslog (which test/interop/rsyslog/setup.sh installs), so syslog-ng-core and
# the libraries it needs that the system lacks are fetched with `apt-get download` and unpacked
# with `dpkg -x` into a private folder; the test runs it from there with its own config.
# Idempotent: a folder whose syslog-ng starts is kept.
set -euo pipefail
ROOT="${SLUICE_SYSLOG_NG_ROOT:-$HOME/.cache/sluice-test/syslog-ng}"
# Where the unpacked libraries are; the test sets the same path (see syslog_ng.test.ts).
libraries() {
  echo "$ROOT/usr/lib/x86_64-linux-gnu:$ROOT/lib/x86_64-linux-gnu:$ROOT/usr/lib/syslog-ng:$ROOT/usr/lib/$(uname -m)-linux-gnu:$ROOT/lib/$(uname -m)-linux-gnu"
}
runs() {
  [ -x "$ROOT/usr/sbin/syslog-ng" ] && LD_LIBRARY_PATH="$(libraries)" "$ROOT/usr/sbin/syslog-ng" --version >/dev/null 2>&1
}
if runs; then
  LD_LIBRARY_PATH="$(libraries)" "$ROOT/usr/sbin/syslog-ng" --version | sed -n 1p
  exit 0
fi

# Shared objects that the binary, its library and its modules cannot find.
missing() {
  local files=("$ROOT/usr/sbin/syslog-ng" "$ROOT"/usr/lib/syslog-ng/*.so* "$ROOT"/usr/lib/syslog-ng/*/*.so)
  LD_LIBRARY_PATH="$(libraries)" ldd "${files[@]}" 2>/dev/null | awk '/not found/ {print $1}' | sort -u
}

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
rm -rf "$ROOT"
mkdir -p "$ROOT"
apt-get update -qq
cd "$work"
apt-get download syslog-ng-core 2>/dev/null
dpkg -x syslog-ng-core_*.deb "$ROOT"
if [ -n "$(missing)" ]; then
  # The libraries come from syslog-ng-core's own dependencies that are not installed here.
  wanted=()
  for package in $(apt-cache depends syslog-ng-core | awk '$1 == "Depends:" && $2 !~ /^</ {print $2}' | sort -u); do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || wanted+=("$package")
  done
  echo "syslog-ng setup: $(missing | tr '\n' ' ')missing; fetching ${wanted[*]}" >&2
  apt-get download "${wanted[@]}" 2>/dev/null
  for deb in *.deb; do dpkg -x "$deb" "$ROOT"; done
fi
still="$(missing)"
if [ -n "$still" ]; then
  echo "syslog-ng setup: still missing after unpacking its dependencies: $still" >&2
  exit 1
fi
runs
LD_LIBRARY_PATH="$(libraries)" "$ROOT/usr/sbin/syslog-ng" --version | sed -n 1p
