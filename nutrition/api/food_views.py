"""Foods, diary, targets and activity logs for the mobile app (seed 003 contract).

Views parse input, call ``nutrition.selectors`` / ``nutrition.services`` (the same functions
the diary pages call) and shape the answer. Errors leave through the project's envelope:
FOOD_NOT_FOUND (404), VALIDATION_ERROR (400), FUTURE_DATE, AMOUNT_TOO_LARGE, DUPLICATE_FOOD (409).
"""

from __future__ import annotations

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from config.api import ApiError, ApiView, error_responses
from nutrition import smae
from nutrition.api import payloads
from nutrition.models import Activity, DiaryEntry, Nutrient, SmaeGroup, WaterLog, WeightLog
from nutrition.reference import CATEGORIES
from nutrition.selectors import diary as diary_selectors
from nutrition.selectors import foods as food_selectors
from nutrition.services import diary as diary_services
from nutrition.services import foods as food_services

FOODS_TAG = ["Alimentos"]
DIARY_TAG = ["Diario"]


class NutritionApiView(ApiView):
    permission_classes = [IsAuthenticated]


def _body(request) -> dict:
    data = request.data
    if hasattr(data, "dict"):
        data = data.dict()
    if not isinstance(data, dict):
        raise ApiError("VALIDATION_ERROR", _("Envía un objeto JSON."))
    return data


def _int_param(request, name: str, default: int, low: int, high: int) -> int:
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ApiError("VALIDATION_ERROR", _("Revisa los datos enviados."), details={name: [_("Escribe un número entero.")]})
    if not low <= value <= high:
        raise ApiError(
            "VALIDATION_ERROR",
            _("Revisa los datos enviados."),
            details={name: [_("Debe estar entre %(low)s y %(high)s.") % {"low": low, "high": high}]},
        )
    return value


# ---------------------------------------------------------------------------------------
# foods


class FoodSearchView(NutritionApiView):
    rate_limit_scope = "foods_search"

    @extend_schema(
        tags=FOODS_TAG,
        summary="Buscar alimentos",
        description=(
            "Búsqueda en español o inglés, sin importar acentos ni el orden de las palabras, tolerante a errores "
            "de escritura; primero los alimentos comunes y los que más registras."
        ),
        parameters=[
            OpenApiParameter("q", str, required=True),
            OpenApiParameter("limit", int, description="1–50, por omisión 10"),
            OpenApiParameter("source", str, enum=["usda", "custom", "recipe", "all"]),
            OpenApiParameter("category", str, enum=CATEGORIES),
        ],
        responses={200: OpenApiTypes.OBJECT, **error_responses(400, 401, 429)},
    )
    def get(self, request):
        q = (request.query_params.get("q") or "").strip()
        if not q:
            raise ApiError("VALIDATION_ERROR", _("Escribe qué alimento buscas."), details={"q": [_("Este campo es obligatorio.")]})
        if len(q) > food_selectors.SEARCH_MAX_LENGTH:
            raise ApiError("VALIDATION_ERROR", _("La búsqueda es demasiado larga (máximo 100 caracteres)."))
        limit = _int_param(request, "limit", 10, 1, food_selectors.SEARCH_MAX_LIMIT)
        source = request.query_params.get("source") or "all"
        if source not in ("usda", "custom", "recipe", "all"):
            raise ApiError("VALIDATION_ERROR", _("Fuente no válida."), details={"source": ["usda, custom, recipe, all"]})
        category = request.query_params.get("category") or None
        if category and category not in CATEGORIES:
            raise ApiError("VALIDATION_ERROR", _("Categoría no válida."), details={"category": CATEGORIES})
        result = food_selectors.food_search(user=request.user, q=q, limit=limit, source=source, category=category)
        mine = food_selectors._user_food_counts(request.user)
        return Response(
            {
                "query": result.query,
                "total_results": result.total_results,
                "results": [payloads.food_summary(f, mine=mine) for f in result.results],
                "suggestions": result.suggestions,
            }
        )


