"""The label scanner pages under /nutricion/etiquetas/ (namespace ``nutrition``)."""

from django.urls import path

from nutrition.views import labels

urlpatterns = [
    path("", labels.label_page, name="labels"),
    path("leer/", labels.label_read, name="label_read"),
    path("evaluar/", labels.label_recompute, name="label_evaluate"),
    path("guardar/", labels.label_store, name="label_save"),
]
