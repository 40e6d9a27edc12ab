"""Ambassador and referral-lead pages (filled in by the ambassadors work)."""

urlpatterns = []
