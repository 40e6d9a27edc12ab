from django.urls import path

from . import views

app_name = "imports"
urlpatterns = [
    path("", views.start, name="start"),
    path("<slug:kind>/template.xlsx", views.template_download, name="template"),
    path("jobs/<int:pk>/", views.job, name="job"),
    path("jobs/<int:pk>/progress/", views.job_progress, name="progress"),
    path("jobs/<int:pk>/errors.xlsx", views.job_errors, name="errors"),
    path("jobs/<int:pk>/confirm/", views.job_confirm, name="confirm"),
    path("jobs/<int:pk>/mapping/", views.job_mapping, name="mapping"),
]
