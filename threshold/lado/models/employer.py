"""The two sides of one matter: the LADO's word on the employer's outcome, and decision letters.

An allegation referred in Threshold is one matter with two records: the
employer's allegation and the LADO's contact (and case). The employer's
outcome is "agreed with the LADO" only when the LADO says so
(``EmployerOutcomeResponse``); an employer outside Threshold is sent a decision
letter generated from the record (``DecisionLetter``, ADR 0026).
"""

from __future__ import annotations

from django.db import models

from threshold.core.models import Immutable


class EmployerOutcomeResponse(Immutable):
    """The LADO agrees (or not, with a reason) with one outcome the employer recorded. Never edited.

    Tied to the outcome row it answers: a later outcome from the employer
    waits for its own answer.
    """

    contact = models.ForeignKey("lado.Contact", on_delete=models.PROTECT, related_name="employer_outcome_responses")
    outcome = models.ForeignKey("allegations.OutcomeRecord", on_delete=models.PROTECT, related_name="lado_responses")
    agreed = models.BooleanField()
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-recorded_at", "-pk"]

    def __str__(self) -> str:
        return f"Response {self.pk} to outcome {self.outcome_id}"


class LetterMethod(models.TextChoices):
    """How the referrer gets the decision letter: never as an email attachment (ADR 0026)."""

    PRINTED = "printed", "Printed, to give or post to the referrer"
    EMAIL = "email", "Email the referrer that a letter is ready (the email does not contain it)"


class DecisionLetter(Immutable):
    """A decision letter issued to a referrer outside Threshold: which decision, and how it reached them.

    The letter itself is not stored: it is generated from the decision, which
    is never edited, so the same letter can be printed again years later.
    """

    contact = models.ForeignKey("lado.Contact", on_delete=models.PROTECT, related_name="decision_letters")
    decision = models.ForeignKey("lado.Decision", on_delete=models.PROTECT, related_name="+")
    method = models.CharField(max_length=16, choices=LetterMethod.choices)
    sent_to = models.EmailField(blank=True)

    class Meta:
        ordering = ["-recorded_at", "-pk"]

    def __str__(self) -> str:
        return f"Decision letter {self.pk}"
