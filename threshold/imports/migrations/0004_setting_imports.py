"""Imports for settings too (issue 16): a run's organisation and kind; a row's concern and allegation."""

from django.db import migrations, models
import django.db.models.deletion


class Migration(migrations.Migration):

    dependencies = [
        ("imports", "0003_run_check_queued"),
        ("accounts", "0001_initial"),
        ("concerns", "0014_imported"),
        ("allegations", "0014_imported"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="importedrecord", name="imports_record_source_unique"),
        migrations.RemoveConstraint(model_name="savedmapping", name="imports_mapping_name_unique"),
        migrations.RemoveIndex(model_name="importrun", name="imports_run_la_created"),
        migrations.RenameField(model_name="importrun", old_name="local_authority", new_name="organisation"),
        migrations.RenameField(model_name="importedrecord", old_name="local_authority", new_name="organisation"),
        migrations.RenameField(model_name="savedmapping", old_name="local_authority", new_name="organisation"),
        migrations.AddField(
            model_name="importrun",
            name="kind",
            field=models.CharField(
                choices=[
                    ("lado", "A LADO service's contacts, consultations and cases"),
                    ("setting", "A setting's low-level concerns and allegations"),
                ],
                default="lado",
                max_length=8,
            ),
        ),
        migrations.AlterField(
            model_name="importedrecord",
            name="contact",
            field=models.OneToOneField(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="import_source",
                to="lado.contact",
            ),
        ),
        migrations.AddField(
            model_name="importedrecord",
            name="concern",
            field=models.OneToOneField(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="import_source",
                to="concerns.concern",
            ),
        ),
        migrations.AddField(
            model_name="importedrecord",
            name="allegation",
            field=models.OneToOneField(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="import_source",
                to="allegations.allegation",
            ),
        ),
        migrations.AddIndex(
            model_name="importrun",
            index=models.Index(fields=["organisation", "created_at"], name="imports_run_org_created"),
        ),
        migrations.AddConstraint(
            model_name="importedrecord",
            constraint=models.UniqueConstraint(fields=("organisation", "source_key"), name="imports_record_source_unique"),
        ),
        migrations.AddConstraint(
            model_name="importedrecord",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("concern__isnull", True), ("contact__isnull", False)),
                    models.Q(("concern__isnull", False), ("contact__isnull", True)),
                    _connector="OR",
                ),
                name="imports_record_contact_or_concern",
            ),
        ),
        migrations.AddConstraint(
            model_name="savedmapping",
            constraint=models.UniqueConstraint(fields=("organisation", "name"), name="imports_mapping_name_unique"),
        ),
    ]
