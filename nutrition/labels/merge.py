"""Combine the two readers of a label (offline OCR and, when configured, a vision model) and
cross-check what they read.

Per field the result carries the value, a confidence (0–1) and flags:

* ``readers_disagree``: OCR and vision read different numbers (the user must confirm);
* ``columns_disagree``: the per-100 and per-portion columns do not match the portion size;
* ``energy_units_disagree``: kJ is not 4.184 × kcal;
* ``low_confidence``: the OCR was unsure of the characters;
* ``vision_only`` / ``derived`` / ``approximate`` (printed as "< 0.5 g").

A field with any of the first five flags is listed in ``needs_review``.
"""

from __future__ import annotations

from nutrition.labels.parse import FIELDS, ParsedLabel

REVIEW_FLAGS = {"readers_disagree", "columns_disagree", "energy_units_disagree", "low_confidence", "vision_only"}
LOW_CONFIDENCE = 0.85
COLUMNS = ("per_100", "per_portion")
WHOLE_UNITS = ("energy_kcal", "energy_kj", "sodium_mg", "cholesterol_mg")


def close(a: float, b: float, field_name: str) -> bool:
    """Equal up to label rounding: whole numbers for kcal/kJ/mg, one decimal for grams."""
    if field_name in WHOLE_UNITS:
        return abs(a - b) <= max(1.0, 0.01 * max(abs(a), abs(b)))
    return abs(a - b) <= max(0.051, 0.01 * max(abs(a), abs(b)))


def columns_agree(per_100: float, per_portion: float, portion: float, field_name: str) -> bool:
    """Does the per-portion value follow from the per-100 one? Labels round each column on its own."""
    expected = per_100 * portion / 100
    if field_name in WHOLE_UNITS:
        tolerance = max(1.5, 0.04 * expected)
    else:
        tolerance = max(0.15, 0.06 * expected)
    return abs(expected - per_portion) <= tolerance


