"""Admin for the practice: professional profiles and care relationships (no clinical text)."""

from django.contrib import admin

from clinical.models import CareRelationship, NutritionistProfile


@admin.register(NutritionistProfile)
class NutritionistProfileAdmin(admin.ModelAdmin):
    list_display = ("user", "license_number", "verification_status", "city", "state", "accepting_patients",
                    "active_patients_count", "submitted_at", "verified_at")
    list_filter = ("verification_status", "accepting_patients", "online_consultations", "state")
    search_fields = ("user__email", "user__first_name", "user__last_name", "license_number", "clinic_name", "city")
    readonly_fields = ("verified_at", "verified_by", "submitted_at", "active_patients_count", "total_patients_count",
                       "created_at", "updated_at")
    exclude = ("license_document",)
    raw_id_fields = ("user",)
    ordering = ("-submitted_at",)


@admin.register(CareRelationship)
class CareRelationshipAdmin(admin.ModelAdmin):
    list_display = ("id", "nutritionist", "patient", "status", "invited_at", "assigned_at", "ended_at")
    list_filter = ("status",)
    search_fields = ("nutritionist__email", "patient__email")
    # Clinical and insurance fields are encrypted data: never shown here.
    fields = ("nutritionist", "patient", "status", "initiated_by", "invited_at", "assigned_at", "ended_at", "ended_by")
    readonly_fields = fields
    ordering = ("-invited_at",)

    def has_add_permission(self, request):
        return False
