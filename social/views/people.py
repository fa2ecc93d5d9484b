"""Pages about people: a public profile with posts and achievements, followers and
following lists, and the follow / block / mute buttons (htmx)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from social import rules
from social.selectors import posts as selectors
from social.services import people as services
from social.services.common import SocialRateLimited
from social.views.common import is_htmx
from social.views.posts import reaction_choices

ACTIONS = {
    "seguir": services.follow,
    "dejar-de-seguir": services.unfollow,
    "bloquear": services.block,
    "desbloquear": services.unblock,
    "silenciar": services.mute,
    "quitar-silencio": services.unmute,
}
DONE = {
    "seguir": _("Ahora sigues a @%(u)s."),
    "dejar-de-seguir": _("Dejaste de seguir a @%(u)s."),
    "bloquear": _("Bloqueaste a @%(u)s. Ninguno verá lo del otro."),
    "desbloquear": _("Desbloqueaste a @%(u)s."),
    "silenciar": _("Silenciaste a @%(u)s: sus publicaciones ya no aparecen en tu inicio."),
    "quitar-silencio": _("@%(u)s ya no está silenciado(a)."),
}


def _profile_or_404(request, username):
    try:
        return selectors.profile_get(viewer=request.user, username=username)
    except ObjectDoesNotExist as exc:
        raise Http404() from exc


@require_GET
def profile(request, username):
    audience = rules.audience_for(request.user)
    try:
        view = selectors.profile_get(viewer=request.user, username=username, audience=audience)
    except ObjectDoesNotExist as exc:
        raise Http404() from exc
    result = selectors.profile_posts(viewer=request.user, user=view.user, page=request.GET.get("page", 1), limit=10,
                                     audience=audience)
    ctx = {
        "p": view, "posts": result.posts, "page_obj": result, "reactions": reaction_choices(),
        "empty_title": _("Todavía no hay publicaciones") if view.is_me else
        str(_("%(name)s aún no ha publicado nada que puedas ver.")) % {"name": view.user.first_name or view.user.username},
        "empty_text": _("Comparte tu primer avance desde la Comunidad.") if view.is_me else "",
    }
    if is_htmx(request) and request.GET.get("page"):
        return render(request, "social/feed.html#feed-items", ctx)
    return render(request, "social/profile.html", ctx)


@require_GET
def people_list(request, username, direction):
    view = _profile_or_404(request, username)
    users, total = selectors.follow_list(viewer=request.user, user=view.user, direction=direction,
                                         page=request.GET.get("page", 1))
    return render(request, "social/people_list.html", {"p": view, "people": users, "total": total, "direction": direction})


@login_required
@require_POST
def relationship(request, username, action):
    func = ACTIONS.get(action)
    if func is None:
        raise Http404()
    try:
        func(actor=request.user, username=username)
    except ObjectDoesNotExist as exc:
        raise Http404() from exc
    except SocialRateLimited as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, str(DONE[action]) % {"u": username})
    if is_htmx(request) and action in ("seguir", "dejar-de-seguir"):
        view = _profile_or_404(request, username)
        return render(request, "social/profile.html#follow-area", {"p": view})
    if action == "bloquear":
        return redirect("social:feed")
    return redirect("social:profile", username)