class CustomFoodInput(serializers.Serializer):
    name = serializers.CharField()
    brand = serializers.CharField(required=False)
    barcode = serializers.CharField(required=False)
    basis = serializers.ChoiceField(choices=["serving", "100g"], required=False)
    serving_size_g = serializers.FloatField(required=False)
    serving_description = serializers.CharField(required=False)
    energy_kcal = serializers.FloatField()
    protein_g = serializers.FloatField(required=False)
    fat_g = serializers.FloatField(required=False)
    carbs_g = serializers.FloatField(required=False)
    fiber_g = serializers.FloatField(required=False)
    sugars_g = serializers.FloatField(required=False)
    sodium_mg = serializers.FloatField(required=False)
    saturated_fat_g = serializers.FloatField(required=False)
    trans_fat_g = serializers.FloatField(required=False)
    cholesterol_mg = serializers.FloatField(required=False)


def _duplicate_or_raise(exc: ValidationError):
    if getattr(exc, "code", None) == "DUPLICATE_FOOD":
        food_id = (exc.params or {}).get("food_id")
        raise ApiError("DUPLICATE_FOOD", exc.messages[0], status_code=409, details={"food_id": f"food_{food_id}"})
    raise exc


class FoodCreateView(NutritionApiView):
    @extend_schema(
        tags=FOODS_TAG,
        summary="Agregar un alimento desde su etiqueta",
        description="Valores por porción (`basis=serving` con `serving_size_g`) o por 100 g. Privado hasta que "
        "el personal lo verifique. Un duplicado (nombre + marca + código de barras) responde 409 DUPLICATE_FOOD.",
        request=CustomFoodInput,
        responses={201: OpenApiTypes.OBJECT, **error_responses(400, 401, 409)},
    )
    def post(self, request):
        try:
            food = food_services.custom_food_create(actor=request.user, data=_body(request))
        except ValidationError as exc:
            _duplicate_or_raise(exc)
        food = food_selectors.food_get(user=request.user, food_id=food.pk)
        return Response(payloads.food_detail(food), status=status.HTTP_201_CREATED)


