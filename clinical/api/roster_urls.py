"""API of the roster part (filled in by its author)."""

urlpatterns: list = []
