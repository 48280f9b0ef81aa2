"""A case file and a referral as a clean print page and a PDF."""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