class FoodMineView(NutritionApiView):
    @extend_schema(tags=FOODS_TAG, summary="Mis alimentos personalizados", responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        from django.db.models import Prefetch

        from nutrition.models import Food, FoodPortion

        foods = (
            Food.objects.filter(author=request.user, source="custom", is_active=True)
            .prefetch_related(Prefetch("portions", queryset=FoodPortion.objects.order_by("seq")))
            .order_by("-created_at")
        )
        return Response({"results": [payloads.food_summary(f) for f in foods]})


class FoodRecentView(NutritionApiView):
    @extend_schema(tags=FOODS_TAG, summary="Alimentos recientes y frecuentes", responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        from django.db.models import prefetch_related_objects

        recent = food_selectors.foods_recent(user=request.user, limit=10)
        frequent = food_selectors.foods_frequent(user=request.user, limit=10)
        prefetch_related_objects(recent + frequent, "portions")
        return Response(
            {
                "recent": [payloads.food_summary(f) for f in recent],
                "frequent": [payloads.food_summary(f) for f in frequent],
            }
        )


class FoodDetailView(NutritionApiView):
    @extend_schema(
        tags=FOODS_TAG,
        summary="Detalle de un alimento",
        description="Acepta `usda_123` o `123`. Un alimento privado de otra persona responde 404 FOOD_NOT_FOUND.",
        responses={200: OpenApiTypes.OBJECT, **error_responses(401, 404)},
    )
    def get(self, request, food_id):
        food = food_selectors.food_get(user=request.user, food_id=food_id)
        return Response(payloads.food_detail(food, nutrients=Nutrient.objects.in_bulk()))

    @extend_schema(tags=FOODS_TAG, summary="Corregir mi alimento", request=CustomFoodInput,
                   responses={200: OpenApiTypes.OBJECT, **error_responses(400, 401, 404, 409)})
    def patch(self, request, food_id):
        try:
            food = food_services.custom_food_update(actor=request.user, food_id=food_id, data=_body(request))
        except ValidationError as exc:
            _duplicate_or_raise(exc)
        return Response(payloads.food_detail(food_selectors.food_get(user=request.user, food_id=food.pk)))

    @extend_schema(tags=FOODS_TAG, summary="Eliminar mi alimento", responses={204: None, **error_responses(401, 404)})
    def delete(self, request, food_id):
        food_services.custom_food_delete(actor=request.user, food_id=food_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


class FoodEquivalentsView(NutritionApiView):
    @extend_schema(
        tags=FOODS_TAG,
        summary="Equivalentes SMAE de una cantidad",
        parameters=[OpenApiParameter("grams", float, required=True)],
        responses={200: OpenApiTypes.OBJECT, **error_responses(400, 401, 404)},
    )
    def get(self, request, food_id):
        food = food_selectors.food_get(user=request.user, food_id=food_id, with_portions=False)
        try:
            grams = float(request.query_params.get("grams", "100"))
        except ValueError:
            grams = -1
        if not 0 < grams <= 5000:
            raise ApiError("VALIDATION_ERROR", _("Indica gramos entre 0 y 5000."), details={"grams": [_("Valor no válido.")]})
        return Response({"food_id": food.public_id, "grams": grams, **payloads.equivalents_payload(smae.food_equivalents(food, grams))})


class SmaeGroupsView(NutritionApiView):
    @extend_schema(tags=FOODS_TAG, summary="Grupos del SMAE y su aporte por equivalente", responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        return Response(
            {
                "groups": [
                    {"code": g.code, "name": g.name, "calories": g.energy_kcal, "protein": g.protein_g,
                     "fat": g.fat_g, "carbs": g.carbs_g}
                    for g in SmaeGroup.objects.all()
                ]
            }
        )


class ActivitiesView(NutritionApiView):
    @extend_schema(tags=DIARY_TAG, summary="Actividades físicas y su MET", responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        return Response({"activities": [{"code": a.code, "name": a.name, "met": a.met} for a in Activity.objects.all()]})


# ---------------------------------------------------------------------------------------
# diary


def _day_param(request, name="date"):
    return diary_services.date_clean(request.query_params.get(name) or None, field=name)


class DiaryDayView(NutritionApiView):
    @extend_schema(
        tags=DIARY_TAG,
        summary="Diario de un día",
        description="Comidas con sus registros, totales contra metas, equivalentes SMAE, agua, ejercicio y peso.",
        parameters=[OpenApiParameter("date", OpenApiTypes.DATE)],
        responses={200: OpenApiTypes.OBJECT, **error_responses(400, 401)},
    )
    def get(self, request):
        day = diary_selectors.diary_day(user=request.user, day=_day_param(request))
        return Response(payloads.day_payload(day))


class DiaryWeekView(NutritionApiView):
    @extend_schema(tags=DIARY_TAG, summary="Semana del diario", parameters=[OpenApiParameter("date", OpenApiTypes.DATE)],
                   responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        week = diary_selectors.diary_week(user=request.user, day=_day_param(request))
        return Response(
            {
                "from": week["start"].isoformat(),
                "to": week["end"].isoformat(),
                "average_calories": week["average_kcal"],
                "logged_days": week["logged_days"],
                "goal_calories": week["targets"].energy_kcal,
                "days": [
                    {"date": d["date"].isoformat(), "calories": d["energy_kcal"], "protein": d["protein_g"],
                     "fat": d["fat_g"], "carbs": d["carbs_g"], "entries": d["entries"], "percent": d["percent"]}
                    for d in week["days"]
                ],
            }
        )


class EntryInput(serializers.Serializer):
    date = serializers.DateField(required=False)
    meal = serializers.CharField(help_text="desayuno, colacion_matutina, comida, colacion_vespertina, cena "
                                 "(o breakfast, lunch, dinner, snack)")
    food_id = serializers.CharField(required=False)
    recipe_id = serializers.CharField(required=False)
    quantity = serializers.FloatField()
    unit = serializers.ChoiceField(choices=["g", "portion", "smae", "serving"], required=False)
    portion_id = serializers.IntegerField(required=False)
    note = serializers.CharField(required=False)


IDEMPOTENCY_TTL = 24 * 3600


class DiaryEntryCreateView(NutritionApiView):
    rate_limit_scope = "diary_write"

    @extend_schema(
        tags=DIARY_TAG,
        summary="Registrar un alimento o una receta",
        description=(
            "`unit`: g (cantidad en gramos), portion (cantidad × `portion_id`), smae (equivalentes) o serving "
            "(porciones de receta, con `recipe_id`). Máximo 5 kg por registro; no se aceptan fechas futuras. "
            "Envía `Idempotency-Key` para que un reintento no duplique el registro."
        ),
        request=EntryInput,
        responses={201: OpenApiTypes.OBJECT, **error_responses(400, 401, 404)},
    )
    def post(self, request):
        body = _body(request)
        key = (request.headers.get("Idempotency-Key") or "").strip()[:80]
        cache_key = f"diary-idem:{request.user.pk}:{key}" if key else None
        if cache_key:
            previous = cache.get(cache_key)
            if previous:
                entry = DiaryEntry.objects.filter(pk=previous, user=request.user).select_related("food").first()
                if entry is not None:
                    return Response(payloads.entry_payload(entry), status=status.HTTP_200_OK)
        entry = diary_services.diary_entry_add(
            actor=request.user,
            date=body.get("date"),
            meal=body.get("meal") or body.get("meal_type"),
            food_id=body.get("food_id"),
            recipe_id=body.get("recipe_id"),
            quantity=body.get("quantity"),
            unit=body.get("unit") or ("serving" if body.get("recipe_id") else "g"),
            portion_id=body.get("portion_id"),
            note=body.get("note") or "",
        )
        if cache_key:
            cache.set(cache_key, entry.pk, IDEMPOTENCY_TTL)
        return Response(payloads.entry_payload(entry), status=status.HTTP_201_CREATED)


class QuickAddInput(serializers.Serializer):
    date = serializers.DateField(required=False)
    meal = serializers.CharField()
    name = serializers.CharField(required=False)
    calories = serializers.FloatField()
    protein = serializers.FloatField(required=False)
    fat = serializers.FloatField(required=False)
    carbs = serializers.FloatField(required=False)


class DiaryQuickAddView(NutritionApiView):
    rate_limit_scope = "diary_write"

    @extend_schema(tags=DIARY_TAG, summary="Registro rápido de calorías y macros", request=QuickAddInput,
                   responses={201: OpenApiTypes.OBJECT, **error_responses(400, 401)})
    def post(self, request):
        body = _body(request)
        entry = diary_services.diary_quick_add(
            actor=request.user, date=body.get("date"), meal=body.get("meal") or body.get("meal_type"),
            name=body.get("name") or "", energy_kcal=body.get("calories"), protein_g=body.get("protein"),
            fat_g=body.get("fat"), carbs_g=body.get("carbs"),
        )
        return Response(payloads.entry_payload(entry), status=status.HTTP_201_CREATED)


class DiaryEntryDetailView(NutritionApiView):
    rate_limit_scope = "diary_write"

    @extend_schema(tags=DIARY_TAG, summary="Un registro", responses={200: OpenApiTypes.OBJECT, **error_responses(401, 404)})
    def get(self, request, entry_id):
        entry = DiaryEntry.objects.select_related("food").get(pk=entry_id, user=request.user)
        return Response(payloads.entry_payload(entry))

    @extend_schema(
        tags=DIARY_TAG,
        summary="Editar o mover un registro",
        description="Cualquier subconjunto de quantity, unit, portion_id, meal, date, note.",
        request=EntryInput(partial=True),
        responses={200: OpenApiTypes.OBJECT, **error_responses(400, 401, 404)},
    )
    def patch(self, request, entry_id):
        body = _body(request)
        entry = diary_services.diary_entry_update(
            actor=request.user, entry_id=entry_id, quantity=body.get("quantity"), unit=body.get("unit"),
            portion_id=body.get("portion_id"), meal=body.get("meal") or body.get("meal_type"),
            date=body.get("date"), note=body.get("note"),
        )
        return Response(payloads.entry_payload(entry))

    @extend_schema(tags=DIARY_TAG, summary="Eliminar un registro", responses={204: None, **error_responses(401, 404)})
    def delete(self, request, entry_id):
        diary_services.diary_entry_delete(actor=request.user, entry_id=entry_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


class CopyInput(serializers.Serializer):
    from_date = serializers.DateField()
    to_date = serializers.DateField()
    from_meal = serializers.CharField(required=False)
    to_meal = serializers.CharField(required=False)


class DiaryCopyView(NutritionApiView):
    rate_limit_scope = "diary_write"

    @extend_schema(tags=DIARY_TAG, summary="Copiar una comida o un día", request=CopyInput,
                   responses={201: OpenApiTypes.OBJECT, **error_responses(400, 401)})
    def post(self, request):
        body = _body(request)
        copies = diary_services.diary_entries_copy(
            actor=request.user, from_date=body.get("from_date"), to_date=body.get("to_date"),
            from_meal=body.get("from_meal"), to_meal=body.get("to_meal"),
        )
        return Response({"copied": len(copies), "to_date": copies[0].date.isoformat()}, status=status.HTTP_201_CREATED)


class WaterView(NutritionApiView):
    rate_limit_scope = "diary_write"

    @extend_schema(tags=DIARY_TAG, summary="Registrar agua (ml)", request=OpenApiTypes.OBJECT,
                   responses={201: OpenApiTypes.OBJECT, **error_responses(400, 401)})
    def post(self, request):
        body = _body(request)
        log = diary_services.water_add(actor=request.user, ml=body.get("ml"), date=body.get("date"))
        total = sum(WaterLog.objects.filter(user=request.user, date=log.date).values_list("ml", flat=True))
        return Response({"id": log.pk, "date": log.date.isoformat(), "ml": log.ml, "total_ml": total},
                        status=status.HTTP_201_CREATED)


class WaterDetailView(NutritionApiView):
    @extend_schema(tags=DIARY_TAG, summary="Eliminar un registro de agua", responses={204: None, **error_responses(401, 404)})
    def delete(self, request, log_id):
        diary_services.water_delete(actor=request.user, log_id=log_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


class WeightView(NutritionApiView):
    rate_limit_scope = "diary_write"

    @extend_schema(tags=DIARY_TAG, summary="Historial de peso", responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        logs = WeightLog.objects.filter(user=request.user).order_by("-date")[:400]
        return Response({"results": [{"id": w.pk, "date": w.date.isoformat(), "weight_kg": float(w.weight_kg),
                                      "note": w.note} for w in logs]})

    @extend_schema(tags=DIARY_TAG, summary="Registrar el peso del día", request=OpenApiTypes.OBJECT,
                   responses={201: OpenApiTypes.OBJECT, **error_responses(400, 401)})
    def post(self, request):
        body = _body(request)
        log = diary_services.weight_log_set(actor=request.user, weight_kg=body.get("weight_kg"),
                                            date=body.get("date"), note=body.get("note") or "")
        return Response({"id": log.pk, "date": log.date.isoformat(), "weight_kg": float(log.weight_kg), "note": log.note},
                        status=status.HTTP_201_CREATED)


class WeightDetailView(NutritionApiView):
    @extend_schema(tags=DIARY_TAG, summary="Eliminar un registro de peso", responses={204: None, **error_responses(401, 404)})
    def delete(self, request, log_id):
        diary_services.weight_log_delete(actor=request.user, log_id=log_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ExerciseView(NutritionApiView):
    rate_limit_scope = "diary_write"

    @extend_schema(tags=DIARY_TAG, summary="Registrar ejercicio", description="kcal = MET × kg × horas.",
                   request=OpenApiTypes.OBJECT, responses={201: OpenApiTypes.OBJECT, **error_responses(400, 401)})
    def post(self, request):
        body = _body(request)
        log = diary_services.exercise_add(actor=request.user, activity_code=body.get("activity_code"),
                                          minutes=body.get("minutes"), date=body.get("date"))
        return Response({"id": log.pk, "date": log.date.isoformat(), "activity_code": log.activity_id,
                         "name": log.activity.name, "minutes": log.minutes, "calories": log.energy_kcal},
                        status=status.HTTP_201_CREATED)


class ExerciseDetailView(NutritionApiView):
    @extend_schema(tags=DIARY_TAG, summary="Eliminar un registro de ejercicio", responses={204: None, **error_responses(401, 404)})
    def delete(self, request, log_id):
        diary_services.exercise_delete(actor=request.user, log_id=log_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


class TargetsView(NutritionApiView):
    @extend_schema(tags=DIARY_TAG, summary="Mis metas diarias", responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        return Response(payloads.targets_payload(diary_selectors.targets_get(user=request.user)))

    @extend_schema(
        tags=DIARY_TAG,
        summary="Ajustar mis metas",
        description="Campos energy_kcal, protein_g, fat_g, carbs_g, fiber_g, sodium_mg, water_ml; null vuelve al "
        "valor calculado desde el perfil.",
        request=OpenApiTypes.OBJECT,
        responses={200: OpenApiTypes.OBJECT, **error_responses(400, 401)},
    )
    def patch(self, request):
        diary_services.target_override_set(actor=request.user, data=_body(request))
        return Response(payloads.targets_payload(diary_selectors.targets_get(user=request.user)))

