#!/usr/bin/env bash
# Puts the JSON schemas kubeconform validates the chart against under
# .tools/k8s-schemas, offline afterwards:
#
# - Kubernetes $KUBE_VERSION (strict: unknown fields are errors): from the PyPI
#   package kubernetes-validate (pinned version and sha256), which ships the
#   schemas generated from each Kubernetes release's OpenAPI spec. Its files
#   point at "https://kubernetes.io/api/_definitions.json"; we rewrite that to
#   the local _definitions.json so nothing is fetched at validation time.
# - The ServiceMonitor CRD (monitoring.coreos.com/v1): from the Go module
#   github.com/prometheus-operator/prometheus-operator (pinned), converted from
#   the CRD's openAPIV3Schema with additionalProperties: false added wherever
#   the CRD lists properties and does not allow unknown fields.
#
# Skips all of it when the stamp file already names these pins.
set -euo pipefail
cd "$(dirname "$0")/.."
KUBE_VERSION="${KUBE_VERSION:-1.34.0}"
KV_VERSION=1.37.0
KV_SHA256=85136d018a27b50ec7fc049d902bfa5193f5976807e6c0f408e3ab6fe078cad9
PROM_OPERATOR_VERSION=v0.85.0
out="$PWD/.tools/k8s-schemas"
stamp="$out/.stamp"
want="kubernetes-validate==$KV_VERSION k8s=$KUBE_VERSION prometheus-operator@$PROM_OPERATOR_VERSION"
if [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
  exit 0
fi
command -v python3 >/dev/null 2>&1 || { echo "install-k8s-schemas: needs python3 (with pip)" >&2; exit 1; }
command -v go >/dev/null 2>&1 || { echo "install-k8s-schemas: needs the Go toolchain (go) for the prometheus-operator module" >&2; exit 1; }

cache="$PWD/.tools/cache"
mkdir -p "$cache" "$out"
wheel="$cache/kubernetes_validate-$KV_VERSION-py3-none-any.whl"
if [ ! -f "$wheel" ]; then
  echo "install-k8s-schemas: pip download kubernetes-validate==$KV_VERSION" >&2
  python3 -m pip download --quiet --no-deps --only-binary=:all: --dest "$cache" "kubernetes-validate==$KV_VERSION" >&2
fi
echo "$KV_SHA256  $wheel" | sha256sum --check --quiet - || { echo "install-k8s-schemas: $wheel does not match the pinned sha256" >&2; rm -f "$wheel"; exit 1; }

crd_dir=$(GOFLAGS=-mod=mod go mod download -json "github.com/prometheus-operator/prometheus-operator@$PROM_OPERATOR_VERSION" |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["Dir"])')
crd="$crd_dir/jsonnet/prometheus-operator/servicemonitors-crd.json"
[ -f "$crd" ] || { echo "install-k8s-schemas: $crd is missing from the module" >&2; exit 1; }

rm -rf "$out/v$KUBE_VERSION-local-strict" "$out/crds"
python3 - "$wheel" "$KUBE_VERSION" "$out" "$crd" <<'PY'
import json, os, sys, zipfile

wheel, kube_version, out, crd_path = sys.argv[1:]
prefix = f"kubernetes_validate/kubernetes-json-schema/v{kube_version}-local-strict/"
target = os.path.join(out, f"v{kube_version}-local-strict")
os.makedirs(target)
count = 0
with zipfile.ZipFile(wheel) as z:
    names = [n for n in z.namelist() if n.startswith(prefix) and n.endswith(".json")]
    if not names:
        sys.exit(f"install-k8s-schemas: the wheel has no schemas for Kubernetes {kube_version}")
    for name in names:
        text = z.read(name).decode()
        text = text.replace('"/api/_definitions.json#', '"_definitions.json#')
        doc = json.loads(text)
        doc.pop("$id", None)  # resolve references against the local file, never kubernetes.io
        with open(os.path.join(target, name[len(prefix):]), "w") as f:
            json.dump(doc, f)
        count += 1

def strict(node):
    """additionalProperties: false on every object that lists its properties."""
    if isinstance(node, dict):
        if ("properties" in node and "additionalProperties" not in node
                and not node.get("x-kubernetes-preserve-unknown-fields")):
            node["additionalProperties"] = False
        for value in node.values():
            strict(value)
    elif isinstance(node, list):
        for value in node:
            strict(value)
    return node

with open(crd_path) as f:
    crd = json.load(f)
group = crd["spec"]["group"]
kind = crd["spec"]["names"]["kind"].lower()
os.makedirs(os.path.join(out, "crds", group))
for version in crd["spec"]["versions"]:
    schema = strict(version["schema"]["openAPIV3Schema"])
    with open(os.path.join(out, "crds", group, f"{kind}_{version['name']}.json"), "w") as f:
        json.dump(schema, f)
print(f"install-k8s-schemas: {count} Kubernetes {kube_version} schemas, {group} {kind} CRD", file=sys.stderr)
PY
echo "$want" > "$stamp"
