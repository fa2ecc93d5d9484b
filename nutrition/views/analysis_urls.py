"""Meal photo pages under /nutricion/foto/ (namespace ``nutrition``)."""

from django.urls import path

from nutrition.views import analysis

urlpatterns = [
    path("", analysis.analysis_new, name="analysis_new"),
    path("<str:analysis_id>/", analysis.analysis_detail, name="analysis_detail"),
    path("<str:analysis_id>/alimento/<int:index>/", analysis.analysis_item, name="analysis_item"),
    path("<str:analysis_id>/registrar/", analysis.analysis_log, name="analysis_log"),
    path("<str:analysis_id>/imagen/", analysis.analysis_image, name="analysis_image"),
]
