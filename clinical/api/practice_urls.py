"""API of the practice part (filled in by its author)."""

urlpatterns: list = []
