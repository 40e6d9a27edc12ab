"""Routes of the community's org pages."""

urlpatterns: list = []
