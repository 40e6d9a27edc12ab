"""Filled in by the posting_urls work."""

urlpatterns = []
