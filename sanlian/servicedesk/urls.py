from django.urls import include, path

from . import routing_views, views

app_name = "servicedesk"
urlpatterns = [
    path("requests/", views.requests, name="requests"),
    path("requests/new/", views.request_new, name="request-new"),
    path("requests/<int:pk>/", views.request_detail, name="request"),
    path("requests/<int:pk>/move/", views.request_move, name="request-move"),
    path("requests/<int:pk>/reply/", views.request_reply, name="request-reply"),
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
    path("routing/", routing_views.routing, name="routing"),
    path("routing/<int:pk>/remove/", routing_views.routing_remove, name="routing-remove"),
    path("routing/sla/<slug:code>/", routing_views.category_sla, name="category-sla"),
    path("visits/", include("sanlian.servicedesk.visit_urls")),
    path("providers/", include("sanlian.servicedesk.provider_urls")),
]
