"""Writes of the chatbot: ask a question (store it, then answer it, streamed or not), delete
one conversation or all of them.

Answering, in order:

1. Safety (safety.py): a question asking for a diagnosis, an extreme diet, supplements or
   medication, or showing eating-disorder signals gets a fixed, careful reply (mode "safety");
   no model is ever called for it.
2. Retrieval (retrieval.py): the best passages of our live, public blog posts, resources and
   published recipes.
3. With an AI provider: the model answers from the numbered passages and the conversation's
   recent history, streamed delta by delta to the person's sockets (``chat:delta``); the
   passages it cites become the message's sources, renumbered in citation order; a second,
   small JSON call suggests 3 related questions. Any provider failure (down, timeout, rate
   limit, unreadable reply) falls back to step 4 for the answer, or to questions derived from
   the passages' titles for the suggestions.
4. Offline: a retrieval-only answer, labelled as such, quoting the passages with their links.

``chat:done`` carries the final message (content, sources, related questions and its
rendered HTML), which replaces whatever the deltas built.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from pydantic import BaseModel, Field

from assistant import prompts
from assistant.models import ChatMessage, Conversation, Mode, Role, Status
from assistant.retrieval import passages_search, tokens
from assistant.safety import classify, safety_reply
from assistant.selectors import conversation_get, history_for_model, message_payload

logger = logging.getLogger(__name__)

MESSAGE_MAX = 2000
TITLE_MAX = 80
PASSAGES_FOR_MODEL = 5
PASSAGES_OFFLINE = 3
EXCERPT_WORDS = 55
RELATED_COUNT = 3
RELATED_MAX_CHARS = 150
FEATURE = "chat"

_CITATION = re.compile(r"\[(\d{1,2}(?:\s*,\s*\d{1,2})*)\]")


def language_of(user) -> str:
    """"en" for people who chose English, otherwise "es" (the default)."""
    return "en" if str(getattr(user, "language", "") or "").lower().startswith("en") else "es"


def _practice_of(user):
    """The person's nutritionist while care is open (AI usage is metered to the practice)."""
    from clinical.models import OPEN_CARE, CareRelationship

    rel = (CareRelationship.objects.filter(patient=user, status__in=OPEN_CARE)
           .select_related("nutritionist").order_by("-pk").first())
    return rel.nutritionist if rel else None


# ---------------------------------------------------------------------------------------
# asking


def message_clean(message) -> str:
    text = str(message if message is not None else "").strip()
    if not text:
        raise ValidationError({"message": [_("Escribe tu pregunta.")]})
    if len(text) > MESSAGE_MAX:
        raise ValidationError({"message": [
            _("Tu pregunta tiene %(n)s caracteres; el máximo es %(max)s.") % {"n": len(text), "max": MESSAGE_MAX}]})
    return text


def _title_from(text: str) -> str:
    text = " ".join(text.split())
    if len(text) <= TITLE_MAX:
        return text
    cut = text[:TITLE_MAX].rsplit(" ", 1)[0]
    return (cut or text[:TITLE_MAX]).rstrip(" ,.;:¿?¡!") + "…"


@transaction.atomic
def _store_question(*, actor, text: str, conversation_id) -> tuple[ChatMessage, ChatMessage]:
    if conversation_id not in (None, ""):
        conversation = conversation_get(user=actor, conversation_id=conversation_id)
        Conversation.objects.filter(pk=conversation.pk).update(updated_at=timezone.now())
    else:
        conversation = Conversation.objects.create(user=actor, title=_title_from(text))
    question = ChatMessage.objects.create(conversation=conversation, role=Role.USER, content=text)
    reply = ChatMessage.objects.create(conversation=conversation, role=Role.ASSISTANT, status=Status.PENDING)
    return question, reply


def chat_ask(*, actor, message, conversation_id=None, stream: bool = False) -> ChatMessage:
    """Store the person's question (in a new conversation when ``conversation_id`` is empty)
    and answer it. Returns the assistant's message.

    ``stream=False``: the answer is produced before returning (status "complete").
    ``stream=True``: the answer is produced by a Celery task (a background thread in the embedded default)
    that pushes ``chat:delta`` / ``chat:done`` to the person's sockets; the returned message may
    still be "pending". Someone else's ``conversation_id`` raises ``ConversationNotFound``; an
    empty or too long message raises ``ValidationError`` and stores nothing."""
    text = message_clean(message)
    question, reply = _store_question(actor=actor, text=text, conversation_id=conversation_id)
    if stream:
        from assistant.tasks import chat_reply_task
        from config.tasks import enqueue

        # After the commit, so a worker always finds both messages.
        transaction.on_commit(lambda: enqueue(chat_reply_task, reply.pk))
        reply.refresh_from_db()
        return reply
    return chat_reply_generate(message_id=reply.pk, push=False)


