"""Routes of officers' visits (走访); included by sanlian/servicedesk/urls.py under "visits/"."""

from django.urls import path

from . import visit_views

urlpatterns = [
    path("", visit_views.visit_list, name="visits"),
    path("new/", visit_views.visit_new, name="visit-new"),
    path("<int:pk>/", visit_views.visit_detail, name="visit"),
]
