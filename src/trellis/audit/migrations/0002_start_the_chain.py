from django.db import migrations

GENESIS = "0" * 64


def start_chain(apps, schema_editor):
    head_model = apps.get_model("audit", "AuditHead")
    head_model.objects.get_or_create(pk=1, defaults={"seq": 0, "hash": GENESIS})


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_create_audit_log")]
    operations = [migrations.RunPython(start_chain, migrations.RunPython.noop)]
