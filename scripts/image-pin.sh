#!/usr/bin/env bash
# Pins the Dockerfile's Bun base images by digest.
#   scripts/image-pin.sh           resolve oven/bun:<v> and oven/bun:<v>-distroless (v from
#                                  package.json's "packageManager") and write their digests into
#                                  the Dockerfile's ARG lines; needs `docker buildx` and Docker Hub
#   scripts/image-pin.sh --check   exit 1 unless both ARGs name that version with a sha256 digest
set -euo pipefail
cd "$(dirname "$0")/.."
version=$(sed -n 's/.*"packageManager": *"bun@\([0-9.]*\)".*/\1/p' package.json)
declare -A refs=([BUN_IMAGE]="oven/bun:$version" [BUN_RUNTIME_IMAGE]="oven/bun:$version-distroless")

if [ "${1:-}" = --check ]; then
  for arg in "${!refs[@]}"; do
    if ! grep -Eq "^ARG $arg=${refs[$arg]//./\\.}@sha256:[0-9a-f]{64}\$" Dockerfile; then
      echo "image-pin: Dockerfile's $arg is not ${refs[$arg]}@sha256:<digest>: run \`make image-pin\` where Docker Hub is reachable" >&2
      exit 1
    fi
  done
  exit 0
fi

. scripts/need.sh
need image-pin cmd:docker buildx
for arg in "${!refs[@]}"; do
  ref=${refs[$arg]}
  digest=$(docker buildx imagetools inspect "$ref" --format '{{ .Manifest.Digest }}')
  [[ $digest =~ ^sha256:[0-9a-f]{64}$ ]] || { echo "image-pin: no digest for $ref (got: $digest)" >&2; exit 1; }
  sed -i "s|^ARG $arg=.*|ARG $arg=$ref@$digest|" Dockerfile
  echo "image-pin: $arg=$ref@$digest"
done
