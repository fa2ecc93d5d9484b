"""API of the record part (filled in by its author)."""

urlpatterns: list = []
