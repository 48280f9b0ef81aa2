"""Production settings: everything secret or site-specific must come from the environment.

Required: ``SECRET_KEY`` and ``AUDIT_CHAIN_KEY`` (or ``*_FILE``), each at least
32 bytes and different from each other, and ``ALLOWED_HOSTS``; ``DATABASE_URL``
for PostgreSQL. Runs behind TLS.
"""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured

from threshold.settings.base import *  # noqa: F403
from threshold.settings.env import env_bool, env_int, env_list, env_secret, env_str

# Both keys must be long enough not to be guessed (ADR 0002): a short
# SECRET_KEY lets sessions and emailed links be forged, a short chain key lets
# someone who can write to the database recompute the audit chain's HMACs.
SECRET_KEY = env_secret("SECRET_KEY", min_bytes=32)
# Required: events hashed with a key derived from a rotated SECRET_KEY would no
# longer verify (ADR 0005).
AUDIT_CHAIN_KEY = env_secret("AUDIT_CHAIN_KEY", min_bytes=32)
if AUDIT_CHAIN_KEY == SECRET_KEY:
    # One leaked secret must not give away both.
    raise ImproperlyConfigured("AUDIT_CHAIN_KEY must be a different secret from SECRET_KEY.")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [])
DEMO_MODE = env_bool("THRESHOLD_DEMO_MODE", False)
if DEMO_MODE:
    raise ImproperlyConfigured("Demo mode must not be switched on in production.")

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
# A load balancer checks each server over plain HTTP on the private network; a
# redirect to HTTPS would read as "down". The check carries no data.
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
# Sending "preload" does not submit the domain; the operator decides that.
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_NAME = "__Host-threshold_session"
CSRF_COOKIE_NAME = "__Host-csrftoken"
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
if env_int("TRUSTED_PROXY_COUNT", 0) > 0:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
# The SMTP relay that sends invitations and sign-in links.
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 587, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
# Seconds to wait on the mail server: without it a hung server holds a task worker (and its email's claim) for ever.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30, minimum=1)
