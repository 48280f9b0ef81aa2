"""Settings for the test suite: the real stack, with fast password hashing."""

from __future__ import annotations

import os

os.environ.setdefault("THRESHOLD_DEMO_MODE", "true")

from threshold.settings.base import *  # noqa: F403
from threshold.settings.env import env_bool

SECRET_KEY = "test-only-secret-key-not-for-any-real-deployment-0123456789"
DEMO_MODE = env_bool("THRESHOLD_DEMO_MODE", True)
# The only shortcut: hashing passwords slowly proves nothing in a test.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Serve static files straight from the source folders, no collectstatic needed.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
import tempfile  # noqa: E402
from pathlib import Path  # noqa: E402

# The browser journeys' gunicorn (tests/system/server.py) runs these settings in processes of its own: it serves
# the test database of the pytest worker that started it, that worker's document store, and writes mail to files
# the journeys read back (a locmem outbox lives in one process).
_SERVED_DATABASE = os.environ.get("THRESHOLD_TEST_SERVER_DATABASE", "")
if _SERVED_DATABASE:
    DATABASES["default"]["NAME"] = _SERVED_DATABASE
    DOCUMENT_ROOT = Path(os.environ["THRESHOLD_TEST_SERVER_DOCUMENTS"])
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = Path(os.environ["THRESHOLD_TEST_SERVER_OUTBOX"])
else:
    DOCUMENT_ROOT = Path(tempfile.mkdtemp(prefix="threshold-test-documents-"))
EXPORT_ROOT = Path(tempfile.mkdtemp(prefix="threshold-test-exports-"))
