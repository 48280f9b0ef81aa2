"""Reports: report settings (a placeholder the work of issue 14 fills in)."""

from django.db import migrations


class Migration(migrations.Migration):
    initial = False
    dependencies = [("reports", "0001_initial")]

    operations: list = []
