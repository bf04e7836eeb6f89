#!/usr/bin/env bash
# Builds the pinned OpenTofu CLI from its Go module (the Go module proxy is the
# only source reachable here; no release binaries) into .tools/bin/tofu.
# Skips the build when that binary already reports the pinned version.
# OpenTofu's go.mod has a replace directive, so `go install …@version` refuses
# it; the build runs inside the downloaded module instead, with the flags of
# OpenTofu's own release build (CGO off, -trimpath, version.dev=no).
set -euo pipefail
cd "$(dirname "$0")/.."

TOFU_VERSION=1.12.6
bin_dir="$PWD/.tools/bin"
bin="$bin_dir/tofu"

# A TF_CLI_CONFIG_FILE pointing at a missing file only adds warnings; fmt needs no CLI config.
unset TF_CLI_CONFIG_FILE

if [ -x "$bin" ] && "$bin" version 2>/dev/null | grep -qx "OpenTofu v$TOFU_VERSION"; then
  exit 0
fi
if ! command -v go >/dev/null 2>&1; then
  echo "install-tofu: Go is required to build OpenTofu $TOFU_VERSION (not found on PATH)" >&2
  exit 1
fi

mkdir -p "$bin_dir"
# The folder holds only built tools: keep it out of git whatever the root .gitignore says.
[ -f "$PWD/.tools/.gitignore" ] || printf '*\n' >"$PWD/.tools/.gitignore"

echo "install-tofu: building OpenTofu v$TOFU_VERSION from the Go module proxy (about 5 minutes on 2 cores, cold cache)" >&2
start=$(date +%s)
src=$(GOFLAGS=-mod=mod go mod download -json "github.com/opentofu/opentofu@v$TOFU_VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
if [ -z "$src" ] || [ ! -d "$src" ]; then
  echo "install-tofu: could not download github.com/opentofu/opentofu@v$TOFU_VERSION" >&2
  exit 1
fi
(
  cd "$src"
  CGO_ENABLED=0 go build -mod=readonly -trimpath \
    -ldflags "-s -w -X 'github.com/opentofu/opentofu/version.dev=no'" \
    -o "$bin.tmp" ./cmd/tofu
)
mv "$bin.tmp" "$bin"
echo "install-tofu: $("$bin" version | head -1) in $(($(date +%s) - start)) s -> $bin" >&2
