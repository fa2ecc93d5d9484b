"""Editorial groups (Editores, Moderadores), their Wagtail permissions, the "Revisión editorial"
workflow and the English locale. The logic lives in ``content.setup`` (also run by
``manage.py content_setup``); here it runs on the historical models."""

from django.db import migrations


def forwards(apps, schema_editor):
    from content.setup import content_setup

    content_setup(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("content", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
