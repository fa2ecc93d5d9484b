"""Analytics API (seed 003 paths, no trailing slash) and the meal history."""

from django.urls import path

from nutrition.api import analytics_views as v

urlpatterns = [
    path("analytics/daily-summary", v.DailySummaryView.as_view(), name="analytics-daily-summary"),
    path("analytics/trends", v.TrendsView.as_view(), name="analytics-trends"),
    path("analytics/popular-foods", v.PopularFoodsView.as_view(), name="analytics-popular-foods"),
    path("analytics/weight", v.WeightTrendView.as_view(), name="analytics-weight"),
    path("users/history", v.HistoryView.as_view(), name="users-history"),
]
