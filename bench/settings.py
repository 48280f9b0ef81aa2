"""Settings for ``bench/pages.py``'s server: the demo's settings (``threshold.settings.development``), as ``make
demo`` serves them through gunicorn (DEBUG off, tasks queued in the database, static files indexed once).

Adds the bench's own URLconf (``bench.urls``: the product's, plus a plain ``ListView`` to compare with).
``bench/pages.py`` passes the in-process ``SECRET_KEY`` in the environment, so the sessions it signs in (and the
audit chain's key, derived from it) are the same on both sides. Never used by the product.
"""

from __future__ import annotations

from threshold.settings.development import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
