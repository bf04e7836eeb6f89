# llm-gateway: `make help` lists the targets.
SHELL := /usr/bin/env bash
.DEFAULT_GOAL := help
PORT ?= 4000

.PHONY: help setup run test typecheck unit services services-stop

help: ## List the targets
	@grep -hE '^[a-zA-Z0-9_-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-22s %s\n", $$1, $$2}'

setup: ## Install the pinned Bun (from npm) and the workspace dependencies (frozen lockfile)
	@./scripts/ensure-bun.sh
	@bun install --frozen-lockfile

run: setup ## Run the gateway on :4000 with the embedded default config (CONFIG=path to use another)
	BUN_CONFIG_MAX_HTTP_REQUESTS=$${BUN_CONFIG_MAX_HTTP_REQUESTS:-4096} bun gateway/src/main.ts --port $(PORT) $(if $(CONFIG),--config $(CONFIG),)

typecheck: setup ## Type-check the whole workspace (strict tsc)
	bunx tsc --noEmit -p tsconfig.json

services: ## Start the throwaway PostgreSQL and Redis the tests use (installs them with apt-get when missing)
	@bash scripts/services.sh start

services-stop: ## Stop the test PostgreSQL and Redis
	@bash scripts/services.sh stop

unit: setup services ## Run the test suite only (with the test services)
	. .tmp/services.env && bun test

test: setup terraform-fmt-check chart-check typecheck unit ## Install everything needed and run the whole suite (what CI runs)

# Conformance harness (harness/): runs against ENDPOINT with the key in LITELLM_MASTER_KEY.
# HARNESS_ARGS adds flags, e.g. HARNESS_ARGS="--models nova-micro --report junit --out harness.xml".
ENDPOINT ?= http://localhost:4000
HARNESS = bun harness/src/cli.ts --endpoint $(ENDPOINT) $(HARNESS_ARGS)

.PHONY: test-health test-models test-guardrails test-production test-all

test-health: setup ## Conformance: health suite against ENDPOINT (default http://localhost:4000)
	$(HARNESS) --suite health

test-models: setup ## Conformance: every model answers, streamed and not, with valid shapes
	$(HARNESS) --suite models

test-guardrails: setup ## Conformance: the six guardrail checks per model (GUARDRAIL_POLICY=file to use your policy)
	$(HARNESS) --suite guardrails $(if $(GUARDRAIL_POLICY),--guardrail-policy $(GUARDRAIL_POLICY),)

test-production: setup ## Conformance: auth, error envelopes, limits, leaks, TLS, banners
	$(HARNESS) --suite production

test-all: setup ## Conformance: every suite against ENDPOINT
	$(HARNESS) --suite all $(if $(GUARDRAIL_POLICY),--guardrail-policy $(GUARDRAIL_POLICY),)

# --- load benchmark (load/README.md) -----------------------------------------
LOAD_ARGS ?=
LOAD_PEERS_DIR ?= $(HOME)/.cache/llm-gateway-load/peers
LOAD_MOCK_PORT ?= 18080

.PHONY: load load-peers load-smoke

load: setup ## Benchmark the gateway: every scenario, 15 s warm-up + 10 s x 3 interleaved rounds, about 18 min (LOAD_ARGS=... for more flags)
	bun run load $(LOAD_ARGS)

load-peers: setup ## Install Portkey and LiteLLM (cached), then compare them with the gateway and the Bun floor
	LOAD_PEERS_DIR=$(LOAD_PEERS_DIR) MOCK_PORT=$(LOAD_MOCK_PORT) bash load/scripts/peers.sh
	bun run load --targets $(LOAD_PEERS_DIR)/targets.json --mock-port $(LOAD_MOCK_PORT) --scenario chat,stream,throughput $(LOAD_ARGS)

load-smoke: setup ## A few seconds of one scenario end to end (what CI runs as load/test/smoke.test.ts)
	bun test load/test/smoke.test.ts

# --- Infrastructure (terraform/, README "Infrastructure (Terraform)") and ops tools (ops/) ---
# The ops targets call AWS with the usual SDK environment: AWS_REGION, AWS_PROFILE
# (or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY), and EKS_CLUSTER (default llm-gateway).
TOFU = env -u TF_CLI_CONFIG_FILE .tools/bin/tofu
OPS = bun ops/src/cli.ts

.PHONY: tofu terraform-fmt terraform-fmt-check terraform-check eks-list-ips eks-allow-ip eks-revoke-ip aws-costs iam-report eks-verify-cloudflare-dns

tofu: ## Build the pinned OpenTofu CLI into .tools/bin from the Go module proxy (skipped when already built)
	@./scripts/install-tofu.sh

terraform-fmt: tofu ## Rewrite terraform/ in canonical style (tofu fmt)
	$(TOFU) fmt -recursive terraform/

terraform-fmt-check: setup tofu ## tofu fmt -check on every Terraform file (the static tests run in `make unit`)
	$(TOFU) fmt -check -recursive -diff terraform/

terraform-check: terraform-fmt-check ## tofu fmt -check, then the static tests over the parsed configuration and the ops tools
	bun test terraform ops

