"""A case file and a referral as a clean print page and a PDF."""

from __future__ import annotations

from django.urls import path

from threshold.reports.printing import views

urlpatterns = [
    path("print/lado/cases/<record:case_id>/", views.case_print, name="case_print"),
    path("print/lado/cases/<record:case_id>/pdf/", views.case_pdf, name="case_pdf"),
    path("print/lado/contacts/<record:contact_id>/", views.contact_print, name="contact_print"),
    path("print/lado/contacts/<record:contact_id>/pdf/", views.contact_pdf, name="contact_pdf"),
    path("print/allegations/<record:allegation_id>/referral/", views.referral_print, name="referral_print"),
    path("print/allegations/<record:allegation_id>/referral/pdf/", views.referral_pdf, name="referral_pdf"),
]
