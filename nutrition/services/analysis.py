"""Meal photo analysis (seed 003 ``/analyze``, seed 000 §6.5 food recognition).

The flow, one function per step, shared by the page, the API and the Celery task:

1. ``analysis_start``: cheap checks (a file, at most 5 MB, starts like a JPG/PNG/WEBP), the raw
   bytes stored privately, the task queued after commit. Answers at once.
2. ``analysis_run`` (the task): validates the image by decoding it (JPG, PNG, WEBP only),
   hashes it (the same photo again by the same person reuses the finished result), stores a
   re-encoded copy without EXIF, asks the vision model which foods and how many grams it sees,
   matches each to OUR food database and computes nutrition from OUR values.
   Progress (``validating`` → ``detecting`` → ``matching`` → ``computing``) is saved and pushed
   over the websocket (``analysis:progress``, ``analysis:completed``, ``analysis:failed``).
3. ``analysis_item_update``: the person corrects a portion or swaps a food for an alternative.
4. ``analysis_log``: the foods go to the diary through the diary service, once.

The model's numbers are never shown as facts. Its calorie estimate only feeds the sanity check
of seed 000 §6.5: for a dish with a Mexican reference value (tacos, tamales, pozole, mole), when
the model's estimate or our database value is more than 100 kcal away from the reference for
that portion, the reference value is used (``source="reference"``). Items the model was unsure
about (confidence < 6), weak matches and items whose estimate disagrees with our value by more
than 100 kcal get up to three alternatives.
"""

from __future__ import annotations

import hashlib
import io
import logging
import time

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pydantic import BaseModel, Field, field_validator

from nutrition.calc import add_up, food_values, scale
from nutrition.errors import FoodNotFound
from nutrition.models import (
    ENTRY_NUTRIENTS,
    AnalysisStatus,
    AnalysisStep,
    DiaryEntry,
    Food,
    FoodAnalysis,
)
from nutrition.selectors.analysis import analysis_get
from nutrition.selectors.foods import food_get, food_search
from nutrition.text import normalize

logger = logging.getLogger(__name__)

