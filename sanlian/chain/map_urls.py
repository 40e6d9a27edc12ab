"""Filled in by the map_urls work."""

urlpatterns = []
