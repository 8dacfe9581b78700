#!/usr/bin/env bash
# Installs the real programs the interop tests drive, once; fast when they are present.
# Called by `npm test` (pretest). First every folder's `debian-packages` in one apt-get call
# (one update, one install), then every test/interop/*/setup.sh side by side, each logging to
# its own file; a failed one prints its log and fails the setup. Each part is idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
source test/interop/lib/debian.sh

packages=()
for list in test/interop/*/debian-packages; do
  [ -f "$list" ] || continue
  while read -r pkg; do [ -n "$pkg" ] && packages+=("$pkg"); done < "$list"
done
if [ "${#packages[@]}" -gt 0 ]; then
  started=$SECONDS
  install_debian_packages $(printf '%s\n' "${packages[@]}" | sort -u)
  echo "test setup: Debian packages ready ($((SECONDS - started)) s)" >&2
fi

logs="$(mktemp -d)"
pids=()
names=()
for script in test/interop/*/setup.sh; do
  [ -f "$script" ] || continue
  name="$(basename "$(dirname "$script")")"
  ( started=$SECONDS; bash "$script" > "$logs/$name.log" 2>&1 || exit 1; echo "test setup: $name ready ($((SECONDS - started)) s)" >&2 ) &
  pids+=($!)
  names+=("$name")
done
failed=0
for i in "${!pids[@]}"; do
  if ! wait "${pids[$i]}"; then
    echo "test setup: ${names[$i]} failed:" >&2
    cat "$logs/${names[$i]}.log" >&2
    failed=1
  fi
done
rm -rf "$logs"
exit "$failed"
