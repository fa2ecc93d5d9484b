"""Recipes for the mobile app (seed 000 §4.5): list with filters, sort and Spanish search;
create (held for moderation); detail, edit, delete; rate, save, "lo preparé"; log a serving
to the diary; verification by nutritionists and moderation by staff.

Views parse input and call ``nutrition.selectors.recipes`` / ``nutrition.services.recipes``,
the same functions the recipe pages call. Errors leave through the project's envelope:
RECIPE_NOT_FOUND (404), VALIDATION_ERROR (400), RECIPE_NOT_PUBLISHED (400), PERMISSION_DENIED
(403), FOOD_NOT_FOUND (404) and the diary's FUTURE_DATE / AMOUNT_TOO_LARGE.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from config.api import ApiError, ApiView, PagePagination, body_dict, error_responses
from nutrition.api import recipe_serializers as s
from nutrition.api.payloads import entry_payload
from nutrition.models import DietaryTag, Difficulty, RecipeMealType
from nutrition.selectors import recipes as selectors
from nutrition.services import recipes as services

TAG = ["Recetas"]
LIST_FIELDS = ("title", "title_en", "description", "description_en")


class RecipeApiView(ApiView):
    """Reads count against ``default``; writes against ``recipes_write`` (falls back to the
    default rate unless settings name it)."""

    permission_classes = [IsAuthenticated]
    write_scope = "recipes_write"

    def initial(self, request, *args, **kwargs):
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            self.rate_limit_scope = self.write_scope
        super().initial(request, *args, **kwargs)


def _files(request) -> list:
    return request.FILES.getlist("files") + request.FILES.getlist("files[]")


def _detail(request, recipe_id) -> dict:
    recipe = selectors.recipe_get(user=request.user, recipe_id=recipe_id)
    marks = selectors.recipe_marks(user=request.user, recipe_ids=[recipe.pk])[recipe.pk]
    return s.recipe_detail(recipe, request=request, marks=marks, viewer=request.user)


RECIPE_LIST_RESPONSE = inline_serializer(
    "RecipeListResponse",
    {
        "recipes": serializers.ListField(child=serializers.DictField()),
        "page": serializers.IntegerField(),
        "limit": serializers.IntegerField(),
        "total_pages": serializers.IntegerField(),
        "total_results": serializers.IntegerField(),
    },
)
RECIPE_CREATED = inline_serializer(
    "RecipeCreated",
    {"recipe": serializers.DictField(), "moderation_status": serializers.CharField(), "message": serializers.CharField()},
)


class RecipeListView(RecipeApiView):
    @extend_schema(
        tags=TAG,
        summary="Listar y buscar recetas",
        operation_id="recipes_list",
        description=(
            "Recetas publicadas (y las tuyas). Búsqueda en español sin acentos sobre título, descripción, etiquetas e "
            "ingredientes; filtros y orden. `scope=mine` tus recetas en cualquier estado; `scope=saved` tus guardadas."
        ),
        parameters=[
            OpenApiParameter("search", str),
            OpenApiParameter("meal_type", str, enum=RecipeMealType.values),
            OpenApiParameter("dietary_tags[]", str, many=True, enum=DietaryTag.values),
            OpenApiParameter("max_prep_time_min", int),
            OpenApiParameter("difficulty", str, enum=Difficulty.values),
            OpenApiParameter("is_verified", bool),
            OpenApiParameter("sort_by", str, enum=list(selectors.SORTS)),
            OpenApiParameter("scope", str, enum=list(selectors.SCOPES)),
            OpenApiParameter("page", int),
            OpenApiParameter("limit", int, description="1–100, por omisión 20"),
        ],
        responses={200: RECIPE_LIST_RESPONSE, **error_responses(400, 401, 429)},
    )
    def get(self, request):
        q = request.query_params
        tags = q.getlist("dietary_tags[]") or q.getlist("dietary_tags")
        if len(tags) == 1 and "," in tags[0]:
            tags = tags[0].split(",")
        filters = selectors.recipe_filters_clean(
            search=q.get("search") or q.get("q"), meal_type=q.get("meal_type"), dietary_tags=tags,
            max_prep_time_min=q.get("max_prep_time_min"), difficulty=q.get("difficulty"),
            is_verified=q.get("is_verified"), sort_by=q.get("sort_by"), scope=q.get("scope"),
        )
        qs = selectors.recipe_list(user=request.user, **filters.as_kwargs())
        paginator = PagePagination()
        page = paginator.paginate_queryset(qs, request, view=self)
        marks = selectors.recipe_marks(user=request.user, recipe_ids=[r.pk for r in page])
        body = paginator.get_paginated_response(
            [s.recipe_summary(r, request=request, marks=marks.get(r.pk)) for r in page]
        ).data
        return Response({"recipes": body.pop("results"), **body})

    @extend_schema(
        tags=TAG,
        summary="Crear una receta",
        description=(
            "JSON o multipart. La receta queda en revisión (no publicada) y su nutrición se calcula de los "
            "ingredientes; cualquier nutrición enviada se ignora."
        ),
        request=s.RecipeInput,
        responses={201: RECIPE_CREATED, **error_responses(400, 401, 404, 429)},
    )
    def post(self, request):
        data = body_dict(request)
        data.pop("nutrition_per_serving", None)
        recipe = services.recipe_create(actor=request.user, data=data, photos=_files(request))
        return Response(
            {
                "recipe": _detail(request, recipe.pk),
                "moderation_status": recipe.moderation_status,
                "message": _("Receta creada. En revisión para publicación."),
            },
            status=status.HTTP_201_CREATED,
        )


class RecipeDetailView(RecipeApiView):
    @extend_schema(tags=TAG, summary="Detalle de una receta", responses={200: dict, **error_responses(401, 404)})
    def get(self, request, recipe_id):
        return Response(_detail(request, recipe_id))

    @extend_schema(
        tags=TAG,
        summary="Editar una receta",
        description="Solo quien la escribió (o el personal). Una edición de la autora la regresa a revisión.",
        request=s.RecipeInput,
        responses={200: dict, **error_responses(400, 401, 403, 404)},
    )
    def patch(self, request, recipe_id):
        data = body_dict(request)
        data.pop("nutrition_per_serving", None)
        recipe = services.recipe_update(actor=request.user, recipe_id=recipe_id, data=data, photos=_files(request))
        return Response(_detail(request, recipe.pk))

    @extend_schema(tags=TAG, summary="Eliminar una receta", responses={204: None, **error_responses(401, 403, 404)})
    def delete(self, request, recipe_id):
        services.recipe_delete(actor=request.user, recipe_id=recipe_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


class RecipeRateView(RecipeApiView):
    @extend_schema(tags=TAG, summary="Calificar una receta (1–5)", request=s.RateInput,
                   responses={200: dict, **error_responses(400, 401, 404)})
    def post(self, request, recipe_id):
        data = body_dict(request)
        stars = data.get("stars", data.get("rating"))
        if stars in (None, ""):
            raise ApiError("VALIDATION_ERROR", _("Revisa los datos enviados."),
                           details={"stars": [_("Elige de 1 a 5 estrellas.")]})
        services.recipe_rate(actor=request.user, recipe_id=recipe_id, stars=stars, comment=data.get("comment", ""))
        return Response(_detail(request, recipe_id))


class RecipeSaveView(RecipeApiView):
    @extend_schema(tags=TAG, summary="Guardar una receta", request=None,
                   responses={200: dict, **error_responses(401, 404)})
    def post(self, request, recipe_id):
        saved = services.recipe_save_toggle(actor=request.user, recipe_id=recipe_id, saved=True)
        return Response({"saved": saved, "recipe": _detail(request, recipe_id)})

    @extend_schema(tags=TAG, summary="Quitar de guardadas", request=None,
                   responses={200: dict, **error_responses(401, 404)})
    def delete(self, request, recipe_id):
        saved = services.recipe_save_toggle(actor=request.user, recipe_id=recipe_id, saved=False)
        return Response({"saved": saved, "recipe": _detail(request, recipe_id)})


class RecipeTriedView(RecipeApiView):
    @extend_schema(tags=TAG, summary="Marcar «lo preparé»", request=None,
                   responses={200: dict, **error_responses(400, 401, 404)})
    def post(self, request, recipe_id):
        tried = services.recipe_tried_mark(actor=request.user, recipe_id=recipe_id, tried=True)
        return Response({"tried": tried, "recipe": _detail(request, recipe_id)})

    @extend_schema(tags=TAG, summary="Quitar «lo preparé»", request=None,
                   responses={200: dict, **error_responses(400, 401, 404)})
    def delete(self, request, recipe_id):
        tried = services.recipe_tried_mark(actor=request.user, recipe_id=recipe_id, tried=False)
        return Response({"tried": tried, "recipe": _detail(request, recipe_id)})


class RecipeLogView(RecipeApiView):
    write_scope = "diary_write"

    @extend_schema(tags=TAG, summary="Registrar porciones de la receta en el diario", request=s.LogInput,
                   responses={201: dict, **error_responses(400, 401, 404)})
    def post(self, request, recipe_id):
        data = body_dict(request)
        entry = services.recipe_log_serving(
            actor=request.user, recipe_id=recipe_id, servings=data.get("servings", 1),
            meal=data.get("meal", data.get("meal_type")), date=data.get("date"),
        )
        return Response({"entry": entry_payload(entry), "message": _("Porción registrada en tu diario.")},
                        status=status.HTTP_201_CREATED)


class RecipeVerifyView(RecipeApiView):
    @extend_schema(tags=TAG, summary="Verificar una receta (nutriólogo/a)", request=s.VerifyInput,
                   responses={200: dict, **error_responses(400, 401, 403, 404)})
    def post(self, request, recipe_id):
        data = body_dict(request)
        verified = services.truthy(data.get("verified", True))
        services.recipe_verify(actor=request.user, recipe_id=recipe_id, verified=verified)
        return Response(_detail(request, recipe_id))


class RecipeModerateView(RecipeApiView):
    @extend_schema(tags=TAG, summary="Aprobar o rechazar una receta (personal)", request=s.ModerateInput,
                   responses={200: dict, **error_responses(400, 401, 403, 404)})
    def post(self, request, recipe_id):
        data = body_dict(request)
        if "approve" not in data:
            raise ApiError("VALIDATION_ERROR", _("Revisa los datos enviados."),
                           details={"approve": [_("Indica true para aprobar o false para rechazar.")]})
        services.recipe_moderate(actor=request.user, recipe_id=recipe_id, approve=services.truthy(data["approve"]),
                                 notes=data.get("notes", ""))
        return Response(_detail(request, recipe_id))


class RecipeModerationQueueView(RecipeApiView):
    @extend_schema(
        tags=TAG,
        summary="Recetas en revisión (personal)",
        operation_id="recipes_moderation_list",
        responses={200: RECIPE_LIST_RESPONSE, **error_responses(401, 403)},
    )
    def get(self, request):
        qs = selectors.recipes_moderation_queue(user=request.user)
        paginator = PagePagination()
        page = paginator.paginate_queryset(qs, request, view=self)
        body = paginator.get_paginated_response([s.recipe_summary(r, request=request) for r in page]).data
        return Response({"recipes": body.pop("results"), **body})