eks-list-ips: setup ## List the sources the ALB security groups (isp, cloudflare) admit
	@$(OPS) eks-list-ips

eks-allow-ip: setup ## Admit a source on the ALB: IP=203.0.113.7 (or a CIDR) SG=isp|cloudflare DESC="who and why"
	@$(OPS) eks-allow-ip --ip "$$IP" --sg "$$SG" --desc "$$DESC"

eks-revoke-ip: setup ## Remove a source from the ALB: IP=… SG=isp|cloudflare (FORCE=1 for a Terraform-managed rule)
	@$(OPS) eks-revoke-ip --ip "$$IP" --sg "$$SG" $(if $(FORCE),--force,)

aws-costs: setup ## AWS spend: month to date by service and by day, previous month by service (TAG=Project=llm-gateway to filter)
	@$(OPS) aws-costs $(if $(TAG),--tag "$$TAG",)

iam-report: setup ## IAM roles of the cluster: IRSA role -> ServiceAccount mapping, policies, wildcards, node roles
	@$(OPS) iam-report

eks-verify-cloudflare-dns: setup ## Check HOST=… is proxied by Cloudflare and the ALB admits only Cloudflare (ORIGIN=alb-dns-name, CLOUDFLARE_API_TOKEN optional)
	@$(OPS) eks-verify-cloudflare-dns --host "$$HOST" $(if $(ORIGIN),--origin "$$ORIGIN",)

# --- Deployment: Docker Compose locally, images in ECR, the Helm chart on EKS (README "Deployment") ---
# Each target names the tool or variable it lacks in one line. Variables:
# LOCAL_PROFILES=redis,postgres (local-*); AWS_REGION, ECR_REPOSITORY, HARNESS_REPOSITORY, IMAGE_TAG, PLATFORM (ecr-*);
# NAMESPACE, RELEASE, VALUES, IMAGE_REPOSITORY, IMAGE_DIGEST, SECRET_NAME (eks-*).

.PHONY: local-deploy local-status local-destroy local-port-forward validate-setup test-litellm-models \
	ecr-login ecr-build-push ecr-verify eks-apply eks-port-forward eks-secrets-populate chart-check chart-docs image-pin

local-deploy: ## Build the image and start the gateway + Open WebUI with Docker Compose (LOCAL_PROFILES=redis,postgres adds those)
	@scripts/local.sh deploy

local-status: ## Show the local services and the gateway's readiness
	@scripts/local.sh status

local-destroy: ## Stop and remove the local services (LOCAL_VOLUMES=1 also deletes their data)
	@scripts/local.sh destroy

local-port-forward: ## Print the local URLs (Compose publishes them on 127.0.0.1) and check that they answer
	@scripts/local.sh port-forward

validate-setup: ## Check every tool and variable the deploy targets use, one line each
	@scripts/validate-setup.sh

test-litellm-models: test-models ## Alias of test-models (the original deployment's name)

ecr-login: ## Log Docker in to the account's ECR registry (needs aws, docker, AWS_REGION)
	@scripts/ecr.sh login

ecr-build-push: ## Build the gateway and harness images for PLATFORM and push them to ECR_REPOSITORY and HARNESS_REPOSITORY at IMAGE_TAG
	@scripts/ecr.sh build-push

ecr-verify: ## Show the pushed images' digests and scan status, and how to deploy that digest
	@scripts/ecr.sh verify

eks-apply: ## helm upgrade --install the chart into NAMESPACE as RELEASE (VALUES=file; image from ECR at IMAGE_TAG)
	@scripts/eks.sh apply

eks-port-forward: ## Forward localhost:4000 to the release's gateway (and :3000 to Open WebUI); then make test-all
	@scripts/eks.sh port-forward

eks-secrets-populate: ## Create or update the Secret SECRET_NAME from LITELLM_MASTER_KEY, PERPLEXITY_API_KEY, REDIS_URL, DATABASE_URL
	@scripts/eks.sh secrets-populate

chart-check: setup ## Build helm and kubeconform (cached in .tools/), lint, render and validate the chart (CI runs this)
	@scripts/chart-check.sh

chart-docs: setup ## Regenerate the values table of helm/llm-gateway/README.md from values.yaml
	@bun scripts/chart-readme.ts

image-pin: ## Pin the Dockerfile's Bun base images by digest (needs docker buildx and Docker Hub)
	@scripts/image-pin.sh

# --- Hardening suite (harden/, README "Hardening", SECURITY.md) ---
# HARDEN_ARGS adds flags, e.g. HARDEN_ARGS="--area fuzz,faults --out figures.md".
HARDEN_ARGS ?=
MINUTES ?= 10

.PHONY: harden soak

harden: setup ## Hardening suite, short profile (what `bun test harden` runs in CI); prints the figures table
	bun harden/src/cli.ts $(HARDEN_ARGS)

soak: setup ## Hardening suite, long profile (1M fuzz inputs, 60 s overload, 120 s slow clients) plus a MINUTES-long soak (default 10)
	bun harden/src/cli.ts --long --minutes $(MINUTES) $(HARDEN_ARGS)
