from django.urls import include, path

from . import ambassador_urls, certificate_urls

app_name = "talent"
urlpatterns = [
    path("certificates/", include(certificate_urls)),
    path("ambassadors/", include(ambassador_urls)),
]
