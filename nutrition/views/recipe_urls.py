"""Recipe pages under /nutricion/recetas/ (namespace ``nutrition``)."""

from django.urls import path

from nutrition.views import recipes as v

urlpatterns = [
    path("", v.recipe_list_page, name="recipes"),
    path("nueva/", v.recipe_create_page, name="recipe_create"),
    path("ingrediente/fila/", v.ingredient_row, name="recipe_ingredient_row"),
    path("ingrediente/buscar/", v.ingredient_search, name="recipe_ingredient_search"),
    path("ingrediente/elegir/", v.ingredient_pick, name="recipe_ingredient_pick"),
    path("paso/fila/", v.step_row, name="recipe_step_row"),
    path("<slug:slug>/", v.recipe_detail_page, name="recipe_detail"),
    path("<slug:slug>/editar/", v.recipe_edit_page, name="recipe_edit"),
    path("<slug:slug>/eliminar/", v.recipe_delete_page, name="recipe_delete"),
    path("<slug:slug>/calificar/", v.recipe_rate_page, name="recipe_rate"),
    path("<slug:slug>/guardar/", v.recipe_save_page, name="recipe_save"),
    path("<slug:slug>/preparada/", v.recipe_tried_page, name="recipe_tried"),
    path("<slug:slug>/registrar/", v.recipe_log_page, name="recipe_log"),
    path("<slug:slug>/verificar/", v.recipe_verify_page, name="recipe_verify"),
    path("<slug:slug>/moderar/", v.recipe_moderate_page, name="recipe_moderate"),
]
