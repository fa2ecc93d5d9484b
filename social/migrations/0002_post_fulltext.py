"""Spanish full-text search over posts on PostgreSQL: a GIN index on the same expression
``social.selectors.search`` queries. SQLite has no such index; search there scans."""

from django.db import migrations

FTS_SQL = (
    "CREATE INDEX IF NOT EXISTS post_fts_es_idx ON social_post "
    "USING GIN (to_tsvector('spanish'::regconfig, title || ' ' || body))"
)


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FTS_SQL)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS post_fts_es_idx")


class Migration(migrations.Migration):
    dependencies = [("social", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
