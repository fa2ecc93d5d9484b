"""Pages of the social network: groups, under /comunidad/grupos/."""

from django.urls import path

from social.views import groups as v

urlpatterns = [
    path("", v.groups, name="groups"),
    path("nuevo/", v.group_create, name="group_create"),
    path("<slug:slug>/", v.group, name="group"),
    path("<slug:slug>/unirse/", v.group_join, name="group_join"),
    path("<slug:slug>/salir/", v.group_leave, name="group_leave"),
    path("<slug:slug>/invitacion/<str:answer>/", v.group_invitation, name="group_invitation"),
    path("<slug:slug>/avisos/", v.group_notify, name="group_notify"),
    path("<slug:slug>/miembros/", v.group_members, name="group_members"),
    path("<slug:slug>/miembros/invitar/", v.group_invite, name="group_invite"),
    path("<slug:slug>/miembros/<int:user_id>/rol/", v.group_member_role, name="group_member_role"),
    path("<slug:slug>/miembros/<int:user_id>/quitar/", v.group_member_remove, name="group_member_remove"),
    path("<slug:slug>/solicitudes/", v.group_requests, name="group_requests"),
    path("<slug:slug>/solicitudes/<int:user_id>/<str:decision>/", v.group_request_decide, name="group_request_decide"),
    path("<slug:slug>/publicaciones/<int:post_id>/<str:decision>/", v.group_post_decide, name="group_post_decide"),
    path("<slug:slug>/editar/", v.group_edit, name="group_edit"),
    path("<slug:slug>/eliminar/", v.group_delete, name="group_delete"),
    path("<slug:slug>/destacar/", v.group_feature, name="group_feature"),
]
