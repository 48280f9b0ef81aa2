"""The vocabularies both sides record: gender, ethnicity, how it came to light, abuse category, outcome, phase.

The employer's referral (``allegations``) and the LADO's case (``lado``) ask for the same data set (the local
protocol's recording fields and KCSIE's five outcomes), so the choices live here, below both. A school's phase of
education is recorded on the organisation (``accounts``) and on the case, so it lives here too. They are choices
only: a stored value is the first item of each pair, and renaming a label changes no row.
"""

from __future__ import annotations

from django.db import models


class Gender(models.TextChoices):
    """Gender as recorded for the LADO data set."""

    FEMALE = "female", "Female"
    MALE = "male", "Male"
    OTHER = "other", "Described in another way"
    NOT_KNOWN = "not_known", "Not known"


class Ethnicity(models.TextChoices):
    """Ethnic group, England and Wales census 2021 categories."""

    ASIAN_BANGLADESHI = "asian_bangladeshi", "Asian or Asian British: Bangladeshi"
    ASIAN_CHINESE = "asian_chinese", "Asian or Asian British: Chinese"
    ASIAN_INDIAN = "asian_indian", "Asian or Asian British: Indian"
    ASIAN_PAKISTANI = "asian_pakistani", "Asian or Asian British: Pakistani"
    ASIAN_OTHER = "asian_other", "Asian or Asian British: any other Asian background"
    BLACK_AFRICAN = "black_african", "Black, Black British, Caribbean or African: African"
    BLACK_CARIBBEAN = "black_caribbean", "Black, Black British, Caribbean or African: Caribbean"
    BLACK_OTHER = "black_other", "Black, Black British, Caribbean or African: any other Black background"
    MIXED_WHITE_ASIAN = "mixed_white_asian", "Mixed or multiple ethnic groups: White and Asian"
    MIXED_WHITE_BLACK_AFRICAN = "mixed_white_black_african", "Mixed or multiple ethnic groups: White and Black African"
    MIXED_WHITE_BLACK_CARIBBEAN = (
        "mixed_white_black_caribbean",
        "Mixed or multiple ethnic groups: White and Black Caribbean",
    )
    MIXED_OTHER = "mixed_other", "Mixed or multiple ethnic groups: any other mixed background"
    WHITE_BRITISH = "white_british", "White: English, Welsh, Scottish, Northern Irish or British"
    WHITE_IRISH = "white_irish", "White: Irish"
    WHITE_GYPSY = "white_gypsy", "White: Gypsy or Irish Traveller"
    WHITE_ROMA = "white_roma", "White: Roma"
    WHITE_OTHER = "white_other", "White: any other White background"
    OTHER_ARAB = "other_arab", "Other ethnic group: Arab"
    OTHER_ANY = "other_any", "Other ethnic group: any other ethnic group"
    NOT_KNOWN = "not_known", "Not known"


class CameToLight(models.TextChoices):
    """How the allegation came to light."""

    DISCLOSURE_CHILD = "disclosure_child", "Disclosure by a child"
    DISCLOSURE_PARENT = "disclosure_parent", "Disclosure by a parent or carer"
    DISCLOSURE_ADULT = "disclosure_adult", "Disclosure by another adult"
    COMPLAINT = "complaint", "Complaint"
    OBSERVED = "observed", "Observed by staff"
    SUSPICION = "suspicion", "Suspicion"
    VETTING = "vetting", "Pre-employment vetting checks"
    POLICE = "police", "Information from the police"
    OTHER = "other", "Other"


class AbuseCategory(models.TextChoices):
    """Category of abuse (the LADO data set)."""

    PHYSICAL = "physical", "Physical"
    SEXUAL = "sexual", "Sexual"
    EMOTIONAL = "emotional", "Emotional"
    NEGLECT = "neglect", "Neglect"
    CONDUCT = "conduct", "Conduct"


class Outcome(models.TextChoices):
    """The five outcomes (section 6.3)."""

    SUBSTANTIATED = "substantiated", "Substantiated"
    MALICIOUS = "malicious", "Malicious"
    FALSE = "false", "False"
    UNSUBSTANTIATED = "unsubstantiated", "Unsubstantiated"
    UNFOUNDED = "unfounded", "Unfounded"


class SchoolPhase(models.TextChoices):
    """A school's phase of education, in DfE's words (Get Information about Schools, "phase of education").

    GIAS's phases are nursery, primary, middle deemed primary, secondary, middle deemed secondary, 16 plus,
    all-through and "not applicable"; a middle school counts with the phase it is deemed. GIAS records special
    schools and alternative provision (pupil referral units) as types of establishment, often with "not
    applicable" as their phase; LADO returns count them apart, so here they are phases of their own. Blank (no
    choice) is "not recorded".
    """

    NURSERY = "nursery", "Nursery"
    PRIMARY = "primary", "Primary"
    SECONDARY = "secondary", "Secondary"
    ALL_THROUGH = "all_through", "All-through"
    SPECIAL = "special", "Special school"
    ALTERNATIVE_PROVISION = "alternative_provision", "Alternative provision or pupil referral unit"
    SIXTEEN_PLUS = "sixteen_plus", "16 plus (sixth form college or further education)"
    NOT_APPLICABLE = "not_applicable", "Not applicable (not a school)"
