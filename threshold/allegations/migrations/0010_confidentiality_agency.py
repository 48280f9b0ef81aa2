"""Issue 13 (B2): see the operations."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("allegations", "0009_triage_facts")]

    operations: list[migrations.operations.base.Operation] = []
