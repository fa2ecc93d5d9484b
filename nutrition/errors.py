"""Domain errors with stable API codes (the API exception handler reads ``error_code``)."""

from django.core.exceptions import ObjectDoesNotExist
from django.utils.translation import gettext_lazy as _


class FoodNotFound(ObjectDoesNotExist):
    error_code = "FOOD_NOT_FOUND"

    def __init__(self, message=None):
        super().__init__(str(message or _("Alimento no encontrado en la base de datos.")))


class RecipeNotFound(ObjectDoesNotExist):
    error_code = "RECIPE_NOT_FOUND"

    def __init__(self, message=None):
        super().__init__(str(message or _("Receta no encontrada.")))
