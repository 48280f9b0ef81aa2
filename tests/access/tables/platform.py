"""Rows for the platform (issue 2) and the access and audit pages and record types (issue 4)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from threshold.accounts.models import Membership, Organisation, User


def _henry(ids: dict[str, int]) -> list[Any]:
    return [User.objects.get(email="henry.hr@riverside.example").pk]


def _riverside(ids: dict[str, int]) -> list[Any]:
    return [Organisation.objects.get(name="Riverside Learning Trust").pk]


def _henrys_membership(ids: dict[str, int]) -> list[Any]:
    return [Membership.objects.get(user__email="henry.hr@riverside.example").pk]


ARGS: dict[str, Callable[[dict[str, int]], list[Any]]] = {
    "concern_detail": lambda ids: [ids["concern_by_tom"]],
    "allegation_detail": lambda ids: [ids["allegation_chris"]],
    "person_detail": lambda ids: [ids["person_chris"]],
    "contact_detail": lambda ids: [ids["contact_chris"]],
    "case_detail": lambda ids: [ids["case_chris"]],
    "meeting_detail": lambda ids: [ids["meeting_chris"]],
    "document_download": lambda ids: [ids["document_allegation"]],
    "audit_record_events": lambda ids: ["case", ids["case_chris"]],
    "audit_person_access_log": lambda ids: [ids["person_la_chris"]],
    "invitation_revoke": lambda ids: [1],
    "user_detail": _henry,
    "user_deactivate": _henry,
    "user_reactivate": _henry,
    "membership_role": _henrys_membership,
    "membership_end": _henrys_membership,
    "user_reset_sign_in": _henry,
    "organisation_edit": _riverside,
    "organisation_pack": _riverside,
    "organisation_role_grants": _riverside,
    "person_match_clear": lambda ids: ["concern", ids["concern_by_tom"]],
    "role_grant_approve": lambda ids: [*_riverside(ids), 1],
    "role_grant_refuse": lambda ids: [*_riverside(ids), 1],
}

TABLE = """
url                                  lara  mo    sam   hana  dev   tom   priya henry nina  pat   cara  ada   olu   sid   gina
accessibility                        200   200   200   200   200   200   200   200   200   200   200   200   200   200   200
account_change_password              200   200   200   200   200   200   200   200   200   200   200   200   200   200   200
account_confirm_email                200   200   200   200   200   200   200   200   200   200   200   200   200   200   200
account_confirm_login_code           302   302   302   302   302   302   302   302   302   302   302   302   302   302   302
account_email                        200   200   200   200   200   200   200   200   200   200   200   200   200   200   200
account_email_verification_sent      200   200   200   200   200   200   200   200   200   200   200   200   200   200   200
account_inactive                     200   200   200   200   200   200   200   200   200   200   200   200   200   200   200
account_login                        302   302   302   302   302   302   302   302   302   302   302   302   302   302   302
account_logout                       200   200   200   200   200   200   200   200   200   200   200   200   200   200   200
account_reauthenticate               200   200   200   200   200   200   200   200   200   200   200   200   200   200   200
account_reset_password               200   200   200   200   200   200   200   200   200   200   200   200   200   200   200
account_reset_password_done          200   200   200   200   200   200   200   200   200   200   200   200   200   200   200
account_reset_password_from_key      200   200   200   200   200   200   200   200   200   200   200   200   200   200   200
account_reset_password_from_key_done 200   200   200   200   200   200   200   200   200   200   200   200   200   200   200
account_set_password                 302   302   302   302   302   302   302   302   302   302   302   302   302   302   302
account_signup                       302   302   302   302   302   302   302   302   302   302   302   302   302   302   302
allegation_detail                    404   404   404   200   200   404   200   200   404   404   404   404   404   404   404
audit_events                         403   200   403   403   403   403   403   403   403   403   403   200   403   403   403
audit_events_csv                     403   200   403   403   403   403   403   403   403   403   403   200   403   403   403
audit_person_access_log              403   200   403   403   403   403   403   403   403   403   403   200   403   403   403
audit_record_events                  403   200   403   403   403   403   403   403   403   403   403   200   403   403   403
case_detail                          200   200   404   404   404   404   404   404   404   200   200   200   404   404   404
case_list                            200   200   200   200   200   200   200   200   200   200   200   200   200   200   200
concern_detail                       404   404   404   200   200   200   200   404   404   404   404   404   404   404   404
concern_export                       302   302   302   302   302   302   302   302   302   302   302   302   302   302   302
concern_list                         200   200   200   200   200   200   200   200   200   200   200   200   200   200   200
contact_detail                       200   200   404   404   404   404   404   404   404   404   404   200   404   404   404
document_download                    404   404   404   200   200   404   200   200   404   404   404   404   404   404   404
health                               200   200   200   200   200   200   200   200   200   200   200   200   200   200   200
home                                 200   200   200   200   200   200   200   200   200   200   200   200   200   200   200
invitation_accept                    404   404   404   404   404   404   404   404   404   404   404   404   404   404   404
invitation_open                      302   302   302   302   302   302   302   302   302   302   302   302   302   302   302
invitation_revoke                    403   403   403   403   403   403   403   403   403   403   403   403   405   405   403
meeting_detail                       200   200   404   404   404   404   404   404   404   200   200   200   404   404   404
membership_end                       403   403   403   403   403   403   403   403   403   403   403   403   405   405   403
membership_role                      403   403   403   403   403   403   403   403   403   403   403   403   405   405   403
mfa_activate_totp                    302   302   302   302   302   302   302   302   302   302   302   302   302   302   302
mfa_authenticate                     302   302   302   302   302   302   302   302   302   302   302   302   302   302   302
mfa_deactivate_totp                  302   302   302   302   302   302   302   302   302   302   302   302   302   302   302
mfa_download_recovery_codes          302   302   302   302   302   302   302   302   302   302   302   302   302   302   302
mfa_generate_recovery_codes          302   302   302   302   302   302   302   302   302   302   302   302   302   302   302
mfa_index                            200   200   200   200   200   200   200   200   200   200   200   200   200   200   200
mfa_reauthenticate                   200   200   200   200   200   200   200   200   200   200   200   200   200   200   200
mfa_view_recovery_codes              302   302   302   302   302   302   302   302   302   302   302   302   302   302   302
organisation_add                     403   403   403   403   403   403   403   403   403   403   403   403   403   200   403
organisation_edit                    403   403   403   403   403   403   403   403   403   403   403   403   403   200   403
organisation_list                    403   403   403   403   403   403   403   403   403   403   403   403   403   200   403
organisation_pack                    403   403   403   403   403   403   403   403   403   403   403   403   200   200   403
organisation_role_grants             403   403   403   403   403   403   403   403   403   403   403   403   200   200   403
organisation_switch                  405   405   405   405   405   405   405   405   405   405   405   405   405   405   405
person_detail                        404   404   404   200   200   404   200   200   404   404   404   404   404   404   404
person_match_clear                   405   405   405   405   405   405   405   405   405   405   405   405   405   405   405
privacy                              200   200   200   200   200   200   200   200   200   200   200   200   200   200   200
role_grant_approve                   403   403   403   403   403   403   403   403   403   403   403   403   405   405   403
role_grant_refuse                    403   403   403   403   403   403   403   403   403   403   403   403   405   405   403
sign_in_reset_check_email            302   302   302   302   302   302   302   302   302   302   302   302   302   302   302
sign_in_reset_confirm                404   404   404   404   404   404   404   404   404   404   404   404   404   404   404
sign_in_reset_open                   302   302   302   302   302   302   302   302   302   302   302   302   302   302   302
sign_in_reset_resend                 405   405   405   405   405   405   405   405   405   405   405   405   405   405   405
user_deactivate                      403   403   403   403   403   403   403   403   403   403   403   403   405   405   403
user_detail                          403   403   403   403   403   403   403   403   403   403   403   403   200   200   403
user_invite                          403   403   403   403   403   403   403   403   403   403   403   403   200   200   403
user_list                            403   403   403   403   403   403   403   403   403   403   403   403   200   200   403
user_reactivate                      403   403   403   403   403   403   403   403   403   403   403   403   405   405   403
user_reset_sign_in                   403   403   403   403   403   403   403   403   403   403   403   403   200   200   403
"""
