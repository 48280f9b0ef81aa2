"""Settings for ``bench/pages.py``'s server: the test settings, served as production serves (DEBUG off).

Adds the bench's own URLconf (``bench.urls``: the product's, plus a plain ``ListView`` to compare with).
Never used by the product.
"""

from __future__ import annotations

from threshold.settings.test import *  # noqa: F403

DEBUG = False
ROOT_URLCONF = "bench.urls"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
