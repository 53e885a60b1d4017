#!/usr/bin/env bash
# Runs a command against a throw-away PostgreSQL server on loopback:
#   scripts/with_postgres.sh python -m pytest
# Installs the distribution's postgresql package if needed, starts a fresh cluster in a temporary
# folder on 127.0.0.1, sets DATABASE_URL for the command, and stops the server afterwards.
set -euo pipefail
# A free port unless one is given, so that two runs on one machine never collide.
PORT=${HEALTHGAP_PG_PORT:-$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  echo "Installing PostgreSQL from the distribution's packages..."
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql >/dev/null
fi
BIN=$(dirname "$(ls -d /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n 1)")
DATA=$(mktemp -d /tmp/healthgap-pg.XXXXXX)
# The server refuses to run as root: use the postgres account when we are root.
as_owner() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
[ "$(id -u)" -eq 0 ] && chown postgres "$DATA"
as_owner "$BIN/initdb" -D "$DATA" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
stop_server() { as_owner "$BIN/pg_ctl" -D "$DATA" -m fast stop >/dev/null 2>&1 || true; rm -rf "$DATA"; }
trap stop_server EXIT
as_owner "$BIN/pg_ctl" -D "$DATA" -l "$DATA/server.log" -w \
  -o "-h 127.0.0.1 -p $PORT -k $DATA" start >/dev/null || { cat "$DATA/server.log"; exit 1; }
"$BIN/createdb" -h 127.0.0.1 -p "$PORT" -U postgres healthgap
echo "PostgreSQL $("$BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PORT"
DATABASE_URL="postgres://postgres@127.0.0.1:$PORT/healthgap" "$@"
