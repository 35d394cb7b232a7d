from django.db import migrations


def create_state(apps, schema_editor):
    apps.get_model("attribution", "RollupState").objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    """The one row that says how far the daily roll-ups reach (``rollups.STATE_PK``)."""

    dependencies = [("attribution", "0002_rollups")]

    operations = [migrations.RunPython(create_state, migrations.RunPython.noop)]
