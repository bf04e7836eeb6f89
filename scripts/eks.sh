#!/usr/bin/env bash
# The Helm release on EKS (or any cluster kubectl points at).
#   scripts/eks.sh apply              helm upgrade --install helm/llm-gateway into $NAMESPACE as $RELEASE
#   scripts/eks.sh port-forward       localhost:4000 -> the gateway, localhost:3000 -> Open WebUI (when deployed)
#   scripts/eks.sh secrets-populate   create or update the Secret $SECRET_NAME from environment variables
# NAMESPACE and RELEASE default to llm-gateway. apply takes VALUES (a values
# file), IMAGE_REPOSITORY (else <account>.dkr.ecr.$AWS_REGION.amazonaws.com/$ECR_REPOSITORY),
# IMAGE_TAG (the git commit) and IMAGE_DIGEST (optional, from make ecr-verify).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/need.sh

NAMESPACE=${NAMESPACE:-llm-gateway}
RELEASE=${RELEASE:-llm-gateway}
SECRET_NAME=${SECRET_NAME:-llm-gateway-keys}
ECR_REPOSITORY=${ECR_REPOSITORY:-llm-gateway/gateway}
IMAGE_TAG=${IMAGE_TAG:-$(git rev-parse --short HEAD 2>/dev/null || echo dev)}
# The Helm that CI builds (make chart-check), else the one on PATH.
HELM=${HELM:-$([ -x .tools/bin/helm ] && echo .tools/bin/helm || echo helm)}

case ${1:-} in
  apply)
    need eks-apply cmd:kubectl "cmd:$HELM" kube-context
    if [ -z "${IMAGE_REPOSITORY:-}" ]; then
      need eks-apply cmd:aws var:AWS_REGION
      account=$(aws sts get-caller-identity --query Account --output text) || { echo "eks-apply: aws sts get-caller-identity failed: configure AWS credentials or set IMAGE_REPOSITORY" >&2; exit 1; }
      IMAGE_REPOSITORY="$account.dkr.ecr.$AWS_REGION.amazonaws.com/$ECR_REPOSITORY"
    fi
    kubectl get namespace "$NAMESPACE" >/dev/null 2>&1 || kubectl create namespace "$NAMESPACE"
    # Every pod of the chart meets the restricted Pod Security Standard: enforce it.
    kubectl label namespace "$NAMESPACE" pod-security.kubernetes.io/enforce=restricted --overwrite >/dev/null
    args=(upgrade --install "$RELEASE" helm/llm-gateway --namespace "$NAMESPACE"
      --set-string "image.repository=$IMAGE_REPOSITORY" --set-string "image.tag=$IMAGE_TAG"
      --atomic --wait --timeout 10m)
    [ -z "${IMAGE_DIGEST:-}" ] || args+=(--set-string "image.digest=$IMAGE_DIGEST")
    [ -z "${VALUES:-}" ] || args+=(--values "$VALUES")
    "$HELM" "${args[@]}"
    ;;
  port-forward)
    need eks-port-forward cmd:kubectl kube-context
    selector="app.kubernetes.io/instance=$RELEASE,app.kubernetes.io/component"
    gateway=$(kubectl -n "$NAMESPACE" get service -l "$selector=gateway" -o name | head -1)
    [ -n "$gateway" ] || { echo "eks-port-forward: no gateway Service for release $RELEASE in namespace $NAMESPACE (make eks-apply)" >&2; exit 1; }
    webui=$(kubectl -n "$NAMESPACE" get service -l "$selector=open-webui" -o name | head -1)
    trap 'kill $(jobs -p) 2>/dev/null' EXIT
    kubectl -n "$NAMESPACE" port-forward "$gateway" "${GATEWAY_PORT:-4000}:http" &
    echo "eks-port-forward: gateway on http://127.0.0.1:${GATEWAY_PORT:-4000} (make test-all runs the harness against it)"
    if [ -n "$webui" ]; then
      kubectl -n "$NAMESPACE" port-forward "$webui" "${WEBUI_PORT:-3000}:http" &
      echo "eks-port-forward: Open WebUI on http://127.0.0.1:${WEBUI_PORT:-3000}"
    fi
    wait
    ;;
  secrets-populate)
    need eks-secrets-populate cmd:kubectl var:LITELLM_MASTER_KEY kube-context
    # Provider keys, Redis and PostgreSQL URLs that are set in the environment go in too;
    # SECRET_KEYS adds more names. Values travel in a mode-600 temporary file, never on a command line.
    tmp=$(mktemp)
    trap 'rm -f "$tmp"' EXIT
    chmod 600 "$tmp"
    stored=()
    for name in LITELLM_MASTER_KEY PERPLEXITY_API_KEY OPENAI_API_KEY REDIS_URL DATABASE_URL ${SECRET_KEYS:-}; do
      [ -n "${!name:-}" ] || continue
      printf '%s=%s\n' "$name" "${!name}" >>"$tmp"
      stored+=("$name")
    done
    kubectl get namespace "$NAMESPACE" >/dev/null 2>&1 || kubectl create namespace "$NAMESPACE"
    kubectl -n "$NAMESPACE" create secret generic "$SECRET_NAME" --from-env-file="$tmp" --dry-run=client -o yaml | kubectl apply -f -
    echo "eks-secrets-populate: $NAMESPACE/$SECRET_NAME holds ${stored[*]}; deploy with --set secrets.existingSecret=$SECRET_NAME"
    ;;
  *)
    echo "usage: scripts/eks.sh apply|port-forward|secrets-populate" >&2
    exit 2
    ;;
esac
