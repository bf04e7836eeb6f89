#!/usr/bin/env bash
# Sets up peer gateways for `make load-peers`, routed to the load run's mock:
#   - Portkey's gateway (@portkey-ai/gateway, npm) under Node.js,
#   - LiteLLM's proxy (litellm[proxy], PyPI) in a Python venv.
# Installs into a cache dir (LOAD_PEERS_DIR), writes their configs and a
# targets file for `bun run load --targets FILE --mock-port MOCK_PORT`, and
# prints it. A peer that cannot be installed gets one line and is left out.
set -uo pipefail

DIR="${LOAD_PEERS_DIR:-$HOME/.cache/llm-gateway-load/peers}"
MOCK_PORT="${MOCK_PORT:-18080}"
PORTKEY_PORT="${PORTKEY_PORT:-8787}"
LITELLM_PORT="${LITELLM_PORT:-4001}"
PORTKEY_VERSION="1.15.2"
# 1.106.12: the newest litellm whose [proxy] extra resolves from PyPI here (1.107.0 was a compromised release).
LITELLM_VERSION="1.106.12"
mkdir -p "$DIR"
entries=()

# --- Portkey -----------------------------------------------------------------
portkey_main="$DIR/portkey/node_modules/@portkey-ai/gateway/build/start-server.js"
if [[ ! -f "$portkey_main" ]]; then
  if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    echo "peers: portkey left out: node and npm are needed"
  elif ! npm install --prefix "$DIR/portkey" --no-audit --no-fund --loglevel=error "@portkey-ai/gateway@$PORTKEY_VERSION" >"$DIR/portkey-install.log" 2>&1; then
    echo "peers: portkey left out: npm install failed (see $DIR/portkey-install.log)"
  fi
fi
if [[ -f "$portkey_main" ]]; then
  # Portkey routes by headers: provider openai, custom host = the mock (filled in per scenario).
  entries+=("$(cat <<JSON
  {
    "name": "portkey",
    "url": "http://127.0.0.1:$PORTKEY_PORT/v1",
    "headers": { "x-portkey-provider": "openai", "x-portkey-custom-host": "{{mock_url}}/v1", "authorization": "Bearer mock-upstream-key" },
    "command": ["node", "$portkey_main", "--port=$PORTKEY_PORT", "--headless"],
    "env": { "NODE_ENV": "production" },
    "readyUrl": "http://127.0.0.1:$PORTKEY_PORT/"
  }
JSON
)")
fi

# --- LiteLLM -----------------------------------------------------------------
venv="$DIR/litellm-venv"
if [[ ! -x "$venv/bin/litellm" ]]; then
  if ! command -v python3 >/dev/null; then
    echo "peers: litellm left out: python3 is needed"
  elif ! { python3 -m venv "$venv" && "$venv/bin/pip" install -q "litellm[proxy]==$LITELLM_VERSION"; } >"$DIR/litellm-install.log" 2>&1; then
    echo "peers: litellm left out: pip install litellm[proxy]==$LITELLM_VERSION failed (see $DIR/litellm-install.log)"
  fi
fi
if [[ -x "$venv/bin/litellm" ]]; then
  key_file="$DIR/litellm-master-key"
  [[ -s "$key_file" ]] || echo "sk-peer-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')" >"$key_file"
  chmod 600 "$key_file"
  key="$(cat "$key_file")"
  cat >"$DIR/litellm.yaml" <<YAML
model_list:
  - model_name: mock-model
    litellm_params:
      model: openai/mock-model
      api_base: http://127.0.0.1:$MOCK_PORT/v1
      api_key: mock-upstream-key
general_settings:
  master_key: os.environ/LITELLM_MASTER_KEY
YAML
  entries+=("$(cat <<JSON
  {
    "name": "litellm",
    "url": "http://127.0.0.1:$LITELLM_PORT/v1",
    "headers": { "authorization": "Bearer $key" },
    "command": ["$venv/bin/litellm", "--config", "$DIR/litellm.yaml", "--host", "127.0.0.1", "--port", "$LITELLM_PORT", "--num_workers", "1"],
    "env": { "LITELLM_MASTER_KEY": "$key", "LITELLM_LOCAL_MODEL_COST_MAP": "True", "LITELLM_TELEMETRY": "False" },
    "readyUrl": "http://127.0.0.1:$LITELLM_PORT/health/liveliness",
    "startTimeoutMs": 120000
  }
JSON
)")
fi

# --- targets file ------------------------------------------------------------
targets="$DIR/targets.json"
{
  echo "["
  for i in "${!entries[@]}"; do
    [[ $i -gt 0 ]] && echo ","
    echo "${entries[$i]}"
  done
  echo "]"
} >"$targets"
echo "peers: ${#entries[@]} peer(s) ready; the run starts and stops them itself:"
echo "  bun run load --targets $targets --mock-port $MOCK_PORT"
