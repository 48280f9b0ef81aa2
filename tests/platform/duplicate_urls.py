"""A URL configuration with one name used twice, for the test that the URL walker refuses it."""

from __future__ import annotations

from django.http import HttpResponse
from django.urls import path


def _page(request: object) -> HttpResponse:
    return HttpResponse("")


urlpatterns = [
    path("one/", _page, name="twice"),
    path("two/", _page, name="twice"),
]
