#!/usr/bin/env bash
# Serves Threshold with its background task worker; Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${PORT:-8000}"
PY=.venv/bin/python

"$PY" manage.py migrate --no-input -v 0
"$PY" manage.py createcachetable
if [ "${LOAD_DEMO:-1}" = "1" ]; then
  "$PY" manage.py load_demo
fi

pids=()
stop() {
  trap - INT TERM EXIT
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  echo "Threshold stopped."
}
trap stop INT TERM EXIT

"$PY" manage.py db_worker --interval 2 &
pids+=("$!")
"$PY" manage.py runserver "127.0.0.1:${PORT}" --noreload &
pids+=("$!")

cat <<EOT

Threshold is running at http://127.0.0.1:${PORT}/
Sign in as any demo persona (see README.md), for example lara.lado@northshire.example,
with the demo password printed above. For the authenticator code, run in another terminal:
    .venv/bin/python manage.py demo_totp lara.lado@northshire.example
Press Ctrl-C to stop.

EOT
wait -n "${pids[@]}"
