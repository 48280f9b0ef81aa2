"""Django app configuration for ``threshold.access``."""

from django.apps import AppConfig


class AccessConfig(AppConfig):
    """The access rules."""

    name = "threshold.access"
    label = "access"

    def ready(self) -> None:
        """Guard the protected models' managers (``threshold.access.guard``), in tests and production alike.

        Also forget remembered scopes when what they were worked out from changes.
        """
        from django.db.models.signals import post_delete, post_save

        from threshold.access import guard
        from threshold.access.scope import forget_scopes
        from threshold.accounts.models import Membership, Organisation, User
        from threshold.people.models import Person, SubjectClearance

        guard.install()
        # A scope remembered for the request must not outlive a change to what it was worked out from: its
        # memberships, or the people rule 2 hides from it (ADR 0033). A person's match keys are written only by
        # ``Person.save``, whose own signal comes first; a receiver on the keys would never hear a save (they
        # are bulk-created) and would turn their fast delete into a signal per key.
        for model in (Membership, Organisation, User, Person, SubjectClearance):
            post_save.connect(forget_scopes, sender=model, dispatch_uid=f"forget-scopes-save-{model.__name__}")
            post_delete.connect(forget_scopes, sender=model, dispatch_uid=f"forget-scopes-delete-{model.__name__}")
