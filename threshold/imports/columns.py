"""The canonical columns of an import, the headers people really use for them, and their coded values.

The canonical columns are those of the protocol's Suggested Recording Data Set, as ``docs/import.md``
lists them: a file with exactly these headers needs no mapping. Other headers are recognised by their
common variants ("Date received", "Surname", "DOB", "Setting"...), compared without case, spaces or
punctuation; anything else the person maps by hand.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from threshold.core.vocabularies import AbuseCategory, CameToLight, Ethnicity, Gender, Outcome
from threshold.lado.models import ConsultationReason, ContactSource, Level
from threshold.lado.models.cases import Sector


class Kind(StrEnum):
    """How a column's cells are read."""

    TEXT = "text"
    DATE = "date"
    YES_NO = "yes_no"
    CODED = "coded"  # one of a list of values
    CODES = "codes"  # several, separated by ";"


@dataclass(frozen=True)
class Column:
    """One field Threshold imports: its canonical header, what people call it, and how its cells are read."""

    name: str
    label: str
    kind: Kind = Kind.TEXT
    variants: tuple[str, ...] = ()
    choices: tuple[tuple[str, str], ...] = ()
    # Short forms people type for a code ("T1", "Phys", "Sub"), beside the code and its label.
    aliases: Mapping[str, str] = field(default_factory=dict)
    max_length: int = 200


def choices_of(choices: Iterable[tuple[str, str]], *, without: Sequence[str] = ()) -> tuple[tuple[str, str], ...]:
    """A model's choices as a column's, its labels as text, leaving out ``without``."""
    return tuple((value, str(label)) for value, label in choices if value not in without)


LEVEL_ALIASES = {
    "t1": Level.TIER_1,
    "tier1": Level.TIER_1,
    "1": Level.TIER_1,
    "tierone": Level.TIER_1,
    "t2": Level.TIER_2,
    "tier2": Level.TIER_2,
    "2": Level.TIER_2,
    "tiertwo": Level.TIER_2,
    "c": Level.CONSULTATION,
    "consult": Level.CONSULTATION,
    "advice": Level.CONSULTATION,
    "consultationonly": Level.CONSULTATION,
}
CATEGORY_ALIASES = {
    "phys": AbuseCategory.PHYSICAL,
    "p": AbuseCategory.PHYSICAL,
    "pa": AbuseCategory.PHYSICAL,
    "sex": AbuseCategory.SEXUAL,
    "s": AbuseCategory.SEXUAL,
    "sa": AbuseCategory.SEXUAL,
    "emot": AbuseCategory.EMOTIONAL,
    "emotion": AbuseCategory.EMOTIONAL,
    "e": AbuseCategory.EMOTIONAL,
    "ea": AbuseCategory.EMOTIONAL,
    "neg": AbuseCategory.NEGLECT,
    "n": AbuseCategory.NEGLECT,
    "suitability": AbuseCategory.CONDUCT,
    "behaviour": AbuseCategory.CONDUCT,
    "transferablerisk": AbuseCategory.CONDUCT,
}
OUTCOME_ALIASES = {
    "sub": Outcome.SUBSTANTIATED,
    "subs": Outcome.SUBSTANTIATED,
    "unsub": Outcome.UNSUBSTANTIATED,
    "unsubs": Outcome.UNSUBSTANTIATED,
    "mal": Outcome.MALICIOUS,
    "unf": Outcome.UNFOUNDED,
}
GENDER_ALIASES = {"f": Gender.FEMALE, "m": Gender.MALE, "woman": Gender.FEMALE, "man": Gender.MALE}
SOURCE_ALIASES = {
    "school": ContactSource.EMPLOYER,
    "academy": ContactSource.EMPLOYER,
    "csc": ContactSource.CHILDRENS_SOCIAL_CARE,
    "socialcare": ContactSource.CHILDRENS_SOCIAL_CARE,
    "parent": ContactSource.PARENT,
    "carer": ContactSource.PARENT,
    "la": ContactSource.OTHER_LOCAL_AUTHORITY,
    "publicmember": ContactSource.PUBLIC,
}

