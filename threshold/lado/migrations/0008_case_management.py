"""Issue 13 (D1): who manages a case, injury in the data set, coded investigation outcomes, missing items.

- ``Case.managed_by`` (the LADO or children's social care) with the date and reason of a transfer: the
  protocol's "consideration should be given to transferring the management of the case to the LADO".
- ``Case.injury``: the decision's injury answer carries into the data set.
- ``Investigation.outcome_detail``: the free text beside the coded outcome. An earlier outcome that is not
  one of its line's codes becomes "other", its words kept as the text beside it.
- ``Conclusion.missing_reasons``: each data set item missing at conclusion, with the LADO's reason.
"""

from typing import Any

from django.db import migrations, models

# The codes of each line of investigation when this migration was written (``services.case_agencies``).
_CODES = {
    "criminal": {"no_further_action", "charge", "caution", "conviction", "acquittal", "ongoing", "other"},
    "section_47": {
        "child_protection_plan",
        "child_in_need",
        "substantiated",
        "not_substantiated",
        "no_further_action",
        "ongoing",
        "other",
    },
    "disciplinary": {
        "dismissal",
        "final_written_warning",
        "written_warning",
        "management_advice",
        "no_case_to_answer",
        "resigned",
        "ongoing",
        "other",
    },
    "other": {"concluded", "ongoing", "other"},
}
_CODES["strategy_discussion"] = _CODES["section_47"]


def code_free_text_outcomes(apps: Any, schema_editor: Any) -> None:
    """Free-text outcomes become "other" with their words kept beside; a blank outcome stays blank."""
    Investigation = apps.get_model("lado", "Investigation")
    for row in Investigation.objects.exclude(outcome=""):
        if row.outcome not in _CODES.get(row.kind, set()):
            # Investigation rows are history rows (never changed by services); this keeps their words.
            Investigation.objects.filter(pk=row.pk).update(outcome="other", outcome_detail=row.outcome)


class Migration(migrations.Migration):
    """Case management, injury, coded investigation outcomes, missing data set items at conclusion."""

    dependencies = [("lado", "0007_conclusion_reasons")]

    operations = [
        migrations.AddField(
            model_name="case",
            name="injury",
            field=models.CharField(
                blank=True,
                choices=[
                    ("none", "No injury"),
                    ("reported", "Injury reported"),
                    ("visible", "Visible injury, including a red mark"),
                ],
                max_length=16,
            ),
        ),
        migrations.AddField(
            model_name="case",
            name="managed_by",
            field=models.CharField(
                choices=[("lado", "The LADO"), ("childrens_social_care", "Children's social care")],
                default="lado",
                max_length=32,
            ),
        ),
        migrations.AddField(
            model_name="case",
            name="management_transferred_on",
            field=models.DateField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="case",
            name="management_transfer_reason",
            field=models.TextField(blank=True),
        ),
        migrations.AddField(
            model_name="investigation",
            name="outcome_detail",
            field=models.TextField(blank=True),
        ),
        migrations.AddField(
            model_name="conclusion",
            name="missing_reasons",
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.RunPython(code_free_text_outcomes, migrations.RunPython.noop),
    ]
