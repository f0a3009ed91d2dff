#!/usr/bin/env bash
# Installs what Ringflow needs on a fresh Debian machine: system packages (only when missing and
# we are root), npm dependencies, the generated Prisma client, and a database with every migration.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v chromium >/dev/null || need_apt+=(chromium)
command -v ffmpeg >/dev/null || need_apt+=(ffmpeg)
command -v opusenc >/dev/null || need_apt+=(opus-tools)
command -v espeak-ng >/dev/null || need_apt+=(espeak-ng)
command -v sox >/dev/null || need_apt+=(sox)
command -v pg_dump >/dev/null || need_apt+=(postgresql-client)
# Tests start a Redis of their own to check the fallback for servers before 7.0.
command -v redis-server >/dev/null || need_apt+=(redis-server)
# `docker-compose config` validates docker-compose.yml in the tests (no Docker engine needed).
command -v docker-compose >/dev/null || need_apt+=(docker-compose)
if ((${#need_apt[@]})); then
  if [ "$(id -u)" = 0 ]; then
    echo "==> apt-get install ${need_apt[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
  else
    echo "!! missing system packages: ${need_apt[*]} (run as root or install them)" >&2
  fi
fi

# Local services: started only if they are not already running.
if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  echo "==> starting PostgreSQL"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql)" main start
fi
if ! redis-cli -h 127.0.0.1 ping >/dev/null 2>&1; then
  echo "==> starting Redis"
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ] || [ "${CI:-}" = true ]; then
  echo "==> npm ci"
  npm ci --no-audit --no-fund --loglevel=error
fi
# Reviewed patches to dependencies (patches/); npm ci applies them too, this covers a kept node_modules
# (again only when the patches changed since the last run).
if [ ! -f node_modules/.patches-stamp ] || [ -n "$(find patches -newer node_modules/.patches-stamp -print -quit)" ]; then
  npx patch-package >/dev/null
  touch node_modules/.patches-stamp
fi

# The client is generated only when the schema or the dependencies changed: regenerating it makes
# lib/ newer than the web build, and the demo would rebuild on every start.
stamp=lib/generated/.schema-stamp
if [ ! -f "$stamp" ] || [ prisma/schema.prisma -nt "$stamp" ] || [ package-lock.json -nt "$stamp" ]; then
  echo "==> prisma generate"
  PRISMA_SCHEMA_ENGINE_BINARY=/bin/false npx prisma generate >/dev/null
  touch "$stamp"
fi