COLUMNS: tuple[Column, ...] = (
    Column(
        "reference",
        "Source reference",
        variants=(
            "ref",
            "referenceno",
            "referencenumber",
            "caseref",
            "id",
            "caseid",
            "ladoref",
            "ladoreference",
            "caseno",
            "casenumber",
            "ourref",
        ),
    ),
    Column(
        "received_on",
        "Date received",
        Kind.DATE,
        variants=(
            "datereceived",
            "received",
            "dateofreferral",
            "referraldate",
            "datereferred",
            "date",
            "dateofcontact",
            "contactdate",
        ),
    ),
    Column(
        "source",
        "Who made the contact",
        Kind.CODED,
        variants=("referrersource", "sourceofreferral", "referralsource", "referredby", "agencytype"),
        choices=choices_of(ContactSource.choices, without=(ContactSource.THRESHOLD, ContactSource.NOT_RECORDED)),
        aliases=SOURCE_ALIASES,
    ),
    Column("referrer_name", "Referrer's name", variants=("referrer", "nameofreferrer", "referrername")),
    Column(
        "referrer_agency",
        "Referrer's agency",
        variants=("referringagency", "agency", "referreragency", "referrerorganisation"),
    ),
    Column(
        "adult_first_name",
        "Adult's first name",
        variants=("firstname", "forename", "forenames", "givenname", "givennames", "adultforename", "subjectfirstname"),
    ),
    Column(
        "adult_last_name",
        "Adult's last name",
        variants=("lastname", "surname", "familyname", "adultsurname", "subjectsurname", "subjectlastname"),
    ),
    # Not a data set column: many logs keep the adult's name in one cell; used when the two parts are not given.
    Column(
        "adult_name",
        "Adult's full name",
        variants=(
            "name",
            "adultname",
            "nameofadult",
            "subject",
            "subjectname",
            "fullname",
            "nameofperson",
            "adult",
            "staffname",
            "nameofstaffmember",
        ),
    ),
    Column(
        "adult_date_of_birth",
        "Adult's date of birth",
        Kind.DATE,
        variants=("dob", "dateofbirth", "birthdate", "adultdob", "subjectdob"),
    ),
    Column(
        "adult_gender",
        "Adult's gender",
        Kind.CODED,
        variants=("gender", "sex"),
        choices=choices_of(Gender.choices),
        aliases=GENDER_ALIASES,
    ),
    Column(
        "adult_ethnicity",
        "Adult's ethnicity",
        Kind.CODED,
        variants=("ethnicity", "ethnicorigin"),
        choices=choices_of(Ethnicity.choices),
    ),
    Column("adult_address", "Adult's address", variants=("address", "homeaddress"), max_length=1000),
    Column(
        "employer_name",
        "Employer",
        variants=(
            "setting",
            "employer",
            "employingagency",
            "school",
            "organisation",
            "establishment",
            "placeofwork",
            "employername",
        ),
    ),
    Column(
        "employer_sector",
        "Employer's sector",
        Kind.CODED,
        variants=("sector", "employersector", "settingtype", "typeofsetting"),
        choices=choices_of(Sector.choices),
    ),
    Column("adult_role", "Adult's role", variants=("role", "jobtitle", "occupation", "post", "position")),
    Column(
        "came_to_light",
        "How it came to light",
        Kind.CODED,
        variants=("howcametolight", "cametolight"),
        choices=choices_of(CameToLight.choices),
    ),
    Column(
        "categories",
        "Categories of abuse",
        Kind.CODES,
        variants=(
            "category",
            "categoryofabuse",
            "abusecategory",
            "typeofabuse",
            "categoryofallegation",
            "allegationtype",
        ),
        choices=choices_of(AbuseCategory.choices),
        aliases=CATEGORY_ALIASES,
    ),
    Column(
        "incident_date",
        "Date of the incident",
        Kind.DATE,
        variants=("dateofincident", "incidentdate", "dateofallegation"),
    ),
    Column(
        "decision",
        "Decision",
        Kind.CODED,
        variants=("tier", "level", "thresholddecision", "outcomeofcontact", "decisionlevel"),
        choices=choices_of(Level.choices),
        aliases=LEVEL_ALIASES,
    ),
    Column(
        "consultation_reason",
        "Why a consultation",
        Kind.CODED,
        variants=("consultationreason", "reasonforconsultation", "whyconsultation", "consultationwhy"),
        choices=choices_of(ConsultationReason.choices),
    ),
    Column("decided_on", "Date decided", Kind.DATE, variants=("datedecided", "decisiondate", "dateofdecision")),
    Column("police_involved", "Police involved", Kind.YES_NO, variants=("police", "policeinvolvement")),
    Column(
        "csc_involved",
        "Children's social care involved",
        Kind.YES_NO,
        variants=("csc", "socialcare", "cscinvolved", "childrenssocialcare", "cscinvolvement"),
    ),
    Column("suspended_on", "Date suspended", Kind.DATE, variants=("suspended", "datesuspended", "suspensiondate")),
    Column(
        "dbs_referred_on",
        "Date referred to the DBS",
        Kind.DATE,
        variants=("dbsreferral", "dbsreferred", "datereferredtodbs", "dbsreferraldate", "dbs"),
    ),
    Column(
        "tra_referred_on",
        "Date referred to the TRA",
        Kind.DATE,
        variants=("trareferral", "trareferred", "datereferredtotra", "trareferraldate", "tra"),
    ),
    Column(
        "ofsted_notified_on",
        "Date Ofsted was notified",
        Kind.DATE,
        variants=("ofsted", "ofstednotified", "dateofstednotified", "ofstednotification"),
    ),
    Column(
        "outcome",
        "Outcome",
        Kind.CODED,
        variants=("caseoutcome", "finaloutcome", "outcomeofallegation"),
        choices=choices_of(Outcome.choices),
        aliases=OUTCOME_ALIASES,
    ),
    Column(
        "concluded_on",
        "Date concluded",
        Kind.DATE,
        variants=("dateclosed", "closed", "dateconcluded", "closuredate", "conclusiondate", "closedon"),
    ),
    Column(
        "lado_email",
        "LADO's email address",
        variants=("lado", "ladoemail", "allocatedlado", "caseworker", "allocatedto"),
    ),
    # Not a data set column: a log's running notes, kept as one chronology entry on the case, on the day received.
    Column(
        "chronology_notes",
        "Notes for the chronology",
        variants=("chronology", "casenotes", "updates", "actionstaken", "progressnotes", "ladonotes"),
        max_length=20000,
    ),
    Column(
        "summary",
        "Summary",
        variants=(
            "details",
            "briefdetails",
            "summaryofallegation",
            "description",
            "allegation",
            "circumstances",
            "notes",
            "summaryofconcern",
        ),
        max_length=20000,
    ),
)
_FOLD = re.compile(r"[\W_]+")
_ARTICLE = re.compile(r"^(a|an|the)\s+", re.IGNORECASE)


