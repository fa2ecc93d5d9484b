"""API of the social network: circles."""

urlpatterns: list = []
