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

DOCUMENT_ROOT = Path(tempfile.mkdtemp(prefix="threshold-test-documents-"))
