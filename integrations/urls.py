from django.urls import path

from integrations import views

app_name = "integrations"

urlpatterns = [
    path("webhooks/", views.webhook_list, name="webhooks"),
    path("webhooks/<int:endpoint_id>/borrar/", views.webhook_delete, name="webhook_delete"),
    path("webhooks/<int:endpoint_id>/secreto/", views.webhook_rotate, name="webhook_rotate"),
    path("uso-ia/", views.ai_usage, name="ai_usage"),
]
