"""Meal plan services: builder, totals, copy/clone/template, assignment, the patient's log."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from clinical.models import MealPlan, MealPlanItem, PlanItemLog, PlanStatus
from clinical.rules import PatientNotFound
from clinical.selectors import plans as selectors
from clinical.selectors.adherence import adherence_bulk
from clinical.services import plans as services
from nutrition.models import DiaryEntry, Food

pytestmark = pytest.mark.django_db


def usda(ndb):
    return Food.objects.get(source="usda", external_id=ndb)


@pytest.fixture
def patient(make_user):
    return make_user(first_name="Paola", last_name="Paciente", sex="female", weight_kg=70, height_cm=165,
                     date_of_birth="1990-01-01", activity_level="light", goal="maintenance")


@pytest.fixture
def care(nutritionist, patient, make_care):
    return make_care(nutritionist, patient)


def test_smae_slot_hand_checked(nutritionist, care, patient):
    plan = services.plan_create(actor=nutritionist, title="Plan Paola", days=3, patient_id=patient.pk)
    services.plan_item_add(actor=nutritionist, plan_id=plan.pk, day_number=1, meal="desayuno", kind="smae",
                           smae_group="cereales_sin_grasa", quantity=2)
    services.plan_item_add(actor=nutritionist, plan_id=plan.pk, day_number=1, meal="desayuno", kind="smae",
                           smae_group="aoa_bajo", quantity="1.5")
    totals = selectors.plan_day_totals(plan, 1)
    # 2 × (70 kcal, 2 P, 0 G, 15 HC) + 1.5 × (55 kcal, 7 P, 3 G, 0 HC)
    assert totals["slots"]["desayuno"] == {"energy_kcal": 222.5, "protein_g": 14.5, "fat_g": 4.5, "carbs_g": 30.0}
    assert totals["values"]["energy_kcal"] == 222.5
    assert totals["equivalents_raw"] == {"cereales_sin_grasa": 2.0, "aoa_bajo": 1.5}
    assert "2 cereales" in totals["equivalents_text"]
    energy = totals["rows"][0]
    assert energy["target"] == plan.energy_kcal and energy["target"]  # copied from the patient's targets
    assert energy["percent"] == round(100 * 222.5 / plan.energy_kcal)


def test_food_item_in_grams_and_portion(foods, nutritionist):
    apple = usda("09003")
    plan = services.plan_create(actor=nutritionist, title="Base", days=1, targets={"energy_kcal": 1800})
    item = services.plan_item_add(actor=nutritionist, plan_id=plan.pk, day_number=1, meal="comida", kind="food",
                                  food_id=apple.pk, quantity=150, unit="g")
    assert float(item.grams) == 150
    assert item.energy_kcal == pytest.approx(apple.energy_kcal * 1.5, abs=0.1)
    assert item.equivalents
    portion = apple.portions.order_by("seq").first()
    item2 = services.plan_item_add(actor=nutritionist, plan_id=plan.pk, day_number=1, meal="comida", kind="food",
                                   food_id=apple.pk, quantity=2, unit="portion", portion_id=portion.pk)
    assert float(item2.grams) == pytest.approx(2 * portion.grams, abs=0.1)
    updated = services.plan_item_update(actor=nutritionist, plan_id=plan.pk, item_id=item.pk, quantity=300)
    assert updated.energy_kcal == pytest.approx(apple.energy_kcal * 3, abs=0.1)
    services.plan_item_remove(actor=nutritionist, plan_id=plan.pk, item_id=item2.pk)
    assert selectors.plan_day_totals(plan, 1)["values"]["energy_kcal"] == pytest.approx(updated.energy_kcal, abs=0.1)


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"kind": "smae", "smae_group": "cereales_sin_grasa", "quantity": 0.3}, "quantity"),
        ({"kind": "smae", "smae_group": "nada", "quantity": 1}, "smae_group"),
        ({"kind": "smae", "smae_group": "frutas", "quantity": "abc"}, "quantity"),
        ({"kind": "smae", "smae_group": "frutas", "quantity": 10**9}, "quantity"),
        ({"kind": "food", "food_id": 999999999, "quantity": 100}, "food_id"),
        ({"kind": "food", "food_id": "", "quantity": 100}, "food_id"),
        ({"kind": "pizza", "quantity": 1}, "kind"),
        ({"kind": "smae", "smae_group": "frutas", "quantity": 1, "meal": "brunch"}, "meal"),
        ({"kind": "smae", "smae_group": "frutas", "quantity": 1, "day_number": 9}, "day"),
        ({"kind": "smae", "smae_group": "frutas", "quantity": 1, "note": "x" * 300}, "note"),
    ],
)
def test_item_add_rejects_bad_input(nutritionist, kwargs, field):
    plan = services.plan_create(actor=nutritionist, title="P", days=2)
    args = {"day_number": 1, "meal": "desayuno", **kwargs}
    with pytest.raises(ValidationError) as exc:
        services.plan_item_add(actor=nutritionist, plan_id=plan.pk, **args)
    assert field in exc.value.message_dict
    assert MealPlanItem.objects.count() == 0


def test_create_rejects_bad_plan(nutritionist, patient):
    with pytest.raises(ValidationError) as exc:
        services.plan_create(actor=nutritionist, title="", days=3)
    assert "obligatorio" in exc.value.message_dict["title"][0]
    with pytest.raises(ValidationError) as exc:
        services.plan_create(actor=nutritionist, title="X", days=15)
    assert "14" in exc.value.message_dict["days"][0]
    with pytest.raises(PatientNotFound):  # no care
        services.plan_create(actor=nutritionist, title="X", days=3, patient_id=patient.pk)


def _filled(nutritionist, patient=None, days=2):
    plan = services.plan_create(actor=nutritionist, title="Plan", days=days,
                                patient_id=patient.pk if patient else None, targets={"energy_kcal": 1800})
    for n in range(1, days + 1):
        for meal in ("desayuno", "comida"):
            services.plan_item_add(actor=nutritionist, plan_id=plan.pk, day_number=n, meal=meal, kind="smae",
                                   smae_group="frutas", quantity=n)
    return plan


def test_copy_and_clear_day(nutritionist):
    plan = _filled(nutritionist, days=3)
    services.plan_day_copy(actor=nutritionist, plan_id=plan.pk, from_day=1, to_day=2)
    assert selectors.plan_day_totals(plan, 2)["values"] == selectors.plan_day_totals(plan, 1)["values"]
    assert MealPlanItem.objects.filter(day__plan=plan, day__number=2).count() == 2
    services.plan_day_clear(actor=nutritionist, plan_id=plan.pk, day_number=2)
    assert selectors.plan_day_totals(plan, 2)["values"]["energy_kcal"] == 0
    with pytest.raises(ValidationError):
        services.plan_day_copy(actor=nutritionist, plan_id=plan.pk, from_day=1, to_day=1)


def test_clone_template_and_from_template(nutritionist, care, patient):
    plan = _filled(nutritionist)
    template = services.plan_clone(actor=nutritionist, plan_id=plan.pk, as_template=True)
    assert template.is_template and template.patient_id is None and template.cloned_from_id == plan.pk
    assert MealPlanItem.objects.filter(day__plan=template).count() == 4
    child = services.plan_clone(actor=nutritionist, plan_id=template.pk, patient_id=patient.pk)
    assert child.patient_id == patient.pk and not child.is_template and child.status == PlanStatus.DRAFT
    assert selectors.plan_day_totals(child, 2)["values"] == selectors.plan_day_totals(plan, 2)["values"]
    with pytest.raises(ValidationError):
        services.plan_assign(actor=nutritionist, plan_id=template.pk, patient_id=patient.pk,
                             start_date=timezone.localdate())


def test_other_nutritionist_cannot_touch(nutritionist, make_nutritionist):
    plan = _filled(nutritionist)
    other = make_nutritionist()
    item = MealPlanItem.objects.filter(day__plan=plan).first()
    for call in (
        lambda: services.plan_update(actor=other, plan_id=plan.pk, data={"title": "mío"}),
        lambda: services.plan_item_remove(actor=other, plan_id=plan.pk, item_id=item.pk),
        lambda: services.plan_clone(actor=other, plan_id=plan.pk),
        lambda: services.plan_delete(actor=other, plan_id=plan.pk),
    ):
        with pytest.raises(selectors.PlanNotFound):
            call()
    assert MealPlan.objects.get(pk=plan.pk).title == "Plan"


def test_assign_archives_previous_and_notifies(nutritionist, care, patient):
    from accounts.models import Notification

    first = _filled(nutritionist, patient)
    services.plan_assign(actor=nutritionist, plan_id=first.pk, start_date=timezone.localdate())
    second = _filled(nutritionist, patient)
    services.plan_assign(actor=nutritionist, plan_id=second.pk, patient_id=patient.pk,
                         start_date=timezone.localdate())
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == PlanStatus.ARCHIVED and second.status == PlanStatus.ACTIVE
    note = Notification.objects.filter(user=patient).first()
    assert note is not None and note.link == "/consulta/mi-plan/"
    with pytest.raises(ValidationError) as exc:
        services.plan_delete(actor=nutritionist, plan_id=second.pk)
    assert "borradores" in exc.value.message_dict["plan"][0]


def test_assign_rejects_bad_dates(nutritionist, care, patient):
    plan = _filled(nutritionist, patient)
    today = timezone.localdate()
    with pytest.raises(ValidationError) as exc:
        services.plan_assign(actor=nutritionist, plan_id=plan.pk, start_date="mañana")
    assert "AAAA-MM-DD" in exc.value.message_dict["start_date"][0]
    with pytest.raises(ValidationError) as exc:
        services.plan_assign(actor=nutritionist, plan_id=plan.pk, start_date=today, end_date=today - timedelta(days=1))
    assert "end_date" in exc.value.message_dict


def test_ended_care_cannot_assign(nutritionist, care, patient):
    plan = _filled(nutritionist, patient)
    care.status = "graduated"
    care.save()
    with pytest.raises(PatientNotFound):
        services.plan_assign(actor=nutritionist, plan_id=plan.pk, start_date=timezone.localdate())


def test_patient_logs_items_idempotently_and_undoes(foods, nutritionist, care, patient):
    apple = usda("09003")
    plan = services.plan_create(actor=nutritionist, title="Plan", days=1, patient_id=patient.pk)
    food_item = services.plan_item_add(actor=nutritionist, plan_id=plan.pk, day_number=1, meal="colacion_matutina",
                                       kind="food", food_id=apple.pk, quantity=180, unit="g")
    smae_item = services.plan_item_add(actor=nutritionist, plan_id=plan.pk, day_number=1, meal="desayuno",
                                       kind="smae", smae_group="cereales_sin_grasa", quantity=2)
    services.plan_assign(actor=nutritionist, plan_id=plan.pk, start_date=timezone.localdate())

    log, created = services.plan_item_log(actor=patient, item_id=food_item.pk)
    assert created
    entry = log.diary_entry
    assert entry.food_id == apple.pk and float(entry.grams) == 180 and entry.meal == "colacion_matutina"
    assert entry.date == timezone.localdate()
    again, created = services.plan_item_log(actor=patient, item_id=food_item.pk)
    assert not created and again.pk == log.pk
    assert DiaryEntry.objects.filter(user=patient).count() == 1

    log2, _c = services.plan_item_log(actor=patient, item_id=smae_item.pk)
    quick = log2.diary_entry
    assert quick.name == "2 × Cereales y tubérculos sin grasa (plan)"
    assert quick.energy_kcal == 140 and quick.carbs_g == 30 and quick.meal == "desayuno"

    stats = adherence_bulk(patient_ids=[patient.pk], today=timezone.localdate())[patient.pk]
    assert stats["planned"] == 2 and stats["followed"] == 2 and stats["plan_pct"] == 100

    services.plan_item_unlog(actor=patient, item_id=food_item.pk)
    assert not PlanItemLog.objects.filter(item=food_item).exists()
    assert not DiaryEntry.objects.filter(pk=entry.pk).exists()
    assert adherence_bulk(patient_ids=[patient.pk], today=timezone.localdate())[patient.pk]["plan_pct"] == 50


def test_meal_log_and_patient_scope(nutritionist, care, patient, other_user):
    plan = _filled(nutritionist, patient, days=1)
    services.plan_assign(actor=nutritionist, plan_id=plan.pk, start_date=timezone.localdate())
    logs = services.plan_meal_log(actor=patient, meal="desayuno")
    assert len(logs) == 1 and all(created for _log, created in logs)
    today = selectors.plan_today(user=patient, day=timezone.localdate())
    assert today["logged"] == 1 and today["planned"] == 2
    item = MealPlanItem.objects.filter(day__plan=plan).first()
    with pytest.raises(selectors.PlanItemNotFound):
        services.plan_item_log(actor=other_user, item_id=item.pk)


def test_patient_reads_only_assigned_plans(nutritionist, care, patient):
    draft = _filled(nutritionist, patient)
    template = services.plan_clone(actor=nutritionist, plan_id=draft.pk, as_template=True)
    for plan in (draft, template):
        with pytest.raises(selectors.PlanNotFound):
            selectors.plan_get_readable(user=patient, plan_id=plan.pk)
    services.plan_assign(actor=nutritionist, plan_id=draft.pk, start_date=timezone.localdate())
    assert selectors.plan_get_readable(user=patient, plan_id=draft.pk) == draft
