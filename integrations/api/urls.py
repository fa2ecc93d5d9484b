from django.urls import path

from integrations.api import views

urlpatterns = [
    path("webhooks", views.WebhookListView.as_view(), name="api-webhooks"),
    path("webhooks/<int:endpoint_id>", views.WebhookDetailView.as_view(), name="api-webhook"),
    path("webhooks/<int:endpoint_id>/rotate-secret", views.WebhookRotateView.as_view(), name="api-webhook-rotate"),
    path("webhooks/<int:endpoint_id>/deliveries", views.WebhookDeliveriesView.as_view(), name="api-webhook-deliveries"),
]
