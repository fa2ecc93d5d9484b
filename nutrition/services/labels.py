"""The NOM-051 label scanner: read a photo of a Mexican nutrition label, compute its seals,
legends and health score, and save the confirmed values as a custom food.

* ``label_scan``: validate the picture, read it with the offline OCR and, when an AI provider
  is configured, with a vision model as a second reader; merge and cross-check both; evaluate.
* ``label_evaluate``: the same evaluation for values the user typed or corrected (the page
  recomputes the seals on every edit through it).
* ``label_save``: store the confirmed values per 100 g/ml as a private custom food, with the
  label's portion as a FoodPortion (reusing ``custom_food_create``).

The page, the API and any task call these functions and nothing else.
"""

from __future__ import annotations

import io
import logging
import time
from datetime import date
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from pydantic import BaseModel, Field

from nutrition.labels import nom051, ocr
from nutrition.labels.merge import merge
from nutrition.labels.parse import FIELDS, ingredient_flags, parse_boxes
from nutrition.labels.parse import _printed_legends as legends_in_text
from nutrition.labels.parse import _seal_for as seal_in_text
from nutrition.models import Food
from nutrition.services.foods import custom_food_create

logger = logging.getLogger(__name__)

MAX_IMAGE_BYTES = 5 * 1024 * 1024
IMAGE_FORMATS = {"JPEG": "image/jpeg", "MPO": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
MEXICO = ZoneInfo("America/Mexico_City")
# USDA nutrient number for added sugars: kept in Food.nutrients (there is no fixed column).
ADDED_SUGARS_NUMBER = "539"

# Internal field -> the seed 000 API key.
API_KEYS = {
    "energy_kcal": "calories",
    "energy_kj": "energy_kj",
    "protein_g": "protein_g",
    "carbs_g": "carbs_g",
    "sugars_g": "sugar_g",
    "added_sugars_g": "added_sugar_g",
    "fat_g": "fat_g",
    "saturated_fat_g": "saturated_fat_g",
    "trans_fat_g": "trans_fat_g",
    "fiber_g": "fiber_g",
    "sodium_mg": "sodium_mg",
    "cholesterol_mg": "cholesterol_mg",
}
FLAG_NAMES = ("adds_sugar", "adds_fat", "adds_sodium", "has_sweeteners", "has_caffeine")


class LabelNotFound(Exception):
    """No nutrition table could be read in the picture."""

    error_code = "LABEL_NOT_FOUND"

    def __init__(self, message: str | None = None):
        super().__init__(message or _(
            "No encontramos una tabla de información nutrimental en la foto. Toma la foto de frente, "
            "con buena luz y que la tabla ocupe casi toda la imagen."
        ))
        self.message = str(self.args[0])


# ---------------------------------------------------------------------------------------
# the vision reader's answer


class VisionColumn(BaseModel):
    energy_kcal: float | None = None
    energy_kj: float | None = None
    protein_g: float | None = None
    fat_g: float | None = None
    saturated_fat_g: float | None = None
    trans_fat_g: float | None = None
    carbs_g: float | None = None
    sugars_g: float | None = None
    added_sugars_g: float | None = None
    fiber_g: float | None = None
    sodium_mg: float | None = None


class VisionLabel(BaseModel):
    is_nutrition_label: bool = True
    product_name: str = ""
    brand: str = ""
    serving_size: float | None = None
    serving_unit: str | None = None
    servings_per_container: float | None = None
    physical_state: str | None = None
    per_100: VisionColumn = Field(default_factory=VisionColumn)
    per_serving: VisionColumn = Field(default_factory=VisionColumn)
    printed_seals: list[str] = Field(default_factory=list)
    printed_legends: list[str] = Field(default_factory=list)
    ingredients: str = ""


VISION_PROMPT = (
    "Lee la tabla de información nutrimental de esta etiqueta mexicana (NOM-051). Copia los números tal como "
    "están impresos, sin calcular ni estimar; usa null para lo que no se lea. Unidades: energía en kcal y kJ, "
    "sodio y colesterol en mg, todo lo demás en gramos (convierte mg a g en grasas trans). per_100 es la columna "
    "por 100 g o 100 ml; per_serving, la columna por porción. serving_unit es \"g\" o \"ml\"; physical_state es "
    "\"solid\" o \"liquid\". printed_seals: los sellos octagonales impresos (p. ej. \"EXCESO AZÚCARES\"); "
    "printed_legends: leyendas como \"CONTIENE EDULCORANTES - NO RECOMENDABLE EN NIÑOS\". Responde solo JSON con "
    "las claves: is_nutrition_label, product_name, brand, serving_size, serving_unit, servings_per_container, "
    "physical_state, per_100, per_serving, printed_seals, printed_legends, ingredients."
)


def _vision_read(*, actor, data: bytes, content_type: str) -> tuple[dict | None, str | None]:
    """The vision model's reading as merge() expects it, or (None, error code) when it fails.

    The OCR text is deliberately not sent: two independent readings that agree are worth more
    than one reading echoed back.
    """
    from integrations.ai import AIError, ai_enabled, chat_json, image_content

    if not ai_enabled():
        return None, None
    messages = [
        {"role": "system", "content": "Eres un lector preciso de etiquetas de alimentos de México."},
        {"role": "user", "content": [{"type": "text", "text": VISION_PROMPT}, image_content(data, content_type)]},
    ]
    try:
        reply = chat_json(messages, VisionLabel, feature="label_scan", user=actor, vision=True, temperature=0)
    except AIError as exc:
        logger.info("label vision reader unavailable: %s", exc.code)
        return None, exc.code
    if not reply.is_nutrition_label:
        return {}, None
    seals = []
    for text in reply.printed_seals:
        seal = seal_in_text(text)
        if seal and seal not in seals:
            seals.append(seal)
    unit = (reply.serving_unit or "").lower().strip() or None
    state = (reply.physical_state or "").lower().strip()
    return {
        "product_name": reply.product_name.strip()[:200],
        "brand": reply.brand.strip()[:120],
        "serving_size": reply.serving_size if reply.serving_size and reply.serving_size > 0 else None,
        "serving_unit": unit if unit in ("g", "ml") else None,
        "servings_per_container": reply.servings_per_container,
        "physical_state": state if state in ("solid", "liquid") else None,
        "per_100": {k: v for k, v in reply.per_100.model_dump().items() if v is not None and v >= 0},
        "per_portion": {k: v for k, v in reply.per_serving.model_dump().items() if v is not None and v >= 0},
        "printed_seals": seals,
        "printed_legends": legends_in_text(" ".join(reply.printed_legends)),
        "ingredients": reply.ingredients.strip(),
    }, None


# ---------------------------------------------------------------------------------------
# input checks


def label_image_clean(image) -> tuple[bytes, str]:
    """The picture's bytes, checked by content: JPG, PNG or WEBP, at most 5 MB, really an image.
    Returns (bytes ready for the readers, content type); raises ValidationError with code
    INVALID_IMAGE or IMAGE_TOO_LARGE."""
    if image is None:
        raise ValidationError(_("Sube una foto de la etiqueta."), code="INVALID_IMAGE")
    if isinstance(image, bytes | bytearray):
        data = bytes(image)
    else:
        size = getattr(image, "size", None)
        if size is not None and size > MAX_IMAGE_BYTES:
            raise ValidationError(_("La foto pesa más de 5 MB; toma una con menor resolución."), code="IMAGE_TOO_LARGE")
        image.seek(0)
        data = image.read(MAX_IMAGE_BYTES + 1)
    if len(data) > MAX_IMAGE_BYTES:
        raise ValidationError(_("La foto pesa más de 5 MB; toma una con menor resolución."), code="IMAGE_TOO_LARGE")
    if not data:
        raise ValidationError(_("El archivo está vacío."), code="INVALID_IMAGE")
    from config.uploads import image_decode

    picture, fmt = image_decode(data, formats=IMAGE_FORMATS, invalid_code="INVALID_IMAGE")
    if min(picture.size) < 120:
        raise ValidationError(_("La foto es demasiado pequeña para leer la etiqueta."), code="INVALID_IMAGE")
    # Cap the size (already turned per EXIF); PNG stays lossless so thin digits survive.
    picture.thumbnail((2400, 2400))
    out = io.BytesIO()
    if fmt == "PNG":
        picture.convert("RGB").save(out, format="PNG")
        return out.getvalue(), "image/png"
    picture.convert("RGB").save(out, format="JPEG", quality=92)
    return out.getvalue(), "image/jpeg"


def _today() -> date:
    return timezone.now().astimezone(MEXICO).date()


# ---------------------------------------------------------------------------------------
# evaluation


def _number(raw, name: str, errors: dict, *, low=0.0, high=None) -> float | None:
    if raw in (None, ""):
        return None
    try:
        value = float(str(raw).replace(",", "."))
    except (TypeError, ValueError):
        errors[name] = _("Escribe un número.")
        return None
    if value < low:
        errors[name] = _("No puede ser negativo.")
        return None
    if high is not None and value > high:
        errors[name] = _("El valor es demasiado grande; revisa la etiqueta.")
        return None
    return value


def _bool(raw) -> bool | None:
    if raw is None or raw == "":
        return None
    if isinstance(raw, bool):
        return raw
    return str(raw).strip().lower() in ("1", "true", "on", "si", "sí", "yes")


def label_values_clean(values: dict) -> dict:
    """Check values typed or corrected by the user (per 100 g/ml). Raises ValidationError per field."""
    errors: dict[str, str] = {}
    state = str(values.get("physical_state") or "solid")
    if state not in ("solid", "liquid"):
        errors["physical_state"] = _("Indica si es sólido (g) o líquido (ml).")
    per_100 = {}
    limits = {"energy_kcal": 902, "energy_kj": 3800, "sodium_mg": 40000, "cholesterol_mg": 5000}
    for name in FIELDS:
        per_100[name] = _number(values.get(name), name, errors, high=limits.get(name, 100))
    serving = _number(values.get("serving_size"), "serving_size", errors, high=5000)
    if serving == 0:
        errors["serving_size"] = _("La porción debe ser mayor que 0.")
    servings = _number(values.get("servings_per_container"), "servings_per_container", errors, high=1000)
    for part, total in (("saturated_fat_g", "fat_g"), ("trans_fat_g", "fat_g"), ("added_sugars_g", "sugars_g"),
                        ("sugars_g", "carbs_g")):
        if per_100.get(part) is not None and per_100.get(total) is not None and per_100[part] > per_100[total] + 0.05:
            errors[part] = _("No puede ser mayor que el total (%(total)s).") % {"total": _field_label(total)}
    if errors:
        raise ValidationError(errors)
    flags = {name: _bool(values.get(name)) for name in FLAG_NAMES}
    printed = values.get("printed_seals") or []
    if isinstance(printed, str):
        printed = [p for p in printed.split("|") if p]
    printed_legends = values.get("printed_legends") or []
    if isinstance(printed_legends, str):
        printed_legends = [p for p in printed_legends.split("|") if p]
    return {
        "name": str(values.get("name") or values.get("product_name") or "").strip()[:200],
        "brand": str(values.get("brand") or "").strip()[:120],
        "barcode": str(values.get("barcode") or "").strip(),
        "physical_state": state,
        "serving_size": serving,
        "servings_per_container": servings,
        "per_100": per_100,
        "flags": flags,
        "printed_seals": [s for s in nom051.SEALS if s in printed],
        "printed_legends": [s for s in (nom051.LEGEND_SWEETENERS, nom051.LEGEND_CAFFEINE) if s in printed_legends],
        "ingredients": str(values.get("ingredients") or "")[:2000],
        "printed_checked": bool(_bool(values.get("printed_checked"))),
    }


def _field_label(name: str) -> str:
    return {
        "energy_kcal": _("Energía (kcal)"), "energy_kj": _("Energía (kJ)"), "protein_g": _("Proteínas"),
        "fat_g": _("Grasas totales"), "saturated_fat_g": _("Grasas saturadas"), "trans_fat_g": _("Grasas trans"),
        "carbs_g": _("Hidratos de carbono disponibles"), "sugars_g": _("Azúcares"),
        "added_sugars_g": _("Azúcares añadidos"), "fiber_g": _("Fibra dietética"), "sodium_mg": _("Sodio"),
        "cholesterol_mg": _("Colesterol"),
    }[name]


def field_labels() -> dict:
    return {name: _field_label(name) for name in FIELDS}


def _resolve_flags(clean: dict) -> tuple[dict, list[str]]:
    """What was added and which legends apply: the user's answer, else the ingredient list, else
    the label (added sugars > 0, printed legends), else the conservative assumption."""
    from_ingredients = ingredient_flags(clean["ingredients"])
    per_100 = clean["per_100"]
    assumptions = []
    flags = {}
    for name in FLAG_NAMES:
        value = clean["flags"].get(name)
        if value is None:
            value = from_ingredients.get(name)
        if value is None:
            if name == "adds_sugar":
                added = per_100.get("added_sugars_g")
                value = (added > 0) if added is not None else True
                if added is None:
                    assumptions.append(_("No se leyeron los azúcares añadidos: se supone que tiene."))
            elif name in ("adds_fat", "adds_sodium"):
                # A packaged food's table does not say whether fat or salt was added; assume it was
                # (the usual case) and let the user correct it.
                value = True
                assumptions.append(
                    _("Se supone grasa añadida; desmárcalo si no la tiene.") if name == "adds_fat"
                    else _("Se supone sodio (sal) añadido; desmárcalo si no lo tiene.")
                )
            elif name == "has_sweeteners":
                value = nom051.LEGEND_SWEETENERS in clean["printed_legends"]
            else:
                value = nom051.LEGEND_CAFFEINE in clean["printed_legends"]
        flags[name] = bool(value)
    return flags, assumptions


def _api_column(values: dict) -> dict:
    return {API_KEYS[name]: (None if values.get(name) is None else round(values[name], 2)) for name in FIELDS}


def _evaluate(clean: dict, *, on_date: date) -> dict:
    flags, assumptions = _resolve_flags(clean)
    per_100 = clean["per_100"]
    result = nom051.evaluate(per_100, physical_state=clean["physical_state"], on_date=on_date, **flags)
    if "total_sugars_as_free" in result.assumptions:
        assumptions.append(_("Sin azúcares añadidos declarados: el sello de azúcares usa los azúcares totales."))
    for seal in result.missing:
        assumptions.append(_("No se pudo evaluar «%(seal)s»: faltan datos de la tabla.") % {"seal": seal})
    mismatches = []
    printed = clean["printed_seals"]
    checked = clean["printed_checked"] or bool(printed) or bool(clean["printed_legends"])
    if checked:
        for seal in nom051.SEALS:
            if seal in printed and seal not in result.seals:
                mismatches.append({
                    "kind": "seal", "name": seal, "printed": True, "computed": False,
                    "message": _("La etiqueta muestra «%(seal)s» pero con estos valores no corresponde.") % {"seal": seal},
                })
            elif seal in result.seals and seal not in printed:
                mismatches.append({
                    "kind": "seal", "name": seal, "printed": False, "computed": True,
                    "message": _("Con estos valores corresponde «%(seal)s» y la etiqueta no lo muestra.") % {"seal": seal},
                })
    for legend in (nom051.LEGEND_SWEETENERS, nom051.LEGEND_CAFFEINE):
        if legend in result.legends and legend not in clean["printed_legends"] and checked:
            mismatches.append({
                "kind": "legend", "name": legend, "printed": False, "computed": True,
                "message": _("Los ingredientes indican «%(legend)s» y la etiqueta no la muestra.") % {"legend": legend},
            })
    score = nom051.health_score(seals=result.seals, per_100=per_100)
    serving = clean["serving_size"]
    per_serving = {name: (None if v is None or not serving else v * serving / 100) for name, v in per_100.items()}
    unit = "ml" if clean["physical_state"] == "liquid" else "g"
    return {
        "product_name": clean["name"],
        "brand": clean["brand"],
        "serving_size": f"{serving:g}{unit}" if serving else None,
        "serving_size_value": serving,
        "serving_unit": unit,
        "servings_per_container": clean["servings_per_container"],
        "physical_state": clean["physical_state"],
        "nutrition_per_serving": _api_column(per_serving),
        "nutrition_per_100": _api_column(per_100),
        "nom_051_warnings": result.seals,
        "seal_reasons": result.reasons,
        "legends": result.legends,
        "printed_seals": printed,
        "printed_legends": clean["printed_legends"],
        "mismatches": mismatches,
        "flags": flags,
        "assumptions": assumptions,
        "phase": result.phase,
        "on_date": on_date.isoformat(),
        "health_score": score,
        "recommendation": nom051.recommendation(
            seals=result.seals, legends=result.legends, score=score, physical_state=clean["physical_state"]
        ),
        "better_alternatives": [],
        "ingredients_list": clean["ingredients"],
        "printed_checked": clean["printed_checked"],
    }


def label_evaluate(*, actor, values: dict, on_date: date | None = None) -> dict:
    """Seals, legends, mismatches with the printed seals, health score and recommendation for
    values per 100 g/ml (the user's corrections). Raises ValidationError per field."""
    clean = label_values_clean(values)
    return _evaluate(clean, on_date=on_date or _today())


def label_scan(*, actor, image, on_date: date | None = None) -> dict:
    """Read a label photo and evaluate it (see the module docstring).

    Returns the seed 000 shape plus ``fields`` (per-field value, confidence, flags and what
    each reader saw), ``needs_review``, ``source`` ("ocr" or "ocr+vision") and
    ``processing_time_ms``. Raises ValidationError (INVALID_IMAGE, IMAGE_TOO_LARGE) or
    LabelNotFound when no table could be read.
    """
    started = time.perf_counter()
    data, content_type = label_image_clean(image)
    try:
        parsed = parse_boxes(ocr.read_boxes(data))
    except ValueError:
        raise ValidationError(_("El archivo no es una imagen válida (JPG, PNG o WEBP)."), code="INVALID_IMAGE")
    vision, ai_error = _vision_read(actor=actor, data=data, content_type=content_type)
    if not parsed.found and not (vision and (vision.get("per_100") or vision.get("per_portion"))):
        raise LabelNotFound()
    merged = merge(parsed, vision)
    serving = merged["serving_size"]
    per_100 = dict(merged["per_100"])
    values = {
        "name": merged["product_name"] or "",
        "brand": merged["brand"] or "",
        "physical_state": merged["physical_state"],
        "serving_size": serving,
        "servings_per_container": merged["servings_per_container"],
        "printed_seals": merged["printed_seals"],
        "printed_legends": merged["printed_legends"],
        "ingredients": merged["ingredients"],
        # The printed seals were looked for in the whole picture: their absence is information.
        "printed_checked": True,
        **{name: per_100.get(name) for name in FIELDS},
    }
    try:
        clean = label_values_clean(values)
    except ValidationError as exc:
        # An impossible reading (e.g. 7000 g of fat): keep what is plausible, flag the rest.
        bad = set(exc.message_dict)
        for name in bad:
            values[name] = None
            merged["fields"].setdefault(f"per_100.{name}", {"value": None, "confidence": 0.0, "flags": []})
            merged["fields"][f"per_100.{name}"]["flags"].append("implausible")
            merged["needs_review"].append(f"per_100.{name}")
        clean = label_values_clean(values)
    result = _evaluate(clean, on_date=on_date or _today())
    result["nutrition_per_serving"] = _api_column(
        {name: merged["per_portion"].get(name) for name in FIELDS}
    ) if merged["per_portion"] else result["nutrition_per_serving"]
    result["fields"] = merged["fields"]
    result["needs_review"] = sorted(set(merged["needs_review"]))
    result["source"] = "ocr+vision" if vision is not None else "ocr"
    result["ai_error"] = ai_error
    result["processing_time_ms"] = int((time.perf_counter() - started) * 1000)
    return result


# ---------------------------------------------------------------------------------------
# saving


@transaction.atomic
def label_save(*, actor, values: dict) -> Food:
    """Save confirmed label values (per 100 g/ml) as the actor's private custom food, with the
    label's portion as its FoodPortion and added sugars under USDA nutrient 539.
    Raises ValidationError per field, or code DUPLICATE_FOOD (params ``food_id``)."""
    clean = label_values_clean(values)
    if not clean["name"]:
        raise ValidationError({"name": _("Escribe el nombre del producto.")})
    unit = "ml" if clean["physical_state"] == "liquid" else "g"
    serving = clean["serving_size"]
    data = {
        "name": clean["name"],
        "brand": clean["brand"],
        "barcode": clean["barcode"],
        "basis": "100g",
        # Liquids: 1 ml is taken as 1 g (the label's own basis), so 100 ml is stored as 100 g.
        "serving_size_g": serving,
        "serving_description": (_("1 porción (%(n)s %(unit)s)") % {"n": f"{serving:g}", "unit": unit}) if serving else "",
        **{name: clean["per_100"].get(name) for name in FIELDS if name not in ("energy_kj", "added_sugars_g")},
    }
    if data.get("energy_kcal") is None and clean["per_100"].get("energy_kj") is not None:
        data["energy_kcal"] = round(clean["per_100"]["energy_kj"] / 4.184, 1)
    try:
        food = custom_food_create(actor=actor, data=data)
    except ValidationError as exc:
        if hasattr(exc, "error_dict") and "serving_size_g" in exc.error_dict:
            errors = dict(exc.message_dict)
            errors["serving_size"] = errors.pop("serving_size_g")
            raise ValidationError({k: v[0] for k, v in errors.items()}) from exc
        raise
    added = clean["per_100"].get("added_sugars_g")
    if added is not None:
        food.nutrients = {**(food.nutrients or {}), ADDED_SUGARS_NUMBER: added}
        food.save(update_fields=["nutrients", "updated_at"])
    return food
