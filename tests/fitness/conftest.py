import pytest


@pytest.fixture
def athlete(make_user):
    """A person with a known weight (80 kg), so kcal are exact."""
    return make_user(first_name="Carla", weight_kg=80)


@pytest.fixture
def make_plan():
    from fitness.services import workout_plan_generate

    def _make(user, **overrides):
        args = {"goal": "ganar_musculo", "level": "intermedio", "weekdays": [0, 2, 4], "equipment": ["mancuernas"],
                "session_minutes": 45}
        args.update(overrides)
        return workout_plan_generate(actor=user, **args)

    return _make
