"""Pages of family circles (htmx) under /comunidad/circulos/: my circles and invitations,
create, a circle (members with roles and relationship, family goals, recipes, today's meals
when shared, the circle's feed with its composer, "give encouragement"), and the owner's
settings (privacy, invitations, permissions, removal, deletion).

Views parse input and call ``social.selectors.circles`` / ``social.services.circles``, the
same functions the API calls. A circle the viewer is not an active member of is a 404 page.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.middleware import redirect_page
from config.http import not_found_is_404
from social.models import CircleRole, PostType
from social.selectors import circles as selectors
from social.services import circles as services
from social.services.common import SocialRateLimited
from social.views.common import error_messages, is_htmx

T_LIST = "social/circles/list.html"
T_FORM = "social/circles/form.html"
T_DETAIL = "social/circles/detail.html"
T_SETTINGS = "social/circles/settings.html"
FEED_LIMIT = 20
PERMISSION_LABELS = (
    ("can_view_progress", gettext_lazy("Ver mi progreso")),
    ("can_view_meal_log", gettext_lazy("Ver mis comidas")),
    ("can_post", gettext_lazy("Publicar")),
    ("can_comment", gettext_lazy("Comentar")),
    ("can_give_encouragement", gettext_lazy("Mandar ánimos")),
)








def _errors_of(exc: ValidationError) -> dict:
    return exc.message_dict if hasattr(exc, "error_dict") else {"general": exc.messages}


def _perm_labels():
    return [(key, str(label)) for key, label in PERMISSION_LABELS]


# ---------------------------------------------------------------------------------------
# mine


@login_required
@require_GET
def circles(request):
    return render(request, T_LIST, {
        "circles": list(selectors.circle_list(user=request.user)),
        "invitations": list(selectors.circle_invitations(user=request.user)),
        "can_create": not services.is_nutritionist(request.user),
    })


@login_required
@require_http_methods(["GET", "POST"])
def circle_create(request):
    if services.is_nutritionist(request.user):
        messages.info(request, _("Los círculos familiares los crean los pacientes; tus pacientes te agregan al suyo."))
        return redirect_page(request, reverse("social:circles"))
    values = {"name": "", "description": "", "share_progress_automatically": True, "share_achievements": True,
              "share_meal_logs": False}
    errors = {}
    if request.method == "POST":
        values = {
            "name": request.POST.get("name", "")[:200],
            "description": request.POST.get("description", "")[:2000],
            **{k: bool(request.POST.get(k)) for k in services.PRIVACY},
        }
        try:
            circle = services.circle_create(actor=request.user, **values)
        except ValidationError as exc:
            errors = _errors_of(exc)
        except PermissionDenied as exc:
            errors = {"general": [str(exc)]}
        else:
            messages.success(request, _("Creamos tu círculo. Invita a tu familia desde Ajustes."))
            return redirect_page(request, reverse("social:circle", args=[circle.pk]))
    ctx = {"values": values, "errors": errors}
    template = f"{T_FORM}#form" if is_htmx(request) and request.method == "POST" else T_FORM
    return render(request, template, ctx, status=422 if errors else 200)


@login_required
@require_POST
@not_found_is_404
def circle_invitation(request, circle_id, answer):
    if answer not in ("aceptar", "rechazar"):
        raise Http404()
    accept = answer == "aceptar"
    services.circle_invitation_respond(actor=request.user, circle_id=circle_id, accept=accept)
    if accept:
        messages.success(request, _("¡Ya eres parte del círculo!"))
        return redirect_page(request, reverse("social:circle", args=[circle_id]))
    messages.success(request, _("Rechazaste la invitación."))
    return redirect_page(request, reverse("social:circles"))


# ---------------------------------------------------------------------------------------
# one circle


def _goals(circle) -> list[dict]:
    return [
        {"index": i, "title": g.get("title", ""), "target": g.get("target", ""), "done": bool(g.get("done")),
         "can_delete": circle.is_owner or g.get("added_by") == circle.me.user_id}
        for i, g in enumerate(circle.family_goals or [])
    ]


def _detail_context(request, circle, **extra) -> dict:
    from social.views.posts import reaction_choices

    feed = selectors.circle_feed(viewer=request.user, circle=circle, page=request.GET.get("page") or 1,
                                 limit=FEED_LIMIT)
    ctx = {
        "circle": circle,
        "members": list(selectors.circle_members(circle=circle)),
        "goals": _goals(circle),
        "recipes": list(selectors.circle_recipes(circle=circle)),
        "recipe_choices": selectors.recipe_choices(user=request.user),
        "meals": selectors.meal_share(circle=circle),
        "posts": feed.posts,
        "page_obj": feed,
        "reactions": reaction_choices(),
        "encouragements": list(services.ENCOURAGEMENTS.items()),
        "goal_errors": {},
        "recipe_error": "",
        "goal_values": {"title": "", "target": ""},
    }
    if circle.my_can_post:
        ctx.update(
            post_types=[(PostType.TEXT, _("Texto")), (PostType.PHOTO, _("Foto")), (PostType.PROGRESS, _("Progreso")),
                        (PostType.QUESTION, _("Pregunta")), (PostType.RECIPE, _("Receta"))],
            visibility_choices=[],
            next=reverse("social:circle", args=[circle.pk]),
        )
    ctx.update(extra)
    return ctx


@login_required
@require_GET
@not_found_is_404
def circle(request, circle_id):
    obj = selectors.circle_get(user=request.user, circle_id=circle_id)
    ctx = _detail_context(request, obj)
    if is_htmx(request) and request.htmx.target == "circle-feed-more":
        return render(request, f"{T_DETAIL}#feed-items", ctx)
    return render(request, T_DETAIL, ctx)


def _goals_answer(request, circle_id, *, goal_errors=None, goal_values=None, status=200):
    obj = selectors.circle_get(user=request.user, circle_id=circle_id)
    if is_htmx(request):
        ctx = {"circle": obj, "goals": _goals(obj), "goal_errors": goal_errors or {},
               "goal_values": goal_values or {"title": "", "target": ""}}
        return render(request, f"{T_DETAIL}#goals", ctx, status=status)
    if goal_errors:
        ctx = _detail_context(request, obj, goal_errors=goal_errors, goal_values=goal_values)
        return render(request, T_DETAIL, ctx, status=status)
    return redirect_page(request, reverse("social:circle", args=[obj.pk]) + "#metas")


@login_required
@require_POST
@not_found_is_404
def circle_goal_add(request, circle_id):
    values = {"title": request.POST.get("title", "")[:200], "target": request.POST.get("target", "")[:300]}
    try:
        services.circle_goal_add(actor=request.user, circle_id=circle_id, **values)
    except ValidationError as exc:
        return _goals_answer(request, circle_id, goal_errors=_errors_of(exc), goal_values=values, status=422)
    return _goals_answer(request, circle_id)


@login_required
@require_POST
@not_found_is_404
def circle_goal_done(request, circle_id, index):
    services.circle_goal_set_done(actor=request.user, circle_id=circle_id, index=index,
                                  done=request.POST.get("done") == "1")
    return _goals_answer(request, circle_id)


@login_required
@require_POST
@not_found_is_404
def circle_goal_delete(request, circle_id, index):
    try:
        services.circle_goal_delete(actor=request.user, circle_id=circle_id, index=index)
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    return _goals_answer(request, circle_id)


@login_required
@require_POST
@not_found_is_404
def circle_recipe_add(request, circle_id):
    recipe_id = (request.POST.get("recipe_id") or "").strip()[:140]
    try:
        services.circle_recipe_add(actor=request.user, circle_id=circle_id, recipe_id=recipe_id)
    except ValidationError as exc:
        messages.error(request, error_messages(exc)[0])
    else:
        messages.success(request, _("Agregamos la receta a la colección familiar."))
    return redirect_page(request, reverse("social:circle", args=[circle_id]) + "#recetas")


@login_required
@require_POST
@not_found_is_404
def circle_recipe_remove(request, circle_id, recipe_id):
    services.circle_recipe_remove(actor=request.user, circle_id=circle_id, recipe_id=recipe_id)
    messages.success(request, _("Quitamos la receta de la colección."))
    return redirect_page(request, reverse("social:circle", args=[circle_id]) + "#recetas")


@login_required
@require_POST
@not_found_is_404
def circle_encourage(request, circle_id):
    try:
        services.circle_encourage(actor=request.user, circle_id=circle_id,
                                  message=request.POST.get("message") or "tu_puedes")
    except (ValidationError, PermissionDenied, SocialRateLimited) as exc:
        text = error_messages(exc)[0] if isinstance(exc, ValidationError) else str(exc)
        messages.error(request, text)
        sent = False
    else:
        messages.success(request, _("¡Enviamos tu ánimo!"))
        sent = True
    if is_htmx(request):
        obj = selectors.circle_get(user=request.user, circle_id=circle_id)
        return render(request, f"{T_DETAIL}#encourage", {"circle": obj, "sent": sent,
                                                          "encouragements": list(services.ENCOURAGEMENTS.items())})
    return redirect_page(request, reverse("social:circle", args=[circle_id]))


@login_required
@require_POST
@not_found_is_404
def circle_leave(request, circle_id):
    try:
        services.circle_member_remove(actor=request.user, circle_id=circle_id, user_id=request.user.pk)
    except ValidationError as exc:
        messages.error(request, error_messages(exc)[0])
        return redirect_page(request, reverse("social:circle", args=[circle_id]))
    messages.success(request, _("Saliste del círculo."))
    return redirect_page(request, reverse("social:circles"))


# ---------------------------------------------------------------------------------------
# the owner's settings


def _with_perm_rows(member):
    member.perm_rows = [(key, label, getattr(member, key)) for key, label in _perm_labels()]
    return member


def _settings_context(request, circle, **extra) -> dict:
    ctx = {
        "circle": circle,
        "members": [_with_perm_rows(m) for m in selectors.circle_members(circle=circle, include_invited=True)],
        "perm_labels": _perm_labels(),
        "roles": [(CircleRole.FAMILY_MEMBER, CircleRole.FAMILY_MEMBER.label),
                  (CircleRole.SUPPORT_FRIEND, CircleRole.SUPPORT_FRIEND.label)],
        "errors": {},
        "invite_errors": {},
        "invite_values": {"username": "", "relationship": "", "role": CircleRole.FAMILY_MEMBER},
        "values": {"name": circle.name, "description": circle.description,
                   **{k: getattr(circle, k) for k in services.PRIVACY}},
    }
    ctx.update(extra)
    return ctx


@login_required
@require_http_methods(["GET", "POST"])
@not_found_is_404
def circle_settings(request, circle_id):
    obj = selectors.circle_owner_get(user=request.user, circle_id=circle_id)
    if request.method == "POST":
        values = {
            "name": request.POST.get("name", "")[:200],
            "description": request.POST.get("description", "")[:2000],
            **{k: bool(request.POST.get(k)) for k in services.PRIVACY},
        }
        try:
            services.circle_update(actor=request.user, circle_id=obj.pk, data=values)
        except ValidationError as exc:
            ctx = _settings_context(request, obj, errors=_errors_of(exc), values=values)
            template = f"{T_SETTINGS}#settings" if is_htmx(request) else T_SETTINGS
            return render(request, template, ctx, status=422)
        messages.success(request, _("Guardamos los ajustes del círculo."))
        return redirect_page(request, reverse("social:circle_settings", args=[obj.pk]))
    return render(request, T_SETTINGS, _settings_context(request, obj))


@login_required
@require_POST
@not_found_is_404
def circle_invite(request, circle_id):
    obj = selectors.circle_owner_get(user=request.user, circle_id=circle_id)
    values = {
        "username": request.POST.get("username", "")[:40],
        "relationship": request.POST.get("relationship", "")[:100],
        "role": request.POST.get("role") or CircleRole.FAMILY_MEMBER,
    }
    perms = {key: bool(request.POST.get(key)) for key in selectors.PERMISSIONS}
    try:
        services.circle_invite(actor=request.user, circle_id=obj.pk, permissions=perms, **values)
    except ValidationError as exc:
        ctx = _settings_context(request, obj, invite_errors=_errors_of(exc), invite_values=values)
        template = f"{T_SETTINGS}#invite" if is_htmx(request) else T_SETTINGS
        return render(request, template, ctx, status=422)
    messages.success(request, _("Enviamos la invitación a @%(u)s.") % {"u": values["username"].strip().lstrip("@").lower()})
    return redirect_page(request, reverse("social:circle_settings", args=[obj.pk]))


@login_required
@require_POST
@not_found_is_404
def circle_member_update(request, circle_id, user_id):
    obj = selectors.circle_owner_get(user=request.user, circle_id=circle_id)
    data = {key: bool(request.POST.get(key)) for key in selectors.PERMISSIONS}
    if "relationship" in request.POST:
        data["relationship"] = request.POST.get("relationship", "")[:100]
    error = ""
    try:
        member = services.circle_member_update(actor=request.user, circle_id=obj.pk, user_id=user_id, data=data)
    except ValidationError as exc:
        error = error_messages(exc)[0]
        member = selectors.circle_members(circle=obj, include_invited=True).filter(user_id=user_id).first()
        if member is None:
            raise Http404()
    else:
        messages.success(request, _("Guardamos los permisos."))
    if is_htmx(request):
        ctx = {**_settings_context(request, obj), "m": _with_perm_rows(member), "row_error": error}
        return render(request, f"{T_SETTINGS}#member", ctx, status=422 if error else 200)
    if error:
        messages.error(request, error)
    return redirect_page(request, reverse("social:circle_settings", args=[obj.pk]))


@login_required
@require_POST
@not_found_is_404
def circle_member_remove(request, circle_id, user_id):
    obj = selectors.circle_owner_get(user=request.user, circle_id=circle_id)
    try:
        services.circle_member_remove(actor=request.user, circle_id=obj.pk, user_id=user_id)
    except ValidationError as exc:
        messages.error(request, error_messages(exc)[0])
    else:
        messages.success(request, _("Quitamos a la persona del círculo."))
    return redirect_page(request, reverse("social:circle_settings", args=[obj.pk]))


@login_required
@require_POST
@not_found_is_404
def circle_delete(request, circle_id):
    services.circle_delete(actor=request.user, circle_id=circle_id)
    messages.success(request, _("Eliminamos el círculo."))
    return redirect_page(request, reverse("social:circles"))
