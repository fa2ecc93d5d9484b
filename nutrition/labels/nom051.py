"""NOM-051-SCFI/SSA1-2010 (modification of 27 Mar 2020) front-of-pack warnings: seals,
precautionary legends, phases by date, and the health score of seed 000.

Values are per 100 g (solids) or per 100 ml (liquids). Energy from sugars and fats uses
4 and 9 kcal/g (numeral 5.1.1). Table 6 profiles:

=========================  ==============================  ==============================
seal                       phase 1 (2020-10-01..2023-09-30)  phases 2 and 3
=========================  ==============================  ==============================
EXCESO CALORÍAS            solids ≥ 275 kcal; liquids ≥ 70   same, liquids ≥ 8 kcal from
                           kcal or ≥ 10 kcal free sugars     free sugars
EXCESO AZÚCARES            free sugars ≥ 10 % of energy      same
EXCESO GRASAS SATURADAS    saturated fat ≥ 10 % of energy    same
EXCESO GRASAS TRANS        trans fat ≥ 1 % of energy         same
EXCESO SODIO               ≥ 350 mg; calorie-free drinks     ≥ 300 mg or ≥ 1 mg/kcal;
                           ≥ 45 mg                           calorie-free drinks ≥ 45 mg
=========================  ==============================  ==============================

Scope (4.5.3): only products with ADDED critical nutrients get seals. Phase 2 (extended by
the DOF agreement of 31 Jul 2025 to 31 Dec 2027) evaluates only the nutrient that was added:
added sugar -> sugars and calories; added fat -> saturated fat, trans fat and calories; added
sodium -> sodium. Phase 3 (from 1 Jan 2028): any added critical nutrient -> all five checks.

Free sugars: a label declares "Azúcares" and "Azúcares añadidos", not free sugars. Added
sugars are the closest declared value (free sugars = added sugars + sugars naturally in
honey, syrups and juices), so they are used when declared; otherwise total sugars (the
conservative choice, reported as an assumption).

"Calorie-free beverage" (45 mg sodium rule): a liquid under 5 kcal per 100 ml, the reading of
"sin calorías" in NOM-086; public implementations also use "0 kcal", which this includes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext as _

SEAL_CALORIES = "EXCESO CALORÍAS"
SEAL_SUGARS = "EXCESO AZÚCARES"
SEAL_SAT_FAT = "EXCESO GRASAS SATURADAS"
SEAL_TRANS_FAT = "EXCESO GRASAS TRANS"
SEAL_SODIUM = "EXCESO SODIO"
SEALS = (SEAL_CALORIES, SEAL_SUGARS, SEAL_SAT_FAT, SEAL_TRANS_FAT, SEAL_SODIUM)
LEGEND_SWEETENERS = "CONTIENE EDULCORANTES - NO RECOMENDABLE EN NIÑOS"
LEGEND_CAFFEINE = "CONTIENE CAFEÍNA - EVITAR EN NIÑOS"

PHASE_1_START = date(2020, 10, 1)
PHASE_2_START = date(2023, 10, 1)
PHASE_3_START = date(2028, 1, 1)

SOLID_KCAL = 275
LIQUID_KCAL = 70
LIQUID_SUGAR_KCAL = {1: 10, 2: 8, 3: 8}
SODIUM_MG = {1: 350, 2: 300, 3: 300}
SODIUM_MG_PER_KCAL = 1.0  # phases 2 and 3
CALORIE_FREE_DRINK_KCAL = 5
CALORIE_FREE_DRINK_SODIUM_MG = 45
SUGARS_ENERGY_PCT = 10
SAT_FAT_ENERGY_PCT = 10
TRANS_FAT_ENERGY_PCT = 1


def phase_for(on_date: date) -> int:
    """0 before the seals existed, then 1, 2 or 3."""
    if on_date < PHASE_1_START:
        return 0
    if on_date < PHASE_2_START:
        return 1
    if on_date < PHASE_3_START:
        return 2
    return 3


@dataclass
class Evaluation:
    phase: int
    seals: list = field(default_factory=list)
    legends: list = field(default_factory=list)
    evaluated: list = field(default_factory=list)  # seals whose check ran (in scope, data present)
    missing: list = field(default_factory=list)  # seals that could not be checked: field names needed
    assumptions: list = field(default_factory=list)  # codes: "total_sugars_as_free", ...
    reasons: dict = field(default_factory=dict)  # seal -> short explanation with the numbers


def _num(value):
    try:
        return None if value in (None, "") else float(value)
    except (TypeError, ValueError):
        return None


def evaluate(
    per_100: dict,
    *,
    physical_state: str = "solid",
    on_date: date,
    adds_sugar: bool = True,
    adds_fat: bool = True,
    adds_sodium: bool = True,
    has_sweeteners: bool = False,
    has_caffeine: bool = False,
) -> Evaluation:
    """The seals and legends a product must carry on ``on_date``.

    ``per_100`` holds energy_kcal, sugars_g, added_sugars_g, saturated_fat_g, trans_fat_g and
    sodium_mg per 100 g/ml (missing values are None: the seals that need them are listed in
    ``missing``, never computed from a guessed 0).
    """
    phase = phase_for(on_date)
    result = Evaluation(phase=phase)
    if has_sweeteners:
        result.legends.append(LEGEND_SWEETENERS)
    if has_caffeine:
        result.legends.append(LEGEND_CAFFEINE)
    if phase == 0:
        result.legends = []
        return result
    liquid = physical_state == "liquid"
    base = "100 ml" if liquid else "100 g"
    kcal = _num(per_100.get("energy_kcal"))
    added = _num(per_100.get("added_sugars_g"))
    total_sugars = _num(per_100.get("sugars_g"))
    free_sugars = added if added is not None else total_sugars
    if added is None and total_sugars is not None:
        result.assumptions.append("total_sugars_as_free")
    sat = _num(per_100.get("saturated_fat_g"))
    trans = _num(per_100.get("trans_fat_g"))
    sodium = _num(per_100.get("sodium_mg"))

    any_added = adds_sugar or adds_fat or adds_sodium
    if phase >= 3:
        in_scope = dict.fromkeys(SEALS, any_added)
    else:
        in_scope = {
            SEAL_CALORIES: adds_sugar or adds_fat,
            SEAL_SUGARS: adds_sugar,
            SEAL_SAT_FAT: adds_fat,
            SEAL_TRANS_FAT: adds_fat,
            SEAL_SODIUM: adds_sodium,
        }

    def check(seal, needs: dict, test, reason):
        if not in_scope[seal]:
            return
        lacking = [name for name, value in needs.items() if value is None]
        if lacking:
            result.missing.append(seal)
            return
        result.evaluated.append(seal)
        if test():
            result.seals.append(seal)
            result.reasons[seal] = reason()

    # Calories: total energy, or (liquids) energy from free sugars.
    sugar_kcal = None if free_sugars is None else free_sugars * 4
    if liquid:
        limit = LIQUID_SUGAR_KCAL[phase]
        check(
            SEAL_CALORIES,
            {"energy_kcal": kcal},
            lambda: kcal >= LIQUID_KCAL or (sugar_kcal is not None and sugar_kcal >= limit),
            lambda: _("%(kcal)s kcal por 100 ml (límite %(limit)s) o %(sugar)s kcal de azúcares (límite %(slimit)s)")
            % {"kcal": _fmt(kcal), "limit": LIQUID_KCAL, "sugar": _fmt(sugar_kcal or 0), "slimit": limit},
        )
    else:
        check(
            SEAL_CALORIES,
            {"energy_kcal": kcal},
            lambda: kcal >= SOLID_KCAL,
            lambda: _("%(kcal)s kcal por 100 g (límite %(limit)s)") % {"kcal": _fmt(kcal), "limit": SOLID_KCAL},
        )
    check(
        SEAL_SUGARS,
        {"energy_kcal": kcal, "sugars_g": free_sugars},
        lambda: kcal > 0 and free_sugars * 4 * 100 >= SUGARS_ENERGY_PCT * kcal,
        lambda: _("%(pct)s %% de la energía viene de azúcares (límite 10 %%)") % {"pct": _pct(free_sugars * 4, kcal)},
    )
    check(
        SEAL_SAT_FAT,
        {"energy_kcal": kcal, "saturated_fat_g": sat},
        lambda: kcal > 0 and sat * 9 * 100 >= SAT_FAT_ENERGY_PCT * kcal,
        lambda: _("%(pct)s %% de la energía viene de grasas saturadas (límite 10 %%)") % {"pct": _pct(sat * 9, kcal)},
    )
    check(
        SEAL_TRANS_FAT,
        {"energy_kcal": kcal, "trans_fat_g": trans},
        lambda: kcal > 0 and trans * 9 * 100 >= TRANS_FAT_ENERGY_PCT * kcal,
        lambda: _("%(pct)s %% de la energía viene de grasas trans (límite 1 %%)") % {"pct": _pct(trans * 9, kcal)},
    )
    calorie_free_drink = liquid and kcal is not None and kcal < CALORIE_FREE_DRINK_KCAL

    def sodium_test():
        if calorie_free_drink:
            return sodium >= CALORIE_FREE_DRINK_SODIUM_MG
        if sodium >= SODIUM_MG[phase]:
            return True
        return phase >= 2 and bool(kcal) and sodium >= SODIUM_MG_PER_KCAL * kcal

    def sodium_reason():
        if calorie_free_drink:
            return _("%(mg)s mg de sodio en una bebida sin calorías (límite 45 mg)") % {"mg": _fmt(sodium)}
        if phase >= 2:
            return _("%(mg)s mg de sodio por %(base)s (límite %(limit)s mg o 1 mg por kcal)") % {
                "mg": _fmt(sodium), "base": base, "limit": SODIUM_MG[phase]}
        return _("%(mg)s mg de sodio por %(base)s (límite %(limit)s mg)") % {
            "mg": _fmt(sodium), "base": base, "limit": SODIUM_MG[phase]}

    check(SEAL_SODIUM, {"sodium_mg": sodium}, sodium_test, sodium_reason)
    result.seals = [s for s in SEALS if s in result.seals]
    return result


def _fmt(value: float) -> str:
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"


def _pct(part_kcal: float, kcal: float) -> str:
    return f"{100 * part_kcal / kcal:.1f}" if kcal else "0"


def health_score(*, seals: list, per_100: dict) -> float:
    """Seed 000: start at 10, −2 per seal, +1 with fibre ≥ 3 g, +1 with protein ≥ 5 g; 0–10.

    The seed compares fibre and protein per serving; per 100 g/ml is used instead so two
    products compare on the same basis whatever portion their makers chose.
    """
    score = 10.0 - 2 * len(seals)
    if (_num(per_100.get("fiber_g")) or 0) >= 3:
        score += 1
    if (_num(per_100.get("protein_g")) or 0) >= 5:
        score += 1
    return max(0.0, min(10.0, score))


def recommendation(*, seals: list, legends: list, score: float, physical_state: str = "solid") -> str:
    """Two or three plain sentences in the user's language about what the seals mean for them."""
    parts = []
    if not seals:
        parts.append(_("No lleva sellos de advertencia: es una opción razonable dentro de una alimentación variada."))
    else:
        advice = {
            SEAL_CALORIES: _("Aporta mucha energía en poco volumen: cuida la porción."),
            SEAL_SUGARS: _("Tiene mucha azúcar: prefiere versiones sin azúcar añadida o fruta natural."),
            SEAL_SAT_FAT: _("Tiene mucha grasa saturada: prefiere grasas de aguacate, nueces o aceite de oliva."),
            SEAL_TRANS_FAT: _("Tiene grasas trans, las más dañinas para el corazón: evítalo en lo posible."),
            SEAL_SODIUM: _("Tiene mucho sodio: evita añadirle sal y acompáñalo con agua."),
        }
        # Two pieces of advice at most: a short text is read, a long one is skipped.
        parts.extend(advice[s] for s in seals[:2])
        if len(seals) >= 3:
            parts.append(_("Con %(n)s sellos, consúmelo solo de vez en cuando.") % {"n": len(seals)})
        elif physical_state == "liquid":
            parts.append(_("Para tomar a diario, el agua natural sigue siendo la mejor opción."))
        else:
            parts.append(_("Consúmelo con moderación y combínalo con verduras y alimentos frescos."))
    if LEGEND_SWEETENERS in legends:
        parts.append(_("Contiene edulcorantes: no se recomienda para niñas y niños."))
    if LEGEND_CAFFEINE in legends:
        parts.append(_("Contiene cafeína: evítalo en niñas y niños."))
    return " ".join(parts)
