"""The chatbot's data: conversations with their messages, and the knowledge passages the
answers are grounded in (chunks of the live, public blog posts, resources and recipes)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Conversation(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assistant_conversations")
    title = models.CharField(_("título"), max_length=120)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-pk"]
        indexes = [models.Index(fields=["user", "-updated_at"], name="assist_conv_user_idx")]
        verbose_name = _("conversación con el asistente")
        verbose_name_plural = _("conversaciones con el asistente")

    def __str__(self):
        return self.title


class Role(models.TextChoices):
    USER = "user", _("Persona")
    ASSISTANT = "assistant", _("Asistente")


class Mode(models.TextChoices):
    AI = "ai", _("Con IA")
    OFFLINE = "offline", _("Sin IA (pasajes de nuestros contenidos)")
    SAFETY = "safety", _("Respuesta de seguridad")


class Status(models.TextChoices):
    PENDING = "pending", _("Escribiendo")
    COMPLETE = "complete", _("Completa")


class ChatMessage(models.Model):
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="messages")
    role = models.CharField(max_length=10, choices=Role.choices)
    content = models.TextField(blank=True)
    # [{"title", "url", "kind"}]; the answer cites them as [1], [2]... in this order.
    sources = models.JSONField(default=list, blank=True)
    related_questions = models.JSONField(default=list, blank=True)
    mode = models.CharField(max_length=10, choices=Mode.choices, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.COMPLETE)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("mensaje del asistente")
        verbose_name_plural = _("mensajes del asistente")

    def __str__(self):
        return f"{self.role}: {self.content[:40]}"


class SourceKind(models.TextChoices):
    BLOG = "blog", _("Blog")
    RESOURCE = "resource", _("Recurso")
    RECIPE = "recipe", _("Receta")


class KnowledgePassage(models.Model):
    """One chunk (~80-150 words) of a live, public page or a published recipe."""

    kind = models.CharField(max_length=10, choices=SourceKind.choices)
    source_id = models.PositiveBigIntegerField()
    language = models.CharField(max_length=5, default="es")
    position = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(max_length=255)
    url = models.CharField(max_length=500)
    text = models.TextField()
    # Normalised, stemmed tokens (space separated), computed once at index time so building
    # the in-memory BM25 index is a split, not a re-tokenisation.
    terms = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["kind", "source_id", "language", "position"]
        indexes = [models.Index(fields=["kind", "source_id"], name="assist_passage_src_idx")]
        verbose_name = _("pasaje de conocimiento")
        verbose_name_plural = _("pasajes de conocimiento")

    def __str__(self):
        return f"{self.title} #{self.position}"
