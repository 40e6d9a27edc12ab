from django.urls import path

from . import provider_views as views

urlpatterns = [
    path("", views.catalogue, name="providers"),
    path("new/", views.provider_new, name="provider-new"),
    path("<int:pk>/", views.detail, name="provider"),
    path("<int:pk>/edit/", views.provider_edit, name="provider-edit"),
    path("<int:pk>/status/", views.provider_status, name="provider-status"),
    path("<int:pk>/services/new/", views.service_new, name="provider-service-new"),
    path("services/<int:pk>/edit/", views.service_edit, name="provider-service-edit"),
    path("<int:pk>/request/", views.request_provider, name="provider-request"),
    path("<int:pk>/rate/", views.rate, name="provider-rate"),
    path("<int:pk>/reveal/", views.reveal, name="provider-reveal"),
    path("ratings/<int:pk>/hide/", views.rating_hide, name="provider-rating-hide"),
]
