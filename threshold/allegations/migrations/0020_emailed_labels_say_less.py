"""Employer clocks' labels no longer say what the adult's position is (a suspension, an agency's removal).

Three clocks have new labels, and a step nobody recorded before the outcome is named by its number ("Step 6: not
recorded before the outcome", where it was "6. Confirm suspension in writing: not recorded before the outcome").

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


# A step nobody recorded: its kind, and its words then (the step's label as the model gives it).
NOT_RECORDED = {
    "step-basic-enquiries": "1. Conduct basic enquiries",
    "step-discuss-with-lado": "2. Discuss the allegation with the LADO",
    "step-suspension-considered": "3. Discuss suspension or alternative arrangements",
    "step-parents-informed": "4. Inform the parents or carers",
    "step-hr-strategy": "5. Discuss with HR and define a strategy",
    "step-suspension-written-confirmation": "6. Confirm suspension in writing",
    "step-no-further-action": "7. No further action: record the decision",
    "step-investigation": "8. Investigate the allegation",
    "step-parents-kept-informed": "9. Keep the parents or carers informed",
}
SUFFIX = ": not recorded before the outcome"


def _relabel(apps, schema_editor, *, forwards: bool) -> None:
    deadline = apps.get_model("timescales", "Deadline")
    for kind, (before, after) in RELABELLED.items():
        old, new = (before, after) if forwards else (after, before)
        deadline.objects.filter(kind=kind, label=old).update(label=new)
    for kind, words in NOT_RECORDED.items():
        numbered = f"Step {words.split('.', 1)[0]}{SUFFIX}"
        old, new = (words + SUFFIX, numbered) if forwards else (numbered, words + SUFFIX)
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
