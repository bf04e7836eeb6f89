#!/usr/bin/env bash
# Checks the Helm chart with the real tools, offline once they are installed:
#   1. helm lint --strict, with the default values and every ci/*-values.yaml;
#   2. helm template with the same values sets;
#   3. kubeconform -strict on every rendered manifest, against the Kubernetes
#      $KUBE_VERSION schemas (unknown fields and wrong types fail) and the
#      ServiceMonitor CRD schema; a kind without a schema fails too;
#   4. the chart README is what scripts/chart-readme.ts generates from values.yaml.
# Installs helm, kubeconform and the schemas first (skipped when present).
set -euo pipefail
cd "$(dirname "$0")/.."
KUBE_VERSION="${KUBE_VERSION:-1.34.0}"
export KUBE_VERSION
chart=helm/llm-gateway
tools="$PWD/.tools"

scripts/install-helm.sh
scripts/install-kubeconform.sh
scripts/install-k8s-schemas.sh

helm="$tools/bin/helm"
schemas="$tools/k8s-schemas"
out="$tools/rendered"
rm -rf "$out" && mkdir -p "$out"

scenarios=(default "$chart"/ci/*-values.yaml)
for scenario in "${scenarios[@]}"; do
  name=$(basename "$scenario" -values.yaml)
  args=()
  [ "$scenario" = default ] || args=(--values "$scenario")
  echo "chart-check: $name: helm lint --strict"
  "$helm" lint --strict --quiet --kube-version "$KUBE_VERSION" "$chart" "${args[@]}"
  "$helm" template release-name "$chart" --namespace llm-gateway --kube-version "$KUBE_VERSION" \
    "${args[@]}" >"$out/$name.yaml"
  echo "chart-check: $name: kubeconform -strict (Kubernetes $KUBE_VERSION)"
  "$tools/bin/kubeconform" -strict -summary -kubernetes-version "$KUBE_VERSION" \
    -schema-location "$schemas/{{ .NormalizedKubernetesVersion }}-local{{ .StrictSuffix }}/{{ .ResourceKind }}{{ .KindSuffix }}.json" \
    -schema-location "$schemas/crds/{{ .Group }}/{{ .ResourceKind }}_{{ .ResourceAPIVersion }}.json" \
    "$out/$name.yaml"
done

echo "chart-check: $chart/README.md is up to date"
bun scripts/chart-readme.ts --check
