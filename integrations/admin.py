from django.contrib import admin

from integrations.models import AIUsage, WebhookDelivery, WebhookEndpoint


@admin.register(AIUsage)
class AIUsageAdmin(admin.ModelAdmin):
    list_display = ("created_at", "feature", "model", "user", "practice", "ok", "error_code", "prompt_tokens",
                    "completion_tokens", "cost_usd", "latency_ms")
    list_filter = ("feature", "ok", "error_code", "model")
    raw_id_fields = ("user", "practice")
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    list_display = ("url", "user", "is_active", "failure_count", "last_success_at", "last_failure_at")
    list_filter = ("is_active",)
    raw_id_fields = ("user",)
    exclude = ("secret",)


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = ("created_at", "event", "endpoint", "status", "attempt_count", "response_status")
    list_filter = ("status", "event")
    raw_id_fields = ("endpoint",)
    readonly_fields = ("attempts", "payload")
