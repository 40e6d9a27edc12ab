"""Matchmaking events (对接会); included by chain/urls.py under "events/" (namespace "chain")."""

from django.urls import path

from . import event_views as views

urlpatterns = [
    path("", views.event_list, name="events"),
    path("new/", views.event_new, name="event-new"),
    path("<int:pk>/", views.event_detail, name="event"),
    path("<int:pk>/edit/", views.event_edit, name="event-edit"),
    path("<int:pk>/slots/", views.event_slots, name="event-slots"),
    path("<int:pk>/register/", views.event_register, name="event-register"),
    path("<int:pk>/meetings/", views.meeting_request, name="meeting-request"),
    path("<int:pk>/schedule/", views.event_schedule, name="event-schedule"),
    path("<int:pk>/schedules/", views.event_schedules, name="event-schedules"),
    path("meetings/<int:pk>/answer/", views.meeting_answer, name="meeting-answer"),
    path("meetings/<int:pk>/cancel/", views.meeting_cancel, name="meeting-cancel"),
]