MAX_IMAGE_BYTES = 5 * 1024 * 1024
MAX_NOTES = 500
MAX_ITEMS = 15
MAX_PORTION_GRAMS = 3000
LOW_CONFIDENCE = 6
KCAL_TOLERANCE = 100  # seed 000 §6.5: an estimate off by more than this is replaced
ALTERNATIVES = 3
CONTENT_TYPES = {"JPEG": "image/jpeg", "MPO": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
STEP_PROGRESS = {
    AnalysisStep.VALIDATING: 10,
    AnalysisStep.DETECTING: 30,
    AnalysisStep.MATCHING: 70,
    AnalysisStep.COMPUTING: 90,
}

# Mexican reference values, seed 000 L3744-3751 (kcal and macros per piece or per portion).
# The grams of a piece or portion are ours, to turn a weight into pieces when the model gives none.
MEXICAN_REFERENCE = {
    "tacos": {"words": ("taco", "tacos"), "per": "unit", "grams": 75, "energy_kcal": 150,
              "protein_g": 8, "carbs_g": 18, "fat_g": 6},
    "tamales": {"words": ("tamal", "tamales"), "per": "unit", "grams": 150, "energy_kcal": 280,
                "protein_g": 8, "carbs_g": 35, "fat_g": 12},
    "pozole": {"words": ("pozole",), "per": "portion", "grams": 400, "energy_kcal": 320,
               "protein_g": 18, "carbs_g": 40, "fat_g": 10},
    "mole": {"words": ("mole",), "per": "portion", "grams": 250, "energy_kcal": 380,
             "protein_g": 22, "carbs_g": 25, "fat_g": 20},
}

_STOPWORDS = {"de", "del", "la", "el", "los", "las", "con", "al", "y", "en", "a", "un", "una", "sin", "o"}

PROMPT = (
    "Eres un nutriólogo mexicano. Identifica cada alimento o platillo visible en la foto, con "
    "atención a la comida tradicional mexicana (tacos, tamales, mole, pozole, chilaquiles, frijoles, "
    "tortillas) y a las porciones típicas en México. Para cada uno da: name (nombre en español, "
    "corto y común, p. ej. \"Tortilla de maíz\"), name_en (el mismo en inglés), portion_grams "
    "(gramos estimados de la porción visible), pieces (número de piezas si se cuentan, si no null), "
    "confidence (entero de 1 a 10) y estimated_calories (tu estimación de kcal de esa porción). "
    "Si no hay alimentos en la foto, devuelve foods vacío."
)


# ---------------------------------------------------------------------------------------
# errors


class AnalysisUnavailable(Exception):
    """No AI provider configured: photo analysis cannot start (API 503 ``AI_UNAVAILABLE``)."""

    error_code = "AI_UNAVAILABLE"

    def __init__(self, message=None):
        self.message = str(message or _(
            "El análisis de fotos necesita el proveedor de IA, que no está configurado en este servidor. "
            "Puedes registrar tu comida con la búsqueda de alimentos."
        ))
        super().__init__(self.message)


class AnalysisItemNotFound(ObjectDoesNotExist):
    error_code = "ANALYSIS_ITEM_NOT_FOUND"

    def __init__(self, message=None):
        super().__init__(str(message or gettext_lazy("Ese alimento no está en el análisis.")))


class _Failure(Exception):
    """Inside the task: end the analysis as failed with this code and message."""

    def __init__(self, code: str, message: str):
        self.code, self.message = code, str(message)
        super().__init__(self.message)


def _code_error(code: str, message: str, field: str = "image") -> ValidationError:
    exc = ValidationError({field: [ValidationError(message, code=code)]})
    exc.code = code
    return exc


# ---------------------------------------------------------------------------------------
# what the vision model answers


class DetectedFood(BaseModel):
    name: str = Field(min_length=1, max_length=120)
    name_en: str | None = Field(default=None, max_length=120)
    portion_grams: float = Field(gt=0, le=MAX_PORTION_GRAMS)
    pieces: float | None = Field(default=None, gt=0, le=50)
    confidence: int = Field(ge=1, le=10)
    estimated_calories: float | None = Field(default=None, ge=0, le=10000)

    @field_validator("confidence", mode="before")
    @classmethod
    def _confidence_scale(cls, value):
        # Some models answer 0.8 instead of 8: read a fraction as tenths.
        if isinstance(value, float) and 0 < value <= 1:
            return max(1, round(value * 10))
        if isinstance(value, float):
            return round(value)
        return value


class PhotoFoods(BaseModel):
    foods: list[DetectedFood] = Field(default_factory=list, max_length=MAX_ITEMS)


# ---------------------------------------------------------------------------------------
# 1. start


def _sniff(head: bytes) -> bool:
    """JPEG, PNG or WEBP by their first bytes (the full decode happens in the task)."""
    return (
        head.startswith(b"\xff\xd8\xff")
        or head.startswith(b"\x89PNG\r\n\x1a\n")
        or (head[:4] == b"RIFF" and head[8:12] == b"WEBP")
    )


def image_upload_check(upload) -> None:
    """Cheap checks before anything is stored: a file, not empty, at most 5 MB, and bytes that
    start like a JPG, PNG or WEBP. Raises ``ValidationError`` with code ``IMAGE_REQUIRED``,
    ``IMAGE_TOO_LARGE`` or ``INVALID_IMAGE_FORMAT``."""
    if upload is None or not hasattr(upload, "read"):
        raise _code_error("IMAGE_REQUIRED", _("Elige una foto de tu comida."))
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, 2)
        size = upload.tell()
    if size > MAX_IMAGE_BYTES:
        raise _code_error("IMAGE_TOO_LARGE", _("La foto pesa más de 5 MB; toma otra o redúcela."))
    if not size:
        raise _code_error("INVALID_IMAGE_FORMAT", _("El archivo está vacío."))
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not _sniff(head):
        raise _code_error("INVALID_IMAGE_FORMAT", _("Formato no admitido: usa una foto JPG, PNG o WEBP."))


def _enqueue(analysis_id) -> None:
    from config.tasks import enqueue
    from nutrition.tasks import food_analysis_run

    enqueue(food_analysis_run, str(analysis_id))


