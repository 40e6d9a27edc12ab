"""Calls and applications (技术申报); included by policies/urls.py under "calls/"."""

from django.urls import path

from . import calls_views

urlpatterns = [
    path("", calls_views.call_list, name="calls"),
    path("new/", calls_views.call_new, name="call-new"),
    path("<int:pk>/", calls_views.call_detail, name="call-detail"),
    path("<int:pk>/edit/", calls_views.call_edit, name="call-edit"),
    path("<int:pk>/applications/", calls_views.call_applications, name="call-applications"),
    path("<int:pk>/applications.xlsx", calls_views.call_export, name="call-export"),
    path("applications/<int:pk>/", calls_views.application, name="application"),
    path("applications/<int:pk>/transition/", calls_views.application_transition, name="application-transition"),
    path("applications/<int:pk>/materials/", calls_views.material_upload, name="material-upload"),
    path("materials/<int:pk>/", calls_views.material_download, name="material-download"),
]
