"""The deterministic generator: properties over every combination of goal, level, days,
equipment and session length (hypothesis), plus the splits and the catalogue itself."""

from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from fitness.generator import (
    BASE_SETS,
    EQUIPMENT,
    GOALS,
    LEVEL_RANK,
    LEVELS,
    catalogue_rows,
    catalogue_specs,
    generate,
    session_focuses,
)

CATALOGUE = catalogue_specs()

plan_inputs = st.fixed_dictionaries({
    "goal": st.sampled_from(GOALS),
    "level": st.sampled_from(LEVELS),
    "weekdays": st.sets(st.integers(0, 6), min_size=1, max_size=6).map(sorted),
    "equipment": st.sets(st.sampled_from(EQUIPMENT[1:])).map(sorted),
    "minutes": st.integers(15, 120),
})


@settings(max_examples=300, deadline=None)
@given(plan_inputs)
def test_never_uses_equipment_the_person_lacks_nor_harder_levels(data):
    plan = generate(catalogue=CATALOGUE, **data)
    have = set(data["equipment"]) | {"ninguno"}
    for session in plan.sessions:
        assert session.items
        for item in session.items:
            assert set(item.exercise.equipment) <= have, (item.exercise.code, have)
            assert LEVEL_RANK[item.exercise.level] <= LEVEL_RANK[data["level"]]


@settings(max_examples=300, deadline=None)
@given(plan_inputs)
def test_sessions_only_on_chosen_days_with_warm_up_main_and_cool_down(data):
    plan = generate(catalogue=CATALOGUE, **data)
    assert [s.weekday for s in plan.sessions] == data["weekdays"]
    assert [s.day_number for s in plan.sessions] == list(range(1, len(data["weekdays"]) + 1))
    for session in plan.sessions:
        blocks = [i.block for i in session.items]
        assert blocks[0] == "calentamiento" and blocks[-1] == "enfriamiento"
        assert "principal" in blocks
        codes = [i.exercise.code for i in session.items]
        assert len(codes) == len(set(codes)), "no exercise twice in one session"
        # never much longer than asked (a short session keeps two exercises with fewer sets)
        assert session.minutes <= data["minutes"] + max(5, data["minutes"] * 0.2)


@settings(max_examples=200, deadline=None)
@given(plan_inputs)
def test_volume_grows_with_level(data):
    """Same goal, days, kit and length: each strength exercise gets the level's base sets
    (one more at most, to fill time), so beginners never do more sets than advanced people."""
    per_level = {}
    for level in LEVELS:
        plan = generate(catalogue=CATALOGUE, **{**data, "level": level})
        sets = [i.sets for s in plan.sessions for i in s.items if i.block == "principal" and i.exercise.type == "fuerza"]
        for value in sets:
            assert BASE_SETS[level] - 2 <= value <= BASE_SETS[level] + 1
        per_level[level] = max(sets) if sets else 0
        if data["minutes"] >= 30 and sets:
            assert min(sets) >= BASE_SETS[level]
    assert per_level["principiante"] <= per_level["intermedio"] + 1 <= per_level["avanzado"] + 2


def test_beginners_never_get_hiit_days_and_splits_follow_days():
    for goal in GOALS:
        for days in range(1, 7):
            assert "hiit" not in session_focuses(goal, "principiante", days)
    assert session_focuses("ganar_musculo", "intermedio", 3) == ["cuerpo_completo"] * 3
    assert session_focuses("ganar_musculo", "intermedio", 4) == ["tren_superior", "tren_inferior"] * 2
    six = session_focuses("ganar_musculo", "avanzado", 6)
    assert six.count("cardio") == 1 and six.count("empuje") == 1 and "tren_superior" in six  # PPL + upper/lower
    fat = session_focuses("perder_grasa", "intermedio", 4)
    assert fat == ["cuerpo_completo", "hiit", "cuerpo_completo", "cardio"]  # conditioning between strength days


def test_same_input_same_plan_and_full_body_rotates_exercises():
    args = {"goal": "ganar_musculo", "level": "intermedio", "weekdays": [0, 2, 4], "equipment": ["mancuernas"],
            "minutes": 45}
    a = generate(catalogue=CATALOGUE, **args)
    b = generate(catalogue=CATALOGUE, **args)
    dump = [[(i.exercise.code, i.sets, i.reps) for i in s.items] for s in a.sessions]
    assert dump == [[(i.exercise.code, i.sets, i.reps) for i in s.items] for s in b.sessions]
    mains = [{i.exercise.code for i in s.items if i.block == "principal"} for s in a.sessions]
    assert mains[0] != mains[1] != mains[2]


def test_muscle_gain_rests_longer_and_fat_loss_ends_with_a_finisher():
    base = {"level": "intermedio", "weekdays": [0, 3], "equipment": ["mancuernas", "banco"], "minutes": 50}
    gain = generate(catalogue=CATALOGUE, goal="ganar_musculo", **base)
    loss = generate(catalogue=CATALOGUE, goal="perder_grasa", **base)
    rest = lambda p: {i.rest_seconds for s in p.sessions for i in s.items if i.block == "principal"}  # noqa: E731
    assert rest(gain) == {90} and rest(loss) == {45}
    assert all(any(i.block == "final" for i in s.items) for s in loss.sessions)
    assert not any(i.block == "final" for s in gain.sessions for i in s.items)


def test_catalogue_has_enough_exercises_with_both_names_and_valid_fields():
    rows = catalogue_rows()
    assert len(rows) >= 60
    assert len({r["code"] for r in rows}) == len(rows)
    kinds = Counter(r["type"] for r in rows)
    assert {"fuerza", "cardio", "movilidad", "hiit"} <= set(kinds)
    for r in rows:
        assert r["name_es"] and r["name_en"] and r["instructions_es"]
        assert set(r["equipment"]) <= set(EQUIPMENT)
        assert 1.0 <= r["met"] <= 15 and r["compendium_code"]
        assert r["reps"] or r["seconds"] or r["minutes"]
