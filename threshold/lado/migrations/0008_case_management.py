"""Issue 13 (D1): see the operations."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("lado", "0007_conclusion_reasons")]

    operations: list[migrations.operations.base.Operation] = []
