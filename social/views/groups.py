"""Pages of groups (htmx) under /comunidad/grupos/: discover and mine, create, a group (about,
rules, join button and its states, composer, feed), members (roles, removal, invitations),
the moderators' queue (join requests and posts to approve), settings and deletion.

Views parse input and call ``social.selectors.groups`` / ``social.services.groups``, the same
functions the API calls. A group the viewer may not see (a private one, unless invited or a
member) is a 404 page. For htmx, only the ``{% partialdef %}`` that changed comes back.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.middleware import redirect_page
from accounts.models import MexicanState
from config.http import not_found_is_404
from social.models import GroupCategory, GroupNotify, GroupRole, GroupType, PostType, WhoCanPost
from social.selectors import groups as selectors
from social.services import groups as services
from social.services.common import SocialRateLimited
from social.views.common import error_messages, is_htmx

T_LIST = "social/groups/list.html"
T_FORM = "social/groups/form.html"
T_DETAIL = "social/groups/detail.html"
T_MEMBERS = "social/groups/members.html"
T_REQUESTS = "social/groups/requests.html"
FEED_LIMIT = 20








def _reactions():
    from social.views.posts import reaction_choices

    return reaction_choices()


def _composer(group) -> dict:
    return {
        "post_types": [(PostType.TEXT, _("Texto")), (PostType.PHOTO, _("Foto")), (PostType.QUESTION, _("Pregunta")),
                       (PostType.PROGRESS, _("Progreso")), (PostType.RECIPE, _("Receta"))],
        "visibility_choices": [],
        "group": group,
        "next": reverse("social:group", args=[group.slug]),
    }


# ---------------------------------------------------------------------------------------
# forms: they render fields and collect raw input; the rules live in the services


class GroupForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Nombre del grupo"), max_length=120)
    description = forms.CharField(label=gettext_lazy("Descripción"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 4, "maxlength": 2000}))
    cover_image = forms.FileField(label=gettext_lazy("Portada (JPG, PNG o WEBP)"), required=False,
                                  widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}))
    type = forms.ChoiceField(label=gettext_lazy("Quién puede entrar"), choices=GroupType.choices)
    category = forms.ChoiceField(label=gettext_lazy("Categoría"), choices=GroupCategory.choices,
                                 initial=GroupCategory.OTHER)
    rules = forms.CharField(label=gettext_lazy("Reglas"), required=False,
                            widget=forms.Textarea(attrs={"rows": 4}),
                            help_text=gettext_lazy("Una por renglón: «Título: descripción». Ej.: Respeto mutuo: sin burlas."))
    who_can_post = forms.ChoiceField(label=gettext_lazy("Quién publica"), choices=WhoCanPost.choices)
    require_post_approval = forms.BooleanField(label=gettext_lazy("Aprobar las publicaciones de los miembros antes de mostrarlas"),
                                               required=False)
    join_questions = forms.CharField(
        label=gettext_lazy("Preguntas para unirse (grupos cerrados)"), required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Una por renglón; termina con * las obligatorias. Ej.: ¿Cuál es tu meta? *"),
    )
    tags = forms.CharField(label=gettext_lazy("Etiquetas"), required=False,
                           help_text=gettext_lazy("Separadas por comas: diabetes, recetas"))
    state = forms.ChoiceField(label=gettext_lazy("Estado"), required=False,
                              choices=[("", "—"), *MexicanState.choices])
    city = forms.CharField(label=gettext_lazy("Ciudad"), required=False, max_length=100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if not isinstance(field.widget, (forms.CheckboxInput, forms.ClearableFileInput)):
                field.widget.attrs.setdefault("class", "input")

    @classmethod
    def initial_for(cls, group) -> dict:
        rules_text = "\n".join(
            f"{r['title']}: {r['description']}" if r.get("description") else r["title"] for r in group.rules or []
        )
        questions = "\n".join(f"{q['question']}{' *' if q.get('required') else ''}" for q in group.join_questions or [])
        return {
            "name": group.name, "description": group.description, "type": group.type, "category": group.category,
            "rules": rules_text, "who_can_post": group.who_can_post,
            "require_post_approval": group.require_post_approval, "join_questions": questions,
            "tags": ", ".join(group.tags or []), "state": group.state, "city": group.city,
        }

    def service_data(self) -> dict:
        raw = self.data
        return {
            "name": raw.get("name", ""), "description": raw.get("description", ""), "type": raw.get("type", ""),
            "category": raw.get("category", ""), "rules": raw.get("rules", ""),
            "who_can_post": raw.get("who_can_post", ""),
            "require_post_approval": bool(raw.get("require_post_approval")),
            "join_questions": raw.get("join_questions", ""), "tags": raw.get("tags", ""),
            "state": raw.get("state", ""), "city": raw.get("city", ""),
        }


def _errors_apply(form: forms.Form, exc: ValidationError) -> None:
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    for key, msgs in errors.items():
        target = key if key in form.fields else None
        for msg in msgs:
            form.add_error(target, msg)


# ---------------------------------------------------------------------------------------
# discover


@login_required
@require_GET
def groups(request):
    filters = selectors.group_filters_clean(request.GET)
    qs = selectors.group_list(user=request.user, **filters)
    page_obj = Paginator(qs, selectors.PAGE_SIZE).get_page(request.GET.get("page"))
    roles = selectors.my_roles(user=request.user, group_ids=[g.pk for g in page_obj])
    rows = [{"group": g, "role": roles.get(g.pk)} for g in page_obj]
    query = urlencode([(k, v) for k, v in request.GET.items() if k != "page" and v])
    ctx = {
        "filters": filters,
        "page_obj": page_obj,
        "rows": rows,
        "query": query,
        "categories": GroupCategory.choices,
        "types": GroupType.choices,
        "states": MexicanState.choices,
        "states_map": dict(MexicanState.choices),
        "searching": any(filters[k] for k in ("q", "category", "type", "state", "mine", "near")),
    }
    if is_htmx(request) and request.htmx.target == "group-results":
        return render(request, f"{T_LIST}#results", ctx)
    ctx.update(
        mine=list(selectors.my_groups(user=request.user)[:12]),
        near=selectors.groups_near(user=request.user),
        invitations=list(selectors.group_invitations(user=request.user)),
        my_state=dict(MexicanState.choices).get(selectors.user_state(request.user), ""),
    )
    return render(request, T_LIST, ctx)


@login_required
@require_http_methods(["GET", "POST"])
def group_create(request):
    if request.method == "POST":
        form = GroupForm(request.POST, request.FILES)
        form.is_valid()
        try:
            group = services.group_create(actor=request.user, data=form.service_data(),
                                          cover=request.FILES.get("cover_image"))
        except ValidationError as exc:
            _errors_apply(form, exc)
        except (SocialRateLimited, PermissionDenied) as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Creamos tu grupo. ¡Invita a más personas!"))
            return redirect_page(request, reverse("social:group", args=[group.slug]))
        template = f"{T_FORM}#form" if is_htmx(request) else T_FORM
        return render(request, template, {"form": form, "creating": True}, status=422)
    form = GroupForm(initial={"type": GroupType.OPEN, "category": GroupCategory.OTHER,
                              "who_can_post": WhoCanPost.EVERYONE})
    return render(request, T_FORM, {"form": form, "creating": True})


# ---------------------------------------------------------------------------------------
# one group


def _join_context(request, group, *, errors=None, answers=None) -> dict:
    successors = []
    last_admin = selectors.is_last_admin(group)
    if last_admin:
        successors = list(selectors.group_members(user=request.user, group=group).exclude(user=request.user)[:100])
    return {
        "group": group,
        "join_errors": errors or {},
        "answers": answers or [],
        "questions": _question_rows(group, errors or {}, answers or []),
        "successors": successors,
        "last_admin": last_admin,
        "notify_choices": GroupNotify.choices,
        "type_note": _type_note(request.user, group),
    }


def _question_rows(group, errors: dict, answers: list) -> list[dict]:
    rows = []
    for i, q in enumerate(group.join_questions or []):
        rows.append({
            "i": i,
            "question": q.get("question", ""),
            "required": bool(q.get("required")),
            "answer": answers[i] if i < len(answers) else "",
            "error": (errors.get(f"answers.{i}") or [""])[0],
        })
    return rows


def _type_note(user, group) -> str:
    if group.type == GroupType.NUTRITIONIST_ONLY and not user.has_role("nutritionist"):
        return _("Este grupo es solo para nutriólogos(as) verificados(as).")
    if group.type == GroupType.PATIENT_ONLY and user.has_role("nutritionist"):
        return _("Este grupo es solo para pacientes.")
    if group.type == GroupType.PRIVATE and not (group.is_member or group.is_invited):
        return _("A este grupo solo se entra por invitación.")
    return ""


def _detail_context(request, grp, **join_kw) -> dict:
    inside = selectors.can_see_inside(grp)
    page = request.GET.get("page") or 1
    feed = selectors.group_feed(viewer=request.user, group=grp, page=page, limit=FEED_LIMIT) if inside else None
    ctx = {
        **_join_context(request, grp, **join_kw),
        "inside": inside,
        "posts": feed.posts if feed else [],
        "page_obj": feed,
        "reactions": _reactions(),
        "can_post": selectors.can_post(grp),
        "pending_count": selectors.pending_posts(group=grp).count() + selectors.join_requests(group=grp).count()
        if grp.is_staff_member else 0,
        "state_label": dict(MexicanState.choices).get(grp.state, grp.state),
    }
    if ctx["can_post"]:
        ctx.update(_composer(grp))
    return ctx


@login_required
@require_GET
@not_found_is_404
def group(request, slug):
    grp = selectors.group_get(user=request.user, slug=slug)
    ctx = _detail_context(request, grp)
    if is_htmx(request) and request.htmx.target == "group-feed-more":
        return render(request, f"{T_DETAIL}#feed-items", ctx)
    return render(request, T_DETAIL, ctx)


def _after_join_action(request, slug, *, success: str, errors=None, answers=None, status=200):
    """Answer a join/leave/invitation action: the join partial for htmx, else back to the page."""
    try:
        grp = selectors.group_get(user=request.user, slug=slug)
    except ObjectDoesNotExist:  # left a private group: it is gone for them
        if success:
            messages.success(request, success)
        return redirect_page(request, reverse("social:groups"))
    if success:
        messages.success(request, success)
    if is_htmx(request):
        return render(request, f"{T_DETAIL}#join", _join_context(request, grp, errors=errors, answers=answers),
                      status=status)
    if errors:  # the whole page, with the errors on the join form
        return render(request, T_DETAIL, _detail_context(request, grp, errors=errors, answers=answers), status=status)
    return redirect_page(request, reverse("social:group", args=[grp.slug]))


@login_required
@require_POST
@not_found_is_404
def group_join(request, slug):
    grp = selectors.group_get(user=request.user, slug=slug)
    answers = [request.POST.get(f"answer_{i}", "") for i in range(len(grp.join_questions or []))]
    try:
        membership = services.group_join(actor=request.user, group_id=grp.pk, answers=answers)
    except ValidationError as exc:
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        if any(k.startswith("answers.") for k in errors):  # each message also sits under its question
            errors = {"__all__": [_("Revisa tus respuestas.")], **errors}
        return _after_join_action(request, slug, success="", errors=errors, answers=answers, status=422)
    except PermissionDenied as exc:
        return _after_join_action(request, slug, success="", errors={"__all__": [str(exc)]}, status=422)
    if membership.role == GroupRole.PENDING:
        success = _("Enviamos tu solicitud. Te avisaremos cuando la revisen.")
    else:
        success = _("¡Ya eres parte de %(g)s!") % {"g": grp.name}
    return _after_join_action(request, slug, success=success)


@login_required
@require_POST
@not_found_is_404
def group_leave(request, slug):
    grp = selectors.group_get(user=request.user, slug=slug)
    was_member = grp.is_member
    try:
        services.group_leave(actor=request.user, group_id=grp.pk, new_admin_id=request.POST.get("new_admin"))
    except ValidationError as exc:
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        return _after_join_action(request, slug, success="", errors=errors, status=422)
    success = _("Saliste de %(g)s.") % {"g": grp.name} if was_member else _("Cancelaste tu solicitud.")
    return _after_join_action(request, slug, success=success)


@login_required
@require_POST
@not_found_is_404
def group_invitation(request, slug, answer):
    if answer not in ("aceptar", "rechazar"):
        raise Http404()
    grp = selectors.group_get(user=request.user, slug=slug)
    accept = answer == "aceptar"
    try:
        services.group_invitation_respond(actor=request.user, group_id=grp.pk, accept=accept)
    except PermissionDenied as exc:
        return _after_join_action(request, slug, success="", errors={"__all__": [str(exc)]}, status=422)
    success = _("¡Ya eres parte de %(g)s!") % {"g": grp.name} if accept else _("Rechazaste la invitación.")
    return _after_join_action(request, slug, success=success)


@login_required
@require_POST
@not_found_is_404
def group_notify(request, slug):
    grp = selectors.group_get(user=request.user, slug=slug)
    try:
        services.group_notify_set(actor=request.user, group_id=grp.pk, preference=request.POST.get("preference"))
    except ValidationError as exc:
        return _after_join_action(request, slug, success="", errors={"__all__": error_messages(exc)}, status=422)
    return _after_join_action(request, slug, success=_("Guardamos tus avisos de este grupo."))


# ---------------------------------------------------------------------------------------
# members


def _members_context(request, grp) -> dict:
    members = list(selectors.group_members(user=request.user, group=grp))
    return {
        "group": grp,
        "members": members,
        "role_choices": [(GroupRole.ADMIN, GroupRole.ADMIN.label), (GroupRole.MODERATOR, GroupRole.MODERATOR.label),
                         (GroupRole.MEMBER, GroupRole.MEMBER.label)],
        "invited": list(
            grp.memberships.filter(role=GroupRole.INVITED).select_related("user")) if grp.is_staff_member else [],
    }


@login_required
@require_GET
@not_found_is_404
def group_members(request, slug):
    grp = selectors.group_get(user=request.user, slug=slug)
    return render(request, T_MEMBERS, {**_members_context(request, grp), "invite_error": "", "invite_value": ""})


@login_required
@require_POST
@not_found_is_404
def group_member_role(request, slug, user_id):
    grp = selectors.group_get(user=request.user, slug=slug)
    error = ""
    try:
        membership = services.group_member_role_set(actor=request.user, group_id=grp.pk, user_id=user_id,
                                                    role=request.POST.get("role"))
    except ValidationError as exc:
        error = error_messages(exc)[0]
        membership = grp.memberships.select_related("user").filter(user_id=user_id).first()
        if membership is None:
            raise Http404()
    else:
        messages.success(request, _("Cambiamos el rol de %(n)s.") % {"n": membership.user.full_name or membership.user.username})
    if is_htmx(request):
        ctx = {**_members_context(request, grp), "m": membership, "row_error": error}
        return render(request, f"{T_MEMBERS}#member", ctx, status=422 if error else 200)
    if error:
        messages.error(request, error)
    return redirect_page(request, reverse("social:group_members", args=[grp.slug]))


@login_required
@require_POST
@not_found_is_404
def group_member_remove(request, slug, user_id):
    grp = selectors.group_get(user=request.user, slug=slug)
    try:
        services.group_member_remove(actor=request.user, group_id=grp.pk, user_id=user_id)
    except ValidationError as exc:
        messages.error(request, error_messages(exc)[0])
    else:
        messages.success(request, _("Quitamos a la persona del grupo."))
    return redirect_page(request, reverse("social:group_members", args=[grp.slug]))


@login_required
@require_POST
@not_found_is_404
def group_invite(request, slug):
    grp = selectors.group_staff_get(user=request.user, slug=slug)
    username = request.POST.get("username", "")[:40]
    error = ""
    try:
        services.group_invite(actor=request.user, group_id=grp.pk, username=username)
    except (ValidationError, PermissionDenied) as exc:
        error = error_messages(exc)[0] if isinstance(exc, ValidationError) else str(exc)
    else:
        messages.success(request, _("Enviamos la invitación a @%(u)s.") % {"u": username.strip().lstrip("@").lower()})
    if is_htmx(request):
        ctx = {**_members_context(request, grp), "invite_error": error, "invite_value": username if error else ""}
        return render(request, f"{T_MEMBERS}#invite", ctx, status=422 if error else 200)
    if error:
        messages.error(request, error)
    return redirect_page(request, reverse("social:group_members", args=[grp.slug]))


# ---------------------------------------------------------------------------------------
# the moderators' queue


def _requests_context(request, grp) -> dict:
    from social.selectors.posts import posts_hydrate

    return {
        "group": grp,
        "requests": list(selectors.join_requests(group=grp)),
        "pending": posts_hydrate(viewer=request.user, posts=list(selectors.pending_posts(group=grp))),
    }


@login_required
@require_GET
@not_found_is_404
def group_requests(request, slug):
    grp = selectors.group_staff_get(user=request.user, slug=slug)
    return render(request, T_REQUESTS, _requests_context(request, grp))


def _queue_answer(request, grp, message: str):
    messages.success(request, message)
    if is_htmx(request):
        ctx = {**_requests_context(request, grp)}
        return render(request, f"{T_REQUESTS}#queue", ctx)
    return redirect_page(request, reverse("social:group_requests", args=[grp.slug]))


@login_required
@require_POST
@not_found_is_404
def group_request_decide(request, slug, user_id, decision):
    if decision not in ("aprobar", "rechazar"):
        raise Http404()
    grp = selectors.group_staff_get(user=request.user, slug=slug)
    approve = decision == "aprobar"
    services.group_request_decide(actor=request.user, group_id=grp.pk, user_id=user_id, approve=approve)
    return _queue_answer(request, grp, _("Solicitud aprobada.") if approve else _("Solicitud rechazada."))


@login_required
@require_POST
@not_found_is_404
def group_post_decide(request, slug, post_id, decision):
    if decision not in ("aprobar", "rechazar"):
        raise Http404()
    grp = selectors.group_staff_get(user=request.user, slug=slug)
    approve = decision == "aprobar"
    services.group_post_decide(actor=request.user, group_id=grp.pk, post_id=post_id, approve=approve,
                               reason=request.POST.get("reason", ""))
    return _queue_answer(request, grp, _("Publicación aprobada.") if approve else _("Publicación rechazada."))


# ---------------------------------------------------------------------------------------
# settings


@login_required
@require_http_methods(["GET", "POST"])
@not_found_is_404
def group_edit(request, slug):
    grp = selectors.group_get(user=request.user, slug=slug)
    if not grp.is_admin:
        raise Http404()
    if request.method == "POST":
        form = GroupForm(request.POST, request.FILES)
        form.is_valid()
        data = form.service_data()
        if request.POST.get("remove_cover"):
            data["remove_cover"] = True
        try:
            grp = services.group_update(actor=request.user, group_id=grp.pk, data=data,
                                        cover=request.FILES.get("cover_image"))
        except ValidationError as exc:
            _errors_apply(form, exc)
        else:
            messages.success(request, _("Guardamos los cambios del grupo."))
            return redirect_page(request, reverse("social:group", args=[grp.slug]))
        template = f"{T_FORM}#form" if is_htmx(request) else T_FORM
        return render(request, template, {"form": form, "group": grp, "creating": False}, status=422)
    form = GroupForm(initial=GroupForm.initial_for(grp))
    return render(request, T_FORM, {"form": form, "group": grp, "creating": False})


@login_required
@require_POST
@not_found_is_404
def group_delete(request, slug):
    grp = selectors.group_get(user=request.user, slug=slug)
    services.group_delete(actor=request.user, group_id=grp.pk)
    messages.success(request, _("Eliminamos el grupo %(g)s.") % {"g": grp.name})
    return redirect_page(request, reverse("social:groups"))


@login_required
@require_POST
@not_found_is_404
def group_feature(request, slug):
    grp = selectors.group_get(user=request.user, slug=slug)
    featured = request.POST.get("featured") == "1"
    services.group_feature_set(actor=request.user, group_id=grp.pk, featured=featured)
    messages.success(request, _("Grupo destacado.") if featured else _("El grupo ya no está destacado."))
    return redirect_page(request, reverse("social:group", args=[grp.slug]))
