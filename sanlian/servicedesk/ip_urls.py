"""Routes of the IP portfolio (知识产权); included by sanlian/servicedesk/urls.py under "ip/"."""

from django.urls import path

from . import ip_views

urlpatterns = [
    path("", ip_views.ip_list, name="ip"),
    path("enterprise/<int:enterprise_id>/", ip_views.ip_portfolio, name="ip-portfolio"),
    path("enterprise/<int:enterprise_id>/new/", ip_views.ip_new, name="ip-new"),
    path("<int:pk>/edit/", ip_views.ip_edit, name="ip-edit"),
    path("<int:pk>/lapse/", ip_views.ip_lapse, name="ip-lapse"),
    path("<int:pk>/certificate/", ip_views.ip_certificate, name="ip-certificate"),
    path("import/", ip_views.ip_import_page, name="ip-import"),
    path("import/errors.xlsx", ip_views.ip_import_errors, name="ip-import-errors"),
    path("import/template.xlsx", ip_views.ip_import_template, name="ip-import-template"),
]
