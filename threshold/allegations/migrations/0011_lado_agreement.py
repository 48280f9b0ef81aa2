"""Issue 13 (E): see the operations."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("allegations", "0010_confidentiality_agency")]

    operations: list[migrations.operations.base.Operation] = []
