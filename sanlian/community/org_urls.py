"""Routes of the community's org pages."""

from django.urls import path

from . import org_views as views

urlpatterns = [
    path("", views.org_list, name="list"),
    path("<slug:code>/", views.org_detail, name="detail"),
    path("<slug:code>/apply/", views.apply, name="apply"),
    path("<slug:code>/members/", views.members, name="members"),
    path("<slug:code>/applications/", views.applications, name="applications"),
    path("<slug:code>/documents/", views.documents, name="documents"),
    path("applications/<int:pk>/decide/", views.decide, name="application-decide"),
    path("applications/<int:pk>/withdraw/", views.withdraw, name="application-withdraw"),
    path("members/<int:pk>/role/", views.member_role, name="member-role"),
    path("members/<int:pk>/remove/", views.member_remove, name="member-remove"),
    path("members/<int:pk>/reveal/", views.member_reveal, name="member-reveal"),
    path("documents/<int:pk>/", views.document_download, name="document"),
    path("documents/<int:pk>/remove/", views.document_remove, name="document-remove"),
]
