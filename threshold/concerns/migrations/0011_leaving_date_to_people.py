"""Issue 13: the leaving date moves from each low-level record to its person (section 13.4).

"7 years from the date of the member of staff either leaving the academy or retiring": recorded once per person
(``people.0003_leaving_date``). Each record's own value is copied onto its person where the person has none (the
latest, when records differ), then the per-record field goes. Going back copies the person's date onto each of
their records again. A migration of its own, after the response plan (0009) and the head's sign-off (0010), so
that no migration already landed changes.
"""

from typing import Any

from django.db import migrations


def leaving_dates_to_people(apps: Any, schema_editor: Any) -> None:
    """Copy each low-level record's leaving date onto its person, where the person has none yet."""
    record_model = apps.get_model("concerns", "LowLevelRecord")
    person_model = apps.get_model("people", "Person")
    latest: dict[int, Any] = {}
    rows = record_model.objects.filter(left_employment_on__isnull=False).values_list(
        "concern__subject_id", "left_employment_on"
    )
    for person_id, left_on in rows:
        # Records that disagree keep the later date: retention counted from it deletes nothing too early.
        latest[person_id] = max(left_on, latest.get(person_id, left_on))
    for person_id, left_on in latest.items():
        person_model.objects.filter(pk=person_id, left_employment_on__isnull=True).update(left_employment_on=left_on)


def leaving_dates_to_records(apps: Any, schema_editor: Any) -> None:
    """Going back: each low-level record takes its person's leaving date again."""
    record_model = apps.get_model("concerns", "LowLevelRecord")
    for record in record_model.objects.filter(concern__subject__left_employment_on__isnull=False).select_related(
        "concern__subject"
    ):
        record.left_employment_on = record.concern.subject.left_employment_on
        record.save(update_fields=["left_employment_on"])


class Migration(migrations.Migration):
    dependencies = [("concerns", "0010_head_sign_off"), ("people", "0003_leaving_date")]

    operations = [
        migrations.RunPython(leaving_dates_to_people, leaving_dates_to_records),
        migrations.RemoveField(model_name="lowlevelrecord", name="left_employment_on"),
    ]
