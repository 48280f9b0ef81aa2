"""Issue 13 (C1): see the operations."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("people", "0002_match_keys")]

    operations: list[migrations.operations.base.Operation] = []
