"""URLs for allegations the employer manages."""

from __future__ import annotations

from django.urls import path

from threshold.allegations import views
from threshold.allegations.views.requests import allegation_information_reply

urlpatterns = [
    path("", views.allegation_list, name="allegation_list"),
    path("<record:allegation_id>/", views.allegation_detail, name="allegation_detail"),
    path("<record:allegation_id>/details/", views.allegation_edit, name="allegation_edit"),
    path("<record:allegation_id>/referral/", views.allegation_referral, name="allegation_referral"),
    path("<record:allegation_id>/parents/", views.allegation_parent_update, name="allegation_parent_update"),
    path("<record:allegation_id>/steps/<str:step>/", views.allegation_step, name="allegation_step"),
    path("<record:allegation_id>/suspension/", views.allegation_risk_assessment, name="allegation_risk_assessment"),
    path("<record:allegation_id>/support/", views.allegation_support, name="allegation_support"),
    path("<record:allegation_id>/support/update/", views.allegation_progress_update, name="allegation_progress_update"),
    path("<record:allegation_id>/police/", views.allegation_police, name="allegation_police"),
    path("<record:allegation_id>/outcome/", views.allegation_outcome, name="allegation_outcome"),
    path("<record:allegation_id>/file/", views.allegation_file_record, name="allegation_file_record"),
    path("<record:allegation_id>/file/copy/", views.allegation_file_copy, name="allegation_file_copy"),
    path("<record:allegation_id>/outcome/<str:body>/", views.allegation_follow_up, name="allegation_follow_up"),
    path("<record:allegation_id>/lessons/", views.allegation_lesson, name="allegation_lesson"),
    path("<record:allegation_id>/agency/", views.allegation_agency, name="allegation_agency"),
    path(
        "<record:allegation_id>/agency/hr-manager/",
        views.allegation_agency_hr_manager,
        name="allegation_agency_hr_manager",
    ),
    path("<record:allegation_id>/agency/sent/", views.allegation_agency_liaison, name="allegation_agency_liaison"),
    path("<record:allegation_id>/agency/reply/", views.allegation_agency_reply, name="allegation_agency_reply"),
    path(
        "<record:allegation_id>/confidentiality/",
        views.allegation_confidentiality,
        name="allegation_confidentiality",
    ),
    path(
        "<record:allegation_id>/personnel-file/",
        views.allegation_personnel_file,
        name="allegation_personnel_file",
    ),
    path(
        "<record:allegation_id>/lessons/reviewed/",
        views.allegation_lessons_review,
        name="allegation_lessons_review",
    ),
    path(
        "<record:allegation_id>/requests/<record:request_id>/reply/",
        allegation_information_reply,
        name="information_reply",
    ),
    path("lessons/", views.lessons_learned, name="lessons_learned"),
    path("restrictions/", views.restrictions, name="allegation_restrictions"),
]
