"""Site search page (namespace ``content``: ``content:search``)."""

from django.urls import path

from content.views_search import search_page

urlpatterns = [path("buscar/", search_page, name="search")]
