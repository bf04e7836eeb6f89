# llm-gateway: `make help` lists the targets.
SHELL := /usr/bin/env bash
.DEFAULT_GOAL := help
PORT ?= 4000

.PHONY: help setup run test typecheck unit

help: ## List the targets
	@grep -hE '^[a-zA-Z0-9_-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-22s %s\n", $$1, $$2}'

setup: ## Install the pinned Bun (from npm) and the workspace dependencies (frozen lockfile)
	@./scripts/ensure-bun.sh
	@bun install --frozen-lockfile

run: setup ## Run the gateway on :4000 with the embedded default config (CONFIG=path to use another)
	bun gateway/src/main.ts --port $(PORT) $(if $(CONFIG),--config $(CONFIG),)

typecheck: setup ## Type-check the whole workspace (strict tsc)
	bunx tsc --noEmit -p tsconfig.json

unit: setup ## Run the test suite only
	bun test

test: setup typecheck unit ## Install everything needed and run the whole suite (what CI runs)
