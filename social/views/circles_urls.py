"""Pages of the social network: circles."""

urlpatterns: list = []
