"""LADO URLs: each views module owns its patterns (names are global, as elsewhere in the project)."""

from __future__ import annotations

from threshold.lado.views import cases, contacts, meetings, monitoring, requests, team

urlpatterns = [
    *contacts.urlpatterns,
    *cases.urlpatterns,
    *meetings.urlpatterns,
    *monitoring.urlpatterns,
    *requests.urlpatterns,
    *team.urlpatterns,
]
