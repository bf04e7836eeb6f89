#!/usr/bin/env bash
# Starts or stops the throwaway services the test suite needs, idempotently:
#   PostgreSQL on 127.0.0.1:$PG_PORT (trust auth, database llmgw_test) and
#   redis-server on 127.0.0.1:$REDIS_PORT (no persistence).
# State, logs and sockets live under <repo>/.tmp (git-ignored). For local test
# use only: anyone on this machine can connect to both without a password.
#
#   scripts/services.sh start    install what is missing (root only), start, wait, write .tmp/services.env
#   scripts/services.sh stop     stop both
#   scripts/services.sh status   say what runs
#
# Then: source .tmp/services.env   (exports TEST_DATABASE_URL and TEST_REDIS_URL)
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
TMP="$REPO/.tmp"
PG_PORT=${LLMGW_TEST_PG_PORT:-55432}
REDIS_PORT=${LLMGW_TEST_REDIS_PORT:-56379}
PG_DB=llmgw_test
REDIS_DIR="$TMP/redis"
REDIS_PID="$TMP/redis.pid"
ENV_FILE="$TMP/services.env"
IS_ROOT=$([ "$(id -u)" = 0 ] && echo 1 || echo 0)
APT_UPDATED=0

say() { echo "services: $*"; }
die() { echo "services: ERROR: $*" >&2; exit 1; }

# Installs Debian packages (root only). Services the packages would start
# themselves are held back with policy-rc.d: we start our own instances.
apt_install() {
  [ "$IS_ROOT" = 1 ] || die "$* missing and not root: run 'sudo apt-get install -y $*' or re-run as root"
  command -v apt-get >/dev/null || die "$* missing and apt-get not found (not Debian?)"
  local policy=/usr/sbin/policy-rc.d added=0
  if [ ! -e "$policy" ]; then printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy" && added=1; fi
  if [ "$APT_UPDATED" = 0 ]; then
    say "apt-get update"
    if ! apt-get update -qq >"$TMP/apt.log" 2>&1; then
      if [ "$added" = 1 ]; then rm -f "$policy"; fi
      die "apt-get update failed, see $TMP/apt.log"
    fi
    APT_UPDATED=1
  fi
  say "apt-get install $*"
  local rc=0
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >>"$TMP/apt.log" 2>&1 || rc=$?
  if [ "$added" = 1 ]; then rm -f "$policy"; fi
  [ "$rc" = 0 ] || die "apt-get install $* failed (exit $rc), see $TMP/apt.log"
}

# Prints the directory holding initdb and pg_ctl, or nothing.
pg_bindir() {
  if command -v initdb >/dev/null && command -v pg_ctl >/dev/null; then
    dirname "$(readlink -f "$(command -v pg_ctl)")"; return
  fi
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  [ -n "$d" ] && [ -x "$d/initdb" ] && echo "$d" || true
}

