"""Pages of the social network: moderation."""

urlpatterns: list = []
