from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssistantConfig(AppConfig):
    """The nutrition chatbot, grounded in the published blog, resources and recipes."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "assistant"
    verbose_name = _("Asistente")

    def ready(self):
        from assistant.indexing import connect_signals

        connect_signals()
