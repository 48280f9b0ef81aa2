"""Reports: export jobs (a placeholder the work of issue 14 fills in)."""

from django.db import migrations


class Migration(migrations.Migration):
    initial = True
    dependencies = []

    operations: list = []
