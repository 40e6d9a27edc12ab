"""Certificate and benefit pages (filled in by the certificates work)."""

urlpatterns = []
