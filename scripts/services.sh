#!/usr/bin/env bash
# Start (or stop) PostgreSQL 15 and Redis from Debian packages on loopback ports, without
# systemd. Idempotent: a second "start" finds them running. Data lives in var/services/.
#   scripts/services.sh start|stop|status|env
# Ports: PG_PORT (default 54329), REDIS_PORT (default 63799).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
VAR="${SERVICES_DIR:-$ROOT/var/services}"
PG_PORT="${PG_PORT:-54329}"
REDIS_PORT="${REDIS_PORT:-63799}"
PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"
PG_DATA="$VAR/pg"
PG_SOCK="$VAR/pgsock"
REDIS_DIR="$VAR/redis"
DB_NAME="${PG_DB:-nutrimx}"

as_postgres() {
  if [ "$(id -u)" = "0" ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

need_packages() {
  local missing=()
  [ -x "$PG_BIN/pg_ctl" ] || missing+=(postgresql)
  command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
  if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" = "0" ]; then
      echo "Installing ${missing[*]} from Debian packages..."
      apt-get update -qq
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    else
      echo "Missing ${missing[*]}: run 'sudo apt-get install ${missing[*]}'" >&2
      exit 1
    fi
  fi
}

pg_start() {
  mkdir -p "$VAR" "$PG_SOCK"
  if [ "$(id -u)" = "0" ]; then chown postgres:postgres "$VAR" "$PG_SOCK" 2>/dev/null || true; fi
  if [ ! -f "$PG_DATA/PG_VERSION" ]; then
    mkdir -p "$PG_DATA"
    if [ "$(id -u)" = "0" ]; then chown postgres:postgres "$PG_DATA"; fi
    as_postgres "$PG_BIN/initdb" -D "$PG_DATA" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  fi
  if as_postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1; then
    echo "PostgreSQL already running on 127.0.0.1:$PG_PORT"
  else
    as_postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_DATA/server.log" -w -o \
      "-p $PG_PORT -k $PG_SOCK -c listen_addresses=127.0.0.1 -c fsync=${PG_FSYNC:-on} -c max_connections=200" start >/dev/null
    echo "PostgreSQL started on 127.0.0.1:$PG_PORT"
  fi
  if ! psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='$DB_NAME'" | grep -q 1; then
    psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -qc "CREATE DATABASE $DB_NAME" >/dev/null
  fi
}

redis_start() {
  mkdir -p "$REDIS_DIR"
  if [ -f "$REDIS_DIR/redis.pid" ] && kill -0 "$(cat "$REDIS_DIR/redis.pid")" 2>/dev/null; then
    echo "Redis already running on 127.0.0.1:$REDIS_PORT"
  else
    redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --daemonize yes --save '' --appendonly no \
      --dir "$REDIS_DIR" --pidfile "$REDIS_DIR/redis.pid" --logfile "$REDIS_DIR/redis.log"
    for _ in $(seq 1 50); do
      redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break
      sleep 0.1
    done
    echo "Redis started on 127.0.0.1:$REDIS_PORT"
  fi
}

stop_all() {
  if [ -f "$PG_DATA/postmaster.pid" ]; then
    as_postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w stop >/dev/null && echo "PostgreSQL stopped" || true
  fi
  if [ -f "$REDIS_DIR/redis.pid" ]; then
    kill "$(cat "$REDIS_DIR/redis.pid")" 2>/dev/null && echo "Redis stopped" || true
    rm -f "$REDIS_DIR/redis.pid"
  fi
}

print_env() {
  echo "export DATABASE_URL=postgres://postgres@127.0.0.1:$PG_PORT/$DB_NAME"
  echo "export REDIS_URL=redis://127.0.0.1:$REDIS_PORT/0"
}

case "${1:-start}" in
  start) need_packages; pg_start; redis_start; print_env ;;
  stop) stop_all ;;
  status)
    as_postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" status 2>/dev/null | head -1 || echo "PostgreSQL not running"
    redis-cli -p "$REDIS_PORT" ping 2>/dev/null || echo "Redis not running" ;;
  env) print_env ;;
  *) echo "usage: $0 start|stop|status|env" >&2; exit 2 ;;
esac
