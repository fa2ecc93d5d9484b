"""Pages of the social network: family circles, under /comunidad/circulos/."""

from django.urls import path

from social.views import circles as v

urlpatterns = [
    path("", v.circles, name="circles"),
    path("nuevo/", v.circle_create, name="circle_create"),
    path("<int:circle_id>/", v.circle, name="circle"),
    path("<int:circle_id>/invitacion/<str:answer>/", v.circle_invitation, name="circle_invitation"),
    path("<int:circle_id>/metas/", v.circle_goal_add, name="circle_goal_add"),
    path("<int:circle_id>/metas/<int:index>/cumplida/", v.circle_goal_done, name="circle_goal_done"),
    path("<int:circle_id>/metas/<int:index>/borrar/", v.circle_goal_delete, name="circle_goal_delete"),
    path("<int:circle_id>/recetas/", v.circle_recipe_add, name="circle_recipe_add"),
    path("<int:circle_id>/recetas/<int:recipe_id>/quitar/", v.circle_recipe_remove, name="circle_recipe_remove"),
    path("<int:circle_id>/animo/", v.circle_encourage, name="circle_encourage"),
    path("<int:circle_id>/salir/", v.circle_leave, name="circle_leave"),
    path("<int:circle_id>/ajustes/", v.circle_settings, name="circle_settings"),
    path("<int:circle_id>/ajustes/invitar/", v.circle_invite, name="circle_invite"),
    path("<int:circle_id>/ajustes/miembros/<int:user_id>/", v.circle_member_update, name="circle_member_update"),
    path("<int:circle_id>/ajustes/miembros/<int:user_id>/quitar/", v.circle_member_remove,
         name="circle_member_remove"),
    path("<int:circle_id>/eliminar/", v.circle_delete, name="circle_delete"),
]