def analysis_start(*, actor, image, meal_type=None, notes: str = "") -> FoodAnalysis:
    """Accept a meal photo and queue its analysis; returns the analysis in ``processing``.

    Raises ``AnalysisUnavailable`` when no AI provider is configured, ``ValidationError`` for
    a missing, oversized or non-image file, an unknown meal or notes over 500 characters."""
    from integrations.ai import ai_enabled
    from nutrition.services.diary import meal_clean

    if not ai_enabled():
        raise AnalysisUnavailable()
    image_upload_check(image)
    meal = meal_clean(meal_type) if meal_type not in (None, "") else ""
    notes = (notes or "").strip()
    if len(notes) > MAX_NOTES:
        raise ValidationError({"notes": _("Las notas admiten hasta 500 caracteres.")})
    with transaction.atomic():
        analysis = FoodAnalysis(user=actor, meal=meal, notes=notes)
        image.seek(0)
        analysis.raw_upload.save("upload", ContentFile(image.read()), save=False)
        analysis.save()
        transaction.on_commit(lambda: _enqueue(analysis.pk))
    return analysis


# ---------------------------------------------------------------------------------------
# 2. run (the task)


def _push(analysis: FoodAnalysis, event: str, data: dict) -> None:
    from config.realtime import push_to_user

    user_id = analysis.user_id
    payload = {"analysis_id": str(analysis.pk), **data}
    transaction.on_commit(lambda: push_to_user(user_id, event, payload))


def _step(analysis: FoodAnalysis, step: str) -> None:
    analysis.current_step = step
    analysis.progress = STEP_PROGRESS.get(step, analysis.progress)
    FoodAnalysis.objects.filter(pk=analysis.pk).update(current_step=step, progress=analysis.progress)
    _push(analysis, "analysis:progress", {
        "status": AnalysisStatus.PROCESSING, "progress": analysis.progress, "current_step": step,
        "step_label": str(AnalysisStep(step).label),
    })


def _validated_image(analysis: FoodAnalysis) -> tuple[bytes, ContentFile, str, int, int]:
    """(raw bytes, clean copy, content type, width, height) or ``_Failure``."""
    from PIL import Image, UnidentifiedImageError

    from config.uploads import image_clean

    try:
        with analysis.raw_upload.open("rb") as fh:
            raw = fh.read()
    except (OSError, ValueError):
        raise _Failure("ANALYSIS_FAILED", _("No encontramos la foto que subiste; súbela de nuevo."))
    if len(raw) > MAX_IMAGE_BYTES:
        raise _Failure("IMAGE_TOO_LARGE", _("La foto pesa más de 5 MB; toma otra o redúcela."))
    try:
        with Image.open(io.BytesIO(raw)) as probe:
            fmt = probe.format
    except (UnidentifiedImageError, OSError, ValueError):
        fmt = None
    if fmt not in CONTENT_TYPES:
        raise _Failure("INVALID_IMAGE_FORMAT", _("Formato no admitido: usa una foto JPG, PNG o WEBP."))
    try:
        clean = image_clean(ContentFile(raw, name="photo"), max_side=1600, max_bytes=MAX_IMAGE_BYTES)
    except ValidationError as exc:
        code = getattr(exc, "code", None) or "INVALID_IMAGE_FORMAT"
        raise _Failure(code if code in ("IMAGE_TOO_LARGE", "INVALID_IMAGE_FORMAT") else "INVALID_IMAGE_FORMAT",
                       _("La foto está dañada o incompleta; toma otra."))
    content_type = "image/png" if clean.name.endswith(".png") else "image/jpeg"
    with Image.open(io.BytesIO(clean.read())) as done:
        width, height = done.size
    clean.seek(0)
    return raw, clean, content_type, width, height


def _detect(analysis: FoodAnalysis, data: bytes, content_type: str) -> list[DetectedFood]:
    from integrations.ai import (
        AIBadReply,
        AIError,
        AIRateLimited,
        AITimeout,
        AIUnavailable,
        chat_json,
        image_content,
    )

    text = PROMPT
    if analysis.notes:
        text += "\n" + _("Notas de la persona: %(notes)s") % {"notes": analysis.notes[:300]}
    messages = [{"role": "user", "content": [{"type": "text", "text": text}, image_content(data, content_type)]}]
    try:
        reply = chat_json(messages, PhotoFoods, feature="photo_analysis", vision=True, user=analysis.user)
    except AITimeout:
        raise _Failure("ANALYSIS_TIMEOUT", _("El análisis tardó demasiado tiempo. Intenta de nuevo en un momento."))
    except AIUnavailable:
        raise _Failure("AI_UNAVAILABLE", _(
            "El análisis de fotos necesita el proveedor de IA y ahora no responde. "
            "Mientras tanto, registra tu comida con la búsqueda de alimentos."
        ))
    except AIRateLimited as exc:
        raise _Failure("ANALYSIS_FAILED", exc.message)
    except AIBadReply:
        raise _Failure("ANALYSIS_FAILED", _("No pudimos interpretar el análisis de la foto. Intenta de nuevo."))
    except AIError as exc:
        raise _Failure("ANALYSIS_FAILED", exc.message)
    foods = [f for f in reply.foods if f.name.strip()]
    if not foods:
        raise _Failure("NO_FOODS_DETECTED", _(
            "No se detectaron alimentos en la imagen. Toma la foto de cerca y con buena luz, o busca tus alimentos."
        ))
    return foods


