"""Filled in by the event_urls work."""

urlpatterns = []
