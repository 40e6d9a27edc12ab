"""Certificate and benefit pages; included by talent/urls.py under "certificates/" (app_name "talent").

The public verification page lives at /verify/<token>/ (sanlian/config/urls.py), outside the login wall.
"""

from django.urls import path

from . import certificate_views as views

urlpatterns = [
    path("", views.certificate_list, name="certificates"),
    path("<int:pk>/", views.certificate_detail, name="certificate"),
    path("<int:pk>/pdf/", views.certificate_pdf, name="certificate-pdf"),
    path("<int:pk>/revoke/", views.certificate_revoke, name="certificate-revoke"),
    path("benefits/", views.benefit_list, name="benefits"),
    path("benefits/<int:pk>/decide/", views.benefit_decide, name="benefit-decide"),
    path("applications/<int:pk>/benefits/new/", views.benefit_request, name="benefit-request"),
]
