#!/usr/bin/env bash
# Installs the real clients the interop tests drive, once; fast when they are present.
# Called by `npm test` (pretest). Each part is idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
for script in test/interop/*/setup.sh; do
  [ -f "$script" ] || continue
  echo "test setup: $script" >&2
  bash "$script"
done
