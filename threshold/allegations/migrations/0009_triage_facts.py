"""Issue 13 (B1): see the operations."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("allegations", "0008_allegation_reference_unique")]

    operations: list[migrations.operations.base.Operation] = []
