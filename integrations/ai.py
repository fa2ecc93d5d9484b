"""The AI provider: one adapter over the ``openai`` SDK for any OpenAI-compatible endpoint
(OpenAI, Gemini's OpenAI-compatible endpoint, a local Ollama or vLLM).

Configured by ``AI_BASE_URL``, ``AI_API_KEY``, ``AI_MODEL`` and ``AI_VISION_MODEL``. An empty
``AI_BASE_URL`` is the offline mode: ``ai_enabled()`` is False and every caller takes its own
offline path (the embedded default). Every failure becomes an :class:`AIError` with a stable
code and a translated message, so features can degrade instead of crash:

- not configured, connection refused, 5xx after retries -> ``AIUnavailable`` (AI_UNAVAILABLE)
- no answer within ``AI_TIMEOUT_SECONDS`` -> ``AITimeout`` (AI_TIMEOUT)
- 429 after retries -> ``AIRateLimited`` (AI_RATE_LIMITED)
- a reply that is not the JSON the schema asks for, even after one repair turn -> ``AIBadReply``

Retries with exponential backoff are the SDK's own (``max_retries``), which honours
``Retry-After``. Every call, successful or not, is metered in :class:`integrations.models.AIUsage`
(user, practice, feature, tokens, estimated cost) for the staff usage report.
"""

from __future__ import annotations

import base64
import json
import logging
import re
import time
from collections.abc import Iterator

import openai
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from pydantic import BaseModel, ValidationError

logger = logging.getLogger(__name__)


class AIError(Exception):
    code = "AI_ERROR"
    default_message = _("El asistente de IA no pudo responder.")

    def __init__(self, message=None, *, detail: str = ""):
        self.message = message or self.default_message
        self.detail = detail
        super().__init__(str(self.message))


class AIUnavailable(AIError):
    code = "AI_UNAVAILABLE"
    default_message = _("El proveedor de IA no está disponible en este momento.")


class AITimeout(AIError):
    code = "AI_TIMEOUT"
    default_message = _("El proveedor de IA tardó demasiado en responder.")


class AIRateLimited(AIError):
    code = "AI_RATE_LIMITED"
    default_message = _("El proveedor de IA está saturado; inténtalo de nuevo en un momento.")


class AIBadReply(AIError):
    code = "AI_BAD_REPLY"
    default_message = _("El proveedor de IA dio una respuesta que no se pudo interpretar.")


def ai_enabled() -> bool:
    """True when an AI provider is configured (``AI_BASE_URL`` set)."""
    return bool(settings.AI_BASE_URL)


def _client(timeout: float | None = None) -> openai.OpenAI:
    if not ai_enabled():
        raise AIUnavailable(_("No hay un proveedor de IA configurado en este servidor."))
    return openai.OpenAI(
        base_url=settings.AI_BASE_URL,
        api_key=settings.AI_API_KEY or "not-needed",
        timeout=timeout or settings.AI_TIMEOUT_SECONDS,
        max_retries=settings.AI_MAX_RETRIES,
    )


def image_content(data: bytes, content_type: str) -> dict:
    """An OpenAI ``image_url`` content part carrying the image inline as a data URL."""
    encoded = base64.b64encode(data).decode("ascii")
    return {"type": "image_url", "image_url": {"url": f"data:{content_type};base64,{encoded}"}}


def _translate(exc: Exception) -> AIError:
    if isinstance(exc, AIError):
        return exc
    if isinstance(exc, openai.APITimeoutError):
        return AITimeout(detail=str(exc))
    if isinstance(exc, openai.RateLimitError):
        return AIRateLimited(detail=str(exc))
    if isinstance(exc, openai.APIConnectionError | openai.InternalServerError):
        return AIUnavailable(detail=str(exc))
    if isinstance(exc, openai.APIStatusError):
        if exc.status_code in (401, 403):
            return AIUnavailable(_("El proveedor de IA rechazó la clave configurada."), detail=str(exc))
        return AIUnavailable(detail=f"HTTP {exc.status_code}: {exc}")
    return AIUnavailable(detail=repr(exc))


_PRACTICE_RESOLVERS: list = []


