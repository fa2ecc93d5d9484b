from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("cuenta/perfil/", views.profile, name="profile"),
    path("cuenta/notificaciones/", views.notifications, name="notifications"),
    path("cuenta/consentimiento/", views.consent, name="consent"),
]

# Unnamespaced names used across the project.
root_patterns = [
    path("", views.landing, name="landing"),
    path("inicio/", views.home, name="home"),
]
