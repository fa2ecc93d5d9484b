"""Conversation API under /api/v1/ (no trailing slash)."""

from django.urls import path

from clinical.api import messages_views as v

urlpatterns = [
    path("conversations", v.ConversationListView.as_view(), name="conversations"),
    path("conversations/<str:conversation_id>/messages", v.ConversationMessagesView.as_view(),
         name="conversation-messages"),
    path("conversations/<str:conversation_id>/read", v.ConversationReadView.as_view(), name="conversation-read"),
    path("patients/<str:patient_id>/conversation", v.PatientConversationView.as_view(), name="patient-conversation"),
]
