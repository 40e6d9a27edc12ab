"""Calls and applications (技术申报); included by policies/urls.py under "calls/"."""

from django.urls import path

from . import calls_views

urlpatterns = [
    path("", calls_views.call_list, name="calls"),
]
