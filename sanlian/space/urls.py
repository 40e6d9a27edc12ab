from django.urls import path

from . import views

app_name = "space"
urlpatterns = [
    path("", views.search, name="search"),
    path("listings/<int:pk>/", views.listing_detail, name="listing"),
    path("files/<int:pk>/", views.listing_file, name="file"),
    path("files/<int:pk>/remove/", views.listing_file_remove, name="file-remove"),
    path("manage/", views.manage, name="manage"),
    path("manage/new/", views.listing_edit, name="listing-new"),
    path("manage/<int:pk>/", views.manage_listing, name="manage-listing"),
    path("manage/<int:pk>/edit/", views.listing_edit, name="listing-edit"),
    path("manage/<int:pk>/move/", views.listing_move, name="listing-move"),
    path("manage/<int:pk>/upload/", views.listing_upload, name="listing-upload"),
    path("requests/", views.requests, name="requests"),
    path("requests/new/", views.request_new, name="request-new"),
    path("requests/<int:pk>/", views.request_detail, name="request"),
    path("requests/<int:pk>/book/", views.viewing_book, name="viewing-book"),
    path("requests/<int:pk>/close/", views.request_close, name="request-close"),
    path("viewings/<int:pk>/move/", views.viewing_move, name="viewing-move"),
]
