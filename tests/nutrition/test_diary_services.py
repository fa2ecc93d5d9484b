"""Diary services: logging in grams, portions and SMAE equivalents, quick add, edit, move,
copy, delete; water, weight, exercise; bad input never changes what is saved."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from nutrition.errors import FoodNotFound
from nutrition.models import DiaryEntry, Food, WeightLog
from nutrition.selectors.diary import diary_day, streak_days
from nutrition.services import diary as svc
from nutrition.services.foods import custom_food_create

pytestmark = pytest.mark.usefixtures("foods")


def usda(ndb):
    return Food.objects.get(source="usda", external_id=ndb)


def test_log_grams_scales_sr28_values(user):
    beans = usda("16015")  # black beans, boiled, no salt: per 100 g from SR28
    entry = svc.diary_entry_add(actor=user, meal="comida", food_id=beans.public_id, quantity=150)
    assert entry.grams == 150
    assert entry.energy_kcal == pytest.approx(beans.energy_kcal * 1.5)
    assert entry.protein_g == pytest.approx(beans.protein_g * 1.5)
    assert entry.name == beans.name
    beans.refresh_from_db()
    assert beans.usage_count == 1


def test_log_household_portion_and_smae(user):
    beans = usda("16015")
    cup = beans.portions.order_by("seq").first()
    entry = svc.diary_entry_add(actor=user, meal="cena", food_id=beans.pk, quantity=2, unit="portion",
                                portion_id=cup.pk)
    assert entry.grams == pytest.approx(2 * cup.grams)
    if beans.smae_grams:
        eq = svc.diary_entry_add(actor=user, meal="cena", food_id=beans.pk, quantity=1, unit="smae")
        assert eq.grams == pytest.approx(beans.smae_grams, rel=1e-3)


def test_portion_of_another_food_is_refused(user):
    beans, apple = usda("16015"), usda("09003")
    with pytest.raises(ValidationError) as exc:
        svc.diary_entry_add(actor=user, meal="comida", food_id=beans.pk, quantity=1, unit="portion",
                            portion_id=apple.portions.first().pk)
    assert "portion_id" in exc.value.message_dict


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"quantity": -5}, "quantity"),
        ({"quantity": 0}, "quantity"),
        ({"quantity": "mucho"}, "quantity"),
        ({"quantity": 5001}, "quantity"),
        ({"quantity": 100, "meal": "merienda"}, "meal"),
        ({"quantity": 100, "date": "2099-01-01"}, "date"),
        ({"quantity": 100, "date": "ayer"}, "date"),
    ],
)
def test_bad_input_is_refused_and_nothing_saved(user, kwargs, field):
    apple = usda("09003")
    svc.diary_entry_add(actor=user, meal="desayuno", food_id=apple.pk, quantity=100)
    args = {"actor": user, "meal": "desayuno", "food_id": apple.pk, **kwargs}
    with pytest.raises(ValidationError) as exc:
        svc.diary_entry_add(**args)
    assert field in exc.value.message_dict
    assert DiaryEntry.objects.filter(user=user).count() == 1


def test_huge_portion_multiple_is_refused(user):
    apple = usda("09003")
    biggest = max(apple.portions.all(), key=lambda p: p.grams)
    with pytest.raises(ValidationError) as exc:
        svc.diary_entry_add(actor=user, meal="comida", food_id=apple.pk, quantity=200, unit="portion",
                            portion_id=biggest.pk)
    assert "5 kg" in exc.value.message_dict["quantity"][0]


def test_unknown_or_private_food_is_not_found(user, other_user):
    with pytest.raises(FoodNotFound):
        svc.diary_entry_add(actor=user, meal="comida", food_id=999999999, quantity=100)
    private = custom_food_create(actor=other_user, data={"name": "Salsa de la abuela", "energy_kcal": 40})
    with pytest.raises(FoodNotFound):
        svc.diary_entry_add(actor=user, meal="comida", food_id=private.pk, quantity=100)
    # the author can log it
    assert svc.diary_entry_add(actor=other_user, meal="comida", food_id=private.pk, quantity=50).energy_kcal == 20


def test_quick_add_and_edit_move_delete(user, other_user):
    quick = svc.diary_quick_add(actor=user, meal="comida", name="Comida corrida", energy_kcal=850, protein_g=35)
    assert quick.energy_kcal == 850 and quick.fat_g is None
    apple = usda("09003")
    entry = svc.diary_entry_add(actor=user, meal="desayuno", food_id=apple.pk, quantity=100)
    moved = svc.diary_entry_update(actor=user, entry_id=entry.pk, meal="colacion_matutina", quantity=200)
    assert moved.meal == "colacion_matutina"
    assert moved.energy_kcal == pytest.approx(apple.energy_kcal * 2)
    with pytest.raises(DiaryEntry.DoesNotExist):
        svc.diary_entry_update(actor=other_user, entry_id=entry.pk, quantity=1)
    with pytest.raises(DiaryEntry.DoesNotExist):
        svc.diary_entry_delete(actor=other_user, entry_id=entry.pk)
    svc.diary_entry_delete(actor=user, entry_id=entry.pk)
    assert not DiaryEntry.objects.filter(pk=entry.pk).exists()


def test_copy_meal_and_day(user):
    today = timezone.localdate()
    yesterday = today - timedelta(days=1)
    apple, beans = usda("09003"), usda("16015")
    svc.diary_entry_add(actor=user, date=yesterday, meal="desayuno", food_id=apple.pk, quantity=150)
    svc.diary_entry_add(actor=user, date=yesterday, meal="comida", food_id=beans.pk, quantity=200)
    copied = svc.diary_entries_copy(actor=user, from_date=yesterday, to_date=today, from_meal="desayuno",
                                    to_meal="cena")
    assert [(c.meal, c.grams) for c in copied] == [("cena", 150)]
    day = svc.diary_entries_copy(actor=user, from_date=yesterday, to_date=today - timedelta(days=2))
    assert len(day) == 2
    with pytest.raises(ValidationError):
        svc.diary_entries_copy(actor=user, from_date=yesterday, to_date=yesterday)
    with pytest.raises(ValidationError):
        svc.diary_entries_copy(actor=user, from_date=today - timedelta(days=30), to_date=today)


def test_day_totals_against_targets_and_missing_values(user):
    apple = usda("09003")
    svc.diary_entry_add(actor=user, meal="desayuno", food_id=apple.pk, quantity=200)
    svc.diary_quick_add(actor=user, meal="comida", energy_kcal=600)
    day = diary_day(user=user, day=timezone.localdate())
    assert day.totals["energy_kcal"] == pytest.approx(apple.energy_kcal * 2 + 600)
    # the quick add has no fibre: the fibre total is the apple's only, not zeroed
    assert day.totals["fiber_g"] == pytest.approx(apple.fiber_g * 2)
    kcal_row = day.progress[0]
    assert kcal_row["goal"] == day.targets.energy_kcal
    assert kcal_row["percent"] == pytest.approx(round(100 * day.totals["energy_kcal"] / day.targets.energy_kcal, 1))
    assert [m.code for m in day.meals] == ["desayuno", "colacion_matutina", "comida", "colacion_vespertina", "cena"]


def test_day_query_count_is_fixed(user, django_assert_num_queries):
    apple = usda("09003")
    today = timezone.localdate()
    svc.diary_entry_add(actor=user, meal="desayuno", food_id=apple.pk, quantity=100)
    diary_day(user=user, day=today)  # warm the SMAE group cache
    with django_assert_num_queries(6):
        diary_day(user=user, day=today)
    for _ in range(39):
        svc.diary_entry_add(actor=user, meal="cena", food_id=apple.pk, quantity=100)
    with django_assert_num_queries(6):
        day = diary_day(user=user, day=today)
    assert day.entry_count == 40


def test_water_weight_exercise(user):
    svc.water_add(actor=user, ml=250)
    svc.water_add(actor=user, ml=500)
    with pytest.raises(ValidationError):
        svc.water_add(actor=user, ml=0)
    svc.weight_log_set(actor=user, weight_kg="72.4")
    svc.weight_log_set(actor=user, weight_kg=72.0)  # same day: corrected, not duplicated
    assert WeightLog.objects.filter(user=user).count() == 1
    user.profile.refresh_from_db()
    assert float(user.profile.weight_kg) == 72.0
    with pytest.raises(ValidationError):
        svc.weight_log_set(actor=user, weight_kg=5)
    log = svc.exercise_add(actor=user, activity_code=_an_activity_code(), minutes=30)
    # MET × 72 kg × 0.5 h
    assert log.energy_kcal == pytest.approx(log.activity.met * 72 * 0.5, abs=0.1)
    with pytest.raises(ValidationError):
        svc.exercise_add(actor=user, activity_code="nope", minutes=30)
    day = diary_day(user=user, day=timezone.localdate())
    assert day.water_ml == 750
    assert day.weight.weight_kg == 72


def _an_activity_code():
    from nutrition.models import Activity

    activity = Activity.objects.order_by("code").first()
    assert activity is not None, "the MET table (nutrition/data/activities.csv) is loaded by the migration"
    return activity.code


def test_streak(user):
    apple = usda("09003")
    today = timezone.localdate()
    for back in (1, 2, 3, 5):
        svc.diary_entry_add(actor=user, date=today - timedelta(days=back), meal="comida", food_id=apple.pk,
                            quantity=100)
    assert streak_days(user=user, today=today) == 3
    svc.diary_entry_add(actor=user, meal="comida", food_id=apple.pk, quantity=100)
    assert streak_days(user=user, today=today) == 4
