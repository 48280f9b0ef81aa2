"""Rule 2 finds people carrying a reader's address on their own column, however the row was written (ADR 0032)."""

import django.db.models.functions.text
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0006_organisation_phase'),
        ('people', '0005_word_trigram_index'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name='person',
            index=models.Index(django.db.models.functions.text.Upper('email'), name='people_person_email_upper'),
        ),
    ]