def _singular(word: str) -> str:
    if len(word) > 4 and word.endswith("es") and word[-3] not in "aeiou":
        return word[:-2]
    if len(word) > 3 and word.endswith("s"):
        return word[:-1]
    return word


def _queries(name: str, name_en: str | None) -> list[tuple[str, bool]]:
    """Search strings to try, best first, each with "is a strong match"."""
    words = [w for w in normalize(name).split() if w not in _STOPWORDS]
    singular = [_singular(w) for w in words]
    tries = [(" ".join(words), True), (" ".join(singular), True)]
    if name_en:
        tries.append((normalize(name_en), True))
    if len(words) > 2:
        tries.append((" ".join(singular[:2]), False))
    if len(words) > 1:
        tries += [(words[0], False), (singular[0], False)]
    seen, out = set(), []
    for q, strong in tries:
        if q and q not in seen:
            seen.add(q)
            out.append((q, strong))
    return out


def _candidates(user, name: str, name_en: str | None) -> tuple[list[Food], bool]:
    """Foods from our database for a detected name (Mexican Spanish names and common foods
    first) and whether the best one is a strong match."""
    for q, strong in _queries(name, name_en):
        results = [f for f in food_search(user=user, q=q, limit=8).results if f.energy_kcal is not None]
        if results:
            # The search already ranks common foods and recipes first; among equals prefer the
            # curated Spanish (es-MX) names over plain SR28 ones.
            ranked = sorted(enumerate(results), key=lambda pair: (pair[0] > 2 or not pair[1].name_es, pair[0]))
            return [f for _i, f in ranked], strong
    return [], False


def _reference_for(name: str) -> tuple[str, dict] | None:
    words = set(normalize(name).split())
    for key, ref in MEXICAN_REFERENCE.items():
        if words & set(ref["words"]):
            return key, ref
    return None


def _per_100g_from(values: dict, grams: float) -> dict:
    return {f: (None if values.get(f) is None or not grams else round(values[f] * 100.0 / grams, 4))
            for f in ENTRY_NUTRIENTS}


def _alternative(food: Food, grams: float) -> dict:
    return {
        "food_id": food.pk,
        "public_id": food.public_id,
        "name": food.name,
        "energy_kcal": None if food.energy_kcal is None else round(food.energy_kcal * grams / 100.0, 1),
    }


def _item_build(user, detected: DetectedFood) -> dict:
    grams = round(float(detected.portion_grams), 1)
    foods, strong = _candidates(user, detected.name, detected.name_en)
    chosen = foods[0] if foods else None
    item = {
        "name": detected.name.strip()[:120],
        "food_id": chosen.pk if chosen else None,
        "public_id": chosen.public_id if chosen else None,
        "food_name": chosen.name if chosen else "",
        "portion_grams": grams,
        "confidence": int(detected.confidence),
        "estimated_calories": detected.estimated_calories,  # only for the sanity check
        "match": ("strong" if strong else "weak") if chosen else "none",
        "source": "database" if chosen else "none",
        "per_100g": food_values(chosen) if chosen else {f: None for f in ENTRY_NUTRIENTS},
        "reference": None,
        "needs_review": False,
        "alternatives": [],
    }
    db_kcal = None if chosen is None else chosen.energy_kcal * grams / 100.0
    found = _reference_for(detected.name)
    if found:
        key, ref = found
        units = detected.pieces if (detected.pieces and ref["per"] == "unit") else max(0.5, round(grams / ref["grams"] * 2) / 2)
        ref_values = {f: (ref[f] * units if f in ref else None) for f in ENTRY_NUTRIENTS}
        ref_kcal = ref_values["energy_kcal"]
        off = [abs(v - ref_kcal) for v in (detected.estimated_calories, db_kcal) if v is not None]
        if chosen is None or any(d > KCAL_TOLERANCE for d in off):
            item.update(source="reference", per_100g=_per_100g_from(ref_values, grams),
                        reference={"key": key, "per": ref["per"], "units": units})
    elif detected.estimated_calories is not None and db_kcal is not None:
        item["needs_review"] = abs(detected.estimated_calories - db_kcal) > KCAL_TOLERANCE
    if item["source"] == "none" or item["confidence"] < LOW_CONFIDENCE or item["match"] == "weak" or item["needs_review"]:
        item["alternatives"] = [_alternative(f, grams) for f in foods[1:1 + ALTERNATIVES]]
    return item


