"""Daily targets computed from the profile.

Mifflin-St Jeor BMR × activity factor, goal adjustment (seed 000: −500 kcal to lose weight,
+300 to gain muscle), a macro split by goal, sodium 2,000 mg, fibre 14 g per 1,000 kcal and
water 35 ml per kg. Overrides (by the user or their nutritionist) win field by field.
"""

from __future__ import annotations

from dataclasses import dataclass, field

ACTIVITY_FACTORS = {
    "sedentary": 1.2,
    "light": 1.375,
    "moderate": 1.55,
    "active": 1.725,
    "very_active": 1.9,
}
GOAL_ADJUSTMENT = {"weight_loss": -500, "muscle_gain": 300}
# Share of energy from protein, fat and carbohydrate by goal.
MACRO_SPLIT = {
    "weight_loss": (0.25, 0.30, 0.45),
    "muscle_gain": (0.25, 0.25, 0.50),
    "default": (0.20, 0.30, 0.50),
}
MIN_KCAL = 1200
DEFAULT_KCAL = 2000
SODIUM_MG = 2000
FIBER_PER_1000_KCAL = 14
WATER_ML_PER_KG = 35
TARGET_FIELDS = ("energy_kcal", "protein_g", "fat_g", "carbs_g", "fiber_g", "sodium_mg", "water_ml")


def bmr_mifflin(*, sex: str, weight_kg: float, height_cm: float, age: int) -> float:
    """Mifflin-St Jeor: 10·kg + 6.25·cm − 5·years + 5 (men) or − 161 (women); for other or
    unstated sex, the mean of both constants (−78)."""
    constant = {"male": 5, "female": -161}.get(sex, -78)
    return 10 * weight_kg + 6.25 * height_cm - 5 * age + constant


@dataclass
class Targets:
    energy_kcal: int
    protein_g: int
    fat_g: int
    carbs_g: int
    fiber_g: int
    sodium_mg: int
    water_ml: int
    bmr: int | None = None
    tdee: int | None = None
    complete: bool = True
    missing: list[str] = field(default_factory=list)
    overridden: list[str] = field(default_factory=list)
    set_by_name: str = ""

    def as_dict(self) -> dict:
        return {
            **{f: getattr(self, f) for f in TARGET_FIELDS},
            "bmr": self.bmr,
            "tdee": self.tdee,
            "complete": self.complete,
            "missing": self.missing,
            "overridden": self.overridden,
        }


def targets_compute(profile) -> Targets:
    """Targets from a profile (unsaved profiles work too). When sex, age, height or weight
    is missing, energy falls back to 2,000 kcal and ``complete`` is False."""
    missing = [
        name
        for name, value in (
            ("date_of_birth", getattr(profile, "date_of_birth", None)),
            ("height_cm", getattr(profile, "height_cm", None)),
            ("weight_kg", getattr(profile, "weight_kg", None)),
        )
        if not value
    ]
    goal = getattr(profile, "goal", "") or "maintenance"
    bmr = tdee = None
    weight = float(profile.weight_kg) if getattr(profile, "weight_kg", None) else None
    if not missing:
        bmr = bmr_mifflin(
            sex=profile.sex or "", weight_kg=weight, height_cm=float(profile.height_cm), age=profile.age
        )
        tdee = bmr * ACTIVITY_FACTORS.get(profile.activity_level, 1.2)
        energy = max(MIN_KCAL, tdee + GOAL_ADJUSTMENT.get(goal, 0))
    else:
        energy = DEFAULT_KCAL
    p, f, c = MACRO_SPLIT.get(goal, MACRO_SPLIT["default"])
    energy = round(energy)
    return Targets(
        energy_kcal=energy,
        protein_g=round(energy * p / 4),
        fat_g=round(energy * f / 9),
        carbs_g=round(energy * c / 4),
        fiber_g=round(energy / 1000 * FIBER_PER_1000_KCAL),
        sodium_mg=SODIUM_MG,
        water_ml=round((weight or 70) * WATER_ML_PER_KG / 50) * 50,
        bmr=round(bmr) if bmr is not None else None,
        tdee=round(tdee) if tdee is not None else None,
        complete=not missing,
        missing=missing,
    )


def targets_apply_overrides(targets: Targets, override, *, goal: str = "") -> Targets:
    """Apply the non-null override fields. An energy override rescales the macros and fibre
    that are not themselves overridden, keeping the goal's split."""
    if override is None:
        return targets
    if override.energy_kcal is not None:
        p, f, c = MACRO_SPLIT.get(goal or "maintenance", MACRO_SPLIT["default"])
        energy = override.energy_kcal
        targets.protein_g = round(energy * p / 4)
        targets.fat_g = round(energy * f / 9)
        targets.carbs_g = round(energy * c / 4)
        targets.fiber_g = round(energy / 1000 * FIBER_PER_1000_KCAL)
    for name in TARGET_FIELDS:
        value = getattr(override, name)
        if value is not None:
            setattr(targets, name, value)
            targets.overridden.append(name)
    if targets.overridden and override.set_by_id and override.set_by_id != override.user_id:
        targets.set_by_name = override.set_by.get_full_name() if override.set_by else ""
    return targets
