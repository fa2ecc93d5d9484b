"""Pages of the plans part (namespace ``clinical``, under /consulta/)."""

from django.urls import path

from clinical.views import generator as g
from clinical.views import plans as v

urlpatterns = [
    path("planes/", v.plans_page, name="plans"),
    path("planes/generar/", g.generator_page, name="generator"),
    path("planes/generados/<int:plan_id>/", g.generator_result, name="generator_result"),
    path("planes/generados/<int:plan_id>/pdf/", g.generator_pdf, name="generator_pdf"),
    path("planes/generados/<int:plan_id>/adoptar/", g.generator_adopt, name="generator_adopt"),
    path("planes/<int:plan_id>/", v.plan_builder, name="plan_builder"),
    path("planes/<int:plan_id>/buscar/", v.plan_food_search, name="plan_food_search"),
    path("planes/<int:plan_id>/editar/", v.plan_edit, name="plan_edit"),
    path("planes/<int:plan_id>/eliminar/", v.plan_delete, name="plan_delete"),
    path("planes/<int:plan_id>/clonar/", v.plan_clone, name="plan_clone"),
    path("planes/<int:plan_id>/asignar/", v.plan_assign, name="plan_assign"),
    path("planes/<int:plan_id>/archivar/", v.plan_archive, name="plan_archive"),
    path("planes/<int:plan_id>/copiar-dia/", v.plan_day_copy, name="plan_day_copy"),
    path("planes/<int:plan_id>/vaciar-dia/", v.plan_day_clear, name="plan_day_clear"),
    path("planes/<int:plan_id>/items/", v.plan_item_add, name="plan_item_add"),
    path("planes/<int:plan_id>/items/<int:item_id>/", v.plan_item_edit, name="plan_item_edit"),
    path("planes/<int:plan_id>/items/<int:item_id>/eliminar/", v.plan_item_remove, name="plan_item_remove"),
    path("planes/<int:plan_id>/pdf/", v.plan_pdf, name="plan_pdf"),
    path("pacientes/<int:patient_id>/plan/", v.patient_plans, name="patient_plans"),
    path("mi-plan/", v.today_plan, name="today_plan"),
    path("mi-plan/items/<int:item_id>/registrar/", v.my_plan_item_log, name="my_plan_item_log"),
    path("mi-plan/items/<int:item_id>/deshacer/", v.my_plan_item_unlog, name="my_plan_item_unlog"),
    path("mi-plan/comidas/<str:meal>/registrar/", v.my_plan_meal_log, name="my_plan_meal_log"),
]
