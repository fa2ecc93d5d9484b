"""Resources, lead capture and cookie-choice URLs (included by ``content.urls``, namespace ``content``)."""

from django.urls import path

from content import views_resources as views

urlpatterns = [
    path("descargas/<str:token>/", views.resource_download, name="resource_download"),
    path("descargas/correo/<int:resource_id>/", views.resource_lead, name="resource_lead"),
    path("cookies/preferencia/", views.cookie_choice, name="cookie_choice"),
]
