"""Settings for ``make demo``, ``make serve`` and ``make dev`` on a developer's machine."""

from __future__ import annotations

import os

os.environ.setdefault("THRESHOLD_DEMO_MODE", "true")

from threshold.settings.base import *  # noqa: F403
from threshold.settings.base import DATA_DIR
from threshold.settings.env import env_bool, env_str

DEBUG = env_bool("DEBUG", False)
DEMO_MODE = env_bool("THRESHOLD_DEMO_MODE", True)


def _development_secret() -> str:
    """Keep one random key per checkout so sessions survive a restart."""
    path = DATA_DIR / "secret_key"
    if not path.exists():
        import secrets

        path.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


SECRET_KEY = env_str("SECRET_KEY", "") or _development_secret()
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http"
# ``make demo`` serves static files from the source folders via WhiteNoise,
# with DEBUG off as in production. It indexes them once when each gunicorn
# worker starts; ``make dev`` sets WHITENOISE_AUTOREFRESH to look again on
# every request, so rebuilt assets show without a restart.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = env_bool("WHITENOISE_AUTOREFRESH", False)
# Nothing is collected on a developer's machine, so no STATIC_ROOT for
# WhiteNoise to look in (and warn, from every worker, that it is missing).
STATIC_ROOT = None  # type: ignore[assignment]  # base.py sets a Path; None is Django's own default
