"""Global talent ambassadors and their referral leads; included by talent/urls.py under "ambassadors/"."""

from django.urls import path

from . import ambassador_views as views

urlpatterns = [
    path("", views.ambassador_list, name="ambassadors"),
    path("new/", views.ambassador_new, name="ambassador-new"),
    path("<int:pk>/", views.ambassador_detail, name="ambassador"),
    path("<int:pk>/edit/", views.ambassador_edit, name="ambassador-edit"),
    path("<int:pk>/letter.pdf", views.ambassador_letter, name="ambassador-letter"),
    path("leads/", views.lead_list, name="leads"),
    path("leads/new/", views.lead_new, name="lead-new"),
    path("leads/<int:pk>/", views.lead_detail, name="lead"),
    path("leads/<int:pk>/move/", views.lead_move, name="lead-move"),
    path("leaderboard/", views.leaderboard, name="leaderboard"),
]
