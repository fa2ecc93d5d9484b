from django.db import migrations


def load(apps, schema_editor):
    from fitness.catalogue import exercises_load

    exercises_load(apps.get_model("fitness", "Exercise"))


class Migration(migrations.Migration):
    dependencies = [("fitness", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
