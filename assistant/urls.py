"""Pages of the chatbot under /asistente/."""

from django.urls import path

from assistant import views as v

app_name = "assistant"

urlpatterns = [
    path("", v.assistant_home, name="home"),
    path("preguntar/", v.ask, name="ask"),
    path("eliminar-todas/", v.conversation_delete_all, name="delete_all"),
    path("<int:conversation_id>/", v.conversation_page, name="conversation"),
    path("<int:conversation_id>/eliminar/", v.conversation_delete, name="delete"),
]
