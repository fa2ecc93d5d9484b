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

        # AI usage is attributed to the nutritionist of a patient in open care.
        from clinical.selectors.care import care_nutritionist_for
        from integrations.ai import register_practice_resolver

        register_practice_resolver(care_nutritionist_for)

        # Home-page sections and websocket handlers register themselves on import.
        from clinical import consumers, home_plans, home_practice  # noqa: F401
