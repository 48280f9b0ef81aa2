"""Timescales URLs: each views module owns its patterns (names are global, as elsewhere in the project)."""

from __future__ import annotations

from threshold.timescales.views import close, work

urlpatterns = [
    *work.urlpatterns,
    *close.urlpatterns,
]
