"""Accounts keep their former names and addresses, for subject exclusion (ADR 0018)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_role_grants_and_sign_in_resets")]

    operations = [
        migrations.AddField(model_name="user", name="former_emails", field=models.JSONField(blank=True, default=list)),
        migrations.AddField(model_name="user", name="former_names", field=models.JSONField(blank=True, default=list)),
    ]
