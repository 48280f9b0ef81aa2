"""Issue 13 (D2): see the operations."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("lado", "0008_case_management")]

    operations: list[migrations.operations.base.Operation] = []
