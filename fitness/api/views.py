"""Workout plan API (seed 004 ``/generate-plan`` and ``/workout-plan``): generate a plan,
list, read and delete plans, mark a session as done; and the exercise catalogue.

Views parse input and call ``fitness.services`` / ``fitness.selectors``, the same functions
the pages call. Errors use the project's envelope: VALIDATION_ERROR (400), FUTURE_DATE (400),
WORKOUT_PLAN_NOT_FOUND / WORKOUT_SESSION_NOT_FOUND (404), RATE_LIMIT_EXCEEDED (429).
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from config.api import ApiView, PagePagination, body_dict, error_responses
from fitness import selectors as sel
from fitness import services
from fitness.api.payloads import log_payload, plan_detail, plan_summary
from fitness.generator import EQUIPMENT, LEVELS

TAG = ["Entrenamiento"]


class FitnessApiView(ApiView):
    permission_classes = [IsAuthenticated]


class WorkoutPlanGenerateView(FitnessApiView):
    rate_limit_scope = "workout_generate"

    @extend_schema(
        tags=TAG, operation_id="workout_plan_generate", summary="Generar un plan semanal de entrenamiento",
        description=(
            "`goal`: perder_grasa, ganar_musculo, condicion_fisica o salud_general. `level`: principiante, "
            "intermedio o avanzado. `weekdays`: días 0 (lunes) a 6 (domingo), de 1 a 6 días. `equipment`: códigos "
            "del catálogo (mancuernas, banda_elastica, barra, banco, barra_dominadas, kettlebell, maquina, tapete, "
            "cuerda, bicicleta_estacionaria, caminadora, eliptica). `session_minutes`: 15 a 120. La estructura es "
            "determinista; si hay proveedor de IA, solo redacta título, descripción y consejos (`text_source`)."
        ),
        request=dict, responses={201: dict, **error_responses(400, 401, 429)},
    )
    def post(self, request):
        data = body_dict(request)
        plan = services.workout_plan_generate(
            actor=request.user, goal=data.get("goal"), level=data.get("level"), weekdays=data.get("weekdays"),
            equipment=data.get("equipment"), session_minutes=data.get("session_minutes", data.get("minutes", 45)),
        )
        return Response(plan_detail(plan, user=request.user), status=status.HTTP_201_CREATED)


class WorkoutPlanListView(FitnessApiView):
    @extend_schema(tags=TAG, operation_id="workout_plans_list", summary="Mis planes de entrenamiento",
                   parameters=[OpenApiParameter("page", int), OpenApiParameter("limit", int)],
                   responses={200: dict, **error_responses(400, 401)})
    def get(self, request):
        paginator = PagePagination()
        page = paginator.paginate_queryset(sel.workout_plan_list(user=request.user), request, view=self)
        body = paginator.get_paginated_response([plan_summary(p) for p in page]).data
        return Response({"workout_plans": body.pop("results"), **body})


class WorkoutPlanDetailView(FitnessApiView):
    @extend_schema(tags=TAG, operation_id="workout_plan_detail",
                   summary="Plan con sesiones, ejercicios, kcal estimadas y días registrados",
                   responses={200: dict, **error_responses(401, 404)})
    def get(self, request, plan_id):
        plan = sel.workout_plan_get(user=request.user, plan_id=plan_id)
        return Response(plan_detail(plan, user=request.user))

    @extend_schema(tags=TAG, operation_id="workout_plan_delete", summary="Eliminar un plan",
                   responses={204: None, **error_responses(401, 404)})
    def delete(self, request, plan_id):
        services.workout_plan_delete(actor=request.user, plan_id=plan_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


class WorkoutSessionLogView(FitnessApiView):
    @extend_schema(
        tags=TAG, operation_id="workout_session_log", summary="Marcar una sesión como hecha",
        description=(
            "Registra la sesión en el diario de ejercicio (kcal = MET × kg × horas con tu peso del perfil). "
            "`date` (AAAA-MM-DD, hoy por omisión), `minutes` (los planeados por omisión), `rpe` 1–10 opcional. "
            "Repetirlo el mismo día actualiza el registro (200) en vez de duplicarlo (201 la primera vez)."
        ),
        request=dict, responses={201: dict, 200: dict, **error_responses(400, 401, 404)},
    )
    def post(self, request, plan_id, session_id):
        data = body_dict(request)
        log = services.workout_session_log(
            actor=request.user, plan_id=plan_id, session_id=session_id, date=data.get("date"),
            minutes=data.get("minutes"), rpe=data.get("rpe"),
        )
        body = {"log": log_payload(log), "created": log.created}
        return Response(body, status=status.HTTP_201_CREATED if log.created else status.HTTP_200_OK)


class ExerciseListView(FitnessApiView):
    @extend_schema(
        tags=TAG, operation_id="exercises_list", summary="Catálogo de ejercicios",
        parameters=[OpenApiParameter("type", str, enum=["fuerza", "cardio", "movilidad", "hiit"]),
                    OpenApiParameter("level", str, enum=list(LEVELS)),
                    OpenApiParameter("equipment", str, many=True, enum=list(EQUIPMENT),
                                     description="Solo lo que se puede hacer con este equipo (repetible).")],
        responses={200: dict, **error_responses(401)},
    )
    def get(self, request):
        q = request.query_params
        equipment = q.getlist("equipment") or None
        if equipment and len(equipment) == 1 and "," in equipment[0]:
            equipment = equipment[0].split(",")
        items = sel.exercises_list(type_=q.get("type") or None, level=q.get("level") or None, equipment=equipment)
        return Response({"exercises": [
            {"code": e.code, "name": e.name, "name_es": e.name_es, "name_en": e.name_en, "type": e.type,
             "pattern": e.pattern, "muscles": e.muscles, "equipment": e.equipment, "level": e.level, "met": e.met,
             "compendium_code": e.compendium_code, "sets": e.sets, "reps": e.reps, "seconds": e.seconds,
             "minutes": e.minutes, "instructions": e.instructions_es}
            for e in items
        ], "total_results": len(items)})
