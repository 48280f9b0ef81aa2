"""The project's URLs. Every page here is covered by the URL walker and access tests."""

from __future__ import annotations

from django.urls import include, path

from threshold.accounts import organisation_views
from threshold.accounts import views as account_views
from threshold.audit import views as audit_views
from threshold.core import views as core_views
from threshold.people import views as people_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("accessibility/", core_views.accessibility, name="accessibility"),
    path("privacy/", core_views.privacy, name="privacy"),
    path("health/", core_views.health, name="health"),
    path("accounts/", include("allauth.account.urls")),
    # Our TOTP set-up view comes first so it wins over allauth's of the same name.
    path("accounts/2fa/totp/activate/", account_views.activate_totp, name="mfa_activate_totp"),
    path("accounts/2fa/", include("allauth.mfa.urls")),
    path("organisation/switch/", account_views.organisation_switch, name="organisation_switch"),
    path("invitations/accept/", account_views.invitation_accept, name="invitation_accept"),
    path("invitations/<int:invitation_id>/revoke/", account_views.invitation_revoke, name="invitation_revoke"),
    path("invitations/<str:token>/", account_views.invitation_open, name="invitation_open"),
    path("sign-in-reset/", account_views.sign_in_reset_check_email, name="sign_in_reset_check_email"),
    path("sign-in-reset/resend/", account_views.sign_in_reset_resend, name="sign_in_reset_resend"),
    path("sign-in-reset/confirm/", account_views.sign_in_reset_confirm, name="sign_in_reset_confirm"),
    path("sign-in-reset/<str:token>/", account_views.sign_in_reset_open, name="sign_in_reset_open"),
    path("users/", account_views.user_list, name="user_list"),
    path("users/invite/", account_views.user_invite, name="user_invite"),
    path("users/<int:user_id>/", account_views.user_detail, name="user_detail"),
    path("users/<int:user_id>/deactivate/", account_views.user_deactivate, name="user_deactivate"),
    path("users/<int:user_id>/reactivate/", account_views.user_reactivate, name="user_reactivate"),
    path("users/<int:user_id>/reset-sign-in/", account_views.user_reset_sign_in, name="user_reset_sign_in"),
    path("organisations/", organisation_views.organisation_list, name="organisation_list"),
    path("organisations/add/", organisation_views.organisation_add, name="organisation_add"),
    path("organisations/<int:organisation_id>/", organisation_views.organisation_edit, name="organisation_edit"),
    path(
        "organisations/<int:organisation_id>/policy-pack/",
        organisation_views.organisation_pack,
        name="organisation_pack",
    ),
    path(
        "organisations/<int:organisation_id>/role-grants/",
        organisation_views.organisation_role_grants,
        name="organisation_role_grants",
    ),
    path(
        "organisations/<int:organisation_id>/role-grants/<int:grant_id>/approve/",
        organisation_views.role_grant_approve,
        name="role_grant_approve",
    ),
    path(
        "organisations/<int:organisation_id>/role-grants/<int:grant_id>/refuse/",
        organisation_views.role_grant_refuse,
        name="role_grant_refuse",
    ),
    path("memberships/<int:membership_id>/role/", account_views.membership_role, name="membership_role"),
    path("memberships/<int:membership_id>/end/", account_views.membership_end, name="membership_end"),
    path("concerns/", include("threshold.concerns.urls")),
    path("allegations/", include("threshold.allegations.urls")),
    path("chronology/", include("threshold.chronology.urls")),
    path("people/<record:person_id>/", people_views.person_detail, name="person_detail"),
    path(
        "records/<str:record_type>/<record:record_id>/not-about/",
        people_views.person_match_clear,
        name="person_match_clear",
    ),
    path("", include("threshold.lado.urls")),
    path("", include("threshold.timescales.urls")),
    path("notifications/", include("threshold.notifications.urls")),
    path("documents/", include("threshold.documents.urls")),
    path("reports/", include("threshold.reports.urls")),
    path("", include("threshold.imports.urls")),
    path("audit/events/", audit_views.organisation_events, name="audit_events"),
    path("audit/events.csv", audit_views.organisation_events_csv, name="audit_events_csv"),
    path(
        "audit/records/<str:record_type>/<record:record_id>/",
        audit_views.record_events,
        name="audit_record_events",
    ),
    path("audit/people/<record:person_id>/access-log/", audit_views.person_access_log, name="audit_person_access_log"),
]

handler400 = "threshold.core.views.bad_request"
handler403 = "threshold.core.views.permission_denied"
handler404 = "threshold.core.views.page_not_found"
handler500 = "threshold.core.views.server_error"
