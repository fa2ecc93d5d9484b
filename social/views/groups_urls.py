"""Pages of the social network: groups."""

urlpatterns: list = []
