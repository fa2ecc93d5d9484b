"""Domain errors with stable API codes (the API exception handler reads ``error_code``)."""

from django.core.exceptions import ObjectDoesNotExist
from django.utils.translation import gettext_lazy as _


class WorkoutPlanNotFound(ObjectDoesNotExist):
    error_code = "WORKOUT_PLAN_NOT_FOUND"

    def __init__(self, message=None):
        super().__init__(str(message or _("Plan de entrenamiento no encontrado.")))


class WorkoutSessionNotFound(ObjectDoesNotExist):
    error_code = "WORKOUT_SESSION_NOT_FOUND"

    def __init__(self, message=None):
        super().__init__(str(message or _("Sesión de entrenamiento no encontrada en este plan.")))