def register_practice_resolver(func):
    """A domain app that knows who cares for whom (``clinical``) registers
    ``func(user) -> nutritionist | None`` at start-up, so every AI call is attributed to the
    person's practice without the lower apps importing it."""
    if func not in _PRACTICE_RESOLVERS:
        _PRACTICE_RESOLVERS.append(func)
    return func


def practice_for(user):
    """The practice (nutritionist) an AI call by ``user`` is attributed to, else None."""
    if not getattr(user, "pk", None):
        return None
    for resolver in _PRACTICE_RESOLVERS:
        practice = resolver(user)
        if practice is not None:
            return practice
    return None


def _record(*, feature, user, practice, model, started, ok, error_code="", prompt_tokens=0, completion_tokens=0):
    """Meter one call. Metering must never break the feature that called the provider."""
    from integrations.models import AIUsage

    try:
        if practice is None:
            practice = practice_for(user)
        AIUsage.objects.create(
            user=user if getattr(user, "pk", None) else None,
            practice=practice if getattr(practice, "pk", None) else None,
            feature=feature[:40],
            model=model[:100],
            ok=ok,
            error_code=error_code,
            prompt_tokens=prompt_tokens or 0,
            completion_tokens=completion_tokens or 0,
            cost_usd=estimate_cost(prompt_tokens or 0, completion_tokens or 0),
            latency_ms=int((time.monotonic() - started) * 1000),
        )
    except Exception:  # pragma: no cover - logged, never raised
        logger.exception("ai usage metering failed")


def estimate_cost(prompt_tokens: int, completion_tokens: int) -> float:
    """Estimated USD from the configured per-million-token prices."""
    return round(
        prompt_tokens * settings.AI_PRICE_INPUT_PER_MTOK / 1e6
        + completion_tokens * settings.AI_PRICE_OUTPUT_PER_MTOK / 1e6,
        6,
    )


def _model_for(vision: bool) -> str:
    return settings.AI_VISION_MODEL if vision else settings.AI_MODEL


def _complete(messages, *, feature, user, practice, vision=False, timeout=None, temperature=0.2, json_mode=False):
    model = _model_for(vision)
    started = time.monotonic()
    kwargs = {"model": model, "messages": messages, "temperature": temperature}
    if json_mode:
        kwargs["response_format"] = {"type": "json_object"}
    try:
        reply = _client(timeout).chat.completions.create(**kwargs)
    except Exception as exc:  # noqa: BLE001 - every failure becomes an AIError
        error = _translate(exc)
        _record(feature=feature, user=user, practice=practice, model=model, started=started, ok=False,
                error_code=error.code)
        logger.warning("ai call failed feature=%s code=%s detail=%s", feature, error.code, error.detail[:200])
        raise error
    usage = getattr(reply, "usage", None)
    prompt_tokens = getattr(usage, "prompt_tokens", 0) or 0
    completion_tokens = getattr(usage, "completion_tokens", 0) or 0
    try:
        content = reply.choices[0].message.content or ""
    except (AttributeError, IndexError, TypeError):
        content = None
    if content is None:
        _record(feature=feature, user=user, practice=practice, model=model, started=started, ok=False,
                error_code=AIBadReply.code, prompt_tokens=prompt_tokens, completion_tokens=completion_tokens)
        raise AIBadReply(detail="no choices in reply")
    return content, (model, started, prompt_tokens, completion_tokens)


_FENCE = re.compile(r"^\s*```(?:json)?\s*|\s*```\s*$", re.IGNORECASE)


def parse_json_reply(content: str, schema: type[BaseModel]) -> BaseModel:
    """Validate a reply against ``schema``. Tolerates a Markdown code fence around the JSON
    (several OpenAI-compatible servers add one even in JSON mode). Raises ``AIBadReply``."""
    text = _FENCE.sub("", content or "").strip()
    try:
        return schema.model_validate(json.loads(text))
    except (json.JSONDecodeError, ValidationError, TypeError) as exc:
        raise AIBadReply(detail=str(exc)[:500])


