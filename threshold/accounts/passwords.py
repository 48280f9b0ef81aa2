"""The password rules, with messages in GOV.UK style that say what to do (issue 17), not Django's own words.

The rules are Django's (NCSC / NIST 800-63B: a length and a common-password check, no composition rules); only
what a person reads changes. ``AUTH_PASSWORD_VALIDATORS`` names these classes.
"""

from __future__ import annotations

from django.contrib.auth import password_validation


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """At least ``min_length`` characters."""

    def get_error_message(self) -> str:
        """What to do, with the figure."""
        return f"Password must be {self.min_length} characters or more"

    def get_help_text(self) -> str:
        """The rule, shown beside the field."""
        return f"Your password must be at least {self.min_length} characters long."


class UserAttributeSimilarityValidator(password_validation.UserAttributeSimilarityValidator):
    """Not like the person's own name or email address."""

    def get_error_message(self) -> str:
        """What to do. Not Django's "too similar to the email": a person's own words for what it is like."""
        return "Choose a password that is not like your name or email address"

    def get_help_text(self) -> str:
        """The rule, shown beside the field."""
        return "Your password must not be like your name or email address."


class CommonPasswordValidator(password_validation.CommonPasswordValidator):
    """Not one of the 20,000 passwords people use most."""

    def get_error_message(self) -> str:
        """What to do."""
        return "Choose a password that is harder to guess: many people use this one (try three random words)"

    def get_help_text(self) -> str:
        """The rule, shown beside the field."""
        return "Your password must not be one that many people use."
