from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FitnessConfig(AppConfig):
    """Workout plans: a shipped exercise catalogue with MET values, weekly plans by goal,
    level, days and equipment; logged sessions feed nutrition's exercise log."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "fitness"
    verbose_name = _("Entrenamiento")
