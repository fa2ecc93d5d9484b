"""Pages of the messages part: conversations under /consulta/mensajes/."""

from django.urls import path

from clinical.views import messages as v

urlpatterns = [
    path("mensajes/", v.messages_list, name="messages"),
    path("mensajes/<int:conversation_id>/", v.conversation_detail, name="conversation"),
    path("mensajes/<int:conversation_id>/imagen/<int:message_id>/", v.message_image, name="message_image"),
    path("pacientes/<int:patient_id>/mensajes/", v.conversation_with, name="conversation_with"),
]
