"""Targets (Mifflin-St Jeor) and SMAE equivalents arithmetic."""

from datetime import date
from types import SimpleNamespace

import pytest

from nutrition import smae
from nutrition.models import NutritionTarget
from nutrition.selectors.diary import targets_get
from nutrition.services.diary import target_override_set
from nutrition.targets import bmr_mifflin, targets_compute


def _profile(**kw):
    today = date.today()
    base = dict(
        sex="male", weight_kg=80, height_cm=180, activity_level="sedentary", goal="maintenance",
        date_of_birth=date(today.year - 30, 1, 1) if (today.month, today.day) >= (1, 1) else None,
    )
    base.update(kw)
    profile = SimpleNamespace(**base)
    profile.age = 30
    return profile


def test_known_bmr_answer():
    # 10·80 + 6.25·180 − 5·30 + 5 = 800 + 1125 − 150 + 5 = 1780
    assert bmr_mifflin(sex="male", weight_kg=80, height_cm=180, age=30) == 1780
    assert bmr_mifflin(sex="female", weight_kg=80, height_cm=180, age=30) == 1614


@pytest.mark.parametrize(
    ("activity", "goal", "kcal"),
    [
        ("sedentary", "maintenance", round(1780 * 1.2)),
        ("light", "maintenance", round(1780 * 1.375)),
        ("moderate", "weight_loss", round(1780 * 1.55 - 500)),
        ("active", "muscle_gain", round(1780 * 1.725 + 300)),
        ("very_active", "maintenance", round(1780 * 1.9)),
    ],
)
def test_targets_from_profile(activity, goal, kcal):
    t = targets_compute(_profile(activity_level=activity, goal=goal))
    assert t.bmr == 1780
    assert t.energy_kcal == kcal
    assert t.sodium_mg == 2000
    assert t.fiber_g == round(kcal / 1000 * 14)
    # the split adds up to the energy (within rounding)
    assert abs(t.protein_g * 4 + t.fat_g * 9 + t.carbs_g * 4 - kcal) < 15


def test_incomplete_profile_falls_back_and_says_so():
    t = targets_compute(_profile(height_cm=None))
    assert t.energy_kcal == 2000
    assert not t.complete
    assert "height_cm" in t.missing


def test_override_wins_and_rescales_macros(make_user):
    user = make_user(sex="male", weight_kg=80, height_cm=180, date_of_birth=date(1990, 1, 1))
    target_override_set(actor=user, data={"energy_kcal": 1800})
    t = targets_get(user=user)
    assert t.energy_kcal == 1800
    assert t.overridden == ["energy_kcal"]
    assert t.fiber_g == round(1.8 * 14)
    # clearing the override goes back to the computed value
    target_override_set(actor=user, data={"energy_kcal": None})
    assert targets_get(user=user).energy_kcal != 1800


def test_override_rejects_absurd_values_and_keeps_previous(make_user):
    from django.core.exceptions import ValidationError

    user = make_user()
    target_override_set(actor=user, data={"protein_g": 120})
    with pytest.raises(ValidationError) as exc:
        target_override_set(actor=user, data={"protein_g": 90, "energy_kcal": 100})
    assert "energy_kcal" in exc.value.message_dict
    assert NutritionTarget.objects.get(user=user).protein_g == 120


def test_smae_group_and_fallback(db):
    grouped = SimpleNamespace(smae_group_id="frutas", smae_grams=120.0, carbs_g=12, protein_g=0, fat_g=0)
    assert smae.food_equivalents(grouped, 240) == {"frutas": 2.0}
    ungrouped = SimpleNamespace(smae_group_id=None, smae_grams=None, carbs_g=30, protein_g=14, fat_g=10)
    # seed 000's rule on 100 g: 30/15 cereal, 14/7 AOA, 10/5 fat
    assert smae.food_equivalents(ungrouped, 100) == {"cereales_sin_grasa": 2.0, "aoa_bajo": 2.0, "grasas_sin_proteina": 2.0}
    text = smae.as_text({"cereales_sin_grasa": 2.0, "aoa_muy_bajo": 1.0, "verduras": 1.0})
    assert text == "1 verdura, 2 cereales, 1 AOA muy bajo aporte de grasa"


def test_smae_reference_values_are_data(db):
    from nutrition.models import SmaeGroup

    g = {x.code: x for x in SmaeGroup.objects.all()}
    assert (g["verduras"].energy_kcal, g["verduras"].carbs_g, g["verduras"].protein_g) == (25, 4, 2)
    assert (g["frutas"].energy_kcal, g["frutas"].carbs_g) == (60, 15)
    assert (g["cereales_sin_grasa"].energy_kcal, g["cereales_sin_grasa"].carbs_g) == (70, 15)
    assert (g["leguminosas"].energy_kcal, g["leguminosas"].protein_g, g["leguminosas"].fat_g) == (120, 8, 1)
    assert [g[c].energy_kcal for c in ("aoa_muy_bajo", "aoa_bajo", "aoa_moderado", "aoa_alto")] == [40, 55, 75, 100]
    assert all(g[c].protein_g == 7 for c in ("aoa_muy_bajo", "aoa_bajo", "aoa_moderado", "aoa_alto"))
