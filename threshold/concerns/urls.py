"""URLs for concerns: raising, triage, low-level concern records and pattern reviews."""

from __future__ import annotations

from django.urls import path

from threshold.concerns import leaving_views, manage_views, review_views, sign_off_views, views

urlpatterns = [
    path("", views.concern_list, name="concern_list"),
    path("export.csv", views.concern_export, name="concern_export"),
    path("share/", views.concern_share, name="concern_share"),
    path("mine/", views.concern_my_reports, name="concern_my_reports"),
    path("<record:concern_id>/", views.concern_detail, name="concern_detail"),
    path("<record:concern_id>/triage/", views.concern_triage, name="concern_triage"),
    path("<record:concern_id>/low-level/", views.concern_low_level, name="concern_low_level"),
    path("<record:concern_id>/leaving-date/", leaving_views.concern_leaving_date, name="concern_leaving_date"),
    path("<record:concern_id>/close/", manage_views.concern_close, name="concern_close"),
    path("<record:concern_id>/reroute/", manage_views.concern_reroute, name="concern_reroute"),
    path("<record:concern_id>/escalate/", manage_views.concern_escalate, name="concern_escalate"),
    path("<record:concern_id>/sign-off/", sign_off_views.concern_sign_off, name="concern_sign_off"),
    path("<record:concern_id>/share-with-hr/", sign_off_views.concern_share_hr, name="concern_share_hr"),
    path("<record:concern_id>/hr-advice/", sign_off_views.concern_hr_advice, name="concern_hr_advice"),
    path("reviews/", review_views.pattern_review_list, name="pattern_review_list"),
    path("reviews/start/<int:organisation_id>/", review_views.pattern_review_start, name="pattern_review_start"),
    path("reviews/<record:review_id>/", review_views.pattern_review_detail, name="pattern_review_detail"),
    path(
        "reviews/findings/<record:finding_id>/escalate/",
        review_views.pattern_finding_escalate,
        name="pattern_finding_escalate",
    ),
]
