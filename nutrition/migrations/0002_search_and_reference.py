from django.db import migrations


def load_reference(apps, schema_editor):
    from nutrition.reference import activities_load, smae_groups_load

    smae_groups_load(apps.get_model("nutrition", "SmaeGroup"))
    activities_load(apps.get_model("nutrition", "Activity"))


PG_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    # search_text is already lowercase and accent-free (normalised in Python), so plain
    # expression indexes work: trigram for typos and partial words, full text for word order.
    "CREATE INDEX IF NOT EXISTS food_search_trgm_idx ON nutrition_food USING gin (search_text gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS food_search_fts_idx ON nutrition_food USING gin (to_tsvector('simple', search_text))",
    "CREATE INDEX IF NOT EXISTS recipe_search_fts_idx ON nutrition_recipe USING gin (to_tsvector('simple', search_text))",
    "CREATE INDEX IF NOT EXISTS recipe_search_trgm_idx ON nutrition_recipe USING gin (search_text gin_trgm_ops)",
]
PG_BACKWARD = [
    "DROP INDEX IF EXISTS food_search_trgm_idx",
    "DROP INDEX IF EXISTS food_search_fts_idx",
    "DROP INDEX IF EXISTS recipe_search_fts_idx",
    "DROP INDEX IF EXISTS recipe_search_trgm_idx",
]


# The planner's default cost for pg_trgm's word-similarity operator functions is so low that it
# prefers a sequential scan computing word_similarity on every food (~90 ms) over the trigram
# index (~1 ms). A realistic cost makes it use the index. Needs the extension's owner (a
# superuser on self-hosted PostgreSQL); where that is not allowed, search still works, slower.
PG_COSTS = [
    "ALTER FUNCTION word_similarity_op(text, text) COST 200",
    "ALTER FUNCTION word_similarity_commutator_op(text, text) COST 200",
]


def pg_forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from django.db import DatabaseError, transaction

    for sql in PG_FORWARD:
        schema_editor.execute(sql)
    for sql in PG_COSTS:
        try:
            with transaction.atomic(using=schema_editor.connection.alias):
                schema_editor.execute(sql)
        except DatabaseError:
            pass


def pg_backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for sql in PG_BACKWARD:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("nutrition", "0001_initial")]

    operations = [
        migrations.RunPython(pg_forward, pg_backward),
        migrations.RunPython(load_reference, migrations.RunPython.noop),
    ]
