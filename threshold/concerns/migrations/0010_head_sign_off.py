"""Issue 13 (C2): see the operations."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("concerns", "0009_response_plan")]

    operations: list[migrations.operations.base.Operation] = []
