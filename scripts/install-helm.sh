#!/usr/bin/env bash
# Builds the pinned Helm v3 from its Go module (helm.sh/helm/v3, through the Go
# module proxy) into .tools/bin/helm. Skips the build when that exact version
# is already there. Needs the Go toolchain; about 2 minutes on 2 cores with empty Go caches.
set -euo pipefail
cd "$(dirname "$0")/.."
HELM_VERSION="${HELM_VERSION:-v3.21.4}"
# The default Kubernetes version of `helm template`/`helm lint`, which Helm's own
# Makefile derives from its k8s.io/client-go (v0.36.x in v3.21.4 -> 1.36).
HELM_K8S_MINOR="${HELM_K8S_MINOR:-36}"
bin="$PWD/.tools/bin/helm"
if [ -x "$bin" ] && [ "$("$bin" version --template '{{.Version}}' 2>/dev/null)" = "$HELM_VERSION" ]; then
  exit 0
fi
command -v go >/dev/null 2>&1 || { echo "install-helm: needs the Go toolchain (go) to build helm $HELM_VERSION" >&2; exit 1; }
echo "install-helm: building helm $HELM_VERSION with $(go env GOVERSION) (a few minutes on a cold cache)" >&2
start=$SECONDS
GOBIN="$PWD/.tools/bin" CGO_ENABLED=0 GOFLAGS=-buildvcs=false go install -trimpath \
  -ldflags "-s -w -X helm.sh/helm/v3/internal/version.version=$HELM_VERSION \
    -X helm.sh/helm/v3/pkg/chartutil.k8sVersionMajor=1 -X helm.sh/helm/v3/pkg/chartutil.k8sVersionMinor=$HELM_K8S_MINOR \
    -X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMajor=1 -X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMinor=$HELM_K8S_MINOR" \
  "helm.sh/helm/v3/cmd/helm@$HELM_VERSION"
echo "install-helm: $("$bin" version --short) built in $((SECONDS - start)) s" >&2
