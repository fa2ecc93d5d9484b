"""Reference tables and categories of the clinical record.

- ``LAB_TESTS``: common laboratory tests with their unit and the adult reference range
  ("valores de referencia para adultos", as laboratories in Mexico usually report them;
  each laboratory's own range prevails and is written with the result when it differs).
- Anthropometry categories: BMI (``accounts.selectors.bmi_category``), waist-to-height ratio,
  waist-to-hip ratio by sex (OMS) and blood pressure (AHA 2017).

Pure functions, no database.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

LAB_SOURCE = gettext_lazy(
    "Valores de referencia para adultos; el rango del laboratorio que realizó el estudio prevalece."
)


@dataclass(frozen=True)
class LabTest:
    code: str
    label: object  # lazy string
    unit: str
    low: float | None = None  # below is "bajo"
    high: float | None = None  # above is "alto"
    low_male: float | None = None  # sex-specific lower limit (HDL, hemoglobin, ferritin)
    low_female: float | None = None
    high_male: float | None = None
    high_female: float | None = None
    high_inclusive: bool = False  # "< 5.7": 5.7 is already high

    def limits(self, sex: str = "") -> tuple[float | None, float | None]:
        low, high = self.low, self.high
        if sex == "male":
            low = self.low_male if self.low_male is not None else low
            high = self.high_male if self.high_male is not None else high
        elif sex == "female":
            low = self.low_female if self.low_female is not None else low
            high = self.high_female if self.high_female is not None else high
        elif self.low_male is not None or self.low_female is not None:
            # unknown sex: the wider (more permissive) range
            lows = [v for v in (self.low_male, self.low_female) if v is not None]
            low = min(lows) if lows else low
            highs = [v for v in (self.high_male, self.high_female) if v is not None]
            high = max(highs) if highs else high
        return low, high

    def range_text(self, sex: str = "") -> str:
        low, high = self.limits(sex)
        fmt = _fmt
        if low is not None and high is not None:
            return f"{fmt(low)}–{fmt(high)}"
        if high is not None:
            return f"< {fmt(high)}" if self.high_inclusive else f"≤ {fmt(high)}"
        if low is not None:
            return f"≥ {fmt(low)}"
        return ""


def _fmt(value: float) -> str:
    return f"{value:g}"


LAB_TESTS: dict[str, LabTest] = {
    t.code: t
    for t in [
        LabTest("glucose_fasting", gettext_lazy("Glucosa en ayuno"), "mg/dL", low=70, high=99),
        LabTest("hba1c", gettext_lazy("Hemoglobina glucosilada (HbA1c)"), "%", high=5.7, high_inclusive=True),
        LabTest("insulin_fasting", gettext_lazy("Insulina en ayuno"), "µU/mL", low=2, high=25),
        LabTest("cholesterol_total", gettext_lazy("Colesterol total"), "mg/dL", high=200, high_inclusive=True),
        LabTest("ldl", gettext_lazy("Colesterol LDL"), "mg/dL", high=100, high_inclusive=True),
        LabTest("hdl", gettext_lazy("Colesterol HDL"), "mg/dL", low_male=40, low_female=50),
        LabTest("triglycerides", gettext_lazy("Triglicéridos"), "mg/dL", high=150, high_inclusive=True),
        LabTest("creatinine", gettext_lazy("Creatinina"), "mg/dL", low_male=0.7, high_male=1.3, low_female=0.6,
                high_female=1.1),
        LabTest("uric_acid", gettext_lazy("Ácido úrico"), "mg/dL", low_male=3.4, high_male=7.0, low_female=2.4,
                high_female=6.0),
        LabTest("urea", gettext_lazy("Urea (BUN)"), "mg/dL", low=7, high=20),
        LabTest("tsh", gettext_lazy("TSH"), "mUI/L", low=0.4, high=4.0),
        LabTest("hemoglobin", gettext_lazy("Hemoglobina"), "g/dL", low_male=13.5, high_male=17.5, low_female=12.0,
                high_female=15.5),
        LabTest("ferritin", gettext_lazy("Ferritina"), "ng/mL", low_male=24, high_male=336, low_female=11,
                high_female=307),
        LabTest("vitamin_d", gettext_lazy("Vitamina D (25-OH)"), "ng/mL", low=30, high=100),
        LabTest("vitamin_b12", gettext_lazy("Vitamina B12"), "pg/mL", low=200, high=900),
        LabTest("alt", gettext_lazy("ALT (TGP)"), "U/L", low=7, high=56),
        LabTest("albumin", gettext_lazy("Albúmina"), "g/dL", low=3.5, high=5.0),
    ]
}

FREE_TEST = "other"


def lab_test(code: str) -> LabTest | None:
    return LAB_TESTS.get(code or "")


def lab_test_choices() -> list[tuple[str, str]]:
    return [(t.code, f"{t.label} ({t.unit})") for t in LAB_TESTS.values()] + [(FREE_TEST, _("Otro estudio"))]


def lab_test_label(code: str) -> str:
    test = lab_test(code)
    return str(test.label) if test else code


def lab_flag(code: str, value, sex: str = "") -> str:
    """``"high"``, ``"low"`` or ``""`` (in range, or a free-text test with no known range)."""
    test = lab_test(code)
    if test is None:
        return ""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return ""
    low, high = test.limits(sex)
    if high is not None and (number >= high if test.high_inclusive else number > high):
        return "high"
    if low is not None and number < low:
        return "low"
    return ""


def lab_flag_label(flag: str) -> str:
    return {"high": _("Alto"), "low": _("Bajo")}.get(flag, "")


# ---------------------------------------------------------------------------------------
# anthropometry


def bmi(weight_kg, height_cm) -> float | None:
    if not weight_kg or not height_cm:
        return None
    meters = float(height_cm) / 100
    return round(float(weight_kg) / (meters * meters), 1)


def bmi_category(value) -> tuple[str, str] | None:
    if value is None:
        return None
    from accounts.selectors import bmi_category as who_bmi

    return who_bmi(value)


def waist_height(waist_cm, height_cm) -> tuple[float, str, str] | None:
    """``(ratio, code, label)``; 0.5 or more is a cardiometabolic risk."""
    if not waist_cm or not height_cm:
        return None
    ratio = round(float(waist_cm) / float(height_cm), 2)
    if ratio >= 0.5:
        return ratio, "risk", _("Riesgo")
    return ratio, "normal", _("Sin riesgo")


def waist_hip(waist_cm, hip_cm, sex: str = "") -> tuple[float, str, str] | None:
    """``(ratio, code, label)`` with the OMS limits: risk above 0.90 (men) / 0.85 (women)."""
    if not waist_cm or not hip_cm:
        return None
    ratio = round(float(waist_cm) / float(hip_cm), 2)
    if sex == "male":
        limit = 0.90
    elif sex == "female":
        limit = 0.85
    else:
        return ratio, "unknown", _("Sin categoría (falta el sexo en el perfil)")
    if ratio > limit:
        return ratio, "risk", _("Riesgo")
    return ratio, "normal", _("Sin riesgo")


def blood_pressure_category(systolic, diastolic) -> tuple[str, str] | None:
    """AHA 2017: normal, elevada, hipertensión 1, hipertensión 2."""
    if not systolic or not diastolic:
        return None
    s, d = int(systolic), int(diastolic)
    if s >= 140 or d >= 90:
        return "stage_2", _("Hipertensión grado 2")
    if s >= 130 or d >= 80:
        return "stage_1", _("Hipertensión grado 1")
    if s >= 120:
        return "elevated", _("Presión elevada")
    return "normal", _("Normal")


# Physiological ranges a measurement must fall in: (min, max, unit) per field.
MEASUREMENT_RANGES: dict[str, tuple[Decimal, Decimal, str]] = {
    "weight_kg": (Decimal(20), Decimal(400), "kg"),
    "height_cm": (Decimal(50), Decimal("250"), "cm"),
    "waist_cm": (Decimal(30), Decimal(250), "cm"),
    "hip_cm": (Decimal(40), Decimal(250), "cm"),
    "body_fat_pct": (Decimal(2), Decimal(75), "%"),
    "muscle_mass_kg": (Decimal(5), Decimal(150), "kg"),
    "systolic_mmhg": (Decimal(60), Decimal(260), "mmHg"),
    "diastolic_mmhg": (Decimal(30), Decimal(160), "mmHg"),
}
