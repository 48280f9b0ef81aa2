"""The employer's dashboards: the trust's picture and a school's own view."""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
