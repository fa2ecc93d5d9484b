"""Pages of the chatbot (htmx) under /asistente/: the conversation list (sidebar on desktop,
drawer on phones), one conversation, asking (live answer over /ws/ by
static/assistant/assistant.js; a plain POST and a redirect without JavaScript), and deleting
one or all conversations.

Views parse input and call ``assistant.selectors`` / ``assistant.services``, the same
functions the API and the Celery task call.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from assistant import prompts, selectors, services

TEMPLATE = "assistant/chat.html"


def _htmx(request) -> bool:
    return bool(getattr(request, "htmx", False))


def _conversation_or_404(request, conversation_id):
    try:
        return selectors.conversation_get(user=request.user, conversation_id=conversation_id)
    except ObjectDoesNotExist as exc:
        raise Http404(str(exc)) from exc


def _context(request, conversation=None, **extra) -> dict:
    language = services.language_of(request.user)
    ctx = {
        "conversations": list(selectors.conversation_list(user=request.user)),
        "conversation": conversation,
        "history": list(selectors.message_list(conversation=conversation)) if conversation else [],
        "starters": prompts.STARTERS[language],
        "errors": {},
        "draft": "",
    }
    ctx.update(extra)
    return ctx


@login_required
@require_GET
def assistant_home(request):
    """A new conversation: starter questions and the composer."""
    return render(request, TEMPLATE, _context(request))


@login_required
@require_GET
def conversation_page(request, conversation_id):
    conversation = _conversation_or_404(request, conversation_id)
    return render(request, TEMPLATE, _context(request, conversation))


@login_required
@require_POST
def ask(request):
    """Ask a question. htmx gets the question and the (possibly still growing) answer to append,
    plus out-of-band updates of the conversation list and the form; without htmx, a redirect."""
    raw_id = request.POST.get("conversation_id", "").strip()
    text = request.POST.get("message", "")
    try:
        _rate_limit(request)
        reply = services.chat_ask(actor=request.user, message=text, conversation_id=raw_id or None, stream=True)
    except ObjectDoesNotExist as exc:
        raise Http404(str(exc)) from exc
    except ValidationError as exc:
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"message": exc.messages}
        conversation = _conversation_or_404(request, raw_id) if raw_id else None
        ctx = _context(request, conversation, errors=errors, draft=str(text)[:services.MESSAGE_MAX + 100])
        if _htmx(request):
            response = render(request, f"{TEMPLATE}#composer", ctx, status=422)
            response["HX-Retarget"] = "#asst-composer"
            response["HX-Reswap"] = "outerHTML"
            return response
        return render(request, TEMPLATE, ctx, status=422)
    conversation = reply.conversation
    url = reverse("assistant:conversation", kwargs={"conversation_id": conversation.pk})
    if not _htmx(request):
        return redirect(f"{url}#amsg-{reply.pk}")
    question = conversation.messages.filter(pk__lt=reply.pk, role="user").order_by("-pk").first()
    ctx = _context(request, conversation, exchange=[question, reply], new=not raw_id)
    response = render(request, f"{TEMPLATE}#asked", ctx)
    if not raw_id:
        response["HX-Push-Url"] = url
    return response


def _rate_limit(request) -> None:
    """The page shares the API's "ai_chat" budget (same counter), so answers cost the same
    whichever way they are asked for."""
    from django.conf import settings

    from config.api import rate_hit

    if not settings.API_RATE_LIMITS_ENABLED:
        return
    allowed = rate_hit(f"ai_chat:u{request.user.pk}", settings.API_RATE_LIMITS["ai_chat"])[0]
    if not allowed:
        raise ValidationError({"message": [_("Hiciste muchas preguntas seguidas. Espera un minuto e intenta de nuevo.")]})


@login_required
@require_POST
def conversation_delete(request, conversation_id):
    try:
        services.conversation_delete(actor=request.user, conversation_id=conversation_id)
    except ObjectDoesNotExist as exc:
        raise Http404(str(exc)) from exc
    messages.success(request, _("Conversación eliminada."))
    return _to_home(request)


@login_required
@require_POST
def conversation_delete_all(request):
    count = services.conversation_delete_all(actor=request.user)
    if count:
        messages.success(request, _("Se eliminaron todas tus conversaciones con el asistente."))
    return _to_home(request)


def _to_home(request):
    url = reverse("assistant:home")
    if _htmx(request):
        response = HttpResponse(status=204)
        response["HX-Location"] = url
        return response
    return redirect(url)
