"""NOM-051 seals, legends, phases and health score: boundary values in each phase."""

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nutrition.labels import nom051
from nutrition.labels.nom051 import (
    LEGEND_CAFFEINE,
    LEGEND_SWEETENERS,
    SEAL_CALORIES,
    SEAL_SAT_FAT,
    SEAL_SODIUM,
    SEAL_SUGARS,
    SEAL_TRANS_FAT,
    evaluate,
    health_score,
    phase_for,
)

P1 = date(2022, 6, 1)
P2 = date(2026, 6, 1)
P3 = date(2028, 1, 1)
NONE = dict(energy_kcal=100, sugars_g=0, added_sugars_g=0, saturated_fat_g=0, trans_fat_g=0, sodium_mg=0)


def seals(on=P2, state="solid", **values):
    return evaluate({**NONE, **values}, physical_state=state, on_date=on).seals


@pytest.mark.parametrize(("day", "phase"), [
    (date(2020, 9, 30), 0), (date(2020, 10, 1), 1), (date(2023, 9, 30), 1), (date(2023, 10, 1), 2),
    (date(2027, 12, 31), 2), (date(2028, 1, 1), 3),
])
def test_phase_by_date(day, phase):
    assert phase_for(day) == phase


def test_calories_solid_boundary():
    assert SEAL_CALORIES not in seals(energy_kcal=274.9)
    assert SEAL_CALORIES in seals(energy_kcal=275)


def test_calories_liquid_total_and_free_sugars_by_phase():
    assert SEAL_CALORIES in seals(state="liquid", energy_kcal=70)
    assert SEAL_CALORIES not in seals(state="liquid", energy_kcal=69)
    # 2 g added sugar = 8 kcal from sugars: phase 2 seal (≥ 8), phase 1 not (≥ 10).
    two_g = dict(state="liquid", energy_kcal=30, sugars_g=2, added_sugars_g=2)
    assert SEAL_CALORIES in seals(**two_g)
    assert SEAL_CALORIES not in seals(on=P1, **two_g)
    assert SEAL_CALORIES not in seals(state="liquid", energy_kcal=30, sugars_g=1.9, added_sugars_g=1.9)


def test_sugars_ten_percent_of_energy_using_added_sugars():
    # 200 kcal: 5 g sugar = 20 kcal = 10 % -> seal; 4.9 g -> no seal.
    assert SEAL_SUGARS in seals(energy_kcal=200, sugars_g=5, added_sugars_g=5)
    assert SEAL_SUGARS not in seals(energy_kcal=200, sugars_g=4.9, added_sugars_g=4.9)
    # Natural sugars (high total, little added): added sugars decide.
    assert SEAL_SUGARS not in seals(energy_kcal=200, sugars_g=30, added_sugars_g=2)


def test_without_added_sugars_declared_total_sugars_are_used_and_said():
    result = evaluate({**NONE, "energy_kcal": 200, "sugars_g": 6, "added_sugars_g": None}, on_date=P2)
    assert SEAL_SUGARS in result.seals
    assert "total_sugars_as_free" in result.assumptions


def test_saturated_and_trans_fat_boundaries():
    # 180 kcal: 2 g sat = 18 kcal = 10 %; 0.2 g trans = 1.8 kcal = 1 %.
    assert SEAL_SAT_FAT in seals(energy_kcal=180, saturated_fat_g=2)
    assert SEAL_SAT_FAT not in seals(energy_kcal=180, saturated_fat_g=1.99)
    assert SEAL_TRANS_FAT in seals(energy_kcal=180, trans_fat_g=0.2)
    assert SEAL_TRANS_FAT not in seals(energy_kcal=180, trans_fat_g=0.19)


def test_sodium_rules_by_phase():
    assert SEAL_SODIUM in seals(energy_kcal=400, sodium_mg=300)
    assert SEAL_SODIUM not in seals(energy_kcal=400, sodium_mg=299)
    # 1 mg per kcal (phases 2 and 3 only).
    assert SEAL_SODIUM in seals(energy_kcal=150, sodium_mg=150)
    assert SEAL_SODIUM not in seals(energy_kcal=150, sodium_mg=149)
    assert SEAL_SODIUM not in seals(on=P1, energy_kcal=150, sodium_mg=150)
    assert SEAL_SODIUM not in seals(on=P1, energy_kcal=400, sodium_mg=349)
    assert SEAL_SODIUM in seals(on=P1, energy_kcal=400, sodium_mg=350)


def test_calorie_free_beverage_sodium_45_mg():
    assert SEAL_SODIUM in seals(state="liquid", energy_kcal=0, sodium_mg=45)
    assert SEAL_SODIUM not in seals(state="liquid", energy_kcal=0, sodium_mg=44)
    assert SEAL_SODIUM not in seals(state="liquid", energy_kcal=4.9, sodium_mg=44)