PG_BIN=""
PG_HOME="$TMP/pg"                 # data + socket dir; moved below when postgres cannot reach it
as_pg() { if [ "$IS_ROOT" = 1 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

pg_setup_paths() {
  PG_BIN=$(pg_bindir)
  if [ "$IS_ROOT" = 1 ] && getent passwd postgres >/dev/null && ! runuser -u postgres -- test -x "$TMP"; then
    PG_HOME="/tmp/llmgw-test-pg-$(printf '%s' "$REPO" | cksum | cut -d' ' -f1)"
  fi
}
pg_running() { [ -n "$PG_BIN" ] && [ -f "$PG_HOME/data/PG_VERSION" ] && as_pg "$PG_BIN/pg_ctl" status -D "$PG_HOME/data" >/dev/null 2>&1; }
pg_ready() { "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" -U postgres; }

pg_start() {
  pg_setup_paths
  if [ -z "$PG_BIN" ]; then apt_install postgresql; PG_BIN=$(pg_bindir); fi
  [ -n "$PG_BIN" ] || die "PostgreSQL installed but initdb/pg_ctl not found under /usr/lib/postgresql/*/bin"
  if [ "$IS_ROOT" = 1 ] && ! getent passwd postgres >/dev/null; then
    die "running as root but no 'postgres' user to own the cluster (initdb refuses root); create it or run as a normal user"
  fi
  [ "$PG_HOME" = "$TMP/pg" ] || say "postgres user cannot reach $TMP; cluster goes to $PG_HOME"
  if pg_running; then say "postgres already running on 127.0.0.1:$PG_PORT ($PG_HOME/data)"; else
    if port_busy "$PG_PORT"; then die "port $PG_PORT is taken by another process (set LLMGW_TEST_PG_PORT)"; fi
    mkdir -p "$PG_HOME/run"
    if [ "$IS_ROOT" = 1 ]; then chown -R postgres: "$PG_HOME"; fi
    if [ ! -f "$PG_HOME/data/PG_VERSION" ]; then
      say "initdb $PG_HOME/data"
      as_pg "$PG_BIN/initdb" -D "$PG_HOME/data" -U postgres -A trust -E UTF8 --no-sync >"$TMP/pg-initdb.log" 2>&1 \
        || die "initdb failed, see $TMP/pg-initdb.log"
      as_pg tee -a "$PG_HOME/data/postgresql.conf" >/dev/null <<EOF
# llm-gateway test cluster: local, throwaway, not durable (address, port and socket dir: see pg_ctl -o)
fsync = off
synchronous_commit = off
full_page_writes = off
EOF
    fi
    say "starting postgres on 127.0.0.1:$PG_PORT"
    as_pg "$PG_BIN/pg_ctl" -D "$PG_HOME/data" -l "$PG_HOME/postgres.log" -w -t 30 \
      -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k '$PG_HOME/run'" start >/dev/null \
      || die "postgres did not start, see $PG_HOME/postgres.log"
  fi
  wait_for "postgres" pg_ready
  if [ "$("$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -tAc \
        "select 1 from pg_database where datname = '$PG_DB'")" != 1 ]; then
    say "creating database $PG_DB"
    "$PG_BIN/psql" -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -c "create database $PG_DB" \
      || die "could not create database $PG_DB"
  fi
}

pg_stop() {
  pg_setup_paths
  if pg_running; then
    say "stopping postgres"
    as_pg "$PG_BIN/pg_ctl" -D "$PG_HOME/data" -m fast -w stop >/dev/null || die "pg_ctl stop failed"
  else say "postgres not running"; fi
}

# True when something accepts TCP connections on 127.0.0.1:$1.
port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

redis_ping() {
  if command -v redis-cli >/dev/null; then
    [ "$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null)" = PONG ]
  else
    local line=""
    { exec 3<>"/dev/tcp/127.0.0.1/$REDIS_PORT" && printf 'PING\r\n' >&3 && read -r -t 1 line <&3; exec 3<&-; } 2>/dev/null || true
    [[ "$line" == +PONG* ]]
  fi
}
redis_pid_alive() { [ -f "$REDIS_PID" ] && kill -0 "$(cat "$REDIS_PID")" 2>/dev/null; }

redis_start() {
  command -v redis-server >/dev/null || apt_install redis-server
  command -v redis-server >/dev/null || die "redis-server still not found after install"
  if redis_pid_alive && redis_ping; then say "redis already running on 127.0.0.1:$REDIS_PORT"; return; fi
  if port_busy "$REDIS_PORT"; then die "port $REDIS_PORT is taken by another process (set LLMGW_TEST_REDIS_PORT)"; fi
  mkdir -p "$REDIS_DIR"
  say "starting redis on 127.0.0.1:$REDIS_PORT"
  redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --save '' --appendonly no \
    --daemonize yes --pidfile "$REDIS_PID" --logfile "$TMP/redis.log" --dir "$REDIS_DIR" \
    || die "redis-server did not start, see $TMP/redis.log"
  wait_for "redis" redis_ping
}

redis_stop() {
  if redis_pid_alive; then
    local pid; pid=$(cat "$REDIS_PID")
    say "stopping redis (pid $pid)"
    kill "$pid"
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && die "redis (pid $pid) did not exit"
    rm -f "$REDIS_PID"
  else say "redis not running"; fi
}

# wait_for NAME CHECK: polls CHECK for up to 30 s.
wait_for() {
  for _ in $(seq 300); do "$2" && { say "$1 is ready"; return; }; sleep 0.1; done
  die "$1 did not answer within 30 s"
}

write_env() {
  cat >"$ENV_FILE" <<EOF
export TEST_DATABASE_URL=postgres://postgres@127.0.0.1:$PG_PORT/$PG_DB
export TEST_REDIS_URL=redis://127.0.0.1:$REDIS_PORT
EOF
  say "wrote $ENV_FILE (source it to export TEST_DATABASE_URL and TEST_REDIS_URL)"
}

mkdir -p "$TMP"
case "${1:-}" in
  start) redis_start; pg_start; write_env ;;
  stop) redis_stop; pg_stop ;;
  status)
    pg_setup_paths
    if pg_running; then say "postgres running on 127.0.0.1:$PG_PORT"; else say "postgres stopped"; fi
    if redis_pid_alive; then say "redis running on 127.0.0.1:$REDIS_PORT"; else say "redis stopped"; fi ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
