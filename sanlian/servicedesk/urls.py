from django.urls import include, path

from . import views

app_name = "servicedesk"
urlpatterns = [
    path("requests/", views.requests, name="requests"),
    path("requests/new/", views.request_new, name="request-new"),
    path("requests/<int:pk>/", views.request_detail, name="request"),
    path("requests/<int:pk>/move/", views.request_move, name="request-move"),
    path("requests/<int:pk>/reply/", views.request_reply, name="request-reply"),
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
    path("visits/", include("sanlian.servicedesk.visit_urls")),
    path("ip/", include("sanlian.servicedesk.ip_urls")),
]
