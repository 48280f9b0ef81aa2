"""Three employer clocks' labels no longer say what the adult's position is (a suspension, an agency's removal).

A label goes into reminder emails and notifications, which may be read in a shared mailbox; the page they link to
says the rest. The sync writes the new labels whenever an allegation changes; this rewrites the rows already
stored, so that reminders of allegations nobody has changed since say the same.
"""

from django.db import migrations

# kind: (the label it had, the label it has now)
RELABELLED = {
    "suspension-written-confirmation": ("Confirm the suspension in writing", "Written confirmation (step 6)"),
    "risk-assessment-review": ("Review the suspension risk assessment", "Risk assessment review (appendix 3)"),
    "replacement-cover": ("Replacement cover from the agency", "Cover arrangements (appendix 4)"),
}


def _relabel(apps, schema_editor, *, forwards: bool) -> None:
    deadline = apps.get_model("timescales", "Deadline")
    for kind, (before, after) in RELABELLED.items():
        old, new = (before, after) if forwards else (after, before)
        deadline.objects.filter(kind=kind, label=old).update(label=new)


def forwards(apps, schema_editor) -> None:
    _relabel(apps, schema_editor, forwards=True)


def backwards(apps, schema_editor) -> None:
    _relabel(apps, schema_editor, forwards=False)


class Migration(migrations.Migration):
    dependencies = [
        ("allegations", "0019_outcome_adult_told_asked"),
        ("timescales", "0003_alter_deadline_state"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