# ---------------------------------------------------------------------------------------
# answering


@dataclass
class Answer:
    content: str
    mode: str
    sources: list[dict] = field(default_factory=list)
    related_questions: list[str] = field(default_factory=list)


class RelatedQuestions(BaseModel):
    questions: list[str] = Field(min_length=1, max_length=6)


def _excerpt(text: str, words: int = EXCERPT_WORDS) -> str:
    parts = text.split()
    return " ".join(parts) if len(parts) <= words else " ".join(parts[:words]).rstrip(",;:") + "…"


def _source(passage) -> dict:
    return {"title": passage.title, "url": passage.url, "kind": passage.kind}


def _derived_questions(passages, *, language: str, exclude: str = "") -> list[str]:
    out, seen = [], set()
    for passage in passages:
        if passage.url in seen:
            continue
        seen.add(passage.url)
        out.append(prompts.DERIVED[language][passage.kind].format(title=passage.title))
    for starter in prompts.STARTERS[language]:
        out.append(starter)
    return _questions_clean(out, exclude=exclude)


def _questions_clean(items, *, exclude: str = "", fallback=()) -> list[str]:
    out, seen = [], {" ".join(tokens(exclude))} if exclude else set()
    for item in [*items, *fallback]:
        text = " ".join(str(item or "").split()).lstrip("-•0123456789.) ").strip()
        if not text or len(text) > RELATED_MAX_CHARS:
            continue
        key = " ".join(tokens(text))
        if key in seen:
            continue
        seen.add(key)
        out.append(text)
        if len(out) == RELATED_COUNT:
            break
    return out


def _offline_answer(question: str, passages, *, language: str) -> Answer:
    # One passage per page or recipe: three excerpts of the same post would crowd out the rest.
    chosen, urls = [], set()
    for passage in passages:
        if passage.url not in urls and len(chosen) < PASSAGES_OFFLINE:
            chosen.append(passage)
            urls.add(passage.url)
    if not chosen:
        return Answer(content=prompts.OFFLINE_NOTHING[language], mode=Mode.OFFLINE,
                      related_questions=_questions_clean(prompts.STARTERS[language], exclude=question))
    sources: list[dict] = []
    lines = [prompts.OFFLINE_LABEL[language], ""]
    for passage in chosen:
        if passage.url not in [s["url"] for s in sources]:
            sources.append(_source(passage))
        n = [s["url"] for s in sources].index(passage.url) + 1
        lines.append(f"[{n}] «{passage.title}»: {_excerpt(passage.text)}")
        lines.append("")
    return Answer(content="\n".join(lines).strip(), mode=Mode.OFFLINE, sources=sources,
                  related_questions=_derived_questions(passages, language=language, exclude=question))


def _passages_block(passages, *, language: str) -> str:
    if not passages:
        return prompts.NO_PASSAGES[language]
    labels = prompts.KIND_LABEL[language]
    parts = [prompts.PASSAGES_HEADER[language]]
    for n, passage in enumerate(passages, start=1):
        parts.append(f"[{n}] ({labels.get(passage.kind, passage.kind)}) {passage.title}\n{passage.text}")
    return "\n\n".join(parts)


def cite(text: str, passages) -> tuple[str, list[dict]]:
    """Map the model's ``[n]`` citations to sources, renumbered in order of first citation and
    one per address; numbers that match no passage are dropped from the text."""
    sources: list[dict] = []

    def number_for(n: int) -> int | None:
        if not 1 <= n <= len(passages):
            return None
        passage = passages[n - 1]
        urls = [s["url"] for s in sources]
        if passage.url not in urls:
            sources.append(_source(passage))
            urls.append(passage.url)
        return urls.index(passage.url) + 1

    def replace(match):
        numbers = []
        for raw in match.group(1).split(","):
            mapped = number_for(int(raw))
            if mapped is not None and mapped not in numbers:
                numbers.append(mapped)
        return "".join(f"[{n}]" for n in numbers)

    cited = _CITATION.sub(replace, text)
    cited = re.sub(r"[ \t]+([.,;:])", r"\1", cited)
    return cited.strip(), sources


