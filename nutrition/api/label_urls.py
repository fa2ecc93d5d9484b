from django.urls import path

from nutrition.api import label_views as v

urlpatterns = [
    path("ai/scan-label", v.LabelScanView.as_view(), name="ai-scan-label"),
    path("ai/scan-label/evaluate", v.LabelEvaluateView.as_view(), name="ai-scan-label-evaluate"),
    path("ai/scan-label/save", v.LabelSaveView.as_view(), name="ai-scan-label-save"),
]
