"""The search page (htmx): /comunidad/buscar/?q=&tipo=publicaciones|etiquetas|personas.

One page with three tabs; typing or switching tab swaps only the results panel (htmx), and
the URL is pushed so a search can be shared or reloaded. Everything comes from
``social.selectors.search`` (the API calls the same selectors).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from social import rules
from social.models import REACTION_EMOJI, ReactionType
from social.selectors import search as selectors

TEMPLATE = "social/search/search.html"
PER_PAGE = 10
TABS = [
    ("publicaciones", _("Publicaciones"), "message"),
    ("etiquetas", _("Etiquetas"), "bookmark"),
    ("personas", _("Personas"), "users"),
]
CARD_TEMPLATE = "social/partials/post_card.html"


def _cards_available() -> bool:
    try:
        get_template(CARD_TEMPLATE)
    except TemplateDoesNotExist:
        return False
    return True


@login_required
def search(request):
    q = " ".join(request.GET.get("q", "").split())[: selectors.MAX_Q + 1]
    tipo = request.GET.get("tipo", "publicaciones")
    if tipo not in {t for t, _l, _i in TABS}:
        tipo = "publicaciones"
    page = request.GET.get("page", 1)
    context = {
        "q": q,
        "tipo": tipo,
        "tabs": [{"key": key, "label": label, "icon": icon, "query": urlencode({"q": q, "tipo": key})}
                 for key, label, icon in TABS],
        "result": None,
        "error": "",
        "use_cards": False,
    }
    if q:
        try:
            if tipo == "publicaciones":
                context["result"] = selectors.search_posts(viewer=request.user, q=q, page=page, limit=PER_PAGE)
                context["use_cards"] = _cards_available()
                context["reactions"] = [(t, REACTION_EMOJI[t], label) for t, label in ReactionType.choices]
                context["following"] = rules.audience_for(request.user).following
            elif tipo == "etiquetas":
                context["result"] = selectors.search_tags(q, page=page, limit=PER_PAGE)
            else:
                context["result"] = selectors.search_people(viewer=request.user, q=q, page=page, limit=PER_PAGE)
                context["following"] = rules.audience_for(request.user).following
        except ValidationError as exc:
            context["error"] = exc.messages[0]
    if context["result"] is not None:
        context["more_query"] = urlencode({"q": q, "tipo": tipo, "page": context["result"].next_page})
    template = TEMPLATE
    if getattr(request, "htmx", False) and request.htmx.target in ("search-panel", "search-more"):
        template += "#items" if request.htmx.target == "search-more" else "#panel"
    return render(request, template, context)
