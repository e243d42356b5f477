"""Programs get a public id, a location, the languages they serve in and the insurance they accept.

The public id is added in three steps (nullable, filled, then unique) so existing rows each get
their own UUID.
"""

import uuid

from django.db import migrations, models


def fill_public_ids(apps, schema_editor):
    Program = apps.get_model("people", "Program")
    for program in Program.objects.filter(public_id__isnull=True):
        program.public_id = uuid.uuid4()
        program.save(update_fields=["public_id"])


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0001_create_people_episodes_care_teams"),
    ]

    operations = [
        migrations.AddField(
            model_name="program",
            name="public_id",
            field=models.UUIDField(editable=False, null=True),
        ),
        migrations.RunPython(fill_public_ids, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="program",
            name="public_id",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
        migrations.AddField(
            model_name="program",
            name="latitude",
            field=models.FloatField(blank=True, null=True, verbose_name="latitude"),
        ),
        migrations.AddField(
            model_name="program",
            name="longitude",
            field=models.FloatField(blank=True, null=True, verbose_name="longitude"),
        ),
        migrations.AddField(
            model_name="program",
            name="languages",
            field=models.JSONField(blank=True, default=list, verbose_name="languages"),
        ),
        migrations.AddField(
            model_name="program",
            name="insurance",
            field=models.JSONField(blank=True, default=list, verbose_name="insurance accepted"),
        ),
    ]
