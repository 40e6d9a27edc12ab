from django.urls import path

from . import views

app_name = "enterprises"
urlpatterns = [
    path("", views.directory, name="directory"),
    path("<int:pk>/", views.detail, name="detail"),
]