def chat_json(messages: list[dict], schema: type[BaseModel], *, feature: str, user=None, practice=None,
              vision: bool = False, timeout: float | None = None, temperature: float = 0.2) -> BaseModel:
    """Ask for a JSON object matching ``schema`` (a pydantic model) and return it validated.

    The JSON schema is added to the system turn; a reply that does not validate gets one
    repair turn quoting the error, then raises ``AIBadReply``."""
    schema_text = json.dumps(schema.model_json_schema(), ensure_ascii=False)
    instruction = {
        "role": "system",
        "content": "Responde SOLO con un objeto JSON válido que cumpla este JSON Schema, sin texto adicional:\n"
        + schema_text,
    }
    turns = [instruction, *messages]
    content, meta = _complete(turns, feature=feature, user=user, practice=practice, vision=vision,
                              timeout=timeout, temperature=temperature, json_mode=True)
    model, started, prompt_tokens, completion_tokens = meta
    try:
        result = parse_json_reply(content, schema)
    except AIBadReply as first:
        repair = [*turns, {"role": "assistant", "content": content[:4000]},
                  {"role": "user", "content": f"Tu respuesta no es válida ({first.detail[:300]}). "
                                              "Devuelve solo el objeto JSON corregido."}]
        try:
            # A transport failure here is metered by _complete itself.
            content, meta2 = _complete(repair, feature=feature, user=user, practice=practice, vision=vision,
                                       timeout=timeout, temperature=0, json_mode=True)
            prompt_tokens += meta2[2]
            completion_tokens += meta2[3]
            result = parse_json_reply(content, schema)
        except AIBadReply as exc:
            _record(feature=feature, user=user, practice=practice, model=model, started=started, ok=False,
                    error_code=exc.code, prompt_tokens=prompt_tokens, completion_tokens=completion_tokens)
            logger.warning("ai reply did not validate feature=%s detail=%s", feature, exc.detail[:200])
            raise
    _record(feature=feature, user=user, practice=practice, model=model, started=started, ok=True,
            prompt_tokens=prompt_tokens, completion_tokens=completion_tokens)
    return result


def chat_text(messages: list[dict], *, feature: str, user=None, practice=None, timeout: float | None = None,
              temperature: float = 0.3) -> str:
    """Plain text completion."""
    content, (model, started, prompt_tokens, completion_tokens) = _complete(
        messages, feature=feature, user=user, practice=practice, timeout=timeout, temperature=temperature
    )
    _record(feature=feature, user=user, practice=practice, model=model, started=started, ok=True,
            prompt_tokens=prompt_tokens, completion_tokens=completion_tokens)
    return content


def chat_stream(messages: list[dict], *, feature: str, user=None, practice=None,
                timeout: float | None = None, temperature: float = 0.3) -> Iterator[str]:
    """Stream a text completion as deltas. Errors before the first delta and in the middle
    of the stream both raise ``AIError``; usage is recorded when the stream ends."""
    model = _model_for(False)
    started = time.monotonic()
    prompt_tokens = completion_tokens = 0
    produced = []
    try:
        stream = _client(timeout).chat.completions.create(
            model=model, messages=messages, temperature=temperature, stream=True,
            stream_options={"include_usage": True},
        )
        for chunk in stream:
            usage = getattr(chunk, "usage", None)
            if usage:
                prompt_tokens = usage.prompt_tokens or 0
                completion_tokens = usage.completion_tokens or 0
            for choice in chunk.choices or ():
                delta = getattr(choice.delta, "content", None)
                if delta:
                    produced.append(delta)
                    yield delta
    except Exception as exc:  # noqa: BLE001
        error = _translate(exc)
        _record(feature=feature, user=user, practice=practice, model=model, started=started, ok=False,
                error_code=error.code, prompt_tokens=prompt_tokens, completion_tokens=completion_tokens)
        raise error
    if not completion_tokens:
        # Servers that ignore include_usage: a rough estimate (4 characters a token).
        completion_tokens = max(1, len("".join(produced)) // 4)
        prompt_tokens = prompt_tokens or sum(len(str(m.get("content", ""))) for m in messages) // 4
    _record(feature=feature, user=user, practice=practice, model=model, started=started, ok=True,
            prompt_tokens=prompt_tokens, completion_tokens=completion_tokens)
