from django.urls import path

from . import views

app_name = "enterprises"
urlpatterns = [
    path("", views.directory, name="directory"),
    path("new/", views.create, name="create"),
    path("reviews/", views.review_queue, name="review-queue"),
    path("chain-nodes/", views.chain_nodes, name="chain-nodes"),
    path("chain-nodes/<str:code>/", views.chain_node_edit, name="chain-node-edit"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/reports/new/", views.report_edit, name="report-new"),
    path("<int:pk>/reports/<int:year>/", views.report_edit, name="report-edit"),
    path("<int:pk>/contacts/new/", views.contact_add, name="contact-add"),
    path("<int:pk>/certifications/new/", views.certification_add, name="certification-add"),
    path("reports/<int:report_id>/transition/", views.report_transition, name="report-transition"),
    path("contacts/<int:contact_id>/reveal/", views.contact_reveal, name="contact-reveal"),
    path("contacts/<int:contact_id>/remove/", views.contact_remove, name="contact-remove"),
]
