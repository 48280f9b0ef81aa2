"""Issue 13 (E): see the operations."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("lado", "0009_employer_timeliness")]

    operations: list[migrations.operations.base.Operation] = []
