"""Pages of the nutritionist–patient conversation (htmx): the list of conversations, one
conversation (history with "Mensajes anteriores" loaded by htmx, composer that also works
without JavaScript, live delivery over /ws/ by static/js/clinical-messages.js), the
nutritionist's shortcut from a patient to their conversation, and the authorised image view.

Views parse input and call ``clinical.selectors.messages`` / ``clinical.services.messages``,
the same functions the API and the websocket handlers call.
"""

from __future__ import annotations

import uuid

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from clinical.rules import id_parse
from clinical.selectors import messages as selectors
from clinical.services import messages as services

TEMPLATE_LIST = "clinical/messages/list.html"
TEMPLATE_CONVERSATION = "clinical/messages/conversation.html"


def _htmx(request) -> bool:
    return bool(getattr(request, "htmx", False))


def _conversation_or_404(request, conversation_id):
    try:
        return selectors.conversation_get(user=request.user, conversation_id=conversation_id)
    except ObjectDoesNotExist as exc:
        raise Http404(str(exc)) from exc


@login_required
@require_GET
def messages_list(request):
    conversations = selectors.conversation_list(user=request.user)
    rows = [{"c": c, "preview": selectors.preview(c.last_message)} for c in conversations]
    return render(request, TEMPLATE_LIST, {"rows": rows})


def _history_context(request, conversation, before=None) -> dict:
    page, has_more = selectors.message_page(conversation=conversation, before=before)
    history = list(reversed(page))  # oldest → newest
    me = request.user.pk
    for message in history:
        message.mine = message.sender_id == me
    return {"history": history, "has_more": has_more, "oldest_id": history[0].pk if history else None}


def _my_last_status(request, conversation, history) -> dict | None:
    mine = [m for m in history if m.mine]
    if not mine:
        return None
    last = mine[-1]
    read = bool(conversation.other_read_at and conversation.other_read_at >= last.created_at)
    return {"id": last.pk, "read": read}


@login_required
@require_http_methods(["GET", "POST"])
def conversation_detail(request, conversation_id):
    conversation = _conversation_or_404(request, conversation_id)
    if request.method == "POST":
        return _send(request, conversation)
    raw_before = request.GET.get("before")
    before = id_parse(raw_before) if raw_before else None
    ctx = _history_context(request, conversation, before=before)
    ctx.update(conversation=conversation)
    if raw_before and _htmx(request):
        return render(request, f"{TEMPLATE_CONVERSATION}#older", ctx)
    if before is None:
        conversation.my_read_at = services.conversation_mark_read(actor=request.user, conversation_id=conversation.pk)
    ctx.update(
        last_status=_my_last_status(request, conversation, ctx["history"]),
        client_id=uuid.uuid4().hex,
        errors={},
        body="",
    )
    return render(request, TEMPLATE_CONVERSATION, ctx)


def _send(request, conversation):
    try:
        message = services.message_send(
            actor=request.user,
            conversation_id=conversation.pk,
            body=request.POST.get("body", ""),
            image=request.FILES.get("image"),
            client_id=request.POST.get("client_id", ""),
        )
    except ValidationError as exc:
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"general": exc.messages}
        ctx = {
            "conversation": conversation, "errors": errors, "body": request.POST.get("body", "")[:5000],
            "client_id": uuid.uuid4().hex,
        }
        if _htmx(request):
            return render(request, f"{TEMPLATE_CONVERSATION}#composer", ctx, status=422)
        ctx.update(_history_context(request, conversation))
        ctx["last_status"] = _my_last_status(request, conversation, ctx["history"])
        return render(request, TEMPLATE_CONVERSATION, ctx, status=422)
    if _htmx(request):
        message.mine = True
        return render(request, f"{TEMPLATE_CONVERSATION}#message", {"m": message, "conversation": conversation},
                      status=200 if message.replayed else 201)
    return redirect(reverse("clinical:conversation", kwargs={"conversation_id": conversation.pk}) + "#composer")


@login_required
@require_GET
def conversation_with(request, patient_id):
    try:
        conversation = services.conversation_open(actor=request.user, patient_id=patient_id)
    except ObjectDoesNotExist as exc:
        raise Http404(str(exc)) from exc
    return redirect("clinical:conversation", conversation_id=conversation.pk)


@login_required
@require_GET
def message_image(request, conversation_id, message_id):
    try:
        message = selectors.message_get(user=request.user, conversation_id=conversation_id, message_id=message_id)
    except ObjectDoesNotExist as exc:
        raise Http404(str(exc)) from exc
    if not message.image:
        raise Http404()
    name = message.image.name.rsplit("/", 1)[-1]
    response = FileResponse(message.image.open("rb"), filename=name)
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response
