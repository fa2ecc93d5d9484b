"""Workout pages under /entrenamiento/ (namespace ``fitness``)."""

from django.urls import path

from fitness import views as v

app_name = "fitness"

urlpatterns = [
    path("", v.plan_list_page, name="plans"),
    path("nuevo/", v.plan_new_page, name="plan_new"),
    path("<int:plan_id>/", v.plan_detail_page, name="plan_detail"),
    path("<int:plan_id>/eliminar/", v.plan_delete_page, name="plan_delete"),
    path("<int:plan_id>/sesiones/<int:session_id>/registrar/", v.session_log_page, name="session_log"),
]
