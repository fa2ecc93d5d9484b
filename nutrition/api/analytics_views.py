"""Analytics for the mobile app (seed 003): daily summary, trends with statistics and
insights, most eaten foods, the weight trend and the meal history.

Views hand the query string to ``nutrition.selectors.analytics`` (the functions the progress
page calls too) and return what they compute. Bad input (``days=0``, ``period=2y``, a future
date...) raises ``ValidationError`` there and leaves as 400 VALIDATION_ERROR with the field
in ``details``. Everything is the signed-in person's own diary: nobody else's is ever read.
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from config.api import ApiView, error_responses
from nutrition.selectors import analytics

TAGS = ["Analítica"]


class AnalyticsApiView(ApiView):
    permission_classes = [IsAuthenticated]
    rate_limit_scope = "default"


# ---------------------------------------------------------------------------------------
# response shapes (for the OpenAPI schema)


class _Macros(serializers.Serializer):
    calories = serializers.FloatField()
    protein = serializers.FloatField()
    carbs = serializers.FloatField()
    fat = serializers.FloatField()


class _Nutrition(_Macros):
    fiber = serializers.FloatField(allow_null=True)


class _SeedMeals(serializers.Serializer):
    breakfast = serializers.FloatField()
    lunch = serializers.FloatField()
    dinner = serializers.FloatField()
    snack = serializers.FloatField(help_text="colación matutina + colación vespertina")


class _Meals(serializers.Serializer):
    desayuno = serializers.FloatField()
    colacion_matutina = serializers.FloatField()
    comida = serializers.FloatField()
    colacion_vespertina = serializers.FloatField()
    cena = serializers.FloatField()


class _DaySummary(serializers.Serializer):
    date = serializers.DateField()
    nutrition = _Nutrition()
    goals = _Macros()
    progress = _Macros(help_text="Porcentaje de cada meta")
    analyses_count = serializers.IntegerField(help_text="Comidas del día con al menos un registro")
    foods_count = serializers.IntegerField(help_text="Registros del día")
    meal_distribution = _SeedMeals(help_text="kcal por tipo de comida (seed 003)")
    meals = _Meals(help_text="kcal por tiempo de comida")


class _Averages(serializers.Serializer):
    daily_calories = serializers.FloatField(allow_null=True)
    daily_protein = serializers.FloatField(allow_null=True)
    daily_carbs = serializers.FloatField(allow_null=True)
    daily_fat = serializers.FloatField(allow_null=True)


class DailySummaryOutput(serializers.Serializer):
    period = inline_serializer(
        "SummaryPeriod",
        fields={"from": serializers.DateField(), "to": serializers.DateField(), "days": serializers.IntegerField()},
    )
    daily_summaries = _DaySummary(many=True)
    averages = _Averages(help_text="Promedios sobre los días con registros")
    streak_days = serializers.IntegerField()


class _DataPoint(serializers.Serializer):
    date = serializers.DateField()
    value = serializers.FloatField()
    goal = serializers.FloatField()
    percentage = serializers.FloatField()


class _Insight(serializers.Serializer):
    type = serializers.ChoiceField(choices=["trend", "goal", "streak", "balance"])
    message = serializers.CharField(help_text="En el idioma de la persona")
    impact = serializers.ChoiceField(choices=["positive", "negative", "neutral"])


class _Statistics(serializers.Serializer):
    average = serializers.FloatField(allow_null=True)
    median = serializers.FloatField(allow_null=True)
    min = serializers.FloatField(allow_null=True)
    max = serializers.FloatField(allow_null=True)
    std_deviation = serializers.FloatField(allow_null=True, help_text="Desviación estándar poblacional")
    goal_achievement_rate = serializers.FloatField(allow_null=True, help_text="% de días con registro dentro de la meta")


class TrendsOutput(serializers.Serializer):
    period = serializers.CharField()
    metric = serializers.CharField()
    data_points = _DataPoint(many=True)
    insights = _Insight(many=True)
    statistics = _Statistics()


class _PopularFood(serializers.Serializer):
    food_id = serializers.CharField()
    name = serializers.CharField()
    category = serializers.CharField(allow_null=True)
    consumption_count = serializers.IntegerField()
    total_calories = serializers.FloatField(allow_null=True)
    avg_portion_grams = serializers.FloatField(allow_null=True)
    frequency_per_week = serializers.FloatField()


class PopularFoodsOutput(serializers.Serializer):
    period = serializers.CharField()
    foods = _PopularFood(many=True)


class _WeightPoint(serializers.Serializer):
    date = serializers.DateField()
    weight_kg = serializers.FloatField()
    smoothed = serializers.FloatField(help_text="Media móvil centrada de 7 pesajes")


class WeightOutput(serializers.Serializer):
    period = serializers.CharField()
    points = _WeightPoint(many=True)
    change_kg = serializers.FloatField(allow_null=True, help_text="Último pesaje menos el primero del periodo")


class _MealAnalysis(serializers.Serializer):
    id = serializers.CharField(help_text="<fecha>:<tiempo de comida>")
    total_calories = serializers.FloatField(allow_null=True)
    foods_count = serializers.IntegerField()
    confidence_score = serializers.IntegerField(allow_null=True)
    meal_type = serializers.ChoiceField(choices=["breakfast", "lunch", "dinner", "snack"])
    meal = serializers.CharField()
    date = serializers.DateField()
    created_at = serializers.DateTimeField()
    foods_summary = serializers.ListField(child=serializers.CharField())


class HistoryOutput(serializers.Serializer):
    page = serializers.IntegerField()
    limit = serializers.IntegerField()
    total_pages = serializers.IntegerField()
    total_results = serializers.IntegerField()
    analyses = _MealAnalysis(many=True)


# ---------------------------------------------------------------------------------------
# views

_PERIOD = OpenApiParameter("period", str, enum=list(analytics.PERIODS), description="Por omisión 30d")


class DailySummaryView(AnalyticsApiView):
    @extend_schema(
        tags=TAGS,
        summary="Resumen nutricional diario",
        description=(
            "Un resumen por día (del más antiguo al más reciente) de los `days` días que terminan en `date`; "
            "los días sin registros aparecen en cero. Promedios sobre los días con registros."
        ),
        parameters=[
            OpenApiParameter("date", str, description="AAAA-MM-DD, por omisión hoy (no futura)"),
            OpenApiParameter("days", int, description="1–90, por omisión 7"),
        ],
        responses={200: DailySummaryOutput, **error_responses(400, 401, 429)},
    )
    def get(self, request):
        params = request.query_params
        return Response(analytics.daily_summary(user=request.user, date=params.get("date"), days=params.get("days")))


class TrendsView(AnalyticsApiView):
    @extend_schema(
        tags=TAGS,
        summary="Tendencias nutricionales",
        description=(
            "Un punto por día con registros del periodo, estadísticas sobre esos días y observaciones "
            "(tendencia de 2 semanas, días en meta, racha, proporción de proteína). Meta alcanzada: calorías "
            "±10 %, carbohidratos y grasa ±15 %, proteína desde 90 %."
        ),
        parameters=[
            _PERIOD,
            OpenApiParameter("metric", str, enum=list(analytics.METRICS), description="Por omisión calories"),
        ],
        responses={200: TrendsOutput, **error_responses(400, 401, 429)},
    )
    def get(self, request):
        params = request.query_params
        return Response(analytics.trends(user=request.user, period=params.get("period"), metric=params.get("metric")))


class PopularFoodsView(AnalyticsApiView):
    @extend_schema(
        tags=TAGS,
        summary="Alimentos más consumidos",
        description="Los 20 alimentos que más registraste en el periodo (sin registros rápidos).",
        parameters=[OpenApiParameter("period", str, enum=list(analytics.POPULAR_PERIODS), description="Por omisión 30d")],
        responses={200: PopularFoodsOutput, **error_responses(400, 401, 429)},
    )
    def get(self, request):
        return Response(analytics.popular_foods(user=request.user, period=request.query_params.get("period")))


class WeightTrendView(AnalyticsApiView):
    @extend_schema(
        tags=TAGS,
        summary="Tendencia de peso",
        description="Pesajes del periodo con una línea suavizada y el cambio del primero al último.",
        parameters=[_PERIOD],
        responses={200: WeightOutput, **error_responses(400, 401, 429)},
    )
    def get(self, request):
        return Response(analytics.weight_trend(user=request.user, period=request.query_params.get("period")))


class HistoryView(AnalyticsApiView):
    @extend_schema(
        tags=TAGS,
        summary="Historial de comidas",
        description=(
            "Cada elemento es una comida de un día (sus registros agrupados), de la más reciente a la más "
            "antigua. `meal_type=snack` incluye las dos colaciones."
        ),
        parameters=[
            OpenApiParameter("page", int, description="Por omisión 1"),
            OpenApiParameter("limit", int, description="1–100, por omisión 20"),
            OpenApiParameter("from_date", str, description="AAAA-MM-DD"),
            OpenApiParameter("to_date", str, description="AAAA-MM-DD"),
            OpenApiParameter("meal_type", str, enum=["breakfast", "lunch", "dinner", "snack"]),
        ],
        responses={200: HistoryOutput, **error_responses(400, 401, 429)},
    )
    def get(self, request):
        params = request.query_params
        return Response(
            analytics.meal_history(
                user=request.user,
                page=params.get("page"),
                limit=params.get("limit"),
                from_date=params.get("from_date"),
                to_date=params.get("to_date"),
                meal_type=params.get("meal_type"),
            )
        )
