"""Routes of the community's event pages."""

urlpatterns: list = []
