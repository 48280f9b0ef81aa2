"""Issue 13 (C1): see the operations."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("concerns", "0008_concern_reference_unique")]

    operations: list[migrations.operations.base.Operation] = []
