from django.urls import include, path

from . import event_urls, map_urls, posting_urls

app_name = "chain"
urlpatterns = [
    path("", include(map_urls)),
    path("postings/", include(posting_urls)),
    path("events/", include(event_urls)),
]
