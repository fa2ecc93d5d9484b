"""Pages of the social network: search."""

urlpatterns: list = []
