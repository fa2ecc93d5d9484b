"""The SR28 importer: idempotent, Spanish names and SMAE groups applied, missing stays null,
and ``import_foods --if-empty`` refreshes a database imported before the curated names."""

import pytest
from django.core.management import call_command

from nutrition.models import Food, FoodPortion
from nutrition.sr28 import sr28_import, sr28_is_imported

pytestmark = pytest.mark.usefixtures("foods")


def test_second_run_changes_nothing():
    foods, portions = Food.objects.count(), FoodPortion.objects.count()
    stats = sr28_import(only=["09003", "16015", "20027"])
    assert (stats["foods_created"], stats["foods_updated"], stats["portions_created"]) == (0, 0, 0)
    assert (Food.objects.count(), FoodPortion.objects.count()) == (foods, portions)


def test_spanish_names_smae_and_missing_values():
    beans = Food.objects.get(source="usda", external_id="16015")
    assert beans.name_es == "Frijoles negros, cocidos, sin sal"
    assert beans.smae_group_id == "leguminosas" and beans.smae_grams == pytest.approx(84.4)
    assert beans.source_version == "SR28"
    assert beans.nutrients["301"] == pytest.approx(27)  # calcium, mg per 100 g
    assert Food.objects.get(source="usda", external_id="20027").trans_fat_g is None
    cup = beans.portions.get(seq=1)
    assert cup.description_en == "cup" and cup.description_es == "taza"


def test_if_empty_refreshes_a_database_without_the_curated_names(capsys):
    assert sr28_is_imported()
    Food.objects.filter(source="usda", external_id="16015").update(name_es="")
    assert not sr28_is_imported()
    call_command("import_foods", "--if-empty", "--only=16015", "--no-recipes")
    assert Food.objects.get(source="usda", external_id="16015").name_es == "Frijoles negros, cocidos, sin sal"
    call_command("import_foods", "--if-empty", "--no-recipes")
    assert "already imported" in capsys.readouterr().out
