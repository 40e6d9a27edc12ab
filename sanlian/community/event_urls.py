"""Routes of the community's event pages (活动; the chain app's 对接会 live at /chain/events/)."""

from django.urls import path

from . import event_views as views

urlpatterns = [
    path("", views.event_list, name="list"),
    path("mine/", views.mine, name="mine"),
    path("mine/<int:pk>/qr.svg", views.my_qr, name="my-qr"),
    path("mine/<int:pk>/cancel/", views.cancel_mine, name="cancel-mine"),
    path("checkin/<str:token>/", views.scan, name="scan"),
    path("manage/", views.manage, name="manage"),
    path("new/", views.event_new, name="new"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/register/", views.register, name="register"),
    path("<int:pk>/self-checkin/", views.self_check_in, name="self-check-in"),
    path("<int:pk>/edit/", views.event_edit, name="edit"),
    path("<int:pk>/status/", views.event_status, name="status"),
    path("<int:pk>/registrations/", views.registrations, name="registrations"),
    path("<int:pk>/checkin/", views.check_in, name="check-in"),
    path("<int:pk>/survey/", views.survey, name="survey"),
    path("<int:pk>/survey/results/", views.survey_results, name="survey-results"),
    path("<int:pk>/documents/", views.event_documents, name="documents"),
    path("documents/<int:pk>/pdf/", views.document_download, name="document-pdf"),
    path("documents/<int:pk>/revoke/", views.document_revoke, name="document-revoke"),
    path("documents/verify/<str:token>/", views.document_verify, name="document-verify"),
    path("registrations/<int:pk>/decide/", views.registration_decide, name="registration-decide"),
    path("<int:pk>/photos/", views.photos, name="photos"),
    path("photos/<int:pk>/", views.photo, name="photo"),
    path("photos/<int:pk>/remove/", views.photo_remove, name="photo-remove"),
]
