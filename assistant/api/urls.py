"""Chatbot API under /api/v1/ (no trailing slash)."""

from django.urls import path

from assistant.api import views as v

urlpatterns = [
    path("ai/chat", v.ChatView.as_view(), name="ai-chat"),
    path("ai/conversations", v.ConversationListView.as_view(), name="ai-conversations"),
    path("ai/conversations/<str:conversation_id>", v.ConversationDetailView.as_view(), name="ai-conversation"),
]
