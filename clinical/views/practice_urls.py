"""Pages of the practice part (namespace ``clinical``, under /consulta/)."""

from django.urls import path

from clinical.views import practice as v

urlpatterns = [
    path("nutriologos/", v.directory, name="directory"),
    path("nutriologos/<slug:slug>/", v.nutritionist_public, name="nutritionist_public"),
    path("nutriologos/<slug:slug>/solicitar/", v.care_request, name="care_request"),
    path("mi-perfil-profesional/", v.practice_profile, name="practice_profile"),
    path("mi-perfil-profesional/comprobante/", v.practice_license, name="practice_license"),
    path("verificaciones/", v.verification_queue, name="verification_queue"),
    path("verificaciones/<int:profile_id>/comprobante/", v.verification_license, name="verification_license"),
    path("verificaciones/<int:profile_id>/verificar/", v.verification_verify, name="verification_verify"),
    path("verificaciones/<int:profile_id>/rechazar/", v.verification_reject, name="verification_reject"),
    path("mi-nutriologo/", v.my_care, name="my_care"),
    path("atencion/<int:relationship_id>/aceptar/", v.care_accept, name="care_accept"),
    path("atencion/<int:relationship_id>/rechazar/", v.care_decline, name="care_decline"),
    path("atencion/<int:relationship_id>/terminar/", v.care_end, name="care_end"),
    path("atencion/<int:relationship_id>/permisos/", v.care_consent, name="care_consent"),
    path("pacientes/invitar/", v.care_invite, name="care_invite"),
    path("invitacion/<str:token>/", v.invitation, name="invitation"),
]
