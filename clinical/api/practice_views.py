"""Practice API (mobile): the public directory, the nutritionist's own profile, the staff
verification queue and the care relationships with their consents.

Views parse input and call the same services and selectors as the pages. Errors leave
through the project's envelope: NUTRITIONIST_NOT_FOUND / CARE_NOT_FOUND (404),
VALIDATION_ERROR and specific codes (400), PERMISSION_DENIED (403).
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from clinical.api import practice_serializers as s
from clinical.api.base import ClinicalApiView
from clinical.models import ConsentScope, Specialization
from clinical.selectors import care as care_selectors
from clinical.selectors import practice as selectors
from clinical.services import care as care_services
from clinical.services import practice as services
from config.api import ApiError, ApiView, PagePagination, body_dict, error_responses

TAG = ["Consulta"]


class WriteScopedView(ClinicalApiView):
    pass


# ---------------------------------------------------------------------------------------
# directory


class NutritionistListView(ApiView):
    permission_classes = [AllowAny]

    @extend_schema(
        tags=TAG, summary="Directorio de nutriólogos verificados", operation_id="nutritionists_list",
        parameters=[
            OpenApiParameter("q", str), OpenApiParameter("specialization", str, enum=Specialization.values),
            OpenApiParameter("city", str), OpenApiParameter("state", str), OpenApiParameter("language", str),
            OpenApiParameter("max_fee", int), OpenApiParameter("accepting", bool),
            OpenApiParameter("page", int), OpenApiParameter("limit", int),
        ],
        responses={200: OpenApiTypes.OBJECT, **error_responses(400, 429)},
    )
    def get(self, request):
        filters = selectors.directory_filters_clean(request.query_params)
        if filters.errors:
            raise ApiError("VALIDATION_ERROR", _("Revisa los filtros."), details=filters.errors)
        qs = selectors.nutritionist_directory(**filters.as_kwargs())
        paginator = PagePagination()
        page = paginator.paginate_queryset(qs, request, view=self)
        body = paginator.get_paginated_response([s.nutritionist_summary(p, request=request) for p in page]).data
        return Response({"nutritionists": body.pop("results"), **body})


class NutritionistDetailView(ApiView):
    permission_classes = [AllowAny]

    @extend_schema(tags=TAG, summary="Perfil público de un nutriólogo", responses={200: OpenApiTypes.OBJECT, **error_responses(404)})
    def get(self, request, slug):
        profile = selectors.nutritionist_public_get(slug=slug)
        return Response({"nutritionist": s.nutritionist_public(profile, request=request)})


class CareRequestView(WriteScopedView):
    write_scope = "care_invite"

    @extend_schema(tags=TAG, summary="Solicitar atención a un nutriólogo", request=OpenApiTypes.OBJECT,
                   responses={201: OpenApiTypes.OBJECT, **error_responses(400, 401, 404, 429)})
    def post(self, request, slug):
        data = body_dict(request)
        rel = care_services.care_request(actor=request.user, nutritionist_slug=slug, message=data.get("message", ""),
                                         consents=data.get("consents"))
        rel = care_selectors.care_get(user=request.user, relationship_id=rel.pk)
        return Response({"care": s.care_item(rel, viewer=request.user, consents=care_selectors.consents_map(rel))},
                        status=201)


# ---------------------------------------------------------------------------------------
# own profile


class OwnProfileView(WriteScopedView):
    @extend_schema(tags=TAG, summary="Mi perfil profesional", responses={200: OpenApiTypes.OBJECT, **error_responses(401, 404)})
    def get(self, request):
        profile = selectors.profile_of(user=request.user)
        if profile is None:
            raise services.ProfileNotFound()
        return Response({"profile": s.nutritionist_own(profile, request=request)})

    @extend_schema(tags=TAG, summary="Guardar mi perfil profesional (JSON o multipart)", request=OpenApiTypes.OBJECT,
                   responses={200: OpenApiTypes.OBJECT, 201: OpenApiTypes.OBJECT, **error_responses(400, 401, 403, 429)})
    def put(self, request):
        created = selectors.profile_of(user=request.user) is None
        data = body_dict(request)
        for key in ("license_document", "photo"):
            data.pop(key, None)
        profile = services.nutritionist_profile_save(actor=request.user, data=data, files=request.FILES)
        return Response({"profile": s.nutritionist_own(profile, request=request)}, status=201 if created else 200)


# ---------------------------------------------------------------------------------------
# staff


class PendingListView(WriteScopedView):
    @extend_schema(tags=TAG, summary="Perfiles por verificar (personal)", responses={200: OpenApiTypes.OBJECT, **error_responses(401, 404)})
    def get(self, request):
        qs = selectors.verification_queue(actor=request.user)
        paginator = PagePagination()
        page = paginator.paginate_queryset(qs, request, view=self)
        body = paginator.get_paginated_response([s.pending_profile(p, request=request) for p in page]).data
        return Response({"nutritionists": body.pop("results"), **body})


class VerifyView(WriteScopedView):
    @extend_schema(tags=TAG, summary="Verificar un perfil (personal)", request=None,
                   responses={200: OpenApiTypes.OBJECT, **error_responses(400, 401, 404)})
    def post(self, request, profile_id):
        profile = services.nutritionist_verify(actor=request.user, profile_id=profile_id, request=request)
        return Response({"profile": s.nutritionist_own(profile, request=request)})


class RejectView(WriteScopedView):
    @extend_schema(tags=TAG, summary="Rechazar un perfil con motivo (personal)", request=OpenApiTypes.OBJECT,
                   responses={200: OpenApiTypes.OBJECT, **error_responses(400, 401, 404)})
    def post(self, request, profile_id):
        data = body_dict(request)
        profile = services.nutritionist_reject(actor=request.user, profile_id=profile_id,
                                               reason=data.get("reason", ""), request=request)
        return Response({"profile": s.nutritionist_own(profile, request=request)})


# ---------------------------------------------------------------------------------------
# care


def _care_response(request, rel_id, status=200):
    rel = care_selectors.care_get(user=request.user, relationship_id=rel_id)
    return Response({"care": s.care_item(rel, viewer=request.user, consents=care_selectors.consents_map(rel))},
                    status=status)


class CareListView(WriteScopedView):
    @extend_schema(tags=TAG, summary="Mis relaciones de atención (como paciente y como nutriólogo)",
                   responses={200: OpenApiTypes.OBJECT, **error_responses(401)})
    def get(self, request):
        qs = care_selectors.care_list(user=request.user)
        paginator = PagePagination()
        page = paginator.paginate_queryset(qs, request, view=self)
        items = [s.care_item(r, viewer=request.user, consents=care_selectors.consents_map(r)) for r in page]
        body = paginator.get_paginated_response(items).data
        return Response({"care": body.pop("results"), **body})


class CareAcceptView(WriteScopedView):
    @extend_schema(tags=TAG, summary="Aceptar una invitación o solicitud", request=OpenApiTypes.OBJECT,
                   responses={200: OpenApiTypes.OBJECT, **error_responses(400, 401, 403, 404)})
    def post(self, request, relationship_id):
        data = body_dict(request)
        rel = care_services.care_accept(actor=request.user, relationship_id=relationship_id,
                                        consents=data.get("consents"))
        return _care_response(request, rel.pk)


class CareDeclineView(WriteScopedView):
    @extend_schema(tags=TAG, summary="Rechazar o cancelar una invitación o solicitud", request=None,
                   responses={200: OpenApiTypes.OBJECT, **error_responses(400, 401, 404)})
    def post(self, request, relationship_id):
        rel = care_services.care_decline(actor=request.user, relationship_id=relationship_id)
        return _care_response(request, rel.pk)


class CareEndView(WriteScopedView):
    @extend_schema(tags=TAG, summary="Terminar la atención", request=OpenApiTypes.OBJECT,
                   responses={200: OpenApiTypes.OBJECT, **error_responses(400, 401, 404)})
    def post(self, request, relationship_id):
        data = body_dict(request)
        rel = care_services.care_end(actor=request.user, relationship_id=relationship_id,
                                     outcome=data.get("outcome", "graduated"), reason=data.get("reason", ""))
        return _care_response(request, rel.pk)


class CareConsentsView(WriteScopedView):
    @extend_schema(tags=TAG, summary="Cambiar lo que compartes", request=OpenApiTypes.OBJECT,
                   parameters=[OpenApiParameter(scope, bool) for scope in ConsentScope.values],
                   responses={200: OpenApiTypes.OBJECT, **error_responses(400, 401, 404)})
    def put(self, request, relationship_id):
        data = body_dict(request)
        consents = data.get("consents", data) if isinstance(data.get("consents"), dict) else data
        care_services.consents_set(actor=request.user, relationship_id=relationship_id, consents=consents)
        return _care_response(request, relationship_id)
