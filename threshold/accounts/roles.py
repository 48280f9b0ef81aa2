"""Organisation kinds and the roles people hold in them, in the words the seeds use."""

from __future__ import annotations

from django.db import models


class OrganisationKind(models.TextChoices):
    """What kind of body an organisation is; decides which roles make sense in it."""

    LOCAL_AUTHORITY = "local_authority", "Local authority (LADO service)"
    POLICE = "police", "Police force"
    CHILDRENS_SOCIAL_CARE = "childrens_social_care", "Children's social care"
    ACADEMY_TRUST = "academy_trust", "Academy trust"
    SCHOOL = "school", "School"
    EARLY_YEARS = "early_years", "Early years setting"
    OTHER_EMPLOYER = "other_employer", "Other employer (club, faith group, charity)"
    AGENCY = "agency", "Supply or recruitment agency"


# Settings are where adults work with children: they lie in a local authority
# area, and that area's LADO receives their referrals.
SETTING_KINDS = frozenset(
    {
        OrganisationKind.SCHOOL,
        OrganisationKind.EARLY_YEARS,
        OrganisationKind.OTHER_EMPLOYER,
        OrganisationKind.AGENCY,
        OrganisationKind.ACADEMY_TRUST,
    }
)


class Role(models.TextChoices):
    """A role held through a membership of one organisation."""

    LADO = "lado", "LADO"
    LADO_MANAGER = "lado_manager", "LADO manager"
    LADO_BUSINESS_SUPPORT = "lado_business_support", "LADO business support"
    CASE_MANAGER = "case_manager", "Headteacher or manager (case manager)"
    DSL = "dsl", "Designated safeguarding lead (DSL)"
    STAFF = "staff", "Staff member"
    DIRECTOR_OF_SCHOOL = "director_of_school", "Director of school or trust safeguarding lead"
    HR_BUSINESS_PARTNER = "hr_business_partner", "HR business partner"
    POLICE_LIAISON = "police_liaison", "Police liaison"
    CSC_MANAGER = "csc_manager", "Children's social care manager"
    AUDITOR = "auditor", "Auditor"
    ORG_ADMIN = "org_admin", "Organisation admin"
    # Where a setting has no trust, a concern about its headteacher or manager goes here (section 13.3).
    GOVERNANCE = "governance", "Chair of governors or management committee"


LADO_ROLES = frozenset({Role.LADO, Role.LADO_MANAGER, Role.LADO_BUSINESS_SUPPORT})
# Partner agencies: they see only the cases and meetings shared with them by name.
PARTNER_ROLES = frozenset({Role.POLICE_LIAISON, Role.CSC_MANAGER})
EMPLOYER_ROLES = frozenset(
    {
        Role.CASE_MANAGER,
        Role.DSL,
        Role.STAFF,
        Role.DIRECTOR_OF_SCHOOL,
        Role.HR_BUSINESS_PARTNER,
    }
)

# Which roles may be held in which kind of organisation. A mismatch (a LADO in
# a nursery) is refused at the service layer, so an invitation cannot create one.
ROLES_BY_KIND: dict[str, frozenset[str]] = {
    OrganisationKind.LOCAL_AUTHORITY: LADO_ROLES | {Role.AUDITOR, Role.ORG_ADMIN},
    OrganisationKind.POLICE: frozenset({Role.POLICE_LIAISON, Role.ORG_ADMIN}),
    OrganisationKind.CHILDRENS_SOCIAL_CARE: frozenset({Role.CSC_MANAGER, Role.ORG_ADMIN}),
    OrganisationKind.ACADEMY_TRUST: frozenset(
        {Role.DIRECTOR_OF_SCHOOL, Role.HR_BUSINESS_PARTNER, Role.DSL, Role.AUDITOR, Role.ORG_ADMIN}
    ),
    OrganisationKind.SCHOOL: EMPLOYER_ROLES - {Role.DIRECTOR_OF_SCHOOL} | {Role.ORG_ADMIN, Role.GOVERNANCE},
    OrganisationKind.EARLY_YEARS: EMPLOYER_ROLES - {Role.DIRECTOR_OF_SCHOOL} | {Role.ORG_ADMIN, Role.GOVERNANCE},
    OrganisationKind.OTHER_EMPLOYER: EMPLOYER_ROLES - {Role.DIRECTOR_OF_SCHOOL} | {Role.ORG_ADMIN, Role.GOVERNANCE},
    OrganisationKind.AGENCY: EMPLOYER_ROLES - {Role.DIRECTOR_OF_SCHOOL} | {Role.ORG_ADMIN, Role.GOVERNANCE},
}

ROLE_DESCRIPTIONS: dict[str, str] = {
    Role.LADO: "Gives consultations, decides whether referrals meet the threshold and manages LADO cases.",
    Role.LADO_MANAGER: "Oversees the LADO service: all cases, allocation between LADOs and reporting.",
    Role.LADO_BUSINESS_SUPPORT: "Records contacts into the LADO service and supports casework.",
    Role.CASE_MANAGER: "Triages concerns and manages allegations about staff as case manager.",
    Role.DSL: "Triages concerns and reviews low-level concerns for patterns.",
    Role.STAFF: "Shares concerns about adults working with children, including about themselves.",
    Role.DIRECTOR_OF_SCHOOL: "Receives concerns about headteachers and oversees the trust's schools.",
    Role.HR_BUSINESS_PARTNER: "Advises case managers on HR strategy, suspension and disciplinary routes.",
    Role.POLICE_LIAISON: "Sees cases and meetings the LADO shares with the police, and adds police updates.",
    Role.CSC_MANAGER: "Sees cases and meetings the LADO shares with children's social care.",
    Role.AUDITOR: "Reads records and the audit trail within the organisation; changes nothing.",
    Role.GOVERNANCE: "Receives concerns about the headteacher or manager: handles them where the setting has no"
    " trust, and is told of them and reads them in a trust's school.",
    Role.ORG_ADMIN: "Invites people to the organisation, changes their roles and deactivates them. No case data.",
}
