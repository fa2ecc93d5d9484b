"""API of the messages part (filled in by its author)."""

urlpatterns: list = []
