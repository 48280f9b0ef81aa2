"""What the LADO's decision already answered, carried into the new case's recording data set.

The decision form asks the category of abuse, the injury to the child, the date
of the incident and the kind of setting; a Tier 1 or Tier 2 decision opens a
case whose data set asks for them again ("Category of abuse (physical, sexual,
neglect, conduct etc); date of incident"). The case starts with the decision's
answers, so the LADO does not type them twice; each stays changeable on the
case's pages. The contact says how the allegation came to light when its source
does (the police, a parent).

Who manages the case follows the decision's advice: where the pack advises
children's social care ("the potential for meeting the definition of significant
harm … a strategy meeting … chaired by the relevant manager within the team and
the LADO should be invited"), children's social care manages it until it is
transferred to the LADO (``case_management``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from threshold.core.vocabularies import AbuseCategory, CameToLight
from threshold.lado.models import Contact
from threshold.lado.models.cases import CaseManager, Injury, Sector
from threshold.lado.models.contacts import ContactSource

# The contact's source, where it says how the allegation came to light.
CAME_TO_LIGHT_BY_SOURCE = {
    ContactSource.POLICE: CameToLight.POLICE,
    ContactSource.PARENT: CameToLight.DISCLOSURE_PARENT,
}
# The decision's "kind of setting" answer, as the data set's sector.
SECTOR_BY_SETTING = {
    "school": Sector.SCHOOL,
    "early_years": Sector.EARLY_YEARS,
    "further_education": Sector.FURTHER_EDUCATION,
    "other": Sector.OTHER,
}


def _date(value: object) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def dataset_from_decision(facts: Mapping[str, Any] | None, contact: Contact) -> dict[str, Any]:
    """The data set values the decision's facts (and the contact) answer; a fact not answered is left out.

    Keys are ``Case`` fields: ``abuse_categories``, ``injury``,
    ``incident_date``, ``sector`` and ``came_to_light``.
    """
    facts = facts or {}
    values: dict[str, Any] = {}
    categories = [value for value in facts.get("abuse_categories") or [] if value in AbuseCategory.values]
    if categories:
        values["abuse_categories"] = list(dict.fromkeys(categories))
    if facts.get("injury") in Injury.values:
        values["injury"] = facts["injury"]
    incident = _date(facts.get("incident_date"))
    if incident is not None:
        values["incident_date"] = incident
    if facts.get("setting_type") in SECTOR_BY_SETTING:
        values["sector"] = str(SECTOR_BY_SETTING[facts["setting_type"]])
    if contact.source in CAME_TO_LIGHT_BY_SOURCE:
        values["came_to_light"] = str(CAME_TO_LIGHT_BY_SOURCE[ContactSource(contact.source)])
    return values


def manager_from_advice(childrens_social_care_advised: bool) -> str:
    """Who manages a new case: children's social care where the pack advised referring to them, else the LADO."""
    return CaseManager.CHILDRENS_SOCIAL_CARE if childrens_social_care_advised else CaseManager.LADO
