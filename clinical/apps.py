from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClinicalConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "clinical"
    verbose_name = _("Consulta")

    def ready(self):
        from clinical.rules import nutrition_delegate
        from nutrition.access import register_delegate

        register_delegate(nutrition_delegate)

        # Home-page sections and websocket handlers register themselves on import.
        from clinical import consumers, home_plans, home_practice  # noqa: F401
