"""Routes of the community's news pages."""

urlpatterns: list = []