def _recompute(analysis: FoodAnalysis) -> None:
    for item in analysis.items:
        item["nutrition"] = scale(item["per_100g"], item["portion_grams"]) if item["source"] != "none" else {
            f: None for f in ENTRY_NUTRIENTS}
    analysis.totals = add_up(item["nutrition"] for item in analysis.items)
    confidences = [item["confidence"] for item in analysis.items]
    analysis.confidence_score = round(sum(confidences) / len(confidences), 1) if confidences else 0.0


def _finish(analysis: FoodAnalysis, started: float) -> None:
    analysis.status = AnalysisStatus.COMPLETED
    analysis.current_step = AnalysisStep.DONE
    analysis.progress = 100
    analysis.completed_at = timezone.now()
    analysis.processing_time_ms = int((time.monotonic() - started) * 1000)
    analysis.error_code = analysis.error_message = ""
    with transaction.atomic():
        analysis.save()
        _push(analysis, "analysis:completed", {
            "status": AnalysisStatus.COMPLETED, "progress": 100, "current_step": AnalysisStep.DONE,
            "total_calories": analysis.totals.get("energy_kcal"), "foods": len(analysis.items),
        })
        user, payload = analysis.user, analysis_webhook_payload(analysis)
        transaction.on_commit(lambda: _webhook(user, payload))


def _webhook(user, payload: dict) -> None:
    from integrations.webhooks import webhook_emit

    webhook_emit(user=user, event="analysis.completed", payload=payload)


def _fail(analysis: FoodAnalysis, code: str, message: str) -> None:
    analysis.status = AnalysisStatus.FAILED
    analysis.error_code = code[:30]
    analysis.error_message = str(message)[:300]
    analysis.failed_at = timezone.now()
    with transaction.atomic():
        analysis.save()
        _push(analysis, "analysis:failed", {
            "status": AnalysisStatus.FAILED, "progress": analysis.progress, "current_step": analysis.current_step,
            "error": {"code": analysis.error_code, "message": analysis.error_message},
        })


def analysis_run(*, analysis_id) -> FoodAnalysis | None:
    """Do the whole analysis of one queued photo (the Celery task calls this). Idempotent: an
    analysis that is no longer ``processing`` is returned untouched. Never raises for a bad
    photo or a provider failure: the analysis ends ``failed`` with a code and a message."""
    analysis = FoodAnalysis.objects.select_related("user").filter(pk=analysis_id).first()
    if analysis is None or analysis.status != AnalysisStatus.PROCESSING:
        return analysis
    started = time.monotonic()
    try:
        _step(analysis, AnalysisStep.VALIDATING)
        raw, clean, content_type, width, height = _validated_image(analysis)
        analysis.image_hash = hashlib.sha256(raw).hexdigest()
        analysis.image_size_bytes, analysis.image_width, analysis.image_height = len(raw), width, height
        previous = (
            FoodAnalysis.objects.filter(user_id=analysis.user_id, image_hash=analysis.image_hash,
                                        status=AnalysisStatus.COMPLETED)
            .exclude(pk=analysis.pk).order_by("-completed_at").first()
        )
        if previous is not None:
            # The same photo again: reuse the finished result (and its stored copy).
            analysis.image.name = previous.image.name
            analysis.items = [
                {**item, "nutrition": dict(item.get("nutrition") or {})} for item in previous.items
            ]
            analysis.reused_from = previous
            _recompute(analysis)
        else:
            analysis.image.save(clean.name, clean, save=False)
            FoodAnalysis.objects.filter(pk=analysis.pk).update(
                image=analysis.image.name, image_hash=analysis.image_hash)
            _step(analysis, AnalysisStep.DETECTING)
            detected = _detect(analysis, clean.read(), content_type)
            _step(analysis, AnalysisStep.MATCHING)
            items = [_item_build(analysis.user, d) for d in detected]
            _step(analysis, AnalysisStep.COMPUTING)
            analysis.items = items
            _recompute(analysis)
        _raw_delete(analysis)
        _finish(analysis, started)
    except _Failure as failure:
        _raw_delete(analysis)
        _fail(analysis, failure.code, failure.message)
    except Exception:
        logger.exception("photo analysis %s failed", analysis.pk)
        _fail(analysis, "ANALYSIS_FAILED", _("No pudimos analizar la foto. Intenta de nuevo."))
    return analysis


