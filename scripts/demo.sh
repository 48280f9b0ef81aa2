#!/usr/bin/env bash
# Serves Threshold with its background task worker; Ctrl-C stops both.
# The web server is gunicorn, as in production (ADR 0020), with static files
# served by WhiteNoise; SERVER=runserver (make dev) uses Django's development
# server instead, which reloads when the code changes.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${PORT:-8000}"
SERVER="${SERVER:-gunicorn}"
PY=.venv/bin/python

"$PY" manage.py migrate --no-input -v 0
"$PY" manage.py createcachetable
if [ "${LOAD_DEMO:-1}" = "1" ]; then
  "$PY" manage.py load_demo
fi
# The query planner's statistics, as a deployment's nightly run refreshes them (README).
"$PY" manage.py analyze >/dev/null

pids=()
stop() {
  trap - INT TERM EXIT
  # The children too: the auto-reloading runserver serves from a child process
  # that outlives its parent.
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; pkill -TERM -P "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  echo "Threshold stopped."
}
trap stop INT TERM EXIT

"$PY" manage.py db_worker --interval 2 &
pids+=("$!")
if [ "$SERVER" = "runserver" ]; then
  # Static files straight from the source folders, picked up as they change.
  WHITENOISE_AUTOREFRESH=true "$PY" manage.py runserver "127.0.0.1:${PORT}" &
else
  # gunicorn runs the development settings too (demo mode, data/ and the key
  # in data/secret_key), bound to this machine only; gunicorn.conf.py sizes
  # the workers to the cores.
  DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-threshold.settings.development}" \
    .venv/bin/gunicorn --config gunicorn.conf.py --bind "127.0.0.1:${PORT}" threshold.wsgi &
fi
pids+=("$!")
# Anonymous concerns reach the audit trail, and those a concern about a head is
# routed to, in a batch after the day they were shared (ADR 0012); a deployment
# runs this from cron, the demo every hour.
(
  trap 'kill $(jobs -p) 2>/dev/null; exit 0' TERM
  while true; do
    sleep 3600 &
    wait $!
    "$PY" manage.py anonymous_intake >/dev/null
  done
) &
pids+=("$!")
# Reminders (deadlines coming and missed, the daily digest, chasing requests for
# information, retrying failed emails): a deployment runs this once a day from
# cron, the demo every five minutes. Running it again the same day sends nothing
# new; the demo's emails land in data/outbox/.
(
  trap 'kill $(jobs -p) 2>/dev/null; exit 0' TERM
  while true; do
    # The reminder pass, as cron runs it in a deployment: roll the calendar-bound deadlines on, then remind.
    "$PY" manage.py deadlines_sync >/dev/null && "$PY" manage.py remind >/dev/null || true
    sleep 300 &
    wait $!
  done
) &
pids+=("$!")

if [ "${LOAD_DEMO:-1}" = "1" ]; then
  cat <<EOT

Threshold is running at http://127.0.0.1:${PORT}/
Sign in as any demo persona (see README.md), for example lara.lado@northshire.example,
with the demo password printed above. For the authenticator code, run in another terminal:
    .venv/bin/python manage.py demo_totp lara.lado@northshire.example
Press Ctrl-C to stop.

EOT
else
  cat <<EOT

Threshold is running at http://127.0.0.1:${PORT}/ (no demo data loaded).
If nobody can sign in yet, create the first system administrator in another terminal:
    .venv/bin/python manage.py create_system_admin you@example.org --name "Your Name" --base-url http://127.0.0.1:${PORT}
then open the link it prints, choose a password, sign in and add organisations (README: "Setting up a real deployment").
Press Ctrl-C to stop.

EOT
fi
wait -n "${pids[@]}"
