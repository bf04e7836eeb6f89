#!/usr/bin/env bash
# Builds the pinned kubeconform from its Go module (github.com/yannh/kubeconform)
# into .tools/bin/kubeconform. Skips the build when that version is already there.
set -euo pipefail
cd "$(dirname "$0")/.."
KUBECONFORM_VERSION="${KUBECONFORM_VERSION:-v0.8.0}"
bin="$PWD/.tools/bin/kubeconform"
stamp="$PWD/.tools/bin/.kubeconform-version"
if [ -x "$bin" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$KUBECONFORM_VERSION" ]; then
  exit 0
fi
command -v go >/dev/null 2>&1 || { echo "install-kubeconform: needs the Go toolchain (go) to build kubeconform $KUBECONFORM_VERSION" >&2; exit 1; }
echo "install-kubeconform: building kubeconform $KUBECONFORM_VERSION with $(go env GOVERSION)" >&2
start=$SECONDS
# kubeconform's own -v prints "development" for `go install` builds, hence the stamp file.
GOBIN="$PWD/.tools/bin" CGO_ENABLED=0 GOFLAGS=-buildvcs=false go install -trimpath -ldflags "-s -w" \
  "github.com/yannh/kubeconform/cmd/kubeconform@$KUBECONFORM_VERSION"
echo "$KUBECONFORM_VERSION" > "$stamp"
echo "install-kubeconform: built in $((SECONDS - start)) s" >&2
