#!/usr/bin/env bash
# Makes sure the Redis and PostgreSQL the integration tests need are reachable on this machine,
# starting them when they are installed but stopped. Fails loudly (exit 1) — tests never skip silently.
set -uo pipefail

REDIS_HOST=127.0.0.1 REDIS_PORT=6379 PG_HOST=127.0.0.1 PG_PORT=5432

redis_up() { (exec 3<>/dev/tcp/$REDIS_HOST/$REDIS_PORT && printf 'PING\r\n' >&3 && timeout 2 head -c 5 <&3 | grep -q PONG) 2>/dev/null; }
pg_up() { pg_isready -q -h "$PG_HOST" -p "$PG_PORT" 2>/dev/null; }

if ! redis_up; then
  if command -v redis-server >/dev/null; then
    echo "ensure-services: Redis not reachable on $REDIS_HOST:$REDIS_PORT, starting redis-server" >&2
    redis-server --daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT" --save "" --appendonly no >/dev/null
    for _ in $(seq 1 50); do redis_up && break; sleep 0.2; done
  fi
  redis_up || { echo "ensure-services: FAILED — Redis is not reachable on $REDIS_HOST:$REDIS_PORT and could not be started (apt-get install redis-server)" >&2; exit 1; }
fi

if ! pg_up; then
  if command -v pg_ctlcluster >/dev/null && [ -d /etc/postgresql ]; then
    echo "ensure-services: PostgreSQL not reachable on $PG_HOST:$PG_PORT, starting the cluster" >&2
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start >&2 || true
    for _ in $(seq 1 50); do pg_up && break; sleep 0.2; done
  fi
  pg_up || { echo "ensure-services: FAILED — PostgreSQL is not reachable on $PG_HOST:$PG_PORT and could not be started (apt-get install postgresql)" >&2; exit 1; }
fi
# The report tests check the PDFs with independent tools (pdftotext, pdfsig, pdfdetach, pdftoppm).
if ! command -v pdfsig >/dev/null || ! command -v pdfdetach >/dev/null || ! command -v pdftotext >/dev/null; then
  if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
    echo "ensure-services: poppler-utils missing, installing it" >&2
    (apt-get install -y -q poppler-utils >/dev/null 2>&1 || (apt-get update -q >/dev/null 2>&1 && apt-get install -y -q poppler-utils >/dev/null 2>&1)) || true
  fi
  command -v pdfsig >/dev/null || { echo "ensure-services: FAILED — poppler-utils (pdfsig, pdfdetach, pdftotext) is not installed (apt-get install poppler-utils)" >&2; exit 1; }
fi
echo "ensure-services: Redis, PostgreSQL and poppler-utils are up" >&2