def folded(text: object) -> str:
    """A header or value compared without case, spaces or punctuation ("Date Received:" → "datereceived").

    Letters of every script are kept ("王伟" stays itself), so two names in other scripts never fold alike.
    """
    return _FOLD.sub("", str(text or "").casefold())


class ColumnSet:
    """The fields one kind of import takes, and the headers that mean each of them."""

    def __init__(self, columns: Sequence[Column]) -> None:
        self.columns = tuple(columns)
        self.by_name: dict[str, Column] = {column.name: column for column in self.columns}
        # The columns whose values are codes: the mapping page asks how the file's values translate.
        self.coded = tuple(column.name for column in self.columns if column.kind in (Kind.CODED, Kind.CODES))
        self._headers: dict[str, str] = {}
        for column in self.columns:
            for name in (column.name, column.label, *column.variants):
                self._headers.setdefault(folded(name), column.name)

    def recognised(self, header: object) -> str | None:
        """The canonical column a header means, if Threshold recognises it."""
        return self._headers.get(folded(header))

    def suggested_mapping(self, headers: Sequence[str]) -> dict[str, str]:
        """Canonical column → the file's header, for every header recognised (the first of two for one column)."""
        mapping: dict[str, str] = {}
        for header in headers:
            name = self.recognised(header)
            if name is not None and name not in mapping:
                mapping[name] = header
        return mapping


LADO_COLUMNS = ColumnSet(COLUMNS)
# The LADO service's columns by name, for its rules (``checking``, ``services.updating``).
BY_NAME = LADO_COLUMNS.by_name


def suggested_code(column: Column, value: object) -> str | None:
    """The code a coded cell most likely means: the code itself, its label, or a short form people use."""
    key = folded(value)
    if not key:
        return None
    for code, label in column.choices:
        if key in (folded(code), folded(label)):
            return code
    if key in column.aliases:
        return str(column.aliases[key])
    # A label's first words ("White: Irish" for "white_irish", "Disclosure by a child" typed "Disclosure child"),
    # its article left off ("Disclosure by a child" for "A disclosure by a child").
    starts = [
        code
        for code, label in column.choices
        if folded(label).startswith(key)
        or folded(_ARTICLE.sub("", label)).startswith(key)
        or key.startswith(folded(code))
    ]
    return starts[0] if len(starts) == 1 else None
