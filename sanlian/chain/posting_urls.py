"""Supply–demand postings (供需对接), mounted at /chain/postings/ in the "chain" namespace."""

from django.urls import path

from . import posting_views as views

urlpatterns = [
    path("", views.posting_list, name="postings"),
    path("new/", views.posting_new, name="posting-new"),
    path("review/", views.review_queue, name="review-queue"),
    path("interests/", views.interest_list, name="interests"),
    path("interests/<int:pk>/move/", views.interest_move, name="interest-move"),
    path("<int:pk>/", views.posting_detail, name="posting"),
    path("<int:pk>/edit/", views.posting_edit, name="posting-edit"),
    path("<int:pk>/move/", views.posting_move, name="posting-move"),
    path("<int:pk>/review/", views.posting_review, name="posting-review"),
    path("<int:pk>/interest/", views.interest_express, name="interest"),
]
