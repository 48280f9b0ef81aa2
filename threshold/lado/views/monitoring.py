"""Timescales, Tier 2 monitoring, quality assurance, delay reviews, the conclusion and closure."""

from __future__ import annotations

from typing import Any

from django.urls import URLPattern

from threshold.accounts.models import User
from threshold.lado.models import Case


def monitoring_panel(user: User, case: Case) -> dict[str, Any]:
    """Context for ``lado/case/_monitoring.html``."""
    return {"monitoring_case": case}


urlpatterns: list[URLPattern] = []
