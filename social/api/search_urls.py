"""API of the social network: search (under /api/v1/, no trailing slash)."""

from django.urls import path

from social.api import search_views as v

urlpatterns = [
    path("search/posts", v.SearchPostsView.as_view(), name="search-posts"),
    path("search/tags", v.SearchTagsView.as_view(), name="search-tags"),
    path("search/people", v.SearchPeopleView.as_view(), name="search-people"),
]
