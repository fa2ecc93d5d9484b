from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("cuenta/perfil/", views.profile, name="profile"),
    path("cuenta/perfil/validar/<slug:field>/", views.profile_validate, name="profile_validate"),
    path("cuenta/perfil/foto/", views.profile_photo, name="profile_photo"),
    path("cuenta/seguridad/", views.security, name="security"),
    path("cuenta/seguridad/marketing/", views.security_marketing, name="security_marketing"),
    path("cuenta/seguridad/notificaciones/", views.security_notifications, name="security_notifications"),
    path("cuenta/seguridad/eliminar/", views.account_delete, name="account_delete"),
    path("cuenta/notificaciones/", views.notifications, name="notifications"),
    path("cuenta/notificaciones/leer-todas/", views.notifications_read_all, name="notifications_read_all"),
    path("cuenta/notificaciones/<int:notification_id>/", views.notification_row, name="notification_row"),
    path(
        "cuenta/notificaciones/<int:notification_id>/leer/", views.notification_read, name="notification_read"
    ),
    path(
        "cuenta/notificaciones/<int:notification_id>/abrir/",
        views.notification_open,
        name="notification_open",
    ),
    path("cuenta/consentimiento/", views.consent, name="consent"),
    path("legal/privacidad/", views.legal_privacy, name="privacy"),
    path("legal/terminos/", views.legal_terms, name="terms"),
]

# Unnamespaced names used across the project.
root_patterns = [
    path("inicio/", views.home, name="home"),
]