def merge(ocr: ParsedLabel, vision: dict | None) -> dict:
    """The merged reading: ``{"per_100", "per_portion", "fields", "needs_review", scalars...}``."""
    vision = vision or {}
    fields: dict[str, dict] = {}
    values = {column: {} for column in COLUMNS}
    serving = ocr.serving_size or vision.get("serving_size")
    for column in COLUMNS:
        ocr_col = getattr(ocr, column)
        vis_col = vision.get(column) or {}
        for name in FIELDS:
            key = f"{column}.{name}"
            o, v = ocr_col.get(name), vis_col.get(name)
            entry = {"value": None, "confidence": 0.0, "flags": [], "ocr": o, "vision": v}
            score = ocr.confidence.get(key, 0.0)
            if o is not None and v is not None:
                if close(o, v, name):
                    entry.update(value=o, confidence=round(max(score, 0.98), 3))
                else:
                    entry.update(value=o, confidence=0.5)
                    entry["flags"].append("readers_disagree")
            elif o is not None:
                entry.update(value=o, confidence=round(score, 3))
                if score < LOW_CONFIDENCE:
                    entry["flags"].append("low_confidence")
            elif v is not None:
                entry.update(value=v, confidence=0.7)
                entry["flags"].append("vision_only")
            if key in ocr.approximate:
                entry["flags"].append("approximate")
            if entry["value"] is not None:
                values[column][name] = entry["value"]
                fields[key] = entry
    # When the readers disagree, the candidate that fits the other column and the portion wins.
    if serving:
        for name in FIELDS:
            a, b = fields.get(f"per_100.{name}"), fields.get(f"per_portion.{name}")
            if not a or not b:
                continue
            for mine, other, to_other in ((a, b, True), (b, a, False)):
                if "readers_disagree" not in mine["flags"] or mine["vision"] is None:
                    continue
                ref = other["value"]
                fits = (lambda x, r=ref, n=name: columns_agree(x, r, serving, n)) if to_other else (
                    lambda x, r=ref, n=name: columns_agree(r, x, serving, n))
                if not fits(mine["ocr"]) and fits(mine["vision"]):
                    mine["value"] = mine["vision"]
            values["per_100"][name], values["per_portion"][name] = a["value"], b["value"]
            if not columns_agree(a["value"], b["value"], serving, name):
                for entry in (a, b):
                    if "columns_disagree" not in entry["flags"]:
                        entry["flags"].append("columns_disagree")
    # Fill a missing column from the other one and the portion size.
    if serving:
        for name in FIELDS:
            for src, dst, factor in (("per_portion", "per_100", 100 / serving), ("per_100", "per_portion", serving / 100)):
                if name in values[src] and name not in values[dst]:
                    value = round(values[src][name] * factor, 3)
                    values[dst][name] = value
                    fields[f"{dst}.{name}"] = {
                        "value": value, "confidence": fields[f"{src}.{name}"]["confidence"], "flags": ["derived"],
                        "ocr": None, "vision": None,
                    }
    for column in COLUMNS:
        kcal, kj = values[column].get("energy_kcal"), values[column].get("energy_kj")
        if kcal is not None and kj is not None and abs(kj - 4.184 * kcal) > max(4.0, 0.03 * kj):
            for name in ("energy_kcal", "energy_kj"):
                flags = fields[f"{column}.{name}"]["flags"]
                if "energy_units_disagree" not in flags:
                    flags.append("energy_units_disagree")
        if kcal is None and kj is not None:
            values[column]["energy_kcal"] = round(kj / 4.184)
            fields[f"{column}.energy_kcal"] = {
                "value": values[column]["energy_kcal"], "confidence": fields[f"{column}.energy_kj"]["confidence"],
                "flags": ["derived"], "ocr": None, "vision": None,
            }

    def pick(ocr_value, vision_value, name, prefer_vision=False):
        if ocr_value in (None, "") and vision_value in (None, ""):
            return None, []
        if ocr_value in (None, ""):
            return vision_value, ["vision_only"]
        if vision_value in (None, ""):
            return ocr_value, []
        if isinstance(ocr_value, float | int) and isinstance(vision_value, float | int):
            if not close(float(ocr_value), float(vision_value), name):
                return ocr_value, ["readers_disagree"]
            return ocr_value, []
        return (vision_value if prefer_vision else ocr_value), []

    scalars = {}
    for name, o, v, prefer_vision in (
        ("serving_size", ocr.serving_size, vision.get("serving_size"), False),
        ("servings_per_container", ocr.servings_per_container, vision.get("servings_per_container"), False),
        ("product_name", ocr.product_name, vision.get("product_name"), True),
        ("brand", "", vision.get("brand"), True),
    ):
        value, flags = pick(o, v, name, prefer_vision)
        scalars[name] = value
        if flags and name in ("serving_size", "servings_per_container"):
            fields[name] = {"value": value, "confidence": 0.5 if "readers_disagree" in flags else 0.7,
                            "flags": flags, "ocr": o, "vision": v}
    unit = ocr.serving_unit if ocr.serving_size else (vision.get("serving_unit") or ocr.serving_unit)
    state = ocr.physical_state
    if state == "solid" and (vision.get("physical_state") == "liquid" or unit == "ml"):
        state = "liquid"
    printed_seals = list(dict.fromkeys([*ocr.printed_seals, *(vision.get("printed_seals") or [])]))
    printed_legends = list(dict.fromkeys([*ocr.printed_legends, *(vision.get("printed_legends") or [])]))
    needs_review = sorted(k for k, e in fields.items() if REVIEW_FLAGS & set(e["flags"]))
    return {
        **scalars,
        "serving_unit": unit or "g",
        "physical_state": state,
        "per_100": values["per_100"],
        "per_portion": values["per_portion"],
        "fields": fields,
        "needs_review": needs_review,
        "printed_seals": printed_seals,
        "printed_legends": printed_legends,
        "ingredients": ocr.ingredients or vision.get("ingredients") or "",
    }