def test_phase_2_only_evaluates_added_nutrients_phase_3_all():
    values = {**NONE, "energy_kcal": 300, "sugars_g": 20, "added_sugars_g": 0, "saturated_fat_g": 8, "sodium_mg": 500}
    # Only sodium was added: phase 2 shows only EXCESO SODIO; phase 3 evaluates all five.
    p2 = evaluate(values, on_date=date(2027, 12, 31), adds_sugar=False, adds_fat=False, adds_sodium=True)
    assert p2.seals == [SEAL_SODIUM]
    p3 = evaluate(values, on_date=P3, adds_sugar=False, adds_fat=False, adds_sodium=True)
    assert p3.seals == [SEAL_CALORIES, SEAL_SAT_FAT, SEAL_SODIUM]
    # Nothing added: no seals in any phase.
    assert evaluate(values, on_date=P3, adds_sugar=False, adds_fat=False, adds_sodium=False).seals == []
    # Added fat in phase 2: calories, saturated and trans fat are evaluated, not sugars.
    fat = evaluate(values, on_date=P2, adds_sugar=False, adds_fat=True, adds_sodium=False)
    assert fat.seals == [SEAL_CALORIES, SEAL_SAT_FAT]


def test_before_phase_1_no_seals_or_legends():
    result = evaluate({**NONE, "energy_kcal": 500}, on_date=date(2019, 1, 1), has_sweeteners=True)
    assert result.phase == 0 and result.seals == [] and result.legends == []


def test_legends():
    result = evaluate(NONE, on_date=P2, has_sweeteners=True, has_caffeine=True)
    assert result.legends == [LEGEND_SWEETENERS, LEGEND_CAFFEINE]


def test_missing_values_are_not_zero():
    result = evaluate({"energy_kcal": 300}, on_date=P2)
    assert SEAL_CALORIES in result.seals
    assert set(result.missing) == {SEAL_SUGARS, SEAL_SAT_FAT, SEAL_TRANS_FAT, SEAL_SODIUM}


def test_seed_example_normalised_per_100g():
    # Seed 000: 30 g serving, 8 g sugar, 150 mg sodium -> per 100 g 26.7 g and 500 mg.
    result = evaluate({"energy_kcal": 366.7, "sugars_g": 26.7, "added_sugars_g": 26.7, "saturated_fat_g": 1,
                       "trans_fat_g": 0, "sodium_mg": 500}, on_date=P2)
    assert result.seals == [SEAL_CALORIES, SEAL_SUGARS, SEAL_SODIUM]


def test_health_score():
    assert health_score(seals=[], per_100={"fiber_g": 3, "protein_g": 5}) == 10
    assert health_score(seals=["a", "b"], per_100={"fiber_g": 3, "protein_g": 4.9}) == 7
    assert health_score(seals=["a"] * 5, per_100={}) == 0
    assert health_score(seals=["a", "b", "c"], per_100={"fiber_g": 2.9, "protein_g": 6}) == 5


def test_recommendation_mentions_seals_and_legends():
    text = nom051.recommendation(seals=[SEAL_SUGARS], legends=[LEGEND_SWEETENERS], score=8)
    assert "azúcar" in text and "edulcorantes" in text
    assert "Sin sellos" not in text
    assert "No lleva sellos" in nom051.recommendation(seals=[], legends=[], score=10)


energy = st.floats(min_value=1, max_value=900, allow_nan=False)
grams = st.floats(min_value=0, max_value=100, allow_nan=False)


@settings(max_examples=300, deadline=None)
@given(kcal=energy, sugar=grams, sat=grams, trans=st.floats(0, 10), sodium=st.floats(0, 5000),
       liquid=st.booleans(), day=st.dates(date(2020, 10, 1), date(2030, 12, 31)))
def test_seal_rules_property(kcal, sugar, sat, trans, sodium, liquid, day):
    values = {"energy_kcal": kcal, "sugars_g": sugar, "added_sugars_g": sugar, "saturated_fat_g": sat,
              "trans_fat_g": trans, "sodium_mg": sodium}
    result = evaluate(values, physical_state="liquid" if liquid else "solid", on_date=day)
    phase = phase_for(day)
    assert (SEAL_SUGARS in result.seals) == (sugar * 4 >= 0.10 * kcal - 1e-9)
    assert (SEAL_SAT_FAT in result.seals) == (sat * 9 >= 0.10 * kcal - 1e-9)
    assert (SEAL_TRANS_FAT in result.seals) == (trans * 9 >= 0.01 * kcal - 1e-9)
    free_drink = liquid and kcal < 5
    if free_drink:
        expected_sodium = sodium >= 45
    elif phase == 1:
        expected_sodium = sodium >= 350
    else:
        expected_sodium = sodium >= 300 or sodium >= kcal
    assert (SEAL_SODIUM in result.seals) == expected_sodium
    # More of a nutrient never removes its seal.
    more = evaluate({**values, "sodium_mg": sodium + 10, "saturated_fat_g": sat + 1},
                    physical_state="liquid" if liquid else "solid", on_date=day)
    assert set(result.seals) & {SEAL_SODIUM, SEAL_SAT_FAT} <= set(more.seals)
    assert 0 <= health_score(seals=result.seals, per_100=values) <= 10
