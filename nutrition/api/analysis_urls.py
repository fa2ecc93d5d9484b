from django.urls import path

from nutrition.api import analysis_views as v

urlpatterns = [
    path("analyze/image", v.AnalyzeImageView.as_view(), name="analyze-image"),
    path("analyze", v.AnalysisListView.as_view(), name="analyze-list"),
    path("analyze/<str:analysis_id>", v.AnalysisDetailView.as_view(), name="analyze-detail"),
    path("analyze/<str:analysis_id>/foods/<int:index>", v.AnalysisItemView.as_view(), name="analyze-item"),
    path("analyze/<str:analysis_id>/log", v.AnalysisLogView.as_view(), name="analyze-log"),
]
