"""Gunicorn's settings for Threshold (ADR 0020), read by ``gunicorn -c gunicorn.conf.py threshold.wsgi``.

Gunicorn also finds this file by itself when started from the checkout. Any
setting can still be given on the command line (``--bind``, ``--workers``),
which wins over this file; ``WEB_CONCURRENCY`` sets the number of workers.
"""

from __future__ import annotations

import os
from typing import Any

from gunicorn.glogging import Logger

# Gunicorn puts its working directory (the checkout) on the import path before it reads this file.
from threshold.core.logging import redact


def _cores() -> int:
    """The cores this process may run on (a container's CPU set, not the host's count)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


# Sync workers: one request at a time per process, each with its own database
# connection(s). 2 x cores + 1 keeps a core busy while another worker waits on
# the database or the disk; the cap keeps a large machine from opening more
# PostgreSQL connections (workers x DATABASE_POOL_MAX_SIZE) than the server
# allows. On SQLite more workers only add readers: writes are serialised by
# the write lock each transaction takes at BEGIN (ADR 0003), WAL lets readers
# in other processes carry on, and every worker is on this one machine's disk.
workers = int(os.environ.get("WEB_CONCURRENCY", min(2 * _cores() + 1, 9)))
worker_class = "sync"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# The application is loaded in each worker after the fork, never in the
# master: a database connection (SQLite's file handle, or the PostgreSQL pool
# and its threads) must not be shared across a fork.
preload_app = False
# A request taking longer than this is stuck (the slowest page is well under
# a second); the worker is replaced rather than holding a connection forever.
timeout = 30
graceful_timeout = 30
# Recycle workers now and then so that slow growth in memory cannot build up;
# the jitter keeps them from all restarting at once.
max_requests = 2000
max_requests_jitter = 200
# Trust X-Forwarded-* only from a proxy on this machine; Django decides the
# client address itself from TRUSTED_PROXY_COUNT.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

# Gunicorn's control socket is one fixed path per operating-system user, which
# a second server (the demo beside a test run) would fight over; nothing here
# uses it.
control_socket_disable = True


class AccessLogger(Logger):
    """Gunicorn's logger, with the one-time tokens of emailed links taken out of what it logs.

    An invitation or sign-in reset link (``/invitations/<token>/``,
    ``/sign-in-reset/<token>/``, allauth's password reset and email
    confirmation keys) lets whoever holds it in: the access log shows
    ``/invitations/[redacted]/`` instead (``threshold.core.logging.redact``,
    which Django's own log handlers use too). The query string and referrer,
    which could carry either, are left out of the path and the request line.
    """

    def atoms(self, resp: Any, req: Any, environ: dict[str, Any], request_time: Any) -> dict[str, Any]:
        """The values the access log format may use, with secrets redacted."""
        atoms: dict[str, Any] = super().atoms(resp, req, environ, request_time)
        path = redact(str(environ.get("PATH_INFO") or ""))
        atoms["U"] = path
        atoms["r"] = f"{environ.get('REQUEST_METHOD')} {path} {environ.get('SERVER_PROTOCOL')}"
        atoms["q"] = "[redacted]" if environ.get("QUERY_STRING") else ""
        atoms["f"] = redact(str(atoms.get("f") or "-")).split("?", 1)[0]
        if "{referer}i" in atoms:
            atoms["{referer}i"] = atoms["f"]
        return atoms


logger_class = AccessLogger
accesslog = "-"
# The path without its query string: a search's query string can hold a
# person's name, which must not reach a log. Record pages are addressed by
# random tokens, so the path itself names nobody; the tokens of emailed links
# are redacted (AccessLogger).
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms "%({x-request-id}o)s"'
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
