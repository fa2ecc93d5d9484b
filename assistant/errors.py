"""Domain errors with stable API codes (the API exception handler reads ``error_code``)."""

from django.core.exceptions import ObjectDoesNotExist
from django.utils.translation import gettext_lazy as _


class ConversationNotFound(ObjectDoesNotExist):
    error_code = "CONVERSATION_NOT_FOUND"

    def __init__(self, message=None):
        super().__init__(str(message or _("Conversación no encontrada.")))
