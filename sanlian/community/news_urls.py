"""Routes of the community's news pages."""

from django.contrib.auth.decorators import login_not_required
from django.urls import path

from . import news_views as views
from .news_feeds import NewsFeed

urlpatterns = [
    path("", views.article_list, name="list"),
    path("feed.atom", login_not_required(NewsFeed()), name="feed"),
    path("mine/", views.mine, name="mine"),
    path("review/", views.review, name="review"),
    path("manage/", views.manage, name="manage"),
    path("new/", views.new, name="new"),
    path("<int:pk>/", views.article_detail, name="detail"),
    path("<int:pk>/cover/", views.cover, name="cover"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/transition/", views.transition, name="transition"),
]