def _raw_delete(analysis: FoodAnalysis) -> None:
    """The raw upload still has its EXIF (location, device): keep only the clean copy."""
    if analysis.raw_upload:
        try:
            analysis.raw_upload.delete(save=False)
        except OSError:
            logger.warning("could not delete raw upload of analysis %s", analysis.pk)
        analysis.raw_upload = ""


# ---------------------------------------------------------------------------------------
# 3. corrections


def _own_completed(actor, analysis_id) -> FoodAnalysis:
    analysis = analysis_get(user=actor, analysis_id=analysis_id, for_update=True)
    if analysis.status != AnalysisStatus.COMPLETED:
        raise _code_error("ANALYSIS_NOT_READY", _("El análisis aún no termina."), field="analysis")
    return analysis


def _grams_clean(value) -> float:
    try:
        grams = float(str(value).replace(",", "."))
    except (TypeError, ValueError):
        raise ValidationError({"portion_grams": _("Escribe los gramos con números.")})
    if grams != grams or grams <= 0:
        raise ValidationError({"portion_grams": _("Los gramos deben ser mayores que cero.")})
    if grams > MAX_PORTION_GRAMS:
        raise ValidationError({"portion_grams": _("Son más de 3 kg en una porción; revisa la cantidad.")})
    return round(grams, 1)


@transaction.atomic
def analysis_item_update(*, actor, analysis_id, index, portion_grams=None, food_id=None) -> FoodAnalysis:
    """Correct one detected food: its grams and/or the food it is (an alternative or any food
    the person may see). Nutrition and totals are recomputed from our values. Refused once the
    analysis went to the diary (edit the diary entries instead)."""
    analysis = _own_completed(actor, analysis_id)
    try:
        position = int(index)
    except (TypeError, ValueError):
        raise AnalysisItemNotFound()
    if not 0 <= position < len(analysis.items):
        raise AnalysisItemNotFound()
    if analysis.logged_entry_ids and DiaryEntry.objects.filter(pk__in=analysis.logged_entry_ids, user=actor).exists():
        raise _code_error("ALREADY_LOGGED", _("Este análisis ya está en tu diario; corrige ahí las cantidades."),
                          field="analysis")
    if portion_grams in (None, "") and food_id in (None, ""):
        raise ValidationError({"portion_grams": _("Indica los gramos o elige otro alimento.")})
    item = dict(analysis.items[position])
    if portion_grams not in (None, ""):
        item["portion_grams"] = _grams_clean(portion_grams)
    if food_id not in (None, ""):
        food = food_get(user=actor, food_id=food_id, with_portions=False)
        if food.energy_kcal is None:
            raise FoodNotFound(_("Ese alimento no tiene energía registrada; elige otro."))
        if item.get("food_id") and item["food_id"] != food.pk and item["source"] == "database":
            previous = Food.objects.filter(pk=item["food_id"]).first()
            if previous is not None:
                item["alternatives"] = [_alternative(previous, item["portion_grams"])] + list(item["alternatives"])
        item["alternatives"] = [a for a in item["alternatives"] if a["food_id"] != food.pk][:ALTERNATIVES]
        item.update(food_id=food.pk, public_id=food.public_id, food_name=food.name, source="database", match="chosen",
                    per_100g=food_values(food), reference=None, needs_review=False)
    for alt in item["alternatives"]:
        kcal_100 = Food.objects.filter(pk=alt["food_id"]).values_list("energy_kcal", flat=True).first()
        alt["energy_kcal"] = None if kcal_100 is None else round(kcal_100 * item["portion_grams"] / 100.0, 1)
    items = list(analysis.items)
    items[position] = item
    analysis.items = items
    _recompute(analysis)
    analysis.save(update_fields=["items", "totals", "confidence_score", "updated_at"])
    return analysis


