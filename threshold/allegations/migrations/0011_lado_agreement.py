"""Issue 13 (E): no change to the allegations' tables.

The LADO's answer to the employer's outcome is the LADO's record, kept in
``lado.EmployerOutcomeResponse`` (``lado/migrations/0010_two_sides.py``) and
reached from the outcome; this step stays in the chain the other migrations name.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("allegations", "0010_confidentiality_agency")]

    operations: list[migrations.operations.base.Operation] = []
