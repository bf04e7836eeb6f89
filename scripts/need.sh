# Sourced by the deploy scripts: prerequisite checks that stop with one line
# naming the missing tool or variable, instead of a cascade of errors.
#   need <target> cmd:docker var:AWS_REGION docker-engine compose buildx kube-context
need() {
  local target=$1 req name
  shift
  for req in "$@"; do
    case $req in
      cmd:*)
        name=${req#cmd:}
        command -v "$name" >/dev/null 2>&1 || { echo "$target: needs $name (not found on PATH)" >&2; exit 1; } ;;
      var:*)
        name=${req#var:}
        [ -n "${!name:-}" ] || { echo "$target: needs the variable $name (e.g. make $target $name=…)" >&2; exit 1; } ;;
      docker-engine)
        docker info >/dev/null 2>&1 || { echo "$target: needs a running Docker engine (docker info failed)" >&2; exit 1; } ;;
      compose)
        docker compose version >/dev/null 2>&1 || { echo "$target: needs the Docker Compose plugin (docker compose)" >&2; exit 1; } ;;
      kube-context)
        kubectl config current-context >/dev/null 2>&1 || { echo "$target: needs a kubectl context (e.g. aws eks update-kubeconfig --name <cluster>)" >&2; exit 1; } ;;
      buildx)
        docker buildx version >/dev/null 2>&1 || { echo "$target: needs docker buildx" >&2; exit 1; } ;;
      *) echo "need: unknown requirement $req" >&2; exit 2 ;;
    esac
  done
}