# ---------------------------------------------------------------------------------------
# 4. to the diary


@transaction.atomic
def analysis_log(*, actor, analysis_id, date=None, meal=None) -> tuple[list[DiaryEntry], bool]:
    """Put the analysed foods in the diary (through the diary service) and return
    ``(entries, created)``. Logging again returns the entries made the first time
    (``created=False``) instead of duplicating them. Database foods are logged in grams;
    reference values (no single food in our database) as a quick add with their macros."""
    from nutrition.services.diary import date_clean, diary_entry_add, diary_quick_add, meal_clean

    analysis = _own_completed(actor, analysis_id)
    if analysis.logged_entry_ids:
        existing = list(DiaryEntry.objects.filter(pk__in=analysis.logged_entry_ids, user=actor).select_related("food"))
        if existing:
            return existing, False
    day = date_clean(date)
    if meal in (None, "") and not analysis.meal:
        raise ValidationError({"meal": _("Elige la comida del día.")})
    meal = meal_clean(meal if meal not in (None, "") else analysis.meal)
    note = _("Desde foto")
    entries = []
    for item in analysis.items:
        values = item.get("nutrition") or {}
        if item["source"] == "database" and item.get("food_id"):
            entries.append(diary_entry_add(actor=actor, date=day, meal=meal, food_id=item["food_id"],
                                           quantity=item["portion_grams"], unit="g", note=note))
        elif item["source"] == "reference" and values.get("energy_kcal"):
            entry = diary_quick_add(actor=actor, date=day, meal=meal, name=item["name"],
                                    energy_kcal=values["energy_kcal"], protein_g=values.get("protein_g"),
                                    fat_g=values.get("fat_g"), carbs_g=values.get("carbs_g"))
            DiaryEntry.objects.filter(pk=entry.pk).update(grams=item["portion_grams"], note=note)
            entry.grams, entry.note = item["portion_grams"], note
            entries.append(entry)
    if not entries:
        raise _code_error("NOTHING_TO_LOG", _("Ningún alimento del análisis tiene datos para registrar; "
                                              "elige un alimento de la lista."), field="analysis")
    analysis.logged_entry_ids = [e.pk for e in entries]
    analysis.logged_date, analysis.logged_meal, analysis.logged_at = day, meal, timezone.now()
    analysis.save(update_fields=["logged_entry_ids", "logged_date", "logged_meal", "logged_at", "updated_at"])
    return entries, True


# ---------------------------------------------------------------------------------------
# shapes shared by the API and the webhook


def nutrition_out(values: dict | None) -> dict:
    """Our field names -> the analysis contract's (calories, protein_g, ..., sodium_mg)."""
    values = values or {}

    def r(field, places=1):
        value = values.get(field)
        return None if value is None else round(value, places)

    return {
        "calories": r("energy_kcal"), "protein_g": r("protein_g"), "carbs_g": r("carbs_g"), "fat_g": r("fat_g"),
        "fiber_g": r("fiber_g"), "sugar_g": r("sugars_g"), "sodium_mg": r("sodium_mg", 0),
    }


def analysis_webhook_payload(analysis: FoodAnalysis) -> dict:
    """Seed 003 ``analysis.completed`` data, plus the totals and the foods found."""
    return {
        "analysis_id": str(analysis.pk),
        "user_id": analysis.user_id,
        "total_calories": nutrition_out(analysis.totals)["calories"],
        "confidence_score": analysis.confidence_score,
        "processing_time_ms": analysis.processing_time_ms,
        "total_nutrition": nutrition_out(analysis.totals),
        "detected_foods": [
            {"name": item["food_name"] or item["name"], "portion_grams": item["portion_grams"],
             "source": item["source"], "calories": nutrition_out(item.get("nutrition"))["calories"]}
            for item in analysis.items
        ],
    }
