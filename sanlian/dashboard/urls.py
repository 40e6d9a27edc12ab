from django.urls import path

from . import views

app_name = "dashboard"
urlpatterns = [
    path("", views.cockpit, name="cockpit"),
    path("export/", views.export, name="export"),
]
