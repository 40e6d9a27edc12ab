from django.urls import include, path

from . import calls_urls, views

app_name = "policies"
urlpatterns = [
    path("", views.library, name="library"),
    path("calls/", include(calls_urls)),
    path("mine/", views.mine, name="mine"),
    path("manage/", views.manage, name="manage"),
    path("manage/new/", views.new_policy, name="new"),
    path("manage/import/", views.import_yaml, name="import"),
    path("parameters/", views.parameters, name="parameters"),
    path("parameters/new/", views.parameter_new, name="parameter-new"),
    path("grants/", views.grants, name="grants"),
    path("grants/<int:pk>/decide/", views.grant_decide, name="grant-decide"),
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
    path("<slug:code>/", views.detail, name="detail"),
    path("<slug:code>/quick-apply/", views.quick_apply, name="quick-apply"),
    path("<slug:code>/edit/", views.edit, name="edit"),
    path("<slug:code>/preview/", views.preview, name="preview"),
    path("<slug:code>/publish/", views.publish, name="publish"),
    path("<slug:code>/export.yaml", views.export_yaml, name="export"),
    path("<slug:code>/attachments/", views.upload_attachment, name="attachment-upload"),
]
