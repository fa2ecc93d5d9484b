"""Diary, targets and food pages under /nutricion/ (namespace ``nutrition``)."""

from django.urls import path

from nutrition.views import diary, foods

urlpatterns = [
    path("", diary.diary_today, name="diary"),
    path("dia/<str:day>/", diary.diary_day_page, name="diary_day"),
    path("dia/<str:day>/agregar/", diary.diary_add, name="diary_add"),
    path("buscar/", diary.food_search_results, name="food_search"),
    path("vista-previa/", diary.entry_preview, name="entry_preview"),
    path("entrada/nueva/", diary.entry_add, name="entry_add"),
    path("registro-rapido/", diary.quick_add, name="quick_add"),
    path("entrada/<int:entry_id>/editar/", diary.entry_edit, name="entry_edit"),
    path("entrada/<int:entry_id>/mover/", diary.entry_move, name="entry_move"),
    path("entrada/<int:entry_id>/eliminar/", diary.entry_delete, name="entry_delete"),
    path("copiar/", diary.diary_copy, name="diary_copy"),
    path("agua/", diary.water_add, name="water_add"),
    path("agua/<int:log_id>/eliminar/", diary.water_delete, name="water_delete"),
    path("peso/", diary.weight_set, name="weight_set"),
    path("ejercicio/", diary.exercise_add, name="exercise_add"),
    path("ejercicio/vista-previa/", diary.exercise_preview, name="exercise_preview"),
    path("ejercicio/<int:log_id>/eliminar/", diary.exercise_delete, name="exercise_delete"),
    path("semana/", diary.diary_week_page, name="diary_week_current"),
    path("semana/<str:day>/", diary.diary_week_page, name="diary_week"),
    path("metas/", diary.targets_page, name="targets"),
    path("alimentos/nuevo/", foods.food_create, name="food_create"),
    path("alimentos/<int:food_id>/", foods.food_detail, name="food_detail"),
    path("alimentos/<int:food_id>/editar/", foods.food_edit, name="food_edit"),
    path("alimentos/<int:food_id>/eliminar/", foods.food_delete, name="food_delete"),
    path("mis-alimentos/", foods.my_foods, name="my_foods"),
]
