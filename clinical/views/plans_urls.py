"""Pages of the plans part (filled in by its author)."""

urlpatterns: list = []
