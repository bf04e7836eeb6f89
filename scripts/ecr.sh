#!/usr/bin/env bash
# Amazon ECR: the gateway image and its harness image (for `helm test`).
#   scripts/ecr.sh login        docker login to the account's ECR registry
#   scripts/ecr.sh build-push   build both images for $PLATFORM and push them as $ECR_REPOSITORY:$IMAGE_TAG
#                               and $HARNESS_REPOSITORY:$IMAGE_TAG (with SBOM and provenance)
#   scripts/ecr.sh verify       show both images' digests and scan status, and how to deploy that digest
# Needs AWS_REGION; ECR_REPOSITORY (llm-gateway/gateway), HARNESS_REPOSITORY
# (llm-gateway/harness), IMAGE_TAG (the git commit) and PLATFORM (linux/amd64)
# have defaults. The repositories come from terraform/ecr (tags are immutable there).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/need.sh

ECR_REPOSITORY=${ECR_REPOSITORY:-llm-gateway/gateway}
HARNESS_REPOSITORY=${HARNESS_REPOSITORY:-llm-gateway/harness}
IMAGE_TAG=${IMAGE_TAG:-$(git rev-parse --short HEAD 2>/dev/null || echo dev)}
PLATFORM=${PLATFORM:-linux/amd64}

registry() {
  local account
  account=$(aws sts get-caller-identity --query Account --output text) || { echo "$1: aws sts get-caller-identity failed: configure AWS credentials" >&2; exit 1; }
  echo "$account.dkr.ecr.$AWS_REGION.amazonaws.com"
}

case ${1:-} in
  login)
    need ecr-login cmd:aws cmd:docker var:AWS_REGION docker-engine
    host=$(registry ecr-login)
    aws ecr get-login-password --region "$AWS_REGION" | docker login --username AWS --password-stdin "$host"
    ;;
  build-push)
    need ecr-build-push cmd:aws cmd:docker var:AWS_REGION docker-engine buildx
    scripts/image-pin.sh --check
    host=$(registry ecr-build-push)
    for pair in "gateway=$ECR_REPOSITORY" "harness=$HARNESS_REPOSITORY"; do
      target=${pair%%=*}
      ref="$host/${pair#*=}:$IMAGE_TAG"
      echo "ecr-build-push: $ref ($PLATFORM)"
      docker buildx build --platform "$PLATFORM" --target "$target" --tag "$ref" \
        --sbom=true --provenance=mode=max --push .
    done
    echo "ecr-build-push: pushed; make ecr-verify shows the digests"
    ;;
  verify)
    need ecr-verify cmd:aws var:AWS_REGION
    for repository in "$ECR_REPOSITORY" "$HARNESS_REPOSITORY"; do
      aws ecr describe-images --region "$AWS_REGION" --repository-name "$repository" --image-ids "imageTag=$IMAGE_TAG" \
        --query 'imageDetails[].[repositoryName, imageTags[0], imageDigest, imagePushedAt, imageScanStatus.status]' --output table
    done
    digest=$(aws ecr describe-images --region "$AWS_REGION" --repository-name "$ECR_REPOSITORY" \
      --image-ids "imageTag=$IMAGE_TAG" --query 'imageDetails[0].imageDigest' --output text)
    echo "ecr-verify: deploy this exact image with: make eks-apply IMAGE_TAG=$IMAGE_TAG IMAGE_DIGEST=$digest"
    ;;
  *)
    echo "usage: scripts/ecr.sh login|build-push|verify" >&2
    exit 2
    ;;
esac
