"""Every directory JSON column kept as its text on PostgreSQL (models.RecordField): the records
and parts from `json`, the short lists (`categories`, `languages`, `schedules`) from `jsonb`.
The records' field class is unchanged, so the state cannot tell their type changed: the
columns are retyped here, each one only where it still has its old type. SQLite keeps JSON as
text already, with the same check."""

from django.db import migrations

import trellis.directory.models

_RECORD = ("record", "json")
_PARTS = ("parts", "json")
# table: (column, the type it had)
COLUMNS = {
    "directory_organization": (_RECORD, _PARTS),
    "directory_location": (_RECORD, _PARTS),
    "directory_service": (
        _RECORD,
        _PARTS,
        ("categories", "jsonb"),
        ("languages", "jsonb"),
        ("schedules", "jsonb"),
    ),
    "directory_serviceatlocation": (_RECORD, _PARTS, ("schedules", "jsonb")),
    "directory_term": (_RECORD,),
}


def _retype(schema_editor, back: bool) -> None:
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for table, columns in COLUMNS.items():
            cursor.execute(
                "SELECT column_name, data_type FROM information_schema.columns"
                " WHERE table_schema = current_schema() AND table_name = %s",
                [table],
            )
            found = dict(cursor.fetchall())
            for column, was in columns:
                to, now = (was, "text") if back else ("text", was)
                if found.get(column) == now:
                    cursor.execute(
                        f'ALTER TABLE "{table}" ALTER COLUMN "{column}" TYPE {to}'
                        f' USING "{column}"::{to}'
                    )


def as_text(apps, schema_editor):
    _retype(schema_editor, back=False)


def as_before(apps, schema_editor):
    _retype(schema_editor, back=True)


def _kept_as_text(model: str, name: str) -> migrations.AlterField:
    return migrations.AlterField(
        model_name=model, name=name, field=trellis.directory.models.RecordField(default=list)
    )


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0005_hsds_id_bytewise_verified_by_partial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(as_text, as_before)],
            state_operations=[
                _kept_as_text("service", "categories"),
                _kept_as_text("service", "languages"),
                _kept_as_text("service", "schedules"),
                _kept_as_text("serviceatlocation", "schedules"),
            ],
        ),
    ]
