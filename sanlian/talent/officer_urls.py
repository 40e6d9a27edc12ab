"""Officer pages: rounds, key enterprises, notices, the application list and its export.

Included by talent/urls.py at the talent root (app_name "talent"). The notices (公示) are public.
"""

from django.contrib.auth.decorators import login_not_required
from django.urls import path

from . import officer_views as views

urlpatterns = [
    path("rounds/", views.round_list, name="rounds"),
    path("rounds/new/", views.round_new, name="round-new"),
    path("rounds/<int:year>/", views.round_detail, name="round"),
    path("rounds/<int:year>/edit/", views.round_edit, name="round-edit"),
    path("rounds/<int:year>/export.yaml", views.round_export, name="round-export"),
    path("rounds/<int:year>/status/", views.round_status, name="round-status"),
    path("rounds/<int:year>/notice/new/", views.notice_new, name="notice-new"),
    path("applications/", views.application_list, name="applications"),
    path("applications/export.xlsx", views.application_export, name="applications-export"),
    path("notices/", login_not_required(views.notice_list), name="notices"),
    path("notices/<int:pk>/", login_not_required(views.notice_detail), name="notice"),
    path("key-enterprises/", views.key_enterprise_list, name="key-enterprises"),
    path("key-enterprises/new/", views.key_enterprise_new, name="key-enterprise-new"),
    path("key-enterprises/<int:pk>/terms/", views.key_enterprise_terms, name="key-enterprise-terms"),
]
