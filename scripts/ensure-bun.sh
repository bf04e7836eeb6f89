#!/usr/bin/env bash
# Installs the pinned Bun from the npm registry when it is missing or another version.
# The pin lives in package.json ("packageManager": "bun@X.Y.Z").
set -euo pipefail
cd "$(dirname "$0")/.."
want=$(sed -n 's/.*"packageManager": *"bun@\([0-9.]*\)".*/\1/p' package.json)
have=$(command -v bun >/dev/null 2>&1 && bun --version || echo none)
if [ "$have" != "$want" ]; then
  echo "ensure-bun: installing bun@$want from the npm registry (found: $have)" >&2
  npm install -g --no-fund --no-audit "bun@$want" >&2
fi
