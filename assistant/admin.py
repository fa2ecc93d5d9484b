from django.contrib import admin

from assistant.models import KnowledgePassage


@admin.register(KnowledgePassage)
class KnowledgePassageAdmin(admin.ModelAdmin):
    """Read-only view of what the assistant can cite (rebuilt by ``assistant_reindex``)."""

    list_display = ("title", "kind", "language", "position", "url", "updated_at")
    list_filter = ("kind", "language")
    search_fields = ("title", "text")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