def _ai_answer(*, question: str, passages, history, language: str, user, practice, on_delta) -> Answer:
    """Stream the model's answer (raises ``AIError`` when the provider fails)."""
    from integrations.ai import AIError, chat_json, chat_stream

    messages = [
        {"role": "system", "content": prompts.SYSTEM[language]},
        {"role": "system", "content": _passages_block(passages, language=language)},
    ]
    for past in history:
        messages.append({"role": "user" if past.role == Role.USER else "assistant", "content": past.content[:4000]})
    messages.append({"role": "user", "content": question})
    produced = []
    for delta in chat_stream(messages, feature=FEATURE, user=user, practice=practice):
        produced.append(delta)
        on_delta(delta)
    text = "".join(produced).strip()
    if not text:
        from integrations.ai import AIBadReply

        raise AIBadReply(detail="empty answer")
    content, sources = cite(text, passages)
    fallback = _derived_questions(passages, language=language, exclude=question)
    try:
        related = chat_json(
            [{"role": "user", "content": prompts.RELATED_PROMPT[language].format(question=question,
                                                                                answer=content[:3000])}],
            RelatedQuestions, feature=FEATURE, user=user, practice=practice, temperature=0.5,
        ).questions
    except AIError as exc:
        # The answer stands; only the suggestions fall back to the passages' titles.
        logger.info("chat related questions fell back: %s", exc.code)
        related = []
    return Answer(content=content, mode=Mode.AI, sources=sources,
                  related_questions=_questions_clean(related, exclude=question, fallback=fallback))


def _retrieval_query(question: str, history) -> str:
    # A short follow-up ("¿y de cena?") is searched together with the previous question.
    if len(tokens(question)) >= 3:
        return question
    previous = [m.content for m in history if m.role == Role.USER]
    return f"{previous[-1]} {question}" if previous else question


def render_message_html(message: ChatMessage) -> str:
    """The message as the page shows it (the ``chat:done`` event carries this)."""
    return render_to_string("assistant/partials/message.html", {"m": message})


def chat_reply_generate(*, message_id: int, push: bool = True) -> ChatMessage:
    """Produce the answer of a pending assistant message (idempotent: a finished message is
    returned as is). With ``push`` the text is streamed to the person's sockets as it comes."""
    from config.realtime import push_to_user
    from integrations.ai import AIError, ai_enabled

    reply = ChatMessage.objects.select_related("conversation__user").filter(pk=message_id).first()
    if reply is None or reply.status == Status.COMPLETE:
        return reply
    conversation = reply.conversation
    user = conversation.user
    question_msg = (conversation.messages.filter(pk__lt=reply.pk, role=Role.USER).order_by("-pk").first())
    question = question_msg.content if question_msg else ""
    language = language_of(user)

    def on_delta(delta: str):
        if push:
            push_to_user(user.pk, "chat:delta",
                         {"conversation_id": conversation.pk, "message_id": reply.pk, "delta": delta})

    with translation.override("en" if language == "en" else "es-mx"):
        category = classify(question)
        if category:
            safe = safety_reply(category, language=language)
            answer = Answer(content=safe.content, mode=Mode.SAFETY, sources=safe.sources,
                            related_questions=safe.related_questions)
        else:
            history = history_for_model(conversation=conversation, before_id=question_msg.pk if question_msg else reply.pk)
            passages = passages_search(_retrieval_query(question, history), language=language,
                                       limit=PASSAGES_FOR_MODEL)
            answer = None
            if ai_enabled():
                try:
                    answer = _ai_answer(question=question, passages=passages, history=history, language=language,
                                        user=user, practice=_practice_of(user), on_delta=on_delta)
                except AIError as exc:
                    logger.warning("chat answered offline after provider error %s", exc.code)
            if answer is None:
                answer = _offline_answer(question, passages, language=language)
        reply.content = answer.content
        reply.sources = answer.sources
        reply.related_questions = answer.related_questions
        reply.mode = answer.mode
        reply.status = Status.COMPLETE
        with transaction.atomic():
            reply.save(update_fields=["content", "sources", "related_questions", "mode", "status"])
            Conversation.objects.filter(pk=conversation.pk).update(updated_at=timezone.now())
            if push:
                html = render_message_html(reply)
                data = {"conversation_id": conversation.pk, "message_id": reply.pk,
                        "message": message_payload(reply), "html": html}
                transaction.on_commit(lambda: push_to_user(user.pk, "chat:done", data))
    return reply


# ---------------------------------------------------------------------------------------
# deleting


@transaction.atomic
def conversation_delete(*, actor, conversation_id) -> None:
    """Delete one of the person's conversations with its messages (someone else's: 404)."""
    conversation = conversation_get(user=actor, conversation_id=conversation_id)
    conversation.delete()


@transaction.atomic
def conversation_delete_all(*, actor) -> int:
    """Delete all of the person's conversations. Returns how many there were."""
    count = Conversation.objects.filter(user=actor).count()
    Conversation.objects.filter(user=actor).delete()
    return count
