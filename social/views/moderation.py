"""Pages of moderation (htmx): the moderators' queue with its actions, and the report form.

Views parse input and call ``social.services.moderation`` / ``social.selectors.moderation``
(the API calls the same functions). The queue and its actions are a 404 for anyone who is not
staff or a group moderator, and for a group moderator on anything outside their groups.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.middleware import redirect_page
from social import rules
from social.models import Comment, ReportReason
from social.selectors import moderation as selectors
from social.services import moderation as services
from social.services.common import SocialRateLimited
from social.views.common import is_htmx

PER_PAGE = 20
QUEUE = "social/moderation/queue.html"
REPORT = "social/moderation/report.html"




def _first_error(exc: ValidationError) -> str:
    return exc.messages[0] if exc.messages else _("Revisa los datos.")


# ---------------------------------------------------------------------------------------
# the queue


@login_required
def queue(request):
    try:
        items = selectors.moderation_queue(actor=request.user)
    except selectors.ModerationNotFound:
        raise Http404
    page_obj = Paginator(items, PER_PAGE).get_page(request.GET.get("page"))
    context = {"page_obj": page_obj, "items": list(page_obj.object_list), "actions": _action_buttons()}
    template = QUEUE
    if is_htmx(request) and request.htmx.target == "moderation-queue":
        template += "#queue"
    return render(request, template, context)


def _action_buttons() -> list[dict]:
    return [
        {"action": services.Action.HIDE, "label": _("Ocultar"), "icon": "lock", "css": "btn--ghost"},
        {"action": services.Action.REMOVE, "label": _("Eliminar"), "icon": "trash", "css": "btn--danger"},
        {"action": services.Action.RESTORE, "label": _("Restaurar / aprobar"), "icon": "check", "css": "btn--primary"},
        {"action": services.Action.DISMISS, "label": _("Descartar reportes"), "icon": "x", "css": "btn--ghost"},
    ]


def _done_message(result: services.ModerationResult) -> str:
    kind = _("la publicación") if result.kind == "post" else _("el comentario")
    messages_ = {
        "hide": _("Ocultaste %(k)s."),
        "remove": _("Eliminaste %(k)s."),
        "restore": _("Restauraste %(k)s."),
        "dismiss": _("Descartaste los reportes de %(k)s."),
    }
    text = messages_[result.action] % {"k": kind}
    if result.reports_resolved:
        text += " " + _("Avisamos a %(n)s persona(s) que lo reportaron.") % {"n": result.reports_resolved}
    return text


def _act(request, *, kind: str, object_id):
    action = request.POST.get("action", "")
    notes = request.POST.get("notes", "")
    func = services.post_moderate if kind == "post" else services.comment_moderate
    id_arg = {"post_id": object_id} if kind == "post" else {"comment_id": object_id}
    try:
        result = func(actor=request.user, action=action, notes=notes, **id_arg)
    except ObjectDoesNotExist:  # not a moderator, not of this object, or no such object
        raise Http404
    except ValidationError as exc:
        messages.error(request, _first_error(exc))
        if is_htmx(request):
            item = selectors.queue_item_get(actor=request.user, kind=kind, object_id=rules.id_parse(object_id))
            if item is None:
                raise Http404
            return render(request, f"{QUEUE}#item", {"item": item, "actions": _action_buttons()}, status=422)
        return redirect_page(request, reverse("social:moderation"))
    text = _done_message(result)
    if is_htmx(request):
        return render(request, f"{QUEUE}#item_done", {"result": result, "message": text,
                                                      "key": f"{kind}-{result.target.pk}"})
    messages.success(request, text)
    return redirect_page(request, reverse("social:moderation"))


@login_required
@require_POST
def moderate_post(request, post_id):
    return _act(request, kind="post", object_id=post_id)


@login_required
@require_POST
def moderate_comment(request, comment_id):
    return _act(request, kind="comment", object_id=comment_id)


# ---------------------------------------------------------------------------------------
# reporting


def _back_url(request) -> str:
    for candidate in (request.POST.get("next"), request.GET.get("next"), request.headers.get("Referer")):
        if candidate and url_has_allowed_host_and_scheme(candidate, allowed_hosts={request.get_host()},
                                                         require_https=request.is_secure()):
            return candidate
    try:
        return reverse("social:feed")
    except NoReverseMatch:
        return "/"


def _report_target(request, *, kind: str, object_id):
    """The post or comment, only if the person may see it (404 otherwise)."""
    from social.selectors.posts import post_get

    try:
        if kind == "post":
            return post_get(viewer=request.user, post_id=object_id)
        pk = rules.id_parse(object_id)
        comment = Comment.objects.select_related("post", "author").filter(pk=pk, is_deleted=False).first() if pk else None
        if comment is None:
            raise rules.CommentNotFound()
        audience = rules.audience_for(request.user)
        post = post_get(viewer=request.user, post_id=comment.post_id, audience=audience)
        if comment.author_id in audience.blocked:
            raise rules.CommentNotFound()
        comment.post = post
        return comment
    except ObjectDoesNotExist:
        raise Http404


def _report(request, *, kind: str, object_id):
    target = _report_target(request, kind=kind, object_id=object_id)
    url_name = "social:report_post" if kind == "post" else "social:report_comment"
    context = {
        "kind": kind,
        "target": target,
        "action_url": reverse(url_name, args=[target.pk]),
        "reasons": ReportReason.choices,
        "next": _back_url(request),
        "values": {"reason": "", "details": ""},
        "errors": [],
    }
    if request.method == "GET":
        return render(request, f"{REPORT}#form" if is_htmx(request) else REPORT, context)
    values = {"reason": request.POST.get("reason", ""), "details": request.POST.get("details", "")}
    id_arg = {"post_id": target.pk} if kind == "post" else {"comment_id": target.pk}
    try:
        services.report_create(actor=request.user, reason=values["reason"], details=values["details"], **id_arg)
    except ObjectDoesNotExist:
        raise Http404
    except (ValidationError, SocialRateLimited) as exc:
        errors = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
        if not is_htmx(request):
            for error in errors:
                messages.error(request, error)
            return render(request, REPORT, {**context, "values": values, "errors": errors}, status=400)
        return render(request, f"{REPORT}#form", {**context, "values": values, "errors": errors}, status=422)
    if is_htmx(request):
        return render(request, f"{REPORT}#thanks", context)
    messages.success(request, _("Gracias, lo revisaremos."))
    return redirect_page(request, context["next"])


@login_required
@require_http_methods(["GET", "POST"])
def report_post(request, post_id):
    return _report(request, kind="post", object_id=post_id)


@login_required
@require_http_methods(["GET", "POST"])
def report_comment(request, comment_id):
    return _report(request, kind="comment", object_id=comment_id)
