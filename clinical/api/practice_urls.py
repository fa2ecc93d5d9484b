"""API of the practice part under /api/v1/ (no trailing slash)."""

from django.urls import path

from clinical.api import practice_views as v

urlpatterns = [
    path("nutritionists", v.NutritionistListView.as_view(), name="nutritionists"),
    path("nutritionists/<slug:slug>", v.NutritionistDetailView.as_view(), name="nutritionist-detail"),
    path("nutritionists/<slug:slug>/request-care", v.CareRequestView.as_view(), name="nutritionist-request-care"),
    path("nutritionist/profile", v.OwnProfileView.as_view(), name="nutritionist-profile"),
    path("staff/nutritionists/pending", v.PendingListView.as_view(), name="staff-nutritionists-pending"),
    path("staff/nutritionists/<str:profile_id>/verify", v.VerifyView.as_view(), name="staff-nutritionist-verify"),
    path("staff/nutritionists/<str:profile_id>/reject", v.RejectView.as_view(), name="staff-nutritionist-reject"),
    path("care", v.CareListView.as_view(), name="care"),
    path("care/<str:relationship_id>/accept", v.CareAcceptView.as_view(), name="care-accept"),
    path("care/<str:relationship_id>/decline", v.CareDeclineView.as_view(), name="care-decline"),
    path("care/<str:relationship_id>/end", v.CareEndView.as_view(), name="care-end"),
    path("care/<str:relationship_id>/consents", v.CareConsentsView.as_view(), name="care-consents"),
]
