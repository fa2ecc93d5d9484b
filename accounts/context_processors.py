"""Context for the base layout: navigation by role and the unread badge."""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _


def _nav_for(user) -> list[dict]:
    """Main navigation entries for this person's roles. Later apps add theirs here."""
    # "tab": shown in the phone's bottom tab bar too (five at most, so the labels fit).
    # "tab": also in the phone's bottom tab bar (five at most, so the labels fit).
    # "top": False keeps an entry out of the desktop top bar; "menu": also in the account menu,
    # which is how a phone reaches entries that are not tabs.
    items = [{"label": _("Inicio"), "url": "home", "icon": "home", "tab": True}]
    if user.has_role("nutritionist"):
        # The practice first; their own diary stays reachable from the account menu.
        items.append({"label": _("Pacientes"), "url": "clinical:roster", "icon": "users", "tab": True})
        items.append({"label": _("Planes"), "url": "clinical:plans", "icon": "clipboard", "tab": True})
        items.append({"label": _("Mensajes"), "url": "clinical:messages", "icon": "message", "tab": True})
        items.append({"label": _("Comunidad"), "url": "social:feed", "icon": "users", "menu": True})
        items.append({"label": _("Mi diario"), "url": "nutrition:diary", "icon": "utensils", "top": False, "menu": True})
        items.append({"label": _("Recetas"), "url": "nutrition:recipes", "icon": "book", "top": False, "menu": True})
        items.append({"label": _("Mi progreso"), "url": "nutrition:progress", "icon": "chart", "top": False, "menu": True})
        items.append({"label": _("Plan automático"), "url": "clinical:generator", "icon": "sparkle", "top": False, "menu": True})
    else:
        items.append({"label": _("Diario"), "url": "nutrition:diary", "icon": "utensils", "tab": True})
        items.append({"label": _("Comunidad"), "url": "social:feed", "icon": "users", "tab": True})
        items.append({"label": _("Recetas"), "url": "nutrition:recipes", "icon": "book", "menu": True})
        items.append({"label": _("Progreso"), "url": "nutrition:progress", "icon": "chart", "tab": True})
        items.append({"label": _("Mi nutriólogo"), "url": "clinical:my_care", "icon": "stethoscope", "menu": True})
        items.append({"label": _("Mensajes"), "url": "clinical:messages", "icon": "message", "menu": True})
        items.append({"label": _("Foto de comida"), "url": "nutrition:analysis_new", "icon": "camera", "top": False, "menu": True})
        items.append({"label": _("Escanear etiqueta"), "url": "nutrition:labels", "icon": "clipboard", "top": False, "menu": True})
        items.append({"label": _("Plan automático"), "url": "clinical:generator", "icon": "sparkle", "top": False, "menu": True})
        items.append({"label": _("Entrenamiento"), "url": "fitness:plans", "icon": "activity", "top": False, "menu": True})
    # Both roles: the assistant (integrators find webhooks on the security page).
    items.append({"label": _("Asistente"), "url": "assistant:home", "icon": "sparkle", "top": False, "menu": True})
    if user.is_staff:
        items.append({"label": _("Verificaciones"), "url": "clinical:verification_queue", "icon": "shield", "menu": True})
        items.append({"label": _("Moderación"), "url": "social:moderation", "icon": "shield", "menu": True})
        items.append({"label": _("Uso de IA"), "url": "integrations:ai_usage", "icon": "chart", "top": False, "menu": True})
    items.append({"label": _("Notificaciones"), "url": "accounts:notifications", "icon": "bell", "badge": True, "top": False})
    items.append({"label": _("Perfil"), "url": "accounts:profile", "icon": "user", "tab": True, "top": False})
    resolved = []
    for item in items:
        try:
            href = reverse(item["url"]) + item.get("anchor", "")
        except NoReverseMatch:
            continue
        resolved.append({**item, "href": href})
    return resolved


def shell(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "unread_notifications": 0}
    from accounts.selectors import notification_unread_count

    return {
        "nav_items": _nav_for(user),
        "unread_notifications": notification_unread_count(user=user),
    }
