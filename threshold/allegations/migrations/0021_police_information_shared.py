"""Policy 5.3's sharing of information on the completion of the police's part, said on a police record.

``sharing_asked`` is added ``False`` to the records already made (nobody was asked what was shared when they
recorded that the police were no longer involved), so the upgrade puts no overdue sharing on them; the field's
default for new records is ``True``.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("allegations", "0020_emailed_labels_say_less"),
    ]

    operations = [
        migrations.AddField(
            model_name="policeinvolvement",
            name="information_shared",
            field=models.TextField(blank=True, verbose_name="information shared on the completion of the police's part"),
        ),
        migrations.AddField(
            model_name="policeinvolvement",
            name="sharing_asked",
            field=models.BooleanField(default=False),
        ),
        migrations.AlterField(
            model_name="policeinvolvement",
            name="sharing_asked",
            field=models.BooleanField(default=True),
        ),
    ]
