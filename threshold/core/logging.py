"""Logging filters that keep secrets and personal data out of log lines."""

from __future__ import annotations

import logging
import re

# One-time tokens travel in these paths; a log line must never carry one.
_SECRET_PATHS = re.compile(
    r"(/invitations/|/sign-in-reset/|/password/reset/key/|/confirm-email/)[^/\s\"?]+",
)


# Query strings are dropped from logged request lines: none of ours should
# carry personal data, and this makes sure a mistake cannot put it in a log.
_QUERY_STRING = re.compile(r"(\"[A-Z]+ [^\s?\"]*)\?[^\s\"]*")


def redact(text: str) -> str:
    """Replace the secret part of token-bearing paths with ``[redacted]`` and drop query strings."""
    return _QUERY_STRING.sub(r"\1?[redacted]", _SECRET_PATHS.sub(r"\1[redacted]", text))


class RedactSecretsFilter(logging.Filter):
    """Redact token-bearing paths from every record that passes through a handler."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the record's message in place; never drop it."""
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg = cleaned
            record.args = ()
        return True
